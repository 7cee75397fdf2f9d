"""Buttons that act: on one item of a list (its accessible name says which), a form's save and cancel."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.i18n import t


def item_button(label: str | rx.Var, name: rx.Var, on_click: Any, **props: Any) -> rx.Component:
    """A button acting on one item of a list; ``label``: a catalogue key, or words already translated.

    Its accessible name adds the item's ``name`` ("Retirer : Jardinage"), so that a screen reader's list
    of buttons tells the many "Retirer" apart."""
    words = t(label) if isinstance(label, str) else label
    return rx.button(words, type="button", on_click=on_click, aria_label=words + " : " + name, **props)


def save_and_cancel(save_key: str, cancel_key: str, on_cancel: Any) -> rx.Component:
    """A form's submit button and the button that closes it without saving."""
    return rx.flex(
        rx.button(t(save_key), type="submit", size="3"),
        rx.button(t(cancel_key), type="button", size="3", variant="soft", on_click=on_cancel),
        gap="0.75rem",
        wrap="wrap",
    )
