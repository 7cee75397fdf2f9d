"""Charts drawn with plain HTML and CSS: no JavaScript chart library, readable when printed.

``bar_chart`` draws one horizontal bar per row of a state var. Every bar carries its label and its
value as visible text (the bars themselves are decoration, hidden from assistive technologies), the
whole chart is a ``<figure>`` named by its ``<figcaption>``, and a ``<details>`` holds the same data
as a table with a caption and header cells. The styles are the "charts" block of assets/styles.css:
the bars are drawn with borders, which print without "background graphics" and survive forced
colours, and on a narrow screen the value moves above the bar.

The rows, a ``list[ChartRow]`` var (``services.display.charts``)::

    {"label": "Artistique",          # the bar's name (visible text, and the table's row header)
     "value": "32",                  # machine number, "." as decimal separator ("4.25")
     "max": "40",                    # the top of the scale, same unit as value
     "min": "0",                     # the bottom of the scale
     "display": "32 / 40 (80 %)"}    # the value as the reader sees it, formatted for the locale

The bar's length is (value - min) / (max - min) of the track, clamped to [0, 100 %]; max must be
greater than min. For grouped data (e.g. a skills map by domain), call ``bar_chart`` once per group
inside an ``rx.foreach`` over the groups, with the group's name as ``heading``.
"""

from __future__ import annotations

import reflex as rx

from components.i18n import t


def _bar(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(row["label"], class_name="bc-chart-label"),
        rx.el.span(row["display"], class_name="bc-chart-value"),
        rx.el.span(
            rx.el.span(
                class_name="bc-chart-bar",
                style={"--bc-chart-value": row["value"], "--bc-chart-max": row["max"], "--bc-chart-min": row["min"]},
            ),
            class_name="bc-chart-track",
            aria_hidden="true",
        ),
        class_name="bc-chart-row",
    )


def _table_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(rx.el.th(row["label"], scope="row"), rx.el.td(row["display"]))


def bar_chart(
    rows: rx.Var,
    title: rx.Var | str,
    *,
    heading: rx.Var | str | None = None,
    heading_level: int = 4,
    label_header: rx.Var | str | None = None,
    value_header: rx.Var | str | None = None,
    table: bool = True,
) -> rx.Component:
    """A horizontal bar chart of ``rows`` (see the module docstring for their shape).

    ``title`` names the chart (figcaption) and captions its table. ``heading`` is an optional group
    heading (``h{heading_level}``) shown above the bars. ``label_header`` and ``value_header`` are
    the table's column headers ("Élément", "Valeur" by default). ``table=False`` leaves the table
    out, for a page that shows the same figures in a visible table right next to the chart.
    """
    label_th = label_header if label_header is not None else t("chart.col_label")
    value_th = value_header if value_header is not None else t("chart.col_value")
    parts: list[rx.Component] = [rx.el.figcaption(title, class_name="bc-chart-caption")]
    if heading is not None:
        heading_tag = getattr(rx.el, f"h{min(6, max(2, heading_level))}")
        parts.append(heading_tag(heading, class_name="bc-chart-heading"))
    parts.append(rx.el.ul(rx.foreach(rows, _bar), class_name="bc-chart-bars", role="list"))
    if table:
        parts.append(
            rx.el.details(
                rx.el.summary(t("chart.show_table")),
                rx.box(
                    rx.el.table(
                        rx.el.caption(title),
                        rx.el.thead(rx.el.tr(rx.el.th(label_th, scope="col"), rx.el.th(value_th, scope="col"))),
                        rx.el.tbody(rx.foreach(rows, _table_row)),
                        class_name="data-table",
                    ),
                    class_name="table-scroll",
                ),
                class_name="bc-chart-data",
            )
        )
    return rx.el.figure(*parts, class_name="bc-chart")
