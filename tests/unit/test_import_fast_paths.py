"""The import's shortcuts give what the straightforward way gives, over a varied corpus (template rows, odd
cells, shuffled and short layouts, valid and invalid rows): the per-column conversion, ``derive``'s cheaper
copies, a set event's items built from the stored tuples, and the plausibility warnings judged from histories read
once instead of per chunk."""
from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime

from autocirc_shared.events.transactions import RecordedItem, TransactionFacts
from autocirc_shared.refdata.ethnicities import get_ethnicity
from autocirc_shared.refdata.usage import get_usage
from autocirc_shared.refdata.vehicle_types import report_category_for
from autocirc_shared.validation import to_chinese_upper, vin_origin
from autocirc_transactions.domain import rules
from autocirc_transactions.domain.checks import check_transaction
from autocirc_transactions.domain.schemas import TransactionIn
from autocirc_transactions.excel import convert
from autocirc_transactions.excel.columns import AGENT_PRESENT, BOOL, CHOICE, columns
from autocirc_transactions.excel.convert import MISSING, payload_of, row_of, to_payload_value
from autocirc_transactions.usecases import bulk_store, checked_rows
from autocirc_transactions.usecases.gate import EnterpriseContext

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
        row = checked_rows.checked_row(checked)
        rows.append(bulk_store._stored_tuple(row, enterprise, row_id=str(uuid.uuid4()), source="import", now=now,
                                             day=TODAY, actor="a"))
    return rows


def test_set_items_built_from_stored_tuples_equal_ones_built_field_by_field():
    for stored in stored_rows(60):
        get = dict(zip(bulk_store.STORED, stored)).__getitem__
        validated = RecordedItem(transaction_id=get("id"), version=1, facts=TransactionFacts(
            enterprise_id=get("enterprise_id"), region_code=get("region_code"), trade_date=get("trade_date"),
            report_category=get("report_category"), amount_yuan=get("price"), trade_type=get("trade_type"),
            transfer=get("transfer"), usage=get("usage"), origin=get("origin"),
            first_registration_date=get("first_registration_date")))
        built = bulk_store.recorded_set([bulk_store._item(stored)], source="import",
                                        recorded_at=datetime.now(UTC)).items[0]
        assert built == validated
        assert built.model_dump_json() == validated.model_dump_json()


# the per-column conversion and the cheaper copies of derive, against the straightforward versions they replace
ODD_CELLS = (None, "", "   ", " x ", "'=1+1", "'abc", "=SUM(A1)", "'", 0, 1, 2, 12.5, 30000.0, -3, True, False,
             date(2024, 2, 3), datetime(2024, 2, 3, 4, 5), datetime(2024, 2, 3), 45000, "2024/1/2", "2024年3月4日",
             "是", "否", " 是 ", "true", "FALSE", "营运", "K33 小型轿车", " k33 ", "直销", "代销", "A 非营运", "汉族", "CHN", "1,234.5", "１２", "abc")


def reference_payload_of(layout, values):
    """``payload_of`` as it was: every cell through ``to_payload_value``."""
    payload = {"buyer": {}, "seller": {}, "vehicle": {}, "deal": {}}
    agent, agent_flag = {}, MISSING
    for column, value in zip(layout, values):
        if column is None:
            continue
        converted = to_payload_value(column, value)
        if converted is MISSING:
            continue
        if column.path == AGENT_PRESENT:
            agent_flag = converted
            continue
        section, name = column.path.split(".", 1)
        (agent if section == "agent" else payload[section])[name] = converted
    if agent or agent_flag is True:
        payload["agent"] = agent
    elif agent_flag not in (MISSING, False):
        payload["agent"] = agent_flag
    return payload


