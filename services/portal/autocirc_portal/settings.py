from __future__ import annotations

from autocirc_shared.settings import CommonSettings
from pydantic import Field


class PortalSettings(CommonSettings):
    mail_poll_seconds: float = Field(1.0, gt=0, description="How often the notification mail outbox is looked at")
