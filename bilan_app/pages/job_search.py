"""The beneficiary's offers page (``/mon-espace/offres``): her criteria, live offers for her kept targets,
the offers she keeps, and La Bonne Boîte companies.

Native controls only (inputs, selects, checkboxes, buttons), each with its label; errors sit next to
their field; search progress and results are announced through ``role="status"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from components.forms import bound_field, bound_select, field_box, form_messages, select_control
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import list_or_empty
from components.offers import external_link, offer_link, saved_offer
from components.page import section
from components.status import tone_badge
from services import routes
from state.job_search import (
    CONTRACTS,
    EXPERIENCES,
    PUBLISHED,
    RADII,
    WORKING_TIMES,
    JobSearchState,
)

S = JobSearchState
LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.5rem 0 0", "display": "grid", "gap": "0.75rem"}
ROW = {"gap": "1rem", "wrap": "wrap", "align": "start"}


# Her two forms, by the prefix of their ids: the values they hold, their errors, their setter.
FORMS = {"pref": (S.prefs, S.pref_errors, S.set_pref), "filter": (S.filters, S.filter_errors, S.set_filter)}


def _select(form: str, name: str, label_key: str, choices: list[tuple[str, rx.Var]]) -> rx.Component:
    """The kit's bound select in one of :data:`FORMS`, from (value, words) pairs."""
    return bound_select(
        form, name, t(label_key), *FORMS[form], *[rx.el.option(text, value=value) for value, text in choices]
    )


def _field(form: str, name: str, label_key: str, **props: Any) -> rx.Component:
    """The kit's bound field in one of :data:`FORMS`."""
    return bound_field(form, name, label_key, *FORMS[form], **props)


def _contracts(
    prefix: str, legend_key: str, chosen: rx.Var, toggle: Callable[[str], Any], errors: rx.Var
) -> rx.Component:
    """The contract types as checkboxes in a fieldset (none ticked: every contract)."""
    error_id = f"{prefix}-type_contrat-error"
    return rx.el.fieldset(
        rx.el.legend(t(legend_key), class_name="field-label"),
        rx.flex(
            *[
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        id=f"{prefix}-contract-{code}",
                        checked=chosen.contains(code),
                        on_change=lambda _, code=code: toggle(code),
                    ),
                    t(f"jobs.contract.{code}"),
                    html_for=f"{prefix}-contract-{code}",
                    class_name="checkbox-label",
                )
                for code in CONTRACTS
            ],
            gap="0 1.25rem",
            wrap="wrap",
        ),
        rx.text(t("jobs.prefs.contracts_help"), class_name="field-help"),
        rx.cond(
            errors.contains("type_contrat"),
            rx.text(errors["type_contrat"], id=error_id, class_name="field-error", role="alert"),
        ),
        style={"border": "none", "padding": "0", "margin": "0.75rem 0"},
    )


def _radius_options() -> list[tuple[str, rx.Var]]:
    return [(km, tf("jobs.radius.option", km=km)) for km in RADII]


def _working_time_options() -> list[tuple[str, rx.Var]]:
    return [(value, t(f"jobs.working_time.{value or 'any'}")) for value in WORKING_TIMES]


def _when_searchable(*children: rx.Component) -> rx.Component:
    """``children`` once France Travail is configured and she has kept a target; else why there is nothing."""
    return rx.cond(
        ~S.configured,
        rx.callout(t("francetravail.error.not_configured"), color_scheme="orange", role="status"),
        rx.cond(S.targets.length() == 0, rx.text(t("jobs.no_targets")), rx.fragment(*children)),
    )


# ---------------------------------------------------------------- her criteria


def _commune_option(row: rx.Var, index: rx.Var) -> rx.Component:
    active = S.commune_active == index
    return rx.el.li(
        row["description"],
        id=row["id"],
        role="option",
        aria_selected=rx.cond(active, "true", "false"),
        on_click=S.choose_commune(row["code"]),
        class_name=rx.cond(active, "combobox-option combobox-option-active", "combobox-option"),
    )


