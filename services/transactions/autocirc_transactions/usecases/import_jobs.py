"""Bulk-import jobs (批量导入): accepted by the API, run by a background worker in any replica.

- Submit: the file is checked first (type, macros, size, zip bomb, DTDs, header, row count);
  its bytes go to the blob store under their content key and a ``queued`` job row is written.
  Re-upload: an identical file (same sha256) from the same enterprise while its job is still
  queued or running gets that job back (double clicks do no double work); once the job has
  finished, uploading it again runs again, and the duplicate rule (same VIN and trade date are
  never stored twice) keeps the records from doubling; the new job reports them as duplicates.
- Claim: a worker takes the oldest queued job, or a running one whose lease has run out (its
  process died), with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and holds it under a lease
  (``claim_id`` + ``lease_until``) renewed with every progress update. A job is tried at most
  ``max_attempts`` times. A worker that loses its lease stops without writing anything.
- Run: every row is checked with the single-entry rules (a large file read and checked in two child processes,
  :mod:`.import_pipeline`, while this one stores); progress (``processed_rows``) is saved in short
  transactions. Any bad cell → ``failed`` with every bad cell, nothing stored. The valid rows are stored in
  ONE transaction that also marks the job ``succeeded`` (``ChunkStore``: COPY on PostgreSQL, one set event
  per chunk of up to 1,000 records), so a crash rolls everything back: an import finishes or fails whole,
  never half. On PostgreSQL that transaction is open from the start and each chunk is copied in while the
  next rows are checked (the server works on another core); a bad row stops the storing and the transaction
  is rolled back. On SQLite (embedded: one process, one writer) the rows are spilled to a file and stored
  after the last one is checked, since a write transaction that long would hold up the progress updates.
  At the end the job's row is locked (no other worker can claim it meanwhile) and must still be this
  worker's: one that lost its lease rolls back.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import IO

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.blobs import BlobNotFound, BlobStore, blob_store_from_settings, content_key
from autocirc_shared.errors import AppError, not_found
from autocirc_shared.events.transactions import MAX_SET_ITEMS
from autocirc_shared.web.pagination import PageParams, paginate
from sqlalchemy import and_, or_, select, update

from ..excel.limits import ImportLimits, import_limits
from ..excel.rows import UploadedSheet
from ..excel.writing import XLSX
from ..models.imports import FAILED, QUEUED, RUNNING, SUCCEEDED, ImportJob
from .checked_rows import CheckedRow
from .gate import ensure_enterprise, require_confirmed_enterprise
from .import_pipeline import CheckedStream, warm_children
from .import_rows import ChunkResult, RowChecker, check_chunk, read_spilled, spill_rows, spilled_rows
from .import_store import ChunkStore
from .upload_retention import delete_ended_uploads

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 0.5
RETRY_SECONDS = 5
RELEASE_SECONDS = 5  # at shutdown, how long handing a job back may take
WARM_BYTES = 1 << 20  # from this upload size on, the child processes' fork server is started at once (a
# 10,000-row template file is ~1.5 MB): it took 0.5 s to start, which the upload's own checks now hide


def children_help(limits: ImportLimits) -> bool:
    """Whether a large file is read and checked in child processes (:mod:`.import_pipeline`): enabled, more
    than one core, and a fork server to make them (not on Windows)."""
    return (limits.parallel_rows > 0 and (os.cpu_count() or 1) > 1
            and "forkserver" in multiprocessing.get_all_start_methods())


class LeaseLost(Exception):
    """Another worker holds the job now (this one was too slow or was thought dead)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def blobs_of(runtime) -> BlobStore:
    state = runtime.app.state
    if getattr(state, "blobs", None) is None:
        state.blobs = blob_store_from_settings(runtime.settings)
    return state.blobs


def worker_of(runtime) -> ImportWorker:
    state = runtime.app.state
    if getattr(state, "import_worker", None) is None:
        state.import_worker = ImportWorker(runtime)
    return state.import_worker


async def release_connection(uow) -> None:
    """Ends the unit of work's transaction so that no connection is held while an upload arrives."""
    await uow.session.rollback()


