"""The document de synthèse: drafted from the bilan's data, edited by the consultant, validated (locked),
commented by the beneficiary; every version kept.

Who may do what (L6313-4: the synthèse goes to the beneficiary alone, written under the provider's
responsibility):

* its **text** is read by the bilan's assigned consultant (every version) and by the beneficiary
  (validated versions only, up to the one handed over to her once there is one: she reads what she
  has, and a newer version waits until it is handed over): ``get_current``, ``get_version``,
  ``diff_versions`` (consultant), ``synthese_for_pdf``. The org admin is refused: they see that it
  exists, its versions' status, origin, authors and dates (``synthese_overview``, ``list_versions``),
  never a word of it;
* the assigned consultant writes it: ``stream_draft`` / ``generate_draft`` (a new draft version from
  the bilan's data, by the local engine or the AI assistant), ``save_section`` / ``save_sections``,
  ``validate_version`` (locks it), ``new_version`` (a draft copy of the validated one);
* the beneficiary alone writes the observations section (``save_observations``), on the latest
  validated version: the consultant's nine sections are locked by validation, her comments are not
  (the law lets her comment the synthèse she received); each change is dated and audited, and a
  later version carries them over when it is validated.

Versions: the latest one is the current one; only it changes, and only while it is a draft. A
generated version keeps the text its engine wrote: the consultant's first change makes a new
version (origin "consultant", ``based_on`` the generated one), edited in place afterwards.

Every read of the text by someone other than the beneficiary is logged (``log_personal_read``);
every change writes an audit event on the bilan in the same transaction (section keys and sizes,
never the text). A closed bilan's synthèse no longer changes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from services import action_plan, bilans, recommendations
from services.access import Actor
from services.bilans import (
    get_bilan,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_assigned_consultant,
    require_beneficiary,
    require_open,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.i18n import translate
from services.llm import run as llm_run
from services.llm.errors import LlmError
from services.llm.schemas import AiFeature, RecommendationInput, SyntheseDraft
from services.models import (
    AiEngine,
    Bilan,
    Organisation,
    Role,
    SessionStatus,
    SyntheseOrigin,
    SyntheseStatus,
    SyntheseVersion,
    User,
)
from services.models.base import utcnow
from services.psychometrics import service as psychometrics
from services.skills import assessment as skills
from services.skills import cartography
from services.synthese._common import full_names, handover_rows
from services.synthese.content import (
    CONSULTANT_SECTIONS,
    DOCUMENT_LOCALE,
    MAX_SECTION_CHARS,
    OBSERVATIONS,
    REQUIRED_SECTIONS,
    SECTIONS,
    ActionFact,
    BilanFacts,
    SectionDiff,
    compose_local,
    compose_with_ai,
    diff_sections,
    is_missing,
    printable,
    section_title,
)


class SyntheseAction(StrEnum):
    """Audit actions (target: the bilan, so that they join its history)."""

    GENERATED = "synthese.generated"
    SECTIONS_SAVED = "synthese.sections_saved"
    VALIDATED = "synthese.validated"
    VERSION_CREATED = "synthese.version_created"
    OBSERVATIONS_SAVED = "synthese.observations_saved"


READ_WHAT = "synthese"  # the personal-data read's label in the audit log


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class VersionInfo:
    """A version without its text: what the org admin may see too."""

    number: int
    status: str  # SyntheseStatus
    origin: str  # SyntheseOrigin
    model: str  # the AI model of an "ai" version
    based_on: int | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    validated_by: str
    validated_at: datetime | None
    observations_updated_at: datetime | None

    @property
    def locked(self) -> bool:
        return self.status == SyntheseStatus.VALIDATED


@dataclass(frozen=True)
class VersionContent:
    info: VersionInfo
    sections: dict[str, str]  # every key of SECTIONS, Markdown ("" when empty)
    handed_over_at: datetime | None = None  # when this version was first handed to the beneficiary


@dataclass(frozen=True)
class SyntheseOverview:
    bilan_id: str
    beneficiary: str
    versions: list[VersionInfo]  # newest first; the beneficiary sees the validated ones only
    being_written: bool  # a draft is newer than the latest validated version (or none is validated)
    can_read: bool  # the text: the assigned consultant and the beneficiary
    can_edit: bool  # the assigned consultant, while the bilan is open
    bilan_open: bool
    # A synthèse was handed over (possibly a PDF written outside the platform, with no version here).
    handed_over: bool = False

    @property
    def current(self) -> VersionInfo | None:
        return self.versions[0] if self.versions else None


@dataclass(frozen=True)
class DraftEvent:
    """One step of a draft generation, for a screen to show its progress."""

    kind: Literal["step", "delta", "retry", "fallback", "done"]
    step: str = ""  # kind "step": "collect" | "ai" | "compose"
    progress: float = 0.0  # 0..1
    engine: str = AiEngine.LOCAL.value
    reason: str = ""  # kind "fallback": an llm.fallback.* reason, or an LlmError's catalogue key
    text: str = ""  # kind "delta": the AI's answer so far
    attempt: int = 1
    version: VersionInfo | None = None  # kind "done"


@dataclass(frozen=True)
class PdfSection:
    key: str
    title: str
    markdown: str


@dataclass(frozen=True)
class SynthesePdfContent:
    """The validated synthèse as plain data for the PDF renderer (sections in the document's order)."""

    title: str
    beneficiary_name: str
    consultant_name: str
    organisation_name: str
    sections: tuple[PdfSection, ...]
    version_number: int
    validated_at: datetime
    validated_by: str
    authors: tuple[str, ...]  # who created, edited and validated this version
    observations_updated_at: datetime | None


# ---------------------------------------------------------------- access and rows


def _is_author(actor: Actor, bilan: Bilan) -> bool:
    """The bilan's assigned consultant: the synthèse's author (not the org admin: L6313-4)."""
    return actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id


def _require_reader(actor: Actor, bilan: Bilan) -> bool:
    """The assigned consultant (True) or the beneficiary (False); anyone else is refused."""
    if _is_author(actor, bilan):
        return True
    require_beneficiary(actor, bilan)
    return False


def _versions(session: Session, bilan: Bilan) -> list[SyntheseVersion]:
    """Every version of the bilan, newest first."""
    return list(
        session.exec(
            select(SyntheseVersion)
            .where(SyntheseVersion.organisation_id == bilan.organisation_id, SyntheseVersion.bilan_id == bilan.id)
            .order_by(col(SyntheseVersion.number).desc())
        ).all()
    )


def _latest_validated(versions: list[SyntheseVersion]) -> SyntheseVersion | None:
    return next((row for row in versions if row.status == SyntheseStatus.VALIDATED), None)


def _handed_over(session: Session, bilan: Bilan) -> dict[int, datetime]:
    """The synthèse versions handed to the beneficiary, with when each was first handed over."""
    rows = handover_rows(session, bilan)
    return {row.synthese_version: row.handed_over_at for row in rows if row.synthese_version is not None}


def _reader_row(session: Session, bilan: Bilan, versions: list[SyntheseVersion]) -> SyntheseVersion | None:
    """The version the beneficiary reads: the newest one handed over to her; before any handover, the
    latest validated one (validation lets her read it and prepare her observations)."""
    handed = _handed_over(session, bilan)
    if handed:
        newest = max(handed)
        row = next((row for row in versions if row.number == newest), None)
        if row is not None:
            return row
    return _latest_validated(versions)


def _names(session: Session, rows: list[SyntheseVersion]) -> dict[uuid.UUID, str]:
    return full_names(session, (uid for row in rows for uid in (row.created_by, row.updated_by, row.validated_by)))


def _info(row: SyntheseVersion, names: dict[uuid.UUID, str]) -> VersionInfo:
    return VersionInfo(
        number=row.number,
        status=str(row.status),
        origin=str(row.origin),
        model=row.model,
        based_on=row.based_on,
        created_by=names.get(row.created_by, ""),
        created_at=row.created_at,
        updated_by=names.get(row.updated_by, ""),
        updated_at=row.updated_at,
        validated_by=names.get(row.validated_by, "") if row.validated_by else "",
        validated_at=row.validated_at,
        observations_updated_at=row.observations_updated_at,
    )


def _info_of(session: Session, row: SyntheseVersion) -> VersionInfo:
    return _info(row, _names(session, [row]))


def _sections(row: SyntheseVersion) -> dict[str, str]:
    stored = json.loads(decrypt_text(row.sections_encrypted)) if row.sections_encrypted else {}
    sections = {key: str(stored.get(key, "")) for key in CONSULTANT_SECTIONS}
    sections[OBSERVATIONS] = decrypt_text(row.observations_encrypted) if row.observations_encrypted else ""
    return sections


def _readable(row: SyntheseVersion, author: bool) -> dict[str, str]:
    """The consultant reads every word; the beneficiary reads what is printed (no "À compléter" notes)."""
    sections = _sections(row)
    return sections if author else {key: printable(text) for key, text in sections.items()}


def _encrypt_sections(sections: dict[str, str]) -> str:
    return encrypt_text(json.dumps({key: sections.get(key, "") for key in CONSULTANT_SECTIONS}, ensure_ascii=False))


def _flush(session: Session) -> None:
    """Two versions racing for the same number: the second is refused, nothing half-written."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise ServiceError("synthese.error.conflict") from exc


def _new_version(
    session: Session,
    actor: Actor,
    bilan: Bilan,
    versions: list[SyntheseVersion],
    sections: dict[str, str],
    origin: SyntheseOrigin,
    **fields: Any,
) -> SyntheseVersion:
    now = utcnow()
    row = SyntheseVersion(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        number=(versions[0].number + 1) if versions else 1,
        origin=origin,
        sections_encrypted=_encrypt_sections(sections),
        created_by=actor.user_id,
        created_at=now,
        updated_by=actor.user_id,
        updated_at=now,
        **fields,
    )
    session.add(row)
    _flush(session)
    return row


# ---------------------------------------------------------------- reading


def _overview(session: Session, actor: Actor, bilan: Bilan) -> SyntheseOverview:
    follower = is_follower(actor, bilan)
    if not follower:
        require_beneficiary(actor, bilan)
    rows = _versions(session, bilan)
    validated = _latest_validated(rows) if follower else _reader_row(session, bilan, rows)
    shown = (
        rows
        if follower
        else [
            row
            for row in rows
            if row.status == SyntheseStatus.VALIDATED and validated and row.number <= validated.number
        ]
    )
    names = _names(session, shown)
    beneficiary = session.get(User, bilan.beneficiary_id)
    is_open = bilan.status not in bilans.CLOSED_STATUSES
    return SyntheseOverview(
        bilan_id=str(bilan.id),
        beneficiary=beneficiary.full_name if beneficiary else "",
        versions=[_info(row, names) for row in shown],
        being_written=bool(rows) and rows[0] is not validated,
        can_read=_is_author(actor, bilan) or actor.user_id == bilan.beneficiary_id,
        can_edit=_is_author(actor, bilan) and is_open,
        bilan_open=is_open,
        handed_over=bilan.synthese_handed_over_at is not None,
    )


def synthese_overview(actor: Actor, bilan_id: uuid.UUID | str) -> SyntheseOverview:
    """That the synthèse exists, its versions' status and dates (followers, the org admin included;
    the beneficiary sees her validated versions): never its text."""
    with session_scope() as session:
        return _overview(session, actor, get_bilan(session, actor, bilan_id))


def list_versions(actor: Actor, bilan_id: uuid.UUID | str) -> list[VersionInfo]:
    """The versions, newest first, without their text (whoever may call ``synthese_overview``)."""
    return synthese_overview(actor, bilan_id).versions


def get_current(actor: Actor, bilan_id: uuid.UUID | str) -> VersionContent | None:
    """The assigned consultant's current version (the latest), or the beneficiary's (the one she reads);
    None when there is none yet. Anyone else is refused."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        author = _require_reader(actor, bilan)
        rows = _versions(session, bilan)
        row = (rows[0] if rows else None) if author else _reader_row(session, bilan, rows)
        if row is None:
            return None
        log_personal_read(session, actor, bilan, READ_WHAT)
        return VersionContent(
            _info_of(session, row), _readable(row, author), _handed_over(session, bilan).get(row.number)
        )


