"""Tenant × region × role matrix over every operation of the merged OpenAPI document (RELIABILITY.md scenario 12).

Every secured operation is sent by every actor against tenant A's objects: attackers first, then the
actors allowed to act (the control, proving the request itself was valid and A's object was there).
Expected refusals follow API.md: another tenant's object 404, wrong role 403, outside the region 403 or
404, bad tokens 401 (at the gateway and at the service called directly; among them one issued before its
account's password reset). Any 2xx to an attacker, and
any 2xx that carries A's identifiers to someone who may not see A, counts as an unauthorised 2xx.
"""
from __future__ import annotations

import base64
import io
import json
import re
import time
import uuid
import zipfile
from dataclasses import dataclass, field

import httpx
import jwt
from autocirc_gateway.api_keys import KEY_SERVICES
from autocirc_gateway.routing import AGENCY_KEY_PREFIXES, PUBLIC, STUB_PREFIXES, is_public, service_for
from autocirc_shared.auth.tokens import ALGORITHM, AUDIENCE, ISSUER
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support.api import PASSWORD, bearer, login, make_uscc, register
from tests.support.flows import make_vin, transaction_body
from tests.support.images import png
from tests.support.waiting import eventually

from .conftest import REPORT_PERIODS, XLSX, figure, import_workbook

OK, DENY, HIDE, SCOPE, SELF = "ok", "deny", "hide", "scope", "self"
UNAUTH, NOT_A_USER = "unauth", "not_a_user"
EXPECTED = {DENY: {403}, HIDE: {404}, SCOPE: {403, 404}, UNAUTH: {401}, NOT_A_USER: {401, 403}}
ENTERPRISES = ("A", "B")
INSIDE = ("reviewer", "inside_no_review", "province")
ACTORS = ("A", "B", "reviewer", "inside_no_review", "outside", "province", "admin", "agency")


def table(default: str, **by_actor: str) -> dict[str, str]:
    """``agency`` (a police clerk's agency key) is refused everywhere unless a rule says otherwise."""
    return {actor: by_actor.get(actor, NOT_A_USER if actor == "agency" else default) for actor in ACTORS}


def enterprise_self() -> dict[str, str]:
    """The enterprise acts on its own tenant only (no id in the path): officials and the admin are refused."""
    return table(DENY, A=OK, B=SELF)


def officials_list() -> dict[str, str]:
    return table(OK, A=DENY, B=DENY, outside=SELF)


def anyone() -> dict[str, str]:
    return table(OK, B=SELF, outside=SELF)


def owned(officials_read: bool, admin: str = OK, b: str = "hide") -> dict[str, str]:
    """A's object by id: another tenant 404; officials of A's region read it when allowed; outside 403/404."""
    if officials_read:
        return table(OK, B=b, outside=SCOPE, admin=admin)
    return table(DENY, A=OK, B=b)


def admin_only() -> dict[str, str]:
    return table(DENY, admin=OK)


KEY_ACTORS = {"key_A": "A", "key_B": "B"}  # an enterprise's API key acts as the enterprise, on its services only


def with_keys(expect: dict[str, str], method: str, path: str) -> dict[str, str]:
    """The API keys' expectations: refused (403) outside transactions and reports, and 401 where the gateway
    passes the credential through untouched (the police look-up takes agency keys, the stub tokens); in
    transactions and reports, what their enterprise may do (A's own deletions are left to A, the control: a key
    deleting first would 404 A)."""
    keys = {}
    for key, owner in KEY_ACTORS.items():
        if path.startswith((*AGENCY_KEY_PREFIXES, *STUB_PREFIXES)):
            keys[key] = UNAUTH
        elif service_for(path) not in KEY_SERVICES:
            keys[key] = DENY
        elif expect[owner] == OK and method == "DELETE":
            continue
        else:
            keys[key] = expect[owner]
    return {**expect, **keys}


