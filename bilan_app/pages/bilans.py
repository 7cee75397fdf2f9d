"""The consultant's dashboard ("Mes bilans"), the bilan page, and the admin's list of bilans."""

from __future__ import annotations

from typing import Any

import reflex as rx

from bilan_app.pages.bilan_files import bilan_files_panel
from components.downloads import download_link
from components.forms import (
    checkbox,
    error_slot,
    field,
    field_box,
    field_label,
    form_messages,
    inline_form,
    select_control,
    select_field,
    submit,
)
from components.i18n import label, t, tf
from components.layout import page_title, screen
from components.links import bilan_sub_page_link
from components.listing import list_or_empty
from components.members import invitation_status_badge, invite_form
from components.messaging import attachment_table
from components.page import definition, definition_list, page_header, section
from components.signing import signing_form
from components.status import status_badge, tone_badge
from components.tables import data_table, row_action
from components.visio import room_frame, session_links
from services import bilans, routes
from services.forms import LINK_MAX, PLACE_MAX, REASON_MAX, SESSION_NOTES_MAX, SHORT_TEXT_MAX
from services.models import BilanStatus, DeliveryMode, FundingType, Phase
from services.storage import MAX_UPLOAD_BYTES
from state.bilans import RECORD_PREFIX, AdminBilansState, BilanPageState, ConsultantDashboardState
from state.session import SessionState

OPEN_STATUSES = [status for status in bilans.STATUS_ORDER if bilans.is_open(status)]  # the kanban's columns
CLOSING_STATUSES = bilans.STOPPED_STATUSES


def alerts_cell(alerts: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(
            alerts.to(list[str]),
            lambda alert: tone_badge(label("alert.", alert), "warning"),
        ),
        spacing="1",
        wrap="wrap",
    )


# ---------------------------------------------------------------- dashboard


def _dashboard_filters() -> rx.Component:
    state = ConsultantDashboardState
    return inline_form(
        select_field(
            "status",
            "dashboard.filter_status",
            state.errors,
            [("", "dashboard.all_open")] + [(s.value, f"bilanstatus.{s.value}") for s in BilanStatus],
            default=state.filter_status,
        ),
        select_field(
            "funding",
            "dashboard.filter_funding",
            state.errors,
            [("", "admin.filter_all")] + [(f.value, f"funding.{f.value}") for f in FundingType],
            default=state.filter_funding,
        ),
        field_box(
            "field-search",
            t("dashboard.search"),
            rx.el.input(
                id="field-search", name="search", type="search", class_name="field-input", default_value=state.search
            ),
        ),
        checkbox(t("dashboard.filter_late"), input_id="field-late", name="late", default_checked=state.filter_late),
        rx.button(t("admin.filter_apply"), type="submit", size="3"),
        on_submit=state.apply_filters,
        class_name="panel",
        aria_label=t("dashboard.filters"),
    )


def _open_link(item: rx.Var) -> rx.Component:
    return rx.link(
        tf("dashboard.open_named", name=item["beneficiary"].to(str)),
        href="/bilans/" + item["id"].to(str),
    )


def _unread_badge(item: rx.Var) -> rx.Component:
    return rx.cond(
        item["unread"] > 0,
        tone_badge(tf("dashboard.unread", count=item["unread"].to_string()), "info", "mail", margin_left="0.5em"),
    )


def _dashboard_row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(_open_link(item), _unread_badge(item)),
        rx.el.td(status_badge("bilan", item["status"])),
        rx.el.td(label("funding.", item["funding"])),
        rx.el.td(tf("dashboard.hours_value", done=item["hours_done"].to(str), planned=item["hours_planned"].to(str))),
        rx.el.td(rx.cond(item["next_session"] != "", item["next_session"], "—")),
        rx.el.td(alerts_cell(item["alerts"])),
    )


