"""``sync-rome``: bring the installed ROME référentiel up to date from France Travail's ROME 4.0 APIs.

The official export (``import-rome``) stays the way to install a référentiel; the APIs refresh what the
fiches say between two exports:

* the métier's label and its RIASEC letters;
* the texts of the fiche (``definition`` and ``acces_metier`` sentences, replaced as a whole when the
  API gives them);
* the appellations: new ones are added, known ones updated (label, short label, classification).
  Appellations missing from a fiche are kept (the API may list only some), and nothing is deleted.

Every fiche is read first; one failure (other than a fiche the API does not know) aborts the sync with
nothing written. Then ONE transaction applies the changes and touches the version row, so that every
worker rebuilds its search index.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from services.db import get_engine
from services.errors import ServiceError
from services.francetravail.client import FranceTravailClient
from services.francetravail.errors import FranceTravailNotFound
from services.francetravail.models import FicheMetier
from services.models.base import utcnow
from services.models.rome import RomeAppellation, RomeMetier, RomeTexte, RomeVersion
from services.rome import search
from services.rome.metiers import TEXT_ACCESS, TEXT_DEFINITION
from services.rome.search import normalise

logger = logging.getLogger(__name__)

RIASEC = frozenset("RIASEC")


class RomeSyncError(ServiceError):
    code = "francetravail.sync.no_referentiel"


@dataclass
class SyncSummary:
    version: str
    metiers: int = 0  # fiches read
    metiers_changed: int = 0  # label or RIASEC changed
    riasec_changed: int = 0
    textes: int = 0  # sentences written
    appellations_added: int = 0
    appellations_updated: int = 0
    missing: list[str] = field(default_factory=list)  # installed métiers the API does not know
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _table(model: Any) -> Any:
    return model.__table__


def _riasec(letter: str) -> str:
    return letter if letter in RIASEC else ""


def sync_rome(
    client: FranceTravailClient,
    codes: Sequence[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SyncSummary:
    """Refresh the installed métiers (or only ``codes``) from their ROME 4.0 fiches; all or nothing."""
    started = time.perf_counter()
    metiers, appellations, versions, textes = (
        _table(RomeMetier),
        _table(RomeAppellation),
        _table(RomeVersion),
        _table(RomeTexte),
    )
    engine = get_engine()
    with engine.connect() as conn:
        version = conn.execute(
            select(versions.c.version).order_by(versions.c.imported_at.desc()).limit(1)
        ).scalar_one_or_none()
        if version is None:
            raise RomeSyncError()
        installed = {
            row.code_rome: row
            for row in conn.execute(
                select(metiers.c.code_rome, metiers.c.libelle, metiers.c.riasec_majeur, metiers.c.riasec_mineur)
            )
        }
        known_appellations = {
            row.code_ogr: row
            for row in conn.execute(
                select(
                    appellations.c.code_ogr,
                    appellations.c.code_rome,
                    appellations.c.libelle,
                    appellations.c.libelle_court,
                    appellations.c.principale,
                )
            )
        }
    wanted = sorted(installed) if codes is None else [code for code in codes if code in installed]
    summary = SyncSummary(version=version)

    # 1. Read every fiche (network); nothing is written yet.
    fiches: dict[str, FicheMetier] = {}
    for index, code in enumerate(wanted, start=1):
        try:
            fiches[code] = client.get_fiche_metier(code)
        except FranceTravailNotFound:
            summary.missing.append(code)
        if progress is not None:
            progress(index, len(wanted))
    summary.metiers = len(fiches)

    # 2. Write the changes in one transaction.
    with engine.begin() as conn:
        for code, fiche in fiches.items():
            current = installed[code]
            changes: dict[str, Any] = {}
            if fiche.libelle and fiche.libelle != current.libelle:
                changes.update(libelle=fiche.libelle[:255], libelle_norm=normalise(fiche.libelle)[:255])
            majeur, mineur = _riasec(fiche.riasec_majeur), _riasec(fiche.riasec_mineur)
            if majeur and (majeur, mineur) != (current.riasec_majeur, current.riasec_mineur):
                changes.update(riasec_majeur=majeur, riasec_mineur=mineur)
                summary.riasec_changed += 1
            if changes:
                conn.execute(update(metiers).where(metiers.c.code_rome == code).values(**changes))
                summary.metiers_changed += 1

            texts = ((TEXT_DEFINITION, fiche.definition_sentences()), (TEXT_ACCESS, fiche.acces_sentences()))
            for kind, sentences in texts:
                if not sentences:
                    continue
                conn.execute(delete(textes).where(textes.c.code_rome == code, textes.c.kind == kind))
                conn.execute(
                    insert(textes),
                    [
                        {"code_rome": code, "kind": kind, "position": position, "texte": texte}
                        for position, texte in enumerate(sentences, start=1)
                    ],
                )
                summary.textes += len(sentences)

            for appellation in fiche.appellations:
                code_ogr = appellation.code.strip()
                if not code_ogr.isdigit() or not appellation.libelle:
                    continue
                values: dict[str, str | bool] = {
                    "code_rome": code,
                    "libelle": appellation.libelle[:255],
                    "libelle_norm": normalise(appellation.libelle)[:255],
                }
                if appellation.libelle_court:  # an empty short label in the API does not erase ours
                    values["libelle_court"] = appellation.libelle_court[:255]
                known = known_appellations.get(code_ogr)
                if known is None:
                    values.setdefault("libelle_court", "")
                    principale = appellation.classification.upper() == "PRINCIPALE"
                    conn.execute(insert(appellations).values(code_ogr=code_ogr, principale=principale, **values))
                    summary.appellations_added += 1
                    continue
                if appellation.classification:
                    values["principale"] = appellation.classification.upper() == "PRINCIPALE"
                before = {
                    "code_rome": known.code_rome,
                    "libelle": known.libelle,
                    "libelle_court": known.libelle_court,
                    "principale": known.principale,
                }
                if any(before.get(key, value) != value for key, value in values.items() if key != "libelle_norm"):
                    conn.execute(update(appellations).where(appellations.c.code_ogr == code_ogr).values(**values))
                    summary.appellations_updated += 1

        total_appellations = conn.execute(select(func.count()).select_from(appellations)).scalar_one()
        total_textes = conn.execute(select(func.count()).select_from(textes)).scalar_one()
        conn.execute(
            update(versions)
            .where(versions.c.version == version)
            .values(imported_at=utcnow(), appellations=total_appellations, textes=total_textes)
        )
    search.invalidate_cache()
    summary.duration_s = round(time.perf_counter() - started, 2)
    logger.info(
        "ROME %s synchronised from the APIs: %d fiches, %d métiers changed, %d appellations added, %d missing",
        version,
        summary.metiers,
        summary.metiers_changed,
        summary.appellations_added,
        len(summary.missing),
    )
    return summary