@dataclass
class Rule:
    expect: dict[str, str]
    body: object = None          # callable(world) -> ("json", obj) | ("files", dict) | None
    query: dict = field(default_factory=dict)
    headers: object = None       # callable(world) -> extra request headers


def _json(factory):
    return lambda world: ("json", factory(world))


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def rule_for(method: str, path: str, world) -> Rule:
    """The access rule of one operation; an operation without one fails the matrix."""
    op = f"{method} {path}"
    report = re.fullmatch(r"/api/v1/(reports|statistics)/([a-z-]+)(/.*)?", path)
    kind = report.group(2) if report else None
    period = REPORT_PERIODS.get(kind or "", "2026-11")
    rules: dict[str, Rule] = {
        # identity
        "GET /api/v1/enterprises": Rule(officials_list()),
        "GET /api/v1/enterprises/{enterprise_id}": Rule(owned(True)),
        "PATCH /api/v1/enterprises/{enterprise_id}": Rule(table(DENY, A=OK, B=HIDE),
                                                          _json(lambda w: {"filler_name": "张三"})),
        "POST /api/v1/enterprises/{enterprise_id}/password-reset": Rule(table(OK, A=DENY, B=DENY, admin=DENY,
                                                                              outside=SCOPE)),
        "GET /api/v1/me": Rule(anyone()),
        "POST /api/v1/api-keys": Rule(enterprise_self(), _json(lambda w: {"name": _unique("矩阵")})),
        "GET /api/v1/api-keys": Rule(enterprise_self()),
        "DELETE /api/v1/api-keys/{key_id}": Rule(table(DENY, A=OK, B=HIDE)),
        "PATCH /api/v1/me": Rule(anyone(), _json(lambda w: {"email": "matrix@example.com"})),
        "POST /api/v1/auth/refresh": Rule(anyone()),
        "POST /api/v1/me/password": Rule(anyone(), _json(lambda w: {"old_password": "Wrong0ldPass",
                                                                     "new_password": "NewPassw0rd1"})),
        "POST /api/v1/officials": Rule(table(DENY, province=OK, admin=OK), _json(lambda w: {
            "username": _unique("sec_"), "password": PASSWORD, "name": "沙依巴克区商务局", "level": "district",
            "region_code": "650103", "can_review": False})),
        "GET /api/v1/officials": Rule(table(DENY, province=OK, admin=OK, outside=SELF)),
        "PATCH /api/v1/officials/{official_id}": Rule(table(DENY, province=OK, admin=OK),
                                                      _json(lambda w: {"can_review": False})),
        "GET /api/v1/audit": Rule(officials_list()),
        # filing
        "GET /api/v1/filing/catalog/brands": Rule(anyone()),
        "GET /api/v1/filing": Rule(enterprise_self()),
        "PUT /api/v1/filing": Rule(enterprise_self(), _json(lambda w: {"data": {"business_scope": "二手车经销"}})),
        "POST /api/v1/filing/submit": Rule(enterprise_self()),
        "GET /api/v1/filing/media": Rule(enterprise_self()),
        "POST /api/v1/filing/media/{kind}": Rule(enterprise_self(), lambda w: (
            "files", {"file": ("seal.png", png(seed=7), "image/png")})),
        "GET /api/v1/filing/export.xlsx": Rule(enterprise_self()),
        "GET /api/v1/filing/print": Rule(enterprise_self()),
        "GET /api/v1/filings": Rule(officials_list()),
        "GET /api/v1/filings/{enterprise_id}": Rule(table(OK, A=DENY, B=DENY, outside=SCOPE)),
        "GET /api/v1/filings/{enterprise_id}/media/{sha256}": Rule(table(OK, B=HIDE, outside=SCOPE, admin=DENY)),
        "POST /api/v1/filings/{enterprise_id}/confirm": Rule(table(DENY, reviewer=OK, province=OK,
                                                                   outside=SCOPE)),
        "POST /api/v1/filings/{enterprise_id}/reject": Rule(table(DENY, reviewer=OK, province=OK, outside=SCOPE),
                                                            _json(lambda w: {"reason": "材料不全"})),
        "POST /api/v1/filings/{enterprise_id}/revoke": Rule(table(DENY, reviewer=OK, province=OK, outside=SCOPE),
                                                            _json(lambda w: {"reason": "安全测试注销"})),
        # catalogue: lists and proposals for anyone signed in; pending entries only for their proposer and the admin
        "GET /api/v1/catalog/manufacturers": Rule(anyone()),
        "GET /api/v1/catalog/brands": Rule(anyone()),
        "GET /api/v1/catalog/models": Rule(anyone()),
        "GET /api/v1/catalog/displacements": Rule(anyone()),
        "POST /api/v1/catalog/manufacturers": Rule(anyone(), _json(lambda w: {"name": _unique("安全测试制造"),
                                                                               "country": "CHN"})),
        "POST /api/v1/catalog/brands": Rule(anyone(), _json(lambda w: {
            "name": _unique("安全测试品牌"), "manufacturer_ids": [w.objects["byd_manufacturer"]]})),
        "POST /api/v1/catalog/models": Rule(anyone(), _json(lambda w: {
            "brand_id": w.objects["byd_brand"], "manufacturer_id": w.objects["byd_manufacturer"],
            "name": _unique("安全")})),
        "POST /api/v1/catalog/models/{model_id}/displacements": Rule(table(HIDE, A=OK, admin=OK),
                                                                     _json(lambda w: {"litres": 1.5})),
        # transactions
        "GET /api/v1/transactions/import-template.xlsx": Rule(anyone()),
        "POST /api/v1/transactions/imports": Rule(enterprise_self(), lambda w: (
            "files", {"file": ("a.xlsx", import_workbook([transaction_body()]), XLSX)})),
        "GET /api/v1/transactions/imports": Rule(enterprise_self()),
        "GET /api/v1/transactions/imports/{job_id}": Rule(owned(False)),
        "GET /api/v1/transactions/imports/{job_id}/errors.xlsx": Rule(owned(False)),
        "GET /api/v1/transactions/export.xlsx": Rule(table(OK, B=SELF, outside=SELF, admin=DENY)),
        "POST /api/v1/transactions": Rule(enterprise_self(), _json(lambda w: transaction_body(
            vehicle={"vin": make_vin("LSVAB2BM")}))),
        "POST /api/v1/transactions/batch": Rule(
            enterprise_self(), _json(lambda w: {"records": [transaction_body(vehicle={"vin": make_vin("LSVAB2BM")})]}),
            headers=lambda w: {"Idempotency-Key": uuid.uuid4().hex}),
        "GET /api/v1/transactions": Rule(table(OK, B=SELF, outside=SELF, admin=DENY)),
        "GET /api/v1/transactions/{transaction_id}": Rule(owned(True, admin=DENY)),
        "PUT /api/v1/transactions/{transaction_id}": Rule(owned(False), _json(lambda w: transaction_body(
            vehicle={"vin": w.objects["vin"]}))),
        "DELETE /api/v1/transactions/{transaction_id}": Rule(owned(False)),
        "GET /api/v1/transactions/{transaction_id}/history": Rule(owned(True, admin=DENY)),
        # vehicle history: officials with a sale of the VIN in their region
        "GET /api/v1/vehicles/{vin}/history": Rule(table(OK, A=DENY, B=DENY, outside=SCOPE, admin=DENY)),
        "GET /api/v1/vehicles/findings": Rule(table(OK, A=DENY, B=DENY, outside=SELF, admin=DENY),
                                              query={"period": "2024"}),
        # portal: reading is public; officials publish in their region (the notice is the province's), the admin
        # everywhere; the national notice (deleted) is the admin's alone
        "POST /api/v1/notices": Rule(table(OK, A=DENY, B=DENY), _json(lambda w: {
            "category": "news", "title": _unique("矩阵"), "body": "<p>x</p>"})),
        "PUT /api/v1/notices/{notice_id}": Rule(table(DENY, province=OK, admin=OK), _json(lambda w: {
            "category": "notice", "title": "安全测试通知（修订）", "body": "<p>x</p>"})),
        "DELETE /api/v1/notices/{notice_id}": Rule(admin_only()),
        "POST /api/v1/notices/{notice_id}/attachments": Rule(table(DENY, province=OK, admin=OK), lambda w: (
            "files", {"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")})),
        # notifications: each recipient its own; the admin has no message centre
        "GET /api/v1/notifications": Rule(table(OK, B=SELF, outside=SELF, admin=DENY)),
        "POST /api/v1/notifications/{notification_id}/read": Rule(table(HIDE, A=OK, admin=DENY)),
        # media-sync: operators only
        "GET /api/v1/media-sync/deliveries": Rule(admin_only()),
        "GET /api/v1/media-sync/deliveries/{delivery_id}": Rule(admin_only()),
        "POST /api/v1/media-sync/deliveries/retry-failed": Rule(admin_only()),
        "POST /api/v1/media-sync/deliveries/{delivery_id}/retry": Rule(admin_only()),
        # the police stub (forwarded only in tests): its fault switches are the admin's
        "GET /stub/police/faults": Rule(admin_only()),
        "PUT /stub/police/faults": Rule(admin_only(), _json(lambda w: {})),
        "PUT /stub/police/trusted-keys": Rule(admin_only(), _json(lambda w: {"keys": []})),
        "DELETE /stub/police/trusted-keys": Rule(admin_only()),
        # the police look-up opens with an agency key only; keys, the access log and the manifest are the admin's
        "GET /api/v1/police/enterprises/{uscc}": Rule(table(UNAUTH, agency=OK)),
        "GET /api/v1/police/enterprises/{uscc}/images/{kind}": Rule(table(UNAUTH, agency=OK)),
        "POST /api/v1/agency-keys": Rule(admin_only(), _json(lambda w: {"agency": "安全测试单位", "name": "x"})),
        "GET /api/v1/agency-keys": Rule(admin_only()),
        "DELETE /api/v1/agency-keys/{key_id}": Rule(admin_only()),
        "GET /api/v1/police/access-log": Rule(admin_only()),
        "GET /api/v1/police/manifest": Rule(admin_only(), query={"date": "2026-12-01"}),
    }
    if op in rules:
        return rules[op]
    if re.fullmatch(r"POST /api/v1/catalog/(manufacturers|brands|models|displacements)/\{entry_id\}/approve", op):
        return Rule(admin_only())
    if re.fullmatch(r"POST /api/v1/catalog/(manufacturers|brands|models|displacements)/\{entry_id\}/reject", op):
        return Rule(admin_only(), _json(lambda w: {"reason": "名称不规范"}))
    if kind and report.group(1) == "statistics":
        return Rule(officials_list(), query={"period": period})
    if kind and report.group(3) in ("/missing", "/discrepancies"):
        return Rule(officials_list(), query={"period": period})
    if kind and report.group(3) == "/draft":
        return Rule(enterprise_self(), query={"period": period})
    if kind and report.group(3) in ("/choices", "/periods"):
        return Rule(enterprise_self())
    if kind and report.group(3) is None:
        if method == "GET":
            return Rule(anyone())
        return Rule(enterprise_self(), _json(lambda w: w.objects["report_bodies"][kind]))
    if kind and report.group(3) == "/{report_id}":
        # B (a used-car dealer) is refused every kind it does not file with 403 report.not_applicable, whatever
        # the id: that reveals nothing about A's report.
        b = HIDE if kind == "used-car-monthly" else SCOPE
        if method == "GET":
            return Rule(owned(True, b=b))
        if method == "PUT":
            return Rule(owned(False, b=b), _json(lambda w: w.objects["report_bodies"][kind]))
        return Rule(owned(False, b=b))
    raise AssertionError(f"{op}: no access rule in the matrix: add one")


