"""The life of a convention outside its signatures: issuing a version, cancelling it, and the lapse of
one whose deadline passed ("silence vaut refus", R6313-8)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from services import audit, routes
from services.access import Actor
from services.auth import ClientInfo
from services.bilans import CLOSED_STATUSES, get_bilan, latest_convention, require_follower
from services.conventions._common import (
    ACTIVE_STATUSES,
    CANCELLABLE_SIGNED_IN,
    LEGAL_MAX_HOURS,
    SIGN_WINDOW_DAYS,
    ConventionAction,
    employer_signature_link,
    expire,
    filename,
    load_convention,
    locale_of,
    mail_date,
    notify_parties,
    public_link,
    reference,
    signatures_of,
    users_by_id,
)
from services.conventions.views import ConventionView, convention_view
from services.crypto import decrypt_text, hash_token, new_token
from services.db import session_scope
from services.documents.convention import (
    ConventionEmployer,
    ConventionOrganisation,
    ConventionPdfInput,
    render_convention_pdf,
)
from services.errors import FormError, NotFound, ServiceError
from services.i18n import TIMEZONE, translate
from services.mail import queue_mail
from services.models import (
    Bilan,
    BilanStatus,
    Convention,
    ConventionKind,
    ConventionSignature,
    ConventionStatus,
    DocumentKind,
    FundingType,
    Organisation,
    Role,
    SignatureParty,
    User,
)
from services.models.base import utcnow
from services.notifications import convention_line
from services.settings import get_settings
from services.storage import store_document


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


def _pdf_input(
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
) -> ConventionPdfInput:
    """What the convention states, as the bilan and the organisation stand when it is issued."""
    kind = ConventionKind(convention.kind)
    return ConventionPdfInput(
        reference=reference(convention),
        version=convention.version,
        kind=kind,
        issued_at=convention.issued_at,
        sign_by=convention.sign_by,
        organisation=ConventionOrganisation(
            name=organisation.name,
            siret=organisation.siret,
            nda_number=organisation.nda_number or "",
            address=organisation.address,
            email=organisation.contact_email or "",
            phone=organisation.contact_phone,
        ),
        signatory_name=signatory.full_name,
        signatory_role=translate(f"role.{signatory_role}", "fr").lower(),
        beneficiary_name=beneficiary.full_name,
        beneficiary_email=beneficiary.email,
        employer=(
            ConventionEmployer(
                name=bilan.employer_name.strip(),
                signatory_name=bilan.employer_signatory_name.strip(),
                email=bilan.employer_email.strip(),
            )
            if kind is ConventionKind.TRIPARTITE
            else None
        ),
        consultant_name=consultant.full_name if consultant else None,
        funding_type=str(bilan.funding_type),
        edof_file_number=bilan.edof_file_number,
        objectives=objectives,
        hours=bilan.hours_planned_total,
        hours_max=LEGAL_MAX_HOURS,
        mode=str(bilan.mode),
        price_euros=price,
        cpf_fee=get_settings().cpf_fee_for(convention.issued_at.astimezone(TIMEZONE).year),
    )


def issue_convention(actor: Actor, bilan_id: uuid.UUID | str, client: ClientInfo) -> ConventionView:
    """Render, store and send for signature a new version of the bilan's convention.

    Who may call: a follower of the bilan (assigned consultant, org admin), who becomes the
    organisation's signatory.
    """
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
        users = users_by_id(session, [bilan.beneficiary_id, bilan.consultant_id, actor.user_id])
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
        pdf = render_convention_pdf(
            _pdf_input(
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
        )
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.CONVENTION,
            filename=filename(convention, signed=False),
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
        return convention_view(session, convention, bilan, actor)


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
        return translate("convention.mail.deadline", locale, date=mail_date(convention.sign_by, locale))

    for user, party, route in (
        (beneficiary, SignatureParty.BENEFICIARY, routes.BENEFICIARY_HOME),
        (signatory, SignatureParty.ORGANISATION, routes.CONSULTANT_HOME),
    ):
        locale = locale_of(user)
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
                link=public_link(route),
                deadline=deadline(locale),
            ),
            organisation_id=organisation.id,
        )
        convention_line(session, bilan, user, "mail.convention_to_sign", organisation=organisation.name)
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


# ---------------------------------------------------------------- cancelling and expiring


def cancel_convention(actor: Actor, convention_id: uuid.UUID | str, reason: str) -> ConventionView:
    """Cancel a convention awaiting signatures, or a signed one before the investigation.

    Who may call: a follower of the bilan (assigned consultant, org admin).
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise FormError({"reason": "error.required"})
    if len(reason) > 500:
        raise FormError({"reason": "error.too_long"})
    with session_scope() as session:
        convention, bilan = load_convention(session, actor, convention_id, lock=True)
        require_follower(actor, bilan)
        status = ConventionStatus(convention.status)
        cancellable = status == ConventionStatus.AWAITING_SIGNATURES or (
            status == ConventionStatus.SIGNED and BilanStatus(bilan.status) in CANCELLABLE_SIGNED_IN
        )
        if not cancellable:
            raise ServiceError("error.convention_not_cancellable")
        signatures = signatures_of(session, convention)
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
            notify_parties(
                session,
                convention,
                bilan,
                organisation,
                signatures,
                "convention.mail.cancelled",
                "mail.convention_cancelled",
                reason=lambda _locale: reason,
            )
        return convention_view(session, convention, bilan, actor)


def expire_overdue_conventions(now: datetime | None = None) -> int:
    """Conventions past their signing deadline with a signature missing lapse (silence = refusal).

    Who may call: the jobs runner only (``services.jobs``); no actor.
    """
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
            expire(session, convention, moment)
        return len(overdue)
