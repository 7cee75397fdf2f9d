"""The consultant's analysis and kept targets, and the beneficiary's "Mes pistes" (services.recommendations).

Runs on the tests' invented ROME export (tests/unit/test_rome_import.py) with a submitted assessment
(tests/unit/test_skills.py): the engine proposes the other métiers of that export.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from services import recommendations
from services.db import session_scope
from services.display.recommendations import (
    explanation_rows,
    kept_explanation_rows,
    kept_target_rows,
    kept_training_rows,
    recommendation_rows,
)
from services.errors import AccessDenied, NotFound, ServiceError
from services.models import AuditEvent
from tests.unit.test_skills import referentiel, submitted_assessment

__all__ = ["referentiel"]  # the fixture, imported for the tests below


def test_the_consultant_analyses_keeps_and_the_beneficiary_sees(referentiel):
    bilan_id, _, _ = submitted_assessment(referentiel)
    analysis = recommendations.analyse(referentiel.consultant_a, bilan_id, "Travailler en plein air")
    assert not analysis.assessment_validated and analysis.skills == 2
    codes = [metier.code_rome for metier in analysis.result.metiers]
    assert "K9901" not in codes  # the métier already held is never proposed
    assert codes and all(metier.raisons for metier in analysis.result.metiers)
    first = analysis.result.metiers[0].to_dict()
    target_id = recommendations.keep_target(referentiel.consultant_a, bilan_id, first)
    assert recommendations.keep_target(referentiel.consultant_a, bilan_id, first) == target_id  # idempotent
    [kept] = recommendations.kept_targets(referentiel.beneficiary_a, bilan_id)
    assert (kept.code_rome, kept.details["raisons"]) == (first["code_rome"], first["raisons"])
    heads, texts, training = (
        kept_target_rows([kept], "fr"),
        kept_explanation_rows([kept]),
        kept_training_rows([kept], "fr"),
    )
    assert heads[0]["libelle"] == first["libelle"] and texts[0]["reasons"] == first["raisons"]
    assert training == [[]]  # no catalogue installed in this test
    with pytest.raises(AccessDenied):
        recommendations.keep_target(referentiel.beneficiary_a, bilan_id, first)
    with pytest.raises(NotFound):
        recommendations.kept_targets(referentiel.consultant_b, bilan_id)
    recommendations.drop_target(referentiel.consultant_a, target_id)
    assert recommendations.kept_targets(referentiel.consultant_a, bilan_id) == []
    with session_scope() as session:
        actions = {event.action for event in session.exec(select(AuditEvent)).all()}
    assert {"recommendations.analysis_run", "recommendations.target_kept", "recommendations.target_dropped"} <= actions


def test_at_most_five_targets(referentiel):
    bilan_id, _, _ = submitted_assessment(referentiel)
    for index in range(recommendations.MAX_TARGETS):
        recommendations.keep_target(referentiel.consultant_a, bilan_id, {"code_rome": f"A000{index}", "libelle": "x"})
    with pytest.raises(ServiceError) as caught:
        recommendations.keep_target(referentiel.consultant_a, bilan_id, {"code_rome": "B0001", "libelle": "y"})
    assert caught.value.code == "recommendations.error.too_many"


def test_recommendation_rows():
    metier = {
        "code_rome": "K9902",
        "libelle": "Fabricant de cerfs-volants",
        "score": 71.6,
        "raisons": ["Vous maîtrisez la couture."],
        "competences_a_acquerir": [{"libelle": "Savoir-faire", "competences": [{"libelle": "Coudre une voile"}]}],
        "parcours": [{"texte": "Gardien de phare → Fabricant de cerfs-volants"}],
    }
    heads, texts = recommendation_rows([metier], {"K9902"}, "fr"), explanation_rows([metier])
    assert heads == [
        {"code_rome": "K9902", "libelle": "Fabricant de cerfs-volants", "score": "Correspondance : 72 %", "kept": True}
    ]
    assert texts[0]["gap"] == ["Savoir-faire : Coudre une voile"]
    assert texts[0]["paths"] == ["Gardien de phare → Fabricant de cerfs-volants"]


def test_the_consultant_reads_where_she_looks_for_offers():
    from services.display.recommendations import search_area
    from services.job_search import Preferences

    assert search_area(Preferences(), "fr") == ""
    brest = Preferences(commune="29019", commune_libelle="Brest (29200)", rayon_km=20)
    assert search_area(brest, "fr") == "Offres recherchées autour de Brest (29200), dans un rayon de 20 km."
    assert search_area(Preferences(commune="29019", rayon_km=10), "en") == "Offers searched around 29019, within 10 km."
