"""Rows of the bilan screens: the consultant's dashboard and the admin's list, the bilan page, and the
beneficiary's journey (the public organisation page, the request, her home).

The bilan page and the beneficiary's home show the same sessions and tasks: both build them here, from
one builder each (the sessions' shared part in ``_session_base``; the follower's card adds what only
a follower may see or do).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from typing import TypedDict

from services import routes
from services.audit_text import describe_changes
from services.bilans import (
    OPTIONAL_STATUSES,
    STATUS_ORDER,
    BilanDetail,
    BilanRow,
    ConsultantCard,
    HistoryRow,
    SessionRow,
    TaskRow,
)
from services.calendar.visio import SessionLinks
from services.enrolment import PublicOrganisationInfo
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import TIMEZONE, format_date, format_datetime, format_number, input_number, translate
from services.models import BilanStatus

# ---------------------------------------------------------------- the dashboard and the admin's list


class DashboardRow(TypedDict):
    id: str
    beneficiary: str
    consultant_id: str
    status: str
    funding: str
    hours_done: str
    hours_planned: str
    next_session: str
    alerts: list[str]
    awaiting: bool  # a request waiting for the reader's answer
    unread: int  # messages of the bilan's conversation the reader has not read


class ConsultantRow(TypedDict):
    id: str
    name: str
    load: str
    profile: str


def hours_text(minutes: int, locale: str) -> str:
    """Minutes as hours for reading ("1,5" in French), two decimals at most."""
    return format_number(round(minutes / 60, 2), locale)


def dashboard_rows(
    rows: Iterable[BilanRow], locale: str, unread: Mapping[str, int] | None = None
) -> list[DashboardRow]:
    """The bilans of the consultant's dashboard (table, kanban, requests) and of the admin's list;
    ``unread``: the reader's unread messages per bilan (``services.messaging.unread_counts``)."""
    return [
        {
            "id": row.id,
            "beneficiary": row.beneficiary_name,
            "consultant_id": row.consultant_id,
            "status": row.status,
            "funding": row.funding_type,
            "hours_done": hours_text(row.completed_minutes, locale),
            "hours_planned": hours_text(row.planned_minutes, locale),
            "next_session": format_datetime(row.next_session_at, locale),
            "alerts": list(row.alerts),
            "awaiting": row.awaiting_my_answer,
            "unread": (unread or {}).get(row.id, 0),
        }
        for row in rows
    ]


def consultant_rows(cards: Iterable[ConsultantCard]) -> list[ConsultantRow]:
    """The organisation's consultants with their load: the admin's assignment list, the beneficiary's choice."""
    return [
        {
            "id": card.user_id,
            "name": card.name,
            "load": str(card.active_bilans),
            "profile": " · ".join(part for part in (card.headline, card.specialities, card.availability) if part),
        }
        for card in cards
    ]


# ---------------------------------------------------------------- the bilan page


class BilanDetailRow(TypedDict):
    status: str
    beneficiary: str
    consultant: str
    mode: str
    funding_type: str
    edof_file_number: str
    edof_status: str
    employer_name: str
    employer_signatory_name: str
    employer_email: str
    price_euros: str  # as the number input holds it
    hours_planned_total: str
    objectives: str
    requested_at: str
    synthese_uploaded: bool  # an uploaded PDF waits to be handed over
    handed_over: str
    followup_due_on: str  # ISO, for the date input
    assigned: bool  # the reader is the assigned consultant
    ai_consent: str
    default_phase: str
    can_schedule_followup: bool


class QuestionnaireAnswerRow(TypedDict):
    label: str
    answer: str


class BilanHistoryRow(TypedDict):
    date: str
    action: str
    actor: str
    changes: str


