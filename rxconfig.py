"""Reflex configuration, derived from services.settings (one source for every knob)."""

import os
from urllib.parse import urlsplit

import reflex as rx

from services.settings import get_settings

settings = get_settings()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# CORS and the websocket's Origin check: the app's own origin only (PUBLIC_URL, and the deploy/API URLs
# when they differ), never Reflex's default "*", which it reflects with credentials allowed.
ALLOWED_ORIGINS = list(
    dict.fromkeys(
        _origin(url)
        for url in (settings.public_url, os.environ.get("REFLEX_DEPLOY_URL"), os.environ.get("REFLEX_API_URL"))
        if url
    )
)

config = rx.Config(
    app_name="bilan_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    # Without Redis the in-memory manager is the fast single-process default (UI state only; data is in the DB).
    state_manager_mode="redis" if settings.redis_url else "memory",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium", has_background=True)
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    cors_allowed_origins=ALLOWED_ORIGINS,
)