def reference_derive(record):
    """``derive`` as it was, with pydantic's ``model_copy``."""
    def party(p):
        if p.is_enterprise:
            return p.model_copy(update={"has_uscc": rules.has_uscc(p), "nationality": None, "ethnicity": None,
                                        "id_type": None, "id_number": None})
        nationality = p.nationality or rules.DEFAULT_NATIONALITY
        ethnicity = get_ethnicity(p.ethnicity) if nationality == rules.DEFAULT_NATIONALITY else None
        return p.model_copy(update={"has_uscc": False, "uscc": None, "org_code": None, "nationality": nationality,
                                    "ethnicity": ethnicity.name if ethnicity else None,
                                    "id_type": p.id_type or "resident_id"})
    vehicle, deal = record.vehicle, record.deal
    usage = get_usage(vehicle.usage_code)
    category, _ = report_category_for(vehicle.vehicle_type, vehicle.report_category)
    return record.model_copy(update={
        "buyer": party(record.buyer), "seller": party(record.seller),
        "agent": party(record.agent) if record.agent else None,
        "vehicle": vehicle.model_copy(update={"report_category": category,
                                              "usage": usage.group if usage else vehicle.usage,
                                              "origin": vehicle.origin or vin_origin(vehicle.vin)}),
        "deal": deal.model_copy(update={"price_upper": to_chinese_upper(deal.price)})})


def corpus(count: int = 400) -> list[tuple[list, list]]:
    """(layout, row) pairs: template rows, some with odd cells, some in a shuffled or short layout."""
    rng = random.Random(11)
    base = list(columns())
    shuffled = base[:]
    rng.shuffle(shuffled)
    out = []
    for i in range(count):
        row = row_of(record(i))
        for _ in range(rng.choice((0, 0, 1, 3, 8))):
            row[rng.randrange(len(row))] = rng.choice(ODD_CELLS)
        if i % 5 == 3:
            out.append((shuffled + [None], [row[base.index(c)] for c in shuffled] + ["extra"]))
        elif i % 7 == 5:
            out.append((base, row[:rng.randrange(len(row))]))
        else:
            out.append((base, row))
    return out


def state(model) -> tuple:
    return (type(model), model.__dict__, model.__pydantic_fields_set__, model.__pydantic_extra__,
            model.__pydantic_private__)


def test_per_column_conversion_and_cheaper_derive_give_the_same_verdicts_records_and_messages():
    verdicts = {"valid": 0, "invalid": 0}
    for layout, row in corpus():
        payload = payload_of(layout, row)
        assert payload == reference_payload_of(layout, row)
        assert list(payload) == list(reference_payload_of(layout, row))
        record_, errors = check_transaction(payload, today=TODAY)
        if errors:
            verdicts["invalid"] += 1
            assert record_ is None
            continue
        verdicts["valid"] += 1
        parsed = TransactionIn.model_validate(payload)
        expected = reference_derive(parsed)
        assert record_.model_dump_json() == expected.model_dump_json()
        for name in ("buyer", "seller", "agent", "vehicle", "deal"):
            if getattr(expected, name) is not None:
                assert state(getattr(record_, name)) == state(getattr(expected, name))
        assert record_.__pydantic_fields_set__ == expected.__pydantic_fields_set__
        assert checked_rows.checked_row(record_) == checked_rows.checked_row(expected)
    assert verdicts["valid"] > 100 and verdicts["invalid"] > 50, verdicts


def test_a_drop_down_column_remembers_its_entries_and_still_converts_every_cell_as_before():
    """The remembered entries (up to MAX_SEEN per column, then forgotten) change no result: past the bound,
    typed variants and unknown text, each cell is what ``to_payload_value`` makes of it."""
    base = list(columns())
    picked = [i for i, c in enumerate(base) if c.kind in (CHOICE, BOOL) and c.choices is not None]
    assert len(picked) >= 5
    rng = random.Random(5)
    for n in range(3 * convert.MAX_SEEN):
        row = row_of(record(n))
        for i in rng.sample(picked, 3):
            row[i] = rng.choice((f"未知{n}", *ODD_CELLS))
        assert payload_of(base, row) == reference_payload_of(base, row)
