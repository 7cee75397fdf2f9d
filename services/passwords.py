"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHash((Argon2Hasher(),))


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # 30,000 most common leaked passwords, shipped with the zxcvbn package, plus French favourites.
    french = {"motdepasse", "azertyuiop", "soleil", "bonjour", "doudou", "chouchou", "loulou"}
    return frozenset(FREQUENCY_LISTS["passwords"]) | french


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("timing-equaliser-not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-cost check: an unknown account still pays for one argon2 verification."""
    if not password_hash:
        _hasher.verify(password, _dummy_hash())
        return False
    return _hasher.verify(password, password_hash)


def password_problem(password: str, *, personal_words: tuple[str, ...] = ()) -> str | None:
    """The catalogue key of what is wrong with a new password, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "error.password_too_short"
    if len(password) > MAX_LENGTH:
        return "error.too_long"
    lowered = password.lower()
    stripped = lowered.rstrip("0123456789!?.*@#$-_ ")
    if lowered in _common_passwords() or stripped in _common_passwords() or len(set(lowered)) < 4:
        return "error.password_common"
    for word in personal_words:
        word = word.lower().strip()
        if len(word) >= 4 and word in lowered:
            return "error.password_personal"
    return None
