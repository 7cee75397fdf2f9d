"""The beneficiary's job search (services.job_search and state.job_search): preferences, live offers,
kept offers and La Bonne Boîte companies, with the real France Travail client against the fake server
(tests/francetravail_fake.py), and without credentials.

The bilan of organisation A's beneficiary has two kept targets, K9901 and M9903: the fake's offers are
split between those two codes (177 + 176 of 353).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from typing import Any

import pytest
from reflex.istate.data import ReflexURL
from sqlmodel import col, select

from services import job_search, recommendations, routes
from services.bilans import transition
from services.crypto import encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.francetravail import (
    FranceTravailBadAnswer,
    FranceTravailNotConfigured,
    FranceTravailUnavailable,
    reset_client,
)
from services.i18n import EN, FR, translate
from services.job_search import OfferSnapshot
from services.matching import Profile
from services.models import AuditEvent, BilanStatus, JobSearchPreferences, SavedOffer
from tests.francetravail_fake import FakeFranceTravail, make_offers, running
from tests.unit.test_skills import open_bilan

K9901_OFFERS = [offer for offer in make_offers(353) if offer["romeCode"] == "K9901"]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def fake_server():
    with running(FakeFranceTravail()) as server:
        yield server


@pytest.fixture
def fake(fake_server, world, set_env):
    """France Travail configured and pointing at the fake (a new client: no cache from another test)."""
    fake_server.reset()
    set_env(**fake_server.env())
    reset_client()
    yield fake_server
    reset_client()
    fake_server.reset()


@pytest.fixture
def bilan(world) -> uuid.UUID:
    """Organisation A's beneficiary's bilan (preliminary phase), with two kept targets."""
    bilan_id = open_bilan(world)
    for code, libelle in (("K9901", "Gardien de phare"), ("M9903", "Informaticien quantique")):
        recommendations.keep_target(world.consultant_a, bilan_id, {"code_rome": code, "libelle": libelle})
    return bilan_id


def _events(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(
            session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.created_at)))
        )


def _search_queries(fake: FakeFranceTravail) -> list[dict[str, str]]:
    return [query for _, path, query in fake.requests if path.endswith("/offres/search")]


# ---------------------------------------------------------------- preferences


def test_bad_preferences_are_refused_field_by_field_and_nothing_is_saved(world, bilan):
    with pytest.raises(FormError) as caught:
        job_search.save_preferences(
            world.beneficiary_a,
            bilan,
            {
                "commune": "29999",
                "rayon_km": "7",
                "type_contrat": ["CDI", "STAGE"],
                "temps_travail": "mi-temps",
                "salaire_min": "24k",
            },
        )
    assert caught.value.fields == {
        "commune": "job_search.error.commune_unknown",
        "rayon_km": "job_search.error.radius",
        "type_contrat": "job_search.error.contract",
        "temps_travail": "job_search.error.temps_travail",
        "salaire_min": "job_search.error.salary",
    }
    assert "liste officielle" in translate("job_search.error.commune_unknown")
    assert job_search.get_preferences(world.beneficiary_a, bilan) == job_search.Preferences()
    assert _events(job_search.JobSearchAction.PREFERENCES_UPDATED) == []


def test_preferences_are_saved_with_the_commune_encrypted_and_audited_without_it(world, bilan):
    saved = job_search.save_preferences(
        world.beneficiary_a,
        bilan,
        {"commune": "2a004", "rayon_km": "20", "type_contrat": "CDD CDI", "temps_travail": "partiel"},
    )
    # Without France Travail: the commune and its label come from the official list.
    assert (saved.commune, saved.commune_libelle, saved.rayon_km) == ("2A004", "Ajaccio (2A)", 20)
    assert (saved.type_contrat, saved.temps_travail, saved.salaire_min) == (("CDI", "CDD"), "partiel", None)
    with session_scope() as session:
        row = session.exec(select(JobSearchPreferences)).one()
    assert "2A004" not in row.commune_encrypted and row.commune_encrypted
    [event] = _events(job_search.JobSearchAction.PREFERENCES_UPDATED)
    assert event.changes["commune"] == {"before": False, "after": True}
    assert event.changes["rayon_km"] == {"before": 30, "after": 20}
    assert "2A004" not in str(event.changes)

    again = job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "2A004", "salaire_min": "24 000"})
    assert (again.salaire_min, again.rayon_km, again.type_contrat) == (24000, 30, ())
    assert "commune" not in _events(job_search.JobSearchAction.PREFERENCES_UPDATED)[-1].changes

    # The follower reads them (audited); the matching profile takes them as constraints.
    seen = job_search.get_preferences(world.consultant_a, bilan)
    assert seen.commune == "2A004"
    assert [e.changes for e in _events("bilan.personal_data_read")][-1] == {"read": "job_search_preferences"}
    profile = Profile(**seen.profile_constraints())
    assert (profile.commune, profile.rayon_km, profile.salaire_min) == ("2A004", 30, 24000)


def test_the_commune_reaches_the_training_suggestions_and_the_analysis(world, bilan, monkeypatch):
    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019", "rayon_km": "50"})
    communes: list[str] = []

    def suggest(actor: Any, code_rome: str, gap: Any, **options: Any) -> list[Any]:
        communes.append(options["commune"])
        return []

    monkeypatch.setattr(recommendations, "suggest_courses", suggest)
    recommendations.kept_targets(world.beneficiary_a, bilan)
    assert communes == ["29019", "29019"]

    profiles: list[dict[str, Any]] = []
    real = recommendations.profile_from_bilan

    def profile_from_bilan(*args: Any, **kwargs: Any) -> Profile:
        profiles.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(recommendations, "profile_from_bilan", profile_from_bilan)
    recommendations.analyse(world.consultant_a, bilan)
    assert (profiles[0]["commune"], profiles[0]["rayon_km"]) == ("29019", 50)


def test_only_the_beneficiary_edits_and_only_while_the_bilan_is_open(world, bilan):
    with pytest.raises(AccessDenied):
        job_search.save_preferences(world.consultant_a, bilan, {"commune": "29019"})
    with pytest.raises(NotFound):
        job_search.save_preferences(world.beneficiary_b, bilan, {"commune": "29019"})
    with pytest.raises(NotFound):
        job_search.get_preferences(world.consultant_b, bilan)
    transition(world.consultant_a, bilan, BilanStatus.ABANDONNE, "Déménagement")
    with pytest.raises(ServiceError) as caught:
        job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019"})
    assert caught.value.code == "error.bilan_closed"
    assert job_search.get_preferences(world.beneficiary_a, bilan).commune == ""  # still readable


# ---------------------------------------------------------------- communes, from the official list


def _labels(query: str) -> list[str]:
    return [hit.label for hit in job_search.find_communes(query)]


def test_communes_are_found_locally_and_france_travail_is_asked_only_for_offers(fake, bilan, world):
    [lyon, *_] = job_search.find_communes("Lyon")
    assert (lyon.code, lyon.label, lyon.description) == ("69123", "Lyon (69)", "Lyon (69) — 69001, 69002, 69003…")
    assert _labels("lyon")[0] == "Lyon (69)"
    assert _labels("St Etienne")[0] == _labels("Saint-Étienne")[0] == "Saint-Étienne (42)"
    assert [hit.description for hit in job_search.find_communes("42000")] == [
        "Saint-Étienne (42) — 42000, 42100, 42230"
    ]
    assert _labels("l'hay les roses") == ["L'Haÿ-les-Roses (94)"]
    sainte_marie = [label for label in _labels("Sainte Marie") if label.startswith("Sainte-Marie (")]
    assert len(sainte_marie) >= 8 and sainte_marie[:2] == ["Sainte-Marie (974)", "Sainte-Marie (972)"]
    assert job_search.find_communes("Xyzzyville") == []

    # The commune picked in the suggestions is saved by its INSEE code, with the list's label.
    saved = job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "69123", "commune_query": "Lyon (69)"})
    assert (saved.commune, saved.commune_libelle) == ("69123", "Lyon (69)")
    with session_scope() as session:
        row = session.exec(select(JobSearchPreferences)).one()
    assert row.commune_encrypted and "69123" not in row.commune_encrypted and "Lyon" not in row.commune_encrypted
    # An arrondissement's code is its city's; what she typed counts when it designates one commune.
    assert job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "69383"}).commune == "69123"
    saved = job_search.save_preferences(world.beneficiary_a, bilan, {"commune_query": "st etienne"})
    assert (saved.commune, saved.commune_libelle) == ("42218", "Saint-Étienne (42)")
    for raw, key in (
        ({"commune_query": "Xyzzyville"}, "job_search.error.commune_none"),
        ({"commune_query": "Sainte Marie"}, "job_search.error.commune_ambiguous"),
        ({"commune": "29999"}, "job_search.error.commune_unknown"),
    ):
        with pytest.raises(FormError) as caught:
            job_search.save_preferences(world.beneficiary_a, bilan, raw)
        assert caught.value.fields == {"commune": key}
    assert translate(caught.value.fields["commune"], **caught.value.params) == (
        "Ce code ne correspond à aucune commune de la liste officielle : "
        "cherchez votre commune par son nom ou son code postal."
    )
    with pytest.raises(FormError) as caught:
        job_search.save_preferences(world.beneficiary_a, bilan, {"commune_query": "Xyzzyville"})
    assert translate(caught.value.fields["commune"], **caught.value.params).startswith(
        "Aucune commune ne correspond à « Xyzzyville »"
    )
    assert job_search.get_preferences(world.beneficiary_a, bilan).commune == "42218"  # nothing saved then
    assert fake.requests == [] and fake.token_requests == 0  # no France Travail request for a commune

    # The offers search sends the INSEE code; a commune typed in its form is resolved the same way.
    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "69123", "rayon_km": "10"})
    page = job_search.search_offers(world.beneficiary_a, bilan, {})
    assert (page.commune, page.commune_label, page.distance) == ("69123", "Lyon (69)", 10)
    assert _search_queries(fake)[-1]["commune"] == "69123"
    job_search.search_offers(world.beneficiary_a, bilan, {"commune": "Lyon (69)"})
    assert _search_queries(fake)[-1]["commune"] == "69123"
    job_search.search_offers(world.beneficiary_a, bilan, {"commune": "42100"})
    assert _search_queries(fake)[-1]["commune"] == "42218"
    assert {path for _, path, _ in fake.requests} == {"/offresdemploi/v2/offres/search"}  # offers only


def test_the_consultant_sees_the_communes_label(world, bilan):
    from services.display.recommendations import search_area

    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "69123", "rayon_km": "20"})
    seen = job_search.get_preferences(world.consultant_a, bilan)
    assert search_area(seen, "fr") == "Offres recherchées autour de Lyon (69), dans un rayon de 20 km."
    # A commune saved before the list was used (code only, or a référentiel label) reads with the list's label.
    for libelle in ("", "Brest (29200)"):
        with session_scope() as session:
            row = session.exec(select(JobSearchPreferences)).one()
            row.commune_encrypted = encrypt_text(json.dumps({"code": "29019", "libelle": libelle}))
            session.add(row)
        assert job_search.get_preferences(world.consultant_a, bilan).commune_libelle == "Brest (29)"


# ---------------------------------------------------------------- offers


def test_offers_for_all_targets_around_her_commune_with_paging(fake, bilan, world):
    job_search.save_preferences(
        world.beneficiary_a, bilan, {"commune": "29019", "rayon_km": "20", "temps_travail": "plein"}
    )
    page = job_search.search_offers(world.beneficiary_a, bilan, {})
    assert (page.total, page.start, len(page.offers), page.codes) == (353, 0, 20, ["K9901", "M9903"])
    assert (page.commune, page.distance) == ("29019", 20)
    assert _search_queries(fake)[-1] == {
        "codeROME": "K9901,M9903",
        "commune": "29019",
        "distance": "20",
        "tempsPlein": "true",
        "range": "0-19",
    }
    first = page.offers[0]
    assert first.snapshot == OfferSnapshot(
        offer_id="FT000000",
        title="Offre fictive n°0 (K9901)",
        company="Phares et Balises fictifs",
        place="29 - BREST",
        contract="CDI · Contrat à durée indéterminée",
        code_rome="K9901",
    )
    assert first.url == "https://candidat.francetravail.fr/offres/recherche/detail/FT000000"
    assert (first.salary, first.published.year) == ("Mensuel de 2000 Euros", 2025)
    assert page.offers[5].salary == ""  # not given by France Travail

    second = job_search.search_offers(world.beneficiary_a, bilan, {}, start=20)
    assert (second.start, second.offers[0].snapshot.offer_id) == (20, "FT000020")
    assert _search_queries(fake)[-1]["range"] == "20-39"
    for start in (10, -20, 1020):
        with pytest.raises(ServiceError) as caught:
            job_search.search_offers(world.beneficiary_a, bilan, {}, start=start)
        assert caught.value.code == "francetravail.error.paging"


def test_offers_for_one_target_with_filters(fake, bilan, world):
    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019", "type_contrat": ["CDI"]})
    page = job_search.search_offers(
        world.beneficiary_a,
        bilan,
        {
            "code_rome": "k9901",
            "commune": "29232",
            "distance": "50",
            "type_contrat": ["CDD"],
            "temps_travail": "partiel",
            "experience": "D",
            "publiee_depuis": "7",
            "mots_cles": "offre, fictive",
        },
    )
    assert _search_queries(fake)[-1] == {
        "codeROME": "K9901",
        "commune": "29232",
        "distance": "50",
        "typeContrat": "CDD",
        "tempsPlein": "false",
        "experienceExigence": "D",
        "publieeDepuis": "7",
        "motsCles": "offre,fictive",
        "range": "0-19",
    }
    expected = [offer["id"] for offer in K9901_OFFERS if offer["typeContrat"] == "CDD"]
    assert page.total == len(expected) and [offer.snapshot.offer_id for offer in page.offers] == expected[:20]
    assert {offer.contract_code for offer in page.offers} == {"CDD"}

    # A field sent empty means no filter: the whole country, every contract.
    job_search.search_offers(world.beneficiary_a, bilan, {"commune": "", "type_contrat": []})
    assert "commune" not in _search_queries(fake)[-1] and "typeContrat" not in _search_queries(fake)[-1]


def test_bad_filters_are_refused_before_any_request(fake, bilan, world):
    with pytest.raises(FormError) as caught:
        job_search.search_offers(
            world.beneficiary_a,
            bilan,
            {
                "code_rome": "A1234",
                "commune": "Xyzzyville",
                "distance": "7",
                "experience": "X",
                "publiee_depuis": "2",
                "mots_cles": "<script>",
            },
        )
    assert caught.value.fields == {
        "code_rome": "job_search.error.target",
        "commune": "job_search.error.commune_none",
        "distance": "job_search.error.radius",
        "experience": "job_search.error.experience",
        "publiee_depuis": "job_search.error.publiee_depuis",
        "mots_cles": "job_search.error.keywords",
    }
    with pytest.raises(FormError) as caught:
        job_search.search_offers(world.beneficiary_a, bilan, {"mots_cles": "x" * 121})
    assert caught.value.fields == {"mots_cles": "job_search.error.keywords_long"}
    assert _search_queries(fake) == []


def test_no_kept_target_no_search(fake, world):
    bilan_id = open_bilan(world)
    with pytest.raises(ServiceError) as caught:
        job_search.search_offers(world.beneficiary_a, bilan_id, {})
    assert caught.value.code == "job_search.error.no_targets"
    assert fake.requests == []


def test_a_rate_limit_is_waited_out_and_an_outage_is_a_french_message(fake, bilan, world):
    fake.fail("/offres/search", 429, headers={"Retry-After": "0"})
    assert job_search.search_offers(world.beneficiary_a, bilan, {}).total == 353
    assert fake.hits_for("/offres/search") == 2

    fake.fail("/offres/search", 500, times=3)  # every attempt (FRANCE_TRAVAIL_MAX_ATTEMPTS=3)
    with pytest.raises(FranceTravailUnavailable) as caught:
        job_search.search_offers(world.beneficiary_a, bilan, {"code_rome": "M9903"})
    assert caught.value.message() == translate("francetravail.error.unavailable")
    assert "indisponible" in caught.value.message()

    fake.malformed("/offres/search")
    with pytest.raises(FranceTravailBadAnswer):
        job_search.search_offers(world.beneficiary_a, bilan, {"mots_cles": "autre"})


def test_followers_search_too_and_their_reads_are_logged_others_are_refused(fake, bilan, world):
    assert job_search.search_offers(world.consultant_a, bilan, {"code_rome": "M9903"}).total == 176
    assert [e.changes for e in _events("bilan.personal_data_read")] == [{"read": "job_search"}]
    job_search.search_offers(world.beneficiary_a, bilan, {})
    assert len(_events("bilan.personal_data_read")) == 1  # her own reads are not logged
    requests = len(fake.requests)
    for other in (world.beneficiary_b, world.consultant_b, world.admin_b):
        with pytest.raises(NotFound):
            job_search.search_offers(other, bilan, {})
        with pytest.raises(NotFound):
            job_search.search_companies(other, bilan, {"commune": "29019"})
    with pytest.raises(AccessDenied):
        job_search.search_offers(world.platform, bilan, {})
    assert len(fake.requests) == requests  # refused before France Travail is asked


# ---------------------------------------------------------------- offers kept for the plan


def test_keeping_an_offer_is_idempotent_and_audited(world, bilan):
    offer = OfferSnapshot(
        offer_id="FT000004",
        title="Offre fictive n°4 (K9901)",
        company="Phares et Balises fictifs",
        place="29 - BREST",
        contract="CDD · Contrat à durée déterminée - 6 Mois",
        code_rome="K9901",
    )
    first = job_search.save_offer(world.beneficiary_a, bilan, offer)
    assert job_search.save_offer(world.beneficiary_a, bilan, offer) == first
    other = job_search.save_offer(
        world.beneficiary_a, bilan, OfferSnapshot(offer_id="XYZ12", title="Hors piste", code_rome="Z9999")
    )
    [newest, kept] = job_search.saved_offers(world.beneficiary_a, bilan)
    assert (newest.id, newest.snapshot.code_rome) == (other, "")  # not a kept target: no target recorded
    assert (kept.id, kept.snapshot) == (first, offer)
    assert kept.url == "https://candidat.francetravail.fr/offres/recherche/detail/FT000004"
    assert [e.changes for e in _events(job_search.JobSearchAction.OFFER_SAVED)] == [
        {"offer": {"before": None, "after": "FT000004"}},
        {"offer": {"before": None, "after": "XYZ12"}},
    ]

    # The follower reads them (audited) but does not change them.
    assert [view.id for view in job_search.saved_offers(world.consultant_a, bilan)] == [other, first]
    assert _events("bilan.personal_data_read")[-1].changes == {"read": "saved_offers"}
    with pytest.raises(AccessDenied):
        job_search.save_offer(world.consultant_a, bilan, offer)
    with pytest.raises(AccessDenied):
        job_search.remove_offer(world.admin_a, bilan, "FT000004")
    with pytest.raises(NotFound):
        job_search.saved_offers(world.beneficiary_b, bilan)
    with pytest.raises(ServiceError) as caught:
        job_search.save_offer(world.beneficiary_a, bilan, OfferSnapshot(offer_id="../x", title="?"))
    assert caught.value.code == "job_search.error.offer"

    job_search.remove_offer(world.beneficiary_a, bilan, "FT000004")
    job_search.remove_offer(world.beneficiary_a, bilan, "FT000004")  # already gone: nothing happens
    assert [view.id for view in job_search.saved_offers(world.beneficiary_a, bilan)] == [other]
    assert len(_events(job_search.JobSearchAction.OFFER_REMOVED)) == 1
    with session_scope() as session:
        assert len(session.exec(select(SavedOffer)).all()) == 1


# ---------------------------------------------------------------- companies


def test_companies_around_her_commune_for_a_kept_target(fake, bilan, world):
    with pytest.raises(FormError) as caught:
        job_search.search_companies(world.beneficiary_a, bilan, {})
    assert caught.value.fields == {"commune": "job_search.error.commune_required"}
    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019", "rayon_km": "10"})

    page = job_search.search_companies(world.beneficiary_a, bilan, {"code_rome": "M9903"})
    _, path, query = fake.requests[-1]
    assert (path, query) == ("/labonneboite/v2/recherche", {"rome": "M9903", "citycode": "29019", "distance": "10"})
    assert (page.total, page.code_rome, page.commune, page.distance) == (12, "M9903", "29019", 10)
    first, second = page.companies
    assert (first.name, first.naf_label, first.headcount, first.city) == (
        "Phares du Ponant",
        "Services auxiliaires des transports par eau",
        "10-19",
        "Brest",
    )
    assert (first.hiring_potential, second.name, second.hiring_potential) == (2.5, "Balises & Co", None)

    assert job_search.search_companies(world.beneficiary_a, bilan, {"distance": "50"}).code_rome == "K9901"
    with pytest.raises(FormError) as caught:
        job_search.search_companies(world.beneficiary_a, bilan, {"code_rome": "A1234", "distance": "3"})
    assert caught.value.fields == {"code_rome": "job_search.error.target", "distance": "job_search.error.radius"}


# ---------------------------------------------------------------- without credentials


def test_without_france_travail_the_searches_say_so_and_the_rest_works(world, bilan):
    assert not job_search.available()
    for call in (
        lambda: job_search.search_offers(world.beneficiary_a, bilan, {}),
        lambda: job_search.search_companies(world.beneficiary_a, bilan, {"commune": "29019"}),
    ):
        with pytest.raises(FranceTravailNotConfigured) as caught:
            call()
        assert caught.value.message().startswith("Le service France Travail n'est pas configuré sur cette plateforme")
    assert job_search.find_communes("brest")[0].label == "Brest (29)"  # the list needs no credentials
    assert job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019"}).commune == "29019"
    job_search.save_offer(world.beneficiary_a, bilan, OfferSnapshot(offer_id="FT000001", title="Offre"))
    assert len(job_search.saved_offers(world.beneficiary_a, bilan)) == 1


# ---------------------------------------------------------------- the page's state


def _page_state(world, key: str, path: str = routes.OFFERS) -> Any:
    from state.job_search import JobSearchState

    state = JobSearchState(_reflex_internal_init=True)
    state.session_token = world.person(key).token
    state.router = dataclasses.replace(state.router, url=ReflexURL(f"http://localhost:3000{path}"))
    return state


def _run(handler: Any, state: Any, *args: Any) -> Any:
    """Call an event handler's function on a state built outside a running app."""
    result = handler.fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def test_the_page_keeps_what_was_typed_and_shows_errors_next_to_the_fields(world, bilan):
    from state.job_search import JobSearchState as S

    state = _page_state(world, "beneficiary_a")
    assert _run(S.load, state) is None
    assert (state.page_status, state.configured) == ("ready", False)
    assert [row["code_rome"] for row in state.targets] == ["K9901", "M9903"]
    assert _run(S.set_commune_query, state, "Xyzzyville") is S.suggest_communes
    _run(S.suggest_communes, state)
    none = "Aucune commune ne correspond à « Xyzzyville » : vérifiez l'orthographe, ou tapez le code postal."
    assert (state.commune_hits, state.pref_errors) == ([], {"commune": none})
    _run(S.set_pref, state, "salaire_min", "beaucoup")
    _run(S.set_pref, state, "not_a_field", "x")
    _run(S.toggle_pref_contract, state, "CDD")
    _run(S.toggle_pref_contract, state, "CDI")
    _run(S.save_preferences, state)
    assert state.pref_errors == {"commune": none, "salaire_min": translate("job_search.error.salary")}
    assert state.pref_error == translate("error.form")
    assert (state.commune_query, state.prefs["salaire_min"], state.pref_contracts) == (
        "Xyzzyville",
        "beaucoup",
        ["CDI", "CDD"],
    )
    assert "not_a_field" not in state.prefs

    # She types "Lyon", goes down the suggestions with the keyboard and picks the first with Enter.
    _run(S.set_commune_query, state, "Lyon")
    assert "commune" not in state.pref_errors
    _run(S.suggest_communes, state)
    assert state.commune_hits[0] == {
        "code": "69123",
        "label": "Lyon (69)",
        "description": "Lyon (69) — 69001, 69002, 69003…",
        "id": "commune-option-0",
    }
    assert state.commune_status == f"{len(state.commune_hits)} commune(s) trouvée(s) : choisissez la vôtre."
    _run(S.commune_key, state, "ArrowDown")
    _run(S.commune_key, state, "ArrowDown")
    _run(S.commune_key, state, "ArrowUp")
    assert (state.commune_active, state.commune_active_id) == (0, "commune-option-0")
    _run(S.commune_key, state, "l")  # typing goes to the field, not the list
    _run(S.pick_commune, state)
    assert (state.prefs["commune"], state.commune_query, state.commune_hits) == ("69123", "Lyon (69)", [])
    _run(S.set_pref, state, "salaire_min", "26000")
    _run(S.save_preferences, state)
    assert (state.pref_errors, state.pref_notice) == ({}, translate("jobs.prefs.saved"))
    assert state.commune_saved == "Commune enregistrée : Lyon (69)"
    assert (state.filters["commune"], state.filter_contracts) == ("Lyon (69)", ["CDI", "CDD"])
    assert job_search.get_preferences(world.beneficiary_a, bilan).commune == "69123"

    # Typing again drops the pick; Escape closes the list; an emptied field searches all of France.
    _run(S.set_commune_query, state, "Sainte Marie")
    _run(S.suggest_communes, state)
    assert state.prefs["commune"] == "" and len(state.commune_hits) > 1
    _run(S.commune_key, state, "Escape")
    assert state.commune_hits == []
    _run(S.save_preferences, state)
    assert state.pref_errors["commune"].startswith("Plusieurs communes correspondent à « Sainte Marie »")
    _run(S.set_commune_query, state, "")
    _run(S.save_preferences, state)
    assert (state.pref_errors, state.commune_saved) == ({}, "")
    assert job_search.get_preferences(world.beneficiary_a, bilan).commune == ""

    # Not configured: the searches are not offered, and saying so costs nothing.
    _run(S.search_offers, state)
    assert state.offers_error == FR["francetravail.error.not_configured"]
    assert state.offers == []


