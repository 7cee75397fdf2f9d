"""The document de synthèse as a PDF: branded cover, table of contents, sections, skills and interest charts.

The input is a plain ``SynthesePdfInput`` (the synthèse's content model maps onto it): nothing here
reads the database or the clock, so the same input and ``created`` give the same bytes.

Charts go at the end of the section whose key is ``skills_section`` (the skills map by domain) and
``interests_section`` (the RIASEC hexagon); when no section has that key, they go into an appendix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from markupsafe import Markup

from services.documents.charts import Bar, Chart, bar_chart, hexagon_chart
from services.documents.common import (
    CONFIDENTIAL,
    FOOTER_CONFIDENTIAL,
    Branding,
    brand_context,
    format_hours,
    render_document,
)
from services.i18n import format_date, format_number
from services.markdown import render_markdown
from services.pdf.typography import french_typography

SECTION_TOP_LEVEL = 3  # a section is an h2 in the template: its text's headings start at h3
LEVEL_MAX = 4  # maîtrise: 1 débutant to 4 expert


class SyntheseSection(NamedTuple):
    key: str  # stable identifier ("circonstances", "competences"…): the anchor and the chart placement
    title: str
    markdown: str


class SectionLike(Protocol):
    """A section as ``services.synthese.PdfSection`` gives it (a ``SyntheseSection`` is one too)."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def markdown(self) -> str: ...


class SkillGroupLike(Protocol):
    """A domain of the skills map, as ``services.skills.cartography.GroupStat`` gives it."""

    @property
    def label(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def average_level(self) -> float: ...
    @property
    def strong(self) -> int: ...


@dataclass(frozen=True)
class SkillGroup:
    """One domain of the skills map (``services.skills.cartography.GroupStat`` has the same fields)."""

    label: str
    count: int
    average_level: float  # mean maîtrise, 1 to 4
    strong: int = 0  # skills at avancé or expert


@dataclass(frozen=True)
class InterestScore:
    key: str  # R, I, A, S, E or C
    label: str  # "Social"
    score: float  # normalised, 0 to 100


@dataclass(frozen=True)
class SynthesePdfInput:
    organisation: Branding
    beneficiary_name: str
    consultant_name: str
    started_on: date | None
    ended_on: date | None
    minutes_completed: int
    minutes_planned: int
    version: int
    validated_at: datetime | None  # None: a working version, marked as such on every page
    sections: Sequence[SectionLike | tuple[str, str, str]]  # (key, title, markdown)
    skill_groups: Sequence[SkillGroupLike] = ()
    interests: Sequence[InterestScore] = ()
    holland_code: str = ""
    interests_source: str = ""  # the inventory the scores come from
    # The keys of services.synthese.content.SECTIONS that the charts follow.
    skills_section: str = "competences"
    interests_section: str = "interets"


def _anchor(key: str, taken: set[str]) -> str:
    base = "section-" + (re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "x")
    anchor, suffix = base, 2
    while anchor in taken:
        anchor, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(anchor)
    return anchor


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _skills_chart(data: SynthesePdfInput, colour: str) -> Chart | None:
    if not data.skill_groups:
        return None
    bars = [
        Bar(
            label=group.label,
            value=group.average_level,
            maximum=LEVEL_MAX,
            display=f"{format_number(group.average_level)} / {LEVEL_MAX}",
            note=_plural(group.count, "compétence")
            + (f", dont {_plural(group.strong, 'maîtrisée')}" if group.strong else ""),
        )
        for group in data.skill_groups
    ]
    return bar_chart(
        bars,
        title="Cartographie des compétences : niveau de maîtrise moyen par domaine (1 débutant à 4 expert)",
        headers=("Domaine", "Niveau moyen", "Compétences"),
        colour=colour,
    )


def _interests_chart(data: SynthesePdfInput, colour: str) -> Chart | None:
    if not data.interests:
        return None
    source = f" ({data.interests_source})" if data.interests_source else ""
    return hexagon_chart(
        {score.key: score.score for score in data.interests},
        {score.key: score.label for score in data.interests},
        title=f"Profil d'intérêts professionnels RIASEC{source}, scores sur 100",
        holland_code=data.holland_code,
        colour=colour,
    )


def _chart_context(chart: Chart) -> dict[str, Any]:
    return {
        "title": french_typography(chart.title),
        "svg": chart.svg,
        "headers": chart.headers,
        "rows": [tuple(french_typography(cell) for cell in row) for row in chart.rows],
    }


def synthese_context(data: SynthesePdfInput) -> dict[str, Any]:
    """The template's context (exposed for the tests and the benchmark)."""
    brand = brand_context(data.organisation)
    charts = {
        data.skills_section: _skills_chart(data, brand["colour"]),
        data.interests_section: _interests_chart(data, brand["colour"]),
    }
    taken: set[str] = set()
    sections: list[dict[str, Any]] = []
    for section in data.sections:
        key, title, text = section if isinstance(section, tuple) else (section.key, section.title, section.markdown)
        chart = charts.pop(key, None)
        sections.append(
            {
                "anchor": _anchor(key, taken),
                "title": title,
                "html": Markup(render_markdown(text, top_level=SECTION_TOP_LEVEL, french=True)),  # noqa: S704 - escaped by the parser
                "charts": [_chart_context(chart)] if chart else [],
            }
        )
    leftover = [_chart_context(chart) for chart in charts.values() if chart is not None]
    if leftover:
        sections.append(
            {
                "anchor": _anchor("annexe", taken),
                "title": "Annexe : cartographie des compétences et profil d'intérêts",
                "html": "",
                "charts": leftover,
            }
        )
    period = ""
    if data.started_on and data.ended_on:
        period = f"du {format_date(data.started_on)} au {format_date(data.ended_on)}"
    elif data.started_on:
        period = f"depuis le {format_date(data.started_on)}"
    return {
        "title": f"Document de synthèse – bilan de compétences de {data.beneficiary_name}",
        "brand": brand,
        "beneficiary": data.beneficiary_name,
        "consultant": data.consultant_name,
        "period": period,
        "hours_completed": format_hours(data.minutes_completed),
        "hours_planned": format_hours(data.minutes_planned),
        "version": data.version,
        "validated_on": format_date(data.validated_at),
        "holland_code": data.holland_code,
        "sections": sections,
        "confidential": CONFIDENTIAL,
        "footer_confidential": FOOTER_CONFIDENTIAL,
    }


def render_synthese_pdf(data: SynthesePdfInput, *, created: datetime) -> bytes:
    """The synthèse as a tagged A4 PDF; the same ``data`` and ``created`` give the same bytes."""
    return render_document("synthese.html", synthese_context(data), created=created)