def _awaiting_card(item: rx.Var) -> rx.Component:
    return rx.box(
        rx.text(item["beneficiary"], weight="bold"),
        rx.text(label("funding.", item["funding"]), size="2"),
        rx.flex(
            rx.button(t("dashboard.accept"), on_click=ConsultantDashboardState.accept(item["id"]), type="button"),
            rx.button(
                t("dashboard.hand_back"),
                on_click=ConsultantDashboardState.hand_back(item["id"]),
                variant="soft",
                type="button",
            ),
            _open_link(item),
            spacing="3",
            align="center",
            wrap="wrap",
            margin_top="0.5em",
        ),
        class_name="panel",
    )


def _kanban() -> rx.Component:
    def column(status: BilanStatus) -> rx.Component:
        return rx.box(
            rx.heading(t(f"bilanstatus.{status.value}"), as_="h3", size="3"),
            rx.el.ul(
                rx.foreach(
                    ConsultantDashboardState.rows,
                    lambda item: rx.cond(
                        item["status"] == status.value,
                        rx.el.li(_open_link(item), alerts_cell(item["alerts"]), class_name="kanban-card"),
                    ),
                ),
                class_name="kanban-list",
            ),
            class_name="kanban-column",
        )

    return rx.box(*[column(status) for status in OPEN_STATUSES], class_name="kanban")


def _view_button(view: str, label_key: str) -> rx.Component:
    """One of the dashboard's two views (table, kanban): pressed while it is shown."""
    shown = ConsultantDashboardState.view == view
    return rx.button(
        t(label_key),
        on_click=ConsultantDashboardState.set_view(view),
        variant=rx.cond(shown, "solid", "soft"),
        aria_pressed=rx.cond(shown, "true", "false"),
        type="button",
    )


def _today() -> rx.Component:
    """The consultant's sessions of the day, across their bilans (the week and month are on the agenda)."""
    return section(
        "dashboard-today",
        t("agenda.today_title"),
        list_or_empty(
            ConsultantDashboardState.today_rows,
            lambda entry: rx.el.li(
                rx.link(rx.el.strong(entry["time"]), " ", entry["beneficiary"], href=entry["href"]),
                " · ",
                entry["phase"],
                " · ",
                entry["place"],
            ),
            rx.text(t("agenda.today_empty"), class_name="muted"),
            tag=rx.el.ul,
        ),
        rx.link(t("nav.agenda"), href=routes.AGENDA),
    )


