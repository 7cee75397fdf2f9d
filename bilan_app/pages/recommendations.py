"""The consultant's analysis (``/bilans/[bilan_id]/analyse``) and the beneficiary's "Mes pistes"."""

from __future__ import annotations

import reflex as rx

from components.actions import item_button
from components.ai_panel import ai_panel, explain_button
from components.forms import field_box, form_messages
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import list_or_empty
from components.offers import saved_offer
from components.page import card, section
from components.status import tone_badge
from services import routes
from state.ai_panel import AiPanelState
from state.recommendations import AnalysisState, PistesState

LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.5rem 0 0", "display": "grid", "gap": "0.75rem"}


def _bullets(items: rx.Var) -> rx.Component:
    return rx.el.ul(rx.foreach(items, lambda item: rx.el.li(item)))


def _details(texts: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.heading(t("reco.reasons"), as_="h4", size="3", margin_top="0.5rem"),
        _bullets(texts["reasons"]),
        rx.cond(
            texts["gap"].length() > 0,
            rx.fragment(rx.heading(t("reco.gap"), as_="h4", size="3"), _bullets(texts["gap"])),
        ),
        rx.cond(
            texts["paths"].length() > 0,
            rx.fragment(rx.heading(t("reco.paths"), as_="h4", size="3"), _bullets(texts["paths"])),
        ),
    )


# ---------------------------------------------------------------- the consultant's analysis


def _training(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(item["title"]),
        rx.text(item["meta"], size="2"),
        rx.text(item["reasons"], size="2", class_name="muted"),
    )


def _result(row: rx.Var, index: rx.Var) -> rx.Component:
    S = AnalysisState
    return rx.el.li(
        rx.el.article(
            rx.flex(
                rx.heading(row["libelle"], " (", row["code_rome"], ")", as_="h3", size="4"),
                rx.text(row["score"], weight="bold"),
                justify="between",
                wrap="wrap",
                gap="0.5rem",
            ),
            _details(S.result_texts[index]),
            rx.flex(
                rx.cond(
                    row["kept"],
                    tone_badge(t("reco.kept_badge"), "success", "bookmark-check", size="2"),
                    item_button("reco.keep", row["libelle"], S.keep(row["code_rome"]), size="2"),
                ),
                explain_button(row["code_rome"], row["libelle"]),
                gap="0.5rem",
                wrap="wrap",
                align="center",
            ),
            class_name="panel",
        )
    )


def _kept(row: rx.Var, index: rx.Var) -> rx.Component:
    S = AnalysisState
    return rx.el.li(
        rx.el.strong(row["libelle"]),
        " — ",
        row["score"],
        " ",
        item_button("reco.drop", row["libelle"], S.drop(row["id"]), size="1", variant="soft", color_scheme="red"),
        " ",
        explain_button(row["code_rome"], row["libelle"]),
        rx.el.details(
            rx.el.summary(t("reco.training")),
            list_or_empty(S.kept_training[index], _training, rx.text(t("reco.training_none"), size="2")),
        ),
    )


def _analysis() -> rx.Component:
    S = AnalysisState
    return rx.box(
        page_title("reco.title"),
        rx.text(t("reco.intro")),
        rx.text(t("reco.engine_local"), class_name="muted"),
        form_messages(S.form_error, S.notice),
        section(
            "reco-kept",
            tf("reco.kept_title", count=S.kept.length().to(str)),
            list_or_empty(S.kept, _kept, rx.text(t("reco.kept_empty"))),
        ),
        section(
            "reco-job-search",
            t("reco.job_search_title"),
            rx.text(rx.cond(S.search_area != "", S.search_area, t("reco.search_area_none"))),
            list_or_empty(
                S.beneficiary_offers,
                lambda row: saved_offer(row),
                rx.text(t("reco.offers_none"), size="2"),
                style=LIST_STYLE,
            ),
        ),
        card(
            field_box(
                "reco-aspirations",
                t("reco.aspirations"),
                rx.el.textarea(
                    id="reco-aspirations",
                    value=S.aspirations,
                    on_change=S.set_aspirations,
                    rows=2,
                    aria_describedby="reco-aspirations-help",
                    class_name="field-input",
                ),
                rx.text(t("reco.aspirations_help"), id="reco-aspirations-help", class_name="field-help"),
            ),
            rx.flex(
                rx.button(
                    rx.cond(S.analysis_status == "running", t("reco.running"), t("reco.run")),
                    type="button",
                    size="3",
                    on_click=S.run_analysis,
                    disabled=S.analysis_status == "running",
                ),
                rx.el.p(S.progress_message, role="status", aria_live="polite", class_name="save-status"),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            class_name="stack",
        ),
        rx.cond(
            S.analysis_status == "done",
            section(
                "reco-results",
                t("reco.results"),
                rx.cond(S.draft_warning, rx.callout(t("reco.draft_warning"), color_scheme="orange")),
                rx.cond(S.no_skills, rx.callout(t("reco.no_skills"), color_scheme="orange")),
                rx.text(S.market_note, size="2", class_name="muted"),
                list_or_empty(S.results, _result, rx.text(t("reco.no_results")), tag=rx.el.ol, style=LIST_STYLE),
            ),
        ),
        ai_panel(),
        rx.link(t("reco.back"), href=S.bilan_href, display="block", margin_top="1.5em"),
    )


screen(routes.BILAN_ANALYSIS, on_load=[AnalysisState.load, AiPanelState.load])(_analysis)


# ---------------------------------------------------------------- the beneficiary's options


def _piste(row: rx.Var, index: rx.Var) -> rx.Component:
    S = PistesState
    return rx.el.li(
        rx.el.article(
            rx.flex(
                rx.heading(row["libelle"], as_="h2", size="5"),
                rx.text(row["score"], weight="bold"),
                justify="between",
                wrap="wrap",
                gap="0.5rem",
            ),
            _details(S.target_texts[index]),
            rx.heading(t("reco.training"), as_="h3", size="3", margin_top="0.5rem"),
            list_or_empty(S.target_training[index], _training, rx.text(t("reco.training_none"), size="2")),
            rx.heading(t("reco.offers"), as_="h3", size="3", margin_top="0.5rem"),
            rx.cond(
                S.offers_configured,
                rx.link(
                    t("pistes.offers_link"),
                    href=f"{routes.OFFERS}?metier=" + row["code_rome"].to(str),
                    aria_label=t("pistes.offers_link") + " : " + row["libelle"],
                ),
                rx.text(t("reco.offers_unconfigured"), size="2"),
            ),
            class_name="panel",
        )
    )


def _saved_offers() -> rx.Component:
    S = PistesState
    return section(
        "pistes-saved",
        t("pistes.saved_title"),
        list_or_empty(S.saved, saved_offer, rx.text(t("pistes.saved_empty")), style=LIST_STYLE),
        rx.link(t("pistes.search_link"), href=routes.OFFERS, display="block", margin_top="0.75rem"),
    )


def _pistes() -> rx.Component:
    S = PistesState
    return rx.box(
        page_title("pistes.title"),
        rx.text(t("pistes.intro"), margin_bottom="1rem"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.pistes_status,
            ("none", rx.callout(t("pistes.none"), color_scheme="blue")),
            (
                "ready",
                rx.fragment(
                    list_or_empty(
                        S.targets, _piste, rx.callout(t("pistes.empty"), color_scheme="blue"), style=LIST_STYLE
                    ),
                    _saved_offers(),
                ),
            ),
            loading(),
        ),
    )


screen(routes.PISTES, on_load=PistesState.load)(_pistes)
