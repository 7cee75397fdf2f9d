"""The ROME 4.0 référentiel (France Travail open data): métiers, appellations, items and their links.

Platform-wide reference data, not tenant data: no ``organisation_id``. The tables are replaced as a
whole by ``services.rome.importer.import_rome`` (natural keys from the export, no UUIDs), and
``rome_versions`` records each installed version.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.models.base import enum_field, id_field, required_datetime_field


class RomeItemKind(StrEnum):
    """What an item of the référentiel is (``unix_item.code_rubrique`` 1, 2, 3 or empty)."""

    SAVOIR_FAIRE = "savoir_faire"
    SAVOIR_ETRE = "savoir_etre"
    SAVOIR = "savoir"
    CONTEXTE = "contexte"


class RomeDomaineLevel(StrEnum):
    GRAND_DOMAINE = "grand_domaine"  # A to N
    DOMAINE_PROFESSIONNEL = "domaine_pro"  # A11, A12...


class RomeVersion(SQLModel, table=True):
    """One row per installed version; the current référentiel is the most recently imported one."""

    __tablename__ = "rome_versions"

    id: uuid.UUID = id_field()
    version: str = Field(max_length=10, unique=True)  # "460" for unix_*_v460_utf8.csv
    imported_at: datetime = required_datetime_field()
    source: str = Field(default="", max_length=255)  # the folder or zip name (no path)
    duration_ms: int = 0
    metiers: int = 0
    appellations: int = 0
    competences: int = 0
    savoirs: int = 0
    contextes: int = 0
    liens: int = 0
    textes: int = 0
    mobilites: int = 0
    centres_interet: int = 0


class RomeDomaine(SQLModel, table=True):
    """The domain tree: grands domaines (A-N) and domaines professionnels (A11...)."""

    __tablename__ = "rome_domaines"

    code: str = Field(primary_key=True, max_length=3)
    level: RomeDomaineLevel = enum_field(RomeDomaineLevel)
    libelle: str = Field(max_length=255)
    parent_code: str | None = Field(default=None, max_length=3)


class RomeMetier(SQLModel, table=True):
    """A fiche métier (``unix_referentiel_code_rome`` + RIASEC + its place in the domain tree)."""

    __tablename__ = "rome_metiers"

    code_rome: str = Field(primary_key=True, max_length=5)
    code_ogr: str = Field(max_length=12)
    libelle: str = Field(max_length=255)
    libelle_norm: str = Field(max_length=255, index=True)  # lowercase, no accents: for search
    code_grand_domaine: str = Field(default="", max_length=1)
    code_domaine_professionnel: str = Field(default="", max_length=3)
    riasec_majeur: str = Field(default="", max_length=1)
    riasec_mineur: str = Field(default="", max_length=1)
    transition_eco: str = Field(default="", max_length=80)
    transition_num: str = Field(default="", max_length=80)
    transition_demo: str = Field(default="", max_length=80)
    emploi_reglemente: bool = False
    emploi_cadre: bool = False
    code_rome_parent: str = Field(default="", max_length=5)


class RomeAppellation(SQLModel, table=True):
    """A job title under a métier (``unix_referentiel_appellation``)."""

    __tablename__ = "rome_appellations"

    code_ogr: str = Field(primary_key=True, max_length=12)
    code_rome: str = Field(foreign_key="rome_metiers.code_rome", index=True, max_length=5)
    libelle: str = Field(max_length=255)  # libelle_appellation_long
    libelle_court: str = Field(default="", max_length=255)
    libelle_norm: str = Field(max_length=255, index=True)
    principale: bool = False  # classification PRINCIPALE (else SYNONYME)
    peu_usite: bool = False
    emploi_reglemente: bool = False
    emploi_cadre: bool = False


class RomeItem(SQLModel, table=True):
    """A compétence (savoir-faire or savoir-être), a savoir or a work context, keyed by its OGR code."""

    __tablename__ = "rome_items"
    __table_args__ = (Index("ix_rome_items_kind", "kind"),)

    code_ogr: str = Field(primary_key=True, max_length=12)
    kind: RomeItemKind = enum_field(RomeItemKind)
    libelle: str = Field(max_length=500)
    nature: str = Field(default="", max_length=40)  # Compétence / Macro-compétence
    categorie: str = Field(default="", max_length=120)  # cat_comp, categorie_savoir or type of context
    sous_categorie: str = Field(default="", max_length=120)
    code_ogr_macro: str = Field(default="", max_length=12)
    riasec_majeur: str = Field(default="", max_length=1)  # macro-compétences only
    riasec_mineur: str = Field(default="", max_length=1)
    transition_eco: bool = False
    transition_num: bool = False


class RomeMetierItem(SQLModel, table=True):
    """Métier -> item (``unix_coherence_item``): the skills, savoirs and contexts of a métier."""

    __tablename__ = "rome_metier_items"
    __table_args__ = (Index("ix_rome_metier_items_code_ogr", "code_ogr"),)

    code_rome: str = Field(foreign_key="rome_metiers.code_rome", primary_key=True, max_length=5)
    code_ogr: str = Field(foreign_key="rome_items.code_ogr", primary_key=True, max_length=12)
    coeur_metier: bool = False
    coeur_label: str = Field(default="", max_length=40)  # "Principale", "Émergente" or ""


class RomeTexte(SQLModel, table=True):
    """The sentences of a fiche: ``definition`` and ``acces_metier``, in ``position`` order."""

    __tablename__ = "rome_textes"

    code_rome: str = Field(foreign_key="rome_metiers.code_rome", primary_key=True, max_length=5)
    kind: str = Field(primary_key=True, max_length=40)
    position: int = Field(primary_key=True)
    texte: str


class RomeMobilite(SQLModel, table=True):
    """Métier -> métier mobility (``unix_rubrique_mobilite``), ranked by ``ordre``."""

    __tablename__ = "rome_mobilites"

    code_rome: str = Field(foreign_key="rome_metiers.code_rome", primary_key=True, max_length=5)
    code_rome_cible: str = Field(foreign_key="rome_metiers.code_rome", primary_key=True, max_length=5)
    ordre: int = 0


class RomeCentreInteret(SQLModel, table=True):
    __tablename__ = "rome_centres_interet"

    code: str = Field(primary_key=True, max_length=12)
    libelle: str = Field(max_length=255)
    definition: str = ""


class RomeCentreInteretMetier(SQLModel, table=True):
    __tablename__ = "rome_centre_interet_metiers"

    code_centre_interet: str = Field(foreign_key="rome_centres_interet.code", primary_key=True, max_length=12)
    code_rome: str = Field(foreign_key="rome_metiers.code_rome", primary_key=True, max_length=5, index=True)
    principal: bool = False
