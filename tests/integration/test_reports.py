"""Reports (报表) through the gateway on real PostgreSQL and RabbitMQ, with reports' today fixed at 2026-11-05.

To choose the exact facts, dates and order, these tests publish transactions' events (and the
filing confirmations) through an outbox, as the owning service would; the flow through
/api/v1/transactions itself is covered in test_reports_prefill.py.
"""
from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from autocirc_reports.handlers.identity import on_enterprise_updated
from autocirc_shared.events.catalog import BrandApproved, ManufacturerApproved, ModelApproved
from autocirc_shared.events.filing import BrandChoice, FilingConfirmed
from autocirc_shared.events.identity import EnterpriseUpdated
from autocirc_shared.events.transactions import (
    TransactionAmended,
    TransactionDeleted,
    TransactionFacts,
    TransactionRecorded,
)

from tests.integration.test_filing import eventually
from tests.support.api import admin_token, bearer, create_official, login, register
from tests.support.facts import sample_facts
from tests.support.system import running_system, system_env

TODAY = "2026-11-05"
USED = "/api/v1/reports/used-car-monthly"
# before every period read here: the missing list counts from the first confirmation
CONFIRMED_AT = datetime(2026, 1, 5, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def reports_system(system):
    """The session system (real PostgreSQL and RabbitMQ) with reports' today fixed, as AUTOCIRC_TODAY would.

    A second PostgreSQL-backed system would double the connections the suite holds.
    """
    settings = system.runtime("reports").settings
    saved, settings.today = settings.today, date.fromisoformat(TODAY)
    yield system
    settings.today = saved


@pytest.fixture(scope="module")
async def april_system(tmp_path_factory):
    """Embedded (SQLite, in-process bus) on 2 April 2026: last year's annual reports are locked."""
    env = system_env(tmp_path_factory.mktemp("april"), pg_url=None, amqp_url=None, AUTOCIRC_TODAY="2026-04-02")
    async with running_system(env) as running:
        yield running


def now() -> datetime:
    return datetime.now(UTC)


async def publish(system, *events) -> None:
    """Publish through an outbox, as the owning service would."""
    async with system.runtime("identity").uow() as uow:
        for event in events:
            uow.emit(event)
        await uow.commit()


def residence(district: str) -> dict:
    return {"province_code": district[:2] + "0000", "city_code": district[:4] + "00", "district_code": district,
            "street": "测试路1号"}


def confirmation(enterprise: dict, types: list[str], region: str, brands=(), confirmed_at=None) -> FilingConfirmed:
    return FilingConfirmed(enterprise_id=enterprise["id"], version=1, enterprise_name=enterprise["name"],
                           uscc=enterprise["uscc"], business_licence_no=None, types=types, region_code=region,
                           media=[], brands=list(brands), changed_media=[], confirmed_at=confirmed_at or CONFIRMED_AT,
                           confirmed_by="test")


async def reporting_enterprise(system, types=("used_car_dealer",), district="110101", confirm=True,
                               brands=(), kind="used-car-monthly", period="2026-10",
                               confirmed_at: datetime | None = None) -> tuple[dict, str]:
    """A registered enterprise (and its token) whose filing reports has learned is confirmed."""
    client = system.client
    enterprise = await register(client, types=list(types), residence=residence(district))
    token = await login(client, enterprise["uscc"])
    if confirm:
        await publish(system, confirmation(enterprise, list(types), district, brands, confirmed_at))

        async def ready():
            response = await client.get(f"/api/v1/reports/{kind}/draft", params={"period": period},
                                        headers=bearer(token))
            return response.status_code == 200

        await eventually(ready)
    return enterprise, token


def recorded(enterprise_id: str, region: str, day: str, category: str, price: str, **facts) -> TransactionRecorded:
    values = dict(enterprise_id=enterprise_id, region_code=region, trade_date=date.fromisoformat(day),
                  report_category=category, amount_yuan=Decimal(price), first_registration_date=date(2022, 5, 1))
    values.update(facts)
    return TransactionRecorded(transaction_id=str(uuid.uuid4()), version=1, facts=sample_facts(**values),
                               recorded_at=now())


def used_row(category: str, count: int, amount: float, **parts) -> dict:
    row = {"category": category, "amount_wan": amount, "count": count, "direct_count": count,
           "consignment_count": 0, "local_transfer_count": count, "out_transfer_count": 0,
           "operating_count": 0, "non_operating_count": count}
    return {**row, **parts}


def rows_by_category(body: dict) -> dict:
    return {row["category"]: row for row in body["rows"]}


async def draft_of(client, token: str, period: str, kind: str = "used-car-monthly") -> dict:
    response = await client.get(f"/api/v1/reports/{kind}/draft", params={"period": period}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


async def test_october_draft_sums_the_months_transactions_by_category(reports_system):
    system, client = reports_system, reports_system.client
    enterprise, token = await reporting_enterprise(system)
    eid = enterprise["id"]
    await publish(system,
                  recorded(eid, "110101", "2026-10-01", "suv", "150000.00"),
                  recorded(eid, "110101", "2026-10-09", "suv", "98000.50", trade_type="consignment"),
                  recorded(eid, "110101", "2026-10-31", "suv", "51000", transfer="out", usage="operating"),
                  recorded(eid, "110101", "2026-10-15", "mpv", "200000", origin="imported",
                           first_registration_date=date(2012, 1, 1)),
                  recorded(eid, "110101", "2026-10-20", "truck", "88000.25"),
                  recorded(eid, "110101", "2026-09-30", "suv", "70000"))  # September: not in October's draft

    async def summed():
        body = await draft_of(client, token, "2026-10")
        return body if body["totals"]["count"] == 5 else None

    body = await eventually(summed)
    rows = rows_by_category(body)
    assert body["period"] == "2026-10" and body["source"] == "transactions"
    assert len(body["rows"]) == 10 and body["rows"][0]["category"] == "passenger_basic"
    suv = rows["suv"]
    assert (suv["count"], suv["direct_count"], suv["consignment_count"]) == (3, 2, 1)
    assert (suv["local_transfer_count"], suv["out_transfer_count"]) == (2, 1)
    assert (suv["operating_count"], suv["non_operating_count"]) == (1, 2)
    assert suv["amount_wan"] == pytest.approx(29.9001) and suv["category_label"] == "SUV"
    assert rows["mpv"]["count"] == 1 and rows["truck"]["amount_wan"] == pytest.approx(8.8)
    assert rows["crossover"]["count"] == 0
    market = await reporting_enterprise(system, types=("used_car_market",), kind="market-monthly")
    await publish(system, recorded(market[0]["id"], "110101", "2026-10-02", "mpv", "200000", origin="imported",
                                   first_registration_date=date(2012, 1, 1)))

    async def market_draft():
        body = await draft_of(client, market[1], "2026-10", "market-monthly")
        return rows_by_category(body)["mpv"] if body["totals"]["count"] == 1 else None

    mpv = await eventually(market_draft)
    assert (mpv["imported_count"], mpv["domestic_count"], mpv["age_gt_10"]) == (1, 0, 1)
    annual = await draft_of(client, market[1], "2026", "market-annual")
    assert (annual["trade_count"], annual["trade_amount_wan"]) == (1, 20), "the annual draft sums the months"
    changed = confirmation(market[0], ["used_car_market"], "110101").model_copy(
        update={"version": 2, "business_area_m2": 20000.5, "resident_merchant_count": 42})
    await publish(system, changed)

    async def from_filing():
        body = await draft_of(client, market[1], "2026", "market-annual")
        return body if body.get("resident_merchant_count") == 42 else None

    annual = await eventually(from_filing)
    assert annual["business_area_m2"] == 20000.5 and annual["trade_count"] == 1, "pre-filled from the filing too"


async def test_parts_must_add_up_and_one_report_per_period(reports_system):
    system, client = reports_system, reports_system.client
    _, token = await reporting_enterprise(system)
    bad = await client.post(USED, headers=bearer(token), json={
        "period": "2026-10", "rows": [used_row("suv", 3, 30), used_row("mpv", 2, 20, direct_count=1)]})
    assert bad.status_code == 422 and bad.json()["code"] == "report.inconsistent", bad.text
    assert bad.json()["errors"][0]["field"] == "rows.1.direct_count" and "MPV" in bad.json()["errors"][0]["message"]
    decimals = await client.post(USED, headers=bearer(token), json={"period": "2026-10",
                                                                    "rows": [used_row("suv", 1, 1.23456)]})
    assert decimals.status_code == 422 and decimals.json()["code"] == "report.unit"
    body = {"period": "2026-10", "filler_name": "张三", "rows": [used_row("suv", 3, 30.5)]}
    created = await client.post(USED, headers=bearer(token), json=body)
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["deadline"] == "2026-11-10" and report["editable"] is True
    assert rows_by_category(report)["suv"]["amount_wan"] == 30.5 and report["totals"]["count"] == 3
    again = await client.post(USED, headers=bearer(token), json=body)
    assert again.status_code == 409 and again.json()["code"] == "report.exists"
    future = await client.post(USED, headers=bearer(token), json={**body, "period": "2026-12"})
    assert future.status_code == 422 and future.json()["code"] == "report.period_future"
    late = await client.post(USED, headers=bearer(token), json={**body, "period": "2026-09"})
    assert late.status_code == 201 and late.json()["late"] is True, "due 10 October: accepted, marked 迟报"
    assert report["late"] is False
    listed_late = await client.get(USED, params={"year": 2026, "month": 9}, headers=bearer(token))
    assert [r["late"] for r in listed_late.json()["items"]] == [True]
    settings = system.runtime("reports").settings
    settings.report_late_filing = False  # a deployment that closes monthly reports at the deadline
    try:
        closed = await client.post(USED, headers=bearer(token), json={**body, "period": "2026-08"})
        assert closed.status_code == 409 and closed.json()["code"] == "report.deadline_passed"
        refused = await client.put(f"{USED}/{late.json()['id']}", headers=bearer(token), json={**body, "period": "2026-09"})
        assert refused.status_code == 409 and refused.json()["code"] == "report.deadline_passed"
    finally:
        settings.report_late_filing = True
    assert (await client.delete(f"{USED}/{late.json()['id']}", headers=bearer(token))).status_code == 204

    edited = await client.put(f"{USED}/{report['id']}", headers=bearer(token),
                              json={**body, "rows": [used_row("suv", 4, 40)]})
    assert edited.status_code == 200 and edited.json()["totals"]["count"] == 4
    listed = await client.get(USED, params={"year": 2026, "month": 10}, headers=bearer(token))
    assert [r["id"] for r in listed.json()["items"]] == [report["id"]] and listed.json()["total"] == 1
    assert (await client.get(USED, params={"year": 2026, "month": 9}, headers=bearer(token))).json()["total"] == 0
    assert (await client.delete(f"{USED}/{report['id']}", headers=bearer(token))).status_code == 204
    assert (await client.get(f"{USED}/{report['id']}", headers=bearer(token))).status_code == 404


async def test_who_may_file_which_report(reports_system):
    system, client = reports_system, reports_system.client
    _, unconfirmed = await reporting_enterprise(system, confirm=False)
    denied = await client.get(f"{USED}/draft", params={"period": "2026-10"}, headers=bearer(unconfirmed))
    assert denied.status_code == 403 and denied.json()["code"] == "filing.not_confirmed"
    _, market = await reporting_enterprise(system, types=("used_car_market",), kind="market-monthly")
    wrong = await client.post(USED, headers=bearer(market), json={"period": "2026-10", "rows": []})
    assert wrong.status_code == 403 and wrong.json()["code"] == "report.not_applicable"
    annual = {"business_area_m2": 20000, "resident_merchant_count": 40, "staff_count": 300, "trade_count": 1200,
              "trade_amount_wan": 9800.5, "revenue_wan": 650, "profit_wan": -12.25}
    locked = await client.post("/api/v1/reports/market-annual", headers=bearer(market),
                               json={"period": "2025", **annual})
    assert locked.status_code == 409 and locked.json()["code"] == "report.deadline_passed", "due before 1 April 2026"
    running = await client.post("/api/v1/reports/market-annual", headers=bearer(market),
                                json={"period": "2026", **annual})
    assert running.status_code == 422 and running.json()["code"] == "report.period_future", "2026 has not ended"
    assert [p["period"] for p in (await client.get("/api/v1/reports/market-annual/periods",
                                                   headers=bearer(market))).json()] == []
    settings = system.runtime("reports").settings
    saved, settings.today = settings.today, date(2027, 1, 4)
    try:
        offered = (await client.get("/api/v1/reports/market-annual/periods", headers=bearer(market))).json()
        assert offered == [{"period": "2026", "deadline": "2027-03-31", "late": False}]
        current = await client.post("/api/v1/reports/market-annual", headers=bearer(market),
                                    json={"period": "2026", **annual})
        assert current.status_code == 201 and current.json()["profit_wan"] == -12.25, current.text
        assert current.json()["deadline"] == "2027-03-31" and current.json()["late"] is False
        assert (await client.get("/api/v1/reports/market-annual/periods", headers=bearer(market))).json() == []
    finally:
        settings.today = saved


async def test_embedded_annual_reports_lock_on_the_first_of_april(april_system):
    system, client = april_system, april_system.client
    _, token = await reporting_enterprise(system, types=("new_car_dealer",), kind="new-car-annual", period="2025")
    figures = {"sales_count": 120, "sales_amount_wan": 1800, "total_assets_wan": 5000, "business_area_m2": 3000.5,
               "staff_count": 45}
    late = await client.post("/api/v1/reports/new-car-annual", headers=bearer(token),
                             json={"period": "2025", **figures})
    assert late.status_code == 409 and late.json()["code"] == "report.deadline_passed"
    _, appraiser = await reporting_enterprise(system, types=("used_car_appraiser",), kind="appraisal-quarterly",
                                              period="2026-Q1")
    quarter = await client.post("/api/v1/reports/appraisal-quarterly", headers=bearer(appraiser), json={
        "period": "2026-Q1", "rows": [{"category": "suv", "count": 5, "trade_purpose_count": 4,
                                       "other_purpose_count": 1, "amount_wan": 60, "fee_income_wan": 0.25}]})
    assert quarter.status_code == 201, "the first quarter is due on 10 April"
    admin = await admin_token(client)
    totals = (await client.get("/api/v1/statistics/appraisal-quarterly", headers=bearer(admin),
                               params={"period": "2026", "group_by": "month"})).json()
    assert totals["groups"][0]["key"] == "2026-Q1" and totals["totals"]["count"] == 5
    assert totals["totals"]["fee_income_wan"] == 0.25 and totals["report_count"] == 1

    dealer, dealer_token = await reporting_enterprise(system, period="2026-03")
    await publish(system, recorded(dealer["id"], "110101", "2026-03-31", "other", "12345.67"),
                  recorded(dealer["id"], "110101", "2026-04-01", "other", "1000"))
    march = await eventually(lambda: _draft_count(client, dealer_token, 1, "2026-03"))
    assert rows_by_category(march)["other"]["amount_wan"] == 1.2346, "万元, rounded half up"


async def test_officials_see_their_regions_totals_and_who_has_not_filed(reports_system):
    system, client = reports_system, reports_system.client
    filer, filer_token = await reporting_enterprise(system, district="110109")
    late, _ = await reporting_enterprise(system, district="110109")
    other_kind, _ = await reporting_enterprise(system, types=("used_car_appraiser",), district="110109",
                                               kind="appraisal-quarterly", period="2026-Q3")
    await publish(system, recorded(filer["id"], "110109", "2026-10-08", "suv", "100000"),
                  recorded(filer["id"], "110109", "2026-10-09", "suv", "50000"))
    await eventually(lambda: _draft_count(client, filer_token, 2))
    filed = await client.post(USED, headers=bearer(filer_token), json={
        "period": "2026-10", "rows": [used_row("suv", 3, 25), used_row("mpv", 1, 12.5)]})
    assert filed.status_code == 201, filed.text

    admin = await admin_token(client)
    district = await login(client, (await create_official(client, admin, level="district",
                                                          region_code="110109"))["username"])
    city = await login(client, (await create_official(client, admin, level="city", region_code="110100"))["username"])
    zhejiang = await login(client, (await create_official(client, admin, level="province",
                                                          region_code="330000"))["username"])
    stats = await client.get("/api/v1/statistics/used-car-monthly", params={"period": "2026-10"},
                             headers=bearer(district))
    assert stats.status_code == 200, stats.text
    body = stats.json()
    assert body["region_code"] == "110109" and body["group_by"] == "category" and body["report_count"] == 1
    assert body["totals"]["count"] == 4 and body["totals"]["amount_wan"] == 37.5
    assert {g["key"]: g["count"] for g in body["groups"]}["suv"] == 3
    by_region = (await client.get("/api/v1/statistics/used-car-monthly", headers=bearer(city),
                                  params={"period": "2026-Q4", "group_by": "region"})).json()
    mentougou = {g["key"]: g for g in by_region["groups"]}["110109"]
    assert mentougou["label"] == "门头沟区" and mentougou["count"] == 4 and mentougou["enterprise_count"] == 1
    from_transactions = (await client.get("/api/v1/statistics/used-car-monthly", headers=bearer(district),
                                          params={"period": "2026-10", "source": "transactions"})).json()
    assert from_transactions["totals"]["count"] == 2 and from_transactions["totals"]["amount_wan"] == 15

    view = await client.get(f"{USED}/{filed.json()['id']}", headers=bearer(district))
    flagged = {(d["row"], d["field"]): d for d in view.json()["discrepancies"]}
    assert flagged[("suv", "count")]["reported"] == 3 and flagged[("suv", "count")]["expected"] == 2
    assert ("mpv", "count") in flagged and ("suv", "direct_count") in flagged
    own = (await client.get(f"{USED}/{filed.json()['id']}", headers=bearer(filer_token))).json()
    assert {(d["row"], d["field"]) for d in own["discrepancies"]} == set(flagged), "the enterprise sees them too"
    listed = await client.get(f"{USED}/discrepancies", params={"period": "2026-10"}, headers=bearer(district))
    assert listed.status_code == 200, listed.text
    mine = [r for r in listed.json()["items"] if r["report_id"] == filed.json()["id"]]
    assert len(mine) == 1 and mine[0]["enterprise_id"] == filer["id"] and mine[0]["region_name"].endswith("门头沟区")
    suv = {(d["row"], d["field"]): d for d in mine[0]["discrepancies"]}[("suv", "count")]
    assert (suv["reported"], suv["expected"], suv["source"]) == (3, 2, "transactions")
    assert filed.json()["id"] not in {r["report_id"] for r in (await client.get(
        f"{USED}/discrepancies", params={"period": "2026-10"}, headers=bearer(zhejiang))).json()["items"]}
    assert (await client.get(f"{USED}/discrepancies", params={"period": "2026-10"},
                             headers=bearer(filer_token))).status_code == 403

    missing = await client.get(f"{USED}/missing", params={"period": "2026-10"}, headers=bearer(district))
    assert missing.status_code == 200, missing.text
    owing = {e["enterprise_id"]: e for e in missing.json()["items"]}
    assert late["id"] in owing and filer["id"] not in owing and other_kind["id"] not in owing
    assert owing[late["id"]]["name"] == late["name"] and owing[late["id"]]["deadline"] == "2026-11-10"

    sheet = await client.get("/api/v1/statistics/used-car-monthly/export.xlsx", params={"period": "2026-10"},
                             headers=bearer(district))
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True).active.values)
    assert rows[1][:3] == ("车辆类别", "企业数", "交易金额（万元）") and rows[-1][0] == "合计" and rows[-1][3] == 4

    elsewhere = (await client.get("/api/v1/statistics/used-car-monthly", params={"period": "2026-10"},
                                  headers=bearer(zhejiang))).json()
    assert elsewhere["report_count"] == 0 and elsewhere["totals"]["count"] == 0
    elsewhere_missing = (await client.get(f"{USED}/missing", params={"period": "2026-10"},
                                          headers=bearer(zhejiang))).json()
    assert late["id"] not in {e["enterprise_id"] for e in elsewhere_missing["items"]}
    for path in ("/api/v1/statistics/used-car-monthly", f"{USED}/missing"):
        other = await client.get(path, params={"period": "2026-10", "region_code": "110000"}, headers=bearer(zhejiang))
        assert other.status_code == 403 and other.json()["code"] == "region.forbidden"
    assert (await client.get(f"{USED}/{filed.json()['id']}", headers=bearer(zhejiang))).status_code == 403
    assert (await client.get("/api/v1/statistics/used-car-monthly", params={"period": "2026-10"},
                             headers=bearer(filer_token))).status_code == 403


