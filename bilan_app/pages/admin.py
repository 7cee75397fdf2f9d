"""Organisation administration: users and invitations, audit log, organisation settings."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.forms import (
    checkbox,
    choice,
    field,
    field_box,
    form_messages,
    inline_form,
    options,
    select_control,
    submit,
)
from components.i18n import label, t, tf
from components.layout import page_title, screen
from components.members import invitation_status_badge, invite_form
from components.page import definition, definition_list
from components.status import status_badge
from components.tables import data_table, row_action
from services import routes
from services.models import Role
from state.admin import AuditState, OrganisationSettingsState, UsersState
from state.session import SessionState

MEMBER_ROLES = [Role.BENEFICIARY.value, Role.CONSULTANT.value, Role.ORG_ADMIN.value]
AUDIT_GROUPS = [
    ("", "admin.filter_all"),
    ("auth.", "audit.group.auth"),
    ("member.", "audit.group.member"),
    ("org.", "audit.group.org"),
]


def _member_row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item["name"]),
        rx.el.td(item["email"]),
        rx.el.td(
            select_control(
                *options([(role, f"role.{role}") for role in MEMBER_ROLES]),
                value=item["role"],
                on_change=lambda role: UsersState.change_role(item["id"], role),
                aria_label=tf("admin.change_role", name=item["name"].to(str)),
                disabled=item["is_self"],
                compact=True,
            )
        ),
        rx.el.td(status_badge("account", rx.cond(item["active"], "active", "inactive"))),
        rx.el.td(rx.cond(item["two_factor"], t("admin.yes"), t("admin.no"))),
        rx.el.td(rx.cond(item["last_login"] != "", item["last_login"], t("admin.never"))),
        rx.el.td(
            rx.cond(
                item["is_self"],
                rx.fragment(),
                rx.cond(
                    item["active"],
                    row_action(t("admin.deactivate"), UsersState.set_active(item["id"], False), danger=True),
                    row_action(t("admin.reactivate"), UsersState.set_active(item["id"], True)),
                ),
            )
        ),
    )


def _pending_row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item["email"]),
        rx.el.td(label("role.", item["role"])),
        rx.el.td(invitation_status_badge(item["status"])),
        rx.el.td(item["expires"]),
        rx.el.td(row_action(t("admin.resend"), UsersState.resend(item["id"]))),
    )


def _users() -> rx.Component:
    return rx.box(
        page_title("admin.users_title"),
        rx.text(tf("admin.users_lead", organisation=SessionState.organisation_name)),
        invite_form(UsersState, UsersState.invitable_roles),
        rx.heading(t("admin.users_title"), as_="h2", size="5", margin_top="1em"),
        data_table(
            "admin.users_title",
            [
                "admin.col_name",
                "admin.col_email",
                "admin.col_role",
                "admin.col_status",
                "admin.col_2fa",
                "admin.col_last_login",
                "admin.col_actions",
            ],
            UsersState.member_rows,
            _member_row,
        ),
        rx.heading(t("admin.pending_title"), as_="h2", size="5", margin_top="1em"),
        data_table(
            "admin.pending_title",
            ["admin.col_email", "admin.col_role", "admin.col_status", "admin.col_expires", "admin.col_actions"],
            UsersState.pending_rows,
            _pending_row,
            empty_key="admin.no_pending",
        ),
    )


screen(routes.ADMIN_USERS, on_load=UsersState.load)(_users)


def _filter_input(name: str, label_key: str, input_type: str, value: rx.Var) -> rx.Component:
    input_id = f"filter-{name}"
    return field_box(
        input_id,
        t(label_key),
        rx.el.input(id=input_id, name=name, type=input_type, default_value=value, class_name="field-input"),
    )


def _audit() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.td(item["date"]),
            rx.el.td(item["action"]),
            rx.el.td(item["actor"]),
            rx.el.td(item["target"]),
            rx.el.td(item["ip"]),
            rx.el.td(item["changes"], class_name="changes"),
        )

    filters = inline_form(
        field_box(
            "filter-action",
            t("admin.filter_action"),
            select_control(
                *options(list(AUDIT_GROUPS)), id="filter-action", name="action", default_value=AuditState.filter_action
            ),
        ),
        _filter_input("actor", "admin.filter_actor", "text", AuditState.filter_actor),
        _filter_input("since", "admin.filter_since", "date", AuditState.filter_since),
        _filter_input("until", "admin.filter_until", "date", AuditState.filter_until),
        rx.button(t("admin.filter_apply"), type="submit", size="3"),
        rx.button(t("admin.filter_reset"), type="reset", variant="soft", size="3", on_click=AuditState.reset_filters),
        on_submit=AuditState.apply_filters,
        class_name="panel",
    )
    return rx.box(
        page_title("admin.audit_title"),
        rx.text(t("admin.audit_lead")),
        form_messages(AuditState.form_error, AuditState.notice),
        filters,
        rx.text(AuditState.count_label, role="status", margin_y="0.5em"),
        rx.cond(
            AuditState.total > 0,
            data_table(
                "admin.audit_title",
                [
                    "admin.col_date",
                    "admin.col_action",
                    "admin.col_actor",
                    "admin.col_target",
                    "admin.col_ip",
                    "admin.col_changes",
                ],
                AuditState.events,
                row,
            ),
            rx.text(t("admin.audit_empty")),
        ),
        rx.flex(
            rx.button(
                t("admin.previous"),
                on_click=AuditState.previous_page,
                disabled=AuditState.page == 0,
                variant="soft",
                type="button",
            ),
            rx.text(AuditState.page + 1, " / ", AuditState.page_count),
            rx.button(
                t("admin.next"),
                on_click=AuditState.next_page,
                disabled=AuditState.page + 1 >= AuditState.page_count,
                variant="soft",
                type="button",
            ),
            spacing="3",
            align="center",
            margin_top="1em",
        ),
    )


screen(routes.ADMIN_AUDIT, on_load=AuditState.load)(_audit)


def _organisation() -> rx.Component:
    return rx.box(
        page_title("admin.org_title"),
        form_messages(OrganisationSettingsState.form_error, OrganisationSettingsState.notice),
        definition_list(
            definition("admin.org_siret", OrganisationSettingsState.siret),
            definition("admin.org_nda", OrganisationSettingsState.nda_number),
            definition("admin.org_plan", OrganisationSettingsState.plan),
            definition(
                "admin.org_public_page",
                rx.link(
                    OrganisationSettingsState.public_page_url,
                    href=OrganisationSettingsState.public_page_url,
                    is_external=True,
                    id="org-public-page",
                ),
            ),
            class_name="panel",
        ),
        rx.box(
            rx.el.label(
                rx.flex(
                    rx.switch(
                        checked=OrganisationSettingsState.require_2fa,
                        on_change=OrganisationSettingsState.set_require_2fa,
                        id="require-2fa",
                    ),
                    rx.text(t("admin.org_require_2fa")),
                    spacing="3",
                    align="center",
                ),
                html_for="require-2fa",
            ),
            rx.text(t("admin.org_require_2fa_help"), size="2", class_name="muted"),
            class_name="panel",
        ),
        _profile_form(),
        _video_form(),
    )


def _video_form() -> rx.Component:
    """How remote sessions are held: a link pasted on each, or a Jitsi Meet domain (a room per session)."""
    state = OrganisationSettingsState

    def provider(value: str) -> rx.Component:
        return choice(
            "radio",
            t(f"visio.provider.{value}"),
            name="video_provider",
            value=value,
            default_checked=state.video_provider == value,
        )

    return rx.form(
        rx.heading(t("visio.title"), as_="h2", size="5"),
        rx.text(t("visio.lead"), size="2", class_name="muted"),
        rx.el.fieldset(
            rx.el.legend(t("visio.provider")),
            provider("link"),
            provider("jitsi"),
            rx.cond(
                state.errors.contains("video_provider"),
                rx.text(state.errors["video_provider"], class_name="field-error", role="alert"),
            ),
        ),
        field(
            "jitsi_domain",
            "visio.jitsi_domain",
            state.errors,
            required=False,
            help_key="visio.jitsi_domain_hint",
            default_value=state.jitsi_domain,
        ),
        checkbox(
            t("visio.jitsi_embedded"),
            input_id="field-jitsi_embedded",
            name="jitsi_embedded",
            default_checked=state.jitsi_embedded,
        ),
        submit("visio.save"),
        on_submit=state.save_video,
        reset_on_submit=False,
        key=state.profile_version,
        class_name="panel stack",
        aria_label=t("visio.title"),
    )


def _profile_form() -> rx.Component:
    state = OrganisationSettingsState
    errors = state.errors

    def value(name: str) -> rx.Var:
        return state.profile[name].to(str)

    def profile_field(name: str, label_key: str, **props: Any) -> rx.Component:
        """A field of the organisation's profile, filled with what it holds now."""
        return field(name, label_key, errors, default_value=value(name), **props)

    def mode_box(mode: str) -> rx.Component:
        return checkbox(
            t(f"mode.{mode}"),
            input_id=f"field-mode-{mode}",
            name=f"mode_{mode}",
            default_checked=state.modes.contains(mode),
        )

    return rx.form(
        rx.heading(t("admin.profile_title"), as_="h2", size="5"),
        rx.text(t("admin.profile_lead"), size="2", class_name="muted"),
        rx.grid(
            profile_field("address", "admin.profile_address", required=False),
            profile_field("contact_email", "admin.profile_contact_email", type="email", required=False),
            profile_field("contact_phone", "admin.profile_contact_phone", type="tel", required=False),
            profile_field("price_euros", "admin.profile_price", type="number"),
            profile_field(
                "default_hours", "admin.profile_default_hours", type="number", help_key="admin.profile_hours_help"
            ),
            profile_field("min_hours", "admin.profile_min_hours", type="number"),
            profile_field("access_delay_days", "admin.profile_delay", type="number"),
            profile_field(
                "booking_notice_hours",
                "admin.profile_booking_notice",
                type="number",
                help_key="admin.profile_booking_notice_help",
            ),
            profile_field("disability_contact", "admin.profile_disability", required=False),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
        ),
        rx.el.fieldset(
            rx.el.legend(t("admin.profile_modes")),
            rx.flex(mode_box("presentiel"), mode_box("distanciel"), mode_box("hybride"), spacing="4", wrap="wrap"),
            rx.cond(errors.contains("modes"), rx.text(errors["modes"], class_name="field-error", role="alert")),
        ),
        rx.box(
            checkbox(
                t("admin.profile_preliminary_before_convention"),
                input_id="field-preliminary_interview_before_convention",
                name="preliminary_interview_before_convention",
                default_checked=state.preliminary_before_convention,
                aria_describedby="field-preliminary_interview_before_convention-help",
            ),
            rx.text(
                t("admin.profile_preliminary_help"),
                id="field-preliminary_interview_before_convention-help",
                class_name="field-help",
            ),
        ),
        rx.el.label(t("admin.profile_description"), html_for="field-public_description", class_name="field-label"),
        rx.el.textarea(
            id="field-public_description",
            name="public_description",
            rows=4,
            class_name="field-input",
            default_value=value("public_description"),
        ),
        submit("common.save"),
        on_submit=state.save_profile,
        reset_on_submit=False,
        key=state.profile_version,
        class_name="panel stack",
    )


screen(routes.ADMIN_ORGANISATION, on_load=OrganisationSettingsState.load)(_organisation)
