"""The beneficiary's offers page (``/mon-espace/offres``): her search criteria, live offers for her kept
targets, the offers she keeps, and La Bonne Boîte companies.

Searches run in background events (France Travail may take seconds); the rows come from
``services.display.job_search``. What was typed stays in the state when a search or a save is
refused, and a France Travail failure is shown as its French message without breaking the page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import reflex as rx

from services import bilans, job_search, recommendations
from services.access import Actor, Permission
from services.display.job_search import (
    COMMUNE_OPTION_ID,
    CommuneRow,
    CompanyRow,
    FilterValues,
    OfferRow,
    PreferenceValues,
    SavedOfferRow,
    TargetRow,
    commune_rows,
    companies_line,
    company_rows,
    filter_values,
    offer_rows,
    preference_values,
    results_line,
    saved_rows,
    target_rows,
    where_line,
)
from services.errors import FormError, ServiceError
from services.francetravail.client import MAX_FIRST_INDEX, MAX_LAST_INDEX
from services.francetravail.models import PUBLIEE_DEPUIS
from services.job_search import OfferSnapshot, Preferences
from services.matching import TypeContrat
from state.session import FormMixin, SessionState, guarded

CONTRACTS = [code.value for code in TypeContrat]
WORKING_TIMES = ["", *job_search.WORKING_TIMES]
RADII = [str(km) for km in job_search.RADII]
EXPERIENCES = ["", *job_search.EXPERIENCE]
PUBLISHED = ["", *(str(days) for days in PUBLIEE_DEPUIS)]
PREFERENCE_FIELDS = ("rayon_km", "temps_travail", "salaire_min")  # the commune is picked in its own list
FILTER_FIELDS = ("code_rome", "commune", "distance", "temps_travail", "experience", "publiee_depuis", "mots_cles")
INPUT_MAX = 120
COMMUNE_INPUT_MAX = 80


def has_next_page(start: int, shown: int, total: int) -> bool:
    """France Travail serves indexes up to 1149, from a first index of 1000 at most."""
    following = start + job_search.PAGE_SIZE
    return shown > 0 and following < min(total, MAX_LAST_INDEX + 1) and following <= MAX_FIRST_INDEX


def _toggled(values: list[str], code: str) -> list[str]:
    chosen = set(values) ^ {code}
    return [value for value in CONTRACTS if value in chosen]


# ---------------------------------------------------------------- the page's state


class JobSearchState(FormMixin, SessionState):
    page_status: str = "loading"  # loading | none | ready
    configured: bool = False
    targets: list[TargetRow] = []
    # Her criteria
    prefs: PreferenceValues = preference_values(Preferences())
    pref_contracts: list[str] = []
    pref_errors: dict[str, str] = {}
    pref_error: str = ""
    pref_notice: str = ""
    commune_saved: str = ""  # the saved commune, as a sentence
    # The commune combobox: what she types, the suggestions, the one the arrow keys are on (-1: none).
    commune_query: str = ""
    commune_hits: list[CommuneRow] = []
    commune_active: int = -1
    commune_status: str = ""
    # Offers
    filters: FilterValues = filter_values(Preferences())
    filter_contracts: list[str] = []
    filter_errors: dict[str, str] = {}
    offers_status: str = "idle"  # idle | running | done
    offers_message: str = ""
    offers_error: str = ""
    offers_where: str = ""
    offers: list[OfferRow] = []
    offers_start: int = 0
    offers_more: bool = False
    offers_capped: bool = False
    # Kept offers
    saved: list[SavedOfferRow] = []
    saved_ids: list[str] = []
    saved_message: str = ""
    # Companies
    company_target: str = ""
    companies_status: str = "idle"  # idle | running | done
    companies_message: str = ""
    companies_error: str = ""
    companies: list[CompanyRow] = []
    _bilan_id: str = ""
    _query: dict[str, Any] = {}  # the filters of the last search, for paging

    @rx.var
    def commune_active_id(self) -> str:
        """The id of the suggestion the arrow keys are on, for the field's ``aria-activedescendant``."""
        active = self.commune_active
        return COMMUNE_OPTION_ID.format(index=active) if 0 <= active < len(self.commune_hits) else ""

    # ------------------------------------------------------------ helpers (not event handlers)

    def _actor(self) -> tuple[Actor | None, Any]:
        actor, redirect = self._authorize(Permission.VIEW_OWN_SPACE)
        if actor is not None and not self._bilan_id:
            return None, redirect
        return actor, redirect

    def _explain(self, exc: ServiceError) -> tuple[str, dict[str, str]]:
        """The message above a form and the messages next to its fields."""
        if isinstance(exc, FormError):
            return self._t("error.form"), {name: self._t(key, **exc.params) for name, key in exc.fields.items()}
        return self._t(exc.code, **exc.params), {}

    def _labels(self) -> dict[str, str]:
        return {row["code_rome"]: row["libelle"] for row in self.targets}

    def _show_preferences(self, preferences: Preferences) -> None:
        self.prefs = preference_values(preferences)
        self.pref_contracts = list(preferences.type_contrat)
        label = preferences.commune_libelle or preferences.commune
        self.commune_saved = self._t("jobs.prefs.commune_saved", label=label) if label else ""
        self.commune_query = label
        self._close_communes()

    def _close_communes(self) -> None:
        self.commune_hits, self.commune_active = [], -1

    def _set_commune_error(self, key: str = "") -> None:
        errors = {name: error for name, error in self.pref_errors.items() if name != "commune"}
        self.pref_errors = {**errors, "commune": self._t(key, query=self.commune_query)} if key else errors

    def _load_saved(self, actor: Actor) -> None:
        ok, views = self._run(lambda: job_search.saved_offers(actor, self._bilan_id))
        if ok:
            self.saved = saved_rows(views, self._labels(), self.locale)
            self.saved_ids = [row["id"] for row in self.saved]

    async def _fetch_offers(self, actor: Actor, query: dict[str, Any], start: int) -> None:
        bilan_id, locale = self._bilan_id, self.locale
        try:
            page = await asyncio.to_thread(job_search.search_offers, actor, bilan_id, query, start=start)
        except ServiceError as exc:
            async with self:
                self.offers_status = "done" if self.offers else "idle"
                self.offers_message = ""
                self.offers_error, self.filter_errors = self._explain(exc)
            return
        async with self:
            self._query = query
            self.offers = offer_rows(page, locale)
            self.offers_start = page.start
            self.offers_more = has_next_page(page.start, len(page.offers), page.total)
            self.offers_capped = page.total > MAX_LAST_INDEX + 1 and not self.offers_more and bool(page.offers)
            self.offers_message = results_line(page, locale)
            self.offers_where = where_line(page.commune, page.distance, page.commune_label, locale)
            self.offers_status = "done"

    # ------------------------------------------------------------ load

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.page_status = "loading"
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.page_status = "none"
            return None
        self._bilan_id = bilan_id = str(overview.bilan_id)
        ok, targets = self._run(lambda: recommendations.kept_targets(actor, bilan_id, with_training=False))
        found, preferences = self._run(lambda: job_search.get_preferences(actor, bilan_id))
        preferences = preferences if found else Preferences()
        self.targets = target_rows(targets or [])
        self.configured = job_search.available()
        self._show_preferences(preferences)
        self.pref_errors, self.pref_error, self.pref_notice = {}, "", ""
        self.commune_status = ""
        wanted = str(self.router.url.query_parameters.get("metier", "")).upper()
        target = wanted if wanted in self._labels() else ""
        self.filters = filter_values(preferences, target)
        self.filter_contracts = list(preferences.type_contrat)
        self.filter_errors, self.offers, self.offers_error, self.offers_message = {}, [], "", ""
        self.offers_status, self.offers_where, self.offers_more, self.offers_capped = "idle", "", False, False
        self.company_target = target or (self.targets[0]["code_rome"] if self.targets else "")
        self.companies, self.companies_error, self.companies_message = [], "", ""
        self.companies_status, self.saved_message = "idle", ""
        self._load_saved(actor)
        self.page_status = "ready" if ok else "none"
        if ok and target and self.configured:  # arrived from "Voir les offres pour ce métier"
            return JobSearchState.search_offers
        return None

    # ------------------------------------------------------------ her criteria

    @rx.event
    def set_pref(self, name: str, value: str) -> None:
        if name in PREFERENCE_FIELDS:
            self.prefs = {**self.prefs, name: str(value)[:INPUT_MAX]}

    @rx.event
    def toggle_pref_contract(self, code: str) -> None:
        self.pref_contracts = _toggled(self.pref_contracts, code)

    @rx.event
    def set_commune_query(self, value: str) -> Any:
        """She types in the commune field: what was picked no longer holds, suggestions follow."""
        self.commune_query = str(value)[:COMMUNE_INPUT_MAX]
        if self.commune_query != self.prefs.get("commune_libelle", ""):
            self.prefs = {**self.prefs, "commune": "", "commune_libelle": ""}
        self._set_commune_error()
        self.commune_active = -1
        return JobSearchState.suggest_communes

    @rx.event(background=True)
    @guarded(_actor)
    async def suggest_communes(self, actor: Actor) -> Any:
        async with self:
            query, picked = self.commune_query, self.prefs.get("commune_libelle", "")
        if query == "" or query == picked:
            hits, failure = [], ""
        else:
            try:  # the first lookup of a process reads the list (under a second): off the event loop
                hits, failure = await asyncio.to_thread(job_search.find_communes, query), ""
            except ServiceError as exc:
                hits, failure = [], exc.code
        async with self:
            if query != self.commune_query:  # she has typed on: a newer lookup answers
                return None
            self.commune_hits, self.commune_active = commune_rows(hits), -1
            if failure:
                self.commune_status = ""
                self._set_commune_error(failure)
            elif hits:
                self.commune_status = self._t("jobs.prefs.lookup_count", count=len(hits))
            else:
                self.commune_status = ""
                if len(query.strip()) >= 2:
                    self._set_commune_error("job_search.error.commune_none")
        return None

    @rx.event
    def commune_key(self, key: str) -> None:
        """The arrow keys move through the suggestions, Escape closes them (Enter submits: ``pick_commune``)."""
        count = len(self.commune_hits)
        if key == "Escape":
            self._close_communes()
        elif count and key in ("ArrowDown", "ArrowUp"):
            step = 1 if key == "ArrowDown" else -1
            self.commune_active = (
                (self.commune_active + step) % count if self.commune_active >= 0 else (0 if step > 0 else count - 1)
            )

    @rx.event
    def pick_commune(self, _form: dict[str, Any] | None = None) -> None:
        """Enter in the field: the suggestion the arrow keys are on, or the only one."""
        if 0 <= self.commune_active < len(self.commune_hits):
            self._choose(self.commune_hits[self.commune_active]["code"])
        elif len(self.commune_hits) == 1:
            self._choose(self.commune_hits[0]["code"])

    @rx.event
    def choose_commune(self, code: str) -> None:
        self._choose(code)

    def _choose(self, code: str) -> None:
        hit = next((row for row in self.commune_hits if row["code"] == code), None)
        if hit is not None:
            self.prefs = {**self.prefs, "commune": hit["code"], "commune_libelle": hit["label"]}
            self.commune_query = hit["label"]
            self._set_commune_error()
            self._close_communes()
            self.commune_status = self._t("jobs.prefs.lookup_chosen", label=hit["label"])

    @rx.event
    @guarded(_actor)
    def save_preferences(self, actor: Actor, _form: dict[str, Any] | None = None) -> Any:
        self.pref_notice = self.pref_error = ""
        # The commune picked in the suggestions; else what she typed (kept if it designates one commune).
        raw = {**self.prefs, "commune_query": self.commune_query, "type_contrat": list(self.pref_contracts)}
        try:
            preferences = job_search.save_preferences(actor, self._bilan_id, raw)
        except ServiceError as exc:
            self.pref_error, self.pref_errors = self._explain(exc)
            return None
        self.pref_errors, self.commune_status = {}, ""
        self._show_preferences(preferences)
        # The search forms start again from the new criteria (the target and keywords stay).
        self.filters = {**filter_values(preferences, self.filters.get("code_rome", "")), **self._kept_filters()}
        self.filter_contracts = list(preferences.type_contrat)
        self.pref_notice = self._t("jobs.prefs.saved")
        return None

    def _kept_filters(self) -> dict[str, str]:
        return {name: self.filters.get(name, "") for name in ("experience", "publiee_depuis", "mots_cles")}

    # ------------------------------------------------------------ offers

    @rx.event
    def set_filter(self, name: str, value: str) -> None:
        if name in FILTER_FIELDS:
            self.filters = {**self.filters, name: str(value)[:INPUT_MAX]}

    @rx.event
    def toggle_filter_contract(self, code: str) -> None:
        self.filter_contracts = _toggled(self.filter_contracts, code)

    @rx.event(background=True)
    @guarded(_actor)
    async def search_offers(self, actor: Actor, _form: dict[str, Any] | None = None) -> Any:
        async with self:
            if self.offers_status == "running":
                return None
            query: dict[str, Any] = {**self.filters, "type_contrat": list(self.filter_contracts)}
            self.offers_status, self.offers_error, self.filter_errors = "running", "", {}
            self.offers_message = self._t("jobs.searching")
        await self._fetch_offers(actor, query, 0)
        return None

    async def _turn_page(self, step: int) -> Any:
        async with self:
            actor, redirect = self._actor()
            if actor is None:
                return redirect
            if self.offers_status == "running" or not self._query:
                return None
            start = self.offers_start + step * job_search.PAGE_SIZE
            if start < 0 or (step > 0 and not self.offers_more):
                return None
            query = dict(self._query)
            self.offers_status, self.offers_error = "running", ""
            self.offers_message = self._t("jobs.searching")
        await self._fetch_offers(actor, query, start)
        return None

    @rx.event(background=True)
    async def next_offers(self) -> Any:
        return await self._turn_page(1)

    @rx.event(background=True)
    async def previous_offers(self) -> Any:
        return await self._turn_page(-1)

    # ------------------------------------------------------------ kept offers

    def _change_saved(self, change: Callable[[Actor], Any], notice_key: str, title: str) -> Any:
        self.saved_message = ""
        actor, redirect = self._actor()
        if actor is None:
            return redirect
        try:
            change(actor)
        except ServiceError as exc:
            self.saved_message, _ = self._explain(exc)
        else:
            self.saved_message = self._t(notice_key, title=title)
        self._load_saved(actor)
        return None

    @rx.event
    def save_offer(self, offer_id: str) -> Any:
        row = next((row for row in self.offers if row["id"] == offer_id), None)
        if row is None:
            return None
        snapshot = OfferSnapshot(
            offer_id=row["id"],
            title=row["title"],
            company=row["company"],
            place=row["place"],
            contract=row["contract"],
            code_rome=row["code_rome"],
        )
        return self._change_saved(
            lambda actor: job_search.save_offer(actor, self._bilan_id, snapshot),
            "jobs.saved_notice",
            row["title"],
        )

    @rx.event
    def remove_offer(self, offer_id: str) -> Any:
        rows = [*self.saved, *self.offers]
        title = next((row["title"] for row in rows if row["id"] == offer_id), offer_id)
        return self._change_saved(
            lambda actor: job_search.remove_offer(actor, self._bilan_id, offer_id),
            "jobs.removed_notice",
            title,
        )

    # ------------------------------------------------------------ companies

    @rx.event
    def set_company_target(self, value: str) -> None:
        self.company_target = str(value)[:5]

    @rx.event(background=True)
    @guarded(_actor)
    async def search_companies(self, actor: Actor, _form: dict[str, Any] | None = None) -> Any:
        async with self:
            if self.companies_status == "running":
                return None
            # Around the commune and distance of the offers' search form.
            query = {
                "code_rome": self.company_target,
                "commune": self.filters.get("commune", ""),
                "distance": self.filters.get("distance", ""),
            }
            bilan_id, locale = self._bilan_id, self.locale
            self.companies_status, self.companies_error = "running", ""
            self.companies_message = self._t("jobs.companies.searching")
        try:
            page = await asyncio.to_thread(job_search.search_companies, actor, bilan_id, query)
        except ServiceError as exc:
            async with self:
                self.companies_status = "done" if self.companies else "idle"
                self.companies_message = ""
                message, fields = self._explain(exc)
                # The commune and distance are the offers' form's: say what is wrong here, in words.
                self.companies_error = " ".join(fields.values()) or message
            return None
        async with self:
            self.companies = company_rows(page, locale)
            self.companies_message = companies_line(page, page.commune_label, locale)
            self.companies_status = "done"
        return None
