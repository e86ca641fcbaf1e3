"""The reviewer's change diff (pure): form labels, readable values, images by kind."""
from __future__ import annotations

from autocirc_filing.domain.diff import changed_fields, field_label, filing_diff


def test_nested_fields_read_as_on_the_form():
    assert field_label("residence.street") == "住所·街道门牌"
    assert field_label("business_address.province_code") == "经营地址·省/自治区/直辖市"
    assert field_label("filler.mobile") == "填报人手机"
    assert field_label("media.licence_original") == "营业执照正本"
    assert field_label("media.seal") == "公章"
    assert field_label("unknown.part") == "unknown·part", "never fails on an unknown path"


def test_values_are_readable_and_images_compare_by_sha256():
    before = {"residence": {"district_code": "110101", "street": "东长安街1号"},
              "branches": [{"name": "朝阳分店", "licence_no": "110105000000001"}],
              "brands": [{"brand_id": "b1", "manufacturer_id": "m1", "authorised": True}]}
    after = {"residence": {"district_code": "110105", "street": "东长安街1号"}, "branches": [],
             "brands": [{"brand_id": "b1", "manufacturer_id": "m2", "authorised": False}]}
    diff = filing_diff(before, after, media_before={"seal": "a" * 64, "licence_copy": "c" * 64},
                       media_after={"seal": "b" * 64, "licence_copy": "c" * 64}, names={"b1": "比亚迪", "m1": "比亚迪汽车"})
    assert [(d["field"], d["label"], d["before"], d["after"]) for d in diff] == [
        ("residence.district_code", "住所·区/县/市属", "东城区（110101）", "朝阳区（110105）"),
        ("branches", "分支机构", "朝阳分店（营业执照号：110105000000001）", None),
        ("brands", "授权/非授权品牌", "比亚迪（比亚迪汽车，授权品牌）", "比亚迪（m2，非授权品牌）"),
        ("media.seal", "公章", "a" * 64, "b" * 64),
    ]


def test_images_are_left_out_when_either_side_is_unknown():
    assert filing_diff({}, {}, media_before=None, media_after={"seal": "b" * 64}) == []
    assert changed_fields({"legal_representative": "王五"}, {"legal_representative": "赵六"}) == ["legal_representative"]
    added = filing_diff({}, {}, media_before={}, media_after={"seal": "b" * 64})
    assert [(d["field"], d["before"]) for d in added] == [("media.seal", None)]
