"""The Excel side of transactions through the gateway on real PostgreSQL, RabbitMQ and S3:
template, background imports (all-or-nothing, progress, errors workbook, re-upload), export."""
from __future__ import annotations

import asyncio
import copy
import io
import uuid
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from autocirc_shared.blobs import content_key
from autocirc_transactions.excel.columns import headers
from autocirc_transactions.excel.convert import row_of
from autocirc_transactions.excel.template import template_bytes
from autocirc_transactions.models.imports import RUNNING, ImportJob
from autocirc_transactions.usecases.import_jobs import blobs_of, worker_of
from autocirc_transactions.usecases.import_pipeline import CHILD_STATS
from openpyxl import Workbook

from tests.support.api import bearer, login, make_uscc, register
from tests.support.flows import confirmed_enterprise, make_resident_id, make_vin, transaction_body

URL = "/api/v1/transactions"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = ("K33", "K32", "H31", "M22", "K31")


def record(i: int, prefix: str = "LSVAB2BM") -> dict:
    """A valid record, unique by VIN for each ``i`` (< 1,000,000)."""
    body = transaction_body(vehicle={"vin": make_vin(prefix, i), "plate_number": f"京A{i % 100000:05d}",
                                     "vehicle_type": TYPES[i % len(TYPES)], "usage_code": "A" if i % 3 else "D",
                                     "report_category": "suv" if i % 5 == 4 else None},
                            deal={"trade_date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "price": 30000 + i % 9000,
                                  "trade_type": "consignment" if i % 4 == 0 else "direct"})
    body["buyer"].update(name=f"买方{i}", id_number=make_resident_id(seq=i % 1000, birth=f"19{60 + i % 40}0101"))
    if i % 7 == 0:
        body["agent"] = {"name": "王五", "is_enterprise": True, "has_uscc": True, "uscc": make_uscc(),
                         "address": "北京市朝阳区", "mobile": "13700001111"}
    return body


def workbook(records: list[dict], patch: dict[int, dict[str, object]] | None = None) -> bytes:
    """A filled-in template (write-only, like a large clerk's file); ``patch``: row index → {header: value}."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("车辆交易信息")
    names = headers()
    ws.append(names)
    for index, item in enumerate(records):
        row = row_of(item)
        for header, value in (patch or {}).get(index, {}).items():
            row[names.index(header)] = value
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def upload(client, token: str, data: bytes, name: str = "车辆交易信息.xlsx"):
    return await client.post(f"{URL}/imports", headers=bearer(token), files={"file": (name, data, XLSX)})


async def finished(client, token: str, job_id: str, timeout: float = 240.0, seen: list | None = None) -> dict:
    """Polls the job until it ends; ``seen`` collects (status, processed_rows) along the way."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(f"{URL}/imports/{job_id}", headers=bearer(token))
        assert response.status_code == 200, response.text
        job = response.json()
        if seen is not None:
            seen.append((job["status"], job["processed_rows"]))
        if job["status"] in ("succeeded", "failed"):
            return job
        assert asyncio.get_running_loop().time() < deadline, f"import still {job['status']}"
        await asyncio.sleep(0.05)


async def imported(client, token: str, data: bytes) -> dict:
    response = await upload(client, token, data)
    assert response.status_code == 202, response.text
    return await finished(client, token, response.json()["job_id"])


