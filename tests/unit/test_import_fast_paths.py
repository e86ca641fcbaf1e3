"""The import's shortcuts give what the checked way gives: a set event's items built without validation
equal validated ones, over records of every shape the template produces."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from autocirc_shared.events.transactions import RecordedItem, TransactionFacts
from autocirc_transactions.domain import bulk_store
from autocirc_transactions.domain.checks import check_transaction
from autocirc_transactions.domain.gate import EnterpriseContext

from tests.integration.test_transactions_excel import record

TODAY = date(2026, 12, 2)


def stored_rows(count: int) -> list[tuple]:
    enterprise = EnterpriseContext(enterprise_id=str(uuid.uuid4()), name="x", region_code="110101",
                                   types=("used_car_dealer",), filing_version=1)
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        checked, errors = check_transaction(record(i), today=TODAY)
        assert not errors, errors
        row = bulk_store.checked_row(checked)
        rows.append(bulk_store._stored_tuple(row, enterprise, row_id=str(uuid.uuid4()), source="import", now=now,
                                             day=TODAY, actor="a"))
    return rows


def test_set_items_built_without_validation_equal_validated_ones():
    for stored in stored_rows(60):
        get = dict(zip(bulk_store.STORED, stored)).__getitem__
        validated = RecordedItem(transaction_id=get("id"), version=1, facts=TransactionFacts(
            enterprise_id=get("enterprise_id"), region_code=get("region_code"), trade_date=get("trade_date"),
            report_category=get("report_category"), amount_yuan=get("price"), trade_type=get("trade_type"),
            transfer=get("transfer"), usage=get("usage"), origin=get("origin"),
            first_registration_date=get("first_registration_date")))
        built = bulk_store._item(stored)
        assert built == validated
        assert built.model_dump_json() == validated.model_dump_json()
