from __future__ import annotations

from autocirc_shared.settings import CommonSettings
from pydantic import Field

SERVICES = ("identity", "filing", "catalog", "transactions", "reports", "media-sync", "portal")


class GatewaySettings(CommonSettings):
    identity_url: str = Field("http://127.0.0.1:8101", description="identity's base URL (distributed mode)")
    filing_url: str = Field("http://127.0.0.1:8102")
    catalog_url: str = Field("http://127.0.0.1:8103")
    transactions_url: str = Field("http://127.0.0.1:8104")
    reports_url: str = Field("http://127.0.0.1:8105")
    media_sync_url: str = Field("http://127.0.0.1:8106")
    portal_url: str = Field("http://127.0.0.1:8107")
    upstream_timeout_seconds: float = 60.0
    rate_login_per_minute: int = Field(30, description="Login attempts per client IP per minute")
    rate_register_per_minute: int = Field(10, description="Registrations per client IP per minute")
    rate_password_reset_per_minute: int = Field(10, description="Password-reset requests and tries per client IP per minute")
    trust_forwarded_for: bool = Field(False, description="Take the client IP from X-Forwarded-For (behind a proxy)")

    def service_url(self, service: str) -> str:
        return getattr(self, f"{service.replace('-', '_')}_url")