def _dashboard() -> rx.Component:
    return rx.box(
        page_header(t("consultant.title"), lead=tf("consultant.lead", organisation=SessionState.organisation_name)),
        form_messages(ConsultantDashboardState.form_error, ConsultantDashboardState.notice),
        rx.cond(
            ConsultantDashboardState.awaiting_rows.length() > 0,
            rx.box(
                rx.heading(t("dashboard.requests_title"), as_="h2", size="5"),
                rx.foreach(ConsultantDashboardState.awaiting_rows, _awaiting_card),
            ),
        ),
        rx.cond(SessionState.role == "consultant", _today()),
        _dashboard_filters(),
        rx.flex(
            rx.text(ConsultantDashboardState.count_label, role="status"),
            rx.flex(
                _view_button("table", "dashboard.view_table"),
                _view_button("kanban", "dashboard.view_kanban"),
                spacing="2",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            margin_y="0.5em",
        ),
        rx.cond(
            ConsultantDashboardState.rows.length() > 0,
            rx.cond(
                ConsultantDashboardState.view == "kanban",
                _kanban(),
                data_table(
                    "consultant.title",
                    [
                        "dashboard.col_beneficiary",
                        "dashboard.col_status",
                        "dashboard.col_funding",
                        "dashboard.col_hours",
                        "dashboard.col_next",
                        "dashboard.col_alerts",
                    ],
                    ConsultantDashboardState.rows,
                    _dashboard_row,
                ),
            ),
            rx.text(t("dashboard.empty")),
        ),
        rx.box(invite_form(ConsultantDashboardState, show_messages=False), margin_top="1.5em"),
        rx.heading(t("consultant.beneficiaries"), as_="h2", size="5", margin_top="1em"),
        data_table(
            "consultant.beneficiaries",
            ["admin.col_email", "admin.col_status", "admin.col_expires", "admin.col_actions"],
            ConsultantDashboardState.invited_rows,
            lambda item: rx.el.tr(
                rx.el.td(item["email"]),
                rx.el.td(invitation_status_badge(item["status"])),
                rx.el.td(item["expires"]),
                rx.el.td(
                    rx.cond(
                        item["status"] != "accepted",
                        row_action(t("admin.resend"), ConsultantDashboardState.resend(item["id"])),
                    )
                ),
            ),
        ),
    )


screen(routes.CONSULTANT_HOME, on_load=ConsultantDashboardState.load)(_dashboard)


# ---------------------------------------------------------------- the bilan page

S = BilanPageState
E = BilanPageState.errors


def _detail_field(name: str, **props: Any) -> rx.Component:
    """A field of the bilan (label ``bilan.<name>``), filled with what it holds now."""
    return field(name, f"bilan.{name}", E, default_value=S.detail[name].to(str), **props)


def _textarea(name: str, label_key: str, *, rows: int, required: bool = False, **props: Any) -> rx.Component:
    """A labelled textarea straight in a stacked form, its error under it (and pointed at while shown)."""
    input_id = f"field-{name}"
    error_id = f"{input_id}-error"
    has_error = E.contains(name)
    return rx.fragment(
        field_label(input_id, t(label_key), required=required),
        rx.el.textarea(
            id=input_id,
            name=name,
            rows=rows,
            required=required,
            class_name="field-input",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, error_id, ""),
            **props,
        ),
        error_slot(error_id, has_error, E[name]),
    )


