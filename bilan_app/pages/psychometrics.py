"""Psychometric tests: the beneficiary's list with results, taking one test (pages of ten items), and
the followers' page of a bilan's tests (``/bilans/[bilan_id]/tests``: raw scores, profile charts)."""

from __future__ import annotations

import reflex as rx

from components.charts import bar_chart
from components.forms import choice, form_messages
from components.i18n import label, t, tf
from components.layout import loading, page_title, screen
from components.listing import PLAIN_LIST_STYLE, list_or_empty, table_region
from components.page import definition, definition_list, section
from services import routes
from state.psychometrics import BilanTestsState, TestSessionState, TestsState

# ---------------------------------------------------------------- the list


def _instrument(item: rx.Var) -> rx.Component:
    action = rx.match(
        item["state"],
        (
            "completed",
            rx.el.p(rx.el.strong(t("psy.ui.done"))),
        ),
        (
            "in_progress",
            rx.link(
                rx.button(
                    tf("psy.ui.resume", answered=item["answered"].to(str), total=item["total"].to(str)),
                    size="3",
                    tab_index=-1,
                ),
                href=item["href"],
                aria_label=tf(
                    "psy.ui.resume_named",
                    title=item["title"].to(str),
                    answered=item["answered"].to(str),
                    total=item["total"].to(str),
                ),
                class_name="button-link",
            ),
        ),
        rx.link(
            rx.button(t("psy.ui.start"), size="3", tab_index=-1),
            href=item["href"],
            aria_label=tf("psy.ui.start_named", title=item["title"].to(str)),
            class_name="button-link",
        ),
    )
    return rx.el.li(
        rx.heading(item["title"], as_="h3", size="4"),
        rx.text(tf("psy.ui.item_count", count=item["count"].to(str)), class_name="muted"),
        rx.text(item["instructions"]),
        rx.text(rx.el.strong(t("psy.source"), " : "), item["source"], size="2", class_name="muted"),
        rx.text(item["licence"], size="2", class_name="muted"),
        rx.box(action, margin_top="0.5em"),
        style={"padding": "0.75rem 0", "border_bottom": "1px solid var(--gray-5)"},
    )


def _dimension(dimension: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(dimension["label"]),
        rx.cond(
            dimension["level"] != "",
            rx.el.span(" — ", tf("psy.ui.level", level=label("psy.level.", dimension["level"]))),
        ),
        rx.text(dimension["interpretation"]),
        style={"margin_bottom": "0.75rem"},
    )


def _result(result: rx.Var, index: rx.Var) -> rx.Component:
    heading_id = "result-" + result["id"].to(str)
    return rx.el.article(
        rx.heading(result["title"], as_="h3", size="4", id=heading_id),
        rx.text(tf("psy.ui.completed_on", date=result["date"].to(str)), class_name="muted"),
        rx.cond(
            result["holland_code"] != "",
            rx.text(rx.el.strong(t("psy.holland_code"), " : "), result["holland_code"]),
        ),
        rx.cond(
            TestsState.result_charts[index].length() > 0,
            bar_chart(TestsState.result_charts[index], t("psy.follow.chart_title")),
        ),
        rx.el.ol(rx.foreach(TestsState.result_dimensions[index], _dimension)),
        rx.callout(result["disclaimer"], color_scheme="blue", size="1"),
        rx.text(rx.el.strong(t("psy.source"), " : "), result["source"], size="2", class_name="muted"),
        aria_labelledby=heading_id,
        style={"padding": "0.75rem 0", "border_bottom": "1px solid var(--gray-5)"},
    )


def _tests() -> rx.Component:
    return rx.box(
        page_title("psy.ui.list_title"),
        rx.text(t("psy.ui.list_lead"), class_name="lead"),
        form_messages(TestsState.form_error, TestsState.notice),
        rx.match(
            TestsState.tests_status,
            ("none", rx.callout(t("psy.ui.no_bilan"), color_scheme="blue")),
            (
                "ready",
                rx.box(
                    section(
                        "tests-instruments",
                        t("psy.ui.instruments_title"),
                        rx.el.ul(rx.foreach(TestsState.instruments, _instrument), style=PLAIN_LIST_STYLE),
                    ),
                    section(
                        "tests-results",
                        t("psy.ui.results_title"),
                        list_or_empty(TestsState.results, _result, rx.text(t("psy.ui.no_results")), tag=rx.box),
                    ),
                ),
            ),
            loading(),
        ),
        rx.link(t("questionnaire.back"), href=routes.BENEFICIARY_HOME, display="block", margin_top="1em"),
    )


screen(routes.TESTS, on_load=TestsState.load)(_tests)


