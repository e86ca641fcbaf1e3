"""FastAPI dependencies that give a route its service runtime and a unit of work."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import Request

from ..messaging.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from ..service import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def get_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    async with get_runtime(request).uow() as uow:
        yield uow
