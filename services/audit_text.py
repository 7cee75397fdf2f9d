"""Audit events read by people: field names, values and targets in words, never raw ids or ISO stamps.

The audit rows keep machine values (evidence must not depend on wording); the histories and the
organisation's audit log turn them into French or English through this one module.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from services.access import Actor
from services.audit import AuditFilter, list_events
from services.db import session_scope
from services.i18n import FR, format_date, format_datetime, format_number, translate
from services.models import AuditEvent, Bilan, Convention, Membership, User

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

# Fields whose values are catalogue labels: the key prefix of each value.
VALUE_LABELS: dict[str, str] = {
    "status": "bilanstatus.",
    "funding_type": "funding.",
    "phase": "phase.",
    "mode": "mode.",
    "party": "convention.party.",
    "attendance": "history.attendance.",
    "option": "handover.retention.",
}
# Counts stored as numbers before and after (lengths of text, numbers of items).
_LENGTH_FIELDS = frozenset({"observations"})


def field_label(name: str, locale: str) -> str:
    """``"hours_planned_total"`` → ``"Heures prévues"`` (a catalogue key ``history.field.<name>``), else
    the name in words."""
    key = f"history.field.{name}"
    if key in FR:
        return translate(key, locale)
    return name.replace("_", " ").replace(".", " · ").strip().capitalize()


def _iso_to_text(match: re.Match[str], locale: str) -> str:
    try:
        stamp = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
    except ValueError:
        return match.group(0)
    return format_datetime(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC), locale)


def value_text(name: str, value: Any, locale: str) -> str:
    """One value of a change, for reading."""
    if value is None or value == "":
        return translate("history.empty", locale)
    if isinstance(value, bool):
        return translate("history.yes" if value else "history.no", locale)
    if isinstance(value, int | float):
        if name in _LENGTH_FIELDS:
            return translate("history.characters", locale, count=format_number(value, locale))
        return format_number(value, locale)
    if isinstance(value, datetime | date):
        return format_datetime(value, locale) if isinstance(value, datetime) else format_date(value, locale)
    text = str(value)
    prefix = VALUE_LABELS.get(name)
    if prefix and f"{prefix}{text}" in FR:
        return translate(f"{prefix}{text}", locale)
    if _UUID.match(text):
        return translate("history.linked_item", locale)
    if _SHA256.match(text):
        return translate("history.fingerprint", locale, short=text[:12])
    if _ISO_DATE.match(text):
        return format_date(date.fromisoformat(text), locale)
    return _ISO_DATETIME.sub(lambda match: _iso_to_text(match, locale), text)


def describe_changes(changes: Mapping[str, Any], locale: str) -> str:
    """``{"status": {"before": "demande", "after": "preliminaire"}}`` → ``"Statut : Demande → Phase préliminaire"``."""
    parts: list[str] = []
    for name, change in changes.items():
        label = field_label(name, locale)
        if isinstance(change, dict) and ("before" in change or "after" in change):
            before, after = change.get("before"), change.get("after")
            if before is None or before == "":
                parts.append(
                    translate("history.change_set", locale, field=label, after=value_text(name, after, locale))
                )
            else:
                parts.append(
                    translate(
                        "history.change",
                        locale,
                        field=label,
                        before=value_text(name, before, locale),
                        after=value_text(name, after, locale),
                    )
                )
        else:
            parts.append(translate("history.change_set", locale, field=label, after=value_text(name, change, locale)))
    return " ; ".join(parts) if locale == "fr" else "; ".join(parts)


def target_labels(session: Session, organisation_id: uuid.UUID, events: Iterable[AuditEvent], locale: str) -> dict:
    """What each event's target is, in words ("Bilan de Léa Dubois", "Claire Martin"), keyed by (type, id).

    Only the organisation's own rows are looked up; an unknown or deleted target is named by its kind.
    """
    wanted: dict[str, set[uuid.UUID]] = {}
    for event in events:
        try:
            wanted.setdefault(event.target_type, set()).add(uuid.UUID(event.target_id))
        except (ValueError, TypeError):
            continue
    labels: dict[tuple[str, str], str] = {}
    user_ids = set(wanted.get("user", set()))
    bilans: list[Bilan] = []
    bilan_ids = set(wanted.get("bilan", set())) | set(wanted.get("bilan_read", set()))
    conventions: list[Convention] = []
    if wanted.get("convention"):
        conventions = list(
            session.exec(
                select(Convention).where(
                    col(Convention.id).in_(wanted["convention"]), Convention.organisation_id == organisation_id
                )
            ).all()
        )
        bilan_ids |= {convention.bilan_id for convention in conventions}
    if bilan_ids:
        bilans = list(
            session.exec(
                select(Bilan).where(col(Bilan.id).in_(bilan_ids), Bilan.organisation_id == organisation_id)
            ).all()
        )
        user_ids |= {bilan.beneficiary_id for bilan in bilans}
    # Only people who are (or were) members of the organisation are named.
    names = (
        {
            user.id: user.full_name
            for user in session.exec(
                select(User)
                .join(Membership, col(Membership.user_id) == col(User.id))
                .where(col(User.id).in_(user_ids), Membership.organisation_id == organisation_id)
            ).all()
        }
        if user_ids
        else {}
    )
    bilan_names = {bilan.id: names.get(bilan.beneficiary_id, "") for bilan in bilans}
    for user_id in wanted.get("user", set()):
        if user_id in names:
            labels[("user", str(user_id))] = names[user_id]
    for kind in ("bilan", "bilan_read"):
        for bilan_id in wanted.get(kind, set()):
            if bilan_names.get(bilan_id):
                labels[(kind, str(bilan_id))] = translate("bilan.title", locale, name=bilan_names[bilan_id])
    for convention in conventions:
        if bilan_names.get(convention.bilan_id):
            labels[("convention", str(convention.id))] = translate(
                "history.target.convention", locale, version=convention.version, name=bilan_names[convention.bilan_id]
            )
    return labels


def target_text(event: AuditEvent, labels: Mapping[tuple[str, str], str], locale: str) -> str:
    """The event's target for reading: its label, else its kind in words (never a raw id)."""
    found = labels.get((event.target_type, event.target_id))
    if found:
        return found
    if not event.target_type:
        return ""
    key = f"history.kind.{event.target_type}"
    return translate(key, locale) if key in FR else event.target_type.replace("_", " ")


class AuditLine(TypedDict):
    """One event of the organisation's audit log, in words: a display-ready row of the audit page."""

    date: str
    action: str
    actor: str
    target: str
    ip: str
    changes: str


def audit_log(
    actor: Actor, filters: AuditFilter, locale: str, *, limit: int, offset: int = 0
) -> tuple[list[AuditLine], int]:
    """A page of the organisation's audit log in words, newest first, and the total count for paging
    (``Permission.VIEW_AUDIT_LOG``: the org admin)."""
    with session_scope() as session:
        rows, total = list_events(session, actor, filters, limit=limit, offset=offset)
        labels = target_labels(session, actor.organisation_id, rows, locale) if actor.organisation_id else {}
        lines = [
            AuditLine(
                date=format_datetime(row.created_at, locale, "medium"),
                action=translate(f"audit.{row.action}", locale),
                actor=row.actor_label,
                target=target_text(row, labels, locale),
                ip=row.ip,
                changes=describe_changes(row.changes, locale),
            )
            for row in rows
        ]
    return lines, total
