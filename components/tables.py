"""Accessible data tables: a caption, column headers, and a horizontal scroll on small screens."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from components.i18n import t


def data_table(
    caption_key: str,
    header_keys: list[str],
    rows: rx.Var,
    render_row: Callable[[rx.Var], rx.Component],
) -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.caption(t(caption_key), class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key in header_keys])),
            rx.el.tbody(rx.foreach(rows, render_row)),
            class_name="data-table",
        ),
        class_name="table-scroll",
        tab_index=0,
        role="region",
        aria_label=t(caption_key),
    )
