"""Used-car transactions (二手车交易) through the gateway on real PostgreSQL and RabbitMQ."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime

import aio_pika
import pytest

from tests.support.api import HANGZHOU_XIHU, admin_token, bearer, create_official, login, register
from tests.support.flows import (
    BUYER_ID,
    SELLER_MOBILE,
    confirmed_enterprise,
    make_vin,
    move_enterprise,
    transaction_body,
)

URL = "/api/v1/transactions"


@pytest.fixture(scope="module")
async def dealer(system):
    """One Beijing (东城区) used-car dealer with a confirmed filing, shared by this module's tests."""
    return await confirmed_enterprise(system.client)


async def create(client, token, body=None):
    return await client.post(URL, json=body or transaction_body(), headers=bearer(token))


async def official_token(client, level: str, region_code: str) -> str:
    official = await create_official(client, await admin_token(client), level=level, region_code=region_code)
    return await login(client, official["username"])


async def test_entry_needs_a_confirmed_filing(system):
    client = system.client
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    refused = await create(client, token)
    assert refused.status_code == 403 and refused.json()["code"] == "filing.not_confirmed"
    assert (await client.post(URL, json={}, headers=bearer(token))).status_code == 403, "the gate comes first"
    upload = await client.post(f"{URL}/imports", content=b"not a form" * 1000, headers=bearer(token))
    assert (upload.status_code, upload.json()["code"]) == (403, "filing.not_confirmed"), "before the upload is read"
    official = await official_token(client, "city", "110100")
    assert (await create(client, official)).json()["code"] == "forbidden.role"


async def test_record_then_find_it_by_vin_and_plate_only_within_tenant_and_region(system, dealer):
    client = system.client
    _, token = dealer
    body = transaction_body(vehicle={"plate_number": "京N7K3M9"})
    created = await create(client, token, body)
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["version"] == 1 and record["source"] == "api" and record["transfer"] == "local"
    assert record["vehicle"]["report_category"] == "passenger_basic" and record["vehicle"]["origin"] == "domestic"
    assert record["deal"]["price"] == 56800.5 and record["deal"]["price_upper"] == "伍万陆仟捌佰元伍角"
    assert record["buyer"]["id_number"] == BUYER_ID and record["masked"] is False
    vin = body["vehicle"]["vin"]

    async def ids(params, who=token):
        response = await client.get(URL, params=params, headers=bearer(who))
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids({"vin": vin}) == [record["id"]]
    assert await ids({"vin": vin[-6:].lower()}) == [record["id"]], "the last six VIN characters"
    assert await ids({"plate_number": "京n7k3m9"}) == [record["id"]]
    assert record["id"] in await ids({"buyer_name": "李", "vehicle_type": "K33", "trade_from": "2024-03-15",
                                      "trade_to": "2024-03-15", "sort": "trade_date"})
    assert await ids({"vin": vin, "trade_from": "2024-03-16"}) == []
    assert await ids({"vin": vin, "reported_to": "2000-01-01"}) == []
    assert (await client.get(URL, params={"sort": "price"}, headers=bearer(token))).status_code == 422

    other = await register(client)
    other_token = await login(client, other["uscc"])
    assert (await client.get(f"{URL}/{record['id']}", headers=bearer(other_token))).status_code == 404
    assert await ids({"vin": vin}, other_token) == []
    changed = await client.put(f"{URL}/{record['id']}", json=body, headers=bearer(other_token))
    assert changed.status_code == 403, "no confirmed filing: refused before anything else"

    district = await official_token(client, "district", "110101")
    listed = (await client.get(URL, params={"vin": vin}, headers=bearer(district))).json()["items"]
    assert [item["id"] for item in listed] == [record["id"]]
    seen = (await client.get(f"{URL}/{record['id']}", headers=bearer(district))).json()
    for view in (listed[0], seen):
        assert view["masked"] is True
        assert view["buyer"]["id_number"] == "110101********1233"
        assert view["buyer"]["mobile"] == "138****5678" and view["seller"]["mobile"] == "139****5678"
    refused = await client.put(f"{URL}/{record['id']}", json=body, headers=bearer(district))
    assert refused.status_code == 403, "officials read only"
    zhejiang = await official_token(client, "province", "330000")
    assert await ids({"vin": vin}, zhejiang) == []
    assert (await client.get(f"{URL}/{record['id']}", headers=bearer(zhejiang))).status_code == 403
    national = await official_token(client, "national", "000000")
    assert await ids({"vin": vin}, national) == [record["id"]]


def _bad(**sections):
    return transaction_body(**sections)


