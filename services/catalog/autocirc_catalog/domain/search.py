"""Search by name or pinyin.

Each entry stores its syllables ("bi ya di"; a non-Chinese character is a syllable of its
own). A query matches by pinyin when it is a run of prefixes of consecutive syllables, so
``byd``, ``bydi``, ``biyadi`` and ``yadi`` all find 比亚迪. SQL narrows the candidates
(a LIKE on the syllables, ``usecases.search.search_clause``), :func:`matches` decides.
"""
from __future__ import annotations

from pypinyin import lazy_pinyin

from .normalise import fold


def _each_char(chars: str) -> list[str]:
    return list(chars)


def syllables(name: str) -> str:
    # pypinyin takes an ``errors`` callable that returns a list (one item per character); its stub says str
    return " ".join(lazy_pinyin(fold(name), errors=_each_char)).lower()  # type: ignore[arg-type]


def search_fields(name: str) -> dict[str, str]:
    """The stored columns a search looks at."""
    return {"search_key": fold(name), "pinyin": syllables(name)}


def pinyin_matches(query: str, spaced: str) -> bool:
    parts = spaced.split()

    def from_here(qi: int, si: int) -> bool:
        if qi == len(query):
            return True
        if si == len(parts):
            return False
        syllable = parts[si]
        return any(syllable[:k] == query[qi:qi + k] and from_here(qi + k, si + 1)
                   for k in range(min(len(syllable), len(query) - qi), 0, -1))

    return bool(query) and any(from_here(0, start) for start in range(len(parts)))


def matches(q: str, search_key: str, spaced: str) -> bool:
    query = fold(q)  # "%" or "_" alone folds to nothing: it finds nothing, not everything
    return bool(query) and (query in search_key or pinyin_matches(query, spaced))
