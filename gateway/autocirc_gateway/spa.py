"""Serving the web client (a single-page application built from ``gateway/web`` into ``webui/``).

- ``/assets/...`` are the build's content-hashed files: cached for a year, immutable.
- Every other GET path that is not the API, the police stub, the docs or an operations
  endpoint answers ``index.html`` (the client routes in the browser), never cached.
- Without a build (a fresh checkout before ``make web``) ``/`` still answers, with a short
  Chinese page that says how to build the client and links to the API docs.
"""
from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

WEBUI_DIR = Path(os.environ.get("AUTOCIRC_WEBUI_DIR") or Path(__file__).with_name("webui"))

# Paths the SPA never claims (the gateway's own endpoints and the routed prefixes).
RESERVED_PREFIXES = ("/api", "/stub", "/docs", "/openapi.json", "/healthz", "/readyz", "/metrics")

LONG_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>全国汽车流通信息管理应用</title>
<style>body{font-family:"Microsoft YaHei",sans-serif;max-width:40rem;margin:4rem auto;line-height:1.7;color:#333}
code{background:#f4f4f4;padding:0 .3em}</style></head>
<body><h1>全国汽车流通信息管理应用</h1>
<p>网页客户端尚未构建。请在项目根目录运行 <code>make web</code>（或 <code>make run</code>，会自动构建）后刷新本页。</p>
<p>接口仍可使用：<a href="/docs">查看接口文档（/docs）</a>。</p></body></html>"""

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("image/svg+xml", ".svg")


def _reserved(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in RESERVED_PREFIXES)


def _inside(root: Path, relative: str) -> Path | None:
    """The file ``relative`` under ``root``, or None if it is missing or escapes it."""
    try:
        candidate = (root / relative).resolve()
        base = root.resolve()
    except (OSError, ValueError):
        return None
    if base not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _not_found() -> Response:
    return JSONResponse({"type": "about:blank", "title": "Not Found", "status": 404, "code": "not_found",
                         "detail": "请求的资源不存在"}, status_code=404, media_type="application/problem+json")


def index_response(root: Path = WEBUI_DIR) -> Response:
    index = root / "index.html"
    if index.is_file():
        return FileResponse(index, media_type="text/html; charset=utf-8", headers={"Cache-Control": NO_CACHE})
    return HTMLResponse(NOT_BUILT, headers={"Cache-Control": NO_CACHE})


def mount_spa(app: FastAPI, root: Path = WEBUI_DIR) -> None:
    """Register the client's routes; call after every other route of ``app``."""

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def spa_index() -> Response:
        return index_response(root)

    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def spa_fallback(path: str, request: Request) -> Response:
        full = "/" + path
        if _reserved(full):
            return _not_found()
        if full.startswith("/assets/"):
            found = _inside(root, path)
            if found is None:
                return _not_found()
            return FileResponse(found, headers={"Cache-Control": LONG_CACHE})
        if "." in path.rsplit("/", 1)[-1]:  # a top-level static file such as /favicon.svg
            found = _inside(root, path)
            if found is not None:
                return FileResponse(found, headers={"Cache-Control": "public, max-age=3600"})
            return _not_found()
        return index_response(root)
