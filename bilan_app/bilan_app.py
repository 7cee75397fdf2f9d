"""The Reflex app: pages are registered by importing bilan_app.pages; /api routes by the transformer."""

# No `from __future__ import annotations`: Reflex evaluates the exception handler's annotations.

import asyncio
import gc
import logging

import reflex as rx
from reflex.event import EventSpec
from starlette.types import ASGIApp

import bilan_app.pages  # noqa: F401  (registers every page)
from bilan_app.api import api
from bilan_app.upload_limit import MULTIPART_OVERHEAD_BYTES, UploadSizeLimit
from services.i18n import translate
from services.jobs import run_due_jobs
from services.queue import run_worker, uses_worker
from services.rome.upload import MAX_UPLOAD_BYTES as ROME_MAX_UPLOAD_BYTES
from services.settings import get_settings
from state.referentiel import ReferentielAdminState

log = logging.getLogger("bilan.app")

# Fail fast on unsafe production settings, before serving anything.
get_settings()


def friendly_backend_error(exception: Exception) -> EventSpec:
    """Log the real error for operators; show the user a plain French message, never a trace."""
    log.exception("unhandled error in an event handler", exc_info=exception)
    return rx.toast.error(translate("error.generic"), position="top-center")


ROME_UPLOAD_HANDLER = f"{ReferentielAdminState.get_full_name()}.receive_upload"


def upload_limit(handler: str) -> int:
    """The largest /_upload body for an event handler: the référentiel's zip has a limit of its own."""
    limit = get_settings().upload_max_bytes
    if handler == ROME_UPLOAD_HANDLER:
        return max(limit, ROME_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES)
    return limit


def limit_uploads(asgi_app: ASGIApp) -> ASGIApp:
    return UploadSizeLimit(asgi_app, limit_for=upload_limit)


app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="fr",
    # The /api routes, then the upload size limit around everything (it only looks at /_upload).
    api_transformer=[api, limit_uploads],
    backend_exception_handler=friendly_backend_error,
    head_components=[rx.el.meta(name="description", content="BilanCompetence.AI — bilans de compétences")],
)


@app.register_lifespan_task
async def job_worker() -> None:
    """The job queue's worker in this process (PostgreSQL, unless dedicated workers run), or, in the
    embedded mode, the loop that runs the periodic jobs and retries undelivered mail."""
    settings = get_settings()
    if uses_worker():
        if settings.jobs_in_process:
            await run_worker()
        return
    interval = settings.jobs_interval_seconds
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
