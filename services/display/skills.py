"""Rows of the beneficiary's skills self-assessment wizard (parcours, skills, rating, review).

Also the dates and periods the consultant's review and the skills map show the same way
(`services.display.skills_review` imports them from here).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypedDict

from services.i18n import format_datetime, translate
from services.models import ExperienceKind
from services.rome.search import SearchHit, SkillHit
from services.skills.assessment import ExperienceView, Proposal, ProposalGroup, SkillView
from services.skills.scales import value_key

DATE_FORMAT = "d MMMM y"


class ExperienceRow(TypedDict):
    id: str
    kind: str
    kind_label: str
    title: str
    metier: str
    code_rome: str
    appellation_code: str
    place: str
    description: str
    start: str
    end: str
    period: str


class ExperienceForm(TypedDict):
    kind: str
    title: str
    place: str
    start: str
    end: str
    description: str
    appellation_code: str
    code_rome: str
    metier: str


class ChosenSkillRow(TypedDict):
    id: str
    code_ogr: str
    libelle: str
    kind_label: str
    added: bool
    rated: bool
    maitrise: str
    maitrise_label: str
    frequence: str
    frequence_label: str
    contexte: str
    contexte_label: str
    appetence: str
    appetence_label: str
    potentiel: str
    potentiel_label: str


# "from" is a Python keyword, hence the functional form.
ProposalGroupRow = TypedDict(
    "ProposalGroupRow",
    {"code_rome": str, "libelle": str, "from": str, "more": str, "has_more": bool},
)


class ProposalRow(TypedDict):
    code_ogr: str
    libelle: str
    kind_label: str
    checked: bool


class JobHitRow(TypedDict):
    label: str
    metier: str
    code_rome: str
    appellation_code: str


class SkillHitRow(TypedDict):
    code_ogr: str
    libelle: str
    kind_label: str


# ---------------------------------------------------------------- dates and labels (shared with the review)


def long_date(value: datetime | None, locale: str) -> str:
    """A day in words ("9 mars 2026"); None gives ""."""
    return format_datetime(value, locale, DATE_FORMAT) if value is not None else ""


def validated_on(value: datetime | None, locale: str) -> str:
    """The sentence "Validée le 9 mars 2026." ("" without a date)."""
    return translate("skills.review.validated_on", locale, date=long_date(value, locale)) if value is not None else ""


def month_label(month: str, locale: str) -> str:
    """``"2015-03"`` → ``"mars 2015"`` ("" stays "")."""
    try:
        year, number = (int(part) for part in month.split("-"))
        value = datetime(year, number, 15, 12, tzinfo=UTC)
    except ValueError:
        return month
    return format_datetime(value, locale, "MMMM y")


def period_label(start: str, end: str, locale: str) -> str:
    """ "depuis mars 2015" or "mars 2015 – novembre 2019" ("" without a start)."""
    if not start:
        return ""
    if not end:
        return translate("skills.period.current", locale, start=month_label(start, locale))
    return translate("skills.period.range", locale, start=month_label(start, locale), end=month_label(end, locale))


def kind_label(kind: str, locale: str) -> str:
    """The name of a skill's kind (savoir-faire, savoir-être, savoir)."""
    return translate(f"skills.kind.{kind}", locale)


# ---------------------------------------------------------------- the wizard


def experience_rows(experiences: Iterable[ExperienceView], locale: str) -> list[ExperienceRow]:
    """The lines of the parcours, with what the edit form needs to refill itself."""
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "kind_label": translate(f"skills.experience.{e.kind}", locale),
            "title": e.title,
            "metier": e.metier,
            "code_rome": e.code_rome,
            "appellation_code": e.appellation_code,
            "place": e.place,
            "description": e.description,
            "start": e.start,
            "end": e.end,
            "period": period_label(e.start, e.end, locale),
        }
        for e in experiences
    ]


