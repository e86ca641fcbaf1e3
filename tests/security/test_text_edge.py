"""Text that cannot be stored or shown honestly is refused at the door, in every field of every endpoint:
lone surrogates (422 ``field.encoding``), bidi and other invisible format characters (422
``field.control_char``); a row stored that way before is repaired by a migration and never fails a list;
a non-JSON body on a JSON endpoint is 415 ``body.media_type``."""
from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import openpyxl
from autocirc_shared.migrations import alembic_config
from sqlalchemy import JSON as SA_JSON
from sqlalchemy import bindparam, text

from tests.support.api import admin_token, bearer, create_official, login, make_uscc, registration
from tests.support.flows import confirmed_enterprise, make_vin, transaction_body

from .conftest import TIBET, figure, mode_of

POISON = "\ud800北京"


def raw_json(body) -> dict:
    """As a client sends it: JSON with ASCII escapes (httpx itself cannot encode a lone surrogate)."""
    return {"content": json.dumps(body).encode(), "headers": {"Content-Type": "application/json"}}


def _json_operations(document: dict) -> list[tuple[str, str, list[str]]]:
    out = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"].get("schema", {})
            if "$ref" in schema:
                schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            out.append((method.upper(), path, sorted(schema.get("properties", {})) or ["value"]))
    return out


async def test_a_lone_surrogate_is_422_in_every_field_of_every_json_endpoint(any_system):
    client = any_system.client
    admin = bearer(await admin_token(client))
    operations = _json_operations((await client.get("/openapi.json")).json())
    assert len(operations) >= 30
    checked = 0
    for method, path, fields in operations:
        url = path.replace("{", "").replace("}", "")  # any id: the door is before routing decides it is absent
        for field in fields:
            response = await client.request(method, url, content=json.dumps({field: {"nested": [POISON]}}).encode(),
                                            headers={**admin, "Content-Type": "application/json"})
            assert response.status_code == 422, (method, path, field, response.status_code, response.text)
            body = response.json()
            assert body["code"] == "field.encoding" and body["errors"][0]["field"] == f"{field}.nested.0", body
            checked += 1
    figure(f"surrogate_fields_refused_{mode_of(any_system)}", f"{checked} fields of {len(operations)} operations")
    # the registration form, a real transaction, and a key: nothing is stored
    refused = await client.post("/api/v1/enterprises", **raw_json(registration(name="公司" + POISON)))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "name"


async def test_bidi_and_invisible_format_characters_are_refused_in_names_and_addresses(any_system):
    client = any_system.client
    _, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    cases = {"buyer.name": {"buyer": {"name": "李\u202e四"}},
             "buyer.address": {"buyer": {"address": "北京市\u200b东城区"}},
             "seller.name": {"seller": {"name": "\u2066杭州某某汽车服务有限公司"}},
             "seller.address": {"seller": {"address": "杭州市西湖区\ufeff文三路1号"}}}
    for field, patch in cases.items():
        body = transaction_body(vehicle={"vin": make_vin("LFV3A23C")}, **patch)
        response = await client.post("/api/v1/transactions", headers=bearer(token), json=body)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["code"] == "field.control_char", response.text
        assert response.json()["errors"][0]["field"] == field
    assert (await client.get("/api/v1/transactions", headers=bearer(token))).json()["total"] == 0
    spoofed = await client.post("/api/v1/enterprises", json=registration(name="测试\u202e司公限有车手二"))
    assert spoofed.status_code == 422 and spoofed.json()["errors"][0] == {
        "field": "name", "code": "field.control_char", "message": spoofed.json()["errors"][0]["message"]}
    # an emoji with a zero-width joiner is one character, not a control: it passes the door
    family = transaction_body(vehicle={"vin": make_vin("LFV3A23C")}, buyer={"address": "北京市东城区👨\u200d👩\u200d👧"})
    assert (await client.post("/api/v1/transactions", headers=bearer(token), json=family)).status_code == 201
    figure(f"format_chars_refused_{mode_of(any_system)}", len(cases) + 1)


async def test_a_non_json_body_on_a_json_endpoint_is_415(any_system):
    client = any_system.client
    for path in ("/api/v1/enterprises", "/api/v1/auth/login"):
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
            response = await client.post(path, content=json.dumps(registration()).encode(),
                                         headers={"Content-Type": content_type})
            assert response.status_code == 415, (path, content_type, response.text)
            assert response.json()["code"] == "body.media_type" and not response.json()["detail"].isascii()
    fine = await client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert fine.status_code == 401


async def test_a_row_stored_with_a_lone_surrogate_fails_no_list_and_is_repaired(any_system):
    """Simulates a row stored before the door refused it: the lists (enterprise, officials), the export still
    answer; the migration repairs it to U+FFFD."""
    client = any_system.client
    enterprise, token = await confirmed_enterprise(client, residence=dict(TIBET), uscc=make_uscc("540102"))
    entered = await client.post("/api/v1/transactions", headers=bearer(token),
                                json=transaction_body(vehicle={"vin": make_vin("LFV3A23C")}))
    assert entered.status_code == 201, entered.text
    runtime = any_system.runtime("transactions")
    async with runtime.db.engine.begin() as conn:
        data = json.loads((await conn.execute(text("SELECT CAST(data AS TEXT) FROM transactions WHERE id = :i"),
                                              {"i": entered.json()["id"]})).scalar_one())
        data["buyer"]["address"] = POISON
        data["vehicle"]["plate_number"] = "\ud800A12345"  # an identifier: pydantic-core's length check refuses it
        await conn.execute(text("UPDATE transactions SET data = :d WHERE id = :i").bindparams(
            bindparam("d", type_=SA_JSON)), {"d": data, "i": entered.json()["id"]})
    official = await create_official(client, await admin_token(client), level="province", region_code="540000")
    readers = {"enterprise": token, "official": await login(client, official["username"])}
    for who, reader in readers.items():
        page = await client.get("/api/v1/transactions", headers=bearer(reader), params={"page_size": 200})
        assert page.status_code == 200, (who, page.text)
    mine = (await client.get("/api/v1/transactions", headers=bearer(token))).json()["items"]
    assert mine[0]["buyer"]["address"] == "\ufffd北京" and mine[0]["vehicle"]["plate_number"] == "\ufffdA12345"
    export = await client.get("/api/v1/transactions/export.xlsx", headers=bearer(token))
    assert export.status_code == 200
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row]
    assert "\ufffd北京" in cells
    # the migration repairs what is stored
    migrations = Path(runtime.migrations_dir)
    from alembic import command

    config = alembic_config(migrations, runtime.db.url)
    await asyncio.to_thread(command.downgrade, config, "0003")
    await asyncio.to_thread(command.upgrade, config, "head")
    async with runtime.db.engine.connect() as conn:
        stored = json.loads((await conn.execute(text("SELECT CAST(data AS TEXT) FROM transactions WHERE id = :i"),
                                                {"i": entered.json()["id"]})).scalar_one())
    assert stored["buyer"]["address"] == "\ufffd北京" and stored["vehicle"]["plate_number"] == "\ufffdA12345"
    figure(f"poisoned_row_lists_{mode_of(any_system)}", "enterprise 200, province official 200, export opens, repaired")