# ---------------------------------------------------------------- taking a test


def _choice(question: rx.Var, option: rx.Var) -> rx.Component:
    item_id = question["item_id"].to(str)
    return choice(
        "radio",
        option["label"],
        name="answer-" + item_id,
        value=option["value"],
        checked=question["answer"] == option["value"],
        on_change=lambda _value: TestSessionState.save_answer(item_id, option["value"].to(str)),
    )


def _question(question: rx.Var) -> rx.Component:
    item_id = question["item_id"].to(str)
    errors = TestSessionState.errors
    has_error = errors.contains(item_id)
    error_id = "error-" + item_id
    return rx.el.fieldset(
        rx.el.legend(
            rx.el.span(tf("psy.ui.question", number=question["number"].to(str)), class_name="muted"),
            rx.el.br(),
            question["text"],
        ),
        rx.cond(has_error, rx.text(errors[item_id], id=error_id, class_name="field-error")),
        rx.box(rx.foreach(TestSessionState.scale, lambda option: _choice(question, option))),
        id="item-" + item_id,
        aria_describedby=rx.cond(has_error, error_id, ""),
        style={"margin_bottom": "1rem"},
    )


def _missing_summary() -> rx.Component:
    return rx.cond(
        TestSessionState.missing.length() > 0,
        rx.box(
            rx.heading(t("psy.ui.missing_title"), as_="h2", size="4", id="missing-title"),
            rx.el.ul(
                rx.foreach(
                    TestSessionState.missing,
                    lambda q: rx.el.li(
                        rx.el.button(
                            tf("psy.ui.missing_goto", number=q["number"].to(str)),
                            type="button",
                            on_click=TestSessionState.go_to_item(q["item_id"].to(str)),
                            class_name="link-button",
                            style={
                                "background": "none",
                                "border": "none",
                                "padding": "0",
                                "color": "var(--accent-11)",
                                "text_decoration": "underline",
                                "cursor": "pointer",
                            },
                        ),
                        " — ",
                        q["text"],
                    ),
                ),
                style={"margin": "0.5rem 0 0 1.25rem"},
            ),
            class_name="panel",
            role="region",
            aria_labelledby="missing-title",
            margin_bottom="1em",
        ),
    )


def _pager() -> rx.Component:
    state = TestSessionState
    return rx.flex(
        rx.cond(
            state.has_previous,
            rx.button(t("psy.ui.previous_page"), type="button", variant="soft", size="3", on_click=state.previous_page),
        ),
        rx.cond(
            state.has_next,
            rx.button(t("psy.ui.next_page"), type="button", variant="soft", size="3", on_click=state.next_page),
        ),
        rx.button(t("psy.ui.finish"), type="button", size="3", on_click=state.finish),
        gap="0.75rem",
        wrap="wrap",
        margin_top="1em",
    )


def _test_body() -> rx.Component:
    state = TestSessionState
    return rx.box(
        rx.text(state.instrument_instructions, class_name="lead"),
        rx.el.p(
            tf("psy.ui.answered", answered=state.answered.to(str), total=state.total.to(str)),
            " · ",
            tf(
                "psy.ui.page_range",
                first=state.first_number,
                last=state.last_number,
                total=state.total.to(str),
            ),
            id="test-progress",
            tab_index=-1,
            style={"font_weight": "600"},
        ),
        rx.el.progress(
            value=state.answered,
            max=state.total,
            aria_label=tf("psy.ui.answered", answered=state.answered.to(str), total=state.total.to(str)),
            style={"width": "100%", "max_width": "24rem"},
        ),
        _missing_summary(),
        rx.box(rx.foreach(state.page_questions, _question), class_name="panel", margin_top="1em"),
        rx.el.p(state.saved_message, role="status", aria_live="polite", class_name="muted"),
        _pager(),
    )


def _test_session() -> rx.Component:
    state = TestSessionState
    return rx.box(
        rx.cond(
            state.instrument_title != "",
            rx.heading(state.instrument_title, as_="h1", size="7", margin_bottom="0.5em"),
            page_title("psy.title"),
        ),
        form_messages(state.form_error, state.notice),
        rx.match(
            state.session_status,
            ("none", rx.callout(t("psy.ui.no_bilan"), color_scheme="blue")),
            ("unknown", rx.callout(t("psy.ui.not_found"), color_scheme="blue", role="alert")),
            ("ready", _test_body()),
            loading(),
        ),
        rx.link(t("psy.ui.back"), href=routes.TESTS, display="block", margin_top="1.5em"),
    )


screen(routes.TEST_SESSION, on_load=TestSessionState.load)(_test_session)


# ---------------------------------------------------------------- the followers' page of a bilan's tests


