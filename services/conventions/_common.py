"""What the convention modules share: the rules, the audit actions, finding a convention, its parties'
names, the audit record, the mails to every party and the lapse of an overdue convention."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from services import audit, routes
from services.access import Actor, scoped
from services.auth import ClientInfo
from services.bilans import get_bilan, is_follower
from services.crypto import hash_token
from services.errors import NotFound, ServiceError
from services.i18n import TIMEZONE, format_datetime, translate
from services.mail import queue_mail
from services.models import (
    Bilan,
    BilanStatus,
    Convention,
    ConventionSignature,
    ConventionStatus,
    Document,
    Organisation,
    Role,
    SignatureParty,
    User,
)
from services.notifications import convention_line
from services.settings import get_settings
from services.storage import read_document

# ---------------------------------------------------------------- rules

SIGN_WINDOW_DAYS = 10  # R6313-8: the employee has ten days to sign; silence is refusal
LEGAL_MAX_HOURS = 24  # L6313-4
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
CODES_PER_HOUR = 5  # codes sent per signature and per hour
# A signed convention may still be cancelled (to issue a corrected version) before the investigation.
CANCELLABLE_SIGNED_IN = frozenset({BilanStatus.DEMANDE, BilanStatus.PRELIMINAIRE})
ACTIVE_STATUSES = frozenset({ConventionStatus.AWAITING_SIGNATURES, ConventionStatus.SIGNED})
PARTY_ORDER = (SignatureParty.ORGANISATION, SignatureParty.BENEFICIARY, SignatureParty.EMPLOYER)


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


# ---------------------------------------------------------------- small helpers


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def public_link(route: str) -> str:
    return get_settings().public_url.rstrip("/") + route


def employer_signature_link(token: str) -> str:
    """The employer's signing page for ``token``; who may call: the service that mails the link (no check)."""
    return public_link(routes.with_token(routes.EMPLOYER_SIGNATURE, token))


def _name_key(name: str) -> list[str]:
    """Words of a name, without case, accents or punctuation, sorted (first/last name in any order)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return sorted(re.findall(r"[a-z0-9ßæœø]+", plain))


def names_match(typed: str, expected: str) -> bool:
    """Whether a typed name is the expected one, in any order, case or accents; pure, anyone may call."""
    key = _name_key(typed)
    return bool(key) and key == _name_key(expected)


def mail_date(value: datetime, locale: str) -> str:
    """A date and time for a mail body, in Paris time."""
    if locale == "en":
        return format_datetime(value, "en", fmt="d MMMM y, HH:mm") + " (Paris time)"
    return format_datetime(value, "fr", fmt="d MMMM y 'à' HH:mm") + " (heure de Paris)"


def users_by_id(session: Session, ids: Sequence[uuid.UUID | None]) -> dict[uuid.UUID, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted))).all()}


def locale_of(user: User | None) -> str:
    return user.locale if user is not None and user.locale in {"fr", "en"} else "fr"


def reference(convention: Convention) -> str:
    return f"CBC-{convention.issued_at.astimezone(TIMEZONE):%Y%m%d}-{convention.id.hex[:8].upper()}"


def filename(convention: Convention, *, signed: bool) -> str:
    return f"convention-{reference(convention)}-v{convention.version}{'-signee' if signed else ''}.pdf"


# ---------------------------------------------------------------- finding a convention and its parties


def signatures_of(session: Session, convention: Convention) -> list[ConventionSignature]:
    """The convention's signature rows, in the order of the parties."""
    rows = session.exec(select(ConventionSignature).where(ConventionSignature.convention_id == convention.id)).all()
    return sorted(rows, key=lambda s: PARTY_ORDER.index(SignatureParty(s.party)))


def load_convention(
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


def by_employer_token(
    session: Session, token: str, *, lock: bool = False
) -> tuple[ConventionSignature, Convention, Bilan]:
    """The employer's signature, its convention and bilan for the token of its link, or NotFound."""
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


def may_view(actor: Actor, bilan: Bilan) -> bool:
    return is_follower(actor, bilan) or (actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id)


def party_names(
    session: Session, bilan: Bilan, signatures: Sequence[ConventionSignature]
) -> dict[SignatureParty, tuple[str, str]]:
    """Each party's signatory name and on-behalf-of label."""
    users = users_by_id(session, [s.user_id for s in signatures] + [bilan.beneficiary_id])
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


def read_checked(session: Session, document_id: uuid.UUID | None, expected_sha256: str) -> bytes:
    """The stored PDF, refused when its bytes no longer match the SHA-256 recorded for it."""
    document = session.get(Document, document_id) if document_id else None
    if document is None:
        raise NotFound()
    content = read_document(document)
    if sha256(content) != expected_sha256 or document.sha256 != expected_sha256:
        raise ServiceError("error.convention_document_altered")
    return content


def pdf_of(session: Session, convention: Convention, *, signed: bool) -> bytes:
    """The PDF to sign, or the final signed one (NotFound before every party signed)."""
    if not signed:
        return read_checked(session, convention.document_id, convention.document_sha256)
    if not convention.signed_document_id:
        raise NotFound()
    return read_checked(session, convention.signed_document_id, convention.signed_document_sha256)


# ---------------------------------------------------------------- evidence and mails


def record(
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


def notify_parties(
    session: Session,
    convention: Convention,
    bilan: Bilan,
    organisation: Organisation,
    signatures: Sequence[ConventionSignature],
    key: str,
    line: str,
    **params: Callable[[str], object],
) -> None:
    """One mail per party (``key``), and for the parties with an account the ``line`` in their notification
    centre; ``params`` values are callables of the recipient's locale."""
    names = party_names(session, bilan, signatures)
    users = users_by_id(session, [s.user_id for s in signatures] + [bilan.beneficiary_id])
    beneficiary = users.get(bilan.beneficiary_id)
    for signature in signatures:
        party = SignatureParty(signature.party)
        user = users.get(signature.user_id) if signature.user_id else None
        locale = locale_of(user)
        values = {name: value(locale) for name, value in params.items()}
        if "where" in values:
            values["where"] = (
                translate("convention.mail.completed.where_link", locale)
                if party is SignatureParty.EMPLOYER
                else translate(
                    "convention.mail.completed.where_account",
                    locale,
                    link=public_link(
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
        convention_line(session, bilan, user, line)


def expire(session: Session, convention: Convention, now: datetime) -> None:
    """Silence is refusal: the convention lapses; codes die; every party is told (no commit here)."""
    signatures = signatures_of(session, convention)
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
        notify_parties(
            session,
            convention,
            bilan,
            organisation,
            signatures,
            "convention.mail.expired",
            "mail.convention_expired",
            date=lambda locale: mail_date(convention.sign_by or now, locale),
        )
