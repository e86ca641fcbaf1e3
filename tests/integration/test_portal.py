"""The portal (首页 / 政策发布 / 综合信息 / 重要通知 / 表格下载) through the gateway, in both modes."""
from __future__ import annotations

import io
import zipfile

import pytest

from tests.support.api import admin_token, bearer, create_official, login, register

NOTICES = "/api/v1/notices"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=["system", "embedded"])
def any_system(request):
    return request.getfixturevalue(request.param)


def docx(member: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<w:document/>")
    return out.getvalue()


async def test_publish_sanitise_read_and_refuse_script(any_system):
    client = any_system.client
    admin = await admin_token(client)
    before = (await client.get(NOTICES, params={"category": "policy"})).json()["total"]
    for body in ('<p>好</p><script>alert(1)</script>', '<img src="x" onerror="alert(1)">',
                 '<a href="javascript:alert(1)">点我</a>', '<a href=" JaVa\tScRiPt:alert(1)">点我</a>'):
        refused = await client.post(NOTICES, json={"category": "policy", "title": "关于二手车的通知", "body": body},
                                    headers=bearer(admin))
        assert refused.status_code == 422 and refused.json()["code"] == "notice.script", (body, refused.text)
        assert "脚本" in refused.json()["detail"]
    assert (await client.get(NOTICES, params={"category": "policy"})).json()["total"] == before, "nothing stored"

    rich = ('<h3>政策解读</h3><p style="color:red" class="x">第一条 <strong>二手车</strong></p>'
            '<a href="https://www.mofcom.gov.cn/">商务部</a><u>注意</u>')
    created = await client.post(NOTICES, json={"category": "policy", "title": " 二手车流通管理办法 ", "body": rich},
                                headers=bearer(admin))
    assert created.status_code == 201, created.text
    notice = created.json()
    assert (notice["title"], notice["region_code"], notice["region_name"]) == ("二手车流通管理办法", "000000", "全国")
    read = (await client.get(f"{NOTICES}/{notice['id']}")).json()  # no token: public
    assert "<strong>二手车</strong>" in read["body"] and "style" not in read["body"] and "class" not in read["body"]
    assert 'rel="noopener noreferrer"' in read["body"]
    listed = (await client.get(NOTICES, params={"category": "policy"})).json()
    assert listed["items"][0]["id"] == notice["id"] and "body" not in listed["items"][0]
    home = (await client.get(f"{NOTICES}/home")).json()
    assert home["policy"][0]["id"] == notice["id"] and home["download"][0]["id"] == "import-template"


async def test_officials_publish_in_their_region_only(any_system):
    client = any_system.client
    admin = await admin_token(client)
    beijing = await login(client, (await create_official(client, admin, level="province", region_code="110000"))["username"])
    zhejiang = await login(client, (await create_official(client, admin, level="province", region_code="330000"))["username"])
    enterprise = await register(client)
    company = await login(client, enterprise["uscc"])
    body = {"category": "notice", "title": "北京市二手车报表报送通知", "body": "<p>请按时报送</p>"}
    mine = await client.post(NOTICES, json=body, headers=bearer(beijing))
    assert mine.status_code == 201 and mine.json()["region_code"] == "110000"
    national = (await client.post(NOTICES, json={**body, "title": "全国通知"}, headers=bearer(admin))).json()
    path = f"{NOTICES}/{mine.json()['id']}"
    assert (await client.put(path, json={**body, "title": "改"}, headers=bearer(zhejiang))).status_code == 403
    assert (await client.put(f"{NOTICES}/{national['id']}", json=body, headers=bearer(beijing))).status_code == 403
    assert (await client.post(NOTICES, json=body, headers=bearer(company))).status_code == 403
    assert (await client.post(NOTICES, json=body)).status_code == 401
    assert (await client.delete(path, headers=bearer(zhejiang))).status_code == 403
    edited = await client.put(path, json={**body, "title": "北京市报表报送通知（修订）"}, headers=bearer(beijing))
    assert edited.status_code == 200 and edited.json()["title"] == "北京市报表报送通知（修订）"
    assert (await client.get(NOTICES, params={"region_code": "110000"})).json()["items"][0]["id"] == mine.json()["id"]
    assert (await client.delete(path, headers=bearer(admin))).status_code == 204
    assert (await client.get(path)).status_code == 404


async def test_attachments_are_checked_by_content_and_downloaded_with_their_name(any_system):
    client = any_system.client
    admin = await admin_token(client)
    notice = (await client.post(NOTICES, json={"category": "download", "title": "备案登记表（空白）", "body": ""},
                                headers=bearer(admin))).json()
    upload = f"{NOTICES}/{notice['id']}/attachments"

    async def send(name: str, data: bytes):
        return await client.post(upload, files={"file": (name, data, "application/pdf")}, headers=bearer(admin))

    for name, data in (("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200), ("表.docx", docx("xl/workbook.xml")),
                       ("表.xlsx", PDF), ("run.exe", PDF), ("archive.zip", b"PK\x03\x04broken")):
        refused = await send(name, data)
        assert refused.status_code == 415 and refused.json()["code"] == "attachment.type", (name, refused.text)
    big = await send("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    assert big.status_code == 413 and big.json()["code"] == "attachment.too_large"
    assert (await client.get(f"{NOTICES}/{notice['id']}")).json()["attachments"] == [], "nothing stored"

    pdf = await send("二手车交易登记表.pdf", PDF)
    word = await send("备案说明.docx", docx())
    assert (pdf.status_code, word.status_code) == (201, 201), (pdf.text, word.text)
    got = await client.get(pdf.json()["url"])  # no token
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''%E4%BA%8C%E6%89%8B%E8%BD%A6" in got.headers["content-disposition"]
    downloads = (await client.get(NOTICES, params={"category": "download"})).json()
    assert downloads["items"][0]["id"] == "import-template"
    assert downloads["items"][0]["attachments"][0]["url"] == "/api/v1/transactions/import-template.xlsx"
    ours = next(i for i in downloads["items"] if i["id"] == notice["id"])
    assert [a["filename"] for a in ours["attachments"]] == ["二手车交易登记表.pdf", "备案说明.docx"]