async def total(client, token: str) -> int:
    response = await client.get(URL, params={"page_size": 1}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["total"]


@pytest.fixture(scope="module")
async def dealers(system):
    """Four confirmed used-car dealers, made before the big imports flood the bus with events:
    the main one, another tenant, and two that start empty (template, formulas)."""
    made = await asyncio.gather(*(confirmed_enterprise(system.client) for _ in range(4)))
    return dict(zip(("main", "other", "template", "formulas"), made, strict=True))


@pytest.fixture(scope="module")
def dealer(dealers):
    return dealers["main"]


async def test_template_has_headers_dropdowns_instructions_and_its_example_imports(system, dealers):
    client = system.client
    _, token = dealers["template"]
    response = await client.get(f"{URL}/import-template.xlsx", headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["车辆交易信息"]
    assert [c.value for c in ws[1]] == headers()
    assert {"买方单位/个人名称", "车架号/车辆识别代码", "车辆类型", "交易日期", "车价合计（小写，元）"} <= set(headers())
    assert len(ws.data_validations.dataValidation) >= 8 and "填写说明" in wb.sheetnames
    job = await imported(client, token, response.content)
    assert (job["status"], job["imported"], job["errors"]) == ("succeeded", 1, []), job
    assert await total(client, token) == 1


async def test_ten_thousand_rows_all_or_nothing_errors_workbook_reupload_and_export(system, dealer):
    client = system.client
    _, token = dealer
    before = await total(client, token)
    good = workbook([record(i) for i in range(10_000)])
    first = await upload(client, token, good)
    again = await upload(client, token, good)
    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"], "an identical file in flight gets its job back"
    seen: list = []
    job = await finished(client, token, first.json()["job_id"], seen=seen)
    assert (job["status"], job["total_rows"], job["processed_rows"], job["imported"]) == \
        ("succeeded", 10_000, 10_000, 10_000), job
    assert any(status == "running" and 0 < rows < 10_000 for status, rows in seen), \
        f"no progress seen while running: {sorted(set(seen))[:20]}"
    assert await total(client, token) == before + 10_000

    # a copy of the 10,000 rows (other vehicles) with two bad rows: the job fails, names both rows and
    # every bad cell, stores nothing
    fresh = [record(i, prefix="LFV3A23C") for i in range(10_000)]
    bad = workbook(fresh, patch={6: {"买方身份证号/证件号码": "110101199003071234", "买方单位/个人手机": "1234"},
                                 1500: {"车架号/车辆识别代码": "LSVAB2BMIHN00000", "交易日期": "2999-01-01",
                                        "车辆类型": "Z99 不存在"}})
    job = await imported(client, token, bad)
    assert job["status"] == "failed" and job["imported"] == 0, job
    cells = {(e["row"], e["column"], e["code"]) for e in job["errors"]}
    assert cells == {(8, "买方身份证号/证件号码", "id_number.checksum"), (8, "买方单位/个人手机", "mobile.format"),
                     (1502, "车架号/车辆识别代码", "vin.format"), (1502, "交易日期", "date.future"),
                     (1502, "车辆类型", "vehicle_type.unknown")}, job["errors"]
    assert all(e["message"] and e["cell"] for e in job["errors"])
    assert await total(client, token) == before + 10_000, "nothing of the failed file was stored"

    response = await client.get(f"{URL}/imports/{job['job_id']}/errors.xlsx", headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    marked = openpyxl.load_workbook(io.BytesIO(response.content))["车辆交易信息"]
    assert marked.max_row == 10_001 and marked.cell(1, len(headers()) + 1).value == "错误说明"
    for error in job["errors"]:
        cell = marked[error["cell"]]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE") and error["message"] in cell.comment.text
    assert "身份证" in marked.cell(8, len(headers()) + 1).value
    assert marked.cell(9, len(headers()) + 1).value is None and marked.cell(9, 1).comment is None

    # the same good file again, once the first job has finished: nothing doubles
    job = await imported(client, token, good)
    assert (job["status"], job["imported"], job["duplicates"]) == ("succeeded", 0, 10_000), job
    assert await total(client, token) == before + 10_000

    # export (same filters as the list) → import back: nothing new
    response = await client.get(f"{URL}/export.xlsx", params={"trade_from": "2024-01-01", "trade_to": "2024-12-31"},
                                headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"] == XLSX, response.text
    exported = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)["车辆交易信息"]
    rows = list(exported.iter_rows(values_only=True))
    assert list(rows[0]) == headers() and len(rows) == 1 + 10_000
    job = await imported(client, token, response.content)
    assert (job["status"], job["imported"], job["duplicates"], job["errors"]) == ("succeeded", 0, 10_000, []), job
    assert await total(client, token) == before + 10_000


async def test_a_bad_row_after_chunks_were_copied_in_leaves_nothing_stored(system, dealers):
    """On PostgreSQL the valid rows are copied in as they are checked: 2,600 good rows (two chunks copied, in
    the job's open transaction) and then a bad one, the file fails whole and nothing of it is visible."""
    client = system.client
    _, token = dealers["other"]
    before = await total(client, token)
    rows = [record(i, prefix="LHG6N27A") for i in range(3_000)]
    job = await imported(client, token, workbook(rows, patch={2_600: {"交易日期": "2999-01-01"}}))
    assert (job["status"], job["imported"], job["error_count"]) == ("failed", 0, 1), job
    assert [(e["row"], e["code"]) for e in job["errors"]] == [(2_602, "date.future")]
    assert await total(client, token) == before, "nothing of the failed file was stored"
    job = await imported(client, token, workbook(rows))  # the same rows, all good: stored whole
    assert (job["status"], job["imported"]) == ("succeeded", 3_000), job
    assert await total(client, token) == before + 3_000


async def test_jobs_belong_to_their_enterprise(system, dealers):
    client = system.client
    _, token = dealers["main"]
    job = await imported(client, token, workbook([record(i, prefix="LGBH52E0") for i in range(3)]))
    assert job["status"] == "succeeded"
    bad = await imported(client, token, workbook([record(9, prefix="LGBH52E0")], {0: {"交易日期": "2999-01-01"}}))
    assert bad["status"] == "failed"
    _, other = dealers["other"]
    for path in (job["job_id"], bad["job_id"], f"{bad['job_id']}/errors.xlsx", str(uuid.uuid4()), "x" * 80):
        response = await client.get(f"{URL}/imports/{path}", headers=bearer(other))
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    mine = await client.get(f"{URL}/imports", headers=bearer(token))
    assert {job["job_id"], bad["job_id"]} <= {j["job_id"] for j in mine.json()["items"]}
    assert (await client.get(f"{URL}/imports/{job['job_id']}/errors.xlsx", headers=bearer(token))).status_code == 409


async def test_refusals_over_http(system, dealer):
    client = system.client
    _, token = dealer
    checks = [
        (await upload(client, token, b"PK\x03\x04 not really a zip"), 415, "import.type"),
        (await upload(client, token, b"name,vin\n"), 415, "import.type"),
        (await upload(client, token, template_bytes(), name="宏.xlsm"), 415, "import.type"),
        (await client.post(f"{URL}/imports", headers=bearer(token), data={"x": "1"}), 422, "import.file_required"),
    ]
    wb = Workbook()
    wb.active.append(["车牌", "VIN"])
    buf = io.BytesIO()
    wb.save(buf)
    checks.append((await upload(client, token, buf.getvalue()), 422, "import.header"))
    for response, status, code in checks:
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
    newcomer = await register(client)
    response = await upload(client, await login(client, newcomer["uscc"]), template_bytes())
    assert (response.status_code, response.json()["code"]) == (403, "filing.not_confirmed")


async def test_formula_cells_are_stored_as_text_and_exported_neutralised(system, dealers):
    client = system.client
    _, token = dealers["formulas"]
    item = copy.deepcopy(record(1, prefix="LZWADAGA"))
    data = workbook([item], {0: {"买方单位/个人名称": "=HYPERLINK(\"http://x.example\",\"点我\")",
                                 "买方单位/个人住址": "@SUM(1+1)"}})
    job = await imported(client, token, data)
    assert job["status"] == "succeeded", job
    listed = (await client.get(URL, headers=bearer(token))).json()["items"][0]
    assert listed["buyer"]["name"].startswith("=HYPERLINK(") and listed["buyer"]["address"] == "@SUM(1+1)"
    response = await client.get(f"{URL}/export.xlsx", headers=bearer(token))
    row = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content))["车辆交易信息"][2]]
    assert row[0].startswith("'=HYPERLINK(") and "'@SUM(1+1)" in row
    again = await imported(client, token, response.content)
    assert (again["imported"], again["duplicates"]) == (0, 1), "the neutralised export still imports back"


