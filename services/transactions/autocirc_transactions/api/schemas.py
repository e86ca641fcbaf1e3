"""Response shapes: a stored record (the form plus what the service adds) and its audit trail."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..domain.schemas import TransactionIn


class TransactionOut(TransactionIn):
    """A stored record; for officials ``id_number`` and ``mobile`` are masked (110101********1234, 138****5678)."""

    id: str = Field(description="交易记录标识")
    enterprise_id: str = Field(description="填报企业标识")
    version: int = Field(description="版本（录入为1，每次修改加1）")
    source: str = Field(description="来源：api 单条录入 / import 批量导入")
    reported_at: datetime = Field(description="填报时间")
    reported_on: date = Field(description="填报日期（报表时间）")
    updated_at: datetime = Field(description="最后修改时间")
    transfer: Literal["local", "out"] = Field(description="转籍：local 本地转籍 / out 外迁")
    masked: bool = Field(False, description="证件号码和手机号码是否已脱敏（主管部门查看时）")


class TransactionChange(BaseModel):
    field: str = Field(description="字段（点号路径）")
    label: str = Field(description="字段名称")
    before: Any = Field(None, description="修改前")
    after: Any = Field(None, description="修改后")


class TransactionHistoryEntry(BaseModel):
    version: int = Field(description="操作后的版本")
    action: Literal["create", "update", "delete"] = Field(description="操作：create 录入 / update 修改 / delete 删除")
    source: str = Field(description="来源：api 单条录入 / import 批量导入")
    actor: str = Field(description="操作人账户标识")
    actor_name: str = Field(description="操作人用户名")
    at: datetime = Field(description="操作时间")
    changes: list[TransactionChange] = Field(default_factory=list, description="修改的字段及修改前后的值")


class EntryWarning(BaseModel):
    code: str = Field(description="提示代码：mileage.decreased 里程低于此前记录 / vin.concurrent_trade 同日其他企业已录入 / "
                      "date.purchase_before_registration 初次购置日期远早于初次登记日期")
    message: str = Field(description="中文提示（不含其他企业的任何信息）")


class TransactionCreated(TransactionOut):
    """A record just entered, with what the plausibility checks noticed (warnings, never refusals)."""

    warnings: list[EntryWarning] = Field(default_factory=list, description="提示（不影响录入）")
