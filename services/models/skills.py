"""The skills self-assessment of a bilan: the parcours, the chosen skills with their two ratings, the history.

One ``SkillsAssessment`` per bilan. Skills keep a copy of their ROME label, kind and category, so an
assessment stays readable after the référentiel is replaced by a newer version.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import (
    created_at_field,
    enum_field,
    id_field,
    optional_datetime_field,
    optional_enum_field,
)


class AssessmentStep(StrEnum):
    """The wizard's four steps, in order (the beneficiary resumes at the saved one)."""

    PARCOURS = "parcours"
    COMPETENCES = "competences"
    EVALUATION = "evaluation"
    REVUE = "revue"


class AssessmentStatus(StrEnum):
    DRAFT = "draft"  # the beneficiary is filling it in
    SUBMITTED = "submitted"  # sent to the consultant
    VALIDATED = "validated"  # the consultant validated it: locked until reopened


class ExperienceKind(StrEnum):
    EMPLOI = "emploi"  # a past or current job
    FORMATION = "formation"  # education and training
    BENEVOLAT = "benevolat"  # volunteering
    PERSONNEL = "personnel"  # other personal experience


class Maitrise(StrEnum):
    DEBUTANT = "debutant"
    INTERMEDIAIRE = "intermediaire"
    AVANCE = "avance"
    EXPERT = "expert"


class Frequence(StrEnum):
    QUOTIDIENNE = "quotidienne"
    HEBDOMADAIRE = "hebdomadaire"
    OCCASIONNELLE = "occasionnelle"
    RARE = "rare"  # rarely or no longer used


class Contexte(StrEnum):
    FORMATION = "formation"
    EXPERIENCE_PRO = "experience_pro"
    PERSONNEL = "personnel"


class Appetence(StrEnum):
    AIME = "aime"
    NEUTRE = "neutre"
    NAIME_PAS = "naime_pas"


class Potentiel(StrEnum):
    FAIBLE = "faible"
    MOYEN = "moyen"
    FORT = "fort"


class SkillOrigin(StrEnum):
    PROPOSED = "propose"  # proposed from a métier of the parcours
    ADDED = "ajoute"  # added by the beneficiary through search


class HistoryEvent(StrEnum):
    RATING = "rating"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REOPENED = "reopened"


class SkillsAssessment(SQLModel, table=True):
    __tablename__ = "skills_assessments"
    __table_args__ = (UniqueConstraint("bilan_id", name="uq_skills_assessments_bilan"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    step: AssessmentStep = enum_field(AssessmentStep, AssessmentStep.PARCOURS)
    status: AssessmentStatus = enum_field(AssessmentStatus, AssessmentStatus.DRAFT)
    submitted_at: datetime | None = optional_datetime_field()
    validated_at: datetime | None = optional_datetime_field()
    validated_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class AssessmentExperience(SQLModel, table=True):
    """One line of the parcours; the place and the description are Fernet-encrypted."""

    __tablename__ = "assessment_experiences"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    assessment_id: uuid.UUID = Field(foreign_key="skills_assessments.id", index=True)
    kind: ExperienceKind = enum_field(ExperienceKind)
    title: str = Field(max_length=255)
    code_rome: str = Field(default="", max_length=5)  # the métier found through appellation search
    appellation_code: str = Field(default="", max_length=12)
    place_encrypted: str = ""  # employer, school or association
    description_encrypted: str = ""
    start_on: date | None = None  # first day of the month
    end_on: date | None = None  # None: still going on
    created_at: datetime = created_at_field()


class AssessmentSkill(SQLModel, table=True):
    """A skill the beneficiary kept, with their self-rating and the consultant's adjustments.

    The rating columns are None until rated; ``consultant_*`` is None where the consultant kept the
    beneficiary's rating. A deselected skill keeps its ratings, so unticking it by mistake loses nothing.
    """

    __tablename__ = "assessment_skills"
    __table_args__ = (UniqueConstraint("assessment_id", "code_ogr", name="uq_assessment_skills_code"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    assessment_id: uuid.UUID = Field(foreign_key="skills_assessments.id", index=True)
    code_ogr: str = Field(max_length=12)
    libelle: str = Field(max_length=500)
    kind: str = Field(max_length=20)  # RomeItemKind value
    categorie: str = Field(default="", max_length=120)
    domaine: str = Field(default="", max_length=255)  # the métier domain it was found in, for the map
    core: bool = False
    origin: SkillOrigin = enum_field(SkillOrigin, SkillOrigin.PROPOSED)
    source_code_rome: str = Field(default="", max_length=5)
    selected: bool = True
    maitrise: Maitrise | None = optional_enum_field(Maitrise)
    frequence: Frequence | None = optional_enum_field(Frequence)
    contexte: Contexte | None = optional_enum_field(Contexte)
    appetence: Appetence | None = optional_enum_field(Appetence)
    potentiel: Potentiel | None = optional_enum_field(Potentiel)
    consultant_maitrise: Maitrise | None = optional_enum_field(Maitrise)
    consultant_frequence: Frequence | None = optional_enum_field(Frequence)
    consultant_contexte: Contexte | None = optional_enum_field(Contexte)
    consultant_appetence: Appetence | None = optional_enum_field(Appetence)
    consultant_potentiel: Potentiel | None = optional_enum_field(Potentiel)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class AssessmentHistory(SQLModel, table=True):
    """Every rating change (who, which criterion, before, after, the comment) and every status change."""

    __tablename__ = "assessment_history"
    __table_args__ = (Index("ix_assessment_history_assessment", "assessment_id", "created_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    assessment_id: uuid.UUID = Field(foreign_key="skills_assessments.id")
    skill_id: uuid.UUID | None = Field(default=None, foreign_key="assessment_skills.id")
    author_id: uuid.UUID = Field(foreign_key="users.id")
    by_consultant: bool = False
    event: HistoryEvent = enum_field(HistoryEvent)
    criterion: str = Field(default="", max_length=20)
    before: str = Field(default="", max_length=20)
    after: str = Field(default="", max_length=20)
    comment_encrypted: str = ""
    created_at: datetime = created_at_field()
