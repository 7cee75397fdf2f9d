"""Every piece of UI text comes from the catalogue through these helpers."""

from __future__ import annotations

import reflex as rx

from services.i18n import ELISION_VOWELS
from state.session import SessionState


def t(key: str) -> rx.Var[str]:
    return SessionState.messages[key].to(str)


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


def label(prefix: str, value: rx.Var) -> rx.Var[str]:
    """A catalogue label for an enum value held in a var (e.g. 'bilanstatus.' + status)."""
    return SessionState.messages[prefix + value.to(str)].to(str)
