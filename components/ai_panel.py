"""The AI panel of the consultant's analysis page (state: ``state.ai_panel.AiPanelState``)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.actions import item_button
from components.i18n import t, tf
from components.listing import list_or_empty
from components.page import section
from components.status import status_badge
from state.ai_panel import AiPanelState


def explain_button(code_rome: rx.Var, libelle: rx.Var) -> rx.Component:
    """ "Explain with the assistant" for one target métier (a result or a kept target)."""
    S = AiPanelState
    return rx.button(
        t("aipanel.explain"),
        type="button",
        size="2",
        variant="soft",
        on_click=S.explain(code_rome),
        disabled=S.run_status == "running",
        aria_label=t("aipanel.explain") + " : " + libelle,
    )


def _block(block: rx.Var) -> rx.Component:
    return rx.match(
        block["kind"],
        ("h", rx.heading(block["text"], as_="h4", size="2", margin_top="0.5rem")),
        ("li", rx.el.p("• ", block["text"], class_name="ai-item")),
        rx.el.p(block["text"]),
    )


def _edit_field(field: rx.Var) -> rx.Component:
    S = AiPanelState
    error_id = field["id"] + "-error"
    has_error = S.errors.contains(field["path"])
    return rx.box(
        rx.el.label(field["label"], html_for=field["id"], class_name="field-label"),
        rx.el.textarea(
            id=field["id"],
            name=field["path"],
            default_value=field["value"],
            rows=rx.cond(field["long"], 5, 2),
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, error_id, ""),
            class_name="field-input",
        ),
        rx.cond(has_error, rx.text(S.errors[field["path"]], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )


def _edit_form() -> rx.Component:
    S = AiPanelState
    return rx.el.form(
        rx.heading(t("aipanel.edit_title"), as_="h4", size="3"),
        rx.text(t("aipanel.edit_help"), size="2", class_name="field-help"),
        rx.foreach(S.edit_fields, _edit_field),
        rx.flex(
            rx.button(t("aipanel.save"), type="submit", size="2"),
            rx.button(t("aipanel.cancel"), type="button", size="2", variant="soft", on_click=S.cancel_edit),
            gap="0.5rem",
        ),
        on_submit=S.save_edit,
        key=S.editing_id,
    )


def _review_button(row: rx.Var, when: str, label_key: str, handler: Any, **props: Any) -> rx.Component:
    """Accept, edit or reject one proposal, when its status allows it (``row[when]`` is true)."""
    return rx.cond(
        row[when], item_button(label_key, row["feature"] + " " + row["subject"], handler(row["id"]), size="2", **props)
    )


def _proposal(row: rx.Var, index: rx.Var) -> rx.Component:
    S = AiPanelState
    return rx.el.li(
        rx.el.article(
            rx.flex(
                rx.heading(
                    row["feature"], rx.cond(row["subject"] != "", " — " + row["subject"], ""), as_="h3", size="3"
                ),
                status_badge("proposal", row["status"], row["status_label"]),
                justify="between",
                wrap="wrap",
                gap="0.5rem",
            ),
            rx.text(row["engine"], " · ", row["created"], size="1", class_name="muted"),
            rx.cond(
                S.editing_id == row["id"],
                _edit_form(),
                rx.fragment(
                    rx.box(rx.foreach(S.proposal_blocks[index], _block)),
                    rx.flex(
                        _review_button(row, "reviewable", "aipanel.accept", S.accept),
                        _review_button(row, "editable", "aipanel.edit", S.start_edit, variant="soft"),
                        _review_button(
                            row, "reviewable", "aipanel.reject", S.reject, variant="soft", color_scheme="red"
                        ),
                        gap="0.5rem",
                        margin_top="0.5rem",
                        wrap="wrap",
                    ),
                ),
            ),
            class_name="panel",
        )
    )


def _local_offer() -> rx.Component:
    """The way out of a failed provider run: the local engine's proposal, in one click."""
    S = AiPanelState
    return rx.flex(
        rx.text(t("aipanel.local_offer"), id="ai-local-offer", size="2"),
        rx.button(
            t("aipanel.use_local"),
            type="button",
            size="2",
            on_click=S.use_local,
            disabled=S.run_status == "running",
            aria_describedby="ai-local-offer",
        ),
        direction="column",
        align="start",
        gap="0.5rem",
        margin_bottom="0.75rem",
    )


def ai_panel() -> rx.Component:
    S = AiPanelState
    return section(
        "ai-panel",
        t("aipanel.title"),
        rx.text(t("aipanel.intro")),
        rx.callout(S.engine_text, color_scheme=rx.cond(S.engine_is_llm, "violet", "gray"), margin_y="0.5rem"),
        rx.text(t("llm.review.notice"), size="2", class_name="muted"),
        rx.cond(
            S.form_error != "",
            rx.callout(S.form_error, color_scheme="red", role="alert", class_name="form-alert"),
        ),
        rx.cond(S.local_offer != "", _local_offer()),
        rx.cond(S.notice != "", rx.callout(S.notice, color_scheme="green", role="status", class_name="form-alert")),
        rx.flex(
            rx.button(
                t("aipanel.transferable"),
                type="button",
                size="2",
                on_click=S.run_feature("transferable_skills"),
                disabled=S.run_status == "running",
            ),
            rx.cond(
                S.notes_author,
                rx.button(
                    t("aipanel.session_themes"),
                    type="button",
                    size="2",
                    variant="soft",
                    on_click=S.run_feature("session_themes"),
                    disabled=S.run_status == "running",
                ),
            ),
            gap="0.5rem",
            wrap="wrap",
        ),
        rx.box(
            rx.el.p(S.run_message, role="status", aria_live="polite", class_name="save-status"),
            rx.cond(
                S.run_status == "running",
                rx.box(
                    rx.el.progress(value=S.run_progress, max=100, aria_label=t("aipanel.progress_label")),
                    rx.cond(
                        S.run_preview.length() > 0,
                        rx.box(
                            rx.text(t("aipanel.preview"), size="1", class_name="muted"),
                            rx.foreach(S.run_preview, lambda text: rx.el.p(text)),
                            class_name="ai-preview",
                            aria_busy="true",
                        ),
                    ),
                ),
            ),
        ),
        rx.heading(tf("aipanel.proposals", count=S.proposals.length().to(str)), as_="h3", size="4", margin_top="1rem"),
        list_or_empty(
            S.proposals,
            _proposal,
            rx.text(t("aipanel.proposals_empty")),
            style={"list_style": "none", "padding": "0", "display": "grid", "gap": "0.75rem"},
        ),
        id="ai-panel-section",
    )
