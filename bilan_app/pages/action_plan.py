"""The SMART action plan: ``/mon-espace/plan`` (the beneficiary) and ``/bilans/[bilan_id]/plan`` (the
followers), one page for both, since they write the same plan together.

Native controls only (inputs, selects, checkboxes, buttons), each with a bound label; the help under a
field, the SMART part it lacks and the server's error are tied to it with ``aria-describedby``. Saves
are announced in a polite live region, and the focus moves to the editor or back to the list.
"""

from __future__ import annotations

from functools import partial

import reflex as rx

from components.actions import save_and_cancel
from components.downloads import download_link
from components.feedback import confirm_dialog
from components.forms import bound_select, field_box, form_messages, options, row_options, select_control
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import list_or_empty
from components.page import section as kit_section
from components.readers import back_links
from components.status import status_badge, tone_badge
from components.tables import data_table
from services import routes
from services.models import ActionOwner, ActionStatus
from state.action_plan import ActionPlanState

S = ActionPlanState
LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.75rem 0 0", "display": "grid", "gap": "1rem"}
ROW_STYLE = {"display": "flex", "flex_wrap": "wrap", "gap": "0.5rem", "align_items": "center"}
GAP_STYLE = {"color": "#92400e", "font_weight": "500", "font_size": "0.95rem"}  # amber 800 on white: 7:1
FIELDSET_STYLE = {"border": "1px solid var(--bc-border)", "border_radius": "8px", "padding": "0.75rem 1rem 1rem"}
STATUSES = [status.value for status in ActionStatus]
OWNERS = [owner.value for owner in ActionOwner]
# The five SMART parts: (part, [(field, help, input type, multiline)]).
PARTS: list[tuple[str, list[tuple[str, str, bool]]]] = [
    ("specifique", [("title", "text", False), ("description", "text", True)]),
    ("mesurable", [("indicator", "text", True)]),
    ("atteignable", [("means", "text", True)]),
    ("realiste", [("project_link", "text", True)]),
    ("temporel", [("deadline", "date", False)]),
]


# Its headings take the focus when an action brings the reader back to them.
section = partial(kit_section, focusable_heading=True)


# ---------------------------------------------------------------- the editor


def _described_by(name: str, help_id: str) -> rx.Var:
    """The help, then the SMART part it lacks, then the error, as they appear under the field."""
    base = f"plan-{name}"
    return (
        rx.Var.create(help_id)
        + rx.cond(S.form_gaps.contains(name), f" {base}-smart", "")
        + rx.cond(S.errors.contains(name), f" {base}-error", "")
    ).to(str)


def _notes(name: str) -> rx.Component:
    """What the SMART check says about the field, then the server's error (next to the field)."""
    base = f"plan-{name}"
    return rx.fragment(
        rx.cond(S.form_gaps.contains(name), rx.text(S.form_gaps[name], id=f"{base}-smart", style=GAP_STYLE)),
        rx.cond(S.errors.contains(name), rx.text(S.errors[name], id=f"{base}-error", class_name="field-error")),
    )


def _field(name: str, type_: str, multiline: bool) -> rx.Component:
    input_id = f"plan-{name}"
    help_id = f"{input_id}-help"
    has_error = S.errors.contains(name)
    props = {
        "id": input_id,
        "value": S.form[name],
        "on_change": lambda value: S.set_field(name, value),
        "aria_invalid": rx.cond(has_error, "true", "false"),
        "aria_describedby": _described_by(name, help_id),
        "class_name": rx.cond(has_error, "field-input field-input-error", "field-input"),
    }
    control = rx.el.textarea(rows=3, **props) if multiline else rx.el.input(type=type_, **props)
    label = [t(f"action_plan.field.{name}")] + ([rx.el.span(" *", aria_hidden="true")] if name == "title" else [])
    return rx.box(
        rx.el.label(*label, html_for=input_id, class_name="field-label"),
        control,
        rx.text(t(f"action_plan.field.{name}_help"), id=help_id, class_name="field-help"),
        _notes(name),
        class_name="field",
    )


def _part(part: str, fields: list[tuple[str, str, bool]]) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.strong(t(f"action_plan.part.{part}")), class_name="group-legend"),
        *[_field(name, type_, multiline) for name, type_, multiline in fields],
        style=FIELDSET_STYLE,
        class_name="stack",
    )


