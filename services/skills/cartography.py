"""The cartographie des compétences: the chosen skills by domain and by category, and the
maîtrise × appétence matrix that sorts them into skills to highlight, to develop and to leave aside.

It is drawn from the effective ratings (the consultant's where they adjusted one). The beneficiary sees
it once the consultant has validated the assessment; a follower sees it at any time, marked as not yet
validated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from services.access import Actor
from services.bilans import get_bilan, is_follower, log_personal_read, require_beneficiary
from services.db import session_scope
from services.i18n import translate
from services.models import Appetence, AssessmentStatus, Maitrise, Potentiel
from services.skills.assessment import SkillView, assessment_skills, find_assessment, skill_view
from services.skills.scales import MAITRISE_LEVEL, value_key

ZONE_HIGHLIGHT = "valoriser"
ZONE_DEVELOP = "developper"
ZONE_ASIDE = "mettre_de_cote"
ZONES = (ZONE_HIGHLIGHT, ZONE_DEVELOP, ZONE_ASIDE)
_STRONG = {Maitrise.AVANCE.value, Maitrise.EXPERT.value}


def zone_of(maitrise: str, appetence: str, potentiel: str) -> str:
    """Where a skill goes in the matrix.

    Disliked skills are left aside; mastered ones (avancé, expert) are highlighted; the others are to
    develop, unless the beneficiary is indifferent to them and sees little room to grow.
    """
    if appetence == Appetence.NAIME_PAS.value:
        return ZONE_ASIDE
    if maitrise in _STRONG:
        return ZONE_HIGHLIGHT
    if appetence == Appetence.NEUTRE.value and potentiel == Potentiel.FAIBLE.value:
        return ZONE_ASIDE
    return ZONE_DEVELOP


@dataclass(frozen=True)
class MapSkill:
    libelle: str
    group_domain: str
    group_category: str
    maitrise: str  # the translated labels
    appetence: str
    frequence: str
    contexte: str
    potentiel: str
    level: int  # maîtrise 1 (débutant) to 4 (expert)
    zone: str
    core: bool


@dataclass(frozen=True)
class GroupStat:
    label: str
    count: int
    average_level: float  # mean maîtrise, 1 to 4
    strong: int  # how many at avancé or expert


@dataclass(frozen=True)
class MatrixCell:
    maitrise: str  # value
    appetence: str  # value
    zone: str
    skills: list[str]


@dataclass(frozen=True)
class SkillsMap:
    validated: bool
    validated_at: datetime | None
    skills: list[MapSkill]
    by_domain: list[GroupStat]
    by_category: list[GroupStat]
    matrix: list[list[MatrixCell]]  # rows: expert down to débutant; columns: aime, neutre, n'aime pas
    zones: dict[str, list[MapSkill]]


def _category_label(skill: SkillView, locale: str) -> str:
    kind = translate(f"skills.kind.{skill.kind}", locale)
    return f"{kind} · {skill.categorie}" if skill.categorie else kind


def _stats(skills: list[MapSkill], key: str) -> list[GroupStat]:
    groups: dict[str, list[MapSkill]] = {}
    for skill in skills:
        groups.setdefault(getattr(skill, key), []).append(skill)
    stats = [
        GroupStat(
            label=label,
            count=len(members),
            average_level=round(sum(member.level for member in members) / len(members), 1),
            strong=sum(1 for member in members if member.level >= MAITRISE_LEVEL[Maitrise.AVANCE.value]),
        )
        for label, members in groups.items()
    ]
    return sorted(stats, key=lambda stat: (-stat.count, -stat.average_level, stat.label))


def _map(views: list[SkillView], locale: str) -> tuple[list[MapSkill], list[list[MatrixCell]]]:
    skills = []
    for view in views:
        rating = view.effective
        skills.append(
            MapSkill(
                libelle=view.libelle,
                group_domain=view.domaine or translate("skills.map.other_domain", locale),
                group_category=_category_label(view, locale),
                **{criterion: translate(value_key(criterion, rating[criterion]), locale) for criterion in rating},
                level=MAITRISE_LEVEL[rating["maitrise"]],
                zone=zone_of(rating["maitrise"], rating["appetence"], rating["potentiel"]),
                core=view.core,
            )
        )
    matrix = []
    for maitrise in reversed(Maitrise):
        row = []
        for appetence in Appetence:
            names = [
                view.libelle
                for view in views
                if view.effective["maitrise"] == maitrise.value and view.effective["appetence"] == appetence.value
            ]
            # A cell's zone ignores potentiel: the neutre/low cells hold both kinds; say "to develop".
            row.append(MatrixCell(maitrise.value, appetence.value, zone_of(maitrise, appetence, ""), names))
        matrix.append(row)
    return skills, matrix


def skills_map(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> SkillsMap | None:
    """The map of the bilan's chosen, fully rated skills; None for the beneficiary until it is validated."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        follower = is_follower(actor, bilan)
        if not follower:
            require_beneficiary(actor, bilan)
        assessment = find_assessment(session, bilan)
        validated = assessment is not None and assessment.status is AssessmentStatus.VALIDATED
        if not validated and not follower:
            return None
        log_personal_read(session, actor, bilan, "skills_map")
        views = [skill_view(skill) for skill in assessment_skills(session, assessment) if skill.selected]
        complete = [view for view in views if all(view.effective.values())]
        skills, matrix = _map(complete, locale)
        return SkillsMap(
            validated=validated,
            validated_at=assessment.validated_at if assessment is not None else None,
            skills=skills,
            by_domain=_stats(skills, "group_domain"),
            by_category=_stats(skills, "group_category"),
            matrix=matrix,
            zones={zone: [skill for skill in skills if skill.zone == zone] for zone in ZONES},
        )
