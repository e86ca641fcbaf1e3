"""The facts of a stored transaction that reports aggregate (the list is the event contract's ``TransactionFacts``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autocirc_shared.events.transactions import TransactionFacts

# The column of transactions' table a fact is read from, where it is not the fact's own name.
COLUMN_OF = {"amount_yuan": "price"}
FACTS = tuple(TransactionFacts.model_fields)


def facts_from(get: Callable[[str], Any]) -> TransactionFacts:
    """Every fact of the contract from a stored row, ``get(column)`` reading one of its columns."""
    return TransactionFacts(**{name: get(COLUMN_OF.get(name, name)) for name in FACTS})
