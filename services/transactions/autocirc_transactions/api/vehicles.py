"""Vehicle history for officials (车辆档案): every recorded sale of a VIN across enterprises, the mileage
verdict and the findings; and the VINs with findings in a region and period.

Scope (API.md): a VIN with at least one sale in the official's region (else 404); national and province
officials then see every record of it in full, city and district officials their region's records in full
and the other regions' records with the enterprise's name only. No buyer or seller data is ever part of
a history."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from autocirc_shared.auth.dependencies import current_principal
from autocirc_shared.auth.tokens import Principal
from autocirc_shared.errors import AppError, FieldError, field_errors, not_found
from autocirc_shared.messaging.unit_of_work import UnitOfWork
from autocirc_shared.refdata.regions import codes_within, region_covers
from autocirc_shared.validation import normalise_vin
from autocirc_shared.web.dependencies import get_uow
from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from ..domain.vehicle_rules import findings, mileage_verdict, period_dates
from ..usecases.vehicle_lookup import histories, sale_of, vehicle_history, vins_seen_more_than_once

router = APIRouter(prefix="/api/v1/vehicles", tags=["vehicles"])
SEES_ALL_REGIONS = frozenset({"national", "province"})
FINDINGS_LIMIT = 500


class FindingOut(BaseModel):
    code: str = Field(description="发现代码：mileage.decreased 里程倒退 / vin.traded_twice_same_day 同日多家企业交易 / "
                                  "plate.changed 车牌变更")
    message: str = Field(description="中文说明")


class HistoryRecord(BaseModel):
    trade_date: date = Field(description="交易日期")
    mileage_km: float | None = Field(None, description="表显里程（公里）")
    enterprise_name: str = Field(description="填报企业名称")
    enterprise_uscc: str | None = Field(None, description="填报企业统一社会信用代码（辖区外记录不显示）")
    region_code: str | None = Field(None, description="填报企业所在行政区划代码（辖区外记录不显示）")
    plate_number: str | None = Field(None, description="车牌照号（辖区外记录不显示）")
    in_region: bool = Field(description="是否辖区内记录（省级、国家级主管部门辖区外记录也完整显示）")


class VehicleHistory(BaseModel):
    vin: str = Field(description="车辆识别代号")
    records: list[HistoryRecord] = Field(description="历次交易（按交易日期）")
    mileage_verdict: Literal["consistent", "inconsistent", "unknown"] = Field(
        description="里程判断：consistent 合理 / inconsistent 不合理（里程倒退）/ unknown 里程记录不足")
    findings: list[FindingOut] = Field(description="发现的问题")


class VehicleFindings(BaseModel):
    vin: str
    mileage_verdict: Literal["consistent", "inconsistent", "unknown"]
    findings: list[FindingOut]
    sales: int = Field(description="全国记录的交易次数")
    last_trade_date: date


class FindingsPage(BaseModel):
    items: list[VehicleFindings]
    total: int
    truncated: bool = Field(description="候选车辆超过上限（500）时为 true，请缩小期间")


def _official(principal: Principal) -> Principal:
    if principal.kind != "official" or not principal.region_code:
        raise AppError(403, "forbidden.role", "只有商务主管部门可以查看车辆档案")
    return principal


def _record(row, in_region: bool, full: bool) -> HistoryRecord:
    return HistoryRecord(trade_date=row.trade_date, mileage_km=row.mileage_km,
                         enterprise_name=row.enterprise_name or "", in_region=in_region,
                         enterprise_uscc=row.enterprise_uscc if full else None,
                         region_code=row.region_code if full else None,
                         plate_number=row.plate_number if full else None)


@router.get("/findings", response_model=FindingsPage, summary="辖区内有异常发现的车辆（按期间）")
async def region_findings(period: Annotated[str, Query(description="期间：YYYY-MM、YYYY-Qn 或 YYYY")],
                          region_code: Annotated[str | None, Query(description="行政区划代码（默认本辖区）")] = None,
                          principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    _official(principal)
    bounds = period_dates(period)
    if bounds is None:
        raise field_errors(422, [FieldError(field="period", code="period.format",
                                            message="期间格式应为 YYYY-MM、YYYY-Qn 或 YYYY")])
    region = region_code or principal.region_code
    if not region_covers(principal.region_code, region):
        raise AppError(403, "region.forbidden", "所选区域不在您的管辖区域内")
    vins = await vins_seen_more_than_once(uow, codes_within(region), *bounds, limit=FINDINGS_LIMIT + 1)
    sales = await histories(uow, vins[:FINDINGS_LIMIT])
    items = []
    for vin in vins[:FINDINGS_LIMIT]:
        found = findings(sales[vin])
        if found:
            items.append(VehicleFindings(vin=vin, mileage_verdict=mileage_verdict(sales[vin]), sales=len(sales[vin]),
                                         findings=[f.as_dict() for f in found],
                                         last_trade_date=max(sale.trade_date for sale in sales[vin])))
    return FindingsPage(items=items, total=len(items), truncated=len(vins) > FINDINGS_LIMIT)


@router.get("/{vin}/history", response_model=VehicleHistory, summary="车辆档案：车辆识别代号的历次交易、里程判断和发现")
async def history(vin: Annotated[str, Path(description="车辆识别代号（17位）", max_length=40)],
                  principal: Principal = Depends(current_principal), uow: UnitOfWork = Depends(get_uow)):
    _official(principal)
    vin = normalise_vin(vin)
    rows = await vehicle_history(uow, vin)
    in_region = [region_covers(principal.region_code, row.region_code) for row in rows]
    if not any(in_region):  # no sale in the official's region: not its business, and no window onto others'
        raise not_found("该车辆在辖区内的交易记录")
    sees_all = principal.level in SEES_ALL_REGIONS
    sales = [sale_of(row) for row in rows]
    return VehicleHistory(vin=vin, records=[_record(row, inside, sees_all or inside)
                                            for row, inside in zip(rows, in_region)],
                          mileage_verdict=mileage_verdict(sales), findings=[f.as_dict() for f in findings(sales)])
