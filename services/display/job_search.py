"""Rows of the beneficiary's offers page (``/mon-espace/offres``): her criteria, the commune
suggestions, live offers, the offers she keeps (also shown on "Mes pistes" and to her consultant) and
La Bonne Boîte companies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict

from services.i18n import format_datetime, format_number, translate
from services.job_search import (
    DEFAULT_RADIUS,
    CommuneHit,
    CompanyPage,
    OfferPage,
    OfferSnapshot,
    Preferences,
    SavedOfferView,
)
from services.recommendations import KeptTarget

COMMUNE_OPTION_ID = "commune-option-{index}"


class PreferenceValues(TypedDict):
    """Her criteria as the form holds them (the commune is picked in its own list)."""

    commune: str
    commune_libelle: str
    rayon_km: str
    temps_travail: str
    salaire_min: str


class FilterValues(TypedDict):
    """The offers' search form."""

    code_rome: str
    commune: str
    distance: str
    temps_travail: str
    experience: str
    publiee_depuis: str
    mots_cles: str


class TargetRow(TypedDict):
    code_rome: str
    libelle: str


class CommuneRow(TypedDict):
    code: str
    label: str
    description: str
    id: str  # the option's id in the page, for the field's ``aria-activedescendant``


class OfferRow(TypedDict):
    id: str
    title: str
    company: str
    place: str
    contract: str
    code_rome: str
    meta: str
    salary: str
    published: str
    url: str
    link_label: str
    save_label: str
    remove_label: str


class SavedOfferRow(TypedDict):
    id: str
    title: str
    meta: str
    target: str
    saved_on: str
    url: str
    link_label: str
    remove_label: str


class CompanyRow(TypedDict):
    siret: str
    name: str
    details: str
    potential: str
    url: str
    link_label: str


def preference_values(preferences: Preferences) -> PreferenceValues:
    """Her saved criteria, as the form's text values."""
    return {
        "commune": preferences.commune,
        "commune_libelle": preferences.commune_libelle,
        "rayon_km": str(preferences.rayon_km),
        "temps_travail": preferences.temps_travail,
        "salaire_min": "" if preferences.salaire_min is None else str(preferences.salaire_min),
    }


def filter_values(preferences: Preferences, code_rome: str = "") -> FilterValues:
    """The search form as her preferences fill it (the commune, its distance, the working time)."""
    return {
        "code_rome": code_rome,
        "commune": preferences.commune_libelle or preferences.commune,
        "distance": str(preferences.rayon_km),
        "temps_travail": preferences.temps_travail,
        "experience": "",
        "publiee_depuis": "",
        "mots_cles": "",
    }


def target_rows(targets: Iterable[KeptTarget]) -> list[TargetRow]:
    """Her kept targets, as the choices of the target selects."""
    return [{"code_rome": target.code_rome, "libelle": target.libelle} for target in targets]


def commune_rows(hits: Iterable[CommuneHit]) -> list[CommuneRow]:
    """The suggestions, each with the id its option has in the page (for ``aria-activedescendant``)."""
    return [
        {"code": hit.code, "label": hit.label, "description": hit.description, "id": COMMUNE_OPTION_ID.format(index=i)}
        for i, hit in enumerate(hits)
    ]


def _meta(snapshot: OfferSnapshot) -> str:
    return " · ".join(part for part in (snapshot.company, snapshot.place, snapshot.contract) if part)


def offer_rows(page: OfferPage, locale: str) -> list[OfferRow]:
    """One page of live offers, with the accessible names of their link and buttons."""
    rows: list[OfferRow] = []
    for offer in page.offers:
        snapshot = offer.snapshot
        rows.append(
            {
                "id": snapshot.offer_id,
                "title": snapshot.title,
                "company": snapshot.company,
                "place": snapshot.place,
                "contract": snapshot.contract,
                "code_rome": snapshot.code_rome,
                "meta": _meta(snapshot),
                "salary": translate("jobs.offer.salary", locale, salary=offer.salary) if offer.salary else "",
                "published": translate(
                    "jobs.offer.published", locale, date=format_datetime(offer.published, locale, "d MMMM y")
                )
                if offer.published
                else "",
                "url": offer.url,
                "link_label": translate("jobs.offer.link_label", locale, title=snapshot.title),
                "save_label": translate("jobs.offer.save_label", locale, title=snapshot.title),
                "remove_label": translate("jobs.offer.remove_label", locale, title=snapshot.title),
            }
        )
    return rows


def results_line(page: OfferPage, locale: str) -> str:
    """ "Offres 1–20 sur 353" (numbers in the locale's format), or the no-result sentence."""
    if not page.offers:
        return translate("jobs.no_results", locale)
    return translate(
        "jobs.results",
        locale,
        first=format_number(page.start + 1, locale),
        last=format_number(page.start + len(page.offers), locale),
        total=format_number(page.total, locale),
    )


def where_line(commune: str, distance: int | None, label: str, locale: str) -> str:
    """Where the offers were searched: around a commune, or the whole country."""
    if not commune:
        return translate("jobs.where.everywhere", locale)
    return translate("jobs.where.around", locale, commune=label or commune, km=distance or DEFAULT_RADIUS)


def saved_rows(views: Iterable[SavedOfferView], targets: Mapping[str, str], locale: str) -> list[SavedOfferRow]:
    """The kept offers; ``targets`` maps a code ROME to its label."""
    return [
        {
            "id": view.snapshot.offer_id,
            "title": view.snapshot.title,
            "meta": _meta(view.snapshot),
            "target": translate(
                "jobs.saved.target", locale, libelle=targets.get(view.snapshot.code_rome, view.snapshot.code_rome)
            )
            if view.snapshot.code_rome
            else "",
            "saved_on": translate("jobs.saved.on", locale, date=format_datetime(view.saved_at, locale, "d MMMM y")),
            "url": view.url,
            "link_label": translate("jobs.offer.link_label", locale, title=view.snapshot.title),
            "remove_label": translate("jobs.offer.remove_label", locale, title=view.snapshot.title),
        }
        for view in views
    ]


def company_rows(page: CompanyPage, locale: str) -> list[CompanyRow]:
    """La Bonne Boîte's companies: sector, size, city and distance in one line, the hiring potential."""
    rows: list[CompanyRow] = []
    for company in page.companies:
        details = [
            translate("jobs.company.sector", locale, label=company.naf_label) if company.naf_label else "",
            translate("jobs.company.size", locale, size=company.headcount) if company.headcount else "",
            company.city,
            translate("jobs.company.distance", locale, km=format_number(round(company.distance_km, 1), locale))
            if company.distance_km is not None
            else "",
        ]
        rows.append(
            {
                "siret": company.siret,
                "name": company.name,
                "details": " · ".join(part for part in details if part),
                "potential": translate(
                    "jobs.company.potential", locale, value=format_number(company.hiring_potential, locale)
                )
                if company.hiring_potential is not None
                else "",
                "url": company.url,
                "link_label": translate("jobs.company.link_label", locale, name=company.name),
            }
        )
    return rows


def companies_line(page: CompanyPage, label: str, locale: str) -> str:
    """How many companies are shown, around which commune (or the no-company sentence)."""
    if not page.companies:
        return translate("jobs.companies.none", locale)
    return translate(
        "jobs.companies.count",
        locale,
        shown=len(page.companies),
        total=format_number(page.total, locale),
        km=page.distance,
        commune=label or page.commune,
    )
