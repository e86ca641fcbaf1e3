"""The 备案登记表 as sections of label/value pairs and tables, laid out like the seed form.
Both the workbook and the printable page render this one description."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autocirc_shared.refdata.regions import full_name

from .rules import AUTHORISING, NEW_CAR

MEDIA_LABELS = {"licence_original": "营业执照正本", "licence_copy": "营业执照副本", "seal": "公章"}

TYPE_LABELS = {
    "oem": "国内主机厂", "import_distributor": "进口总经销商", "new_car_dealer": "经销商",
    "used_car_market": "二手车交易市场", "used_car_appraiser": "二手车鉴定评估机构", "used_car_dealer": "二手车经销企业",
    "used_car_broker": "二手车经纪公司", "used_car_auction": "二手车拍卖公司",
}
STATUS_LABELS = {"draft": "草稿", "submitted": "已提交", "confirmed": "确认通过", "rejected": "退回", "changed": "已变更"}


@dataclass
class Sheet:
    title: str
    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    # (label, content type, bytes) of the licence and seal images: the printable page shows them
    images: list[tuple[str, str, bytes]] = field(default_factory=list)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _address(address: dict[str, Any] | None) -> str:
    if not address:
        return ""
    return full_name(address.get("district_code") or "") + (address.get("street") or "")


def build_sheet(enterprise: dict[str, Any], data: dict[str, Any], status: str, version: int, brand_names: dict[str, str]) -> Sheet:
    types = enterprise.get("types", [])
    used = any(t.startswith("used_car") for t in types)
    new_car = any(t in NEW_CAR for t in types)
    title = ("二手车" if used and not new_car else "汽车流通") + "企业信息备案登记表"
    filler = data.get("filler") or {}
    basic = [
        ("企业名称", _text(enterprise.get("name"))),
        ("有统一社会信用代码", "是" if enterprise.get("uscc") else "否"),
        ("统一社会信用代码", _text(enterprise.get("uscc"))),
        ("工商营业执照号", _text(enterprise.get("business_licence_no"))),
        ("税务登记证", _text(enterprise.get("tax_reg_no"))),
        ("组织机构代码证", _text(enterprise.get("org_code"))),
        ("企业类型", "、".join(TYPE_LABELS.get(t, t) for t in types)),
        ("外商投资企业进出口企业代码", _text(data.get("foreign_trade_code"))),
        ("外商投资企业股份构成", f"中方 {_text(data.get('share_chinese_pct'))}%  外方 {_text(data.get('share_foreign_pct'))}%"
         if data.get("share_chinese_pct") is not None else ""),
        ("法定代表人", _text(data.get("legal_representative"))),
        ("注册资本（万元）", _text(data.get("registered_capital_wan"))),
        ("营业面积（M²）", _text(data.get("business_area_m2"))),
        ("成立日期", _text(data.get("founded_on"))),
        ("营业期限自", _text(data.get("term_from"))),
        ("营业期限至", _text(data.get("term_to")) or ("长期" if data.get("term_from") else "")),
        ("分支机构数量", _text(data.get("branch_count"))),
    ]
    if "used_car_market" in types:
        basic += [("驻场商户数量", _text(data.get("resident_merchant_count"))),
                  ("市场管理及服务人员数", _text(data.get("market_staff_count")))]
    if any(t.startswith("used_car") and t != "used_car_market" for t in types):
        basic.append(("专业人员人数", _text(data.get("professional_staff_count"))))
    basic += [
        ("住所", _address(data.get("residence"))),
        ("企业经营范围", _text(data.get("business_scope"))),
        ("经营地址", _address(data.get("business_address"))),
    ]
    sheet = Sheet(title=title)
    sheet.sections.append(("1.基本信息", basic))
    if new_car:  # the seed: 授权情况 only for 国内主机厂及其总经销商、进口总经销商; brands for every new-car type
        if any(t in AUTHORISING for t in types):
            sheet.sections.append(("2.汽车销售企业信息", [("授权情况", _text(data.get("authorisation")))]))
        sheet.tables.append(("授权/非授权品牌", ["品牌", "生产商", "类别"], [
            [brand_names.get(b["brand_id"], b["brand_id"]), brand_names.get(b["manufacturer_id"], b["manufacturer_id"]),
             "授权" if b.get("authorised") else "非授权"] for b in data.get("brands", [])]))
    sheet.tables.append(("分支机构", ["分支机构名称", "营业执照号", "经营地址", "业务范围"], [
        [_text(b.get("name")), _text(b.get("licence_no")), _text(b.get("address")), _text(b.get("business_scope"))]
        for b in data.get("branches", [])]))
    sheet.sections.append(("填报人信息", [("填报人", _text(filler.get("name"))), ("填报人手机", _text(filler.get("mobile"))),
                                      ("填报人邮箱", _text(filler.get("email"))),
                                      ("备案状态", f"{STATUS_LABELS.get(status, status)}（第{version}版）")]))
    return sheet
