"""E-mail: written in the caller's transaction with its delivery job, delivered by the job queue, never
dropped silently and never sent twice.

With ``SMTP_URL`` set, messages go to that server. Without it they stay in the development
outbox, which the platform admin reads in the UI and which is printed in the log.

Delivery (the ``deliver_mail`` job) is idempotent: a message already sent or kept is left alone; the
envelope is given first (MAIL FROM, RCPT TO), then the message is marked SENDING in its own
transaction, then the data goes. A worker killed before that mark leaves a message the retry sends; a
worker killed after it leaves one the retry marks UNCERTAIN for the operator instead of sending it
again (the server may have accepted it).
"""

from __future__ import annotations

import html
import logging
import re
import smtplib
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlparse

from sqlmodel import Session, col, select

from services.access import Actor, Permission, require
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.i18n import translate
from services.models import DeliveryStatus, MailMessage, Organisation, SmsMessage, User
from services.models.base import utcnow
from services.queue import enqueue, job, uses_worker
from services.settings import get_settings

log = logging.getLogger("bilan.mail")


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    organisation_id: uuid.UUID | None = None,
    unsubscribe_url: str = "",
    calendar: str = "",
) -> MailMessage:
    """Store a message in the caller's transaction; it is delivered once that transaction commits.
    ``unsubscribe_url`` (non-essential notifications) becomes the one-click List-Unsubscribe header;
    ``calendar`` (an iCalendar text, ``services.calendar``) is attached as the invitation."""
    message = MailMessage(
        organisation_id=organisation_id,
        to_address=to,
        subject=subject,
        body_encrypted=encrypt_text(body),
        unsubscribe_url=unsubscribe_url,
        calendar_encrypted=encrypt_text(calendar) if calendar else "",
    )
    session.add(message)
    enqueue(session, "deliver_mail", queueing_lock=f"mail:{message.id}", message_id=str(message.id))
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
    footer: str = "",
    unsubscribe_url: str = "",
    calendar: str = "",
    **params: MailParam,
) -> MailMessage:
    """Queue the catalogue's ``{key}.subject`` and ``{key}.body`` for ``user``, in their language.

    The body gets ``name`` (the first name) and, with ``path``, ``link`` (its absolute address);
    callable parameters are given the recipient's locale; ``footer`` ends the body (e.g. how to stop
    such mails) and ``unsubscribe_url`` is the one-click address mail clients offer (List-Unsubscribe);
    ``calendar`` is attached as an invitation (``queue_mail``).
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
        body=translate(f"{key}.body", locale, **values) + (f"\n\n--\n{footer}" if footer else ""),
        organisation_id=organisation_id,
        unsubscribe_url=unsubscribe_url,
        calendar=calendar,
    )


_LINK = re.compile(r"https?://[^\s<>\"]+")


def _html(subject: str, body: str, organisation_name: str) -> str:
    """The HTML part: the same text, paragraphs kept, addresses as links (nothing the text does not say)."""
    paragraphs = []
    for block in body.split("\n\n"):
        text = html.escape(block)
        text = _LINK.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', text)
        paragraphs.append(f"<p>{text.replace(chr(10), '<br>')}</p>")
    header = f'<p style="color:#555;font-size:13px">{html.escape(organisation_name)}</p>' if organisation_name else ""
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
        f'<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;'
        f'max-width:640px">{header}{"".join(paragraphs)}</body></html>'
    )


def compose(
    to: str,
    subject: str,
    body: str,
    mail_from: str,
    organisation: Organisation | None,
    unsubscribe_url: str = "",
    calendar: str = "",
) -> EmailMessage:
    """The message as sent: plain text and HTML alternatives; the organisation's name as the sender's
    display name (the address stays the platform's, which SPF and DKIM cover) and its contact as Reply-To;
    with ``unsubscribe_url``, the RFC 8058 one-click unsubscribe headers (the address answers a POST);
    with ``calendar``, the invitation as a ``text/calendar`` attachment whose ``method`` is the ICS's own
    (REQUEST or CANCEL), which mail clients turn into an "add to calendar" or "remove" button."""
    display, address = parseaddr(mail_from)
    email = EmailMessage()
    email["From"] = formataddr((organisation.name, address)) if organisation is not None else mail_from
    if organisation is not None and organisation.contact_email:
        email["Reply-To"] = organisation.contact_email
    email["To"] = to
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(domain="bilancompetence.ai")
    if unsubscribe_url:
        email["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(body)
    email.add_alternative(
        _html(subject, body, organisation.name if organisation is not None else display), subtype="html"
    )
    if calendar:
        method = "CANCEL" if "\r\nMETHOD:CANCEL\r\n" in calendar else "REQUEST"
        email.add_attachment(
            calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": method, "charset": "utf-8"},
        )
    return email


class DeliveryFailed(Exception):
    """The SMTP server could not be reached or refused the message: the queue tries again later."""


def _connect(url: str) -> smtplib.SMTP:
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
    client.ehlo()
    if parsed.scheme == "smtp" and options.get("starttls", ["0"])[0] in {"1", "true", "yes"}:
        client.starttls(context=ssl.create_default_context())
        client.ehlo()
    if parsed.username:
        client.login(unquote(parsed.username), unquote(parsed.password or ""))
    return client


def _envelope_address(header: str) -> str:
    return parseaddr(header)[1] or header


def set_delivery_status(
    model: type[MailMessage] | type[SmsMessage], message_id: uuid.UUID, status: DeliveryStatus, error: str = ""
) -> None:
    """A delivery's outcome, in its own transaction (a mail's, or an SMS's)."""
    with session_scope() as session:
        message = session.get(model, message_id)
        if message is not None:
            message.status, message.error = status, error[:500]
            if status is DeliveryStatus.SENT:
                message.sent_at = utcnow()
            session.add(message)


_LOCAL_DELIVERY = threading.Lock()  # embedded mode: after-commit runs and the retry loop share a process


def deliver_message(message_id: uuid.UUID, *, attempt: int = 1) -> DeliveryStatus:
    """Deliver one queued message (or keep it in the dev outbox); see the module's docstring.

    Raises DeliveryFailed when the server is unreachable or refuses it, so that the queue retries."""
    with _LOCAL_DELIVERY:
        return _deliver(message_id, attempt)


def _deliver(message_id: uuid.UUID, attempt: int) -> DeliveryStatus:
    settings = get_settings()
    with session_scope() as session:
        message = session.exec(select(MailMessage).where(MailMessage.id == message_id).with_for_update()).first()
        if message is None or message.status in (DeliveryStatus.SENT, DeliveryStatus.OUTBOX, DeliveryStatus.UNCERTAIN):
            return message.status if message is not None else DeliveryStatus.SENT
        if message.status is DeliveryStatus.SENDING:
            # An earlier attempt handed the data over and died before the answer: never twice.
            message.status = DeliveryStatus.UNCERTAIN
            message.error = "delivery interrupted after the data was sent: check with the recipient, then retry"
            log.error("message %s: delivery interrupted after the data was sent, not resent", message.id)
            return DeliveryStatus.UNCERTAIN
        body = decrypt_text(message.body_encrypted)
        if not settings.smtp_url:
            message.status = DeliveryStatus.OUTBOX
            if settings.is_production:
                log.warning("SMTP_URL is not set: message %s kept in the outbox", message.id)
            else:
                log.warning("DEV OUTBOX (no SMTP_URL) to=%s subject=%s\n%s", message.to_address, message.subject, body)
            return DeliveryStatus.OUTBOX
        message.attempts += 1
        organisation = session.get(Organisation, message.organisation_id) if message.organisation_id else None
        email = compose(
            message.to_address,
            message.subject,
            body,
            settings.mail_from,
            organisation,
            message.unsubscribe_url,
            decrypt_text(message.calendar_encrypted) if message.calendar_encrypted else "",
        )
        to_address = message.to_address
    handed_over = False
    try:
        with _connect(settings.smtp_url) as client:
            client.mail(_envelope_address(settings.mail_from))
            code, answer = client.rcpt(to_address)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({to_address: (code, answer)})
            set_delivery_status(MailMessage, message_id, DeliveryStatus.SENDING)
            handed_over = True
            code, answer = client.data(email.as_bytes(policy=SMTP_POLICY))
            if code != 250:
                raise smtplib.SMTPDataError(code, answer)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if handed_over and not isinstance(exc, smtplib.SMTPResponseException):
            # The connection broke while the data travelled: the server may have it. Not resent.
            set_delivery_status(MailMessage, message_id, DeliveryStatus.UNCERTAIN, error)
            log.error("message %s: delivery uncertain (%s), not resent", message_id, error)
            return DeliveryStatus.UNCERTAIN
        set_delivery_status(MailMessage, message_id, DeliveryStatus.FAILED, error)
        log.error("SMTP delivery of message %s failed (attempt %d): %s", message_id, attempt, error)
        raise DeliveryFailed(error) from exc
    set_delivery_status(MailMessage, message_id, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


@job("deliver_mail", queue="mail")
def deliver_mail_job(*, message_id: str, attempt: int = 1) -> None:
    deliver_message(uuid.UUID(message_id), attempt=attempt)


@job("retry_undelivered_mail", queue="mail", cron="*/5 * * * *")
def retry_undelivered_mail(*, attempt: int = 1) -> int:
    """Embedded mode: the loop's second chance for mail a request could not deliver (with PostgreSQL the
    queue retries each delivery job itself, so this finds nothing to do there)."""
    if uses_worker():
        return 0
    settings = get_settings()
    stale = utcnow() - timedelta(minutes=1)
    with session_scope() as session:
        ids = list(
            session.exec(
                select(MailMessage.id).where(
                    col(MailMessage.status).in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
                    MailMessage.attempts < settings.jobs_max_attempts,
                    MailMessage.created_at < stale,
                )
            )
        )
    for message_id in ids:
        try:
            deliver_message(message_id)
        except DeliveryFailed:
            continue
    return len(ids)


def retry_failed(actor: Actor) -> int:
    """Deliver again every failed or uncertain message (the platform operator, who checked the uncertain
    ones): each goes back to the queue with a new delivery job."""
    require(actor, Permission.READ_DEV_OUTBOX)
    with session_scope() as session:
        messages = list(
            session.exec(
                select(MailMessage).where(
                    col(MailMessage.status).in_([DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN])
                )
            )
        )
        for message in messages:
            message.status, message.attempts = DeliveryStatus.PENDING, 0
            session.add(message)
            enqueue(session, "deliver_mail", queueing_lock=f"mail:{message.id}", message_id=str(message.id))
    return len(messages)


NOT_DELIVERED = [
    DeliveryStatus.OUTBOX,
    DeliveryStatus.FAILED,
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.UNCERTAIN,
]


def list_outbox(session: Session, actor: Actor, *, limit: int = 100) -> list[tuple[MailMessage, str]]:
    """The messages not delivered by SMTP (dev outbox and failures), newest first, with bodies."""
    require(actor, Permission.READ_DEV_OUTBOX)
    rows = session.exec(
        select(MailMessage)
        .where(col(MailMessage.status).in_(NOT_DELIVERED))
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
