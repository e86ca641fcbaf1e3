"""What the public filing check (备案查询) says of a filing: one word, nothing else of its content."""
from __future__ import annotations

from typing import Literal

PublicStatus = Literal["confirmed", "changed", "revoked", "not_filed"]


def public_status(status: str | None, confirmed_version: int | None) -> PublicStatus:
    """``confirmed`` while the confirmed version is the latest; ``changed`` while a change after a
    confirmation is edited or awaits review (the confirmed version stays in force); ``revoked`` after
    a revocation (注销); ``not_filed`` when no version was ever confirmed."""
    if status == "revoked":
        return "revoked"
    if confirmed_version is None:
        return "not_filed"
    return "confirmed" if status == "confirmed" else "changed"
