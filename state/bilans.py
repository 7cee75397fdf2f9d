"""The consultant's dashboard, the bilan page and the admin's bilan list."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from services import bilans, conventions, members, notes_agreement
from services.access import Actor, Permission
from services.audit_text import describe_changes
from services.bilans import DashboardFilter
from services.conventions import AccountSigner, Signer
from services.display.members import invitation_rows
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import TIMEZONE, format_date, format_datetime, format_number, input_number
from services.storage import MAX_UPLOAD_BYTES
from state.admin import InviteMixin
from state.ai_consent import follower_consent_line
from state.conventions import SigningMixin
from state.session import FormMixin, SessionState, guarded


def _hours(minutes: int, locale: str) -> str:
    return format_number(round(minutes / 60, 2), locale)


def dashboard_rows(rows: list[bilans.BilanRow], locale: str) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "beneficiary": row.beneficiary_name,
            "consultant": row.consultant_name,
            "consultant_id": row.consultant_id,
            "status": row.status,
            "funding": row.funding_type,
            "hours_done": _hours(row.completed_minutes, locale),
            "hours_planned": _hours(row.planned_minutes, locale),
            "next_session": format_datetime(row.next_session_at, locale) if row.next_session_at else "",
            "alerts": list(row.alerts),
            "awaiting": "yes" if row.awaiting_my_answer else "",
        }
        for row in rows
    ]


class ConsultantDashboardState(InviteMixin, SessionState):
    rows: list[dict[str, Any]] = []
    invited_rows: list[dict[str, str]] = []
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
        self.rows = dashboard_rows(bilans.list_bilans(actor, filters), self.locale)
        self.invited_rows = invitation_rows(members.list_sent_invitations(actor), self.locale)
        return None

    @rx.var
    def awaiting_rows(self) -> list[dict[str, Any]]:
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
        ok, _ = self._run(lambda: bilans.accept_request(actor, bilan_id))
        if ok:
            self.notice = self._t("dashboard.accepted")
        return self._reload()

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def hand_back(self, actor: Actor, bilan_id: str) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: bilans.hand_back(actor, bilan_id, ""))
        if ok:
            self.notice = self._t("dashboard.handed_back")
        return self._reload()


RECORD_PREFIX = "record_"
MOVE_PREFIX = "move_"


class BilanPageState(SigningMixin, SessionState):
    bilan_id: str = ""
    found: bool = False
    detail: dict[str, Any] = {}
    next_statuses: list[str] = []
    hours_label: str = ""
    over_remaining: str = ""
    questionnaire: list[dict[str, str]] = []
    sessions: list[dict[str, str]] = []
    tasks: list[dict[str, str]] = []
    history_rows: list[dict[str, str]] = []
    notes_session_id: str = ""
    notes_text: str = ""
    notes_locked: bool = False
    # The session being moved (one reschedule form at a time) and its current values.
    move_session_id: str = ""
    move_values: dict[str, str] = {}
    # Why a next move is refused now (target status → message): said next to the move.
    move_blocked: dict[str, str] = {}
    tab: str = "summary"
    convention: dict[str, str] = {}
    convention_parties: list[dict[str, str]] = []

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
        self.detail = {
            "status": detail.status,
            "beneficiary": detail.beneficiary_name,
            "beneficiary_email": detail.beneficiary_email,
            "consultant": detail.consultant_name,
            "mode": detail.mode,
            "funding_type": detail.funding_type,
            "edof_file_number": detail.edof_file_number,
            "edof_status": detail.edof_status,
            "employer_name": detail.employer_name,
            "employer_signatory_name": detail.employer_signatory_name,
            "employer_email": detail.employer_email,
            "price_euros": input_number(detail.price_euros),
            "hours_planned_total": input_number(detail.hours_planned_total),
            "objectives": detail.objectives,
            "requested_at": format_datetime(detail.requested_at, self.locale),
            "synthese_uploaded": "yes" if detail.synthese_uploaded else "",
            "handed_over": format_datetime(detail.synthese_handed_over_at, self.locale),
            "followup_due_on": detail.followup_due_on.isoformat() if detail.followup_due_on else "",
            "assigned": "yes" if detail.is_assigned_consultant else "",
            "ai_consent": follower_consent_line(actor, self.bilan_id, self.locale),
            "default_phase": detail.default_phase,
            "can_schedule_followup": "yes" if detail.can_schedule_followup else "",
        }
        self.next_statuses = list(detail.forward_moves)
        self.move_blocked = {target: self._t(code, **params) for target, (code, params) in detail.move_refusals.items()}
        self.hours_label = self._t(
            "bilan.hours_summary",
            planned=_hours(hours.planned_minutes, self.locale),
            done=_hours(hours.completed_minutes, self.locale),
            min=_hours(hours.min_minutes, self.locale),
        )
        self.over_remaining = _hours(hours.remaining_minutes, self.locale)
        answers = bilans.get_questionnaire(actor, self.bilan_id).answers
        self.questionnaire = [
            {"label": self._t(f"questionnaire.{name}"), "answer": answers.get(name, "")}
            for name in QUESTIONNAIRE_TEXT_FIELDS
        ]
        # Notes by a former consultant, closed until the beneficiary agrees (services.session_notes).
        locked = notes_agreement.locked_note_sessions(actor, self.bilan_id) if detail.is_assigned_consultant else set()
        self.sessions = [
            {
                "id": row.id,
                "phase": row.phase,
                "date": format_datetime(row.starts_at, self.locale),
                "duration": str(row.duration_minutes),
                "mode": row.mode,
                "place": row.video_link or row.location,
                "status": row.status,
                "beneficiary": "yes" if row.beneficiary_attended else "",
                "consultant": "yes" if row.consultant_attended else "",
                "notes": "yes" if row.has_notes else "",
                "notes_locked": "yes" if row.id in locked else "",
                "recorded": "yes" if row.recorded_afterwards else "",
                "can_confirm": "yes" if row.can_confirm_attendance else "",
                "movable": "yes" if row.movable else "",
                "cancellable": "yes" if row.cancellable else "",
                "attendance_missed": "yes" if row.attendance_missed else "",
                "starts_input": row.starts_at.astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M"),
            }
            for row in bilans.list_sessions(actor, self.bilan_id)
        ]
        self.notes_locked = bool(locked)
        self.tasks = [
            {
                "id": row.id,
                "title": row.title,
                "due": format_date(row.due_on, self.locale),
                "done": "yes" if row.done else "",
                "overdue": "yes" if row.overdue else "",
            }
            for row in bilans.list_tasks(actor, self.bilan_id)
        ]
        self._load_convention(actor)
        self.history_rows = [
            {
                "date": format_datetime(row.at, self.locale, "medium"),
                "action": self._t(f"audit.{row.action}"),
                "actor": row.actor_label,
                "changes": describe_changes(row.changes, self.locale),
            }
            for row in bilans.history(actor, self.bilan_id)
        ]
        return None

    def _load_convention(self, actor: Any) -> None:
        view = conventions.get_convention_view(actor, self.bilan_id)
        if view is None:
            self.convention, self.convention_parties = {}, []
            return
        self.convention = {
            "id": str(view.id),
            "kind": str(view.kind),
            "status": str(view.status),
            "version": str(view.version),
            "issued": format_datetime(view.issued_at, self.locale),
            "sign_by": format_datetime(view.sign_by, self.locale) if view.sign_by else "",
            "signed": format_datetime(view.signed_at, self.locale) if view.signed_at else "",
            "viewer_party": str(view.viewer_party or ""),
            # The name the viewer must type to sign (the party it may still sign for).
            "signer_name": next((p.name for p in view.parties if p.party is view.viewer_party), ""),
        }
        self.convention_parties = [
            {
                "party": str(party.party),
                "name": party.name,
                "on_behalf_of": party.on_behalf_of,
                "signed": format_datetime(party.signed_at, self.locale) if party.signed_at else "",
            }
            for party in view.parties
        ]

    def _act(self, call: Any, notice_key: str = "bilan.saved") -> Any:
        self._reset_messages()
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return redirect
        ok, _ = self._run(lambda: call(actor), self.errors)
        if ok:
            self.notice = self._t(notice_key)
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
        self.move_values = {"starts_at": row["starts_input"], "duration_minutes": row["duration"]}
        return rx.set_focus("field-move_starts_at")

    @rx.event
    def close_move(self) -> None:
        self.move_session_id = ""
        self.move_values = {}

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
        ok, _ = self._run(lambda: bilans.upload_synthese(actor, self.bilan_id, name, content), self.errors)
        if ok:
            self.notice = self._t("doc.synthese_uploaded")
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
        return AccountSigner(actor, self.convention.get("id", ""), self.convention.get("viewer_party", "")), None

    def _show_signed(self, view: Any) -> None:
        self._load_all()

    def _refresh(self, signer: Signer) -> None:
        self._load_all()

    @rx.event
    def cancel_convention(self, form_data: dict[str, Any]) -> Any:
        convention_id = self.convention.get("id", "")
        reason = str(form_data.get("cancel_reason", ""))
        return self._act(lambda actor: conventions.cancel_convention(actor, convention_id, reason), "conv.cancelled")

    @rx.event
    def record_handover(self) -> Any:
        return self._act(lambda actor: bilans.record_synthese_handover(actor, self.bilan_id), "doc.handover_done")


class AdminBilansState(FormMixin, SessionState):
    rows: list[dict[str, Any]] = []
    consultants: list[dict[str, str]] = []
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
        self.consultants = [
            {"id": card.user_id, "name": card.name, "load": str(card.active_bilans)}
            for card in bilans.consultant_directory(actor)
        ]
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        return self._reload()

    @rx.event
    @guarded(Permission.SUPERVISE_BILANS)
    def assign(self, actor: Actor, bilan_id: str, consultant_id: str) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: bilans.assign_consultant(actor, bilan_id, consultant_id))
        if ok:
            self.notice = self._t("bilan.saved")
        return self._reload()
