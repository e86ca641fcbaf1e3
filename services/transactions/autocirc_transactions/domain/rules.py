"""Domain rules of one transaction, section by section: each returns every problem it finds.

Paths are relative to the section (``id_number``); ``checks.py`` prefixes them (``buyer.id_number``).
A section may be partial (a field that failed to parse is None and already reported), so the
rules skip what is None rather than report it twice.
"""
from __future__ import annotations

import re
from datetime import date

from autocirc_shared.refdata.ethnicities import get_ethnicity
from autocirc_shared.refdata.nationalities import get_country
from autocirc_shared.refdata.regions import get_region
from autocirc_shared.refdata.usage import get_usage
from autocirc_shared.refdata.vehicle_types import report_category_for
from autocirc_shared.validation import (
    Issue,
    validate_mobile,
    validate_org_code,
    validate_plate,
    validate_price_upper,
    validate_resident_id,
    validate_uscc,
    validate_vin,
    vin_warnings,
)

from .schemas import PRICE_MAX, PRICE_MIN, DealIn, PartyIn, VehicleIn

Problem = tuple[str, Issue]  # (field path within the section, issue)

DEFAULT_NATIONALITY = "CHN"
PASSPORT = re.compile(r"[0-9A-Z]{5,20}")
REGISTRATION_CERT = re.compile(r"[0-9A-Z]{6,20}")
INVOICE = re.compile(r"[0-9A-Z-]{6,30}")

REQUIRED = {
    "uscc": Issue("field.required", "企业有统一代码时须填写统一社会信用代码"),
    "org_code": Issue("field.required", "企业无统一代码时须填写组织机构代码"),
    "ethnicity": Issue("field.required", "中国籍个人须填写民族"),
    "id_number": Issue("field.required", "个人须填写证件号码"),
    "usage": Issue("field.required", "请选择使用性质（营运/非营运）或填写使用性质代码"),
}
NATIONALITY_UNKNOWN = Issue("nationality.unknown", "国籍代码无效，应为 ISO 3166-1 三位字母代码（如 CHN）")
ETHNICITY_UNKNOWN = Issue("ethnicity.unknown", "民族无效，应为 GB 3304 民族代码（如 01）或名称（如 汉族）")
PASSPORT_FORMAT = Issue("id_number.format", "护照号码应为5至20位字母或数字")
RESIDENT_ID_FOREIGN = Issue("id_type.nationality", "居民身份证仅适用于中国国籍，外国籍个人请选择护照或其他证件")
CERT_FORMAT = Issue("registration_cert_no.format", "登记证号应为6至20位数字或字母")
INVOICE_FORMAT = Issue("invoice_no.format", "发票号应为6至30位数字或字母")
USAGE_UNKNOWN = Issue("usage_code.unknown",
                      "使用性质代码无效，应为行驶证上的代码（A 非营运、B 公路客运……U 预约出租转非）")
REGION_UNKNOWN = Issue("region.unknown", "转入地行政区划代码无效")
PRICE_RANGE = Issue("price.range", f"车价合计应在{PRICE_MIN:,}元至{PRICE_MAX:,}元之间")


def future(label: str) -> Issue:
    return Issue("date.future", f"{label}不能晚于今天")


def _after(day: date | None, limit: date | None) -> bool:
    return day is not None and limit is not None and day > limit


def default_id_type(nationality: str | None) -> str:
    """A person's document when none is named: the resident ID of a Chinese national, else the passport."""
    return "resident_id" if (nationality or DEFAULT_NATIONALITY) == DEFAULT_NATIONALITY else "passport"


def has_uscc(party: PartyIn) -> bool:
    return party.has_uscc if party.has_uscc is not None else bool(party.uscc)