def _in_progress(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(item["title"]),
        " (",
        tf("psy.follow.version", version=item["version"].to(str)),
        ")",
        rx.el.br(),
        rx.text(
            tf(
                "psy.follow.in_progress_item",
                answered=item["answered"].to(str),
                total=item["total"].to(str),
                started=item["started"].to(str),
                updated=item["updated"].to(str),
            ),
            as_="span",
            class_name="muted",
        ),
        style={"padding": "0.5rem 0", "border_bottom": "1px solid var(--gray-5)"},
    )


def _score_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["rank"]),
        rx.el.th(row["label"], scope="row"),
        rx.el.td(row["raw"]),
        rx.el.td(row["normalised"]),
        rx.el.td(rx.cond(row["level"] != "", label("psy.level.", row["level"]), "—")),
    )


def _scores_table(result: rx.Var, index: rx.Var) -> rx.Component:
    caption = tf("psy.follow.table_caption", title=result["title"].to(str))
    headers = ["psy.follow.col_rank", "psy.follow.col_dimension", "psy.raw_score", "psy.normalised_score"]
    return table_region(
        caption,
        rx.el.table(
            rx.el.caption(caption, class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(*[rx.el.th(t(key), scope="col") for key in [*headers, "psy.follow.col_level"]]),
            ),
            rx.el.tbody(rx.foreach(BilanTestsState.followed_dimensions[index], _score_row)),
            class_name="data-table",
        ),
    )


def _interpretation(row: rx.Var) -> rx.Component:
    return definition(row["label"], row["interpretation"])


def _followed_result(result: rx.Var, index: rx.Var) -> rx.Component:
    heading_id = "followed-" + result["id"].to(str)
    return rx.el.article(
        rx.heading(result["title"], as_="h3", size="4", id=heading_id),
        rx.text(
            tf("psy.follow.version", version=result["version"].to(str)),
            " · ",
            tf("psy.ui.completed_on", date=result["date"].to(str)),
            class_name="muted",
        ),
        rx.cond(
            result["holland_code"] != "",
            rx.text(
                rx.el.strong(t("psy.holland_code"), " : "),
                tf(
                    "psy.follow.holland_types",
                    code=result["holland_code"].to(str),
                    names=result["holland_names"].to(str),
                ),
            ),
        ),
        bar_chart(
            BilanTestsState.followed_charts[index],
            t("psy.follow.chart_title"),
            label_header=t("psy.follow.col_dimension"),
            value_header=t("psy.raw_score"),
        ),
        _scores_table(result, index),
        rx.text(result["scoring"], size="2", class_name="muted", margin_top="0.5em"),
        rx.heading(t("psy.follow.interpretations_title"), as_="h4", size="3", margin_top="1em"),
        definition_list(rx.foreach(BilanTestsState.followed_dimensions[index], _interpretation)),
        rx.callout(result["disclaimer"], color_scheme="blue", size="1"),
        rx.text(rx.el.strong(t("psy.source"), " : "), result["source"], size="2", class_name="muted"),
        rx.text(rx.el.strong(t("psy.licence"), " : "), result["licence"], size="2", class_name="muted"),
        aria_labelledby=heading_id,
        style={"padding": "0.75rem 0 1.25rem", "border_bottom": "1px solid var(--gray-5)"},
    )


def _bilan_tests() -> rx.Component:
    state = BilanTestsState
    back = rx.link(t("psy.follow.back"), href=state.bilan_href)
    return rx.match(
        state.follow_status,
        (
            "ready",
            rx.box(
                rx.heading(tf("psy.follow.title", name=state.followed_beneficiary), as_="h1", size="7"),
                back,
                form_messages(state.form_error, state.notice),
                rx.text(t("psy.follow.lead"), class_name="lead", margin_top="0.75em"),
                section(
                    "followed-in-progress",
                    t("psy.follow.in_progress_title"),
                    list_or_empty(
                        state.followed_in_progress,
                        _in_progress,
                        rx.text(t("psy.follow.no_in_progress")),
                        style=PLAIN_LIST_STYLE,
                    ),
                ),
                section(
                    "followed-results",
                    t("psy.follow.results_title"),
                    list_or_empty(
                        state.followed_results,
                        _followed_result,
                        rx.callout(t("psy.follow.no_results"), color_scheme="gray", role="status"),
                        tag=rx.box,
                    ),
                ),
            ),
        ),
        (
            "missing",
            rx.box(page_title("psy.follow.page_title"), form_messages(state.form_error, state.notice), back),
        ),
        loading(),
    )


screen(routes.BILAN_TESTS, on_load=BilanTestsState.load)(_bilan_tests)
