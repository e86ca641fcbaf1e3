"""The client's address as the gateway saw it, handed to the services in one header of the gateway's own.

The gateway drops any such header the client sent and sets it from the peer (or, behind a trusted proxy,
the right-most X-Forwarded-For entry), so a service reads an address nobody outside could choose.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.types import Scope

HEADER = b"x-autocirc-client"


def with_client_address(scope: Scope, address: str) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != HEADER]
    headers.append((HEADER, address.encode("latin-1", "replace")))
    return {**scope, "headers": headers}


def client_address(request: Request) -> str:
    """Behind the gateway, its word; called directly (tests, operators), the peer."""
    return request.headers.get(HEADER.decode()) or (request.client.host if request.client else "unknown")
