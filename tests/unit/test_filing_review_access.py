"""Who may review: the fresher of identity's last announcement and the caller's token decides."""
from __future__ import annotations

import time

import pytest
from autocirc_filing.domain.access import ensure_can_review
from autocirc_filing.models.filings import OfficialView
from autocirc_shared.auth.tokens import Principal, TokenIssuer, TokenVerifier
from autocirc_shared.errors import AppError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def official(can_review: bool, issued_at: float | None) -> Principal:
    return Principal(account_id="o1", username="zj", kind="official", region_code="330000", level="province",
                     can_review=can_review, issued_at=issued_at)


def view(can_review: bool, changed_at: float | None) -> OfficialView:
    return OfficialView(official_id="o1", region_code="330000", can_review=can_review, changed_at=changed_at)


def allowed(principal: Principal, seen: OfficialView | None) -> bool:
    try:
        ensure_can_review(principal, seen, "330102")
    except AppError as exc:
        assert exc.status == 403 and exc.code == "filing.review_forbidden"
        return False
    return True


def test_a_token_issued_after_a_grant_the_bus_has_not_delivered_yet_may_review():
    assert allowed(official(True, issued_at=100.5), view(False, changed_at=100.2))


def test_a_revocation_heard_after_the_token_was_issued_acts_at_once():
    assert not allowed(official(True, issued_at=100.0), view(False, changed_at=100.4))


def test_a_grant_heard_after_an_older_token_acts_at_once():
    assert allowed(official(False, issued_at=100.0), view(True, changed_at=100.4))


def test_without_an_announcement_the_token_decides():
    assert allowed(official(True, issued_at=1.0), None)
    assert not allowed(official(False, issued_at=1.0), None)


def test_outside_the_region_is_refused_whatever_the_right():
    principal = official(True, issued_at=1.0)
    with pytest.raises(AppError):
        ensure_can_review(principal, None, "110101")


def test_tokens_carry_their_issue_time_to_the_fraction():
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    before = time.time()
    verified = TokenVerifier(public_key_pem=public).verify(TokenIssuer(pem).issue(official(True, None)))
    assert before <= verified.issued_at <= time.time()
    assert verified.can_review is True


@pytest.mark.parametrize(("level", "grantor"), [("province", "系统管理员"), ("national", "系统管理员"),
                                                 ("city", "省级商务主管部门"), ("district", "省级商务主管部门")])
def test_an_official_without_rights_is_told_who_grants_them(level, grantor):
    principal = Principal(account_id="o1", username="zj", kind="official", region_code="330000", level=level,
                          can_review=False, issued_at=None)
    with pytest.raises(AppError) as refused:
        ensure_can_review(principal, None, "330000" if level != "national" else "330102")
    assert refused.value.detail == f"您没有审核权限，请联系{grantor}设置"
