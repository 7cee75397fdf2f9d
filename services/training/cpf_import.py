"""Import the public catalogue of CPF-eligible training courses (Caisse des Dépôts open data).

The dataset ``moncompteformation_catalogueformation`` (opendata.caissedesdepots.fr, Licence Ouverte) is
exported as CSV with ``;`` separators, one row per course (``numero_formation``) and département where
it has sessions. The columns read here:

* identity: ``numero_formation``, ``intitule_formation``, ``nom_of``, ``siret``;
* certification: ``intitule_certification``, ``type_referentiel`` (RNCP or RS), ``code_rncp``,
  ``code_inventaire``, ``libelle_niveau_sortie_formation``;
* domain: ``code_formacode_1`` to ``code_formacode_5``;
* place and mode: ``code_departement``, ``nb_session_active``, ``nb_session_a_distance``;
* size and price: ``nombre_heures_total_mean``, ``frais_ttc_tot_mean``;
* text (optional): ``objectif_formation``, ``points_forts``.

The import replaces the whole public catalogue in one transaction; a file without a required column is
refused with a message naming it, and the installed catalogue is left untouched.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert

from services.db import session_scope
from services.errors import ServiceError
from services.models import TrainingCourse, TrainingMode, TrainingSource
from services.models.base import utcnow
from services.training.catalogue import search_text

REQUIRED_COLUMNS = (
    "numero_formation",
    "intitule_formation",
    "nom_of",
    "siret",
    "intitule_certification",
    "type_referentiel",
    "code_rncp",
    "code_inventaire",
    "code_formacode_1",
    "code_departement",
    "nb_session_active",
    "nb_session_a_distance",
    "nombre_heures_total_mean",
    "frais_ttc_tot_mean",
)
FORMACODE_COLUMNS = tuple(f"code_formacode_{index}" for index in range(1, 6))
BATCH = 2000


class CpfImportError(ServiceError):
    pass


@dataclass(frozen=True)
class CpfImportSummary:
    courses: int
    skipped: int  # rows without a course number or a title
    distance: int
    duration_s: float


def _number(value: str) -> float | None:
    value = (value or "").strip().replace(",", ".")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _mode(active: float | None, distance: float | None) -> TrainingMode:
    if distance and active and distance >= active:
        return TrainingMode.DISTANCE
    if distance:
        return TrainingMode.MIXTE
    return TrainingMode.PRESENTIEL


def _certification_code(row: dict[str, str]) -> str:
    kind = (row.get("type_referentiel") or "").strip().upper()
    if kind == "RS" and row.get("code_inventaire", "").strip():
        return "RS" + row["code_inventaire"].strip()
    code = (row.get("code_rncp") or "").strip()
    return f"RNCP{code}" if code and not code.upper().startswith("RNCP") else code.upper()


def _course(row: dict[str, str], now: Any) -> dict[str, Any] | None:
    number, title = (row.get("numero_formation") or "").strip(), " ".join((row.get("intitule_formation") or "").split())
    if not number or not title:
        return None
    departement = (row.get("code_departement") or "").strip().upper()
    active, distance = _number(row.get("nb_session_active", "")), _number(row.get("nb_session_a_distance", ""))
    certification = " ".join((row.get("intitule_certification") or "").split())
    description = " ".join(
        part.strip() for part in (row.get("objectif_formation", ""), row.get("points_forts", "")) if part
    )
    formacodes = " ".join(
        dict.fromkeys(code for code in ((row.get(c) or "").strip() for c in FORMACODE_COLUMNS) if code.isdigit())
    )
    return {
        "id": uuid.uuid4(),
        "organisation_id": None,
        "source": TrainingSource.CPF.value,
        "external_id": f"{number}-{departement}"[:80],
        "title": title[:500],
        "provider": (row.get("nom_of") or "").strip()[:255],
        "provider_siret": "".join(ch for ch in row.get("siret", "") if ch.isdigit())[:14],
        "certification": certification[:500],
        "certification_code": _certification_code(row)[:40],
        "formacodes": formacodes[:200],
        "rome_codes": "",
        "level": (row.get("libelle_niveau_sortie_formation") or "").strip()[:120],
        "hours": _number(row.get("nombre_heures_total_mean", "")),
        "price_euros": _number(row.get("frais_ttc_tot_mean", "")),
        "mode": _mode(active, distance).value,
        "departement": departement[:3],
        "url": "",
        "description": description,
        "search_text": search_text(title, certification, description),
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


def _open(path: Path) -> io.TextIOBase:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CpfImportError("training.import.unreadable", file=path.name) from exc
    try:
        return io.StringIO(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CpfImportError("training.import.encoding", file=path.name) from exc


def import_cpf_catalogue(path: str | Path) -> CpfImportSummary:
    """Replace the public catalogue with the file's courses (one transaction)."""
    start = time.perf_counter()
    file = Path(path)
    reader = csv.DictReader(_open(file), delimiter=";")
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise CpfImportError("training.import.missing_column", file=file.name, column=missing[0])
    now = utcnow()
    rows, skipped, seen = [], 0, set()
    for row in reader:
        course = _course(row, now)
        if course is None or course["external_id"] in seen:
            skipped += 1
            continue
        seen.add(course["external_id"])
        rows.append(course)
    table = TrainingCourse.__table__  # type: ignore[attr-defined]
    with session_scope() as session:
        session.execute(delete(table).where(table.c.source == TrainingSource.CPF.value))
        for offset in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[offset : offset + BATCH])
    return CpfImportSummary(
        courses=len(rows),
        skipped=skipped,
        distance=sum(1 for row in rows if row["mode"] != TrainingMode.PRESENTIEL.value),
        duration_s=round(time.perf_counter() - start, 2),
    )