async def own_job(uow, principal: Principal, job_id: str) -> ImportJob:
    """The enterprise's own job, else 404 (another enterprise's job is not told apart from a missing one)."""
    job = await uow.session.get(ImportJob, job_id) if len(job_id) <= 36 else None
    if job is None or job.enterprise_id != ensure_enterprise(principal):
        raise not_found("导入任务")
    return job


async def enterprise_jobs(uow, principal: Principal, params: PageParams) -> tuple[list[ImportJob], int]:
    """A page of the enterprise's jobs, newest first, and their total."""
    query = (select(ImportJob).where(ImportJob.enterprise_id == ensure_enterprise(principal))
             .order_by(ImportJob.created_at.desc(), ImportJob.id))
    return await paginate(uow.session, query, params)


async def submit(runtime, uow, principal: Principal, filename: str, data: bytes) -> ImportJob:
    """Checks and stores an upload as a queued job (or returns the identical one still in flight)."""
    enterprise = await require_confirmed_enterprise(uow, principal)
    await uow.session.rollback()  # hold no connection while the file is checked
    limits = import_limits()
    if len(data) >= WARM_BYTES and children_help(limits):  # their fork server starts while the file is checked
        asyncio.get_running_loop().run_in_executor(None, warm_children)
    sheet = await asyncio.to_thread(UploadedSheet.check, data, limits)
    _, digest = content_key(data)
    key = f"imports/{uuid.uuid4()}"  # one per job: an upload is deleted when its job ends (upload_retention)
    in_flight = await uow.session.scalar(
        select(ImportJob).where(ImportJob.enterprise_id == enterprise.enterprise_id, ImportJob.sha256 == digest,
                                ImportJob.status.in_((QUEUED, RUNNING)))
        .order_by(ImportJob.created_at.desc()).limit(1))
    if in_flight is not None:
        return in_flight
    await blobs_of(runtime).put(key, data, XLSX)
    job = ImportJob(enterprise_id=enterprise.enterprise_id, principal=principal.model_dump(mode="json"),
                    filename=(filename or "upload.xlsx")[:255], sha256=digest, blob_key=key, size=len(data),
                    status=QUEUED, phase=QUEUED, total_rows=sheet.parts.data_rows, processed_rows=0, imported=0,
                    duplicates=0, error_count=0, errors=[], attempts=0, created_at=utcnow())
    uow.session.add(job)
    await uow.commit()
    worker_of(runtime).wake()
    return job


