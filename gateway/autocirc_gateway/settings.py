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
    rate_public_per_minute: int = Field(60, description="Public look-ups (/api/v1/public/...) per client IP per minute")
    rate_api_key_per_minute: int = Field(600, description="Requests per API key per minute (dealer software)")
    rate_password_reset_per_minute: int = Field(10, description="Password-reset requests and tries per client IP per minute")
    trust_forwarded_for: bool = Field(False, description="Take the client IP from X-Forwarded-For (behind a proxy)")
    police_stub_public: bool = Field(
        False, description="Forward /stub/police through the public gateway (tests only: it lists every "
                           "enterprise's delivered images; media-sync calls its stub in-process either way)")

    def service_url(self, service: str) -> str:
        return getattr(self, f"{service.replace('-', '_')}_url")
