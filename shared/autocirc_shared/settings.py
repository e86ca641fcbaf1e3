"""Settings every service reads from the environment (prefix ``AUTOCIRC_``).

One code base runs embedded or distributed: only these values differ.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .clock import china_today


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTOCIRC_", extra="ignore")

    data_dir: Path = Field(Path("./var"), description="Local data (SQLite files, keys, blobs) in embedded mode")
    database_url: str | None = Field(
        None, description="PostgreSQL server URL; each service uses its own database autocirc_<service>. Unset: SQLite under data_dir"
    )
    database_prefix: str = Field("autocirc", description="Prefix of each service's database name")
    database_direct_url: str | None = Field(
        None, description="PostgreSQL server URL for creating databases and migrating (advisory lock) when "
                          "database_url points at PgBouncer in transaction pooling; unset: database_url")
    database_pool_size: int = Field(
        8, ge=1, description="PostgreSQL connections each service process holds at most (no overflow; README: "
                             "Connection budget)")
    database_pool_timeout: float = Field(
        10.0, gt=0, description="Seconds a request waits for a free pooled connection before answering 503")
    database_pgbouncer: bool = Field(
        False, description="database_url is PgBouncer (transaction pooling): no prepared-statement cache")
    amqp_url: str | None = Field(None, description="RabbitMQ URL; unset: the in-process bus")
    bus_namespace: str = Field("autocirc", description="Prefix of exchange and queue names")
    bus_max_attempts: int = Field(5, description="Deliveries of one message before it is dead-lettered")
    bus_retry_base_seconds: float = Field(0.2, description="First retry back-off; doubles per attempt, with jitter")
    bus_prefetch: int = 16
    bus_batch: int = Field(200, ge=1, description="Most messages a batching consumer applies in one transaction")
    outbox_poll_seconds: float = 1.0
    outbox_batch: int = 200
    s3_endpoint: str | None = Field(None, description="S3/MinIO endpoint URL; unset: media in a local folder")
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "autocirc-media"
    s3_region: str = "us-east-1"
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwt_ttl_seconds: int = 3600
    captcha: str = Field("on", description="'off' skips captcha checks (tests only)")
    today: date | None = Field(None, description="Fixes 'today' for deadline rules (tests only)")
    admin_password: str | None = Field(None, description="Creates the admin account on first start")
    log_level: str = "INFO"
    smtp_host: str | None = Field(None, description="SMTP server for e-mail (password-reset codes, notifications)")
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = Field("autocirc@localhost", description="Sender address of the system's e-mail")
    sms_url: str | None = Field(None, description="SMS gateway: an HTTP endpoint taking POST {mobile, text}")

    @property
    def embedded_db(self) -> bool:
        return not self.database_url

    @property
    def public_key_path(self) -> Path:
        return self.jwt_public_key_file or self.data_dir / "keys" / "jwt_public.pem"

    @property
    def private_key_path(self) -> Path:
        return self.jwt_private_key_file or self.data_dir / "keys" / "jwt_private.pem"

    def today_date(self) -> date:
        """Today in China (``AUTOCIRC_TODAY`` pins it for tests)."""
        return self.today or china_today()