def test_the_page_searches_pages_keeps_offers_and_finds_companies(fake, world, bilan):
    from state.job_search import JobSearchState as S

    job_search.save_preferences(world.beneficiary_a, bilan, {"commune": "29019", "rayon_km": "30"})
    state = _page_state(world, "beneficiary_a", routes.offers_for("K9901"))
    # Arriving from "Mes pistes" with a target: the search starts at once.
    assert _run(S.load, state) is S.search_offers
    assert (state.configured, state.filters["code_rome"], state.company_target) == (True, "K9901", "K9901")
    _run(S.search_offers, state)
    assert state.offers_message == "Offres 1–20 sur 177"
    assert state.offers_where == "Autour de la commune Brest (29), dans un rayon de 30 km."
    assert (state.offers_start, state.offers_more) == (0, True)
    assert state.offers[0]["link_label"] == (
        "Voir l'offre sur France Travail : Offre fictive n°0 (K9901) (nouvel onglet)"
    )

    _run(S.next_offers, state)
    assert (state.offers_message, state.offers[0]["id"]) == ("Offres 21–40 sur 177", "FT000040")
    _run(S.previous_offers, state)
    assert (state.offers_message, state.offers_start) == ("Offres 1–20 sur 177", 0)
    assert [query["range"] for query in _search_queries(fake)] == ["0-19", "20-39"]  # the first page: cached
    fake.requests.clear()
    _run(S.previous_offers, state)  # already on the first page: nothing asked
    assert (state.offers_start, fake.requests) == (0, [])

    # A refused filter: the message is next to it, what was typed stays, the results too.
    _run(S.set_filter, state, "mots_cles", "<b>")
    _run(S.search_offers, state)
    assert state.filter_errors == {"mots_cles": translate("job_search.error.keywords")}
    assert (state.filters["mots_cles"], len(state.offers)) == ("<b>", 20)
    # A France Travail outage: its French message, the page goes on.
    _run(S.set_filter, state, "mots_cles", "")
    fake.fail("/offres/search", 500, times=3)
    _run(S.toggle_filter_contract, state, "CDD")
    _run(S.search_offers, state)
    assert state.offers_error == translate("francetravail.error.unavailable")
    assert state.filter_contracts == ["CDD"]
    _run(S.search_offers, state)
    assert (state.offers_error, state.offers_message) == (
        "",
        f"Offres 1–20 sur {len([o for o in K9901_OFFERS if o['typeContrat'] == 'CDD'])}",
    )

    # Keeping an offer (twice: once kept), then removing it.
    offer_id = state.offers[0]["id"]
    _run(S.save_offer, state, offer_id)
    _run(S.save_offer, state, offer_id)
    assert state.saved_ids == [offer_id] and state.saved[0]["target"] == "Piste : Gardien de phare"
    assert state.saved_message == translate("jobs.saved_notice", title=state.offers[0]["title"])
    _run(S.remove_offer, state, offer_id)
    assert state.saved == [] and state.saved_message.startswith("Offre retirée")

    # Companies around the same commune.
    _run(S.search_companies, state)
    assert state.companies_message == (
        "2 entreprise(s) affichée(s) sur 12, dans un rayon de 30 km autour de la commune Brest (29)."
    )
    assert state.companies[0]["details"] == (
        "Secteur : Services auxiliaires des transports par eau · Effectif : 10-19 salariés · Brest"
    )
    assert state.companies[0]["potential"] == "Potentiel d'embauche (La Bonne Boîte) : 2,5"
    _run(S.set_filter, state, "commune", "")
    _run(S.search_companies, state)
    assert state.companies_error == translate("job_search.error.commune_required")

    # A suggestion picked with the mouse; no France Travail request for it.
    fake.requests.clear()
    _run(S.set_commune_query, state, "saint denis")
    _run(S.suggest_communes, state)
    assert [row["label"] for row in state.commune_hits[:2]] == ["Saint-Denis (974)", "Saint-Denis (93)"]
    _run(S.choose_commune, state, state.commune_hits[1]["code"])
    assert (state.prefs["commune"], state.prefs["commune_libelle"]) == ("93066", "Saint-Denis (93)")
    _run(S.save_preferences, state)
    assert state.commune_saved == "Commune enregistrée : Saint-Denis (93)"
    assert fake.requests == []


