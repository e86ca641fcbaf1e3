"""SMS through an HTTP gateway that takes ``POST {"mobile", "text"}`` (httpx)."""
from __future__ import annotations

import httpx

from .ports import OutboundError


class HttpSmsGateway:
    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url, self.timeout = url, timeout

    async def send(self, mobile: str, text: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(self.url, json={"mobile": mobile, "text": text})
        except httpx.HTTPError as exc:
            raise OutboundError(f"sms gateway: {exc!r}") from exc
        if response.status_code >= 300:
            raise OutboundError(f"sms gateway answered {response.status_code}")
