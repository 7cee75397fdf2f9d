"""Training courses for a target métier and its skill gap, from the organisation's catalogue and the
public CPF catalogue.

A course is scored on what it prepares for (the target's code ROME, listed on the organisation's own
courses; the métier's Formacodes when known, e.g. from the France Travail fiche), on the words it shares
with the métier and the skills to acquire, and on whether it is certifying. Courses in another
département that have no distance sessions are left out when the beneficiary's département is known;
local and distance courses are preferred. Every suggestion says why in plain French.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import col, select

from services.access import Actor, tenant_filter
from services.db import session_scope
from services.i18n import translate
from services.models import RomeMetier, TrainingCourse, TrainingMode, TrainingSource
from services.rome.search import STOPWORDS, normalise
from services.training.catalogue import CourseView, course_view

MIN_RELEVANCE = 0.3
CANDIDATES = 600
MIN_WORD = 4


@dataclass(frozen=True)
class Suggestion:
    course: CourseView
    score: float
    reasons: list[str]


def _words(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for word in normalise(text).split():
            if len(word) >= MIN_WORD and word not in STOPWORDS:
                seen.setdefault(word, None)
    return list(seen)


def departement_of(commune: str) -> str:
    """The département of an INSEE commune code ("69123" → "69", "97411" → "974", "2A004" → "2A")."""
    commune = commune.strip().upper()
    if len(commune) != 5:
        return ""
    return commune[:3] if commune.startswith("97") else commune[:2]


def _score(
    course: TrainingCourse,
    code_rome: str,
    metier_words: list[str],
    gap_skills: list[list[str]],
    formacodes: set[str],
    departement: str,
    locale: str,
) -> tuple[float, list[str]]:
    reasons: list[str] = []
    relevance = 0.0
    if code_rome and code_rome in course.rome_codes.split():
        relevance += 1.0
        reasons.append(translate("training.reason.rome", locale))
    shared_codes = formacodes & set(course.formacodes.split())
    if shared_codes:
        relevance += 0.8
        reasons.append(translate("training.reason.formacode", locale, codes=", ".join(sorted(shared_codes))))
    course_words = set(course.search_text.split())
    metier_hits = [word for word in metier_words if word in course_words]
    if metier_hits:
        relevance += 0.5 * len(metier_hits) / len(metier_words)
    # Each skill to acquire counts by the share of its words the course covers (half at least).
    covered = [sum(word in course_words for word in words) / len(words) for words in gap_skills if words]
    relevance += 0.5 * min(1.0, sum(share for share in covered if share >= 0.5))
    gap_hits = [word for words in gap_skills for word in words if word in course_words]
    if metier_hits or gap_hits:
        reasons.append(
            translate("training.reason.words", locale, words=", ".join(list(dict.fromkeys(metier_hits + gap_hits))[:5]))
        )
    if relevance < MIN_RELEVANCE:
        return 0.0, []
    score = relevance
    if course.certification_code or course.certification:
        score += 0.1
        reasons.append(translate("training.reason.certifying", locale, code=course.certification_code or "—"))
    if departement and course.departement == departement:
        score += 0.2
        reasons.append(translate("training.reason.local", locale, departement=departement))
    elif course.mode is not TrainingMode.PRESENTIEL:
        score += 0.15
        reasons.append(translate("training.reason.distance", locale))
    if course.source is TrainingSource.ORGANISATION:
        score += 0.05
        reasons.append(translate("training.reason.own", locale))
    return round(score, 3), reasons


def suggest_courses(
    actor: Actor,
    code_rome: str,
    gap: Iterable[str] = (),
    *,
    commune: str = "",
    distance_only: bool = False,
    formacodes: Iterable[str] = (),
    limit: int = 5,
    locale: str = "fr",
) -> list[Suggestion]:
    """The best courses for the target métier ``code_rome`` and the skills to acquire (their labels).

    Reads the actor's organisation's catalogue (and the public one): any member of an organisation.
    """
    own = tenant_filter(TrainingCourse, actor)
    formacodes = list(formacodes)
    departement = departement_of(commune)
    with session_scope() as session:
        metier = session.get(RomeMetier, code_rome.upper()) if code_rome else None
        metier_words = _words([metier.libelle]) if metier is not None else []
        gap_skills = [_words([label]) for label in gap]
        words = list(dict.fromkeys(metier_words + [word for words in gap_skills for word in words]))
        if not words and not formacodes and not code_rome:
            return []
        place = or_(
            col(TrainingCourse.mode) != TrainingMode.PRESENTIEL,
            col(TrainingCourse.departement) == "",
            col(TrainingCourse.departement) == departement,
        )
        if distance_only:
            place = col(TrainingCourse.mode) != TrainingMode.PRESENTIEL
        text = [col(TrainingCourse.search_text).contains(word) for word in words]
        text += [col(TrainingCourse.formacodes).contains(code) for code in formacodes]
        if code_rome:
            text.append(col(TrainingCourse.rome_codes).contains(code_rome.upper()))
        query = (
            select(TrainingCourse)
            .where(
                col(TrainingCourse.active),
                or_(own, col(TrainingCourse.source) == TrainingSource.CPF),
                or_(*text),
            )
            .limit(CANDIDATES)
        )
        if departement or distance_only:
            query = query.where(place)
        scored = []
        for course in session.exec(query).all():
            score, reasons = _score(
                course, code_rome.upper(), metier_words, gap_skills, set(formacodes), departement, locale
            )
            if score > 0:
                scored.append(Suggestion(course_view(course), score, reasons))
    scored.sort(key=lambda suggestion: (-suggestion.score, suggestion.course.title, suggestion.course.id))
    return scored[:limit]
