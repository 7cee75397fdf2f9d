"""Every piece of UI text comes from the catalogue through these helpers."""

from __future__ import annotations

import reflex as rx

from state.session import SessionState


def t(key: str) -> rx.Var[str]:
    return SessionState.messages[key].to(str)


def tf(key: str, **params: rx.Var | str) -> rx.Var[str]:
    """A catalogue message with {placeholders} filled from vars."""
    text: rx.Var = t(key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)  # type: ignore[attr-defined]
    return text.to(str)


def label(prefix: str, value: rx.Var) -> rx.Var[str]:
    """A catalogue label for an enum value held in a var (e.g. 'bilanstatus.' + status)."""
    return SessionState.messages[prefix + value.to(str)].to(str)
