"""The synthèse handed to the beneficiary: the handover record every way of writing the synthèse ends
with, and the upload option (a PDF the consultant wrote themselves). ``services.synthese`` and
``services.handover`` build the generated synthèse on these."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from services import routes
from services.access import Actor
from services.bilans._common import record_change
from services.bilans.access import get_bilan, require_assigned_consultant, require_beneficiary
from services.bilans.events import BilanAction, log_personal_read
from services.bilans.statuses import CONCLUDING_STATUSES, require_open
from services.db import session_scope
from services.errors import FormError, NotFound, ServiceError
from services.i18n import translate
from services.mail import queue_mail
from services.models import Bilan, Document, DocumentKind, Role, SyntheseHandover, User
from services.models.base import utcnow
from services.settings import get_settings
from services.storage import MAX_UPLOAD_BYTES, read_document, store_document


def latest_handover(session: Session, bilan: Bilan) -> SyntheseHandover | None:
    """Any service, on a bilan it loaded and checked: the last document handed to the beneficiary (what
    she has), or None."""
    return session.exec(
        select(SyntheseHandover)
        .where(SyntheseHandover.organisation_id == bilan.organisation_id, SyntheseHandover.bilan_id == bilan.id)
        .order_by(col(SyntheseHandover.number).desc())
    ).first()


def record_handover(
    session: Session, actor: Actor, bilan: Bilan, document: Document, synthese_version: int | None
) -> SyntheseHandover:
    """Services that checked the actor is the bilan's assigned consultant: hand ``document`` to the
    beneficiary. A new handover row (the earlier ones stay as they are: evidence), the bilan points to it
    (it releases the closing guard), audited, and she is told by mail."""
    previous = latest_handover(session, bilan)
    row = SyntheseHandover(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        number=previous.number + 1 if previous else 1,
        synthese_version=synthese_version,
        document_id=document.id,
        sha256=document.sha256,
        handed_over_by=actor.user_id,
        handed_over_at=utcnow(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a second click while the first one was recorded
        raise ServiceError("error.synthese_already_handed_over") from exc
    bilan.synthese_document_id = document.id
    bilan.synthese_handed_over_at = row.handed_over_at
    record_change(
        session,
        actor,
        bilan,
        BilanAction.SYNTHESE_HANDED_OVER,
        handover={"before": previous.number if previous else None, "after": row.number},
        version={"before": previous.synthese_version if previous else None, "after": synthese_version},
        sha256={"before": previous.sha256 if previous else None, "after": document.sha256},
    )
    beneficiary = session.get(User, bilan.beneficiary_id)
    if beneficiary is not None:
        locale, kind = beneficiary.locale, "newer_mail" if previous else "ready_mail"
        queue_mail(
            session,
            to=beneficiary.email,
            subject=translate(f"handover.{kind}.subject", locale),
            body=translate(
                f"handover.{kind}.body",
                locale,
                name=beneficiary.first_name,
                link=get_settings().public_url.rstrip("/") + routes.SYNTHESE,
            ),
            organisation_id=bilan.organisation_id,
        )
    return row


def upload_waiting(session: Session, bilan: Bilan) -> bool:
    """Any service, on a bilan it loaded and checked: an uploaded PDF waits to be handed over."""
    latest = latest_handover(session, bilan)
    return bilan.synthese_document_id is not None and (
        latest is None or latest.document_id != bilan.synthese_document_id
    )


def upload_synthese(actor: Actor, bilan_id: uuid.UUID | str, filename: str, content: bytes) -> None:
    """The bilan's assigned consultant, while it is open: a synthèse PDF they wrote themselves (beside the
    generator). After a handover, a corrected PDF waits to be handed over as a new one; the one she has
    stays hers."""
    if not content.startswith(b"%PDF-"):
        raise FormError({"synthese": "error.pdf_required"})
    if len(content) > MAX_UPLOAD_BYTES:
        raise FormError({"synthese": "error.file_too_large"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        require_open(bilan)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.SYNTHESE,
            filename=filename or "synthese.pdf",
            content=content,
            uploaded_by_id=actor.user_id,
        )
        bilan.synthese_document_id = document.id
        record_change(
            session, actor, bilan, BilanAction.SYNTHESE_UPLOADED, sha256={"before": None, "after": document.sha256}
        )


def record_synthese_handover(actor: Actor, bilan_id: uuid.UUID | str) -> None:
    """The bilan's assigned consultant, once it is concluding: the uploaded synthèse is handed to the
    beneficiary (Qualiopi evidence, and it releases the closing guard)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        document = session.get(Document, bilan.synthese_document_id) if bilan.synthese_document_id else None
        if document is None or document.bilan_id != bilan.id:
            raise ServiceError("error.synthese_missing")
        latest = latest_handover(session, bilan)
        if latest is not None and latest.document_id == document.id:
            raise ServiceError("error.synthese_already_handed_over")
        if bilan.status not in CONCLUDING_STATUSES:
            raise ServiceError("error.transition_forbidden")
        record_handover(session, actor, bilan, document, None)


def read_synthese(actor: Actor, bilan_id: uuid.UUID | str) -> tuple[str, bytes]:
    """The bilan's beneficiary (what was handed over to her, L6313-4) and its assigned consultant (their
    latest copy): the synthèse PDF, as (filename, content)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        document_id = bilan.synthese_document_id  # the consultant's latest copy (handed over or not)
        if actor.role is Role.BENEFICIARY:
            require_beneficiary(actor, bilan)
            handed = latest_handover(session, bilan)  # she has what was handed over, nothing newer
            if handed is None:
                raise NotFound()
            document_id = handed.document_id
        else:
            require_assigned_consultant(actor, bilan)
        document = session.get(Document, document_id) if document_id else None
        if document is None or document.bilan_id != bilan.id:
            raise NotFound()
        log_personal_read(session, actor, bilan, "synthese")
        return document.filename, read_document(document)
