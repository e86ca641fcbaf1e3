"""Print (or write) the gateway's merged OpenAPI document without a server: ``python -m autocirc_gateway.openapi_export
[OUT.json]``. The services' FastAPI apps are built as in embedded mode (nothing started, no database touched) and
merged as ``GET /openapi.json`` merges them. ``gateway/web/scripts/gen_client.py`` turns it into TypeScript types."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from autocirc_shared.messaging.inprocess import InProcessBus

from .embedded import create_runtimes
from .openapi import merge_openapi
from .settings import GatewaySettings


def merged_openapi(settings: GatewaySettings | None = None) -> dict:
    """Building a runtime creates its data folders: they go to a temporary AUTOCIRC_DATA_DIR, not the caller's."""
    previous = os.environ.get("AUTOCIRC_DATA_DIR")
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["AUTOCIRC_DATA_DIR"] = data_dir
        try:
            runtimes = create_runtimes(settings or GatewaySettings(), InProcessBus())
            documents = {name: runtime.app.openapi() for name, runtime in runtimes.items()}
        finally:
            if previous is None:
                os.environ.pop("AUTOCIRC_DATA_DIR", None)
            else:
                os.environ["AUTOCIRC_DATA_DIR"] = previous
    return merge_openapi(documents,
                         title="autocirc 全国汽车流通信息管理应用", version="1.0.0", stub=False)


def main(argv: list[str]) -> None:
    text = json.dumps(merged_openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
