"""Sliding-window limits per client IP for login and registration.

Kept in the gateway process: with several gateway replicas each enforces its own window
(the per-username lock-out in identity is the shared, exact guard)."""
from __future__ import annotations

import time
from collections import defaultdict, deque


class SlidingWindow:
    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str, now: float | None = None) -> float:
        """Record a hit; returns 0 when allowed, else seconds until the next is allowed."""
        now = time.monotonic() if now is None else now
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > 100_000:  # bound memory under a flood of distinct clients
            self._hits = defaultdict(deque, {k: v for k, v in self._hits.items() if v})
        return 0.0
