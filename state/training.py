"""The org admin's training catalogue page: list, add, edit, deactivate and reactivate courses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import reflex as rx

from services.access import Actor, Permission
from services.i18n import format_number, translate
from services.training import catalogue
from state.session import FormMixin, SessionState, guarded

EMPTY_COURSE = {
    "title": "",
    "provider": "",
    "certification": "",
    "certification_code": "",
    "rome_codes": "",
    "formacodes": "",
    "hours": "",
    "price_euros": "",
    "mode": "presentiel",
    "departement": "",
    "url": "",
    "description": "",
}


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def course_rows(courses: Iterable[catalogue.CourseView], locale: str) -> list[dict[str, str]]:
    return [
        {
            **{key: str(getattr(course, key) or "") for key in EMPTY_COURSE},
            "hours": _plain(course.hours),
            "price_euros": _plain(course.price_euros),
            "id": course.id,
            "active": "1" if course.active else "",
            "mode_label": translate(f"training.mode.{course.mode}", locale),
            "hours_label": format_number(course.hours, locale) + " h" if course.hours is not None else "—",
        }
        for course in courses
    ]


class TrainingCatalogueState(FormMixin, SessionState):
    courses: list[dict[str, str]] = []
    course_form: dict[str, str] = dict(EMPTY_COURSE)
    editing_id: str = ""
    cpf_count: int = 0

    def _load(self, actor: Any) -> None:
        ok, courses = self._run(lambda: catalogue.list_courses(actor, include_inactive=True))
        self.courses = course_rows(courses or [], self.locale) if ok else []
        self.cpf_count = catalogue.cpf_course_count()

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.course_form, self.editing_id = dict(EMPTY_COURSE), ""
        self._load(actor)
        return None

    @rx.event
    def set_course_field(self, name: str, value: str) -> None:
        if name in EMPTY_COURSE:
            self.course_form = {**self.course_form, name: value}

    @rx.event
    def edit(self, course_id: str) -> None:
        row = next((row for row in self.courses if row["id"] == course_id), None)
        if row is not None:
            self._reset_messages()
            self.editing_id = course_id
            self.course_form = {key: row.get(key, "") for key in EMPTY_COURSE}

    @rx.event
    def cancel(self) -> None:
        self._reset_messages()
        self.course_form, self.editing_id = dict(EMPTY_COURSE), ""

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def save(self, actor: Actor, _form: dict[str, Any]) -> Any:
        self._reset_messages()
        errors: dict[str, str] = {}
        raw, editing = dict(self.course_form), self.editing_id
        if editing:
            ok, _ = self._run(lambda: catalogue.update_course(actor, editing, raw), errors)
        else:
            ok, _ = self._run(lambda: catalogue.create_course(actor, raw), errors)
        if not ok:
            self.errors = errors  # the form keeps what was typed
            return None
        self.notice = self._t("training.ui.updated" if editing else "training.ui.added")
        self.course_form, self.editing_id = dict(EMPTY_COURSE), ""
        self._load(actor)
        return None

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def set_active(self, actor: Actor, course_id: str, active: bool) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: catalogue.set_course_active(actor, course_id, active))
        if ok:
            self.notice = self._t("training.ui.reactivated" if active else "training.ui.deactivated")
        self._load(actor)
        return None