def _milestone_row(row: rx.Var, index: rx.Var) -> rx.Component:
    number = (index + 1).to_string()
    base = "plan-milestone-" + index.to_string()
    errors = S.milestone_errors[index]
    label_error, date_error = errors["label"].to(str), errors["due_on"].to(str)

    def control(name: str, key: str, type_: str, error: rx.Var) -> rx.Component:
        input_id = base + "-" + name
        return rx.box(
            rx.el.label(tf(key, number=number), html_for=input_id, class_name="field-label"),
            rx.el.input(
                id=input_id,
                type=type_,
                value=row[name].to(str),
                on_change=lambda value: S.set_milestone_field(index, name, value),
                aria_invalid=rx.cond(error != "", "true", "false"),
                aria_describedby=rx.cond(error != "", input_id + "-error", ""),
                class_name=rx.cond(error != "", "field-input field-input-error", "field-input"),
            ),
            rx.cond(error != "", rx.text(error, id=input_id + "-error", class_name="field-error")),
            class_name="field",
        )

    return rx.el.li(
        control("label", "action_plan.field.milestone_label", "text", label_error),
        control("due_on", "action_plan.field.milestone_date", "date", date_error),
        rx.button(
            t("action_plan.milestone_remove"),
            type="button",
            variant="soft",
            color_scheme="red",
            size="2",
            on_click=S.remove_milestone(index),
            aria_label=tf("action_plan.milestone_remove_label", number=number),
            align_self="end",
            justify_self="start",
        ),
        class_name="fields-grid",
        align_items="start",
    )


def _milestones_editor() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.strong(t("action_plan.field.milestones")), class_name="group-legend"),
        rx.text(t("action_plan.field.milestones_help"), id="plan-milestones-help", class_name="field-help"),
        _notes("milestones"),
        rx.cond(
            S.form_milestones.length() > 0,
            rx.el.ol(rx.foreach(S.form_milestones, _milestone_row), style=LIST_STYLE),
        ),
        rx.button(
            rx.icon("plus", size=16, aria_hidden="true"),
            t("action_plan.milestone_add"),
            type="button",
            variant="outline",
            size="2",
            id="plan-milestone-add",
            on_click=S.add_milestone,
            margin_top="0.75rem",
        ),
        aria_describedby="plan-milestones-help",
        style=FIELDSET_STYLE,
    )


def _select(name: str, *children: rx.Component) -> rx.Component:
    return bound_select("plan", name, t(f"action_plan.field.{name}"), S.form, S.errors, S.set_field, *children)


def _link_group(key: str, rows: rx.Var) -> rx.Component:
    return rx.cond(rows.length() > 0, rx.el.optgroup(row_options(rows), label=t(key)))


def _details_part() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.strong(t("action_plan.part.details")), class_name="group-legend"),
        rx.box(
            _select("owner", *options([(owner, f"action_plan.owner.{owner}") for owner in OWNERS])),
            _select("status", *options([(status, f"action_plan.status.{status}") for status in STATUSES])),
            class_name="fields-grid",
        ),
        _select(
            "link",
            rx.el.option(t("action_plan.link.none"), value=""),
            _link_group("action_plan.link.group.target", S.link_targets),
            _link_group("action_plan.link.group.course", S.link_courses),
            _link_group("action_plan.link.group.offer", S.link_offers),
        ),
        style=FIELDSET_STYLE,
        class_name="stack",
    )


def _editor() -> rx.Component:
    return kit_section(
        "plan-editor-title",
        rx.cond(S.editing_id != "", t("action_plan.form.edit_title"), t("action_plan.form.new_title")),
        rx.text(t("action_plan.form.help"), class_name="field-help"),
        form_messages(S.form_error, S.notice),
        rx.el.form(
            *[_part(part, fields) for part, fields in PARTS],
            _milestones_editor(),
            _details_part(),
            save_and_cancel("action_plan.form.save", "action_plan.form.cancel", S.cancel_edit),
            on_submit=S.save,
            reset_on_submit=False,
            class_name="stack",
            margin_top="0.75rem",
        ),
        level=3,
        surface=False,
        focusable_heading=True,
        class_name="stack edit-form",
    )


# ---------------------------------------------------------------- the list


def _milestone_item(item: rx.Var) -> rx.Component:
    box_id = "plan-ms-" + item["id"].to(str)
    done = item["done"]
    return rx.el.li(
        rx.el.input(
            type="checkbox",
            id=box_id,
            checked=done,
            disabled=~S.plan_editable,
            on_change=lambda _: S.toggle_milestone(item["id"].to(str), ~done),
            class_name="skill-checkbox",
        ),
        rx.el.label(item["text"], html_for=box_id, style={"text_decoration": rx.cond(done, "line-through", "none")}),
        class_name="skill-choice",
    )


def _detail(key: str, value: rx.Var) -> rx.Component:
    return rx.cond(
        value.to(str) != "",
        rx.fragment(rx.el.dt(t(key), style={"font_weight": "600"}), rx.el.dd(value, class_name="prose")),
    )


# A move's direction: (the row's flag that forbids it, its step in the list).
MOVES = {"up": ("first", -1), "down": ("last", 1)}


