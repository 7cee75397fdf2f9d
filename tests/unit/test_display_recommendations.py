"""The analysis page's and "Mes pistes"' rows (services.display.recommendations): no database."""

from __future__ import annotations

from typing import get_type_hints

from services.display.recommendations import (
    KeptTargetRow,
    explanation_rows,
    kept_explanation_rows,
    kept_target_rows,
    kept_training_rows,
    mark_kept,
    recommendation_rows,
)
from services.recommendations import KeptTarget
from services.training.catalogue import CourseView
from services.training.suggest import Suggestion

METIER = {
    "code_rome": "K9902",
    "libelle": "Fabricant de cerfs-volants",
    "score": 71.6,
    "raisons": ["Vous maîtrisez la couture."],
    "competences_a_acquerir": [{"libelle": "Savoir-faire", "competences": [{"libelle": "Coudre une voile"}]}],
    "parcours": [{"texte": "Gardien de phare → Fabricant de cerfs-volants"}],
}


def _course(provider: str) -> CourseView:
    return CourseView(
        "c1", "org", "", "Couture", provider, "", "", "K9902", "", 35.0, None, "distance", "", "", "", True
    )


def test_kept_is_a_boolean_and_follows_the_kept_targets():
    [row] = recommendation_rows([METIER], set(), "fr")
    assert row["kept"] is False and row["score"] == "Correspondance : 72 %"
    assert recommendation_rows([METIER], {"K9902"}, "en")[0] == {
        "code_rome": "K9902",
        "libelle": "Fabricant de cerfs-volants",
        "score": "Match: 72%",
        "kept": True,
    }
    assert mark_kept([row], {"K9902"})[0]["kept"] is True
    assert mark_kept(mark_kept([row], {"K9902"}), set())[0]["kept"] is False


def test_explanations_hold_reasons_gap_and_paths():
    assert explanation_rows([METIER]) == [
        {
            "reasons": ["Vous maîtrisez la couture."],
            "gap": ["Savoir-faire : Coudre une voile"],
            "paths": ["Gardien de phare → Fabricant de cerfs-volants"],
        }
    ]
    assert explanation_rows([{"code_rome": "X", "libelle": "x"}]) == [{"reasons": [], "gap": [], "paths": []}]


def test_kept_targets_their_explanations_and_training_at_the_same_index():
    training = [Suggestion(_course("Atelier"), 0.9, ["couture", "voile"]), Suggestion(_course(""), 0.5, [])]
    targets = [KeptTarget("t1", "K9902", "Fabricant de cerfs-volants", 64.4, METIER, training)]
    [head] = kept_target_rows(targets, "fr")
    assert head == {
        "id": "t1",
        "code_rome": "K9902",
        "libelle": "Fabricant de cerfs-volants",
        "score": "Correspondance : 64 %",
    }
    assert set(head) == set(get_type_hints(KeptTargetRow))
    assert kept_explanation_rows(targets)[0]["gap"] == ["Savoir-faire : Coudre une voile"]
    assert kept_training_rows(targets, "fr") == [
        [
            {"title": "Couture", "meta": "Atelier · À distance", "reasons": "couture · voile"},
            {"title": "Couture", "meta": "— · À distance", "reasons": ""},
        ]
    ]
    assert kept_training_rows(targets, "en")[0][0]["meta"] == "Atelier · Distance"
