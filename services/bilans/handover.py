"""The synthèse handed to the beneficiary: the handover record every way of writing the synthèse ends
with (the generated one, ``services.synthese.handover``; the uploaded one, ``services.synthese.uploaded``)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from services import notifications, routes
from services.access import Actor
from services.bilans._common import record_change
from services.bilans.events import BilanAction
from services.errors import ServiceError
from services.i18n import translate
from services.mail import queue_mail
from services.models import Bilan, Document, SyntheseHandover, User
from services.models.base import utcnow
from services.settings import get_settings


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
        notifications.synthese_handed_over(session, bilan, beneficiary)
    return row


def upload_waiting(session: Session, bilan: Bilan) -> bool:
    """Any service, on a bilan it loaded and checked: an uploaded PDF waits to be handed over."""
    latest = latest_handover(session, bilan)
    return bilan.synthese_document_id is not None and (
        latest is None or latest.document_id != bilan.synthese_document_id
    )
