"""Self-service password reset codes: six digits, 10 minutes, five wrong tries, one use (pure rules)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_TTL = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
# requests per account (or typed name) in one code lifetime before no more codes are made; the answer stays 202
MAX_REQUESTS_PER_TTL = 3


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def message(code: str) -> str:
    return f"【全国汽车流通信息管理应用】您的密码重置验证码为 {code}，10分钟内有效。如非本人操作，请忽略本消息。"


@dataclass(frozen=True)
class Outcome:
    """What a confirmation does: ``ok`` changes the password; otherwise an error code and the code's new state."""

    ok: bool
    state: str
    error: str | None = None


def judge(state: str | None, expires_at: datetime | None, wrong_tries: int, matches: bool, now: datetime) -> Outcome:
    """``state`` is None when no code was ever requested under this name."""
    if state == "burned":
        return Outcome(False, "burned", "auth.locked")
    if state != "live" or expires_at is None or now > expires_at:
        return Outcome(False, state or "none", "reset.code_invalid")
    if matches:
        return Outcome(True, "used")
    if wrong_tries + 1 >= MAX_WRONG_TRIES:
        return Outcome(False, "burned", "auth.locked")
    return Outcome(False, "live", "reset.code_wrong")
