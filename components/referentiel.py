"""The "demo référentiel" banner that the shell shows org admins and the platform operator."""

from __future__ import annotations

import reflex as rx

from components.i18n import t
from components.page import section
from services import routes
from state.referentiel import ReferentielBannerState
from state.session import SessionState

BANNER_ID = "demo-referentiel"
IMPORT_COMMAND = "python -m bilan_app import-rome PATH"
# Dark text on a pale amber background with an amber rule: well above 4.5:1.
BANNER_STYLE = {
    "background": "#fff8e6",
    "color": "#1f2937",
    "border": "1px solid #d97706",
    "border_left": "6px solid #b45309",
    "border_radius": "8px",
    "padding": "0.9rem 1.1rem",
    "margin_bottom": "1.25rem",
}
CODE_STYLE = {
    "background": "#1f2937",
    "color": "#ffffff",
    "padding": "0.1rem 0.4rem",
    "border_radius": "4px",
    "font_size": "0.9em",
    "overflow_wrap": "anywhere",
}


def demo_referentiel_banner() -> rx.Component:
    """Shown while the installed référentiel is the demo one; checked each time the shell mounts."""
    role = SessionState.role
    is_admin = (role == "org_admin") | (role == "platform_admin")
    heading_id = f"{BANNER_ID}-title"
    banner = section(
        heading_id,
        rx.heading(t("ref.banner.title"), as_="h2", size="4", id=heading_id, margin_bottom="0.4em"),
        rx.text(t("ref.banner.body")),
        rx.text(t("ref.banner.cli"), " ", rx.el.code(IMPORT_COMMAND, style=CODE_STYLE), margin_top="0.4em"),
        rx.cond(
            role == "platform_admin",
            rx.text(
                t("ref.banner.upload"),
                " ",
                rx.link(
                    t("ref.admin.title"),
                    href=routes.PLATFORM_REFERENTIEL,
                    underline="always",
                    style={"color": "#1e40af", "font_weight": "600"},
                ),
                ".",
                margin_top="0.4em",
            ),
            rx.text(t("ref.banner.operator"), margin_top="0.4em"),
        ),
        surface=False,
        id=BANNER_ID,
        role="region",
        style=BANNER_STYLE,
    )
    return rx.cond(
        is_admin,
        rx.box(
            rx.cond(ReferentielBannerState.demo_referentiel, banner),
            on_mount=ReferentielBannerState.check_demo,
            custom_attrs={"data-demo-checked": rx.cond(ReferentielBannerState.demo_checked, "yes", "no")},
        ),
    )