BAD = [
    (_bad(vehicle={"vin": "LSVAB2BM1HN000123"}), "vehicle.vin", "vin.checksum"),
    (_bad(vehicle={"plate_number": "京12345"}), "vehicle.plate_number", "plate.format"),
    (_bad(buyer={"id_number": "110101199003071234"}), "buyer.id_number", "id_number.checksum"),
    (_bad(seller={"uscc": "91330106MA2B3C4D5E"}), "seller.uscc", "uscc.checksum"),
    (_bad(buyer={"mobile": "1381234567"}), "buyer.mobile", "mobile.format"),
    (_bad(vehicle={"vehicle_type": "K99"}), "vehicle.vehicle_type", "vehicle_type.unknown"),
    (_bad(vehicle={"vehicle_type": "K31"}), "vehicle.report_category", "report_category.required"),
    (_bad(deal={"price": 12}), "deal.price", "price.range"),
    (_bad(deal={"trade_date": "2999-01-01"}), "deal.trade_date", "date.future"),
    (_bad(deal={"price_upper": "伍万元整"}), "deal.price_upper", "price.upper_mismatch"),
    (_bad(vehicle={"vin": "WBA3A5C50DF000001"}), "vehicle.vin", "vin.checksum_warning"),
]


async def test_each_invalid_field_is_refused_and_nothing_is_stored(system):
    client = system.client
    _, token = await confirmed_enterprise(client)
    for body, field, code in BAD:
        response = await create(client, token, body)
        assert response.status_code == 422, (code, response.text)
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == code and [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    everything = await create(client, token, _bad(buyer={"id_number": "110101199003071234", "name": ""},
                                                   vehicle={"plate_number": "X"}, deal={"price": 1}))
    assert {e["field"] for e in everything.json()["errors"]} == {"buyer.name", "buyer.id_number",
                                                                 "vehicle.plate_number", "deal.price"}
    listed = (await client.get(URL, headers=bearer(token))).json()
    assert listed["total"] == 0, "nothing stored"
    confirmed = await create(client, token, _bad(vehicle={"vin": "WBA3A5C50DF000001", "vin_checksum_confirmed": True}))
    assert confirmed.status_code == 201 and confirmed.json()["vehicle"]["origin"] == "imported"
    k31 = await create(client, token, _bad(vehicle={"vehicle_type": "K31", "report_category": "mpv"}))
    assert k31.status_code == 201 and k31.json()["vehicle"]["report_category"] == "mpv"


async def test_edit_history_delete_and_duplicates(system, dealer):
    client = system.client
    enterprise, token = dealer
    body = transaction_body()
    record = (await create(client, token, body)).json()
    again = await create(client, token, transaction_body(vehicle={"vin": body["vehicle"]["vin"].lower()}))
    assert again.status_code == 409 and again.json()["code"] == "transactions.duplicate"
    assert again.json()["existing_id"] == record["id"]

    edited = transaction_body(buyer={"mobile": "13700001111"}, deal={"price": 60000, "trade_type": "consignment"})
    edited["vehicle"] = body["vehicle"]
    edited["seller"] = body["seller"]
    updated = await client.put(f"{URL}/{record['id']}", json=edited, headers=bearer(token))
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2 and updated.json()["deal"]["price_upper"] == "陆万元整"
    round_trip = await client.put(f"{URL}/{record['id']}", json=updated.json(), headers=bearer(token))
    assert round_trip.status_code == 200 and round_trip.json()["version"] == 2, "sent back unchanged: no new version"
    invalid = await client.put(f"{URL}/{record['id']}", json=transaction_body(deal={"price": 1}), headers=bearer(token))
    assert invalid.status_code == 422 and invalid.json()["code"] == "price.range"

    history = (await client.get(f"{URL}/{record['id']}/history", headers=bearer(token))).json()
    assert [(h["action"], h["version"]) for h in history] == [("create", 1), ("update", 2)]
    assert history[1]["actor_name"] == enterprise["uscc"]
    changes = {c["field"]: c for c in history[1]["changes"]}
    assert set(changes) == {"buyer.mobile", "deal.price", "deal.price_upper", "deal.trade_type"}
    assert (changes["deal.price"]["before"], changes["deal.price"]["after"]) == (56800.5, 60000)
    assert changes["buyer.mobile"]["label"] == "买方单位/个人手机"
    district = await official_token(client, "district", "110101")
    masked = (await client.get(f"{URL}/{record['id']}/history", headers=bearer(district))).json()
    assert {c["field"]: c for c in masked[1]["changes"]}["buyer.mobile"]["after"] == "137****1111"

    other = transaction_body()
    second = (await create(client, token, other)).json()
    clash = await client.put(f"{URL}/{second['id']}", json={**other, "vehicle": body["vehicle"]},
                             headers=bearer(token))
    assert clash.status_code == 409 and clash.json()["code"] == "transactions.duplicate"

    assert (await client.delete(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 204
    assert (await client.get(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 404
    assert (await client.delete(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 404
    trail = await client.get(f"{URL}/{record['id']}/history", headers=bearer(token))
    assert trail.status_code == 200, "the owner still reads a deleted record's history"
    assert [(h["action"], h["version"]) for h in trail.json()] == [("create", 1), ("update", 2), ("delete", 3)]
    removal = trail.json()[2]
    assert removal["actor_name"] == enterprise["uscc"] and removal["actor"] == history[1]["actor"]
    assert datetime.fromisoformat(removal["at"]) >= datetime.fromisoformat(history[1]["at"])
    stranger = await login(client, (await register(client))["uscc"])
    for who in (stranger, district):
        hidden = await client.get(f"{URL}/{record['id']}/history", headers=bearer(who))
        assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found"), "as if it never was"
    assert (await create(client, token, body)).status_code == 201, "deleted: the VIN and date are free again"
    assert (await client.get(f"{URL}/not-a-uuid", headers=bearer(token))).status_code == 404


async def test_events_carry_facts_and_versions_and_no_personal_data(system, dealer):
    client = system.client
    enterprise, token = dealer
    connection = await aio_pika.connect(system.env["AUTOCIRC_AMQP_URL"])
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(f"{system.env['AUTOCIRC_BUS_NAMESPACE']}.events", "transactions.#")
        body = transaction_body(vehicle={"vehicle_type": "H51", "usage_code": "F", "vin": make_vin("LGAX3A13")},
                                deal={"transfer_region_code": "330106", "trade_type": "consignment"})
        record = (await create(client, token, body)).json()
        body["deal"]["price"] = 70000
        assert (await client.put(f"{URL}/{record['id']}", json=body, headers=bearer(token))).status_code == 200
        assert (await client.delete(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 204

        seen: list[tuple[dict, bytes]] = []
        deadline = asyncio.get_running_loop().time() + 15
        while len(seen) < 3:
            assert asyncio.get_running_loop().time() < deadline, f"events not published: {seen}"
            message = await queue.get(fail=False, no_ack=True)
            if message is None:
                await asyncio.sleep(0.1)
                continue
            envelope = json.loads(message.body)
            if envelope["payload"]["transaction_id"] == record["id"]:
                seen.append((envelope, message.body))
    seen.sort(key=lambda item: item[0]["payload"]["version"])
    assert [(e["name"], e["payload"]["version"]) for e, _ in seen] == [
        ("transactions.recorded.v1", 1), ("transactions.amended.v1", 2), ("transactions.deleted.v1", 3)]
    recorded, amended = seen[0][0]["payload"]["facts"], seen[1][0]["payload"]["facts"]
    assert recorded == {
        "enterprise_id": enterprise["id"], "region_code": "110101", "trade_date": "2024-03-15",
        "report_category": "low_speed_truck", "amount_yuan": recorded["amount_yuan"], "trade_type": "consignment",
        "transfer": "out", "usage": "operating", "origin": "domestic", "first_registration_date": "2018-05-20"}
    assert float(recorded["amount_yuan"]) == 56800.5 and float(amended["amount_yuan"]) == 70000
    assert seen[2][0]["payload"]["enterprise_id"] == enterprise["id"]
    for envelope, raw in seen:
        assert envelope["producer"] == "transactions"
        for secret in (BUYER_ID, "13812345678", SELLER_MOBILE, body["seller"]["uscc"]):
            assert secret.encode() not in raw, "no personal data in events"


async def test_records_follow_the_enterprise_when_it_moves_region(system):
    client = system.client
    enterprise, token = await confirmed_enterprise(client)
    record = (await create(client, token)).json()
    zhejiang = await official_token(client, "province", "330000")
    beijing = await official_token(client, "province", "110000")
    await move_enterprise(system, enterprise, token, HANGZHOU_XIHU)

    async def visible(who):
        return (await client.get(f"{URL}/{record['id']}", headers=bearer(who))).status_code == 200

    deadline = asyncio.get_running_loop().time() + 15
    while not await visible(zhejiang):
        assert asyncio.get_running_loop().time() < deadline, "the move never reached transactions"
        await asyncio.sleep(0.1)
    assert not await visible(beijing)
    office = "杭州市公安局交通警察支队车辆管理所"
    later = await create(client, token, transaction_body(deal={"transfer_office": office}))
    assert later.json()["transfer"] == "local", "local now means 杭州"


async def test_embedded_mode_stores_edits_and_deletes_too(embedded):
    client = embedded.client
    _, token = await confirmed_enterprise(client)
    body = transaction_body()
    record = (await create(client, token, body)).json()
    assert (await create(client, token, body)).json()["code"] == "transactions.duplicate"
    body["deal"]["price"] = 61000
    updated = await client.put(f"{URL}/{record['id']}", json=body, headers=bearer(token))
    assert updated.status_code == 200 and updated.json()["version"] == 2
    found = (await client.get(URL, params={"vin": body["vehicle"]["vin"]}, headers=bearer(token))).json()
    assert found["total"] == 1 and found["items"][0]["deal"]["price"] == 61000
    assert (await client.delete(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 204
    assert (await client.get(f"{URL}/{record['id']}", headers=bearer(token))).status_code == 404
    trail = (await client.get(f"{URL}/{record['id']}/history", headers=bearer(token))).json()
    assert [(h["action"], h["version"]) for h in trail] == [("create", 1), ("update", 2), ("delete", 3)]
    stranger = await login(client, (await register(client))["uscc"])
    assert (await client.get(f"{URL}/{record['id']}/history", headers=bearer(stranger))).status_code == 404
