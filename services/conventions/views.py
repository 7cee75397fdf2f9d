"""Reading a convention: what each page shows of it, and its PDFs (to sign, and the final signed one)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from services import audit
from services.access import Actor
from services.bilans import get_bilan, is_follower, latest_convention
from services.conventions._common import (
    ConventionAction,
    by_employer_token,
    filename,
    load_convention,
    may_view,
    party_names,
    pdf_of,
    record,
    signatures_of,
)
from services.db import session_scope
from services.errors import AccessDenied, NotFound
from services.models import (
    Bilan,
    Convention,
    ConventionKind,
    ConventionSignature,
    ConventionStatus,
    Organisation,
    SignatureParty,
    User,
)
from services.models.base import utcnow


@dataclass(frozen=True)
class PartyView:
    party: SignatureParty
    name: str  # the person who signs
    email: str
    on_behalf_of: str  # the organisation or the employer; "" for the beneficiary
    signed_at: datetime | None
    code_expires_at: datetime | None  # a code was sent and may be typed until then


@dataclass(frozen=True)
class ConventionView:
    id: uuid.UUID
    bilan_id: uuid.UUID
    kind: ConventionKind
    status: ConventionStatus
    version: int
    issued_at: datetime
    sign_by: datetime | None
    signed_at: datetime | None
    document_sha256: str
    signed_document_sha256: str
    parties: tuple[PartyView, ...]
    # The party the viewer may still sign for (None: nothing for the viewer to sign).
    viewer_party: SignatureParty | None

    @property
    def missing_parties(self) -> tuple[SignatureParty, ...]:
        return tuple(p.party for p in self.parties if p.signed_at is None)

    @property
    def completed(self) -> bool:
        """Every party signed: the final PDF exists."""
        return self.status == ConventionStatus.SIGNED


@dataclass(frozen=True)
class EmployerSignatureView:
    """What the employer's signing page shows (reached by token, without an account)."""

    convention_id: uuid.UUID
    organisation_name: str
    beneficiary_name: str
    employer_name: str
    signatory_name: str
    email: str
    version: int
    status: ConventionStatus
    issued_at: datetime
    sign_by: datetime | None
    signed_at: datetime | None  # the employer's signature
    completed_at: datetime | None  # every party signed
    document_sha256: str
    code_expires_at: datetime | None

    @property
    def can_sign(self) -> bool:
        in_time = self.sign_by is None or utcnow() <= self.sign_by
        return self.status == ConventionStatus.AWAITING_SIGNATURES and self.signed_at is None and in_time

    @property
    def completed(self) -> bool:
        """Every party signed: the final PDF exists."""
        return self.completed_at is not None


def _live_code(signature: ConventionSignature, now: datetime) -> datetime | None:
    """Until when the code last sent may be typed; None when there is none to type."""
    expires = signature.code_expires_at
    return expires if signature.code_hash and expires and expires > now else None


def convention_view(session: Session, convention: Convention, bilan: Bilan, viewer: Actor | None) -> ConventionView:
    """The convention as a signed-in person sees it, with the party ``viewer`` may still sign for."""
    signatures = signatures_of(session, convention)
    names = party_names(session, bilan, signatures)
    now = utcnow()
    parties = tuple(
        PartyView(
            party=SignatureParty(s.party),
            name=names[SignatureParty(s.party)][0],
            email=s.signer_email,
            on_behalf_of=names[SignatureParty(s.party)][1],
            signed_at=s.signed_at,
            code_expires_at=_live_code(s, now),
        )
        for s in signatures
    )
    viewer_party = None
    if viewer is not None and convention.status == ConventionStatus.AWAITING_SIGNATURES:
        for s in signatures:
            if s.signed_at is not None:
                continue
            party = SignatureParty(s.party)
            own = party is SignatureParty.BENEFICIARY and viewer.user_id == bilan.beneficiary_id
            signatory = party is SignatureParty.ORGANISATION and viewer.user_id == s.user_id
            if own or (signatory and is_follower(viewer, bilan)):
                viewer_party = party
    return ConventionView(
        id=convention.id,
        bilan_id=convention.bilan_id,
        kind=ConventionKind(convention.kind),
        status=ConventionStatus(convention.status),
        version=convention.version,
        issued_at=convention.issued_at,
        sign_by=convention.sign_by,
        signed_at=convention.signed_at,
        document_sha256=convention.document_sha256,
        signed_document_sha256=convention.signed_document_sha256,
        parties=parties,
        viewer_party=viewer_party,
    )


def employer_view(
    session: Session, signature: ConventionSignature, convention: Convention, bilan: Bilan
) -> EmployerSignatureView:
    """The convention as the employer's page shows it."""
    organisation = session.get(Organisation, convention.organisation_id)
    beneficiary = session.get(User, bilan.beneficiary_id)
    return EmployerSignatureView(
        convention_id=convention.id,
        organisation_name=organisation.name if organisation else "",
        beneficiary_name=beneficiary.full_name if beneficiary else "",
        employer_name=bilan.employer_name,
        signatory_name=bilan.employer_signatory_name,
        email=signature.signer_email,
        version=convention.version,
        status=ConventionStatus(convention.status),
        issued_at=convention.issued_at,
        sign_by=convention.sign_by,
        signed_at=signature.signed_at,
        completed_at=convention.signed_at,
        document_sha256=convention.document_sha256,
        code_expires_at=_live_code(signature, utcnow()),
    )


# ---------------------------------------------------------------- signed-in readers


def get_convention_view(actor: Actor, bilan_id: uuid.UUID | str) -> ConventionView | None:
    """The bilan's latest convention with each party's signature status.

    Who may call: the bilan's beneficiary and its followers (assigned consultant, org admin).
    """
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not may_view(actor, bilan):
            raise AccessDenied()
        convention = latest_convention(session, bilan)
        return convention_view(session, convention, bilan, actor) if convention else None


def read_convention_pdf(actor: Actor, convention_id: uuid.UUID | str, *, signed: bool) -> tuple[str, bytes]:
    """The PDF to sign (``signed=False``) or the final signed PDF: filename and bytes; logged.

    Who may call: the bilan's beneficiary and its followers; anyone else gets NotFound.
    """
    with session_scope() as session:
        convention, bilan = load_convention(session, actor, convention_id)
        if not may_view(actor, bilan):
            raise NotFound()
        content = pdf_of(session, convention, signed=signed)
        audit.record(
            session,
            ConventionAction.DOWNLOADED,
            actor=actor,
            target_type="convention",
            target_id=convention.id,
            changes={"signed": {"before": None, "after": signed}},
        )
        return filename(convention, signed=signed), content


# ---------------------------------------------------------------- the employer, through its link


def describe_employer_signature(token: str) -> EmployerSignatureView:
    """What the employer's page shows; NotFound("error.convention_link_invalid") for a bad link.

    Who may call: anyone holding the link token.
    """
    with session_scope() as session:
        signature, convention, bilan = by_employer_token(session, token)
        return employer_view(session, signature, convention, bilan)


def read_employer_pdf(token: str, *, signed: bool = False) -> tuple[str, bytes]:
    """The convention's PDF for the employer (the final one once every party signed); logged.

    Who may call: anyone holding the link token.
    """
    with session_scope() as session:
        signature, convention, _bilan = by_employer_token(session, token)
        content = pdf_of(session, convention, signed=signed)
        record(
            session,
            ConventionAction.DOWNLOADED,
            convention,
            actor=None,
            client=None,
            target=signature,
            changes={"signed": {"before": None, "after": signed}},
            employer_label=f"employer:{signature.signer_email}",
        )
        return filename(convention, signed=signed), content
