"""Bulk-import jobs (批量导入): one row per uploaded workbook, persisted so a job survives a restart.

The uploaded bytes live in the blob store under their content key (``blob_key``); a worker
claims a queued job, or a running one whose lease ran out (its process died), and renews the
lease while it works.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from . import TransactionsBase

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class ImportJob(TransactionsBase):
    __tablename__ = "import_jobs"
    __table_args__ = (
        Index("ix_import_jobs_enterprise_sha", "enterprise_id", "sha256"),
        Index("ix_import_jobs_due", "status", "lease_until"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    enterprise_id: Mapped[str] = mapped_column(String(36))
    principal: Mapped[dict] = mapped_column(JSON)  # who uploaded, as the token said: the worker acts as them
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    phase: Mapped[str] = mapped_column(String(16), default="queued")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    warnings: Mapped[list | None] = mapped_column(JSON)  # plausibility warnings of a stored import (vin, code...)
    warning_count: Mapped[int | None] = mapped_column(Integer)
    failure: Mapped[dict | None] = mapped_column(JSON)  # {"code","message"} when the file as a whole failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_id: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
