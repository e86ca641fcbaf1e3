"""HTTP adapter of :class:`PoliceClient`: signed JSON POST to ``{base}/filings`` or ``{base}/documents``.

Without ``AUTOCIRC_POLICE_URL`` it calls the bundled stub through ``httpx.ASGITransport`` on
media-sync's own app: the same requests, signatures and failure handling, but no port needed.
"""
from __future__ import annotations

import json
import logging

import httpx

from ..settings import DEV_POLICE_TOKEN, MediaSyncSettings
from . import PermanentDeliveryError, PoliceMessage, TransientDeliveryError
from .signing import Signer

log = logging.getLogger(__name__)

STUB_BASE_URL = "http://police-stub/stub/police"


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body.get("detail") or body.get("code") or "")[:200] if isinstance(body, dict) else ""
    except ValueError:
        return response.text[:200]


class HttpPoliceClient:
    def __init__(self, base_url: str, token: str, signer: Signer, *, timeout: float, max_connections: int = 10,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.token = token
        self.signer = signer
        self.client = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport,
                                        limits=httpx.Limits(max_connections=max_connections))

    async def deliver(self, message: PoliceMessage) -> str:
        body = json.dumps(message.payload(), ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": message.idempotency_key,
                   "Authorization": f"Bearer {self.token}", **self.signer.headers(body)}
        try:
            response = await self.client.post(message.path, content=body, headers=headers)
        except httpx.TimeoutException:
            raise TransientDeliveryError("公安接口响应超时") from None
        except httpx.TransportError as exc:
            raise TransientDeliveryError(f"无法连接公安接口：{exc.__class__.__name__}") from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise TransientDeliveryError(f"公安接口暂不可用（HTTP {status}）", retry_after=_retry_after(response))
        if status >= 400:
            raise PermanentDeliveryError(f"公安接口拒绝接收（HTTP {status}）：{_detail(response)}")
        try:
            return str(response.json()["receipt_id"])
        except (ValueError, KeyError, TypeError):
            raise TransientDeliveryError("公安接口应答中没有回执编号") from None

    async def aclose(self) -> None:
        await self.client.aclose()


def police_client_from_settings(settings: MediaSyncSettings, signer: Signer, stub_app=None) -> HttpPoliceClient:
    """The real endpoint when configured, else the stub served by ``stub_app`` in this process."""
    common = {"token": settings.police_token, "signer": signer,
              "timeout": settings.media_sync_timeout_seconds, "max_connections": settings.media_sync_concurrency}
    if settings.police_url:
        if settings.police_token == DEV_POLICE_TOKEN:
            log.warning("AUTOCIRC_POLICE_URL is set but the police token is the development default")
        return HttpPoliceClient(settings.police_url, **common)
    if stub_app is None:
        raise ValueError("without AUTOCIRC_POLICE_URL the bundled stub's app is needed")
    return HttpPoliceClient(STUB_BASE_URL, transport=httpx.ASGITransport(app=stub_app), **common)
