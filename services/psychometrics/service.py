"""Taking psychometric tests during a bilan, and reading their results.

Who may do what, in one screen:

* the catalogue (``list_instruments``) is public information;
* only the bilan's beneficiary takes a test: ``start_or_resume``, ``save_answers``, ``complete``;
* ``results_for_bilan``: the beneficiary sees the plain-language interpretation of their results;
  a follower (the assigned consultant, or an org admin) also sees the raw and normalised scores;
* ``interest_profile`` (for the matching engine): the beneficiary or a follower;
* ``follower_overview`` (the consultant's "Tests et questionnaires" page): followers only, every
  result with its raw scores and scale, and the tests in progress (answer counts, never the answers).

Every query goes through ``services.bilans.get_bilan`` (the bilan visibility rules), so another
organisation's bilan, or one the actor may not see, answers NotFound. Answers are Fernet-encrypted;
a result is computed with the instrument version the session was taken with.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from services.access import Actor, get_scoped
from services.bilans import (
    get_bilan,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_beneficiary,
    require_follower,
    require_open,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError, ServiceError
from services.i18n import translate
from services.models import Bilan, PsychometricResult, PsychometricSession, PsychometricStatus, User
from services.models.base import utcnow
from services.psychometrics.catalog import Instrument, current_instruments, get_instrument, raw_range
from services.psychometrics.scoring import Scores, clean_answers, missing_items, score

DISCLAIMER_KEY = "psy.disclaimer"
INTERESTS_ID = "interests_riasec"


class PsyAction(StrEnum):
    """Audit actions of the psychometrics domain (target: the bilan, so they join its history)."""

    STARTED = "psy.session_started"
    COMPLETED = "psy.session_completed"


# ---------------------------------------------------------------- the public catalogue


@dataclass(frozen=True)
class ScaleChoice:
    value: int
    label: str


@dataclass(frozen=True)
class InstrumentInfo:
    id: str
    version: str
    kind: str
    title: str
    instructions: str
    source: str
    licence: str
    item_count: int
    dimensions: list[str]  # labels, in order
    scale: list[ScaleChoice]


def _info(instrument: Instrument, locale: str) -> InstrumentInfo:
    return InstrumentInfo(
        id=instrument.id,
        version=instrument.version,
        kind=instrument.kind,
        title=instrument.title.get(locale),
        instructions=instrument.instructions.get(locale),
        source=instrument.source.get(locale),
        licence=instrument.licence.get(locale),
        item_count=len(instrument.items),
        dimensions=[d.label.get(locale) for d in instrument.dimensions],
        scale=[ScaleChoice(label.value, label.text.get(locale)) for label in instrument.scale.labels],
    )


def list_instruments(locale: str = "fr") -> list[InstrumentInfo]:
    """The instruments on offer (latest versions), with their source and licence notices."""
    return [_info(instrument, locale) for instrument in current_instruments()]


# ---------------------------------------------------------------- taking a test


@dataclass(frozen=True)
class QuestionView:
    item_id: str
    text: str
    answer: int | None


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    bilan_id: uuid.UUID
    instrument: InstrumentInfo  # of the session's version
    status: PsychometricStatus
    questions: list[QuestionView]  # in the instrument's order, with the saved answers
    answered: int
    total: int
    started_at: datetime
    completed_at: datetime | None

    @property
    def answers(self) -> dict[str, int]:
        return {q.item_id: q.answer for q in self.questions if q.answer is not None}


def _answers(row: PsychometricSession) -> dict[str, int]:
    return json.loads(decrypt_text(row.answers_encrypted)) if row.answers_encrypted else {}


def _view(row: PsychometricSession, locale: str) -> SessionView:
    instrument = get_instrument(row.instrument_id, row.instrument_version)
    answers = _answers(row)
    questions = [QuestionView(item.id, item.text.get(locale), answers.get(item.id)) for item in instrument.items]
    return SessionView(
        id=row.id,
        bilan_id=row.bilan_id,
        instrument=_info(instrument, locale),
        status=PsychometricStatus(row.status),
        questions=questions,
        answered=sum(1 for q in questions if q.answer is not None),
        total=len(questions),
        started_at=row.started_at,
        completed_at=row.completed_at,
    )


def _own_session(session: Session, actor: Actor, session_id: uuid.UUID | str) -> tuple[PsychometricSession, Bilan]:
    """A session of the actor's organisation, on a bilan they see and are the beneficiary of."""
    row = get_scoped(session, PsychometricSession, session_id, actor)
    bilan = get_bilan(session, actor, row.bilan_id)
    require_beneficiary(actor, bilan)
    return row, bilan


def _test_in_progress(
    session: Session, actor: Actor, session_id: uuid.UUID | str
) -> tuple[PsychometricSession, Bilan, Instrument]:
    """The actor's own test, still open to answers, on an open bilan, with its instrument's version."""
    row, bilan = _own_session(session, actor, session_id)
    require_open(bilan)
    if row.status != PsychometricStatus.IN_PROGRESS:
        raise ServiceError("psy.error.session_completed")
    return row, bilan, get_instrument(row.instrument_id, row.instrument_version)


