"""Import the official ROME export (``unix_*_vNNN_utf8.csv``, a folder or the zip) into the rome_* tables.

The import has two steps:

1. read and validate every file in memory (columns, codes, integers, references between files); the
   first problem raises ``RomeImportError`` with a French message naming the file, the column and the
   line, and nothing has been written;
2. in ONE transaction, delete the previous référentiel and bulk-insert the new one (SQLAlchemy core
   ``insert()`` with lists of dicts, in chunks), then record the version in ``rome_versions``.

Importing the same export twice gives the same tables (idempotent); importing another version replaces
the older one as a whole. Files of the export that the product does not use yet (sectors, NAF, themes,
``unix_liens_rome_referentiels`` whose compétence and context links equal ``unix_coherence_item``) are
not read.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, delete, insert, select

from services.db import get_engine
from services.errors import ServiceError
from services.i18n import translate
from services.models.base import utcnow
from services.models.rome import (
    RomeAppellation,
    RomeCentreInteret,
    RomeCentreInteretMetier,
    RomeDomaine,
    RomeDomaineLevel,
    RomeItem,
    RomeItemKind,
    RomeMetier,
    RomeMetierItem,
    RomeMobilite,
    RomeTexte,
    RomeVersion,
)
from services.rome import search
from services.rome.search import normalise

logger = logging.getLogger(__name__)

FILE_PATTERN = re.compile(r"^unix_(?P<name>[a-z0-9_]+)_v(?P<version>\d{3,4})_utf8\.csv$")
CODE_ROME = re.compile(r"^[A-N]\d{4}$")
CODE_OGR = re.compile(r"^\d{1,12}$")
GRAND_DOMAINE = re.compile(r"^[A-N]$")
DOMAINE_PRO = re.compile(r"^[A-N]\d{2}$")
RIASEC = frozenset("RIASEC")
CHUNK = 5000

# The files the import reads, with the columns it needs (extra columns are ignored).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "referentiel_code_rome": (
        "code_rome",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent",
    ),
    "referentiel_appellation": (
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "emploi_reglemente",
        "emploi_cadre",
        "classification",
        "peu_usite",
    ),
    "referentiel_competence": (
        "code_ogr",
        "nature",
        "libelle_competence",
        "code_ogr_macro_comp",
        "cat_comp",
        "sous_cat_comp",
        "transition_eco",
        "transition_num",
    ),
    "referentiel_savoir": (
        "code_ogr_savoir",
        "libelle_savoir",
        "categorie_savoir",
        "sous_categorie_savoir",
        "transition_eco",
        "transition_num",
    ),
    "referentiel_contexte_travail": ("code_ogr", "libelle_cont_travail", "libelle_type_cont_trav"),
    "item": ("code_ogr", "libelle", "code_rubrique"),
    "coherence_item": ("code_rome", "code_ogr", "coeur_metier"),
    "texte": ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte"),
    "rubrique_mobilite": ("code_rome", "code_rome_cible", "numero_ordre"),
    "referentiel_code_rome_riasec": ("code_rome", "riasec_majeur", "riasec_mineur"),
    "referentiel_macro_competence_riasec": ("code_ogr", "riasec_majeur", "riasec_mineur"),
    "grand_domaine": ("code_grand_domaine", "libelle_grand_domaine"),
    "domaine_professionnel": ("code_domaine_professionnel", "libelle_domaine_professionnel"),
    # (sic: the official header spells "professionel" with one n in this file)
    "cr_gd_dp": ("code_rome", "code_grand_domaine", "code_domaine_professionel"),
    "centre_interet": ("code_centre_interet", "libelle_centre_interet", "definition_centre_interet"),
    "arborescence_centre_interet": ("code_centre_interet", "code_rome", "principal"),
}
NON_EMPTY_FILES = ("referentiel_code_rome", "referentiel_appellation", "item")
RUBRIQUE_KINDS = {
    "1": RomeItemKind.SAVOIR_FAIRE,
    "2": RomeItemKind.SAVOIR_ETRE,
    "3": RomeItemKind.SAVOIR,
    "": RomeItemKind.CONTEXTE,
}


class RomeImportError(ServiceError):
    """A refused export: ``code`` is a ``rome.error.*`` catalogue key, ``params`` name file, column, line."""

    code = "rome.error.missing_file"

    def message(self, locale: str = "fr") -> str:
        params = {
            key: translate(value, locale) if isinstance(value, str) and value.startswith("rome.expected.") else value
            for key, value in self.params.items()
        }
        return translate(self.code, locale, **params)

    def __str__(self) -> str:
        return self.message()


@dataclass
class ImportSummary:
    version: str
    previous_version: str | None
    source: str
    metiers: int = 0
    appellations: int = 0
    competences: int = 0
    savoirs: int = 0
    contextes: int = 0
    liens: int = 0
    textes: int = 0
    mobilites: int = 0
    centres_interet: int = 0
    domaines: int = 0
    duration_s: float = 0.0
    read_s: float = 0.0
    write_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- reading the export


@dataclass
class _Export:
    name: str
    version: str
    files: dict[str, str]  # logical name -> file name
    opener: Callable[[str], IO[bytes]]
    _zip: zipfile.ZipFile | None = None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _open_export(path: Path) -> _Export:
    if not path.exists():
        raise RomeImportError("rome.error.not_found", path=str(path))
    members: dict[str, str] = {}  # file name -> member/path to open
    archive: zipfile.ZipFile | None = None
    if path.is_dir():
        for child in path.iterdir():
            if child.is_file():
                members[child.name] = str(child)

        def opener(member: str) -> IO[bytes]:
            return open(member, "rb")

    elif zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
            for info in archive.infolist():
                if not info.is_dir():
                    members[Path(info.filename).name] = info.filename
        except (zipfile.BadZipFile, OSError) as exc:
            raise RomeImportError("rome.error.bad_zip", path=path.name, detail=str(exc)) from exc
        zip_file = archive

        def opener(member: str) -> IO[bytes]:
            return zip_file.open(member)

    else:
        raise RomeImportError("rome.error.not_export", path=path.name)

    files: dict[str, str] = {}
    versions: set[str] = set()
    for file_name in members:
        match = FILE_PATTERN.match(file_name)
        if match:
            versions.add(match.group("version"))
            files[match.group("name")] = file_name
    if not files:
        if archive is not None:
            archive.close()
        raise RomeImportError("rome.error.no_files", path=path.name)
    if len(versions) > 1:
        if archive is not None:
            archive.close()
        raise RomeImportError("rome.error.mixed_versions", versions=", ".join(sorted(versions)))
    version = versions.pop()
    return _Export(
        name=path.name,
        version=version,
        files={name: members[file_name] for name, file_name in files.items()},
        opener=opener,
        _zip=archive,
    )


def _file_name(name: str, version: str) -> str:
    return f"unix_{name}_v{version}_utf8.csv"


def _rows(export: _Export, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of one file after checking its header; line is the file's line where the row ends."""
    file_name = _file_name(name, export.version)
    if name not in export.files:
        raise RomeImportError("rome.error.missing_file", file=file_name)
    with export.opener(export.files[name]) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        count = 0
        try:
            header = next(reader, None) or []
            header = [column.strip() for column in header]
            for column in REQUIRED_COLUMNS[name]:
                if column not in header:
                    raise RomeImportError(
                        "rome.error.missing_column", file=file_name, column=column, found=", ".join(header) or "∅"
                    )
            positions = {column: header.index(column) for column in REQUIRED_COLUMNS[name]}
            for values in reader:
                if not values:
                    continue
                if len(values) < len(header):
                    raise RomeImportError(
                        "rome.error.csv",
                        file=file_name,
                        line=reader.line_num,
                        detail=f"{len(values)} colonnes au lieu de {len(header)}",
                    )
                count += 1
                yield reader.line_num, {column: values[index].strip() for column, index in positions.items()}
        except UnicodeDecodeError as exc:
            raise RomeImportError("rome.error.encoding", file=file_name, line=reader.line_num + 1) from exc
        except csv.Error as exc:
            raise RomeImportError("rome.error.csv", file=file_name, line=reader.line_num, detail=str(exc)) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            # A member is only checked as it is read: a bad CRC or a truncated stream shows up here.
            raise RomeImportError("rome.error.damaged_file", file=file_name) from exc
    if count == 0 and name in NON_EMPTY_FILES:
        raise RomeImportError("rome.error.empty_file", file=file_name)


