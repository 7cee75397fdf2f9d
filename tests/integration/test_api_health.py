"""/api/health against the real PostgreSQL and Redis."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from bilan_app.api import api

pytestmark = pytest.mark.integration


def test_health_on_postgresql_and_redis(set_env, redis_available):
    set_env(REDIS_URL=redis_available)
    response = TestClient(api).get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
