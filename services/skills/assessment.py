"""The skills self-assessment: the beneficiary's wizard, then the consultant's adjustments and validation.

Who may do what:

* the bilan's beneficiary fills in the wizard (parcours, skills, ratings, step) while the bilan is in
  progress and the assessment is not validated, then submits it;
* a follower (the assigned consultant, or an org admin) reads it, adjusts a rating with a comment,
  validates it (which locks it) and reopens it;
* both read the history. Another organisation's bilan, or one the actor may not see, is NotFound
  (every query goes through ``services.bilans.get_bilan``).

Every rating change is kept in ``assessment_history``; the place and description of an experience and
the consultant's comments are Fernet-encrypted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.access import Actor, get_scoped
from services.bilans import (
    ACTIVE_STATUSES,
    get_bilan,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_beneficiary,
    require_follower,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError, ServiceError
from services.forms import ExperienceForm, validate_form
from services.models import (
    AssessmentExperience,
    AssessmentHistory,
    AssessmentSkill,
    AssessmentStatus,
    AssessmentStep,
    Bilan,
    HistoryEvent,
    Role,
    RomeAppellation,
    RomeDomaine,
    RomeItem,
    RomeItemKind,
    RomeMetier,
    RomeMetierItem,
    SkillOrigin,
    SkillsAssessment,
    User,
)
from services.models.base import utcnow
from services.rome.search import SKILL_KINDS
from services.skills.scales import CRITERIA, parse

COMMENT_MAX_CHARS = 1000
_KIND_ORDER = {kind.value: rank for rank, kind in enumerate(SKILL_KINDS)}


class SkillsAction(StrEnum):
    """Audit actions of the assessment (target: the bilan, so they join its history)."""

    EXPERIENCE_ADDED = "skills.experience_added"
    EXPERIENCE_UPDATED = "skills.experience_updated"
    EXPERIENCE_REMOVED = "skills.experience_removed"
    SUBMITTED = "skills.submitted"
    RATING_ADJUSTED = "skills.rating_adjusted"
    VALIDATED = "skills.validated"
    REOPENED = "skills.reopened"


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class ExperienceView:
    id: str
    kind: str
    title: str
    code_rome: str
    metier: str  # the métier's label in the installed référentiel ("" when none)
    appellation_code: str
    place: str
    description: str
    start: str  # "YYYY-MM" or ""
    end: str  # "YYYY-MM" or "" (still going on)


@dataclass(frozen=True)
class SkillView:
    id: str
    code_ogr: str
    libelle: str
    kind: str
    categorie: str
    domaine: str
    core: bool
    origin: str
    selected: bool
    self_rating: dict[str, str]  # criterion -> value ("" when not rated)
    consultant_rating: dict[str, str]  # criterion -> value ("" where the consultant kept the self-rating)
    effective: dict[str, str]  # the consultant's value where set, else the beneficiary's
    rated: bool  # the beneficiary rated all five criteria


@dataclass(frozen=True)
class AssessmentView:
    bilan_id: str
    status: AssessmentStatus
    step: AssessmentStep
    experiences: list[ExperienceView]
    skills: list[SkillView]  # selected ones first, in display order
    submitted_at: datetime | None
    validated_at: datetime | None
    progress: int  # 0-100
    editable: bool  # the beneficiary may still change it

    @property
    def selected(self) -> list[SkillView]:
        return [skill for skill in self.skills if skill.selected]

    @property
    def unrated(self) -> list[SkillView]:
        return [skill for skill in self.selected if not skill.rated]


@dataclass(frozen=True)
class Proposal:
    code_ogr: str
    libelle: str
    kind: str
    core: bool
    selected: bool


@dataclass(frozen=True)
class ProposalGroup:
    """The skills of one métier of the parcours: core skills first, then the others."""

    code_rome: str
    libelle: str
    experiences: list[str]
    skills: list[Proposal] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    author: str
    by_consultant: bool
    event: str
    skill: str
    criterion: str
    before: str
    after: str
    comment: str


# ---------------------------------------------------------------- helpers


def _month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value is not None else ""


def _rating(skill: AssessmentSkill, prefix: str = "") -> dict[str, str]:
    return {criterion: (getattr(skill, prefix + criterion) or "") for criterion in CRITERIA}


def skill_view(skill: AssessmentSkill) -> SkillView:
    own, consultant = _rating(skill), _rating(skill, "consultant_")
    return SkillView(
        id=str(skill.id),
        code_ogr=skill.code_ogr,
        libelle=skill.libelle,
        kind=skill.kind,
        categorie=skill.categorie,
        domaine=skill.domaine,
        core=skill.core,
        origin=skill.origin.value,
        selected=skill.selected,
        self_rating=own,
        consultant_rating=consultant,
        effective={criterion: consultant[criterion] or own[criterion] for criterion in CRITERIA},
        rated=all(own.values()),
    )


def _experience_view(row: AssessmentExperience, metiers: dict[str, str]) -> ExperienceView:
    return ExperienceView(
        id=str(row.id),
        kind=row.kind.value,
        title=row.title,
        code_rome=row.code_rome,
        metier=metiers.get(row.code_rome, ""),
        appellation_code=row.appellation_code,
        place=decrypt_text(row.place_encrypted) if row.place_encrypted else "",
        description=decrypt_text(row.description_encrypted) if row.description_encrypted else "",
        start=_month(row.start_on),
        end=_month(row.end_on),
    )


def find_assessment(session: Session, bilan: Bilan) -> SkillsAssessment | None:
    return session.exec(
        select(SkillsAssessment).where(
            SkillsAssessment.organisation_id == bilan.organisation_id, SkillsAssessment.bilan_id == bilan.id
        )
    ).first()


def _experiences(session: Session, assessment: SkillsAssessment | None) -> list[AssessmentExperience]:
    if assessment is None:
        return []
    rows = session.exec(
        select(AssessmentExperience).where(
            AssessmentExperience.organisation_id == assessment.organisation_id,
            AssessmentExperience.assessment_id == assessment.id,
        )
    ).all()
    # The parcours reads from the most recent: current ones first, then by start month.
    return sorted(rows, key=lambda row: (row.end_on is not None, -(row.start_on or date.min).toordinal()))


def assessment_skills(session: Session, assessment: SkillsAssessment | None) -> list[AssessmentSkill]:
    if assessment is None:
        return []
    rows = session.exec(
        select(AssessmentSkill).where(
            AssessmentSkill.organisation_id == assessment.organisation_id,
            AssessmentSkill.assessment_id == assessment.id,
        )
    ).all()
    return sorted(
        rows, key=lambda row: (not row.selected, _KIND_ORDER.get(row.kind, 9), not row.core, row.libelle.lower())
    )


def _progress(assessment: SkillsAssessment | None, experiences: int, skills: list[AssessmentSkill]) -> int:
    """20 for a parcours, 20 for chosen skills, 50 spread over the ratings, 10 for the submission."""
    if assessment is None:
        return 0
    selected = [skill for skill in skills if skill.selected]
    rated = sum(1 for skill in selected if all(_rating(skill).values()))
    score = (20 if experiences else 0) + (20 if selected else 0)
    score += round(50 * rated / len(selected)) if selected else 0
    score += 10 if assessment.status is not AssessmentStatus.DRAFT else 0
    return score


def _view(session: Session, bilan: Bilan, assessment: SkillsAssessment | None) -> AssessmentView:
    experiences = _experiences(session, assessment)
    skills = assessment_skills(session, assessment)
    codes = {row.code_rome for row in experiences if row.code_rome}
    metiers = (
        dict(
            session.exec(
                select(RomeMetier.code_rome, RomeMetier.libelle).where(col(RomeMetier.code_rome).in_(codes))
            ).all()
        )
        if codes
        else {}
    )
    status = assessment.status if assessment else AssessmentStatus.DRAFT
    return AssessmentView(
        bilan_id=str(bilan.id),
        status=status,
        step=assessment.step if assessment else AssessmentStep.PARCOURS,
        experiences=[_experience_view(row, metiers) for row in experiences],
        skills=[skill_view(skill) for skill in skills],
        submitted_at=assessment.submitted_at if assessment else None,
        validated_at=assessment.validated_at if assessment else None,
        progress=_progress(assessment, len(experiences), skills),
        editable=bilan.status in ACTIVE_STATUSES and status is not AssessmentStatus.VALIDATED,
    )


def _history(
    session: Session,
    actor: Actor,
    assessment: SkillsAssessment,
    event: HistoryEvent,
    skill: AssessmentSkill | None = None,
    *,
    criterion: str = "",
    before: str = "",
    after: str = "",
    comment: str = "",
) -> None:
    session.add(
        AssessmentHistory(
            organisation_id=assessment.organisation_id,
            assessment_id=assessment.id,
            skill_id=skill.id if skill is not None else None,
            author_id=actor.user_id,
            by_consultant=actor.role is not Role.BENEFICIARY,
            event=event,
            criterion=criterion,
            before=before,
            after=after,
            comment_encrypted=encrypt_text(comment) if comment else "",
        )
    )


def _require_in_progress(bilan: Bilan) -> None:
    if bilan.status not in ACTIVE_STATUSES:
        raise ServiceError("skills.error.bilan_not_in_progress")


def _editable(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> tuple[SkillsAssessment, Bilan]:
    """The beneficiary's assessment, created on the first change, refused once validated."""
    bilan = get_bilan(session, actor, bilan_id)
    require_beneficiary(actor, bilan)
    _require_in_progress(bilan)
    assessment = find_assessment(session, bilan)
    if assessment is None:
        assessment = SkillsAssessment(organisation_id=bilan.organisation_id, bilan_id=bilan.id)
        session.add(assessment)
        session.flush()
    if assessment.status is AssessmentStatus.VALIDATED:
        raise ServiceError("skills.error.locked")
    return assessment, bilan