def _move_button(row: rx.Var, direction: str) -> rx.Component:
    """Move an action one place ``direction`` ("up" or "down") in the list, not past its end."""
    action_id = row["id"].to(str)
    at_end, step = MOVES[direction]
    return rx.button(
        rx.icon(f"arrow-{direction}", size=16, aria_hidden="true"),
        t(f"action_plan.move_{direction}"),
        type="button",
        size="2",
        variant="outline",
        id=f"plan-{direction}-" + action_id,
        disabled=row[at_end],
        on_click=S.move(action_id, step),
        aria_label=tf(f"action_plan.move_{direction}_label", title=row["title"].to(str)),
    )


def _card_controls(row: rx.Var) -> rx.Component:
    action_id = row["id"].to(str)
    title = row["title"].to(str)
    status_id = "plan-status-" + action_id
    return rx.flex(
        field_box(
            status_id,
            t("action_plan.field.status"),
            select_control(
                *options([(status, f"action_plan.status.{status}") for status in STATUSES]),
                id=status_id,
                value=row["status"].to(str),
                on_change=lambda value: S.change_status(action_id, value),
                aria_label=tf("action_plan.status_of", title=title),
            ),
        ),
        rx.flex(
            rx.button(
                t("action_plan.edit"),
                type="button",
                size="2",
                id="plan-edit-" + action_id,
                on_click=S.open_edit(action_id),
                aria_label=tf("action_plan.edit_label", title=title),
            ),
            _move_button(row, "up"),
            _move_button(row, "down"),
            rx.button(
                t("action_plan.delete"),
                type="button",
                size="2",
                variant="soft",
                color_scheme="red",
                id="plan-delete-" + action_id,
                on_click=S.ask_delete(action_id),
                aria_label=tf("action_plan.delete_label", title=title),
            ),
            style=ROW_STYLE,
        ),
        confirm_dialog(
            open=S.confirm_delete_id == action_id,
            title=t("action_plan.delete"),
            description=t("action_plan.delete_confirm"),
            confirm_label=t("action_plan.delete_yes"),
            cancel_label=t("action_plan.delete_no"),
            on_confirm=S.confirm_delete,
            on_cancel=S.cancel_delete,
            cancel_id="plan-delete-no-" + action_id,
        ),
        direction="column",
        gap="0.75rem",
        margin_top="0.75rem",
        class_name="no-print",
    )


def _card(row: rx.Var, index: rx.Var) -> rx.Component:
    heading_id = "plan-action-" + row["id"].to(str)
    complete = row["complete"]
    return rx.el.li(
        rx.el.article(
            rx.heading(row["number"], " : ", row["title"], as_="h3", size="4", id=heading_id),
            rx.flex(
                rx.cond(
                    complete,
                    tone_badge(t("action_plan.badge.complete"), "success"),
                    tone_badge(t("action_plan.badge.incomplete"), "warning"),
                ),
                status_badge("action", row["status"], row["status_label"]),
                rx.cond(row["overdue"], tone_badge(t("action_plan.badge.overdue"), "danger", "clock")),
                style=ROW_STYLE,
                margin="0.4rem 0",
            ),
            rx.text(row["owner_label"], " · ", row["deadline_label"], size="2"),
            rx.cond(row["link_label"].to(str) != "", rx.text(row["link_label"], size="2")),
            rx.cond(
                S.action_missing[index].length() > 0,
                rx.box(
                    rx.text(t("action_plan.missing_title"), weight="bold", size="2"),
                    rx.el.ul(rx.foreach(S.action_missing[index], lambda text: rx.el.li(text)), style=GAP_STYLE),
                    margin_top="0.5rem",
                ),
            ),
            rx.cond(
                S.action_hints[index].length() > 0,
                rx.box(
                    rx.text(t("action_plan.hints_title"), weight="bold", size="2"),
                    rx.el.ul(rx.foreach(S.action_hints[index], lambda text: rx.el.li(text)), class_name="muted"),
                    margin_top="0.5rem",
                ),
            ),
            rx.cond(
                S.action_milestones[index].length() > 0,
                rx.el.fieldset(
                    rx.el.legend(t("action_plan.milestones"), style={"font_weight": "600"}),
                    rx.el.ul(rx.foreach(S.action_milestones[index], _milestone_item), style=LIST_STYLE),
                    style={"border": "none", "padding": "0", "margin": "0.75rem 0 0"},
                ),
            ),
            rx.el.details(
                rx.el.summary(t("action_plan.card.details")),
                rx.el.dl(
                    _detail("action_plan.field.description", row["description"]),
                    _detail("action_plan.field.indicator", row["indicator"]),
                    _detail("action_plan.field.means", row["means"]),
                    _detail("action_plan.field.project_link", row["project_link"]),
                ),
                margin_top="0.75rem",
            ),
            rx.cond(S.plan_editable, _card_controls(row)),
            aria_labelledby=heading_id,
        ),
        class_name="panel",
        style={"border_left": rx.cond(complete, "4px solid #15803d", "4px solid #c2410c"), "margin": "0"},
    )


