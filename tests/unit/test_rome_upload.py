"""services.rome.upload: only the platform operator installs a référentiel from an uploaded zip; a refused
upload (not a zip, a broken export, too large) leaves the installed référentiel as it was; every attempt
is audited; the temporary copy is always removed. Also the référentiel screens' rows (services.display.referentiel).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel import select as model_select

from services import routes
from services.db import get_engine, session_scope
from services.display.referentiel import count_rows, hit_rows, installed_referentiel_row, metier_detail_row
from services.errors import AccessDenied
from services.models import AuditEvent, RomeAppellation, RomeMetier, RomeMetierItem, RomeVersion
from services.rome import upload
from services.rome.demo import DEMO_DATA_DIR, DEMO_VERSION, install_demo_if_empty
from services.rome.importer import RomeImportError
from services.rome.metiers import metier_detail
from services.rome.search import search_metiers
from tests.unit.test_rome_import import write_export


def zip_of(folder: Path, target: Path, *, skip: str = "") -> bytes:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if skip and skip in path.name:
                continue
            archive.write(path, f"RefRomeCsv/{path.name}")
    return target.read_bytes()


def fingerprint() -> dict[str, int | list[str]]:
    with get_engine().connect() as conn:
        counts: dict[str, int | list[str]] = {
            model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (RomeMetier, RomeAppellation, RomeMetierItem)
        }
        counts["versions"] = conn.execute(select(RomeVersion.version).order_by(RomeVersion.imported_at)).scalars().all()
    return counts


def rome_events() -> list[AuditEvent]:
    with session_scope() as session:
        events = session.exec(
            model_select(AuditEvent)
            .where(col(AuditEvent.action).startswith("rome."))
            .order_by(col(AuditEvent.created_at))
        ).all()
        return [event.model_copy() for event in events]


def leftovers() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{upload.TEMP_PREFIX}*"))


@pytest.fixture
def demo_installed():
    install_demo_if_empty()
    return fingerprint()


@pytest.mark.parametrize("role_key", ["beneficiary_a", "consultant_a", "admin_a"])
def test_only_the_platform_operator_may_upload(world, demo_installed, tmp_path, role_key):
    actor = world.actor(role_key)
    content = zip_of(write_export(tmp_path / "export"), tmp_path / "export.zip")
    before = leftovers()
    with pytest.raises(AccessDenied):
        upload.save_upload(actor, io.BytesIO(content), "export.zip")
    saved = upload.save_upload(world.platform, io.BytesIO(content), "export.zip")
    with pytest.raises(AccessDenied):
        upload.import_upload(actor, saved)
    upload.discard_upload(saved)
    assert fingerprint() == demo_installed
    assert rome_events() == []
    assert leftovers() == before


def test_the_operator_installs_an_uploaded_zip(world, demo_installed, tmp_path):
    content = zip_of(write_export(tmp_path / "export", version="901"), tmp_path / "RefRomeCsv.zip")
    before = leftovers()
    saved = upload.save_upload(world.platform, io.BytesIO(content), "RefRomeCsv.zip")
    assert saved.name == "RefRomeCsv.zip" and saved.read_bytes() == content
    summary = upload.import_upload(world.platform, saved)
    assert (summary.version, summary.previous_version, summary.source) == ("901", DEMO_VERSION, "RefRomeCsv.zip")
    installed = upload.installed_referentiel()
    assert installed is not None and installed.version == "901" and not installed.is_demo
    assert (installed.metiers, installed.appellations, installed.source) == (3, 7, "RefRomeCsv.zip")
    assert metier_detail("D9101") is None and search_metiers("gardien")[0].code_rome == "K9901"
    [event] = rome_events()
    assert event.action == upload.RomeAction.IMPORTED and event.actor_user_id == world.platform.user_id
    assert event.changes["version"] == "901" and event.changes["previous_version"] == DEMO_VERSION
    assert not saved.parent.exists() and leftovers() == before


def corrupt_crc(content: bytes, member: str) -> bytes:
    """``content`` (a zip) with one byte of ``member``'s stored data flipped: its CRC-32 no longer matches."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(member)
    header = info.header_offset
    name_length = int.from_bytes(content[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(content[header + 28 : header + 30], "little")
    data_start = header + 30 + name_length + extra_length
    position = data_start + info.compress_size // 2
    return content[:position] + bytes([content[position] ^ 0x01]) + content[position + 1 :]


def stored_zip(folder: Path) -> bytes:
    """The demo référentiel's CSV files in a zip, uncompressed (a flipped byte then only breaks the CRC)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix == ".csv":
                archive.write(path, f"RefRomeCsv/{path.name}")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("not_a_zip", "rome.error.not_zip"),
        ("missing_file", "rome.error.missing_file"),
        ("empty", "rome.error.not_zip"),
        ("bad_crc", "rome.error.damaged_file"),
    ],
)
def test_a_refused_upload_changes_nothing(world, demo_installed, tmp_path, case, code):
    if case == "not_a_zip":
        content = b"code_rome;libelle\nD1234;pas un zip\n"
    elif case == "empty":
        content = b""
    elif case == "bad_crc":
        content = stored_zip(DEMO_DATA_DIR)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            member = next(name for name in archive.namelist() if "referentiel_code_rome" in name)
        content = corrupt_crc(content, member)
    else:
        content = zip_of(write_export(tmp_path / "export"), tmp_path / "broken.zip", skip="coherence_item")
    before = leftovers()
    saved = upload.save_upload(world.platform, io.BytesIO(content), "broken.zip")
    with pytest.raises(RomeImportError) as refused:
        upload.import_upload(world.platform, saved)
    assert refused.value.code == code
    assert "coherence_item" in refused.value.message() if case == "missing_file" else True
    assert "endommagé" in refused.value.message() if case == "bad_crc" else True
    assert fingerprint() == demo_installed  # the demo is still the installed référentiel
    assert search_metiers("boulangère")[0].code_rome == "D9101"
    [event] = rome_events()
    assert event.action == upload.RomeAction.REFUSED and event.changes["error"] == refused.value.message("fr")
    assert leftovers() == before


def test_too_large_uploads_are_refused_while_copying(world, demo_installed, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1000)
    before = leftovers()
    with pytest.raises(RomeImportError) as refused:
        upload.save_upload(world.platform, io.BytesIO(b"x" * 5000), "big.zip")
    assert refused.value.code == "rome.error.too_large"
    assert "Mo" in refused.value.message()
    assert leftovers() == before and fingerprint() == demo_installed


def test_a_zip_bomb_is_refused(world, demo_installed, tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UNCOMPRESSED_BYTES", 10_000)
    content = zip_of(DEMO_DATA_DIR, tmp_path / "demo.zip")  # ~100 KB of CSV once unzipped
    saved = upload.save_upload(world.platform, io.BytesIO(content), "demo.zip")
    with pytest.raises(RomeImportError) as refused:
        upload.import_upload(world.platform, saved)
    assert refused.value.code == "rome.error.too_large"
    assert fingerprint() == demo_installed


def test_uploaded_file_names_cannot_escape_the_temporary_folder(world):
    saved = upload.save_upload(world.platform, io.BytesIO(b"PK"), "../../etc/passwd")
    try:
        assert saved.parent.name.startswith(upload.TEMP_PREFIX)
        assert saved.name == "passwd.zip"
    finally:
        upload.discard_upload(saved)
    assert not saved.parent.exists()
    upload.discard_upload(Path(tempfile.gettempdir()) / "elsewhere" / "x.zip")  # not ours: nothing happens


# ---------------------------------------------------------------- rows of services/display/referentiel.py


def test_view_builders():
    assert upload.installed_referentiel() is None
    install_demo_if_empty()
    installed = upload.installed_referentiel()
    assert installed is not None
    view = installed_referentiel_row(installed, "fr")
    assert (view["version"], view["demo"]) == (DEMO_VERSION, True)
    counts = {row["key"]: row["value"] for row in count_rows(installed, "fr")}
    assert counts["rome.count.metiers"] == "30"
    assert routes.path_param("/referentiel/metiers/d9101", "code_rome") == "d9101"
    assert routes.path_param("/referentiel/metiers", "code_rome") == ""
    assert routes.path_param("/autre/metiers/D9101", "code_rome") == ""
    [hit] = hit_rows(search_metiers("boulanjère", 1))
    assert hit["code"] == "D9101" and hit["href"] == "/referentiel/metiers/D9101"
    detail = metier_detail_row(metier_detail("D9101"))  # type: ignore[arg-type]
    assert detail["libelle"] == "Boulanger / Boulangère"
    assert detail["savoir_faire"][0]["core"] is True
    assert [row["letter"] for row in detail["riasec"]] == ["R", "C"]
    assert {link["code"] for link in detail["mobilites"]} == {"G9101", "D9102"}
    assert detail["domaine"] == "Commerce et vente › Vente en magasin et métiers de bouche"
