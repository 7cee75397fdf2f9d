"""The consultant's validation of the skills self-assessment (``/bilans/[bilan_id]/competences``) and
the skills map, one page for two readers: the beneficiary (``/mon-espace/cartographie``, once
validated) and the followers (``/bilans/[bilan_id]/cartographie``, marked as a draft until then).

Styles: the "skills review and map" block of assets/styles.css (cards, the matrix, print)."""

from __future__ import annotations

import reflex as rx

from components.actions import save_and_cancel
from components.charts import bar_chart
from components.forms import error_slot, field_box, form_messages, row_options, select_control
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import PLAIN_LIST_STYLE, list_or_empty, table_region, text_row
from components.page import section
from components.readers import back_links
from components.tables import data_table
from services import routes
from services.skills.scales import CRITERIA, criterion_key
from state.skills_review import SkillsMapState, SkillsReviewState

GROUP_HEADERS = ("skills.map.group", "skills.map.count", "skills.map.average", "skills.map.strong")


def _status_panel() -> rx.Component:
    state = SkillsReviewState
    info = state.review_info
    return section(
        "review-status-title",
        tf("skills.review.status", status=info["label"].to(str)),
        rx.cond(info["submitted"].to(str) != "", rx.text(info["submitted"].to(str))),
        rx.cond(info["validated"].to(str) != "", rx.text(info["validated"].to(str))),
        rx.flex(
            rx.cond(
                state.can_validate,
                rx.button(t("skills.review.validate"), type="button", size="3", on_click=state.validate_assessment),
            ),
            rx.cond(
                state.can_reopen,
                rx.button(
                    t("skills.review.reopen"),
                    type="button",
                    size="3",
                    variant="outline",
                    on_click=state.reopen_assessment,
                ),
            ),
            rx.link(t("skills.review.map"), href=state.map_href),
            gap="1rem",
            align="center",
            wrap="wrap",
            margin_top="0.75em",
            class_name="no-print",
        ),
        focusable_heading=True,
    )


def _experience(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(item["title"]),
        " · ",
        item["kind"],
        rx.cond(item["period"].to(str) != "", rx.el.span(" · ", item["period"])),
        rx.cond(
            (item["metier"].to(str) != "") & (item["metier"].to(str) != item["title"].to(str)),
            rx.text(t("skills.field.metier"), " : ", item["metier"], class_name="muted"),
        ),
        rx.cond(item["place"].to(str) != "", rx.text(item["place"], class_name="muted")),
        rx.cond(item["description"].to(str) != "", rx.text(item["description"], class_name="prose")),
        class_name="skills-experience",
    )


def _rating_row(row: rx.Var) -> rx.Component:
    adjusted = row["adjusted"]
    return rx.el.tr(
        rx.el.th(row["label"], scope="row"),
        rx.el.td(row["self"], class_name=rx.cond(adjusted, "rating-self rating-replaced", "rating-self")),
        rx.el.td(
            rx.cond(
                adjusted,
                rx.fragment(
                    rx.el.strong(row["consultant"]),
                    " ",
                    rx.el.span(t("skills.review.adjusted_tag"), class_name="rating-tag"),
                ),
                rx.fragment(
                    rx.el.span("—", aria_hidden="true"),
                    rx.el.span(t("skills.review.kept_self"), class_name="sr-only"),
                ),
            ),
            class_name=rx.cond(adjusted, "rating-consultant rating-effective", "rating-consultant"),
        ),
    )