def test_another_persons_page_shows_nothing_of_hers(world, bilan):
    from state.job_search import JobSearchState as S

    state = _page_state(world, "beneficiary_b")
    _run(S.load, state)
    assert (state.page_status, state.targets, state.saved) == ("none", [], [])
    consultant = _page_state(world, "consultant_a")
    _run(S.load, consultant)
    assert consultant.denied_route == routes.OFFERS and consultant.targets == []


def test_the_pages_keys_exist_in_both_locales():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [
        "state/job_search.py",
        "services/display/job_search.py",
        "bilan_app/pages/job_search.py",
        "services/job_search.py",
        "components/offers.py",
    ]
    text = "".join((root / name).read_text() for name in sources)
    keys = set(re.findall(r'"((?:jobs|job_search|pistes)\.[A-Za-z_]+(?:\.[A-Za-z0-9_]+)*)"', text))
    assert len(keys) > 20, "the pattern found too few keys"
    # Audit actions ("job_search.offer_saved") are labelled as "audit.<action>", as the history screens read them.
    labels = {key if key in FR else f"audit.{key}" for key in keys}
    assert sorted(label for label in labels if label not in FR or label not in EN) == []
    for prefix in ("jobs.contract.", "jobs.experience.", "jobs.published.", "jobs.working_time."):
        assert {key for key in FR if key.startswith(prefix)}, prefix


def test_only_an_offer_id_of_france_travails_form_gets_a_link():
    assert job_search.offer_url("194XKQW") == "https://candidat.francetravail.fr/offres/recherche/detail/194XKQW"
    for not_theirs in ("DEMOEXEMPLE01", "", "12/../x", "ab"):
        assert job_search.offer_url(not_theirs) == ""
