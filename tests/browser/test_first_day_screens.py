"""The screens fixed for a clerk's and a reviewer's first day (issue 17), in Debian's Chromium: the state is made
through the API (a dealer without a USCC, filed while the police endpoint was down; a new-car dealer; a province
official without review rights), then first_day.mjs walks each screen and asserts its Chinese text — the catalogue's
tabs without a console error, 添加排量 awaiting the admin's review (新增排量), a new manufacturer under an existing
brand, the print page with images and 税务登记证, the deliveries table, 证件类型 following the nationality, the purchase
date warning, who grants review rights, and an empty new-car draft that does not claim to be pre-filled."""
from __future__ import annotations

import asyncio
import json
import random
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from autocirc_shared.validation import org_code_check_char

from tests.browser.test_web_client import ADMIN_PASSWORD, CHROMIUM, WEB, browser_tools, serve
from tests.support.api import PASSWORD, admin_token, bearer, create_official, make_uscc
from tests.support.flows import confirmed_enterprise, make_resident_id, make_vin
from tests.support.waiting import eventually

TIMEOUT = 300


@pytest.fixture
def server(tmp_path):
    yield from serve(tmp_path, AUTOCIRC_POLICE_STUB_PUBLIC="true")


async def _world(base: str) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        admin = bearer(await admin_token(client))
        down = await client.put("/stub/police/faults", json={"down": True}, headers=admin)
        assert down.status_code == 200, down.text
        body = "".join(random.choices("0123456789", k=8))
        licence, org_code = "".join(random.choices("0123456789", k=15)), f"{body}-{org_code_check_char(body)}"
        dealer, _ = await confirmed_enterprise(client, has_uscc=False, uscc=None, business_licence_no=licence,
                                               org_code=org_code, tax_reg_no=f"11010{licence}")

        async def deliveries() -> list[dict]:
            page = await client.get("/api/v1/media-sync/deliveries", headers=admin,
                                    params={"enterprise_id": dealer["id"], "page_size": 200})
            return page.json()["items"]

        async def record_failed():  # the filing record goes first and is retried; its images wait for it
            rows = await deliveries()
            return any(d["kind"] == "filing_record" and d["last_error"] and d["attempts"] >= 2 for d in rows)

        async def all_delivered():
            rows = await deliveries()
            return len(rows) == 4 and all(d["status"] == "delivered" for d in rows)

        await eventually(record_failed, timeout=60)
        assert (await client.put("/stub/police/faults", json={"down": False}, headers=admin)).status_code == 200
        await eventually(all_delivered, timeout=60)

        async def byd():
            page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=admin)).json()
            return page["items"] or None

        brand = (await eventually(byd, timeout=60))[0]
        choice = {"brand_id": brand["id"], "manufacturer_id": brand["manufacturers"][0]["id"], "authorised": True}
        new_car, _ = await confirmed_enterprise(client, types=["new_car_dealer"], wait_for_transactions=False,
                                                filing={"brands": [choice], "professional_staff_count": None})
        province = await create_official(client, admin["Authorization"].split()[1], level="province",
                                         region_code="110000", can_review=False)
    return {"dealer": dealer["username"], "dealer_name": dealer["name"], "tax_reg_no": f"11010{licence}",
            "org_code": org_code, "new_car": new_car["username"], "province": province["username"],
            "password": PASSWORD, "vin": make_vin("LSVAB2BM", 901), "buyer_id": make_resident_id(seq=77),
            "suffix": str(int(time.time()))[-6:], "seller_uscc": make_uscc("330106")}


def test_first_day_screens_in_chromium(server, tmp_path):
    node = browser_tools()
    base, server_log = server
    world = asyncio.run(_world(base))
    env = {"BASE_URL": base, "ADMIN_PASSWORD": ADMIN_PASSWORD, "WORLD": json.dumps(world, ensure_ascii=False),
           "WEB_DIR": str(WEB), "PROFILE_DIR": str(tmp_path / "profile"), "CHROMIUM": CHROMIUM,
           "PATH": "/usr/bin:/bin"}
    started = time.monotonic()
    result = subprocess.run([node, str(Path(__file__).with_name("first_day.mjs"))], env=env, capture_output=True,
                            text=True, timeout=TIMEOUT)
    print(result.stdout)
    if result.returncode != 0:
        tail = server_log.read_text(errors="replace")[-4000:]
        pytest.fail(f"first-day screens failed after {time.monotonic() - started:.0f}s\n--- stdout\n"
                    f"{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}\n--- server log (tail)\n{tail}")
    assert "FIRST DAY OK" in result.stdout
