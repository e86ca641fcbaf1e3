"""Reads behind the list routes: what each caller may see, searched by name or pinyin, paged."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import Select, or_, select

from ..domain.search import matches
from ..models import Brand, CarModel, Displacement, Manufacturer
from .search import search_clause


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


async def manufacturer_page(uow: UnitOfWork, principal: Principal, status: str | None, q: str | None,
                            params: PageParams) -> tuple[list[Manufacturer], int]:
    return await search_page(uow, Manufacturer, visible(Manufacturer, principal, status), q, params)


async def brand_page(uow: UnitOfWork, principal: Principal, status: str | None, q: str | None,
                     manufacturer_id: str | None, params: PageParams) -> tuple[list[Brand], int]:
    query = visible(Brand, principal, status)
    if manufacturer_id:
        query = query.where(Brand.manufacturers.any(Manufacturer.id == manufacturer_id))
    return await search_page(uow, Brand, query, q, params)


async def model_page(uow: UnitOfWork, principal: Principal, status: str | None, q: str | None,
                     manufacturer_id: str | None, brand_id: str | None, params: PageParams
                     ) -> tuple[list[CarModel], int]:
    query = visible(CarModel, principal, status)
    if manufacturer_id:
        query = query.where(CarModel.manufacturer_id == manufacturer_id)
    if brand_id:
        query = query.where(CarModel.brand_id == brand_id)
    return await search_page(uow, CarModel, query, q, params)


async def displacement_page(uow: UnitOfWork, principal: Principal, status: str | None, model_id: str | None,
                            params: PageParams) -> tuple[list[Displacement], int]:
    """Newest first; a non-admin sees approved displacements and its own, of models it may see."""
    query = select(Displacement).join(CarModel, Displacement.model_id == CarModel.id)
    if principal.kind != "admin":
        query = query.where(or_(Displacement.status == "approved", Displacement.proposed_by == principal.account_id),
                            or_(CarModel.status == "approved", CarModel.proposed_by == principal.account_id))
    if status:
        query = query.where(Displacement.status == status)
    if model_id:
        query = query.where(Displacement.model_id == model_id)
    return await paginate(uow.session, query.order_by(Displacement.created_at.desc(), Displacement.id), params)