def path_values(world, path: str, method: str = "GET") -> dict[str, str]:
    objects = world.objects
    report = re.fullmatch(r"/api/v1/reports/([a-z-]+)/\{report_id\}", path)
    entry = re.fullmatch(r"/api/v1/catalog/(manufacturers|brands|models|displacements)/\{entry_id\}/.*", path)
    values = {"transaction_id": objects["transaction_id"], "job_id": objects["job_id"],
              "official_id": objects["official_id"], "kind": "seal", "model_id": objects["model_entry"],
              "delivery_id": objects["delivery_id"], "vin": objects["vin"], "sha256": objects["seal_sha256"],
              "key_id": objects["agency_key_id" if path.startswith("/api/v1/agency-keys") else "key_id"],
              "uscc": world.a_enterprise["uscc"],
              "notification_id": objects["notification_id"],
              "notice_id": objects["national_notice_id" if method == "DELETE" else "notice_id"],
              "enterprise_id": (world.spare["id"] if path.endswith("/password-reset")
                                else world.a_enterprise["id"])}
    if report:
        values["report_id"] = objects["reports"][report.group(1)]
    if entry:
        values["entry_id"] = objects[{"manufacturers": "manufacturer_entry", "brands": "brand_entry",
                                      "models": "model_entry",
                                      "displacements": "displacement_entry"}[entry.group(1)]]
    return values