def start_or_resume(actor: Actor, bilan_id: uuid.UUID | str, instrument_id: str, locale: str = "fr") -> SessionView:
    """The beneficiary opens a test: their in-progress session of it, or a new one (latest version)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        instrument = get_instrument(instrument_id)  # NotFound for an unknown instrument
        row = session.exec(
            select(PsychometricSession)
            .where(
                PsychometricSession.organisation_id == bilan.organisation_id,
                PsychometricSession.bilan_id == bilan.id,
                PsychometricSession.instrument_id == instrument.id,
                PsychometricSession.status == PsychometricStatus.IN_PROGRESS,
            )
            .order_by(col(PsychometricSession.started_at).desc())
        ).first()
        if row is None:
            require_open(bilan)
            row = PsychometricSession(
                organisation_id=bilan.organisation_id,
                bilan_id=bilan.id,
                instrument_id=instrument.id,
                instrument_version=instrument.version,
            )
            session.add(row)
            record_on_bilan(
                session,
                actor,
                bilan,
                PsyAction.STARTED,
                instrument={"before": None, "after": f"{instrument.id} {instrument.version}"},
            )
            session.flush()
        return _view(row, locale)


def in_progress_sessions(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> list[SessionView]:
    """The tests the bilan's beneficiary has started and not finished (to resume them)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        rows = session.exec(
            select(PsychometricSession).where(
                PsychometricSession.organisation_id == bilan.organisation_id,
                PsychometricSession.bilan_id == bilan.id,
                PsychometricSession.status == PsychometricStatus.IN_PROGRESS,
            )
        ).all()
        return [_view(row, locale) for row in rows]


def get_session(actor: Actor, session_id: uuid.UUID | str, locale: str = "fr") -> SessionView:
    """The beneficiary's own session, with its saved answers (to resume it)."""
    with session_scope() as session:
        row, _ = _own_session(session, actor, session_id)
        return _view(row, locale)


def save_answers(actor: Actor, session_id: uuid.UUID | str, answers: dict[str, Any], locale: str = "fr") -> SessionView:
    """Save some answers (partial saves allowed: the test can be paused and resumed).

    Values are checked against the scale; a None value clears an answer. Nothing is saved when any
    value is refused (FormError maps the faulty items to their message).
    """
    with session_scope() as session:
        row, _, instrument = _test_in_progress(session, actor, session_id)
        merged = _answers(row)
        for item_id, value in clean_answers(instrument, answers).items():
            if value is None:
                merged.pop(item_id, None)
            else:
                merged[item_id] = value
        row.answers_encrypted = encrypt_text(json.dumps(merged, sort_keys=True))
        row.updated_at = utcnow()
        session.add(row)
        return _view(row, locale)


def complete(actor: Actor, session_id: uuid.UUID | str) -> uuid.UUID:
    """Finish a test: every item must be answered; the result is computed, stored and audited."""
    with session_scope() as session:
        row, bilan, instrument = _test_in_progress(session, actor, session_id)
        answers = _answers(row)
        missing = missing_items(instrument, answers)
        if missing:
            raise FormError(dict.fromkeys(missing, "psy.error.missing_answer"), count=len(missing))
        scores = score(instrument, answers)
        now = utcnow()
        row.status = PsychometricStatus.COMPLETED
        row.completed_at = now
        row.updated_at = now
        result = PsychometricResult(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            session_id=row.id,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            scores=scores.to_json(),
            holland_code=scores.holland_code,
            created_at=now,
        )
        session.add(row)
        session.add(result)
        record_on_bilan(
            session,
            actor,
            bilan,
            PsyAction.COMPLETED,
            instrument={"before": None, "after": f"{instrument.id} {instrument.version}"},
            result_id={"before": None, "after": str(result.id)},
        )
        return result.id


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class DimensionResult:
    key: str
    label: str
    rank: int
    level: str  # "low" | "average" | "high", or ""
    interpretation: str
    raw: float | None  # None unless the reader may see scores
    normalised: float | None


@dataclass(frozen=True)
class ResultView:
    id: uuid.UUID
    instrument_id: str
    instrument_version: str
    title: str
    completed_at: datetime
    holland_code: str
    dimensions: list[DimensionResult]  # ranked: the strongest first
    raw_visible: bool
    disclaimer: str
    source: str


def _reader_may_see(actor: Actor, bilan: Bilan) -> bool:
    """True for a follower (scores visible), False for the beneficiary; anyone else is refused."""
    if is_follower(actor, bilan):
        return True
    require_beneficiary(actor, bilan)
    return False


