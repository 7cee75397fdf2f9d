"""Every piece of UI text comes from the catalogue through these helpers.

The strings are written into each page's compiled JavaScript, French and English side by side, and the
tab's locale chooses between them: a page carries only the strings it shows, and the catalogue never
travels in the per-tab state (it used to cost 136 KB over the websocket, twice per page load).
"""

from __future__ import annotations

import reflex as rx

from services.i18n import ELISION_VOWELS, EN, FR
from state.session import SessionState


def _in_locale(french: object, english: object) -> rx.Var:
    return rx.cond(SessionState.locale == "en", english, french)


def t(key: str) -> rx.Var[str]:
    """The catalogue text for ``key`` in the tab's language (an unknown key fails at compile time)."""
    french = FR[key]
    english = EN.get(key) or french
    if english == french:
        return rx.Var.create(french).to(str)
    return _in_locale(french, english).to(str)


def tf(key: str, **params: rx.Var | str) -> rx.Var[str]:
    """A catalogue message with {placeholders} filled from vars."""
    text: rx.Var = t(key)
    for name, value in params.items():
        text = _elided(text, name, value)
        text = text.replace("{" + name + "}", value)  # type: ignore[attr-defined]
    return text.to(str)


def _elided(text: rx.Var, name: str, value: rx.Var | str) -> rx.Var:
    """French elision before a vowel ("de {name}" → "d'Élodie"), the same rule as services.i18n.translate."""
    placeholder = "{" + name + "}"
    value_var = rx.Var.create(value)
    starts_with_vowel = rx.Var(f"/^[{ELISION_VOWELS}]/.test(String({value_var}))", _var_type=bool)
    return rx.cond(
        starts_with_vowel,
        text.replace(" de " + placeholder, " d'" + placeholder).replace(  # type: ignore[attr-defined]
            "De " + placeholder, "D'" + placeholder
        ),
        text,
    )


def _family(prefix: str, catalogue: dict[str, str]) -> dict[str, str]:
    return {key.removeprefix(prefix): text for key, text in catalogue.items() if key.startswith(prefix)}


def label(prefix: str, value: rx.Var) -> rx.Var[str]:
    """A catalogue label for an enum value held in a var (e.g. 'bilanstatus.' + status): only that family
    of keys is compiled into the page."""
    french = _family(prefix, FR)
    english = {**french, **_family(prefix, EN)}
    if not french:
        raise KeyError(f"no catalogue key starts with {prefix!r}")
    return _in_locale(french, english).to(dict)[value.to(str)].to(str)