class _Checker:
    """Validation helpers bound to one file of the export."""

    def __init__(self, export: _Export, name: str) -> None:
        self.file = _file_name(name, export.version)
        self.version = export.version

    def bad(self, line: int, column: str, value: str, expected: str) -> RomeImportError:
        return RomeImportError(
            "rome.error.bad_value", file=self.file, line=line, column=column, value=value, expected=expected
        )

    def matches(self, line: int, row: dict[str, str], column: str, pattern: re.Pattern[str], expected: str) -> str:
        value = row[column]
        if not pattern.match(value):
            raise self.bad(line, column, value, expected)
        return value

    def code_rome(self, line: int, row: dict[str, str], column: str = "code_rome") -> str:
        return self.matches(line, row, column, CODE_ROME, "rome.expected.code_rome")

    def code_ogr(self, line: int, row: dict[str, str], column: str = "code_ogr") -> str:
        return self.matches(line, row, column, CODE_OGR, "rome.expected.code_ogr")

    def integer(self, line: int, row: dict[str, str], column: str) -> int:
        value = row[column]
        if not value.lstrip("-").isdigit():
            raise self.bad(line, column, value, "rome.expected.integer")
        return int(value)

    def required(self, line: int, row: dict[str, str], column: str) -> str:
        value = row[column]
        if not value:
            raise self.bad(line, column, value, "rome.expected.required")
        return value

    def riasec(self, line: int, row: dict[str, str], column: str, *, optional: bool) -> str:
        value = row[column].upper()
        if (value or not optional) and value not in RIASEC:
            raise self.bad(line, column, row[column], "rome.expected.riasec")
        return value

    def absent(self, container: Any, key: Any, line: int, column: str, value: str) -> None:
        if key in container:
            raise RomeImportError("rome.error.duplicate", file=self.file, line=line, column=column, value=value)

    def unique(self, seen: set[Any], key: Any, line: int, column: str, value: str) -> None:
        self.absent(seen, key, line, column, value)
        seen.add(key)

    def known(self, known: Any, value: str, line: int, column: str, reference: str) -> None:
        if value not in known:
            raise RomeImportError(
                "rome.error.unknown_reference",
                file=self.file,
                line=line,
                column=column,
                value=value,
                reference=_file_name(reference, self.version),
            )


