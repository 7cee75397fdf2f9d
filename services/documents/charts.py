"""Charts for the PDF documents, drawn as SVG in Python (no JavaScript, nothing fetched).

Each chart is a ``Chart``: the SVG, with a ``<title>`` (WeasyPrint turns it into the PDF/UA
alternative text of the figure) and ``role="img"``/``aria-label``, plus the same figures as table
rows, which the templates print under the chart (``_chart.html``). Every value is also written next
to its bar or axis, so no information is carried by the drawing alone.

Sizes are in CSS pixels (0.75 pt); the templates scale the SVG to the text width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from services.i18n import format_number

FONT = 'font-family="BilanSans, sans-serif"'
TEXT = "#111111"
MUTED = "#4b5563"
GRID = "#d1d5db"
TRACK = "#eef0f3"
WIDTH = 640
LABEL_MAX_CHARS = 95
RIASEC = "RIASEC"  # Holland's hexagon, clockwise from the top


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    maximum: float
    display: str  # the value as written at the bar's end ("3,2 / 4")
    note: str = ""  # more about the row, written after its label ("5 compétences")


@dataclass(frozen=True)
class Chart:
    title: str  # the figure's caption, and the table's
    description: str  # the alternative text: what the chart shows, with every value
    svg: Markup
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # (label, values as written…), one per header


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _svg(width: int, height: int, description: str, body: Iterable[str]) -> Markup:
    label = escape(description)
    return Markup(  # noqa: S704 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="chart">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, *, size: int = 11, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" fill="{TEXT}" '
        f'text-anchor="{anchor}"{weight}>{escape(content)}</text>'
    )


def _ratio(value: float, maximum: float) -> float:
    return 0.0 if maximum <= 0 else min(1.0, max(0.0, value / maximum))


def bar_chart(bars: Sequence[Bar], *, title: str, headers: tuple[str, ...], colour: str) -> Chart:
    """One horizontal bar per row: its label (and note) above, the bar, its value at the bar's end.

    ``headers`` name the table's columns: the label, the value and, when there are notes, the note.
    """
    row_height, bar_height, value_room = 36, 11, 80
    track = WIDTH - value_room
    body: list[str] = []
    for index, bar in enumerate(bars):
        top = index * row_height
        length = track * _ratio(bar.value, bar.maximum)
        label = _short(f"{bar.label} · {bar.note}" if bar.note else bar.label)
        body += [
            _text(0, top + 12, label),
            f'<rect x="0" y="{top + 17}" width="{track}" height="{bar_height}" fill="{TRACK}"/>',
            f'<rect x="0" y="{top + 17}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>',
            _text(track + 8, top + 26, bar.display, size=10, bold=True),
        ]
    described = (f"{bar.label}, {bar.display}" + (f" ({bar.note})" if bar.note else "") for bar in bars)
    description = f"{title} : " + " ; ".join(described) + "."
    with_notes = any(bar.note for bar in bars)
    return Chart(
        title=title,
        description=description,
        svg=_svg(WIDTH, max(row_height, row_height * len(bars)), description, body),
        headers=headers,
        rows=tuple((bar.label, bar.display, bar.note) if with_notes else (bar.label, bar.display) for bar in bars),
    )


def _point(cx: float, cy: float, radius: float, index: int) -> tuple[float, float]:
    angle = math.radians(-90 + 60 * index)
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(points: Iterable[tuple[float, float]], attributes: str) -> str:
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polygon points="{coordinates}" {attributes}/>'


def hexagon_chart(
    scores: dict[str, float], labels: dict[str, str], *, title: str, holland_code: str, colour: str
) -> Chart:
    """Holland's RIASEC hexagon: the six scores (0 to 100) on six axes, each labelled with its value.

    ``scores`` and ``labels`` are keyed by letter (R, I, A, S, E, C); a missing score counts as 0.
    """
    width, height, radius = WIDTH, 330, 112
    cx, cy = width / 2, height / 2 + 4
    values = [max(0.0, min(100.0, scores.get(letter, 0.0))) for letter in RIASEC]
    body = [
        _polygon((_point(cx, cy, radius * ring / 4, i) for i in range(6)), f'fill="none" stroke="{GRID}"')
        for ring in (1, 2, 3, 4)
    ]
    for i in range(6):
        x, y = _point(cx, cy, radius, i)
        body.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
    profile = [_point(cx, cy, radius * value / 100, i) for i, value in enumerate(values)]
    body.append(_polygon(profile, f'fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="2"'))
    body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in profile]
    for i, (letter, value) in enumerate(zip(RIASEC, values, strict=True)):
        x, y = _point(cx, cy, radius + 22, i)
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        top = y - 8 if i == 0 else (y + 4 if i == 3 else y - 2)
        name = f"{labels.get(letter, letter)} ({letter})"
        body += [
            _text(x, top, name, anchor=anchor, bold=letter in holland_code),
            _text(x, top + 13, _score(value), anchor=anchor, size=10),
        ]
    code = f", code Holland {holland_code}" if holland_code else ""
    parts = [f"{labels.get(letter, letter)} {_score(value)}" for letter, value in zip(RIASEC, values, strict=True)]
    description = f"{title}{code} : " + " ; ".join(parts) + "."
    return Chart(
        title=title,
        description=description,
        svg=_svg(width, height, description, body),
        headers=("Type d'intérêt", "Score"),
        rows=tuple(
            (f"{labels.get(letter, letter)} ({letter})", _score(value))
            for letter, value in sorted(zip(RIASEC, values, strict=True), key=lambda item: -item[1])
        ),
    )


def _score(value: float) -> str:
    return f"{format_number(round(value))} / 100"
