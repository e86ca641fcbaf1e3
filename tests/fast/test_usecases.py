"""Each service's main use cases through the embedded gateway in-process (SQLite, the in-process bus), the events
they cause awaited with ``fast.settle()`` instead of polling."""
from __future__ import annotations

import random
import string
from datetime import date, timedelta

from autocirc_shared.clock import china_today

from tests.support.api import HANGZHOU_XIHU, PASSWORD, admin_token, bearer, create_official, login, register
from tests.support.flows import confirmed_enterprise, submitted_enterprise, transaction_body
from tests.support.lone import query


def last_month() -> tuple[str, str]:
    """The period reports accepts now (the month before today) and a trade date inside it."""
    start = china_today().replace(day=1) - timedelta(days=1)
    return start.strftime("%Y-%m"), start.replace(day=15).isoformat()


async def test_identity_registers_logs_in_and_creates_officials(fast):
    client = fast.client
    created = await register(client)
    token = await login(client, created["uscc"])
    me = (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["enterprise"]["uscc"] == created["uscc"]
    bad = await client.post("/api/v1/enterprises", json={**created, "uscc": "91350100M000100Y44"})
    assert bad.status_code == 422 and bad.json()["code"] == "uscc.checksum"
    province = await create_official(client, await admin_token(client), level="province", region_code="110000")
    province_token = await login(client, province["username"])
    city = await create_official(client, province_token, level="city", region_code="110100")
    granted = await client.patch(f"/api/v1/officials/{city['id']}", json={"can_review": True},
                                 headers=bearer(province_token))
    assert granted.status_code == 200 and granted.json()["can_review"] is True
    await fast.settle()
    [known] = await query(fast.runtime("filing").db, "SELECT can_review FROM officials WHERE official_id = :o",
                          o=city["id"])
    assert known["can_review"] == 1


async def test_filing_is_submitted_confirmed_and_announced(fast):
    client = fast.client
    enterprise, token = await confirmed_enterprise(client, settle=fast.settle)
    filing = (await client.get("/api/v1/filing", headers=bearer(token))).json()
    assert filing["status"] == "confirmed"
    public = await client.get(f"/api/v1/public/filings/{enterprise['uscc']}")
    assert public.status_code == 200, public.text
    reports = fast.runtime("reports").db
    assert await query(reports, "SELECT confirmed FROM enterprises WHERE enterprise_id = :e",
                       e=enterprise["id"]) == [{"confirmed": 1}]
    identity = fast.runtime("identity").db
    assert await query(identity, "SELECT filed FROM enterprises WHERE id = :e", e=enterprise["id"]) == [{"filed": 1}]
    # media-sync queued the record and the three images for the police
    deliveries = await query(fast.runtime("media-sync").db, "SELECT kind FROM deliveries WHERE enterprise_id = :e",
                             e=enterprise["id"])
    assert {"licence_original", "licence_copy", "seal"} <= {d["kind"] for d in deliveries}
    # portal told the enterprise
    notified = (await client.get("/api/v1/notifications", headers=bearer(token))).json()["items"]
    assert any("确认" in n["title"] for n in notified), notified


async def test_a_rejected_filing_can_be_changed_and_submitted_again(fast):
    client = fast.client
    enterprise, token = await submitted_enterprise(client)
    reviewer = await create_official(client, await admin_token(client), level="district",
                                     region_code=enterprise["residence"]["district_code"], can_review=True)
    await fast.settle()
    rejected = await client.post(f"/api/v1/filings/{enterprise['id']}/reject", json={"reason": "资料不全"},
                                 headers=bearer(await login(client, reviewer["username"])))
    assert rejected.status_code == 200, rejected.text
    assert (await client.get("/api/v1/filing", headers=bearer(token))).json()["status"] == "rejected"
    again = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert again.status_code == 200 and again.json()["status"] == "submitted"


async def test_catalog_proposals_approved_reach_filing_and_reports(fast):
    client = fast.client
    t = "".join(random.choices(string.ascii_uppercase, k=6))
    enterprise = bearer(await login(client, (await register(client))["username"]))
    admin = bearer(await admin_token(client))

    async def post(path: str, body: dict, headers=enterprise, status: int = 201) -> dict:
        response = await client.post(f"/api/v1/catalog{path}", json=body, headers=headers)
        assert response.status_code == status, response.text
        return response.json()

    maker = await post("/manufacturers", {"name": f"测试汽车{t}", "country": "中国"})
    brand = await post("/brands", {"name": f"测试{t}", "manufacturer_ids": [maker["id"]]})
    model = await post("/models", {"brand_id": brand["id"], "manufacturer_id": maker["id"], "name": f"星{t}",
                                   "displacements": [1.5]})
    for kind, entry in (("manufacturers", maker), ("brands", brand), ("models", model)):
        assert (await post(f"/{kind}/{entry['id']}/approve", {}, admin, 200))["status"] == "approved"
    assert (await post(f"/models/{model['id']}/approve", {}, admin, 409))["code"] == "catalog.state"
    await fast.settle()
    picker = (await client.get("/api/v1/filing/catalog/brands", params={"q": f"测试{t}"}, headers=enterprise)).json()
    assert [b["id"] for b in picker["items"]] == [brand["id"]]
    assert await query(fast.runtime("reports").db, "SELECT name FROM catalog_models WHERE id = :m",
                       m=model["id"]) == [{"name": f"星{t}"}]


async def test_transactions_entered_amended_and_deleted_are_summed_by_reports(fast):
    client = fast.client
    enterprise, token = await confirmed_enterprise(client, settle=fast.settle)
    period, trade_date = last_month()
    body = transaction_body(deal={"trade_date": trade_date, "price": 50000})
    created = await client.post("/api/v1/transactions", json=body, headers=bearer(token))
    assert created.status_code == 201, created.text
    transaction = created.json()
    duplicate = await client.post("/api/v1/transactions", json=body, headers=bearer(token))
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "transactions.duplicate"
    await fast.settle()
    sums = "SELECT count, amount_yuan FROM transaction_sums WHERE enterprise_id = :e AND month = :m"
    reports = fast.runtime("reports").db
    assert [(r["count"], float(r["amount_yuan"])) for r in await query(reports, sums, e=enterprise["id"],
                                                                           m=period)] == [(1, 50000.0)]
    amended = await client.put(f"/api/v1/transactions/{transaction['id']}", headers=bearer(token),
                               json=transaction_body(vehicle=body["vehicle"], deal={**body["deal"], "price": 42000}))
    assert amended.status_code == 200, amended.text
    await fast.settle()
    assert [float(r["amount_yuan"]) for r in await query(reports, sums, e=enterprise["id"], m=period)] == [42000.0]
    assert (await client.delete(f"/api/v1/transactions/{transaction['id']}", headers=bearer(token))).status_code == 204
    await fast.settle()
    assert [r["count"] for r in await query(reports, sums, e=enterprise["id"], m=period)] == [0]


async def test_reports_draft_from_transactions_is_filed(fast):
    client = fast.client
    _, token = await confirmed_enterprise(client, settle=fast.settle)
    period, trade_date = last_month()
    for price in (30000, 45000):
        created = await client.post("/api/v1/transactions", headers=bearer(token),
                                    json=transaction_body(deal={"trade_date": trade_date, "price": price}))
        assert created.status_code == 201, created.text
    await fast.settle()
    used = "/api/v1/reports/used-car-monthly"
    draft = (await client.get(f"{used}/draft", params={"period": period}, headers=bearer(token))).json()
    assert draft["totals"]["count"] == 2, draft
    filed = await client.post(used, json=draft, headers=bearer(token))
    assert filed.status_code == 201, filed.text
    again = await client.post(used, json=draft, headers=bearer(token))
    assert again.status_code == 409, again.text


async def test_media_sync_lists_the_deliveries_of_a_confirmed_filing(fast):
    client = fast.client
    enterprise, _ = await confirmed_enterprise(client, settle=fast.settle)
    admin = bearer(await admin_token(client))
    listed = await client.get("/api/v1/media-sync/deliveries", params={"enterprise_id": enterprise["id"]},
                              headers=admin)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert {"licence_original", "licence_copy", "seal"} <= {d["kind"] for d in items}
    assert all(d["status"] in ("pending", "delivered") for d in items), items


async def test_portal_publishes_notices_and_refuses_scripts(fast):
    client = fast.client
    admin = bearer(await admin_token(client))
    created = await client.post("/api/v1/notices", headers=admin, json={
        "category": "policy", "title": "二手车流通管理办法", "body": "<p>第一条 <strong>二手车</strong></p>"})
    assert created.status_code == 201, created.text
    read = (await client.get(f"/api/v1/notices/{created.json()['id']}")).json()
    assert "<strong>二手车</strong>" in read["body"]
    refused = await client.post("/api/v1/notices", headers=admin, json={
        "category": "policy", "title": "通知", "body": "<script>alert(1)</script>"})
    assert refused.status_code == 422 and refused.json()["code"] == "notice.script"


def test_last_month_is_before_today():
    period, trade_date = last_month()
    assert date.fromisoformat(trade_date) < china_today() and trade_date.startswith(period)


async def test_a_password_change_ends_the_old_sessions_in_every_service(fast):
    client = fast.client
    enterprise, token = await confirmed_enterprise(client, settle=fast.settle)
    assert (await client.get("/api/v1/filing", headers=bearer(token))).status_code == 200
    changed = await client.post("/api/v1/me/password", headers=bearer(token),
                                json={"old_password": PASSWORD, "new_password": "NewPassw0rd"})
    assert changed.status_code == 204, changed.text
    await fast.settle()
    stale = await client.get("/api/v1/transactions", headers=bearer(token))
    assert stale.status_code == 401 and stale.json()["code"] == "auth.stale", stale.text
    # the entry route reads the freshness inside its own transaction: the same answer, before the form's
    stale = await client.post("/api/v1/transactions", headers=bearer(token), json={})
    assert stale.status_code == 401 and stale.json()["code"] == "auth.stale", stale.text
    fresh = await login(client, enterprise["uscc"], "NewPassw0rd")
    assert (await client.get("/api/v1/transactions", headers=bearer(fresh))).status_code == 200


async def test_a_batch_of_transactions_is_stored_once_and_summed_once(fast):
    client = fast.client
    enterprise, token = await confirmed_enterprise(client, settle=fast.settle)
    period, trade_date = last_month()
    records = [transaction_body(deal={"trade_date": trade_date, "price": 10000 * (i + 1)}) for i in range(3)]
    keyed = {**bearer(token), "Idempotency-Key": f"fast-{enterprise['id']}"}
    first = await client.post("/api/v1/transactions/batch", json={"records": records}, headers=keyed)
    assert first.status_code == 201, first.text
    again = await client.post("/api/v1/transactions/batch", json={"records": records}, headers=keyed)
    assert again.status_code == 201 and again.json() == first.json()
    await fast.settle()
    sums = await query(fast.runtime("reports").db, "SELECT count, amount_yuan FROM transaction_sums "
                       "WHERE enterprise_id = :e AND month = :m", e=enterprise["id"], m=period)
    assert [(r["count"], float(r["amount_yuan"])) for r in sums] == [(3, 60000.0)]


async def test_officials_see_who_has_not_reported(fast):
    client = fast.client
    period, _ = last_month()
    enterprise, _ = await confirmed_enterprise(client, settle=fast.settle, residence=HANGZHOU_XIHU)
    district = await create_official(client, await admin_token(client), level="district", region_code="330106")
    missing = await client.get("/api/v1/reports/used-car-monthly/missing", params={"period": period},
                               headers=bearer(await login(client, district["username"])))
    assert missing.status_code == 200, missing.text
    assert enterprise["id"] in {e["enterprise_id"] for e in missing.json()["items"]}


async def test_catalog_refuses_a_near_duplicate_proposal(fast):
    client = fast.client
    enterprise = bearer(await login(client, (await register(client))["username"]))
    name = "测试汽车" + "".join(random.choices(string.ascii_uppercase, k=6))
    first = await client.post("/api/v1/catalog/manufacturers", json={"name": name, "country": "中国"},
                              headers=enterprise)
    assert first.status_code == 201, first.text
    again = await client.post("/api/v1/catalog/manufacturers", json={"name": f" {name} ", "country": "中国"},
                              headers=enterprise)
    assert again.status_code == 409 and again.json()["code"] == "catalog.duplicate", again.text