async def test_an_abandoned_job_is_taken_over_after_its_lease(system, dealer):
    """A job whose worker died (running, lease expired) is claimed again and finishes whole."""
    client = system.client
    enterprise, token = dealer
    runtime = system.runtime("transactions")
    data = workbook([record(i, prefix="LBV8V3104") for i in range(5)])
    key, digest = content_key(data)
    await blobs_of(runtime).put(key, data, XLSX)
    principal = runtime.app.state.token_verifier.verify(token).model_dump(mode="json")
    job_id = str(uuid.uuid4())
    past = datetime.now(UTC) - timedelta(minutes=5)
    async with runtime.uow() as uow:
        uow.session.add(ImportJob(id=job_id, enterprise_id=enterprise["id"], principal=principal, filename="dead.xlsx",
                                  sha256=digest, blob_key=key, size=len(data), status=RUNNING, phase="storing",
                                  total_rows=5, processed_rows=5, imported=0, duplicates=0, error_count=0, errors=[],
                                  attempts=1, claim_id=str(uuid.uuid4()), lease_until=past, created_at=past,
                                  started_at=past))
        await uow.commit()
    worker_of(runtime).wake()
    job = await finished(client, token, job_id, timeout=30)
    assert (job["status"], job["imported"]) == ("succeeded", 5), job
    async with runtime.uow() as uow:
        row = await uow.session.get(ImportJob, job_id)
        assert row.attempts == 2 and row.claim_id is None


