"""The document de synthèse: the consultant's editor (``/bilans/[bilan_id]/synthese``; the org admin sees
the versions only) and the beneficiary's page (``/mon-espace/synthese``).

The sections are fixed (ten), so each is laid out once here with stable ids; the texts and previews
come from the state's dicts. Previews are HTML rendered on the server by ``services.markdown`` (raw
HTML escaped). Styles: the "synthèse" block of assets/styles.css (side-by-side editor and preview from
60rem, stacked below; diff lines with a printed tag and a colour).
"""

from __future__ import annotations

from functools import partial

import reflex as rx

from components.actions import item_button
from components.feedback import confirm_dialog
from components.forms import field_box, form_messages, select_control
from components.handover import handover_follower_panel, handover_panel
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.page import section as kit_section
from components.status import status_badge
from components.tables import data_table
from services import routes
from services.synthese import OBSERVATIONS, SECTIONS
from state.synthese import SyntheseEditorState, SyntheseReaderState

DEBOUNCE_MS = 400


# Its headings take the focus when an action brings the reader back to them.
section = partial(kit_section, focusable_heading=True)


def _status(message: rx.Var, **props: object) -> rx.Component:
    return rx.el.p(message, role="status", aria_live="polite", class_name="save-status", **props)


def _action_row(*children: rx.Component) -> rx.Component:
    """A button and the status line that reports its outcome."""
    return rx.flex(*children, gap="0.75rem", align="center", wrap="wrap", margin_top="0.5em")


def _preview(html: rx.Var, label: rx.Var) -> rx.Component:
    return rx.box(
        rx.cond(html != "", rx.html(html), rx.text(t("synthese.preview_empty"), class_name="muted")),
        role="region",
        aria_label=label,
        class_name="synthese-preview",
    )


def _markdown_field(
    field_id: str,
    label: rx.Component,
    help_text: rx.Var,
    value: rx.Var,
    error: rx.Var,
    preview: rx.Component,
    **events: object,
) -> rx.Component:
    """A Markdown textarea (debounced; ``events``: on_change, on_blur, read_only) beside its live preview."""
    help_id, error_id = f"{field_id}-help", f"{field_id}-error"
    has_error = error != ""
    return rx.box(
        rx.box(
            label,
            rx.text(help_text, id=help_id, class_name="field-help"),
            rx.debounce_input(
                rx.el.textarea(
                    id=field_id,
                    value=value,
                    rows=12,
                    aria_invalid=rx.cond(has_error, "true", "false"),
                    aria_describedby=rx.cond(has_error, f"{error_id} {help_id}", help_id),
                    class_name=rx.cond(
                        has_error, "field-input field-input-error synthese-text", "field-input synthese-text"
                    ),
                    **events,
                ),
                debounce_timeout=DEBOUNCE_MS,
                force_notify_on_blur=True,
            ),
            rx.cond(has_error, rx.text(error, id=error_id, class_name="field-error", role="alert")),
            class_name="field",
        ),
        preview,
        class_name="synthese-editor",
    )


# ---------------------------------------------------------------- the consultant's editor


