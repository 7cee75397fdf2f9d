"""services.francetravail: the real client (httpx included) against the fake France Travail server."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from services.francetravail import (
    FranceTravailAuthError,
    FranceTravailBadAnswer,
    FranceTravailBadRequest,
    FranceTravailClient,
    FranceTravailError,
    FranceTravailNotConfigured,
    FranceTravailNotFound,
    FranceTravailRateLimited,
    FranceTravailTimeout,
    FranceTravailUnavailable,
    OfferFilters,
    get_client,
    parse_content_range,
    parse_retry_after,
    reset_client,
)
from services.francetravail.cache import MemoryCache, RedisCache, cache_key, make_cache
from services.francetravail.ratelimit import TokenBucket, parse_rate_limits
from services.i18n import translate
from tests.francetravail_fake import CLIENT_ID, CLIENT_SECRET, FakeFranceTravail, running

FAST_RATES = {"offres": 1000.0, "rome": 1000.0, "romeo": 1000.0, "labonneboite": 1000.0, "stats": 1000.0}


@pytest.fixture(scope="module")
def fake_server():
    with running(FakeFranceTravail()) as server:
        yield server


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    yield fake_server
    fake_server.reset()


def make_client(fake: FakeFranceTravail, **overrides) -> FranceTravailClient:
    options = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token_url": fake.token_url,
        "api_url": fake.api_url,
        "timeout": 2.0,
        "connect_timeout": 1.0,
        "max_attempts": 3,
        "backoff": 0.01,
        "max_wait": 5.0,
        "rate_limits": FAST_RATES,
        "cache": MemoryCache(),
    }
    options.update(overrides)
    return FranceTravailClient(**options)


@pytest.fixture
def client(fake):
    with make_client(fake) as ft:
        yield ft


# ---------------------------------------------------------------- authentication


def test_token_is_requested_once_form_encoded_with_realm_and_scopes(fake, client):
    client.search_offers({"code_rome": ["K9901"]})
    client.search_offers({"code_rome": ["M9903"]})
    client.get_offer("FT000002")

    assert fake.token_requests == 1
    assert client.auth.requests_made == 1
    assert fake.token_queries == [{"realm": "/partenaire"}]
    form = fake.token_forms[0]
    assert form["grant_type"] == "client_credentials"
    assert (form["client_id"], form["client_secret"]) == (CLIENT_ID, CLIENT_SECRET)
    assert set(form["scope"].split()) == {"api_offresdemploiv2", "o2dsoffre"}
    assert fake.unauthorized == 0


def test_one_token_per_scope_set(fake, client):
    client.search_offers({"code_rome": ["K9901"]})
    client.get_fiche_metier("K9901")
    client.get_metier("K9901")
    client.get_fiche_metier("K9902")

    # offres, rome-fiches-metiers and rome-metiers each have their scopes
    assert fake.token_requests == 3
    assert {frozenset(form["scope"].split()) for form in fake.token_forms} == {
        frozenset({"api_offresdemploiv2", "o2dsoffre"}),
        frozenset({"api_rome-fiches-metiersv1", "nomenclatureRome"}),
        frozenset({"api_rome-metiersv1", "nomenclatureRome"}),
    }


def test_token_is_refreshed_before_it_expires(fake, client):
    fake.expires_in = 0.5  # the client renews 0.05 s before the end
    client.search_offers({"code_rome": ["K9901"]})
    client.search_offers({"code_rome": ["K9901"], "mots_cles": "offre"})
    assert fake.token_requests == 1
    time.sleep(0.47)
    client.search_offers({"code_rome": ["M9903"]})

    assert fake.token_requests == 2
    assert fake.unauthorized == 0  # renewed proactively: the API never saw the old token expired


def test_401_drops_the_token_and_retries_once_with_a_new_one(fake, client):
    client.search_offers({"code_rome": ["K9901"]})
    fake.revoke_tokens()

    result = client.search_offers({"code_rome": ["M9903"]})

    assert result.total > 0
    assert fake.unauthorized == 1
    assert fake.token_requests == 2
    assert fake.hits_for("/offres/search") == 2


def test_a_second_401_in_a_row_is_an_auth_error(fake, client):
    fake.fail("/offres/search", 401, times=2)
    with pytest.raises(FranceTravailAuthError) as caught:
        client.search_offers({"code_rome": ["K9901"]})
    assert fake.token_requests == 2  # one refresh, not a loop
    assert caught.value.message() == translate("francetravail.error.auth")


def test_wrong_credentials_are_an_auth_error(fake):
    with make_client(fake, client_secret="not-the-secret") as ft, pytest.raises(FranceTravailAuthError):
        ft.get_fiche_metier("K9901")
    assert fake.hits_for("/") == 0


def test_concurrent_callers_share_one_token_request(fake, client):
    errors: list[Exception] = []

    def call(index: int) -> None:
        try:
            client.search_offers({"code_rome": ["K9901"]}, start=index)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert fake.token_requests == 1
    assert fake.hits_for("/offres/search") == 8


# ---------------------------------------------------------------- offers: filters and paging


def test_filters_are_sent_with_the_api_names(fake, client):
    filters = OfferFilters(
        mots_cles="phare",
        code_rome=["K9901", "M9903"],
        commune=["29019"],
        distance=30,
        type_contrat=["CDI", "CDD"],
        experience_exigence="D",
        qualification=0,
        temps_plein=True,
        publiee_depuis=7,
        sort=1,
    )
    client.search_offers(filters)

    _, _, query = fake.requests[-1]
    assert query == {
        "motsCles": "phare",
        "codeROME": "K9901,M9903",
        "commune": "29019",
        "distance": "30",
        "typeContrat": "CDI,CDD",
        "experienceExigence": "D",
        "qualification": "0",
        "tempsPlein": "true",
        "publieeDepuis": "7",
        "sort": "1",
        "range": "0-149",
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"publiee_depuis": 2},
        {"code_rome": ["K99"]},
        {"commune": ["1", "2", "3", "4", "5", "6"]},
        {"sort": 3},
        {"unknown_filter": "x"},
    ],
)
def test_invalid_filters_are_refused_before_any_request(fake, client, bad):
    with pytest.raises(ValidationError):
        client.search_offers(bad)
    assert fake.hits_for("/") == 0


def test_one_page_206_gives_the_total_from_content_range(fake, client):
    result = client.search_offers({}, limit=150)

    assert len(result.offers) == 150
    assert result.total == 353
    assert result.pages == 1
    assert fake.ranges() == ["0-149"]
    offer = result.offers[0]
    assert offer.id == "FT000000"
    assert offer.lieu_travail.commune == "29019"
    assert offer.appellation_libelle == "Gardien / Gardienne de phare"
    assert offer.accessible_th is True
    assert offer.entreprise.description == ""  # null in the answer
    assert offer.origine_offre.url_origine.endswith("/offres/0")
    assert offer.date_creation == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_paging_goes_to_the_total(fake, client):
    result = client.search_offers({}, limit=1000)

    assert fake.ranges() == ["0-149", "150-299", "300-449"]
    assert result.total == 353
    assert len(result.offers) == 353
    assert len({offer.id for offer in result.offers}) == 353
    assert result.complete is True
    assert result.pages == 3


def test_paging_from_an_offset(fake, client):
    result = client.search_offers({"code_rome": ["K9901"]}, start=100, limit=20)

    assert fake.ranges() == ["100-119"]
    assert [offer.id for offer in result.offers][:2] == ["FT000200", "FT000202"]
    assert result.total == 177  # the K9901 offers: every other one of 353
    assert result.start == 100


def test_paging_stops_at_the_api_limits(fake, client):
    fake.offers = fake.offers * 6  # 2118 results
    result = client.search_offers({}, limit=5000)

    # 0-149 ... 900-1049, then 1000-1149 (a range may not start beyond 1000) without the overlap
    assert fake.ranges() == [f"{first}-{first + 149}" for first in range(0, 1000, 150)] + ["1000-1149"]
    assert len(result.offers) == 1150
    assert [offer.id for offer in result.offers[1048:1052]] == ["FT000342", "FT000343", "FT000344", "FT000345"]
    assert result.total == 2118
    assert result.complete is False


def test_a_start_beyond_1000_is_refused_without_a_request(fake, client):
    with pytest.raises(FranceTravailBadRequest) as caught:
        client.search_offers({}, start=1001)
    assert caught.value.code == "francetravail.error.paging"
    assert fake.hits_for("/") == 0


def test_the_fake_enforces_the_paging_limits(fake, client):
    """The fake must answer 400 like the API beyond the limits; the client maps 400 to a typed error."""
    token = client.auth.token("api_offresdemploiv2 o2dsoffre")
    url = f"{fake.api_url}/offresdemploi/v2/offres/search"
    headers = {"Authorization": f"Bearer {token}"}
    for bad_range in ("0-150", "1001-1010", "1000-1150", "10-5"):
        assert httpx.get(url, params={"range": bad_range}, headers=headers).status_code == 400
    assert httpx.get(url, params={"range": "1000-1149"}, headers=headers).status_code == 204

    fake.fail("/offres/search", 400, body='{"message": "Valeur du paramètre incorrecte"}')
    with pytest.raises(FranceTravailBadRequest):
        client.search_offers({"code_rome": ["K9901"]})


def test_204_is_an_empty_result(fake, client):
    result = client.search_offers({"code_rome": ["A1101"]})

    assert result.offers == []
    assert result.total == 0
    assert result.pages == 1
    assert result.complete is True


def test_get_offer_and_unknown_offer(fake, client):
    offer = client.get_offer("FT000007")
    assert offer.intitule == "Offre fictive n°7 (M9903)"
    assert offer.salaire.libelle == "Mensuel de 2000 Euros"

    with pytest.raises(FranceTravailNotFound):
        client.get_offer("FT999999")  # the API answers 204
    with pytest.raises(FranceTravailNotFound):
        client.get_offer("../../token")  # never sent
    assert fake.hits_for("token") == 0


# ---------------------------------------------------------------- retries, rate limits, failures


def test_429_retry_after_is_honoured(fake, client):
    fake.fail("/offres/search", 429, headers={"Retry-After": "1"})
    started = time.monotonic()
    result = client.search_offers({"code_rome": ["K9901"]})
    elapsed = time.monotonic() - started

    assert result.total == 177
    assert elapsed >= 0.95  # waited the second asked for, not the 0.01 s backoff
    assert fake.hits_for("/offres/search") == 2
    assert client.stats.retries == 1
    assert client.stats.waited_seconds == pytest.approx(1.0)


def test_429_with_a_retry_after_too_long_gives_up_at_once(fake):
    fake.fail("/offres/search", 429, headers={"Retry-After": "120"})
    with make_client(fake, max_wait=2.0) as ft:
        started = time.monotonic()
        with pytest.raises(FranceTravailRateLimited) as caught:
            ft.search_offers({})
    assert time.monotonic() - started < 1
    assert (fake.hits_for("/offres/search"), ft.stats.waited_seconds) == (1, 0)
    assert caught.value.message() == translate("francetravail.error.rate_limited")


def test_429_every_time_gives_up_after_the_last_attempt(fake, client):
    fake.fail("/offres/search", 429, times=10, headers={"Retry-After": "0"})
    with pytest.raises(FranceTravailRateLimited):
        client.search_offers({})
    assert fake.hits_for("/offres/search") == 3


def test_500_is_retried_with_backoff_then_succeeds(fake):
    fake.fail("/fiche-metier/", 500, times=2)
    with make_client(fake, backoff=0.1) as ft:
        started = time.monotonic()
        fiche = ft.get_fiche_metier("K9901")
        elapsed = time.monotonic() - started
    assert fiche.libelle == "Gardien / Gardienne de phare"
    assert fake.hits_for("/fiche-metier/") == 3
    assert elapsed >= 0.3  # 0.1 then 0.2 s: exponential
    assert ft.stats.waited_seconds == pytest.approx(0.3)


def test_500_every_time_is_a_typed_error_in_french(fake, client):
    fake.fail("/offres/search", 503, times=10)
    with pytest.raises(FranceTravailUnavailable) as caught:
        client.search_offers({})
    assert fake.hits_for("/offres/search") == 3
    assert isinstance(caught.value, FranceTravailError)
    assert (
        caught.value.message()
        == "Le service France Travail est momentanément indisponible. Réessayez dans quelques minutes."
    )
    assert caught.value.message("en").startswith("The France Travail service is temporarily unavailable")


def test_a_server_that_is_down_is_unavailable(fake):
    with running(FakeFranceTravail()) as other:
        url = other.base_url
    with make_client(fake, api_url=f"{url}/partenaire", token_url=f"{url}/token") as ft:
        with pytest.raises(FranceTravailUnavailable):
            ft.get_fiche_metier("K9901")
        assert ft.stats.retries == 2  # connection refused is retried too


def test_a_slow_answer_is_a_timeout(fake):
    fake.slow("/offres/search", 1.0)
    with make_client(fake, timeout=0.3) as ft:
        started = time.monotonic()
        with pytest.raises(FranceTravailTimeout) as caught:
            ft.search_offers({})
    assert time.monotonic() - started < 0.9
    assert fake.hits_for("/offres/search") == 1  # not retried: the user is waiting
    assert caught.value.code == "francetravail.error.timeout"


def test_malformed_json_is_a_bad_answer(fake, client):
    fake.malformed("/offres/search")
    with pytest.raises(FranceTravailBadAnswer) as caught:
        client.search_offers({})
    assert caught.value.message() == translate("francetravail.error.bad_answer")


def test_json_of_the_wrong_shape_is_a_bad_answer(fake, client):
    fake.fail("/offres/search", 200, body='{"resultats": "not a list"}')
    with pytest.raises(FranceTravailBadAnswer):
        client.search_offers({})
    fake.fail("/fiche-metier/", 200, body='{"libelle": "no code"}')
    with pytest.raises(FranceTravailBadAnswer):
        client.get_fiche_metier("K9901")


def test_the_rate_limit_spaces_requests_per_api(fake):
    with make_client(fake, rate_limits={**FAST_RATES, "offres": 10.0}) as ft:
        ft.auth.token("api_offresdemploiv2 o2dsoffre")
        started = time.monotonic()
        for index in range(12):
            ft.search_offers({}, start=index, limit=1)
        offres_elapsed = time.monotonic() - started
        throttled = ft.stats.throttled_seconds
        for index in range(12):
            ft.get_metier("K9901" if index % 2 else "K9902") if index < 2 else ft.search_appellations(f"x{index}")
    # 12 requests at 10/s with a burst of 10: the last two wait 0.1 s each (less if requests were slow)
    assert offres_elapsed >= 0.19 and throttled > 0
    # Another API, another bucket (1000/s here): its requests never waited, however loaded the machine.
    assert ft.stats.throttled_seconds == throttled
    assert fake.hits_for("/offres/search") == 12


def test_token_bucket_with_a_fake_clock():
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2.0, capacity=2, clock=lambda: now[0], sleep=sleep)
    assert bucket.acquire() == 0 and bucket.acquire() == 0  # the burst
    assert bucket.acquire() == pytest.approx(0.5)
    now[0] += 10  # refills to capacity, not beyond
    assert [bucket.acquire() for _ in range(3)] == [0, 0, pytest.approx(0.5)]
    assert parse_rate_limits("offres:10, rome:0.5,bad,x:-1,y:z") == {"offres": 10.0, "rome": 0.5}


def test_header_parsers():
    assert parse_content_range("offres 0-149/353") == (0, 149, 353)
    assert parse_content_range("offres 150-299/*") == (150, 299, None)
    assert parse_content_range("nonsense") is None
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0


# ---------------------------------------------------------------- cache


def test_a_repeated_search_is_served_from_the_cache(fake, client):
    first = client.search_offers({"code_rome": ["K9901"]}, limit=300)
    again = client.search_offers({"code_rome": ["K9901"]}, limit=300)
    other = client.search_offers({"code_rome": ["K9901"], "distance": 10}, limit=300)

    assert again == first
    assert other.total == first.total
    assert fake.hits_for("/offres/search") == 4  # 2 pages, then 2 pages for the other parameters
    assert client.stats.cache_hits == 2
    client.get_fiche_metier("K9901")
    client.get_fiche_metier("K9901")
    assert fake.hits_for("/fiche-metier/K9901") == 1


def test_cache_ttl_per_kind_of_data(fake):
    with make_client(fake, cache_ttls={"offres": 0}) as ft:
        ft.search_offers({})
        ft.search_offers({})
        ft.get_fiche_metier("K9901")
        ft.get_fiche_metier("K9901")
    assert fake.hits_for("/offres/search") == 2  # offers not cached
    assert fake.hits_for("/fiche-metier/") == 1  # fiches cached


def test_memory_cache_expires_and_stays_bounded():
    now = [100.0]
    cache = MemoryCache(max_entries=3, clock=lambda: now[0])
    cache.set("a", {"v": 1}, ttl=10)
    assert cache.get("a") == {"v": 1}
    now[0] += 11
    assert cache.get("a") is None
    for key in "bcde":
        cache.set(key, [key], ttl=60)
    assert len(cache) == 3
    assert cache.get("b") is None and cache.get("e") == ["e"]
    assert cache_key("offres", {"a": 1, "b": 2}) == cache_key("offres", {"b": 2, "a": 1})
    assert cache_key("offres", {"a": 1}) != cache_key("offres", {"a": 2})
    assert cache_key("offres", {"a": 1}).startswith("offres:")


def test_without_redis_the_cache_is_in_memory(fake, set_env):
    set_env(**fake.env(REDIS_URL=None))
    reset_client()
    try:
        ft = get_client()
        assert isinstance(ft.cache, MemoryCache)
        assert get_client() is ft  # one client per process while the settings stay the same
        ft.get_fiche_metier("K9901")
        get_client().get_fiche_metier("K9901")
        assert fake.hits_for("/fiche-metier/") == 1
    finally:
        reset_client()


def test_an_unreachable_redis_falls_back_to_memory():
    with running(FakeFranceTravail()) as other:  # a port where nothing listens any more
        port = other.base_url.rsplit(":", 1)[1]
    started = time.monotonic()
    cache = make_cache(f"redis://127.0.0.1:{port}/0")
    assert isinstance(cache, MemoryCache)
    assert not isinstance(cache, RedisCache)
    assert time.monotonic() - started < 3


# ---------------------------------------------------------------- not configured


def test_not_configured_without_credentials(set_env):
    set_env(FRANCE_TRAVAIL_CLIENT_ID=None, FRANCE_TRAVAIL_CLIENT_SECRET=None)
    reset_client()
    with pytest.raises(FranceTravailNotConfigured) as caught:
        get_client()
    assert "n'est pas configuré" in caught.value.message()
    assert "not configured" in caught.value.message("en")
    set_env(FRANCE_TRAVAIL_CLIENT_ID="only-the-id")
    with pytest.raises(FranceTravailNotConfigured):
        get_client()


# ---------------------------------------------------------------- ROME 4.0, ROMEO, La Bonne Boîte, stats


def test_fiche_metier_in_the_flat_layout(fake, client):
    fiche = client.get_fiche_metier("k9901")

    assert fiche.code == "K9901"
    assert fiche.definition_sentences() == [
        "Veille sur un phare imaginaire.",
        "Entretient les feux, les optiques et la lanterne.",
    ]
    assert fiche.acces_sentences()[1] == "Un permis bateau est apprécié."
    assert (fiche.riasec_majeur, fiche.riasec_mineur) == ("R", "S")
    assert [a.code for a in fiche.appellations] == ["700001", "700002", "700099"]
    assert fiche.appellations[1].classification == "SYNONYME"
    assert fiche.competences_mobilisees[0].libelle == "Allumer la lanterne"
    assert fiche.contextes_travail[0].code == "820001"


def test_fiche_metier_in_the_nested_layout(fake, client):
    fiche = client.get_fiche_metier("K9902")

    assert fiche.libelle == "Fabricant / Fabricante de cerfs-volants"
    assert fiche.acces_emploi == ""
    assert (fiche.riasec_majeur, fiche.riasec_mineur) == ("A", "R")
    assert [c.code for c in fiche.competences_mobilisees] == ["800002", "810002"]
    assert fiche.appellations[0].libelle_court == ""


def test_unknown_metier_is_not_found(fake, client):
    with pytest.raises(FranceTravailNotFound):
        client.get_fiche_metier("M9903")
    with pytest.raises(FranceTravailNotFound):
        client.get_metier("not-a-code")
    assert fake.hits_for("not-a-code") == 0


def test_metier_appellations_and_competences(fake, client):
    assert client.get_metier("K9902").libelle == "Fabricant / Fabricante de cerfs-volants"
    hits = client.search_appellations("sémaphore")
    assert [(hit.code, hit.metier.code) for hit in hits] == [("700099", "K9901")]
    assert client.search_appellations("  ") == []
    competences = client.list_competences()
    assert [c.code for c in competences] == ["800001", "800003"]


def test_romeo_predicts_metiers_in_the_order_asked(fake, client):
    predictions = client.predict_metiers(["Informaticien quantique", "Gardienne de phare", ""], nb_results=3)

    assert [p.intitule for p in predictions] == ["Informaticien quantique", "Gardienne de phare"]
    assert predictions[1].metiers_rome[0].code_rome == "K9901"
    assert predictions[1].metiers_rome[0].score_prediction == pytest.approx(0.87)
    assert fake.bodies[-1] == {
        "appellations": [
            {"intitule": "Informaticien quantique", "identifiant": "0"},
            {"intitule": "Gardienne de phare", "identifiant": "1"},
        ],
        "options": {"nbResultats": 3, "seuilScorePrediction": 0.0},
    }
    assert client.predict_metiers([" "]) == []


def test_la_bonne_boite_companies(fake, client):
    result = client.search_companies("K9901", "29019", distance=15)

    _, _, query = fake.requests[-1]
    assert query == {"rome": "K9901", "citycode": "29019", "distance": "15"}
    assert result.total == 12
    first, second = result.companies
    assert (first.siret, first.name, first.naf_label) == (
        "33514171953640",
        "Phares du Ponant",
        "Services auxiliaires des transports par eau",
    )
    assert (first.latitude, first.longitude, first.headcount) == (48.39, -4.48, "10-19")
    assert (second.siret, second.name, second.hiring_potential) == ("89386392876311", "Balises & Co", None)


def test_market_statistics_are_parsed_defensively(fake, client):
    stat = client.market_stat("K9901", "29")

    assert fake.bodies[-1]["codeActivite"] == "K9901"
    assert fake.bodies[-1]["codeTerritoire"] == "29"
    assert [(v.periode, v.valeur) for v in stat.valeurs] == [("2024T3", 37.0), ("2024T4", 42.0)]
    assert stat.derniere_valeur == 42.0
    assert stat.libelle_territoire == "Finistère"

    fake.fail("/indicateur/", 200, body='{"quelqueChose": "d\'inattendu"}')
    unknown = client.market_stat("K9902", "29")
    assert unknown.valeurs == [] and unknown.derniere_valeur is None

    fake.fail("/indicateur/", 200, body='"a string"')
    with pytest.raises(FranceTravailBadAnswer):
        client.market_stat("M9903", "29")
