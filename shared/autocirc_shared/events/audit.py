"""Events of the shared audit trail (``autocirc_shared.audit``): every service publishes them, identity reads them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from .base import Event


class AuditRecorded(Event):
    """One audited act, as the service that did it recorded it (already masked)."""

    NAME = "audit.recorded.v1"

    entry_id: str
    service: str
    at: datetime
    actor_id: str | None = None
    actor_name: str | None = Field(None, description="操作人用户名")
    actor_kind: str | None = None
    action: str = Field(description="操作代码，如 password.reset")
    subject: str | None = Field(None, description="对象，如 enterprise:<id>")
    region_code: str | None = Field(None, description="对象所属行政区划代码")
    details: dict[str, Any] = Field(default_factory=dict)
    request_id: str | None = None
