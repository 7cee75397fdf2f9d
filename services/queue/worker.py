"""The procrastinate worker (PostgreSQL): in each app process (``JOBS_IN_PROCESS``), or on its own with
``python -m bilan_app worker``."""

from __future__ import annotations

import asyncio
import importlib
import logging
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from sqlalchemy.engine import make_url

from services.queue.registry import JOBS, JobSpec
from services.settings import get_settings

log = logging.getLogger("bilan.queue")

# The modules that declare jobs (``@job``): a worker imports them all before it starts.
JOB_MODULES = ("services.mail", "services.notifications", "services.jobs")

_APPS: dict[str, procrastinate.App] = {}  # per database and retry settings (tests change them)


def _conninfo() -> str:
    url = make_url(get_settings().database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _register(app: procrastinate.App, spec: JobSpec, *, periodic: bool) -> None:
    settings = get_settings()
    retries = settings.jobs_max_attempts - 1
    # (procrastinate reads max_attempts=0 as "no limit": one attempt in all is retry=False)
    retry: procrastinate.RetryStrategy | bool = (
        procrastinate.RetryStrategy(max_attempts=retries, exponential_wait=settings.jobs_retry_wait_seconds)
        if retries > 0
        else False
    )

    def run(context: JobContext, /, **arguments: Any) -> Any:
        arguments.pop("timestamp", None)  # what procrastinate adds to a periodic job's arguments
        assert context.job is not None
        return spec(attempt=context.job.attempts + 1, **arguments)

    run.__name__ = spec.name
    task = app.task(name=spec.name, queue=spec.queue, retry=retry, pass_context=True)(run)
    if periodic and spec.cron is not None:
        app.periodic(cron=spec.cron, periodic_id=spec.name)(task)  # type: ignore[arg-type]  # the timestamp goes to **arguments


def procrastinate_app(*, periodic: bool = True) -> procrastinate.App:
    """The queue of the configured PostgreSQL database, with every declared job (one per database URL).
    ``periodic=False``: the same jobs without their schedules (a worker that only drains the queue)."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    conninfo = _conninfo()
    settings = get_settings()
    key = f"{conninfo}|{periodic}|{settings.jobs_max_attempts}|{settings.jobs_retry_wait_seconds}|{','.join(JOBS)}"
    app = _APPS.get(key)
    if app is None:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
        for spec in JOBS.values():
            _register(app, spec, periodic=periodic)

        @app.task(name="recover_stalled_jobs", queue="maintenance")
        async def recover(timestamp: int) -> int:
            return await recover_stalled_jobs(app)

        if periodic:
            app.periodic(cron="* * * * * */10", periodic_id="recover_stalled_jobs")(recover)

        _APPS[key] = app
    return app


async def recover_stalled_jobs(app: procrastinate.App) -> int:
    """Jobs left running by a worker that stopped beating (killed, crashed): back to the queue."""
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=get_settings().jobs_stalled_seconds))
    for job in stalled:
        log.warning("job %s (%s) of a dead worker is retried", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)


async def run_worker(*, wait: bool = True, install_signal_handlers: bool = False, periodic: bool = True) -> None:
    """Run a worker until cancelled (``wait``), or until the queue is empty; ``periodic=False`` defers no
    scheduled job (the reminders run on their schedule, not because a queue was drained)."""
    settings = get_settings()
    app = procrastinate_app(periodic=periodic)
    async with app.open_async():
        await recover_stalled_jobs(app)
        await app.run_worker_async(
            concurrency=settings.jobs_worker_concurrency,
            wait=wait,
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=max(settings.jobs_stalled_seconds / 3, 0.5),
            stalled_worker_timeout=settings.jobs_stalled_seconds,
            delete_jobs="successful",
        )


def run_until_idle() -> None:
    """Run every job ready now, then return (tests; ``python -m bilan_app worker --until-idle``), without
    deferring the periodic jobs whose tick has come: those are the scheduled workers' business."""
    asyncio.run(run_worker(wait=False, periodic=False))
