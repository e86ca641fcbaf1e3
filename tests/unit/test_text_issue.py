"""Text no field may hold: NUL, lone surrogates, invisible format characters (ZWJ inside emoji excepted)."""
import pytest
from autocirc_shared.validation.text import scrub_surrogates, text_issue


@pytest.mark.parametrize("value,code", [
    ("北京\x00", "field.control_char"), ("\ud800北京", "field.encoding"), ("北京\udfff", "field.encoding"),
    ("李\u202e四", "field.control_char"), ("北京\u200b", "field.control_char"), ("\ufeff北京", "field.control_char"),
    ("a\u200db", "field.control_char"), ("\u2066x", "field.control_char"), ("x\U000e0041", "field.control_char"),
])
def test_refused(value, code):
    assert text_issue(value).code == code


@pytest.mark.parametrize("value", ["北京市东城区", "👨\u200d👩\u200d👧", "❤\ufe0f\u200d🔥", "Passw0rd", "😀"])
def test_allowed(value):
    assert text_issue(value) is None


def test_passwords_are_checked_for_nul_and_surrogates_only():
    assert text_issue("pass\u200bword", formats=False) is None
    assert text_issue("pass\ud800", formats=False).code == "field.encoding"


def test_scrub_replaces_lone_surrogates():
    assert scrub_surrogates("\ud800北京") == "\ufffd北京"
