"""What a feature reads from the bilan: only what it needs (data minimisation), in plain structures.

The caller has already checked access (``services.llm.run``). The people's names and the employers
are always collected, even when the feature's text does not include them, because the consultant's
free text (notes, aspirations) may mention them: the pseudonymiser must know them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from services.access import Actor
from services.crypto import decrypt_text
from services.llm.schemas import AiFeature, RecommendationInput
from services.models import AssessmentExperience, Bilan, BilanSession, User
from services.session_notes import readable_notes
from services.skills.assessment import assessment_skills, find_assessment

MAX_NOTES_CHARS = 30_000  # the notes sent for the themes (most recent sessions first kept)


@dataclass(frozen=True)
class ExperienceItem:
    kind: str
    title: str
    code_rome: str
    employer: str
    description: str
    start: str  # "YYYY-MM" or ""
    end: str  # "YYYY-MM" or "" (still going on)


@dataclass(frozen=True)
class SkillItem:
    libelle: str
    kind: str
    categorie: str
    domaine: str
    core: bool
    maitrise: str  # the consultant's rating where set, else the beneficiary's ("" when not rated)
    appetence: str
    source_code_rome: str


@dataclass(frozen=True)
class NoteItem:
    number: int  # 1-based, in chronological order
    on: str  # ISO date
    phase: str
    text: str


@dataclass
class BilanContext:
    beneficiary_name: str
    consultant_name: str
    employers: list[str] = field(default_factory=list)
    experiences: list[ExperienceItem] = field(default_factory=list)
    skills: list[SkillItem] = field(default_factory=list)
    objectives: str = ""
    notes: list[NoteItem] = field(default_factory=list)
    recommendation: RecommendationInput | None = None
    targets: list[RecommendationInput] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name in (self.beneficiary_name, self.consultant_name) if name]


def _month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value is not None else ""


def _name(session: Session, user_id: object) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""


def _experiences(session: Session, bilan: Bilan) -> list[ExperienceItem]:
    assessment = find_assessment(session, bilan)
    if assessment is None:
        return []
    rows = session.exec(
        select(AssessmentExperience).where(
            AssessmentExperience.organisation_id == bilan.organisation_id,
            AssessmentExperience.assessment_id == assessment.id,
        )
    ).all()
    rows = sorted(rows, key=lambda row: (row.end_on is not None, -(row.start_on or date.min).toordinal()))
    return [
        ExperienceItem(
            kind=str(row.kind),
            title=row.title,
            code_rome=row.code_rome,
            employer=decrypt_text(row.place_encrypted) if row.place_encrypted else "",
            description=decrypt_text(row.description_encrypted) if row.description_encrypted else "",
            start=_month(row.start_on),
            end=_month(row.end_on),
        )
        for row in rows
    ]


def _skills(session: Session, bilan: Bilan) -> list[SkillItem]:
    skills = assessment_skills(session, find_assessment(session, bilan))
    return [
        SkillItem(
            libelle=skill.libelle,
            kind=skill.kind,
            categorie=skill.categorie,
            domaine=skill.domaine,
            core=skill.core,
            maitrise=str(skill.consultant_maitrise or skill.maitrise or ""),
            appetence=str(skill.consultant_appetence or skill.appetence or ""),
            source_code_rome=skill.source_code_rome,
        )
        for skill in skills
        if skill.selected
    ]


def _notes(session: Session, actor: Actor, bilan: Bilan) -> list[NoteItem]:
    """The notes ``actor`` may read (``session_notes.readable_notes``), numbered among all the sessions."""
    readable = {note.session_id: note.text for note in readable_notes(session, actor, bilan)}
    rows = session.exec(
        select(BilanSession)
        .where(BilanSession.organisation_id == bilan.organisation_id, BilanSession.bilan_id == bilan.id)
        .order_by(col(BilanSession.starts_at))
    ).all()
    notes = [
        NoteItem(number, row.starts_at.date().isoformat(), str(row.phase), readable[row.id])
        for number, row in enumerate(rows, start=1)
        if row.id in readable
    ]
    kept: list[NoteItem] = []
    total = 0
    for note in reversed(notes):  # the most recent sessions matter most when the notes are long
        total += len(note.text)
        if total > MAX_NOTES_CHARS:
            break
        kept.append(note)
    return list(reversed(kept))


def build_context(
    session: Session,
    actor: Actor,
    bilan: Bilan,
    feature: AiFeature,
    *,
    recommendation: RecommendationInput | None = None,
    targets: list[RecommendationInput] | None = None,
) -> BilanContext:
    experiences = _experiences(session, bilan)
    context = BilanContext(
        beneficiary_name=_name(session, bilan.beneficiary_id),
        consultant_name=_name(session, bilan.consultant_id),
        employers=sorted({item.employer for item in experiences if item.employer}),
    )
    if feature in {AiFeature.TRANSFERABLE_SKILLS, AiFeature.SYNTHESE_DRAFT}:
        context.experiences = experiences
    if feature in {AiFeature.TRANSFERABLE_SKILLS, AiFeature.SYNTHESE_DRAFT, AiFeature.RECOMMENDATION_EXPLANATION}:
        context.skills = _skills(session, bilan)
    if feature is AiFeature.SYNTHESE_DRAFT:
        context.objectives = decrypt_text(bilan.objectives_encrypted) if bilan.objectives_encrypted else ""
        context.targets = list(targets or [])
    if feature is AiFeature.RECOMMENDATION_EXPLANATION:
        context.recommendation = recommendation
    if feature is AiFeature.SESSION_THEMES:
        context.notes = _notes(session, actor, bilan)
    return context