async def _draft_count(client, token: str, count: int, period: str = "2026-10") -> dict | None:
    body = await draft_of(client, token, period)
    return body if body["totals"]["count"] == count else None


async def test_an_enterprise_cannot_see_anothers_report(reports_system):
    system, client = reports_system, reports_system.client
    _, owner = await reporting_enterprise(system)
    _, stranger = await reporting_enterprise(system)
    report = (await client.post(USED, headers=bearer(owner), json={"period": "2026-10", "rows": []})).json()
    path = f"{USED}/{report['id']}"
    assert (await client.get(path, headers=bearer(stranger))).status_code == 404
    assert (await client.put(path, headers=bearer(stranger), json={"period": "2026-10", "rows": []})).status_code == 404
    assert (await client.delete(path, headers=bearer(stranger))).status_code == 404
    assert (await client.get(USED, headers=bearer(stranger))).json()["total"] == 0
    assert (await client.get(path, headers=bearer(owner))).status_code == 200


async def test_new_car_rows_use_the_filings_brands_and_approved_models(reports_system):
    system, client = reports_system, reports_system.client
    maker, brand, other_brand, model = (str(uuid.uuid4()) for _ in range(4))
    await publish(system, ManufacturerApproved(manufacturer_id=maker, name="测试汽车制造", country="中国",
                                               approved_at=now()),
                  BrandApproved(brand_id=brand, name="测试牌", manufacturer_ids=[maker], approved_at=now()),
                  BrandApproved(brand_id=other_brand, name="别的牌", manufacturer_ids=[maker], approved_at=now()),
                  ModelApproved(model_id=model, name="测试A1", brand_id=brand, manufacturer_id=maker,
                                displacements=[1.5, 0], approved_at=now()))
    choice = BrandChoice(brand_id=brand, manufacturer_id=maker, authorised=True)
    _, token = await reporting_enterprise(system, types=("new_car_dealer",), brands=[choice], kind="new-car-monthly")

    async def choices():
        body = (await client.get("/api/v1/reports/new-car-monthly/choices", headers=bearer(token))).json()
        return body if body and body[0]["models"] else None

    offered = await eventually(choices)
    assert offered[0]["brand_name"] == "测试牌" and offered[0]["models"][0]["displacements"] == [0.0, 1.5]
    row = {"manufacturer_id": maker, "brand_id": brand, "model_id": model, "displacement": 1.5, "count": 8,
           "amount_wan": 96.8}
    path = "/api/v1/reports/new-car-monthly"
    for bad, code in (({"displacement": 2.0}, "report.displacement_unknown"),
                      ({"brand_id": other_brand}, "report.brand_not_filed"),
                      ({"model_id": str(uuid.uuid4())}, "report.model_unknown")):
        refused = await client.post(path, headers=bearer(token), json={"period": "2026-10", "rows": [{**row, **bad}]})
        assert refused.status_code == 422 and refused.json()["code"] == code, refused.text
    created = await client.post(path, headers=bearer(token), json={"period": "2026-10", "rows": [row]})
    assert created.status_code == 201, created.text
    line = created.json()["rows"][0]
    assert (line["manufacturer_name"], line["brand_name"], line["model_name"]) == ("测试汽车制造", "测试牌", "测试A1")
    annual = await draft_of(client, token, "2026", "new-car-annual")
    assert (annual["sales_count"], annual["sales_amount_wan"]) == (8, 96.8), "the annual draft sums the months"


