"""Amounts in Chinese capitals (中文大写金额), as written on invoices and contracts.

Follows the People's Bank of China rules for filling in payment instruments
(《正确填写票据和结算凭证的基本规定》):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元 角 分; 壹拾 is written
  in full (壹拾伍元, not 拾伍元);
- a run of zeros between non-zero digits is written as one 零
  (1005.07 -> 壹仟零伍元零柒分);
- when the run ends on the 万/亿 digit (and that 万/亿 is written) or on the
  元 digit, and the next digit (仟 or 角) is non-zero, the 零 is optional
  (107000.53 may be 壹拾万柒仟元伍角叁分 or 壹拾万零柒仟元零伍角叁分, but
  100001000 is only 壹亿零壹仟元整);  a 角 of zero before a non-zero 分
  always needs 零 (325.04 -> 叁佰贰拾伍元零肆分);
- 整 follows 元, may follow 角, and never follows 分.

``to_chinese_upper`` writes one form: optional zeros left out, 整 after 元 and
not after 角 (10.50 -> 壹拾元伍角).  ``validate_price_upper`` accepts every
form the rules allow, plus a leading 人民币, 圆 for 元, 正 for 整 and a missing
整 after 元: the check is there to catch a wrong amount, not to grade
handwriting.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from .issue import Issue

MAX_AMOUNT = Decimal("99999999999.99")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")
_CENT = Decimal("0.01")


class _Optional(NamedTuple):
    """A token the rules allow either way; ``default``: whether we write it."""

    text: str
    default: bool


_Token = str | _Optional

RANGE = Issue("price.range", "金额应在0至99,999,999,999.99元之间，且最多两位小数")


def _as_amount(amount: object) -> Decimal:
    try:  # via str(): floats keep their printed value, bools and junk fail
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("金额无效") from exc
    if not value.is_finite() or not 0 <= value <= MAX_AMOUNT or value != value.quantize(_CENT):
        raise ValueError("金额超出范围或多于两位小数")
    return value


def _section_nonzero(n: int, section: int) -> bool:
    unit: int = 10 ** (4 * section)  # int ** int is typed Any (a negative power is a float)
    return (n // unit) % 10000 != 0


def _integer_tokens(n: int) -> list[_Token]:
    """Tokens for a positive whole number of yuan, before 元."""
    digits = str(n)
    tokens: list[_Token] = []
    pending_zero = False
    for i, ch in enumerate(digits):
        place = len(digits) - 1 - i
        if ch == "0":
            pending_zero = True
        else:
            if pending_zero:
                # The zero run ended at place + 1: optional when that is the
                # 万/亿 digit and its unit word has just been written.
                ended = place + 1
                optional = ended % 4 == 0 and _section_nonzero(n, ended // 4)
                tokens.append(_Optional("零", False) if optional else "零")
                pending_zero = False
            tokens.append(_DIGITS[int(ch)] + _PLACES[place % 4])
        if place % 4 == 0 and place > 0 and _section_nonzero(n, place // 4):
            tokens.append(_SECTIONS[place // 4])
    return tokens


def _tokens(value: Decimal) -> list[_Token]:
    yuan = int(value)
    jiao, fen = divmod(int((value - yuan) * 100), 10)
    if yuan == 0 and jiao == 0 and fen == 0:
        return ["零元整"]
    tokens: list[_Token] = []
    if yuan:
        tokens += _integer_tokens(yuan)
        tokens.append("元")
        if jiao == 0 and fen == 0:
            return [*tokens, "整"]
        if jiao == 0:
            return [*tokens, "零", _DIGITS[fen] + "分"]
        if yuan % 10 == 0:
            tokens.append(_Optional("零", False))
    if jiao:
        tokens.append(_DIGITS[jiao] + "角")
        tokens.append(_DIGITS[fen] + "分" if fen else _Optional("整", False))
    else:
        tokens.append(_DIGITS[fen] + "分")
    return tokens


def to_chinese_upper(amount: Decimal | int | str) -> str:
    """E.g. ``Decimal("1234.56")`` -> ``"壹仟贰佰叁拾肆元伍角陆分"``.

    Raises ``ValueError`` for negative amounts, more than two decimals or
    more than 99,999,999,999.99.
    """
    return _written(_as_amount(amount))


@lru_cache(maxsize=16_384)
def _written(value: Decimal) -> str:
    """The capitals of a checked amount, remembered: prices repeat (round sums), and an import spells every row's."""
    return "".join(t if isinstance(t, str) else (t.text if t.default else "") for t in _tokens(value))


def accepted_forms(amount: Decimal | int | str) -> frozenset[str]:
    """Every spelling of ``amount`` the PBoC rules allow (元 always followed by 整)."""
    tokens = _tokens(_as_amount(amount))
    optional = [i for i, t in enumerate(tokens) if isinstance(t, _Optional)]
    forms = set()
    for choice in itertools.product((True, False), repeat=len(optional)):
        chosen = dict(zip(optional, choice))
        forms.add("".join(t if isinstance(t, str) else (t.text if chosen[i] else "") for i, t in enumerate(tokens)))
    return frozenset(forms)


_WHITESPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    text = _WHITESPACE.sub("", text).removeprefix("人民币").replace("圆", "元")
    return text[:-1] + "整" if text.endswith("正") else text


def validate_price_upper(amount: Decimal | int | str, text: object) -> Issue | None:
    """Check that ``text`` spells ``amount`` (``price.upper_mismatch``)."""
    try:
        forms = accepted_forms(amount)
    except ValueError:
        return RANGE
    if isinstance(text, str):
        normalised = _normalise(text)
        # ``+ "整"``: a missing 整 after 元 is accepted (never wrong about the amount).
        if normalised in forms or normalised + "整" in forms:
            return None
    return Issue(
        "price.upper_mismatch",
        f"成交价大写金额与小写金额不符，应为：{to_chinese_upper(amount)}",
    )