class ImportWorker:
    """One per process: claims a job, runs it, and looks again (woken at once by a new upload)."""

    def __init__(self, runtime, limits: ImportLimits | None = None) -> None:
        self.runtime = runtime
        self.limits = limits or import_limits()
        self.lease = timedelta(seconds=self.limits.lease_seconds)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                job = await self.claim()
            except Exception as exc:  # database away: try again after the poll interval
                log.warning("import worker: claiming failed: %s", exc)
                job = None
            if job is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.limits.poll_seconds)
                continue
            await self.run_claimed(job)

    async def run_claimed(self, job: ImportJob) -> None:
        try:
            await self.execute(job)
            await forget_upload(self.runtime, job.id)
        except LeaseLost:
            log.info("import %s: lease lost, another worker has it", job.id)
        except asyncio.CancelledError:  # shutting down: hand the job back at once instead of at lease expiry
            with contextlib.suppress(Exception):  # bounded: if the database is busy, the lease expiry does it
                await asyncio.wait_for(asyncio.shield(self._release(job)), RELEASE_SECONDS)
            raise
        except Exception:
            log.exception("import %s failed unexpectedly; retried in %ss (attempt %d of %d)", job.id,
                          RETRY_SECONDS, job.attempts, self.limits.max_attempts)
            with contextlib.suppress(Exception):  # else the lease runs out and the job is retried then
                await self._update(job, lease_until=utcnow() + timedelta(seconds=RETRY_SECONDS))

    # claiming and lease
    async def claim(self) -> ImportJob | None:
        async with self.runtime.uow() as uow:
            now = utcnow()
            query = (select(ImportJob)
                     .where(or_(ImportJob.status == QUEUED,
                                and_(ImportJob.status == RUNNING, ImportJob.lease_until < now)))
                     .order_by(ImportJob.created_at).limit(1))
            if uow.db.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            job = await uow.session.scalar(query)
            if job is None:
                return None
            if job.attempts >= self.limits.max_attempts:
                _finish(job, FAILED, failure={"code": "import.interrupted", "message": "导入多次中断未能完成，请重新上传"})
                await uow.commit()
                self.wake()  # look for the next job straight away
                return None
            job.status, job.phase, job.attempts = RUNNING, "validating", job.attempts + 1
            job.claim_id, job.lease_until = str(uuid.uuid4()), now + self.lease
            job.started_at, job.processed_rows = job.started_at or now, 0
            await uow.commit()
            return job

    async def _update(self, job: ImportJob, **values) -> None:
        """A short transaction on the job row, only while this worker holds the claim; renews the lease
        unless ``lease_until`` is given."""
        values.setdefault("lease_until", utcnow() + self.lease)
        async with self.runtime.uow() as uow:
            result = await uow.session.execute(
                update(ImportJob).where(ImportJob.id == job.id, ImportJob.claim_id == job.claim_id).values(**values))
            await uow.commit()
        if result.rowcount == 0:
            raise LeaseLost(job.id)

    async def _release(self, job: ImportJob) -> None:
        await self._update(job, status=QUEUED, phase=QUEUED, claim_id=None, lease_until=None,
                           attempts=max(job.attempts - 1, 0))

    async def _fail(self, job: ImportJob, *, errors: list[dict] | None = None, error_count: int = 0,
                    failure: dict | None = None, **values) -> None:
        await self._update(job, status=FAILED, phase=FAILED, errors=errors or [], error_count=error_count,
                           failure=failure, claim_id=None, lease_until=None, finished_at=utcnow(), **values)

    # running
    async def execute(self, job: ImportJob) -> None:
        """Both passes; a problem with the file or the enterprise as a whole fails the job at once."""
        parallel = children_help(self.limits) and self.limits.parallel_rows <= job.total_rows
        if parallel:  # the children's fork server starts (unless the upload started it) while the file is checked again
            asyncio.get_running_loop().run_in_executor(None, warm_children)
        try:
            data = await blobs_of(self.runtime).get(job.blob_key)
            sheet = await asyncio.to_thread(self._checked_again, job, data)
            _, layout, rows = await asyncio.to_thread(sheet.open)
            checker = RowChecker(layout, self.runtime.settings.today_date())
            stream = CheckedStream(sheet, checker) if parallel else None
            chunks = stream.next_chunk if stream is not None else partial(check_chunk, checker, rows)
            principal = Principal.model_validate(job.principal)
            try:
                if self.runtime.db.dialect == "postgresql":
                    await self._check_and_store(job, principal, checker, chunks)
                else:
                    with tempfile.TemporaryFile(prefix="autocirc-import-") as spill:
                        async def keep(checked: list[CheckedRow]) -> None:
                            await asyncio.to_thread(spill_rows, spill, checked)

                        if await self._check_rows(job, chunks, keep) is not None:
                            if stream is not None:
                                stream.close()  # the children's memory back before the store pass
                            spill.seek(0)
                            await self._store_spilled(job, principal, spill, checker)
            finally:
                if stream is not None:
                    stream.close()
        except BlobNotFound:
            await self._fail(job, failure={"code": "import.file_missing", "message": "上传的文件已不存在，请重新上传"})
        except AppError as exc:  # unreadable part found mid-file, filing no longer allows entry...
            await self._fail(job, failure={"code": exc.code, "message": exc.detail})

    def _checked_again(self, job: ImportJob, data: bytes) -> UploadedSheet:
        """The stored upload checked as at submission; when its bytes are the ones submitted (same sha256), their
        row count is the job's and the sheet is not scanned for it again (0.7 s of CPU at 100,000 rows)."""
        same = content_key(data)[1] == job.sha256
        return UploadedSheet.check(data, self.limits, data_rows=job.total_rows if same else None)

    async def _check_rows(self, job: ImportJob, chunks: Callable[[int, bool], ChunkResult],
                          keep: Callable[[list[CheckedRow]], Awaitable[None]]) -> int | None:
        """Pass 1: every row checked (``chunks(limit, keep)``: :func:`check_chunk` here or
        :meth:`CheckedStream.next_chunk`), the valid ones handed to ``keep`` a chunk at a time until a bad one is
        found; the number of rows when all are valid, None when the job failed."""
        processed, error_count, errors = 0, 0, []
        loop = asyncio.get_running_loop()
        beat = loop.time()
        done = False
        while not done:
            chunk = await asyncio.to_thread(chunks, self.limits.chunk_rows, not error_count)
            processed += chunk.rows
            error_count += len(chunk.errors)
            errors += chunk.errors[:max(self.limits.max_listed_errors - len(errors), 0)]
            done = chunk.done
            if chunk.checked and not error_count:
                await keep(chunk.checked)
            if not done and loop.time() - beat >= HEARTBEAT_SECONDS:
                await self._update(job, processed_rows=processed, total_rows=max(job.total_rows, processed))
                beat = loop.time()
        if error_count:
            await self._fail(job, errors=errors, error_count=error_count, processed_rows=processed,
                             total_rows=processed)
            return None
        await self._update(job, phase="storing", processed_rows=processed, total_rows=processed)
        return processed

    async def _check_and_store(self, job: ImportJob, principal: Principal, checker: RowChecker,
                               chunks: Callable[[int, bool], ChunkResult]) -> None:
        """PostgreSQL: pass 1 with each chunk of valid rows copied in while the next rows are checked (the server
        works on another core meanwhile: storing no longer waits for the end of pass 1), all in the transaction
        that marks the job succeeded. A bad row stops the storing, and the transaction is rolled back."""
        async with self.runtime.uow() as uow:
            store = ChunkStore(uow, await require_confirmed_enterprise(uow, principal), principal, checker.today)
            async with store:
                if await self._check_rows(job, chunks, store.add) is None:
                    return
                await store.finish()
            await self._succeed(uow, job, principal, store)

    async def _store_spilled(self, job: ImportJob, principal: Principal, spill: IO[bytes],
                             checker: RowChecker) -> None:
        """SQLite (one writer: a transaction as long as pass 1 would hold up the job's progress updates): pass 2,
        the spilled rows stored after pass 1, in the transaction that marks the job succeeded."""
        async with self.runtime.uow() as uow:
            store = ChunkStore(uow, await require_confirmed_enterprise(uow, principal), principal, checker.today)
            rows = spilled_rows(spill)
            async with store:
                while checked := await asyncio.to_thread(read_spilled, rows, MAX_SET_ITEMS):
                    await store.add(checked)
                await store.finish()
            await self._succeed(uow, job, principal, store)

    async def _succeed(self, uow, job: ImportJob, principal: Principal, store: ChunkStore) -> None:
        """Ends the storing transaction: the job's row locked (no other worker can claim it now) and still this
        worker's, the enterprise still allowed to enter sales, the job succeeded, one commit."""
        locked = await uow.session.get(ImportJob, job.id, with_for_update=True, populate_existing=True)
        if locked is None or locked.claim_id != job.claim_id:
            raise LeaseLost(job.id)
        await require_confirmed_enterprise(uow, principal)
        _finish(locked, SUCCEEDED, imported=store.imported, duplicates=store.duplicates,
                warning_count=len(store.warnings), warnings=store.warnings[:self.limits.max_listed_errors])
        await uow.commit()
        log.info("import %s: %d stored, %d duplicates skipped", job.id, store.imported, store.duplicates)


async def forget_upload(runtime, job_id: str) -> None:
    """The ended job's upload leaves the store now (a failed one on cells: after its keep days, by the sweep)."""
    try:
        await delete_ended_uploads(runtime, job_id)
    except Exception as exc:  # the sweep tries again
        log.warning("import %s: upload not deleted yet: %s", job_id, exc)


def _finish(job: ImportJob, status: str, **values) -> None:
    job.status = job.phase = status
    job.claim_id, job.lease_until, job.finished_at = None, None, utcnow()
    for name, value in values.items():
        setattr(job, name, value)


async def run_import_worker(runtime) -> None:
    """ServiceRuntime background hook: the import worker, until the runtime stops."""
    await worker_of(runtime).run()
