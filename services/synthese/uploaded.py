"""A synthèse the consultant wrote themselves: uploaded as a PDF beside the generator, handed over with the
same record (``services.bilans.record_handover``), read back by her and by its author."""

from __future__ import annotations

import uuid

from services.access import Actor
from services.bilans import (
    CONCLUDING_STATUSES,
    BilanAction,
    get_bilan,
    latest_handover,
    log_personal_read,
    record_handover,
    record_on_bilan,
    require_assigned_consultant,
    require_beneficiary,
    require_open,
)
from services.db import session_scope
from services.errors import FormError, NotFound, ServiceError
from services.models import Document, DocumentKind, Role
from services.models.base import utcnow
from services.storage import MAX_UPLOAD_BYTES, read_document, store_document


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
        bilan.updated_at = utcnow()
        session.add(bilan)
        record_on_bilan(
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