def _touch(session: Session, assessment: SkillsAssessment) -> None:
    assessment.updated_at = utcnow()
    session.add(assessment)


def _assessment_of(session: Session, actor: Actor, row_assessment_id: uuid.UUID) -> tuple[SkillsAssessment, Bilan]:
    assessment = get_scoped(session, SkillsAssessment, row_assessment_id, actor)
    bilan = get_bilan(session, actor, assessment.bilan_id)
    return assessment, bilan


def _own_row(
    session: Session, actor: Actor, model: type[AssessmentExperience] | type[AssessmentSkill], row_id: uuid.UUID | str
) -> tuple[Any, SkillsAssessment, Bilan]:
    """A row of the beneficiary's own editable assessment (else NotFound / AccessDenied / locked)."""
    row = get_scoped(session, model, row_id, actor)
    assessment, bilan = _assessment_of(session, actor, row.assessment_id)
    require_beneficiary(actor, bilan)
    _require_in_progress(bilan)
    if assessment.status is AssessmentStatus.VALIDATED:
        raise ServiceError("skills.error.locked")
    return row, assessment, bilan


# ---------------------------------------------------------------- reading


def get_assessment(actor: Actor, bilan_id: uuid.UUID | str) -> AssessmentView:
    """The assessment of a bilan (empty until the beneficiary starts it): the beneficiary or a follower."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        log_personal_read(session, actor, bilan, "skills_assessment")
        return _view(session, bilan, find_assessment(session, bilan))


# ---------------------------------------------------------------- the beneficiary's wizard


def set_step(actor: Actor, bilan_id: uuid.UUID | str, step: AssessmentStep | str) -> None:
    """Remember the wizard's step, so that it resumes there."""
    try:
        target = AssessmentStep(step)
    except ValueError as exc:
        raise ServiceError("error.invalid_choice") from exc
    with session_scope() as session:
        assessment, _ = _editable(session, actor, bilan_id)
        assessment.step = target
        _touch(session, assessment)