def _commune_combobox() -> rx.Component:
    """Her commune, by name or postcode, picked in suggestions that follow her typing (the ARIA 1.2
    combobox: the arrow keys move in the list, Enter picks, Escape closes). Its own small form, so that
    Enter picks a commune rather than saving the criteria."""
    has_error = S.pref_errors.contains("commune")
    expanded = S.commune_hits.length() > 0
    return rx.form(
        rx.box(
            rx.el.label(t("jobs.prefs.commune"), html_for="pref-commune", class_name="field-label"),
            rx.el.input(
                id="pref-commune",
                type="text",
                role="combobox",
                value=S.commune_query,
                on_change=S.set_commune_query,
                on_key_down=S.commune_key,
                auto_complete="off",
                spell_check=False,
                aria_autocomplete="list",
                aria_expanded=rx.cond(expanded, "true", "false"),
                aria_controls="pref-commune-listbox",
                aria_activedescendant=S.commune_active_id,
                aria_invalid=rx.cond(has_error, "true", "false"),
                aria_describedby=rx.cond(has_error, "pref-commune-error pref-commune-help", "pref-commune-help"),
                class_name=rx.cond(has_error, "field-input field-input-error", "field-input"),
            ),
            rx.el.ul(
                rx.foreach(S.commune_hits, _commune_option),
                id="pref-commune-listbox",
                role="listbox",
                aria_label=t("jobs.prefs.commune_list"),
                hidden=~expanded,
                class_name="combobox-list",
            ),
            rx.cond(has_error, rx.text(S.pref_errors["commune"], id="pref-commune-error", class_name="field-error")),
            rx.text(t("jobs.prefs.commune_help"), id="pref-commune-help", class_name="field-help"),
            rx.el.p(S.commune_status, role="status", aria_live="polite", class_name="field-help"),
            class_name="field",
            max_width="36rem",
        ),
        on_submit=S.pick_commune,
    )


def _preferences() -> rx.Component:
    return section(
        "prefs-title",
        rx.heading(t("jobs.prefs.title"), as_="h2", size="5", id="prefs-title"),
        rx.text(t("jobs.prefs.intro"), class_name="muted"),
        _commune_combobox(),
        rx.cond(S.commune_saved != "", rx.text(S.commune_saved, size="2")),
        rx.form(
            rx.flex(_select("pref", "rayon_km", "jobs.prefs.radius", _radius_options()), **ROW),
            _contracts("pref", "jobs.prefs.contracts", S.pref_contracts, S.toggle_pref_contract, S.pref_errors),
            rx.flex(
                _select("pref", "temps_travail", "jobs.prefs.working_time", _working_time_options()),
                _field("pref", "salaire_min", "jobs.prefs.salary", input_mode="numeric"),
                **ROW,
            ),
            rx.cond(
                S.pref_error != "", rx.callout(S.pref_error, color_scheme="red", role="alert", margin_top="0.75rem")
            ),
            rx.button(t("jobs.prefs.save"), type="submit", size="3", margin_top="0.75rem"),
            rx.el.p(S.pref_notice, role="status", aria_live="polite", class_name="save-status"),
            on_submit=S.save_preferences,
        ),
    )


# ---------------------------------------------------------------- offers


def _target_options(all_key: str | None) -> rx.Component:
    return rx.fragment(
        *([rx.el.option(t(all_key), value="")] if all_key else []),
        rx.foreach(S.targets, lambda row: rx.el.option(row["libelle"], value=row["code_rome"])),
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.flex(
            bound_select(
                "filter",
                "code_rome",
                t("jobs.filter.target"),
                *FORMS["filter"],
                _target_options("jobs.filter.all_targets"),
            ),
            _field("filter", "commune", "jobs.filter.commune", help_key="jobs.filter.commune_help"),
            _select("filter", "distance", "jobs.filter.distance", _radius_options()),
            **ROW,
        ),
        _contracts("filter", "jobs.filter.contracts", S.filter_contracts, S.toggle_filter_contract, S.filter_errors),
        rx.flex(
            _select("filter", "temps_travail", "jobs.filter.working_time", _working_time_options()),
            _select(
                "filter",
                "experience",
                "jobs.filter.experience",
                [(value, t(f"jobs.experience.{value or 'any'}")) for value in EXPERIENCES],
            ),
            _select(
                "filter",
                "publiee_depuis",
                "jobs.filter.published",
                [(value, t(f"jobs.published.{value or 'any'}")) for value in PUBLISHED],
            ),
            _field("filter", "mots_cles", "jobs.filter.keywords", help_key="jobs.filter.keywords_help"),
            **ROW,
        ),
        rx.button(
            rx.cond(S.offers_status == "running", t("jobs.searching"), t("jobs.search")),
            type="submit",
            size="3",
            margin_top="0.75rem",
            disabled=S.offers_status == "running",
        ),
        on_submit=S.search_offers,
    )


def _remove_button(row: rx.Var, size: str) -> rx.Component:
    return rx.button(
        t("jobs.offer.remove"),
        type="button",
        size=size,
        variant="soft",
        color_scheme="red",
        on_click=S.remove_offer(row["id"]),
        aria_label=row["remove_label"],
    )


