"""Encryption at rest (Fernet with rotation), keyed hashing of tokens, and signed expiring links."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet

from services.settings import get_settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(get_settings().encryption_keys))


def encrypt_text(plain: str) -> str:
    return _cipher().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    return _cipher().decrypt(token.encode()).decode()


def rotate_text(token: str) -> str:
    """Re-encrypt with the primary key (for key rotation jobs)."""
    return _cipher().rotate(token.encode()).decode()


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """HMAC-SHA256 of a secret token: the database never holds the token itself."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- signed, expiring links

_LINK_VERSION = "1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _link_mac(purpose: str, body: str) -> str:
    # The purpose is part of the MAC: a link signed for one use is refused by every other.
    key = get_settings().secret_key.encode()
    return _b64(hmac.new(key, f"{_LINK_VERSION}|{purpose}|{body}".encode(), hashlib.sha256).digest())


def sign_link(purpose: str, subject: str, expires_at: datetime) -> str:
    """A URL-safe token carrying ``subject`` until ``expires_at``, valid for ``purpose`` only."""
    body = _b64(json.dumps({"s": subject, "e": int(expires_at.timestamp())}, separators=(",", ":")).encode())
    return f"{body}.{_link_mac(purpose, body)}"


def verify_link(token: str, purpose: str, now: datetime | None = None) -> str | None:
    """The subject of a link signed for ``purpose``, or None when it is forged, altered or expired."""
    body, _, mac = token.partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _link_mac(purpose, body)):
        return None
    try:
        payload = json.loads(_unb64(body))
        subject, expires = str(payload["s"]), int(payload["e"])
    except (ValueError, KeyError, TypeError):
        return None
    moment = now or datetime.now(UTC)
    return subject if moment.timestamp() < expires else None