async def test_embedded_mode_imports_and_exports_on_sqlite(embedded):
    """The same import on SQLite and the in-process bus (``make run``): migration 0003, worker, export."""
    client = embedded.client
    _, token = await confirmed_enterprise(client)
    job = await imported(client, token, workbook([record(i, prefix="LDC6613B") for i in range(300)]))
    assert (job["status"], job["imported"]) == ("succeeded", 300), job
    response = await client.get(f"{URL}/export.xlsx", headers=bearer(token))
    assert response.status_code == 200, response.text
    again = await imported(client, token, response.content)
    assert (again["status"], again["imported"], again["duplicates"]) == ("succeeded", 0, 300), again


async def test_embedded_mode_checks_a_large_file_in_child_processes_then_stores_it_on_sqlite(embedded):
    """The reader and checker processes (from 10,000 rows; here from 100) feeding SQLite's spill and store pass:
    all stored, and with a bad row nothing."""
    client = embedded.client
    _, token = await confirmed_enterprise(client)
    worker = worker_of(embedded.runtime("transactions"))
    limits, worker.limits = worker.limits, worker.limits.model_copy(update={"parallel_rows": 100})
    runs = CHILD_STATS.runs  # one more for each file read to its end by the child processes
    try:
        records = [record(i, prefix="LDC6614B") for i in range(1_200)]
        bad = await imported(client, token, workbook(records, patch={1_100: {"车架号/车辆识别代码": ""}}))
        good = await imported(client, token, workbook(records))
    finally:
        worker.limits = limits
    assert (bad["status"], bad["imported"], [e["row"] for e in bad["errors"]]) == ("failed", 0, [1_102]), bad
    assert (good["status"], good["imported"], good["processed_rows"]) == ("succeeded", 1_200, 1_200), good
    assert await total(client, token) == 1_200 and CHILD_STATS.runs == runs + 2
