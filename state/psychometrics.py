"""The beneficiary's psychometric questionnaires: the list with results, and taking one test.

The states only call services and assign the rows ``services.display.psychometrics`` builds from
their views (ids and display strings).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilans, routes
from services.access import Actor, Permission
from services.display.charts import ChartRow
from services.display.psychometrics import (
    ChoiceRow,
    DimensionRow,
    FollowedResultRow,
    InstrumentRow,
    ProgressRow,
    QuestionRow,
    ResultRow,
    ScoreRow,
    choice_rows,
    followed_chart_rows,
    followed_result_rows,
    followed_score_rows,
    instrument_rows,
    progress_rows,
    question_rows,
    result_chart_rows,
    result_dimension_rows,
    result_rows,
)
from services.psychometrics import service as psy
from state.session import FormMixin, SessionState, guarded

PAGE_SIZE = 10


# ---------------------------------------------------------------- the list, with the results


class TestsState(FormMixin, SessionState):
    tests_status: str = "loading"  # loading | none | ready
    instruments: list[InstrumentRow] = []
    results: list[ResultRow] = []
    result_dimensions: list[list[DimensionRow]] = []
    result_charts: list[list[ChartRow]] = []

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.tests_status = "none"
            self.instruments, self.results, self.result_dimensions, self.result_charts = [], [], [], []
            return None
        bilan_id = str(overview.bilan_id)
        locale = self.locale
        _, results = self._run(lambda: psy.results_for_bilan(actor, bilan_id, locale))
        results = results or []
        ok_sessions, sessions = self._run(lambda: psy.in_progress_sessions(actor, bilan_id, locale))
        in_progress = {view.instrument.id: (view.answered, view.total) for view in sessions or []}
        self.instruments = instrument_rows(
            psy.list_instruments(locale),
            in_progress if ok_sessions else {},
            {result.instrument_id for result in results},
        )
        self.results = result_rows(results, locale)
        self.result_dimensions = result_dimension_rows(results)
        self.result_charts = result_chart_rows(results, locale)
        if self.router.url.query_parameters.get("termine"):
            self.notice = self._t("psy.ui.finished")
        self.tests_status = "ready"
        return None


# ---------------------------------------------------------------- taking a test


class TestSessionState(FormMixin, SessionState):
    session_status: str = "loading"  # loading | ready | none | unknown
    instrument_title: str = ""
    instrument_instructions: str = ""
    scale: list[ChoiceRow] = []
    _questions: list[QuestionRow] = []  # every question; the page shows `page_questions`
    answered: int = 0
    total: int = 0
    page_index: int = 0
    saved_message: str = ""
    missing: list[QuestionRow] = []
    _session_id: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, (len(self._questions) + PAGE_SIZE - 1) // PAGE_SIZE)

    @rx.var
    def page_questions(self) -> list[QuestionRow]:
        start = self.page_index * PAGE_SIZE
        return self._questions[start : start + PAGE_SIZE]

    @rx.var
    def first_number(self) -> str:
        return str(self.page_index * PAGE_SIZE + 1) if self._questions else "0"

    @rx.var
    def last_number(self) -> str:
        return str(min(len(self._questions), (self.page_index + 1) * PAGE_SIZE))

    @rx.var
    def has_previous(self) -> bool:
        return self.page_index > 0

    @rx.var
    def has_next(self) -> bool:
        return (self.page_index + 1) * PAGE_SIZE < len(self._questions)

    def _show(self, view: psy.SessionView) -> None:
        self.instrument_title = view.instrument.title
        self.instrument_instructions = view.instrument.instructions
        self.scale = choice_rows(view)
        self._questions = question_rows(view)
        self.answered, self.total = view.answered, view.total

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self.missing = []
        self._session_id = ""
        self.page_index = 0
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.session_status = "none"
            return None
        instrument_id = self._route_param("instrument_id")
        if instrument_id not in {info.id for info in psy.list_instruments()}:
            self.session_status = "unknown"
            return None
        bilan_id, locale = str(overview.bilan_id), self.locale
        ok, view = self._run(lambda: psy.start_or_resume(actor, bilan_id, instrument_id, locale))
        if not ok:
            self.session_status = "none"
            return None
        self._session_id = str(view.id)
        self._show(view)
        # Resume on the page of the first unanswered question.
        first_open = next((i for i, q in enumerate(self._questions) if not q["answer"]), 0)
        self.page_index = first_open // PAGE_SIZE
        self.session_status = "ready"
        return None

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def save_answer(self, actor: Actor, item_id: str, value: str) -> Any:
        if not self._session_id:
            return None
        session_id, locale = self._session_id, self.locale
        self.form_error = ""
        ok, view = self._run(lambda: psy.save_answers(actor, session_id, {item_id: value}, locale), self.errors)
        if not ok:
            return None
        self._show(view)
        if item_id in self.errors:
            self.errors = {key: message for key, message in self.errors.items() if key != item_id}
        self.missing = [row for row in self.missing if row["item_id"] != item_id]
        self.saved_message = self._t("psy.ui.saved")
        return None

    def _scroll_top(self) -> Any:
        return rx.call_script("window.scrollTo(0, 0); document.getElementById('test-progress')?.focus()")

    @rx.event
    def next_page(self) -> Any:
        if self.has_next:
            self.page_index += 1
        return self._scroll_top()

    @rx.event
    def previous_page(self) -> Any:
        if self.page_index > 0:
            self.page_index -= 1
        return self._scroll_top()

    def _go_to(self, item_id: str) -> Any:
        for index, question in enumerate(self._questions):
            if question["item_id"] == item_id:
                self.page_index = index // PAGE_SIZE
                return rx.call_script(f"document.querySelector('#item-{item_id} input')?.focus()")
        return None

    @rx.event
    def go_to_item(self, item_id: str) -> Any:
        return self._go_to(item_id)

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def finish(self, actor: Actor) -> Any:
        self._reset_messages()
        self.missing = []
        session_id = self._session_id
        ok, _ = self._run(lambda: psy.complete(actor, session_id), self.errors)
        if ok:
            return rx.redirect(routes.TESTS + "?termine=1")
        if self.errors:
            self.form_error = self._t("psy.error.missing_answers", count=len(self.errors))
            self.missing = [q for q in self._questions if q["item_id"] in self.errors]
            first = self.missing[0]["item_id"] if self.missing else ""
            if first:
                return self._go_to(first)
        return rx.call_script("window.scrollTo(0, 0)")


# ---------------------------------------------------------------- the followers' view of a bilan's tests


class BilanTestsState(FormMixin, SessionState):
    """``/bilans/[bilan_id]/tests``: the consultant's (or org admin's) reading of the bilan's tests."""

    follow_status: str = "loading"  # loading | ready | missing
    followed_bilan_id: str = ""
    followed_beneficiary: str = ""
    followed_results: list[FollowedResultRow] = []
    followed_dimensions: list[list[ScoreRow]] = []
    followed_charts: list[list[ChartRow]] = []
    followed_in_progress: list[ProgressRow] = []

    @rx.var
    def bilan_href(self) -> str:
        return routes.bilan_page(self.followed_bilan_id) if self.followed_bilan_id else routes.CONSULTANT_HOME

    def _clear(self) -> None:
        self.followed_beneficiary = ""
        self.followed_results, self.followed_dimensions, self.followed_charts = [], [], []
        self.followed_in_progress = []

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.follow_status = "loading"
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            self._clear()
            return redirect
        bilan_id, locale = self._route_param("bilan_id"), self.locale
        self.followed_bilan_id = bilan_id
        ok, overview = self._run(lambda: psy.follower_overview(actor, bilan_id, locale))
        if not ok:
            self._clear()
            self.follow_status = "missing"
            return None
        self.followed_beneficiary = overview.beneficiary_name
        self.followed_results = followed_result_rows(overview, locale)
        self.followed_dimensions = followed_score_rows(overview, locale)
        self.followed_charts = followed_chart_rows(overview, locale)
        self.followed_in_progress = progress_rows(overview, locale)
        self.follow_status = "ready"
        return None
