"""Lists and tables a page lays out itself: its items or what it says when there are none, the scrolling
region of a wide table, a row of plain texts (components.tables.data_table for a whole standard table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

# A list whose items carry their own layout: no bullets, no indent, a little space above.
PLAIN_LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.5rem 0 0"}


def list_or_empty(
    rows: rx.Var,
    render: Callable[..., rx.Component],
    empty: rx.Component,
    *,
    tag: Callable[..., rx.Component] = rx.el.ul,
    **props: Any,
) -> rx.Component:
    """``rows`` rendered in ``tag`` (``rx.el.ol`` when their order means something, ``rx.box`` for a run of
    articles), or ``empty`` when there are none; ``props`` go to ``tag``."""
    return rx.cond(rows.length() > 0, tag(rx.foreach(rows, render), **props), empty)


def table_region(caption: rx.Var | str, table: rx.Component, class_name: str = "table-scroll") -> rx.Component:
    """A table too wide for a phone, in a box that scrolls sideways: focusable (the keyboard scrolls it)
    and named by the table's caption."""
    return rx.box(table, class_name=class_name, tab_index=0, role="region", aria_label=caption)


def text_row(row: rx.Var, header: str, *cells: str) -> rx.Component:
    """A table row of plain texts: ``row[header]`` heads the row, then one cell per key of ``cells``."""
    return rx.el.tr(rx.el.th(row[header], scope="row"), *[rx.el.td(row[key]) for key in cells])
