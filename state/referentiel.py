"""The référentiel screens: the demo banner, the operator's installation page, métier search and fiche.

The states only call services and assign the rows ``services.display.referentiel`` builds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import reflex as rx

from services import auth
from services.access import Actor, Permission
from services.display.referentiel import (
    ContextRow,
    CountRow,
    InstalledReferentielRow,
    MetierHitRow,
    MobiliteRow,
    RiasecRow,
    SkillRow,
    count_rows,
    hit_rows,
    installed_referentiel_row,
    metier_detail_row,
)
from services.errors import ServiceError
from services.i18n import format_number
from services.rome import upload
from services.rome.demo import show_demo_notice
from services.rome.importer import ImportSummary, RomeImportError
from services.rome.metiers import metier_detail
from services.rome.search import search_metiers
from state.session import FormMixin, SessionState, guarded

log = logging.getLogger("bilan.referentiel")

SEARCH_LIMIT = 20
UPLOAD_ID = "rome-upload"


# ---------------------------------------------------------------- the demo banner (in the shell)


class ReferentielBannerState(SessionState):
    """Whether to show admins the "demo référentiel" banner; checked when the banner mounts."""

    demo_referentiel: bool = False
    demo_checked: bool = False

    @rx.event
    def check_demo(self) -> None:
        # Not ``_authorize``: the banner sits in the shell and must not change the page's guard verdict.
        info = auth.resolve_session(self.session_token)
        self.demo_referentiel = show_demo_notice(info.actor if info is not None else None)
        self.demo_checked = True


# ---------------------------------------------------------------- the platform operator's page


class ReferentielAdminState(FormMixin, SessionState):
    installed: InstalledReferentielRow | None = None
    installed_counts: list[CountRow] = []
    phase: str = ""  # "" | upload | import
    upload_percent: int = 0
    elapsed: int = 0
    import_error: str = ""
    summary_title: str = ""
    summary_replaced: str = ""
    summary_counts: list[CountRow] = []
    _upload_path: str = ""

    @rx.var
    def importing(self) -> bool:
        return self.phase != ""

    def _refresh(self) -> None:
        installed = upload.installed_referentiel()
        if installed is None:
            self.installed, self.installed_counts = None, []
            return
        self.installed = installed_referentiel_row(installed, self.locale)
        self.installed_counts = count_rows(installed, self.locale)

    def _clear_outcome(self) -> None:
        self.import_error = self.summary_title = self.summary_replaced = ""
        self.summary_counts = []

    @rx.event
    @guarded(Permission.MANAGE_REFERENTIEL)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        if not self.importing:
            self._clear_outcome()
        self._refresh()
        return None

    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        if self.phase in ("", "upload"):
            fraction = float(progress.get("progress") or 0)
            # The last report closes the phase: reports can be handled after the import has already
            # answered, and the page must not stay on "uploading" with its button disabled.
            self.phase = "upload" if fraction < 1 else ""
            self.upload_percent = max(0, min(100, round(fraction * 100)))

    def _error_message(self, exc: ServiceError) -> str:
        return exc.message(self.locale) if isinstance(exc, RomeImportError) else self._t(exc.code, **exc.params)

    @rx.event
    @guarded(Permission.MANAGE_REFERENTIEL)
    async def receive_upload(self, actor: Actor, files: list[rx.UploadFile]) -> Any:
        self._reset_messages()
        if self.phase == "import":
            self.import_error = self._t("ref.admin.busy")
            return None
        self._clear_outcome()
        if not files:
            self.phase = ""
            self.import_error = self._t("ref.admin.missing_file")
            return None
        try:
            path = upload.save_upload(actor, files[0].file, files[0].name or "export.zip")
        except ServiceError as exc:
            self.phase = ""
            self.import_error = self._error_message(exc)
            return None
        self._upload_path = str(path)
        self.phase, self.elapsed = "import", 0
        return [rx.clear_selected_files(UPLOAD_ID), ReferentielAdminState.run_import]

    @rx.event(background=True)
    async def run_import(self) -> Any:
        async with self:
            actor, redirect = self._authorize(Permission.MANAGE_REFERENTIEL)
            path, self._upload_path = self._upload_path, ""
            if actor is None or not path:
                self.phase = ""
                if path:
                    upload.discard_upload(path)
                return redirect
        started = time.monotonic()
        task = asyncio.create_task(asyncio.to_thread(upload.import_upload, actor, path))
        while not task.done():
            await asyncio.wait({task}, timeout=1)
            async with self:
                self.elapsed = int(time.monotonic() - started)
        summary: ImportSummary | None = None
        failure: ServiceError | None = None
        try:
            summary = task.result()
        except ServiceError as exc:
            failure = exc
        except Exception:  # never leave the page on "an import is in progress"
            log.exception("ROME import failed")
            failure = ServiceError("rome.error.unexpected")
        async with self:
            self.phase = ""
            self.import_error = self._error_message(failure) if failure is not None else ""
            if summary is not None:
                seconds = format_number(summary.duration_s, self.locale)
                self.summary_title = self._t("rome.summary.title", version=summary.version, seconds=seconds)
                self.summary_replaced = (
                    self._t("rome.summary.replaced", previous=summary.previous_version)
                    if summary.previous_version
                    else ""
                )
                self.summary_counts = count_rows(summary, self.locale)
                banner = await self.get_state(ReferentielBannerState)
                banner.demo_referentiel = show_demo_notice(actor)
            self._refresh()
        return None


# ---------------------------------------------------------------- métier search and fiche (any logged-in user)


class MetierSearchState(SessionState):
    query: str = ""
    searched: bool = False
    results: list[MetierHitRow] = []
    referentiel_status: str = "loading"  # loading | none | demo | ready

    def _status(self) -> None:
        installed = upload.installed_referentiel()
        self.referentiel_status = "none" if installed is None else ("demo" if installed.is_demo else "ready")

    def _search(self, query: str) -> None:
        self.query = query.strip()[:200]
        self.results = hit_rows(search_metiers(self.query, SEARCH_LIMIT)) if self.query else []
        self.searched = bool(self.query)

    @rx.event
    @guarded(Permission.BROWSE_METIERS)
    def load(self, actor: Actor) -> Any:
        self._status()
        query = self.router.url.query_parameters.get("q", "")
        if query:
            self._search(str(query))
        return None

    @rx.event
    @guarded(Permission.BROWSE_METIERS)
    def search(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._status()
        self._search(str(form_data.get("q", "")))
        return None


class MetierState(SessionState):
    metier_status: str = "loading"  # loading | ready | unknown
    requested_code: str = ""
    code: str = ""
    libelle: str = ""
    domaine: str = ""
    regulated: bool = False
    definition: list[str] = []
    acces: list[str] = []
    riasec: list[RiasecRow] = []
    appellations: list[str] = []
    savoir_faire: list[SkillRow] = []
    savoir_etre: list[SkillRow] = []
    savoirs: list[SkillRow] = []
    contextes: list[ContextRow] = []
    mobilites: list[MobiliteRow] = []
    centres: list[str] = []

    @rx.event
    @guarded(Permission.BROWSE_METIERS)
    def load(self, actor: Actor) -> Any:
        self.metier_status = "loading"
        code = self._route_param("code_rome").upper()
        self.requested_code = code
        detail = metier_detail(code) if code else None
        if detail is None:
            self.metier_status = "unknown"
            return None
        for name, value in metier_detail_row(detail).items():
            setattr(self, name, value)
        self.metier_status = "ready"
        return None