def _adjust_form() -> rx.Component:
    state = SkillsReviewState
    errors = state.errors
    value_error, comment_error = errors.contains("value"), errors.contains("comment")
    return rx.form(
        rx.heading(
            tf("skills.review.adjust_title", skill=state.adjusting_skill_name),
            as_="h4",
            size="3",
            id="adjust-title",
        ),
        rx.cond(
            state.form_error != "",
            rx.callout(state.form_error, color_scheme="red", role="alert", class_name="form-alert"),
        ),
        field_box(
            "adjust-criterion",
            t("skills.review.criterion"),
            select_control(
                row_options(state.criterion_choices),
                id="adjust-criterion",
                name="criterion",
                default_value=state.adjust_criterion,
                on_change=state.set_adjust_criterion,
            ),
        ),
        field_box(
            "adjust-value",
            t("skills.review.value"),
            # Uncontrolled, so that a state update still on its way (the criterion's) cannot put back the
            # old value the moment before the form is sent; a new criterion brings its own value (key).
            select_control(
                row_options(state.value_choices),
                id="adjust-value",
                name="value",
                key=state.adjusting_skill_id + "-" + state.adjust_criterion,
                default_value=state.adjust_value,
                on_change=state.set_adjust_value,
                has_error=value_error,
                error_id="adjust-value-error",
            ),
            error_slot("adjust-value-error", value_error, errors["value"]),
        ),
        field_box(
            "adjust-comment",
            t("skills.review.comment"),
            rx.el.textarea(
                id="adjust-comment",
                name="comment",
                default_value=state.adjust_comment,
                rows=3,
                max_length=1000,
                aria_required="true",
                aria_invalid=rx.cond(comment_error, "true", "false"),
                aria_describedby=rx.cond(comment_error, "adjust-comment-error", ""),
                class_name=rx.cond(comment_error, "field-input field-input-error", "field-input"),
            ),
            rx.cond(
                comment_error,
                rx.text(errors["comment"], id="adjust-comment-error", class_name="field-error"),
            ),
            required=True,
        ),
        save_and_cancel("skills.review.save", "skills.review.cancel", state.cancel_adjust),
        on_submit=state.save_adjust,
        reset_on_submit=False,
        id="adjust-form",
        aria_labelledby="adjust-title",
        class_name="skills-adjust-form edit-form stack",
    )


def _skill_card(skill: rx.Var, index: rx.Var) -> rx.Component:
    state = SkillsReviewState
    skill_id = skill["id"].to(str)
    heading_id = "skill-" + skill_id
    open_here = state.adjusting_skill_id == skill_id
    caption = tf("skills.review.rating_caption", skill=skill["libelle"].to(str))
    return rx.el.li(
        rx.el.article(
            rx.heading(skill["libelle"], as_="h3", size="4", id=heading_id),
            rx.text(
                skill["kind"],
                rx.cond(skill["domaine"].to(str) != "", rx.el.span(" · ", skill["domaine"])),
                rx.cond(skill["core"], rx.el.span(" · ", t("skills.map.core"))),
                class_name="muted",
                size="2",
            ),
            rx.cond(
                ~skill["complete"],
                rx.text(t("skills.evaluation.incomplete"), class_name="skills-incomplete", size="2"),
            ),
            rx.el.table(
                rx.el.caption(caption, class_name="sr-only"),
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th(t("skills.review.criterion"), scope="col"),
                        rx.el.th(t("skills.review.self"), scope="col"),
                        rx.el.th(t("skills.review.consultant"), scope="col"),
                    )
                ),
                rx.el.tbody(rx.foreach(state.review_ratings[index], _rating_row)),
                class_name="data-table skills-rating-table",
            ),
            rx.cond(
                state.can_adjust,
                rx.button(
                    t("skills.review.adjust"),
                    type="button",
                    variant="outline",
                    size="2",
                    id="adjust-" + skill_id,
                    aria_label=tf("skills.review.adjust_title", skill=skill["libelle"].to(str)),
                    aria_expanded=rx.cond(open_here, "true", "false"),
                    on_click=state.open_adjust(skill_id),
                    margin_top="0.75em",
                    class_name="no-print",
                ),
            ),
            rx.cond(open_here, _adjust_form()),
            aria_labelledby=heading_id,
        ),
        class_name="skills-card",
    )


def _history_row(item: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item["date"], style={"white_space": "nowrap"}),
        rx.el.td(item["author"], " (", item["role"], ")"),
        rx.el.td(item["skill"]),
        rx.el.td(item["change"]),
        rx.el.td(item["comment"], class_name="changes"),
    )


def _review_body() -> rx.Component:
    state = SkillsReviewState
    return rx.box(
        _status_panel(),
        section(
            "review-parcours",
            t("skills.review.parcours"),
            list_or_empty(
                state.review_experiences, _experience, rx.text(t("skills.parcours.empty")), style=PLAIN_LIST_STYLE
            ),
        ),
        section(
            "review-skills",
            t("skills.review.skills"),
            rx.el.p(state.saved_message, role="status", aria_live="polite", class_name="skills-saved"),
            list_or_empty(
                state.review_skills, _skill_card, rx.text(t("skills.review.no_skills")), class_name="skills-cards"
            ),
        ),
        section(
            "review-history",
            t("skills.review.history"),
            data_table(
                "skills.review.history",
                [
                    "skills.history.col_date",
                    "skills.history.col_author",
                    "skills.table.skill",
                    "skills.history.col_change",
                    "skills.history.col_comment",
                ],
                state.review_history,
                _history_row,
                empty_key="skills.review.history_empty",
            ),
        ),
    )


