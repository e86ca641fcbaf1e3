"""Per-request / per-message context carried across await points, logs and the bus."""
from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"


def new_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str:
    """The id that ties an HTTP request to every event it causes (falls back to the request id)."""
    return correlation_id_var.get() or request_id_var.get() or new_id()
