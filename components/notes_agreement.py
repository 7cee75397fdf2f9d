"""The beneficiary's card after a reassignment: may the new consultant read the earlier session notes?

Self-contained (it loads its own state when it appears), like the AI consent card.
"""

from __future__ import annotations

import reflex as rx

from components.forms import form_messages
from components.i18n import t, tf
from components.page import section
from state.notes_agreement import NotesAgreementState

S = NotesAgreementState
TITLE_ID = "notes-agreement-title"
TEXT_ID = "notes-agreement-text"


def _actions() -> rx.Component:
    agree = rx.button(
        tf("space.notes_agree", consultant=S.notes_consultant),
        type="button",
        size="3",
        on_click=S.agree,
        aria_describedby=TEXT_ID,
    )
    refuse = rx.button(t("space.notes_refuse"), type="button", size="3", variant="soft", on_click=S.refuse)
    withdraw = rx.button(
        t("space.notes_withdraw"), type="button", size="3", variant="soft", color_scheme="red", on_click=S.withdraw
    )
    return rx.flex(
        rx.cond(
            S.notes_decision == "granted",
            withdraw,
            rx.fragment(agree, rx.cond(S.notes_decision != "refused", refuse)),
        ),
        gap="0.75rem",
        wrap="wrap",
        align="center",
        margin_top="1em",
    )


def notes_agreement_card() -> rx.Component:
    """The card; empty unless notes by a former consultant await her decision."""
    card = section(
        TITLE_ID,
        t("space.notes_title"),
        rx.el.p(
            tf("space.notes_lead", consultant=S.notes_consultant, former=S.notes_former),
            id=TEXT_ID,
        ),
        rx.el.p(S.notes_status, style={"margin_top": "0.5em"}),
        form_messages(S.form_error, S.notice),
        _actions(),
    )
    # The wrapper always mounts, so the state reloads on every visit (a reassignment may have happened since).
    return rx.box(rx.cond(S.notes_view == "ready", card), on_mount=S.load)
