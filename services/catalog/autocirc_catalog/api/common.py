"""What every catalog route shares: visibility, search and paging, duplicates, choosing parents."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from fastapi import Query
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from ..domain.normalise import same_entry
from ..domain.search import matches
from ..usecases.review import STATUS_NAMES
from ..usecases.search import search_clause
from .schemas import CatalogDuplicate, Status

PROPOSAL_RESPONSES = {409: {"model": CatalogDuplicate, "description": "已存在相同或相近的条目（existing 为该条目）"},
                      422: {"description": "填写有误"}}


@dataclass
class ListQuery:
    q: str | None
    status: str | None


def list_query(q: str | None = Query(None, max_length=50, description="名称或拼音（全拼或首字母，如 byd）"),
               status: Status | None = Query(None, description="审核状态（管理员用 pending 查看待审核队列）"),
               ) -> ListQuery:
    return ListQuery(q, status)


def visible(table, principal: Principal, status: str | None = None) -> Select:
    """Non-admins see approved entries and their own proposals; the admin sees everything."""
    query = select(table)
    if principal.kind != "admin":
        query = query.where(or_(table.status == "approved", table.proposed_by == principal.account_id))
    if status:
        query = query.where(table.status == status)
    return query


def may_see(entry, principal: Principal) -> bool:
    return principal.kind == "admin" or entry.status == "approved" or entry.proposed_by == principal.account_id


async def search_page(uow: UnitOfWork, table, query: Select, q: str | None, params: PageParams) -> tuple[list, int]:
    """Ordered by pinyin; with ``q``, SQL narrows and :func:`matches` decides, so paging is done here."""
    query = query.order_by(table.pinyin, table.name, table.id)
    if not q or not q.strip():
        return await paginate(uow.session, query, params)
    rows = (await uow.session.scalars(query.where(search_clause(q, table.search_key, table.pinyin)))).all()
    found = [r for r in rows if matches(q, r.search_key, r.pinyin)]
    return found[params.offset: params.offset + params.page_size], len(found)


def duplicate(what: str, existing_id: str, name: str, status: str) -> AppError:
    return AppError(409, "catalog.duplicate", f"已存在相同或相近的{what}“{name}”（{STATUS_NAMES[status]}），请直接选用",
                    existing={"id": existing_id, "name": name, "status": status})


async def ensure_new(uow: UnitOfWork, table, key: str, what: str, *scope) -> None:
    """409 if an entry in scope that is not rejected has the same key, or a near one (:func:`same_entry`: Latin
    transliterations glued to the Chinese name). The exact key is also guarded by the unique index."""
    rows = (await uow.session.execute(
        select(table.id, table.name, table.status, table.name_key)
        .where(table.status != "rejected", *scope).order_by(table.created_at))).all()
    exact = [r for r in rows if r.name_key == key]
    for row in exact or [r for r in rows if same_entry(key, r.name_key)]:
        raise duplicate(what, row.id, row.name, row.status)


def require_key(key: str, field: str = "name") -> None:
    if not key:
        raise field_errors(422, [FieldError(field=field, code="catalog.name_invalid", message="请填写有效的名称")])


async def commit_new(uow: UnitOfWork, recheck: Callable[[], Awaitable[None]]) -> None:
    """Commit; a concurrent proposal of the same name loses on the unique index and gets the 409."""
    try:
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        await recheck()
        raise AppError(409, "catalog.duplicate", "已存在相同或相近的条目") from None


async def choosable(uow: UnitOfWork, table, entry_id: str, principal: Principal, field: str, what: str):
    """A parent a proposal may name: approved, or still pending and proposed by the caller (or the admin)."""
    entry = await uow.session.get(table, entry_id)
    if entry is None or entry.status == "rejected" or not may_see(entry, principal):
        raise field_errors(422, [FieldError(field=field, code="catalog.unavailable",
                                            message=f"{what}不存在或未审核通过")])
    return entry
