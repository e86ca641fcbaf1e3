"""Which officials may see and review which filings."""
from __future__ import annotations

from typing import Protocol

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError


class OfficialView(Protocol):
    """What the rule reads of filing's projection of an official (``models.filings.OfficialView``)."""
    can_review: bool
    changed_at: float | None  # Unix seconds, comparable with a token's iat


def ensure_can_review(principal: Principal, official: OfficialView | None, region_code: str) -> None:
    """can_review from whichever is fresher: identity's last announcement (a revocation acts at once,
    whatever an older token says) or the token (issued after a grant the bus has not delivered yet)."""
    if principal.kind != "official" or not covers(principal, region_code):
        raise AppError(403, "filing.review_forbidden", "该企业不在您的管辖区域内，不能审核")
    fresher = official is not None and _announcement_is_fresher(official, principal)
    can_review = official.can_review if fresher and official is not None else principal.can_review
    if not can_review:
        raise AppError(403, "filing.review_forbidden", f"您没有审核权限，请联系{review_right_grantor(principal.level)}设置")


def review_right_grantor(level: str | None) -> str:
    """Who grants an official's review right: the province official for cities and districts, the admin for a
    province (or national) official, who has no one above it in its province."""
    return "系统管理员" if level in ("province", "national") else "省级商务主管部门"


def _announcement_is_fresher(official: OfficialView | None, principal: Principal) -> bool:
    if official is None:
        return False
    if official.changed_at is None or principal.issued_at is None:
        return True
    return official.changed_at >= principal.issued_at
