"""The catalog through the gateway: proposals, near-duplicates, the admin's review, search, the
starter set, and the approved entries reaching filing's projection over the bus."""
from __future__ import annotations

import random
import string

import pytest
from autocirc_filing.models.catalog_projection import (
    ProjectedBrandManufacturer,
    ProjectedDisplacement,
    ProjectedManufacturer,
    ProjectedModel,
)
from sqlalchemy import select

from tests.support.api import admin_token, bearer, login, register
from tests.support.waiting import eventually

API = "/api/v1/catalog"


def tag() -> str:
    return "".join(random.choices(string.ascii_uppercase, k=6))



async def enterprise_headers(client) -> dict:
    account = await register(client)
    return bearer(await login(client, account["username"]))


@pytest.fixture(scope="module")
async def users(system):
    client = system.client
    return {"ent": await enterprise_headers(client), "other": await enterprise_headers(client),
            "admin": bearer(await admin_token(client))}


async def post(client, path: str, headers: dict, body: dict, status: int = 201) -> dict:
    response = await client.post(API + path, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def listing(client, path: str, headers: dict, **params) -> dict:
    response = await client.get(API + path, params={"page_size": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def propose_chain(client, headers: dict, t: str, litres=(1.5, 2.0)) -> tuple[dict, dict, dict]:
    maker = await post(client, "/manufacturers", headers, {"name": f"测试汽车{t}", "country": "中国"})
    brand = await post(client, "/brands", headers, {"name": f"测试{t}", "manufacturer_ids": [maker["id"]]})
    model = await post(client, "/models", headers, {"brand_id": brand["id"], "manufacturer_id": maker["id"],
                                                    "name": f"星{t}", "displacements": list(litres)})
    return maker, brand, model


async def approve(client, headers: dict, kind: str, entry_id: str, status: int = 200) -> dict:
    return await post(client, f"/{kind}/{entry_id}/approve", headers, {}, status)


async def filing_rows(system, query) -> list:
    async with system.runtime("filing").db.sessionmaker() as session:
        return list((await session.execute(query)).all())


async def test_propose_review_and_project_to_filing(system, users):
    client, ent, other, admin = system.client, users["ent"], users["other"], users["admin"]
    t = tag()
    maker, brand, model = await propose_chain(client, ent, t)
    assert maker["status"] == brand["status"] == model["status"] == "pending"
    assert [m["id"] for m in brand["manufacturers"]] == [maker["id"]]
    assert [d["litres"] for d in model["displacements"]] == [1.5, 2.0]

    for near in (f"星{t}舒适版", f"星 {t.lower()} 1.5L", f"测试{t} 星{t}"):
        dup = await post(client, "/models", ent, {"brand_id": brand["id"], "manufacturer_id": maker["id"],
                                                  "name": near}, 409)
        assert dup["code"] == "catalog.duplicate", near
        assert dup["existing"] == {"id": model["id"], "name": model["name"], "status": "pending"}
    dup = await post(client, "/manufacturers", other, {"name": f"测试汽车（{t.lower()}）", "country": "中国"}, 409)
    assert dup["existing"]["id"] == maker["id"]

    # pending proposals are the proposer's and the admin's only
    assert not (await listing(client, "/brands", other, q=f"测试{t}"))["items"]
    assert [b["id"] for b in (await listing(client, "/brands", ent, q=f"测试{t}"))["items"]] == [brand["id"]]
    queue = await listing(client, "/models", admin, status="pending", brand_id=brand["id"])
    assert [m["id"] for m in queue["items"]] == [model["id"]]

    forbidden = await approve(client, ent, "manufacturers", maker["id"], 403)
    assert forbidden["code"] == "forbidden.role"
    blocked = await approve(client, admin, "models", model["id"], 409)
    assert blocked["code"] == "catalog.state" and f"测试{t}" in blocked["detail"]

    assert (await approve(client, admin, "manufacturers", maker["id"]))["status"] == "approved"
    assert (await approve(client, admin, "brands", brand["id"]))["status"] == "approved"
    approved = await approve(client, admin, "models", model["id"])
    assert approved["status"] == "approved" and approved["reviewed_at"]
    assert (await approve(client, admin, "models", model["id"], 409))["code"] == "catalog.state"

    assert [d["status"] for d in approved["displacements"]] == ["approved", "approved"]  # approved with the model
    # a displacement added to an approved model is a proposal: the admin reviews it before it takes effect
    added = await post(client, f"/models/{model['id']}/displacements", other, {"litres": 0})
    assert (added["litres"], added["status"]) == (0, "pending")
    dup = await post(client, f"/models/{model['id']}/displacements", other, {"litres": 1.5}, 409)
    assert dup["code"] == "catalog.duplicate" and dup["existing"]["name"] == "1.5L"
    again = await post(client, f"/models/{model['id']}/displacements", ent, {"litres": 0}, 409)
    assert again["existing"] == {"id": added["id"], "name": "0.0L", "status": "pending"}

    seen = await listing(client, "/models", other, brand_id=brand["id"], manufacturer_id=maker["id"])
    assert [(m["id"], m["status"]) for m in seen["items"]] == [(model["id"], "approved")]
    assert [(d["litres"], d["status"]) for d in seen["items"][0]["displacements"]] == [
        (0, "pending"), (1.5, "approved"), (2.0, "approved")]  # the proposer sees its own proposal
    assert [d["litres"] for d in (await listing(client, "/models", ent, brand_id=brand["id"]))["items"][0]
            ["displacements"]] == [1.5, 2.0]  # others see what is approved
    assert (await listing(client, "/manufacturers", other, q=f"测试汽车{t}"))["items"][0]["status"] == "approved"

    async def projected(expected):
        async def check():
            litres = await filing_rows(system, select(ProjectedDisplacement.litres)
                                       .where(ProjectedDisplacement.model_id == model["id"]))
            return sorted(x for (x,) in litres) == expected
        return check

    await eventually(await projected([1.5, 2.0]))
    queue = await listing(client, "/displacements", admin, status="pending", model_id=model["id"])
    assert [(d["id"], d["name"], d["model"]["id"], d["brand"]["id"]) for d in queue["items"]] == [
        (added["id"], f"星{t} 0.0L", model["id"], brand["id"])]
    assert (await approve(client, other, "displacements", added["id"], 403))["code"] == "forbidden.role"
    assert (await approve(client, admin, "displacements", added["id"]))["status"] == "approved"
    assert (await approve(client, admin, "displacements", added["id"], 409))["code"] == "catalog.state"
    await eventually(await projected([0, 1.5, 2.0]))
    # a rejected displacement may be proposed again; it goes back to the queue
    wrong = await post(client, f"/models/{model['id']}/displacements", other, {"litres": 9.9})
    rejected = await post(client, f"/displacements/{wrong['id']}/reject", admin, {"reason": "该车型没有9.9升"}, 200)
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "该车型没有9.9升")
    assert [(d["litres"], d["status"]) for d in (await listing(client, "/models", other, brand_id=brand["id"]))
            ["items"][0]["displacements"]][-1] == (9.9, "rejected")  # its proposer sees why
    assert [d["litres"] for d in (await listing(client, "/models", ent, brand_id=brand["id"]))["items"][0]
            ["displacements"]] == [0, 1.5, 2.0]
    assert (await post(client, f"/models/{model['id']}/displacements", other, {"litres": 9.9}))["status"] == "pending"
    assert await filing_rows(system, select(ProjectedModel.id).where(ProjectedModel.brand_id == brand["id"]))
    assert await filing_rows(system, select(ProjectedManufacturer.name).where(ProjectedManufacturer.id == maker["id"]))
    assert await filing_rows(system, select(ProjectedBrandManufacturer).where(
        ProjectedBrandManufacturer.brand_id == brand["id"], ProjectedBrandManufacturer.manufacturer_id == maker["id"]))
    picker = (await client.get("/api/v1/filing/catalog/brands", params={"q": f"测试{t}"}, headers=other)).json()
    assert [(b["id"], [m["id"] for m in b["manufacturers"]]) for b in picker["items"]] == [(brand["id"], [maker["id"]])]


async def test_starter_set_and_pinyin_search(system, users):
    client, ent = system.client, users["ent"]
    for q in ("byd", "bydi", "比亚迪"):
        names = [b["name"] for b in (await listing(client, "/brands", ent, q=q))["items"]]
        assert "比亚迪" in names, q
    byd = next(b for b in (await listing(client, "/brands", ent, q="byd"))["items"] if b["name"] == "比亚迪")
    assert byd["status"] == "approved" and [m["name"] for m in byd["manufacturers"]] == ["比亚迪汽车"]
    toyota = next(b for b in (await listing(client, "/brands", ent, q="丰田"))["items"] if b["name"] == "丰田")
    assert {m["name"] for m in toyota["manufacturers"]} == {"广汽丰田", "一汽丰田"}
    makers = {m["name"]: m for m in (await listing(client, "/manufacturers", ent))["items"]}
    assert makers["保时捷"]["country"] == "德国" and makers["一汽-大众"]["country"] == "中国"
    assert len((await listing(client, "/brands", ent, status="approved"))["items"]) >= 40

    t = tag()
    maker = await post(client, "/manufacturers", ent, {"name": f"拼音测试汽车{t}", "country": "中国"})
    found = [m["id"] for m in (await listing(client, "/manufacturers", ent, q=f"pycsqc{t.lower()}"))["items"]]
    assert maker["id"] in found
    assert maker["id"] in [m["id"] for m in (await listing(client, "/manufacturers", ent, q="pinyinceshi"))["items"]]

    dup = await post(client, "/brands", ent, {"name": "比 亚 迪", "manufacturer_ids": [maker["id"]]}, 409)
    assert dup["existing"] == {"id": byd["id"], "name": "比亚迪", "status": "approved"}
    assert (await post(client, "/manufacturers", ent, {"name": "一汽大众", "country": "中国"}, 409)
            )["existing"]["name"] == "一汽-大众"

    async def picker():
        body = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=ent)).json()
        return [b for b in body["items"] if b["id"] == byd["id"] and b["manufacturers"]]

    assert (await eventually(picker))[0]["manufacturers"][0]["name"] == "比亚迪汽车"


