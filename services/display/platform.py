"""Rows of the platform operator's organisation list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services.i18n import format_datetime
from services.mail import OutboxLine
from services.members import OrganisationView
from services.queue import DeadLetter


class OrganisationRow(TypedDict):
    name: str
    siret: str
    plan: str
    members: str
    created: str
    active: bool


def organisation_rows(organisations: Iterable[OrganisationView], locale: str) -> list[OrganisationRow]:
    """Every organisation as the operator's table shows it."""
    return [
        {
            "name": org.name,
            "siret": org.siret,
            "plan": org.plan,
            "members": str(org.member_count),
            "created": format_datetime(org.created_at, locale),
            "active": org.is_active,
        }
        for org in organisations
    ]


class OutboxRow(TypedDict):
    id: str
    to: str
    subject: str
    status: str
    error: str
    date: str
    body: str


def outbox_rows(lines: Iterable[OutboxLine], locale: str) -> list[OutboxRow]:
    """The undelivered mails as the operator's outbox page shows them."""
    return [
        {
            "id": line.id,
            "to": line.to,
            "subject": line.subject,
            "status": line.status,
            "error": line.error,
            "date": format_datetime(line.created_at, locale, "medium"),
            "body": line.body,
        }
        for line in lines
    ]


class DeadLetterRow(TypedDict):
    id: str
    job: str
    arguments: str
    attempts: str
    failed: str


def dead_letter_rows(letters: Iterable[DeadLetter], locale: str) -> list[DeadLetterRow]:
    """The failed jobs as the operator's table shows them."""
    return [
        {
            "id": str(letter.id),
            "job": letter.job,
            "arguments": letter.arguments,
            "attempts": str(letter.attempts),
            "failed": format_datetime(letter.failed_at, locale, "medium") if letter.failed_at else "—",
        }
        for letter in letters
    ]