def text_of(response: httpx.Response) -> str:
    """The readable content of a response (an xlsx is a zip of XML parts)."""
    if response.content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return response.text


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path, op


def bad_tokens(system, token: str) -> dict[str, str]:
    header, _, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "kind": "admin"}).encode()).rstrip(b"=").decode()
    own_key = system.runtime("identity").app.state.token_issuer._key
    return {
        "expired": jwt.encode({**claims, "iat": 1, "nbf": 1, "exp": 2, "iss": ISSUER, "aud": AUDIENCE}, own_key,
                              algorithm=ALGORITHM),
        "tampered": f"{header}.{forged}.{signature}",
        "other_key": jwt.encode({**claims, "exp": int(time.time()) + 600}, Ed25519PrivateKey.generate(),
                                algorithm=ALGORITHM),
        "alg_none": jwt.encode({**claims, "kind": "admin"}, None, algorithm="none"),
        "wrong_audience": jwt.encode({**claims, "aud": "another-system", "exp": int(time.time()) + 600}, own_key,
                                     algorithm=ALGORITHM),
        "not_yet_valid": jwt.encode({**claims, "nbf": int(time.time()) + 3600, "exp": int(time.time()) + 7200},
                                    own_key, algorithm=ALGORITHM),
        "garbage": "not.a.token",
    }


