"""Small client-side helpers: valid identifiers, registration, login, officials."""
from __future__ import annotations

import random
import string

from autocirc_shared.validation import uscc_check_char

from .system import ADMIN_PASSWORD

PASSWORD = "Passw0rdOK"
BEIJING_DONGCHENG = {"province_code": "110000", "city_code": "110100", "district_code": "110101",
                     "street": "东长安街1号"}
HANGZHOU_XIHU = {"province_code": "330000", "city_code": "330100", "district_code": "330106", "street": "文三路90号"}

_UPPER = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(area: str = "110101") -> str:
    body = "91" + area + "".join(random.choice(_UPPER) for _ in range(9))
    return body + uscc_check_char(body)


def registration(**overrides) -> dict:
    body = {
        "name": "测试二手车有限公司" + "".join(random.choices(string.digits, k=6)),
        "residence": dict(BEIJING_DONGCHENG),
        "has_uscc": True,
        "uscc": make_uscc(),
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "types": ["used_car_dealer"],
        "filler_name": "张三",
        "filler_mobile": "13800138000",
    }
    body.update(overrides)
    return body


async def register(client, **overrides) -> dict:
    body = registration(**overrides)
    response = await client.post("/api/v1/enterprises", json=body)
    assert response.status_code == 201, response.text
    return {**body, **response.json()}


async def login(client, username: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def stub_faults(client, method: str = "PUT", **faults):
    """The police stub's fault switches (the admin's; the gateway forwards /stub only in tests)."""
    headers = bearer(await admin_token(client))
    if method == "GET":
        return await client.get("/stub/police/faults", headers=headers)
    return await client.put("/stub/police/faults", json=faults, headers=headers)


async def admin_token(client) -> str:
    return await login(client, "admin", ADMIN_PASSWORD)


async def create_official(client, token: str, *, level: str, region_code: str, can_review: bool = False,
                          username: str | None = None) -> dict:
    username = username or f"off_{level}_{random.randrange(10**8)}"
    response = await client.post("/api/v1/officials", headers=bearer(token), json={
        "username": username, "password": PASSWORD, "name": f"{region_code}商务局", "level": level,
        "region_code": region_code, "can_review": can_review})
    assert response.status_code == 201, response.text
    return response.json()
