"""The public filing check (no login; the gateway rate-limits it per client): is an enterprise filed?"""
from __future__ import annotations

from datetime import date
from typing import Annotated

from autocirc_shared.clock import china_date
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import full_name
from autocirc_shared.validation import normalise_uscc
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from ..domain.public_status import PublicStatus, public_status
from ..usecases.public_check import filing_by_uscc

router = APIRouter(prefix="/api/v1/public/filings", tags=["public"])


class PublicFiling(BaseModel):
    uscc: str = Field(description="统一社会信用代码")
    name: str | None = Field(None, description="企业名称（未备案时为空）")
    status: PublicStatus = Field(description="confirmed 已备案 / changed 已备案（变更待确认）/ revoked 已注销 / not_filed 未备案")
    types: list[str] = Field(default_factory=list, description="备案的企业类型")
    confirmed_on: date | None = Field(None, description="最近一次备案确认日期")
    region_name: str | None = Field(None, description="所在地区")


@router.get("/{uscc}", response_model=PublicFiling, summary="备案查询（公开，无需登录）")
async def check_filing(uscc: Annotated[str, Path(description="统一社会信用代码（18位）", max_length=40)],
                       uow: UnitOfWork = Depends(get_uow)):
    uscc = normalise_uscc(uscc)
    enterprise, filing = await filing_by_uscc(uow, uscc)
    status = public_status(filing.status if filing else None, filing.confirmed_version if filing else None)
    if enterprise is None or status == "not_filed":  # a registration alone is nobody's business
        return PublicFiling(uscc=uscc, status="not_filed")
    return PublicFiling(uscc=uscc, name=enterprise.name, status=status, types=list(enterprise.types),
                        confirmed_on=china_date(filing.confirmed_at) if filing.confirmed_at else None,
                        region_name=full_name(enterprise.region_code))