def empty_experience_form() -> ExperienceForm:
    """The parcours form with nothing typed yet."""
    return {
        "kind": ExperienceKind.EMPLOI.value,
        "title": "",
        "place": "",
        "start": "",
        "end": "",
        "description": "",
        "appellation_code": "",
        "code_rome": "",
        "metier": "",
    }


def experience_edit_form(row: ExperienceRow) -> ExperienceForm:
    """The parcours form refilled from one of its lines, to edit it."""
    return {
        "kind": row["kind"],
        "title": row["title"],
        "place": row["place"],
        "start": row["start"],
        "end": row["end"],
        "description": row["description"],
        "appellation_code": row["appellation_code"],
        "code_rome": row["code_rome"],
        "metier": row["metier"],
    }


def _rating_label(rating: dict[str, str], criterion: str, locale: str) -> str:
    return translate(value_key(criterion, rating.get(criterion, "")), locale)


def chosen_skill_rows(skills: Iterable[SkillView], locale: str) -> list[ChosenSkillRow]:
    """The chosen skills: their self-rating values (for the selects) and labels (for the review)."""
    return [
        {
            "id": skill.id,
            "code_ogr": skill.code_ogr,
            "libelle": skill.libelle,
            "kind_label": kind_label(skill.kind, locale),
            "added": skill.origin == "ajoute",
            "rated": skill.rated,
            "maitrise": skill.self_rating.get("maitrise", ""),
            "maitrise_label": _rating_label(skill.self_rating, "maitrise", locale),
            "frequence": skill.self_rating.get("frequence", ""),
            "frequence_label": _rating_label(skill.self_rating, "frequence", locale),
            "contexte": skill.self_rating.get("contexte", ""),
            "contexte_label": _rating_label(skill.self_rating, "contexte", locale),
            "appetence": skill.self_rating.get("appetence", ""),
            "appetence_label": _rating_label(skill.self_rating, "appetence", locale),
            "potentiel": skill.self_rating.get("potentiel", ""),
            "potentiel_label": _rating_label(skill.self_rating, "potentiel", locale),
        }
        for skill in skills
        if skill.selected
    ]


def _proposal(proposal: Proposal, locale: str) -> ProposalRow:
    return {
        "code_ogr": proposal.code_ogr,
        "libelle": proposal.libelle,
        "kind_label": kind_label(proposal.kind, locale),
        "checked": proposal.selected,
    }


def proposal_rows(
    groups: Iterable[ProposalGroup], locale: str
) -> tuple[list[ProposalGroupRow], list[list[ProposalRow]], list[list[ProposalRow]]]:
    """One head per métier and, at the same index, its core skills and its other skills."""
    heads: list[ProposalGroupRow] = []
    cores: list[list[ProposalRow]] = []
    others: list[list[ProposalRow]] = []
    for group in groups:
        core = [_proposal(p, locale) for p in group.skills if p.core]
        more = [_proposal(p, locale) for p in group.skills if not p.core]
        heads.append(
            {
                "code_rome": group.code_rome,
                "libelle": group.libelle,
                "from": translate("skills.competences.from", locale, titles=", ".join(group.experiences)),
                "more": translate("skills.competences.more", locale, count=len(more)),
                "has_more": bool(more),
            }
        )
        cores.append(core)
        others.append(more)
    return heads, cores, others


def job_hit_rows(hits: Iterable[SearchHit]) -> list[JobHitRow]:
    """Métiers and appellations found by a search, as options for the parcours form."""
    return [
        {
            "label": hit.appellation or hit.libelle,
            "metier": hit.libelle,
            "code_rome": hit.code_rome,
            "appellation_code": hit.code_ogr_appellation or "",
        }
        for hit in hits
    ]


def skill_hit_rows(hits: Iterable[SkillHit], locale: str, chosen: set[str]) -> list[SkillHitRow]:
    """Skills found by a search, less the ones already chosen (by code OGR)."""
    return [
        {"code_ogr": hit.code_ogr, "libelle": hit.libelle, "kind_label": kind_label(hit.kind, locale)}
        for hit in hits
        if hit.code_ogr not in chosen
    ]