def _result_view(result: PsychometricResult, raw_visible: bool, locale: str) -> ResultView:
    instrument = get_instrument(result.instrument_id, result.instrument_version)
    scores = Scores.from_json(result.scores, result.holland_code)
    by_key = scores.by_key()
    dimensions = []
    for key in scores.ranking:
        dimension, value = instrument.dimension(key), by_key[key]
        text = dimension.interpretation.get(value.level or "default") or dimension.interpretation["default"]
        dimensions.append(
            DimensionResult(
                key=key,
                label=dimension.label.get(locale),
                rank=value.rank,
                level=value.level,
                interpretation=text.get(locale),
                raw=value.raw if raw_visible else None,
                normalised=value.normalised if raw_visible else None,
            )
        )
    return ResultView(
        id=result.id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        title=instrument.title.get(locale),
        completed_at=result.created_at,
        holland_code=result.holland_code,
        dimensions=dimensions,
        raw_visible=raw_visible,
        disclaimer=translate(DISCLAIMER_KEY, locale),
        source=instrument.source.get(locale),
    )


def _results(session: Session, bilan: Bilan, instrument_id: str | None = None) -> list[PsychometricResult]:
    query = select(PsychometricResult).where(
        PsychometricResult.organisation_id == bilan.organisation_id, PsychometricResult.bilan_id == bilan.id
    )
    if instrument_id is not None:
        query = query.where(PsychometricResult.instrument_id == instrument_id)
    return list(session.exec(query.order_by(col(PsychometricResult.created_at).desc())).all())


def results_for_bilan(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> list[ResultView]:
    """Every result of the bilan, newest first; scores only for followers (``raw_visible``)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        raw_visible = _reader_may_see(actor, bilan)
        log_personal_read(session, actor, bilan, "psychometric_results")
        return [_result_view(result, raw_visible, locale) for result in _results(session, bilan)]


def interest_profile(actor: Actor, bilan_id: uuid.UUID | str) -> dict[str, float] | None:
    """The latest RIASEC profile of the bilan, {letter: normalised score 0-100}, or None.

    For the matching engine (which runs for the beneficiary or a follower); the scores are
    normalised so that a later version of the inventory with another item count stays comparable.
    """
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        _reader_may_see(actor, bilan)
        log_personal_read(session, actor, bilan, "interest_profile")
        latest = next(iter(_results(session, bilan, INTERESTS_ID)), None)
        if latest is None:
            return None
        scores = Scores.from_json(latest.scores, latest.holland_code)
        return {d.key: d.normalised for d in scores.dimensions}


# ---------------------------------------------------------------- the followers' overview


@dataclass(frozen=True)
class FollowedResult:
    """A result as the followers read it: the scores, plus the notices and the scale to read them."""

    result: ResultView  # raw_visible is always True here
    licence: str
    scoring: str  # "sum" | "mean": how a raw score is made from the item answers
    raw_min: float  # the lowest and highest possible raw score of one dimension
    raw_max: float


@dataclass(frozen=True)
class ProgressView:
    """A test the beneficiary has started and not finished: how far they are, never their answers."""

    session_id: uuid.UUID
    instrument_id: str
    instrument_version: str
    title: str
    answered: int
    total: int
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class FollowerOverview:
    bilan_id: uuid.UUID
    beneficiary_name: str
    results: list[FollowedResult]  # newest first
    in_progress: list[ProgressView]  # the most recently started first


def _followed_result(result: PsychometricResult, locale: str) -> FollowedResult:
    instrument = get_instrument(result.instrument_id, result.instrument_version)
    low, high = raw_range(instrument)
    return FollowedResult(
        result=_result_view(result, True, locale),
        licence=instrument.licence.get(locale),
        scoring=instrument.scoring.method,
        raw_min=low,
        raw_max=high,
    )


def _progress(row: PsychometricSession, locale: str) -> ProgressView:
    view = _view(row, locale)
    return ProgressView(
        session_id=row.id,
        instrument_id=row.instrument_id,
        instrument_version=row.instrument_version,
        title=view.instrument.title,
        answered=view.answered,
        total=view.total,
        started_at=row.started_at,
        updated_at=row.updated_at,
    )


def follower_overview(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> FollowerOverview:
    """The bilan's tests for its followers (the assigned consultant, an org admin), the read logged.

    Every completed result with its raw and normalised scores, and the tests the beneficiary has in
    progress (answer counts only). Another organisation's bilan, or one the actor may not see, is
    NotFound; the beneficiary, or a consultant who sees the bilan without following it, is refused.
    """
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        log_personal_read(session, actor, bilan, "psychometric_results")
        beneficiary = session.get(User, bilan.beneficiary_id)
        rows = session.exec(
            select(PsychometricSession)
            .where(
                PsychometricSession.organisation_id == bilan.organisation_id,
                PsychometricSession.bilan_id == bilan.id,
                PsychometricSession.status == PsychometricStatus.IN_PROGRESS,
            )
            .order_by(col(PsychometricSession.started_at).desc())
        ).all()
        return FollowerOverview(
            bilan_id=bilan.id,
            beneficiary_name=beneficiary.full_name if beneficiary is not None else "",
            results=[_followed_result(result, locale) for result in _results(session, bilan)],
            in_progress=[_progress(row, locale) for row in rows],
        )
