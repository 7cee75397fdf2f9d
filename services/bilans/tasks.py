"""The beneficiary's tasks between sessions, set by her followers, ticked by either."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from services.access import Actor, get_scoped
from services.bilans._common import record_change
from services.bilans.access import get_bilan, require_follower
from services.bilans.events import BilanAction
from services.bilans.statuses import require_open
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError
from services.forms import TaskForm, validate_form
from services.i18n import TIMEZONE
from services.models import Bilan, BilanTask
from services.models.base import utcnow


@dataclass(frozen=True)
class TaskRow:
    id: str
    title: str
    due_on: date | None
    done: bool
    overdue: bool


TASK_HORIZON = timedelta(days=366)


def add_task(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any]) -> uuid.UUID:
    """The bilan's followers, while it is open: a task for the beneficiary; its due date, if any, is today
    or within the coming year."""
    form = validate_form(TaskForm, raw)
    if form.due_on is not None:
        today = utcnow().astimezone(TIMEZONE).date()
        if form.due_on < today:
            raise FormError({"due_on": "error.task_due_past"})
        if form.due_on > today + TASK_HORIZON:
            raise FormError({"due_on": "error.task_due_too_far"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        require_open(bilan)
        return insert_task(session, actor, bilan, form.title, form.due_on).id


def insert_task(session: Session, actor: Actor, bilan: Bilan, title: str, due_on: date | None) -> BilanTask:
    """In the caller's transaction, on a bilan it loaded and checked: a task for her (``add_task``; a
    document request of ``services.bilan_files``), recorded in the bilan's history."""
    task = BilanTask(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        title_encrypted=encrypt_text(title),
        due_on=due_on,
        created_by_id=actor.user_id,
    )
    session.add(task)
    record_change(session, actor, bilan, BilanAction.TASK_ADDED, due_on={"before": None, "after": str(due_on or "")})
    return task


def set_task_done(actor: Actor, task_id: uuid.UUID | str, done: bool) -> None:
    """Anyone who sees the task's bilan (the beneficiary, her followers): ticks the task done, or not."""
    with session_scope() as session:
        task = get_scoped(session, BilanTask, task_id, actor)
        bilan = get_bilan(session, actor, task.bilan_id)
        task.done_at = utcnow() if done else None
        session.add(task)
        record_change(session, actor, bilan, BilanAction.TASK_DONE, done={"before": not done, "after": done})


def list_tasks(actor: Actor, bilan_id: uuid.UUID | str) -> list[TaskRow]:
    """Anyone who sees the bilan (the beneficiary, her followers): its tasks, oldest first."""
    today = utcnow().astimezone(TIMEZONE).date()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        rows = session.exec(
            select(BilanTask).where(BilanTask.bilan_id == bilan.id).order_by(col(BilanTask.created_at))
        ).all()
        return [
            TaskRow(
                id=str(row.id),
                title=decrypt_text(row.title_encrypted),
                due_on=row.due_on,
                done=row.done_at is not None,
                overdue=row.done_at is None and row.due_on is not None and row.due_on < today,
            )
            for row in rows
        ]
