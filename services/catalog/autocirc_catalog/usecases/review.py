"""Review rules: what must be approved first, and the events an approval publishes; the admin's decisions on a
pending entry (in the caller's unit of work: the caller commits).

A displacement is reviewed with its model while the model is pending; one added to an approved model is
reviewed on its own and announced (``DisplacementAdded``) only once approved."""
from __future__ import annotations

from datetime import UTC, datetime
from functools import singledispatch

from autocirc_shared.errors import AppError, not_found
from autocirc_shared.events.base import Event
from autocirc_shared.events.catalog import BrandApproved, DisplacementAdded, ManufacturerApproved, ModelApproved
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select

from ..models import Brand, CarModel, Displacement, Manufacturer
from ..models.tables import Reviewable, brand_manufacturers

STATUS_NAMES = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回"}


@singledispatch
def approval_blocker(entry: Reviewable) -> str | None:
    """Why ``entry`` cannot be approved yet (Chinese), or None."""
    return None


@approval_blocker.register
def _(entry: Brand) -> str | None:
    pending = [m.name for m in entry.manufacturers if m.status == "pending"]
    if pending:
        return f"请先审核该品牌的生产商“{'、'.join(pending)}”"
    if not any(m.status == "approved" for m in entry.manufacturers):
        return "该品牌没有已审核通过的生产商，无法通过"
    return None


@approval_blocker.register
def _(entry: CarModel) -> str | None:
    for label, parent in (("品牌", entry.brand), ("生产商", entry.manufacturer)):
        if parent.status != "approved":
            return f"请先审核该车型的{label}“{parent.name}”（当前状态：{STATUS_NAMES[parent.status]}）"
    if not active_displacements(entry):  # the seed: 添加车型同时必须添加对应排量 — a model without one cannot be reported
        return "该车型尚未添加排量，添加车型时必须同时添加对应排量（新能源车型排量填0）"
    return None


@approval_blocker.register
def _(entry: Displacement) -> str | None:
    if entry.model.status != "approved":
        return f"该排量所属车型“{entry.model.name}”尚未审核通过（当前状态：{STATUS_NAMES[entry.model.status]}），请审核车型，其排量随车型一并通过"
    return None


def active_displacements(model: CarModel) -> list[Displacement]:
    return [d for d in model.displacements if d.status != "rejected"]


def _decide(entry, status: str, reviewer: str | None, now: datetime, reason: str | None = None) -> None:
    entry.status, entry.reviewed_by, entry.reviewed_at, entry.reject_reason = status, reviewer, now, reason


def approve(entry, reviewer: str | None, now: datetime) -> list[Event]:
    _decide(entry, "approved", reviewer, now)
    if isinstance(entry, CarModel):  # the displacements proposed with a model are approved with it
        for displacement in entry.displacements:
            if displacement.status == "pending":
                _decide(displacement, "approved", reviewer, now)
    return approval_events(entry, now)


def reject(entry, reviewer: str, reason: str, now: datetime) -> None:
    _decide(entry, "rejected", reviewer, now, reason)


@singledispatch
def approval_events(entry: Reviewable, now: datetime) -> list[Event]:
    raise TypeError(f"not a reviewed entry: {entry!r}")


@approval_events.register
def _(entry: Manufacturer, now: datetime) -> list[Event]:
    return [ManufacturerApproved(manufacturer_id=entry.id, name=entry.name, country=entry.country, approved_at=now)]


@approval_events.register
def _(entry: Brand, now: datetime) -> list[Event]:
    ids = [m.id for m in entry.manufacturers if m.status == "approved"]
    return [BrandApproved(brand_id=entry.id, name=entry.name, manufacturer_ids=ids, approved_at=now)]


@approval_events.register
def _(entry: CarModel, now: datetime) -> list[Event]:
    displacements = [d for d in entry.displacements if d.status == "approved"]
    approved = ModelApproved(model_id=entry.id, name=entry.name, brand_id=entry.brand_id,
                             manufacturer_id=entry.manufacturer_id,
                             displacements=[d.litres for d in displacements], approved_at=now)
    return [approved, *(displacement_added(entry, d, now) for d in displacements)]


@approval_events.register
def _(entry: Displacement, now: datetime) -> list[Event]:
    return [displacement_added(entry.model, entry, now)]


def displacement_added(model: CarModel, displacement: Displacement, now: datetime) -> DisplacementAdded:
    return DisplacementAdded(displacement_id=displacement.id, model_id=model.id, litres=displacement.litres,
                             added_at=now)


async def pending_entry(uow: UnitOfWork, table, entry_id: str, what: str):
    """The entry, locked, if it awaits review (404 if there is none, 409 ``catalog.state`` if decided)."""
    entry = await uow.get_for_update(table, entry_id)
    if entry is None:
        raise not_found(what)
    if entry.status != "pending":
        raise AppError(409, "catalog.state", f"该{what}不是待审核状态（当前状态：{STATUS_NAMES[entry.status]}）")
    return entry


async def brands_of(uow: UnitOfWork, manufacturer_id: str) -> list[Brand]:
    link = brand_manufacturers.c
    return list((await uow.session.scalars(select(Brand).join(brand_manufacturers, link.brand_id == Brand.id)
                                           .where(link.manufacturer_id == manufacturer_id))).all())


async def approve_pending(uow: UnitOfWork, table, entry_id: str, what: str, reviewer: str | None):
    """Approve a pending entry and emit its approval events (409 ``catalog.state`` while a parent awaits review)."""
    entry = await pending_entry(uow, table, entry_id, what)
    if blocker := approval_blocker(entry):
        raise AppError(409, "catalog.state", blocker)
    now = datetime.now(UTC)
    events = approve(entry, reviewer, now)
    if table is Manufacturer:  # proposed under approved brands: they are announced again with it
        events += [e for brand in await brands_of(uow, entry.id) if brand.status == "approved"
                   for e in approval_events(brand, now)]
    for event in events:
        uow.emit(event)
    return entry


async def reject_pending(uow: UnitOfWork, table, entry_id: str, what: str, reviewer: str, reason: str):
    entry = await pending_entry(uow, table, entry_id, what)
    reject(entry, reviewer, reason, datetime.now(UTC))
    return entry
