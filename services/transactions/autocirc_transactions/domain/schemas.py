"""The used-car sale form (二手车销售基本情况表) as a request body: shapes and normalisation only.

Every field of the seed form is here and required, except the agent (代理人) and the fields the
form does not have or that are derived (price in capitals, origin, report category).
Identifier lengths are lenient here so that the domain rules (``rules.py``: check digits,
reference codes, dates, cross-field rules) answer with their specific codes (``vin.format``...);
``checks.check_transaction`` runs both and derives what may be omitted.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from autocirc_shared.errors import PYDANTIC_MESSAGES
from autocirc_shared.events.transactions import ReportCategory
from autocirc_shared.validation import normalise_plate, normalise_resident_id, normalise_uscc, normalise_vin
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic_core import PydanticCustomError

PRICE_MIN = Decimal("100")
PRICE_MAX = Decimal("100000000")


def _required(value: Any) -> Any:
    """None or blank → ``field.required``; text → stripped; anything else as is (for the type's own check)."""
    if isinstance(value, str):
        value = value.strip()
        if value:
            return value
        raise PydanticCustomError("field.required", "此项为必填项")
    if value is None:
        raise PydanticCustomError("field.required", "此项为必填项")
    return value


def _optional(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _normalised(normalise: Callable[[str], str]) -> Callable[[Any], Any]:
    """Blank → None; text → ``normalise(text)``: ``normalise(_optional(value))``, inlined (it runs for a dozen
    fields of every imported row)."""
    def before(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return normalise(value) if value else None
        return value
    return before


def _required_normalised(normalise: Callable[[str], str]) -> Callable[[Any], Any]:
    """``_normalised(normalise)(_required(value))`` in one call: a required identifier or code (tested equal in
    tests/unit/test_transaction_schemas_fast.py). Text left by ``_required`` is stripped and not blank, so the
    composition's second strip and blank test change nothing."""
    def before(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticCustomError("field.required", "此项为必填项")
            return normalise(value)
        if value is None:
            raise PydanticCustomError("field.required", "此项为必填项")
        return value
    return before


def _upper(value: str) -> str:
    return "".join(value.split()).upper()


def _required_text(max_length: int) -> Callable[[Any], Any]:
    """``_required``, then at most ``max_length`` characters, in one call: pydantic's length check after a
    before-validator is a Python call of its own, and pydantic-core's check before it refuses a stored lone
    surrogate instead of measuring it (tests/security/test_text_edge.py). Tested equal to the former stack in
    tests/unit/test_transaction_schemas_fast.py."""
    def before(value: Any) -> Any:
        value = _required(value)
        if isinstance(value, str) and len(value) > max_length:
            raise PydanticCustomError(*PYDANTIC_MESSAGES["string_too_long"])  # what pydantic-core's check says
        return value
    return before


# The field types below are spelled out as ``Annotated[...]`` (a type checker reads no call in an annotation):
# text: ``Annotated[str, _text(n), _schema_max(n)]`` (the JSON schema keeps its maxLength); a required identifier
# or code, blank-stripped and normalised:
# ``Annotated[str, _max(n), _required_norm(f)]`` (the required check first, so blank is ``field.required``, then
# the normalisation, in one before-validator); an optional one: ``Annotated[Annotated[str, _max(n)] | None, _norm(f)]``.


def _max(max_length: int) -> Any:
    return Field(max_length=max_length)


def _text(max_length: int) -> BeforeValidator:
    return BeforeValidator(_required_text(max_length))


def _schema_max(max_length: int) -> Any:
    return Field(json_schema_extra={"maxLength": max_length})


def _norm(normalise: Callable[[str], str]) -> BeforeValidator:
    return BeforeValidator(_normalised(normalise))


def _required_norm(normalise: Callable[[str], str]) -> BeforeValidator:
    return BeforeValidator(_required_normalised(normalise))


RequiredDate = Annotated[date, BeforeValidator(_required)]
OptionalDate = Annotated[date | None, BeforeValidator(_optional)]
AsNumber = PlainSerializer(float, return_type=float, when_used="json")  # JSON numbers, not strings
Money = Annotated[Decimal, Field(decimal_places=2, allow_inf_nan=False), AsNumber]
IdType = Literal["resident_id", "passport", "other"]


class PartyIn(BaseModel):
    """买方 / 卖方 / 代理人: a company (USCC or organisation code) or a person (ID document)."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, _text(200), _schema_max(200)] = Field(description="单位/个人名称")
    is_enterprise: bool = Field(False, description="是否企业（是：填统一社会信用代码或组织机构代码；否：填证件信息）")
    has_uscc: bool | None = Field(None, description="是否有统一代码（企业；不填时按是否填写统一社会信用代码判断）")
    uscc: Annotated[Annotated[str, _max(40)] | None, _norm(normalise_uscc)] = Field(
        None, description="统一社会信用代码（企业，有统一代码时必填）")
    org_code: Annotated[Annotated[str, _max(40)] | None, _norm(_upper)] = Field(None, description="组织机构代码（企业，无统一代码时必填）")
    nationality: Annotated[Annotated[str, _max(10)] | None, _norm(_upper)] = Field(
        None, description="国籍（个人，ISO 3166-1 三位字母代码，默认 CHN 中国）")
    ethnicity: Annotated[Annotated[str, _max(20)] | None, _norm(str)] = Field(
        None, description="民族（中国籍个人必填，GB 3304 代码如 01 或名称如 汉族）")
    id_type: Annotated[IdType | None, BeforeValidator(_optional)] = Field(
        None, description="证件类型（个人）：resident_id 居民身份证（默认）/ passport 护照 / other 其他证件")
    id_number: Annotated[Annotated[str, _max(40)] | None, _norm(normalise_resident_id)] = Field(
        None, description="身份证号/证件号码（个人必填）")
    address: Annotated[str, _text(200), _schema_max(200)] = Field(description="单位/个人住址")
    mobile: Annotated[str, _max(20), _required_norm(_upper)] = Field(description="单位/个人手机")


class VehicleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plate_number: Annotated[str, _max(20), _required_norm(normalise_plate)] = Field(description="车牌照号（如 京A12345）")
    registration_cert_no: Annotated[str, _max(20), _required_norm(_upper)] = Field(description="登记证号（机动车登记证书编号）")
    vin: Annotated[str, _max(40), _required_norm(normalise_vin)] = Field(description="车架号/车辆识别代码（VIN，17位）")
    vin_checksum_confirmed: bool = Field(
        False, description="已核对车辆识别代码（进口或老旧车辆第9位不是校验位时，核对登记证书后填 true）")
    brand_model: Annotated[str, _text(100), _schema_max(100)] = Field(description="厂牌型号")
    vehicle_type: Annotated[str, _max(10), _required_norm(_upper)] = Field(description="车辆类型（以机动车行驶证为准，GA 802 代码，如 K33 小型轿车）")
    report_category: Annotated[ReportCategory | None, BeforeValidator(_optional)] = Field(
        None, description="报表车辆类别（K31/K41 小型/微型普通客车必填：passenger_basic 基本型、mpv、suv、"
                          "crossover 交叉型；"
                          "其他车辆类型按车辆类型自动确定）")
    usage: Annotated[Literal["non_operating", "operating"] | None, BeforeValidator(_optional)] = Field(
        None, description="使用性质：non_operating 非营运 / operating 营运（填写使用性质代码时以代码为准）")
    usage_code: Annotated[Annotated[str, _max(10)] | None, _norm(_upper)] = Field(
        None, description="使用性质代码（以行驶证为准，如 A 非营运、D 出租客运），填写时决定营运/非营运")
    first_registration_date: RequiredDate = Field(description="初次登记日期")
    origin: Annotated[Literal["domestic", "imported"] | None, BeforeValidator(_optional)] = Field(
        None, description="国产/进口：domestic 国产 / imported 进口（不填时按车辆识别代码判断）")


class DealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trade_date: RequiredDate = Field(description="交易日期")
    transfer_office: Annotated[str, _text(100), _schema_max(100)] = Field(description="转入地车辆管理所名称")
    transfer_region_code: Annotated[Annotated[str, _max(12)] | None, _norm(_upper)] = Field(
        None, description="转入地行政区划代码（GB/T 2260，车辆管理所所在地；与企业同一地级市为本地转籍，否则为外迁）")
    price: Annotated[Money, BeforeValidator(_required)] = Field(description="车价合计（小写，元，最多两位小数）")
    price_upper: Annotated[Annotated[str, _max(60)] | None, _norm(str)] = Field(None, description="车价合计（大写，不填时自动生成）")
    operator_unit: Annotated[str, _text(200), _schema_max(200)] = Field(description="经营、拍卖单位")
    trade_type: Annotated[Literal["direct", "consignment"], BeforeValidator(_required)] = Field(
        description="交易类型：direct 直销 / consignment 代销")
    invoice_no: Annotated[str, _max(30), _required_norm(_upper)] = Field(description="发票号（二手车销售统一发票号码）")
    initial_purchase_price: Money | None = Field(None, ge=0, le=PRICE_MAX, description="初次购置价格（元，选填）")
    initial_purchase_date: OptionalDate = Field(None, description="初次购置日期（选填）")
    mileage_km: Annotated[Decimal, AsNumber] | None = Field(None, ge=0, le=10_000_000, decimal_places=1,
                                                            allow_inf_nan=False,
                                       description="表显里程（公里，选填）")


class TransactionIn(BaseModel):
    """二手车销售基本情况表."""

    model_config = ConfigDict(extra="forbid")
    buyer: PartyIn = Field(description="买方信息")
    seller: PartyIn = Field(description="卖方信息")
    agent: PartyIn | None = Field(None, description="代理人信息（无代理人时不填）")
    vehicle: VehicleIn = Field(description="车辆信息")
    deal: DealIn = Field(description="交易信息")