def _status_panel() -> rx.Component:
    S = SyntheseEditorState
    summary = S.summary
    return section(
        "synthese-status-title",
        rx.cond(S.current_number > 0, summary["title"].to(str), t("synthese.title")),
        rx.cond(
            S.current_number > 0,
            rx.fragment(
                rx.text(summary["made_by"].to(str)),
                rx.text(summary["updated"].to(str), class_name="muted"),
                rx.cond(summary["validated"].to(str) != "", rx.text(summary["validated"].to(str))),
            ),
            rx.text(t("synthese.none")),
        ),
        rx.cond(
            S.current_status == "validated",
            rx.callout(t("synthese.locked_notice"), color_scheme="blue", role="note", margin_top="0.75em"),
        ),
        rx.cond(
            S.can_edit,
            rx.flex(
                rx.cond(
                    S.editable & (S.current_number > 0),
                    rx.button(
                        t("synthese.validate"),
                        type="button",
                        size="3",
                        id="synthese-validate",
                        on_click=S.ask_validate,
                        aria_describedby="synthese-validate-help",
                    ),
                ),
                rx.cond(
                    S.current_status == "validated",
                    rx.button(
                        t("synthese.new_version"),
                        type="button",
                        size="3",
                        variant="outline",
                        on_click=S.create_new_version,
                        aria_describedby="synthese-new-help",
                    ),
                ),
                gap="0.75rem",
                wrap="wrap",
                margin_top="0.75em",
            ),
        ),
        rx.cond(
            S.can_edit & S.editable & (S.current_number > 0),
            rx.text(t("synthese.validate_help"), id="synthese-validate-help", class_name="field-help"),
        ),
        rx.cond(
            S.can_edit & (S.current_status == "validated"),
            rx.text(t("synthese.new_version_help"), id="synthese-new-help", class_name="field-help"),
        ),
        confirm_dialog(
            open=S.confirming,
            title=t("synthese.validate_title"),
            description=tf("synthese.validate_confirm", number=S.current_number.to(str)),
            confirm_label=t("synthese.validate_yes"),
            cancel_label=t("synthese.cancel"),
            on_confirm=S.confirm_validate,
            on_cancel=S.cancel_validate,
            confirm_id="synthese-confirm-yes",
            danger=False,
        ),
    )


def _generate_panel() -> rx.Component:
    S = SyntheseEditorState
    running = S.generating
    return section(
        "synthese-generate-title",
        t("synthese.generate_title"),
        rx.text(t("synthese.generate_help")),
        rx.callout(S.engine_text, color_scheme=rx.cond(S.engine_is_llm, "violet", "gray"), margin_y="0.5rem"),
        rx.flex(
            rx.cond(
                S.engine_is_llm,
                rx.fragment(
                    rx.button(
                        t("synthese.generate_ai"), type="button", size="3", on_click=S.generate(False), disabled=running
                    ),
                    rx.button(
                        t("synthese.generate_local"),
                        type="button",
                        size="3",
                        variant="outline",
                        on_click=S.generate(True),
                        disabled=running,
                    ),
                ),
                rx.button(t("synthese.generate"), type="button", size="3", on_click=S.generate(True), disabled=running),
            ),
            gap="0.75rem",
            wrap="wrap",
        ),
        _status(S.gen_message),
        rx.cond(
            running,
            rx.box(
                rx.el.progress(value=S.gen_progress, max=100, aria_label=t("synthese.progress_label")),
                rx.cond(
                    S.gen_preview.length() > 0,
                    rx.box(
                        rx.foreach(S.gen_preview, lambda line: rx.el.p(line)), class_name="ai-preview", aria_busy="true"
                    ),
                ),
            ),
        ),
    )


def _section_head(key: str) -> dict[str, rx.Var[str]]:
    """A section's title, field label, help and preview label, compiled into the page (not sent per tab)."""
    title = t(f"synthese.section.{key}")
    return {
        "title": title,
        "help": t(f"synthese.help.{key}"),
        "label": tf("synthese.field_label", section=title),
        "preview": tf("synthese.preview", section=title),
    }


def _section_editor(key: str) -> rx.Component:
    """One section: its Markdown field (saved when left), the live preview, and its save button."""
    S = SyntheseEditorState
    head = _section_head(key)
    field_id = f"synthese-{key}"
    preview = _preview(S.previews[key].to(str), head["preview"])
    if key == OBSERVATIONS:  # hers alone: shown, never editable here
        body = rx.box(
            rx.text(t("synthese.observations_readonly"), class_name="field-help"),
            rx.cond(
                S.previews[key].to(str) != "", preview, rx.text(t("synthese.observations_none"), class_name="muted")
            ),
        )
    else:
        body = _markdown_field(
            field_id,
            rx.el.label(head["label"], html_for=field_id, class_name="field-label"),
            head["help"],
            S.drafts[key].to(str),
            rx.cond(S.errors.contains(key), S.errors[key].to(str), ""),
            preview,
            on_change=lambda value: S.set_draft(key, value),
            on_blur=lambda value: S.autosave(key, value),
            read_only=~S.editable,
        )
    return kit_section(
        f"{field_id}-title",
        head["title"],
        body,
        rx.cond(
            S.editable & (key != OBSERVATIONS),
            _action_row(
                item_button("synthese.save_section", head["title"], S.save_section(key), size="2", variant="soft"),
                _status(S.section_notes[key].to(str), id=f"{field_id}-status"),
            ),
        ),
        level=3,
        surface=False,
        class_name="synthese-section",
    )


