"""The seed manuals' whole story through the gateway, written once and run in both modes: distributed
(``make run-services``: a process per service, RabbitMQ, PostgreSQL, the S3 endpoint) and embedded
(one process, SQLite, the in-process bus, a local blob folder).

An enterprise of every type registers (some carry several types); the province official grants a
district official review rights; an OEM proposes a manufacturer, brand and model and the admin approves
them; everyone files (new-car types choose the approved brand) with licence and seal images; the
district official confirms; the police stub receives every image; the used-car enterprises enter and
import transactions; every report kind is drafted (pre-filled from the records) and filed; the official
reads each kind's statistics and who has not filed."""
from __future__ import annotations

import asyncio
import uuid

from autocirc_reports.domain.kinds import SPECS

from tests.integration.test_filing import FILING
from tests.integration.test_transactions_excel import finished, record, upload, workbook
from tests.support.api import HANGZHOU_XIHU, admin_token, bearer, create_official, login, register
from tests.support.flows import transaction_body, wait_until_entry_open
from tests.support.images import png
from tests.support.waiting import eventually

DISTRICT = HANGZHOU_XIHU["district_code"]
MONTH, QUARTER, YEAR = "2026-09", "2026-Q3", "2026"  # E2E_TODAY is 2027-01-05
ENTERED, IMPORTED, MARKET_ENTERED = 4, 12, 3
MEDIA = ("licence_original", "licence_copy", "seal")
NEW_CAR = {"professional_staff_count": None}
MARKET = {"professional_staff_count": None, "resident_merchant_count": 35, "market_staff_count": 120,
          "business_scope": "二手车交易市场经营"}


class Actor:
    def __init__(self, client, registration: dict, token: str) -> None:
        self.client = client
        self.id = registration["id"]
        self.uscc = registration["uscc"]
        self.types = registration["types"]
        self.headers = bearer(token)

    async def get(self, path: str, **params):
        response = await self.client.get(path, params=params, headers=self.headers)
        assert response.status_code == 200, f"{path}: {response.text}"
        return response.json()

    async def post(self, path: str, body: dict | None = None, status: int = 201):
        response = await self.client.post(path, json=body, headers=self.headers)
        assert response.status_code == status, f"{path}: {response.text}"
        return response.json()


async def enterprise(client, types: list[str]) -> Actor:
    registration = await register(client, types=types, residence=dict(HANGZHOU_XIHU),
                                  name=f"浙江{'、'.join(types)}测试有限公司{uuid.uuid4().hex[:6]}")
    return Actor(client, registration, await login(client, registration["username"]))


def in_month(i: int, **sections) -> dict:
    """A valid September transaction, unique by ``i``."""
    body = record(i)
    body["deal"].update(trade_date=f"{MONTH}-{1 + i % 28:02d}", **sections.get("deal", {}))
    return body


def figures_only(kind: str, row: dict) -> dict:
    spec = SPECS[kind]
    keep = {m.name for m in spec.measures} | set(spec.keys)
    return {k: v for k, v in row.items() if k in keep}


async def file_report(actor: Actor, kind: str, period: str, body: dict) -> dict:
    filed = await actor.post(f"/api/v1/reports/{kind}", {"period": period, "filler_name": "张三", **body})
    assert filed["period"] == period
    assert filed["late"] is (period != YEAR), "monthly and quarterly reports after 10 October are 迟报"
    return filed