def party_problems(party: PartyIn, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if party.is_enterprise:
        field, validate = ("uscc", validate_uscc) if has_uscc(party) else ("org_code", validate_org_code)
        value = getattr(party, field)
        issue = REQUIRED[field] if not value else validate(value)
        if issue:
            problems.append((field, issue))
    else:
        problems += _person_problems(party, today)
    if issue := validate_mobile(party.mobile):
        problems.append(("mobile", issue))
    return problems


def _person_problems(party: PartyIn, today: date) -> list[Problem]:
    problems: list[Problem] = []
    nationality = party.nationality or DEFAULT_NATIONALITY
    known = get_country(nationality) is not None
    if not known:
        problems.append(("nationality", NATIONALITY_UNKNOWN))
    if nationality == DEFAULT_NATIONALITY:
        if not party.ethnicity:
            problems.append(("ethnicity", REQUIRED["ethnicity"]))
        elif get_ethnicity(party.ethnicity) is None:
            problems.append(("ethnicity", ETHNICITY_UNKNOWN))
    id_type, number = party.id_type or default_id_type(nationality), party.id_number
    if id_type == "resident_id" and known and nationality != DEFAULT_NATIONALITY:
        problems.append(("id_type", RESIDENT_ID_FOREIGN))
    elif not number:
        problems.append(("id_number", REQUIRED["id_number"]))
    elif id_type == "resident_id" and (issue := validate_resident_id(number, today)):
        problems.append(("id_number", issue))
    elif id_type == "passport" and not PASSPORT.fullmatch(number):
        problems.append(("id_number", PASSPORT_FORMAT))
    return problems


def vehicle_problems(vehicle: VehicleIn, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if issue := validate_plate(vehicle.plate_number):
        problems.append(("plate_number", issue))
    if vehicle.registration_cert_no and not REGISTRATION_CERT.fullmatch(vehicle.registration_cert_no):
        problems.append(("registration_cert_no", CERT_FORMAT))
    if issue := validate_vin(vehicle.vin):
        problems.append(("vin", issue))
    elif not vehicle.vin_checksum_confirmed:
        problems += [("vin", warning) for warning in vin_warnings(vehicle.vin)]
    _, issue = report_category_for(vehicle.vehicle_type, vehicle.report_category)
    if issue:
        problems.append(("vehicle_type" if issue.code == "vehicle_type.unknown" else "report_category", issue))
    if vehicle.usage_code:
        if get_usage(vehicle.usage_code) is None:
            problems.append(("usage_code", USAGE_UNKNOWN))
    elif vehicle.usage is None:
        problems.append(("usage", REQUIRED["usage"]))
    if _after(vehicle.first_registration_date, today):
        problems.append(("first_registration_date", future("初次登记日期")))
    return problems


def deal_problems(deal: DealIn, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if _after(deal.trade_date, today):
        problems.append(("trade_date", future("交易日期")))
    if deal.transfer_region_code and get_region(deal.transfer_region_code) is None:
        problems.append(("transfer_region_code", REGION_UNKNOWN))
    if deal.price is None:
        pass
    elif not PRICE_MIN <= deal.price <= PRICE_MAX:
        problems.append(("price", PRICE_RANGE))
    elif deal.price_upper and (issue := validate_price_upper(deal.price, deal.price_upper)):
        problems.append(("price_upper", issue))
    if deal.invoice_no and not INVOICE.fullmatch(deal.invoice_no):
        problems.append(("invoice_no", INVOICE_FORMAT))
    if _after(deal.initial_purchase_date, today):
        problems.append(("initial_purchase_date", future("初次购置日期")))
    elif _after(deal.initial_purchase_date, deal.trade_date):
        problems.append(("initial_purchase_date", Issue("date.order", "初次购置日期不能晚于交易日期")))
    return problems


def cross_problems(vehicle: VehicleIn, deal: DealIn) -> list[Problem]:
    """Rules spanning the vehicle and the deal (full paths)."""
    if _after(vehicle.first_registration_date, deal.trade_date):
        return [("vehicle.first_registration_date", Issue("date.order", "初次登记日期不能晚于交易日期"))]
    return []