def _yes(value: str) -> bool:
    return value.strip().lower() in {"o", "oui", "y", "yes", "1", "true"}


@dataclass
class _Data:
    """The validated référentiel, as rows ready for ``insert()``."""

    domaines: list[dict[str, Any]] = field(default_factory=list)
    metiers: list[dict[str, Any]] = field(default_factory=list)
    appellations: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    metier_items: list[dict[str, Any]] = field(default_factory=list)
    textes: list[dict[str, Any]] = field(default_factory=list)
    mobilites: list[dict[str, Any]] = field(default_factory=list)
    centres: list[dict[str, Any]] = field(default_factory=list)
    centre_metiers: list[dict[str, Any]] = field(default_factory=list)


def _read_domaines(export: _Export, data: _Data) -> tuple[set[str], set[str]]:
    grands: set[str] = set()
    check = _Checker(export, "grand_domaine")
    for line, row in _rows(export, "grand_domaine"):
        code = check.matches(line, row, "code_grand_domaine", GRAND_DOMAINE, "rome.expected.domaine")
        check.unique(grands, code, line, "code_grand_domaine", code)
        data.domaines.append(
            {
                "code": code,
                "level": RomeDomaineLevel.GRAND_DOMAINE,
                "libelle": row["libelle_grand_domaine"],
                "parent_code": None,
            }
        )
    pros: set[str] = set()
    check = _Checker(export, "domaine_professionnel")
    for line, row in _rows(export, "domaine_professionnel"):
        code = check.matches(line, row, "code_domaine_professionnel", DOMAINE_PRO, "rome.expected.domaine")
        check.unique(pros, code, line, "code_domaine_professionnel", code)
        check.known(grands, code[0], line, "code_domaine_professionnel", "grand_domaine")
        data.domaines.append(
            {
                "code": code,
                "level": RomeDomaineLevel.DOMAINE_PROFESSIONNEL,
                "libelle": row["libelle_domaine_professionnel"],
                "parent_code": code[0],
            }
        )
    return grands, pros


