"""The machine API's batch entry (issue 14): up to 1,000 records, all or nothing, and a repeated
``Idempotency-Key`` answered exactly as the first time without storing anything again.

The key is kept per enterprise with a digest of the request body and the answer, in the same
transaction as the records: a request that failed left no key behind, and two concurrent requests
with one key meet on its primary key (the second waits, then replays the first one's answer).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from autocirc_shared.errors import AppError, FieldError
from autocirc_shared.events.transactions import MAX_SET_ITEMS
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy.exc import IntegrityError

from ..domain.checks import check_transaction
from ..domain.schemas import TransactionIn
from ..models.idempotency import IdempotentRequest
from .bulk_store import store_checked
from .checked_rows import checked_row
from .gate import EnterpriseContext
from .vehicle_lookup import warnings_for

MAX_RECORDS = MAX_SET_ITEMS
MAX_KEY_LENGTH = 200
SOURCE = "batch"


def key_of(header: str | None) -> str:
    key = (header or "").strip()
    if not key:
        raise AppError(422, "idempotency.key_required", "请在请求头 Idempotency-Key 中提供幂等键（每批数据一个唯一值）")
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise AppError(422, "idempotency.key_invalid", f"Idempotency-Key 应为不超过 {MAX_KEY_LENGTH} 个可见字符")
    return key


def request_digest(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def records_of(body: Any) -> list:
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise AppError(422, "field.required", "请求内容应为 {\"records\": [交易信息, ...]}",
                       [FieldError(field="records", code="field.required", message="请提供 records 列表")])
    if not 1 <= len(records) <= MAX_RECORDS:
        message = f"每批应有 1 至 {MAX_RECORDS} 条交易信息"
        raise AppError(422, "field.range", message, [FieldError(field="records", code="field.range", message=message)])
    return records


def check_records(records: Sequence[Any], today: date, read_only: frozenset[str]) -> list[TransactionIn]:
    """Every record checked with the single-entry rules; every error of every record at once, as
    ``records.{i}.{field}``."""
    checked, errors = [], []
    for index, payload in enumerate(records):
        if isinstance(payload, dict):  # a record as GET returns it may be sent back as it is
            payload = {k: v for k, v in payload.items() if k not in read_only}
        record, problems = check_transaction(payload, today=today)
        checked.append(record)
        errors += [FieldError(field=f"records.{index}.{e.field}", code=e.code, message=f"第 {index + 1} 条：{e.message}")
                   for e in problems]
    if errors:
        raise AppError(422, "records.invalid", f"有 {len({e.field.split('.')[1] for e in errors})} 条交易信息填写有误，"
                       "整批未保存，请按提示修改", errors)
    return checked


async def plausibility_warnings(uow: UnitOfWork, enterprise: EnterpriseContext,
                                records: Sequence[TransactionIn]) -> list[dict]:
    """The plausibility warnings of a batch (:func:`~.vehicle_lookup.warnings_for`: mileage decreased, the
    same VIN recorded by another enterprise on that day, the first purchase long before the first registration), ``[{"index", "field", "code", "message"}]``;
    warnings never refuse a record. Call it before storing: it judges against what was recorded before."""
    found = await warnings_for(uow, enterprise.enterprise_id, list(records))
    return [{"index": index, "field": f"records.{index}.{warning.field}", **warning.as_dict()}
            for index, warnings in enumerate(found) for warning in warnings]


async def replay(uow: UnitOfWork, enterprise_id: str, key: str, digest: str) -> IdempotentRequest | None:
    """The answer kept for ``key``, or None; a key reused with another body is refused."""
    kept = await uow.session.get(IdempotentRequest, (enterprise_id, key), populate_existing=True)
    if kept is not None and kept.request_sha256 != digest:
        raise AppError(422, "idempotency.mismatch", "该 Idempotency-Key 已用于另一批不同的数据，请为新的一批使用新的幂等键")
    return kept


def _duplicates(ids: Sequence[str | None]) -> AppError:
    errors = [FieldError(field=f"records.{i}.vehicle.vin", code="transactions.duplicate",
                         message=f"第 {i + 1} 条：本企业已录入过（或本批中已有）同一车辆识别代号、同一交易日期的交易信息")
              for i, stored in enumerate(ids) if stored is None]
    return AppError(422, "transactions.duplicate", "有重复的交易信息，整批未保存", errors)


async def store_batch(uow: UnitOfWork, enterprise: EnterpriseContext, records: Sequence[TransactionIn], *,
                      key: str, digest: str, actor: str, actor_name: str, today: date) -> IdempotentRequest:
    """Store all records (or none) and keep the answer under ``key``, in one transaction; commits."""
    kept = IdempotentRequest(enterprise_id=enterprise.enterprise_id, key=key, request_sha256=digest, status_code=201,
                             response={}, created_at=datetime.now(UTC))
    uow.session.add(kept)
    try:
        await uow.session.flush()  # takes the key first: a concurrent twin waits here
    except IntegrityError:
        await uow.rollback()
        twin = await replay(uow, enterprise.enterprise_id, key, digest)
        if twin is None:
            raise
        return twin
    warnings = await plausibility_warnings(uow, enterprise, records)
    ids = await store_checked(uow, enterprise, [checked_row(r) for r in records], actor=actor, actor_name=actor_name,
                              source=SOURCE, event_source=SOURCE, reported_on=today)
    if None in ids:
        raise _duplicates(ids)
    kept.response = {"ids": ids, "warnings": warnings}
    await uow.commit()
    return kept
