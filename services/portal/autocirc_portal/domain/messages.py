"""What each notification says (pure: texts from event facts)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from autocirc_shared.clock import china_date


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str


def filing_confirmed(version: int, confirmed_at: datetime) -> Message:
    return Message("filing.confirmed", "备案信息已确认通过",
                   f"您的企业备案信息（第{version}版）已于{china_date(confirmed_at):%Y年%m月%d日}经商务主管部门确认通过。")


def filing_rejected(reason: str) -> Message:
    return Message("filing.rejected", "备案信息被退回", f"您的企业备案信息被商务主管部门退回，原因：{reason}。请按退回原因修改后重新提交。")


def filing_revoked(reason: str | None) -> Message:
    why = f"，原因：{reason}" if reason else ""
    return Message("filing.revoked", "备案已被注销",
                   f"您的企业备案已被商务主管部门注销{why}。重新提交并经确认前，不能录入交易信息和填报报表。")


def filing_submitted(enterprise_name: str, changed: bool) -> Message:
    what = "备案变更" if changed else "新备案"
    return Message("filing.submitted", f"待审核：{enterprise_name}的{what}",
                   f"{enterprise_name}提交了{what}信息，请在“备案信息审核”中确认或退回。")


def report_due(label: str, period: str, deadline: date) -> Message:
    return Message("report.due", f"{label}（{period}）即将到期",
                   f"{label}（{period}）的报送截止日期为{deadline:%Y年%m月%d日}，请按时填报。")


def report_overdue(label: str, period: str, deadline: date) -> Message:
    return Message("report.overdue", f"{label}（{period}）已逾期",
                   f"{label}（{period}）的报送截止日期{deadline:%Y年%m月%d日}已过，尚未填报。")