def _sections_panel() -> rx.Component:
    S = SyntheseEditorState
    return section(
        "synthese-sections-title",
        t("synthese.sections_title"),
        rx.cond(S.editable, rx.text(t("synthese.editor_help"), class_name="field-help")),
        rx.cond(
            S.editable,
            _action_row(
                rx.button(t("synthese.save_all"), type="button", size="3", on_click=S.save_all),
                _status(S.save_message),
            ),
        ),
        *[_section_editor(key) for key in SECTIONS],
    )


def _version_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["label"], scope="row"),
        rx.el.td(status_badge("synthese", row["status"], row["status_label"])),
        rx.el.td(row["origin"]),
        rx.el.td(row["created"]),
        rx.el.td(row["validated"]),
    )


def _versions_panel() -> rx.Component:
    S = SyntheseEditorState
    return section(
        "synthese-versions-title",
        t("synthese.versions_title"),
        data_table(
            "synthese.versions_title",
            [
                "synthese.col_version",
                "synthese.col_status",
                "synthese.col_origin",
                "synthese.col_created",
                "synthese.col_validated",
            ],
            S.versions,
            _version_row,
            empty_key="synthese.none",
        ),
    )


def _version_select(field_id: str, label_key: str, value: rx.Var, on_change: object) -> rx.Component:
    return field_box(
        field_id,
        t(label_key),
        select_control(
            rx.foreach(
                SyntheseEditorState.version_numbers,
                lambda number: rx.el.option(tf("synthese.version_label", number=number), value=number),
            ),
            id=field_id,
            value=value,
            on_change=on_change,
        ),
    )


def _diff_line(line: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.cond(line["tag"] != "", rx.el.span(line["tag"], class_name="diff-tag")),
        rx.el.span(line["text"], class_name="diff-text"),
        class_name="diff-line diff-" + line["kind"].to(str),
    )


def _diff_section(head: rx.Var, index: rx.Var) -> rx.Component:
    heading_id = "diff-" + head["key"].to(str)
    return kit_section(
        heading_id,
        head["title"],
        rx.el.ul(rx.foreach(SyntheseEditorState.diff_lines[index], _diff_line), class_name="diff-lines"),
        level=3,
        surface=False,
        class_name="synthese-diff-section",
    )


def _diff_panel() -> rx.Component:
    S = SyntheseEditorState
    return section(
        "synthese-diff-title",
        t("synthese.diff_title"),
        rx.cond(
            S.versions.length() > 1,
            rx.fragment(
                rx.flex(
                    _version_select("diff-before", "synthese.diff_from", S.diff_before, S.set_diff_before),
                    _version_select("diff-after", "synthese.diff_to", S.diff_after, S.set_diff_after),
                    rx.button(t("synthese.diff_show"), type="button", size="3", on_click=S.show_diff),
                    gap="0.75rem",
                    align="end",
                    wrap="wrap",
                ),
                _status(S.diff_message),
                rx.cond(
                    S.diff_shown,
                    rx.box(
                        rx.foreach(S.diff_heads, _diff_section),
                        rx.cond(S.diff_unchanged != "", rx.text(S.diff_unchanged, class_name="muted")),
                    ),
                ),
            ),
            rx.text(t("synthese.diff_need_two")),
        ),
    )


