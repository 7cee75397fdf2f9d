"""The beneficiary's psychometric questionnaires: the list with results, and taking one test.

The row builders at the top are plain functions (tested without a server); the states only call
services and keep small view data (ids and display strings).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import reflex as rx

from services import bilans, routes
from services.access import Actor, Permission
from services.i18n import format_datetime, format_number, translate
from services.psychometrics import service as psy
from state.session import FormMixin, SessionState, guarded

PAGE_SIZE = 10


# ---------------------------------------------------------------- view builders (no reflex needed)


def test_route(instrument_id: str) -> str:
    return routes.TEST_SESSION.replace("[instrument_id]", instrument_id)


def instrument_rows(
    instruments: Iterable[psy.InstrumentInfo],
    in_progress: dict[str, tuple[int, int]],
    completed: set[str],
) -> list[dict[str, str]]:
    """Each instrument with its state for this beneficiary: new, in_progress (x/y) or completed."""
    rows = []
    for info in instruments:
        answered, total = in_progress.get(info.id, (0, info.item_count))
        if info.id in in_progress:
            state = "in_progress"
        elif info.id in completed:
            state = "completed"
        else:
            state = "new"
        rows.append(
            {
                "id": info.id,
                "title": info.title,
                "instructions": info.instructions,
                "count": str(info.item_count),
                "source": info.source,
                "licence": info.licence,
                "state": state,
                "answered": str(answered),
                "total": str(total),
                "href": test_route(info.id),
            }
        )
    return rows


def result_rows(
    results: Iterable[psy.ResultView], locale: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]]]:
    """The results (one dict each) and, at the same index, their ranked dimensions."""
    heads, dimensions = [], []
    for result in results:
        heads.append(
            {
                "id": str(result.id),
                "title": result.title,
                "date": format_datetime(result.completed_at, locale, "d MMMM y"),
                "holland_code": result.holland_code,
                "disclaimer": result.disclaimer,
                "source": result.source,
            }
        )
        dimensions.append(
            [
                {
                    "key": d.key,
                    "label": d.label,
                    "rank": str(d.rank),
                    "level": d.level,
                    "interpretation": d.interpretation,
                }
                for d in result.dimensions
            ]
        )
    return heads, dimensions


def result_chart_rows(results: Iterable[psy.ResultView], locale: str) -> list[list[dict[str, str]]]:
    """Chart rows (components/charts.py) of each result's normalised scores, at the same index.

    Empty for a reader the service gives no scores to (the beneficiary): no chart is drawn then.
    """
    return [
        [
            {
                "label": d.label,
                "value": _machine(d.normalised),
                "min": "0",
                "max": "100",
                "display": translate("psy.follow.percent", locale, percent=format_number(round(d.normalised), locale)),
            }
            for d in result.dimensions
            if d.normalised is not None
        ]
        for result in results
    ]


def _number(value: float, locale: str) -> str:
    """A score for reading: at most two decimals, in the locale's format ("4,25")."""
    return format_number(round(value, 2), locale)


def _machine(value: float) -> str:
    """A score for the chart's CSS: "." as decimal separator, no grouping."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def holland_names(result: psy.ResultView) -> str:
    """The names of the Holland code's three types, in the code's order ("Artistique, Investigateur, Social")."""
    labels = {d.key: d.label for d in result.dimensions}
    return ", ".join(labels[letter] for letter in result.holland_code if letter in labels)


def followed_rows(
    overview: psy.FollowerOverview, locale: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]], list[list[dict[str, str]]]]:
    """The followers' results: one head each and, at the same index, its score rows and chart rows."""
    heads, dimensions, charts = [], [], []
    for followed in overview.results:
        result = followed.result
        high, low = _number(followed.raw_max, locale), _number(followed.raw_min, locale)
        heads.append(
            {
                "id": str(result.id),
                "title": result.title,
                "version": result.instrument_version,
                "date": format_datetime(result.completed_at, locale, "d MMMM y"),
                "holland_code": result.holland_code,
                "holland_names": holland_names(result),
                "scoring": translate(f"psy.follow.scoring.{followed.scoring}", locale, min=low, max=high),
                "disclaimer": result.disclaimer,
                "source": result.source,
                "licence": followed.licence,
            }
        )
        rows, bars = [], []
        for d in result.dimensions:
            raw = _number(d.raw, locale) if d.raw is not None else "—"
            percent = format_number(round(d.normalised), locale) if d.normalised is not None else "—"
            rows.append(
                {
                    "key": d.key,
                    "label": d.label,
                    "rank": str(d.rank),
                    "level": d.level,
                    "raw": translate("psy.follow.raw_of", locale, raw=raw, max=high),
                    "normalised": translate("psy.follow.percent", locale, percent=percent),
                    "interpretation": d.interpretation,
                }
            )
            bars.append(
                {
                    "label": d.label,
                    "value": _machine(d.raw if d.raw is not None else followed.raw_min),
                    "min": _machine(followed.raw_min),
                    "max": _machine(followed.raw_max),
                    "display": translate("psy.follow.chart_value", locale, raw=raw, max=high, percent=percent),
                }
            )
        dimensions.append(rows)
        charts.append(bars)
    return heads, dimensions, charts


