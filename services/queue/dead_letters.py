"""Jobs that failed their last attempt: listed for the platform operator, who retries or discards them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import text

from services import audit
from services.access import Actor, Permission, require
from services.db import session_scope
from services.errors import NotFound
from services.queue.runner import uses_worker


class QueueAction(StrEnum):
    JOB_RETRIED = "queue.job_retried"
    JOB_DISCARDED = "queue.job_discarded"


@dataclass(frozen=True)
class DeadLetter:
    id: int
    job: str
    queue: str
    arguments: str
    attempts: int
    failed_at: datetime | None


def list_dead_letters(actor: Actor, *, limit: int = 100) -> list[DeadLetter]:
    """The failed jobs, newest first (``Permission.READ_DEV_OUTBOX``: the platform operator). Empty in
    the embedded mode, where a failed mail stays in the outbox as failed."""
    require(actor, Permission.READ_DEV_OUTBOX)
    if not uses_worker():
        return []
    with session_scope() as session:
        rows = session.execute(
            text(
                "SELECT j.id, j.task_name, j.queue_name, j.args, j.attempts, "
                "(SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS failed_at "
                "FROM procrastinate_jobs j WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT :limit"
            ),
            {"limit": limit},
        ).all()
    return [
        DeadLetter(
            row.id, row.task_name, row.queue_name, json.dumps(row.args, sort_keys=True), row.attempts, row.failed_at
        )
        for row in rows
    ]


def retry_dead_letter(actor: Actor, job_id: int) -> None:
    """Put a failed job back on the queue now (the operator, after fixing the cause)."""
    require(actor, Permission.READ_DEV_OUTBOX)
    if not uses_worker():
        raise NotFound()
    with session_scope() as session:
        found = session.execute(
            text("SELECT id FROM procrastinate_jobs WHERE id = :id AND status = 'failed'"), {"id": job_id}
        ).first()
        if found is None:
            raise NotFound()
        session.execute(text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id})
        audit.record(session, QueueAction.JOB_RETRIED, actor=actor, target_type="job", target_id=str(job_id))


def discard_dead_letter(actor: Actor, job_id: int) -> None:
    """Drop a failed job for good (the operator decided it is not to be done)."""
    require(actor, Permission.READ_DEV_OUTBOX)
    if not uses_worker():
        raise NotFound()
    with session_scope() as session:
        session.execute(
            text("UPDATE procrastinate_periodic_defers SET job_id = NULL WHERE job_id = :id"), {"id": job_id}
        )
        deleted = session.execute(
            text("DELETE FROM procrastinate_jobs WHERE id = :id AND status = 'failed' RETURNING id"), {"id": job_id}
        ).first()
        if deleted is None:
            raise NotFound()
        audit.record(session, QueueAction.JOB_DISCARDED, actor=actor, target_type="job", target_id=str(job_id))
