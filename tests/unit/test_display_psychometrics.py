"""The psychometric tests' rows (services.display.psychometrics): built from service views, no database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import get_type_hints

from services.display.psychometrics import (
    ChartRow,
    InstrumentRow,
    ScoreRow,
    choice_rows,
    followed_chart_rows,
    followed_result_rows,
    followed_score_rows,
    instrument_rows,
    question_rows,
    result_chart_rows,
    result_dimension_rows,
    result_rows,
)
from services.models import PsychometricStatus
from services.psychometrics.service import (
    DimensionResult,
    FollowedResult,
    FollowerOverview,
    InstrumentInfo,
    QuestionView,
    ResultView,
    ScaleChoice,
    SessionView,
)

WHEN = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def _instrument(instrument_id: str, count: int = 3) -> InstrumentInfo:
    scale = [ScaleChoice(1, "Pas du tout"), ScaleChoice(2, "Un peu")]
    return InstrumentInfo(
        instrument_id, "1.0", "values", f"Test {instrument_id}", "Répondez.", "Src", "CC", count, [], scale
    )


def _result(raw: float | None, normalised: float | None) -> ResultView:
    dimensions = [
        DimensionResult("A", "Accomplissement", 1, "high", "Vous visez haut.", raw, normalised),
        DimensionResult("B", "Bienveillance", 2, "", "", None if raw is None else 1.0, None if raw is None else 0.0),
    ]
    return ResultView(
        uuid.uuid4(), "values", "1.0", "Valeurs", WHEN, "AB", dimensions, raw is not None, "Avertissement", "Src"
    )


def test_instruments_say_where_the_beneficiary_is():
    rows = instrument_rows([_instrument("a"), _instrument("b"), _instrument("c", 10)], {"c": (4, 10)}, {"b"})
    assert [(row["state"], row["answered"], row["total"]) for row in rows] == [
        ("new", "0", "3"),
        ("completed", "0", "3"),
        ("in_progress", "4", "10"),
    ]
    assert rows[2]["href"] == "/mon-espace/tests/c"
    assert set(rows[0]) == set(get_type_hints(InstrumentRow))


def test_the_beneficiarys_results_and_charts_at_the_same_index():
    own, other = _result(None, 75.5), _result(None, None)
    heads = result_rows([own, other], "fr")
    assert heads[0]["date"] == "5 mars 2026" and heads[0]["id"] == str(own.id)
    assert result_rows([own], "en")[0]["date"] == "5 March 2026"
    assert result_dimension_rows([own, other])[0][0] == {
        "key": "A",
        "label": "Accomplissement",
        "rank": "1",
        "level": "high",
        "interpretation": "Vous visez haut.",
    }
    charts = result_chart_rows([own, other], "fr")
    assert charts[0] == [{"label": "Accomplissement", "value": "75.5", "min": "0", "max": "100", "display": "76 %"}]
    assert charts[1] == []  # no scores, no chart
    assert result_chart_rows([own], "en")[0][0]["display"] == "76%"


def test_the_followers_read_raw_scores_in_the_locale_and_the_chart_reads_machine_numbers():
    result = _result(3.75, 68.75)
    overview = FollowerOverview(uuid.uuid4(), "Camille", [FollowedResult(result, "CC BY", "mean", 1.0, 5.0)], [])
    [head] = followed_result_rows(overview, "fr")
    assert head["scoring"] == "Score brut : moyenne des réponses de la dimension (1 à 5)."
    assert (head["holland_names"], head["licence"], head["version"]) == (
        "Accomplissement, Bienveillance",
        "CC BY",
        "1.0",
    )
    [[score, _]] = followed_score_rows(overview, "fr")
    assert (score["raw"], score["normalised"]) == ("3,75 sur 5", "69 %")
    assert set(score) == set(get_type_hints(ScoreRow))
    [[bar, _]] = followed_chart_rows(overview, "fr")
    assert (bar["value"], bar["min"], bar["max"], bar["display"]) == ("3.75", "1", "5", "3,75 / 5 (69 %)")
    assert followed_chart_rows(overview, "en")[0][0]["display"] == "3.75 / 5 (69%)"
    assert set(bar) == set(get_type_hints(ChartRow))


def test_questions_are_numbered_and_keep_their_answers():
    questions = [QuestionView("Q1", "J'aime aider.", 2), QuestionView("Q2", "J'aime gagner.", None)]
    view = SessionView(
        uuid.uuid4(), uuid.uuid4(), _instrument("a", 2), PsychometricStatus.IN_PROGRESS, questions, 1, 2, WHEN, None
    )
    assert question_rows(view) == [
        {"item_id": "Q1", "number": "1", "text": "J'aime aider.", "answer": "2"},
        {"item_id": "Q2", "number": "2", "text": "J'aime gagner.", "answer": ""},
    ]
    assert choice_rows(view) == [{"value": "1", "label": "Pas du tout"}, {"value": "2", "label": "Un peu"}]
