"""Rows of the org admin's training catalogue (``/admin/formations``): the courses and the course form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services.i18n import format_number, translate
from services.training.catalogue import CourseView


class CourseForm(TypedDict):
    """The course form's text values, as ``catalogue.create_course`` and ``update_course`` read them."""

    title: str
    provider: str
    certification: str
    certification_code: str
    rome_codes: str
    formacodes: str
    hours: str
    price_euros: str
    mode: str
    departement: str
    url: str
    description: str


class CourseRow(CourseForm):
    """A course of the table; its form values fill the form when the admin edits it."""

    id: str
    active: bool
    mode_label: str
    hours_label: str


def empty_course_form() -> CourseForm:
    """The form of a new course."""
    return {
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


COURSE_FIELDS = tuple(empty_course_form())


def _plain(value: float | None) -> str:
    """A number as an ``<input type="number">`` holds it ("35", "12.5"), "" when unset."""
    return "" if value is None else f"{value:g}"


def course_form_values(course: CourseRow) -> CourseForm:
    """The form filled with one course of the table, to edit it."""
    return {
        "title": course["title"],
        "provider": course["provider"],
        "certification": course["certification"],
        "certification_code": course["certification_code"],
        "rome_codes": course["rome_codes"],
        "formacodes": course["formacodes"],
        "hours": course["hours"],
        "price_euros": course["price_euros"],
        "mode": course["mode"],
        "departement": course["departement"],
        "url": course["url"],
        "description": course["description"],
    }


def course_rows(courses: Iterable[CourseView], locale: str) -> list[CourseRow]:
    """The catalogue's courses, active or not, with their mode and hours for reading."""
    return [
        {
            "title": course.title or "",
            "provider": course.provider or "",
            "certification": course.certification or "",
            "certification_code": course.certification_code or "",
            "rome_codes": course.rome_codes or "",
            "formacodes": course.formacodes or "",
            "hours": _plain(course.hours),
            "price_euros": _plain(course.price_euros),
            "mode": course.mode or "",
            "departement": course.departement or "",
            "url": course.url or "",
            "description": course.description or "",
            "id": course.id,
            "active": course.active,
            "mode_label": translate(f"training.mode.{course.mode}", locale),
            "hours_label": format_number(course.hours, locale) + " h" if course.hours is not None else "—",
        }
        for course in courses
    ]