def _summary_tab() -> rx.Component:
    def move(target: rx.Var) -> rx.Component:
        # A move its guard refuses now is shown disabled, with the reason next to it.
        blocked = S.move_blocked.contains(target)
        return rx.flex(
            rx.button(
                tf("bilan.move_to", status=label("bilanstatus.", target)),
                on_click=S.move(target),
                type="button",
                disabled=blocked,
                aria_describedby=rx.cond(blocked, "move-blocked-" + target.to(str), ""),
            ),
            rx.cond(
                blocked,
                rx.text(S.move_blocked[target.to(str)], id="move-blocked-" + target.to(str), size="2"),
            ),
            direction="column",
            spacing="1",
        )

    moves = rx.flex(
        rx.foreach(S.next_statuses, move),  # the service's forward moves: stops go through the form below
        spacing="3",
        wrap="wrap",
    )
    close_form = inline_form(
        select_field(
            "target",
            "bilan.close_as",
            E,
            [(s.value, f"bilanstatus.{s.value}") for s in CLOSING_STATUSES],
            default="abandonne",
        ),
        field("reason", "bilan.close_reason", E),
        rx.button(t("bilan.close_submit"), type="submit", color_scheme="red", variant="soft", size="3"),
        on_submit=S.close,
    )
    funding = rx.form(
        rx.heading(t("bilan.funding_title"), as_="h3", size="4"),
        rx.grid(
            select_field(
                "funding_type",
                "bilan.funding_type",
                E,
                [(f.value, f"funding.{f.value}") for f in FundingType],
                default=S.detail["funding_type"].to(str),
            ),
            _detail_field("edof_file_number", required=False),
            _detail_field("edof_status", required=False),
            _detail_field("employer_name", required=False),
            _detail_field("employer_signatory_name", required=False),
            _detail_field("employer_email", type="email", required=False),
            _detail_field("price_euros", type="number"),
            _detail_field("hours_planned_total", type="number"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
        ),
        submit("bilan.funding_save"),
        on_submit=S.save_funding,
        reset_on_submit=False,
        class_name="panel stack",
    )
    objectives = rx.form(
        rx.heading(t("bilan.objectives_title"), as_="h3", size="4"),
        _textarea("objectives", "bilan.objectives", rows=5, default_value=S.detail["objectives"].to(str)),
        submit("bilan.objectives_save"),
        on_submit=S.save_objectives,
        reset_on_submit=False,
        class_name="panel stack",
    )
    followup = rx.cond(
        S.detail["can_schedule_followup"],
        rx.form(
            rx.heading(t("bilan.followup_title"), as_="h3", size="4"),
            field(
                "followup_due_on",
                "bilan.followup_date",
                E,
                type="date",
                default_value=S.detail["followup_due_on"].to(str),
            ),
            submit("bilan.followup_save"),
            on_submit=S.schedule_followup,
            reset_on_submit=False,
            class_name="panel stack",
        ),
    )
    return rx.box(
        definition_list(
            definition("bilan.status", status_badge("bilan", S.detail["status"])),
            definition("bilan.consultant", S.detail["consultant"].to(str)),
            definition("bilan.requested_at", S.detail["requested_at"].to(str)),
            definition("bilan.mode", label("mode.", S.detail["mode"])),
            definition("bilan.hours_title", S.hours_label),
            rx.cond(
                S.detail["ai_consent"] != "",
                definition("ai.consent_card.follower_label", S.detail["ai_consent"].to(str)),
            ),
            class_name="panel",
        ),
        rx.box(rx.heading(t("bilan.phase_title"), as_="h3", size="4"), moves, close_form, class_name="panel stack"),
        objectives,
        funding,
        followup,
    )


def _questionnaire_tab() -> rx.Component:
    return rx.el.dl(
        rx.foreach(
            S.questionnaire,
            lambda item: rx.fragment(
                rx.el.dt(item["label"]),
                rx.el.dd(rx.cond(item["answer"] != "", item["answer"], t("bilan.no_answer")), class_name="prose"),
            ),
        ),
        class_name="panel definition-list",
    )


def _attendance(item: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(
            rx.cond(item["attended"], t("session.beneficiary_present"), t("session.beneficiary_absent")),
            size="2",
        ),
        rx.text(
            rx.cond(item["consultant"], t("session.consultant_present"), t("session.consultant_absent")),
            size="2",
        ),
        direction="column",
    )


def _session_fields(prefix: str = "") -> list[rx.Component]:
    """The fields of a session (planning, or a record afterwards with ``prefix`` "record_")."""
    return [
        select_field(
            f"{prefix}phase",
            "session.phase",
            E,
            [(p.value, f"phase.{p.value}") for p in Phase],
            default=S.detail["default_phase"].to(str),
        ),
        field(f"{prefix}starts_at", "session.starts_at", E, type="datetime-local"),
        field(f"{prefix}duration_minutes", "session.duration", E, type="number", default_value="90"),
        select_field(
            f"{prefix}mode",
            "session.mode",
            E,
            [(m.value, f"mode.{m.value}") for m in DeliveryMode],
            default="presentiel",
        ),
        field(f"{prefix}location", "session.location", E, required=False, max_length=PLACE_MAX),
        field(f"{prefix}video_link", "session.video_link", E, type="url", required=False, max_length=LINK_MAX),
    ]


def _record_form() -> rx.Component:
    """A session held without the platform, recorded afterwards with its reason (assigned consultant)."""
    return rx.el.details(
        rx.el.summary(t("session.record_title")),
        rx.form(
            rx.text(t("session.record_lead"), size="2"),
            rx.grid(*_session_fields(RECORD_PREFIX), columns=rx.breakpoints(initial="1", md="2"), spacing="3"),
            _textarea("record_reason", "session.reason", rows=3, required=True, max_length=REASON_MAX),
            submit("session.record_submit"),
            on_submit=S.record_session,
            reset_on_submit=False,
            key=S.detail["default_phase"].to(str),
            class_name="stack",
        ),
        class_name="panel",
    )


def _move_form() -> rx.Component:
    return rx.cond(
        S.move_session_id != "",
        rx.form(
            rx.heading(t("session.move_title"), as_="h3", size="4"),
            rx.grid(
                field(
                    "move_starts_at",
                    "session.starts_at",
                    E,
                    type="datetime-local",
                    default_value=S.move_values["starts_at"].to(str),
                ),
                field(
                    "move_duration_minutes",
                    "session.duration",
                    E,
                    type="number",
                    default_value=S.move_values["duration_minutes"].to(str),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
            ),
            rx.flex(
                submit("session.move_submit"),
                rx.button(t("session.move_close"), type="button", variant="soft", size="3", on_click=S.close_move),
                spacing="3",
                wrap="wrap",
            ),
            on_submit=S.reschedule_session,
            reset_on_submit=False,
            key=S.move_session_id,
            class_name="panel stack",
        ),
    )


def _session_card(item: rx.Var) -> rx.Component:
    """One session as a card: readable at 390 px, with its status and actions in view."""
    assigned = S.detail["assigned"]
    when = item["date"].to(str)

    def action(text_key: str, label_key: str, on_click: Any, **props: Any) -> rx.Component:
        """A soft button whose accessible name says the session's date."""
        return rx.button(
            t(text_key),
            size="2",
            variant="soft",
            type="button",
            aria_label=tf(label_key, date=when),
            on_click=on_click,
            **props,
        )

    actions = rx.flex(
        rx.cond(
            item["can_confirm"],
            rx.button(t("session.confirm"), size="2", type="button", on_click=S.confirm_attendance(item["id"])),
        ),
        rx.cond(item["movable"], action("session.move", "session.move_label", S.open_move(item["id"]))),
        rx.cond(
            assigned,
            rx.cond(
                item["notes_locked"],
                rx.text(t("session.notes_locked"), size="2", class_name="muted"),
                action("session.notes_open", "session.notes_label", S.open_notes(item["id"])),
            ),
        ),
        rx.cond(
            item["cancellable"],
            action("session.cancel", "session.cancel_label", S.cancel_session(item["id"]), color_scheme="red"),
        ),
        spacing="2",
        wrap="wrap",
    )
    return rx.el.li(
        rx.flex(
            rx.text(item["date"], weight="bold"),
            status_badge("session", item["status"], class_name="session-status"),
            rx.cond(item["recorded"], tone_badge(t("session.recorded_badge"), "warning", "pen-line")),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        rx.text(
            label("phase.", item["phase"]),
            " · ",
            item["minutes"],
            " min · ",
            label("mode.", item["mode"]),
            rx.cond(item["place"] != "", rx.text(" · ", item["place"], as_="span")),
            size="2",
            class_name="session-place",
        ),
        _attendance(item),
        rx.cond(
            item["attendance_missed"],
            rx.text(t("session.window_closed"), size="2", color_scheme="orange"),
        ),
        session_links(item, S.open_room),
        actions,
        class_name="session-card",
    )


def _sessions_tab() -> rx.Component:
    plan = rx.form(
        rx.heading(t("session.plan_title"), as_="h3", size="4"),
        rx.text(tf("session.remaining", hours=S.over_remaining), size="2"),
        rx.text(t("session.attendance_rule"), size="2"),
        rx.grid(*_session_fields(), columns=rx.breakpoints(initial="1", md="2"), spacing="3"),
        submit("session.submit"),
        on_submit=S.plan_session,
        reset_on_submit=False,
        # Remount when the bilan's phase is known, so the phase defaults to it.
        key=S.detail["default_phase"].to(str),
        class_name="panel stack",
    )
    notes = rx.cond(
        S.notes_session_id != "",
        rx.form(
            rx.el.label(t("session.notes"), html_for="field-notes", class_name="field-label"),
            rx.el.textarea(
                id="field-notes",
                name="notes",
                default_value=S.notes_text,
                rows=8,
                max_length=SESSION_NOTES_MAX,
                aria_describedby="field-notes-help",
                class_name="field-input",
            ),
            rx.text(tf("form.max_chars", max=str(SESSION_NOTES_MAX)), id="field-notes-help", class_name="field-help"),
            rx.cond(E.contains("notes"), rx.text(E["notes"], class_name="field-error", role="alert")),
            submit("session.notes_save"),
            on_submit=S.save_notes,
            reset_on_submit=False,
            key=S.notes_session_id,
            class_name="panel stack",
        ),
    )
    return rx.box(
        plan,
        rx.cond(S.notes_locked, rx.callout(t("session.notes_locked_lead"), color_scheme="blue", margin_y="0.75em")),
        rx.cond(S.detail["assigned"], _record_form()),
        _move_form(),
        notes,
        list_or_empty(
            S.sessions,
            _session_card,
            rx.text(t("session.none")),
            class_name="session-list",
            aria_label=t("bilan.tab_sessions"),
        ),
        room_frame(S.room_url, S.close_room),
    )


def _tasks_tab() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.li(
            checkbox(
                item["title"],
                rx.cond(item["due"] != "", rx.text(" — ", t("task.due"), " ", item["due"], as_="span", size="2")),
                rx.cond(item["overdue"], tone_badge(t("task.overdue"), "warning", "clock", margin_left="0.5em")),
                checked=item["done"],
                on_change=lambda checked: S.toggle_task(item["id"], checked),
            )
        )

    return rx.box(
        inline_form(
            field("title", "task.title_field", E, max_length=SHORT_TEXT_MAX),
            field("due_on", "task.due", E, type="date", required=False),
            submit("task.add"),
            on_submit=S.add_task,
            reset_on_submit=True,
            class_name="panel",
        ),
        list_or_empty(S.tasks, row, rx.text(t("task.none")), class_name="task-list"),
    )


def _synthese_dropzone() -> rx.Component:
    zone = rx.upload.root(
        rx.flex(
            rx.button(t("doc.synthese_choose"), type="button", variant="soft"),
            rx.text(rx.selected_files("synthese-upload").join(", "), size="2"),
            spacing="3",
            align="center",
        ),
        id="synthese-upload",
        accept={"application/pdf": [".pdf"]},
        max_files=1,
        max_size=MAX_UPLOAD_BYTES,  # refused in the browser with a message, before any byte is sent
        on_drop_rejected=S.synthese_rejected,
        no_keyboard=True,
    )
    # react-dropzone's file input is only visually hidden: it needs a name of its own (axe "label").
    zone.children[0].children[0].custom_attrs["aria-label"] = t("doc.synthese_upload")
    return zone


def _documents_tab() -> rx.Component:
    upload = rx.box(
        rx.heading(t("doc.synthese_title"), as_="h3", size="4"),
        rx.cond(
            S.detail["handed_over"] != "",
            rx.text(tf("doc.handed_over", date=S.detail["handed_over"].to(str))),
        ),
        rx.cond(
            S.detail["assigned"],
            rx.box(
                _synthese_dropzone(),
                rx.button(
                    t("doc.synthese_upload"),
                    type="button",
                    margin_top="0.5em",
                    on_click=S.upload_synthese(rx.upload_files(upload_id="synthese-upload")),
                ),
                rx.cond(E.contains("synthese"), rx.text(E["synthese"], class_name="field-error", role="alert")),
                rx.cond(  # an uploaded PDF not handed over yet (a corrected one after a handover too)
                    S.detail["synthese_uploaded"],
                    rx.button(t("doc.handover"), on_click=S.record_handover, type="button", margin_top="0.5em"),
                ),
                class_name="stack",
            ),
            rx.text(t("doc.confidential")),
        ),
        class_name="panel",
    )
    return rx.box(_convention_panel(), upload, bilan_files_panel(), _attachments_panel(), _records_panel())


def _attachments_panel() -> rx.Component:
    """The files of the bilan's conversation (sent by her or by him), for her consultant only."""
    return rx.box(
        rx.heading(t("msg.attachments_bilan_title"), as_="h3", size="4"),
        rx.cond(
            S.detail["assigned"],
            rx.box(
                rx.text(t("msg.attachments_intro")),
                attachment_table(S.attachments),
                class_name="stack",
            ),
            rx.text(t("msg.attachments_confidential")),
        ),
        class_name="panel",
        id="bilan-attachments",
    )


def _records_panel() -> rx.Component:
    """PDFs rendered from the bilan's data when asked: certificate of completion, attendance, action plan."""
    prefix = routes.BILAN_DOCUMENT.split("[bilan_id]")[0]

    def link(kind: str, key: str) -> rx.Component:
        return download_link(prefix + S.bilan_id.to(str) + f"/documents/{kind}", key, "file-down")

    return rx.box(
        rx.heading(t("doc.records_title"), as_="h3", size="4"),
        rx.text(t("doc.records_intro")),
        link("attestation", "doc.record.attestation"),
        link("emargement", "doc.record.emargement"),
        link("plan", "doc.record.plan"),
        class_name="panel stack",
    )


def _convention_panel() -> rx.Component:
    conv = S.convention

    def party_row(item: rx.Var) -> rx.Component:
        return rx.el.li(
            rx.text(
                label("convention.party.", item["party"]),
                " — ",
                item["name"],
                rx.cond(item["on_behalf_of"] != "", rx.text(" (", item["on_behalf_of"], ")", as_="span")),
                " : ",
                rx.cond(
                    item["signed_at"] != "", tf("conv.signed_on", date=item["signed_at"].to(str)), t("conv.not_signed")
                ),
            )
        )

    sign_form = rx.box(
        rx.heading(t("conv.sign_title"), as_="h4", size="3"),
        signing_form(S, expected_name=conv["signer_name"].to(str), help_key="signui.typed_name_help"),
        class_name="stack",
    )
    existing = rx.box(
        rx.text(
            label("convention.kind.", conv["kind"]),
            " · v",
            conv["version"],
            " · ",
            label("convention.status.", conv["status"]),
            weight="medium",
        ),
        rx.text(tf("conv.issued_on", date=conv["issued"].to(str)), size="2"),
        rx.cond(conv["sign_by"] != "", rx.text(tf("conv.sign_by", date=conv["sign_by"].to(str)), size="2")),
        rx.el.ul(rx.foreach(S.convention_parties, party_row)),
        rx.flex(
            download_link("/api/conventions/" + conv["id"].to(str) + "/pdf?signed=0", "conv.download", "file-text"),
            rx.cond(
                conv["status"] == "signed",
                download_link("/api/conventions/" + conv["id"].to(str) + "/pdf?signed=1", "conv.download_signed"),
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.cond(conv["viewer_party"] != "", sign_form),
        rx.cond(
            conv["status"] == "awaiting_signatures",
            inline_form(
                field("cancel_reason", "conv.cancel_reason", E),
                rx.button(t("conv.cancel"), type="submit", color_scheme="red", variant="soft", size="3"),
                on_submit=S.cancel_convention,
                reset_on_submit=True,
            ),
        ),
        class_name="stack",
    )
    can_issue = (conv.length() == 0) | (conv["status"] == "cancelled") | (conv["status"] == "expired")
    return rx.box(
        rx.heading(t("conv.title"), as_="h3", size="4"),
        rx.cond(conv.length() > 0, existing, rx.text(t("conv.none"))),
        rx.cond(
            can_issue & (S.detail["status"] != "demande"),
            rx.button(t("conv.issue"), on_click=S.issue_convention, type="button", margin_top="0.5em"),
        ),
        class_name="panel",
    )


def _history_tab() -> rx.Component:
    return data_table(
        "bilan.tab_history",
        ["admin.col_date", "admin.col_action", "admin.col_actor", "admin.col_changes"],
        S.history_rows,
        lambda item: rx.el.tr(
            rx.el.td(item["date"]),
            rx.el.td(item["action"]),
            rx.el.td(item["actor"]),
            rx.el.td(item["changes"], class_name="changes"),
        ),
    )


def _bilan_page() -> rx.Component:
    tabs = [
        ("summary", "bilan.tab_summary", _summary_tab),
        ("questionnaire", "bilan.tab_questionnaire", _questionnaire_tab),
        ("sessions", "bilan.tab_sessions", _sessions_tab),
        ("tasks", "bilan.tab_tasks", _tasks_tab),
        ("documents", "bilan.tab_documents", _documents_tab),
        ("history", "bilan.tab_history", _history_tab),
    ]
    return rx.cond(
        S.found,
        rx.box(
            page_header(
                tf("bilan.title", name=S.detail["beneficiary"].to(str)),
                crumbs=((t("nav.my_bilans"), routes.CONSULTANT_HOME), (S.detail["beneficiary"].to(str), "")),
                lead=rx.box(
                    bilan_sub_page_link(routes.BILAN_TESTS, S.bilan_id, "chart-bar", "psy.follow.link"),
                    bilan_sub_page_link(routes.BILAN_SKILLS, S.bilan_id, "list-checks", "skills.review.open"),
                    bilan_sub_page_link(routes.BILAN_ANALYSIS, S.bilan_id, "compass", "reco.link"),
                    bilan_sub_page_link(routes.BILAN_PLAN, S.bilan_id, "list-todo", "action_plan.link"),
                    bilan_sub_page_link(routes.BILAN_SYNTHESE, S.bilan_id, "file-text", "synthese.link"),
                    bilan_sub_page_link(routes.BILAN_MESSAGES, S.bilan_id, "messages-square", "nav.messages"),
                    class_name="subpage-links",
                ),
            ),
            form_messages(S.form_error, S.notice),
            rx.tabs.root(
                rx.tabs.list(
                    *[rx.tabs.trigger(t(key), value=value) for value, key, _ in tabs], class_name="wrapping-tabs"
                ),
                *[rx.tabs.content(render(), value=value, padding_top="1em") for value, _, render in tabs],
                value=S.tab,
                on_change=S.set_tab,
                margin_top="1em",
            ),
        ),
        rx.box(page_title("error.not_found"), form_messages(S.form_error, S.notice)),
    )


screen(routes.BILAN_PAGE, on_load=BilanPageState.load)(_bilan_page)


# ---------------------------------------------------------------- admin list


def _admin_bilans() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(_open_link(item)),
            rx.el.td(status_badge("bilan", item["status"])),
            rx.el.td(label("funding.", item["funding"])),
            rx.el.td(
                select_control(
                    rx.el.option(t("adminbilans.unassigned"), value=""),
                    rx.foreach(
                        AdminBilansState.consultants,
                        lambda c: rx.el.option(c["name"], " (", c["load"], ")", value=c["id"]),
                    ),
                    value=rx.cond(item["consultant_id"].to(str) != "", item["consultant_id"].to(str), ""),
                    on_change=lambda consultant: AdminBilansState.assign(item["id"], consultant),
                    aria_label=tf("adminbilans.assign_for", name=item["beneficiary"].to(str)),
                    compact=True,
                )
            ),
            rx.el.td(alerts_cell(item["alerts"])),
        )

    return rx.box(
        page_header(t("adminbilans.title"), lead=t("adminbilans.lead")),
        rx.callout(AdminBilansState.quota_label, color_scheme="blue", margin_y="0.75em"),
        form_messages(AdminBilansState.form_error, AdminBilansState.notice),
        data_table(
            "adminbilans.title",
            [
                "dashboard.col_beneficiary",
                "dashboard.col_status",
                "dashboard.col_funding",
                "adminbilans.col_consultant",
                "dashboard.col_alerts",
            ],
            AdminBilansState.rows,
            row,
            empty_key="dashboard.empty",
        ),
    )


screen(routes.ADMIN_BILANS, on_load=AdminBilansState.load)(_admin_bilans)
