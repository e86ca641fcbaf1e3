"""GB/T 2260 region table: counts, cascade, coverage and residence checks."""

from autocirc_shared.refdata.regions import (
    Region,
    all_regions,
    children,
    full_name,
    get_region,
    level_of,
    region_covers,
    validate_residence,
)


def _count(level):
    return sum(1 for r in all_regions() if r.level == level)


def test_counts():
    assert _count("province") == 34
    assert _count("city") == 342
    assert _count("district") == 2847
    assert len(children(None)) == 34


def test_every_parent_chain_is_consistent():
    expected_parent_level = {"province": None, "city": "province", "district": "city"}
    for region in all_regions():
        assert len(region.code) == 6 and region.code.isdigit()
        assert level_of(region.parent_code) == expected_parent_level[region.level]


def test_provinces_sorted_and_include_hk_macau_taiwan():
    codes = [r.code for r in children(None)]
    assert codes == sorted(codes)
    assert codes[0] == "110000"
    assert {"710000", "810000", "820000"} <= set(codes)
    assert children("810000") == []


def test_get_region_and_level():
    assert get_region("110000") == Region("110000", "北京市", "province", None)
    assert get_region("330100") == Region("330100", "杭州市", "city", "330000")
    assert get_region("330106").name == "西湖区"
    assert level_of("330106") == "district"
    assert get_region("999999") is None
    assert get_region(None) is None
    assert level_of("000000") is None


def test_municipality_cascade():
    assert [r.code for r in children("110000")] == ["110100"]
    districts = children("110100")
    assert len(districts) == 16
    assert districts[0] == Region("110101", "东城区", "district", "110100")
    assert [r.code for r in children("500000")] == ["500100", "500200"]
    for code in ("120000", "310000"):
        (city,) = children(code)
        assert city.name == "市辖区" and children(city.code)


def test_directly_administered_counties_cascade():
    assert get_region("429004") == Region("429004", "仙桃市", "district", "429000")
    assert get_region("429000").parent_code == "420000"
    assert get_region("419001").parent_code == "419000"
    assert get_region("469000").name == "省直辖县级行政区划"
    assert get_region("659000").name == "自治区直辖县级行政区划"


def test_recent_xinjiang_counties_present():
    assert full_name("653229") == "新疆维吾尔自治区和田地区和安县"
    assert full_name("653228") == "新疆维吾尔自治区和田地区和康县"


def test_full_name():
    assert full_name("110101") == "北京市东城区"
    assert full_name("500229") == "重庆市城口县"
    assert full_name("429004") == "湖北省仙桃市"
    assert full_name("330106") == "浙江省杭州市西湖区"
    assert full_name("330100") == "浙江省杭州市"
    assert full_name("110000") == "北京市"
    assert full_name("110100") == "北京市市辖区"
    assert full_name("123456") == ""


def test_region_covers_across_levels():
    assert region_covers("000000", "110101")
    assert region_covers("000000", "999999")
    assert region_covers("110000", "110000")
    assert region_covers("110000", "110101")
    assert region_covers("330000", "330106")
    assert region_covers("330100", "330106")
    assert region_covers("330106", "330106")
    assert region_covers("420000", "429004")
    assert region_covers("429000", "429004")
    assert not region_covers("330100", "330200")
    assert not region_covers("330106", "330100")
    assert not region_covers("330106", "330000")
    assert not region_covers("110000", "120101")
    assert not region_covers("330000", "999999")
    assert not region_covers("999999", "330106")


def test_validate_residence_ok():
    assert validate_residence("110000", "110100", "110101") is None
    assert validate_residence("420000", "429000", "429004") is None
    assert validate_residence("330000", "330100", "330106") is None
    assert validate_residence("440000", "441900", None) is None  # 东莞: no districts
    assert validate_residence("810000", None, None) is None  # 香港: no cities


def test_validate_residence_errors():
    cases = [
        (None, None, None),
        ("999999", "110100", "110101"),
        ("110100", "110100", "110101"),  # city code given as province
        ("110000", None, None),  # Beijing has a city level
        ("110000", "120100", "120101"),  # city of another province
        ("110000", "110101", "110101"),  # district given as city
        ("110000", "110100", None),  # district required
        ("110000", "110100", "120101"),  # district of another city
        ("110000", "110100", "110100"),
        ("810000", None, "110101"),
    ]
    for province, city, district in cases:
        issue = validate_residence(province, city, district)
        assert issue is not None, (province, city, district)
        assert issue.code == "region.unknown"
        assert issue.message
