"""The document de synthèse's two pages.

* ``SyntheseEditorState``: ``/bilans/[bilan_id]/synthese``. The assigned consultant generates a draft
  (a background event with progress), edits each section in Markdown with a live preview (saved when
  the field is left, or with the buttons), compares two versions, validates (after a confirmation)
  and starts a new version. The org admin reaches the page too, and sees only that the synthèse
  exists: its versions, their status and dates (the services refuse them the text).
* ``SyntheseReaderState``: ``/mon-espace/synthese``. The beneficiary reads her validated synthèse and
  writes her observations; before validation, she reads that it is being written.

The states call the services and keep display strings only; ``services.display.synthese`` builds
their rows.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilans, routes
from services import synthese as service
from services.access import Actor, Permission
from services.display.synthese import (
    EDITOR_TOP_LEVEL,
    EMPTY_SUMMARY,
    READER_TOP_LEVEL,
    DiffHeadRow,
    DiffLineRow,
    ReaderSectionRow,
    SummaryRow,
    VersionRow,
    day_label,
    diff_view,
    preview_html,
    previews,
    reader_sections,
    version_rows,
    version_summary,
)
from services.errors import ServiceError
from services.i18n import format_datetime
from services.llm import run as llm_run
from services.models import AiEngine
from services.models.base import utcnow
from services.synthese import CONSULTANT_SECTIONS, OBSERVATIONS, SECTIONS, clean_text, section_title
from state.session import FormMixin, SessionState, guarded
from state.streaming import throttled

TIME_FORMAT = "HH:mm"
PREVIEW_LINES = 8


# ---------------------------------------------------------------- the consultant's editor


class SyntheseEditorState(FormMixin, SessionState):
    page_status: str = "loading"  # loading | missing | ready
    bilan_id: str = ""
    beneficiary: str = ""
    is_author: bool = False  # the assigned consultant: reads and writes the text
    can_edit: bool = False  # ... and the bilan is open
    versions: list[VersionRow] = []
    current_number: int = 0  # 0: no version yet
    current_status: str = ""
    summary: SummaryRow = EMPTY_SUMMARY
    drafts: dict[str, str] = {}
    previews: dict[str, str] = {}
    section_notes: dict[str, str] = {}  # per section: "Enregistré à 14:32", "Modifications non enregistrées"
    save_message: str = ""
    generating: bool = False
    gen_progress: int = 0
    gen_message: str = ""
    gen_preview: list[str] = []
    engine_is_llm: bool = False
    engine_text: str = ""
    confirming: bool = False
    diff_before: str = ""
    diff_after: str = ""
    diff_shown: bool = False
    diff_message: str = ""
    diff_heads: list[DiffHeadRow] = []
    diff_lines: list[list[DiffLineRow]] = []
    diff_unchanged: str = ""
    _saved: dict[str, str] = {}

    @rx.var
    def bilan_href(self) -> str:
        return routes.bilan_page(self.bilan_id) if self.bilan_id else routes.CONSULTANT_HOME

    @rx.var
    def editable(self) -> bool:
        return self.can_edit and self.current_status != "validated"

    @rx.var
    def version_numbers(self) -> list[str]:
        return [row["number"] for row in self.versions]

    # ------------------------------------------------------------ loading

    def _check(self) -> tuple[Any, Any]:
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is not None:
            self.bilan_id = self._route_param("bilan_id")
        return actor, redirect

    def _clear(self) -> None:
        self.beneficiary, self.versions, self.summary = "", [], EMPTY_SUMMARY.copy()
        self.is_author = self.can_edit = self.confirming = self.diff_shown = False
        self.current_number, self.current_status = 0, ""
        self.drafts, self.previews, self.section_notes, self._saved = {}, {}, {}, {}
        self.diff_heads, self.diff_lines, self.diff_unchanged, self.diff_message = [], [], "", ""

    def _refresh(self, actor: Any, *, with_text: bool = True) -> bool:
        """Read the overview and, for the author, the current version's text (an audited read: not after
        a save, whose text the page already has); False when the bilan is not visible."""
        bilan_id, locale = self.bilan_id, self.locale
        ok, overview = self._run(lambda: service.synthese_overview(actor, bilan_id))
        if not ok:
            return False
        self.beneficiary = overview.beneficiary
        self.is_author, self.can_edit = overview.can_read, overview.can_edit
        self.versions = version_rows(overview.versions, locale)
        current = overview.current
        self.current_number = current.number if current else 0
        self.current_status = current.status if current else ""
        self.summary = version_summary(current, locale)
        if len(overview.versions) >= 2 and not self.diff_shown:
            self.diff_before, self.diff_after = str(overview.versions[1].number), str(current.number if current else "")
        if not self.is_author or not with_text:
            return True
        ok, content = self._run(lambda: service.get_current(actor, bilan_id))
        sections = content.sections if ok and content is not None else dict.fromkeys(SECTIONS, "")
        self._saved = dict(sections)
        self.drafts = dict(sections)
        self.previews = previews(sections, EDITOR_TOP_LEVEL)
        self.section_notes = {}
        return True

    def _load_engine(self, actor: Any) -> None:
        if not self.can_edit:
            return
        ok, choice = self._run(lambda: llm_run.engine_choice(actor, self.bilan_id))
        self.engine_is_llm = bool(ok and choice.engine is AiEngine.LLM)
        self.engine_text = (
            self._t("synthese.engine_llm", model=choice.model)
            if self.engine_is_llm
            else self._t("aipanel.engine_local") + (" " + self._t(f"aipanel.reason.{choice.reason}") if ok else "")
        )

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.page_status, self.save_message, self.gen_message = "loading", "", ""
        self.generating, self.gen_preview = False, []
        actor, redirect = self._check()
        if actor is None:
            self._clear()
            return redirect
        self._clear()
        if not self._refresh(actor):
            self._clear()
            self.page_status = "missing"
            return None
        self._load_engine(actor)
        self.page_status = "ready"
        return None

    # ------------------------------------------------------------ editing

    @rx.event
    @guarded(_check)
    def set_draft(self, actor: Actor, key: str, value: str) -> Any:
        """The text typed so far (debounced): its preview follows; it is saved when the field is left."""
        if not self.editable or key not in CONSULTANT_SECTIONS:
            return None
        self.drafts = {**self.drafts, key: value}
        self.previews = {**self.previews, key: preview_html(value, EDITOR_TOP_LEVEL)}
        unsaved = self._t("synthese.unsaved") if value != self._saved.get(key, "") else ""
        self.section_notes = {**self.section_notes, key: unsaved}
        return None

    def _save(self, actor: Any, changes: dict[str, str]) -> bool:
        bilan_id, expected = self.bilan_id, self.current_number or None
        errors: dict[str, str] = {}
        ok, info = self._run(lambda: service.save_sections(actor, bilan_id, changes, expected_number=expected), errors)
        self.errors = errors
        if not ok:
            return False
        now = format_datetime(utcnow(), self.locale, TIME_FORMAT)
        note = (
            self._t("synthese.saved_new_version", time=now, number=info.number)
            if info.number != self.current_number
            else self._t("synthese.saved_at", time=now)
        )
        self._refresh(actor, with_text=False)
        self._saved = {**self._saved, **{key: clean_text(value) for key, value in changes.items()}}
        self.drafts = {**self.drafts, **{key: self._saved[key] for key in changes}}  # the rest stays as typed
        self.previews = previews(self.drafts, EDITOR_TOP_LEVEL)
        unsaved = self._t("synthese.unsaved")
        self.section_notes = {key: note if key in changes else unsaved for key in [*changes, *self._dirty()]}
        self.save_message = note
        return True

    def _dirty(self) -> dict[str, str]:
        """The sections whose typed text differs from the stored one."""
        return {
            key: self.drafts.get(key, "")
            for key in CONSULTANT_SECTIONS
            if self.drafts.get(key, "") != self._saved.get(key, "")
        }

    def _save_dirty(self, actor: Any) -> bool:
        dirty = self._dirty()
        if not dirty:
            self.save_message = self._t("synthese.saved_at", time=self._now())
            return True
        if self._save(actor, dirty):
            return True
        self._stale(actor)
        return False

    def _stale(self, actor: Any) -> None:
        """A newer version appeared meanwhile: show it (what was typed is in the error message's place)."""
        if self.form_error == self._t("synthese.error.stale"):
            self._refresh(actor)

    @rx.event
    @guarded(_check)
    def autosave(self, actor: Actor, key: str, value: str) -> Any:
        """Leaving a field saves it when it changed."""
        if not self.editable or key not in CONSULTANT_SECTIONS or value == self._saved.get(key, ""):
            return None
        self._reset_messages()
        self.drafts = {**self.drafts, key: value}
        if not self._save(actor, {key: value}):
            self._stale(actor)
        return None

    @rx.event
    @guarded(_check)
    def save_section(self, actor: Actor, key: str) -> Any:
        self._reset_messages()
        if not self.editable or key not in CONSULTANT_SECTIONS:
            return None
        if self.drafts.get(key, "") == self._saved.get(key, ""):  # already saved (the field was left)
            if not self.section_notes.get(key):
                self.section_notes = {**self.section_notes, key: self._t("synthese.saved_at", time=self._now())}
            return None
        if not self._save(actor, {key: self.drafts.get(key, "")}):
            self._stale(actor)
        return None

    @rx.event
    @guarded(_check)
    def save_all(self, actor: Actor) -> Any:
        self._reset_messages()
        if self.editable:
            self._save_dirty(actor)
        return None

    def _now(self) -> str:
        return format_datetime(utcnow(), self.locale, TIME_FORMAT)

    # ------------------------------------------------------------ generation

    @rx.event(background=True)
    @guarded(_check)
    async def generate(self, actor: Actor, prefer_local: bool) -> Any:
        async with self:
            self._reset_messages()
            if self.generating:
                self.form_error = self._t("synthese.busy")
                return None
            self.generating, self.gen_progress, self.gen_preview = True, 0, []
            self.gen_message = self._t("synthese.step.collect")
            bilan_id = self.bilan_id
        fallback = ""
        try:
            async for event in throttled(service.astream_draft(actor, bilan_id, prefer_local=bool(prefer_local))):
                async with self:
                    self.gen_progress = round(event.progress * 100)
                    if event.kind == "step":
                        self.gen_message = self._t(f"synthese.step.{event.step}")
                    elif event.kind == "delta":
                        self.gen_message = self._t("synthese.step.delta", percent=self.gen_progress)
                        self.gen_preview = [line for line in event.text.splitlines() if line.strip()][-PREVIEW_LINES:]
                    elif event.kind == "retry":
                        self.gen_preview = []
                        self.gen_message = self._t("synthese.step.retry", attempt=event.attempt)
                    elif event.kind == "fallback":
                        reason = event.reason if "." in event.reason else f"aipanel.reason.{event.reason}"
                        fallback = self._t("synthese.fallback", reason=self._t(reason)) + " "
                    elif event.kind == "done" and event.version is not None:
                        self.gen_message = fallback + self._t("synthese.step.done", number=event.version.number)
        except ServiceError as exc:  # NotFound, AccessDenied, a closed bilan: the page keeps working
            async with self:
                self.form_error = self._t(exc.code, **exc.params)
                self.gen_message = ""
        async with self:
            self.generating, self.gen_preview = False, []
            self.diff_shown = False
            self._refresh(actor)
        return None

    # ------------------------------------------------------------ validation and versions

    @rx.event
    @guarded(_check)
    def ask_validate(self, actor: Actor) -> Any:
        self._reset_messages()
        if not self.editable or not self._save_dirty(actor):  # what is typed is saved before it is locked
            return None
        self.confirming = self.current_number > 0
        return rx.set_focus("synthese-confirm-yes") if self.confirming else None

    @rx.event
    @guarded(_check)
    def cancel_validate(self, actor: Actor) -> Any:
        self.confirming = False
        return rx.set_focus("synthese-validate")

    @rx.event
    @guarded(_check)
    def confirm_validate(self, actor: Actor) -> Any:
        self._reset_messages()
        self.confirming = False
        bilan_id, number = self.bilan_id, self.current_number
        errors: dict[str, str] = {}
        ok, _ = self._run(lambda: service.validate_version(actor, bilan_id, number), errors)
        if not ok and errors:
            self.errors = errors
            titles = ", ".join(section_title(key, self.locale) for key in SECTIONS if key in errors)
            self.form_error = self._t("synthese.error.sections_required", sections=titles)
        self.diff_shown = False
        self._refresh(actor)
        if ok:
            self.notice = self._t("synthese.validated_notice", number=number)
        return rx.set_focus("synthese-status-title")

    @rx.event
    @guarded(_check)
    def create_new_version(self, actor: Actor) -> Any:
        self._reset_messages()
        ok, info = self._run(lambda: service.new_version(actor, self.bilan_id))
        self.diff_shown = False
        self._refresh(actor)
        if ok:
            self.notice = self._t("synthese.new_version_notice", number=info.number)
        return rx.set_focus("synthese-status-title")

    # ------------------------------------------------------------ the diff

    @rx.event
    @guarded(_check)
    def set_diff_before(self, actor: Actor, value: str) -> Any:
        self.diff_before = value
        return None

    @rx.event
    @guarded(_check)
    def set_diff_after(self, actor: Actor, value: str) -> Any:
        self.diff_after = value
        return None

    @rx.event
    @guarded(_check)
    def show_diff(self, actor: Actor) -> Any:
        self._reset_messages()
        if not (self.diff_before.isdigit() and self.diff_after.isdigit()):
            return None
        before, after = int(self.diff_before), int(self.diff_after)
        ok, diffs = self._run(lambda: service.diff_versions(actor, self.bilan_id, before, after))
        if not ok:
            return None
        self.diff_heads, self.diff_lines, unchanged = diff_view(diffs, self.locale)
        self.diff_unchanged = (
            self._t("synthese.diff_unchanged_sections", sections=", ".join(unchanged)) if unchanged else ""
        )
        self.diff_message = (
            self._t("synthese.diff_summary", before=before, after=after, count=len(self.diff_heads))
            if self.diff_heads
            else self._t("synthese.diff_none")
        )
        self.diff_shown = True
        return None


# ---------------------------------------------------------------- the beneficiary's page


class SyntheseReaderState(FormMixin, SessionState):
    reader_status: str = "loading"  # loading | none | not_started | waiting | uploaded | ready
    being_written: bool = False
    version_line: str = ""
    sections: list[ReaderSectionRow] = []
    observations: str = ""
    observations_preview: str = ""
    observations_line: str = ""
    can_write: bool = False
    saved_message: str = ""
    _bilan_id: str = ""
    _saved_observations: str = ""

    def _bilan(self) -> tuple[Any, Any]:
        """The session re-checked; the bilan is the one found on load (her current or last one)."""
        return self._authorize(Permission.REQUEST_BILAN)

    def _refresh(self, actor: Any) -> None:
        bilan_id, locale = self._bilan_id, self.locale
        ok, overview = self._run(lambda: service.synthese_overview(actor, bilan_id))
        if not ok:
            self.reader_status = "none"
            return
        self.being_written = overview.being_written
        self.can_write = overview.bilan_open
        ok, content = self._run(lambda: service.get_current(actor, bilan_id))
        if not ok or content is None:
            # A synthèse written outside the platform and handed over: the download below is her document.
            self.reader_status = (
                "uploaded" if overview.handed_over else "waiting" if overview.being_written else "not_started"
            )
            self.sections = []
            return
        info = content.info
        self.version_line = (  # what she has: the version handed over to her, or a validated one to come
            self._t("synthese.my_version_handed", number=info.number, date=day_label(content.handed_over_at, locale))
            if content.handed_over_at
            else self._t(
                "synthese.my_version",
                number=info.number,
                date=day_label(info.validated_at, locale),
                author=info.validated_by,
            )
        )
        self.sections = reader_sections(content, locale)
        self._saved_observations = self.observations = content.sections[OBSERVATIONS]
        self.observations_preview = preview_html(self.observations, READER_TOP_LEVEL)
        self.observations_line = (
            self._t("synthese.observations_dated", date=day_label(info.observations_updated_at, locale))
            if info.observations_updated_at
            else ""
        )
        self.reader_status = "ready"

    @rx.event
    @guarded(_bilan)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.reader_status, self.saved_message, self._bilan_id = "loading", "", ""
        self.sections, self.observations, self.observations_preview = [], "", ""
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.reader_status = "none"
            return None
        self._bilan_id = overview.bilan_id
        self._refresh(actor)
        return None

    @rx.event
    def set_observations(self, value: str) -> Any:
        actor, redirect = self._bilan()
        if actor is None or not self._bilan_id:
            return redirect
        self.observations = value
        self.observations_preview = preview_html(value, READER_TOP_LEVEL)
        self.saved_message = self._t("synthese.unsaved") if value != self._saved_observations else ""
        return None

    def _save(self, actor: Any, value: str) -> None:
        errors: dict[str, str] = {}
        ok, _ = self._run(lambda: service.save_observations(actor, self._bilan_id, value), errors)
        self.errors = errors
        if ok:
            self._refresh(actor)
            self.observations = clean_text(value)
            self.saved_message = self._t(
                "synthese.observations_saved", time=format_datetime(utcnow(), self.locale, TIME_FORMAT)
            )

    @rx.event
    def autosave_observations(self, value: str) -> Any:
        actor, redirect = self._bilan()
        if actor is None or not self._bilan_id:
            return redirect
        if value == self._saved_observations or not self.can_write:
            return None
        self._reset_messages()
        self.observations = value
        self._save(actor, value)
        return None

    @rx.event
    def save_observations(self) -> Any:
        actor, redirect = self._bilan()
        if actor is None or not self._bilan_id:
            return redirect
        self._reset_messages()
        self._save(actor, self.observations)
        return None
