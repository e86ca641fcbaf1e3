"""Request and response bodies, built per kind from its spec (so each kind's fields show in OpenAPI)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, create_model
from pydantic_core import PydanticCustomError

from ..domain.kinds import CATEGORIES, KEY_LABELS, SPECS, KindSpec, Measure

MAX_ROWS = 500


def _places(places: int, code: str, message: str):
    step = Decimal(1).scaleb(-places)

    def check(value: Decimal) -> Decimal:
        if value != value.quantize(step):
            raise PydanticCustomError(code, message)
        return value

    return AfterValidator(check)


AsNumber = PlainSerializer(float, return_type=float, when_used="json")
Wan = Annotated[Decimal, Field(ge=0, le=Decimal(10) ** 9),
                _places(4, "report.unit", "金额以万元为单位，最多保留4位小数"), AsNumber]
SignedWan = Annotated[Decimal, Field(ge=-Decimal(10) ** 9, le=Decimal(10) ** 9),
                      _places(4, "report.unit", "金额以万元为单位，最多保留4位小数"), AsNumber]
Area = Annotated[Decimal, Field(ge=0, le=Decimal(10) ** 8),
                 _places(2, "field.decimal_places", "面积最多保留2位小数"), AsNumber]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Litres = Annotated[Decimal, Field(ge=0, le=20), _places(1, "field.decimal_places", "排量最多保留1位小数"), AsNumber]
Category = Literal[tuple(CATEGORIES)]  # type: ignore[valid-type]


def measure_type(measure: Measure) -> Any:
    if measure.unit == "count":
        return Count
    if measure.unit == "area":
        return Area
    return SignedWan if measure.signed else Wan


def _fields(measures: tuple[Measure, ...], required: bool) -> dict[str, Any]:
    default = ... if required else 0
    return {m.name: (measure_type(m), Field(default, description=m.label)) for m in measures}


KEY_TYPES: dict[str, Any] = {"category": Category, "manufacturer_id": Annotated[str, Field(max_length=36)],
                             "brand_id": Annotated[str, Field(max_length=36)],
                             "model_id": Annotated[str, Field(max_length=36)], "displacement": Litres}
NAME_FIELDS = {"category": ("category_label", "车辆类别名称"), "manufacturer_id": ("manufacturer_name", "供应商名称"),
               "brand_id": ("brand_name", "品牌名称"), "model_id": ("model_name", "车型名称")}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def read_only(about: str) -> Any:
    """A field a draft or report shows and a body may carry back: accepted, ignored, never stored."""
    return Field(None, exclude=True, description=f"{about}（只读，提交时忽略）")


class ReportHeader(Strict):
    period: str = Field(max_length=10, description="报表期间：月报 YYYY-MM，季报 YYYY-Qn，年报 YYYY")
    filler_name: str | None = Field(None, max_length=50, description="填报人")
    filler_phone: str | None = Field(None, max_length=20, pattern=r"^[0-9+\-() ]{5,20}$", description="联系电话")


class ReportDiscrepancy(BaseModel):
    row: str | None = Field(description="行（车辆类别）；整表指标为空")
    field: str = Field(description="指标字段")
    label: str = Field(description="指标名称")
    reported: float = Field(description="报表填报值")
    expected: float = Field(description="按交易记录（或月报）汇总的值")
    source: str = Field(description="汇总来源：transactions 交易记录 / monthly_reports 月报")


class ReportDiscrepancies(BaseModel):
    report_id: str
    enterprise_id: str
    enterprise_name: str = Field(description="填报单位")
    region_code: str
    region_name: str = Field(description="所在地区")
    period: str = Field(description="报表期间")
    late: bool = Field(False, description="迟报")
    discrepancies: list[ReportDiscrepancy] = Field(description="不一致的指标（填报值与汇总值）")


class ReportMeta(BaseModel):
    id: str
    kind: str = Field(description="报表类型")
    kind_label: str = Field(description="报表名称")
    period: str = Field(description="报表期间")
    enterprise_id: str
    enterprise_name: str = Field(description="填报单位")
    region_code: str = Field(description="企业所在区县代码")
    filler_name: str | None = Field(None, description="填报人")
    filler_phone: str | None = Field(None, description="联系电话")
    deadline: date = Field(description="截止日期（含当日）；月报、季报过后仍可填报（迟报），年报过后不能再填报、修改或删除")
    editable: bool = Field(description="是否仍可修改")
    late: bool = Field(False, description="迟报：截止日期后填报或修改")
    created_at: datetime = Field(description="填报时间")
    updated_at: datetime = Field(description="最后修改时间")


class StatisticsMeta(BaseModel):
    kind: str
    period: str = Field(description="统计期间")
    region_code: str = Field(description="统计地区")
    region_name: str
    group_by: str = Field(description="分组：category 车辆类别 / brand 品牌 / region 下级地区 / month 期间")
    source: str = Field(description="数据来源：reports 已报报表 / transactions 交易记录汇总")
    report_count: int = Field(description="参与汇总的报表数（按交易记录汇总时为企业数）")


@dataclass(frozen=True)
class KindModels:
    body_in: type[BaseModel]
    report_out: type[BaseModel]
    draft_out: type[BaseModel]
    figures: type[BaseModel]
    statistics_out: type[BaseModel]
    row_in: type[BaseModel] | None = None
    row_out: type[BaseModel] | None = None


def _name(spec: KindSpec, suffix: str) -> str:
    return "".join(part.capitalize() for part in spec.kind.split("-")) + suffix


def build_models(spec: KindSpec) -> KindModels:
    figures = create_model(_name(spec, "Figures"), **_fields(spec.measures, required=False))
    summed = create_model(_name(spec, "Totals"), enterprise_count=(int, Field(description="企业数")), **{
        m.name: (measure_type(m) | None, Field(None, description=m.label + "（按交易记录汇总时无此项为空）"))
        for m in spec.measures})
    group = create_model(_name(spec, "Group"), __base__=summed,
                         key=(str, Field(description="分组键")), label=(str, Field(description="分组名称")))
    statistics = create_model(_name(spec, "Statistics"), __base__=StatisticsMeta,
                              groups=(list[group], ...), totals=(summed, Field(description="合计")))
    source = (str | None, read_only("预填来源"))
    if not spec.has_rows:
        body_in = create_model(_name(spec, "In"), __base__=ReportHeader, **_fields(spec.measures, required=True),
                               source=source)
        out = create_model(_name(spec, "Out"), __base__=ReportMeta, **_fields(spec.measures, required=True),
                           discrepancies=(list[ReportDiscrepancy], []))
        draft = create_model(_name(spec, "Draft"), __base__=body_in, source=(str | None, Field(None, description="预填来源")))
        return KindModels(body_in, out, draft, figures, statistics)
    keys = {k: (KEY_TYPES[k], Field(description=KEY_LABELS[k])) for k in spec.keys}
    named_keys = [k for k in spec.keys if k in NAME_FIELDS]
    echoed = {NAME_FIELDS[k][0]: (str | None, read_only(NAME_FIELDS[k][1])) for k in named_keys}
    row_in = create_model(_name(spec, "RowIn"), __base__=Strict, **keys, **_fields(spec.measures, required=False),
                          **echoed)
    names = {NAME_FIELDS[k][0]: (str, Field("", description=NAME_FIELDS[k][1])) for k in named_keys}
    row_out = create_model(_name(spec, "Row"), __base__=row_in, **names)
    max_rows = len(CATEGORIES) if spec.by_category else MAX_ROWS
    about = "各行数据（按车辆类别，未填类别视为0）" if spec.by_category else "各行数据"
    rows = (list[row_in], Field(default_factory=list, max_length=max_rows, description=about))
    body_in = create_model(_name(spec, "In"), __base__=ReportHeader, rows=rows, source=source,
                           totals=(dict[str, Any] | None, read_only("合计")))
    out = create_model(_name(spec, "Out"), __base__=ReportMeta, rows=(list[row_out], ...),
                       totals=(figures, Field(description="合计")), discrepancies=(list[ReportDiscrepancy], []))
    draft = create_model(_name(spec, "Draft"), __base__=ReportHeader, rows=(list[row_out], ...),
                         totals=(figures, ...), source=(str | None, None))
    return KindModels(body_in, out, draft, figures, statistics, row_in, row_out)


MODELS: dict[str, KindModels] = {kind: build_models(spec) for kind, spec in SPECS.items()}


class ReportSummary(BaseModel):
    id: str
    period: str = Field(description="报表月度/期间")
    enterprise_id: str
    enterprise_name: str = Field(description="填报单位")
    filler_name: str | None = Field(None, description="填报人")
    created_at: datetime = Field(description="填报时间")
    updated_at: datetime
    deadline: date = Field(description="截止日期（含）")
    editable: bool
    late: bool = Field(False, description="迟报：截止日期后填报或修改")


class FileablePeriod(BaseModel):
    period: str = Field(description="可填报的期间（尚未填报）")
    deadline: date = Field(description="截止日期（含）")
    late: bool = Field(description="现在填报即为迟报")


class MissingEnterprise(BaseModel):
    enterprise_id: str
    name: str = Field(description="企业名称")
    uscc: str | None = Field(None, description="统一社会信用代码")
    region_code: str = Field(description="所在区县代码")
    region_name: str = Field(description="所在地区")
    confirmed_on: date | None = Field(None, description="备案首次确认日期（其前的期间可能尚未经营）")
    deadline: date = Field(description="该期报表截止日期（含）")
    overdue: bool = Field(description="是否已过截止日期")


class ReportModelChoice(BaseModel):
    model_id: str
    name: str = Field(description="车型")
    displacements: list[float] = Field(description="排量（升）")


class ReportBrandChoice(BaseModel):
    manufacturer_id: str
    manufacturer_name: str = Field(description="供应商（生产商）")
    brand_id: str
    brand_name: str = Field(description="品牌")
    authorised: bool = Field(description="授权品牌")
    models: list[ReportModelChoice] = Field(description="已审核通过的车型及排量")
