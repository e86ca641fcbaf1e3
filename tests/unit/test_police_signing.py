"""Ed25519 message signatures of the police feed: what the stub accepts, and key rotation."""
from __future__ import annotations

from autocirc_media_sync.police.signing import KEY_ID_HEADER, SIGNATURE_HEADER, Keyring, Signer, verify
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

BODY = b'{"uscc":"91110101MA0000000X","status":"confirmed"}'


def check(keyring: Keyring, headers: dict, body: bytes = BODY) -> str | None:
    return verify(body, headers.get(KEY_ID_HEADER), headers.get(SIGNATURE_HEADER), keyring.trusted())


def test_a_signed_body_verifies_and_any_change_does_not():
    keyring = Keyring(Ed25519PrivateKey.generate())
    headers = keyring.signer.headers(BODY)
    assert check(keyring, headers) is None
    assert check(keyring, headers, BODY.replace(b"confirmed", b"revoked")) == "签名与报文内容不符"
    assert check(keyring, {**headers, SIGNATURE_HEADER: "not base64!"}) == "签名与报文内容不符"
    assert check(keyring, {}) == "缺少签名或签名密钥标识"


def test_another_key_is_refused_whatever_id_it_names():
    keyring, stranger = Keyring(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    assert "未登记" in check(keyring, stranger.headers(BODY))
    forged = {**stranger.headers(BODY), KEY_ID_HEADER: keyring.signer.key_id}
    assert check(keyring, forged) == "签名与报文内容不符"


def test_rotation_publishes_both_keys_and_signs_with_the_new_one(tmp_path):
    old = Keyring.from_files(tmp_path / "old.pem")
    old_message = old.signer.headers(BODY)
    rotated = Keyring.from_files(tmp_path / "new.pem", [tmp_path / "old_public.pem"])
    assert [k.as_json()["status"] for k in rotated.published] == ["active", "previous"]
    assert rotated.signer.key_id != old.signer.key_id
    assert check(rotated, old_message) is None, "during the change-over the old key still verifies"
    assert check(rotated, rotated.signer.headers(BODY)) is None
    after = Keyring.from_files(tmp_path / "new.pem")
    assert "未登记" in check(after, old_message), "once retired, the old key is refused"
    assert Keyring.from_files(tmp_path / "new.pem").signer.key_id == rotated.signer.key_id  # stable per key
