"""Job offers as the offers page and "Mes pistes" show them: links opening in a new tab, a kept offer."""

from __future__ import annotations

import reflex as rx

from components.i18n import t


def external_link(label_key: str, row: rx.Var) -> rx.Component:
    """``row["url"]`` in a new tab; ``row["link_label"]`` (the visible text, what it names, "new tab")
    is its accessible name."""
    return rx.link(
        t(label_key),
        rx.el.span(" ↗", aria_hidden="true"),
        href=row["url"],
        target="_blank",
        rel="noopener noreferrer",
        aria_label=row["link_label"],
    )


def offer_link(row: rx.Var) -> rx.Component:
    return external_link("jobs.offer.link", row)


def saved_offer(row: rx.Var, *actions: rx.Component) -> rx.Component:
    """One kept offer (a row of ``services.display.job_search.saved_rows``), with the caller's buttons."""
    return rx.el.li(
        rx.el.strong(row["title"]),
        rx.cond(row["meta"] != "", rx.text(row["meta"], size="2")),
        rx.cond(row["target"] != "", rx.text(row["target"], size="2")),
        rx.text(row["saved_on"], size="2", class_name="muted"),
        rx.flex(rx.cond(row["url"] != "", offer_link(row)), *actions, gap="1rem", align="center", wrap="wrap"),
    )