def progress_rows(overview: psy.FollowerOverview, locale: str) -> list[dict[str, str]]:
    return [
        {
            "id": str(view.session_id),
            "title": view.title,
            "version": view.instrument_version,
            "answered": str(view.answered),
            "total": str(view.total),
            "started": format_datetime(view.started_at, locale, "d MMMM y"),
            "updated": format_datetime(view.updated_at, locale, "d MMMM y"),
        }
        for view in overview.in_progress
    ]


def question_rows(view: psy.SessionView) -> list[dict[str, str]]:
    return [
        {
            "item_id": q.item_id,
            "number": str(index + 1),
            "text": q.text,
            "answer": "" if q.answer is None else str(q.answer),
        }
        for index, q in enumerate(view.questions)
    ]


# ---------------------------------------------------------------- the list, with the results


class TestsState(FormMixin, SessionState):
    tests_status: str = "loading"  # loading | none | ready
    instruments: list[dict[str, str]] = []
    results: list[dict[str, str]] = []
    result_dimensions: list[list[dict[str, str]]] = []
    result_charts: list[list[dict[str, str]]] = []

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
        self.results, self.result_dimensions = result_rows(results, locale)
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
    scale: list[dict[str, str]] = []
    questions: list[dict[str, str]] = []
    answered: int = 0
    total: int = 0
    page_index: int = 0
    saved_message: str = ""
    missing: list[dict[str, str]] = []
    _session_id: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, (len(self.questions) + PAGE_SIZE - 1) // PAGE_SIZE)

    @rx.var
    def page_questions(self) -> list[dict[str, str]]:
        start = self.page_index * PAGE_SIZE
        return self.questions[start : start + PAGE_SIZE]

    @rx.var
    def first_number(self) -> str:
        return str(self.page_index * PAGE_SIZE + 1) if self.questions else "0"

    @rx.var
    def last_number(self) -> str:
        return str(min(len(self.questions), (self.page_index + 1) * PAGE_SIZE))

    @rx.var
    def has_previous(self) -> bool:
        return self.page_index > 0

    @rx.var
    def has_next(self) -> bool:
        return (self.page_index + 1) * PAGE_SIZE < len(self.questions)

    def _show(self, view: psy.SessionView) -> None:
        self.instrument_title = view.instrument.title
        self.instrument_instructions = view.instrument.instructions
        self.scale = [{"value": str(choice.value), "label": choice.label} for choice in view.instrument.scale]
        self.questions = question_rows(view)
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
        first_open = next((i for i, q in enumerate(self.questions) if not q["answer"]), 0)
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
        for index, question in enumerate(self.questions):
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
            self.missing = [q for q in self.questions if q["item_id"] in self.errors]
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
    followed_results: list[dict[str, str]] = []
    followed_dimensions: list[list[dict[str, str]]] = []
    followed_charts: list[list[dict[str, str]]] = []
    followed_in_progress: list[dict[str, str]] = []

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
        self.followed_results, self.followed_dimensions, self.followed_charts = followed_rows(overview, locale)
        self.followed_in_progress = progress_rows(overview, locale)
        self.follow_status = "ready"
        return None
