"""The beneficiary's job search: her preferences, live offers for her kept targets around her commune,
the offers she keeps for her plan, and companies likely to hire (La Bonne Boîte).

Who may do what:

* the beneficiary edits her preferences and keeps or removes offers, while the bilan is not closed;
* the beneficiary and the bilan's followers (assigned consultant, org admin) read them and search
  offers and companies; a follower's read is logged as a read of personal data.

Communes are found in the official list shipped with the platform (``services.geo.communes``): France
Travail is asked only for offers and companies.

Access is checked before any France Travail call, and no call is made inside a database transaction.
Without credentials the searches raise ``FranceTravailNotConfigured`` (its French message says so);
the preferences and the kept offers work regardless.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from services.access import Actor
from services.bilans import (
    get_bilan,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_beneficiary,
    require_open,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError, ServiceError
from services.francetravail import Offer, OfferFilters, get_client, is_configured
from services.francetravail.client import MAX_FIRST_INDEX
from services.francetravail.models import PUBLIEE_DEPUIS
from services.geo import communes
from services.matching.profile import TempsTravail, TypeContrat
from services.models import Bilan, BilanTarget, JobSearchPreferences, SavedOffer
from services.models.base import utcnow

PAGE_SIZE = 20
RADII = (5, 10, 20, 30, 50, 100)  # km
DEFAULT_RADIUS = 30
EXPERIENCE = ("D", "E", "S")  # débutant accepté, expérience exigée, expérience souhaitée
WORKING_TIMES = tuple(choice.value for choice in TempsTravail)
SALARY_MAX = 1_000_000
KEYWORDS_MAX_CHARS = 120
COMMUNE_HITS = 10
COMPANIES_SHOWN = 20
OFFER_URL = "https://candidat.francetravail.fr/offres/recherche/detail/{offer_id}"

_OFFER_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
_KEYWORD_SEPARATORS = re.compile(r"[\s,;']+")
_KEYWORD = re.compile(r"^[\w+#.@/-]+$")


class JobSearchAction(StrEnum):
    PREFERENCES_UPDATED = "job_search.preferences_updated"
    OFFER_SAVED = "job_search.offer_saved"
    OFFER_REMOVED = "job_search.offer_removed"


def available() -> bool:
    """Offers and companies need France Travail credentials (set by the operator); communes do not."""
    return is_configured()


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Preferences:
    commune: str = ""  # INSEE code
    commune_libelle: str = ""  # "Brest (29)", from the official list of communes
    rayon_km: int = DEFAULT_RADIUS
    type_contrat: tuple[str, ...] = ()
    temps_travail: str = ""  # "", "plein" or "partiel"
    salaire_min: int | None = None  # gross euros a year
    updated_at: datetime | None = None  # None: never saved, the defaults

    def profile_constraints(self) -> dict[str, Any]:
        """The matching Profile's constraints (``profile_from_bilan(actor, bilan_id, **constraints)``)."""
        return {
            "commune": self.commune or None,
            "rayon_km": self.rayon_km if self.commune else None,
            "type_contrat": list(self.type_contrat),
            "temps_travail": self.temps_travail or None,
            "salaire_min": self.salaire_min,
        }


@dataclass(frozen=True)
class CommuneHit:
    code: str  # INSEE code
    label: str  # "Saint-Étienne (42)", stored with the code
    description: str  # "Saint-Étienne (42) — 42000, 42100, 42230", shown in the suggestions


@dataclass(frozen=True)
class OfferSnapshot:
    """What is kept of an offer for the plan (France Travail withdraws offers once filled)."""

    offer_id: str
    title: str
    company: str = ""
    place: str = ""
    contract: str = ""
    code_rome: str = ""  # the target métier it was found for


@dataclass(frozen=True)
class OfferView:
    snapshot: OfferSnapshot
    contract_code: str  # CDI, CDD, MIS...
    salary: str  # France Travail's wording, "" when not given
    published: datetime | None
    url: str


@dataclass(frozen=True)
class OfferPage:
    offers: list[OfferView]
    total: int
    start: int
    codes: list[str]  # the ROME codes searched
    commune: str  # searched around it ("" = the whole country)
    distance: int | None
    commune_label: str = ""  # "Brest (29)"


@dataclass(frozen=True)
class SavedOfferView:
    id: str
    snapshot: OfferSnapshot
    url: str
    saved_at: datetime


@dataclass(frozen=True)
class CompanyView:
    siret: str
    name: str
    naf_label: str
    headcount: str
    city: str
    distance_km: float | None
    hiring_potential: float | None
    url: str


