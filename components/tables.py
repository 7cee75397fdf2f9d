"""Accessible data tables: a caption, column headers, an empty state, and stacked rows on a phone.

On a narrow screen (assets/styles.css, ``.data-table-stack``) each row becomes a card and each cell
shows its column's name before the value (``data-label``), so no action ends up off-screen and
nothing scrolls sideways. The cells get their label here, from the header keys, in column order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.components.el.elements.tables import Td, Th

from components.i18n import t


def empty_state(text: rx.Var | str, icon: str = "inbox") -> rx.Component:
    """What a list says when it has nothing to show (a status, so it is read out when it appears)."""
    return rx.box(
        rx.icon(icon, size=22, aria_hidden="true", class_name="empty-state-icon"),
        rx.text(text),
        class_name="empty-state",
        role="status",
    )


def row_action(text: rx.Var | str, on_click: Any, *, danger: bool = False, **props: Any) -> rx.Component:
    """An action on one row of a table or list: a small soft button, red when it takes something away."""
    if danger:
        props["color_scheme"] = "red"
    return rx.button(text, size="1", variant="soft", type="button", on_click=on_click, **props)


def _call(render_row: Callable[..., rx.Component], row: rx.Var, index: rx.Var) -> rx.Component:
    """``render_row(row)`` or ``render_row(row, index)``, as rx.foreach would call it."""
    return render_row(row, index) if len(inspect.signature(render_row).parameters) > 1 else render_row(row)


def _label_cells(row: rx.Component, labels: list[rx.Var]) -> rx.Component:
    """Give each direct ``<td>`` of a row its column's name (shown before the value on a phone); a row
    header ``<th>`` takes its column too, so the cells after it get their own names."""
    cells = [child for child in row.children if isinstance(child, Td | Th)]
    for cell, text in zip(cells, labels, strict=False):
        if isinstance(cell, Td):
            cell.custom_attrs.setdefault("data-label", text)
    return row


def data_table(
    caption_key: str,
    header_keys: list[str],
    rows: rx.Var,
    render_row: Callable[..., rx.Component],
    *,
    empty_key: str | None = None,
    stack: bool = True,
    class_name: str = "",
) -> rx.Component:
    """A table of ``rows``; ``empty_key``: the empty state's words when there is no row.

    ``stack=False`` keeps the table shape on a phone, scrolling sideways (for grids meant to be compared).
    """
    labels = [t(key) for key in header_keys]
    table = rx.box(
        rx.el.table(
            rx.el.caption(t(caption_key), class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(text, scope="col") for text in labels])),
            rx.el.tbody(rx.foreach(rows, lambda row, index: _label_cells(_call(render_row, row, index), labels))),
            class_name=f"data-table {'data-table-stack' if stack else ''} {class_name}".strip(),
        ),
        class_name="table-scroll",
        tab_index=0,
        role="region",
        aria_label=t(caption_key),
    )
    if empty_key is None:
        return table
    return rx.cond(rows.length() > 0, table, empty_state(t(empty_key)))
