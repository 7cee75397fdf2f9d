"""The synthèse's handover: the beneficiary's panel (download, third parties she agrees to, retention
choice) and the followers' panel (the handover itself, then its evidence).

Both are self-contained: they load their own state when they appear (``state.handover``).
"""

from __future__ import annotations

import reflex as rx

from components.downloads import DOWNLOAD_STYLE, api_href, download_link
from components.forms import bound_select, form_messages, options
from components.i18n import t, tf
from components.layout import loading
from components.listing import list_or_empty
from components.page import section
from components.tables import row_action
from state.handover import RECIPIENT_KINDS, RETENTION_OPTIONS, HandoverFollowerState, HandoverState

S = HandoverState
LIST_STYLE = {"list_style_type": "disc", "padding_left": "1.5rem", "line_height": "1.6"}


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors[name], id=f"handover-{name}-error", class_name="field-error", role="alert"),
    )


def _invalid(name: str) -> rx.Var:
    return rx.cond(S.errors.contains(name), "true", "false")


def _described(name: str, help_id: str = "") -> rx.Var:
    error_id = f"handover-{name}-error"
    return rx.cond(S.errors.contains(name), f"{error_id} {help_id}".strip(), help_id)


def _checkbox(name: str, input_id: str, text_key: str, **props: object) -> rx.Component:
    """A checkbox inside its label, marked invalid and pointing at its error while the state refuses it."""
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=name, id=input_id, aria_invalid=_invalid(name), aria_describedby=_described(name)
        ),
        " ",
        t(text_key),
        html_for=input_id,
        **props,
    )


def _history_row(row: rx.Var) -> rx.Component:
    return rx.el.li(rx.text(row["text"]))


def _download() -> rx.Component:
    """The version she has (the latest handed over), its download, and what was handed over when."""
    return rx.box(
        rx.text(S.version_text, weight="medium"),
        rx.link(
            rx.icon("file-down", size=18, aria_hidden="true"),
            t("handover.download"),
            href=api_href(S.download_path),
            download="",
            reload_document=True,
            weight="medium",
            style=DOWNLOAD_STYLE,
            on_focus=S.renew_link,
            on_mouse_enter=S.renew_link,
            aria_describedby="handover-link-help",
        ),
        rx.text(t("handover.link_help"), id="handover-link-help", size="2", class_name="field-help"),
        rx.heading(t("handover.my_history_title"), as_="h3", size="4", margin_top="1rem"),
        rx.el.ul(rx.foreach(S.history, _history_row), style=LIST_STYLE, id="handover-history"),
    )


def _share_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(row["who"]),
        rx.text(row["status"], size="2", class_name="muted"),
        rx.cond(
            row["active"],
            row_action(
                t("handover.revoke"),
                S.revoke(row["id"]),
                danger=True,
                aria_label=t("handover.revoke") + " : " + row["who"],
            ),
        ),
    )


def _text_input(name: str, label_key: str, kind: str = "text") -> rx.Component:
    input_id = f"handover-{name}"
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, class_name="field-label"),
        rx.el.input(
            id=input_id,
            type=kind,
            value=S.share_values[name],
            on_change=lambda value: S.set_share_value(name, value),
            auto_complete="off",
            aria_invalid=_invalid(name),
            aria_describedby=_described(name),
            class_name="field-input",
        ),
        _error(name),
        class_name="field",
    )


def _share_form() -> rx.Component:
    return rx.el.form(
        bound_select(
            "handover",
            "recipient_kind",
            t("handover.field.recipient_kind"),
            S.share_values,
            S.errors,
            S.set_share_value,
            *options([(kind, f"handover.kind.{kind}") for kind in RECIPIENT_KINDS]),
        ),
        _text_input("recipient_name", "handover.field.recipient_name"),
        _text_input("recipient_email", "handover.field.recipient_email", "email"),
        rx.box(
            _checkbox("consent", "handover-consent", "handover.consent_text"), _error("consent"), class_name="field"
        ),
        rx.button(t("handover.share_submit"), type="submit", size="2"),
        on_submit=S.share,
        reset_on_submit=False,
    )


def _shares() -> rx.Component:
    return section(
        "handover-share-title",
        t("handover.share_title"),
        rx.text(t("handover.share_intro")),
        rx.heading(t("handover.shares_title"), as_="h4", size="3", margin_top="0.75rem"),
        rx.cond(S.shares_note != "", rx.callout(S.shares_note, color_scheme="blue", role="note", margin_y="0.5rem")),
        list_or_empty(S.shares, _share_row, rx.text(t("handover.shares_empty")), style=LIST_STYLE),
        _share_form(),
        level=3,
        surface=False,
        margin_top="1rem",
    )


