"""services/display/action_plan.py: the action plan's rows, from hand-made views (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.action_plan import ActionView, LinkOption, MilestoneView, PlanHistoryRow, PlanSuggestion, SmartGap
from services.display.action_plan import (
    ActionRow,
    action_rows,
    compact_milestones,
    history_rows,
    link_rows,
    milestone_error_rows,
    milestone_form_rows,
    suggestion_rows,
)
from services.i18n import FR
from services.models import ActionOwner, ActionStatus

AT = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
PAST = SmartGap("temporel", "deadline", "action_plan.smart.deadline_past", False)
NO_INDICATOR = SmartGap("mesurable", "indicator", "action_plan.smart.indicator_missing", True)


def _action(number: int, gaps: list[SmartGap], milestones: list[MilestoneView] | None = None) -> ActionView:
    return ActionView(
        id=f"a{number}",
        position=number,
        title=f"Action n°{number}",
        description="",
        indicator="",
        means="",
        project_link="",
        deadline=date(2026, 3, 12),
        owner=ActionOwner.BENEFICIARY,
        status=ActionStatus.A_FAIRE,
        link="",
        link_label="",
        milestones=milestones or [],
        gaps=gaps,
        created_at=AT,
        updated_at=AT,
    )


def test_the_flags_of_an_action_card_are_booleans():
    milestones = [
        MilestoneView("m1", "Appeler", date(2026, 3, 1), True),
        MilestoneView("m2", "Écrire", AT.date(), False),
    ]
    rows, missing, hints, cards = action_rows([_action(1, [NO_INDICATOR], milestones), _action(2, [PAST])], "fr")
    flags = [(row["complete"], row["overdue"], row["first"], row["last"]) for row in rows]
    assert flags == [(False, False, True, False), (True, True, False, True)]
    assert all(isinstance(value, bool) for flag in flags for value in flag)
    assert set(rows[0]) == set(ActionRow.__annotations__)  # every field the card and the editor read
    assert (missing, hints) == ([[FR["action_plan.smart.indicator_missing"]], []], [[], [FR[PAST.code]]])
    assert [(item["id"], item["done"], item["text"]) for item in cards[0]] == [
        ("m1", True, "Appeler — 1 mars 2026"),
        ("m2", False, "Écrire — 12 mars 2026"),
    ]
    assert cards[1] == []
    # The editor gets the milestones back as typed, without their display text or state.
    assert milestone_form_rows(cards[0]) == [
        {"id": "m1", "label": "Appeler", "due_on": "2026-03-01"},
        {"id": "m2", "label": "Écrire", "due_on": "2026-03-12"},
    ]


def test_the_card_is_worded_and_dated_for_the_locale():
    (fr,), _, _, _ = action_rows([_action(1, [])], "fr")
    (en,), _, _, _ = action_rows([_action(1, [])], "en")
    assert (fr["number"], fr["deadline_label"], fr["owner_label"]) == (
        "Action 1",
        "Échéance : 12 mars 2026",
        "Qui s'en charge : Bénéficiaire",
    )
    assert (en["deadline_label"], en["owner_label"]) == ("Deadline: 12 March 2026", "Carried out by: Beneficiary")
    assert (fr["deadline"], fr["owner"], fr["status"]) == ("2026-03-12", "beneficiary", "a_faire")


def test_history_suggestions_and_links():
    row = PlanHistoryRow(AT, "Camille Martin", True, "a1", "Action n°1", "status", "status", "a_faire", "en_cours")
    assert history_rows([row], "fr") == [
        {
            "date": "12 mars 2026 10:30",
            "author": "Camille Martin",
            "role": FR["action_plan.history.by_consultant"],
            "action": "Action n°1",
            "change": "Statut : À faire → En cours",
        }
    ]
    suggestion = PlanSuggestion("target:1", "target", "Enquête métier", "Rencontrer un professionnel")
    assert suggestion_rows([suggestion], "fr")[0]["source"] == FR["action_plan.source.target"]
    groups = link_rows([LinkOption("target:1", "Libraire", "target"), LinkOption("offer:2", "Offre", "offer")])
    assert groups == {
        "target": [{"value": "target:1", "label": "Libraire"}],
        "course": [],
        "offer": [{"value": "offer:2", "label": "Offre"}],
    }


def test_the_editor_milestones_and_their_errors():
    rows = compact_milestones([{"id": "", "label": " ", "due_on": ""}, {"label": "Appeler", "due_on": ""}])
    assert rows == [{"id": "", "label": "Appeler", "due_on": ""}]
    errors = {"milestones.1.due_on": "Date ?", "title": "Titre ?"}
    assert milestone_error_rows(errors, 2) == [{"label": "", "due_on": ""}, {"label": "", "due_on": "Date ?"}]
