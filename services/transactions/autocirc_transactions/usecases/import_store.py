"""An import's checked rows stored as they come, in the unit of work that ends the job.

``MAX_SET_ITEMS`` rows at a time: the chunk's plausibility warnings (against what the transaction sees of
its VINs), its records, audit entries and set event (:func:`~.bulk_store.store_checked`), the event to the
outbox. One chunk is stored at a time, in a task of its own, so that the next rows are checked (or read
back from the spill) while the server copies this one in. Nothing here commits.
"""
from __future__ import annotations

import asyncio
from datetime import date

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.events.transactions import MAX_SET_ITEMS
from autocirc_shared.messaging.unit_of_work import UnitOfWork

from .bulk_store import store_checked
from .checked_rows import CheckedRow
from .gate import EnterpriseContext
from .vehicle_lookup import import_warnings

SOURCE = "import"


async def settled(task: asyncio.Future) -> None:
    """Waits for a task no longer needed (its statements must end before the transaction does) and drops
    its outcome."""
    await asyncio.wait([task])
    if not task.cancelled():
        task.exception()


class ChunkStore:
    """Used as ``async with store:`` in the storing transaction: leaving it without :meth:`finish` abandons
    the storing (on an exception the chunk in flight is cancelled, see :meth:`abandon`)."""

    def __init__(self, uow: UnitOfWork, enterprise: EnterpriseContext, principal: Principal, today: date) -> None:
        self.uow, self.enterprise, self.principal, self.today = uow, enterprise, principal, today
        self.rows: list[CheckedRow] = []  # not a whole chunk yet
        self.task: asyncio.Future | None = None  # the chunk being stored
        self.imported = self.duplicates = 0
        self.warnings: list[dict] = []

    async def __aenter__(self) -> ChunkStore:
        return self

    async def __aexit__(self, kind, error, traceback) -> None:
        await self.abandon(cancel=kind is not None)  # nothing left to do after finish()

    async def add(self, checked: list[CheckedRow]) -> None:
        """Takes checked rows; each whole chunk among those taken so far starts storing (once the one before
        has been stored: a failure of that one is raised here)."""
        self.rows += checked
        while len(self.rows) >= MAX_SET_ITEMS:
            chunk, self.rows = self.rows[:MAX_SET_ITEMS], self.rows[MAX_SET_ITEMS:]
            await self._start(chunk)

    async def finish(self) -> None:
        """Stores what is left and waits until every chunk has been stored."""
        if self.rows:
            chunk, self.rows = self.rows, []
            await self._start(chunk)
        await self._wait()

    async def abandon(self, *, cancel: bool = False) -> None:
        """Stops storing: the import failed on a row (the chunk being stored finishes first) or stops on an error
        or a shutdown (``cancel``: the chunk is not waited for, say on a database that does not answer); nothing
        after :meth:`finish`. The caller's transaction is then rolled back."""
        self.rows = []
        if self.task is not None:
            task, self.task = self.task, None
            if cancel:
                task.cancel()
            await settled(task)

    async def _start(self, chunk: list[CheckedRow]) -> None:
        await self._wait()
        self.task = asyncio.ensure_future(self._store(chunk))

    async def _wait(self) -> None:
        if self.task is not None:
            task, self.task = self.task, None
            await task

    async def _store(self, chunk: list[CheckedRow]) -> None:
        self.warnings += await import_warnings(self.uow, self.enterprise.enterprise_id, chunk)
        ids = await store_checked(self.uow, self.enterprise, chunk, actor=self.principal.account_id,
                                  actor_name=self.principal.username, source=SOURCE, event_source="import",
                                  reported_on=self.today)
        stored = sum(1 for i in ids if i is not None)
        self.imported, self.duplicates = self.imported + stored, self.duplicates + len(ids) - stored
        await self.uow.flush_events()  # the chunk's set event goes to the outbox now: memory stays flat
