from __future__ import annotations

from autocirc_shared.settings import CommonSettings
from pydantic import Field


class IdentitySettings(CommonSettings):
    login_max_failures: int = Field(5, description="Failed logins per account and client address before that address is locked out")
    login_window_seconds: int = Field(900, description="Window in which failures count (15 minutes)")
    login_slow_seconds: float = Field(0.5, description="Delay per failure beyond the limit from all addresses")
    login_slow_max_seconds: float = Field(3.0, description="Cap of that delay")
    captcha_ttl_seconds: int = 300
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
