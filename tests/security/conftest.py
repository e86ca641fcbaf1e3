"""Attack and bad-input suite (RELIABILITY.md scenarios 11-14): shared actors and the figures it reports.

Every actor lives in regions no other suite uses (Xinjiang 65…, Tibet 54…), so the objects this suite
creates (and the fuzzer's writes) never show up in another suite's region-scoped counts.
"""
from __future__ import annotations

import asyncio
import contextlib
import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from openpyxl import Workbook

from tests.support.api import admin_token, bearer, create_official, login, make_uscc, register
from tests.support.flows import make_vin, transaction_body
from tests.support.waiting import eventually

XINJIANG = {"province_code": "650000", "city_code": "650100", "district_code": "650102", "street": "天山路1号"}
TIBET = {"province_code": "540000", "city_code": "540100", "district_code": "540102", "street": "北京中路1号"}

# ---------------------------------------------------------------------------------------------------------------
# Figures: every test records what it measured; they are printed at the end of any run that includes this suite.
FIGURES: dict[str, object] = {}


def figure(name: str, value: object) -> None:
    FIGURES[name] = value
    print(f"SECURITY {name}={value}")


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"SECURITY {name}={value}")


@pytest.fixture(params=["system", "embedded"])
def any_system(request):
    """The test runs twice: on PostgreSQL + RabbitMQ + S3, and in the embedded mode (SQLite, in-process bus)."""
    return request.getfixturevalue(request.param)


def mode_of(system) -> str:
    return "postgresql" if system.env.get("AUTOCIRC_DATABASE_URL") else "sqlite"


# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Actor:
    name: str
    token: str
    account: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict:
        return bearer(self.token)


@dataclass
class World:
    """Tenant A (the victim, Xinjiang 650102) with one of every object; tenant B (Tibet) and officials
    inside and outside A's region who attack them."""
    a: Actor
    b: Actor
    a_enterprise: dict
    b_enterprise: dict
    spare: dict                      # a registered enterprise of A's district (password-reset target)
    reviewer: Actor                  # district official of A's district with can_review
    inside_no_review: Actor          # city official over A's district without can_review
    outside: Actor                   # province official of Tibet with can_review
    province: Actor                  # province official of Xinjiang (grants review rights)
    admin: Actor
    agency: Actor | None = None      # a police clerk's agency key (opens the look-up only)
    objects: dict = field(default_factory=dict)
    keys: dict[str, Actor] = field(default_factory=dict)  # API keys of A and B, as actors ("key_A", "key_B")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A_TYPES = ["used_car_dealer", "used_car_market", "used_car_appraiser", "new_car_dealer"]


def import_workbook(records: list[dict]) -> bytes:
    from autocirc_transactions.excel.columns import headers
    from autocirc_transactions.excel.convert import row_of

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("车辆交易信息")
    ws.append(headers())
    for item in records:
        ws.append(row_of(item))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def _confirmed(client, admin: str, **registration) -> dict:
    """A registered enterprise whose filing (every field its types ask for) a reviewer of its district confirmed,
    once transactions has learnt of it."""
    from tests.integration.test_filing import FILING
    from tests.support.flows import wait_until_entry_open
    from tests.support.images import png

    enterprise = await register(client, **registration)
    token = await login(client, enterprise["username"])
    data = dict(FILING, resident_merchant_count=30, market_staff_count=12)
    if "new_car_dealer" in enterprise["types"]:
        async def starter():
            page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"},
                                     headers=bearer(token))).json()
            return page["items"] or None

        byd = (await eventually(starter))[0]
        data["brands"] = [{"brand_id": byd["id"], "manufacturer_id": byd["manufacturers"][0]["id"], "authorised": True}]
    saved = await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))
    assert saved.status_code == 200, saved.text
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        uploaded = await client.post(f"/api/v1/filing/media/{kind}", headers=bearer(token),
                                     files={"file": ("x.png", png(seed=hash(enterprise["username"]) + i), "image/png")})
        assert uploaded.status_code == 201, uploaded.text
    submitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert submitted.status_code == 200, submitted.text
    reviewer = await create_official(client, admin, level="district", can_review=True,
                                     region_code=enterprise["residence"]["district_code"])
    reviewer_token = await login(client, reviewer["username"])

    async def confirm():
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(reviewer_token))
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    await eventually(confirm, timeout=60)
    await wait_until_entry_open(client, token)
    return enterprise


