"""Every (state, action) pair of the filing's state machine, legal and illegal."""
from __future__ import annotations

import pytest
from autocirc_filing.domain import lifecycle
from autocirc_shared.errors import AppError

STATES = ("draft", "submitted", "confirmed", "rejected", "changed", "revoked")


def outcome(action, *args):
    try:
        return action(*args) or "ok"
    except AppError as exc:
        assert (exc.status, exc.code) == (409, "filing.state") and not exc.detail.isascii()
        return 409


@pytest.mark.parametrize("state", STATES)
def test_editing(state):
    expected = 409 if state in ("submitted", "changed") else "ok"
    assert outcome(lifecycle.ensure_editable, state) == expected


@pytest.mark.parametrize(("state", "ever_confirmed", "expected"), [
    ("draft", False, "submitted"),
    ("rejected", False, "submitted"),   # a first filing sent back and sent again
    ("rejected", True, "changed"),      # a change sent back and sent again: the confirmed version still holds
    ("confirmed", True, "changed"),
    ("submitted", False, 409),
    ("changed", True, 409),
    ("revoked", False, "submitted"),    # after 注销 nothing is in force: a new filing, not a change
])
def test_submitting(state, ever_confirmed, expected):
    assert outcome(lifecycle.status_after_submit, state, ever_confirmed) == expected


@pytest.mark.parametrize("state", STATES)
def test_reviewing(state):
    expected = "ok" if state in ("submitted", "changed") else 409
    assert outcome(lifecycle.ensure_reviewable, state) == expected


def test_every_state_is_covered():
    assert set(STATES) == lifecycle.EDITABLE | lifecycle.UNDER_REVIEW


@pytest.mark.parametrize("state", STATES)
def test_revoking(state):
    expected = "ok" if state in ("confirmed", "changed") else 409
    assert outcome(lifecycle.ensure_revocable, state) == expected
