"""The public filing check's one word about a filing."""
from autocirc_filing.domain.public_status import public_status


def test_public_status_follows_the_confirmed_version():
    assert public_status(None, None) == "not_filed"
    assert public_status("submitted", None) == "not_filed" and public_status("rejected", None) == "not_filed"
    assert public_status("confirmed", 1) == "confirmed"
    for pending in ("draft", "changed", "rejected", "confirmed_edited"):
        assert public_status(pending, 2) == "changed", "the confirmed version stays in force meanwhile"
    assert public_status("revoked", 3) == "revoked" and public_status("revoked", None) == "revoked"
