"""Public pages: the landing page and the legal pages linked from the footer."""

from __future__ import annotations

import reflex as rx

from components.i18n import t
from components.layout import page_title, screen
from services import routes


def _feature(title_key: str, body_key: str) -> rx.Component:
    return rx.box(rx.heading(t(title_key), as_="h2", size="4"), rx.text(t(body_key)), class_name="panel")


@screen(routes.HOME)
def landing() -> rx.Component:
    return rx.box(
        page_title("home.title"),
        rx.text(t("home.lead"), size="4", class_name="lead"),
        rx.flex(
            rx.link(rx.button(t("home.login"), size="3", tab_index=-1), href=routes.LOGIN, class_name="button-link"),
            rx.link(
                rx.button(t("home.signup"), size="3", variant="outline", tab_index=-1),
                href=routes.SIGNUP,
                class_name="button-link",
            ),
            spacing="3",
            wrap="wrap",
            margin_y="1.5em",
        ),
        rx.grid(
            _feature("home.feature_law_title", "home.feature_law_body"),
            _feature("home.feature_security_title", "home.feature_security_body"),
            _feature("home.feature_a11y_title", "home.feature_a11y_body"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
        ),
    )


def _text_page(title_key: str, body_key: str) -> rx.Component:
    return rx.box(page_title(title_key), rx.text(t(body_key), class_name="prose"), class_name="panel")


@screen(routes.LEGAL)
def legal() -> rx.Component:
    return _text_page("legal.title", "legal.body")


@screen(routes.PRIVACY)
def privacy() -> rx.Component:
    return _text_page("privacy.title", "privacy.body")


@screen(routes.ACCESSIBILITY)
def accessibility() -> rx.Component:
    return _text_page("accessibility.title", "accessibility.body")
