"""FastAPI dependencies that give a route its service runtime and a unit of work."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
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


def authorized(*, autocommit: bool = False) -> Callable[[Request], AsyncIterator[tuple[Principal, UnitOfWork]]]:
    """``current_principal`` and ``get_uow`` as one dependency (a hot write route): the token checked the same
    way, its freshness read inside the unit of work instead of a session of its own; ``autocommit`` as
    :class:`UnitOfWork` has it. Document the route's security with ``openapi_extra=BEARER_SECURITY``."""

    async def dependency(request: Request) -> AsyncIterator[tuple[Principal, UnitOfWork]]:
        principal = verified_principal(request, request.headers.get("authorization"))
        async with get_runtime(request).uow(autocommit=autocommit) as uow:
            versions = credential_versions(request)
            valid_after = await versions.valid_after_us(principal.account_id, uow.session) if versions else None
            yield admitted(request, principal, valid_after), uow

    return dependency


# a hot route whose writes are one statement (the single entry): no BEGIN/COMMIT round trips on PostgreSQL
authorized_single_statement_uow = authorized(autocommit=True)
