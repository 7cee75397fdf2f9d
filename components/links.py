"""Links between the pages of one bilan (the consultant's bilan page and its sub-pages)."""

from __future__ import annotations

import reflex as rx

from components.i18n import t


def bilan_sub_page_link(route: str, bilan_id: rx.Var, icon: str, label_key: str) -> rx.Component:
    """A link to ``route`` (a template holding ``[bilan_id]``) for the bilan in ``bilan_id``."""
    prefix, suffix = route.split("[bilan_id]")
    return rx.link(
        rx.icon(icon, size=16, aria_hidden="true"),
        " ",
        t(label_key),
        href=rx.Var.create(prefix) + bilan_id.to(str) + suffix,
    )
