"""Shaping stored rows for readers: the owner sees everything, an official a masked copy."""
from __future__ import annotations

from autocirc_shared.auth.tokens import Principal
from autocirc_shared.masking import mask_field, mask_personal
from autocirc_shared.validation.text import scrub_surrogates_in
from pydantic import ValidationError

from ..models.transactions import Transaction, TransactionAudit
from ..usecases.scope import is_official
from .schemas import TransactionCreated, TransactionHistoryEntry, TransactionOut


def transaction_out(row: Transaction, principal: Principal) -> TransactionOut:
    masked = is_official(principal)
    data = mask_personal(row.data) if masked else row.data
    fields = {"id": row.id, "enterprise_id": row.enterprise_id, "version": row.version, "source": row.source,
              "reported_at": row.reported_at, "reported_on": row.reported_on, "updated_at": row.updated_at,
              "transfer": row.transfer, "masked": masked}
    try:
        return TransactionOut.model_validate({**data, **fields})
    except ValidationError:
        # a form stored with a lone surrogate (before the door refused them; migration 0005 repairs them): an
        # identifier's length check refuses it, so it is shown with U+FFFD instead of failing the reader's list
        return TransactionOut.model_validate({**scrub_surrogates_in(data), **fields})


def created_out(row: dict, warnings: list) -> TransactionCreated:
    """A record just entered, from its row as stored (its own enterprise reads it: unmasked)."""
    return TransactionCreated.model_validate({
        **row["data"], "id": row["id"], "enterprise_id": row["enterprise_id"], "version": row["version"],
        "source": row["source"], "reported_at": row["reported_at"], "reported_on": row["reported_on"],
        "updated_at": row["updated_at"], "transfer": row["transfer"], "masked": False,
        "warnings": [warning.as_dict() for warning in warnings]})


def history_out(entry: TransactionAudit, principal: Principal) -> TransactionHistoryEntry:
    masked = is_official(principal)
    changes = [{**c, "before": mask_field(c["field"], c["before"]), "after": mask_field(c["field"], c["after"])}
               if masked else c for c in entry.changes]
    return TransactionHistoryEntry(version=entry.version, action=entry.action, source=entry.source, actor=entry.actor,
                        actor_name=entry.actor_name, at=entry.at, changes=changes)
