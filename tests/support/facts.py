"""One transaction's facts for tests and benchmarks: the contract's fields with plain values, any of them
overridden (a new fact of ``TransactionFacts`` gets its sample value here, once)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from autocirc_shared.events.transactions import TransactionFacts

SAMPLE = dict(enterprise_id="e1", region_code="110101", trade_date=date(2026, 10, 3), report_category="suv",
              amount_yuan=Decimal("123456.78"), trade_type="direct", transfer="local", usage="non_operating",
              origin="domestic", first_registration_date=date(2020, 1, 1))


def sample_facts(**changes) -> TransactionFacts:
    return TransactionFacts(**{**SAMPLE, **changes})


def sample_values(**changes) -> dict:
    """The same as keyword values (for ``model_construct`` in benchmarks)."""
    return {**SAMPLE, **changes}
