"""The convention of a bilan and its electronic signature (Code du travail L6313-4, R6313-8).

Who may do what, in one screen:

* ``issue_convention`` and ``cancel_convention``: a follower of the bilan (the assigned consultant or
  an org admin). The follower who issues the convention is the organisation's signatory.
* ``send_signature_code`` and ``sign``: the party itself. The beneficiary signs for
  ``BENEFICIARY``; the organisation's signatory (still a follower) signs for ``ORGANISATION``; the
  employer of a tripartite convention has no account and signs through the token of the link it
  received (``describe_employer_signature``, ``send_employer_code``, ``sign_as_employer``).
* ``get_convention_view`` and ``read_convention_pdf``: the beneficiary and the followers.
* ``verify_pdf``: anyone (a public page); it reveals only the organisation, the kind, and the
  parties' names and signature times.
* ``expire_overdue_conventions``: the job that applies "silence vaut refus" after ten days.

Every function that takes an actor finds the bilan through ``services.bilans.get_bilan``, so another
organisation's convention answers NotFound. Each mutation writes its audit event in the same
transaction; mails are queued in it and delivered after the commit.

The signed PDF is the original PDF, byte for byte, followed by a certificate page appended as a PDF
incremental update (``services.pdf.append_pdf_pages``): whoever holds the final file can check the
first bytes against the SHA-256 printed on the certificate.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from babel.numbers import format_currency
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func
from sqlmodel import Session, col, select

from services import audit, routes
from services.access import Actor, scoped
from services.auth import ClientInfo
from services.bilans import (
    CLOSED_STATUSES,
    get_bilan,
    is_follower,
    latest_convention,
    require_beneficiary,
    require_follower,
)
from services.crypto import decrypt_text, hash_token, new_token
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, RateLimited, ServiceError
from services.forms import NAME_MAX
from services.i18n import TIMEZONE, format_datetime, format_number, translate
from services.mail import queue_mail
from services.models import (
    AuditEvent,
    Bilan,
    BilanStatus,
    Convention,
    ConventionKind,
    ConventionSignature,
    ConventionStatus,
    Document,
    DocumentKind,
    FundingType,
    Organisation,
    Role,
    SignatureParty,
    User,
)
from services.models.base import utcnow
from services.pdf import append_pdf_pages, page_count, render_pdf
from services.settings import get_settings
from services.storage import MAX_UPLOAD_BYTES, read_document, store_document

# ---------------------------------------------------------------- catalogue (to merge into services.i18n)

# ---------------------------------------------------------------- rules

SIGN_WINDOW_DAYS = 10  # R6313-8: the employee has ten days to sign; silence is refusal
LEGAL_MAX_HOURS = 24  # L6313-4
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODES_PER_HOUR = 5  # codes sent per signature and per hour
PERIOD_WEEKS = 12  # indicative period printed in the convention
# The CPF flat participation (indexed each year; keep it in sync with the decree in force).
# A signed convention may still be cancelled (to issue a corrected version) before the investigation.
CANCELLABLE_SIGNED_IN = frozenset({BilanStatus.DEMANDE, BilanStatus.PRELIMINAIRE})
ACTIVE_STATUSES = frozenset({ConventionStatus.AWAITING_SIGNATURES, ConventionStatus.SIGNED})
PARTY_ORDER = (SignatureParty.ORGANISATION, SignatureParty.BENEFICIARY, SignatureParty.EMPLOYER)
SIGNATURE_METHOD = "code à usage unique vérifié par e-mail"
TITLE = "Convention de bilan de compétences"


class ConventionAction(StrEnum):
    """Audit actions of the convention domain (target: ("convention", id), or the signature for codes)."""

    ISSUED = "convention.issued"
    CODE_SENT = "convention.code_sent"
    CODE_FAILED = "convention.code_failed"
    CODE_LOCKED = "convention.code_locked"
    SIGNED_BY = "convention.signed_by"
    COMPLETED = "convention.completed"
    EXPIRED = "convention.expired"
    CANCELLED = "convention.cancelled"
    DOWNLOADED = "convention.downloaded"
    INTEGRITY_FAILED = "convention.integrity_failed"


# ---------------------------------------------------------------- what the UI gets


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


@dataclass(frozen=True)
class CodeSent:
    party: SignatureParty
    email_masked: str
    expires_at: datetime


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


# ---------------------------------------------------------------- small helpers


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _public_link(route: str) -> str:
    return get_settings().public_url.rstrip("/") + route


def employer_signature_link(token: str) -> str:
    return _public_link(routes.with_token(routes.EMPLOYER_SIGNATURE, token))


def _name_key(name: str) -> list[str]:
    """Words of a name, without case, accents or punctuation, sorted (first/last name in any order)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return sorted(re.findall(r"[a-z0-9ßæœø]+", plain))


def names_match(typed: str, expected: str) -> bool:
    key = _name_key(typed)
    return bool(key) and key == _name_key(expected)


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}•@{domain}"
    return f"{local[0]}{'•' * min(len(local) - 2, 6)}{local[-1]}@{domain}"


def _code_hash(signature: ConventionSignature, code: str) -> str:
    # Bound to the signature: a code mailed for one party never works for another.
    return hash_token(f"convention-code:{signature.id}:{code}")


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes", "oui"}


