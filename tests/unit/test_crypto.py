"""services.crypto: Fernet encryption at rest with key rotation, keyed token hashing, signed links."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken

from services.crypto import decrypt_text, encrypt_text, hash_token, new_token, rotate_text, sign_link, verify_link

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_round_trip_and_ciphertext_hides_the_text():
    plain = "Synthèse confidentielle : projet de reconversion 🌱"
    token = encrypt_text(plain)
    assert plain not in token
    assert "reconversion" not in token
    assert decrypt_text(token) == plain
    # Fernet is randomised: the same text never encrypts twice the same way.
    assert encrypt_text(plain) != token


def test_rotation_old_key_still_decrypts_and_rotate_uses_new_primary(set_env):
    set_env(ENCRYPTION_KEY=OLD_KEY)
    old_token = encrypt_text("secret TOTP")

    set_env(ENCRYPTION_KEY=f"{NEW_KEY},{OLD_KEY}")
    assert decrypt_text(old_token) == "secret TOTP"
    rotated = rotate_text(old_token)
    assert rotated != old_token
    # The rotated token is readable with the new key alone, the old one is not.
    assert Fernet(NEW_KEY.encode()).decrypt(rotated.encode()) == b"secret TOTP"
    with pytest.raises(InvalidToken):
        Fernet(NEW_KEY.encode()).decrypt(old_token.encode())
    # New encryptions use the primary (first) key.
    fresh = encrypt_text("again")
    assert Fernet(NEW_KEY.encode()).decrypt(fresh.encode()) == b"again"

    set_env(ENCRYPTION_KEY=NEW_KEY)  # the old key is retired
    assert decrypt_text(rotated) == "secret TOTP"
    with pytest.raises(InvalidToken):
        decrypt_text(old_token)


def test_a_foreign_key_cannot_decrypt(set_env):
    token = encrypt_text("x")
    set_env(ENCRYPTION_KEY=Fernet.generate_key().decode())
    with pytest.raises(InvalidToken):
        decrypt_text(token)


def test_hash_token_is_keyed_and_deterministic(set_env):
    set_env(SECRET_KEY="a" * 40)
    first = hash_token("abc")
    assert first == hash_token("abc")
    assert first != hash_token("abd")
    assert len(first) == 64 and int(first, 16) >= 0
    import hashlib

    assert first != hashlib.sha256(b"abc").hexdigest()  # not a bare hash
    set_env(SECRET_KEY="b" * 40)
    assert hash_token("abc") != first


def test_new_token_is_random_and_urlsafe():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) >= 40
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_signed_link_carries_its_subject_until_it_expires():
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    token = sign_link("synthese", "bilan-1:user-2", now + timedelta(minutes=10))
    assert verify_link(token, "synthese", now) == "bilan-1:user-2"
    assert verify_link(token, "synthese", now + timedelta(minutes=9, seconds=59)) == "bilan-1:user-2"
    assert verify_link(token, "synthese", now + timedelta(minutes=10)) is None  # expired
    assert verify_link(token, "convention", now) is None  # signed for another use


def test_a_forged_or_altered_link_is_refused(set_env):
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    token = sign_link("synthese", "bilan-1", now + timedelta(hours=1))
    body, mac = token.split(".")
    other_body = sign_link("synthese", "bilan-9", now + timedelta(hours=1)).split(".")[0]
    for forged in (f"{other_body}.{mac}", f"{body}.{mac[:-2]}xx", body, "", "a.b.c", f"!!.{mac}"):
        assert verify_link(forged, "synthese", now) is None
    set_env(SECRET_KEY="another-secret-key-that-is-long-enough-0123456789")
    assert verify_link(token, "synthese", now) is None  # another key: refused