def _version(session: Session, bilan: Bilan, number: int, *, validated_only: bool) -> SyntheseVersion:
    row = session.exec(
        select(SyntheseVersion).where(
            SyntheseVersion.organisation_id == bilan.organisation_id,
            SyntheseVersion.bilan_id == bilan.id,
            SyntheseVersion.number == int(number),
        )
    ).first()
    if row is None or (validated_only and row.status != SyntheseStatus.VALIDATED):
        raise NotFound()
    return row


def get_version(actor: Actor, bilan_id: uuid.UUID | str, number: int) -> VersionContent:
    """One version with its text: any version for the assigned consultant, a validated one she may read
    for the beneficiary; anyone else is refused."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        author = _require_reader(actor, bilan)
        row = _version(session, bilan, number, validated_only=not author)
        if not author:  # nothing newer than what she reads
            readable = _reader_row(session, bilan, _versions(session, bilan))
            if readable is None or row.number > readable.number:
                raise NotFound()
        log_personal_read(session, actor, bilan, READ_WHAT)
        return VersionContent(_info_of(session, row), _readable(row, author))


def diff_versions(actor: Actor, bilan_id: uuid.UUID | str, before: int, after: int) -> list[SectionDiff]:
    """What changed from version ``before`` to version ``after``, section by section (the assigned
    consultant only)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        old = _version(session, bilan, before, validated_only=False)
        new = _version(session, bilan, after, validated_only=False)
        log_personal_read(session, actor, bilan, READ_WHAT)
        return diff_sections(_sections(old), _sections(new))