def _retention() -> rx.Component:
    return section(
        "handover-retention-title",
        t("handover.retention_title"),
        rx.text(t("handover.retention_intro")),
        rx.text(S.retention_text, weight="medium", margin_y="0.5rem"),
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend(t("handover.retention_legend")),
                *[
                    rx.el.label(
                        rx.el.input(
                            type="radio",
                            name="option",
                            value=option,
                            default_checked=S.retention_option == option,
                            id=f"handover-retention-{option}",
                        ),
                        " ",
                        t(f"handover.retention.{option}"),
                        html_for=f"handover-retention-{option}",
                        display="block",
                    )
                    for option in RETENTION_OPTIONS
                ],
                _error("option"),
                key=S.retention_option,
            ),
            _checkbox(
                "written_consent",
                "handover-written-consent",
                "handover.retention_consent",
                display="block",
                margin_top="0.5rem",
            ),
            _error("written_consent"),
            rx.button(t("handover.retention_save"), type="submit", size="2", margin_top="0.5rem"),
            on_submit=S.save_retention,
            reset_on_submit=False,
        ),
        level=3,
        surface=False,
        margin_top="1rem",
    )


def handover_panel() -> rx.Component:
    """The beneficiary's synthèse section: pending message, or download, third parties and retention."""
    panel = section(
        "handover-title",
        t("handover.title"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.handover_view,
            ("pending", rx.fragment(rx.text(t("handover.not_yet")), _retention())),
            ("ready", rx.fragment(_download(), _shares(), _retention())),
            loading(),
        ),
    )
    return rx.box(rx.cond(S.handover_view != "none", panel), on_mount=S.load)


def _evidence_row(row: rx.Var) -> rx.Component:
    return rx.el.li(rx.text(row["who"]), rx.text(row["status"], size="2", class_name="muted"))


def handover_follower_panel(is_author: rx.Var) -> rx.Component:
    """The followers' side (synthèse page): the handover button for the author, then the evidence —
    when, to whom she agreed, her retention choice. Never the document for the org admin."""
    F = HandoverFollowerState
    name = F.beneficiary_first_name
    return section(
        "handover-follower-title",
        tf("handover.consultant_title", name=name),
        rx.text(t("handover.consultant_intro")),
        form_messages(F.form_error, F.notice),
        rx.text(F.handed_over_line, weight="medium", margin_y="0.5rem"),
        rx.cond(
            (F.own_copy_path != "") & (F.pending_version > 0),
            rx.callout(
                tf("handover.newer_waiting", version=F.pending_version.to(str), name=name),
                color_scheme="blue",
                role="note",
                margin_y="0.5rem",
            ),
        ),
        rx.cond(
            is_author & (F.pending_version > 0) & F.handover_loaded,
            rx.flex(
                rx.button(
                    rx.cond(
                        F.rendering,
                        t("handover.rendering"),
                        tf("handover.hand_over_version", version=F.pending_version.to(str)),
                    ),
                    type="button",
                    size="3",
                    on_click=F.hand_over,
                    disabled=F.rendering,
                ),
                rx.cond(F.rendering, rx.spinner(size="2")),
                rx.el.span(rx.cond(F.rendering, t("handover.rendering"), ""), role="status", class_name="sr-only"),
                gap="0.75rem",
                align="center",
            ),
        ),
        rx.cond(is_author & (F.own_copy_path != ""), download_link(F.own_copy_path, "handover.own_copy")),
        rx.cond(
            F.handover_history.length() > 0,
            rx.fragment(
                rx.heading(t("handover.history_title"), as_="h3", size="4", margin_top="1rem"),
                rx.el.ul(
                    rx.foreach(F.handover_history, _history_row), style=LIST_STYLE, id="handover-follower-history"
                ),
            ),
        ),
        rx.heading(tf("handover.followers_shares", name=name), as_="h3", size="4", margin_top="1rem"),
        list_or_empty(
            F.follower_shares,
            _evidence_row,
            rx.text(tf("handover.followers_shares_empty", name=name)),
            style=LIST_STYLE,
        ),
        rx.heading(t("handover.followers_retention_title"), as_="h3", size="4", margin_top="1rem"),
        rx.text(F.follower_retention),
        on_mount=F.load,
    )
