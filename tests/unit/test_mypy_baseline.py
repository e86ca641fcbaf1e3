"""The mypy baseline (mypy-baseline.txt) holds known errors of the non-strict code only.

`make mypy` fails on an error that is not in the baseline and on a listed one that no longer occurs; this test
adds that the strict packages (shared/ and every service's domain/) are never absorbed into it by a careless
`make mypy-baseline`, and that the strict override in pyproject.toml names every service's domain package.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRICT_PATH = re.compile(r"^(shared/|services/[^/]+/autocirc_[a-z_]+/domain/)")

# Modules of a strict package allowed in the baseline while they move out of it (none since the layout moves to
# usecases/ landed; test_exceptions_are_still_needed keeps the set honest).
MOVING_TO_USECASES: set[str] = set()


def _baseline_paths() -> list[str]:
    lines = (ROOT / "mypy-baseline.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[0] for line in lines if line.strip()]


def test_baseline_has_no_error_of_a_strict_package() -> None:
    strict = sorted({p for p in _baseline_paths() if STRICT_PATH.match(p) and p not in MOVING_TO_USECASES})
    assert strict == [], f"strict packages must have no mypy error (fix them, do not baseline them): {strict}"


def test_exceptions_are_still_needed() -> None:
    unneeded = sorted(MOVING_TO_USECASES - set(_baseline_paths()))
    assert unneeded == [], f"no baselined error left in these: remove them from MOVING_TO_USECASES: {unneeded}"


def test_baseline_names_existing_files() -> None:
    missing = sorted({p for p in _baseline_paths() if not (ROOT / p).is_file()})
    assert missing == [], f"mypy-baseline.txt names files that no longer exist; run `make mypy-baseline`: {missing}"


def test_every_domain_package_is_strict() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = next(o for o in config["overrides"] if o.get("disallow_untyped_defs"))
    packages = {p.parent.name for p in ROOT.glob("services/*/autocirc_*/domain/__init__.py")}
    services = {p.parent.parent.name for p in ROOT.glob("services/*/autocirc_*/domain/__init__.py")}
    assert packages == {"domain"} and services
    for service in sorted(services):
        assert {f"{service}.domain", f"{service}.domain.*"} <= set(strict["module"]), service
    assert {"autocirc_shared", "autocirc_shared.*"} <= set(strict["module"])
    checked = set(config["files"])
    assert "shared/autocirc_shared" in checked
    assert {str(p.parent.parent.relative_to(ROOT)) for p in ROOT.glob("services/*/autocirc_*/domain/__init__.py")
            } <= checked