async def _actor(client, name: str, username: str) -> Actor:
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": "Passw0rdOK"})
    assert response.status_code == 200, response.text
    return Actor(name, response.json()["access_token"], response.json()["account"])


@pytest.fixture(scope="session")
async def world(system) -> World:
    client = system.client
    admin = await admin_token(client)
    a_ent, b_ent = await asyncio.gather(
        _confirmed(client, admin, residence=dict(XINJIANG), uscc=make_uscc("650102"), types=A_TYPES),
        _confirmed(client, admin, residence=dict(TIBET), uscc=make_uscc("540102"), types=["used_car_dealer"]))
    spare = await register(client, residence=dict(XINJIANG), uscc=make_uscc("650102"))
    officials = await asyncio.gather(
        create_official(client, admin, level="district", region_code="650102", can_review=True),
        create_official(client, admin, level="city", region_code="650100", can_review=False),
        create_official(client, admin, level="province", region_code="540000", can_review=True),
        create_official(client, admin, level="province", region_code="650000", can_review=True))
    actors = [await _actor(client, n, o["username"])
              for n, o in zip(("reviewer", "inside_no_review", "outside", "province"), officials, strict=True)]
    world = World(a=await _actor(client, "A", a_ent["username"]), b=await _actor(client, "B", b_ent["username"]),
                  a_enterprise=a_ent, b_enterprise=b_ent, spare=spare, reviewer=actors[0],
                  inside_no_review=actors[1], outside=actors[2], province=actors[3],
                  admin=Actor("admin", admin, {"kind": "admin"}))
    with reports_today(system):
        world.objects.update(await _objects_of(system, world))
    for owner in (world.a, world.b):
        world.keys[f"key_{owner.name}"] = Actor(f"key_{owner.name}", await _api_key(client, owner))
    world.objects["key_id"] = (await client.post("/api/v1/api-keys", headers=world.a.headers,
                                                 json={"name": "spare"})).json()["id"]  # A revokes it
    return world


async def _api_key(client, owner: Actor) -> str:
    created = await client.post("/api/v1/api-keys", headers=owner.headers, json={"name": f"{owner.name}的系统"})
    assert created.status_code == 201, created.text
    return created.json()["key"]


TODAY = date(2027, 1, 5)  # reports' "today" while this suite files and edits: every period below can be filed
# (2026 has ended, so its annual reports are due; November 2026 is past its deadline and filed late, 迟报)
REPORT_PERIODS = {"used-car-monthly": "2026-11", "market-monthly": "2026-11", "appraisal-quarterly": "2026-Q4",
                  "new-car-monthly": "2026-11", "market-annual": "2026", "new-car-annual": "2026"}


@contextlib.contextmanager
def reports_today(system, today: date = TODAY):
    """Fix reports' today, as AUTOCIRC_TODAY would, for as long as the block runs."""
    settings = system.runtime("reports").settings
    saved, settings.today = settings.today, today
    try:
        yield
    finally:
        settings.today = saved


@pytest.fixture
def fixed_today(system):
    with reports_today(system):
        yield TODAY


