"""Filing (备案) through the gateway on real PostgreSQL, RabbitMQ and S3."""
from __future__ import annotations

import asyncio
import io
import struct
import zlib

import openpyxl
from autocirc_filing.models.filings import EnterpriseView
from PIL import Image

from tests.support.api import admin_token, bearer, create_official, login, make_uscc, register
from tests.support.images import jpeg_with_exif, png
from tests.support.waiting import eventually

FILING = {
    "share_chinese_pct": 100, "share_foreign_pct": 0,
    "legal_representative": "王五", "registered_capital_wan": 500, "business_area_m2": 1200.5,
    "founded_on": "2015-03-01", "term_from": "2015-03-01", "term_to": None, "branch_count": 1,
    "professional_staff_count": 12, "business_scope": "二手车经销",
    "residence": {"province_code": "110000", "city_code": "110100", "district_code": "110101", "street": "东长安街1号"},
    "business_address": {"province_code": "110000", "city_code": "110100", "district_code": "110105",
                          "street": "朝阳路88号"},
    "filler": {"name": "张三", "mobile": "13800138000", "email": "zhang@example.com"},
    "branches": [{"name": "朝阳分店", "licence_no": "110105000000001", "address": "朝阳路99号", "business_scope": "二手车经销"}],
}


async def upload(client, token: str, kind: str, data: bytes, name: str = "x.png", ctype: str = "image/png"):
    return await client.post(f"/api/v1/filing/media/{kind}", headers=bearer(token),
                             files={"file": (name, data, ctype)})



async def filed_enterprise(client) -> tuple[dict, str]:
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    saved = await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))
    assert saved.status_code == 200, saved.text
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        assert (await upload(client, token, kind, png(seed=hash(enterprise["uscc"]) + i))).status_code == 201
    return enterprise, token


async def test_fill_upload_submit_review_confirm_change_reject(system):
    client = system.client
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    empty = (await client.get("/api/v1/filing", headers=bearer(token))).json()
    assert empty["status"] == "draft" and empty["confirmed"] is None
    incomplete = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "filing.incomplete"
    fields = {e["field"] for e in incomplete.json()["errors"]}
    assert {"legal_representative", "professional_staff_count", "media.seal", "filler.mobile"} <= fields
    assert "resident_merchant_count" not in fields, "market-only fields are not asked of a dealer"
    assert (await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))).status_code == 200
    for kind in ("licence_original", "licence_copy", "seal"):
        uploaded = await upload(client, token, kind, png(seed=len(kind)))
        assert uploaded.status_code == 201, uploaded.text
        assert len(uploaded.json()["sha256"]) == 64
    submitted = await client.post("/api/v1/filing/submit", headers=bearer(token))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert (await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))).status_code == 409

    admin = await admin_token(client)
    province = await create_official(client, admin, level="province", region_code="110000")
    city = await create_official(client, await login(client, province["username"]), level="city", region_code="110100")
    city_token = await login(client, city["username"])
    listed = (await client.get("/api/v1/filings", params={"status": "submitted"}, headers=bearer(city_token))).json()
    assert enterprise["id"] in {f["enterprise_id"] for f in listed["items"]}
    denied = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(city_token))
    assert denied.status_code == 403, "no can_review yet"
    granted = await client.patch(f"/api/v1/officials/{city['id']}", json={"can_review": True},
                                 headers=bearer(await login(client, province["username"])))
    assert granted.status_code == 200

    async def confirmed():  # the old token still says no; filing learns the grant from identity's event
        response = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(city_token))
        return response if response.status_code == 200 else None

    response = await eventually(confirmed)
    assert response.json()["status"] == "confirmed"
    again = await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(city_token))
    assert again.status_code == 409 and again.json()["code"] == "filing.state"

    # a change: the confirmed version stays in force while the change waits
    old_seal = {m["kind"]: m["sha256"] for m in response.json()["media"]}["seal"]
    changed = {**FILING, "legal_representative": "赵六", "professional_staff_count": 15,
               "business_address": {**FILING["business_address"], "district_code": "110101", "street": "安定门外大街1号"}}
    assert (await client.put("/api/v1/filing", json={"data": changed}, headers=bearer(token))).status_code == 200
    new_seal = (await upload(client, token, "seal", png(seed=4242))).json()["sha256"]
    resubmitted = (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()
    assert resubmitted["status"] == "changed"
    assert resubmitted["confirmed"]["legal_representative"] == "王五"
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(city_token))).json()
    diff = {d["field"]: d for d in detail["diff"]}
    assert diff["legal_representative"]["before"] == "王五" and diff["legal_representative"]["after"] == "赵六"
    assert diff["legal_representative"]["label"] == "法定代表人"
    assert list(diff) == ["legal_representative", "professional_staff_count", "business_address.district_code",
                          "business_address.street", "media.seal"], "form order, images last"
    assert diff["business_address.street"]["label"] == "经营地址·街道门牌"
    assert diff["business_address.street"]["after"] == "安定门外大街1号"
    assert diff["business_address.district_code"]["label"] == "经营地址·区/县/市属"
    assert (diff["business_address.district_code"]["before"], diff["business_address.district_code"]["after"]) == (
        "朝阳区（110105）", "东城区（110101）")
    assert diff["media.seal"]["label"] == "公章"
    assert (diff["media.seal"]["before"], diff["media.seal"]["after"]) == (old_seal, new_seal)
    assert all("." not in d["label"] for d in detail["diff"])
    rejected = await client.post(f"/api/v1/filings/{enterprise['id']}/reject", json={"reason": "法定代表人与执照不符"},
                                 headers=bearer(city_token))
    assert rejected.status_code == 200
    mine = (await client.get("/api/v1/filing", headers=bearer(token))).json()
    assert mine["status"] == "rejected" and mine["review"]["reason"] == "法定代表人与执照不符"
    assert mine["confirmed"]["legal_representative"] == "王五", "the last confirmed version stays in force"