def _read_metiers(export: _Export, data: _Data, grands: set[str], pros: set[str]) -> dict[str, dict[str, Any]]:
    metiers: dict[str, dict[str, Any]] = {}
    check = _Checker(export, "referentiel_code_rome")
    for line, row in _rows(export, "referentiel_code_rome"):
        code = check.code_rome(line, row)
        check.absent(metiers, code, line, "code_rome", code)
        libelle = check.required(line, row, "libelle_rome")
        parent = row["code_rome_parent"]
        if parent:
            check.code_rome(line, row, "code_rome_parent")
        metiers[code] = {
            "code_rome": code,
            "code_ogr": check.code_ogr(line, row),
            "libelle": libelle,
            "libelle_norm": normalise(libelle),
            "code_grand_domaine": "",
            "code_domaine_professionnel": "",
            "riasec_majeur": "",
            "riasec_mineur": "",
            "transition_eco": row["transition_eco"],
            "transition_num": row["transition_num"],
            "transition_demo": row["transition_demo"],
            "emploi_reglemente": _yes(row["emploi_reglemente"]),
            "emploi_cadre": _yes(row["emploi_cadre"]),
            "code_rome_parent": parent,
        }

    check = _Checker(export, "referentiel_code_rome_riasec")
    seen: set[str] = set()
    for line, row in _rows(export, "referentiel_code_rome_riasec"):
        code = check.code_rome(line, row)
        check.known(metiers, code, line, "code_rome", "referentiel_code_rome")
        check.unique(seen, code, line, "code_rome", code)
        metiers[code]["riasec_majeur"] = check.riasec(line, row, "riasec_majeur", optional=False)
        metiers[code]["riasec_mineur"] = check.riasec(line, row, "riasec_mineur", optional=True)

    check = _Checker(export, "cr_gd_dp")
    seen = set()
    for line, row in _rows(export, "cr_gd_dp"):
        code = check.code_rome(line, row)
        check.known(metiers, code, line, "code_rome", "referentiel_code_rome")
        check.unique(seen, code, line, "code_rome", code)
        check.known(grands, row["code_grand_domaine"], line, "code_grand_domaine", "grand_domaine")
        check.known(pros, row["code_domaine_professionel"], line, "code_domaine_professionel", "domaine_professionnel")
        metiers[code]["code_grand_domaine"] = row["code_grand_domaine"]
        metiers[code]["code_domaine_professionnel"] = row["code_domaine_professionel"]
    data.metiers = list(metiers.values())
    return metiers


def _read_appellations(export: _Export, data: _Data, metiers: dict[str, dict[str, Any]]) -> None:
    check = _Checker(export, "referentiel_appellation")
    seen: set[str] = set()
    for line, row in _rows(export, "referentiel_appellation"):
        code = check.code_ogr(line, row)
        check.unique(seen, code, line, "code_ogr", code)
        code_rome = check.code_rome(line, row)
        check.known(metiers, code_rome, line, "code_rome", "referentiel_code_rome")
        libelle = check.required(line, row, "libelle_appellation_long")
        data.appellations.append(
            {
                "code_ogr": code,
                "code_rome": code_rome,
                "libelle": libelle,
                "libelle_court": row["libelle_appellation_court"],
                "libelle_norm": normalise(libelle),
                "principale": row["classification"].upper() == "PRINCIPALE",
                "peu_usite": _yes(row["peu_usite"]),
                "emploi_reglemente": _yes(row["emploi_reglemente"]),
                "emploi_cadre": _yes(row["emploi_cadre"]),
            }
        )


def _item(code: str, kind: RomeItemKind, libelle: str, **extra: Any) -> dict[str, Any]:
    row = {
        "code_ogr": code,
        "kind": kind,
        "libelle": libelle,
        "nature": "",
        "categorie": "",
        "sous_categorie": "",
        "code_ogr_macro": "",
        "riasec_majeur": "",
        "riasec_mineur": "",
        "transition_eco": False,
        "transition_num": False,
    }
    row.update(extra)
    return row


