"""Domain rules of a used-car transaction record (二手车销售基本情况表), without a database."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from autocirc_shared.masking import mask_field, mask_id_number, mask_mobile, mask_personal
from autocirc_transactions.domain.audit import changes
from autocirc_transactions.domain.checks import check_transaction
from autocirc_transactions.domain.labels import field_label
from autocirc_transactions.domain.transfer import city_of, short_name, transfer_kind

from tests.support.flows import make_resident_id, make_vin, transaction_body

TODAY = date(2024, 6, 1)


def check(**sections):
    return check_transaction(transaction_body(**sections), today=TODAY)


def codes(errors) -> dict[str, str]:
    return {e.field: e.code for e in errors}


def test_a_valid_record_is_normalised_and_completed():
    lower_x = make_resident_id(seq=2)  # check character X, sent as a lower-case x
    assert lower_x.endswith("X")
    record, errors = check(buyer={"ethnicity": "01", "id_number": lower_x.lower(), "mobile": "138 1234 5678"},
                           vehicle={"vin": " " + make_vin(serial=42).lower() + " ", "plate_number": "京a·12345"})
    assert errors == []
    assert record.buyer.ethnicity == "汉族" and record.buyer.mobile == "13812345678"
    assert record.buyer.id_number == lower_x
    assert record.vehicle.vin == make_vin(serial=42) and record.vehicle.plate_number == "京A12345"
    assert record.vehicle.report_category == "passenger_basic", "K33 derives 基本型"
    assert record.vehicle.origin == "domestic", "an L WMI is made in China"
    assert record.deal.price == Decimal("56800.5") and record.deal.price_upper == "伍万陆仟捌佰元伍角"
    assert record.seller.has_uscc is True and record.seller.id_number is None and record.seller.ethnicity is None
    assert record.buyer.uscc is None and record.buyer.id_type == "resident_id" and record.buyer.nationality == "CHN"
    assert record.model_dump(mode="json")["deal"]["price"] == 56800.5, "prices are JSON numbers"


WRONG_USCC = "91330106MA2B3C4D5E"


@pytest.mark.parametrize("sections, field, code", [
    ({"vehicle": {"vin": make_vin()[:8] + "Z" + make_vin()[9:]}}, "vehicle.vin", "vin.checksum"),
    ({"vehicle": {"vin": "LSVAB2BM6HN00012"}}, "vehicle.vin", "vin.format"),
    ({"vehicle": {"vin": "LSVAB2BM6HN0001I3"}}, "vehicle.vin", "vin.format"),
    ({"vehicle": {"plate_number": "京12345"}}, "vehicle.plate_number", "plate.format"),
    ({"buyer": {"id_number": "110101199003071234"}}, "buyer.id_number", "id_number.checksum"),
    ({"buyer": {"id_number": "11010119901307123X"}}, "buyer.id_number", "id_number.birth_date"),
    ({"seller": {"uscc": WRONG_USCC}}, "seller.uscc", "uscc.checksum"),
    ({"seller": {"uscc": "91-330106"}}, "seller.uscc", "uscc.format"),
    ({"seller": {"uscc": None}}, "seller.uscc", "field.required"),
    ({"seller": {"has_uscc": False, "uscc": None}}, "seller.org_code", "field.required"),
    ({"seller": {"has_uscc": False, "uscc": None, "org_code": "12345678-1"}}, "seller.org_code", "org_code.checksum"),
    ({"buyer": {"mobile": "12345"}}, "buyer.mobile", "mobile.format"),
    ({"buyer": {"ethnicity": None}}, "buyer.ethnicity", "field.required"),
    ({"buyer": {"ethnicity": "火星族"}}, "buyer.ethnicity", "ethnicity.unknown"),
    ({"buyer": {"nationality": "XYZ"}}, "buyer.nationality", "nationality.unknown"),
    ({"buyer": {"nationality": "USA", "id_type": "passport", "id_number": "X"}}, "buyer.id_number", "id_number.format"),
    ({"buyer": {"nationality": "USA", "ethnicity": None, "id_type": "resident_id"}}, "buyer.id_type",
     "id_type.nationality"),
    ({"vehicle": {"vehicle_type": "K99"}}, "vehicle.vehicle_type", "vehicle_type.unknown"),
    ({"vehicle": {"vehicle_type": "K31"}}, "vehicle.report_category", "report_category.required"),
    ({"vehicle": {"vehicle_type": "K33", "report_category": "suv"}}, "vehicle.report_category",
     "report_category.invalid"),
    ({"vehicle": {"usage": None}}, "vehicle.usage", "field.required"),
    ({"vehicle": {"usage_code": "Y"}}, "vehicle.usage_code", "usage_code.unknown"),
    ({"vehicle": {"registration_cert_no": "12"}}, "vehicle.registration_cert_no", "registration_cert_no.format"),
    ({"vehicle": {"first_registration_date": "2024-06-02"}}, "vehicle.first_registration_date", "date.future"),
    ({"vehicle": {"first_registration_date": "2024-03-16"}}, "vehicle.first_registration_date", "date.order"),
    ({"deal": {"trade_date": "2024-06-02"}}, "deal.trade_date", "date.future"),
    ({"deal": {"initial_purchase_date": "2024-03-16"}}, "deal.initial_purchase_date", "date.order"),
    ({"deal": {"price": 99.99}}, "deal.price", "price.range"),
    ({"deal": {"price": 100_000_000.01}}, "deal.price", "price.range"),
    ({"deal": {"price": 1000.123}}, "deal.price", "field.decimal_places"),
    ({"deal": {"price": "abc"}}, "deal.price", "field.type"),
    ({"deal": {"price_upper": "伍万元整"}}, "deal.price_upper", "price.upper_mismatch"),
    ({"deal": {"transfer_region_code": "999999"}}, "deal.transfer_region_code", "region.unknown"),
    ({"deal": {"trade_type": "lease"}}, "deal.trade_type", "field.choice"),
    ({"deal": {"invoice_no": "发票"}}, "deal.invoice_no", "invoice_no.format"),
    ({"deal": {"mileage_km": -1}}, "deal.mileage_km", "field.range"),
    ({"buyer": {"name": "  "}}, "buyer.name", "field.required"),
    ({"buyer": {"colour": "红"}}, "buyer.colour", "field.unknown"),
    ({"seller": None}, "seller", "field.required"),
])
def test_each_rule_reports_its_code_on_its_field(sections, field, code):
    record, errors = check(**sections)
    assert record is None
    assert codes(errors) == {field: code}, errors
    assert all(e.message and not e.message.isascii() for e in errors), "messages are Chinese"


def test_every_error_is_reported_at_once_in_form_order():
    record, errors = check(buyer={"name": "", "id_number": "110101199003071234"},
                           seller={"uscc": WRONG_USCC},
                           vehicle={"vin": "LSVAB2BM1HN000123", "plate_number": "A123", "first_registration_date": "x"},
                           deal={"price": 50, "trade_date": "2030-01-01"})
    assert record is None
    assert [(e.field, e.code) for e in errors] == [
        ("buyer.name", "field.required"), ("buyer.id_number", "id_number.checksum"),
        ("seller.uscc", "uscc.checksum"),
        ("vehicle.plate_number", "plate.format"), ("vehicle.vin", "vin.checksum"),
        ("vehicle.first_registration_date", "field.date"),
        ("deal.trade_date", "date.future"), ("deal.price", "price.range"),
    ]
    assert errors[0].message.startswith("买方单位/个人名称") and errors[1].message.startswith("买方：")


def test_report_category_is_chosen_for_k31_and_derived_otherwise():
    assert check(vehicle={"vehicle_type": "K31", "report_category": "mpv"})[0].vehicle.report_category == "mpv"
    assert check(vehicle={"vehicle_type": "H51"})[0].vehicle.report_category == "low_speed_truck"
    assert check(vehicle={"vehicle_type": "k32"})[0].vehicle.report_category == "suv"
    assert check(vehicle={"vehicle_type": "M21"})[0].vehicle.report_category == "motorcycle"


def test_usage_code_decides_usage():
    assert check(vehicle={"usage": "non_operating", "usage_code": "D"})[0].vehicle.usage == "operating"
    assert check(vehicle={"usage": None, "usage_code": "L"})[0].vehicle.usage == "non_operating"


def test_an_imported_vin_with_a_wrong_check_digit_needs_the_clerks_confirmation():
    vin = "WBA3A5C50DF000001"  # BMW Germany, position 9 is not a check digit here
    record, errors = check(vehicle={"vin": vin})
    assert record is None and codes(errors) == {"vehicle.vin": "vin.checksum_warning"}
    record, errors = check(vehicle={"vin": vin, "vin_checksum_confirmed": True})
    assert errors == [] and record.vehicle.origin == "imported"
    assert check(vehicle={"vin": vin, "vin_checksum_confirmed": True, "origin": "domestic"})[0].vehicle.origin \
        == "domestic", "an explicit origin (from the certificate) wins over the VIN"


def test_foreign_person_agent_and_enterprise_with_organisation_code():
    record, errors = check(
        agent={"name": "John Smith", "nationality": "usa", "id_type": "passport", "id_number": "a1234567",
               "address": "上海市浦东新区1号", "mobile": "13712345678"},
        seller={"has_uscc": False, "uscc": None, "org_code": "69007891-2"})
    assert errors == [], errors
    assert record.agent.nationality == "USA" and record.agent.ethnicity is None and record.agent.id_number == "A1234567"
    assert record.seller.has_uscc is False and record.seller.org_code == "69007891-2"


def test_a_foreign_national_defaults_to_a_passport_and_is_refused_a_resident_id():
    record, errors = check(buyer={"nationality": "DEU", "ethnicity": None, "id_type": None, "id_number": "C01X00T47"})
    assert errors == [] and record.buyer.id_type == "passport", errors
    _, errors = check(buyer={"nationality": "DEU", "ethnicity": None, "id_type": "resident_id"})
    assert [(e.field, e.code, e.message) for e in errors] == [
        ("buyer.id_type", "id_type.nationality", "买方：居民身份证仅适用于中国国籍，外国籍个人请选择护照或其他证件")]
    assert check(buyer={"id_type": None})[0].buyer.id_type == "resident_id", "a Chinese national: the resident ID"


def test_price_in_capitals_accepts_every_correct_spelling():
    assert check(deal={"price_upper": "人民币伍万陆仟捌佰元伍角"})[1] == []
    assert check(deal={"price": 100000, "price_upper": "壹拾万元正"})[0].deal.price_upper == "壹拾万元整"


def test_not_an_object():
    record, errors = check_transaction([1, 2], today=TODAY)
    assert record is None and errors[0].code == "field.type"


@pytest.mark.parametrize("enterprise, code, office, expected", [
    ("110101", "110000", "", "local"),  # a municipality is one city
    ("110101", "110105", "", "local"),
    ("110101", "330100", "", "out"),
    ("330106", "330110", "", "local"),  # another district of 杭州
    ("330106", "330200", "", "out"),  # 宁波
    ("500101", "500230", "", "local"),  # 重庆: districts and counties alike
    ("429004", "429005", "", "out"),  # 仙桃 and 潜江 are separate county-level cities
    ("330106", None, "杭州市公安局交通警察支队车辆管理所", "local"),
    ("330106", None, "西湖区车管所", "local"),
    ("330106", None, "宁波市公安局交通警察局车辆管理所", "out"),
    ("110101", None, "北京市公安局公安交通管理局车辆管理所", "local"),
])
def test_local_or_out_of_area_transfer(enterprise, code, office, expected):
    assert transfer_kind(enterprise, code, office) == expected


def test_city_and_short_names():
    assert city_of("330106").code == "330100" and city_of("110101").code == "110000"
    assert city_of("999999") is None
    assert short_name("杭州市") == "杭州" and short_name("延边朝鲜族自治州") == "延边"
    assert short_name("东城区") == "东城"


def test_masking():
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("E1234567") == "E1****67" and mask_id_number("AB") == "A*"
    assert mask_id_number(None) is None and mask_mobile("") == ""
    masked = mask_personal({"buyer": {"id_number": "110101199003071234", "mobile": "13812345678", "name": "李四"},
                            "list": [{"mobile": "13912345678"}]})
    assert masked == {"buyer": {"id_number": "110101********1234", "mobile": "138****5678", "name": "李四"},
                      "list": [{"mobile": "139****5678"}]}
    assert mask_field("seller.mobile", "13912345678") == "139****5678" and mask_field("deal.price", 1) == 1


def test_audit_changes_and_labels():
    before = transaction_body()
    after = transaction_body(buyer={"mobile": "13700000000"}, deal={"price": 60000})
    after["vehicle"]["vin"] = before["vehicle"]["vin"]
    after["seller"]["uscc"] = before["seller"]["uscc"]
    diff = changes(before, after)
    assert [(c["field"], c["label"], c["before"], c["after"]) for c in diff] == [
        ("buyer.mobile", "买方单位/个人手机", "13812345678", "13700000000"),
        ("deal.price", "车价合计", 56800.5, 60000)]
    assert field_label("vehicle.vin") == "车架号/车辆识别代码" and field_label("agent") == "代理人信息"


def test_date_warnings_only_for_a_purchase_long_before_the_registration():
    from datetime import date

    from autocirc_transactions.domain.vehicle_rules import date_warnings
    registered = date(2020, 6, 1)
    assert [w.code for w in date_warnings(registered, date(2020, 2, 1))] == ["date.purchase_before_registration"]
    assert date_warnings(registered, date(2020, 5, 20)) == [] and date_warnings(registered, date(2020, 6, 3)) == []
    assert date_warnings(registered, None) == [] and date_warnings(None, date(2020, 1, 1)) == []
    assert date_warnings(registered, date(2020, 2, 1))[0].field == "deal.initial_purchase_date"
