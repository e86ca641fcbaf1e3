"""media-sync's settings (env prefix ``AUTOCIRC_``).

The police endpoint is configuration only: unset ``AUTOCIRC_POLICE_URL`` means the bundled stub,
called in-process. Messages are signed with an Ed25519 key (created under the data dir if missing);
the token is only a transport credential. Its default is for development and the stub; set a real one
(and ``AUTOCIRC_POLICE_STUB=false``) wherever a real police endpoint is used.
"""
from __future__ import annotations

from pathlib import Path

from autocirc_shared.settings import CommonSettings
from pydantic import Field, model_validator

DEV_POLICE_TOKEN = "dev-police-token"


class MediaSyncSettings(CommonSettings):
    police_url: str | None = Field(
        None, description="Police endpoint base URL (POST {url}/documents); unset: the bundled stub, in-process")
    police_token: str = Field(DEV_POLICE_TOKEN, description="Bearer token sent to the police endpoint (transport only)")
    police_signing_key_file: Path | None = Field(
        None, description="Ed25519 private key (PEM) signing every message; default data_dir/keys/police_signing.pem")
    police_previous_public_key_files: list[Path] = Field(
        default_factory=list, description="Public keys (PEM) still published during a key change-over")
    police_stub: bool = Field(True, description="Serve the police integration stub under /stub/police")
    media_sync_timeout_seconds: float = Field(30.0, description="Whole-call timeout of one delivery attempt")
    media_sync_concurrency: int = Field(4, ge=1, description="Deliveries in flight per replica")
    media_sync_max_attempts: int = Field(10, ge=1, description="Attempts before a delivery is marked failed")
    media_sync_retry_base_seconds: float = Field(5.0, description="Back-off base: retry n waits up to base*2^(n-1)")
    media_sync_retry_cap_seconds: float = Field(600.0, description="Longest back-off between two attempts")
    media_sync_poll_seconds: float = Field(1.0, description="How often the worker looks for due deliveries when idle")

    @model_validator(mode="after")
    def _somewhere_to_deliver(self) -> MediaSyncSettings:
        if not self.police_url and not self.police_stub:
            raise ValueError("AUTOCIRC_POLICE_URL is unset and AUTOCIRC_POLICE_STUB is off: nowhere to deliver")
        return self

    @property
    def signing_key_path(self) -> Path:
        return self.police_signing_key_file or self.data_dir / "keys" / "police_signing.pem"

    @property
    def lease_seconds(self) -> float:
        """How long a claimed delivery stays invisible to other replicas: past it, a crashed attempt is retried."""
        return self.media_sync_timeout_seconds + 30.0
