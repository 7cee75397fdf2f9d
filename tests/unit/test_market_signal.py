"""The market signal of the analysis: France Travail's offer counts for the best candidates, asked
through the real client against the fake France Travail server (services.matching.market)."""

from __future__ import annotations

import pytest

from services import recommendations
from services.display.recommendations import market_note
from services.francetravail import reset_client
from services.matching.market import normalise, territory_of
from tests.unit.test_francetravail_client import fake, fake_server
from tests.unit.test_skills import referentiel, submitted_assessment

__all__ = ["fake", "fake_server", "referentiel"]  # the fixtures, imported for the tests below


def test_the_market_signal_reranks_when_france_travail_answers(referentiel, fake, set_env):
    bilan_id, _, _ = submitted_assessment(referentiel)
    plain = recommendations.analyse(referentiel.consultant_a, bilan_id)
    assert plain.market is None  # not configured: no component, no request
    assert market_note(plain.market, "fr").startswith("Marché du travail : non pris en compte")
    codes = [metier.code_rome for metier in plain.result.metiers]
    assert len(codes) >= 2

    set_env(**fake.env())
    last = codes[-1]
    fake.offer_counts = {**dict.fromkeys(codes, 0), last: 4000}
    ranked = recommendations.analyse(referentiel.consultant_a, bilan_id)
    assert ranked.market is not None and ranked.market.territory == ("NAT", "FR")
    assert ranked.market.values[last] == 1.0 and ranked.market.values[codes[0]] == 0.0
    before = {metier.code_rome: metier.score for metier in plain.result.metiers}
    after = {metier.code_rome: metier.score for metier in ranked.result.metiers}
    assert after[last] / after[codes[0]] > before[last] / before[codes[0]]  # the métier that hires gains
    favoured = next(metier for metier in ranked.result.metiers if metier.code_rome == last)
    assert "Le marché du travail est favorable pour ce métier." in favoured.raisons
    assert (
        market_note(ranked.market, "fr")
        == "Marché du travail pris en compte : nombre d'offres France Travail en France."
    )

    reset_client()  # a new client, with an empty cache
    fake.fail("/indicateur/", 500, times=20)  # France Travail down: the ranking goes on without it
    degraded = recommendations.analyse(referentiel.consultant_a, bilan_id)
    assert degraded.market is not None and degraded.market.problem and degraded.market.values == {}
    assert [metier.code_rome for metier in degraded.result.metiers] == codes
    assert market_note(degraded.market, "fr").startswith("Marché du travail : France Travail ne répond pas")


def test_the_signal_reads_the_departement_of_the_commune():
    assert territory_of("29019") == ("DEP", "29")
    assert territory_of("97411") == ("DEP", "974")
    assert territory_of("2A004") == ("DEP", "2A")
    assert territory_of(None) == ("NAT", "FR")
    assert normalise({"A": 0, "B": 9, "C": 99}) == {"A": 0.0, "B": pytest.approx(0.5), "C": 1.0}
    assert normalise({"A": 0}) == {"A": 0.0}