# ---------------------------------------------------------------- the draft


def _organisation(session: Session, bilan: Bilan) -> tuple[str, tuple[str, ...]]:
    organisation = session.get(Organisation, bilan.organisation_id)
    if organisation is None:
        return "", ()
    contacts = (organisation.contact_email or "", organisation.contact_phone, organisation.address)
    return organisation.name, tuple(contact for contact in contacts if contact)


def _plan_actions(actor: Actor, bilan_id: uuid.UUID) -> list[ActionFact]:
    """The bilan's action plan, in its order: the synthèse's steps."""
    return [
        ActionFact(
            title=action.title,
            deadline=action.deadline,
            owner=str(action.owner),
            status=str(action.status),
            indicator=action.indicator,
            milestones=tuple((milestone.label, milestone.due_on) for milestone in action.milestones),
        )
        for action in action_plan.get_plan(actor, bilan_id).actions
    ]


def _collect(actor: Actor, bilan_id: uuid.UUID) -> BilanFacts:
    """The bilan's facts, through each domain's own (audited) reads."""
    detail = bilans.bilan_detail(actor, bilan_id)
    sessions = [row for row in bilans.list_sessions(actor, bilan_id) if row.status == SessionStatus.HELD]
    time = bilans.hours(actor, bilan_id)  # held and planned: the same figures as the PDF's cover
    with session_scope() as session:
        organisation, contacts = _organisation(session, get_bilan(session, actor, bilan_id))
    return BilanFacts(
        beneficiary=detail.beneficiary_name,
        consultant=detail.consultant_name,
        organisation=organisation,
        organisation_contacts=contacts,
        detail=detail,
        questionnaire=bilans.get_questionnaire(actor, bilan_id).answers,
        completed_minutes=time.completed_minutes,
        planned_minutes=time.agreed_minutes,
        sessions=sessions,
        assessment=skills.get_assessment(actor, bilan_id),
        skills_map=cartography.skills_map(actor, bilan_id, DOCUMENT_LOCALE),
        results=psychometrics.results_for_bilan(actor, bilan_id, DOCUMENT_LOCALE),
        targets=recommendations.kept_targets(actor, bilan_id, locale=DOCUMENT_LOCALE),
        actions=tuple(_plan_actions(actor, bilan_id)),
    )


