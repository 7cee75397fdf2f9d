"""The bilan's documents space: two areas, versions by name, files typed by their bytes and refused with the
field named (nothing stored), every read audited, the org admin sees metadata only, another organisation
nothing; the consultant's request is her task, done by her upload."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from bilan_app.api import api
from services import bilan_files, bilans, notifications, routes
from services.db import session_scope
from services.display.bilan_files import admin_lines, file_rows, limits_line, open_request_options
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.models import AuditEvent, BilanFile, BilanStatus, Document, DocumentKind
from tests.unit.test_bilans import insert_bilan

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def bilan(world, isolated_storage) -> str:
    return str(insert_bilan(world, BilanStatus.INVESTIGATION))


def _audits(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_her_cv_reaches_her_consultant_encrypted_notified_and_every_read_audited(world, bilan, isolated_storage):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    file_id = bilan_files.upload(her, bilan, "shared", "CV Camille.pdf", PDF)
    [line] = notifications.list_notifications(him)
    assert line.kind == "document_shared" and "CV Camille.pdf" not in line.title  # the name stays in the space
    view = bilan_files.space(him, bilan)
    [cv] = view.shared
    assert (cv.name, cv.latest.id, cv.latest.version, cv.latest.previewable) == ("CV Camille.pdf", file_id, 1, True)
    assert cv.latest.content_type == "application/pdf" and not cv.latest.mine and view.consultant == []
    read = bilan_files.read_file(him, file_id, preview=True)
    assert (read.name, read.content_type, read.content) == ("CV Camille.pdf", "application/pdf", PDF)
    bilan_files.read_file(her, file_id)
    assert len(_audits("bilan_files.downloaded")) == 2 and len(_audits("bilan_files.uploaded")) == 1
    with session_scope() as session:
        document = session.exec(select(Document)).one()
        assert document.kind is DocumentKind.BILAN_FILE and str(document.bilan_id) == bilan  # the purge finds it
    [stored] = [p for p in isolated_storage.rglob("*") if p.is_file()]
    assert PDF not in stored.read_bytes()


def test_the_same_name_again_is_a_new_version_and_the_older_stay_readable(world, bilan):
    him = world.actor("consultant_a")
    first = bilan_files.upload(him, bilan, "shared", "exercice.pdf", PDF)
    second = bilan_files.upload(him, bilan, "shared", "exercice.pdf", PDF + b"v2")
    bilan_files.upload(him, bilan, "consultant", "exercice.pdf", PNG)  # another area: its own versions
    view = bilan_files.space(him, bilan)
    [shared] = view.shared
    assert (shared.latest.id, shared.latest.version) == (second, 2)
    assert [v.id for v in shared.older] == [first]
    assert [(f.name, f.latest.version) for f in view.consultant] == [("exercice.pdf", 1)]
    assert bilan_files.read_file(world.actor("beneficiary_a"), first).content == PDF


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("cv.pdf", EXE, "files.error.type"),  # an executable renamed .pdf
        ("cv.pdf", b"", "files.error.empty"),
        ("cv.pdf", PDF + b"x" * 2048, "files.error.too_big"),
        ("../cv.pdf", PDF, "files.error.name_path"),
        ("dossier\\cv.pdf", PDF, "files.error.name_path"),
        ("cv\x07.pdf", PDF, "files.error.name_control"),
        ("cv\u202e.pdf", PDF, "files.error.name_control"),  # a right-to-left override hides the real extension
        ("  ", PDF, "files.error.name_empty"),
    ],
)
def test_bad_files_are_refused_on_the_field_and_nothing_is_stored(
    world, bilan, isolated_storage, set_env, name, content, key
):
    set_env(BILAN_FILE_MAX_BYTES="1024")
    with pytest.raises(FormError) as refused:
        bilan_files.upload(world.actor("beneficiary_a"), bilan, "shared", name, content)
    assert refused.value.fields == {"file": key}
    with session_scope() as session:
        assert session.exec(select(BilanFile)).all() == [] and session.exec(select(Document)).all() == []
    assert not any(p.is_file() for p in isolated_storage.rglob("*"))
    assert notifications.list_notifications(world.actor("consultant_a")) == []


def test_the_bilans_total_is_capped(world, bilan, set_env):
    set_env(BILAN_FILES_MAX_TOTAL_BYTES=str(len(PDF) * 2))
    her = world.actor("beneficiary_a")
    bilan_files.upload(her, bilan, "shared", "a.pdf", PDF)
    bilan_files.upload(her, bilan, "shared", "a.pdf", PDF)  # versions count too
    with pytest.raises(FormError) as refused:
        bilan_files.upload(her, bilan, "shared", "b.pdf", PDF)
    assert refused.value.fields == {"file": "files.error.bilan_full"}


def test_long_names_keep_their_extension():
    name = bilan_files.sanitise_name("é" * 300 + ".pdf")
    assert len(name) == bilan_files.MAX_NAME_CHARS and name.endswith("é.pdf")
    assert bilan_files.sanitise_name("  CV 2026.pdf ") == "CV 2026.pdf"


def test_the_consultant_area_is_his_alone(world, bilan):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    private = bilan_files.upload(him, bilan, "consultant", "notes.pdf", PDF)
    assert notifications.list_notifications(her) == []  # nothing shared, nothing told
    with pytest.raises(AccessDenied):
        bilan_files.upload(her, bilan, "consultant", "x.pdf", PDF)
    with pytest.raises(AccessDenied):
        bilan_files.read_file(her, private)
    view = bilan_files.space(her, bilan)
    assert view.consultant == [] and view.areas_to_upload == ["shared"] and not view.may_request


def test_the_org_admin_sees_metadata_only_and_another_organisation_nothing(world, bilan):
    her, admin = world.actor("beneficiary_a"), world.actor("admin_a")
    mine = bilan_files.upload(her, bilan, "shared", "arrêt maladie.pdf", PDF)
    private = bilan_files.upload(world.actor("consultant_a"), bilan, "consultant", "notes.pdf", PNG)
    view = bilan_files.space(admin, bilan)
    assert view.metadata_only and view.shared == [] and view.consultant == [] and view.requests == []
    assert {(s.area, s.files, s.size_bytes) for s in view.summaries} == {
        ("shared", 1, len(PDF)),
        ("consultant", 1, len(PNG)),
    }
    assert "arrêt" not in repr(view)
    for file_id in (mine, private):
        with pytest.raises(AccessDenied):
            bilan_files.read_file(admin, file_id)
    with pytest.raises(AccessDenied):
        bilan_files.upload(admin, bilan, "shared", "x.pdf", PDF)
    for key in ("admin_b", "consultant_b", "beneficiary_b"):
        with pytest.raises(NotFound):
            bilan_files.read_file(world.actor(key), mine)
        with pytest.raises(NotFound):
            bilan_files.space(world.actor(key), bilan)
    assert len(_audits("bilan_files.downloaded")) == 0


def test_a_request_is_her_task_and_her_upload_fulfils_it(world, bilan):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    with pytest.raises(FormError):
        bilan_files.request_document(him, bilan, "   ")
    with pytest.raises(AccessDenied):
        bilan_files.request_document(her, bilan, "Mon CV")
    request_id = bilan_files.request_document(him, bilan, "Merci de déposer votre CV")
    [task] = bilans.list_tasks(her, bilan)
    assert (task.title, task.done) == ("Merci de déposer votre CV", False)
    [line] = notifications.list_notifications(her)
    assert line.kind == "document_requested"
    assert [(r.label, r.fulfilled_name) for r in bilan_files.space(her, bilan).requests] == [
        ("Merci de déposer votre CV", "")
    ]
    with pytest.raises(AccessDenied):  # his upload answers no request of hers
        bilan_files.upload(him, bilan, "shared", "cv.pdf", PDF, request_id=request_id)
    bilan_files.upload(her, bilan, "shared", "cv.pdf", PDF, request_id=request_id)
    assert bilans.list_tasks(her, bilan)[0].done
    assert [r.fulfilled_name for r in bilan_files.space(him, bilan).requests] == ["cv.pdf"]
    with pytest.raises(FormError) as closed:
        bilan_files.upload(her, bilan, "shared", "cv.pdf", PDF, request_id=request_id)
    assert closed.value.fields == {"request": "files.error.request_closed"}


def test_a_closed_bilan_is_read_only(world, isolated_storage):
    bilan = str(insert_bilan(world, BilanStatus.TERMINE))
    with pytest.raises(ServiceError):
        bilan_files.upload(world.actor("beneficiary_a"), bilan, "shared", "cv.pdf", PDF)
    view = bilan_files.space(world.actor("consultant_a"), bilan)
    assert not view.open and view.areas_to_upload == [] and not view.may_request


def test_the_download_route_previews_sandboxed_for_the_participants_and_404s_for_anyone_else(world, bilan):
    her = world.actor("beneficiary_a")
    cv = bilan_files.upload(her, bilan, "shared", "CV é.pdf", PDF)
    sheet = bilan_files.upload(her, bilan, "shared", "notes.docx", _docx())

    def client(key: str | None) -> TestClient:
        return TestClient(api, cookies={"bc_session": world.login(key)[0]} if key else {})

    consultant = client("consultant_a")
    shown = consultant.get(routes.bilan_file(cv, preview=True))
    assert shown.status_code == 200 and shown.content == PDF
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith('inline; filename="CV ?.pdf"; filename*=UTF-8')
    assert shown.headers["x-content-type-options"] == "nosniff" and shown.headers["cache-control"] == "no-store"
    assert shown.headers["content-security-policy"].startswith("sandbox;")
    downloaded = consultant.get(routes.bilan_file(cv))
    assert downloaded.headers["content-disposition"].startswith("attachment;")
    office = consultant.get(routes.bilan_file(sheet, preview=True))  # no preview for an office file
    assert office.status_code == 200 and office.headers["content-disposition"].startswith("attachment;")
    assert "content-security-policy" not in office.headers
    for key in ("admin_a", "admin_b", "consultant_b", None):
        assert client(key).get(routes.bilan_file(cv, preview=True)).status_code == 404
    assert consultant.head(routes.bilan_file(cv)).status_code == 405
    assert len(_audits("bilan_files.downloaded")) == 3


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_rows_list_each_version_with_its_links_and_the_admin_lines_name_nothing(world, bilan):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    bilan_files.request_document(him, bilan, "Merci de déposer votre CV")
    first = bilan_files.upload(her, bilan, "shared", "cv.pdf", PDF)
    second = bilan_files.upload(her, bilan, "shared", "cv.pdf", PDF + b"2")
    bilan_files.upload(her, bilan, "shared", "lettre.docx", _docx())
    view = bilan_files.space(her, bilan)
    rows = file_rows(view.shared, "fr")
    assert [(r["name"], r["version"], r["current"]) for r in rows] == [
        ("cv.pdf", "v2", True),
        ("cv.pdf", "v1", False),
        ("lettre.docx", "v1", True),
    ]
    assert rows[0]["href"] == f"/api/fichiers/{second}" and rows[1]["preview_href"] == f"/api/fichiers/{first}?apercu=1"
    assert rows[2]["preview_href"] == "" and rows[0]["by"] == "Vous"
    assert rows[0]["download_label"] == "Télécharger cv.pdf (version 2)"
    assert [o["label"] for o in open_request_options(view)] == ["Merci de déposer votre CV"]
    assert limits_line(view, "fr").startswith("PDF, image ou document bureautique ; 10 Mo au plus par fichier.")
    lines = admin_lines(bilan_files.space(world.actor("admin_a"), bilan), "fr")
    assert lines[0].startswith("Partagé : 3 fichier(s)") and lines[1] == (
        "Consultant (privé) : 0 fichier(s), 0, dernier dépôt : —"
    )
    assert not any("cv" in line for line in lines)
