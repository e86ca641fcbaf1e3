"""The printable 备案登记表 and its export: the licence and seal images, 税务登记证 and 组织机构代码证 (the seed's rows),
and 授权情况 only for the types that fill it (国内主机厂及其总经销商、进口总经销商)."""
from __future__ import annotations

import base64
import io
import random
import re

import openpyxl
from autocirc_shared.validation import org_code_check_char

from tests.integration.test_filing import FILING, upload
from tests.support.api import bearer, login, register
from tests.support.images import png
from tests.support.waiting import eventually


def _org_code() -> str:
    body = "".join(random.choices("0123456789", k=8))
    return f"{body}-{org_code_check_char(body)}"


async def _named(client, token: str) -> None:
    async def known():  # filing learns the enterprise from identity's event
        page = await client.get("/api/v1/filing/print", headers=bearer(token))
        return "测试二手车有限公司" in page.text or None

    await eventually(known)


async def test_print_shows_the_images_and_the_tax_and_organisation_codes(system):
    client = system.client
    licence, org_code = "".join(random.choices("0123456789", k=15)), _org_code()
    enterprise = await register(client, has_uscc=False, uscc=None, business_licence_no=licence,
                                org_code=org_code, tax_reg_no=f"11010{licence}")
    token = await login(client, licence)
    assert (await client.put("/api/v1/filing", json={"data": FILING}, headers=bearer(token))).status_code == 200
    images = {kind: png(seed=700 + i) for i, kind in enumerate(("licence_original", "licence_copy", "seal"))}
    for kind, data in images.items():
        assert (await upload(client, token, kind, data)).status_code == 201
    await _named(client, token)

    page = (await client.get("/api/v1/filing/print", headers=bearer(token))).text
    assert f"税务登记证：</td><td>11010{licence}</td>" in page
    assert f"组织机构代码证：</td><td>{org_code}</td>" in page
    assert "授权情况" not in page and "授权/非授权品牌" not in page, "a used-car dealer has no 汽车销售企业 part"
    shown = re.findall(r"<figure data-kind='([^']+)'><img alt='[^']+' src='data:image/png;base64,([^']+)'>", page)
    assert [label for label, _ in shown] == ["营业执照正本", "营业执照副本", "公章"]
    blobs = system.runtime("filing").app.state.blobs
    media = {m["kind"]: m["sha256"] for m in (await client.get("/api/v1/filing/media", headers=bearer(token))).json()}
    assert base64.b64decode(shown[2][1]) == await blobs.get(f"media/{media['seal']}")

    workbook = await client.get("/api/v1/filing/export.xlsx", headers=bearer(token))
    values = [c for row in openpyxl.load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True)
              for c in row if c]
    assert values[values.index("税务登记证：") + 1] == f"11010{licence}"
    assert values[values.index("组织机构代码证：") + 1] == org_code
    assert "授权情况：" not in values
    assert enterprise["name"] in values


async def test_authorisation_only_for_oems_and_import_distributors(system):
    client = system.client
    for types, shown in ((["new_car_dealer"], False), (["oem"], True)):
        enterprise = await register(client, types=types)
        token = await login(client, enterprise["uscc"])
        data = {**FILING, "professional_staff_count": None, **({"authorisation": "授权经销"} if shown else {})}
        assert (await client.put("/api/v1/filing", json={"data": data}, headers=bearer(token))).status_code == 200
        await _named(client, token)
        page = (await client.get("/api/v1/filing/print", headers=bearer(token))).text
        assert "授权/非授权品牌" in page, types  # every new-car type names its brands
        assert ("授权情况" in page) is shown, types
        if shown:
            assert "授权情况：</td><td>授权经销</td>" in page
