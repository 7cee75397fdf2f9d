"""The agenda: the consultant's weekly availability, days away and calendar across bilans (``/agenda``;
the org admin reads it per consultant), and the beneficiary's booking (``/mon-espace/rendez-vous``)."""

from __future__ import annotations

import reflex as rx

from components.forms import (
    error_slot,
    field,
    field_box,
    form_messages,
    inline_form,
    row_options,
    select_control,
    select_field,
)
from components.i18n import t, tf
from components.layout import screen
from components.page import page_header, section
from components.tables import data_table, empty_state, row_action
from services import routes
from state.agenda import AgendaState, BookingState

A = AgendaState
B = BookingState


# ---------------------------------------------------------------- the consultant's availability


def _opening_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["weekday"], scope="row"),
        rx.el.td(row["hours"]),
        rx.el.td(row["slot"]),
        rx.el.td(row["mode"]),
        rx.el.td(row["place"]),
        rx.el.td(
            row_action(
                t("agenda.remove"), A.remove_availability(row["id"]), danger=True, aria_label=row["remove_label"]
            )
        ),
    )


def _availability() -> rx.Component:
    weekdays = [(str(day), f"agenda.weekday.{day}") for day in range(7)]
    modes = [("presentiel", "mode.presentiel"), ("distanciel", "mode.distanciel")]
    return section(
        "agenda-availability",
        t("agenda.availability_title"),
        data_table(
            "agenda.availability_table",
            ["agenda.weekday", "agenda.hours", "agenda.slot_minutes", "agenda.mode", "agenda.place", "agenda.remove"],
            A.openings,
            _opening_row,
            empty_key="agenda.availability_empty",
        ),
        rx.form(
            rx.flex(
                select_field("weekday", "agenda.weekday", A.errors, weekdays, default="0"),
                field("starts", "agenda.starts", A.errors, type="time", default_value="09:00"),
                field("ends", "agenda.ends", A.errors, type="time", default_value="12:00"),
                field("slot_minutes", "agenda.slot_minutes", A.errors, type="number", default_value="60"),
                select_field("mode", "agenda.mode", A.errors, modes, default="presentiel"),
                field("location", "agenda.location", A.errors, required=False),
                field("video_link", "agenda.video_link", A.errors, type="url", required=False),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            rx.button(t("agenda.add_availability"), type="submit", size="3", margin_top="0.75rem"),
            key=A.form_version.to(str),
            on_submit=A.add_availability,
            reset_on_submit=False,
            aria_label=t("agenda.add_availability"),
        ),
    )


def _away_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["days"], scope="row"),
        rx.el.td(row["label"]),
        rx.el.td(row_action(t("agenda.remove"), A.remove_away(row["id"]), danger=True, aria_label=row["remove_label"])),
    )


def _away() -> rx.Component:
    return section(
        "agenda-away",
        t("agenda.away_title"),
        data_table(
            "agenda.away_table",
            ["agenda.days", "agenda.away_label", "agenda.remove"],
            A.away,
            _away_row,
            empty_key="agenda.away_empty",
        ),
        inline_form(
            field("first_day", "agenda.first_day", A.away_errors, type="date"),
            field("last_day", "agenda.last_day", A.away_errors, type="date"),
            field("label", "agenda.away_label", A.away_errors, required=False),
            rx.button(t("agenda.add_away"), type="submit", size="3"),
            key=A.form_version.to(str),
            on_submit=A.add_away,
            aria_label=t("agenda.add_away"),
        ),
        rx.el.details(
            rx.el.summary(t("agenda.holidays_title")),
            rx.el.ul(rx.foreach(A.holidays, lambda row: rx.el.li(row["day"], " : ", row["name"]))),
        ),
    )


# ---------------------------------------------------------------- the calendar


def _entry(entry: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(rx.el.strong(entry["time"]), " ", entry["beneficiary"], href=entry["href"]),
        rx.el.div(entry["phase"], " · ", entry["status"], " · ", entry["place"], class_name="muted"),
        class_name="agenda-entry",
    )


def _day(day: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.h3(day["label"], class_name="agenda-day-title"),
        rx.cond(
            day["entries"].length() > 0,
            rx.el.ul(rx.foreach(day["entries"], _entry), class_name="agenda-entries"),
            rx.text(t("agenda.no_session_day"), class_name="muted", size="1"),
        ),
        class_name=rx.cond(
            day["is_today"], "agenda-day agenda-today", rx.cond(day["in_period"], "agenda-day", "agenda-day agenda-out")
        ),
        aria_current=rx.cond(day["is_today"], "date", "false"),
    )


