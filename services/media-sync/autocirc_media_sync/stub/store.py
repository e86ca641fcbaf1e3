"""What the stub received, in media-sync's database (shared by replicas)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from autocirc_shared.errors import AppError
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from sqlalchemy import func, select, update

from ..models import StubCall, StubDocument
from ..models.sql import upsert_insert
from .schemas import PoliceDocumentIn, PoliceStubKeyStats, PoliceStubStats


def _now() -> datetime:
    return datetime.now(UTC)


async def count_request(uow: UnitOfWork, key: str, uscc: str | None, fault: bool) -> None:
    now = _now()
    stmt = upsert_insert(uow.db, StubCall).values(idempotency_key=key, uscc=uscc, requests=1, faults=int(fault),
                                                  replays=0, first_at=now, last_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["idempotency_key"], set_={
        "requests": StubCall.requests + 1, "faults": StubCall.faults + int(fault), "last_at": now})
    await uow.session.execute(stmt)


async def store_document(uow: UnitOfWork, key: str, doc: PoliceDocumentIn, size: int) -> str:
    """The receipt for this key: a new one, or the one given the first time (a replay)."""
    stmt = upsert_insert(uow.db, StubDocument).values(
        idempotency_key=key, receipt_id=f"GA{uuid.uuid4().hex[:20].upper()}", uscc=doc.uscc, name=doc.name,
        kind=doc.kind, sha256=doc.sha256, content_type=doc.content_type, size=size, received_at=_now(),
    ).on_conflict_do_nothing(index_elements=["idempotency_key"])
    created = (await uow.session.execute(stmt)).rowcount == 1
    stored = await uow.session.get(StubDocument, key)
    if not created:
        if stored.sha256 != doc.sha256:
            raise AppError(409, "police.idempotency_conflict", "同一幂等键已用于另一份影像")
        await uow.session.execute(update(StubCall).where(StubCall.idempotency_key == key)
                                  .values(replays=StubCall.replays + 1))
    return stored.receipt_id


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
    docs = select(StubDocument.idempotency_key)
    if uscc:
        calls, docs = calls.where(StubCall.uscc == uscc), docs.where(StubDocument.uscc == uscc)
    stored = set((await uow.session.scalars(docs)).all())
    keys = [PoliceStubKeyStats(idempotency_key=c.idempotency_key, uscc=c.uscc, requests=c.requests, faults=c.faults,
                               replays=c.replays, documents=int(c.idempotency_key in stored))
            for c in (await uow.session.scalars(calls)).all()]
    return PoliceStubStats(total_requests=sum(k.requests for k in keys), total_faults=sum(k.faults for k in keys),
                           total_replays=sum(k.replays for k in keys), total_documents=len(stored), keys=keys)