async def _objects_of(system, world: World) -> dict:
    """One of every object A owns, by the path parameter names the OpenAPI document uses."""
    client = system.client
    a = world.a.headers
    vin = make_vin("LSVAB2BM")
    recorded = await client.post("/api/v1/transactions", headers=a, json=transaction_body(vehicle={"vin": vin}))
    assert recorded.status_code == 201, recorded.text
    job = await client.post("/api/v1/transactions/imports", headers=a,
                            files={"file": ("a.xlsx", import_workbook([transaction_body()]), XLSX)})
    assert job.status_code == 202, job.text
    objects = {"transaction_id": recorded.json()["id"], "job_id": job.json()["job_id"], "vin": vin,
               "enterprise_id": world.a_enterprise["id"], "official_id": world.inside_no_review.account["id"],
               "kind": "seal"}
    # catalogue proposals of A (pending: visible only to A and the admin)
    maker_name = f"安全测试汽车制造{vin[-6:]}有限公司"
    maker = await client.post("/api/v1/catalog/manufacturers", headers=a, json={"name": maker_name, "country": "CHN"})
    assert maker.status_code == 201, maker.text
    byd = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=a)).json()["items"][0]
    objects["seal_sha256"] = next(m["sha256"] for m in (await client.get("/api/v1/filing/media", headers=a)).json()
                                  if m["kind"] == "seal")
    objects.update(manufacturer_entry=maker.json()["id"], manufacturer_name=maker_name, byd_brand=byd["id"],
                   byd_manufacturer=byd["manufacturers"][0]["id"])
    brand = await client.post("/api/v1/catalog/brands", headers=a,
                              json={"name": f"安全测试品牌{vin[-6:]}", "manufacturer_ids": [objects["byd_manufacturer"]]})
    assert brand.status_code == 201, brand.text
    model = await client.post("/api/v1/catalog/models", headers=a, json={
        "brand_id": objects["byd_brand"], "manufacturer_id": objects["byd_manufacturer"], "name": f"安全{vin[-4:]}",
        "displacements": [1.5]})
    assert model.status_code == 201, model.text
    objects.update(brand_entry=brand.json()["id"], model_entry=model.json()["id"],
                   displacement_entry=model.json()["displacements"][0]["id"])

    async def delivery():
        page = (await client.get("/api/v1/media-sync/deliveries", headers=world.admin.headers,
                                 params={"page_size": 200})).json()
        return next((d["id"] for d in page["items"] if d["enterprise_id"] == world.a_enterprise["id"]), None)

    objects["delivery_id"] = await eventually(delivery, timeout=30)
    keys = [await client.post("/api/v1/agency-keys", headers=world.admin.headers,
                              json={"agency": "乌鲁木齐市公安局车辆管理所", "name": name}) for name in ("窗口", "备用")]
    assert all(k.status_code == 201 for k in keys), keys[0].text
    world.agency = Actor("agency", keys[0].json()["key"], {"kind": "agency"})
    objects["agency_key_id"] = keys[1].json()["id"]
    bodies = {}
    reports = {}
    for kind, period in REPORT_PERIODS.items():
        async def draft(kind=kind, period=period):
            response = await client.get(f"/api/v1/reports/{kind}/draft", params={"period": period}, headers=a)
            return response.json() if response.status_code == 200 else None

        body = await eventually(draft, timeout=30)
        for _ in range(3):  # a draft carries read-only extras (labels, totals): drop what the form refuses
            created = await client.post(f"/api/v1/reports/{kind}", headers=a, json=body)
            if created.status_code != 422:
                break
            for error in created.json()["errors"]:
                if error["code"] == "field.unknown":
                    _drop(body, error["field"].split("."))
        assert created.status_code == 201, (kind, created.text)
        reports[kind], bodies[kind] = created.json()["id"], body
    objects.update(reports=reports, report_bodies=bodies)
    for key, actor in (("notice_id", world.province), ("national_notice_id", world.admin)):
        notice = await client.post("/api/v1/notices", headers=actor.headers,
                                   json={"category": "notice", "title": f"安全测试通知{vin[-6:]}", "body": "<p>通知</p>"})
        assert notice.status_code == 201, notice.text
        objects[key] = notice.json()["id"]

    async def a_notification():  # A's filing was confirmed: the portal tells A
        items = (await client.get("/api/v1/notifications", headers=a)).json()["items"]
        return items[0]["id"] if items else None

    objects["notification_id"] = await eventually(a_notification, timeout=30)
    return objects


def _drop(data, path: list[str]) -> None:
    for part in path[:-1]:
        data = data[int(part)] if isinstance(data, list) else data[part]
    data.pop(path[-1], None)