def _view_button(view: str, label_key: str) -> rx.Component:
    shown = A.view == view
    return rx.button(
        t(label_key),
        on_click=A.set_view(view),
        variant=rx.cond(shown, "solid", "soft"),
        aria_pressed=rx.cond(shown, "true", "false"),
        type="button",
    )


def _calendar() -> rx.Component:
    chooser = rx.cond(
        A.is_consultant,
        rx.fragment(),
        inline_form(
            field_box(
                "agenda-consultant",
                t("agenda.consultant"),
                select_control(
                    row_options(A.consultants, text="name", value="id"),
                    id="agenda-consultant",
                    name="consultant",
                    value=A.consultant_id,
                    on_change=lambda value: A.choose_consultant({"consultant": value}),
                ),
            ),
            on_submit=A.choose_consultant,
        ),
    )
    return section(
        "agenda-calendar",
        t("agenda.calendar_title"),
        chooser,
        rx.flex(
            rx.flex(_view_button("week", "agenda.week"), _view_button("month", "agenda.month"), spacing="2"),
            rx.flex(
                rx.button("‹", on_click=A.shift(-1), variant="soft", type="button", aria_label=t("agenda.previous")),
                rx.text(A.period_title, role="status", weight="medium"),
                rx.button("›", on_click=A.shift(1), variant="soft", type="button", aria_label=t("agenda.next")),
                spacing="2",
                align="center",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            margin_y="0.5em",
        ),
        rx.el.ol(
            rx.foreach(A.days, _day),
            class_name=rx.cond(A.view == "month", "agenda-grid agenda-month", "agenda-grid agenda-week"),
        ),
    )


def _agenda() -> rx.Component:
    return rx.box(
        page_header(t("agenda.title"), lead=t("agenda.lead")),
        form_messages(A.form_error, A.notice),
        rx.cond(A.is_consultant, rx.fragment(_availability(), _away())),
        _calendar(),
    )


screen(routes.AGENDA, on_load=A.load)(_agenda)


# ---------------------------------------------------------------- her booking


def _booked_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["label"], scope="row"),
        rx.el.td(
            rx.cond(
                row["movable"],
                rx.flex(
                    row_action(t("agenda.move_session"), B.start_move(row["id"])),
                    row_action(t("agenda.cancel_session"), B.cancel(row["id"]), danger=True),
                    spacing="2",
                    wrap="wrap",
                ),
            )
        ),
    )


def _booking() -> rx.Component:
    phases = [("", "agenda.phase_current")] + [
        (phase, f"phase.{phase}") for phase in ("preliminaire", "investigation", "conclusion", "suivi")
    ]
    slot_form = rx.form(
        rx.cond(B.moving_id != "", rx.callout(tf("agenda.moving", date=B.moving_label), role="status")),
        field_box(
            "field-starts_at",
            t("agenda.slot"),
            select_control(
                row_options(B.slots, text="label", value="value"),
                id="field-starts_at",
                name="starts_at",
                has_error=B.errors.contains("starts_at"),
                error_id="field-starts_at-error",
            ),
            error_slot("field-starts_at-error", B.errors.contains("starts_at"), B.errors["starts_at"]),
        ),
        rx.cond(B.moving_id == "", select_field("phase", "agenda.phase", B.errors, phases, default="")),
        rx.flex(
            rx.button(rx.cond(B.moving_id != "", t("agenda.move"), t("agenda.book")), type="submit", size="3"),
            rx.cond(
                B.moving_id != "",
                rx.button(t("agenda.stop_move"), type="button", variant="soft", size="3", on_click=B.stop_move),
            ),
            spacing="3",
            margin_top="0.75rem",
        ),
        on_submit=B.book,
        reset_on_submit=False,
        aria_label=t("agenda.book_title"),
    )
    return rx.box(
        page_header(t("screen.booking"), lead=tf("agenda.book_lead", hours=B.notice_hours)),
        form_messages(B.form_error, B.notice),
        rx.cond(
            B.bilan_id == "",
            empty_state(t("agenda.no_bilan")),
            rx.fragment(
                section(
                    "booking-mine",
                    t("agenda.my_sessions"),
                    data_table(
                        "agenda.my_sessions",
                        ["agenda.slot", "agenda.actions"],
                        B.booked,
                        _booked_row,
                        empty_key="agenda.my_sessions_empty",
                    ),
                ),
                section(
                    "booking-slots",
                    t("agenda.book_title"),
                    rx.cond(B.slots.length() > 0, slot_form, empty_state(t("agenda.slots_empty"))),
                ),
            ),
        ),
    )


screen(routes.BOOKING, on_load=B.load)(_booking)
