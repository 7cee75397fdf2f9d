"""Reflex configuration, derived from services.settings (one source for every knob)."""

import reflex as rx

from services.settings import get_settings

settings = get_settings()

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
)
