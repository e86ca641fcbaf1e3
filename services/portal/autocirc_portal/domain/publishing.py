"""Who publishes where: the admin nationally (000000), an official in its own region; nobody else."""
from __future__ import annotations

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError

NATIONAL = "000000"
CATEGORIES = {"policy": "政策发布", "news": "综合信息", "notice": "重要通知", "download": "表格下载"}


def publishing_region(principal: Principal) -> str:
    if principal.kind == "admin":
        return NATIONAL
    if principal.kind == "official" and principal.region_code:
        return principal.region_code
    raise AppError(403, "forbidden", "只有系统管理员和商务主管部门可以发布信息")


def ensure_may_edit(principal: Principal, region_code: str) -> None:
    """An official edits its region's notices (and those of the regions below it), not national ones."""
    publishing_region(principal)
    if principal.kind != "admin" and (region_code == NATIONAL or not covers(principal, region_code)):
        raise AppError(403, "region.forbidden", "只能修改本辖区发布的信息")