def _read_items(export: _Export, data: _Data) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    check = _Checker(export, "referentiel_competence")
    for line, row in _rows(export, "referentiel_competence"):
        code = check.code_ogr(line, row)
        check.absent(items, code, line, "code_ogr", code)
        categorie = row["cat_comp"]
        kind = RomeItemKind.SAVOIR_ETRE if normalise(categorie).startswith("savoir etre") else RomeItemKind.SAVOIR_FAIRE
        macro = row["code_ogr_macro_comp"]
        if macro:
            check.code_ogr(line, row, "code_ogr_macro_comp")
        items[code] = _item(
            code,
            kind,
            check.required(line, row, "libelle_competence"),
            nature=row["nature"],
            categorie=categorie,
            sous_categorie=row["sous_cat_comp"],
            code_ogr_macro=macro,
            transition_eco=_yes(row["transition_eco"]),
            transition_num=_yes(row["transition_num"]),
        )

    check = _Checker(export, "referentiel_savoir")
    for line, row in _rows(export, "referentiel_savoir"):
        code = check.code_ogr(line, row, "code_ogr_savoir")
        check.absent(items, code, line, "code_ogr_savoir", code)
        items[code] = _item(
            code,
            RomeItemKind.SAVOIR,
            check.required(line, row, "libelle_savoir"),
            categorie=row["categorie_savoir"],
            sous_categorie=row["sous_categorie_savoir"],
            transition_eco=_yes(row["transition_eco"]),
            transition_num=_yes(row["transition_num"]),
        )

    check = _Checker(export, "referentiel_contexte_travail")
    for line, row in _rows(export, "referentiel_contexte_travail"):
        code = check.code_ogr(line, row)
        check.absent(items, code, line, "code_ogr", code)
        items[code] = _item(
            code,
            RomeItemKind.CONTEXTE,
            check.required(line, row, "libelle_cont_travail"),
            categorie=row["libelle_type_cont_trav"],
        )

    # unix_item lists every item with its rubrique: it completes the detail files (and is checked).
    check = _Checker(export, "item")
    seen: set[str] = set()
    for line, row in _rows(export, "item"):
        code = check.code_ogr(line, row)
        check.unique(seen, code, line, "code_ogr", code)
        rubrique = row["code_rubrique"]
        if rubrique not in RUBRIQUE_KINDS:
            raise check.bad(line, "code_rubrique", rubrique, "rome.expected.integer")
        if code not in items:
            items[code] = _item(code, RUBRIQUE_KINDS[rubrique], check.required(line, row, "libelle"))

    check = _Checker(export, "referentiel_macro_competence_riasec")
    for line, row in _rows(export, "referentiel_macro_competence_riasec"):
        code = check.code_ogr(line, row)
        check.known(items, code, line, "code_ogr", "item")
        items[code]["riasec_majeur"] = check.riasec(line, row, "riasec_majeur", optional=True)
        items[code]["riasec_mineur"] = check.riasec(line, row, "riasec_mineur", optional=True)
    data.items = list(items.values())
    return items


def _read_links(
    export: _Export, data: _Data, metiers: dict[str, dict[str, Any]], items: dict[str, dict[str, Any]]
) -> None:
    check = _Checker(export, "coherence_item")
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(export, "coherence_item"):
        code_rome = check.code_rome(line, row)
        code_ogr = check.code_ogr(line, row)
        check.known(metiers, code_rome, line, "code_rome", "referentiel_code_rome")
        check.known(items, code_ogr, line, "code_ogr", "item")
        check.unique(seen, (code_rome, code_ogr), line, "code_ogr", f"{code_rome} / {code_ogr}")
        coeur = row["coeur_metier"]
        data.metier_items.append(
            {"code_rome": code_rome, "code_ogr": code_ogr, "coeur_metier": bool(coeur), "coeur_label": coeur}
        )

    check = _Checker(export, "texte")
    seen_texts: set[tuple[str, str, int]] = set()
    for line, row in _rows(export, "texte"):
        code_rome = check.code_rome(line, row)
        check.known(metiers, code_rome, line, "code_rome", "referentiel_code_rome")
        kind = check.required(line, row, "libelle_type_texte")
        position = check.integer(line, row, "position_phrase")
        check.unique(seen_texts, (code_rome, kind, position), line, "position_phrase", f"{code_rome} {kind} {position}")
        # The export doubles some apostrophes (SQL escaping leaking into the CSV): "d''hygiène".
        texte = row["libelle_texte"].replace("''", "'")
        data.textes.append({"code_rome": code_rome, "kind": kind, "position": position, "texte": texte})

    check = _Checker(export, "rubrique_mobilite")
    seen = set()
    for line, row in _rows(export, "rubrique_mobilite"):
        source = check.code_rome(line, row)
        target = check.code_rome(line, row, "code_rome_cible")
        check.known(metiers, source, line, "code_rome", "referentiel_code_rome")
        check.known(metiers, target, line, "code_rome_cible", "referentiel_code_rome")
        check.unique(seen, (source, target), line, "code_rome_cible", f"{source} -> {target}")
        ordre = check.integer(line, row, "numero_ordre") if row["numero_ordre"] else 0
        data.mobilites.append({"code_rome": source, "code_rome_cible": target, "ordre": ordre})

    check = _Checker(export, "centre_interet")
    centres: set[str] = set()
    for line, row in _rows(export, "centre_interet"):
        code = check.required(line, row, "code_centre_interet")
        check.unique(centres, code, line, "code_centre_interet", code)
        data.centres.append(
            {
                "code": code,
                "libelle": check.required(line, row, "libelle_centre_interet"),
                "definition": row["definition_centre_interet"],
            }
        )
    check = _Checker(export, "arborescence_centre_interet")
    seen = set()
    for line, row in _rows(export, "arborescence_centre_interet"):
        code = row["code_centre_interet"]
        check.known(centres, code, line, "code_centre_interet", "centre_interet")
        code_rome = check.code_rome(line, row)
        check.known(metiers, code_rome, line, "code_rome", "referentiel_code_rome")
        check.unique(seen, (code, code_rome), line, "code_rome", f"{code} / {code_rome}")
        data.centre_metiers.append(
            {"code_centre_interet": code, "code_rome": code_rome, "principal": _yes(row["principal"])}
        )


