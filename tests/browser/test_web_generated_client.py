"""The committed TypeScript types of the API (gateway/web/src/generated/openapi.d.ts) are what openapi-typescript
makes of the gateway's merged OpenAPI document today: regenerated into a temporary folder and compared.

Needs Node.js and `npm ci` in gateway/web (``make web``); skipped without them locally, failed under CI."""
from __future__ import annotations

import shutil

from tests.browser.test_web_client import WEB
from tests.support.infra import unavailable
from tests.unit.test_web_generated import _generator


def _tool_or_skip():
    if shutil.which("node") is None:
        unavailable("Node.js is not installed")
    if not (WEB / "node_modules" / ".bin" / "openapi-typescript").exists():
        unavailable("gateway/web/node_modules is missing: run `make web`")


def test_committed_openapi_types_are_current():
    _tool_or_skip()
    gen = _generator()
    rendered = {"src/generated/openapi.d.ts": gen.render_openapi_types()}
    assert gen.stale(rendered) == [], "run `.venv/bin/python gateway/web/scripts/gen_client.py` and commit the result"
    text = rendered["src/generated/openapi.d.ts"]
    # every public route of every service is in it, and nothing of the police stub
    for path in ('"/api/v1/transactions/{transaction_id}"', '"/api/v1/filings"', '"/api/v1/catalog/brands"',
                 '"/api/v1/reports/used-car-monthly"', '"/api/v1/notices"', '"/api/v1/media-sync/deliveries"',
                 '"/api/v1/auth/login"'):
        assert path in text
    assert '"/stub/' not in text


def test_a_changed_api_makes_the_committed_types_stale(monkeypatch):
    """The check can fail: a field added to an answer changes the generated types."""
    _tool_or_skip()
    import autocirc_gateway.openapi_export as export

    gen = _generator()
    real = export.merged_openapi

    def changed():
        doc = real()
        doc["components"]["schemas"]["AccountOut"]["properties"]["extra_field"] = {"type": "string"}
        return doc

    monkeypatch.setattr(export, "merged_openapi", changed)
    rendered = {"src/generated/openapi.d.ts": gen.render_openapi_types()}
    assert "extra_field" in rendered["src/generated/openapi.d.ts"]
    assert gen.stale(rendered) == ["src/generated/openapi.d.ts"]
