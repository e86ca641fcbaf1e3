"""VIN, plate and Chinese-capital amount validators: published examples and every error code."""

from decimal import Decimal

import pytest
from autocirc_shared.validation import (
    Issue,
    normalise_plate,
    normalise_vin,
    to_chinese_upper,
    validate_plate,
    validate_price_upper,
    validate_vin,
    vin_check_char,
    vin_origin,
    vin_warnings,
)

# --- VIN ---------------------------------------------------------------------

ISO_3779_EXAMPLE = "1M8GDM9AXKP042788"  # the textbook example; check character X
# VINs quoted as GB 16735 examples in Chinese validation libraries (Hutool's
# Validator docs and VIN test); each verified with the algorithm.
PUBLISHED_CHINESE_VINS = [
    "LDC613P23A1305189",  # 东风雪铁龙 (WMI LDC)
    "LSJA24U62JG269225",  # 上汽 MG (WMI LSJ)
    "LBV5S3102ESJ25655",  # 华晨宝马 (WMI LBV)
    "HE9XR1C48PS083871",  # a 2023 China-made vehicle in the newer H region
]
# European maker example from VIN decoder tests: position 9 is not a check digit.
OPEL_EXAMPLE = "W0L000051T2123456"


@pytest.mark.parametrize("vin", [ISO_3779_EXAMPLE, *PUBLISHED_CHINESE_VINS])
def test_vin_published_examples(vin):
    assert vin_check_char(vin) == vin[8]
    assert validate_vin(vin) is None
    assert vin_warnings(vin) == []


def test_vin_check_char_remainder_ten_is_x():
    assert vin_check_char(ISO_3779_EXAMPLE) == "X"


def test_vin_generated_domestic_examples_valid():
    for body in ("LFV2A21K0A3000001", "LGBH52E09KY123456", "LVSHCAMB1CE000042"):
        vin = body[:8] + vin_check_char(body) + body[9:]
        assert validate_vin(vin) is None
        assert vin_origin(vin) == "domestic"


@pytest.mark.parametrize("vin", PUBLISHED_CHINESE_VINS)
def test_vin_domestic_wrong_check_digit_refused(vin):
    wrong = "0" if vin[8] != "0" else "1"
    bad = vin[:8] + wrong + vin[9:]
    assert validate_vin(bad) == Issue("vin.checksum", "车辆识别代号校验位错误")


def test_vin_imported_wrong_check_digit_is_only_a_warning():
    assert vin_check_char(OPEL_EXAMPLE) != OPEL_EXAMPLE[8]
    assert validate_vin(OPEL_EXAMPLE) is None
    [warning] = vin_warnings(OPEL_EXAMPLE)
    assert warning.code == "vin.checksum_warning"
    assert vin_origin(OPEL_EXAMPLE) == "imported"
    # Also when position 9 cannot be a check character at all (VW-style ZZZ filler).
    assert [w.code for w in vin_warnings("WVWZZZ1KZ6W000001")] == ["vin.checksum_warning"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "LSJA24U62JG26922",  # 16 characters
        "LSJA24U62JG2692250",  # 18
        "LSJA24U62JG26922I",  # I
        "LSJA24U62JG26922O",  # O
        "LSJA24U62JG26922Q",  # Q
        "lsja24u62jg269225",  # not normalised
        "LSJA24U62JG 69225",
        "ＬSJA24U62JG269225",  # full-width letter
        None,
        17,
    ],
)
def test_vin_format(value):
    assert validate_vin(value).code == "vin.format"
    assert vin_warnings(value) == []


def test_vin_normalise():
    assert normalise_vin("  lsja24u62jg269225\t") == "LSJA24U62JG269225"
    assert validate_vin(normalise_vin(" lsja24u62jg269225 ")) is None


def test_vin_origin():
    assert vin_origin("LSJA24U62JG269225") == "domestic"
    assert vin_origin("HE9XR1C48PS083871") == "domestic"
    assert vin_origin(ISO_3779_EXAMPLE) == "imported"
    assert vin_origin("JTDKN3DU0A0123456") == "imported"


@pytest.mark.parametrize("bad", ["SHORT", "LSJA24U62JG26922I", ""])
def test_vin_check_char_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        vin_check_char(bad)


# --- Plates ------------------------------------------------------------------

VALID_PLATES = [
    "京A12345",  # ordinary
    "京AF0236",  # letters in the serial
    "粤BD12345",  # small new-energy, pure electric
    "沪AD12345",
    "粤BFA1234",  # small new-energy, second character a letter
    "粤BA12345",  # extended pure-electric letters A B C E
    "浙AK12345",  # extended non-pure-electric letters G H J K
    "粤B12345D",  # large new-energy
    "苏E12345F",
    "粤B1234挂",  # trailer
    "京A1234学",  # coach
    "京A0001警",  # police
    "沪A1234领",  # consulate
    "粤Z1234港",  # Hong Kong cross-boundary
    "粤Z1234澳",  # Macau cross-boundary
    "使224009",  # embassy: country code 224 + serial
    "京A1234超",  # oversize special vehicle
    "京X1234应急",  # emergency rescue
    "应急京123X",  # emergency rescue motorcycle
]

