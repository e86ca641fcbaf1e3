"""What a filing must contain before it can be submitted, by enterprise type, and the
cross-field rules (shares add up to 100, dates ordered, branches match their count).

Branches (分支机构): the form asks for their number and then one row per branch with its name,
business licence number, address and scope (the seed's 分支机构名称、营业执照号、经营地址、业务范围).
The number must equal the rows: a clerk who states 2 branches lists both, and one who lists
branches states how many. A draft may state the number before any row is added (rows that are
there must already match it, and each needs its name); on submit every row must be complete and
the number must match the rows, also when no row was added (``filing.branch_count``)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from autocirc_shared.errors import FieldError
from autocirc_shared.refdata.regions import validate_residence
from autocirc_shared.validation import validate_mobile

from .form import BRANCH_DETAILS, LABELS, Address, FilingData

USED_CAR = {"used_car_market", "used_car_appraiser", "used_car_dealer", "used_car_broker", "used_car_auction"}
NEW_CAR = {"oem", "import_distributor", "new_car_dealer"}
AUTHORISING = {"oem", "import_distributor"}  # 授权情况 is theirs alone


def _required(errors: list[FieldError], field: str, value: object) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(FieldError(field=field, code="field.required", message=f"请填写{LABELS.get(field, field)}"))


def _address(errors: list[FieldError], field: str, address: Address | None, required: bool) -> None:
    if address is None:
        if required:
            _required(errors, field, None)
        return
    codes = (address.province_code, address.city_code, address.district_code)
    if any(codes) or required:
        issue = validate_residence(*(c or "" for c in codes))
        if issue:
            errors.append(FieldError(field=field, code=issue.code, message=f"{LABELS[field]}：{issue.message}"))
    if required:
        _required(errors, f"{field}.street", address.street)


def shape_errors(data: FilingData, today: date) -> list[FieldError]:
    """Checked on every save: what is filled in must be right, even in a draft."""
    errors: list[FieldError] = []
    if data.share_chinese_pct is not None or data.share_foreign_pct is not None:
        total = (data.share_chinese_pct or Decimal(0)) + (data.share_foreign_pct or Decimal(0))
        if total != 100:
            errors.append(FieldError(field="share_foreign_pct", code="filing.share_total",
                                     message=f"中方与外方股份之和应为100%（现为{total}%）"))
    if data.founded_on and data.founded_on > today:
        errors.append(FieldError(field="founded_on", code="date.future", message="成立日期不能晚于今天"))
    if data.term_from and data.term_to and data.term_to <= data.term_from:
        errors.append(FieldError(field="term_to", code="filing.term_order", message="营业期限至应晚于营业期限自"))
    if data.founded_on and data.term_from and data.term_from < data.founded_on:
        errors.append(FieldError(field="term_from", code="filing.term_order", message="营业期限自不能早于成立日期"))
    if data.filler and data.filler.mobile and (issue := validate_mobile(data.filler.mobile.strip())):
        errors.append(FieldError(field="filler.mobile", code=issue.code, message=issue.message))
    if data.filler and data.filler.email and not _looks_like_email(data.filler.email):
        errors.append(FieldError(field="filler.email", code="email.format", message="邮箱格式不正确"))
    if data.branch_count is not None and data.branches and len(data.branches) != data.branch_count:
        errors.append(FieldError(field="branches", code="filing.branch_count",
                                 message=f"分支机构数量为{data.branch_count}，但填写了{len(data.branches)}个分支机构"))
    for i, branch in enumerate(data.branches):
        if not branch.name.strip():
            errors.append(FieldError(field=f"branches.{i}.name", code="field.required",
                                     message=f"请填写第{i + 1}个分支机构的名称"))
    seen = set()
    for i, choice in enumerate(data.brands):
        if (choice.brand_id, choice.manufacturer_id) in seen:
            errors.append(FieldError(field=f"brands.{i}", code="filing.brand_duplicate", message="品牌与生产商重复选择"))
        seen.add((choice.brand_id, choice.manufacturer_id))
    _address(errors, "residence", data.residence, required=False)
    _address(errors, "business_address", data.business_address, required=False)
    return errors


def _looks_like_email(value: str) -> bool:
    local, _, domain = value.strip().partition("@")
    return bool(local) and "." in domain and " " not in value


def _branches_complete(errors: list[FieldError], data: FilingData) -> None:
    """On submit: every branch row complete, and as many rows as the stated number (a mismatch with
    rows present is already reported by :func:`shape_errors`)."""
    for i, branch in enumerate(data.branches):
        for name, label in BRANCH_DETAILS.items():
            value = getattr(branch, name)
            if value is None or not value.strip():
                errors.append(FieldError(field=f"branches.{i}.{name}", code="field.required",
                                         message=f"请填写第{i + 1}个分支机构的{label}"))
    if data.branch_count and not data.branches:
        errors.append(FieldError(field="branches", code="filing.branch_count",
                                 message=f"分支机构数量为{data.branch_count}，请逐个填写分支机构的名称、营业执照号、"
                                         "经营地址和业务范围"))


def submit_errors(data: FilingData, types: list[str], media_kinds: set[str], today: date) -> list[FieldError]:
    """Everything missing or wrong for these enterprise types, listed at once."""
    errors = shape_errors(data, today)
    for field in ("legal_representative", "registered_capital_wan", "business_area_m2", "founded_on", "term_from",
                  "branch_count", "business_scope"):
        _required(errors, field, getattr(data, field))
    _branches_complete(errors, data)
    _address(errors, "residence", data.residence, required=True)
    _address(errors, "business_address", data.business_address, required=True)
    _required(errors, "filler.name", data.filler.name if data.filler else None)
    _required(errors, "filler.mobile", data.filler.mobile if data.filler else None)
    kinds = set(types)
    if "used_car_market" in kinds:
        _required(errors, "resident_merchant_count", data.resident_merchant_count)
        _required(errors, "market_staff_count", data.market_staff_count)
    if kinds & (USED_CAR - {"used_car_market"}):
        _required(errors, "professional_staff_count", data.professional_staff_count)
    if kinds & AUTHORISING:
        _required(errors, "authorisation", data.authorisation)
    elif data.authorisation:
        errors.append(FieldError(field="authorisation", code="filing.not_applicable",
                                 message="授权情况仅国内主机厂及其总经销商、进口总经销商填写"))
    if kinds & NEW_CAR and not data.brands:
        errors.append(FieldError(field="brands", code="field.required",
                                 message="请至少添加一个授权或非授权品牌（未添加无法填报月报）"))
    for kind, label in (("licence_original", "营业执照正本"), ("licence_copy", "营业执照副本"), ("seal", "公章")):
        if kind not in media_kinds:
            errors.append(FieldError(field=f"media.{kind}", code="media.required", message=f"请上传{label}影像"))
    return errors
