"""Near-duplicate keys, standard model names and pinyin search of the catalog."""
from __future__ import annotations

import pytest
from autocirc_catalog.domain.entries import model_name_issue
from autocirc_catalog.domain.normalise import fold, glued_displacement, model_key, name_key
from autocirc_catalog.domain.search import matches, syllables


@pytest.mark.parametrize(("a", "b"), [
    ("Jeep", "JEEP"),                        # case
    ("Ｊｅｅｐ", "Jeep"),                      # full-width / half-width
    ("一汽 大众", "一汽大众"),                  # spaces
    ("一汽\u3000大众", "一汽大众"),             # ideographic space
    ("一汽-大众", "一汽大众"),                  # ASCII punctuation
    ("一汽－大众", "一汽—大众"),                # Chinese dashes
    ("特斯拉（上海）", "特斯拉(上海)"),          # full-width brackets
    ("【特斯拉】·上海", "特斯拉上海"),           # 【】 and ·
    ("梅赛德斯·奔驰", "梅赛德斯奔驰"),
])
def test_name_keys_collide(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_stay_apart():
    assert name_key("一汽丰田") != name_key("广汽丰田")
    assert model_key("奥迪A4L") != model_key("奥迪A4")


@pytest.mark.parametrize("variant", [
    "朗逸", "朗逸 ", "朗逸舒适版", "朗逸 豪华型", "朗逸1.5L", "朗逸 1.5T", "朗逸2.0TSI", "朗逸1.5升",
    "朗逸（1.5L）", "朗逸1.5L舒适版", "朗逸旗舰版 1.4 TFSI", "朗 逸", "大众朗逸",
])
def test_model_keys_collide(variant):
    assert model_key(variant, "大众") == model_key("朗逸", "大众")


def test_model_key_keeps_numbers_that_are_names():
    assert model_key("理想L9") == "理想l9"
    assert model_key("奥迪A4L") == "奥迪a4l"
    assert model_key("宋Pro DM-i") == "宋prodmi"
    assert model_key("大众", "大众") == "大众"  # a brand name alone is not stripped to nothing


@pytest.mark.parametrize("trim", ["舒适版", "智慧版", "旗舰版", "尊贵版", "豪华版", "运动版", "精英版", "领先版",
                                  "时尚版", "标准版", "豪华型"])
def test_trim_words_are_refused_for_models(trim):
    issue = model_name_issue(f"朗逸{trim}")
    assert issue is not None and issue.code == "catalog.trim_word"
    assert trim in issue.message and issue.field == "name"
    assert name_key(f"朗逸{trim}") == name_key("朗逸")


def test_glued_displacement_is_refused_for_models():
    assert glued_displacement("朗逸1.5L") == "1.5L"
    assert glued_displacement("朗逸 1.5升") == "1.5L"
    issue = model_name_issue("朗逸 2.0TSI")
    assert issue is not None and issue.code == "catalog.displacement_in_name" and "2.0TSI" in issue.message


def test_standard_model_names_pass():
    for name in ("朗逸", "理想L9", "Model 3", "秦PLUS DM-i", "奥迪A4L"):
        assert model_name_issue(name) is None, name


@pytest.mark.parametrize("q", ["byd", "BYD", "bydi", "biyadi", "yadi", "比亚", "比 亚 迪"])
def test_pinyin_and_name_search(q):
    assert matches(q, fold("比亚迪"), syllables("比亚迪"))


@pytest.mark.parametrize("q", ["bd", "ybd", "x", "吉利"])
def test_search_misses(q):
    assert not matches(q, fold("比亚迪"), syllables("比亚迪"))


def test_syllables_of_mixed_names():
    assert syllables("长安汽车") == "chang an qi che"
    assert syllables("蔚来ES6") == "wei lai e s 6"
    assert matches("wlES6", fold("蔚来ES6"), syllables("蔚来ES6"))


@pytest.mark.parametrize(("a", "b"), [
    ("SAGITAR速腾", "速腾"), ("速腾 Sagitar", "速腾"), ("SAGITAR·速腾", "速腾SAGITAR"), ("Sagitar", "SAGITAR速腾"),
    ("RAV4荣放", "荣放"), ("LAVIDA朗逸", "朗逸"), ("BYD比亚迪", "比亚迪"), ("FAW-Volkswagen一汽-大众", "一汽大众"),
])
def test_latin_glued_to_a_chinese_name_is_the_same_entry(a, b):
    from autocirc_catalog.domain.normalise import same_entry
    assert same_entry(model_key(a), model_key(b)) and same_entry(model_key(b), model_key(a))
    assert same_entry(name_key(a), name_key(b))


@pytest.mark.parametrize(("a", "b"), [
    ("宋PLUS", "宋Pro"), ("秦PLUS", "秦"), ("宏光MINIEV", "宏光"), ("途观L", "途观"), ("哈弗H6", "哈弗H9"),
    ("宝骏510", "宝骏530"), ("CS75", "CS75 PLUS"), ("Model 3", "Model Y"), ("一汽丰田", "广汽丰田"), ("PLUS", "宋PLUS"),
])
def test_latin_that_tells_models_apart_is_kept(a, b):
    from autocirc_catalog.domain.normalise import same_entry
    assert not same_entry(model_key(a), model_key(b)) and not same_entry(model_key(b), model_key(a))
