"""Periodic jobs: reminders are sent once, at the right time, to the right people."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlmodel import select

from services import bilans, jobs
from services.crypto import decrypt_text
from services.db import session_scope
from services.i18n import format_appointment, format_date
from services.models import Bilan, BilanStatus, MailMessage
from services.models.base import utcnow
from services.queue import PERIODIC


def _accepted_bilan(world) -> str:
    consultant = world.person("consultant_a")
    bilan_id = bilans.request_bilan(
        world.beneficiary_a,
        {"mode": "hybride", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id)},
    )
    bilans.accept_request(world.consultant_a, bilan_id)
    return str(bilan_id)


def _subjects(to: str) -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(MailMessage.subject).where(MailMessage.to_address == to)).all())


def _bodies(to: str) -> list[str]:
    with session_scope() as session:
        rows = session.exec(select(MailMessage).where(MailMessage.to_address == to)).all()
        return [decrypt_text(row.body_encrypted) for row in sorted(rows, key=lambda row: row.created_at)]


def test_session_reminder_goes_to_both_parties_once(world):
    bilan_id = _accepted_bilan(world)
    starts = utcnow() + timedelta(hours=20)
    bilans.plan_session(
        world.consultant_a,
        bilan_id,
        {
            "phase": "preliminaire",
            "starts_at": starts.isoformat(),
            "duration_minutes": 90,
            "mode": "presentiel",
            "location": "12 rue des Lilas, Lyon",
        },
    )
    later = utcnow() + timedelta(days=3)
    bilans.plan_session(
        world.consultant_a,
        bilan_id,
        {
            "phase": "preliminaire",
            "starts_at": later.isoformat(),
            "duration_minutes": 60,
            "mode": "distanciel",
            "video_link": "https://visio.example.fr/abc",
        },
    )
    assert jobs.remind_sessions(utcnow()) == 1
    assert jobs.remind_sessions(utcnow()) == 0
    for person in ("beneficiary_a", "consultant_a"):
        subjects = _subjects(world.person(person).email)
        assert sum("Rappel : rendez-vous" in subject for subject in subjects) == 1
    body = _bodies(world.person("beneficiary_a").email)[-1]
    assert not re.search(r"\d{2}:\d{2}:\d{2}", body) and "heure" not in body  # no seconds, no zone name
    assert format_appointment(starts, "fr") in body


def test_a_remote_sessions_reminder_never_carries_its_link(world):
    """The link is shown to the participants only from 15 minutes before (services.calendar.visio)."""
    bilan_id = _accepted_bilan(world)
    bilans.plan_session(
        world.consultant_a,
        bilan_id,
        {
            "phase": "preliminaire",
            "starts_at": (utcnow() + timedelta(hours=20)).isoformat(),
            "duration_minutes": 60,
            "mode": "distanciel",
            "video_link": "https://visio.example.fr/secret-room",
        },
    )
    assert jobs.remind_sessions(utcnow()) == 1
    for person in ("beneficiary_a", "consultant_a"):
        body = _bodies(world.person(person).email)[-1]
        assert "secret-room" not in body and "Visioconférence" in body


def test_task_reminder_before_the_due_date(world):
    bilan_id = _accepted_bilan(world)
    today = utcnow().date()
    bilans.add_task(
        world.consultant_a, bilan_id, {"title": "Lister trois métiers", "due_on": str(today + timedelta(days=1))}
    )
    bilans.add_task(world.consultant_a, bilan_id, {"title": "Plus tard", "due_on": str(today + timedelta(days=10))})
    assert jobs.remind_tasks(utcnow()) == 1
    assert jobs.remind_tasks(utcnow()) == 0
    subjects = _subjects(world.person("beneficiary_a").email)
    assert sum("tâche" in subject for subject in subjects) == 1
    assert format_date(today + timedelta(days=1)) in _bodies(world.person("beneficiary_a").email)[-1]


def test_followup_reminder_a_week_before(world):
    bilan_id = _accepted_bilan(world)
    with session_scope() as session:
        bilan = session.get(Bilan, uuid.UUID(bilan_id))
        bilan.status = BilanStatus.CONCLUSION
        bilan.followup_due_on = utcnow().date() + timedelta(days=5)
        session.add(bilan)
    assert jobs.remind_followups(utcnow()) == 1
    assert jobs.remind_followups(utcnow()) == 0


def test_run_due_jobs_reports_every_job(world):
    results = jobs.run_due_jobs()
    assert set(results) == {spec.name for spec in PERIODIC}
    assert {"session_reminders", "expire_conventions", "retry_undelivered_mail"} <= set(results)
    assert all(count >= 0 for count in results.values())
