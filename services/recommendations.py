"""A bilan's recommendations: the consultant runs the local matching engine, keeps target métiers, and
the beneficiary sees the kept ones ("Mes pistes") with their skill gap, paths and training courses.

* ``analyse`` (followers): the engine on the bilan's profile (the assessment's effective ratings,
  the latest RIASEC result, the parcours' jobs), audited as a personal-data read;
* ``keep_target`` / ``drop_target`` (followers), audited on the bilan;
* ``kept_targets`` (the beneficiary or a follower), each with its training suggestions (near her
  commune). Live offers and companies for the targets are in ``services.job_search``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from services.access import Actor, get_scoped
from services.bilans import (
    get_bilan,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_beneficiary,
    require_follower,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import ServiceError
from services.francetravail import is_configured as france_travail_configured
from services.job_search import stored_preferences
from services.matching import RecommendationSet, profile_from_bilan, recommend
from services.matching.market import MarketSignal, market_signal
from services.models import AssessmentStatus, BilanTarget
from services.skills.assessment import find_assessment
from services.training.suggest import Suggestion, suggest_courses

TOP = 10
MARKET_CANDIDATES = 30  # métiers whose offers are counted for the market signal (one request each)
MAX_TARGETS = 5
TRAINING_PER_TARGET = 3


class RecommendationAction(StrEnum):
    ANALYSIS_RUN = "recommendations.analysis_run"
    TARGET_KEPT = "recommendations.target_kept"
    TARGET_DROPPED = "recommendations.target_dropped"


@dataclass(frozen=True)
class Analysis:
    result: RecommendationSet
    assessment_validated: bool  # False: the ratings are the beneficiary's draft
    skills: int
    has_interests: bool
    kept: list[str]  # codes ROME already kept
    market: MarketSignal | None = None  # None: France Travail is not configured


@dataclass(frozen=True)
class KeptTarget:
    id: str
    code_rome: str
    libelle: str
    score: float
    details: dict[str, Any]  # Recommendation.to_dict()
    training: list[Suggestion]


def _kept_rows(session: Any, bilan: Any) -> list[BilanTarget]:
    return list(
        session.exec(
            select(BilanTarget)
            .where(BilanTarget.organisation_id == bilan.organisation_id, BilanTarget.bilan_id == bilan.id)
            .order_by(col(BilanTarget.created_at), col(BilanTarget.code_rome))
        ).all()
    )


def analyse(actor: Actor, bilan_id: uuid.UUID | str, aspirations: str = "", locale: str = "fr") -> Analysis:
    """Run the local engine for a bilan (followers): the ``TOP`` target métiers, explained."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        kept = [row.code_rome for row in _kept_rows(session, bilan)]
        assessment = find_assessment(session, bilan)  # its status only: the profile reads the ratings
        validated = assessment is not None and assessment.status is AssessmentStatus.VALIDATED
        constraints = stored_preferences(session, bilan).profile_constraints()  # her commune: the market's area
    profile = profile_from_bilan(actor, bilan_id, aspirations=aspirations[:2000], validated_only=False, **constraints)
    market = None
    if france_travail_configured():  # rank, ask about the best candidates' offers, rank again
        candidates = recommend(profile, top=MARKET_CANDIDATES, with_paths=False, locale=locale)
        market = market_signal([metier.code_rome for metier in candidates.metiers], profile.commune)
    result = recommend(profile, top=TOP, market=market.values if market else None, locale=locale)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        record_on_bilan(
            session,
            actor,
            bilan,
            RecommendationAction.ANALYSIS_RUN,
            results={"before": None, "after": len(result.metiers)},
        )
    return Analysis(
        result=result,
        assessment_validated=validated,
        skills=len(profile.skills),
        has_interests=bool(profile.riasec),
        kept=kept,
        market=market,
    )


def keep_target(actor: Actor, bilan_id: uuid.UUID | str, recommendation: dict[str, Any]) -> str:
    """Keep a recommended métier (its ``to_dict()`` as computed by ``analyse``) for the bilan."""
    code_rome = str(recommendation.get("code_rome", "")).upper()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        rows = _kept_rows(session, bilan)
        existing = next((row for row in rows if row.code_rome == code_rome), None)
        if existing is not None:
            return str(existing.id)
        if len(rows) >= MAX_TARGETS:
            raise ServiceError("recommendations.error.too_many", max=MAX_TARGETS)
        row = BilanTarget(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            code_rome=code_rome,
            libelle=str(recommendation.get("libelle", ""))[:255],
            score=float(recommendation.get("score", 0.0)),
            details_encrypted=encrypt_text(json.dumps(recommendation, ensure_ascii=False)),
            kept_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        record_on_bilan(
            session, actor, bilan, RecommendationAction.TARGET_KEPT, target={"before": None, "after": code_rome}
        )
        return str(row.id)


def drop_target(actor: Actor, target_id: uuid.UUID | str) -> None:
    with session_scope() as session:
        row = get_scoped(session, BilanTarget, target_id, actor)
        bilan = get_bilan(session, actor, row.bilan_id)
        require_follower(actor, bilan)
        session.delete(row)
        record_on_bilan(
            session, actor, bilan, RecommendationAction.TARGET_DROPPED, target={"before": row.code_rome, "after": None}
        )


def _gap_labels(details: dict[str, Any]) -> list[str]:
    return [
        skill["libelle"]
        for group in details.get("competences_a_acquerir", [])
        for skill in group.get("competences", [])
        if skill.get("libelle")
    ]


def kept_targets(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    *,
    commune: str | None = None,
    with_training: bool = True,
    locale: str = "fr",
) -> list[KeptTarget]:
    """The kept targets of a bilan (the beneficiary or a follower), with training suggestions near
    ``commune`` (INSEE code; by default the one of her job-search preferences)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        log_personal_read(session, actor, bilan, "recommendations")
        if commune is None:
            commune = stored_preferences(session, bilan).commune
        rows = [
            (str(row.id), row.code_rome, row.libelle, row.score, json.loads(decrypt_text(row.details_encrypted)))
            for row in _kept_rows(session, bilan)
        ]
    return [
        KeptTarget(
            id=target_id,
            code_rome=code_rome,
            libelle=libelle,
            score=score,
            details=details,
            training=suggest_courses(
                actor, code_rome, _gap_labels(details), commune=commune, limit=TRAINING_PER_TARGET, locale=locale
            )
            if with_training
            else [],
        )
        for target_id, code_rome, libelle, score, details in rows
    ]
