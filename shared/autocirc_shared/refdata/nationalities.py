"""Countries and regions (ISO 3166-1) with Chinese names, for a party's nationality.

Names come from ``pycountry``'s zh_CN translations (gettext domain
``iso3166-1``, from Debian's iso-codes).  Taiwan, Hong Kong and Macau are
given the names Chinese official documents use rather than the translation's
short forms.  The list is built once per process.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache

import pycountry

NAME_OVERRIDES = {
    "TWN": "中国台湾省",
    "HKG": "中国香港特别行政区",
    "MAC": "中国澳门特别行政区",
}


@dataclass(frozen=True)
class Country:
    alpha3: str
    name_zh: str


@lru_cache(maxsize=1)
def _table() -> dict[str, Country]:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)
    return {
        c.alpha_3: Country(c.alpha_3, NAME_OVERRIDES.get(c.alpha_3) or translation.gettext(c.name)) for c in countries
    }


def all_countries() -> list[Country]:
    """Every ISO 3166-1 entry, sorted by alpha-3 code."""
    return list(_table().values())


def get_country(alpha3: str | None) -> Country | None:
    return _table().get(alpha3.strip().upper()) if alpha3 else None