def _target_inputs(facts: BilanFacts) -> list[RecommendationInput]:
    inputs = []
    for target in facts.targets:
        try:
            inputs.append(RecommendationInput.model_validate(target.details))
        except ValidationError:  # a target kept from an older engine's shape: the AI goes without it
            continue
    return inputs


def _store_draft(
    actor: Actor,
    bilan_id: uuid.UUID,
    sections: dict[str, str],
    origin: SyntheseOrigin,
    model: str,
    proposal: uuid.UUID | None,
) -> VersionInfo:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        versions = _versions(session, bilan)
        row = _new_version(session, actor, bilan, versions, sections, origin, model=model, ai_proposal_id=proposal)
        record_on_bilan(
            session,
            actor,
            bilan,
            SyntheseAction.GENERATED,
            version={"before": versions[0].number if versions else None, "after": row.number},
            origin={"before": None, "after": " ".join(part for part in (str(origin), model) if part)},
        )
        return _info_of(session, row)


def _ai_events(
    actor: Actor, bilan_id: uuid.UUID, facts: BilanFacts, result: list[llm_run.FeatureResult]
) -> Iterator[DraftEvent]:
    """The AI run's events as draft events; ``result`` receives the provider's FeatureResult, if any."""
    llm = AiEngine.LLM.value
    try:
        for event in llm_run.stream_feature(
            actor, bilan_id, AiFeature.SYNTHESE_DRAFT, targets=_target_inputs(facts), stream=True
        ):
            if event.kind == "delta":
                yield DraftEvent("delta", progress=0.1 + 0.75 * event.progress, engine=llm, text=event.text)
            elif event.kind == "retry":
                yield DraftEvent("retry", progress=0.1, engine=llm, attempt=event.attempt)
            elif event.engine is AiEngine.LOCAL and event.reason and event.kind in {"started", "fallback"}:
                yield DraftEvent("fallback", reason=event.reason)
            elif event.kind == "done" and event.result is not None and event.result.engine is AiEngine.LLM:
                result.append(event.result)
    except LlmError as exc:  # timeout, rate limit, outage, invalid answers: the local engine writes it
        yield DraftEvent("fallback", reason=exc.code)


