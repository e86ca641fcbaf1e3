"""The gateway serves the web client: index fallback, long-cached hashed assets, and a Chinese page
instead of an error when the client has not been built."""
from __future__ import annotations

import httpx
from autocirc_gateway.spa import mount_spa
from fastapi import FastAPI


def client_for(root) -> httpx.AsyncClient:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz():
        return {"status": "ok"}

    mount_spa(app, root)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_without_a_build_root_still_answers_in_chinese(tmp_path):
    client = client_for(tmp_path / "missing")
    response = await client.get("/")
    assert response.status_code == 200
    assert "网页客户端尚未构建" in response.text and 'href="/docs"' in response.text
    assert (await client.get("/filing")).status_code == 200
    assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_index_fallback_assets_and_reserved_paths(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>客户端</title>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("x", encoding="utf-8")
    client = client_for(tmp_path)
    for path in ("/", "/filing", "/reports/used-car-monthly/new", "/transactions/abc"):
        response = await client.get(path)
        assert response.status_code == 200 and "客户端" in response.text, path
        assert response.headers["cache-control"] == "no-cache"
    asset = await client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
    assert "javascript" in asset.headers["content-type"]
    assert (await client.get("/favicon.svg")).status_code == 200
    assert (await client.get("/assets/missing.js")).status_code == 404
    assert (await client.get("/assets/../../secret.txt")).status_code == 404
    assert (await client.get("/assets/%2e%2e/%2e%2e/secret.txt")).status_code == 404
    for reserved in ("/api/v1/nowhere", "/stub/nowhere", "/docs/extra", "/metrics/x"):
        assert (await client.get(reserved)).status_code == 404, reserved
    assert (await client.post("/filing")).status_code == 405