def bilan_detail_row(detail: BilanDetail, ai_consent: str, locale: str) -> BilanDetailRow:
    """The bilan page's summary; ``ai_consent`` is the consent line the follower may read ("" if none)."""
    return {
        "status": detail.status,
        "beneficiary": detail.beneficiary_name,
        "consultant": detail.consultant_name,
        "mode": detail.mode,
        "funding_type": detail.funding_type,
        "edof_file_number": detail.edof_file_number,
        "edof_status": detail.edof_status,
        "employer_name": detail.employer_name,
        "employer_signatory_name": detail.employer_signatory_name,
        "employer_email": detail.employer_email,
        "price_euros": input_number(detail.price_euros),
        "hours_planned_total": input_number(detail.hours_planned_total),
        "objectives": detail.objectives,
        "requested_at": format_datetime(detail.requested_at, locale),
        "synthese_uploaded": detail.synthese_uploaded,
        "handed_over": format_datetime(detail.synthese_handed_over_at, locale),
        "followup_due_on": detail.followup_due_on.isoformat() if detail.followup_due_on else "",
        "assigned": detail.is_assigned_consultant,
        "ai_consent": ai_consent,
        "default_phase": detail.default_phase,
        "can_schedule_followup": detail.can_schedule_followup,
    }


def questionnaire_rows(answers: Mapping[str, str], locale: str) -> list[QuestionnaireAnswerRow]:
    """Every question of the preliminary questionnaire with its answer ("" when not answered)."""
    return [
        {"label": translate(f"questionnaire.{name}", locale), "answer": answers.get(name, "")}
        for name in QUESTIONNAIRE_TEXT_FIELDS
    ]


def bilan_history_rows(rows: Iterable[HistoryRow], locale: str) -> list[BilanHistoryRow]:
    """The bilan's audit trail in words, newest first (the service's order)."""
    return [
        {
            "date": format_datetime(row.at, locale, "medium"),
            "action": translate(f"audit.{row.action}", locale),
            "actor": row.actor_label,
            "changes": describe_changes(row.changes, locale),
        }
        for row in rows
    ]


# ---------------------------------------------------------------- sessions and tasks (bilan page and her home)


class SessionBaseRow(TypedDict):
    id: str
    date: str
    phase: str
    minutes: str
    mode: str
    status: str
    attended: bool  # the beneficiary confirmed she was there
    can_confirm: bool  # the reader may confirm attendance now (the service's émargement rule)
    ics_path: str  # the session's invitation, for its participants only (else "")
    join_url: str  # its video link, for a participant from 15 minutes before (services.calendar.visio)
    join_embedded: bool  # a Jitsi room the organisation opens inside the page
    join_frame: str  # that room's address for the page's frame (its config in the fragment), else ""


class BeneficiarySessionRow(SessionBaseRow):
    location: str
    video_link: str  # only a web link, else ""


class FollowerSessionRow(SessionBaseRow):
    place: str
    consultant: bool  # the consultant confirmed
    notes_locked: bool  # notes by a former consultant, closed until the beneficiary agrees
    recorded: bool  # recorded afterwards
    movable: bool
    cancellable: bool
    attendance_missed: bool
    starts_input: str  # for the reschedule form's datetime-local input


class SessionMoveRow(TypedDict):
    starts_at: str
    duration_minutes: str


class TaskItemRow(TypedDict):
    id: str
    title: str
    due: str
    done: bool
    overdue: bool


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _safe_link(url: str) -> str:
    """Only web links become clickable (never a javascript: URL typed by someone else)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def _session_base(row: SessionRow, locale: str, links: SessionLinks | None) -> SessionBaseRow:
    join = links.joins.get(row.id) if links is not None else None
    return {
        "id": row.id,
        "date": format_datetime(_aware(row.starts_at), locale),
        "phase": row.phase,
        "minutes": str(row.duration_minutes),
        "mode": row.mode,
        "status": row.status,
        "attended": row.beneficiary_attended,
        "can_confirm": row.can_confirm_attendance,
        "ics_path": routes.session_invitation(row.id) if links is not None and links.participant else "",
        "join_url": _safe_link(join.url) if join is not None else "",
        "join_embedded": join is not None and join.embedded,
        "join_frame": join.frame_url if join is not None and join.embedded else "",
    }


def beneficiary_session_rows(
    rows: Iterable[SessionRow], locale: str, links: SessionLinks | None = None
) -> list[BeneficiarySessionRow]:
    """The sessions of her home: no notes, no follower's actions; a video link only if it is a web link."""
    return [
        {**_session_base(row, locale, links), "location": row.location, "video_link": _safe_link(row.video_link)}
        for row in rows
    ]