async def test_the_whole_story(gateway):
    client = gateway
    admin = bearer(await admin_token(client))

    # Officials: the admin creates the province official; it creates a district official and grants review.
    province = await create_official(client, admin["Authorization"].split()[1], level="province",
                                     region_code="330000")
    province_token = await login(client, province["username"])
    district = await create_official(client, province_token, level="district", region_code=DISTRICT)
    granted = await client.patch(f"/api/v1/officials/{district['id']}", json={"can_review": True},
                                 headers=bearer(province_token))
    assert granted.status_code == 200 and granted.json()["can_review"] is True, granted.text
    official = Actor(client, {"id": district["id"], "uscc": None, "types": []},
                     await login(client, district["username"]))

    # Every type of enterprise; one may carry several.
    oem, dealer, used, market, appraiser = await asyncio.gather(
        enterprise(client, ["oem", "import_distributor"]), enterprise(client, ["new_car_dealer"]),
        enterprise(client, ["used_car_dealer", "used_car_broker", "used_car_auction"]),
        enterprise(client, ["used_car_market"]), enterprise(client, ["used_car_appraiser"]))
    everyone = (oem, dealer, used, market, appraiser)

    # The catalogue: the OEM proposes, the admin approves.
    t = uuid.uuid4().hex[:6].upper()
    maker = await oem.post("/api/v1/catalog/manufacturers", {"name": f"浙星汽车制造{t}", "country": "中国"})
    brand = await oem.post("/api/v1/catalog/brands", {"name": f"浙星{t}", "manufacturer_ids": [maker["id"]]})
    model = await oem.post("/api/v1/catalog/models", {"brand_id": brand["id"], "manufacturer_id": maker["id"],
                                                      "name": f"浙星E{t}"})
    await oem.post(f"/api/v1/catalog/models/{model['id']}/displacements", {"litres": 1.5})
    assert brand["status"] == model["status"] == "pending"
    for kind, entry in (("manufacturers", maker), ("brands", brand), ("models", model)):
        approved = await client.post(f"/api/v1/catalog/{kind}/{entry['id']}/approve", headers=admin)
        assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text

    # Filing: the new-car types pick the approved brand once filing has learnt of it.
    async def approved_brand():
        page = await oem.get("/api/v1/filing/catalog/brands", q=brand["name"])
        return page["items"] or None

    await eventually(approved_brand, timeout=30)
    choice = {"brand_id": brand["id"], "manufacturer_id": maker["id"], "authorised": True}
    forms = {oem: {**FILING, **NEW_CAR, "brands": [choice], "authorisation": "国内主机厂及总经销商，授权经销本品牌"},
             dealer: {**FILING, **NEW_CAR, "brands": [choice]},
             used: FILING, market: {**FILING, **MARKET}, appraiser: FILING}

    async def file(actor: Actor) -> None:
        saved = await client.put("/api/v1/filing", json={"data": forms[actor]}, headers=actor.headers)
        assert saved.status_code == 200, saved.text
        for i, kind in enumerate(MEDIA):
            uploaded = await client.post(f"/api/v1/filing/media/{kind}", headers=actor.headers,
                                         files={"file": ("x.png", png(seed=hash((actor.id, i))), "image/png")})
            assert uploaded.status_code == 201, uploaded.text
        submitted = await actor.post("/api/v1/filing/submit", status=200)
        assert submitted["status"] == "submitted"

    await asyncio.gather(*(file(a) for a in everyone))

    # The district official reviews and confirms each (404 until filing has learnt of the enterprise).
    listed = await official.get("/api/v1/filings", status="submitted", page_size=200)
    assert {a.id for a in everyone} <= {f["enterprise_id"] for f in listed["items"]}

    async def confirm(actor: Actor):
        response = await client.post(f"/api/v1/filings/{actor.id}/confirm", headers=official.headers)
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    for actor in everyone:
        await eventually(lambda a=actor: confirm(a), timeout=60)
        assert (await actor.get("/api/v1/filing"))["status"] == "confirmed"

    # The police receive every image once.
    async def at_police(actor: Actor):
        documents = (await client.get("/stub/police/documents", params={"uscc": actor.uscc})).json()
        return documents if len(documents) == len(MEDIA) else None

    for actor in everyone:
        documents = await eventually(lambda a=actor: at_police(a), timeout=60)
        assert sorted(d["kind"] for d in documents) == sorted(MEDIA)

    async def synced(actor: Actor):
        media = await actor.get("/api/v1/filing/media")
        return all(m["police_sync"]["status"] == "delivered" for m in media) and len(media) == len(MEDIA)

    await eventually(lambda: synced(used), timeout=60)

    # Transactions: entered one by one and imported from the template workbook.
    await asyncio.gather(wait_until_entry_open(client, used.headers["Authorization"].split()[1], 60),
                         wait_until_entry_open(client, market.headers["Authorization"].split()[1], 60))
    for i in range(ENTERED):
        await used.post("/api/v1/transactions", in_month(i))
    for i in range(MARKET_ENTERED):
        await market.post("/api/v1/transactions", in_month(500 + i))
    refused = await client.post("/api/v1/transactions", headers=used.headers,
                                json=transaction_body(vehicle={"vin": "LSVAB2BM0HN00000X"}))
    assert refused.status_code == 422
    template = await client.get("/api/v1/transactions/import-template.xlsx", headers=used.headers)
    assert template.status_code == 200
    accepted = await upload(client, used.headers["Authorization"].split()[1],
                            workbook([in_month(1000 + i) for i in range(IMPORTED)]))
    assert accepted.status_code == 202, accepted.text
    job = await finished(client, used.headers["Authorization"].split()[1], accepted.json()["job_id"], timeout=120)
    assert job["status"] == "succeeded" and job["imported"] == IMPORTED, job
    listing = await used.get("/api/v1/transactions", trade_from=f"{MONTH}-01", trade_to=f"{MONTH}-30")
    assert listing["total"] == ENTERED + IMPORTED

    # Reports: each kind drafted from the records (once reports has summed them) and filed.
    async def draft(actor: Actor, kind: str, period: str, expected_count: int | None = None):
        body = await actor.get(f"/api/v1/reports/{kind}/draft", period=period)
        if expected_count is None:
            return body
        counted = body["totals"]["count"] if "totals" in body else body.get("trade_count")
        return body if counted == expected_count else None

    used_draft = await eventually(lambda: draft(used, "used-car-monthly", MONTH, ENTERED + IMPORTED), timeout=60)
    await file_report(used, "used-car-monthly", MONTH,
                      {"rows": [figures_only("used-car-monthly", r) for r in used_draft["rows"] if r["count"]]})
    market_draft = await eventually(lambda: draft(market, "market-monthly", MONTH, MARKET_ENTERED), timeout=60)
    await file_report(market, "market-monthly", MONTH,
                      {"rows": [figures_only("market-monthly", r) for r in market_draft["rows"] if r["count"]]})
    annual = await eventually(lambda: draft(market, "market-annual", YEAR, MARKET_ENTERED), timeout=60)
    await file_report(market, "market-annual", YEAR, {
        **figures_only("market-annual", annual), "business_area_m2": 20000, "resident_merchant_count": 35,
        "staff_count": 120, "revenue_wan": 650.5, "profit_wan": -12.25})

    async def offered():
        choices = await oem.get("/api/v1/reports/new-car-monthly/choices")
        return choices if choices and choices[0]["models"] and choices[0]["models"][0]["displacements"] else None

    offered_choices = await eventually(offered, timeout=60)
    assert offered_choices[0]["brand_name"] == brand["name"]
    new_monthly = await draft(oem, "new-car-monthly", MONTH)  # nothing to pre-fill: new-car sales are not entered
    assert new_monthly["period"] == MONTH and new_monthly["rows"] == []
    await file_report(oem, "new-car-monthly", MONTH, {"rows": [{
        "manufacturer_id": maker["id"], "brand_id": brand["id"], "model_id": model["id"], "displacement": 1.5,
        "count": 8, "amount_wan": 96.8}]})
    new_annual = await draft(oem, "new-car-annual", YEAR)
    assert (new_annual["sales_count"], new_annual["sales_amount_wan"]) == (8, 96.8), "summed from the monthly"
    await file_report(oem, "new-car-annual", YEAR, {**figures_only("new-car-annual", new_annual),
                                                   "total_assets_wan": 5000, "business_area_m2": 3000.5,
                                                   "staff_count": 45})
    appraisal = await draft(appraiser, "appraisal-quarterly", QUARTER)
    assert appraisal["period"] == QUARTER and appraisal["rows"] and not any(r["count"] for r in appraisal["rows"])
    await file_report(appraiser, "appraisal-quarterly", QUARTER, {"rows": [
        {"category": "suv", "count": 5, "trade_purpose_count": 4, "other_purpose_count": 1, "amount_wan": 60,
         "fee_income_wan": 0.25}]})
    wrong = await client.post("/api/v1/reports/used-car-monthly", headers=appraiser.headers,
                              json={"period": MONTH, "rows": []})
    assert wrong.status_code == 403 and wrong.json()["code"] == "report.not_applicable"

    # The official reads every kind's statistics over its region, and who has not filed.
    periods = {"used-car-monthly": MONTH, "market-monthly": MONTH, "market-annual": YEAR,
               "new-car-monthly": MONTH, "new-car-annual": YEAR, "appraisal-quarterly": QUARTER}
    for kind, period in periods.items():
        stats = await official.get(f"/api/v1/statistics/{kind}", period=period)
        assert stats["region_code"] == DISTRICT and stats["report_count"] == 1, (kind, stats)
    used_stats = await official.get("/api/v1/statistics/used-car-monthly", period=MONTH)
    assert used_stats["totals"]["count"] == ENTERED + IMPORTED
    officials_view = await official.get("/api/v1/transactions", page_size=5)
    assert officials_view["total"] == ENTERED + IMPORTED + MARKET_ENTERED
    assert "*" in officials_view["items"][0]["buyer"]["id_number"], "masked for officials"
    missing = await official.get("/api/v1/reports/new-car-monthly/missing", period=MONTH)
    owing = {e["enterprise_id"] for e in missing["items"]}
    assert dealer.id in owing and oem.id not in owing
    assert used.id not in {e["enterprise_id"] for e in
                           (await official.get("/api/v1/reports/used-car-monthly/missing", period=MONTH))["items"]}