async def test_reject_with_reason_frees_the_name(system, users):
    client, ent, admin = system.client, users["ent"], users["admin"]
    t = tag()
    maker = await post(client, "/manufacturers", ent, {"name": f"驳回测试{t}", "country": "中国"})
    refused = await post(client, f"/manufacturers/{maker['id']}/reject", admin, {"reason": " "}, 422)
    assert refused["errors"][0]["field"] == "reason"
    assert (await post(client, f"/manufacturers/{maker['id']}/reject", ent, {"reason": "名称有误"}, 403))
    rejected = await post(client, f"/manufacturers/{maker['id']}/reject", admin, {"reason": "名称有误"}, 200)
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == "名称有误"
    assert (await approve(client, admin, "manufacturers", maker["id"], 409))["code"] == "catalog.state"
    mine = await listing(client, "/manufacturers", ent, status="rejected", q=f"驳回测试{t}")
    assert [(m["id"], m["reject_reason"]) for m in mine["items"]] == [(maker["id"], "名称有误")]
    again = await post(client, "/manufacturers", ent, {"name": f"驳回测试{t}", "country": "中国"})
    assert again["id"] != maker["id"] and again["status"] == "pending"


async def test_brand_needs_a_manufacturer_and_may_bring_a_new_one(system, users):
    client, ent, admin = system.client, users["ent"], users["admin"]
    t = tag()
    missing = await post(client, "/brands", ent, {"name": f"无厂{t}", "manufacturer_ids": []}, 422)
    assert missing["code"] == "catalog.manufacturer_required" and missing["errors"][0]["field"] == "manufacturer_ids"
    unknown = await post(client, "/brands", ent, {"name": f"无厂{t}", "manufacturer_ids": ["nope"]}, 422)
    assert unknown["errors"][0]["field"] == "manufacturer_ids.0"

    brand = await post(client, "/brands", ent, {"name": f"新品牌{t}", "new_manufacturers": [
        {"name": f"新厂{t}", "country": "德国"}]})
    (maker,) = brand["manufacturers"]
    assert maker["status"] == "pending" and maker["name"] == f"新厂{t}"
    blocked = await approve(client, admin, "brands", brand["id"], 409)
    assert blocked["code"] == "catalog.state" and f"新厂{t}" in blocked["detail"]
    await approve(client, admin, "manufacturers", maker["id"])
    assert (await approve(client, admin, "brands", brand["id"]))["status"] == "approved"


