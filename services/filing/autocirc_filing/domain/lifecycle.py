"""The filing's states: draft → submitted → confirmed | rejected; a confirmed filing edited
and submitted again becomes ``changed`` (已变更) — whether or not anything changed, as the
seed says — and its last confirmed version stays in force until an official decides.
A filing in force (confirmed, or changed and awaiting review) can be revoked (注销): nothing is in
force any more, and the enterprise may edit and submit a new filing (``submitted``, not a change)."""
from __future__ import annotations

from autocirc_shared.errors import AppError

EDITABLE = {"draft", "rejected", "confirmed", "revoked"}
UNDER_REVIEW = {"submitted", "changed"}
IN_FORCE = {"confirmed", "changed"}


def ensure_editable(status: str) -> None:
    if status not in EDITABLE:
        raise AppError(409, "filing.state", "备案信息正在审核中，暂不能修改")


def status_after_submit(status: str, ever_confirmed: bool) -> str:
    ensure_editable(status)
    return "changed" if ever_confirmed else "submitted"


def ensure_reviewable(status: str) -> None:
    if status not in UNDER_REVIEW:
        raise AppError(409, "filing.state", "只能审核已提交或已变更的备案信息")


def ensure_revocable(status: str) -> None:
    if status not in IN_FORCE:
        raise AppError(409, "filing.state", "只能注销已确认（含变更审核中）的备案")