def _title(title_key: str, beneficiary: rx.Var) -> rx.Component:
    """The page's h1, then whose skills they are (for a follower; empty for the beneficiary herself)."""
    return rx.fragment(
        page_title(title_key),
        rx.cond(beneficiary != "", rx.text(tf("skills.review.beneficiary", name=beneficiary), class_name="lead")),
    )


def _review_heading() -> rx.Component:
    state = SkillsReviewState
    return rx.fragment(
        _title("skills.review.title", state.review_beneficiary),
        rx.link(t("skills.review.back"), href=state.bilan_href, class_name="no-print"),
    )


def _skills_review() -> rx.Component:
    state = SkillsReviewState
    return rx.box(
        rx.match(
            state.review_status,
            (
                "ready",
                rx.box(
                    _review_heading(),
                    # When the adjustment form is open, its message shows inside it.
                    rx.cond(state.adjusting_skill_id == "", form_messages(state.form_error, state.notice)),
                    _review_body(),
                ),
            ),
            (
                "empty",
                rx.box(
                    _review_heading(),
                    form_messages(state.form_error, state.notice),
                    rx.callout(t("skills.review.not_started"), color_scheme="blue", role="status", margin_top="1em"),
                ),
            ),
            (
                "missing",
                rx.box(
                    page_title("skills.review.title"),
                    form_messages(state.form_error, state.notice),
                    rx.link(t("skills.review.back"), href=state.bilan_href),
                ),
            ),
            loading(),
        ),
    )


screen(routes.BILAN_SKILLS, on_load=SkillsReviewState.load)(_skills_review)


# ---------------------------------------------------------------- the skills map


def _group_row(row: rx.Var) -> rx.Component:
    return text_row(row, "label", "count", "average", "strong")


def _group_chart(heading_id: str, title_key: str, chart: rx.Var, groups: rx.Var) -> rx.Component:
    """A bar per group (its number of skills) and the same figures as a table."""
    caption = t(title_key)
    return section(
        heading_id,
        caption,
        bar_chart(
            chart,
            t("skills.map.chart_caption"),
            label_header=t("skills.map.group"),
            value_header=t("skills.map.count"),
            table=False,
        ),
        rx.el.details(
            rx.el.summary(t("chart.show_table")),
            rx.box(
                rx.el.table(
                    rx.el.caption(caption),
                    rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key in GROUP_HEADERS])),
                    rx.el.tbody(rx.foreach(groups, _group_row)),
                    class_name="data-table",
                ),
                class_name="table-scroll",
            ),
            class_name="bc-chart-data skills-chart-data",
        ),
    )


def _matrix_cell(cell: rx.Var, row_index: rx.Var, column_index: rx.Var) -> rx.Component:
    names = SkillsMapState.matrix_skills[row_index][column_index]
    return rx.el.td(
        rx.el.span(cell["zone_label"], class_name="skills-zone-tag"),
        list_or_empty(
            names,
            lambda name: rx.el.li(name),
            rx.el.p(t("skills.map.zone_empty"), class_name="muted"),
            class_name="skills-matrix-list",
        ),
        class_name="skills-matrix-cell skills-zone-" + cell["zone"].to(str),
    )


def _matrix_row(label_text: rx.Var, row_index: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(label_text, scope="row"),
        rx.foreach(
            SkillsMapState.matrix_cells[row_index],
            lambda cell, column_index: _matrix_cell(cell, row_index, column_index),
        ),
    )


def _matrix() -> rx.Component:
    state = SkillsMapState
    caption = t("skills.map.matrix_caption")
    return table_region(
        caption,
        rx.el.table(
            rx.el.caption(caption),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(t("skills.criterion.maitrise"), scope="col"),
                    rx.foreach(state.matrix_columns, lambda column: rx.el.th(column, scope="col")),
                )
            ),
            rx.el.tbody(rx.foreach(state.matrix_rows, _matrix_row)),
            class_name="data-table skills-matrix",
        ),
        class_name="table-scroll skills-matrix-scroll",
    )


