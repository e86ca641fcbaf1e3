"""The SQL side of search by name or pinyin: a clause that narrows the candidates ``domain.search.matches`` decides."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_

from ..domain.normalise import fold


def search_clause(q: str, search_key_column, pinyin_column) -> ColumnElement[bool]:
    """A superset of :func:`~autocirc_catalog.domain.search.matches` that SQL can evaluate (fold drops LIKE wildcards)."""
    query = fold(q)
    if not query:
        return false()
    clauses = [search_key_column.contains(query)]
    if query.isascii():
        clauses.append(pinyin_column.like("%" + "%".join(query) + "%"))
    return or_(*clauses)
