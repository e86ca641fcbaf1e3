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
    review_right_wait_seconds: float = Field(10.0, description="How long PATCH /officials/{id} waits for filing to "
                                             "hold a changed review right before answering 202 instead of 200")
    api_key_token_seconds: int = Field(300, description="Lifetime of the token the gateway gets for an API key")
    api_key_last_use_seconds: int = Field(60, description="An API key's last use is written at most this often")
    reset_requests_per_client: int = Field(10, ge=1, description="Password-reset code requests per client IP in 10 minutes")
