"""Date rules use China's day, not the server's zone."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

from autocirc_shared.clock import as_utc, china_date, china_today
from autocirc_shared.settings import CommonSettings


def test_china_today_is_utc_plus_eight():
    before = (datetime.now(UTC) + timedelta(hours=8)).date()
    assert china_today() in (before, (datetime.now(UTC) + timedelta(hours=8)).date())


def test_settings_today_is_china_unless_pinned():
    assert CommonSettings().today_date() == china_today()
    assert CommonSettings(today=date(2026, 3, 31)).today_date() == date(2026, 3, 31)


def test_a_server_far_west_of_china_still_has_china_day():
    code = "from autocirc_shared.clock import as_utc, china_date, china_today; print(china_today().isoformat())"
    env = {**os.environ, "TZ": "Pacific/Pago_Pago"}  # UTC-11: on another calendar day than China for 19 hours
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == china_today().isoformat()


def test_a_naive_moment_is_utc_and_falls_on_chinas_day():
    assert as_utc(datetime(2026, 10, 31, 16, 0)) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert china_date(datetime(2026, 10, 31, 15, 59)) == date(2026, 10, 31)
    assert china_date(datetime(2026, 10, 31, 16, 0, tzinfo=UTC)) == date(2026, 11, 1)
