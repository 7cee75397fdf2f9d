"""Text messages: an optional second channel for the events that cannot wait (a session planned, moved,
cancelled, or tomorrow), for the people who gave a mobile number and ticked the kind.

The provider is a platform setting (``SMS_PROVIDER``): empty, no SMS is offered and the preferences page
says so; ``console`` writes each message to the log (development, demos); ``package.module:Class`` names an
adapter to a real provider, a class with a ``send(to, text)`` method that raises ``SmsFailed`` when the
provider refuses the message or cannot be reached (it reads its own credentials from the environment).

Like mail, an SMS is written in the transaction of the event and delivered by the job queue; delivery is
idempotent: the message is marked SENDING in its own transaction before the provider is called, so a
worker that dies during the call leaves it UNCERTAIN for the operator instead of sending it twice.
"""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from functools import cache
from typing import Protocol

from sqlmodel import Session, select

from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.mail import set_delivery_status
from services.models import DeliveryStatus, SmsMessage, User
from services.queue import enqueue, job
from services.settings import get_settings

log = logging.getLogger("bilan.sms")

MAX_LENGTH = 320  # two concatenated SMS: the event, its date and a link fit


class SmsFailed(Exception):
    """The provider refused the message or could not be reached: the queue tries again later."""


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> None:
        """Hand one message to the provider (``to`` in E.164); raise ``SmsFailed`` if it is not accepted."""


class ConsoleSmsProvider:
    """Development: the message goes to the log, the number masked."""

    def send(self, to: str, text: str) -> None:
        log.warning("SMS (console provider) to %s: %s", mask(to), text)


@cache
def _provider(name: str) -> SmsProvider | None:
    if not name:
        return None
    if name == "console":
        return ConsoleSmsProvider()
    module_name, _, class_name = name.partition(":")
    adapter: SmsProvider = getattr(importlib.import_module(module_name), class_name)()
    return adapter


def configured_provider() -> SmsProvider | None:
    """The platform's SMS provider, or None when SMS is not offered."""
    return _provider(get_settings().sms_provider.strip())


def sms_offered() -> bool:
    return configured_provider() is not None


_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise_mobile(raw: str) -> str:
    """A mobile number as typed ("06 12 34 56 78", "+33 6…", "0033 7…", "+32 470…") in E.164.
    Raises ValueError for anything else (a French landline included: it cannot receive an SMS)."""
    number = _SEPARATORS.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"0[67]\d{8}", number):
        return "+33" + number[1:]
    if re.fullmatch(r"\+33[67]\d{8}", number):
        return number
    if re.fullmatch(r"\+(?!33)[1-9]\d{7,14}", number):
        return number
    raise ValueError(raw)


def mask(number: str) -> str:
    """ "+33612345678" → "+336•••••678": enough to recognise one's own number, not to read another's."""
    return number[:4] + "•" * max(len(number) - 7, 0) + number[-3:] if len(number) > 7 else "•" * len(number)


def mobile_of(user: User) -> str:
    return decrypt_text(user.mobile_phone_encrypted) if user.mobile_phone_encrypted else ""


def queue_sms(session: Session, user: User, text: str, *, organisation_id: uuid.UUID | None) -> SmsMessage | None:
    """Any service, in its transaction: text ``user`` once it commits. None when SMS is not offered or the
    person gave no mobile number."""
    number = mobile_of(user)
    if not number or not sms_offered():
        return None
    message = SmsMessage(
        organisation_id=organisation_id,
        user_id=user.id,
        to_encrypted=encrypt_text(number),
        text_encrypted=encrypt_text(text[:MAX_LENGTH]),
    )
    session.add(message)
    enqueue(session, "deliver_sms", queueing_lock=f"sms:{message.id}", message_id=str(message.id))
    return message


def deliver_sms(message_id: uuid.UUID) -> DeliveryStatus:
    """Hand one queued SMS to the provider (see the module's docstring); raises SmsFailed to be retried."""
    with session_scope() as session:
        message = session.exec(select(SmsMessage).where(SmsMessage.id == message_id).with_for_update()).first()
        if message is None or message.status in (DeliveryStatus.SENT, DeliveryStatus.OUTBOX, DeliveryStatus.UNCERTAIN):
            return message.status if message is not None else DeliveryStatus.SENT
        if message.status is DeliveryStatus.SENDING:
            message.status = DeliveryStatus.UNCERTAIN
            message.error = "delivery interrupted while the provider had the message: not resent"
            log.error("SMS %s: delivery interrupted, not resent", message.id)
            return DeliveryStatus.UNCERTAIN
        provider = configured_provider()
        if provider is None:  # the setting was removed after the message was written
            message.status = DeliveryStatus.OUTBOX
            return DeliveryStatus.OUTBOX
        message.attempts += 1
        message.status = DeliveryStatus.SENDING
        to, text = decrypt_text(message.to_encrypted), decrypt_text(message.text_encrypted)
    try:
        provider.send(to, text)
    except SmsFailed as exc:
        set_delivery_status(SmsMessage, message_id, DeliveryStatus.FAILED, str(exc))
        log.error("SMS %s refused by the provider: %s", message_id, exc)
        raise
    except Exception as exc:  # the adapter broke mid-call: the provider may have it
        set_delivery_status(SmsMessage, message_id, DeliveryStatus.UNCERTAIN, f"{type(exc).__name__}: {exc}")
        log.exception("SMS %s: delivery uncertain, not resent", message_id)
        return DeliveryStatus.UNCERTAIN
    set_delivery_status(SmsMessage, message_id, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


@job("deliver_sms", queue="mail")
def deliver_sms_job(*, message_id: str, attempt: int = 1) -> None:
    deliver_sms(uuid.UUID(message_id))
