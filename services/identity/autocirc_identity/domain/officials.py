"""Who may create officials and grant review rights (省级商务主管部门设置审核权限)."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.refdata.regions import level_of, region_covers

NATIONAL_CODE = "000000"
LEVELS = ("national", "province", "city", "district")


def region_matches_level(level: str, region_code: str) -> bool:
    if level == "national":
        return region_code == NATIONAL_CODE
    return level_of(region_code) == level


def can_manage(actor: Principal, level: str, region_code: str) -> bool:
    """Admin manages every official; a province official those below it in its province."""
    if actor.kind == "admin":
        return True
    return (actor.kind == "official" and actor.level == "province" and level in ("city", "district")
            and actor.region_code is not None and region_covers(actor.region_code, region_code))

