"""Typed results of the France Travail APIs: only the fields the product uses, anything else ignored.

Field names are snake_case; the API's camelCase names are aliases (``populate_by_name`` lets tests
and callers build them either way). Every field but the identifiers has a default, so that a field
France Travail leaves out does not fail the whole answer.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

CODE_ROME = re.compile(r"^[A-N]\d{4}$")
PUBLIEE_DEPUIS = (1, 3, 7, 14, 31)


class _ApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        # France Travail sends null for absent values: let the field defaults apply.
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


# ---------------------------------------------------------------- Offres d'emploi v2


class OfferFilters(BaseModel):
    """The main filters of ``GET /offresdemploi/v2/offres/search`` (API names in ``to_params``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mots_cles: str | None = None
    code_rome: list[str] = Field(default_factory=list, max_length=200)
    appellation: str | None = None
    commune: list[str] = Field(default_factory=list, max_length=5)  # INSEE codes
    distance: int | None = Field(default=None, ge=0, le=200)  # km around the communes
    departement: list[str] = Field(default_factory=list, max_length=5)
    region: str | None = None
    type_contrat: list[str] = Field(default_factory=list)  # CDI, CDD, MIS...
    experience_exigence: Literal["D", "E", "S"] | None = None
    qualification: Literal[0, 9] | None = None  # 0 non-cadre, 9 cadre
    temps_plein: bool | None = None
    salaire_min: float | None = Field(default=None, ge=0)
    periode_salaire: Literal["M", "A", "H", "C"] | None = None
    publiee_depuis: int | None = None
    sort: Literal[0, 1, 2] | None = None  # 0 relevance, 1 date, 2 distance

    @field_validator("code_rome")
    @classmethod
    def _rome_codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not CODE_ROME.match(code):
                raise ValueError(f"invalid ROME code: {code!r}")
        return codes

    @field_validator("publiee_depuis")
    @classmethod
    def _publiee_depuis(cls, days: int | None) -> int | None:
        if days is not None and days not in PUBLIEE_DEPUIS:
            raise ValueError(f"publiee_depuis must be one of {PUBLIEE_DEPUIS}")
        return days

    def to_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        lists = {
            "codeROME": self.code_rome,
            "commune": self.commune,
            "departement": self.departement,
            "typeContrat": self.type_contrat,
        }
        for name, values in lists.items():
            if values:
                params[name] = ",".join(values)
        scalars: dict[str, object] = {
            "motsCles": self.mots_cles,
            "appellation": self.appellation,
            "distance": self.distance,
            "region": self.region,
            "experienceExigence": self.experience_exigence,
            "qualification": self.qualification,
            "salaireMin": self.salaire_min,
            "periodeSalaire": self.periode_salaire,
            "publieeDepuis": self.publiee_depuis,
            "sort": self.sort,
        }
        for name, value in scalars.items():
            if value is not None and value != "":
                params[name] = str(value)
        if self.temps_plein is not None:
            params["tempsPlein"] = "true" if self.temps_plein else "false"
        return params


class OfferPlace(_ApiModel):
    libelle: str = ""
    latitude: float | None = None
    longitude: float | None = None
    code_postal: str = ""
    commune: str = ""


class OfferCompany(_ApiModel):
    nom: str = ""
    description: str = ""


class OfferSalary(_ApiModel):
    libelle: str = ""


class OfferOrigin(_ApiModel):
    url_origine: str = ""


class Offer(_ApiModel):
    id: str
    intitule: str = ""
    description: str = ""
    date_creation: datetime | None = None
    date_actualisation: datetime | None = None
    rome_code: str = ""
    rome_libelle: str = ""
    appellation_libelle: str = Field(default="", alias="appellationlibelle")
    lieu_travail: OfferPlace = Field(default_factory=OfferPlace)
    entreprise: OfferCompany = Field(default_factory=OfferCompany)
    type_contrat: str = ""
    type_contrat_libelle: str = ""
    experience_exige: str = ""
    salaire: OfferSalary = Field(default_factory=OfferSalary)
    duree_travail_libelle: str = ""
    alternance: bool = False
    nombre_postes: int | None = None
    accessible_th: bool = Field(default=False, alias="accessibleTH")
    qualification_code: str = ""
    secteur_activite: str = ""
    secteur_activite_libelle: str = ""
    origine_offre: OfferOrigin = Field(default_factory=OfferOrigin)


class OfferSearchResult(BaseModel):
    """One or several pages of a search: ``total`` is read from ``Content-Range`` (0 on a 204)."""

    model_config = ConfigDict(frozen=True)

    offers: list[Offer]
    total: int
    start: int  # index of the first offer returned
    pages: int  # requests made (or served from the cache)
    complete: bool  # every result up to min(total, limit) was fetched


# ---------------------------------------------------------------- ROME 4.0


class RomeRef(_ApiModel):
    code: str = ""
    libelle: str = ""


class AppellationRef(_ApiModel):
    code: str
    libelle: str = ""
    libelle_court: str = ""
    classification: str = ""  # PRINCIPALE / SYNONYME when the API gives it


class CompetenceRef(_ApiModel):
    code: str = Field(validation_alias=AliasChoices("code", "codeOgr"))
    libelle: str = ""
    type: str = ""  # COMPETENCE-DETAILLEE, MACRO-SAVOIR-FAIRE, SAVOIR...
    code_ogr: str = ""
    riasec_majeur: str = ""
    riasec_mineur: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if isinstance(value, dict):
        return _text(value.get("libelle") or value.get("texte") or "")
    return str(value)


class FicheMetier(_ApiModel):
    """A fiche métier (``rome-fiches-metiers``) or a métier (``rome-metiers``).

    The layout of domain.md §4 is flat (``libelle``, ``definition``...); the published API nests the
    métier under ``metier`` and groups the skills (``groupesCompetencesMobilisees``). Both are read.
    """

    code: str
    libelle: str = ""
    definition: str = ""
    acces_emploi: str = ""
    riasec_majeur: str = ""
    riasec_mineur: str = ""
    appellations: list[AppellationRef] = Field(default_factory=list)
    competences_mobilisees: list[CompetenceRef] = Field(default_factory=list)
    contextes_travail: list[RomeRef] = Field(default_factory=list)
    formacodes: list[RomeRef] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        nested = data.get("metier")
        if isinstance(nested, dict):
            for key, value in nested.items():
                data.setdefault(key, value)
        for key in ("definition", "accesEmploi"):
            if key in data:
                data[key] = _text(data[key])
        if "competencesMobilisees" not in data:
            competences: list[Any] = []
            for group_key, item_key in (
                ("groupesCompetencesMobilisees", "competences"),
                ("groupesSavoirs", "savoirs"),
            ):
                for group in data.get(group_key) or []:
                    if isinstance(group, dict):
                        competences.extend(item for item in group.get(item_key) or [] if isinstance(item, dict))
            data["competencesMobilisees"] = competences
        for key in ("riasecMajeur", "riasecMineur"):
            value = data.get(key)
            data[key] = value.strip().upper()[:1] if isinstance(value, str) else ""
        return data

    def definition_sentences(self) -> list[str]:
        return [line.strip() for line in self.definition.splitlines() if line.strip()]

    def acces_sentences(self) -> list[str]:
        return [line.strip() for line in self.acces_emploi.splitlines() if line.strip()]


class AppellationHit(_ApiModel):
    code: str
    libelle: str = ""
    libelle_court: str = ""
    metier: RomeRef = Field(default_factory=RomeRef)
    score: float | None = None


# ---------------------------------------------------------------- ROMEO v2


class RomeoMetier(_ApiModel):
    code_rome: str
    libelle_rome: str = ""
    code_appellation: str = ""
    libelle_appellation: str = ""
    score_prediction: float = 0.0


class RomeoPrediction(_ApiModel):
    identifiant: str = ""
    intitule: str = ""
    metiers_rome: list[RomeoMetier] = Field(default_factory=list)


# ---------------------------------------------------------------- La Bonne Boîte v2


class Company(_ApiModel):
    """A company likely to hire (La Bonne Boîte v2; the field names are unverified: several are read)."""

    siret: str
    name: str = Field(
        default="", validation_alias=AliasChoices("name", "company_name", "raison_sociale", "raisonSociale")
    )
    naf: str = ""
    naf_label: str = Field(default="", validation_alias=AliasChoices("naf_label", "nafLabel", "naf_text"))
    city: str = ""
    citycode: str = ""
    postcode: str = ""
    address: str = ""
    distance: float | None = None
    headcount: str = Field(default="", validation_alias=AliasChoices("headcount", "headcount_text", "headcount_range"))
    hiring_potential: float | None = Field(default=None, validation_alias=AliasChoices("hiring_potential", "stars"))
    website: str = ""
    url: str = ""
    latitude: float | None = Field(default=None, validation_alias=AliasChoices("latitude", "lat"))
    longitude: float | None = Field(default=None, validation_alias=AliasChoices("longitude", "lon"))

    @model_validator(mode="before")
    @classmethod
    def _location(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {key: value for key, value in data.items() if value is not None}
        if isinstance(data.get("location"), dict):
            data.update({k: v for k, v in data["location"].items() if k in ("lat", "lon") and v is not None})
        for key in ("siret", "citycode", "postcode", "naf", "headcount", "headcount_text", "headcount_range"):
            if isinstance(data.get(key), int | float):
                data[key] = str(data[key])
        return data


class CompanySearchResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    companies: list[Company]
    total: int


# ---------------------------------------------------------------- Marché du travail (unverified contract)


class StatValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    periode: str  # the period code, e.g. "2024T4" or "202412"
    libelle_periode: str = ""
    valeur: float | None = None


class MarketStat(BaseModel):
    """One indicator for one ROME code and territory, by period (oldest first)."""

    model_config = ConfigDict(frozen=True)

    indicateur: str
    code_rome: str
    type_territoire: str
    code_territoire: str
    libelle_territoire: str = ""
    valeurs: list[StatValue] = Field(default_factory=list)

    @property
    def derniere_valeur(self) -> float | None:
        return self.valeurs[-1].valeur if self.valeurs else None
