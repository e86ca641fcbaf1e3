"""The web client in a real browser: Debian's Chromium driven by Playwright (npm ``playwright-core``)
walks the seed story for every role against the embedded system started exactly as ``make run`` does,
and saves screenshots of the main screens to gateway/web/screenshots/.

Needs Node.js, the client build (``make web``) and /usr/bin/chromium (``make browser-deps``; ``make test``
does both). Without them the test is skipped locally and fails under CI (``CI=true``)."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.test_transactions_excel import workbook
from tests.support.api import make_uscc
from tests.support.flows import make_resident_id, make_vin, transaction_body
from tests.support.images import png
from tests.support.infra import unavailable

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "gateway" / "web"
WEBUI = ROOT / "gateway" / "autocirc_gateway" / "webui"
CHROMIUM = "/usr/bin/chromium"
ADMIN_PASSWORD = "Admin12345x"
STORY_TIMEOUT = 420



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _previous_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _fixtures(tmp: Path, year: int, month: int) -> dict:
    """Images, import workbooks and identifiers the story types in."""
    files = {}
    for i, kind in enumerate(("licence_original", "licence_copy", "seal")):
        path = tmp / f"{kind}.png"
        path.write_bytes(png(seed=1000 + i))
        files[kind] = str(path)
    records = []
    vin = make_vin("LSVAB2BM", 777)  # typed in the form with 86,000 km; the import's first row has less: a warning
    for i in range(3):
        body = transaction_body(vehicle={"vin": vin if i == 0 else make_vin("LSVAB2BM", 500 + i),
                                         "plate_number": f"京B{i + 1:04d}0", "usage_code": "A"},
                                deal={"trade_date": f"{year}-{month:02d}-{10 + i:02d}", "price": 45000 + i * 1000,
                                      "mileage_km": 41000 if i == 0 else None})
        body["buyer"].update(name=f"导入买方{i}", id_number=make_resident_id(seq=100 + i))
        records.append(body)
    good = tmp / "车辆交易信息.xlsx"
    good.write_bytes(workbook(records))
    bad = tmp / "车辆交易信息-有错误.xlsx"
    bad.write_bytes(workbook(records, patch={0: {"车架号/车辆识别代码": "LSVAB2BM0HN00001I"},
                                              2: {"买方身份证号/证件号码": "110101199003071234"}}))
    notice_pdf = tmp / "报送说明.pdf"
    notice_pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return {
        "images": files, "good_xlsx": str(good), "bad_xlsx": str(bad), "notice_pdf": str(notice_pdf),
        "uscc": make_uscc("110101"), "seller_uscc": make_uscc("330106"), "vin": vin,
        "buyer_id": make_resident_id(seq=321), "trade_date": f"{year}-{month:02d}-08",
        "period": f"{year}-{month:02d}", "year": year, "month": month,
    }


@pytest.fixture
def server(tmp_path):
    yield from serve(tmp_path)


def serve(tmp_path: Path, **extra_env: str):
    """The embedded system as ``make run`` starts it (SQLite, in-process bus): yields (base URL, its log)."""
    port = _free_port()
    env = {**os.environ, "AUTOCIRC_DATA_DIR": str(tmp_path / "data"), "AUTOCIRC_CAPTCHA": "off",
           "AUTOCIRC_ADMIN_PASSWORD": ADMIN_PASSWORD, "AUTOCIRC_DATABASE_URL": "", "AUTOCIRC_AMQP_URL": "",
           "AUTOCIRC_S3_ENDPOINT": "", "AUTOCIRC_OUTBOX_POLL_SECONDS": "0.2",
           "AUTOCIRC_MEDIA_SYNC_POLL_SECONDS": "0.2", "AUTOCIRC_MEDIA_SYNC_RETRY_BASE_SECONDS": "0.1", **extra_env}
    for key in ("AUTOCIRC_DATABASE_URL", "AUTOCIRC_AMQP_URL", "AUTOCIRC_S3_ENDPOINT"):
        env.pop(key)
    log = open(tmp_path / "server.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "autocirc_gateway.embedded:create_app",
                                "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-3000:]
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the embedded system did not become ready"
            time.sleep(0.3)
        yield base, tmp_path / "server.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def browser_tools() -> str:
    """Node.js, with Chromium and the built client beside it (else skipped locally, a failure under CI)."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: run `make browser-deps`")
    if not (WEB / "node_modules" / "playwright-core").is_dir() or not (WEBUI / "index.html").is_file():
        unavailable("the web client is not built: run `make web`")
    return node


def test_seed_story_in_chromium(server, tmp_path):
    node = browser_tools()
    base, server_log = server
    year, month = _previous_month(dt.date.today())
    fixtures = _fixtures(tmp_path, year, month)
    # The README's screenshots are refreshed only on request (make screenshots): a test run leaves the tree clean.
    shots = WEB / "screenshots" if os.environ.get("AUTOCIRC_UPDATE_SCREENSHOTS") else tmp_path / "screenshots"
    shots.mkdir(exist_ok=True)
    env = {**os.environ, "BASE_URL": base, "ADMIN_PASSWORD": ADMIN_PASSWORD, "SCREENSHOT_DIR": str(shots),
           "FIXTURES": json.dumps(fixtures, ensure_ascii=False), "WEB_DIR": str(WEB), "PROFILE_DIR": str(tmp_path / "profile"),
           "CHROMIUM": CHROMIUM}
    started = time.monotonic()
    result = subprocess.run([node, str(Path(__file__).with_name("story.mjs"))], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=STORY_TIMEOUT)
    print(result.stdout)
    if result.returncode != 0:
        tail = server_log.read_text(errors="replace")[-4000:]
        pytest.fail(f"browser story failed after {time.monotonic() - started:.0f}s\n--- stdout\n{result.stdout[-6000:]}"
                    f"\n--- stderr\n{result.stderr[-6000:]}\n--- server log (tail)\n{tail}")
    assert "STORY OK" in result.stdout
    taken = sorted(p.name for p in shots.glob("*.png"))
    assert len(taken) >= 18 and all((shots / name).stat().st_size > 10_000 for name in taken), taken