def _experience_values(session: Session, raw: dict[str, Any]) -> dict[str, Any]:
    form = validate_form(ExperienceForm, raw)
    code_rome = ""
    if form.appellation_code:
        appellation = session.get(RomeAppellation, form.appellation_code)
        if appellation is None:
            raise FormError({"appellation_code": "skills.error.appellation_unknown"})
        code_rome = appellation.code_rome
    elif form.code_rome:
        if session.get(RomeMetier, form.code_rome.upper()) is None:
            raise FormError({"appellation_code": "skills.error.appellation_unknown"})
        code_rome = form.code_rome.upper()
    return {
        "kind": form.kind,
        "title": form.title,
        "appellation_code": form.appellation_code,
        "code_rome": code_rome,
        "place_encrypted": encrypt_text(form.place) if form.place else "",
        "description_encrypted": encrypt_text(form.description) if form.description.strip() else "",
        "start_on": form.start,
        "end_on": form.end,
    }


def add_experience(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> str:
    """Add a line to the parcours (FormError maps bad fields to messages; nothing is saved then)."""
    with session_scope() as session:
        assessment, bilan = _editable(session, actor, bilan_id)
        values = _experience_values(session, raw)
        row = AssessmentExperience(organisation_id=bilan.organisation_id, assessment_id=assessment.id, **values)
        session.add(row)
        _touch(session, assessment)
        record_on_bilan(
            session, actor, bilan, SkillsAction.EXPERIENCE_ADDED, kind={"before": None, "after": row.kind.value}
        )
        session.flush()
        return str(row.id)


def update_experience(actor: Actor, experience_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    with session_scope() as session:
        row, assessment, bilan = _own_row(session, actor, AssessmentExperience, experience_id)
        for name, value in _experience_values(session, raw).items():
            setattr(row, name, value)
        session.add(row)
        _touch(session, assessment)
        record_on_bilan(
            session, actor, bilan, SkillsAction.EXPERIENCE_UPDATED, kind={"before": None, "after": row.kind.value}
        )


def remove_experience(actor: Actor, experience_id: uuid.UUID | str) -> None:
    """Remove a line of the parcours; the skills already chosen from it stay (they may be rated)."""
    with session_scope() as session:
        row, assessment, bilan = _own_row(session, actor, AssessmentExperience, experience_id)
        session.delete(row)
        _touch(session, assessment)
        record_on_bilan(
            session, actor, bilan, SkillsAction.EXPERIENCE_REMOVED, kind={"before": row.kind.value, "after": None}
        )


def proposals(actor: Actor, bilan_id: uuid.UUID | str) -> list[ProposalGroup]:
    """The skills of each métier of the parcours (ROME links), core skills first, with what is chosen."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        assessment = find_assessment(session, bilan)
        titles: dict[str, list[str]] = {}
        for experience in _experiences(session, assessment):
            if experience.code_rome:
                titles.setdefault(experience.code_rome, []).append(experience.title)
        if not titles:
            return []
        chosen = {skill.code_ogr for skill in assessment_skills(session, assessment) if skill.selected}
        metiers = {
            metier.code_rome: metier.libelle
            for metier in session.exec(select(RomeMetier).where(col(RomeMetier.code_rome).in_(titles))).all()
        }
        links = session.exec(
            select(RomeMetierItem, RomeItem)
            .join(RomeItem, col(RomeItem.code_ogr) == col(RomeMetierItem.code_ogr))
            .where(col(RomeMetierItem.code_rome).in_(titles), col(RomeItem.kind).in_(SKILL_KINDS))
        ).all()
        by_metier: dict[str, list[Proposal]] = {}
        for link, item in links:
            by_metier.setdefault(link.code_rome, []).append(
                Proposal(item.code_ogr, item.libelle, item.kind.value, link.coeur_metier, item.code_ogr in chosen)
            )
        groups = []
        for code_rome, experience_titles in titles.items():
            if code_rome not in metiers:
                continue  # the référentiel was replaced and no longer has this métier
            skills = sorted(
                by_metier.get(code_rome, []),
                key=lambda proposal: (not proposal.core, _KIND_ORDER.get(proposal.kind, 9), proposal.libelle.lower()),
            )
            groups.append(ProposalGroup(code_rome, metiers[code_rome], experience_titles, skills))
        return groups


def _domain_label(session: Session, code_rome: str) -> str:
    metier = session.get(RomeMetier, code_rome) if code_rome else None
    if metier is None or not metier.code_domaine_professionnel:
        return ""
    domaine = session.get(RomeDomaine, metier.code_domaine_professionnel)
    return domaine.libelle if domaine is not None else ""


def _usual_domain(session: Session, code_ogr: str) -> str:
    """For a skill added through search: the métier domain that uses it most (core links count first)."""
    row = session.exec(
        select(RomeMetier.code_domaine_professionnel, func.count())
        .join(RomeMetierItem, col(RomeMetierItem.code_rome) == col(RomeMetier.code_rome))
        .where(RomeMetierItem.code_ogr == code_ogr, RomeMetier.code_domaine_professionnel != "")
        .group_by(col(RomeMetier.code_domaine_professionnel))
        .order_by(func.count().desc(), col(RomeMetier.code_domaine_professionnel))
        .limit(1)
    ).first()
    if row is None:
        return ""
    domaine = session.get(RomeDomaine, row[0])
    return domaine.libelle if domaine is not None else ""


def choose_skill(actor: Actor, bilan_id: uuid.UUID | str, code_ogr: str, source_code_rome: str = "") -> str:
    """Keep a skill: proposed from a métier of the parcours (``source_code_rome``) or found by search.

    Choosing a skill that was unticked before brings it back with its ratings.
    """
    with session_scope() as session:
        assessment, bilan = _editable(session, actor, bilan_id)
        existing = session.exec(
            select(AssessmentSkill).where(
                AssessmentSkill.organisation_id == bilan.organisation_id,
                AssessmentSkill.assessment_id == assessment.id,
                AssessmentSkill.code_ogr == code_ogr,
            )
        ).first()
        if existing is not None:
            existing.selected = True
            existing.updated_at = utcnow()
            session.add(existing)
            _touch(session, assessment)
            return str(existing.id)
        item = session.get(RomeItem, code_ogr)
        if item is None or item.kind not in SKILL_KINDS:
            raise ServiceError("skills.error.skill_unknown")
        link = (
            session.get(RomeMetierItem, (source_code_rome, code_ogr))
            if source_code_rome
            else None  # added through search
        )
        skill = AssessmentSkill(
            organisation_id=bilan.organisation_id,
            assessment_id=assessment.id,
            code_ogr=item.code_ogr,
            libelle=item.libelle,
            kind=item.kind.value,
            categorie=_category(item),
            domaine=_domain_label(session, source_code_rome) if link else _usual_domain(session, code_ogr),
            core=bool(link and link.coeur_metier),
            origin=SkillOrigin.PROPOSED if link else SkillOrigin.ADDED,
            source_code_rome=source_code_rome if link else "",
        )
        session.add(skill)
        _touch(session, assessment)
        session.flush()
        return str(skill.id)


def _category(item: RomeItem) -> str:
    """Savoir-faire keep their ROME sub-category (technique, transverse...), savoirs their category;
    savoir-être have no finer category than their kind."""
    if item.kind is RomeItemKind.SAVOIR_FAIRE:
        return item.sous_categorie or item.categorie
    return item.categorie if item.kind is RomeItemKind.SAVOIR else ""


def unchoose_skill(actor: Actor, skill_id: uuid.UUID | str) -> None:
    """Untick a skill; its ratings are kept in case it is chosen again."""
    with session_scope() as session:
        skill, assessment, _ = _own_row(session, actor, AssessmentSkill, skill_id)
        skill.selected = False
        skill.updated_at = utcnow()
        session.add(skill)
        _touch(session, assessment)


def rate_skill(actor: Actor, skill_id: uuid.UUID | str, criterion: str, value: str) -> SkillView:
    """The beneficiary rates one criterion of one skill ("" clears it); saved at once, with history."""
    try:
        parsed = parse(criterion, value)
    except ValueError as exc:
        raise FormError({criterion if criterion in CRITERIA else "__all__": "error.invalid_choice"}) from exc
    with session_scope() as session:
        skill, assessment, _ = _own_row(session, actor, AssessmentSkill, skill_id)
        before = getattr(skill, criterion) or ""
        after = parsed.value if parsed is not None else ""
        if before != after:
            setattr(skill, criterion, parsed)
            skill.updated_at = utcnow()
            session.add(skill)
            _history(
                session, actor, assessment, HistoryEvent.RATING, skill, criterion=criterion, before=before, after=after
            )
            _touch(session, assessment)
        return skill_view(skill)


def submit(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """Send the assessment to the consultant: at least one skill, each rated on the five criteria."""
    with session_scope() as session:
        assessment, bilan = _editable(session, actor, bilan_id)
        selected = [skill for skill in assessment_skills(session, assessment) if skill.selected]
        if not selected:
            raise ServiceError("skills.error.no_skill")
        unrated = [skill for skill in selected if not all(_rating(skill).values())]
        if unrated:
            raise ServiceError("skills.error.unrated", count=len(unrated))
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.step = AssessmentStep.REVUE
        assessment.submitted_at = utcnow()
        _touch(session, assessment)
        _history(session, actor, assessment, HistoryEvent.SUBMITTED)
        record_on_bilan(session, actor, bilan, SkillsAction.SUBMITTED, skills={"before": None, "after": len(selected)})


# ---------------------------------------------------------------- the consultant's validation


def _followed(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> tuple[SkillsAssessment, Bilan]:
    bilan = get_bilan(session, actor, bilan_id)
    require_follower(actor, bilan)
    assessment = find_assessment(session, bilan)
    if assessment is None:
        raise ServiceError("skills.error.not_started")
    return assessment, bilan


def adjust_rating(actor: Actor, skill_id: uuid.UUID | str, criterion: str, value: str, comment: str) -> SkillView:
    """The consultant sets their rating of one criterion ("" goes back to the beneficiary's), with a comment."""
    comment = comment.strip()
    errors: dict[str, str] = {}
    try:
        parsed = parse(criterion, value)
    except ValueError:
        errors["value"] = "error.invalid_choice"
        parsed = None
    if not comment:
        errors["comment"] = "skills.error.comment_required"
    elif len(comment) > COMMENT_MAX_CHARS:
        errors["comment"] = "error.too_long"
    if errors:
        raise FormError(errors)
    with session_scope() as session:
        skill = get_scoped(session, AssessmentSkill, skill_id, actor)
        assessment, bilan = _assessment_of(session, actor, skill.assessment_id)
        require_follower(actor, bilan)
        _require_in_progress(bilan)
        if assessment.status is AssessmentStatus.VALIDATED:
            raise ServiceError("skills.error.locked_reopen")
        column = f"consultant_{criterion}"
        before = getattr(skill, column) or getattr(skill, criterion) or ""
        after = parsed.value if parsed is not None else (getattr(skill, criterion) or "")
        setattr(skill, column, parsed)
        skill.updated_at = utcnow()
        session.add(skill)
        _history(
            session,
            actor,
            assessment,
            HistoryEvent.RATING,
            skill,
            criterion=criterion,
            before=before,
            after=after,
            comment=comment,
        )
        _touch(session, assessment)
        record_on_bilan(
            session,
            actor,
            bilan,
            SkillsAction.RATING_ADJUSTED,
            **{f"{skill.code_ogr}.{criterion}": {"before": before, "after": after}},
        )
        return skill_view(skill)


def validate(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """The consultant validates: every chosen skill has its five criteria (theirs or the beneficiary's)."""
    with session_scope() as session:
        assessment, bilan = _followed(session, actor, bilan_id)
        _require_in_progress(bilan)
        if assessment.status is AssessmentStatus.VALIDATED:
            raise ServiceError("skills.error.already_validated")
        selected = [skill_view(skill) for skill in assessment_skills(session, assessment) if skill.selected]
        if not selected:
            raise ServiceError("skills.error.no_skill")
        incomplete = [skill for skill in selected if not all(skill.effective.values())]
        if incomplete:
            raise ServiceError("skills.error.unrated", count=len(incomplete))
        assessment.status = AssessmentStatus.VALIDATED
        assessment.validated_at = utcnow()
        assessment.validated_by = actor.user_id
        _touch(session, assessment)
        _history(session, actor, assessment, HistoryEvent.VALIDATED)
        record_on_bilan(session, actor, bilan, SkillsAction.VALIDATED, skills={"before": None, "after": len(selected)})


def reopen(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """Unlock a validated assessment, so that it can be changed (and validated again)."""
    with session_scope() as session:
        assessment, bilan = _followed(session, actor, bilan_id)
        _require_in_progress(bilan)
        if assessment.status is not AssessmentStatus.VALIDATED:
            raise ServiceError("skills.error.not_validated")
        assessment.status = AssessmentStatus.SUBMITTED
        _touch(session, assessment)
        _history(session, actor, assessment, HistoryEvent.REOPENED)
        record_on_bilan(
            session, actor, bilan, SkillsAction.REOPENED, status={"before": "validated", "after": "submitted"}
        )


def history(actor: Actor, bilan_id: uuid.UUID | str) -> list[HistoryRow]:
    """Every rating change and status change, newest first: the beneficiary or a follower."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        assessment = find_assessment(session, bilan)
        if assessment is None:
            return []
        log_personal_read(session, actor, bilan, "skills_history")
        rows = session.exec(
            select(AssessmentHistory, User, AssessmentSkill)
            .join(User, col(User.id) == col(AssessmentHistory.author_id))
            .outerjoin(AssessmentSkill, col(AssessmentSkill.id) == col(AssessmentHistory.skill_id))
            .where(
                AssessmentHistory.organisation_id == bilan.organisation_id,
                AssessmentHistory.assessment_id == assessment.id,
            )
            .order_by(col(AssessmentHistory.created_at).desc(), col(AssessmentHistory.id))
        ).all()
        return [
            HistoryRow(
                at=row.created_at,
                author=user.full_name,
                by_consultant=row.by_consultant,
                event=row.event.value,
                skill=skill.libelle if skill is not None else "",
                criterion=row.criterion,
                before=row.before,
                after=row.after,
                comment=decrypt_text(row.comment_encrypted) if row.comment_encrypted else "",
            )
            for row, user, skill in rows
        ]