def _keep_buttons(row: rx.Var) -> rx.Component:
    return rx.cond(
        S.saved_ids.contains(row["id"]),
        rx.flex(
            tone_badge(t("jobs.offer.saved_badge"), "success", "bookmark-check", size="2"),
            _remove_button(row, "2"),
            gap="0.5rem",
            align="center",
        ),
        rx.button(
            t("jobs.offer.save"),
            type="button",
            size="2",
            on_click=S.save_offer(row["id"]),
            aria_label=row["save_label"],
        ),
    )


def _offer(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.article(
            rx.heading(row["title"], as_="h3", size="4"),
            rx.text(row["meta"]),
            rx.cond(row["salary"] != "", rx.text(row["salary"], size="2")),
            rx.cond(row["published"] != "", rx.text(row["published"], size="2", class_name="muted")),
            rx.flex(offer_link(row), _keep_buttons(row), gap="1rem", align="center", wrap="wrap", margin_top="0.5rem"),
            style={"border_top": "1px solid var(--gray-5)", "padding_top": "0.75rem"},
        )
    )


def _paging() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            rx.button(
                t("jobs.previous"),
                type="button",
                variant="outline",
                on_click=S.previous_offers,
                disabled=(S.offers_start == 0) | (S.offers_status == "running"),
            ),
            rx.button(
                t("jobs.next"),
                type="button",
                variant="outline",
                on_click=S.next_offers,
                disabled=~S.offers_more | (S.offers_status == "running"),
            ),
            gap="1rem",
            margin_top="1rem",
        ),
        aria_label=t("jobs.paging"),
    )


def _offers() -> rx.Component:
    return section(
        "offers-title",
        rx.heading(t("jobs.offers.title"), as_="h2", size="5", id="offers-title"),
        _when_searchable(
            _filters(),
            rx.el.p(S.offers_message, role="status", aria_live="polite", class_name="save-status"),
            rx.cond(S.offers_error != "", rx.callout(S.offers_error, color_scheme="red", role="alert")),
            rx.cond(
                S.offers.length() > 0,
                rx.fragment(
                    rx.text(S.offers_where, size="2", class_name="muted"),
                    rx.el.ol(rx.foreach(S.offers, _offer), style=LIST_STYLE),
                    rx.cond(S.offers_capped, rx.text(t("jobs.results_capped"), size="2")),
                    _paging(),
                ),
            ),
        ),
    )


# ---------------------------------------------------------------- kept offers


def _saved(row: rx.Var) -> rx.Component:
    return saved_offer(row, _remove_button(row, "1"))


def _saved_offers() -> rx.Component:
    return section(
        "saved-title",
        rx.heading(tf("jobs.saved.title", count=S.saved.length().to(str)), as_="h2", size="5", id="saved-title"),
        rx.el.p(S.saved_message, role="status", aria_live="polite", class_name="save-status"),
        list_or_empty(S.saved, _saved, rx.text(t("jobs.saved.empty")), style=LIST_STYLE),
    )


# ---------------------------------------------------------------- companies


def _company(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(row["name"]),
        rx.cond(row["details"] != "", rx.text(row["details"], size="2")),
        rx.cond(row["potential"] != "", rx.text(row["potential"], size="2")),
        rx.cond(row["url"] != "", external_link("jobs.company.link", row)),
    )


def _companies() -> rx.Component:
    return section(
        "companies-title",
        rx.heading(t("jobs.companies.title"), as_="h2", size="5", id="companies-title"),
        rx.text(t("jobs.companies.intro"), class_name="muted"),
        _when_searchable(
            rx.form(
                rx.flex(
                    field_box(
                        "company-target",
                        t("jobs.filter.target"),
                        select_control(
                            _target_options(None),
                            id="company-target",
                            value=S.company_target,
                            on_change=S.set_company_target,
                        ),
                    ),
                    rx.button(
                        t("jobs.companies.search"),
                        type="submit",
                        size="3",
                        disabled=S.companies_status == "running",
                    ),
                    **ROW,
                ),
                on_submit=S.search_companies,
            ),
            rx.el.p(S.companies_message, role="status", aria_live="polite", class_name="save-status"),
            rx.cond(S.companies_error != "", rx.callout(S.companies_error, color_scheme="red", role="alert")),
            rx.cond(S.companies.length() > 0, rx.el.ul(rx.foreach(S.companies, _company), style=LIST_STYLE)),
        ),
    )


def _page() -> rx.Component:
    return rx.box(
        page_title("jobs.title"),
        rx.text(t("jobs.intro"), margin_bottom="1rem"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.page_status,
            ("none", rx.callout(t("jobs.none"), color_scheme="blue")),
            ("ready", rx.fragment(_preferences(), _offers(), _saved_offers(), _companies())),
            loading(),
        ),
    )


screen(routes.OFFERS, on_load=JobSearchState.load)(_page)
