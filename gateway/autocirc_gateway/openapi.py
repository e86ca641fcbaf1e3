"""One OpenAPI document out of every service's own."""
from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def merge_openapi(documents: dict[str, dict[str, Any]], *, title: str, version: str, stub: bool = False) -> dict[str, Any]:
    """``stub``: include the police stub's paths (only when the gateway forwards them)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "全国汽车流通信息管理应用 autocirc：公开接口（所有服务经网关合并）"},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
        "tags": [],
    }
    for service, doc in documents.items():
        for path, item in doc.get("paths", {}).items():
            if path.startswith("/api/") or (stub and path.startswith("/stub/")):
                merged["paths"][path] = item
        components = doc.get("components", {})
        for kind in ("schemas", "securitySchemes"):
            for name, schema in components.get(kind, {}).items():
                existing = merged["components"][kind].get(name)
                if existing is not None and existing != schema:
                    log.warning("schema %s differs between services; keeping %s's first", name, service)
                    continue
                merged["components"][kind][name] = schema
        merged["tags"].append({"name": service})
    return merged