async def test_model_names_displacements_and_paging(system, users):
    client, ent, other = system.client, users["ent"], users["other"]
    t = tag()
    maker, brand, model = await propose_chain(client, ent, t, litres=())
    body = {"brand_id": brand["id"], "manufacturer_id": maker["id"]}
    trim = await post(client, "/models", ent, {**body, "name": f"月{t}旗舰版"}, 422)
    assert trim["code"] == "catalog.trim_word" and "旗舰版" in trim["detail"]
    glued = await post(client, "/models", ent, {**body, "name": f"月{t} 1.5T"}, 422)
    assert glued["code"] == "catalog.displacement_in_name"
    for litres in (1.55, 10.5, -1):
        await post(client, f"/models/{model['id']}/displacements", ent, {"litres": litres}, 422)
    # the seed: a model is added with its displacements; without one the admin cannot approve it
    admin = users["admin"]
    await approve(client, admin, "manufacturers", maker["id"])
    await approve(client, admin, "brands", brand["id"])
    bare = await approve(client, admin, "models", model["id"], 409)
    assert bare["code"] == "catalog.state" and "排量" in bare["detail"]
    assert (await post(client, f"/models/{model['id']}/displacements", ent, {"litres": 1.4}))["litres"] == 1.4
    assert (await approve(client, admin, "models", model["id"]))["status"] == "approved"
    # another enterprise cannot see (nor extend) a pending model
    hidden = await post(client, "/models", ent, {**body, "name": f"暗{t}", "displacements": [2.0]})
    assert (await client.post(f"{API}/models/{hidden['id']}/displacements", json={"litres": 2.5},
                              headers=other)).status_code == 404

    page = await listing(client, "/manufacturers", ent, page=2, page_size=5)
    assert set(page) == {"items", "total", "page", "page_size"}
    assert (page["page"], page["page_size"], len(page["items"])) == (2, 5, 5) and page["total"] > 10
    assert (await client.get(f"{API}/brands", params={"page_size": 201}, headers=ent)).status_code == 422
    assert (await client.get(f"{API}/brands")).status_code == 401


