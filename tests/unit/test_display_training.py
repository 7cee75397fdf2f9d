"""The training catalogue's rows (services.display.training): built from course views, no database."""

from __future__ import annotations

from typing import get_type_hints

from services.display.training import (
    COURSE_FIELDS,
    CourseForm,
    CourseRow,
    course_form_values,
    course_rows,
    empty_course_form,
)
from services.training.catalogue import CourseView


def _course(*, hours: float | None, active: bool) -> CourseView:
    return CourseView(
        id="c1",
        source="org",
        external_id="",
        title="Couture de voiles",
        provider="Atelier",
        certification="",
        certification_code="RNCP1",
        rome_codes="K9902",
        formacodes="",
        hours=hours,
        price_euros=1250.5,
        mode="distance",
        departement="29",
        url="",
        description="Apprendre.",
        active=active,
    )


def test_active_is_a_boolean_and_numbers_read_in_the_locale():
    [row] = course_rows([_course(hours=1500.5, active=True)], "fr")
    assert row["active"] is True
    assert (row["mode_label"], row["hours_label"]) == ("À distance", "1\u202f500,5 h")
    assert (row["hours"], row["price_euros"]) == ("1500.5", "1250.5")  # the form's values, for the number inputs
    assert set(row) == set(get_type_hints(CourseRow))
    [inactive] = course_rows([_course(hours=None, active=False)], "en")
    assert (inactive["active"], inactive["mode_label"], inactive["hours_label"], inactive["hours"]) == (
        False,
        "Distance",
        "—",
        "",
    )


def test_editing_fills_the_form_with_the_course():
    [row] = course_rows([_course(hours=35, active=True)], "fr")
    form = course_form_values(row)
    assert set(form) == set(get_type_hints(CourseForm)) == set(COURSE_FIELDS)
    assert (form["title"], form["hours"], form["mode"]) == ("Couture de voiles", "35", "distance")
    assert empty_course_form()["mode"] == "presentiel" and empty_course_form()["title"] == ""
