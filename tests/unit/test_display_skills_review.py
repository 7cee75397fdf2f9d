"""The rows of the consultant's review and of the skills map (services/display/skills_review.py):
real booleans, the locale's formats, the fields the pages read. The wording of every row is tested
in test_skills_ui.py."""

from __future__ import annotations

from services.display.skills_review import (
    chart_rows,
    group_rows,
    map_skill_rows,
    no_status,
    review_skill_rows,
    zone_view,
)
from services.skills.cartography import GroupStat
from services.skills.scales import CRITERIA
from tests.unit.test_skills_ui import SELF, map_skill, skill


def test_review_flags_are_booleans():
    [head], [ratings] = review_skill_rows([skill({"contexte": "formation"}, core=False)], "fr")
    assert (head["core"], head["complete"]) == (False, True)
    assert [row["adjusted"] for row in ratings] == [criterion == "contexte" for criterion in CRITERIA]
    [head], _ = review_skill_rows([skill(own={**SELF, "maitrise": ""})], "en")
    assert head["complete"] is False
    assert no_status() == {"label": "", "submitted": "", "validated": ""}


def test_map_figures_are_formatted_for_the_locale():
    stats = [GroupStat("Domaine A", 3, 2.25, 1)]
    assert group_rows(stats, "fr")[0]["average"] == "2,2/4"
    assert group_rows(stats, "en")[0]["average"] == "2.2/4"
    [bar] = chart_rows(stats, "en")
    assert (bar["value"], bar["min"], bar["max"]) == ("3", "0", "3")


def test_map_skills_carry_core_as_a_boolean():
    rows = map_skill_rows([map_skill("A", "valoriser", core=True), map_skill("B", "developper")], "en")
    assert [row["core"] for row in rows] == [True, False]
    assert [row["zone_label"] for row in rows] == ["To highlight", "To develop"]
    heads, members = zone_view({"developper": [map_skill("B", "developper")]}, "fr")
    assert heads[1] == {"zone": "developper", "title": "À développer (1)"}
    assert [len(zone) for zone in members] == [0, 1, 0]