def _paris(value: datetime | None, fmt: str = "d MMMM y 'à' HH:mm") -> str:
    return format_datetime(value, "fr", fmt=fmt) if value else ""


def _mail_date(value: datetime, locale: str) -> str:
    """A date and time for a mail body, in Paris time."""
    if locale == "en":
        return format_datetime(value, "en", fmt="d MMMM y, HH:mm") + " (Paris time)"
    return format_datetime(value, "fr", fmt="d MMMM y 'à' HH:mm") + " (heure de Paris)"


def _money(value: float) -> str:
    return format_currency(value, "EUR", locale="fr_FR")


def _users(session: Session, ids: Sequence[uuid.UUID | None]) -> dict[uuid.UUID, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted))).all()}


def _locale(user: User | None) -> str:
    return user.locale if user is not None and user.locale in {"fr", "en"} else "fr"


def _signatures(session: Session, convention: Convention) -> list[ConventionSignature]:
    rows = session.exec(select(ConventionSignature).where(ConventionSignature.convention_id == convention.id)).all()
    return sorted(rows, key=lambda s: PARTY_ORDER.index(SignatureParty(s.party)))


def _signature(session: Session, convention: Convention, party: SignatureParty | str) -> ConventionSignature:
    try:
        wanted = SignatureParty(party)
    except ValueError as exc:
        raise NotFound() from exc
    found = session.exec(
        select(ConventionSignature).where(
            ConventionSignature.convention_id == convention.id, ConventionSignature.party == wanted
        )
    ).first()
    if found is None:
        raise NotFound()
    return found


def _load_convention(
    session: Session, actor: Actor, convention_id: uuid.UUID | str, *, lock: bool = False
) -> tuple[Convention, Bilan]:
    """A convention of the actor's organisation whose bilan the actor may see, or NotFound."""
    try:
        key = convention_id if isinstance(convention_id, uuid.UUID) else uuid.UUID(str(convention_id))
    except ValueError as exc:
        raise NotFound() from exc
    query = scoped(Convention, actor).where(col(Convention.id) == key)
    if lock:
        query = query.with_for_update()
    convention = session.exec(query).first()
    if convention is None:
        raise NotFound()
    return convention, get_bilan(session, actor, convention.bilan_id)


def _may_view(actor: Actor, bilan: Bilan) -> bool:
    return is_follower(actor, bilan) or (actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id)


def _require_signer(actor: Actor, bilan: Bilan, signature: ConventionSignature) -> None:
    """The actor signs for this party: the beneficiary for themself, the designated signatory for the organisation."""
    party = SignatureParty(signature.party)
    if party is SignatureParty.BENEFICIARY:
        require_beneficiary(actor, bilan)
    elif party is SignatureParty.ORGANISATION:
        require_follower(actor, bilan)
        if signature.user_id != actor.user_id:
            raise AccessDenied("error.convention_not_signatory")
    else:  # the employer signs through its link, never with an account
        raise AccessDenied()


def _party_names(
    session: Session, bilan: Bilan, signatures: Sequence[ConventionSignature]
) -> dict[SignatureParty, tuple[str, str]]:
    """Each party's signatory name and on-behalf-of label."""
    users = _users(session, [s.user_id for s in signatures] + [bilan.beneficiary_id])
    organisation = session.get(Organisation, bilan.organisation_id)
    names: dict[SignatureParty, tuple[str, str]] = {}
    for signature in signatures:
        party = SignatureParty(signature.party)
        if party is SignatureParty.EMPLOYER:
            names[party] = (bilan.employer_signatory_name, bilan.employer_name)
        elif party is SignatureParty.ORGANISATION:
            user = users.get(signature.user_id) if signature.user_id else None
            names[party] = (user.full_name if user else "", organisation.name if organisation else "")
        else:
            user = users.get(bilan.beneficiary_id)
            names[party] = (user.full_name if user else "", "")
    return names


