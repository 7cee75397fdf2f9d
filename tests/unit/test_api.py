"""The /api routes: health and version. They are public and carry no tenant data."""

from __future__ import annotations

import socket

from starlette.testclient import TestClient

from bilan_app.api import api
from services.settings import APP_VERSION


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_reports_the_database_and_no_redis_when_not_configured():
    response = TestClient(api).get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not_configured"}


def test_health_is_degraded_when_redis_is_configured_but_down(set_env):
    set_env(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    response = TestClient(api).get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")


def test_health_is_degraded_when_the_database_is_unreachable(set_env):
    set_env(DATABASE_URL=f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/none?connect_timeout=1")
    response = TestClient(api).get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_version():
    response = TestClient(api).get("/api/version")
    assert response.status_code == 200
    assert response.json() == {"name": "BilanCompetence.AI", "version": APP_VERSION}


def test_api_routes_expose_no_tenant_data(world):
    """Every /api route answers the same to anyone, with a fixed set of keys: no organisation or user data."""
    client = TestClient(api)
    logged_in = TestClient(api, cookies={"bc_session": world.login("beneficiary_a")[0]})
    expected_keys = {"/api/health": {"status", "database", "redis"}, "/api/version": {"name", "version"}}
    # The document routes serve per-user files: their tenancy tests are in test_conventions_ui.py and
    # test_handover.py.
    document_routes = {
        "/api/conventions/{convention_id}/pdf",
        "/api/signature/{token}/pdf",
        "/api/syntheses/{token}",
        "/api/partages/{token}",
        "/api/bilans/{bilan_id}/documents/{kind}",
        "/api/messages/{message_id}/piece-jointe",  # test_messaging.py
        "/api/fichiers/{file_id}",  # test_bilan_files.py
    }
    # The unsubscribe link acts for the one person its signed token names: test_notification_centre.py.
    signed_routes = {"/api/notifications/desabonnement/{token}"}
    # A session's invitation (its participants' cookie) and a person's feed (its revocable token):
    # test_calendar.py.
    calendar_routes = {"/api/seances/{session_id}/invitation.ics", "/api/calendrier/{token}"}
    routes = {route.path for route in api.routes}
    expected = set(expected_keys) | document_routes | signed_routes | calendar_routes
    assert routes == expected, "a new /api route needs its tenancy test"
    for path, keys in expected_keys.items():
        anonymous = client.get(path)
        with_cookie = logged_in.get(path)
        assert set(anonymous.json()) == keys
        assert anonymous.json() == with_cookie.json()
        for person in ("admin_a", "consultant_b"):
            assert world.person(person).email not in anonymous.text
