"""Personal data leaves no traces it need not: uploaded import workbooks leave the blob store when their job
ends (a failed one's after its keep days), request lines are logged without their query values, and a ``%``
or ``_`` in a search matches itself, not everything."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import httpx
from autocirc_shared.blobs import BlobNotFound
from autocirc_transactions.models.imports import ImportJob
from autocirc_transactions.usecases.import_jobs import blobs_of
from autocirc_transactions.usecases.upload_retention import delete_ended_uploads
from sqlalchemy import update

from tests.support.api import admin_token, bearer, create_official, login, make_uscc
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body
from tests.support.waiting import eventually

from .conftest import TIBET, XLSX, figure, import_workbook, mode_of
from .test_fuzz import serve

URL = "/api/v1/transactions"


async def _ended(client, token: str, job_id: str) -> dict:
    for _ in range(600):
        job = (await client.get(f"{URL}/imports/{job_id}", headers=bearer(token))).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"import {job_id} never ended")


async def _gone(store, key: str) -> bool:
    try:
        await store.get(key)
    except BlobNotFound:
        return True
    return False


async def test_uploaded_workbooks_leave_the_blob_store_when_their_job_ends(any_system, monkeypatch):
    client = any_system.client
    runtime = any_system.runtime("transactions")
    _, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    store = blobs_of(runtime)
    stored: list[str] = []
    put = store.put

    async def recording_put(key, data, content_type):  # the real store, watched
        stored.append(key)
        await put(key, data, content_type)

    monkeypatch.setattr(store, "put", recording_put)

    async def upload(records):
        response = await client.post(f"{URL}/imports", headers=bearer(token),
                                     files={"file": ("x.xlsx", import_workbook(records), XLSX)})
        assert response.status_code == 202, response.text
        return await _ended(client, token, response.json()["job_id"]), stored[-1]

    good, good_key = await upload([transaction_body(vehicle={"vin": make_vin("LFV3A23C")})])
    assert good["status"] == "succeeded", good
    # the worker deletes an upload right after it commits the job's end, so the poll above may see the end first
    await eventually(lambda: _gone(store, good_key), timeout=5.0, interval=0.05,
                     what="a finished import's workbook (buyers' ID numbers) is still stored")

    bad_record = transaction_body(vehicle={"vin": make_vin("LFV3A23C")})
    bad_record["buyer"]["id_number"] = "110101199003071234"  # wrong check digit: a cell error
    bad, bad_key = await upload([bad_record])
    assert bad["status"] == "failed" and bad["error_count"] >= 1, bad
    assert not await _gone(store, bad_key), "the errors workbook needs the upload for its keep days"
    errors_book = f"{URL}/imports/{bad['job_id']}/errors.xlsx"
    assert (await client.get(errors_book, headers=bearer(token))).status_code == 200
    await delete_ended_uploads(runtime)
    assert not await _gone(store, bad_key)
    days = runtime.settings.import_errors_keep_days
    async with runtime.uow() as uow:  # its keep days are over
        await uow.session.execute(update(ImportJob).where(ImportJob.blob_key == bad_key).values(
            finished_at=datetime.now(UTC) - timedelta(days=days, minutes=1)))
        await uow.commit()
    assert await delete_ended_uploads(runtime) >= 1
    assert await _gone(store, bad_key)
    expired = await client.get(errors_book, headers=bearer(token))
    assert expired.status_code == 410 and expired.json()["code"] == "import.errors_expired", expired.text
    figure(f"import_uploads_{mode_of(any_system)}",
           f"succeeded: deleted at job end; failed on cells: kept {days:g} days, then deleted (errors.xlsx 410)")


async def test_request_lines_are_logged_without_query_values(embedded, caplog):
    """``make run`` serves the gateway with uvicorn's access log on; the distributed gateway logs its upstream
    calls through httpx. Neither prints a query value (here a buyer's name)."""
    server, task, port = await serve(embedded.app)
    server.config.access_log = True
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "httpx")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.get(URL, params={"buyer_name": "李四", "id_number": "110101199003071237"})
            assert response.status_code == 401
    finally:
        for logger in loggers:
            logger.removeHandler(caplog.handler)
        server.should_exit = True
        await task
    lines = [r.getMessage() for r in caplog.records if r.name in ("uvicorn.access", "httpx")]
    assert any(URL in line for line in lines), lines  # the path is logged
    assert not [line for line in lines if "李四" in line or "110101199003071237" in line or "%E6%9D%8E" in line]
    figure("query_values_logged", 0)


async def test_like_wildcards_in_searches_match_only_themselves(any_system):
    client = any_system.client
    enterprise, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    entered = await client.post(URL, headers=bearer(token), json=transaction_body(vehicle={"vin": make_vin("LFV3A23C")}))
    assert entered.status_code == 201
    official = await create_official(client, await admin_token(client), level="province", region_code="540000")
    reader = bearer(await login(client, official["username"]))
    searches = [("/api/v1/enterprises", "q", reader), ("/api/v1/filings", "q", reader),
                (URL, "buyer_name", bearer(token)), (URL, "seller_name", bearer(token)),
                ("/api/v1/catalog/brands", "q", bearer(token)), ("/api/v1/filing/catalog/brands", "q", bearer(token))]
    found = {}
    for path, name, headers in searches:
        everything = (await client.get(path, headers=headers)).json()["total"]
        assert everything >= 1, path
        for wildcard in ("%", "_", "%%", "_%_"):
            response = await client.get(path, params={name: wildcard}, headers=headers)
            assert response.status_code == 200, (path, response.text)
            found[f"{path}?{name}={wildcard}"] = response.json()["total"]
    assert not any(found.values()), found
    # a real part still finds
    assert (await client.get("/api/v1/enterprises", params={"q": enterprise["name"][-8:]},
                             headers=reader)).json()["total"] == 1
    figure(f"like_wildcards_matching_{mode_of(any_system)}", sum(found.values()))