def follower_session_rows(
    rows: Iterable[SessionRow], locked_notes: Collection[str], locale: str, links: SessionLinks | None = None
) -> list[FollowerSessionRow]:
    """The session cards of the bilan page; ``locked_notes``: the sessions whose notes are closed to the reader."""
    return [
        {
            **_session_base(row, locale, links),
            "place": row.video_link or row.location,
            "consultant": row.consultant_attended,
            "notes_locked": row.id in locked_notes,
            "recorded": row.recorded_afterwards,
            "movable": row.movable,
            "cancellable": row.cancellable,
            "attendance_missed": row.attendance_missed,
            "starts_input": _aware(row.starts_at).astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M"),
        }
        for row in rows
    ]


def session_move_row(row: FollowerSessionRow) -> SessionMoveRow:
    """The reschedule form's values for one session card: its start and its duration as they are."""
    return {"starts_at": row["starts_input"], "duration_minutes": row["minutes"]}


def task_rows(rows: Iterable[TaskRow], locale: str) -> list[TaskItemRow]:
    """The bilan's tasks, on the bilan page and in her home ("14 juillet 2026" due dates)."""
    return [
        {
            "id": row.id,
            "title": row.title,
            "due": format_date(row.due_on, locale),
            "done": row.done,
            "overdue": row.overdue,
        }
        for row in rows
    ]


# ---------------------------------------------------------------- the beneficiary's journey


class TimelineStepRow(TypedDict):
    status: str
    state: str  # done | current | upcoming | optional (passed over) | none (a stopped bilan)
    optional: bool


class PublicOrganisationRow(TypedDict):
    # The numbers in every locale (services.i18n.LOCALES), so the language switch shows them at once.
    price_fr: str
    price_en: str
    hours_fr: str
    hours_en: str
    min_hours_fr: str  # "" when the organisation sets no minimum
    min_hours_en: str
    name: str
    slug: str
    siret: str
    nda: str
    address: str
    email: str
    phone: str
    delay_days: str
    disability_contact: str
    description: str


def timeline_rows(status: str) -> list[TimelineStepRow]:
    """Each step of the bilan's way (STATUS_ORDER) with its state; optional steps passed over say so."""
    try:
        current: BilanStatus | None = BilanStatus(status)
    except ValueError:
        current = None
    position = STATUS_ORDER.index(current) if current in STATUS_ORDER else None
    steps: list[TimelineStepRow] = []
    for index, step in enumerate(STATUS_ORDER):
        if position is None:
            state = "none"  # abandoned or cancelled: no position on the way
        elif index < position:
            state = "optional" if step in OPTIONAL_STATUSES and current is BilanStatus.TERMINE else "done"
        elif index == position:
            state = "current"
        else:
            state = "upcoming"
        steps.append({"status": step.value, "state": state, "optional": step in OPTIONAL_STATUSES})
    return steps


def _number(value: float, locale: str) -> str:
    return format_number(round(value, 2), locale)


def public_organisation_row(info: PublicOrganisationInfo) -> PublicOrganisationRow:
    """The organisation's public page; its numbers formatted for each locale."""
    return {
        "price_fr": _number(info.price_euros, "fr"),
        "price_en": _number(info.price_euros, "en"),
        "hours_fr": _number(info.default_hours, "fr"),
        "hours_en": _number(info.default_hours, "en"),
        "min_hours_fr": _number(info.min_hours, "fr") if info.min_hours > 0 else "",
        "min_hours_en": _number(info.min_hours, "en") if info.min_hours > 0 else "",
        "name": info.name,
        "slug": info.slug,
        "siret": info.siret,
        "nda": info.nda_number,
        "address": info.address,
        "email": info.contact_email,
        "phone": info.contact_phone,
        "delay_days": str(info.access_delay_days),
        "disability_contact": info.disability_contact,
        "description": info.public_description,
    }
