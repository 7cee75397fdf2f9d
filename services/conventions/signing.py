"""Signing a convention: one path for every party, whether it signs from its account or by link.

A signer is identified in one of two ways, and that is the only difference between them:

* ``AccountSigner``: a signed-in person, from their own page. The beneficiary signs for
  ``BENEFICIARY``; the organisation's signatory (the follower who issued the convention) signs for
  ``ORGANISATION``.
* ``LinkSigner``: the employer of a tripartite convention, which has no account and is identified by
  the token of the link it was mailed.

Then the same steps and the same evidence for both (``send_code``, then ``sign_as``): the typed name
must match the signatory and the consent box be ticked before a 6-digit code is mailed (10 minutes,
5 attempts, 5 codes an hour); at signing, the code is checked, the stored PDF is re-read and hashed,
and time, IP and user agent are kept. The last signature appends the certificate page and stores
the final PDF.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias, overload

from sqlalchemy import func
from sqlmodel import Session, select

from services import routes
from services.access import Actor
from services.auth import ClientInfo
from services.bilans import require_beneficiary, require_follower
from services.conventions._common import (
    CODE_MAX_ATTEMPTS,
    CODE_TTL,
    CODES_PER_HOUR,
    ConventionAction,
    by_employer_token,
    expire,
    filename,
    load_convention,
    locale_of,
    mail_date,
    names_match,
    notify_parties,
    party_names,
    public_link,
    record,
    reference,
    sha256,
    signatures_of,
)
from services.conventions.views import ConventionView, EmployerSignatureView, convention_view, employer_view
from services.crypto import hash_token
from services.db import session_scope
from services.documents.convention import CertificatePdfInput, CertificateSigner, render_certificate_pdf
from services.errors import AccessDenied, FormError, NotFound, RateLimited, ServiceError
from services.forms import NAME_MAX
from services.i18n import translate
from services.mail import queue_mail
from services.models import (
    AuditEvent,
    Bilan,
    Convention,
    ConventionKind,
    ConventionSignature,
    ConventionStatus,
    Document,
    DocumentKind,
    Organisation,
    SignatureParty,
    User,
)
from services.models.base import utcnow
from services.pdf import append_pdf_pages
from services.storage import read_document, store_document


@dataclass(frozen=True)
class CodeSent:
    party: SignatureParty
    email_masked: str
    expires_at: datetime


@dataclass(frozen=True)
class AccountSigner:
    """A signed-in party, signing from its own page: the beneficiary, or the organisation's signatory."""

    actor: Actor
    convention_id: uuid.UUID | str
    party: SignatureParty | str


@dataclass(frozen=True)
class LinkSigner:
    """The employer of a tripartite convention: no account, identified by the token of its link."""

    token: str


Signer: TypeAlias = AccountSigner | LinkSigner


@dataclass(frozen=True)
class _Signing:
    """A signer found and checked in the transaction: the rows it signs, and how it is named."""

    convention: Convention
    bilan: Bilan
    signature: ConventionSignature
    actor: Actor | None  # None: the employer, through its link
    name: str  # the signatory's name, which the signer must type
    locale: str  # of the code's mail
    label: str  # who the audit names when there is no actor ("employer:<e-mail>")


# ---------------------------------------------------------------- who signs


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


def _resolve(session: Session, signer: Signer) -> _Signing:
    """The signer's convention and signature, locked; NotFound or AccessDenied for anyone else."""
    if isinstance(signer, LinkSigner):
        signature, convention, bilan = by_employer_token(session, signer.token, lock=True)
        return _Signing(
            convention=convention,
            bilan=bilan,
            signature=signature,
            actor=None,
            name=bilan.employer_signatory_name,
            locale="fr",
            label=f"employer:{signature.signer_email}",
        )
    convention, bilan = load_convention(session, signer.actor, signer.convention_id, lock=True)
    signature = _signature(session, convention, signer.party)
    _require_signer(signer.actor, bilan, signature)
    user = session.get(User, signer.actor.user_id)
    return _Signing(
        convention=convention,
        bilan=bilan,
        signature=signature,
        actor=signer.actor,
        name=user.full_name if user else "",
        locale=locale_of(user),
        label="",
    )


# ---------------------------------------------------------------- the checks


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


def _check_signable(signing: _Signing) -> None:
    if signing.convention.status != ConventionStatus.AWAITING_SIGNATURES:
        raise ServiceError("error.convention_not_awaiting")
    if signing.signature.signed_at is not None:
        raise ServiceError("error.convention_already_signed")


def _lapsed(session: Session, convention: Convention, now: datetime) -> ServiceError | None:
    """Past the deadline, the convention lapses now: the error to raise once that is committed."""
    if convention.sign_by is None or now <= convention.sign_by:
        return None
    expire(session, convention, now)
    return ServiceError("error.convention_deadline_passed")


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


