"""Which officials may see and review which filings."""
from __future__ import annotations

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError

from ..models.filings import OfficialView


def ensure_can_review(principal: Principal, official: OfficialView | None, region_code: str) -> None:
    """can_review as identity last announced it (a revocation acts at once), else as the token says."""
    if principal.kind != "official" or not covers(principal, region_code):
        raise AppError(403, "filing.review_forbidden", "该企业不在您的管辖区域内，不能审核")
    can_review = official.can_review if official is not None else principal.can_review
    if not can_review:
        raise AppError(403, "filing.review_forbidden", "您没有审核权限，请联系省级商务主管部门设置")