async def test_resubmitting_a_confirmed_filing_unchanged_still_becomes_changed(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    admin = await admin_token(client)
    reviewer = await create_official(client, admin, level="district", region_code="110101", can_review=True)
    reviewer_token = await login(client, reviewer["username"])
    await eventually(lambda: _status_after(client, f"/api/v1/filings/{enterprise['id']}/confirm", reviewer_token, 200))
    again = (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()
    assert again["status"] == "changed" and again["version"] == 2
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(reviewer_token))).json()
    assert detail["diff"] == []


async def _status_after(client, url, token, expected):
    return (await client.post(url, headers=bearer(token))).status_code == expected


async def test_scope_only_the_region_may_see_and_enterprises_never_review(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)
    await client.post("/api/v1/filing/submit", headers=bearer(token))
    admin = await admin_token(client)
    elsewhere = await create_official(client, admin, level="province", region_code="330000", can_review=True)
    other_token = await login(client, elsewhere["username"])
    await asyncio.sleep(0.5)
    assert (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(other_token))).status_code == 403
    assert (await client.post(f"/api/v1/filings/{enterprise['id']}/confirm",
                              headers=bearer(other_token))).status_code == 403
    listed = (await client.get("/api/v1/filings", headers=bearer(other_token))).json()
    assert enterprise["id"] not in {f["enterprise_id"] for f in listed["items"]}
    assert (await client.post(f"/api/v1/filings/{enterprise['id']}/confirm", headers=bearer(token))).status_code == 403
    assert (await client.get("/api/v1/filings", headers=bearer(token))).status_code == 403


