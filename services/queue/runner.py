"""Putting a job on the queue, in the caller's transaction, and running one in the process."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from services.db import get_engine
from services.queue.registry import JOBS

log = logging.getLogger("bilan.queue")
_LOCAL_KEY = "bilan_local_jobs"

# procrastinate's own function (its schema is migration 0016): the job row is written by this
# transaction, so it exists exactly when the data that asks for it was committed.
_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[CAST(ROW(:queue, :task, 0, NULL, :queueing_lock, "
    "CAST(:args AS jsonb), NULL) AS procrastinate_job_to_defer_v1)])"
)


def uses_worker() -> bool:
    """PostgreSQL: jobs go to procrastinate's queue and workers run them. SQLite: they run in the process."""
    return get_engine().dialect.name == "postgresql"


def enqueue(session: Session, name: str, *, queueing_lock: str | None = None, **arguments: Any) -> None:
    """Any service, inside its transaction: run job ``name`` with ``arguments`` once this commits.

    ``queueing_lock`` keeps a single waiting job per key: while one waits (e.g. for its next attempt),
    a second is not added and the waiting one is brought forward to now. Arguments are JSON (ids as
    strings)."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    if session.get_bind().dialect.name == "postgresql":
        if queueing_lock is not None:
            waiting = session.execute(
                text(
                    "UPDATE procrastinate_jobs SET scheduled_at = NULL "
                    "WHERE queueing_lock = :lock AND status = 'todo' RETURNING id"
                ),
                {"lock": queueing_lock},
            ).first()
            if waiting is not None:
                return
        session.execute(
            _DEFER,
            {
                "queue": JOBS[name].queue,
                "task": name,
                "queueing_lock": queueing_lock,
                "args": json.dumps(arguments),
            },
        )
        return
    session.info.setdefault(_LOCAL_KEY, []).append((name, arguments))


def run_now(name: str, arguments: dict[str, Any], *, attempt: int = 1) -> bool:
    """Run a job in this process (the embedded mode's worker); False when it raised (logged)."""
    try:
        JOBS[name](attempt=attempt, **arguments)
    except Exception:
        log.exception("job %s failed (attempt %d)", name, attempt)
        return False
    return True


@event.listens_for(OrmSession, "after_commit")
def _run_local_jobs(session: OrmSession) -> None:
    for name, arguments in session.info.pop(_LOCAL_KEY, []):
        run_now(name, arguments)


@event.listens_for(OrmSession, "after_rollback")
def _forget_local_jobs(session: OrmSession) -> None:
    session.info.pop(_LOCAL_KEY, None)
