"""The public check of a convention PDF: is this file one signed on the platform?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import col, select

from services.conventions._common import party_names, sha256, signatures_of
from services.db import session_scope
from services.errors import ServiceError
from services.models import (
    Bilan,
    Convention,
    ConventionKind,
    ConventionStatus,
    Document,
    DocumentKind,
    Organisation,
    SignatureParty,
)
from services.storage import MAX_UPLOAD_BYTES


class VerificationStatus(StrEnum):
    VALID = "valid"
    NOT_FINAL = "not_final"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VerifiedSigner:
    party: SignatureParty
    name: str
    signed_at: datetime | None


@dataclass(frozen=True)
class VerificationResult:
    status: VerificationStatus
    sha256: str
    organisation_name: str = ""
    kind: ConventionKind | None = None
    version: int | None = None
    signed_at: datetime | None = None
    signers: tuple[VerifiedSigner, ...] = ()

    @property
    def is_valid(self) -> bool:
        return self.status is VerificationStatus.VALID

    @property
    def message_key(self) -> str:
        return f"convention.verify.{self.status}"


def verify_pdf(content: bytes) -> VerificationResult:
    """Is this file a convention signed on the platform? Answers by SHA-256 only; no personal data but names.

    Who may call: anyone (a public page); it reveals only the organisation, the kind, and the parties'
    names and signature times.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise ServiceError("error.convention_file_too_large")
    digest = sha256(content)
    with session_scope() as session:
        convention = session.exec(select(Convention).where(Convention.signed_document_sha256 == digest)).first()
        if convention is not None:
            organisation = session.get(Organisation, convention.organisation_id)
            bilan = session.get(Bilan, convention.bilan_id)
            signatures = signatures_of(session, convention)
            names = party_names(session, bilan, signatures) if bilan else {}
            return VerificationResult(
                status=(
                    VerificationStatus.CANCELLED
                    if convention.status == ConventionStatus.CANCELLED
                    else VerificationStatus.VALID
                ),
                sha256=digest,
                organisation_name=organisation.name if organisation else "",
                kind=ConventionKind(convention.kind),
                version=convention.version,
                signed_at=convention.signed_at,
                signers=tuple(
                    VerifiedSigner(
                        party=SignatureParty(s.party),
                        name=names.get(SignatureParty(s.party), ("", ""))[0],
                        signed_at=s.signed_at,
                    )
                    for s in signatures
                ),
            )
        original = session.exec(
            select(Convention)
            .join(Document, col(Document.id) == Convention.document_id)
            .where(Document.sha256 == digest, Document.kind == DocumentKind.CONVENTION)
        ).first()
        if original is not None:
            organisation = session.get(Organisation, original.organisation_id)
            return VerificationResult(
                status=VerificationStatus.NOT_FINAL,
                sha256=digest,
                organisation_name=organisation.name if organisation else "",
                kind=ConventionKind(original.kind),
                version=original.version,
            )
    return VerificationResult(status=VerificationStatus.UNKNOWN, sha256=digest)
