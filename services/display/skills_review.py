"""Rows of the consultant's validation of the skills self-assessment, and of the skills map (cartographie)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services.display.charts import ChartRow
from services.display.skills import kind_label, long_date, period_label, validated_on
from services.i18n import format_datetime, format_number, translate
from services.models import AssessmentStatus
from services.skills.assessment import AssessmentView, ExperienceView, HistoryRow, SkillView
from services.skills.cartography import ZONES, GroupStat, MapSkill, MatrixCell
from services.skills.scales import CRITERIA, criterion_key, value_key

HISTORY_DATE_FORMAT = "d MMM y HH:mm"


class ReviewStatusRow(TypedDict):
    label: str
    submitted: str
    validated: str


class ReviewExperienceRow(TypedDict):
    title: str
    kind: str
    metier: str
    period: str
    place: str
    description: str


class ReviewSkillRow(TypedDict):
    id: str
    libelle: str
    kind: str
    domaine: str
    core: bool
    complete: bool


class RatingRow(TypedDict):
    label: str
    self: str
    consultant: str
    adjusted: bool


class OptionRow(TypedDict):
    value: str
    label: str


class ReviewHistoryRow(TypedDict):
    date: str
    author: str
    role: str
    skill: str
    change: str
    comment: str


class GroupRow(TypedDict):
    label: str
    count: str
    average: str
    strong: str


class MatrixCellRow(TypedDict):
    zone: str
    zone_label: str


class ZoneRow(TypedDict):
    zone: str
    title: str


class MapSkillRow(TypedDict):
    libelle: str
    domain: str
    category: str
    maitrise: str
    frequence: str
    contexte: str
    appetence: str
    potentiel: str
    zone_label: str
    core: bool


# ---------------------------------------------------------------- the consultant's validation


def value_label(criterion: str, value: str, locale: str) -> str:
    """The label of one value of a criterion's scale ("" reads "—")."""
    return translate(value_key(criterion, value or ""), locale)


def no_status() -> ReviewStatusRow:
    """The status panel before anything is loaded."""
    return {"label": "", "submitted": "", "validated": ""}


def status_row(view: AssessmentView, locale: str) -> ReviewStatusRow:
    """The assessment's status label and its dates, as display strings."""
    return {
        "label": translate(f"skills.status.{view.status.value}", locale),
        "submitted": (
            translate("skills.review.submitted_on", locale, date=long_date(view.submitted_at, locale))
            if view.submitted_at is not None
            else ""
        ),
        "validated": validated_on(view.validated_at, locale) if view.status is AssessmentStatus.VALIDATED else "",
    }


def review_experience_rows(experiences: Iterable[ExperienceView], locale: str) -> list[ReviewExperienceRow]:
    """The parcours as the consultant reads it."""
    return [
        {
            "title": experience.title,
            "kind": translate(f"skills.experience.{experience.kind}", locale),
            "metier": experience.metier,
            "period": period_label(experience.start, experience.end, locale),
            "place": experience.place,
            "description": experience.description,
        }
        for experience in experiences
    ]


def review_skill_rows(selected: Iterable[SkillView], locale: str) -> tuple[list[ReviewSkillRow], list[list[RatingRow]]]:
    """The chosen skills and, at the same index, the five criteria side by side.

    A criterion row holds the self-rating, the consultant's value ("—" where they kept the
    self-rating) and ``adjusted`` (True when the consultant's value is the effective one).
    """
    heads: list[ReviewSkillRow] = []
    ratings: list[list[RatingRow]] = []
    for skill in selected:
        heads.append(
            {
                "id": skill.id,
                "libelle": skill.libelle,
                "kind": kind_label(skill.kind, locale),
                "domaine": skill.domaine,
                "core": skill.core,
                "complete": all(skill.effective.values()),
            }
        )
        ratings.append(
            [
                {
                    "label": translate(criterion_key(criterion), locale),
                    "self": value_label(criterion, skill.self_rating.get(criterion, ""), locale),
                    "consultant": value_label(criterion, skill.consultant_rating.get(criterion, ""), locale),
                    "adjusted": bool(skill.consultant_rating.get(criterion)),
                }
                for criterion in CRITERIA
            ]
        )
    return heads, ratings


def criterion_options(locale: str) -> list[OptionRow]:
    """The five criteria, as the adjustment form's first select."""
    return [{"value": criterion, "label": translate(criterion_key(criterion), locale)} for criterion in CRITERIA]


def value_options(criterion: str, locale: str) -> list[OptionRow]:
    """The consultant's choices for one criterion: "" (back to the self-rating), then the scale."""
    scale = CRITERIA.get(criterion)
    options: list[OptionRow] = [{"value": "", "label": translate("skills.review.keep_self", locale)}]
    if scale is not None:
        options += [{"value": member.value, "label": value_label(criterion, member.value, locale)} for member in scale]
    return options


