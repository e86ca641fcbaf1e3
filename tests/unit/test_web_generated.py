"""The web client's generated files that need only Python (gateway/web/scripts/gen_client.py): labels, the
validators' messages and the reference data are committed and must equal what the Python side renders now.
The TypeScript types of the OpenAPI document need Node: tests/browser/test_web_generated_client.py."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "gateway" / "web" / "scripts"


def _generator():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("gen_client", SCRIPTS / "gen_client.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_labels_messages_and_refdata_are_current():
    gen = _generator()
    rendered = gen.render_python_side()
    assert set(rendered) == {"src/generated/labels.ts", "src/generated/messages.ts", "src/refdata.ts"}
    assert gen.stale(rendered) == [], "run `.venv/bin/python gateway/web/scripts/gen_client.py` and commit the result"


def test_a_changed_label_makes_the_committed_file_stale(monkeypatch):
    """The check can fail: a label changed on the Python side no longer matches the committed labels.ts."""
    from autocirc_shared import audit

    gen = _generator()
    monkeypatch.setitem(audit.ACTIONS, "password.change", "改过的说法")
    rendered = gen.render_python_side()
    assert "改过的说法" in rendered["src/generated/labels.ts"]
    assert gen.stale(rendered) == ["src/generated/labels.ts"]


def _exported(text: str, name: str):
    line = next(line for line in text.splitlines() if line.startswith(f"export const {name}"))
    return json.loads(line.split(" = ", 1)[1].removesuffix(" as const"))


def test_labels_and_messages_come_from_the_services_tables():
    from autocirc_identity.domain.enterprise_types import LABELS
    from autocirc_reports.domain.kinds import SPECS
    from autocirc_shared.audit import ACTIONS
    from autocirc_shared.validation import uscc, vin

    web = ROOT / "gateway" / "web" / "src" / "generated"
    labels = (web / "labels.ts").read_text(encoding="utf-8")
    messages = _exported((web / "messages.ts").read_text(encoding="utf-8"), "MESSAGES")
    assert _exported(labels, "AUDIT_ACTIONS") == ACTIONS  # the hand copy had lost password.self_reset
    assert _exported(labels, "ENTERPRISE_TYPES") == {t.value: label for t, label in LABELS.items()}
    kinds = _exported(labels, "REPORT_KINDS")
    assert [k["kind"] for k in kinds] == list(SPECS) and kinds[3]["label"] == SPECS["appraisal-quarterly"].label
    measures = _exported(labels, "REPORT_MEASURES")
    assert [m["label"] for m in measures["used-car-monthly"]] == [m.label for m in SPECS["used-car-monthly"].measures]
    assert messages["usccChecksum"] == uscc.CHECKSUM.message and messages["vinWarning"] == vin.CHECKSUM_WARNING.message
    # the hand-written tables these replace are gone from the client
    src = ROOT / "gateway" / "web" / "src"
    assert "二手车鉴定评估季报" not in (src / "labels.ts").read_text(encoding="utf-8")
    assert uscc.CHECKSUM.message not in (src / "validators.ts").read_text(encoding="utf-8")
