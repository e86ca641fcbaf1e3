"""Uploaded import workbooks hold buyers' ID numbers: they leave the blob store when their job ends.

A job that failed on cells keeps its upload for ``AUTOCIRC_IMPORT_ERRORS_KEEP_DAYS`` (its errors workbook is
built from it on download); every other ended job's upload is deleted at once. The worker deletes when a job
ends; a sweep (at start and every ``AUTOCIRC_IMPORT_SWEEP_SECONDS``) catches the rest — jobs ended by another
path or process, and kept uploads whose days are over. A deleted upload's job keeps ``blob_key`` empty.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, update

from ..models.imports import FAILED, SUCCEEDED, ImportJob

log = logging.getLogger(__name__)

GONE = ""  # blob_key of a job whose upload was deleted


def _ended(keep_until: datetime):
    """Jobs whose upload may go: succeeded, failed as a whole, or failed on cells longer ago than kept."""
    cell_errors = ImportJob.error_count > 0
    return and_(ImportJob.blob_key != GONE, or_(
        ImportJob.status == SUCCEEDED,
        and_(ImportJob.status == FAILED, or_(~cell_errors, ImportJob.finished_at < keep_until))))


async def delete_ended_uploads(runtime, job_id: str | None = None) -> int:
    """Delete the uploads of ended jobs (only ``job_id``'s when given); the number deleted."""
    from .import_jobs import blobs_of

    keep_until = datetime.now(UTC) - timedelta(days=runtime.settings.import_errors_keep_days)
    async with runtime.uow() as uow:
        query = select(ImportJob.id, ImportJob.blob_key).where(_ended(keep_until))
        if job_id is not None:
            query = query.where(ImportJob.id == job_id)
        rows = (await uow.session.execute(query)).all()
    deleted = 0
    for ident, key in rows:
        await blobs_of(runtime).delete(key)
        async with runtime.uow() as uow:
            await uow.session.execute(update(ImportJob).where(ImportJob.id == ident).values(blob_key=GONE))
            await uow.commit()
        deleted += 1
    if deleted:
        log.info("import uploads deleted: %d", deleted)
    return deleted


async def run_upload_sweeper(runtime) -> None:
    """ServiceRuntime background hook: sweep at start, then every ``import_sweep_seconds``."""
    while True:
        try:
            await delete_ended_uploads(runtime)
        except Exception as exc:  # the store or the database away: the next sweep tries again
            log.warning("import upload sweep failed: %s", exc)
        await asyncio.sleep(runtime.settings.import_sweep_seconds)
