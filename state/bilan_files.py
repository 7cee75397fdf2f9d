"""The bilan's documents space, on her side (``/mon-espace/documents``) and in the documents tab of the bilan
page (her consultant; the org admin sees the areas' summaries only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilan_files
from services.access import Actor
from services.display.bilan_files import (
    FileRow,
    RequestOption,
    RequestRow,
    admin_lines,
    file_rows,
    limits_line,
    open_request_options,
    request_rows,
)
from services.errors import AccessDenied, NotFound
from services.models import Role
from services.settings import get_settings
from state.session import FormMixin, SessionState, authorize_for_page, guarded

FILE_ID = "bilan-file"  # the upload zone
AREA_ID = "bilan-file-area"
REQUEST_ID = "bilan-file-request"


class BilanFilesState(FormMixin, SessionState):
    status: str = "loading"  # loading | none (no bilan) | ready | admin (metadata only)
    shared: list[FileRow] = []
    consultant: list[FileRow] = []
    requests: list[RequestRow] = []
    open_requests: list[RequestOption] = []
    areas: list[str] = []  # where the reader may upload ([] when the bilan is closed)
    may_request: bool = False
    is_consultant: bool = False
    limits: str = ""
    admin_summary: list[str] = []

    def _refresh(self, actor: Actor) -> None:
        bilan_id = self._page_bilan_id(actor)
        try:
            view = bilan_files.space(actor, bilan_id) if bilan_id else None
        except (NotFound, AccessDenied):
            view = None
        if view is None:
            self.status = "none"
            return
        if view.metadata_only:
            self.admin_summary, self.status = admin_lines(view, self.locale), "admin"
            return
        self.shared = file_rows(view.shared, self.locale)
        self.consultant = file_rows(view.consultant, self.locale)
        self.requests = request_rows(view, self.locale)
        self.open_requests = open_request_options(view)
        self.areas, self.may_request = view.areas_to_upload, view.may_request
        self.is_consultant = actor.role is Role.CONSULTANT
        self.limits = limits_line(view, self.locale)
        self.status = "ready"

    @rx.event
    @guarded(authorize_for_page)
    def load(self, actor: Actor) -> None:
        self._reset_messages()
        self._refresh(actor)

    @rx.event
    @guarded(authorize_for_page)
    async def upload(self, actor: Actor, files: list[rx.UploadFile], area: str = "", request_id: str = "") -> Any:
        """The chosen file, to the chosen area (hers: the shared one), answering a request or not. The area
        and the request come with the upload's own request (read from the form at the click)."""
        self._reset_messages()
        if not files:
            self.errors = {"file": self._t("files.error.no_file")}
            return None
        limit = get_settings().bilan_file_max_bytes
        upload = files[0]
        content = await upload.read(limit + 1)  # one byte over is enough to refuse it
        name = str(upload.name or "")
        bilan_id = self._page_bilan_id(actor)
        chosen = str(area) or "shared"
        if self._apply(
            lambda: bilan_files.upload(actor, bilan_id, chosen, name, content, str(request_id)),
            "files.uploaded",
            self.errors,
        ):
            self._refresh(actor)
        return rx.clear_selected_files(FILE_ID)

    @rx.event
    def file_rejected(self, rejected: list[dict[str, Any]]) -> None:
        """The browser refused the file before sending it (type or size)."""
        self._reset_messages()
        self.errors = {"file": self._t("files.error.type_or_size")}

    @rx.event
    @guarded(authorize_for_page)
    def request_document(self, actor: Actor, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        label = str(form_data.get("label", ""))
        bilan_id = self._page_bilan_id(actor)
        if self._apply(lambda: bilan_files.request_document(actor, bilan_id, label), "files.requested", self.errors):
            self._refresh(actor)
