"""Rows of the référentiel screens: the operator's installation page, métier search and the fiche métier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services import routes
from services.i18n import format_datetime, format_number
from services.rome.importer import ImportSummary
from services.rome.metiers import MetierDetail, Skill
from services.rome.search import SearchHit
from services.rome.upload import InstalledReferentiel

COUNTS = ("metiers", "appellations", "competences", "savoirs", "contextes", "liens", "mobilites", "centres_interet")


class CountRow(TypedDict):
    key: str  # the label's catalogue key
    value: str


class InstalledReferentielRow(TypedDict):
    version: str
    date: str
    source: str
    demo: bool


class MetierHitRow(TypedDict):
    code: str
    libelle: str
    via: str  # the appellation that matched, when it is not the métier's label
    href: str


class SkillRow(TypedDict):
    libelle: str
    core: bool  # "cœur de métier"


class RiasecRow(TypedDict):
    letter: str
    rank: str  # major | minor


class ContextRow(TypedDict):
    libelle: str
    categorie: str


class MobiliteRow(TypedDict):
    code: str
    libelle: str
    href: str


class MetierDetailRow(TypedDict):
    """Every field of a fiche métier, named as ``MetierState``'s vars."""

    code: str
    libelle: str
    domaine: str
    regulated: bool
    definition: list[str]
    acces: list[str]
    riasec: list[RiasecRow]
    appellations: list[str]
    savoir_faire: list[SkillRow]
    savoir_etre: list[SkillRow]
    savoirs: list[SkillRow]
    contextes: list[ContextRow]
    mobilites: list[MobiliteRow]
    centres: list[str]


def count_rows(source: ImportSummary | InstalledReferentiel, locale: str) -> list[CountRow]:
    """The counts of an import or of the installed référentiel, each under its label key."""
    return [
        {"key": f"rome.count.{name}", "value": format_number(int(getattr(source, name)), locale)} for name in COUNTS
    ]


def installed_referentiel_row(installed: InstalledReferentiel, locale: str) -> InstalledReferentielRow:
    """The installed version, when it was imported, from where, and whether it is the demo one."""
    return {
        "version": installed.version,
        "date": format_datetime(installed.imported_at, locale, "medium"),
        "source": installed.source,
        "demo": installed.is_demo,
    }


def hit_rows(hits: Iterable[SearchHit]) -> list[MetierHitRow]:
    """The métiers a search found, each linking to its fiche."""
    return [
        {
            "code": hit.code_rome,
            "libelle": hit.libelle,
            "via": hit.appellation if hit.appellation and hit.appellation != hit.libelle else "",
            "href": routes.metier_page(hit.code_rome),
        }
        for hit in hits
    ]


def skill_rows(skills: Iterable[Skill]) -> list[SkillRow]:
    """A fiche's skills of one kind, the core ones marked."""
    return [{"libelle": skill.libelle, "core": skill.coeur_metier} for skill in skills]


def metier_detail_row(detail: MetierDetail) -> MetierDetailRow:
    """A fiche métier for reading."""
    letters = [letter for letter in (detail.riasec_majeur, detail.riasec_mineur) if letter]
    domaines = [libelle for _, libelle in filter(None, (detail.grand_domaine, detail.domaine_professionnel))]
    return {
        "code": detail.code_rome,
        "libelle": detail.libelle,
        "domaine": " › ".join(domaines),
        "regulated": detail.emploi_reglemente,
        "definition": list(detail.definition),
        "acces": list(detail.acces),
        "riasec": [
            {"letter": letter, "rank": "major" if index == 0 else "minor"} for index, letter in enumerate(letters)
        ],
        "appellations": [appellation.libelle for appellation in detail.appellations],
        "savoir_faire": skill_rows(detail.savoir_faire),
        "savoir_etre": skill_rows(detail.savoir_etre),
        "savoirs": skill_rows(detail.savoirs),
        "contextes": [{"libelle": context.libelle, "categorie": context.categorie} for context in detail.contextes],
        "mobilites": [
            {"code": link.code_rome, "libelle": link.libelle, "href": routes.metier_page(link.code_rome)}
            for link in detail.mobilites
        ],
        "centres": list(detail.centres_interet),
    }
