"""Workbook import: rows/s and peak memory, beside the bare reader measured in the same run.

Baseline: python-calamine loading the same file and iterating its rows (the reader DESIGN.md
measured; it holds the whole sheet in memory). Measured, each in a fresh process so peak memory
is its own:
  reader  our streaming reader alone (zip checks + SheetReader over every row);
  import  the whole job as the service runs it: upload checks, then read, convert and check_transaction
          every row (progress saved; from 10,000 rows on the reading and converting run in a child process:
          the peak is the largest sum of this process's and its children's PSS sampled every 20 ms) while
          the checked rows are copied in as they come (COPY of every record and its audit entry, one set
          event per 1,000 records, all in the one PostgreSQL transaction that ends the job), run by the real
          background worker, publishing to RabbitMQ. "checked" is the time until the last row was checked
          (the job's phase turns to storing), "then" the rest (the last chunk stored, the commit);
  fresh   seconds from the job's success until reports (a separate process consuming its RabbitMQ
          queue) has every imported record in its sums — what the report draft reads.
Each at N rows and N/5 rows, to show whether memory grows with the rows. Peak memory is the
child's VmHWM (Linux ru_maxrss would carry over the parent's peak across exec).

Usage: .venv/bin/python bench/bench_import.py [N]   (default 100000; needs PostgreSQL on 127.0.0.1)
The generated workbooks are cached under /tmp/autocirc-bench/.
"""
from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from autocirc_shared.memory import status_mib  # the standard library only: the baseline's memory stays its own

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("AUTOCIRC_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("AUTOCIRC_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
CACHE = Path(tempfile.gettempdir()) / "autocirc-bench"


def peak_mib() -> float:
    """This process's own peak RSS: VmHWM (ru_maxrss would include the parent's, inherited across exec)."""
    peak = status_mib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    return status_mib("VmRSS") or 0.0


def _pss_of(pid: int) -> float:
    """A process's proportional set size: its private pages plus its share of pages shared with others
    (a fork server and its child share their imported modules: RSS would count them twice)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int, skip: set[int]) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):  # each thread's children (the fork server is a thread's)
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    out = []
    for child in children:
        if child not in skip:
            out += [child, *_descendants(child, skip)]
    return out


class JobMemory:
    """Samples (every 100 ms) this process's PSS plus that of its child processes (the import's reader and
    checker and their fork server; not the bench's reports process): the whole import job's memory at once.
    Reading a process's smaps_rollup costs the kernel ~2.3 ms at 200 MiB: every 20 ms, as before 8 December,
    the sampler took a fifth of a core from the import it measured."""

    def __init__(self, skip: set[int]) -> None:
        import threading

        self.skip, self.peak, self.running = skip, 0.0, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while self.running:
            self.peak = max(self.peak, _pss_of(me) + sum(_pss_of(p) for p in _descendants(me, self.skip)))
            time.sleep(0.1)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak


def workbook_file(rows: int) -> Path:
    path = CACHE / f"import_{rows}.xlsx"
    if not path.exists():
        from tests.integration.test_transactions_excel import record, workbook

        CACHE.mkdir(exist_ok=True)
        started = time.perf_counter()
        path.write_bytes(workbook([record(i) for i in range(rows)]))
        print(f"  generated {path} ({path.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - started:.0f}s")
    return path


# children: each prints one JSON line {"seconds", "rows", "peak_mib", ...}
def child_calamine(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    started, rows = time.perf_counter(), 0
    with open(path, "rb") as f:
        for _ in CalamineWorkbook.from_filelike(f).get_sheet_by_index(0).iter_rows():
            rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows - 1}


def child_reader(path: Path) -> dict:
    from autocirc_transactions.excel.limits import ImportLimits
    from autocirc_transactions.excel.rows import UploadedSheet

    data = path.read_bytes()
    started = time.perf_counter()
    _, _, rows = UploadedSheet.check(data, ImportLimits()).open()
    count = sum(1 for _ in rows)
    return {"seconds": time.perf_counter() - started, "rows": count}


async def run_reports(prefix: str) -> None:
    """A reports process (its own database, consuming the bench namespace's queue) until killed."""
    from autocirc_reports.main import create_runtime
    from autocirc_reports.settings import ReportsSettings

    runtime = create_runtime(ReportsSettings(database_url=PG, database_prefix=prefix, amqp_url=AMQP,
                                             bus_namespace=prefix, data_dir=Path(tempfile.mkdtemp())))
    await runtime.start()
    await runtime.bus.wait_connected(60)
    print("ready", flush=True)
    await asyncio.Event().wait()


async def summed(prefix: str, enterprise_id: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(PG.rsplit("/", 1)[0] + f"/{prefix}_reports")
    try:
        return await conn.fetchval("SELECT coalesce(sum(count), 0) FROM transaction_sums WHERE enterprise_id = $1",
                                   enterprise_id)
    finally:
        await conn.close()


async def child_import(path: Path) -> dict:
    from autocirc_shared.auth.tokens import Principal
    from autocirc_shared.service import frozen_heap
    from autocirc_transactions.main import create_runtime
    from autocirc_transactions.models.imports import ImportJob
    from autocirc_transactions.models.transactions import EnterpriseGate
    from autocirc_transactions.settings import TransactionsSettings
    from autocirc_transactions.usecases.import_jobs import submit
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    prefix = f"bench{uuid.uuid4().hex[:8]}"
    reports = subprocess.Popen([sys.executable, __file__, "--reports", prefix], stdout=subprocess.PIPE, text=True,
                               cwd=ROOT)
    assert reports.stdout is not None and reports.stdout.readline().strip() == "ready", "reports did not start"
    settings = TransactionsSettings(database_url=PG, database_prefix=prefix, amqp_url=AMQP, bus_namespace=prefix,
                                    data_dir=Path(tempfile.mkdtemp(prefix="autocirc-bench-")), s3_endpoint=None)
    runtime = create_runtime(settings)
    await runtime.start()
    await runtime.bus.wait_connected(60)
    enterprise_id = str(uuid.uuid4())
    serving = frozen_heap()  # the collector's settings of a serving process (the service's lifespan sets them)
    serving.__enter__()
    try:
        async with runtime.uow() as uow:
            uow.session.add(EnterpriseGate(enterprise_id=enterprise_id, name="基准测试二手车公司", types=["used_car_dealer"],
                                           region_code="110101", region_as_of=datetime.now(UTC),
                                           confirmed_version=1))
            await uow.commit()
        principal = Principal(account_id=str(uuid.uuid4()), username="bench", kind="enterprise",
                              enterprise_id=enterprise_id, types=["used_car_dealer"], region_code="110101")
        data = path.read_bytes()
        base = rss_mib()
        memory = JobMemory(skip={reports.pid})
        started = time.perf_counter()
        async with runtime.uow() as uow:
            job_id = (await submit(runtime, uow, principal, path.name, data)).id
        validated_at = None
        while True:
            await asyncio.sleep(0.1)
            async with runtime.uow() as uow:
                job = await uow.session.get(ImportJob, job_id)
                status, phase, imported, problems = job.status, job.phase, job.imported, (job.failure, job.errors[:3])
            if validated_at is None and phase in ("storing", "succeeded"):
                validated_at = time.perf_counter()
            if status in ("succeeded", "failed"):
                break
        done = time.perf_counter()
        job_peak = memory.stop()
        assert status == "succeeded", problems
        while await summed(prefix, enterprise_id) < imported:
            await asyncio.sleep(0.1)
        fresh = time.perf_counter()
        from autocirc_transactions.usecases.import_pipeline import CHILD_STATS

        reader_peak, checker_peak = CHILD_STATS.last_peaks
        return {"seconds": done - started, "rows": imported, "validate_seconds": validated_at - started,
                "store_seconds": done - validated_at, "fresh_seconds": fresh - done, "reader_peak_mib": reader_peak,
                "checker_peak_mib": checker_peak, "base_mib": base, "job_peak_mib": job_peak}
    finally:
        serving.__exit__(None, None, None)
        await runtime.stop()
        reports.kill()
        reports.wait()
        engine = create_async_engine(PG.replace("postgresql://", "postgresql+asyncpg://"), isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            for service in ("transactions", "reports"):
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)'))
        await engine.dispose()
        from tests.support.system import delete_bus_objects

        await delete_bus_objects(AMQP, prefix)


def child(kind: str, path: Path) -> None:
    result = asyncio.run(child_import(path)) if kind == "import" else globals()[f"child_{kind}"](path)
    # the import's child processes (large files) and their fork server count too: the largest sum seen at once
    own = peak_mib()
    print(json.dumps({**result, "own_peak_mib": own, "peak_mib": max(own, result.get("job_peak_mib", 0))}))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                         cwd=ROOT, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(n: int) -> None:
    print(f"bench_import: {n:,} rows (and {n // 5:,}), 56 template columns")
    results: dict[tuple[str, int], dict] = {}
    for rows in (n // 5, n):
        path = workbook_file(rows)
        for kind in ("calamine", "reader", "import"):
            r = results[kind, rows] = measure(kind, path)
            extra = (f"  (checked {r['validate_seconds']:.1f}s, then {r['store_seconds']:.1f}s; "
                     f"draft reflects it {r['fresh_seconds']:.1f}s after; this process alone {r['own_peak_mib']:.0f} MiB, "
                     f"reader process {r['reader_peak_mib']:.0f} MiB, checker process {r['checker_peak_mib']:.0f} MiB)" if kind == "import" else "")
            print(f"  {kind:<8} {rows:>7,} rows: {r['seconds']:7.1f}s  {r['rows'] / r['seconds']:8,.0f} rows/s  "
                  f"peak {r['peak_mib']:6.0f} MiB{extra}")
    base, reader, full = results["calamine", n], results["reader", n], results["import", n]
    print("ratios at", f"{n:,} rows:")
    print(f"  import rows/s ÷ calamine read rows/s      {base['seconds'] / full['seconds']:.3f}")
    print(f"  streaming reader time ÷ calamine time      {reader['seconds'] / base['seconds']:.2f}")
    print(f"  peak memory: import ÷ calamine             {full['peak_mib'] / base['peak_mib']:.2f}")
    print(f"  peak memory: reader ÷ calamine             {reader['peak_mib'] / base['peak_mib']:.2f}")
    print(f"  import peak memory                         {full['peak_mib']:.0f} MiB (goal ≤ 300 MB)")
    print(f"  seconds until the draft reflects it        {full['fresh_seconds']:.1f} s (goal ≤ 10 s)")
    for kind in ("calamine", "reader", "import"):
        grow = results[kind, n]["peak_mib"] / results[kind, n // 5]["peak_mib"]
        print(f"  peak memory growth ×5 rows ({kind:<8})      {grow:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--reports":
        asyncio.run(run_reports(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
