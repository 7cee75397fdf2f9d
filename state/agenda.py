"""The agenda pages: the consultant's availability and calendar (``/agenda``, the org admin's view per
consultant), and the beneficiary's booking (``/mon-espace/rendez-vous``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from services import agenda, bilans
from services.access import Actor, Permission
from services.display.agenda import (
    AwayRow,
    BookedRow,
    DayRow,
    HolidayRow,
    OpeningRow,
    SlotRow,
    away_rows,
    booked_rows,
    day_rows,
    holiday_rows,
    opening_rows,
    period,
    period_label,
    slot_rows,
)
from services.display.bilans import ConsultantRow, consultant_rows
from services.i18n import TIMEZONE
from services.models import Role
from services.models.base import utcnow
from state.session import FormMixin, SessionState, guarded

AVAILABILITY_FIELDS = ("weekday", "starts", "ends", "slot_minutes", "mode", "location", "video_link")
AWAY_FIELDS = ("first_day", "last_day", "label")


def _paris_today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


class AgendaState(FormMixin, SessionState):
    is_consultant: bool = False
    openings: list[OpeningRow] = []
    away: list[AwayRow] = []
    holidays: list[HolidayRow] = []
    consultants: list[ConsultantRow] = []  # the org admin's choice
    consultant_id: str = ""
    view: str = "week"
    anchor: str = ""  # ISO date inside the period shown
    period_title: str = ""
    days: list[DayRow] = []
    away_errors: dict[str, str] = {}
    # Bumped after a successful add so the uncontrolled forms remount empty.
    form_version: int = 0

    def _load_settings(self, actor: Actor) -> None:
        settings = agenda.my_settings(actor)
        self.openings = opening_rows(settings, self.locale)
        self.away = away_rows(settings, self.locale)
        self.holidays = holiday_rows(settings.holidays, self.locale)

    def _load_calendar(self, actor: Actor) -> None:
        anchor = date.fromisoformat(self.anchor) if self.anchor else _paris_today()
        _, _, first, last = period(anchor, self.view)
        self.period_title = period_label(anchor, self.view, self.locale)
        if not self.is_consultant and not self.consultant_id:
            self.days = []
            return
        ok, entries = self._run(lambda: agenda.calendar(actor, first, last, self.consultant_id or None))
        self.days = day_rows(entries if ok else [], anchor, self.view, _paris_today(), self.locale)

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.away_errors = {}
        self.is_consultant = actor.role is Role.CONSULTANT
        self.anchor = _paris_today().isoformat()
        if self.is_consultant:
            self.consultant_id = ""
            self._load_settings(actor)
        else:
            self.consultants = consultant_rows(bilans.consultant_directory(actor))
            if self.consultant_id not in {row["id"] for row in self.consultants}:
                self.consultant_id = self.consultants[0]["id"] if self.consultants else ""
        self._load_calendar(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def choose_consultant(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        self.consultant_id = str(form_data.get("consultant", ""))
        self._load_calendar(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def set_view(self, actor: Actor, view: str) -> Any:
        self.view = "month" if view == "month" else "week"
        self._load_calendar(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def shift(self, actor: Actor, step: int) -> Any:
        anchor = date.fromisoformat(self.anchor) if self.anchor else _paris_today()
        if self.view == "month":
            first, last, _, _ = period(anchor, "month")
            anchor = last + timedelta(days=1) if step > 0 else first - timedelta(days=1)
        else:
            anchor += timedelta(days=7 if step > 0 else -7)
        self.anchor = anchor.isoformat()
        self._load_calendar(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def add_availability(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {name: str(form_data.get(name, "")) for name in AVAILABILITY_FIELDS}
        if self._apply(lambda: agenda.add_availability(actor, raw), "agenda.saved", self.errors):
            self.form_version += 1
            self._load_settings(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def remove_availability(self, actor: Actor, availability_id: str) -> Any:
        self._reset_messages()
        if self._apply(lambda: agenda.remove_availability(actor, availability_id), "agenda.saved"):
            self._load_settings(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def add_away(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        self.away_errors = {}
        raw = {name: str(form_data.get(name, "")) for name in AWAY_FIELDS}
        if self._apply(lambda: agenda.add_away(actor, raw), "agenda.saved", self.away_errors):
            self.form_version += 1
            self._load_settings(actor)
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def remove_away(self, actor: Actor, away_id: str) -> Any:
        self._reset_messages()
        if self._apply(lambda: agenda.remove_away(actor, away_id), "agenda.saved"):
            self._load_settings(actor)
        return None


class BookingState(FormMixin, SessionState):
    bilan_id: str = ""
    slots: list[SlotRow] = []
    booked: list[BookedRow] = []
    notice_hours: str = "24"
    moving_id: str = ""
    moving_label: str = ""

    def _reload(self, actor: Actor) -> None:
        current = bilans.my_current_bilan(actor)
        self.bilan_id = current.bilan_id if current and current.bilan_open else ""
        if not self.bilan_id:
            self.slots, self.booked = [], []
            return
        bilan_id = self.bilan_id
        ok, slots = self._run(lambda: agenda.bookable_slots(actor, bilan_id))
        self.slots = slot_rows(slots if ok else [], self.locale)
        self.booked = booked_rows(bilans.list_sessions(actor, bilan_id), utcnow(), self.locale)
        self.notice_hours = str(agenda.booking_notice_hours(actor, bilan_id))

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.moving_id, self.moving_label = "", ""
        self._reload(actor)
        return None

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def book(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        raw = {"starts_at": str(form_data.get("starts_at", "")), "phase": str(form_data.get("phase", ""))}
        moving, bilan_id = self.moving_id, self.bilan_id
        if moving:
            done = self._apply(lambda: agenda.move_booking(actor, moving, raw), "agenda.moved", self.errors)
        else:
            done = self._apply(lambda: agenda.book(actor, bilan_id, raw), "agenda.booked", self.errors)
        if done:
            self.moving_id, self.moving_label = "", ""
        self._reload(actor)
        return None

    @rx.event
    def start_move(self, session_id: str) -> None:
        self._reset_messages()
        row = next((row for row in self.booked if row["id"] == session_id), None)
        if row is not None:
            self.moving_id, self.moving_label = session_id, row["label"]

    @rx.event
    def stop_move(self) -> None:
        self._reset_messages()
        self.moving_id, self.moving_label = "", ""

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def cancel(self, actor: Actor, session_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: agenda.cancel_booking(actor, session_id), "agenda.cancelled")
        self.moving_id, self.moving_label = "", ""
        self._reload(actor)
        return None
