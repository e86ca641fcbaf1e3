"""``?page=&page_size=`` (max 200) → ``{"items","total","page","page_size"}`` for every list."""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

# The highest page anyone can ask for: keeps (page - 1) * page_size inside a 64-bit OFFSET (PostgreSQL and
# SQLite refuse larger ones with an error, which would be a 500) while allowing 200 million rows.
MAX_PAGE = 1_000_000


class PageParams(BaseModel):
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(page: int = Query(1, ge=1, le=MAX_PAGE, description="页码"),
                page_size: int = Query(20, ge=1, le=200, description="每页条数（最多200）")) -> PageParams:
    return PageParams(page=page, page_size=page_size)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="总条数")
    page: int
    page_size: int


async def paginate(session: AsyncSession, query: Select[*tuple[Any, ...]], params: PageParams, *,
                   scalars: bool = True) -> tuple[list[Any], int]:
    """One page of ``query`` and the total; ``scalars=False`` for queries selecting several entities (rows)."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = query.offset(params.offset).limit(params.page_size)
    rows = (await session.scalars(page)).all() if scalars else (await session.execute(page)).all()
    return list(rows), int(total or 0)
