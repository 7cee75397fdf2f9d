"""The beneficiary's journey: public organisation page, registration, request, questionnaire and space.

The row builders at the top are plain functions (tested without a server); the states only call
services and keep small view data (ids and display strings).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

import reflex as rx

from services import bilans, enrolment, routes
from services.access import Actor, Permission
from services.bilans import OPTIONAL_STATUSES, STATUS_ORDER, SessionRow, TaskRow
from services.enrolment import PublicOrganisationInfo
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import LOCALES, TIMEZONE, format_datetime, format_number
from services.models import BilanStatus, Role
from services.models.base import utcnow
from state.session import FormMixin, SessionState, guarded

# ---------------------------------------------------------------- view builders (no reflex needed)


def _number(value: float, locale: str) -> str:
    return format_number(round(value, 2), locale)


def public_view(info: PublicOrganisationInfo) -> dict[str, str]:
    """The public page's display strings; numbers in every locale ("price_fr", "price_en"…) for the switch."""
    numbers = {}
    for locale in LOCALES:
        numbers[f"price_{locale}"] = _number(info.price_euros, locale)
        numbers[f"hours_{locale}"] = _number(info.default_hours, locale)
        numbers[f"min_hours_{locale}"] = _number(info.min_hours, locale) if info.min_hours > 0 else ""
    return numbers | {
        "name": info.name,
        "slug": info.slug,
        "siret": info.siret,
        "nda": info.nda_number,
        "address": info.address,
        "email": info.contact_email,
        "phone": info.contact_phone,
        "delay_days": str(info.access_delay_days),
        "disability_contact": info.disability_contact,
        "description": info.public_description,
        "register_route": routes.public_register(info.slug),
    }


def timeline_steps(status: str) -> list[dict[str, str]]:
    """Each step of the bilan's way (services.bilans.STATUS_ORDER) with its state: done, current,
    upcoming; optional steps passed over say so."""
    try:
        current = BilanStatus(status)
    except ValueError:
        current = None
    position = STATUS_ORDER.index(current) if current in STATUS_ORDER else None
    steps = []
    for index, step in enumerate(STATUS_ORDER):
        if position is None:
            state = "none"  # abandoned or cancelled: no position on the way
        elif index < position:
            state = "optional" if step in OPTIONAL_STATUSES and current is BilanStatus.TERMINE else "done"
        elif index == position:
            state = "current"
        else:
            state = "upcoming"
        steps.append({"status": step.value, "state": state, "optional": "yes" if step in OPTIONAL_STATUSES else ""})
    return steps


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _safe_link(url: str) -> str:
    """Only web links become clickable (never a javascript: URL typed by someone else)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def session_rows(rows: Iterable[SessionRow], locale: str) -> list[dict[str, str]]:
    result = []
    for row in rows:
        starts_at = _aware(row.starts_at)
        result.append(
            {
                "id": row.id,
                "date": format_datetime(starts_at, locale),
                "phase": row.phase,
                "minutes": str(row.duration_minutes),
                "mode": row.mode,
                "location": row.location,
                "video_link": _safe_link(row.video_link),
                "status": row.status,
                "attended": "yes" if row.beneficiary_attended else "",
                "can_confirm": "yes" if row.can_confirm_attendance else "",  # the service's émargement rule
            }
        )
    return result


def format_day(value: date, locale: str) -> str:
    return format_datetime(datetime.combine(value, time(12), TIMEZONE), locale, "d MMMM y")


def task_rows(rows: Iterable[TaskRow], locale: str) -> list[dict[str, str]]:
    return [
        {
            "id": row.id,
            "title": row.title,
            "due": format_day(row.due_on, locale) if row.due_on else "",
            "done": "yes" if row.done else "",
            "overdue": "yes" if row.overdue else "",
        }
        for row in rows
    ]


def empty_answers() -> dict[str, str]:
    return dict.fromkeys(QUESTIONNAIRE_TEXT_FIELDS, "")


# ---------------------------------------------------------------- public organisation page


class PublicOrganisationState(SessionState):
    org_status: str = "loading"  # loading | found | unknown
    org: dict[str, str] = {}
    org_modes: list[str] = []
    # Where "Demander un bilan" leads: registration, or the request page for this organisation's beneficiary.
    cta_route: str = ""

    @rx.event
    def load(self) -> None:
        info = enrolment.organisation_public_info(self._route_param("slug"))
        if info is None:
            self.org_status, self.org, self.org_modes, self.cta_route = "unknown", {}, [], ""
            return
        self.org = public_view(info)
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
    consultants: list[dict[str, str]] = []
    request_open: bool = False

    @rx.event
    @guarded(Permission.REQUEST_BILAN)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        overview = bilans.my_bilan(actor)
        self.request_open = overview is not None and overview.bilan_open
        self.consultants = [
            {
                "id": card.user_id,
                "name": card.name,
                "load": str(card.active_bilans),
                "profile": " · ".join(part for part in (card.headline, card.specialities, card.availability) if part),
            }
            for card in bilans.consultant_directory(actor)
        ]
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


class BeneficiarySpaceState(FormMixin, SessionState):
    space_status: str = "loading"  # loading | none | ready
    bilan_status: str = ""
    progress: int = 0
    consultant_name: str = ""
    next_session: str = ""
    questionnaire_completed: bool = False
    convention_state: str = "none"
    timeline: list[dict[str, str]] = []
    badges: list[str] = []
    sessions: list[dict[str, str]] = []
    tasks: list[dict[str, str]] = []
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
        self.timeline = timeline_steps(overview.status)
        self.badges = list(overview.badges)
        self.sessions = session_rows(bilans.list_sessions(actor, overview.bilan_id), self.locale)
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
        ok, _ = self._run(lambda: bilans.confirm_attendance(actor, session_id))
        if ok:
            self.notice = self._t("space.confirmed")
        return self._reload()

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def set_task_done(self, actor: Actor, task_id: str, done: bool) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: bilans.set_task_done(actor, task_id, bool(done)))
        if ok:
            self.notice = self._t("space.task_saved")
        return self._reload()
