"""Region scopes of officials: which codes a scope holds, and its next sub-level."""
from __future__ import annotations

from autocirc_shared.auth.scope import covers
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError
from autocirc_shared.refdata.regions import NATIONAL_SCOPE, ancestors, get_region


def resolve_scope(principal: Principal, region_code: str | None) -> str:
    """The region asked for (default: the official's own), which must lie within the official's."""
    own = principal.region_code if principal.kind == "official" else NATIONAL_SCOPE
    scope = region_code or own or NATIONAL_SCOPE
    if scope != NATIONAL_SCOPE and get_region(scope) is None:
        raise AppError(422, "region.unknown", "行政区划代码无效")
    if not covers(principal, scope):
        raise AppError(403, "region.forbidden", "所选地区不在您的管辖区域内")
    return scope


def sub_region(scope: str, code: str) -> str:
    """The region one level below ``scope`` that holds ``code`` (``code``'s own, at the bottom)."""
    chain = [r.code for r in ancestors(code)]
    if not chain:
        return code
    if scope == NATIONAL_SCOPE:
        return chain[0]
    if scope in chain:
        i = chain.index(scope)
        return chain[i + 1] if i + 1 < len(chain) else scope
    return code


def region_label(code: str) -> str:
    region = get_region(code)
    return region.name if region else ("全国" if code == NATIONAL_SCOPE else f"未知地区（{code}）")
