"""Whose region an account's scope covers: officials see their region, the admin everything."""
from __future__ import annotations

from ..refdata.regions import region_covers
from .tokens import Principal


def covers(principal: Principal, region_code: str) -> bool:
    if principal.kind == "admin":
        return True
    return principal.kind == "official" and principal.region_code is not None and bool(principal.region_code) \
        and region_covers(principal.region_code, region_code)