async def test_the_missing_list_dates_the_first_confirmation_in_beijing_time(reports_system):
    system, client = reports_system, reports_system.client
    on_31st, _ = await reporting_enterprise(system, district="110109",
                                            confirmed_at=datetime(2026, 10, 31, 15, 59, tzinfo=UTC))
    on_1st, _ = await reporting_enterprise(system, district="110109",  # 1 November in Beijing
                                           confirmed_at=datetime(2026, 10, 31, 16, 0, tzinfo=UTC))
    official = await login(client, (await create_official(client, await admin_token(client), level="district",
                                                          region_code="110109"))["username"])
    response = await client.get(f"{USED}/missing", params={"period": "2026-10", "page_size": 100},
                                headers=bearer(official))
    assert response.status_code == 200, response.text
    owing = {e["enterprise_id"]: e for e in response.json()["items"]}
    assert owing[on_31st["id"]]["confirmed_on"] == "2026-10-31"
    assert owing[on_1st["id"]]["confirmed_on"] == "2026-11-01", "UTC 16:00 is the next day in Beijing"


async def test_a_move_takes_the_enterprises_figures_to_its_new_region(reports_system):
    system, client = reports_system, reports_system.client
    enterprise, token = await reporting_enterprise(system, district="110112")
    eid = enterprise["id"]
    suv = recorded(eid, "110112", "2026-10-03", "suv", "100000")
    mpv = recorded(eid, "110112", "2026-10-04", "mpv", "60000")
    await publish(system, suv, mpv, recorded(eid, "110112", "2026-10-05", "truck", "50000"))
    await eventually(lambda: _draft_count(client, token, 3))
    filed = await client.post(USED, headers=bearer(token), json={
        "period": "2026-10", "rows": [used_row("suv", 1, 10), used_row("mpv", 1, 6), used_row("truck", 1, 5)]})
    assert filed.status_code == 201, filed.text
    admin = await admin_token(client)
    tongzhou, shangcheng = [await login(client, (await create_official(client, admin, level="district",
                                                                       region_code=code))["username"])
                            for code in ("110112", "330102")]

    async def seen(who, source: str = "reports") -> tuple:
        response = await client.get("/api/v1/statistics/used-car-monthly", headers=bearer(who),
                                    params={"period": "2026-10", "source": source})
        assert response.status_code == 200, response.text
        body = response.json()
        return body["totals"]["count"], body["totals"]["amount_wan"], body["report_count"]

    assert await seen(tongzhou) == (3, 21, 1) and await seen(tongzhou, "transactions") == (3, 21, 1)
    assert await seen(shangcheng) == (0, 0, 0)
    # the move as identity announces it once the new region's official has confirmed it (the review itself:
    # tests/security/test_residence_move.py)
    await publish(system, EnterpriseUpdated(enterprise_id=eid, region_code="330102", updated_at=datetime.now(UTC)))

    await eventually(lambda: _equal(seen(shangcheng), (3, 21, 1)))
    assert await seen(shangcheng, "transactions") == (3, 21, 1)
    assert await seen(tongzhou) == (0, 0, 0) and await seen(tongzhou, "transactions") == (0, 0, 0)
    report = await client.get(f"{USED}/{filed.json()['id']}", headers=bearer(shangcheng))
    assert report.status_code == 200 and report.json()["region_code"] == "330102"
    assert (await client.get(f"{USED}/{filed.json()['id']}", headers=bearer(tongzhou))).status_code == 403
    listed = await client.get(USED, params={"year": 2026}, headers=bearer(shangcheng))
    assert [r["id"] for r in listed.json()["items"]] == [filed.json()["id"]]

    async with system.runtime("reports").uow() as uow:  # a late, older announcement does not move it back
        await on_enterprise_updated(EnterpriseUpdated(enterprise_id=eid, region_code="110112",
                                                      updated_at=datetime(2026, 1, 1, tzinfo=UTC)), uow)
        await uow.commit()
    # events written before the move still carry the old region; the sums stay where the enterprise is
    stale = TransactionFacts(**{**suv.facts.model_dump(), "amount_yuan": Decimal("120000")})
    await publish(system, TransactionAmended(transaction_id=suv.transaction_id, version=2, facts=stale,
                                             amended_at=now()),
                  TransactionDeleted(transaction_id=mpv.transaction_id, version=2, enterprise_id=eid,
                                     deleted_at=now()))
    await eventually(lambda: _equal(seen(shangcheng, "transactions"), (2, 17, 1)))
    assert await seen(tongzhou, "transactions") == (0, 0, 0) and await seen(shangcheng) == (3, 21, 1)


async def _equal(pending, expected) -> bool:
    return await pending == expected
