"""Identifier validators: published examples, and every error code reachable."""

import datetime as dt

import pytest
from autocirc_shared.validation import (
    Issue,
    normalise_resident_id,
    normalise_uscc,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
    validate_mobile,
    validate_org_code,
    validate_password,
    validate_resident_id,
    validate_uscc,
)

# Publicly printed codes (business licences / standard examples).
PUBLISHED_USCC = [
    "91350100M000100Y43",  # example widely cited with GB 32100-2015
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
]


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_uscc_published_examples_valid(code):
    assert validate_uscc(code) is None
    assert uscc_check_char(code[:17]) == code[17]


def test_uscc_letters_allowed_in_first_two_positions():
    # e.g. N = 农业 authority, Y = other authorities; python-stdnum rejects these.
    for head in ("N2", "Y1", "A1", "93"):
        first17 = head + "110108" + "551385082"
        assert validate_uscc(first17 + uscc_check_char(first17)) is None


def test_uscc_check_value_31_maps_to_zero():
    # Search a body whose raw check value is 31 (i.e. sum divisible by 31).
    for n in range(1000):
        first17 = f"91110000{n:09d}"
        if uscc_check_char(first17) == "0":
            assert validate_uscc(first17 + "0") is None
            break
    else:
        raise AssertionError("no body with check char 0 found")


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        12345,
        "9144030071526726X",  # 17 chars
        "9144030071526726XGG",  # 19 chars
        "9144030071526726xg",  # lower case: callers must normalise first
        "91440300715267I6XG",  # I is not in the character set
        "9144O30071526726XG",  # letter in the division code
        "9144030071526726XS",  # S is not in the character set
        "91 4403007152672 6XG",
    ],
)
def test_uscc_format(value):
    issue = validate_uscc(value)
    assert issue.code == "uscc.format"
    assert "统一社会信用代码" in issue.message


def test_uscc_checksum():
    issue = validate_uscc("9144030071526726XH")
    assert issue.code == "uscc.checksum"
    assert issue.message == "统一社会信用代码校验位错误"


def test_normalise_uscc():
    assert normalise_uscc(" 9144 0300 7152 6726xg\n") == "9144030071526726XG"
    assert validate_uscc(normalise_uscc("9144030071526726xg")) is None


def test_uscc_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("123")


@pytest.mark.parametrize(
    "value",
    [
        "D2143569-X",  # GB 11714-1997 example
        "D2143569X",
        "71526726-X",  # organisation code inside 腾讯 USCC
        "71610585-2",  # organisation code inside 阿里巴巴 USCC
    ],
)
def test_org_code_published_examples_valid(value):
    assert validate_org_code(value) is None


def test_org_code_check_char_mapping():
    assert org_code_check_char("D2143569") == "X"  # 10 -> X
    assert org_code_check_char("71610585") == "2"
    # 11 -> '0': find a body whose weighted sum is divisible by 11.
    body = next(f"{n:08d}" for n in range(1, 10_000) if org_code_check_char(f"{n:08d}") == "0")
    assert validate_org_code(body + "-0") is None
    with pytest.raises(ValueError):
        org_code_check_char("d2143569")


@pytest.mark.parametrize(
    "value", ["", None, "D2143569", "D2143569--X", "d2143569-x", "D214356-9X", "D2143569-Y"]
)
def test_org_code_format(value):
    assert validate_org_code(value).code == "org_code.format"


def test_org_code_checksum():
    issue = validate_org_code("D2143569-1")
    assert issue.code == "org_code.checksum"
    assert issue.message == "组织机构代码校验码错误"


TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002X",  # GB 11643-1999 example
        "440524188001010014",  # GB 11643-1999 example (born 1880)
    ],
)
def test_resident_id_published_examples_valid(value):
    assert validate_resident_id(value, today=TODAY) is None
    assert resident_id_check_char(value[:17]) == value[17]


def test_resident_id_abolished_area_code_accepted():
    # 432221 (湖南 黔阳县) was abolished long ago; the province digits still count.
    first17 = "43222119800101001"
    assert validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY) is None


