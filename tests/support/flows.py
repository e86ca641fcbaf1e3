"""Multi-step flows other suites reuse: an enterprise with a confirmed filing, a valid transaction."""
from __future__ import annotations

import asyncio
import copy
import random

from autocirc_shared.validation import resident_id_check_char, vin_check_char

from .api import admin_token, bearer, create_official, login, make_uscc, register
from .images import png
from .waiting import eventually

BUYER_ID = "110101199003071233"  # valid check digit
SELLER_MOBILE = "13912345678"


def make_vin(prefix: str = "LSVAB2BM", serial: int | None = None) -> str:
    """A VIN with a correct check digit (position 9) for the given WMI/VDS prefix."""
    serial = random.randrange(10**6) if serial is None else serial
    body = f"{prefix[:8]:<8}0HN{serial:06d}".replace(" ", "A")
    return body[:8] + vin_check_char(body) + body[9:]


def make_resident_id(area: str = "110101", birth: str = "19900307", seq: int = 123) -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + resident_id_check_char(body)


def transaction_body(**sections) -> dict:
    """A valid 二手车销售基本情况表 (person buyer, company seller); ``sections`` patch parts of it,
    e.g. ``transaction_body(vehicle={"vin": ...})``."""
    body = {
        "buyer": {"name": "李四", "is_enterprise": False, "nationality": "CHN", "ethnicity": "汉族",
                  "id_type": "resident_id", "id_number": BUYER_ID, "address": "北京市东城区东四十条1号",
                  "mobile": "13812345678"},
        "seller": {"name": "杭州某某汽车服务有限公司", "is_enterprise": True, "has_uscc": True,
                   "uscc": make_uscc("330106"), "address": "杭州市西湖区文三路1号", "mobile": SELLER_MOBILE},
        "vehicle": {"plate_number": "京A12345", "registration_cert_no": "110001234567", "vin": make_vin(),
                    "brand_model": "大众汽车牌SVW7147", "vehicle_type": "K33", "usage": "non_operating",
                    "first_registration_date": "2018-05-20"},
        "deal": {"trade_date": "2024-03-15", "transfer_office": "北京市公安局公安交通管理局车辆管理所",
                 "price": 56800.5, "operator_unit": "北京某某二手车经销有限公司", "trade_type": "direct",
                 "invoice_no": "01234567"},
    }
    for name, patch in sections.items():
        if patch is None:
            body.pop(name, None)
        elif isinstance(body.get(name), dict):
            body[name] = {**body[name], **patch}
        else:
            body[name] = copy.deepcopy(patch)
    return body


async def submitted_enterprise(client, *, filing: dict | None = None, **registration) -> tuple[dict, str]:
    """Register (``registration`` overrides, e.g. ``residence=HANGZHOU_XIHU``), fill and submit the filing
    (``filing`` overrides fields of the form). Returns (the registration plus ``id``/``username``, the token)."""
    enterprise = await register(client, **registration)
    token = await login(client, enterprise["username"])
    await fill_filing(client, token, enterprise["username"], filing)
    submitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert submitted.status_code == 200, submitted.text
    return enterprise, token


async def confirmed_enterprise(client, *, wait_for_transactions: bool = True, filing: dict | None = None,
                               settle=None, **registration) -> tuple[dict, str]:
    """A :func:`submitted_enterprise` whose filing a reviewing official of its district confirmed; optionally wait
    until services/transactions has learnt of the confirmation (its entry gate answers something other than 403).
    With ``settle`` (the embedded system's ``System.settle``) nothing is polled: the bus is drained before the
    confirmation and after it."""
    enterprise, token = await submitted_enterprise(client, filing=filing, **registration)
    district = enterprise["residence"]["district_code"]
    reviewer = await create_official(client, await admin_token(client), level="district", region_code=district,
                                     can_review=True)
    reviewer_token = await login(client, reviewer["username"])
    if settle is not None:
        await settle()
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(reviewer_token))
        assert response.status_code == 200, response.text
        await settle()
        return enterprise, token

    async def confirm():  # 404 until filing has learnt of the enterprise from identity's event
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(reviewer_token))
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    await eventually(confirm, timeout=60)
    if wait_for_transactions:
        await wait_until_entry_open(client, token)
    return enterprise, token


async def fill_filing(client, token: str, seed: str, overrides: dict | None = None) -> None:
    """Save the complete filing form (``overrides`` replace some fields) and upload its three images (ready
    to submit)."""
    from tests.integration.test_filing import FILING  # one filing form for every suite

    saved = await client.put("/api/v1/filing", json={"data": {**FILING, **(overrides or {})}}, headers=bearer(token))
    assert saved.status_code == 200, saved.text
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        uploaded = await client.post(f"/api/v1/filing/media/{kind}", headers=bearer(token),
                                     files={"file": ("x.png", png(seed=hash(seed) + i), "image/png")})
        assert uploaded.status_code == 201, uploaded.text


async def move_enterprise(system, enterprise: dict, token: str, residence: dict) -> None:
    """A filed enterprise moves as the seed has it: the residence change is a filing change that a reviewer of
    the new district confirms (identity first learns that the enterprise is filed, by filing's event)."""
    from autocirc_identity.models import Enterprise

    client = system.client

    async def filed():
        async with system.runtime("identity").uow() as uow:
            return (await uow.session.get(Enterprise, enterprise["id"])).filed

    await eventually(filed, timeout=30)
    moved = await client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"residence": residence},
                               headers=bearer(token))
    assert moved.status_code == 200, moved.text
    reviewer = bearer(await login(client, (await create_official(
        client, await admin_token(client), level="district", region_code=residence["district_code"],
        can_review=True))["username"]))
    path = f"/api/v1/filings/{enterprise['id']}"

    async def under_review():
        response = await client.get(path, headers=reviewer)
        return response.status_code == 200 and response.json()["status"] == "changed"

    await eventually(under_review, timeout=30)
    confirmed = await client.post(f"{path}/confirm", headers=reviewer)
    assert confirmed.status_code == 200, confirmed.text


async def wait_until_entry_open(client, token: str, timeout: float = 20.0) -> None:
    """Poll the entry gate with an empty body: 403 until the confirmation arrives, then 422 (nothing stored)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        probe = await client.post("/api/v1/transactions", json={}, headers=bearer(token))
        if probe.status_code != 403:
            assert probe.status_code == 422, probe.text
            return
        assert asyncio.get_running_loop().time() < deadline, "transactions never learnt of the confirmation"
        await asyncio.sleep(0.1)
