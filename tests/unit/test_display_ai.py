"""services/display/ai.py: the AI panel's and the admin AI page's rows, from hand-made views (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.display.ai import (
    EngineRow,
    call_rows,
    edit_field_rows,
    engine_row,
    feature_rows,
    month_usage_row,
    proposal_rows,
    usage_bar_rows,
)
from services.i18n import FR
from services.llm.admin import AiSettingsView, FeatureUsage, UsageRow, UsageSummary
from services.llm.editing import text_leaves
from services.llm.review import ProposalView
from services.llm.schemas import AiFeature

AT = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
SKILLS = {"synthese": "Un parcours centré sur la relation client.", "competences": [], "points_de_vigilance": []}


def _proposal(status: str, engine: str = "llm") -> ProposalView:
    content = {**SKILLS, "metier": "Libraire"}
    return ProposalView(
        f"p-{status}", "b1", "transferable_skills", engine, "gpt-4o-mini", "", status, content, content, AT, None
    )


def _settings(*, source: str = "platform", budget: int = 1_000_000, default: bool = True) -> AiSettingsView:
    return AiSettingsView("starter", False, True, "gpt-4o-mini", "", "", "", budget, default, source, "gpt-4o-mini")


def _summary(*, budget: int = 1_000_000, used: int = 250_000, failed_tokens: int = 0) -> UsageSummary:
    by_feature = [FeatureUsage("synthese_draft", 3, 1234, 0.5)]
    return UsageSummary(date(2026, 3, 1), budget, used, budget - used, 4, 1, failed_tokens, 0.5, by_feature)


def test_a_proposal_says_what_its_review_allows_with_booleans():
    proposed, edited, rejected = proposal_rows(
        [_proposal("proposed"), _proposal("edited", engine="local"), _proposal("rejected")], "fr"
    )
    assert [(row["reviewable"], row["editable"]) for row in (proposed, edited, rejected)] == [
        (True, True),
        (False, True),
        (False, False),
    ]
    assert (proposed["subject"], proposed["status_label"]) == ("Libraire", FR["llm.status.proposed"])
    assert proposed["engine"] == "Assistant IA · gpt-4o-mini" and edited["engine"] == FR["aipanel.made_by_local"]
    assert proposal_rows([_proposal("proposed")], "en")[0]["engine"] == "AI assistant · gpt-4o-mini"


def test_the_edit_fields_mark_long_texts_with_a_boolean():
    skills = {**SKILLS, "competences": [{"competence": "Accueil", "preuves": ["Vendeuse"], "niveau": "fort"}]}
    fields = edit_field_rows(text_leaves(AiFeature.TRANSFERABLE_SKILLS, skills), "fr")
    assert [(field["id"], field["long"]) for field in fields] == [
        ("ai-edit-synthese", True),
        ("ai-edit-competences-0-competence", False),
        ("ai-edit-competences-0-preuves-0", False),
    ]
    assert (fields[2]["path"], fields[2]["label"]) == ("competences.0.preuves.0", "Compétences 1 · Preuves 1")


def test_the_engine_flags_are_booleans():
    engine = engine_row(_settings(), _summary(), "fr")
    assert set(engine) == set(EngineRow.__annotations__)
    assert (engine["source"], engine["budget_zero"], engine["budget_spent"], engine["budget_default"]) == (
        "platform",
        False,
        False,
        True,
    )
    assert engine["budget"] == "1\u202f000\u202f000"
    assert engine_row(_settings(budget=0, default=False), _summary(budget=0, used=0), "fr")["budget_zero"] is True
    assert engine_row(_settings(budget=1000), _summary(budget=1000, used=1000), "en")["budget_spent"] is True
    local = engine_row(_settings(source="", budget=0), _summary(budget=0, used=0), "fr")
    assert (local["source"], local["budget_zero"]) == ("local", False)  # no assistant: nothing to take over from


def test_the_usage_is_formatted_for_the_locale():
    summary = _summary(failed_tokens=400)
    fr, en = month_usage_row(summary, "fr"), month_usage_row(summary, "en")
    assert (fr["remaining"], en["remaining"]) == ("750\u202f000", "750,000")
    assert fr["failed_tokens"].startswith("400 jetons") and month_usage_row(_summary(), "fr")["failed_tokens"] == ""
    (bar,) = usage_bar_rows(summary, "en")
    assert (bar["value"], bar["max"], bar["min"], bar["display"]) == (
        "250000",
        "1000000",
        "0",
        "250,000 of 1,000,000 (25 %)",
    )
    assert feature_rows(summary, "en") == [
        {"feature": "Draft synthesis and actions", "calls": "3", "tokens": "1,234", "cost": "€0.50"}
    ]


def test_a_failed_call_is_flagged_with_a_boolean():
    rows = [
        UsageRow("u1", AT, "b1", "synthese_draft", "gpt-4o-mini", outcome, 100, 50, 0.001, 2400, "h")
        for outcome in ("ok", "timeout", "retried")
    ]
    calls = call_rows(rows, "fr")
    assert [row["failed"] for row in calls] == [False, True, False]
    assert (calls[1]["outcome_label"], calls[0]["tokens"], calls[0]["duration"]) == (
        "Échec : délai dépassé",
        "150",
        "2,4 s",
    )
    assert call_rows(rows, "en")[0]["duration"] == "2.4 s"