async def test_shares_dates_and_formats_are_checked_on_save(system):
    client = system.client
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    for data, code in (({"share_chinese_pct": 60, "share_foreign_pct": 30}, "filing.share_total"),
                       ({"term_from": "2020-01-01", "term_to": "2019-01-01"}, "filing.term_order"),
                       ({"founded_on": "2999-01-01"}, "date.future"),
                       ({"filler": {"mobile": "123"}}, "mobile.format"),
                       ({"branch_count": 2, "branches": [{"name": "一店"}]}, "filing.branch_count"),
                       ({"business_address": {"province_code": "110000", "city_code": "110100",
                                              "district_code": "999999", "street": "x"}}, "region.unknown"),
                       ({"registered_capital_wan": -1}, "field.range"),
                       ({"unknown_field": 1}, "field.unknown")):
        response = await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))
        assert response.status_code == 422, (data, response.text)
        assert code in {e["code"] for e in response.json()["errors"]}, (data, response.json())
    stored = (await client.get("/api/v1/filing", headers=bearer(token))).json()["data"]
    assert set(stored) <= {"residence", "filler"} and "mobile" not in stored.get("filler", {}), "nothing was stored"


def _png_bomb() -> bytes:
    """A tiny PNG declaring 30000×30000 pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00" * 1000)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


async def test_uploads_refuse_fakes_bombs_and_oversize_and_strip_metadata(system):
    client = system.client
    enterprise = await register(client)
    token = await login(client, enterprise["uscc"])
    cases = [
        (b"GIF89a" + b"\x00" * 100, 415, "media.type"),
        (b"%PDF-1.4 not an image", 415, "media.type"),
        (png()[:200], 422, "media.corrupt"),
        (_png_bomb(), 422, "media.dimensions"),
        (png(20, 20), 422, "media.dimensions"),
        (b"\x89PNG\r\n\x1a\n" + b"A" * (301 * 1024), 413, "media.too_large"),
    ]
    for data, status, code in cases:
        response = await upload(client, token, "seal", data)
        assert response.status_code == status, (code, response.text)
        assert response.json()["code"] == code
    polyglot = png() + b"PK\x03\x04<?php evil(); ?>"
    cleaned = await upload(client, token, "licence_copy", polyglot)
    assert cleaned.status_code == 201
    exif = await upload(client, token, "licence_original", jpeg_with_exif(), "photo.jpg", "image/jpeg")
    assert exif.status_code == 201 and exif.json()["content_type"] == "image/jpeg"
    blobs = system.runtime("filing").app.state.blobs
    stored = await blobs.get(f"media/{exif.json()['sha256']}")
    assert not Image.open(io.BytesIO(stored)).getexif(), "EXIF (GPS) removed"
    stored_png = await blobs.get(f"media/{cleaned.json()['sha256']}")
    assert b"evil" not in stored_png, "appended payload dropped"
    media = (await client.get("/api/v1/filing/media", headers=bearer(token))).json()
    assert {m["kind"] for m in media} == {"licence_copy", "licence_original"}
    assert all(m["police_sync"]["status"] == "pending" for m in media)
    bad_kind = await upload(client, token, "passport", png())
    assert bad_kind.status_code == 422


async def test_export_workbook_and_printable_page(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)
    await asyncio.sleep(0.3)  # let filing learn the enterprise's name from identity's event
    response = await client.get("/api/v1/filing/export.xlsx", headers=bearer(token))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert sheet["A1"].value == "二手车企业信息备案登记表"
    assert enterprise["name"] in values and "王五" in values and "朝阳分店" in values
    page = await client.get("/api/v1/filing/print", headers=bearer(token))
    assert page.status_code == 200 and "备案登记表" in page.text and "王五" in page.text
    other = await register(client, uscc=make_uscc())
    other_page = await client.get("/api/v1/filing/print", headers=bearer(await login(client, other["uscc"])))
    assert "王五" not in other_page.text


async def test_new_car_dealer_chooses_brands_from_the_approved_catalogue(system):
    client = system.client
    enterprise = await register(client, types=["new_car_dealer"], uscc=make_uscc())
    token = await login(client, enterprise["uscc"])

    async def starter():
        page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"},
                                 headers=bearer(token))).json()
        return page["items"] or None

    byd = (await eventually(starter))[0]
    choice = {"brand_id": byd["id"], "manufacturer_id": byd["manufacturers"][0]["id"], "authorised": True}
    unknown = {"brand_id": "00000000-0000-0000-0000-000000000000", "manufacturer_id": choice["manufacturer_id"],
               "authorised": False}
    refused = await client.put("/api/v1/filing", json={"data": {"brands": [choice, unknown]}}, headers=bearer(token))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["brands.1"]
    assert refused.json()["errors"][0]["code"] == "filing.brand_unknown"
    saved = await client.put("/api/v1/filing", json={"data": {**FILING, "professional_staff_count": None,
                                                              "brands": [choice], "authorisation": "授权经销"}},
                             headers=bearer(token))
    assert saved.status_code == 200
    missing = (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()
    codes = {e["field"]: e["code"] for e in missing["errors"]}
    assert codes.get("authorisation") == "filing.not_applicable", "授权情况 is for OEMs and import distributors only"
    assert "professional_staff_count" not in codes, "no used-car fields for a new-car dealer"
    page = await client.get("/api/v1/filing/print", headers=bearer(token))
    assert "比亚迪" in page.text


async def test_the_change_diff_names_brands_and_each_replaced_image(system):
    client = system.client
    enterprise = await register(client, types=["new_car_dealer"], uscc=make_uscc())
    token = await login(client, enterprise["uscc"])

    async def starter(name: str):
        page = (await client.get("/api/v1/filing/catalog/brands", params={"q": name}, headers=bearer(token))).json()
        return page["items"] or None

    byd = (await eventually(lambda: starter("比亚迪")))[0]
    maker = byd["manufacturers"][0]
    choice = {"brand_id": byd["id"], "manufacturer_id": maker["id"], "authorised": True}
    data = {**FILING, "professional_staff_count": None, "brands": [choice]}
    assert (await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))).status_code == 200
    before = {}
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        before[kind] = (await upload(client, token, kind, png(seed=7000 + i))).json()["sha256"]
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    reviewer = await create_official(client, await admin_token(client), level="district", region_code="110101",
                                     can_review=True)
    reviewer_token = await login(client, reviewer["username"])
    await eventually(lambda: _status_after(client, f"/api/v1/filings/{enterprise['id']}/confirm", reviewer_token, 200))

    changed = {**data, "brands": [{**choice, "authorised": False}]}
    assert (await client.put("/api/v1/filing", json={"data": changed}, headers=bearer(token))).status_code == 200
    copy = (await upload(client, token, "licence_copy", png(seed=7100))).json()["sha256"]
    assert (await upload(client, token, "seal", png(seed=7000 + 2))).status_code == 201, "the same seal again"
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).json()["status"] == "changed"
    detail = (await client.get(f"/api/v1/filings/{enterprise['id']}", headers=bearer(reviewer_token))).json()
    diff = {d["field"]: d for d in detail["diff"]}
    assert list(diff) == ["brands", "media.licence_copy"], "an unchanged image is no change"
    assert diff["brands"]["label"] == "授权/非授权品牌"
    assert diff["brands"]["before"] == f"{byd['name']}（{maker['name']}，授权品牌）"
    assert diff["brands"]["after"] == f"{byd['name']}（{maker['name']}，非授权品牌）"
    assert byd["id"] not in str(diff["brands"])
    assert diff["media.licence_copy"] == {"field": "media.licence_copy", "label": "营业执照副本",
                                          "before": before["licence_copy"], "after": copy}


async def test_officials_never_see_drafts_never_submitted(system):
    client = system.client
    draft = await register(client, uscc=make_uscc())
    draft_token = await login(client, draft["uscc"])
    saved = await client.put("/api/v1/filing", json={"data": {"legal_representative": "草稿"}},
                             headers=bearer(draft_token))
    assert saved.status_code == 200
    submitted, token = await filed_enterprise(client)
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
    official = await create_official(client, await admin_token(client), level="district", region_code="110101",
                                     can_review=True)
    official_token = await login(client, official["username"])

    async def listed(**params) -> list[dict] | None:
        response = await client.get("/api/v1/filings", params={"page_size": 200, **params},
                                    headers=bearer(official_token))
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        return items if submitted["id"] in {f["enterprise_id"] for f in items} else None

    items = await eventually(listed)  # once filing has learnt of both enterprises
    assert draft["id"] not in {f["enterprise_id"] for f in items}
    assert all(f["submitted_at"] for f in items), "no filing without a submission in the queue"
    stamps = [f["submitted_at"] for f in items]
    assert stamps == sorted(stamps, reverse=True), "latest submission first"
    only_drafts = await client.get("/api/v1/filings", params={"status": "draft"}, headers=bearer(official_token))
    assert only_drafts.status_code == 200 and draft["id"] not in {f["enterprise_id"] for f in only_drafts.json()["items"]}

    async def known_to_filing():  # else the 404 below would only say filing has not heard of it yet
        async with system.runtime("filing").db.sessionmaker() as session:
            return await session.get(EnterpriseView, draft["id"])

    await eventually(known_to_filing)
    hidden = await client.get(f"/api/v1/filings/{draft['id']}", headers=bearer(official_token))
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert hidden.json()["detail"] == "备案信息不存在"
    assert (await client.get(f"/api/v1/filings/{submitted['id']}", headers=bearer(official_token))).status_code == 200
    for bad in ("bogus", "DRAFT"):
        refused = await client.get("/api/v1/filings", params={"status": bad}, headers=bearer(official_token))
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "field.choice" and refused.json()["errors"][0]["field"] == "status"
        assert not refused.json()["errors"][0]["message"].isascii()
    everything = await client.get("/api/v1/filings", params={"status": ""}, headers=bearer(official_token))
    assert everything.status_code == 200, "an empty filter means all"


async def test_branches_are_complete_and_as_many_as_stated_on_submit(system):
    client = system.client
    enterprise, token = await filed_enterprise(client)

    async def submit_errors(data: dict) -> dict[str, dict]:
        saved = await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))
        assert saved.status_code == 200, saved.text
        response = await client.post("/api/v1/filing/submit", headers=bearer(token))
        assert response.status_code == 422 and response.json()["code"] == "filing.incomplete", response.text
        return {e["field"]: e for e in response.json()["errors"]}

    stated = await submit_errors({**FILING, "branch_count": 2, "branches": []})  # a draft may state the number first
    assert set(stated) == {"branches"} and stated["branches"]["code"] == "filing.branch_count"
    assert stated["branches"]["message"].startswith("分支机构数量为2")

    only_named = await submit_errors({**FILING, "branch_count": 1, "branches": [{"name": "朝阳分店", "address": "  "}]})
    assert set(only_named) == {"branches.0.licence_no", "branches.0.address", "branches.0.business_scope"}
    assert {e["code"] for e in only_named.values()} == {"field.required"}
    assert only_named["branches.0.licence_no"]["message"] == "请填写第1个分支机构的营业执照号"
    assert only_named["branches.0.business_scope"]["message"] == "请填写第1个分支机构的业务范围"

    two = [FILING["branches"][0], {**FILING["branches"][0], "name": "海淀分店"}]
    fewer = await client.put("/api/v1/filing", json={"data": {**FILING, "branch_count": 1, "branches": two}},
                             headers=bearer(token))
    assert fewer.status_code == 422 and fewer.json()["code"] == "filing.branch_count"
    unnamed = await client.put("/api/v1/filing", json={"data": {**FILING, "branches": [{"name": " "}]}},
                               headers=bearer(token))
    assert unnamed.status_code == 422
    assert unnamed.json()["errors"][0]["message"] == "请填写第1个分支机构的名称"

    none = {**FILING, "branch_count": 0, "branches": []}
    assert (await client.put("/api/v1/filing", json={"data": none}, headers=bearer(token))).status_code == 200
    assert (await client.post("/api/v1/filing/submit", headers=bearer(token))).status_code == 200
