"""The store's ids: random version-4 UUIDs as ``str(uuid.uuid4())`` writes them, from one urandom call."""
from __future__ import annotations

import uuid

from autocirc_transactions.usecases.bulk_store import new_ids


def test_new_ids_are_distinct_version_4_uuids_in_canonical_form():
    ids = new_ids(2000)
    assert len(set(ids)) == 2000 and new_ids(0) == []
    for text in ids:
        value = uuid.UUID(text)
        assert str(value) == text and value.version == 4 and value.variant == uuid.RFC_4122
