"""The beneficiary's journey: public organisation page, registration, request, questionnaire and space.

The states only call services and assign the rows ``services.display.bilans`` builds from their answers.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilans, enrolment, routes
from services.access import Actor, Permission
from services.calendar import visio
from services.display.bilans import (
    BeneficiarySessionRow,
    ConsultantRow,
    PublicOrganisationRow,
    TaskItemRow,
    TimelineStepRow,
    beneficiary_session_rows,
    consultant_rows,
    public_organisation_row,
    task_rows,
    timeline_rows,
)
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import format_datetime
from services.models import Role
from services.models.base import utcnow
from state.session import FormMixin, SessionState, guarded
from state.visio import RoomMixin


def empty_answers() -> dict[str, str]:
    return dict.fromkeys(QUESTIONNAIRE_TEXT_FIELDS, "")


# ---------------------------------------------------------------- public organisation page


class PublicOrganisationState(SessionState):
    org_status: str = "loading"  # loading | found | unknown
    org: PublicOrganisationRow | None = None
    org_modes: list[str] = []
    # Where "Demander un bilan" leads: registration, or the request page for this organisation's beneficiary.
    cta_route: str = ""

    @rx.event
    def load(self) -> None:
        info = enrolment.organisation_public_info(self._route_param("slug"))
        if info is None:
            self.org_status, self.org, self.org_modes, self.cta_route = "unknown", None, [], ""
            return
        self.org = public_organisation_row(info)
        self.org_modes = list(info.modes)
        viewer = self._current()
        own_beneficiary = (
            viewer is not None and viewer.actor.role is Role.BENEFICIARY and viewer.organisation_slug == info.slug
        )
        self.cta_route = routes.BILAN_REQUEST if own_beneficiary else routes.public_register(info.slug)
        self.org_status = "found"


# ---------------------------------------------------------------- registration


class RegisterState(FormMixin, SessionState):
    register_status: str = "loading"  # loading | found | unknown
    register_slug: str = ""
    register_org_name: str = ""
    register_back_route: str = ""

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        info = enrolment.organisation_public_info(self._route_param("slug"))
        if info is None:
            self.register_status, self.register_org_name, self.register_back_route = "unknown", "", ""
            return None
        viewer = self._current()
        if viewer is not None and viewer.actor.role is Role.BENEFICIARY and viewer.organisation_slug == info.slug:
            return rx.redirect(routes.BILAN_REQUEST)  # already registered here: straight to the request
        self.register_slug = info.slug
        self.register_org_name = info.name
        self.register_back_route = routes.public_organisation(info.slug)
        self.register_status = "found"
        return None

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        slug = self._route_param("slug")
        raw = {name: str(form_data.get(name, "")) for name in ("first_name", "last_name", "email", "password")}
        raw["locale"] = self.locale
        ok, result = self._run(lambda: enrolment.register_beneficiary(slug, raw, self._client()), self.errors)
        if not ok:
            return None
        self.session_token = result.token
        self.locale = result.locale
        return rx.redirect(routes.BILAN_REQUEST)


# ---------------------------------------------------------------- the request


class BilanRequestState(FormMixin, SessionState):
    consultants: list[ConsultantRow] = []
    request_open: bool = False

    @rx.event
    @guarded(Permission.REQUEST_BILAN)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        overview = bilans.my_bilan(actor)
        self.request_open = overview is not None and overview.bilan_open
        self.consultants = consultant_rows(bilans.consultant_directory(actor))
        return None

    @rx.event
    @guarded(Permission.REQUEST_BILAN)
    def submit(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {name: str(form_data.get(name, "")) for name in ("mode", "funding_type", "requested_consultant_id")}
        ok, _ = self._run(lambda: bilans.request_bilan(actor, raw), self.errors)
        return rx.redirect(routes.QUESTIONNAIRE) if ok else None


# ---------------------------------------------------------------- the preliminary questionnaire


class QuestionnaireState(FormMixin, SessionState):
    questionnaire_status: str = "loading"  # loading | ready | none
    answers: dict[str, str] = {}
    completed: bool = False
    saved_message: str = ""
    # Changes on every load, so the (uncontrolled) fields re-mount with the saved answers.
    revision: int = 0
    _bilan_id: str = ""

    def _bilan(self) -> tuple[Any, Any]:
        actor, redirect = self._authorize(Permission.REQUEST_BILAN)
        if actor is None:
            return None, redirect
        if not self._bilan_id:
            overview = bilans.my_bilan(actor)
            self._bilan_id = overview.bilan_id if overview is not None else ""
        return actor, None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self._bilan_id = ""  # looked up again by the check below
        return self._load()

    @guarded(_bilan)
    def _load(self, actor: Actor) -> Any:
        if not self._bilan_id:
            self.questionnaire_status = "none"
            self.answers = empty_answers()
            return None
        questionnaire = bilans.get_questionnaire(actor, self._bilan_id)
        self.answers = empty_answers() | {
            name: value for name, value in questionnaire.answers.items() if name in QUESTIONNAIRE_TEXT_FIELDS
        }
        self.completed = questionnaire.completed
        self.revision += 1
        self.questionnaire_status = "ready"
        return None

    def _saved_now(self) -> None:
        self.saved_message = self._t("questionnaire.saved_at", time=format_datetime(utcnow(), self.locale, "HH:mm"))

    @rx.event
    @guarded(_bilan)
    def save_field(self, actor: Actor, name: str, value: str) -> Any:
        """Autosave on blur: the whole draft, never refused for missing answers."""
        if name not in QUESTIONNAIRE_TEXT_FIELDS or not self._bilan_id or self.answers.get(name) == value:
            return None
        answers = {**self.answers, name: str(value)}
        bilan_id = self._bilan_id
        ok, _ = self._run(lambda: bilans.save_questionnaire(actor, bilan_id, answers, complete=False))
        if ok:
            self.answers = answers
            self.form_error = ""
            if str(value).strip() and name in self.errors:
                self.errors = {field: error for field, error in self.errors.items() if field != name}
            self._saved_now()
        return None

    @rx.event
    @guarded(_bilan)
    def submit(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        answers = {name: str(form_data.get(name, "")) for name in QUESTIONNAIRE_TEXT_FIELDS}
        bilan_id = self._bilan_id
        ok, _ = self._run(lambda: bilans.save_questionnaire(actor, bilan_id, answers, complete=True), self.errors)
        if self.errors or ok:
            # A refused completion still keeps the draft (the service commits it first).
            self.answers = answers
            self._saved_now()
        if not ok:
            return None
        self.completed = True
        return rx.redirect(routes.BENEFICIARY_HOME)


# ---------------------------------------------------------------- the beneficiary's space


class BeneficiarySpaceState(RoomMixin, FormMixin, SessionState):
    space_status: str = "loading"  # loading | none | ready
    bilan_status: str = ""
    progress: int = 0
    consultant_name: str = ""
    next_session: str = ""
    questionnaire_completed: bool = False
    convention_state: str = "none"
    timeline: list[TimelineStepRow] = []
    badges: list[str] = []
    sessions: list[BeneficiarySessionRow] = []
    tasks: list[TaskItemRow] = []
    closed: bool = False  # abandoned or cancelled (the service's ``stopped``)

    def _reload(self) -> Any:
        actor, redirect = self._authorize(Permission.VIEW_OWN_SPACE)
        if actor is None:
            return redirect
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.space_status = "none"
            self.bilan_status, self.progress, self.consultant_name, self.next_session = "", 0, "", ""
            self.closed = False
            self.questionnaire_completed = False
            self.convention_state = "none"
            self.timeline, self.badges, self.sessions, self.tasks = [], [], [], []
            return None
        self.bilan_status = overview.status
        self.closed = overview.stopped
        self.progress = overview.progress_percent
        self.consultant_name = overview.consultant_name
        self.next_session = format_datetime(overview.next_session_at, self.locale) if overview.next_session_at else ""
        self.questionnaire_completed = overview.questionnaire_completed
        self.convention_state = overview.convention_state
        self.timeline = timeline_rows(overview.status)
        self.badges = list(overview.badges)
        links = visio.session_links(actor, overview.bilan_id)
        self.sessions = beneficiary_session_rows(bilans.list_sessions(actor, overview.bilan_id), self.locale, links)
        self.tasks = task_rows(bilans.list_tasks(actor, overview.bilan_id), self.locale)
        self.space_status = "ready"
        return None

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        return self._reload()

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def confirm_attendance(self, actor: Actor, session_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: bilans.confirm_attendance(actor, session_id), "space.confirmed")
        return self._reload()

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def set_task_done(self, actor: Actor, task_id: str, done: bool) -> Any:
        self._reset_messages()
        self._apply(lambda: bilans.set_task_done(actor, task_id, bool(done)), "space.task_saved")
        return self._reload()
