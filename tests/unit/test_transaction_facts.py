"""The transaction facts reports aggregate are listed once (``TransactionFacts``); every other spelling derives.

A new fact that one side forgets fails here: reports' table and its migrations have a column for every fact,
transactions has the column each fact is read from, and each producer (one record, a bulk store) fills them all.
"""
from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import autocirc_reports
import pytest
from autocirc_reports.domain.facts import Change
from autocirc_reports.handlers.transactions import _row_of, _stored
from autocirc_reports.models.facts import transaction_facts
from autocirc_shared.events.transactions import FACT_FIELDS, TransactionFacts
from autocirc_shared.migrations import upgrade_head
from autocirc_transactions.domain.facts import COLUMN_OF
from autocirc_transactions.models.transactions import Transaction
from autocirc_transactions.usecases.bulk_store import STORED, _item, recorded_set
from autocirc_transactions.usecases.store import facts_of
from pydantic import ValidationError

KEYS = {"transaction_id", "enterprise_id", "version", "deleted"}
SOURCES = {"enterprise_id": "e-1", "region_code": "330106", "trade_date": date(2026, 11, 3),
           "report_category": "mpv", "price": Decimal("123456.78"), "trade_type": "consignment", "transfer": "out",
           "usage": "operating", "origin": "imported", "first_registration_date": date(2019, 2, 28)}


def stored_row() -> dict:
    """A transactions row: every column, the fact sources with distinct values."""
    row = {column.name: None for column in Transaction.__table__.columns}
    row.update(id=str(uuid.uuid4()), vin="LSVAA4180E2000001", mileage_km=52_000, data="{}", **SOURCES)
    return row


def test_every_fact_but_the_enterprise_is_a_reported_field():
    assert FACT_FIELDS == tuple(f for f in TransactionFacts.model_fields if f != "enterprise_id")
    assert "amount_yuan" in FACT_FIELDS and "first_registration_date" in FACT_FIELDS


def test_the_reports_table_has_a_column_for_every_fact_and_nothing_else():
    columns = [c.name for c in transaction_facts.columns]
    assert set(columns) - KEYS == set(FACT_FIELDS)
    assert [c for c in columns if c not in KEYS] == list(FACT_FIELDS)
    assert all(transaction_facts.c[f].nullable for f in FACT_FIELDS)  # a deleted transaction keeps key and version


def test_the_reports_migrations_create_a_column_for_every_fact(tmp_path: Path):
    """A new fact needs its migration: the table the migrations build has every fact's column."""
    db = tmp_path / "reports.sqlite3"
    asyncio.run(upgrade_head(Path(autocirc_reports.__file__).parent / "migrations", f"sqlite+aiosqlite:///{db}"))
    with sqlite3.connect(db) as conn:
        migrated = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(transaction_facts)")}
    assert set(migrated) == {c.name for c in transaction_facts.columns}
    for column in transaction_facts.columns:  # the same types the table derives from the contract
        assert migrated[column.name].upper() == column.type.compile().upper(), column.name


def test_transactions_stores_every_fact_it_sends():
    missing = {f: COLUMN_OF.get(f, f) for f in TransactionFacts.model_fields
               if COLUMN_OF.get(f, f) not in Transaction.__table__.columns}
    assert not missing, f"transactions has no column for these facts (fact: column): {missing}"
    assert set(STORED) >= {COLUMN_OF.get(f, f) for f in TransactionFacts.model_fields}


def test_each_producer_fills_every_fact_from_its_column():
    row = stored_row()
    orm = Transaction(**row)
    produced = {"one record (row)": facts_of(row), "one record (ORM object)": facts_of(orm),
                "bulk store": recorded_set([_item(tuple(row[name] for name in STORED))], source="import",
                                           recorded_at=datetime.now(UTC)).items[0].facts}
    expected = {f: SOURCES[COLUMN_OF.get(f, f)] for f in TransactionFacts.model_fields}
    for producer, facts in produced.items():
        assert facts.model_fields_set == set(TransactionFacts.model_fields), producer
        assert facts.model_dump() == expected, producer
    assert produced["bulk store"].amount_yuan == Decimal("123456.78")


def test_reports_keeps_what_it_was_sent():
    facts = facts_of(stored_row())
    row = _row_of(Change("t-1", facts.enterprise_id, 3, facts))
    assert set(row) == {c.name for c in transaction_facts.columns}
    assert _stored(row) == facts
    deleted = _row_of(Change("t-1", facts.enterprise_id, 4, None))
    assert deleted["deleted"] is True and all(deleted[f] is None for f in FACT_FIELDS)
    assert _stored(deleted) is None


def test_a_string_fact_without_a_width_is_refused():
    """The table derives each text column's width from the contract's ``max_length``."""
    from autocirc_reports.models import facts as module

    assert transaction_facts.c.report_category.type.length == 20
    field = TransactionFacts.model_fields["region_code"]
    saved = list(field.metadata)
    try:
        field.metadata.clear()
        try:
            module.fact_column("region_code")
        except TypeError as error:
            assert "max_length" in str(error)
        else:
            raise AssertionError("a text fact without max_length got a column")
    finally:
        field.metadata[:] = saved
    assert module.fact_column("region_code").type.length == 6


def test_coded_facts_are_checked_by_their_literals_alone_and_keep_their_column_widths():
    """A coded fact's width is a ``Width`` (metadata only): no Python length check runs per fact, a value outside
    its ``Literal`` is still refused, and reports' columns keep the widths they were migrated with."""
    assert "function-after" not in repr(TransactionFacts.__pydantic_core_schema__)
    widths = {c.name: c.type.length for c in transaction_facts.columns if getattr(c.type, "length", None)}
    assert widths == {"transaction_id": 36, "enterprise_id": 36, "region_code": 6, "report_category": 20,
                      "trade_type": 12, "transfer": 8, "usage": 16, "origin": 10}
    good = {"enterprise_id": "e", "region_code": "110101", "trade_date": "2024-01-02", "report_category": "suv",
            "amount_yuan": "30000", "trade_type": "direct", "transfer": "local", "usage": "operating",
            "origin": "domestic", "first_registration_date": "2020-01-01"}
    assert TransactionFacts.model_validate(good).trade_type == "direct"
    for name, bad in (("trade_type", "gift"), ("origin", "x" * 30), ("report_category", "bus"), ("region_code", "1" * 7)):
        with pytest.raises(ValidationError):
            TransactionFacts.model_validate({**good, name: bad})
