"""Vehicle history (车辆档案) and plausibility warnings through the gateway, in both modes."""
from __future__ import annotations

import pytest

from tests.integration.test_transactions_excel import imported, workbook
from tests.support.api import HANGZHOU_XIHU, admin_token, bearer, create_official, login
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body

URL = "/api/v1/transactions"
TJ_HEPING = {"province_code": "120000", "city_code": "120100", "district_code": "120101", "street": "南京路1号"}


@pytest.fixture(scope="module", params=["system", "embedded"])
def running(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
async def world(running):
    """A Beijing and a Hangzhou dealer, and officials at several levels, in either mode."""
    client = running.client
    beijing, hangzhou = await confirmed_enterprise(client), await confirmed_enterprise(client, residence=HANGZHOU_XIHU)
    admin = await admin_token(client)

    async def official(level, code):
        return await login(client, (await create_official(client, admin, level=level, region_code=code))["username"])

    officials = {"national": await official("national", "000000"), "province": await official("province", "330000"),
                 "district": await official("district", "110101"), "tianjin": await official("district", "120101")}
    return client, beijing, hangzhou, officials


def sale(vin: str, day: str, km: float | None, plate: str = "京A12345") -> dict:
    return transaction_body(vehicle={"vin": vin, "plate_number": plate}, deal={"trade_date": day, "mileage_km": km})


async def enter(client, token, body) -> dict:
    response = await client.post(URL, json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()


async def test_history_verdict_findings_scope_and_entry_warnings(world):
    client, (beijing, bj_token), (hangzhou, hz_token), officials = world
    vin = make_vin()
    first = await enter(client, bj_token, sale(vin, "2024-01-10", 80000))
    assert first["warnings"] == [] and first["deal"]["mileage_km"] == 80000
    # Hangzhou sells it later with less on the clock, then Beijing and Hangzhou both on one day
    rolled_back = await enter(client, hz_token, sale(vin, "2024-02-20", 41000.5, plate="浙A54321"))
    assert [w["code"] for w in rolled_back["warnings"]] == ["mileage.decreased"]
    assert beijing["name"] not in rolled_back["warnings"][0]["message"] and "80000" not in str(rolled_back)
    same_day = await enter(client, bj_token, sale(vin, "2024-02-20", 90000, plate="浙A54321"))
    assert [w["code"] for w in same_day["warnings"]] == ["vin.concurrent_trade"]
    assert hangzhou["name"] not in str(same_day["warnings"])
    listed = await client.get(f"{URL}/{first['id']}", headers=bearer(bj_token))
    assert "warnings" not in listed.json(), "warnings belong to the entry's answer only"
    resent = await client.put(f"{URL}/{first['id']}", json=first, headers=bearer(bj_token))
    assert resent.status_code == 200, "the entry's answer goes back as it is"

    national = await client.get(f"/api/v1/vehicles/{vin.lower()}/history", headers=bearer(officials["national"]))
    assert national.status_code == 200, national.text
    history = national.json()
    assert history["vin"] == vin and history["mileage_verdict"] == "inconsistent"
    assert [r["trade_date"] for r in history["records"]] == ["2024-01-10", "2024-02-20", "2024-02-20"]
    assert [r["mileage_km"] for r in history["records"]] == [80000, 41000.5, 90000]
    assert {r["enterprise_uscc"] for r in history["records"]} == {beijing["uscc"], hangzhou["uscc"]}
    assert {f["code"] for f in history["findings"]} == {"mileage.decreased", "vin.traded_twice_same_day",
                                                        "plate.changed"}
    assert not any(key in str(history) for key in ("李四", "110101199003071233", "13812345678")), "no buyer data"
    province = (await client.get(f"/api/v1/vehicles/{vin}/history", headers=bearer(officials["province"]))).json()
    assert [r["in_region"] for r in province["records"]] == [False, True, False]
    assert all(r["enterprise_uscc"] and r["plate_number"] for r in province["records"]), "a province sees all"

    district = (await client.get(f"/api/v1/vehicles/{vin}/history", headers=bearer(officials["district"]))).json()
    own, other = ([r for r in district["records"] if r["in_region"] is flag] for flag in (True, False))
    assert [r["enterprise_uscc"] for r in own] == [beijing["uscc"]] * 2 and own[0]["region_code"] == "110101"
    assert other == [{"trade_date": "2024-02-20", "mileage_km": 41000.5, "enterprise_name": hangzhou["name"],
                      "enterprise_uscc": None, "region_code": None, "plate_number": None, "in_region": False}]
    assert district["mileage_verdict"] == "inconsistent"

    elsewhere = await client.get(f"/api/v1/vehicles/{vin}/history", headers=bearer(officials["tianjin"]))
    assert elsewhere.status_code == 404, "no record in the official's region: nothing to see"
    assert (await client.get(f"/api/v1/vehicles/{vin}/history", headers=bearer(bj_token))).status_code == 403
    assert (await client.get(f"/api/v1/vehicles/{vin}/history")).status_code == 401

    found = await client.get("/api/v1/vehicles/findings", params={"period": "2024-02"},
                             headers=bearer(officials["district"]))
    assert found.status_code == 200, found.text
    item = next(i for i in found.json()["items"] if i["vin"] == vin)
    assert item["mileage_verdict"] == "inconsistent" and item["sales"] == 3
    assert item["last_trade_date"] == "2024-02-20"
    quiet = await client.get("/api/v1/vehicles/findings", params={"period": "2023"},
                             headers=bearer(officials["district"]))
    assert vin not in str(quiet.json())
    refused = await client.get("/api/v1/vehicles/findings", params={"period": "2024-02", "region_code": "330106"},
                               headers=bearer(officials["district"]))
    assert (refused.status_code, refused.json()["code"]) == (403, "region.forbidden")
    bad = await client.get("/api/v1/vehicles/findings", params={"period": "2024-2"},
                           headers=bearer(officials["district"]))
    assert (bad.status_code, bad.json()["code"]) == (422, "period.format")


async def test_an_import_answers_with_warnings_and_stores_everything(world):
    client, (_, bj_token), (_, hz_token), _ = world
    vins = [make_vin(), make_vin(), make_vin()]
    await enter(client, bj_token, sale(vins[0], "2024-04-01", 120000))
    await enter(client, bj_token, sale(vins[1], "2024-04-02", 1000))
    job = await imported(client, hz_token, workbook([sale(vins[0], "2024-05-01", 60000),
                                                     sale(vins[1], "2024-04-02", 2000),
                                                     sale(vins[2], "2024-05-01", 10)]))
    assert job["status"] == "succeeded" and job["imported"] == 3, job
    assert job["warning_count"] == 2
    assert sorted((w["vin"], w["code"]) for w in job["warnings"]) == sorted(
        [(vins[0], "mileage.decreased"), (vins[1], "vin.concurrent_trade")])


async def test_a_purchase_long_before_the_first_registration_is_stored_but_warned(world):
    """Entry, batch and import: ``date.purchase_before_registration`` (a new car is registered within days)."""
    client, (_, bj_token), (_, hz_token), _ = world

    def dated(vin: str, purchase: str) -> dict:
        body = sale(vin, "2024-06-03", None)
        body["vehicle"]["first_registration_date"] = "2018-05-20"
        body["deal"]["initial_purchase_date"] = purchase
        return body

    warned = await enter(client, bj_token, dated(make_vin(), "2017-01-05"))
    assert [w["code"] for w in warned["warnings"]] == ["date.purchase_before_registration"]
    assert "2017-01-05" in warned["warnings"][0]["message"] and "初次登记日期" in warned["warnings"][0]["message"]
    assert warned["deal"]["initial_purchase_date"] == "2017-01-05", "stored as entered"
    assert (await enter(client, bj_token, dated(make_vin(), "2018-05-12")))["warnings"] == [], "days before: normal"

    batch = await client.post(f"{URL}/batch", headers={**bearer(bj_token), "Idempotency-Key": make_vin()},
                              json={"records": [dated(make_vin(), "2018-05-18"), dated(make_vin(), "2016-12-30")]})
    assert batch.status_code == 201, batch.text
    assert [(w["index"], w["field"], w["code"]) for w in batch.json()["warnings"]] == [
        (1, "records.1.deal.initial_purchase_date", "date.purchase_before_registration")]

    vins = [make_vin(), make_vin()]
    job = await imported(client, hz_token, workbook([dated(vins[0], "2018-05-01"), dated(vins[1], "2015-03-01")]))
    assert job["status"] == "succeeded" and job["imported"] == 2, job
    assert [(w["vin"], w["code"]) for w in job["warnings"]] == [(vins[1], "date.purchase_before_registration")]


async def test_a_foreign_national_is_refused_a_resident_id(world):
    client, (_, bj_token), _, _ = world
    body = sale(make_vin(), "2024-06-04", None)
    body["buyer"].update(nationality="USA", ethnicity=None, id_type="resident_id")
    refused = await client.post(URL, json=body, headers=bearer(bj_token))
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("buyer.id_type", "id_type.nationality")]
    assert "居民身份证仅适用于中国国籍" in refused.json()["detail"]
    body["buyer"].update(id_type="passport", id_number="E12345678")
    assert (await enter(client, bj_token, body))["buyer"]["id_type"] == "passport"
