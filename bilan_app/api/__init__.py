"""Plain HTTP routes under /api (Starlette), served on the app port in production."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bilan_app.api.calendar import calendar_routes
from bilan_app.api.documents import routes as document_routes
from bilan_app.api.notifications import notification_routes
from services.db import get_engine
from services.settings import APP_VERSION, get_settings


def _database_status() -> str:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _redis_status() -> str:
    url = get_settings().redis_url
    if not url:
        return "not_configured"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


async def health(_: Request) -> JSONResponse:
    database, redis_state = await asyncio.gather(asyncio.to_thread(_database_status), asyncio.to_thread(_redis_status))
    healthy = database == "ok" and redis_state in {"ok", "not_configured"}
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "redis": redis_state},
        status_code=200 if healthy else 503,
    )


async def version(_: Request) -> JSONResponse:
    return JSONResponse({"name": "BilanCompetence.AI", "version": APP_VERSION})


api = Starlette(
    routes=[
        Route("/api/health", health),
        Route("/api/version", version),
        *document_routes,
        *notification_routes,
        *calendar_routes,
    ]
)