def _view(session: Session, convention: Convention, bilan: Bilan, viewer: Actor | None) -> ConventionView:
    signatures = _signatures(session, convention)
    names = _party_names(session, bilan, signatures)
    now = utcnow()
    parties = tuple(
        PartyView(
            party=SignatureParty(s.party),
            name=names[SignatureParty(s.party)][0],
            email=s.signer_email,
            on_behalf_of=names[SignatureParty(s.party)][1],
            signed_at=s.signed_at,
            code_expires_at=s.code_expires_at
            if s.code_hash and s.code_expires_at and s.code_expires_at > now
            else None,
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


def _reference(convention: Convention) -> str:
    return f"CBC-{convention.issued_at.astimezone(TIMEZONE):%Y%m%d}-{convention.id.hex[:8].upper()}"


def _filename(convention: Convention, *, signed: bool) -> str:
    return f"convention-{_reference(convention)}-v{convention.version}{'-signee' if signed else ''}.pdf"


# ---------------------------------------------------------------- issuing


def _validate_employer(bilan: Bilan) -> None:
    errors: dict[str, str] = {}
    if not bilan.employer_name.strip():
        errors["employer_name"] = "error.required"
    if not bilan.employer_signatory_name.strip():
        errors["employer_signatory_name"] = "error.required"
    if not bilan.employer_email.strip():
        errors["employer_email"] = "error.required"
    else:
        try:
            validate_email(bilan.employer_email.strip(), check_deliverability=False)
        except EmailNotValidError:
            errors["employer_email"] = "error.email_invalid"
    if errors:
        raise FormError(errors)


def _convention_context(
    *,
    convention: Convention,
    organisation: Organisation,
    bilan: Bilan,
    beneficiary: User,
    consultant: User | None,
    signatory: User,
    signatory_role: Role,
    objectives: str,
    price: float,
) -> dict[str, Any]:
    kind = ConventionKind(convention.kind)
    cpf_fee = get_settings().cpf_fee_for(convention.issued_at.astimezone(TIMEZONE).year)
    return {
        "created": convention.issued_at,
        "title": TITLE,
        "convention": {
            "reference": _reference(convention),
            "version": convention.version,
            "kind": str(kind),
            "issued_on": _paris(convention.issued_at, "d MMMM y"),
            "sign_by": _paris(convention.sign_by) + " (heure de Paris)" if convention.sign_by else "",
        },
        "organisation": {
            "name": organisation.name,
            "siret": organisation.siret,
            "nda_number": organisation.nda_number or "",
            "address": organisation.address,
            "email": organisation.contact_email or "",
            "phone": organisation.contact_phone,
            "signatory_name": signatory.full_name,
            "signatory_role": translate(f"role.{signatory_role}", "fr").lower(),
        },
        "beneficiary": {"name": beneficiary.full_name, "email": beneficiary.email},
        "employer": (
            {
                "name": bilan.employer_name.strip(),
                "signatory_name": bilan.employer_signatory_name.strip(),
                "email": bilan.employer_email.strip(),
            }
            if kind is ConventionKind.TRIPARTITE
            else None
        ),
        "consultant": {"name": consultant.full_name} if consultant else None,
        "funding": {"type": str(bilan.funding_type), "edof_file_number": bilan.edof_file_number},
        "objectives": objectives,
        "hours": format_number(bilan.hours_planned_total),
        "hours_max": LEGAL_MAX_HOURS,
        "period_weeks": PERIOD_WEEKS,
        "mode_label": {
            "presentiel": "en présentiel",
            "distanciel": "à distance (visioconférence)",
            "hybride": "hybride, en présentiel et à distance",
        }.get(str(bilan.mode), str(bilan.mode)),
        "price": _money(price),
        "cpf_fee": _money(cpf_fee[1]) if cpf_fee else "",
        "cpf_fee_year": cpf_fee[0] if cpf_fee else "",
    }


def issue_convention(actor: Actor, bilan_id: uuid.UUID | str, client: ClientInfo) -> ConventionView:
    """Render, store and send for signature a new version of the bilan's convention (follower)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        # Serialise issuing for one bilan (PostgreSQL row lock; SQLite serialises writers anyway).
        session.exec(select(Bilan.id).where(Bilan.id == bilan.id).with_for_update()).first()
        if BilanStatus(bilan.status) in CLOSED_STATUSES:
            raise ServiceError("error.convention_bilan_closed")
        objectives = decrypt_text(bilan.objectives_encrypted).strip() if bilan.objectives_encrypted else ""
        if not objectives:
            raise ServiceError("error.convention_objectives_missing")
        if not 0 < bilan.hours_planned_total <= LEGAL_MAX_HOURS:
            raise ServiceError("error.convention_hours_invalid", max=LEGAL_MAX_HOURS)
        previous = latest_convention(session, bilan)
        if previous is not None and previous.status in ACTIVE_STATUSES:
            raise ServiceError("error.convention_already_active")
        kind = ConventionKind.TRIPARTITE if bilan.funding_type == FundingType.EMPLOYER else ConventionKind.BIPARTITE
        if kind is ConventionKind.TRIPARTITE:
            _validate_employer(bilan)

        organisation = session.get(Organisation, bilan.organisation_id)
        users = _users(session, [bilan.beneficiary_id, bilan.consultant_id, actor.user_id])
        beneficiary, signatory = users.get(bilan.beneficiary_id), users.get(actor.user_id)
        if organisation is None or beneficiary is None or signatory is None:
            raise NotFound()
        consultant = users.get(bilan.consultant_id) if bilan.consultant_id else None
        price = bilan.price_euros if bilan.price_euros > 0 else organisation.price_euros

        now = utcnow().replace(microsecond=0)
        convention = Convention(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=kind,
            version=(previous.version + 1) if previous else 1,
            document_id=uuid.uuid4(),  # replaced below, once the document exists
            document_sha256="",
            issued_at=now,
            sign_by=now + timedelta(days=SIGN_WINDOW_DAYS) if kind is ConventionKind.TRIPARTITE else None,
        )
        context = _convention_context(
            convention=convention,
            organisation=organisation,
            bilan=bilan,
            beneficiary=beneficiary,
            consultant=consultant,
            signatory=signatory,
            signatory_role=actor.role,
            objectives=objectives,
            price=price,
        )
        pdf = render_pdf("convention.html", context)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.CONVENTION,
            filename=_filename(convention, signed=False),
            content=pdf,
            uploaded_by_id=actor.user_id,
        )
        session.flush()
        convention.document_id = document.id
        convention.document_sha256 = document.sha256
        session.add(convention)
        session.flush()

        signatures = [
            ConventionSignature(
                organisation_id=bilan.organisation_id,
                convention_id=convention.id,
                party=SignatureParty.ORGANISATION,
                signer_email=signatory.email,
                user_id=signatory.id,
            ),
            ConventionSignature(
                organisation_id=bilan.organisation_id,
                convention_id=convention.id,
                party=SignatureParty.BENEFICIARY,
                signer_email=beneficiary.email,
                user_id=beneficiary.id,
            ),
        ]
        employer_token = ""
        if kind is ConventionKind.TRIPARTITE:
            employer_token = new_token()
            signatures.append(
                ConventionSignature(
                    organisation_id=bilan.organisation_id,
                    convention_id=convention.id,
                    party=SignatureParty.EMPLOYER,
                    signer_email=bilan.employer_email.strip().lower(),
                    access_token_hash=hash_token(employer_token),
                )
            )
        session.add_all(signatures)
        session.flush()

        audit.record(
            session,
            ConventionAction.ISSUED,
            actor=actor,
            target_type="convention",
            target_id=convention.id,
            ip=client.ip,
            changes={
                "bilan_id": {"before": None, "after": str(bilan.id)},
                "kind": {"before": None, "after": str(kind)},
                "version": {"before": previous.version if previous else None, "after": convention.version},
                "document_sha256": {"before": None, "after": convention.document_sha256},
                "price_euros": {"before": None, "after": price},
                "hours": {"before": None, "after": bilan.hours_planned_total},
                "sign_by": {"before": None, "after": convention.sign_by.isoformat() if convention.sign_by else None},
            },
        )
        _mail_issued(session, convention, organisation, beneficiary, signatory, bilan, employer_token)
        return _view(session, convention, bilan, actor)


def _mail_issued(
    session: Session,
    convention: Convention,
    organisation: Organisation,
    beneficiary: User,
    signatory: User,
    bilan: Bilan,
    employer_token: str,
) -> None:
    def deadline(locale: str) -> str:
        if convention.sign_by is None:
            return ""
        return translate("convention.mail.deadline", locale, date=_mail_date(convention.sign_by, locale))

    for user, party, route in (
        (beneficiary, SignatureParty.BENEFICIARY, routes.BENEFICIARY_HOME),
        (signatory, SignatureParty.ORGANISATION, routes.CONSULTANT_HOME),
    ):
        locale = _locale(user)
        queue_mail(
            session,
            to=user.email,
            subject=translate("convention.mail.issued.subject", locale, organisation=organisation.name),
            body=translate(
                "convention.mail.issued.body",
                locale,
                name=user.full_name,
                organisation=organisation.name,
                beneficiary=beneficiary.full_name,
                version=convention.version,
                party=translate(f"convention.party.{party}", locale),
                link=_public_link(route),
                deadline=deadline(locale),
            ),
            organisation_id=organisation.id,
        )
    if employer_token:
        queue_mail(
            session,
            to=bilan.employer_email.strip(),
            subject=translate("convention.mail.issued.subject", "fr", organisation=organisation.name),
            body=translate(
                "convention.mail.issued_employer.body",
                "fr",
                name=bilan.employer_signatory_name.strip(),
                organisation=organisation.name,
                beneficiary=beneficiary.full_name,
                employer=bilan.employer_name.strip(),
                link=employer_signature_link(employer_token),
                deadline=deadline("fr"),
            ),
            organisation_id=organisation.id,
        )


# ---------------------------------------------------------------- reading


def get_convention_view(actor: Actor, bilan_id: uuid.UUID | str) -> ConventionView | None:
    """The bilan's latest convention with each party's signature status (beneficiary, followers)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not _may_view(actor, bilan):
            raise AccessDenied()
        convention = latest_convention(session, bilan)
        return _view(session, convention, bilan, actor) if convention else None


def _read_checked(session: Session, document_id: uuid.UUID | None, expected_sha256: str) -> bytes:
    document = session.get(Document, document_id) if document_id else None
    if document is None:
        raise NotFound()
    content = read_document(document)
    if _sha256(content) != expected_sha256 or document.sha256 != expected_sha256:
        raise ServiceError("error.convention_document_altered")
    return content


def read_convention_pdf(actor: Actor, convention_id: uuid.UUID | str, *, signed: bool) -> tuple[str, bytes]:
    """The PDF to sign (``signed=False``) or the final signed PDF: filename and bytes; logged."""
    with session_scope() as session:
        convention, bilan = _load_convention(session, actor, convention_id)
        if not _may_view(actor, bilan):
            raise NotFound()
        if signed:
            if not convention.signed_document_id:
                raise NotFound()
            content = _read_checked(session, convention.signed_document_id, convention.signed_document_sha256)
        else:
            content = _read_checked(session, convention.document_id, convention.document_sha256)
        audit.record(
            session,
            ConventionAction.DOWNLOADED,
            actor=actor,
            target_type="convention",
            target_id=convention.id,
            changes={"signed": {"before": None, "after": signed}},
        )
        return _filename(convention, signed=signed), content


# ---------------------------------------------------------------- one-time codes


def _expire(session: Session, convention: Convention, now: datetime) -> None:
    """Silence is refusal: the convention lapses; codes die; every party is told (no commit here)."""
    signatures = _signatures(session, convention)
    bilan = session.get(Bilan, convention.bilan_id)
    organisation = session.get(Organisation, convention.organisation_id)
    convention.status = ConventionStatus.EXPIRED
    for signature in signatures:
        signature.code_hash = ""
        signature.code_expires_at = None
    session.add(convention)
    audit.record(
        session,
        ConventionAction.EXPIRED,
        organisation_id=convention.organisation_id,
        actor_label="system",
        target_type="convention",
        target_id=convention.id,
        changes={
            "status": {"before": str(ConventionStatus.AWAITING_SIGNATURES), "after": str(ConventionStatus.EXPIRED)},
            "missing": {"before": None, "after": [str(s.party) for s in signatures if s.signed_at is None]},
            "sign_by": {"before": None, "after": convention.sign_by.isoformat() if convention.sign_by else None},
        },
    )
    if bilan is not None and organisation is not None:
        _notify_parties(
            session,
            convention,
            bilan,
            organisation,
            signatures,
            "convention.mail.expired",
            date=lambda locale: _mail_date(convention.sign_by or now, locale),
        )


def _overdue(convention: Convention, now: datetime) -> bool:
    return convention.sign_by is not None and now > convention.sign_by


def _check_signable(convention: Convention, signature: ConventionSignature) -> None:
    if convention.status != ConventionStatus.AWAITING_SIGNATURES:
        raise ServiceError("error.convention_not_awaiting")
    if signature.signed_at is not None:
        raise ServiceError("error.convention_already_signed")


def _issue_code(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    signature: ConventionSignature,
    client: ClientInfo,
    *,
    actor: Actor | None,
    signer_name: str,
    locale: str,
) -> CodeSent | ServiceError:
    """Mail a fresh one-time code; an error is returned (not raised) when the state change must commit."""
    _check_signable(convention, signature)
    now = utcnow()
    if _overdue(convention, now):
        _expire(session, convention, now)
        return ServiceError("error.convention_deadline_passed")
    sent_recently = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == ConventionAction.CODE_SENT,
            AuditEvent.target_type == "convention_signature",
            AuditEvent.target_id == str(signature.id),
            AuditEvent.created_at > now - timedelta(hours=1),
        )
    ).one()
    if sent_recently >= CODES_PER_HOUR:
        raise RateLimited("error.convention_too_many_codes")
    code = f"{secrets.randbelow(1_000_000):06d}"
    signature.code_hash = _code_hash(signature, code)
    signature.code_expires_at = now + CODE_TTL
    signature.code_attempts = 0
    session.add(signature)
    organisation = session.get(Organisation, convention.organisation_id)
    organisation_name = organisation.name if organisation else ""
    _record(
        session,
        ConventionAction.CODE_SENT,
        convention,
        actor=actor,
        client=client,
        target=signature,
        changes={"party": {"before": None, "after": str(signature.party)}},
    )
    queue_mail(
        session,
        to=signature.signer_email,
        subject=translate("convention.mail.code.subject", locale),
        body=translate(
            "convention.mail.code.body",
            locale,
            name=signer_name,
            organisation=organisation_name,
            code=code,
            minutes=int(CODE_TTL.total_seconds() // 60),
        ),
        organisation_id=convention.organisation_id,
    )
    return CodeSent(
        party=SignatureParty(signature.party),
        email_masked=_mask_email(signature.signer_email),
        expires_at=signature.code_expires_at,
    )


def _record(
    session: Session,
    action: ConventionAction,
    convention: Convention,
    *,
    actor: Actor | None,
    client: ClientInfo | None,
    target: ConventionSignature | None = None,
    changes: dict[str, Any] | None = None,
    employer_label: str = "",
) -> None:
    """An audit event by a signed-in actor, or by the employer (no account: labelled by its e-mail)."""
    audit.record(
        session,
        action,
        actor=actor,
        organisation_id=convention.organisation_id,
        actor_label="" if actor else (employer_label or "employer"),
        target_type="convention_signature" if target is not None else "convention",
        target_id=target.id if target is not None else convention.id,
        ip=client.ip if client else "",
        changes={"convention_id": {"before": None, "after": str(convention.id)}, **(changes or {})},
    )


def send_signature_code(
    actor: Actor,
    convention_id: uuid.UUID | str,
    party: SignatureParty | str,
    client: ClientInfo,
    *,
    intent: Mapping[str, Any],
) -> CodeSent:
    """E-mail a 6-digit one-time code to the party's signatory (the actor must be that signatory).

    ``intent`` carries the typed name and the consent box: no code is sent before both are given, so a
    code never arrives for a signature the person has not yet declared.
    """
    with session_scope() as session:
        convention, bilan = _load_convention(session, actor, convention_id, lock=True)
        signature = _signature(session, convention, party)
        _require_signer(actor, bilan, signature)
        user = session.get(User, actor.user_id)
        _check_signable(convention, signature)
        errors = _intent_errors(intent, user.full_name if user else "")
        if errors:
            raise FormError(errors)
        result = _issue_code(
            session,
            convention,
            bilan,
            signature,
            client,
            actor=actor,
            signer_name=user.full_name if user else "",
            locale=_locale(user),
        )
    if isinstance(result, ServiceError):
        raise result
    return result


# ---------------------------------------------------------------- signing


def _intent_errors(raw: Mapping[str, Any], expected_name: str) -> dict[str, str]:
    """The signer's typed name and consent: checked before a code is sent, and again at signing."""
    typed_name = " ".join(str(raw.get("typed_name") or "").split())
    errors: dict[str, str] = {}
    if not typed_name:
        errors["typed_name"] = "error.required"
    elif len(typed_name) > 2 * NAME_MAX + 1:  # a first and a last name; refused, never cut
        errors["typed_name"] = "error.too_long"
    elif not names_match(typed_name, expected_name):
        errors["typed_name"] = "error.convention_name_mismatch"
    if not _truthy(raw.get("consent", False)):
        errors["consent"] = "error.convention_consent_required"
    return errors


def _attempt(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    signature: ConventionSignature,
    raw: Mapping[str, Any],
    client: ClientInfo,
    *,
    actor: Actor | None,
    expected_name: str,
    employer_label: str = "",
) -> ServiceError | None:
    """Check and record one signature; finish the convention when it is the last one.

    Plain input errors are raised (nothing to keep). Errors whose trace must be kept (a wrong code
    counts, an overdue convention lapses, an altered file is logged) are returned, so the caller
    commits before raising them.
    """
    _check_signable(convention, signature)
    now = utcnow()
    if _overdue(convention, now):
        _expire(session, convention, now)
        return ServiceError("error.convention_deadline_passed")

    typed_name = " ".join(str(raw.get("typed_name") or "").split())
    code = re.sub(r"\s+", "", str(raw.get("code") or ""))
    errors = _intent_errors(raw, expected_name)
    if not code:
        errors["code"] = "error.required"
    if errors:
        raise FormError(errors)

    if not signature.code_hash or signature.code_expires_at is None or now > signature.code_expires_at:
        raise FormError({"code": "error.convention_code_expired"})
    if not hmac.compare_digest(_code_hash(signature, code), signature.code_hash):
        signature.code_attempts += 1
        locked = signature.code_attempts >= CODE_MAX_ATTEMPTS
        if locked:
            signature.code_hash = ""
            signature.code_expires_at = None
        session.add(signature)
        _record(
            session,
            ConventionAction.CODE_LOCKED if locked else ConventionAction.CODE_FAILED,
            convention,
            actor=actor,
            client=client,
            target=signature,
            changes={"attempts": {"before": signature.code_attempts - 1, "after": signature.code_attempts}},
            employer_label=employer_label,
        )
        return FormError({"code": "error.convention_code_locked" if locked else "error.convention_code_invalid"})

    # The exact file every party reads must still be the one issued.
    document = session.get(Document, convention.document_id)
    content = read_document(document) if document else b""
    digest = _sha256(content)
    if digest != convention.document_sha256:
        _record(
            session,
            ConventionAction.INTEGRITY_FAILED,
            convention,
            actor=actor,
            client=client,
            changes={"sha256": {"before": convention.document_sha256, "after": digest}},
            employer_label=employer_label,
        )
        return ServiceError("error.convention_document_altered")

    signature.typed_name = typed_name
    signature.consent_given = True
    signature.signed_at = now
    signature.ip = (client.ip or "")[:64]
    signature.user_agent = (client.user_agent or "")[:400]
    signature.signed_sha256 = digest
    signature.code_hash = ""
    signature.code_expires_at = None
    session.add(signature)
    _record(
        session,
        ConventionAction.SIGNED_BY,
        convention,
        actor=actor,
        client=client,
        target=signature,
        changes={
            "party": {"before": None, "after": str(signature.party)},
            "signed_sha256": {"before": None, "after": digest},
            "code_verified": {"before": None, "after": True},
        },
        employer_label=employer_label,
    )
    session.flush()
    signatures = _signatures(session, convention)
    if all(s.signed_at is not None for s in signatures):
        _complete(
            session, convention, bilan, signatures, content, now, actor=actor, client=client, label=employer_label
        )
    return None


def _certificate_context(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    signatures: Sequence[ConventionSignature],
    original: bytes,
    now: datetime,
) -> dict[str, Any]:
    organisation = session.get(Organisation, convention.organisation_id)
    names = _party_names(session, bilan, signatures)
    seconds = "dd/MM/y HH:mm:ss"
    kind = ConventionKind(convention.kind)
    return {
        "created": now,
        "title": "Certificat de signature électronique",
        "organisation": {
            "name": organisation.name if organisation else "",
            "siret": organisation.siret if organisation else "",
        },
        "convention": {
            "title": TITLE,
            "kind_label": "convention tripartite" if kind is ConventionKind.TRIPARTITE else "convention bipartite",
            "reference": _reference(convention),
            "version": convention.version,
            "issued_at": _paris(convention.issued_at, seconds),
        },
        "completed_at": _paris(now, seconds),
        "original": {
            "filename": _filename(convention, signed=False),
            "sha256": convention.document_sha256,
            "size_bytes": len(original),
            "pages": page_count(original),
        },
        "parties": [
            {
                "label": translate(f"convention.party.{s.party}")
                + (f" ({names[SignatureParty(s.party)][1]})" if names[SignatureParty(s.party)][1] else ""),
                "name": names[SignatureParty(s.party)][0],
                "typed_name": s.typed_name,
                "email": s.signer_email,
                "signed_at": _paris(s.signed_at, seconds),
                "ip": s.ip,
                "user_agent": s.user_agent,
                "sha256": s.signed_sha256,
            }
            for s in signatures
        ],
        "verify_url": _public_link(routes.VERIFY_CONVENTION),
    }


def _complete(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    signatures: Sequence[ConventionSignature],
    original: bytes,
    now: datetime,
    *,
    actor: Actor | None,
    client: ClientInfo,
    label: str = "",
) -> None:
    """Every party signed: append the certificate page, store the final PDF, notify everyone."""
    certificate = render_pdf(
        "certificate.html", _certificate_context(session, convention, bilan, signatures, original, now)
    )
    final = append_pdf_pages(original, certificate)
    document = store_document(
        session,
        organisation_id=convention.organisation_id,
        bilan_id=convention.bilan_id,
        kind=DocumentKind.SIGNED_CONVENTION,
        filename=_filename(convention, signed=True),
        content=final,
        uploaded_by_id=None,
    )
    session.flush()
    convention.signed_document_id = document.id
    convention.signed_document_sha256 = document.sha256
    convention.status = ConventionStatus.SIGNED
    convention.signed_at = now
    session.add(convention)
    _record(
        session,
        ConventionAction.COMPLETED,
        convention,
        actor=actor,
        client=client,
        changes={
            "status": {"before": str(ConventionStatus.AWAITING_SIGNATURES), "after": str(ConventionStatus.SIGNED)},
            "signed_document_sha256": {"before": "", "after": document.sha256},
        },
        employer_label=label,
    )
    organisation = session.get(Organisation, convention.organisation_id)
    if organisation is not None:
        _notify_parties(
            session,
            convention,
            bilan,
            organisation,
            signatures,
            "convention.mail.completed",
            date=lambda locale: _mail_date(now, locale),
            sha256=lambda _locale: document.sha256,
            where=lambda locale: "",  # filled per party below
        )


def _notify_parties(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    organisation: Organisation,
    signatures: Sequence[ConventionSignature],
    key: str,
    **params: Any,
) -> None:
    """One mail per party; ``params`` values are callables of the recipient's locale."""
    names = _party_names(session, bilan, signatures)
    users = _users(session, [s.user_id for s in signatures] + [bilan.beneficiary_id])
    beneficiary = users.get(bilan.beneficiary_id)
    for signature in signatures:
        party = SignatureParty(signature.party)
        user = users.get(signature.user_id) if signature.user_id else None
        locale = _locale(user)
        values = {name: value(locale) for name, value in params.items()}
        if "where" in values:
            values["where"] = (
                translate("convention.mail.completed.where_link", locale)
                if party is SignatureParty.EMPLOYER
                else translate(
                    "convention.mail.completed.where_account",
                    locale,
                    link=_public_link(
                        routes.BENEFICIARY_HOME if party is SignatureParty.BENEFICIARY else routes.CONSULTANT_HOME
                    ),
                )
            )
        queue_mail(
            session,
            to=signature.signer_email,
            subject=translate(f"{key}.subject", locale, organisation=organisation.name),
            body=translate(
                f"{key}.body",
                locale,
                name=names[party][0],
                organisation=organisation.name,
                beneficiary=beneficiary.full_name if beneficiary else "",
                version=convention.version,
                **values,
            ),
            organisation_id=organisation.id,
        )


def sign(
    actor: Actor,
    convention_id: uuid.UUID | str,
    party: SignatureParty | str,
    raw: Mapping[str, Any],
    client: ClientInfo,
) -> ConventionView:
    """Sign for ``party`` with ``raw = {"typed_name", "consent", "code"}``; the last signature completes it."""
    with session_scope() as session:
        convention, bilan = _load_convention(session, actor, convention_id, lock=True)
        signature = _signature(session, convention, party)
        _require_signer(actor, bilan, signature)
        user = session.get(User, actor.user_id)
        error = _attempt(
            session,
            convention,
            bilan,
            signature,
            raw,
            client,
            actor=actor,
            expected_name=user.full_name if user else "",
        )
        view = _view(session, convention, bilan, actor) if error is None else None
    if error is not None:
        raise error
    assert view is not None
    return view


# ---------------------------------------------------------------- the employer, through its link


def _employer_signature(
    session: Session, token: str, *, lock: bool = False
) -> tuple[ConventionSignature, Convention, Bilan]:
    if not token or len(token) > 200:
        raise NotFound("error.convention_link_invalid")
    signature = session.exec(
        select(ConventionSignature).where(
            ConventionSignature.access_token_hash == hash_token(token),
            ConventionSignature.party == SignatureParty.EMPLOYER,
        )
    ).first()
    if signature is None:
        raise NotFound("error.convention_link_invalid")
    query = select(Convention).where(Convention.id == signature.convention_id)
    if lock:
        query = query.with_for_update()
    convention = session.exec(query).one()
    bilan = session.get(Bilan, convention.bilan_id)
    if bilan is None:
        raise NotFound("error.convention_link_invalid")
    return signature, convention, bilan


def _employer_view(
    session: Session, signature: ConventionSignature, convention: Convention, bilan: Bilan
) -> EmployerSignatureView:
    organisation = session.get(Organisation, convention.organisation_id)
    beneficiary = session.get(User, bilan.beneficiary_id)
    now = utcnow()
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
        code_expires_at=(
            signature.code_expires_at
            if signature.code_hash and signature.code_expires_at and signature.code_expires_at > now
            else None
        ),
    )