def _actions() -> rx.Component:
    return section(
        "plan-list-title",
        t("action_plan.list_title"),
        rx.text(S.plan_summary),
        rx.cond(
            S.plan_editable & ~S.editor_open,
            rx.button(
                rx.icon("plus", size=16, aria_hidden="true"),
                t("action_plan.new"),
                type="button",
                size="3",
                id="plan-new",
                on_click=S.open_new,
                margin_top="0.75rem",
                class_name="no-print",
            ),
        ),
        rx.cond(S.editor_open, _editor()),
        list_or_empty(
            S.actions, _card, rx.text(t("action_plan.empty"), margin_top="0.75rem"), tag=rx.el.ol, style=LIST_STYLE
        ),
    )


def _suggestion(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.box(
            rx.el.strong(item["title"]),
            rx.text(item["source"], " · ", item["description"], size="2", class_name="muted"),
        ),
        rx.button(
            t("action_plan.suggestions.add"),
            type="button",
            size="2",
            variant="outline",
            on_click=S.add_suggestion(item["key"].to(str)),
            aria_label=tf("action_plan.suggestions.add_label", title=item["title"].to(str)),
        ),
        class_name="skill-row",
    )


def _suggestions() -> rx.Component:
    return rx.cond(
        S.plan_editable & (S.suggestions.length() > 0),
        section(
            "plan-suggestions-title",
            t("action_plan.suggestions.title"),
            rx.text(t("action_plan.suggestions.help")),
            rx.el.ul(rx.foreach(S.suggestions, _suggestion), style=LIST_STYLE),
        ),
    )


def _history_row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item["date"], style={"white_space": "nowrap"}),
        rx.el.td(item["author"], " (", item["role"], ")"),
        rx.el.td(item["action"]),
        rx.el.td(item["change"], class_name="prose"),
    )


def _history() -> rx.Component:
    headers = [f"action_plan.history.{key}" for key in ("col_date", "col_author", "col_action", "col_change")]
    return section(
        "plan-history-title",
        t("action_plan.history.heading"),
        rx.cond(
            S.history.length() > 0,
            rx.el.details(
                rx.el.summary(tf("action_plan.history.show", count=S.history.length().to_string())),
                data_table("action_plan.history.caption", headers, S.history, _history_row, stack=False),
                id="plan-history",
            ),
            rx.text(t("action_plan.history.empty")),
        ),
    )


# ---------------------------------------------------------------- the page


def _links() -> rx.Component:
    return back_links(
        S.plan_follower,
        rx.link(t("action_plan.back"), href=S.bilan_href),
        rx.link(t("action_plan.back_home"), href=routes.BENEFICIARY_HOME),
    )


def _ready() -> rx.Component:
    return rx.box(
        rx.match(
            S.plan_phase,
            (
                "too_early",
                rx.callout(t("action_plan.too_early_notice"), color_scheme="blue", role="note", margin_top="1em"),
            ),
            ("closed", rx.callout(t("action_plan.closed_notice"), color_scheme="gray", role="note", margin_top="1em")),
            rx.fragment(),
        ),
        rx.cond(~S.editor_open, form_messages(S.form_error, S.notice)),
        rx.el.p(S.saved_message, role="status", aria_live="polite", class_name="save-status"),
        _actions(),
        _suggestions(),
        _history(),
    )


PLAN_PDF_PREFIX = routes.BILAN_DOCUMENT.split("[bilan_id]")[0]


def _plan_page() -> rx.Component:
    return rx.box(
        rx.cond(S.plan_follower, page_title("action_plan.title"), page_title("action_plan.title_mine")),
        rx.cond(
            S.plan_beneficiary != "",
            rx.text(tf("action_plan.beneficiary", name=S.plan_beneficiary), class_name="lead"),
        ),
        rx.text(rx.cond(S.plan_follower, t("action_plan.intro_follower"), t("action_plan.intro")), margin="0.5em 0"),
        _links(),
        rx.cond(
            (S.plan_status == "ready") & (S.plan_bilan_id != ""),
            download_link(PLAN_PDF_PREFIX + S.plan_bilan_id.to(str) + "/documents/plan", "doc.record.plan_download"),
        ),
        rx.match(
            S.plan_status,
            ("ready", _ready()),
            ("none", rx.callout(t("action_plan.none"), color_scheme="blue", role="status", margin_top="1em")),
            ("missing", form_messages(S.form_error, S.notice)),
            loading(),
        ),
    )


for _route in (routes.PLAN, routes.BILAN_PLAN):  # the beneficiary's, the followers'
    screen(_route, on_load=S.load)(_plan_page)
