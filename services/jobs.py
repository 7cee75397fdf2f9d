"""Periodic jobs: reminders and deadlines. Each run is idempotent and safe with several workers.

Each is declared once with its schedule (``@job(..., cron=...)``). With PostgreSQL the queue's workers
defer them on that schedule, once per tick across all workers; in the embedded mode the app's loop
calls ``run_due_jobs()`` (so does ``python -m bilan_app run-jobs``).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from services import routes
from services.crypto import decrypt_text
from services.db import session_scope
from services.i18n import TIMEZONE, format_appointment, format_date
from services.models import Bilan, BilanSession, BilanStatus, BilanTask, SessionStatus, User
from services.models.base import utcnow
from services.notifications import notify, session_place
from services.queue import PERIODIC, job

log = logging.getLogger("bilan.jobs")

SESSION_REMINDER_BEFORE = timedelta(hours=24)
TASK_REMINDER_BEFORE = timedelta(days=2)
FOLLOWUP_REMINDER_BEFORE = timedelta(days=7)


def _people(session: Session, bilan: Bilan) -> list[User]:
    ids = [bilan.beneficiary_id] + ([bilan.consultant_id] if bilan.consultant_id else [])
    return list(session.exec(select(User).where(col(User.id).in_(ids))).all())


def _space(person: User, bilan: Bilan) -> str:
    """The beneficiary's home for her, the bilan page for the consultant."""
    return routes.BENEFICIARY_HOME if person.id == bilan.beneficiary_id else routes.bilan_page(str(bilan.id))


def _mail_reminder(
    session: Session,
    people: list[User],
    bilan: Bilan,
    kind: str,
    *,
    starts_at: datetime | None = None,
    due_on: date | None = None,
    **text: Any,
) -> None:
    """Tell each person (centre and mail, as they chose) of the ``mail.<kind>`` reminder, dates in their
    language."""
    params: dict[str, Any] = dict(text)  # values, or functions of the locale (MailParam)
    if starts_at is not None:
        params["date"] = lambda locale: format_appointment(starts_at, locale)
    if due_on is not None:
        params["due"] = lambda locale: format_date(due_on, locale)
    for person in people:
        notify(
            session, person, f"mail.{kind}", organisation_id=bilan.organisation_id, path=_space(person, bilan), **params
        )


def remind_sessions(now: datetime) -> int:
    """Mail both parties the day before a planned session."""
    sent = 0
    with session_scope() as session:
        rows = session.exec(
            select(BilanSession)
            .where(
                BilanSession.status == SessionStatus.PLANNED,
                col(BilanSession.reminder_sent_at).is_(None),
                BilanSession.starts_at > now,
                BilanSession.starts_at <= now + SESSION_REMINDER_BEFORE,
            )
            .with_for_update(skip_locked=True)
        ).all()
        for appointment in rows:
            bilan = session.get(Bilan, appointment.bilan_id)
            if bilan is None:
                continue
            _mail_reminder(
                session,
                _people(session, bilan),
                bilan,
                "session_reminder",
                starts_at=appointment.starts_at,
                place=session_place(appointment),
            )
            appointment.reminder_sent_at = now
            session.add(appointment)
            sent += 1
    return sent


def remind_tasks(now: datetime) -> int:
    """Mail the beneficiary two days before a task's due date."""
    sent = 0
    horizon = (now + TASK_REMINDER_BEFORE).date()
    with session_scope() as session:
        rows = session.exec(
            select(BilanTask)
            .where(
                col(BilanTask.done_at).is_(None),
                col(BilanTask.reminder_sent_at).is_(None),
                col(BilanTask.due_on).is_not(None),
                col(BilanTask.due_on) <= horizon,
                # A date already past is no reminder (the form refuses one; older rows may have it).
                col(BilanTask.due_on) >= now.astimezone(TIMEZONE).date(),
            )
            .with_for_update(skip_locked=True)
        ).all()
        for task in rows:
            bilan = session.get(Bilan, task.bilan_id)
            beneficiary = session.get(User, bilan.beneficiary_id) if bilan else None
            if bilan is None or beneficiary is None or bilan.status not in _OPEN:
                continue
            title = decrypt_text(task.title_encrypted)
            _mail_reminder(session, [beneficiary], bilan, "task_reminder", due_on=task.due_on, task=title)
            task.reminder_sent_at = now
            session.add(task)
            sent += 1
    return sent


def remind_followups(now: datetime) -> int:
    """Mail both parties a week before the follow-up interview is due."""
    sent = 0
    horizon = (now + FOLLOWUP_REMINDER_BEFORE).date()
    with session_scope() as session:
        rows = session.exec(
            select(Bilan)
            .where(
                col(Bilan.followup_due_on).is_not(None),
                col(Bilan.followup_due_on) <= horizon,
                col(Bilan.followup_reminder_sent_at).is_(None),
                col(Bilan.status).in_([BilanStatus.CONCLUSION, BilanStatus.SUIVI]),
            )
            .with_for_update(skip_locked=True)
        ).all()
        for bilan in rows:
            _mail_reminder(
                session,
                _people(session, bilan),
                bilan,
                "followup_reminder",
                due_on=bilan.followup_due_on,
            )
            bilan.followup_reminder_sent_at = now
            session.add(bilan)
            sent += 1
    return sent


_OPEN = {
    BilanStatus.DEMANDE,
    BilanStatus.PRELIMINAIRE,
    BilanStatus.INVESTIGATION,
    BilanStatus.CONCLUSION,
    BilanStatus.SUIVI,
}


@job("expire_conventions", cron="*/15 * * * *")
def expire_conventions(*, attempt: int = 1) -> int:
    """Conventions past their signing deadline become expired (``services.conventions``)."""
    from services.conventions import expire_overdue_conventions

    return expire_overdue_conventions(utcnow())


@job("plan_reminders", cron="0 * * * *")
def plan_reminders(*, attempt: int = 1) -> int:
    """Action plan deadlines and milestones (``services.action_plan.remind_deadlines``)."""
    from services.action_plan import remind_deadlines

    return remind_deadlines(utcnow())


@job("session_reminders", cron="*/5 * * * *")
def session_reminders(*, attempt: int = 1) -> int:
    return remind_sessions(utcnow())


@job("task_reminders", cron="0 * * * *")
def task_reminders(*, attempt: int = 1) -> int:
    return remind_tasks(utcnow())


@job("followup_reminders", cron="0 7 * * *")
def followup_reminders(*, attempt: int = 1) -> int:
    return remind_followups(utcnow())


def run_due_jobs() -> dict[str, int]:
    """Run every periodic job once, now; a failing job is logged and does not stop the others."""
    import services.mail  # noqa: F401  # declares retry_undelivered_mail

    results: dict[str, int] = {}
    for spec in PERIODIC:
        try:
            results[spec.name] = int(spec() or 0)
        except Exception:
            log.exception("job %s failed", spec.name)
            results[spec.name] = -1
    return results