def _draft_events(actor: Actor, bilan_id: uuid.UUID, prefer_local: bool) -> Iterator[DraftEvent]:
    yield DraftEvent("step", step="collect", progress=0.05)
    facts = _collect(actor, bilan_id)
    answered: list[llm_run.FeatureResult] = []
    if not prefer_local and llm_run.engine_choice(actor, bilan_id).engine is AiEngine.LLM:
        yield DraftEvent("step", step="ai", progress=0.1, engine=AiEngine.LLM.value)
        yield from _ai_events(actor, bilan_id, facts, answered)
    ai = answered[0] if answered else None
    engine = AiEngine.LLM.value if ai else AiEngine.LOCAL.value
    yield DraftEvent("step", step="compose", progress=0.9, engine=engine)
    if ai is not None and isinstance(ai.output, SyntheseDraft):
        sections = compose_with_ai(facts, ai.output)
        info = _store_draft(actor, bilan_id, sections, SyntheseOrigin.AI, ai.model, ai.proposal_id)
    else:
        info = _store_draft(actor, bilan_id, compose_local(facts), SyntheseOrigin.LOCAL, "", None)
    yield DraftEvent("done", progress=1.0, engine=engine, version=info)


def stream_draft(actor: Actor, bilan_id: uuid.UUID | str, *, prefer_local: bool = False) -> Iterator[DraftEvent]:
    """The assigned consultant, while the bilan is open: check access now, then return the generation's
    events (the last one is "done", with the version).

    The AI assistant writes when the organisation has one, the beneficiary consented and the budget
    allows (``services.llm.run`` decides), unless ``prefer_local``; otherwise, or when it fails, the
    local engine does. The result is always a new draft version: nothing earlier is overwritten.
    """
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        key = bilan.id
    return _draft_events(actor, key, prefer_local)


async def astream_draft(
    actor: Actor, bilan_id: uuid.UUID | str, *, prefer_local: bool = False
) -> AsyncIterator[DraftEvent]:
    """``stream_draft`` for asyncio (a Reflex background event): each step runs in a worker thread. The
    assigned consultant, while the bilan is open."""
    events = await asyncio.to_thread(stream_draft, actor, bilan_id, prefer_local=prefer_local)
    while True:
        event = await asyncio.to_thread(next, events, None)
        if event is None:
            return
        yield event


def generate_draft(actor: Actor, bilan_id: uuid.UUID | str, *, prefer_local: bool = False) -> VersionInfo:
    """Generate a new draft version to its end (``stream_draft`` without the progress): the assigned
    consultant, while the bilan is open."""
    info: VersionInfo | None = None
    for event in stream_draft(actor, bilan_id, prefer_local=prefer_local):
        info = event.version or info
    assert info is not None
    return info


