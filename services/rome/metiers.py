"""What a fiche métier shows: texts, skills grouped by kind (core skills first), contexts, RIASEC, mobilities.

The référentiel is public reference data: reading it needs no actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from services.db import get_engine
from services.models.rome import (
    RomeAppellation,
    RomeCentreInteret,
    RomeCentreInteretMetier,
    RomeDomaine,
    RomeItem,
    RomeItemKind,
    RomeMetier,
    RomeMetierItem,
    RomeMobilite,
    RomeTexte,
    RomeVersion,
)

TEXT_DEFINITION = "definition"
TEXT_ACCESS = "acces_metier"


@dataclass(frozen=True)
class InstalledVersion:
    version: str
    imported_at: datetime
    source: str
    metiers: int
    appellations: int


@dataclass(frozen=True)
class Skill:
    code_ogr: str
    libelle: str
    kind: RomeItemKind
    coeur_metier: bool
    coeur_label: str  # "Principale", "Émergente" or ""
    categorie: str
    sous_categorie: str


@dataclass(frozen=True)
class WorkContext:
    code_ogr: str
    libelle: str
    categorie: str


@dataclass(frozen=True)
class MobiliteLink:
    code_rome: str
    libelle: str
    ordre: int


@dataclass(frozen=True)
class AppellationRef:
    code_ogr: str
    libelle: str
    principale: bool


@dataclass(frozen=True)
class MetierDetail:
    code_rome: str
    libelle: str
    definition: list[str]  # the sentences, in order
    acces: list[str]
    riasec_majeur: str
    riasec_mineur: str
    grand_domaine: tuple[str, str] | None  # (code, libellé)
    domaine_professionnel: tuple[str, str] | None
    emploi_reglemente: bool
    emploi_cadre: bool
    transition_eco: str
    transition_num: str
    transition_demo: str
    appellations: list[AppellationRef] = field(default_factory=list)
    savoir_faire: list[Skill] = field(default_factory=list)
    savoir_etre: list[Skill] = field(default_factory=list)
    savoirs: list[Skill] = field(default_factory=list)
    contextes: list[WorkContext] = field(default_factory=list)
    mobilites: list[MobiliteLink] = field(default_factory=list)
    centres_interet: list[str] = field(default_factory=list)

    @property
    def riasec(self) -> str:
        """The Holland letters, major first ("RC", "S"...)."""
        return self.riasec_majeur + self.riasec_mineur

    @property
    def definition_text(self) -> str:
        return " ".join(self.definition)


def current_version_key() -> tuple[str, datetime] | None:
    """(version, imported_at) of the installed référentiel: what in-memory indexes are keyed on.

    One cheap query, so that every process notices another one's import (and rebuilds its indexes).
    """
    table = RomeVersion.__table__  # type: ignore[attr-defined]
    with get_engine().connect() as conn:
        row = conn.execute(
            select(table.c.version, table.c.imported_at).order_by(table.c.imported_at.desc()).limit(1)
        ).first()
    return (row[0], row[1]) if row is not None else None


def current_version() -> InstalledVersion | None:
    """The installed référentiel (the most recently imported version), or None."""
    query = (
        select(
            col(RomeVersion.version),
            col(RomeVersion.imported_at),
            col(RomeVersion.source),
            col(RomeVersion.metiers),
            col(RomeVersion.appellations),
        )
        .order_by(col(RomeVersion.imported_at).desc())
        .limit(1)
    )
    with get_engine().connect() as conn:
        row = conn.execute(query).first()
    return InstalledVersion(*row) if row is not None else None


def metier_detail(code_rome: str) -> MetierDetail | None:
    """Everything a fiche métier page shows, or None for an unknown code."""
    code_rome = (code_rome or "").strip().upper()
    with get_engine().connect() as conn:
        metier = conn.execute(select(RomeMetier).where(col(RomeMetier.code_rome) == code_rome)).mappings().first()
        if metier is None:
            return None
        textes = conn.execute(
            select(col(RomeTexte.kind), col(RomeTexte.texte))
            .where(col(RomeTexte.code_rome) == code_rome)
            .order_by(col(RomeTexte.kind), col(RomeTexte.position))
        ).all()
        domaines = {
            code: libelle
            for code, libelle in conn.execute(
                select(col(RomeDomaine.code), col(RomeDomaine.libelle)).where(
                    col(RomeDomaine.code).in_([metier["code_grand_domaine"], metier["code_domaine_professionnel"]])
                )
            )
        }
        coeur_rank = case(
            (col(RomeMetierItem.coeur_label) == "Principale", 0), (col(RomeMetierItem.coeur_metier), 1), else_=2
        )
        items = conn.execute(
            select(
                col(RomeItem.code_ogr),
                col(RomeItem.libelle),
                col(RomeItem.kind),
                col(RomeMetierItem.coeur_metier),
                col(RomeMetierItem.coeur_label),
                col(RomeItem.categorie),
                col(RomeItem.sous_categorie),
            )
            .join(RomeMetierItem, col(RomeMetierItem.code_ogr) == col(RomeItem.code_ogr))
            .where(col(RomeMetierItem.code_rome) == code_rome)
            .order_by(coeur_rank, col(RomeItem.libelle))
        ).all()
        target = aliased(RomeMetier)
        mobilites = conn.execute(
            select(col(RomeMobilite.code_rome_cible), col(target.libelle), col(RomeMobilite.ordre))
            .join(target, col(target.code_rome) == col(RomeMobilite.code_rome_cible))
            .where(col(RomeMobilite.code_rome) == code_rome)
            .order_by(col(RomeMobilite.ordre), col(RomeMobilite.code_rome_cible))
        ).all()
        appellations = conn.execute(
            select(col(RomeAppellation.code_ogr), col(RomeAppellation.libelle), col(RomeAppellation.principale))
            .where(col(RomeAppellation.code_rome) == code_rome)
            .order_by(col(RomeAppellation.principale).desc(), col(RomeAppellation.libelle))
        ).all()
        centres = conn.execute(
            select(col(RomeCentreInteret.libelle))
            .join(
                RomeCentreInteretMetier, col(RomeCentreInteretMetier.code_centre_interet) == col(RomeCentreInteret.code)
            )
            .where(col(RomeCentreInteretMetier.code_rome) == code_rome)
            .order_by(col(RomeCentreInteretMetier.principal).desc(), col(RomeCentreInteret.libelle))
        ).all()

    skills: dict[RomeItemKind, list[Skill]] = {kind: [] for kind in RomeItemKind}
    for code_ogr, libelle, kind, coeur, coeur_label, categorie, sous_categorie in items:
        kind = RomeItemKind(kind)
        skills[kind].append(Skill(code_ogr, libelle, kind, coeur, coeur_label, categorie, sous_categorie))

    def domaine(code: str) -> tuple[str, str] | None:
        return (code, domaines[code]) if code in domaines else None

    return MetierDetail(
        code_rome=metier["code_rome"],
        libelle=metier["libelle"],
        definition=[texte for kind, texte in textes if kind == TEXT_DEFINITION],
        acces=[texte for kind, texte in textes if kind == TEXT_ACCESS],
        riasec_majeur=metier["riasec_majeur"],
        riasec_mineur=metier["riasec_mineur"],
        grand_domaine=domaine(metier["code_grand_domaine"]),
        domaine_professionnel=domaine(metier["code_domaine_professionnel"]),
        emploi_reglemente=metier["emploi_reglemente"],
        emploi_cadre=metier["emploi_cadre"],
        transition_eco=metier["transition_eco"],
        transition_num=metier["transition_num"],
        transition_demo=metier["transition_demo"],
        appellations=[AppellationRef(code, libelle, principale) for code, libelle, principale in appellations],
        savoir_faire=skills[RomeItemKind.SAVOIR_FAIRE],
        savoir_etre=skills[RomeItemKind.SAVOIR_ETRE],
        savoirs=skills[RomeItemKind.SAVOIR],
        contextes=[
            WorkContext(skill.code_ogr, skill.libelle, skill.categorie) for skill in skills[RomeItemKind.CONTEXTE]
        ],
        mobilites=[MobiliteLink(code, libelle, ordre) for code, libelle, ordre in mobilites],
        centres_interet=[libelle for (libelle,) in centres],
    )
