"""The platform operator installs the ROME référentiel by uploading France Travail's official zip.

Two steps, so that the web upload returns at once and the import runs in a background event:

1. ``save_upload(actor, stream, filename)`` copies the uploaded bytes into a private temporary folder,
   refusing more than ``MAX_UPLOAD_BYTES``;
2. ``import_upload(actor, path)`` checks that the file is a zip whose content is not too large, runs
   ``import_rome`` (one transaction: a refused export leaves the installed référentiel untouched),
   writes an audit event either way and removes the temporary folder.

Both refuse anyone but the platform operator (``Permission.MANAGE_REFERENTIEL``).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlmodel import col

from services import audit
from services.access import Actor, Permission, require
from services.db import get_engine, session_scope
from services.models.rome import RomeVersion
from services.rome.demo import is_demo_version
from services.rome.importer import ImportSummary, RomeImportError, import_rome

log = logging.getLogger("bilan.rome")

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the official zip weighs a few MB
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # its CSV files about 20 MB: refuse zip bombs
CHUNK = 1024 * 1024
TEMP_PREFIX = "rome-upload-"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class RomeAction(StrEnum):
    IMPORTED = "rome.imported"
    REFUSED = "rome.import_refused"


@dataclass(frozen=True)
class InstalledReferentiel:
    """The installed version with all its counts (the référentiel page)."""

    version: str
    imported_at: datetime
    source: str
    duration_ms: int
    metiers: int
    appellations: int
    competences: int
    savoirs: int
    contextes: int
    liens: int
    textes: int
    mobilites: int
    centres_interet: int

    @property
    def is_demo(self) -> bool:
        return is_demo_version(self.version)


def installed_referentiel() -> InstalledReferentiel | None:
    """The installed référentiel (the most recent import), or None. Public reference data: no actor."""
    table = RomeVersion.__table__  # type: ignore[attr-defined]
    columns = [getattr(table.c, name) for name in InstalledReferentiel.__dataclass_fields__]
    with get_engine().connect() as conn:
        row = conn.execute(select(*columns).order_by(col(RomeVersion.imported_at).desc()).limit(1)).first()
    return InstalledReferentiel(*row) if row is not None else None


def _safe_name(filename: str) -> str:
    name = _SAFE_NAME.sub("_", Path(filename or "").name).strip("._")
    return (name or "export")[:120] + ("" if name.lower().endswith(".zip") else ".zip")


def save_upload(actor: Actor, stream: BinaryIO, filename: str) -> Path:
    """Copy an uploaded file into a new private temporary folder; returns its path (named like the upload)."""
    require(actor, Permission.MANAGE_REFERENTIEL)
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    path = folder / _safe_name(filename)
    size = 0
    try:
        with open(path, "wb") as target:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise RomeImportError("rome.error.too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
                target.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def discard_upload(path: str | Path) -> None:
    """Remove a saved upload's temporary folder (only folders ``save_upload`` made)."""
    folder = Path(path).parent
    if folder.name.startswith(TEMP_PREFIX) and folder.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)


def _check_zip(path: Path) -> None:
    if not path.is_file():
        raise RomeImportError("rome.error.not_found", path=path.name)
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise RomeImportError("rome.error.too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    if not zipfile.is_zipfile(path):
        raise RomeImportError("rome.error.not_zip", path=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise RomeImportError("rome.error.bad_zip", path=path.name, detail=str(exc)) from exc
    if total > MAX_UNCOMPRESSED_BYTES:
        raise RomeImportError("rome.error.too_large", limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024))


def import_upload(actor: Actor, path: str | Path) -> ImportSummary:
    """Install the uploaded zip as THE référentiel (or refuse it and change nothing); the upload is removed."""
    require(actor, Permission.MANAGE_REFERENTIEL)
    path = Path(path)
    try:
        try:
            try:
                _check_zip(path)
                summary = import_rome(path)
            except RomeImportError:
                raise
            except Exception as exc:  # whatever broke, the operator gets a message and the refusal is kept
                log.exception("ROME import of %s failed", path.name)
                raise RomeImportError("rome.error.unexpected") from exc
        except RomeImportError as exc:
            with session_scope() as session:
                audit.record(
                    session,
                    RomeAction.REFUSED,
                    actor=actor,
                    target_type="rome_referentiel",
                    changes={"source": path.name, "error": exc.message("fr")},
                )
            raise
        with session_scope() as session:
            audit.record(
                session,
                RomeAction.IMPORTED,
                actor=actor,
                target_type="rome_referentiel",
                target_id=summary.version,
                changes={
                    "version": summary.version,
                    "previous_version": summary.previous_version,
                    "source": summary.source,
                    "metiers": summary.metiers,
                    "appellations": summary.appellations,
                    "liens": summary.liens,
                },
            )
        return summary
    finally:
        discard_upload(path)