# ---------------------------------------------------------------- writing


def clean_text(text: str) -> str:
    """Markdown as it is stored: Unix line ends, no trailing blank space (pure: any caller)."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").rstrip()


def save_sections(
    actor: Actor, bilan_id: uuid.UUID | str, changes: dict[str, str], *, expected_number: int | None = None
) -> VersionInfo:
    """The assigned consultant saves sections of the current draft (all at once or one by one), while the
    bilan is open.

    ``expected_number``: the version the editor shows; a newer one in between refuses the save
    (``synthese.error.stale``) rather than writing over it. The beneficiary's observations are not
    the consultant's to write. With no version yet, this starts version 1.
    """
    if OBSERVATIONS in changes:
        raise AccessDenied()
    unknown = set(changes) - set(CONSULTANT_SECTIONS)
    if unknown:
        raise NotFound()
    cleaned = {key: clean_text(value) for key, value in changes.items()}
    too_long = {key: "synthese.error.too_long" for key, value in cleaned.items() if len(value) > MAX_SECTION_CHARS}
    if too_long:
        raise FormError(too_long, max=MAX_SECTION_CHARS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        versions = _versions(session, bilan)
        current = versions[0] if versions else None
        if expected_number is not None and (current.number if current else None) != expected_number:
            raise ServiceError("synthese.error.stale")
        if current is not None and current.status == SyntheseStatus.VALIDATED:
            raise ServiceError("synthese.error.locked")
        before = _sections(current) if current is not None else dict.fromkeys(SECTIONS, "")
        changed = sorted(key for key, value in cleaned.items() if before[key] != value)
        if not changed:
            if current is None:
                raise ServiceError("synthese.error.nothing_to_save")
            return _info_of(session, current)
        after = {**before, **cleaned}
        if current is None or current.origin != SyntheseOrigin.CONSULTANT:
            # A generated text stays as its engine wrote it: the consultant's edit is a new version.
            row = _new_version(
                session,
                actor,
                bilan,
                versions,
                after,
                SyntheseOrigin.CONSULTANT,
                based_on=current.number if current else None,
                observations_encrypted=current.observations_encrypted if current else "",
                observations_updated_at=current.observations_updated_at if current else None,
            )
        else:
            row = current
            row.sections_encrypted = _encrypt_sections(after)
            row.updated_by, row.updated_at = actor.user_id, utcnow()
            session.add(row)
        record_on_bilan(
            session,
            actor,
            bilan,
            SyntheseAction.SECTIONS_SAVED,
            version={"before": current.number if current else None, "after": row.number},
            **{f"section.{key}": {"before": len(before[key]), "after": len(after[key])} for key in changed},
        )
        return _info_of(session, row)


def save_section(
    actor: Actor, bilan_id: uuid.UUID | str, key: str, markdown: str, *, expected_number: int | None = None
) -> VersionInfo:
    """One section of the current draft (``save_sections``: the assigned consultant)."""
    return save_sections(actor, bilan_id, {key: markdown}, expected_number=expected_number)


def validate_version(actor: Actor, bilan_id: uuid.UUID | str, number: int) -> VersionInfo:
    """The assigned consultant validates the current draft: it is locked, and the beneficiary can read it.

    The legal content must be written (circumstances, skills, project, steps: not empty, not left
    "À compléter"). The beneficiary's latest observations are carried over.
    """
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        versions = _versions(session, bilan)
        if not versions or versions[0].number != int(number):
            raise ServiceError("synthese.error.not_current")
        row = versions[0]
        if row.status == SyntheseStatus.VALIDATED:
            raise ServiceError("synthese.error.locked")
        sections = _sections(row)
        missing = {key: "synthese.error.section_required" for key in REQUIRED_SECTIONS if is_missing(sections[key])}
        if missing:
            raise FormError(missing)
        previous = _latest_validated(versions)
        if previous is not None:
            row.observations_encrypted = previous.observations_encrypted
            row.observations_updated_at = previous.observations_updated_at
        now = utcnow()
        row.status = SyntheseStatus.VALIDATED
        row.validated_by, row.validated_at = actor.user_id, now
        row.updated_by, row.updated_at = actor.user_id, now
        session.add(row)
        record_on_bilan(
            session,
            actor,
            bilan,
            SyntheseAction.VALIDATED,
            version={"before": None, "after": row.number},
            status={"before": str(SyntheseStatus.DRAFT), "after": str(SyntheseStatus.VALIDATED)},
        )
        return _info_of(session, row)


def new_version(actor: Actor, bilan_id: uuid.UUID | str) -> VersionInfo:
    """A validated synthèse changes only through a new version: a draft copy of it (the assigned
    consultant, while the bilan is open)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        versions = _versions(session, bilan)
        if not versions:
            raise ServiceError("synthese.error.no_version")
        current = versions[0]
        if current.status != SyntheseStatus.VALIDATED:
            raise ServiceError("synthese.error.draft_exists")
        row = _new_version(
            session,
            actor,
            bilan,
            versions,
            _sections(current),
            SyntheseOrigin.CONSULTANT,
            based_on=current.number,
            observations_encrypted=current.observations_encrypted,
            observations_updated_at=current.observations_updated_at,
        )
        record_on_bilan(
            session,
            actor,
            bilan,
            SyntheseAction.VERSION_CREATED,
            version={"before": current.number, "after": row.number},
        )
        return _info_of(session, row)


