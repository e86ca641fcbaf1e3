"""Workbook attacks over HTTP (RELIABILITY.md scenario 14) and formula neutralisation in every export.

tests/unit/test_excel_safety.py proves the checks one by one on the reader; tests/integration covers .xlsm,
fake zips and formulas through the transactions import. Here the bombs travel the whole way (gateway →
service) and must be refused within seconds with nothing stored; and the three exports (transactions,
filing, statistics) must never hand Excel a cell that starts with = + - @ tab CR or NUL.
"""
from __future__ import annotations

import asyncio
import io
import random
import re
import time
import zipfile

import openpyxl
import pytest
from autocirc_transactions.excel.template import template_bytes

from tests.integration.test_filing import FILING
from tests.support.api import bearer, login, make_uscc, register
from tests.support.flows import make_vin, transaction_body
from tests.unit import test_excel_safety as excel_safety
from tests.unit.test_excel_safety import LAUGHS, SHEET, replace_parts, sheet_xml

from .conftest import TIBET, XLSX, figure

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0")
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"]


def zip_bomb() -> bytes:
    return excel_safety.zip_bomb(1024)  # 1 GiB of zeros, ~1 MB compressed


def laughs_in_shared_strings() -> bytes:
    """The template with a shared-strings table (referenced from the workbook, as Excel writes it) that is a
    billion-laughs bomb, and the first data cell pointing into it."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}<sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    template = template_bytes()
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode().replace("</Relationships>", (
            '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
            ' Target="sharedStrings.xml" Id="rIdLaughs" /></Relationships>'))
        types = z.read("[Content_Types].xml").decode().replace("</Types>", (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>'))
        sheet = re.sub(r'(<c r="A2")[^>]*>.*?</c>', r'\1 t="s"><v>0</v></c>', z.read(SHEET).decode(), count=1)
    return replace_parts(template, {"xl/sharedStrings.xml": sst.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                                    "[Content_Types].xml": types.encode(), SHEET: sheet.encode()})


def million_rows() -> bytes:
    rng = random.Random(7)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{rng.random()}</v></c></row>' for r in range(1, 1_000_002))
    return replace_parts(template_bytes(), {SHEET: sheet_xml([rows])})


async def count(client, headers) -> tuple[int, int]:
    records = (await client.get("/api/v1/transactions", params={"page_size": 1}, headers=headers)).json()["total"]
    jobs = (await client.get("/api/v1/transactions/imports", params={"page_size": 1}, headers=headers)).json()
    return records, jobs["total"]


@pytest.mark.parametrize("attack, status, code", [
    (zip_bomb, 413, "import.too_large"),
    (laughs_in_shared_strings, 422, "import.unsafe"),
    (million_rows, 422, "import.too_many_rows"),
], ids=["zip-bomb", "billion-laughs-sharedStrings", "million-rows"])
async def test_workbook_bombs_are_refused_within_seconds_storing_nothing(system, world, attack, status, code):
    client, headers = system.client, world.b.headers
    data = attack()
    before = await count(client, headers)
    started = time.perf_counter()
    response = await client.post("/api/v1/transactions/imports", headers=headers,
                                 files={"file": ("bomb.xlsx", data, XLSX)})
    elapsed = time.perf_counter() - started
    figure(f"workbook_{attack.__name__}_refused_seconds", round(elapsed, 2))
    if response.status_code == 202:  # refused by the background job instead: it must fail whole, quickly
        job_id = response.json()["job_id"]
        while True:
            job = (await client.get(f"/api/v1/transactions/imports/{job_id}", headers=headers)).json()
            if job["status"] in ("succeeded", "failed"):
                break
            assert time.perf_counter() - started < 20, "not refused within seconds"
        assert job["status"] == "failed" and code in {e["code"] for e in job["errors"]}, job
    else:
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
        assert not response.json()["detail"].isascii()
        assert (await count(client, headers)) == before, "nothing stored, no job"
    assert elapsed < 15, f"took {elapsed:.1f}s"
    assert (await count(client, headers))[0] == before[0]


def unsafe_cells(content: bytes) -> list:
    """Every cell a spreadsheet program would run: a formula, or text starting with a formula trigger."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(DANGEROUS)):
                    bad.append((ws.title, cell.coordinate, cell.value))
    return bad


def texts(content: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


async def test_transactions_export_neutralises_every_trigger(system, world):
    client, headers = system.client, world.b.headers
    body = transaction_body(vehicle={"vin": make_vin("LFV3A23C")})
    body["buyer"].update(name=HOSTILE[0], address=HOSTILE[1])
    body["seller"].update(name=HOSTILE[2], address=HOSTILE[3])
    body["deal"].update(operator_unit=HOSTILE[4])
    created = await client.post("/api/v1/transactions", headers=headers, json=body)
    assert created.status_code == 201, created.text
    export = await client.get("/api/v1/transactions/export.xlsx", headers=headers,
                              params={"vin": body["vehicle"]["vin"]})
    assert export.status_code == 200
    assert not unsafe_cells(export.content)
    kept = set(texts(export.content))
    assert {"'" + h for h in HOSTILE[:4]} <= kept, "each kept, behind a quote"
    assert {"'" + HOSTILE[4], "'" + HOSTILE[4].strip()} & kept, "(the tab may be trimmed on entry)"


async def test_filing_export_neutralises_every_trigger(system):
    client = system.client
    enterprise = await register(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    headers = bearer(await login(client, enterprise["username"]))
    data = dict(FILING, legal_representative=HOSTILE[0], business_scope=HOSTILE[1],
                branches=[{"name": HOSTILE[2], "licence_no": "540102000000001", "address": HOSTILE[3],
                           "business_scope": HOSTILE[4]}],
                filler={"name": "@张三", "mobile": "13800138000", "email": "a@example.com"})
    saved = await client.put("/api/v1/filing", headers=headers, json={"data": data})
    assert saved.status_code == 200, saved.text
    export = await client.get("/api/v1/filing/export.xlsx", headers=headers)
    assert export.status_code == 200
    assert not unsafe_cells(export.content)
    assert {"'" + h for h in HOSTILE} <= set(texts(export.content))


async def test_statistics_export_neutralises_every_trigger(system, world, fixed_today, tmp_path):
    from autocirc_reports.api.workbook import _write

    # over HTTP: whatever an official downloads has no live cell
    response = await system.client.get("/api/v1/statistics/used-car-monthly/export.xlsx", headers=world.province.headers,
                                       params={"period": "2026-11", "group_by": "region"})
    assert response.status_code == 200, response.text
    assert not unsafe_cells(response.content)
    # and the writer itself quotes hostile text wherever it sits (region and enterprise names come from outside)
    path = tmp_path / "statistics.xlsx"
    _write(str(path), "统计", HOSTILE[0], HOSTILE[1:3], [[HOSTILE[3], 1, HOSTILE[4]], ["\rCR", 2.5]])
    content = await asyncio.to_thread(path.read_bytes)
    assert not unsafe_cells(content)
    assert {"'" + h for h in HOSTILE} <= set(texts(content))
