"""Reference data for used-car transactions: vehicle types, usage, countries, ethnicities."""

import re

import pytest
from autocirc_shared.refdata.ethnicities import Ethnicity, all_ethnicities, get_ethnicity
from autocirc_shared.refdata.nationalities import Country, all_countries, get_country
from autocirc_shared.refdata.usage import all_usages, get_usage
from autocirc_shared.refdata.vehicle_types import (
    REPORT_CATEGORIES,
    VehicleType,
    all_vehicle_types,
    get_vehicle_type,
    report_category_for,
)

# --- Vehicle types -----------------------------------------------------------


def test_report_categories_exact():
    assert REPORT_CATEGORIES == {
        "passenger_basic": "基本型",
        "mpv": "MPV",
        "suv": "SUV",
        "crossover": "交叉型",
        "truck": "货车",
        "tricycle": "三轮汽车",
        "low_speed_truck": "低速货车",
        "trailer": "挂车",
        "motorcycle": "摩托车",
        "other": "其他车",
    }


def test_vehicle_type_table_shape():
    types = all_vehicle_types()
    codes = [t.code for t in types]
    assert len(codes) == len(set(codes)) == 236
    for t in types:
        assert re.fullmatch(r"[KHQZDMNTJGBX][0-9][0-9A-Z]", t.code)
        assert t.name and t.name.strip() == t.name
        assert t.report_category is None or t.report_category in REPORT_CATEGORIES
        assert t.passenger == (t.report_category is None)
    assert sum(t.code.startswith("K") for t in types) == 26


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("K11", "大型普通客车"),
        ("K31", "小型普通客车"),
        ("K32", "小型越野客车"),
        ("K33", "小型轿车"),
        ("K34", "小型专用客车"),
        ("K38", "小型专用校车"),
        ("K39", "小型面包车"),
        ("K41", "微型普通客车"),
        ("K49", "微型面包车"),
        ("H11", "重型普通货车"),
        ("H1A", "重型车辆运输车"),
        ("H51", "普通低速货车"),
        ("N11", "三轮汽车"),
        ("Q11", "重型半挂牵引车"),
        ("Z11", "大型非载货专项作业车"),
        ("D11", "无轨电车"),
        ("M21", "普通二轮摩托车"),
        ("T22", "手扶拖拉机"),
        ("J11", "轮式装载机械"),
        ("G11", "重型普通全挂车"),
        ("B11", "重型普通半挂车"),
        ("B1W", "重型中置轴普通挂车"),
    ],
)
def test_vehicle_type_names(code, name):
    assert get_vehicle_type(code).name == name


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("K33", "passenger_basic"),
        ("K43", "passenger_basic"),
        ("K32", "suv"),
        ("K42", "suv"),
        ("K39", "crossover"),
        ("K49", "crossover"),
        ("K11", "other"),
        ("K18", "other"),
        ("K21", "other"),
        ("K28", "other"),
        ("K34", "other"),
        ("K38", "other"),
        ("H11", "truck"),
        ("H2G", "truck"),
        ("H31", "truck"),
        ("H41", "truck"),
        ("H4G", "truck"),
        ("H51", "low_speed_truck"),
        ("H5C", "low_speed_truck"),
        ("N11", "tricycle"),
        ("B11", "trailer"),
        ("B3W", "trailer"),
        ("G11", "trailer"),
        ("G3F", "trailer"),
        ("M11", "motorcycle"),
        ("M22", "motorcycle"),
        ("Q11", "other"),
        ("Z71", "other"),
        ("D12", "other"),
        ("T11", "other"),
        ("J13", "other"),
        ("X99", "other"),
    ],
)
def test_vehicle_type_fixed_categories(code, category):
    vehicle_type = get_vehicle_type(code)
    assert vehicle_type == VehicleType(code, vehicle_type.name, category, False)
    assert report_category_for(code, None) == (category, None)
    assert report_category_for(code, category) == (category, None)


def test_every_type_follows_the_class_rules():
    for t in all_vehicle_types():
        head, size = t.code[0], t.code[1]
        if t.code in ("K31", "K41"):
            assert (t.report_category, t.passenger) == (None, True)
        elif head == "K" and t.code not in ("K32", "K33", "K39", "K42", "K43", "K49"):
            assert t.report_category == "other"
        elif head == "H":
            assert t.report_category == ("low_speed_truck" if size == "5" else "truck")
        elif head in "BG":
            assert t.report_category == "trailer"
        elif head == "M":
            assert t.report_category == "motorcycle"
        elif head == "N":
            assert t.report_category == "tricycle"
        elif head in "QZDTJX":
            assert t.report_category == "other"


