"""The notification centre: the person's list (the bell leads here) and how each kind is mailed."""

from __future__ import annotations

import reflex as rx

from components.forms import field, form_messages, inline_form, options, select_control
from components.i18n import t, tf
from components.layout import page_title, screen
from components.listing import list_or_empty
from components.page import section
from components.status import tone_badge
from components.tables import data_table, row_action
from services import routes
from state.notifications import NotificationsState as S

MODES = [("immediate", "notif.mode.immediate"), ("digest", "notif.mode.digest"), ("off", "notif.mode.off")]


def _notification(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.box(
                rx.text(rx.cond(item["unread"], rx.el.strong(item["title"]), item["title"])),
                rx.text(
                    item["when"],
                    rx.cond(item["times"] != "", rx.el.span(" · ", item["times"])),
                    size="1",
                    class_name="muted",
                ),
            ),
            rx.flex(
                rx.cond(item["unread"], tone_badge(t("notif.unread"), "info", "bell")),
                rx.cond(
                    item["path"] != "",
                    row_action(t("notif.open"), S.open_notification(item["id"]), aria_label=item["title"]),
                ),
                rx.cond(item["unread"], row_action(t("notif.mark_read"), S.mark_read(item["id"]))),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            justify="between",
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        class_name="notification-item",
        data_unread=rx.cond(item["unread"], "true", "false"),
    )


def _list() -> rx.Component:
    return section(
        "notifications-list",
        t("notif.list_title"),
        rx.flex(
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    checked=S.unread_only,
                    on_change=S.set_unread_only,
                    id="notif-unread-only",
                ),
                " ",
                t("notif.unread_only"),
                html_for="notif-unread-only",
            ),
            rx.button(t("notif.mark_all"), on_click=S.mark_all_read, variant="soft", type="button", size="2"),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        list_or_empty(S.rows, _notification, rx.text(t("notif.empty")), class_name="notification-list"),
    )


def _preference(item: rx.Var, *, with_sms: bool = False) -> rx.Component:
    """One kind: how it is mailed, and (``with_sms``, when the platform sends SMS) whether it is texted too."""
    select_id = "notif-mode-" + item["kind"].to(str)
    error = S.errors[item["kind"]]
    return rx.el.tr(
        rx.el.th(rx.el.label(item["label"], html_for=select_id), scope="row"),
        rx.el.td(
            rx.cond(
                item["essential"],
                rx.text(t("notif.mode.always")),
                rx.box(
                    select_control(
                        *options(MODES),
                        id=select_id,
                        value=item["mode"],
                        on_change=lambda mode: S.set_mode(item["kind"], mode),
                        compact=True,
                    ),
                    rx.cond(error, rx.text(error, class_name="field-error", role="alert")),
                ),
            )
        ),
        *([_sms_cell(item)] if with_sms else []),
    )


def _sms_cell(item: rx.Var) -> rx.Component:
    return rx.el.td(
        rx.cond(
            item["sms_possible"],
            rx.el.input(
                type="checkbox",
                checked=item["sms"],
                on_change=lambda wanted: S.set_sms(item["kind"], wanted),
                aria_label=item["sms_label"],
                # Without a number the box explains itself rather than failing on a click.
                disabled=(S.mobile == "") & ~item["sms"].to(bool),
                title=rx.cond(S.mobile == "", t("notif.sms_needs_mobile"), ""),
            ),
        )
    )


def _preferences() -> rx.Component:
    columns = ["notif.col_kind", "notif.col_mode"]
    return section(
        "notifications-preferences",
        t("notif.prefs_title"),
        rx.text(t("notif.prefs_lead"), size="2"),
        rx.cond(
            S.sms_offered,
            data_table(
                "notif.prefs_caption",
                [*columns, "notif.col_sms"],
                S.preferences,
                lambda item: _preference(item, with_sms=True),
                stack=False,
            ),
            data_table("notif.prefs_caption", columns, S.preferences, lambda item: _preference(item), stack=False),
        ),
    )


def _mobile() -> rx.Component:
    """Her mobile number for the SMS she ticks (only when the platform sends SMS; it says so otherwise)."""
    return section(
        "notifications-sms",
        t("notif.mobile_title"),
        rx.cond(
            S.sms_offered,
            rx.box(
                rx.text(t("notif.mobile_lead"), size="2"),
                inline_form(
                    field(
                        "mobile",
                        "notif.mobile_label",
                        S.errors,
                        type="tel",
                        autocomplete="tel",
                        required=False,
                        help_key="notif.mobile_hint",
                        default_value=S.mobile,
                        input_mode="tel",
                    ),
                    rx.button(t("notif.mobile_save"), type="submit", size="2"),
                    on_submit=S.save_mobile,
                ),
                rx.cond(S.mobile == "", rx.text(t("notif.sms_needs_mobile"), size="2", class_name="muted")),
            ),
            rx.text(t("notif.sms_not_offered"), size="2"),
        ),
    )


def _calendar_feed() -> rx.Component:
    """Her private calendar address: made (shown once, with a copy button), made again, or revoked."""
    address = rx.flex(
        rx.el.label(t("calendar.feed_url_label"), html_for="calendar-feed-url", class_name="field-label"),
        rx.flex(
            rx.el.input(
                id="calendar-feed-url",
                value=S.feed_url,
                read_only=True,
                class_name="field-input",
                style={"flex": "1", "min_width": "16rem"},
            ),
            rx.button(
                rx.icon("copy", size=16, aria_hidden="true"),
                t("calendar.feed_copy"),
                type="button",
                size="2",
                on_click=S.copy_feed,
            ),
            spacing="2",
            wrap="wrap",
        ),
        direction="column",
        spacing="1",
    )
    return rx.cond(
        S.feed_offered,
        section(
            "notifications-calendar",
            t("calendar.feed_title"),
            rx.text(t("calendar.feed_lead"), size="2"),
            rx.cond(S.feed_url != "", address),
            rx.cond(
                S.feed_since != "",
                rx.text(tf("calendar.feed_active", date=S.feed_since), size="2"),
                rx.text(t("calendar.feed_none"), size="2"),
            ),
            rx.flex(
                rx.button(
                    rx.cond(S.feed_since != "", t("calendar.feed_regenerate"), t("calendar.feed_create")),
                    type="button",
                    size="2",
                    on_click=S.create_feed,
                ),
                rx.cond(
                    S.feed_since != "",
                    rx.button(
                        t("calendar.feed_revoke"),
                        type="button",
                        size="2",
                        color_scheme="red",
                        variant="soft",
                        on_click=S.revoke_feed,
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
    )


@screen(routes.NOTIFICATIONS, on_load=S.load)
def notifications_page() -> rx.Component:
    return rx.box(
        page_title("notif.title"),
        rx.text(t("notif.lead"), class_name="lead"),
        form_messages(S.form_error, S.notice),
        _list(),
        _preferences(),
        _mobile(),
        _calendar_feed(),
    )