@dataclass(frozen=True)
class CompanyPage:
    companies: list[CompanyView]
    total: int
    code_rome: str
    commune: str
    distance: int
    commune_label: str = ""


# ---------------------------------------------------------------- access and rows


def _readable_bilan(session: Session, actor: Actor, bilan_id: uuid.UUID | str, what: str) -> Bilan:
    """The beneficiary's own bilan, or one the actor follows (that read is logged)."""
    bilan = get_bilan(session, actor, bilan_id)
    if not is_follower(actor, bilan):
        require_beneficiary(actor, bilan)
    log_personal_read(session, actor, bilan, what)
    return bilan


def _own_open_bilan(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    bilan = get_bilan(session, actor, bilan_id)
    require_beneficiary(actor, bilan)
    require_open(bilan)
    return bilan


def _target_codes(session: Session, bilan: Bilan) -> list[str]:
    return list(
        session.exec(
            select(BilanTarget.code_rome)
            .where(BilanTarget.organisation_id == bilan.organisation_id, BilanTarget.bilan_id == bilan.id)
            .order_by(col(BilanTarget.created_at), col(BilanTarget.code_rome))
        ).all()
    )


def _preferences_row(session: Session, bilan: Bilan) -> JobSearchPreferences | None:
    return session.exec(
        select(JobSearchPreferences).where(
            JobSearchPreferences.organisation_id == bilan.organisation_id, JobSearchPreferences.bilan_id == bilan.id
        )
    ).first()


def _preferences_of(row: JobSearchPreferences | None) -> Preferences:
    if row is None:
        return Preferences()
    commune = json.loads(decrypt_text(row.commune_encrypted)) if row.commune_encrypted else {}
    code = str(commune.get("code", ""))
    return Preferences(
        commune=code,
        commune_libelle=_stored_label(code, str(commune.get("libelle", ""))),
        rayon_km=row.rayon_km,
        type_contrat=tuple(row.type_contrat.split()),
        temps_travail=row.temps_travail,
        salaire_min=row.salaire_min,
        updated_at=row.updated_at,
    )


def stored_preferences(session: Session, bilan: Bilan) -> Preferences:
    """Her preferences, for a service that has already checked the actor's access to the bilan."""
    return _preferences_of(_preferences_row(session, bilan))


def _saved_row(session: Session, bilan: Bilan, offer_id: str) -> SavedOffer | None:
    return session.exec(
        select(SavedOffer).where(
            SavedOffer.organisation_id == bilan.organisation_id,
            SavedOffer.bilan_id == bilan.id,
            SavedOffer.offer_id == offer_id,
        )
    ).first()


# France Travail's offer ids are short alphanumeric codes ("194XKQW"); anything else (the demo's example
# offer) gets no link rather than one to a page that does not exist.
OFFER_ID = re.compile(r"^[0-9A-Za-z]{6,10}$")


def offer_url(offer_id: str) -> str:
    return OFFER_URL.format(offer_id=offer_id) if OFFER_ID.match(offer_id) else ""


# ---------------------------------------------------------------- validation (shared by the forms)


def _text(raw: Mapping[str, Any], name: str, default: object = "") -> str:
    value = raw.get(name, default)
    return "" if value is None else str(value).strip()


_LIST_LABEL = re.compile(r"\(\d[\dAB]\d?\)$")  # "Lyon (69)", "Ajaccio (2A)", "Saint-Denis (974)"


def _stored_label(code: str, stored: str) -> str:
    """The label saved with the code; a row saved before the official list was used (no label, or
    France Travail's "Brest (29200)") reads with the list's."""
    return stored if _LIST_LABEL.search(stored) else _label(code, stored)


def _label(code: str, stored: str = "") -> str:
    """The commune's label in the official list ("Lyon (69)"); ``stored`` when the list cannot tell."""
    try:
        commune = communes.get(code) if code else None
    except communes.CommunesUnavailable:
        return stored
    return commune.label if commune is not None else stored


def _commune(value: str, errors: dict[str, str], preferences: Preferences | None = None) -> str:
    """The INSEE code of the commune typed (a name, a postcode, an INSEE code or a label such as
    "Lyon (69)"); her preferred commune's label or code stands for it. Errors name what was typed."""
    if not value:
        return ""
    if preferences is not None and preferences.commune and value in (preferences.commune, preferences.commune_libelle):
        return preferences.commune
    commune, matches = communes.resolve(value)
    if commune is None:
        errors["commune"] = "job_search.error.commune_ambiguous" if matches else "job_search.error.commune_none"
        return ""
    return commune.code


def _chosen_commune(code: str, typed: str, errors: dict[str, str]) -> communes.Commune | None:
    """The commune picked in the suggestions (its INSEE code), else the one ``typed`` designates."""
    if code:
        commune = communes.get(code)
        if commune is None:
            errors["commune"] = "job_search.error.commune_unknown"
        return commune
    resolved = _commune(typed, errors)
    return communes.get(resolved) if resolved else None


def _radius(value: str, errors: dict[str, str], name: str, *, optional: bool = False) -> int | None:
    if not value and optional:
        return None
    try:
        radius = int(value)
    except ValueError:
        radius = -1
    if radius not in RADII:
        errors[name] = "job_search.error.radius"
        return None
    return radius


def _contracts(value: Any, errors: dict[str, str]) -> tuple[str, ...]:
    values = value.split() if isinstance(value, str) else list(value or [])
    codes = [str(code).strip().upper() for code in values if str(code).strip()]
    allowed = {code.value for code in TypeContrat}
    if any(code not in allowed for code in codes):
        errors["type_contrat"] = "job_search.error.contract"
        return ()
    return tuple(code for code in TypeContrat if code.value in codes)  # the référentiel's order, once each


def _salary(value: str, errors: dict[str, str]) -> int | None:
    digits = value.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if not digits:
        return None
    if not digits.isdigit() or int(digits) > SALARY_MAX:
        errors["salaire_min"] = "job_search.error.salary"
        return None
    return int(digits)


def _keywords(value: str, errors: dict[str, str]) -> str | None:
    """France Travail wants comma-separated keywords of two characters at least."""
    if len(value) > KEYWORDS_MAX_CHARS:
        errors["mots_cles"] = "job_search.error.keywords_long"
        return None
    words = [word for word in _KEYWORD_SEPARATORS.split(value) if len(word) >= 2]
    if any(not _KEYWORD.match(word) for word in words):
        errors["mots_cles"] = "job_search.error.keywords"
        return None
    return ",".join(dict.fromkeys(words)) or None


def _choice(value: str, name: str, allowed: Sequence[str], errors: dict[str, str]) -> str:
    """One of ``allowed`` or "" (not chosen); the error key is ``job_search.error.<name>``."""
    if value and value not in allowed:
        errors[name] = f"job_search.error.{name}"
        return ""
    return value


# ---------------------------------------------------------------- preferences


def get_preferences(actor: Actor, bilan_id: uuid.UUID | str) -> Preferences:
    """Her preferences (the beneficiary, or a follower), the defaults when never saved."""
    with session_scope() as session:
        bilan = _readable_bilan(session, actor, bilan_id, "job_search_preferences")
        return stored_preferences(session, bilan)


def find_communes(query: str, limit: int = COMMUNE_HITS) -> list[CommuneHit]:
    """Suggestions for what she types: communes by name (accents, case, hyphens, spaces, apostrophes and
    St/Ste ignored), postcode or INSEE code, from the official list (no network). Best first."""
    return [
        CommuneHit(code=match.commune.code, label=match.commune.label, description=match.text)
        for match in communes.search(query, limit)
    ]


def save_preferences(actor: Actor, bilan_id: uuid.UUID | str, raw: Mapping[str, Any]) -> Preferences:
    """Save her preferences (the beneficiary; FormError maps bad fields to messages, nothing saved then).

    ``raw``: ``commune`` (the INSEE code picked in the suggestions) or, without it, ``commune_query``
    (what she typed, kept when it designates one commune), ``rayon_km``, ``type_contrat`` (list or
    space-separated), ``temps_travail``, ``salaire_min``. The label stored is the official list's.
    """
    errors: dict[str, str] = {}
    typed = _text(raw, "commune_query")
    chosen = _chosen_commune(_text(raw, "commune"), typed, errors)
    rayon_km = _radius(_text(raw, "rayon_km", DEFAULT_RADIUS), errors, "rayon_km")
    type_contrat = _contracts(raw.get("type_contrat"), errors)
    temps_travail = _choice(_text(raw, "temps_travail"), "temps_travail", WORKING_TIMES, errors)
    salaire_min = _salary(_text(raw, "salaire_min"), errors)
    if errors:
        raise FormError(errors, query=typed)
    commune, libelle = (chosen.code, chosen.label) if chosen is not None else ("", "")
    with session_scope() as session:
        bilan = _own_open_bilan(session, actor, bilan_id)
        existing = _preferences_row(session, bilan)
        before = _preferences_of(existing)
        row = existing or JobSearchPreferences(
            organisation_id=bilan.organisation_id, bilan_id=bilan.id, updated_by=actor.user_id
        )
        row.commune_encrypted = (
            encrypt_text(json.dumps({"code": commune, "libelle": libelle}, ensure_ascii=False)) if commune else ""
        )
        row.rayon_km = rayon_km or DEFAULT_RADIUS
        row.type_contrat = " ".join(type_contrat)
        row.temps_travail = temps_travail
        row.salaire_min = salaire_min
        row.updated_by, row.updated_at = actor.user_id, utcnow()
        session.add(row)
        after = _preferences_of(row)
        changes = {
            name: {"before": getattr(before, name), "after": getattr(after, name)}
            for name in ("rayon_km", "type_contrat", "temps_travail", "salaire_min")
            if getattr(before, name) != getattr(after, name)
        }
        if before.commune != after.commune:
            # Where she lives stays out of the audit trail (kept in clear there): only that it changed.
            changes["commune"] = {"before": bool(before.commune), "after": bool(after.commune)}
        record_on_bilan(session, actor, bilan, JobSearchAction.PREFERENCES_UPDATED, **changes)
        return after


# ---------------------------------------------------------------- offers


def _offer_filters(raw: Mapping[str, Any], codes: list[str], preferences: Preferences) -> OfferFilters:
    """The search form's filters; a field left out takes her preference (a field sent empty: none)."""
    errors: dict[str, str] = {}
    target = _text(raw, "code_rome").upper()
    if target and target not in codes:
        errors["code_rome"] = "job_search.error.target"
    typed = _text(raw, "commune", preferences.commune)
    commune = _commune(typed, errors, preferences)
    distance = _radius(_text(raw, "distance", preferences.rayon_km), errors, "distance", optional=True)
    type_contrat = _contracts(raw.get("type_contrat", preferences.type_contrat), errors)
    temps_travail = _choice(
        _text(raw, "temps_travail", preferences.temps_travail), "temps_travail", WORKING_TIMES, errors
    )
    experience = _choice(_text(raw, "experience"), "experience", EXPERIENCE, errors)
    publiee_depuis = _choice(_text(raw, "publiee_depuis"), "publiee_depuis", [str(d) for d in PUBLIEE_DEPUIS], errors)
    mots_cles = _keywords(_text(raw, "mots_cles"), errors)
    if errors:
        raise FormError(errors, query=typed)
    if not codes:
        raise ServiceError("job_search.error.no_targets")
    return OfferFilters.model_validate(
        {
            "code_rome": [target] if target else codes,
            "commune": [commune] if commune else [],
            "distance": distance if commune else None,
            "type_contrat": list(type_contrat),
            "temps_plein": {"plein": True, "partiel": False}.get(temps_travail),
            "experience_exigence": experience or None,
            "publiee_depuis": int(publiee_depuis) if publiee_depuis else None,
            "mots_cles": mots_cles,
        }
    )


def _offer_view(offer: Offer, codes: list[str]) -> OfferView:
    # The target it answers: its own code when kept, else the one target searched.
    code = offer.rome_code if offer.rome_code in codes else (codes[0] if len(codes) == 1 else "")
    contract = " · ".join(part for part in (offer.type_contrat, offer.type_contrat_libelle) if part)
    return OfferView(
        snapshot=OfferSnapshot(
            offer_id=offer.id,
            title=offer.intitule or offer.appellation_libelle,
            company=offer.entreprise.nom,
            place=offer.lieu_travail.libelle,
            contract=contract,
            code_rome=code,
        ),
        contract_code=offer.type_contrat,
        salary=offer.salaire.libelle,
        published=offer.date_creation or offer.date_actualisation,
        url=offer_url(offer.id),
    )


def search_offers(actor: Actor, bilan_id: uuid.UUID | str, raw: Mapping[str, Any], *, start: int = 0) -> OfferPage:
    """One page (``PAGE_SIZE``) of live offers for her kept targets (all, or ``raw["code_rome"]``) with
    the filters of ``raw`` (see ``_offer_filters``); the beneficiary or a follower."""
    with session_scope() as session:
        bilan = _readable_bilan(session, actor, bilan_id, "job_search")
        codes = _target_codes(session, bilan)
        preferences = stored_preferences(session, bilan)
    filters = _offer_filters(raw, codes, preferences)
    if start < 0 or start % PAGE_SIZE or start > MAX_FIRST_INDEX:
        raise ServiceError("francetravail.error.paging")
    result = get_client().search_offers(filters, start=start, limit=PAGE_SIZE)
    searched = filters.code_rome
    return OfferPage(
        offers=[_offer_view(offer, searched) for offer in result.offers],
        total=result.total,
        start=start,
        codes=searched,
        commune=filters.commune[0] if filters.commune else "",
        distance=filters.distance,
        commune_label=_label(filters.commune[0]) if filters.commune else "",
    )


# ---------------------------------------------------------------- offers kept for the plan


def _clip(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def save_offer(actor: Actor, bilan_id: uuid.UUID | str, offer: OfferSnapshot) -> str:
    """Keep an offer for her plan (the beneficiary); saving it again changes nothing. Returns the row id."""
    if not _OFFER_ID.match(offer.offer_id or ""):
        raise ServiceError("job_search.error.offer")
    with session_scope() as session:
        bilan = _own_open_bilan(session, actor, bilan_id)
        existing = _saved_row(session, bilan, offer.offer_id)
        if existing is not None:
            return str(existing.id)
        code = offer.code_rome.upper()
        row = SavedOffer(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            offer_id=offer.offer_id,
            code_rome=code if code in _target_codes(session, bilan) else "",
            title=_clip(offer.title, 255) or offer.offer_id,
            company=_clip(offer.company, 255),
            place=_clip(offer.place, 255),
            contract=_clip(offer.contract, 255),
            url=offer_url(offer.offer_id),
            saved_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        record_on_bilan(
            session, actor, bilan, JobSearchAction.OFFER_SAVED, offer={"before": None, "after": offer.offer_id}
        )
        return str(row.id)


def remove_offer(actor: Actor, bilan_id: uuid.UUID | str, offer_id: str) -> None:
    """Remove a kept offer (the beneficiary); removing one that is not kept changes nothing."""
    with session_scope() as session:
        bilan = _own_open_bilan(session, actor, bilan_id)
        row = _saved_row(session, bilan, offer_id)
        if row is None:
            return
        session.delete(row)
        record_on_bilan(session, actor, bilan, JobSearchAction.OFFER_REMOVED, offer={"before": offer_id, "after": None})


def saved_offers(actor: Actor, bilan_id: uuid.UUID | str) -> list[SavedOfferView]:
    """The offers she kept, newest first (the beneficiary or a follower)."""
    with session_scope() as session:
        bilan = _readable_bilan(session, actor, bilan_id, "saved_offers")
        rows = session.exec(
            select(SavedOffer)
            .where(SavedOffer.organisation_id == bilan.organisation_id, SavedOffer.bilan_id == bilan.id)
            .order_by(col(SavedOffer.saved_at).desc(), col(SavedOffer.offer_id))
        ).all()
        return [
            SavedOfferView(
                id=str(row.id),
                snapshot=OfferSnapshot(
                    offer_id=row.offer_id,
                    title=row.title,
                    company=row.company,
                    place=row.place,
                    contract=row.contract,
                    code_rome=row.code_rome,
                ),
                url=row.url,
                saved_at=row.saved_at,
            )
            for row in rows
        ]


# ---------------------------------------------------------------- companies (La Bonne Boîte)


def search_companies(actor: Actor, bilan_id: uuid.UUID | str, raw: Mapping[str, Any]) -> CompanyPage:
    """Companies likely to hire for one kept target (``raw["code_rome"]``, the first one when empty)
    around ``raw["commune"]`` within ``raw["distance"]`` km (her preferences when left out)."""
    with session_scope() as session:
        bilan = _readable_bilan(session, actor, bilan_id, "job_search")
        codes = _target_codes(session, bilan)
        preferences = stored_preferences(session, bilan)
    errors: dict[str, str] = {}
    code = _text(raw, "code_rome").upper() or (codes[0] if codes else "")
    if code and code not in codes:
        errors["code_rome"] = "job_search.error.target"
    typed = _text(raw, "commune", preferences.commune)
    commune = _commune(typed, errors, preferences)
    if not commune and "commune" not in errors:
        errors["commune"] = "job_search.error.commune_required"
    distance = _radius(_text(raw, "distance", preferences.rayon_km), errors, "distance")
    if errors:
        raise FormError(errors, query=typed)
    if not code:
        raise ServiceError("job_search.error.no_targets")
    radius = distance or DEFAULT_RADIUS
    result = get_client().search_companies(code, commune, radius)
    companies = [
        CompanyView(
            siret=company.siret,
            name=company.name or company.siret,
            naf_label=company.naf_label,
            headcount=company.headcount,
            city=company.city,
            distance_km=company.distance,
            hiring_potential=company.hiring_potential,
            url=company.url if company.url.startswith("https://") else "",
        )
        for company in result.companies[:COMPANIES_SHOWN]
    ]
    return CompanyPage(
        companies=companies,
        total=result.total,
        code_rome=code,
        commune=commune,
        distance=radius,
        commune_label=_label(commune),
    )
