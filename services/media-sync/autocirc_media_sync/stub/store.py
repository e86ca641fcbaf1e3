"""What the stub received, in media-sync's database (shared by replicas)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select, update

from ..models import StubCall, StubDocument, StubFiling
from ..models.sql import upsert_insert
from .schemas import PoliceDocumentIn, PoliceFilingIn, PoliceStubKeyStats, PoliceStubStats


def _now() -> datetime:
    return datetime.now(UTC)


async def count_request(uow: UnitOfWork, key: str, uscc: str | None, fault: bool) -> None:
    now = _now()
    stmt = upsert_insert(uow.db, StubCall).values(idempotency_key=key, uscc=uscc, requests=1, faults=int(fault),
                                                  replays=0, first_at=now, last_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["idempotency_key"], set_={
        "requests": StubCall.requests + 1, "faults": StubCall.faults + int(fault), "last_at": now})
    await uow.session.execute(stmt)


def _receipt_id() -> str:
    return f"GA{uuid.uuid4().hex[:20].upper()}"


async def _store_once(uow: UnitOfWork, model, key: str, values: dict, same) -> str:
    """The receipt for this key: a new one, or the one given the first time (a replay, counted);
    ``same(stored)`` tells whether a replay carries what was stored, else 409."""
    stmt = upsert_insert(uow.db, model).values(idempotency_key=key, receipt_id=_receipt_id(), received_at=_now(),
                                               **values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    created = (await uow.session.execute(stmt)).rowcount == 1
    stored = await uow.session.get(model, key)
    if not created:
        if not same(stored):
            raise AppError(409, "police.idempotency_conflict", "同一幂等键已用于另一份内容")
        await uow.session.execute(update(StubCall).where(StubCall.idempotency_key == key)
                                  .values(replays=StubCall.replays + 1))
    return stored.receipt_id


async def store_document(uow: UnitOfWork, key: str, doc: PoliceDocumentIn, size: int) -> str:
    return await _store_once(uow, StubDocument, key, {
        "uscc": doc.uscc, "name": doc.name, "kind": doc.kind, "sha256": doc.sha256,
        "content_type": doc.content_type, "size": size}, lambda stored: stored.sha256 == doc.sha256)


async def store_filing(uow: UnitOfWork, key: str, record: PoliceFilingIn, digest: str, key_id: str | None) -> str:
    return await _store_once(uow, StubFiling, key, {
        "uscc": record.uscc, "status": record.status, "filing_version": record.filing_version, "digest": digest,
        "body": record.model_dump(mode="json"), "key_id": key_id}, lambda stored: stored.digest == digest)


async def list_filings(uow: UnitOfWork, uscc: str | None, limit: int = 1000) -> list[StubFiling]:
    """The records accepted, oldest first (newest last)."""
    query = select(StubFiling).order_by(StubFiling.received_at, StubFiling.idempotency_key).limit(limit)
    if uscc:
        query = query.where(StubFiling.uscc == uscc)
    return list((await uow.session.scalars(query)).all())


async def list_documents(uow: UnitOfWork, uscc: str | None,
                         limit: int = 1000) -> tuple[list[StubDocument], set[str]]:
    """The documents received, oldest first, and the keys of the current ones: per enterprise and kind,
    the document received last (a replay under a known key changes nothing, like a real registry)."""
    query = select(StubDocument).order_by(StubDocument.received_at, StubDocument.idempotency_key).limit(limit)
    if uscc:
        query = query.where(StubDocument.uscc == uscc)
    stored = list((await uow.session.scalars(query)).all())
    newest = (select(StubDocument.uscc, StubDocument.kind, func.max(StubDocument.received_at).label("at"))
              .group_by(StubDocument.uscc, StubDocument.kind))
    if uscc:
        newest = newest.where(StubDocument.uscc == uscc)
    latest = {(r.uscc, r.kind): r.at for r in (await uow.session.execute(newest)).all()}
    current = {d.idempotency_key for d in stored if latest.get((d.uscc, d.kind)) == d.received_at}
    return stored, current


async def statistics(uow: UnitOfWork, uscc: str | None) -> PoliceStubStats:
    calls = select(StubCall).order_by(StubCall.first_at)
    docs, filings = select(StubDocument.idempotency_key), select(StubFiling.idempotency_key)
    if uscc:
        calls, docs = calls.where(StubCall.uscc == uscc), docs.where(StubDocument.uscc == uscc)
        filings = filings.where(StubFiling.uscc == uscc)
    images = set((await uow.session.scalars(docs)).all())
    records = set((await uow.session.scalars(filings)).all())
    keys = [PoliceStubKeyStats(idempotency_key=c.idempotency_key, uscc=c.uscc, requests=c.requests, faults=c.faults,
                               replays=c.replays, documents=int(c.idempotency_key in images | records))
            for c in (await uow.session.scalars(calls)).all()]
    return PoliceStubStats(total_requests=sum(k.requests for k in keys), total_faults=sum(k.faults for k in keys),
                           total_replays=sum(k.replays for k in keys), total_documents=len(images),
                           total_filings=len(records), keys=keys)
