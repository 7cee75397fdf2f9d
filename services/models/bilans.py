"""The bilan de compétences: its lifecycle, sessions with attendance, tasks, and the convention."""

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
    required_datetime_field,
)


class BilanStatus(StrEnum):
    DEMANDE = "demande"
    PRELIMINAIRE = "preliminaire"
    INVESTIGATION = "investigation"
    CONCLUSION = "conclusion"
    SUIVI = "suivi"
    TERMINE = "termine"
    ABANDONNE = "abandonne"
    ANNULE = "annule"


class Phase(StrEnum):
    """The three legal phases (R6313-4), plus the optional follow-up interview."""

    PRELIMINAIRE = "preliminaire"
    INVESTIGATION = "investigation"
    CONCLUSION = "conclusion"
    SUIVI = "suivi"


class FundingType(StrEnum):
    CPF = "cpf"
    EMPLOYER = "employer"  # plan de développement des compétences: tripartite convention
    OPCO = "opco"
    FRANCE_TRAVAIL = "france_travail"
    SELF = "self"


class DeliveryMode(StrEnum):
    PRESENTIEL = "presentiel"
    DISTANCIEL = "distanciel"
    HYBRIDE = "hybride"


class Bilan(SQLModel, table=True):
    __tablename__ = "bilans"
    __table_args__ = (Index("ix_bilans_org_consultant_status", "organisation_id", "consultant_id", "status"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    beneficiary_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    consultant_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # The consultant the beneficiary asked for (None: let the organisation choose).
    requested_consultant_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    consultant_accepted_at: datetime | None = optional_datetime_field()
    status: BilanStatus = enum_field(BilanStatus, BilanStatus.DEMANDE)
    mode: DeliveryMode = enum_field(DeliveryMode, DeliveryMode.HYBRIDE)
    funding_type: FundingType = enum_field(FundingType, FundingType.CPF)
    edof_file_number: str = Field(default="", max_length=40)
    edof_status: str = Field(default="", max_length=30)
    employer_name: str = Field(default="", max_length=200)
    employer_signatory_name: str = Field(default="", max_length=200)
    employer_email: str = Field(default="", max_length=254)
    price_euros: float = 0
    hours_planned_total: float = 24
    # Free text written in the bilan: Fernet-encrypted.
    objectives_encrypted: str = ""
    questionnaire_encrypted: str = ""
    questionnaire_completed_at: datetime | None = optional_datetime_field()
    status_reason_encrypted: str = ""
    synthese_handed_over_at: datetime | None = optional_datetime_field()
    synthese_document_id: uuid.UUID | None = None  # a Document of the same bilan (checked by the service)
    followup_due_on: date | None = None
    followup_reminder_sent_at: datetime | None = optional_datetime_field()
    requested_at: datetime = created_at_field()
    preliminaire_started_at: datetime | None = optional_datetime_field()
    investigation_started_at: datetime | None = optional_datetime_field()
    conclusion_started_at: datetime | None = optional_datetime_field()
    suivi_started_at: datetime | None = optional_datetime_field()
    closed_at: datetime | None = optional_datetime_field()
    updated_at: datetime = created_at_field()


class DocumentKind(StrEnum):
    CONVENTION = "convention"
    SIGNED_CONVENTION = "signed_convention"
    SYNTHESE = "synthese"
    MESSAGE_ATTACHMENT = "message_attachment"  # a file sent in the bilan's conversation
    BILAN_FILE = "bilan_file"  # a file of the bilan's documents space (services.bilan_files)
    OTHER = "other"


class Document(SQLModel, table=True):
    """A file of a bilan, stored Fernet-encrypted on disk; the row keeps its hash and metadata."""

    __tablename__ = "documents"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID | None = Field(default=None, foreign_key="bilans.id", index=True)
    kind: DocumentKind = enum_field(DocumentKind)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="application/pdf", max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64, index=True)
    storage_key: str = Field(max_length=200)
    uploaded_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()


class SessionStatus(StrEnum):
    PLANNED = "planned"
    # Recorded afterwards by the consultant (held without the platform): held once the beneficiary confirms.
    RECORDED = "recorded"
    HELD = "held"
    CANCELLED = "cancelled"


class BilanSession(SQLModel, table=True):
    """One appointment of the bilan; both parties confirm attendance (émargement)."""

    __tablename__ = "bilan_sessions"
    __table_args__ = (Index("ix_bilan_sessions_bilan_start", "bilan_id", "starts_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    phase: Phase = enum_field(Phase)
    starts_at: datetime = required_datetime_field()
    duration_minutes: int
    mode: DeliveryMode = enum_field(DeliveryMode, DeliveryMode.PRESENTIEL)
    location: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    status: SessionStatus = enum_field(SessionStatus, SessionStatus.PLANNED)
    beneficiary_attended_at: datetime | None = optional_datetime_field()
    consultant_attended_at: datetime | None = optional_datetime_field()
    # The consultant's notes: encrypted, never shown to the org admin, never exported to third parties.
    notes_encrypted: str = ""
    # Who wrote them: after a reassignment, another consultant reads them only with the beneficiary's
    # agreement (services.session_notes).
    notes_author_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # "Saisie a posteriori": when and by whom it was recorded, and why (encrypted).
    recorded_afterwards_at: datetime | None = optional_datetime_field()
    recorded_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    recorded_reason_encrypted: str = ""
    reminder_sent_at: datetime | None = optional_datetime_field()
    # The calendar invitation's SEQUENCE (RFC 5545): raised each time the session is moved or cancelled.
    ics_sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The Jitsi room of a remote session (an unguessable name, services.calendar.visio), made when first needed.
    video_room: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    created_at: datetime = created_at_field()


class BilanTask(SQLModel, table=True):
    __tablename__ = "bilan_tasks"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    title_encrypted: str
    due_on: date | None = None
    done_at: datetime | None = optional_datetime_field()
    reminder_sent_at: datetime | None = optional_datetime_field()
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()


class ConventionKind(StrEnum):
    BIPARTITE = "bipartite"
    TRIPARTITE = "tripartite"


class ConventionStatus(StrEnum):
    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED = "signed"
    EXPIRED = "expired"  # tripartite: the employee's 10 days passed (silence is refusal)
    CANCELLED = "cancelled"


class SignatureParty(StrEnum):
    BENEFICIARY = "beneficiary"
    ORGANISATION = "organisation"
    EMPLOYER = "employer"


class Convention(SQLModel, table=True):
    __tablename__ = "conventions"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    kind: ConventionKind = enum_field(ConventionKind)
    status: ConventionStatus = enum_field(ConventionStatus, ConventionStatus.AWAITING_SIGNATURES)
    version: int = 1
    # The exact PDF every party reads and signs, then the final PDF with its certificate page.
    document_id: uuid.UUID = Field(foreign_key="documents.id")
    document_sha256: str = Field(max_length=64)
    signed_document_id: uuid.UUID | None = Field(default=None, foreign_key="documents.id")
    signed_document_sha256: str = Field(default="", max_length=64, index=True)
    issued_at: datetime = created_at_field()
    sign_by: datetime | None = optional_datetime_field()
    signed_at: datetime | None = optional_datetime_field()


class ConventionSignature(SQLModel, table=True):
    """One party's signature, with its evidence: time, IP, user agent, PDF hash and the code check."""

    __tablename__ = "convention_signatures"
    __table_args__ = (UniqueConstraint("convention_id", "party", name="uq_signature_party"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    convention_id: uuid.UUID = Field(foreign_key="conventions.id", index=True)
    party: SignatureParty = enum_field(SignatureParty)
    signer_email: str = Field(max_length=254)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # An external signer (employer) reaches the page through a token sent by e-mail.
    access_token_hash: str = Field(default="", max_length=64, index=True)
    code_hash: str = Field(default="", max_length=64)
    code_expires_at: datetime | None = optional_datetime_field()
    code_attempts: int = 0
    typed_name: str = Field(default="", max_length=200)
    consent_given: bool = False
    signed_at: datetime | None = optional_datetime_field()
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=400)
    signed_sha256: str = Field(default="", max_length=64)