INVALID_PLATES = [
    "京I12345",  # authority letter I
    "京O12345",  # authority letter O
    "AB12345",  # no province
    "港A12345",  # not a province abbreviation
    "京A1234",  # serial too short
    "京A123456",  # six characters but not new-energy shaped
    "京AO1234",  # O in serial
    "京A1I234",  # I in serial
    "粤BL12345",  # small new-energy must start with D A B C E F G H J K
    "沪AD12A45",  # small new-energy: last four must be digits
    "粤B12345A",  # large new-energy ends in D or F only
    "粤B1234AD",
    "粤B12345挂",  # trailer serial has four characters
    "京A12345学",
    "京Z1234港",  # cross-boundary plates are 粤Z
    "使22400",
    "京A1234试",  # test plate: vehicle not registered
    "WJ京12345",  # armed police
    "京A12345 ",  # not normalised
    "",
    None,
]


@pytest.mark.parametrize("plate", VALID_PLATES)
def test_plate_valid(plate):
    assert validate_plate(plate) is None


@pytest.mark.parametrize("plate", INVALID_PLATES)
def test_plate_invalid(plate):
    issue = validate_plate(plate)
    assert issue is not None and issue.code == "plate.format"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("粤B D12345", "粤BD12345"),
        ("京A·12345", "京A12345"),
        (" 京a 12345 ", "京A12345"),
        ("京Ａ１２３４５", "京A12345"),  # full-width
        ("粤B•1234挂", "粤B1234挂"),
        ("沪A-D12345", "沪AD12345"),
    ],
)
def test_plate_normalise(raw, normalised):
    assert normalise_plate(raw) == normalised
    assert validate_plate(normalise_plate(raw)) is None


# --- Amounts in Chinese capitals --------------------------------------------

CANONICAL = [
    ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    ("100000", "壹拾万元整"),
    ("10.50", "壹拾元伍角"),
    ("1005.07", "壹仟零伍元零柒分"),
    ("0.5", "伍角"),
    ("0.05", "伍分"),
    ("0.55", "伍角伍分"),
    ("0", "零元整"),
    ("15", "壹拾伍元整"),
    ("1010", "壹仟零壹拾元整"),
    ("10000", "壹万元整"),
    ("100010", "壹拾万零壹拾元整"),
    ("110000", "壹拾壹万元整"),
    ("1000000", "壹佰万元整"),
    ("10007000", "壹仟万柒仟元整"),
    ("100000000", "壹亿元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("1010000000", "壹拾亿壹仟万元整"),
    ("20000000005", "贰佰亿零伍元整"),
    ("99999999999.99", "玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "text"), CANONICAL)
def test_to_chinese_upper(amount, text):
    assert to_chinese_upper(Decimal(amount)) == text
    assert validate_price_upper(Decimal(amount), text) is None


def test_to_chinese_upper_accepts_int_and_str():
    assert to_chinese_upper(128000) == "壹拾贰万捌仟元整"
    assert to_chinese_upper("88000.00") == "捌万捌仟元整"


# The examples printed in the PBoC 《正确填写票据和结算凭证的基本规定》.
PBOC_EXAMPLES = [
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
]


@pytest.mark.parametrize(("amount", "text"), PBOC_EXAMPLES)
def test_price_upper_pboc_examples(amount, text):
    assert validate_price_upper(Decimal(amount), text) is None


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("100000", "人民币壹拾万元整"),
        ("100000", "壹拾万圆整"),  # 圆 for 元
        ("100000", "壹拾万元正"),  # 正 for 整
        ("100000", "壹拾万元"),  # 整 omitted after 元
        ("100000", " 壹拾万 元整 "),
        ("10.50", "壹拾元伍角整"),  # 整 allowed after 角
        ("10.50", "壹拾元零伍角"),  # optional 零 at 元
        ("107000", "壹拾万零柒仟元整"),  # optional 零 at 万
        ("1010000000", "壹拾亿零壹仟万元整"),  # and at 亿
        ("0.5", "伍角整"),
    ],
)
def test_price_upper_accepted_variants(amount, text):
    assert validate_price_upper(Decimal(amount), text) is None


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("10.50", "壹拾元伍分"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分整"),  # no 整 after 分
        ("15", "拾伍元整"),  # 壹拾 must be written in full
        ("100010", "壹拾万壹拾元整"),  # required 零 missing
        ("1005.07", "壹仟零伍元柒分"),  # 零 before 分 required when 角 is zero
        ("1000", "一千元整"),  # lower-case numerals
        ("1000", "壹仟零元整"),
        ("100001000", "壹亿壹仟元整"),  # whole 万 section zero: 零 required
        ("1000", ""),
        ("1000", None),
    ],
)
def test_price_upper_mismatch(amount, text):
    issue = validate_price_upper(Decimal(amount), text)
    assert issue is not None and issue.code == "price.upper_mismatch"
    assert to_chinese_upper(Decimal(amount)) in issue.message


@pytest.mark.parametrize("amount", ["-1", "0.001", "100000000000", "NaN", "abc", True])
def test_price_upper_out_of_range(amount):
    assert validate_price_upper(amount, "壹元整").code == "price.range"
    with pytest.raises(ValueError):
        to_chinese_upper(amount)
