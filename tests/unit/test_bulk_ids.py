"""The store's ids: version-7 UUIDs (RFC 9562) in canonical form, increasing, from one urandom call."""
from __future__ import annotations

import time
import uuid

from autocirc_transactions.usecases.bulk_store import new_ids


def test_new_ids_are_distinct_increasing_version_7_uuids_in_canonical_form():
    ids = new_ids(5000)  # past the 4,096 a millisecond's counter holds
    assert len(set(ids)) == 5000 and new_ids(0) == []
    assert ids == sorted(ids), "increasing: each goes to the index's rightmost page"
    for text in ids:
        value = uuid.UUID(text)
        assert str(value) == text and value.version == 7 and value.variant == uuid.RFC_4122
    millisecond = uuid.UUID(ids[0]).int >> 80
    assert abs(millisecond - time.time_ns() // 1_000_000) < 60_000, "the time comes first"
    assert uuid.UUID(new_ids(1)[0]).int >> 80 >= millisecond, "a later call starts no earlier"
