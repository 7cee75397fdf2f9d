"""services.i18n: one catalogue in two languages, French formatting in Paris time."""

import importlib
import inspect
import pkgutil
import re
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

import pytest

import services
from services.errors import AccessDenied, FormError, NotFound, RateLimited, ServiceError
from services.i18n import EN, FR, format_datetime, format_number, normalise_locale, translate
from services.settings import PROJECT_ROOT

SERVICES = PROJECT_ROOT / "services"
PLACEHOLDER = re.compile(r"{(\w*)}")


def test_fr_and_en_have_exactly_the_same_keys():
    assert set(FR) - set(EN) == set(), "keys missing in EN"
    assert set(EN) - set(FR) == set(), "keys missing in FR"


def test_translations_use_the_same_placeholders():
    for key in FR:
        assert set(PLACEHOLDER.findall(FR[key])) == set(PLACEHOLDER.findall(EN[key])), key


def test_no_empty_message():
    assert [k for k, v in FR.items() if not v.strip()] == []
    assert [k for k, v in EN.items() if not v.strip()] == []


def _error_literals() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(SERVICES.rglob("*.py")):
        if path.name == "i18n.py":
            continue
        for key in re.findall(r"""["'](error\.[A-Za-z0-9_.]+)["']""", path.read_text(encoding="utf-8")):
            found.setdefault(key, set()).add(path.name)
    return found


def test_every_error_key_raised_in_services_exists():
    literals = _error_literals()
    # The scan must find the keys we know are there, or it proves nothing.
    assert {"error.invalid_credentials", "error.last_admin", "error.siret_taken"} <= set(literals)
    assert len(literals) >= 25
    missing = {key: files for key, files in literals.items() if key not in FR}
    assert missing == {}


def test_dynamic_error_keys_exist():
    # members.accept_invitation raises f"error.invitation_{status}" for these statuses.
    for status in ("unknown", "used", "expired"):
        assert f"error.invitation_{status}" in FR
    # forms maps pydantic custom error types to f"error.{type}".
    forms_source = (SERVICES / "forms.py").read_text(encoding="utf-8")
    for kind in re.findall(r'PydanticCustomError\("(\w+)"', forms_source):
        assert f"error.{kind}" in FR, kind


@pytest.mark.parametrize("exc", [ServiceError(), NotFound(), AccessDenied(), RateLimited(), FormError({})])
def test_default_exception_codes_exist(exc):
    assert exc.code in FR


def test_translate_falls_back_to_french_then_to_the_key():
    assert translate("error.not_found") == "Élément introuvable."
    assert translate("error.not_found", "en") == "Not found."
    assert translate("error.not_found", "de") == "Élément introuvable."
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("error.locked_out", minutes=15).startswith("Trop de tentatives")
    assert "15 minutes" in translate("error.locked_out", minutes=15)
    assert normalise_locale(None) == "fr"
    assert normalise_locale("en") == "en"


def test_format_datetime_is_french_in_paris_time():
    summer = datetime(2026, 7, 14, 10, 30, tzinfo=UTC)  # UTC+2 in Paris
    winter = datetime(2026, 1, 14, 10, 30, tzinfo=UTC)  # UTC+1
    assert format_datetime(summer) == "14/07/2026 12:30"
    assert format_datetime(winter) == "14/01/2026 11:30"
    assert format_datetime(winter, fmt="long") == "14 janvier 2026, 11:30:00 +0100"
    assert format_datetime(summer, fmt="long").startswith("14 juillet 2026, 12:30")
    # Another zone in input: converted to Paris as well.
    new_york = datetime(2026, 1, 14, 5, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert format_datetime(new_york) == "14/01/2026 11:30"
    assert format_datetime(None) == ""


def test_format_number_is_french():
    assert format_number(1234.5).replace("\u202f", " ").replace("\xa0", " ") == "1 234,5"
    assert format_number(1234.5, "en") == "1,234.5"


def _audit_actions() -> set[str]:
    """Every audit action of the services: the values of their ``…Action`` enums."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, StrEnum) and name.endswith("Action"):
                found |= {member.value for member in value}
    return found


def test_every_audit_action_has_a_label_in_the_history():
    # The history and audit-log screens show translate(f"audit.{action}"): a missing key shows the raw code.
    actions = _audit_actions()
    assert {"bilan.synthese_handed_over", "handover.share_given", "convention.issued"} <= actions
    assert sorted(action for action in actions if f"audit.{action}" not in FR or f"audit.{action}" not in EN) == []


def test_french_elides_de_before_a_vowel_and_english_is_untouched():
    assert translate("bilan.title", name="Élodie Martin") == "Bilan d'Élodie Martin"
    assert translate("bilan.title", name="Anne") == "Bilan d'Anne"
    assert translate("bilan.title", name="Marc") == "Bilan de Marc"
    assert translate("bilan.title", name="Yannick") == "Bilan de Yannick"  # a consonant "y"
    assert "d'Élodie" in translate("handover.mail.subject", name="Élodie", org="Cabinet")
    assert translate("bilan.title", "en", name="Élodie") == EN["bilan.title"].format(name="Élodie")


def test_appointments_read_without_seconds_or_zone_names():
    from services.i18n import format_appointment, input_number

    moment = datetime(2026, 12, 8, 13, 0, 48, tzinfo=UTC)
    assert format_appointment(moment, "fr") == "mardi 8 décembre 2026 à 14:00"
    assert format_appointment(moment, "en") == "Tuesday 8 December 2026 at 14:00"
    assert (input_number(1800.0), input_number(1850.5), input_number(24)) == ("1800", "1850.5", "24")


def test_the_date_range_message_names_the_range_the_forms_enforce():
    from services.forms import MAX_YEAR, MIN_YEAR

    for catalogue in (FR, EN):
        assert str(MIN_YEAR) in catalogue["error.date_out_of_range"]
        assert str(MAX_YEAR) in catalogue["error.date_out_of_range"]