async def test_every_catalog_field_is_described(system):
    doc = (await system.client.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    names = ["ManufacturerIn", "BrandIn", "ModelIn", "DisplacementIn", "CatalogRejectIn", "CatalogRef",
             "ManufacturerOut", "BrandOut", "ModelOut", "DisplacementOut", "DisplacementEntryOut", "CatalogDuplicate",
             "CatalogBrandOption", "CatalogManufacturerOption"]
    undescribed = [f"{n}.{field}" for n in names for field, spec in schemas[n]["properties"].items()
                   if not spec.get("description")]
    assert not undescribed
    for path in ("/api/v1/catalog/models/{model_id}/displacements", "/api/v1/catalog/brands/{entry_id}/approve",
                 "/api/v1/filing/catalog/brands"):
        assert path in doc["paths"]


async def test_embedded_starter_set_and_approval_reach_filing(embedded):
    client = embedded.client
    ent, admin = await enterprise_headers(client), bearer(await admin_token(client))
    brands = await listing(client, "/brands", ent, q="byd")
    assert "比亚迪" in [b["name"] for b in brands["items"]]
    maker = await post(client, "/manufacturers", ent, {"name": f"嵌入式测试{tag()}", "country": "中国"})
    await approve(client, admin, "manufacturers", maker["id"])

    async def projected():
        names = await filing_rows(embedded, select(ProjectedManufacturer.name))
        return {"比亚迪汽车", maker["name"]} <= {n for (n,) in names}

    await eventually(projected, timeout=20)
    picker = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=ent)).json()
    assert [m["name"] for m in picker["items"][0]["manufacturers"]] == ["比亚迪汽车"]


async def test_starter_models_with_displacements_are_approved_and_reach_the_new_car_report(system, users):
    """A new-car dealer can file 汽车销售月报 on the first day: the starter brands come with real models."""
    from tests.support.flows import confirmed_enterprise

    client, ent = system.client, users["ent"]
    byd = next(b for b in (await listing(client, "/brands", ent, q="比亚迪"))["items"] if b["name"] == "比亚迪")
    models = {m["name"]: m for m in (await listing(client, "/models", ent, status="approved", brand_id=byd["id"],
                                                   page_size=100))["items"]}
    assert {"秦PLUS", "汉", "海豚"} <= set(models)
    assert sorted(d["litres"] if isinstance(d, dict) else d for d in models["秦PLUS"]["displacements"]) == [0, 1.5]
    everything = await listing(client, "/models", ent, status="approved", page_size=200)
    assert everything["total"] >= 50 and len({m["brand"]["id"] for m in everything["items"]}) >= 30

    choice = {"brand_id": byd["id"], "manufacturer_id": byd["manufacturers"][0]["id"], "authorised": True}

    async def in_filing():  # filing's projection of the approved catalogue
        page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "比亚迪"}, headers=ent)).json()
        return page["items"] or None

    await eventually(in_filing, timeout=30)
    _, token = await confirmed_enterprise(client, wait_for_transactions=False, types=["new_car_dealer"],
                                          filing={"brands": [choice], "professional_staff_count": None})

    async def offered():
        body = (await client.get("/api/v1/reports/new-car-monthly/choices", headers=bearer(token))).json()
        return body if isinstance(body, list) and body and len(body[0]["models"]) >= 3 else None

    choices = await eventually(offered, timeout=30)
    qin = next(m for m in choices[0]["models"] if m["name"] == "秦PLUS")
    assert qin["displacements"] == [0.0, 1.5]


