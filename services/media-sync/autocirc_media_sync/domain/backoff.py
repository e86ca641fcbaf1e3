"""When to try a failed delivery again."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    cap_seconds: float

    def delay(self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        """Exponential back-off with full jitter: uniform in [0, min(cap, base·2^(attempt-1))].

        The jitter spreads out deliveries that failed together (say, during one outage) so they
        do not all hit the recovering endpoint at the same instant. A server's Retry-After
        (capped) is a lower bound.
        """
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempt - 1))
        delay = (rng or random).uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap_seconds))
        return delay