def save_observations(actor: Actor, bilan_id: uuid.UUID | str, markdown: str) -> VersionInfo:
    """The beneficiary's observations on her validated synthèse (hers alone to write, while the bilan is open).

    Written on the version she reads (``_reader_row``), and copied into every newer version so that the
    consultant sees them; validation carries them over again.
    """
    text = clean_text(markdown)
    if len(text) > MAX_SECTION_CHARS:
        raise FormError({OBSERVATIONS: "synthese.error.too_long"}, max=MAX_SECTION_CHARS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        require_open(bilan)
        versions = _versions(session, bilan)
        target = _reader_row(session, bilan, versions)  # the version she reads (newer ones get a copy)
        if target is None:
            raise ServiceError("synthese.error.not_validated")
        before = decrypt_text(target.observations_encrypted) if target.observations_encrypted else ""
        if before == text:
            return _info_of(session, target)
        token, now = (encrypt_text(text) if text else ""), utcnow()
        for row in versions:
            if row is target or row.number > target.number:
                row.observations_encrypted, row.observations_updated_at = token, now
                session.add(row)
        record_on_bilan(
            session,
            actor,
            bilan,
            SyntheseAction.OBSERVATIONS_SAVED,
            version={"before": None, "after": target.number},
            observations={"before": len(before), "after": len(text)},
        )
        return _info_of(session, target)


# ---------------------------------------------------------------- for the PDF


def synthese_for_pdf(actor: Actor, bilan_id: uuid.UUID | str, locale: str = DOCUMENT_LOCALE) -> SynthesePdfContent:
    """The latest validated version as plain data for the PDF (the beneficiary or the assigned
    consultant; NotFound before any validation)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        _require_reader(actor, bilan)
        row = _latest_validated(_versions(session, bilan))
        if row is None or row.validated_at is None:
            raise NotFound()
        log_personal_read(session, actor, bilan, READ_WHAT)
        names = _names(session, [row])
        sections = _sections(row)
        beneficiary = session.get(User, bilan.beneficiary_id)
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
        organisation, _ = _organisation(session, bilan)
        beneficiary_name = beneficiary.full_name if beneficiary else ""
        authors = [names.get(uid, "") for uid in (row.created_by, row.updated_by, row.validated_by) if uid]
        return SynthesePdfContent(
            title=translate("synthese.pdf_title", locale, name=beneficiary_name),
            beneficiary_name=beneficiary_name,
            consultant_name=consultant.full_name if consultant else "",
            organisation_name=organisation,
            sections=tuple(PdfSection(key, section_title(key, locale), printable(sections[key])) for key in SECTIONS),
            version_number=row.number,
            validated_at=row.validated_at,
            validated_by=names.get(row.validated_by, "") if row.validated_by else "",
            authors=tuple(dict.fromkeys(name for name in authors if name)),
            observations_updated_at=row.observations_updated_at,
        )