async def stale_token(client, world) -> str:
    """A genuine, unexpired token issued before its account's password was reset, once every service knows."""
    from .conftest import XINJIANG

    enterprise = await register(client, residence=dict(XINJIANG), uscc=make_uscc("650102"))
    token = await login(client, enterprise["username"])
    reset = await client.post(f"/api/v1/enterprises/{enterprise['id']}/password-reset", headers=world.reviewer.headers)
    assert reset.status_code == 200, reset.text

    async def refused_by_transactions():
        return (await client.get("/api/v1/transactions", headers=bearer(token))).status_code == 401

    await eventually(refused_by_transactions, timeout=5)
    return token


async def send(client, method: str, url: str, headers: dict, rule: Rule, world) -> httpx.Response:
    kwargs: dict = {"headers": {**headers, **(rule.headers(world) if rule.headers else {})}, "params": rule.query}
    if rule.body is not None:
        how, value = rule.body(world)
        kwargs[how] = value
    return await client.request(method, url, **kwargs)


def order(ops):
    """Deletions last (they end the object the other operations need), and after them the filing's revocation
    (it ends A's rights to enter and report); the rest as documented."""
    return sorted(ops, key=lambda o: (o[1].endswith("/revoke"), o[0] == "DELETE"))


async def test_every_operation_refuses_every_actor_it_must(system, world, fixed_today):
    client = system.client
    document = (await client.get("/openapi.json")).json()
    actors = {"A": world.a, "B": world.b, "reviewer": world.reviewer, "inside_no_review": world.inside_no_review,
              "outside": world.outside, "province": world.province, "admin": world.admin, "agency": world.agency,
              **world.keys}
    a_markers = [world.a_enterprise["id"], world.a_enterprise["uscc"], world.a_enterprise["name"],
                 world.objects["vin"], world.objects["manufacturer_name"], world.objects["transaction_id"]]
    tokens = {**bad_tokens(system, world.a.token), "stale": await stale_token(client, world)}
    secured, public, problems = [], [], []
    unauthorised_2xx = checked = controls = 0
    for method, path, op in operations(document):
        if not op.get("security"):
            public.append((method, path))
            continue
        secured.append((method, path))
    # the police look-up (an agency key) and the stub (the admin's token) are checked by media-sync itself: the
    # gateway passes them through
    misjudged = sorted({(m, p) for m, p in public if not is_public(m, p)} | (PUBLIC - set(public))
                       | {(m, p) for m, p in secured if is_public(m, p) and not p.startswith((*AGENCY_KEY_PREFIXES, *STUB_PREFIXES))})
    assert not misjudged, ("operations without a security requirement that the gateway does not treat as public "
                           f"(or vice versa): {misjudged}")

    for method, path in order(secured):
        rule = rule_for(method, path, world)
        rule.expect = with_keys(rule.expect, method, path)
        url = path.format(**path_values(world, path, method))
        direct = httpx.AsyncClient(transport=httpx.ASGITransport(app=system.runtime(service_for(path)).app),
                                   base_url="http://service")
        async with direct:
            for name, token in [("none", None), *tokens.items()]:
                headers = bearer(token) if token else {}
                for via, c in (("gateway", client), ("service", direct)):
                    response = await send(c, method, url, headers, rule, world)
                    checked += 1
                    if 200 <= response.status_code < 300:
                        unauthorised_2xx += 1
                    if response.status_code != 401:
                        problems.append(f"{method} {path} token={name} via {via}: {response.status_code}")
        attackers = [a for a in rule.expect if rule.expect[a] not in (OK,)]
        allowed = [a for a in rule.expect if rule.expect[a] == OK]
        for actor in attackers + allowed:
            expectation = rule.expect[actor]
            response = await send(client, method, url, actors[actor].headers, rule, world)
            status = response.status_code
            if status >= 500:
                problems.append(f"{method} {path} as {actor}: {status} {response.text[:200]}")
            if expectation in EXPECTED:
                checked += 1
                if 200 <= status < 300:
                    unauthorised_2xx += 1
                    problems.append(f"{method} {path} as {actor}: UNAUTHORISED {status} {response.text[:200]}")
                elif status not in EXPECTED[expectation]:
                    problems.append(f"{method} {path} as {actor}: {status}, expected {sorted(EXPECTED[expectation])}"
                                    f" {response.text[:160]}")
            elif expectation == SELF:
                checked += 1
                if 200 <= status < 300:
                    body = text_of(response)
                    leaked = [m for m in a_markers if m and m in body]
                    if leaked:
                        unauthorised_2xx += 1
                        problems.append(f"{method} {path} as {actor}: LEAKS A's {leaked}")
            else:  # the control: the allowed actor gets past authorisation
                controls += 1
                if status in (401, 403, 404) or status >= 500:
                    problems.append(f"{method} {path} as {actor} (allowed): {status} {response.text[:200]}")
    figure("matrix_operations", len(secured))
    figure("matrix_requests_checked", checked)
    figure("matrix_controls", controls)
    figure("matrix_bad_tokens", len(tokens) + 1)
    figure("unauthorised_2xx", unauthorised_2xx)
    print(f"SECURITY unauthorised_2xx={unauthorised_2xx} checked={checked} operations={len(secured)}")
    assert len(secured) >= 100, "the merged document lost operations"
    assert unauthorised_2xx == 0 and not problems, "\n".join(problems)
