"""The Reflex app: pages are registered by importing bilan_app.pages; /api routes by the transformer."""

# No `from __future__ import annotations`: Reflex evaluates the exception handler's annotations.

import asyncio
import gc
import logging

import reflex as rx
from reflex.event import EventSpec

import bilan_app.pages  # noqa: F401  (registers every page)
from bilan_app.api import api
from services.i18n import translate
from services.jobs import run_due_jobs
from services.settings import get_settings

log = logging.getLogger("bilan.app")

# Fail fast on unsafe production settings, before serving anything.
get_settings()


def friendly_backend_error(exception: Exception) -> EventSpec:
    """Log the real error for operators; show the user a plain French message, never a trace."""
    log.exception("unhandled error in an event handler", exc_info=exception)
    return rx.toast.error(translate("error.generic"), position="top-center")


app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="fr",
    api_transformer=api,
    backend_exception_handler=friendly_backend_error,
    head_components=[rx.el.meta(name="description", content="BilanCompetence.AI — bilans de compétences")],
)


@app.register_lifespan_task
async def periodic_jobs() -> None:
    """Reminders and deadlines, in-process (each job is idempotent, so several workers may run it)."""
    interval = get_settings().jobs_interval_seconds
    if interval <= 0:
        return
    while True:
        await asyncio.sleep(interval)
        try:
            results = await asyncio.to_thread(run_due_jobs)
        except Exception:
            log.exception("periodic jobs failed")
        else:
            if any(results.values()):
                log.info("periodic jobs: %s", results)


# Long-lived objects created at start-up never need collecting: keep them out of GC scans (p99 latency).
gc.freeze()