def _zone_skill(skill: rx.Var) -> rx.Component:
    return rx.el.li(
        skill["libelle"],
        rx.el.span(" · ", skill["domain"], class_name="muted"),
        rx.cond(skill["core"], rx.el.span(" · ", t("skills.map.core"), class_name="muted")),
    )


def _zone(head: rx.Var, index: rx.Var) -> rx.Component:
    heading_id = "zone-" + head["zone"].to(str)
    return section(
        heading_id,
        head["title"],
        list_or_empty(
            SkillsMapState.zone_skills[index],
            _zone_skill,
            rx.text(t("skills.map.zone_empty"), class_name="muted"),
            class_name="skills-zone-list",
        ),
        level=3,
        surface=False,
        class_name="skills-zone skills-zone-" + head["zone"].to(str),
    )


def _map_skill_row(skill: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            skill["libelle"],
            rx.cond(skill["core"], rx.el.span(" (", t("skills.map.core"), ")", class_name="muted")),
            scope="row",
        ),
        rx.el.td(skill["domain"]),
        rx.el.td(skill["category"]),
        *[rx.el.td(skill[criterion]) for criterion in CRITERIA],
        rx.el.td(skill["zone_label"]),
    )


def _map_table() -> rx.Component:
    headers = [
        "skills.table.skill",
        "skills.map.col_domain",
        "skills.map.col_category",
        *[criterion_key(criterion) for criterion in CRITERIA],
        "skills.map.col_zone",
    ]
    # A grid to compare: it keeps its columns on a phone and scrolls sideways.
    return data_table(
        "skills.map.list",
        headers,
        SkillsMapState.map_skills,
        _map_skill_row,
        stack=False,
        class_name="skills-map-table",
    )


def _map_body() -> rx.Component:
    state = SkillsMapState
    return rx.cond(
        state.map_skills.length() > 0,
        rx.box(
            _group_chart("map-domains", "skills.map.by_domain", state.domain_chart, state.domain_groups),
            _group_chart("map-categories", "skills.map.by_category", state.category_chart, state.category_groups),
            section(
                "map-matrix",
                t("skills.map.matrix"),
                rx.text(t("skills.map.matrix_help")),
                _matrix(),
                rx.box(rx.foreach(state.zone_heads, _zone), class_name="skills-zones"),
            ),
            section("map-list", t("skills.map.list"), _map_table()),
        ),
        rx.callout(t("skills.map.empty"), color_scheme="gray", role="status", margin_top="1em"),
    )


def _map_links() -> rx.Component:
    state = SkillsMapState
    return back_links(
        state.map_follower,
        rx.fragment(
            rx.link(t("skills.map.back_review"), href=state.review_href),
            rx.link(t("skills.review.back"), href=state.bilan_href),
        ),
        rx.link(t("questionnaire.back"), href=routes.BENEFICIARY_HOME),
    )


def _skills_map() -> rx.Component:
    state = SkillsMapState
    return rx.box(
        _title("skills.map.title", state.map_beneficiary),
        _map_links(),
        form_messages(state.form_error, state.notice),
        rx.match(
            state.map_status,
            (
                "ready",
                rx.box(
                    rx.cond(
                        state.map_validated,
                        rx.text(state.map_validated_on, margin_top="0.75em"),
                        rx.callout(
                            t("skills.map.not_validated"),
                            color_scheme="amber",
                            role="note",
                            margin_top="1em",
                            class_name="skills-draft",
                        ),
                    ),
                    rx.button(
                        rx.icon("printer", size=16, aria_hidden="true"),
                        t("skills.map.print"),
                        type="button",
                        size="3",
                        variant="outline",
                        on_click=rx.call_script("window.print()"),
                        margin_top="1em",
                        class_name="no-print",
                    ),
                    _map_body(),
                ),
            ),
            ("waiting", rx.callout(t("skills.map.waiting"), color_scheme="blue", role="status", margin_top="1em")),
            ("none", rx.callout(t("skills.no_bilan"), color_scheme="blue", role="status", margin_top="1em")),
            ("missing", rx.fragment()),
            loading(),
        ),
        class_name="skills-map",
    )


for _route in (routes.SKILLS_MAP, routes.BILAN_SKILLS_MAP):  # the beneficiary's, the followers'
    screen(_route, on_load=SkillsMapState.load)(_skills_map)
