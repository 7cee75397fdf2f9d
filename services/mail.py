"""E-mail: queued in the caller's transaction, delivered after commit, never dropped silently.

With ``SMTP_URL`` set, messages go to that server. Without it they stay in the development
outbox, which the platform admin reads in the UI and which is printed in the log.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlparse

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from services.access import Actor, Permission, require
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.i18n import translate
from services.models import MailMessage, MailStatus, User
from services.models.base import utcnow
from services.settings import get_settings

log = logging.getLogger("bilan.mail")
_PENDING_KEY = "bilan_pending_mail"


def queue_mail(
    session: Session, *, to: str, subject: str, body: str, organisation_id: uuid.UUID | None = None
) -> MailMessage:
    """Store a message in the caller's transaction; it is delivered once that transaction commits."""
    message = MailMessage(
        organisation_id=organisation_id,
        to_address=to,
        subject=subject,
        body_encrypted=encrypt_text(body),
    )
    session.add(message)
    session.info.setdefault(_PENDING_KEY, []).append(message.id)
    return message


def public_link(path: str) -> str:
    """The absolute address of an app path (``services.routes``), for a link in a mail."""
    return get_settings().public_url.rstrip("/") + path


# A mail parameter: a plain value, or a function of the recipient's locale (a date, a translated word).
MailParam = object | Callable[[str], str]


def mail_user(
    session: Session,
    user: User,
    key: str,
    *,
    organisation_id: uuid.UUID | None,
    path: str | None = None,
    **params: MailParam,
) -> MailMessage:
    """Queue the catalogue's ``{key}.subject`` and ``{key}.body`` for ``user``, in their language.

    The body gets ``name`` (the first name) and, with ``path``, ``link`` (its absolute address);
    callable parameters are given the recipient's locale.
    """
    locale = user.locale
    values = {name: value(locale) if callable(value) else value for name, value in params.items()}
    values = {"name": user.first_name, **values}
    if path is not None:
        values["link"] = public_link(path)
    return queue_mail(
        session,
        to=user.email,
        subject=translate(f"{key}.subject", locale, **values),
        body=translate(f"{key}.body", locale, **values),
        organisation_id=organisation_id,
    )


@event.listens_for(OrmSession, "after_commit")
def _deliver_after_commit(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        deliver(pending)


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_PENDING_KEY, None)


def _send_smtp(url: str, message: EmailMessage) -> None:
    parsed = urlparse(url)
    options = parse_qs(parsed.query)
    host = parsed.hostname or "localhost"
    timeout = 15
    if parsed.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parsed.port or 465, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, parsed.port or 25, timeout=timeout)
    with client:
        if parsed.scheme == "smtp" and options.get("starttls", ["0"])[0] in {"1", "true", "yes"}:
            client.starttls(context=ssl.create_default_context())
        if parsed.username:
            client.login(unquote(parsed.username), unquote(parsed.password or ""))
        client.send_message(message)


def deliver(message_ids: Sequence[uuid.UUID]) -> None:
    """Send the given queued messages now (SMTP) or keep them in the dev outbox."""
    settings = get_settings()
    with session_scope() as session:
        for message in session.exec(select(MailMessage).where(col(MailMessage.id).in_(message_ids))):
            body = decrypt_text(message.body_encrypted)
            if not settings.smtp_url:
                message.status = MailStatus.OUTBOX
                if settings.is_production:
                    log.warning("SMTP_URL is not set: message %s kept in the outbox", message.id)
                else:
                    log.warning(
                        "DEV OUTBOX (no SMTP_URL) to=%s subject=%s\n%s", message.to_address, message.subject, body
                    )
                continue
            email = EmailMessage()
            email["From"] = settings.mail_from
            email["To"] = message.to_address
            email["Subject"] = message.subject
            email["Message-ID"] = make_msgid(domain="bilancompetence.ai")
            email.set_content(body)
            try:
                _send_smtp(settings.smtp_url, email)
            except (OSError, smtplib.SMTPException) as exc:
                message.status = MailStatus.FAILED
                message.error = f"{type(exc).__name__}: {exc}"[:500]
                log.error("SMTP delivery of message %s failed: %s", message.id, message.error)
            else:
                message.status = MailStatus.SENT
                message.sent_at = utcnow()
                message.error = ""


def retry_failed(actor: Actor) -> int:
    """Re-deliver every failed message (platform admin)."""
    require(actor, Permission.READ_DEV_OUTBOX)
    with session_scope() as session:
        ids = list(session.exec(select(MailMessage.id).where(MailMessage.status == MailStatus.FAILED)))
    deliver(ids)
    return len(ids)


def list_outbox(session: Session, actor: Actor, *, limit: int = 100) -> list[tuple[MailMessage, str]]:
    """The messages not delivered by SMTP (dev outbox and failures), newest first, with bodies."""
    require(actor, Permission.READ_DEV_OUTBOX)
    rows = session.exec(
        select(MailMessage)
        .where(col(MailMessage.status).in_([MailStatus.OUTBOX, MailStatus.FAILED, MailStatus.PENDING]))
        .order_by(col(MailMessage.created_at).desc())
        .limit(limit)
    ).all()
    return [(row, decrypt_text(row.body_encrypted)) for row in rows]


@dataclass(frozen=True)
class OutboxLine:
    """A message not delivered by SMTP, as the operator's outbox lists it."""

    id: str
    to: str
    subject: str
    status: str
    error: str
    created_at: datetime
    body: str


def outbox(actor: Actor, *, limit: int = 100) -> list[OutboxLine]:
    """The dev outbox and the failures, newest first, with bodies (``Permission.READ_DEV_OUTBOX``: the
    platform operator)."""
    with session_scope() as session:
        return [
            OutboxLine(
                id=str(message.id),
                to=message.to_address,
                subject=message.subject,
                status=str(message.status),
                error=message.error,
                created_at=message.created_at,
                body=body,
            )
            for message, body in list_outbox(session, actor, limit=limit)
        ]
