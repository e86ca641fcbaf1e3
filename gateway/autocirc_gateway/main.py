"""Distributed mode: ``uvicorn --factory autocirc_gateway.main:create_app`` in front of
services reached over HTTP (URLs from AUTOCIRC_<SERVICE>_URL)."""
from __future__ import annotations

from .app import build_gateway
from .settings import SERVICES, GatewaySettings
from .upstreams import HttpUpstream, Upstream


def create_app(settings: GatewaySettings | None = None):
    settings = settings or GatewaySettings()
    upstreams: dict[str, Upstream] = {s: HttpUpstream(settings.service_url(s), settings.upstream_timeout_seconds) for s in SERVICES}
    return build_gateway(settings, upstreams)
