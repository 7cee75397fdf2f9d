"""Encryption at rest (Fernet with rotation) and keyed hashing of tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
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
