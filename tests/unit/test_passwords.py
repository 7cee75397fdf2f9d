"""services.passwords: argon2id hashing, the password policy, constant-cost verification."""

import time

import pytest

from services import auth
from services.errors import FormError
from services.passwords import MIN_LENGTH, hash_password, password_problem, verify_password


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("Ciel-Orageux-Lumineux-77")
    assert hashed.startswith("$argon2id$")
    assert "Ciel" not in hashed
    assert verify_password("Ciel-Orageux-Lumineux-77", hashed) is True
    assert verify_password("Ciel-Orageux-Lumineux-78", hashed) is False


def test_verify_with_no_hash_is_false():
    assert verify_password("anything-at-all-123", None) is False
    assert verify_password("anything-at-all-123", "") is False


@pytest.mark.parametrize("password", ["", "a", "Court-1!", "x" * (MIN_LENGTH - 1)])
def test_shorter_than_twelve_is_refused(password):
    assert password_problem(password) == "error.password_too_short"


def test_exactly_twelve_good_characters_is_enough():
    assert password_problem("Vj4#pLm9!qZt") is None


def test_too_long_is_refused():
    assert password_problem("Vj4#pLm9!qZt" * 30) == "error.too_long"


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # "password" + digits, from the zxcvbn leaked list
        "PASSWORD1234",  # case does not help
        "azertyuiop12",  # French keyboard favourite + digits
        "motdepasse2024!",  # "mot de passe"
        "qwertyuiop12",  # a leaked password + digits
        "iloveyou!!2024",  # leaked password + punctuation and digits
        "Soleil-2024!!",  # French favourite
        "aaaaaaaaaaaaaaaa",  # fewer than 4 distinct characters
        "abababab1111",
    ],
)
def test_common_passwords_are_refused(password):
    assert password_problem(password) == "error.password_common"


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("Dupontel-2026-Montagne", ("Jean", "Dupontel", "jdupontel")),
        ("mon-JDUPONTEL-a-moi-9", ("Jean", "Dupontel", "jdupontel")),
        ("Marguerite#Fleurie42", ("Marguerite", "Durand", "m.durand")),
    ],
)
def test_personal_words_are_refused(password, words):
    assert password_problem(password, personal_words=words) == "error.password_personal"


def test_short_personal_words_are_ignored():
    # Words under four letters (e.g. "Li", "Bo") would refuse too much.
    assert password_problem("Libellule-Orange-58", personal_words=("Li", "Bo", "lb")) is None


@pytest.mark.parametrize("password", ["Ciel-Orageux-Lumineux-77", "correct horse battery staple", "Vj4#pLm9!qZt"])
def test_good_passwords_are_accepted(password):
    assert password_problem(password, personal_words=("Jean", "Dupont", "jean.dupont")) is None


def _failed_login_seconds(email: str, ip: str) -> float:
    start = time.perf_counter()
    with pytest.raises(FormError) as caught:
        auth.login({"email": email, "password": "Not-The-Right-One-123"}, auth.ClientInfo(ip=ip))
    elapsed = time.perf_counter() - start
    assert caught.value.fields == {"password": "error.invalid_credentials"}
    return elapsed


def test_unknown_email_costs_as_much_as_a_known_one(world):
    known = world.person("consultant_a").email
    unknown = "personne.inconnue@exemple.fr"
    _failed_login_seconds(unknown, "192.0.2.1")  # warm-up: the dummy hash is computed on first use
    known_times, unknown_times = [], []
    # Interleaved, and the fastest of each kept: other load on the machine only ever adds time.
    # Four failures stay under the account lockout (five).
    for run in range(4):
        known_times.append(_failed_login_seconds(known, f"192.0.2.{10 + run}"))
        unknown_times.append(_failed_login_seconds(unknown, f"192.0.2.{20 + run}"))
    known_time, unknown_time = min(known_times), min(unknown_times)
    ratio = unknown_time / known_time
    assert 0.5 <= ratio <= 2.0, f"known {known_time:.3f}s vs unknown {unknown_time:.3f}s"
    # Both really pay for an argon2 verification (tens of milliseconds at least).
    assert unknown_time > 0.02 and known_time > 0.02