def describe_employer_signature(token: str) -> EmployerSignatureView:
    """What the employer's page shows; NotFound("error.convention_link_invalid") for a bad link."""
    with session_scope() as session:
        signature, convention, bilan = _employer_signature(session, token)
        return _employer_view(session, signature, convention, bilan)


def read_employer_pdf(token: str, *, signed: bool = False) -> tuple[str, bytes]:
    """The convention's PDF for the employer (the final one once every party signed); logged."""
    with session_scope() as session:
        signature, convention, _bilan = _employer_signature(session, token)
        if signed:
            if not convention.signed_document_id:
                raise NotFound()
            content = _read_checked(session, convention.signed_document_id, convention.signed_document_sha256)
        else:
            content = _read_checked(session, convention.document_id, convention.document_sha256)
        _record(
            session,
            ConventionAction.DOWNLOADED,
            convention,
            actor=None,
            client=None,
            target=signature,
            changes={"signed": {"before": None, "after": signed}},
            employer_label=f"employer:{signature.signer_email}",
        )
        return _filename(convention, signed=signed), content


def send_employer_code(token: str, client: ClientInfo, *, intent: Mapping[str, Any]) -> CodeSent:
    """E-mail a one-time code to the employer's signatory (the address the convention names), once the
    typed name and the consent box are given (``intent``, as in ``send_signature_code``)."""
    with session_scope() as session:
        signature, convention, bilan = _employer_signature(session, token, lock=True)
        _check_signable(convention, signature)
        errors = _intent_errors(intent, bilan.employer_signatory_name)
        if errors:
            raise FormError(errors)
        result = _issue_code(
            session,
            convention,
            bilan,
            signature,
            client,
            actor=None,
            signer_name=bilan.employer_signatory_name,
            locale="fr",
        )
    if isinstance(result, ServiceError):
        raise result
    return result