# ---------------------------------------------------------------- one-time codes


def _issue_code(session: Session, signing: _Signing, client: ClientInfo) -> CodeSent | ServiceError:
    """Mail a fresh one-time code; an error is returned (not raised) when the state change must commit."""
    convention, signature = signing.convention, signing.signature
    _check_signable(signing)
    now = utcnow()
    lapsed = _lapsed(session, convention, now)
    if lapsed is not None:
        return lapsed
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
    expires_at = now + CODE_TTL
    signature.code_hash = _code_hash(signature, code)
    signature.code_expires_at = expires_at
    signature.code_attempts = 0
    session.add(signature)
    organisation = session.get(Organisation, convention.organisation_id)
    record(
        session,
        ConventionAction.CODE_SENT,
        convention,
        actor=signing.actor,
        client=client,
        target=signature,
        changes={"party": {"before": None, "after": str(signature.party)}},
        employer_label=signing.label,
    )
    queue_mail(
        session,
        to=signature.signer_email,
        subject=translate("convention.mail.code.subject", signing.locale),
        body=translate(
            "convention.mail.code.body",
            signing.locale,
            name=signing.name,
            organisation=organisation.name if organisation else "",
            code=code,
            minutes=int(CODE_TTL.total_seconds() // 60),
        ),
        organisation_id=convention.organisation_id,
    )
    return CodeSent(
        party=SignatureParty(signature.party),
        email_masked=_mask_email(signature.signer_email),
        expires_at=expires_at,
    )


def send_code(signer: Signer, client: ClientInfo, *, intent: Mapping[str, Any]) -> CodeSent:
    """E-mail a 6-digit one-time code to the signer's address (the one the convention names).

    ``intent`` carries the typed name and the consent box: no code is sent before both are given, so a
    code never arrives for a signature the person has not yet declared.

    Who may call: the party's own signatory (see ``AccountSigner``), or anyone holding the employer's
    link token (``LinkSigner``).
    """
    with session_scope() as session:
        signing = _resolve(session, signer)
        _check_signable(signing)
        errors = _intent_errors(intent, signing.name)
        if errors:
            raise FormError(errors)
        result = _issue_code(session, signing, client)
    if isinstance(result, ServiceError):
        raise result
    return result


# ---------------------------------------------------------------- the signature


def _attempt(session: Session, signing: _Signing, raw: Mapping[str, Any], client: ClientInfo) -> ServiceError | None:
    """Check and record one signature; finish the convention when it is the last one.

    Plain input errors are raised (nothing to keep). Errors whose trace must be kept (a wrong code
    counts, an overdue convention lapses, an altered file is logged) are returned, so the caller
    commits before raising them.
    """
    convention, signature, actor, label = signing.convention, signing.signature, signing.actor, signing.label
    _check_signable(signing)
    now = utcnow()
    lapsed = _lapsed(session, convention, now)
    if lapsed is not None:
        return lapsed

    typed_name = " ".join(str(raw.get("typed_name") or "").split())
    code = re.sub(r"\s+", "", str(raw.get("code") or ""))
    errors = _intent_errors(raw, signing.name)
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
        record(
            session,
            ConventionAction.CODE_LOCKED if locked else ConventionAction.CODE_FAILED,
            convention,
            actor=actor,
            client=client,
            target=signature,
            changes={"attempts": {"before": signature.code_attempts - 1, "after": signature.code_attempts}},
            employer_label=label,
        )
        return FormError({"code": "error.convention_code_locked" if locked else "error.convention_code_invalid"})

    # The exact file every party reads must still be the one issued.
    document = session.get(Document, convention.document_id)
    content = read_document(document) if document else b""
    digest = sha256(content)
    if digest != convention.document_sha256:
        record(
            session,
            ConventionAction.INTEGRITY_FAILED,
            convention,
            actor=actor,
            client=client,
            changes={"sha256": {"before": convention.document_sha256, "after": digest}},
            employer_label=label,
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
    record(
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
        employer_label=label,
    )
    session.flush()
    signatures = signatures_of(session, convention)
    if all(s.signed_at is not None for s in signatures):
        _complete(session, signing, signatures, content, now, client)
    return None


def _certificate_input(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    organisation: Organisation | None,
    signatures: Sequence[ConventionSignature],
    original: bytes,
    now: datetime,
) -> CertificatePdfInput:
    names = party_names(session, bilan, signatures)
    return CertificatePdfInput(
        organisation_name=organisation.name if organisation else "",
        organisation_siret=organisation.siret if organisation else "",
        kind=ConventionKind(convention.kind),
        reference=reference(convention),
        version=convention.version,
        issued_at=convention.issued_at,
        completed_at=now,
        original_filename=filename(convention, signed=False),
        original_sha256=convention.document_sha256,
        original=original,
        signers=[
            CertificateSigner(
                party=SignatureParty(s.party),
                on_behalf_of=names[SignatureParty(s.party)][1],
                name=names[SignatureParty(s.party)][0],
                typed_name=s.typed_name,
                email=s.signer_email,
                signed_at=s.signed_at,
                ip=s.ip,
                user_agent=s.user_agent,
                sha256=s.signed_sha256,
            )
            for s in signatures
        ],
        verify_url=public_link(routes.VERIFY_CONVENTION),
    )


def _complete(
    session: Session,
    signing: _Signing,
    signatures: Sequence[ConventionSignature],
    original: bytes,
    now: datetime,
    client: ClientInfo,
) -> None:
    """Every party signed: append the certificate page, store the final PDF, notify everyone."""
    convention, bilan = signing.convention, signing.bilan
    organisation = session.get(Organisation, convention.organisation_id)
    certificate = render_certificate_pdf(
        _certificate_input(session, convention, bilan, organisation, signatures, original, now)
    )
    final = append_pdf_pages(original, certificate)
    document = store_document(
        session,
        organisation_id=convention.organisation_id,
        bilan_id=convention.bilan_id,
        kind=DocumentKind.SIGNED_CONVENTION,
        filename=filename(convention, signed=True),
        content=final,
        uploaded_by_id=None,
    )
    session.flush()
    convention.signed_document_id = document.id
    convention.signed_document_sha256 = document.sha256
    convention.status = ConventionStatus.SIGNED
    convention.signed_at = now
    session.add(convention)
    record(
        session,
        ConventionAction.COMPLETED,
        convention,
        actor=signing.actor,
        client=client,
        changes={
            "status": {"before": str(ConventionStatus.AWAITING_SIGNATURES), "after": str(ConventionStatus.SIGNED)},
            "signed_document_sha256": {"before": "", "after": document.sha256},
        },
        employer_label=signing.label,
    )
    if organisation is not None:
        notify_parties(
            session,
            convention,
            bilan,
            organisation,
            signatures,
            "convention.mail.completed",
            "mail.convention_signed",
            date=lambda locale: mail_date(now, locale),
            sha256=lambda _locale: document.sha256,
            where=lambda _locale: "",  # filled per party by notify_parties
        )


@overload
def sign_as(signer: AccountSigner, raw: Mapping[str, Any], client: ClientInfo) -> ConventionView: ...
@overload
def sign_as(signer: LinkSigner, raw: Mapping[str, Any], client: ClientInfo) -> EmployerSignatureView: ...
def sign_as(signer: Signer, raw: Mapping[str, Any], client: ClientInfo) -> ConventionView | EmployerSignatureView:
    """Sign with ``raw = {"typed_name", "consent", "code"}``; the last signature completes the convention.

    Returns what the signer's page shows next: the ``ConventionView`` for an account, the
    ``EmployerSignatureView`` for the link.

    Who may call: the party's own signatory (see ``AccountSigner``), or anyone holding the employer's
    link token (``LinkSigner``).
    """
    view: ConventionView | EmployerSignatureView | None = None
    with session_scope() as session:
        signing = _resolve(session, signer)
        error = _attempt(session, signing, raw, client)
        if error is None:
            if signing.actor is None:
                view = employer_view(session, signing.signature, signing.convention, signing.bilan)
            else:
                view = convention_view(session, signing.convention, signing.bilan, signing.actor)
    if error is not None:
        raise error
    assert view is not None
    return view


# ---------------------------------------------------------------- the two entry points


def send_signature_code(
    actor: Actor,
    convention_id: uuid.UUID | str,
    party: SignatureParty | str,
    client: ClientInfo,
    *,
    intent: Mapping[str, Any],
) -> CodeSent:
    """``send_code`` from the signer's account.

    Who may call: the party's own signatory: the beneficiary for ``BENEFICIARY``, the organisation's
    designated signatory (a follower) for ``ORGANISATION``.
    """
    return send_code(AccountSigner(actor, convention_id, party), client, intent=intent)


def sign(
    actor: Actor,
    convention_id: uuid.UUID | str,
    party: SignatureParty | str,
    raw: Mapping[str, Any],
    client: ClientInfo,
) -> ConventionView:
    """``sign_as`` from the signer's account.

    Who may call: the party's own signatory, as for ``send_signature_code``.
    """
    return sign_as(AccountSigner(actor, convention_id, party), raw, client)


def send_employer_code(token: str, client: ClientInfo, *, intent: Mapping[str, Any]) -> CodeSent:
    """``send_code`` for the employer's signatory, through its link.

    Who may call: anyone holding the link token.
    """
    return send_code(LinkSigner(token), client, intent=intent)


def sign_as_employer(token: str, raw: Mapping[str, Any], client: ClientInfo) -> EmployerSignatureView:
    """``sign_as`` for the employer, through its link: same checks and evidence as from an account.

    Who may call: anyone holding the link token.
    """
    return sign_as(LinkSigner(token), raw, client)
