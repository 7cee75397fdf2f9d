"""Background work that outlives a request: mail delivery, reminders, expiries, purges.

With PostgreSQL the jobs live in procrastinate's tables: ``enqueue`` writes the job in the caller's
transaction (it exists if and only if the data that asks for it was committed), workers take it with
``SELECT … FOR UPDATE SKIP LOCKED``, a failed job is retried with back-off and ends in the dead-letter
list, a job of a killed worker is found again and retried, and the periodic jobs are deferred once
per tick across all the workers. With SQLite (the embedded default, one process) a job runs in the
process right after the commit, and the app's loop runs the periodic ones and retries what failed.
See docs/jobs.md.
"""

from services.queue.dead_letters import DeadLetter, discard_dead_letter, list_dead_letters, retry_dead_letter
from services.queue.registry import JOBS, PERIODIC, JobSpec, job
from services.queue.runner import enqueue, run_now, uses_worker
from services.queue.worker import procrastinate_app, recover_stalled_jobs, run_until_idle, run_worker

__all__ = [
    "JOBS",
    "PERIODIC",
    "DeadLetter",
    "JobSpec",
    "discard_dead_letter",
    "enqueue",
    "job",
    "list_dead_letters",
    "procrastinate_app",
    "recover_stalled_jobs",
    "retry_dead_letter",
    "run_now",
    "run_until_idle",
    "run_worker",
    "uses_worker",
]