def consultant_values(selected: Iterable[SkillView]) -> dict[str, dict[str, str]]:
    """skill id → criterion → the consultant's value ("" where they kept the self-rating)."""
    return {
        skill.id: {criterion: skill.consultant_rating.get(criterion, "") for criterion in CRITERIA}
        for skill in selected
    }


def history_change(row: HistoryRow, locale: str) -> str:
    """``"Niveau de maîtrise : Avancé → Expert"``, or the name of a status change."""
    if row.event == "rating":
        return translate(
            "skills.history.rating",
            locale,
            criterion=translate(criterion_key(row.criterion), locale),
            before=value_label(row.criterion, row.before, locale),
            after=value_label(row.criterion, row.after, locale),
        )
    return translate(f"skills.history.{row.event}", locale)


def history_rows(rows: Iterable[HistoryRow], locale: str) -> list[ReviewHistoryRow]:
    """Every change of the assessment, who made it and why."""
    return [
        {
            "date": format_datetime(row.at, locale, HISTORY_DATE_FORMAT),
            "author": row.author,
            "role": translate(f"skills.history.by_{'consultant' if row.by_consultant else 'beneficiary'}", locale),
            "skill": row.skill or "—",
            "change": history_change(row, locale),
            "comment": row.comment,
        }
        for row in rows
    ]


# ---------------------------------------------------------------- the skills map


def _average(value: float, locale: str) -> str:
    return format_number(round(value, 1), locale)


def chart_rows(stats: Iterable[GroupStat], locale: str) -> list[ChartRow]:
    """Bars of components/charts.py: one per group, its length the number of skills."""
    stats = list(stats)
    top = max((stat.count for stat in stats), default=1)
    return [
        {
            "label": stat.label,
            "value": str(stat.count),
            "min": "0",
            "max": str(max(top, 1)),
            "display": translate(
                "skills.map.count_value", locale, count=stat.count, average=_average(stat.average_level, locale)
            ),
        }
        for stat in stats
    ]


def group_rows(stats: Iterable[GroupStat], locale: str) -> list[GroupRow]:
    """The same figures as the chart, for its table alternative."""
    return [
        {
            "label": stat.label,
            "count": str(stat.count),
            "average": translate("skills.map.average_value", locale, average=_average(stat.average_level, locale)),
            "strong": str(stat.strong),
        }
        for stat in stats
    ]


def zone_label(zone: str, locale: str) -> str:
    """ "À valoriser", "À développer" or "À mettre de côté"."""
    return translate(f"skills.map.zone.{zone}", locale)


def matrix_view(
    matrix: list[list[MatrixCell]], locale: str
) -> tuple[list[str], list[str], list[list[MatrixCellRow]], list[list[list[str]]]]:
    """The maîtrise × appétence table: row headers, column headers, cells, and each cell's skills."""
    rows = [value_label("maitrise", row[0].maitrise, locale) for row in matrix if row]
    columns = [value_label("appetence", cell.appetence, locale) for cell in matrix[0]] if matrix else []
    cells: list[list[MatrixCellRow]] = [
        [{"zone": cell.zone, "zone_label": zone_label(cell.zone, locale)} for cell in row] for row in matrix
    ]
    names = [[list(cell.skills) for cell in row] for row in matrix]
    return rows, columns, cells, names


def _map_skill_row(skill: MapSkill, locale: str) -> MapSkillRow:
    return {
        "libelle": skill.libelle,
        "domain": skill.group_domain,
        "category": skill.group_category,
        "maitrise": skill.maitrise,
        "frequence": skill.frequence,
        "contexte": skill.contexte,
        "appetence": skill.appetence,
        "potentiel": skill.potentiel,
        "zone_label": zone_label(skill.zone, locale),
        "core": skill.core,
    }


def zone_view(zones: dict[str, list[MapSkill]], locale: str) -> tuple[list[ZoneRow], list[list[MapSkillRow]]]:
    """The three zones in order (valoriser, développer, mettre de côté) and, at the same index, their skills."""
    heads: list[ZoneRow] = []
    members: list[list[MapSkillRow]] = []
    for zone in ZONES:
        skills_in_zone = zones.get(zone, [])
        label = zone_label(zone, locale)
        heads.append(
            {
                "zone": zone,
                "title": translate("skills.map.zone_count", locale, zone=label, count=len(skills_in_zone)),
            }
        )
        members.append([_map_skill_row(skill, locale) for skill in skills_in_zone])
    return heads, members


def map_skill_rows(skills: Iterable[MapSkill], locale: str) -> list[MapSkillRow]:
    """Every skill of the map, for its table."""
    return [_map_skill_row(skill, locale) for skill in skills]
