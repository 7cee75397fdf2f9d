"""The beneficiary's AI consent card: what is sent, to whom, what happens without consent, and her choice.

Self-contained (it loads its own state when it appears), so any page of her space can show it.
"""

from __future__ import annotations

import reflex as rx

from components.forms import form_messages
from components.i18n import t, tf
from components.layout import loading
from components.page import section
from state.ai_consent import AiConsentState

S = AiConsentState
TITLE_ID = "ai-consent-title"
TEXT_ID = "ai-consent-text"


def _practice() -> rx.Component:
    recipient = rx.cond(
        S.consent_recipient != "",
        tf("ai.consent_card.recipient", provider=S.consent_recipient),
        t("ai.consent_card.no_provider"),
    )
    return rx.box(
        rx.heading(t("ai.consent_card.practice"), as_="h3", size="4", margin_y="0.5em"),
        rx.el.ul(
            rx.el.li(t("ai.consent_card.what")),
            rx.el.li(recipient),
            rx.el.li(t("ai.consent_card.without")),
            rx.el.li(t("ai.consent_card.any_time")),
            # The theme's reset drops list markers: bring them back, these are four separate points.
            style={"list_style_type": "disc", "padding_left": "1.5rem", "line_height": "1.6"},
        ),
    )


def _actions() -> rx.Component:
    give = rx.button(t("llm.consent.give"), type="button", size="3", on_click=S.give, aria_describedby=TEXT_ID)
    withdraw = rx.button(
        t("llm.consent.withdraw"), type="button", size="3", variant="soft", color_scheme="red", on_click=S.withdraw
    )
    confirm = rx.button(
        t("ai.consent_card.confirm"), type="button", size="3", on_click=S.give, aria_describedby=TEXT_ID
    )
    # A first answer may be no: both choices are offered until she has decided once.
    refuse = rx.button(
        t("llm.consent.refuse"), type="button", size="3", variant="soft", on_click=S.refuse, aria_describedby=TEXT_ID
    )
    return rx.flex(
        rx.cond(
            S.consent_given,
            rx.fragment(rx.cond(S.consent_outdated != "", confirm), withdraw),
            rx.cond(
                S.consent_bilan_open,
                rx.fragment(give, rx.cond(S.consent_status == "", refuse)),
                rx.text(t("ai.consent_card.closed")),
            ),
        ),
        gap="0.75rem",
        wrap="wrap",
        align="center",
        margin_top="1em",
    )


def _content() -> rx.Component:
    return rx.box(
        rx.el.p(rx.el.strong(t("ai.consent_card.status_label"), " : "), S.consent_summary),
        rx.cond(
            S.consent_outdated != "",
            rx.callout(tf("ai.consent_card.old_version", version=S.consent_outdated), color_scheme="orange"),
        ),
        rx.el.p(t("llm.consent.text"), id=TEXT_ID, style={"margin_top": "0.75em"}),
        rx.text(tf("ai.consent_card.version", version=S.consent_version), class_name="muted", size="2"),
        _practice(),
        form_messages(S.form_error, S.notice),
        _actions(),
    )


def ai_consent_card() -> rx.Component:
    """The card; it stays empty for a beneficiary without a bilan (nothing to decide for)."""
    card = section(TITLE_ID, t("llm.consent.title"), rx.cond(S.consent_view == "ready", _content(), loading()))
    # The wrapper always mounts, so the state reloads on every visit (a bilan may have appeared since).
    return rx.box(rx.cond(S.consent_view != "none", card), on_mount=S.load)
