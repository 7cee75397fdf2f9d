"""The one translation catalogue (French default, English second) and fr-FR formatting (babel)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal

from services.locales import (
    accounts,
    action_plan,
    agenda,
    ai_panel,
    ai_ui,
    beneficiary,
    bilan_files,
    bilans,
    calendar,
    charts,
    conventions,
    conventions_ui,
    francetravail,
    handover,
    history,
    job_search,
    llm,
    matching,
    messaging,
    notifications,
    psychometrics,
    recommendations,
    referentiel,
    rome,
    screens,
    skills,
    synthese,
    training,
)

LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
TIMEZONE = ZoneInfo("Europe/Paris")
_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

# One catalogue, written in one module per domain (so parallel work does not collide); a key may
# be defined once only.
_PARTS = (
    accounts,
    agenda,
    bilans,
    beneficiary,
    conventions,
    conventions_ui,
    rome,
    psychometrics,
    charts,
    skills,
    referentiel,
    francetravail,
    llm,
    training,
    matching,
    recommendations,
    ai_ui,
    ai_panel,
    job_search,
    action_plan,
    synthese,
    handover,
    history,
    screens,
    notifications,
    messaging,
    bilan_files,
    calendar,
)


def _merge(locale: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in _PARTS:
        messages: dict[str, str] = getattr(part, locale.upper())
        duplicates = merged.keys() & messages.keys()
        if duplicates:
            raise RuntimeError(f"catalogue keys defined twice: {sorted(duplicates)}")
        merged.update(messages)
    return merged


FR: dict[str, str] = _merge("fr")
EN: dict[str, str] = _merge("en")
MESSAGES: dict[str, dict[str, str]] = {"fr": FR, "en": EN}


def normalise_locale(locale: str | None) -> str:
    return locale if locale in MESSAGES else DEFAULT_LOCALE


# French elision before a name that starts with a vowel: "Bilan de Élodie" → "Bilan d'Élodie". Written as a
# regular expression source so that the browser (components/i18n.tf) applies the very same rule. "Y" and
# "H" are left out: "de Yannick", "de Hugo" are correct.
ELISION_VOWELS = "AEIOUÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜaeiouàâäæéèêëîïôöœùûü"
_STARTS_WITH_VOWEL = re.compile(f"^[{ELISION_VOWELS}]")


def elide_de(value: str) -> str:
    """The French "de" + ``value``, elided when the value starts with a vowel ("d'Élodie", "de Marc")."""
    return f"d'{value}" if _STARTS_WITH_VOWEL.match(value) else f"de {value}"


def translate(key: str, locale: str = DEFAULT_LOCALE, **params: object) -> str:
    """The message for ``key`` in ``locale``, falling back to French, then to the key itself."""
    template = MESSAGES[normalise_locale(locale)].get(key) or FR.get(key) or key
    if not params:
        return template
    for name, value in params.items():
        if f"e {{{name}}}" in template and _STARTS_WITH_VOWEL.match(str(value)):
            template = template.replace(f" de {{{name}}}", f" d'{{{name}}}").replace(f"De {{{name}}}", f"D'{{{name}}}")
            if template.startswith(f"de {{{name}}}"):
                template = f"d'{{{name}}}" + template[len(f"de {{{name}}}") :]
    return template.format(**params)


def translate_count(key: str, count: int, locale: str = DEFAULT_LOCALE, **params: object) -> str:
    """The message agreed with ``count``: ``key.one`` or ``key.other``, by the locale's plural rules
    (babel's CLDR data: in French, 0 and 1 take the singular)."""
    locale = normalise_locale(locale)
    form = "one" if Locale.parse(_BABEL_LOCALES[locale]).plural_form(count) == "one" else "other"
    return translate(f"{key}.{form}", locale, count=count, **params)


def format_datetime(value: datetime | None, locale: str = DEFAULT_LOCALE, fmt: str = "short") -> str:
    """A date and time in Paris time, formatted for the locale (fr-FR by default)."""
    if value is None:
        return ""
    return babel_format_datetime(
        value.astimezone(TIMEZONE), format=fmt, locale=_BABEL_LOCALES[normalise_locale(locale)]
    )


# An appointment in a sentence ("mardi 8 décembre 2026 à 14:00"): the day in words, no seconds, no zone name.
_APPOINTMENT_FORMATS = {"fr": "EEEE d MMMM y 'à' HH:mm", "en": "EEEE d MMMM y 'at' HH:mm"}


def format_appointment(value: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """A date and time for a sentence of a mail or a notice, in Paris time."""
    locale = normalise_locale(locale)
    return babel_format_datetime(
        value.astimezone(TIMEZONE), _APPOINTMENT_FORMATS[locale], locale=_BABEL_LOCALES[locale]
    )


def input_number(value: float) -> str:
    """A number as a form input holds it: "1800" rather than "1800.0", "1850.5" kept."""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def format_month(value: str, locale: str = DEFAULT_LOCALE) -> str:
    """A "YYYY-MM" month for reading ("2019-03" → "mars 2019"); "" stays ""."""
    if not value:
        return ""
    year, month = value.split("-")
    return babel_format_date(date(int(year), int(month), 1), "MMMM y", locale=_BABEL_LOCALES[normalise_locale(locale)])


def format_date(value: date | datetime | None, locale: str = DEFAULT_LOCALE, fmt: str = "d MMMM y") -> str:
    """A day for reading ("12 mars 2026"); a datetime is taken in Paris time; None gives ""."""
    if value is None:
        return ""
    day = value.astimezone(TIMEZONE).date() if isinstance(value, datetime) else value
    return babel_format_date(day, fmt, locale=_BABEL_LOCALES[normalise_locale(locale)])


def format_number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    return format_decimal(value, locale=_BABEL_LOCALES[normalise_locale(locale)])


def format_euros(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in euros for the locale ("0,0042 €", "12,50 €"); small estimates keep four decimals."""
    amount = round(value, 2 if abs(value) >= 1 else 4)
    return format_currency(amount, "EUR", locale=_BABEL_LOCALES[normalise_locale(locale)], decimal_quantization=False)
