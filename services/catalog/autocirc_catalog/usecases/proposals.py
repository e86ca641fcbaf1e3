"""Proposals (待审核): a manufacturer, a brand, a model, a displacement added to a model. Each is refused with
the existing entry (409 ``catalog.duplicate``) when it repeats one in force, and names only parents the proposer
may choose. The commit is part of the act: a concurrent proposal of the same name loses on the unique index."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.entries import litres_label, model_name_issue
from ..domain.normalise import model_key, name_key, same_entry
from ..models import Brand, CarModel, Displacement, Manufacturer
from .entries import new_brand, new_displacement, new_manufacturer, new_model
from .lists import may_see
from .review import STATUS_NAMES


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


async def propose_manufacturer(uow: UnitOfWork, principal: Principal, name: str, country: str,
                               brand_ids: Sequence[str]) -> Manufacturer:
    """A new manufacturer, linked to the existing brands it makes (for the others once the admin approves it)."""
    key = name_key(name)
    require_key(key)

    async def check() -> None:
        await ensure_new(uow, Manufacturer, key, "生产商")

    brands = list(dict.fromkeys([await choosable(uow, Brand, bid, principal, f"brand_ids.{i}", "品牌")
                                 for i, bid in enumerate(brand_ids)]))
    await check()
    manufacturer = new_manufacturer(name, country, principal.account_id)
    uow.session.add(manufacturer)
    for brand in brands:  # the link is in force for the others once the admin approves the manufacturer
        brand.manufacturers.append(manufacturer)
    await commit_new(uow, check)
    return manufacturer


async def propose_brand(uow: UnitOfWork, principal: Principal, name: str, manufacturer_ids: Sequence[str],
                        new_manufacturers: Sequence[tuple[str, str]]) -> Brand:
    """A new brand of existing manufacturers and/or new ones (``(name, country)``, proposed with it)."""
    if not manufacturer_ids and not new_manufacturers:
        raise field_errors(422, [FieldError(field="manufacturer_ids", code="catalog.manufacturer_required",
                                            message="品牌至少需要关联一个生产商（选择已有生产商或提交新生产商）")])
    key = name_key(name)
    require_key(key)
    new_keys: dict[str, tuple[str, str]] = {}
    for i, item in enumerate(new_manufacturers):
        mkey = name_key(item[0])
        require_key(mkey, f"new_manufacturers.{i}.name")
        new_keys.setdefault(mkey, item)
    chosen = list(dict.fromkeys([await choosable(uow, Manufacturer, mid, principal, f"manufacturer_ids.{i}", "生产商")
                                 for i, mid in enumerate(manufacturer_ids)]))

    async def check() -> None:
        await ensure_new(uow, Brand, key, "品牌")
        for mkey in new_keys:
            await ensure_new(uow, Manufacturer, mkey, "生产商")

    await check()
    created = [new_manufacturer(m_name, m_country, principal.account_id) for m_name, m_country in new_keys.values()]
    brand = new_brand(name, chosen + created, principal.account_id)
    uow.session.add(brand)
    await commit_new(uow, check)
    return brand


async def propose_model(uow: UnitOfWork, principal: Principal, brand_id: str, manufacturer_id: str, name: str,
                        litres: Sequence[float]) -> CarModel:
    """A new model of a brand and one of its manufacturers, with the displacements proposed with it."""
    brand = await choosable(uow, Brand, brand_id, principal, "brand_id", "品牌")
    manufacturer = await choosable(uow, Manufacturer, manufacturer_id, principal, "manufacturer_id", "生产商")
    if manufacturer not in brand.manufacturers:
        raise field_errors(422, [FieldError(field="manufacturer_id", code="catalog.not_brand_manufacturer",
                                            message=f"生产商“{manufacturer.name}”不是品牌“{brand.name}”的生产商")])
    key = model_key(name, brand.name)
    require_key(key)

    scope = (CarModel.manufacturer_id == manufacturer.id, CarModel.brand_id == brand.id)

    async def check() -> None:  # also runs after a rollback, when the ORM objects are expired
        await ensure_new(uow, CarModel, key, "车型", *scope)

    await check()  # a near-duplicate is named before the name's form is judged
    if issue := model_name_issue(name):
        raise field_errors(422, [issue])
    model = new_model(name, brand, manufacturer, list(litres), principal.account_id)
    uow.session.add(model)
    await commit_new(uow, check)
    return model


async def add_displacement(uow: UnitOfWork, principal: Principal, model_id: str, litres: float) -> Displacement:
    """A displacement for a model the caller may see: reviewed with the model while it is pending, on its own once
    the model is approved. One rejected before is proposed again (the same row back in the queue)."""
    model = await uow.session.get(CarModel, model_id)
    if model is None or not may_see(model, principal):
        raise not_found("车型")
    if model.status == "rejected":
        raise AppError(409, "catalog.state", "该车型已被驳回，不能添加排量")

    async def existing_one() -> Displacement | None:
        return await uow.session.scalar(
            select(Displacement).where(Displacement.model_id == model_id, Displacement.litres == litres))

    async def check() -> None:
        existing = await existing_one()
        if existing is not None and existing.status != "rejected":
            raise duplicate("排量", existing.id, litres_label(litres), existing.status)

    await check()
    displacement = await existing_one()
    if displacement is None:
        displacement = new_displacement(litres, principal.account_id)
        model.displacements.append(displacement)
    else:  # proposed again after a rejection: the same row goes back to the queue
        displacement.proposed_by, displacement.status, displacement.reject_reason = principal.account_id, "pending", None
        displacement.reviewed_by = displacement.reviewed_at = None
        displacement.created_at = datetime.now(UTC)
    await commit_new(uow, check)
    return displacement
