"""FastAPI dependencies that give a route its service runtime and a unit of work."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import Request

from ..auth.dependencies import admitted, credential_versions, verified_principal
from ..auth.tokens import Principal
from ..messaging.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from ..service import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def get_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    async with get_runtime(request).uow() as uow:
        yield uow


async def authorized_uow(request: Request) -> AsyncIterator[tuple[Principal, UnitOfWork]]:
    """``current_principal`` and ``get_uow`` as one dependency (a hot write route): the token checked the same
    way, its freshness read inside the unit of work's own transaction instead of a session of its own.
    Document the route's security with ``openapi_extra=BEARER_SECURITY``."""
    principal = verified_principal(request, request.headers.get("authorization"))
    async with get_runtime(request).uow() as uow:
        versions = credential_versions(request)
        valid_after = await versions.valid_after_us(principal.account_id, uow.session) if versions else None
        yield admitted(request, principal, valid_after), uow
