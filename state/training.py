"""The org admin's training catalogue page: list, add, edit, deactivate and reactivate courses."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services.access import Actor, Permission
from services.display.training import (
    COURSE_FIELDS,
    CourseForm,
    CourseRow,
    course_form_values,
    course_rows,
    empty_course_form,
)
from services.training import catalogue
from state.session import FormMixin, SessionState, guarded


class TrainingCatalogueState(FormMixin, SessionState):
    courses: list[CourseRow] = []
    course_form: CourseForm = empty_course_form()
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
        self.course_form, self.editing_id = empty_course_form(), ""
        self._load(actor)
        return None

    @rx.event
    def set_course_field(self, name: str, value: str) -> None:
        if name in COURSE_FIELDS:
            self.course_form = {**self.course_form, name: value}

    @rx.event
    def edit(self, course_id: str) -> None:
        row = next((row for row in self.courses if row["id"] == course_id), None)
        if row is not None:
            self._reset_messages()
            self.editing_id = course_id
            self.course_form = course_form_values(row)

    @rx.event
    def cancel(self) -> None:
        self._reset_messages()
        self.course_form, self.editing_id = empty_course_form(), ""

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
        self.course_form, self.editing_id = empty_course_form(), ""
        self._load(actor)
        return None

    @rx.event
    @guarded(Permission.MANAGE_ORGANISATION)
    def set_active(self, actor: Actor, course_id: str, active: bool) -> Any:
        self._reset_messages()
        self._apply(
            lambda: catalogue.set_course_active(actor, course_id, active),
            "training.ui.reactivated" if active else "training.ui.deactivated",
        )
        self._load(actor)
        return None
