"""Rows of the psychometric tests: the beneficiary's list and results, taking one test, and the
followers' reading of a bilan's tests (raw scores, profile charts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services import routes
from services.display.charts import ChartRow
from services.i18n import format_datetime, format_number, translate
from services.psychometrics.service import (
    FollowedResult,
    FollowerOverview,
    InstrumentInfo,
    ResultView,
    SessionView,
)

_DATE = "d MMMM y"


class InstrumentRow(TypedDict):
    id: str
    title: str
    instructions: str
    count: str
    source: str
    licence: str
    state: str  # new | in_progress | completed
    answered: str
    total: str
    href: str


class ResultRow(TypedDict):
    id: str
    title: str
    date: str
    holland_code: str
    disclaimer: str
    source: str


class DimensionRow(TypedDict):
    key: str
    label: str
    rank: str
    level: str  # low | average | high, or ""
    interpretation: str


class FollowedResultRow(TypedDict):
    id: str
    title: str
    version: str
    date: str
    holland_code: str
    holland_names: str
    scoring: str
    disclaimer: str
    source: str
    licence: str


class ScoreRow(TypedDict):
    key: str
    label: str
    rank: str
    level: str
    raw: str
    normalised: str
    interpretation: str


class ProgressRow(TypedDict):
    id: str
    title: str
    version: str
    answered: str
    total: str
    started: str
    updated: str


class QuestionRow(TypedDict):
    item_id: str
    number: str
    text: str
    answer: str  # the chosen scale value, "" while unanswered


class ChoiceRow(TypedDict):
    value: str
    label: str


def _test_route(instrument_id: str) -> str:
    """The page where the beneficiary takes one instrument."""
    return routes.TEST_SESSION.replace("[instrument_id]", instrument_id)


def _number(value: float, locale: str) -> str:
    """A score for reading: at most two decimals, in the locale's format ("4,25")."""
    return format_number(round(value, 2), locale)


def _machine(value: float) -> str:
    """A score for the chart's CSS: "." as decimal separator, no grouping."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def instrument_rows(
    instruments: Iterable[InstrumentInfo],
    in_progress: dict[str, tuple[int, int]],
    completed: set[str],
) -> list[InstrumentRow]:
    """Each instrument with its state for this beneficiary: new, in_progress (x/y) or completed."""
    rows: list[InstrumentRow] = []
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
                "href": _test_route(info.id),
            }
        )
    return rows


def result_rows(results: Iterable[ResultView], locale: str) -> list[ResultRow]:
    """The beneficiary's results, one head each (their dimensions: ``result_dimension_rows``)."""
    return [
        {
            "id": str(result.id),
            "title": result.title,
            "date": format_datetime(result.completed_at, locale, _DATE),
            "holland_code": result.holland_code,
            "disclaimer": result.disclaimer,
            "source": result.source,
        }
        for result in results
    ]


def result_dimension_rows(results: Iterable[ResultView]) -> list[list[DimensionRow]]:
    """Each result's ranked dimensions, at the result's index."""
    return [
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
        for result in results
    ]


def result_chart_rows(results: Iterable[ResultView], locale: str) -> list[list[ChartRow]]:
    """Chart rows of each result's normalised scores, at the result's index (empty without scores)."""
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


def holland_names(result: ResultView) -> str:
    """The names of the Holland code's three types, in the code's order ("Artistique, Investigateur, Social")."""
    labels = {d.key: d.label for d in result.dimensions}
    return ", ".join(labels[letter] for letter in result.holland_code if letter in labels)


def followed_result_rows(overview: FollowerOverview, locale: str) -> list[FollowedResultRow]:
    """The followers' results, one head each (scores: ``followed_score_rows``, charts: ``followed_chart_rows``)."""
    rows: list[FollowedResultRow] = []
    for followed in overview.results:
        result = followed.result
        low, high = _number(followed.raw_min, locale), _number(followed.raw_max, locale)
        rows.append(
            {
                "id": str(result.id),
                "title": result.title,
                "version": result.instrument_version,
                "date": format_datetime(result.completed_at, locale, _DATE),
                "holland_code": result.holland_code,
                "holland_names": holland_names(result),
                "scoring": translate(f"psy.follow.scoring.{followed.scoring}", locale, min=low, max=high),
                "disclaimer": result.disclaimer,
                "source": result.source,
                "licence": followed.licence,
            }
        )
    return rows


def _raw_and_percent(raw: float | None, normalised: float | None, locale: str) -> tuple[str, str]:
    return (
        _number(raw, locale) if raw is not None else "—",
        format_number(round(normalised), locale) if normalised is not None else "—",
    )


def _score_rows(followed: FollowedResult, locale: str) -> list[ScoreRow]:
    high = _number(followed.raw_max, locale)
    rows: list[ScoreRow] = []
    for d in followed.result.dimensions:
        raw, percent = _raw_and_percent(d.raw, d.normalised, locale)
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
    return rows


def followed_score_rows(overview: FollowerOverview, locale: str) -> list[list[ScoreRow]]:
    """Each followed result's scores (raw and normalised, formatted for the locale), at the result's index."""
    return [_score_rows(followed, locale) for followed in overview.results]


def _chart_rows(followed: FollowedResult, locale: str) -> list[ChartRow]:
    high = _number(followed.raw_max, locale)
    rows: list[ChartRow] = []
    for d in followed.result.dimensions:
        raw, percent = _raw_and_percent(d.raw, d.normalised, locale)
        rows.append(
            {
                "label": d.label,
                "value": _machine(d.raw if d.raw is not None else followed.raw_min),
                "min": _machine(followed.raw_min),
                "max": _machine(followed.raw_max),
                "display": translate("psy.follow.chart_value", locale, raw=raw, max=high, percent=percent),
            }
        )
    return rows


def followed_chart_rows(overview: FollowerOverview, locale: str) -> list[list[ChartRow]]:
    """Each followed result's raw scores as chart rows, on the instrument's own scale, at the result's index."""
    return [_chart_rows(followed, locale) for followed in overview.results]


def progress_rows(overview: FollowerOverview, locale: str) -> list[ProgressRow]:
    """The questionnaires the beneficiary has started and not finished."""
    return [
        {
            "id": str(view.session_id),
            "title": view.title,
            "version": view.instrument_version,
            "answered": str(view.answered),
            "total": str(view.total),
            "started": format_datetime(view.started_at, locale, _DATE),
            "updated": format_datetime(view.updated_at, locale, _DATE),
        }
        for view in overview.in_progress
    ]


def question_rows(view: SessionView) -> list[QuestionRow]:
    """The session's questions, numbered from 1, with the answers saved so far."""
    return [
        {
            "item_id": q.item_id,
            "number": str(index + 1),
            "text": q.text,
            "answer": "" if q.answer is None else str(q.answer),
        }
        for index, q in enumerate(view.questions)
    ]


def choice_rows(view: SessionView) -> list[ChoiceRow]:
    """The instrument's answer scale, one radio button each."""
    return [{"value": str(choice.value), "label": choice.label} for choice in view.instrument.scale]
