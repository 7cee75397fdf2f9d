"""The consultant's dashboard, the bilan page and the admin's bilan list."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from services import agenda, bilans, conventions, members, messaging, notes_agreement
from services.access import Actor, Permission
from services.bilans import DashboardFilter
from services.calendar import visio
from services.conventions import AccountSigner, Signer
from services.display.agenda import EntryRow, entry_rows
from services.display.bilans import (
    BilanDetailRow,
    BilanHistoryRow,
    ConsultantRow,
    DashboardRow,
    FollowerSessionRow,
    QuestionnaireAnswerRow,
    SessionMoveRow,
    TaskItemRow,
    bilan_detail_row,
    bilan_history_rows,
    consultant_rows,
    dashboard_rows,
    follower_session_rows,
    hours_text,
    questionnaire_rows,
    session_move_row,
    task_rows,
)
from services.display.conventions import FollowerConventionRow, PartyRow, follower_convention_row, party_rows
from services.display.members import InvitationTableRow, invitation_rows
from services.display.messaging import AttachmentRow, attachment_rows
from services.i18n import format_datetime
from services.models import Role
from services.storage import MAX_UPLOAD_BYTES
from services.synthese import uploaded
from state.admin import InviteMixin
from state.ai_consent import follower_consent_line
from state.conventions import SigningMixin
from state.session import FormMixin, SessionState, guarded
from state.visio import RoomMixin


class ConsultantDashboardState(InviteMixin, SessionState):
    rows: list[DashboardRow] = []
    invited_rows: list[InvitationTableRow] = []
    today_rows: list[EntryRow] = []  # the consultant's sessions of the day, across bilans
    filter_status: str = ""
    filter_funding: str = ""
    filter_late: bool = False
    search: str = ""
    view: str = "table"

    def _after_invite(self) -> None:
        self._reload()

    def _reload(self) -> Any:
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return redirect
        filters = DashboardFilter(
            status=self.filter_status,
            funding_type=self.filter_funding,
            late_only=self.filter_late,
            search=self.search,
        )
        self.rows = dashboard_rows(bilans.list_bilans(actor, filters), self.locale, messaging.unread_counts(actor))
        self.invited_rows = invitation_rows(members.list_sent_invitations(actor), self.locale)
        self.today_rows = entry_rows(agenda.today(actor), self.locale) if actor.role is Role.CONSULTANT else []
        return None

    @rx.var
    def awaiting_rows(self) -> list[DashboardRow]:
        return [row for row in self.rows if row["awaiting"]]

    @rx.var
    def count_label(self) -> str:
        return self._t("dashboard.count", count=len(self.rows))

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        return self._reload()

    @rx.event
    def apply_filters(self, form_data: dict[str, Any]) -> Any:
        self.filter_status = str(form_data.get("status", ""))
        self.filter_funding = str(form_data.get("funding", ""))
        self.filter_late = bool(form_data.get("late"))
        self.search = str(form_data.get("search", ""))
        return self._reload()

    @rx.event
    def set_view(self, view: str) -> None:
        self.view = "kanban" if view == "kanban" else "table"

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def accept(self, actor: Actor, bilan_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: bilans.accept_request(actor, bilan_id), "dashboard.accepted")
        return self._reload()

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def hand_back(self, actor: Actor, bilan_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: bilans.hand_back(actor, bilan_id, ""), "dashboard.handed_back")
        return self._reload()


RECORD_PREFIX = "record_"
MOVE_PREFIX = "move_"


class BilanPageState(RoomMixin, SigningMixin, SessionState):
    bilan_id: str = ""
    found: bool = False
    detail: BilanDetailRow | None = None
    next_statuses: list[str] = []
    hours_label: str = ""
    over_remaining: str = ""
    questionnaire: list[QuestionnaireAnswerRow] = []
    sessions: list[FollowerSessionRow] = []
    tasks: list[TaskItemRow] = []
    history_rows: list[BilanHistoryRow] = []
    notes_session_id: str = ""
    notes_text: str = ""
    notes_locked: bool = False
    # The session being moved (one reschedule form at a time) and its current values.
    move_session_id: str = ""
    move_values: SessionMoveRow | None = None
    # Why a next move is refused now (target status → message): said next to the move.
    move_blocked: dict[str, str] = {}
    tab: str = "summary"
    convention: FollowerConventionRow | None = None
    convention_parties: list[PartyRow] = []
    attachments: list[AttachmentRow] = []  # the conversation's files (her assigned consultant only)

    def _load_all(self) -> Any:
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return redirect
        self.bilan_id = self._route_param("bilan_id")
        ok, detail = self._run(lambda: bilans.bilan_detail(actor, self.bilan_id))
        self.found = ok
        if not ok:
            return None
        hours = bilans.hours(actor, self.bilan_id)
        self.detail = bilan_detail_row(detail, follower_consent_line(actor, self.bilan_id, self.locale), self.locale)
        self.next_statuses = list(detail.forward_moves)
        self.move_blocked = {target: self._t(code, **params) for target, (code, params) in detail.move_refusals.items()}
        self.hours_label = self._t(
            "bilan.hours_summary",
            planned=hours_text(hours.planned_minutes, self.locale),
            done=hours_text(hours.completed_minutes, self.locale),
            min=hours_text(hours.min_minutes, self.locale),
        )
        self.over_remaining = hours_text(hours.remaining_minutes, self.locale)
        self.questionnaire = questionnaire_rows(bilans.get_questionnaire(actor, self.bilan_id).answers, self.locale)
        # Notes by a former consultant, closed until the beneficiary agrees (services.session_notes).
        locked = notes_agreement.locked_note_sessions(actor, self.bilan_id) if detail.is_assigned_consultant else set()
        links = visio.session_links(actor, self.bilan_id)
        self.sessions = follower_session_rows(bilans.list_sessions(actor, self.bilan_id), locked, self.locale, links)
        self.notes_locked = bool(locked)
        self.tasks = task_rows(bilans.list_tasks(actor, self.bilan_id), self.locale)
        self._load_convention(actor)
        # The conversation's files: hers and her consultant's, never the org admin's (he reads no message).
        files = messaging.list_attachments(actor, self.bilan_id) if detail.is_assigned_consultant else []
        self.attachments = attachment_rows(files, self.locale)
        self.history_rows = bilan_history_rows(bilans.history(actor, self.bilan_id), self.locale)
        return None

    def _load_convention(self, actor: Any) -> None:
        view = conventions.get_convention_view(actor, self.bilan_id)
        if view is None:
            self.convention, self.convention_parties = None, []
            return
        self.convention = follower_convention_row(view, self.locale)
        self.convention_parties = party_rows(view.parties, self.locale, format_datetime)

    def _act(self, call: Any, notice_key: str = "bilan.saved") -> Any:
        self._reset_messages()
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return redirect
        self._apply(lambda: call(actor), notice_key, self.errors)
        return self._load_all()

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.notes_session_id = self.notes_text = ""
        return self._load_all()

    @rx.event
    def set_tab(self, tab: str) -> None:
        self.tab = tab

    @rx.event
    def move(self, target: str, form_data: dict[str, Any] | None = None) -> Any:
        reason = str((form_data or {}).get("reason", ""))
        return self._act(lambda actor: bilans.transition(actor, self.bilan_id, target, reason))

    @rx.event
    def close(self, form_data: dict[str, Any]) -> Any:
        target = str(form_data.get("target", ""))
        reason = str(form_data.get("reason", ""))
        return self._act(lambda actor: bilans.transition(actor, self.bilan_id, target, reason))

    @rx.event
    def save_funding(self, form_data: dict[str, Any]) -> Any:
        raw = {key: str(value) for key, value in form_data.items()}
        return self._act(lambda actor: bilans.update_funding(actor, self.bilan_id, raw))

    @rx.event
    def save_objectives(self, form_data: dict[str, Any]) -> Any:
        text = str(form_data.get("objectives", ""))
        return self._act(lambda actor: bilans.set_objectives(actor, self.bilan_id, text))

    @rx.event
    def plan_session(self, form_data: dict[str, Any]) -> Any:
        raw = {key: str(value) for key, value in form_data.items()}
        return self._act(lambda actor: bilans.plan_session(actor, self.bilan_id, raw), "session.planned")

    @rx.event
    def record_session(self, form_data: dict[str, Any]) -> Any:
        # The record form's fields carry a "record_" prefix: their ids and errors stay apart from planning's.
        raw = {key.removeprefix(RECORD_PREFIX): str(value) for key, value in form_data.items()}
        result = self._act(
            lambda actor: bilans.record_past_session(actor, self.bilan_id, raw), "session.recorded_notice"
        )
        self.errors = {
            (name if name.startswith(RECORD_PREFIX) else RECORD_PREFIX + name): message
            for name, message in self.errors.items()
        }
        return result

    @rx.event
    def open_move(self, session_id: str) -> Any:
        self._reset_messages()
        row = next((item for item in self.sessions if item["id"] == session_id), None)
        if row is None:
            return None
        self.move_session_id = session_id
        self.move_values = session_move_row(row)
        return rx.set_focus("field-move_starts_at")

    @rx.event
    def close_move(self) -> None:
        self.move_session_id = ""
        self.move_values = None

    @rx.event
    def reschedule_session(self, form_data: dict[str, Any]) -> Any:
        session_id = self.move_session_id
        raw = {key.removeprefix(MOVE_PREFIX): str(value) for key, value in form_data.items()}
        result = self._act(lambda actor: bilans.reschedule_session(actor, session_id, raw), "session.moved_notice")
        if self.errors:
            self.errors = {MOVE_PREFIX + name: message for name, message in self.errors.items()}
        elif not self.form_error:
            self.move_session_id = ""
        return result

    @rx.event
    def cancel_session(self, session_id: str) -> Any:
        return self._act(lambda actor: bilans.cancel_session(actor, session_id))

    @rx.event
    def confirm_attendance(self, session_id: str) -> Any:
        return self._act(lambda actor: bilans.confirm_attendance(actor, session_id), "session.attendance_confirmed")

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def open_notes(self, actor: Actor, session_id: str) -> Any:
        self._reset_messages()
        ok, text = self._run(lambda: bilans.read_session_notes(actor, session_id))
        if ok:
            self.notes_session_id = session_id
            self.notes_text = text
            return rx.set_focus("field-notes")
        return None

    @rx.event
    def save_notes(self, form_data: dict[str, Any]) -> Any:
        session_id = self.notes_session_id
        text = str(form_data.get("notes", ""))
        result = self._act(lambda actor: bilans.save_session_notes(actor, session_id, text))
        if not self.form_error:
            self.notes_session_id = self.notes_text = ""
        return result

    @rx.event
    def add_task(self, form_data: dict[str, Any]) -> Any:
        raw = {"title": str(form_data.get("title", "")), "due_on": str(form_data.get("due_on", "")) or None}
        return self._act(lambda actor: bilans.add_task(actor, self.bilan_id, raw))

    @rx.event
    def toggle_task(self, task_id: str, done: bool) -> Any:
        return self._act(lambda actor: bilans.set_task_done(actor, task_id, done))

    @rx.event
    def schedule_followup(self, form_data: dict[str, Any]) -> Any:
        try:
            due_on = date.fromisoformat(str(form_data.get("followup_due_on", "")))
        except ValueError:
            self._reset_messages()
            self.errors = {"followup_due_on": self._t("error.date_invalid")}
            return None
        return self._act(lambda actor: bilans.schedule_followup(actor, self.bilan_id, due_on))

    @rx.event
    def synthese_rejected(self, rejected: list[dict[str, Any]]) -> None:
        """The browser refused the chosen file (not a PDF, or over the size limit) before sending it."""
        self._reset_messages()
        self.errors = {"synthese": self._t("error.file_rejected")}

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    async def upload_synthese(self, actor: Actor, files: list[rx.UploadFile]) -> Any:
        self._reset_messages()
        if not files:
            self.errors = {"synthese": self._t("error.pdf_required")}
            return None
        upload = files[0]
        content = await upload.read(MAX_UPLOAD_BYTES + 1)  # one byte over is enough to refuse it
        name = upload.name or "synthese.pdf"
        self._apply(
            lambda: uploaded.upload_synthese(actor, self.bilan_id, name, content), "doc.synthese_uploaded", self.errors
        )
        return self._load_all()

    @rx.event
    def issue_convention(self) -> Any:
        client = self._client()
        return self._act(lambda actor: conventions.issue_convention(actor, self.bilan_id, client), "conv.issued")

    def _signer(self) -> tuple[Signer | None, Any]:
        """The follower on the page, for the party the page offers them to sign (the service checks it is theirs)."""
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return None, redirect
        convention = self.convention
        if convention is None:
            return AccountSigner(actor, "", ""), None
        return AccountSigner(actor, convention["id"], convention["viewer_party"]), None

    def _show_signed(self, view: Any) -> None:
        self._load_all()

    def _refresh(self, signer: Signer) -> None:
        self._load_all()

    @rx.event
    def cancel_convention(self, form_data: dict[str, Any]) -> Any:
        convention_id = self.convention["id"] if self.convention is not None else ""
        reason = str(form_data.get("cancel_reason", ""))
        return self._act(lambda actor: conventions.cancel_convention(actor, convention_id, reason), "conv.cancelled")

    @rx.event
    def record_handover(self) -> Any:
        return self._act(lambda actor: uploaded.record_synthese_handover(actor, self.bilan_id), "doc.handover_done")


class AdminBilansState(FormMixin, SessionState):
    rows: list[DashboardRow] = []
    consultants: list[ConsultantRow] = []
    quota_label: str = ""

    def _reload(self) -> Any:
        actor, redirect = self._authorize(Permission.SUPERVISE_BILANS)
        if actor is None:
            return redirect
        self.rows = dashboard_rows(bilans.list_bilans(actor), self.locale)
        usage = bilans.quota_usage(actor)
        plan = self._t(f"plan.{usage.plan}")
        self.quota_label = (
            self._t("adminbilans.quota", active=usage.active, limit=usage.limit, plan=plan)
            if usage.limit is not None
            else self._t("adminbilans.quota_unlimited", active=usage.active, plan=plan)
        )
        self.consultants = consultant_rows(bilans.consultant_directory(actor))
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        return self._reload()

    @rx.event
    @guarded(Permission.SUPERVISE_BILANS)
    def assign(self, actor: Actor, bilan_id: str, consultant_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: bilans.assign_consultant(actor, bilan_id, consultant_id), "bilan.saved")
        return self._reload()