@pytest.mark.parametrize("code", ["K31", "K41"])
def test_chosen_passenger_types(code):
    vehicle_type = get_vehicle_type(code)
    assert vehicle_type.passenger is True and vehicle_type.report_category is None
    for chosen in ("passenger_basic", "mpv", "suv", "crossover"):
        assert report_category_for(code, chosen) == (chosen, None)
    for missing in (None, ""):
        category, issue = report_category_for(code, missing)
        assert category is None and issue.code == "report_category.required"
    for wrong in ("truck", "other", "MPV", "sedan"):
        category, issue = report_category_for(code, wrong)
        assert category is None and issue.code == "report_category.invalid"


@pytest.mark.parametrize(
    ("code", "chosen"),
    [
        ("K33", "mpv"),
        ("K32", "passenger_basic"),
        ("K39", "suv"),
        ("H11", "trailer"),
        ("B11", "truck"),
        ("K11", "passenger_basic"),
        ("M21", "bogus"),
    ],
)
def test_conflicting_choice_refused(code, chosen):
    category, issue = report_category_for(code, chosen)
    assert category is None and issue.code == "report_category.invalid"


@pytest.mark.parametrize("code", ["K99", "", None, "A11", "K3"])
def test_unknown_vehicle_type(code):
    assert get_vehicle_type(code) is None
    category, issue = report_category_for(code, "passenger_basic")
    assert category is None and issue.code == "vehicle_type.unknown"


def test_vehicle_type_lookup_normalises_case():
    assert get_vehicle_type(" k33 ").code == "K33"


# --- Usage nature ------------------------------------------------------------

OPERATING = set("BCDEFGNOPQRST")
NON_OPERATING = set("AHIJKLMU")


def test_usage_codes_and_names():
    usages = all_usages()
    assert [u.code for u in usages] == list("ABCDEFGHIJKLMNOPQRSTU")
    names = {u.code: u.name for u in usages}
    assert names["A"] == "非营运"
    assert names["K"] == "工程救险"
    assert names["Q"] == "初中生校车"
    assert names["R"] == "危化品运输"
    assert names["S"] == "中小学生校车"
    assert names["T"] == "预约出租客运"
    assert names["U"] == "预约出租转非"


def test_usage_groups():
    assert {u.code for u in all_usages() if u.group == "operating"} == OPERATING
    assert {u.code for u in all_usages() if u.group == "non_operating"} == NON_OPERATING


def test_get_usage():
    assert get_usage("D").name == "出租客运"
    assert get_usage("d").group == "operating"
    assert get_usage("L").group == "non_operating"
    assert get_usage("Z") is None
    assert get_usage("") is None
    assert get_usage(None) is None


# --- Countries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("alpha3", "name"),
    [
        ("CHN", "中国"),
        ("TWN", "中国台湾省"),
        ("HKG", "中国香港特别行政区"),
        ("MAC", "中国澳门特别行政区"),
        ("USA", "美国"),
        ("JPN", "日本"),
        ("DEU", "德国"),
        ("KOR", "大韩民国"),
    ],
)
def test_country_names(alpha3, name):
    assert get_country(alpha3) == Country(alpha3, name)


def test_countries_complete_and_translated():
    countries = all_countries()
    codes = [c.alpha3 for c in countries]
    assert len(codes) == len(set(codes)) >= 249
    assert codes == sorted(codes)
    # Every name is Chinese: at least one CJK character.
    assert all(re.search(r"[\u4e00-\u9fff]", c.name_zh) for c in countries)


def test_country_lookup():
    assert get_country("chn").name_zh == "中国"
    assert get_country("XXX") is None
    assert get_country("") is None
    assert get_country(None) is None
    assert all_countries() is not all_countries()  # callers get their own list


# --- Ethnicities -------------------------------------------------------------


def test_ethnicities_table():
    ethnicities = all_ethnicities()
    assert len(ethnicities) == 58
    assert [e.code for e in ethnicities] == [f"{i:02d}" for i in range(1, 57)] + ["97", "98"]
    assert ethnicities[0] == Ethnicity("01", "汉族")
    assert ethnicities[55] == Ethnicity("56", "基诺族")
    assert len({e.name for e in ethnicities}) == 58


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("01", "01"),
        ("1", "01"),
        ("汉族", "01"),
        ("汉", "01"),
        ("05", "05"),
        ("维吾尔族", "05"),
        ("36", "36"),
        ("毛南族", "36"),
        ("毛难族", "36"),
        ("德昂族", "46"),
        ("崩龙族", "46"),
        ("土族", "30"),
        ("土家族", "15"),
        ("56", "56"),
        ("97", "97"),
        ("其他", "97"),
        ("其它", "97"),
        ("98", "98"),
        ("外国血统中国籍人士", "98"),
        (" 满族 ", "11"),
    ],
)
def test_get_ethnicity(key, code):
    assert get_ethnicity(key).code == code


@pytest.mark.parametrize("key", ["00", "57", "99", "火星族", "", None])
def test_get_ethnicity_unknown(key):
    assert get_ethnicity(key) is None