async def test_near_duplicates_see_through_latin_transliterations(system, users):
    client, ent = system.client, users["ent"]
    vw = next(b for b in (await listing(client, "/brands", ent, q="大众"))["items"] if b["name"] == "大众")
    sagitar = next(m for m in (await listing(client, "/models", ent, brand_id=vw["id"], q="速腾"))["items"]
                   if m["name"] == "速腾")
    body = {"brand_id": vw["id"], "manufacturer_id": sagitar["manufacturer"]["id"]}
    for near in ("SAGITAR速腾", "速腾 Sagitar", "Sagitar·速腾"):
        dup = await post(client, "/models", ent, {**body, "name": near, "displacements": [1.4]}, 409)
        assert dup["code"] == "catalog.duplicate" and dup["existing"]["id"] == sagitar["id"], near
        assert "速腾" in dup["detail"]
    byd = await post(client, "/brands", ent, {"name": "BYD比亚迪", "new_manufacturers": [
        {"name": f"比亚迪测试{tag()}", "country": "中国"}]}, 409)
    assert byd["existing"]["name"] == "比亚迪"
    # a Latin part that names another model of the series stays apart
    kept = await post(client, "/models", ent, {**body, "name": "速腾GT", "displacements": [1.4]})
    assert kept["status"] == "pending"


async def test_a_new_manufacturer_under_an_existing_brand(system, users):
    """Proposing the brand again answers 409; the new supplier is proposed under the existing brand instead."""
    client, ent, other, admin = system.client, users["ent"], users["other"], users["admin"]
    t = tag()
    toyota = next(b for b in (await listing(client, "/brands", ent, q="丰田"))["items"] if b["name"] == "丰田")
    again = await post(client, "/brands", ent, {"name": "丰田", "new_manufacturers": [
        {"name": f"川汽丰田{t}", "country": "中国"}]}, 409)
    assert again["existing"]["id"] == toyota["id"]
    maker = await post(client, "/manufacturers", ent, {"name": f"川汽丰田{t}", "country": "中国",
                                                        "brand_ids": [toyota["id"]]})
    assert maker["status"] == "pending"
    mine = next(b for b in (await listing(client, "/brands", ent, q="丰田"))["items"] if b["id"] == toyota["id"])
    assert maker["id"] in [m["id"] for m in mine["manufacturers"]]  # its proposer sees the link
    theirs = next(b for b in (await listing(client, "/brands", other, q="丰田"))["items"] if b["id"] == toyota["id"])
    assert maker["id"] not in [m["id"] for m in theirs["manufacturers"]]  # others once it is approved
    unknown = await post(client, "/manufacturers", ent, {"name": f"无名{t}", "country": "中国",
                                                          "brand_ids": ["no-such-brand"]}, 422)
    assert unknown["errors"][0]["field"] == "brand_ids.0" and unknown["code"] == "catalog.unavailable"

    await approve(client, admin, "manufacturers", maker["id"])
    theirs = next(b for b in (await listing(client, "/brands", other, q="丰田"))["items"] if b["id"] == toyota["id"])
    assert maker["id"] in [m["id"] for m in theirs["manufacturers"]]

    async def linked_in_filing():
        page = (await client.get("/api/v1/filing/catalog/brands", params={"q": "丰田"}, headers=other)).json()
        brand = next((b for b in page["items"] if b["id"] == toyota["id"]), None)
        return brand and maker["id"] in [m["id"] for m in brand["manufacturers"]] and len(brand["manufacturers"]) >= 3

    await eventually(linked_in_filing)
    model = await post(client, "/models", ent, {"brand_id": toyota["id"], "manufacturer_id": maker["id"],
                                                 "name": f"川{t}", "displacements": [2.0]})
    assert model["manufacturer"]["id"] == maker["id"]