def read_export(path: str | Path) -> tuple[_Export, _Data]:
    """Read and validate the whole export; raises ``RomeImportError`` on the first problem."""
    export = _open_export(Path(path))
    try:
        data = _Data()
        grands, pros = _read_domaines(export, data)
        metiers = _read_metiers(export, data, grands, pros)
        _read_appellations(export, data, metiers)
        items = _read_items(export, data)
        _read_links(export, data, metiers, items)
    finally:
        export.close()
    return export, data


# ---------------------------------------------------------------- writing


def _table(model: Any) -> Table:
    return model.__table__


# Parents before children; deletes run in the reverse order.
_TABLES: tuple[tuple[Any, str], ...] = (
    (RomeDomaine, "domaines"),
    (RomeMetier, "metiers"),
    (RomeAppellation, "appellations"),
    (RomeItem, "items"),
    (RomeMetierItem, "metier_items"),
    (RomeTexte, "textes"),
    (RomeMobilite, "mobilites"),
    (RomeCentreInteret, "centres"),
    (RomeCentreInteretMetier, "centre_metiers"),
)


def import_rome(path: str | Path) -> ImportSummary:
    """Install the export at ``path`` (folder or zip) as THE référentiel, replacing any previous one."""
    started = time.perf_counter()
    export, data = read_export(path)
    read_done = time.perf_counter()
    kinds = [row["kind"] for row in data.items]
    summary = ImportSummary(
        version=export.version,
        previous_version=None,
        source=export.name,
        metiers=len(data.metiers),
        appellations=len(data.appellations),
        competences=sum(kind in (RomeItemKind.SAVOIR_FAIRE, RomeItemKind.SAVOIR_ETRE) for kind in kinds),
        savoirs=kinds.count(RomeItemKind.SAVOIR),
        contextes=kinds.count(RomeItemKind.CONTEXTE),
        liens=len(data.metier_items),
        textes=len(data.textes),
        mobilites=len(data.mobilites),
        centres_interet=len(data.centres),
        domaines=len(data.domaines),
    )
    versions = _table(RomeVersion)
    with get_engine().begin() as conn:
        previous = conn.execute(
            select(versions.c.version).order_by(versions.c.imported_at.desc()).limit(1)
        ).scalar_one_or_none()
        summary.previous_version = previous
        for model, _ in reversed(_TABLES):
            conn.execute(delete(_table(model)))
        for model, attribute in _TABLES:
            rows = getattr(data, attribute)
            statement = insert(_table(model)).execution_options(insertmanyvalues_page_size=CHUNK)
            for start in range(0, len(rows), CHUNK):
                conn.execute(statement, rows[start : start + CHUNK])
        summary.write_s = round(time.perf_counter() - read_done, 2)
        summary.read_s = round(read_done - started, 2)
        summary.duration_s = round(time.perf_counter() - started, 2)
        conn.execute(delete(versions).where(versions.c.version == export.version))
        conn.execute(
            insert(versions).values(
                id=uuid.uuid4(),
                version=export.version,
                imported_at=utcnow(),
                source=export.name[:255],
                duration_ms=int(summary.duration_s * 1000),
                metiers=summary.metiers,
                appellations=summary.appellations,
                competences=summary.competences,
                savoirs=summary.savoirs,
                contextes=summary.contextes,
                liens=summary.liens,
                textes=summary.textes,
                mobilites=summary.mobilites,
                centres_interet=summary.centres_interet,
            )
        )
    search.invalidate_cache()
    logger.info(
        "ROME %s imported from %s in %.1f s (read %.1f s, write %.1f s): %d métiers, %d appellations, %d liens",
        summary.version,
        summary.source,
        summary.duration_s,
        summary.read_s,
        summary.write_s,
        summary.metiers,
        summary.appellations,
        summary.liens,
    )
    return summary
