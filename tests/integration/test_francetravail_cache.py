"""The France Travail cache in the real Redis: shared between clients (workers), with a TTL per kind."""

from __future__ import annotations

import uuid

import pytest
import redis

from services.francetravail import FranceTravailClient, get_client, reset_client
from services.francetravail.cache import RedisCache, make_cache
from tests.francetravail_fake import CLIENT_ID, CLIENT_SECRET, FakeFranceTravail, running

pytestmark = pytest.mark.integration


@pytest.fixture
def fake():
    with running(FakeFranceTravail()) as server:
        yield server


@pytest.fixture
def redis_cache(redis_available):
    client = redis.Redis.from_url(redis_available, socket_timeout=3)
    cache = RedisCache(client, prefix=f"bilan-test:ft:{uuid.uuid4().hex}:")
    try:
        yield cache
    finally:
        cache.clear()
        assert list(client.scan_iter(match=cache.prefix + "*")) == []
        client.close()


def make_client(fake: FakeFranceTravail, cache: RedisCache, **ttls: int) -> FranceTravailClient:
    return FranceTravailClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_url=fake.token_url,
        api_url=fake.api_url,
        backoff=0.01,
        rate_limits={"offres": 1000, "rome": 1000},
        cache=cache,
        cache_ttls=ttls or None,
    )


def test_two_clients_share_answers_through_redis(fake, redis_cache):
    with make_client(fake, redis_cache) as first, make_client(fake, redis_cache) as second:
        found = first.search_offers({"code_rome": ["K9901"]}, limit=200)
        again = second.search_offers({"code_rome": ["K9901"]}, limit=200)
        fiche = second.get_fiche_metier("K9901")
        assert first.get_fiche_metier("K9901") == fiche

    assert again == found
    assert fake.hits_for("/offres/search") == 2  # two pages, asked once
    assert fake.hits_for("/fiche-metier/") == 1
    assert second.stats.cache_hits == 2 and first.stats.cache_hits == 1


def test_redis_keys_carry_the_ttl_of_their_kind(fake, redis_cache):
    with make_client(fake, redis_cache, offres=120, rome=7200) as client:
        client.search_offers({"code_rome": ["K9901"]})
        client.get_fiche_metier("K9901")
    keys = {key.decode(): redis_cache.client.ttl(key) for key in redis_cache.client.scan_iter(redis_cache.prefix + "*")}
    by_kind = {key.removeprefix(redis_cache.prefix).split(":", 1)[0]: ttl for key, ttl in keys.items()}
    assert len(keys) == 2
    assert 100 < by_kind["offres"] <= 120
    assert 7000 < by_kind["rome"] <= 7200


def test_the_settings_pick_redis_when_it_answers(fake, set_env, redis_available):
    assert isinstance(make_cache(redis_available, prefix="bilan-test:ft:probe:"), RedisCache)
    set_env(**fake.env(REDIS_URL=redis_available))
    reset_client()
    try:
        assert isinstance(get_client().cache, RedisCache)
    finally:
        reset_client()
