"""The row of a bar chart (``components.charts.bar_chart``), one type for every chart of the product."""

from __future__ import annotations

from typing import TypedDict


class ChartRow(TypedDict):
    """One bar: its name, its value on a scale, and the value as the reader sees it.

    ``value``, ``min`` and ``max`` are machine numbers ("." as decimal separator); ``display`` is
    formatted for the locale ("32 / 40 (80 %)").
    """

    label: str
    value: str
    min: str
    max: str
    display: str