def test_resident_id_taiwan_residence_permit_prefix():
    first17 = "83000019900101002"
    assert validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "11010519491231002",
        "11010519491231002x",
        "1101051949123100XX",
        "110105194912310021X",
    ],
)
def test_resident_id_format(value):
    assert validate_resident_id(value, today=TODAY).code == "id_number.format"


def test_resident_id_bad_province_is_format_issue():
    first17 = "99010519491231002"
    issue = validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY)
    assert issue.code == "id_number.format"
    assert "省级" in issue.message


@pytest.mark.parametrize(
    "birth", ["19490230", "19491301", "20261125", "17991231", "00000000"]
)
def test_resident_id_birth_date(birth):
    first17 = "110105" + birth + "002"
    issue = validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY)
    assert issue.code == "id_number.birth_date"


def test_resident_id_born_today_is_valid():
    first17 = "110105" + TODAY.strftime("%Y%m%d") + "002"
    assert validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY) is None


def test_resident_id_checksum():
    issue = validate_resident_id("110105194912310021", today=TODAY)
    assert issue.code == "id_number.checksum"
    assert issue.message == "身份证号码校验位错误"


def test_resident_id_default_today_and_normalise():
    assert validate_resident_id(normalise_resident_id(" 11010519491231002x ")) is None


@pytest.mark.parametrize("value", ["13800138000", "19912345678", "16612345678", "14700000000"])
def test_mobile_valid(value):
    assert validate_mobile(value) is None


@pytest.mark.parametrize(
    "value",
    [None, "", "1380013800", "138001380000", "12800138000", "23800138000",
     "+8613800138000", "138 0013 8000", "１３８００１３８０００", 13800138000],
)
def test_mobile_format(value):
    assert validate_mobile(value) == Issue(
        "mobile.format", "手机号码格式不正确，应为11位中国大陆手机号"
    )


@pytest.mark.parametrize("value", ["Abcdefg1", "Zz345678", "P@ssw0rd!中文", "aB3" * 42 + "xy"])
def test_password_valid(value):
    assert validate_password(value) is None


@pytest.mark.parametrize(
    "value",
    [None, "", "Abcde12", "abcdefg1", "ABCDEFG1", "Abcdefgh", "12345678", "ÄÖÜäöü12", "Ab1" * 43],
)
def test_password_weak(value):
    assert validate_password(value).code == "password.weak"


def test_password_messages():
    assert validate_password("abc").message == "用户密码长度不能少于8位且必须包含大、小写字母和数字"
    assert "128" in validate_password("Ab1" * 43).message


def test_check_characters_equal_the_textbook_sums_on_random_bodies():
    """The check characters are computed with ``map`` at C speed (they run for every imported row): the same
    characters as the standards' weighted sums written out, on 3,000 random bodies of each kind."""
    import random

    from autocirc_shared.validation import vin_check_char

    rng = random.Random(11)
    uscc_set, vin_set = "0123456789ABCDEFGHJKLMNPQRTUWXY", "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    vin_values = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
                  **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
    for _ in range(3000):
        body = "".join(rng.choice(uscc_set) for _ in range(17))
        total = sum(uscc_set.index(c) * w for c, w in zip(body, (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8,
                                                                  24, 10, 30, 28)))
        assert uscc_check_char(body) == uscc_set[(31 - total % 31) % 31]
        digits = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(c) * w for c, w in zip(digits, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)))
        assert resident_id_check_char(digits) == "10X98765432"[total % 11]
        vin = "".join(rng.choice(vin_set) for _ in range(17))
        total = sum(vin_values[c] * w for c, w in zip(vin, (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)))
        assert vin_check_char(vin) == ("X" if total % 11 == 10 else str(total % 11))
    for bad in ("LSVAB2BM0AB00000I", "lsvab2bm0ab000001", "LSVAB2BM0AB00000"):
        with pytest.raises(ValueError):
            vin_check_char(bad)