def sign_as_employer(token: str, raw: Mapping[str, Any], client: ClientInfo) -> EmployerSignatureView:
    """The employer's signature, through its link: same checks and evidence as ``sign``."""
    with session_scope() as session:
        signature, convention, bilan = _employer_signature(session, token, lock=True)
        error = _attempt(
            session,
            convention,
            bilan,
            signature,
            raw,
            client,
            actor=None,
            expected_name=bilan.employer_signatory_name,
            employer_label=f"employer:{signature.signer_email}",
        )
        view = _employer_view(session, signature, convention, bilan) if error is None else None
    if error is not None:
        raise error
    assert view is not None
    return view


# ---------------------------------------------------------------- cancelling and expiring


def cancel_convention(actor: Actor, convention_id: uuid.UUID | str, reason: str) -> ConventionView:
    """Cancel a convention awaiting signatures, or a signed one before the investigation (follower)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise FormError({"reason": "error.required"})
    if len(reason) > 500:
        raise FormError({"reason": "error.too_long"})
    with session_scope() as session:
        convention, bilan = _load_convention(session, actor, convention_id, lock=True)
        require_follower(actor, bilan)
        status = ConventionStatus(convention.status)
        cancellable = status == ConventionStatus.AWAITING_SIGNATURES or (
            status == ConventionStatus.SIGNED and BilanStatus(bilan.status) in CANCELLABLE_SIGNED_IN
        )
        if not cancellable:
            raise ServiceError("error.convention_not_cancellable")
        signatures = _signatures(session, convention)
        convention.status = ConventionStatus.CANCELLED
        for signature in signatures:
            signature.code_hash = ""
            signature.code_expires_at = None
            session.add(signature)
        session.add(convention)
        audit.record(
            session,
            ConventionAction.CANCELLED,
            actor=actor,
            target_type="convention",
            target_id=convention.id,
            changes={
                "status": {"before": str(status), "after": str(ConventionStatus.CANCELLED)},
                "reason": {"before": None, "after": reason},
            },
        )
        organisation = session.get(Organisation, convention.organisation_id)
        if organisation is not None:
            _notify_parties(
                session,
                convention,
                bilan,
                organisation,
                signatures,
                "convention.mail.cancelled",
                reason=lambda _locale: reason,
            )
        return _view(session, convention, bilan, actor)


def expire_overdue_conventions(now: datetime | None = None) -> int:
    """Job: conventions past their signing deadline with a signature missing lapse (silence = refusal)."""
    moment = now or utcnow()
    with session_scope() as session:
        overdue = session.exec(
            select(Convention)
            .where(
                Convention.status == ConventionStatus.AWAITING_SIGNATURES,
                col(Convention.sign_by).is_not(None),
                col(Convention.sign_by) < moment,
            )
            .with_for_update(skip_locked=True)
        ).all()
        for convention in overdue:
            _expire(session, convention, moment)
        return len(overdue)


# ---------------------------------------------------------------- public verification


def verify_pdf(content: bytes) -> VerificationResult:
    """Is this file a convention signed on the platform? Answers by SHA-256 only; no personal data but names."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ServiceError("error.convention_file_too_large")
    digest = _sha256(content)
    with session_scope() as session:
        convention = session.exec(select(Convention).where(Convention.signed_document_sha256 == digest)).first()
        if convention is not None:
            organisation = session.get(Organisation, convention.organisation_id)
            bilan = session.get(Bilan, convention.bilan_id)
            signatures = _signatures(session, convention)
            names = _party_names(session, bilan, signatures) if bilan else {}
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