def _editor_body() -> rx.Component:
    S = SyntheseEditorState
    return rx.cond(
        S.is_author,
        rx.box(
            rx.callout(t("synthese.confidential"), color_scheme="gray", role="note", margin_bottom="1rem"),
            _status_panel(),
            rx.cond(S.can_edit, _generate_panel()),
            rx.cond(S.current_number > 0, _sections_panel()),
            _versions_panel(),
            rx.cond(S.current_number > 0, _diff_panel()),
            handover_follower_panel(S.is_author),
        ),
        rx.box(
            rx.callout(t("synthese.admin_notice"), color_scheme="blue", role="note", margin_bottom="1rem"),
            _versions_panel(),
            handover_follower_panel(S.is_author),
        ),
    )


def _editor() -> rx.Component:
    S = SyntheseEditorState
    return rx.box(
        page_title("synthese.title"),
        rx.cond(S.beneficiary != "", rx.text(tf("synthese.beneficiary", name=S.beneficiary), class_name="lead")),
        rx.link(t("synthese.back"), href=S.bilan_href),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.page_status,
            ("ready", _editor_body()),
            ("missing", rx.fragment()),
            loading(),
        ),
        class_name="synthese-page",
    )


screen(routes.BILAN_SYNTHESE, on_load=SyntheseEditorState.load)(_editor)


# ---------------------------------------------------------------- the beneficiary's page


def _reader_section(part: rx.Var) -> rx.Component:
    return kit_section(
        "my-synthese-" + part["key"].to(str),
        part["title"],
        rx.box(rx.html(part["html"].to(str)), class_name="synthese-preview synthese-reading"),
    )


def _observations_form() -> rx.Component:
    S = SyntheseReaderState
    title = t("synthese.observations_title")
    preview = _preview(S.observations_preview, tf("synthese.preview", section=title))
    return kit_section(
        "my-observations-title",
        title,
        rx.cond(S.observations_line != "", rx.text(S.observations_line, class_name="muted")),
        rx.cond(
            S.can_write,
            rx.fragment(
                _markdown_field(
                    "my-observations",
                    rx.el.label(title, html_for="my-observations", class_name="sr-only"),
                    t("synthese.observations_help"),
                    S.observations,
                    rx.cond(S.errors.contains(OBSERVATIONS), S.errors[OBSERVATIONS].to(str), ""),
                    preview,
                    on_change=S.set_observations,
                    on_blur=S.autosave_observations,
                ),
                _action_row(
                    rx.button(t("synthese.observations_save"), type="button", size="3", on_click=S.save_observations),
                    _status(S.saved_message),
                ),
            ),
            preview,
        ),
    )


def _reader() -> rx.Component:
    S = SyntheseReaderState
    return rx.box(
        page_title("synthese.my_title"),
        rx.text(t("synthese.my_intro"), class_name="lead"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.reader_status,
            (
                "ready",
                rx.box(
                    rx.text(S.version_line, margin_y="0.75em"),
                    rx.cond(
                        S.being_written,
                        rx.callout(
                            t("synthese.my_newer_draft"), color_scheme="blue", role="status", margin_bottom="1rem"
                        ),
                    ),
                    rx.foreach(S.sections, _reader_section),
                    _observations_form(),
                ),
            ),
            ("waiting", rx.callout(t("synthese.my_waiting"), color_scheme="blue", role="status", margin_top="1em")),
            (
                "not_started",
                rx.callout(t("synthese.my_not_started"), color_scheme="gray", role="status", margin_top="1em"),
            ),
            ("none", rx.callout(t("synthese.my_none"), color_scheme="gray", role="status", margin_top="1em")),
            ("uploaded", rx.callout(t("synthese.my_uploaded"), color_scheme="blue", role="status", margin_top="1em")),
            loading(),
        ),
        # Also when the consultant uploaded a synthèse of their own instead of writing it here.
        handover_panel(),
        class_name="synthese-page",
    )


screen(routes.SYNTHESE, on_load=SyntheseReaderState.load)(_reader)
