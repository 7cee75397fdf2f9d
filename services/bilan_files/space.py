"""The bilan's documents space: two areas of files, versioned by name, and the consultant's requests.

* **Areas**: "partagé" (``FileArea.SHARED``): the beneficiary and her assigned consultant both upload and
  read; "consultant" (``FileArea.CONSULTANT``): the assigned consultant's own files, never shown to her.
* **Files**: named as uploaded (``names.sanitise_name``), typed by their bytes (``services.filetypes.sniff``:
  a renamed executable is refused), within the per-file and per-bilan limits of the settings, encrypted at
  rest as a ``Document`` of kind ``bilan_file`` carrying the bilan's id (the purge of the bilan's documents
  finds them there, with the retention choice of ``services.synthese.handover``). The same name again in
  the same area is the next version; the earlier ones stay listed and readable.
* **Requests**: the consultant asks her for a document ("merci de déposer votre CV"): a task of hers
  (``services.bilans.tasks``), ticked done by the upload she sends for it.
* **Who reads**: the file's content goes to the bilan's two participants only (her: the shared area), every
  read audited. The org admin supervises without reading: per area, the number of files, their total size
  and the last upload date, never a name nor a byte (a name like "arrêt maladie.pdf" says too much).
  Another organisation's bilan or file is NotFound.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from services import audit, routes
from services.access import Actor, Permission, can
from services.bilan_files.names import sanitise_name
from services.bilans import get_bilan, is_closed, require_open
from services.bilans.tasks import insert_task
from services.crypto import decrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound
from services.filetypes import PREVIEWABLE, sniff
from services.models import Bilan, BilanFile, BilanTask, Document, DocumentKind, DocumentRequest, FileArea, Role, User
from services.models.base import utcnow
from services.notifications import notify
from services.settings import get_settings
from services.storage import read_document, store_document

MAX_REQUEST_CHARS = 200


class Audit:
    UPLOADED = "bilan_files.uploaded"
    DOWNLOADED = "bilan_files.downloaded"
    REQUESTED = "bilan_files.requested"


@dataclass(frozen=True)
class VersionView:
    id: str  # the download route's key (routes.bilan_file)
    version: int
    size_bytes: int
    content_type: str
    previewable: bool  # PDF or image: shown inline in the browser
    uploaded_by: str
    mine: bool
    created_at: datetime


@dataclass(frozen=True)
class FileView:
    name: str
    area: str
    latest: VersionView
    older: list[VersionView]  # newest first


@dataclass(frozen=True)
class RequestView:
    id: str
    label: str
    requested_at: datetime
    fulfilled_name: str  # "" while open


@dataclass(frozen=True)
class AreaSummary:
    area: str
    files: int
    size_bytes: int
    last_upload: datetime | None


@dataclass(frozen=True)
class SpaceView:
    bilan_id: str
    open: bool  # accepts uploads and requests
    shared: list[FileView]
    consultant: list[FileView]  # empty for her
    requests: list[RequestView]
    areas_to_upload: list[str]  # the areas the actor may add to
    may_request: bool
    metadata_only: bool  # the org admin: ``summaries`` only
    summaries: list[AreaSummary]
    used_bytes: int
    limit_bytes: int
    file_limit_bytes: int


def _is_beneficiary(actor: Actor, bilan: Bilan) -> bool:
    return actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id


def _is_consultant(actor: Actor, bilan: Bilan) -> bool:
    return actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id


def _readable_areas(actor: Actor, bilan: Bilan) -> tuple[FileArea, ...]:
    """The areas whose files' content the actor may read: her the shared one, her consultant both."""
    if _is_consultant(actor, bilan):
        return (FileArea.SHARED, FileArea.CONSULTANT)
    if _is_beneficiary(actor, bilan):
        return (FileArea.SHARED,)
    return ()


def _area(value: str) -> FileArea:
    try:
        return FileArea(value)
    except ValueError:
        raise FormError({"area": "error.invalid_choice"}) from None


def _check_content(content: bytes) -> str:
    """The content type of an acceptable file, or the field's error (nothing stored)."""
    if not content:
        raise FormError({"file": "files.error.empty"})
    limit = get_settings().bilan_file_max_bytes
    if len(content) > limit:
        raise FormError({"file": "files.error.too_big"}, max_mb=_mb(limit))
    content_type = sniff(content)
    if content_type is None:
        raise FormError({"file": "files.error.type"})
    return content_type


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _used_bytes(session: Session, bilan_id: uuid.UUID) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(Document.size_bytes), 0))
        .select_from(BilanFile)
        .join(Document, col(Document.id) == BilanFile.document_id)
        .where(BilanFile.bilan_id == bilan_id)
    ).one()
    return int(total)


def upload(
    actor: Actor, bilan_id: uuid.UUID | str, area: str, filename: str, content: bytes, request_id: str = ""
) -> str:
    """The bilan's beneficiary (shared area) or its assigned consultant (either area), while the bilan is
    open: a new file, or the next version of the same name; ``request_id``, hers only: the request it
    answers (its task is then done). The other participant is told of a shared file. Returns the version's
    id. Bad input is a FormError on "file" and nothing is stored."""
    chosen = _area(area)
    name = sanitise_name(filename)
    content_type = _check_content(content)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        allowed = _is_consultant(actor, bilan) or (_is_beneficiary(actor, bilan) and chosen is FileArea.SHARED)
        if not allowed:
            raise AccessDenied()
        require_open(bilan)
        # One upload at a time per bilan (PostgreSQL row lock): the next version number and the space used
        # are read and written without another upload in between.
        session.exec(select(Bilan.id).where(Bilan.id == bilan.id).with_for_update()).one()
        limit = get_settings().bilan_files_max_total_bytes
        if _used_bytes(session, bilan.id) + len(content) > limit:
            raise FormError({"file": "files.error.bilan_full"}, max_mb=_mb(limit))
        request = _open_request(session, bilan, request_id) if request_id else None
        if request is not None and not _is_beneficiary(actor, bilan):
            raise AccessDenied()
        previous = session.exec(
            select(func.max(BilanFile.version)).where(
                BilanFile.bilan_id == bilan.id, BilanFile.area == chosen, BilanFile.name == name
            )
        ).one()
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.BILAN_FILE,
            filename=name,
            content=content,
            content_type=content_type,
            uploaded_by_id=actor.user_id,
        )
        session.flush()  # the document row first: no ORM relationship orders the two inserts
        row = BilanFile(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            area=chosen,
            name=name,
            version=int(previous or 0) + 1,
            document_id=document.id,
            uploaded_by_id=actor.user_id,
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # SQLite takes no row lock: the same name uploaded twice at the same instant
            raise FormError({"file": "files.error.same_time"}) from None
        if request is not None:
            _fulfil(session, request, row)
        audit.record(
            session,
            Audit.UPLOADED,
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="bilan",
            target_id=bilan.id,
            changes={"file": {"before": None, "after": str(row.id)}, "area": {"before": None, "after": str(chosen)}},
        )
        if chosen is FileArea.SHARED:
            _tell_the_other(session, actor, bilan, name)
        return str(row.id)


def _open_request(session: Session, bilan: Bilan, request_id: str) -> DocumentRequest:
    try:
        key = uuid.UUID(str(request_id))
    except ValueError:
        raise FormError({"request": "error.invalid_choice"}) from None
    request = session.get(DocumentRequest, key)
    if request is None or request.bilan_id != bilan.id or request.fulfilled_at is not None:
        raise FormError({"request": "files.error.request_closed"})
    return request


def _fulfil(session: Session, request: DocumentRequest, row: BilanFile) -> None:
    now = utcnow()
    request.fulfilled_by_file_id, request.fulfilled_at = row.id, now
    task = session.get(BilanTask, request.task_id)
    if task is not None and task.done_at is None:
        task.done_at = now
        session.add(task)
    session.add(request)


def _tell_the_other(session: Session, actor: Actor, bilan: Bilan, name: str) -> None:
    """A shared file: the other participant gets the "document shared" line (and mail, by their choice)."""
    other_id = bilan.consultant_id if _is_beneficiary(actor, bilan) else bilan.beneficiary_id
    other = session.get(User, other_id) if other_id else None
    if other is None:
        return
    author = session.get(User, actor.user_id)
    notify(
        session,
        other,
        "mail.document_shared",
        organisation_id=bilan.organisation_id,
        path=_space_of(other.id, bilan),
        author=author.full_name if author else "",
        filename=name,
    )


def _space_of(user_id: uuid.UUID, bilan: Bilan) -> str:
    return routes.MY_DOCUMENTS if user_id == bilan.beneficiary_id else routes.bilan_page(str(bilan.id))


def request_document(actor: Actor, bilan_id: uuid.UUID | str, label: str) -> str:
    """The bilan's assigned consultant, while it is open: asks her for a document ("merci de déposer votre
    CV"); it becomes her task and she is told. Returns the request's id."""
    text = " ".join(label.split())
    if not text:
        raise FormError({"label": "error.required"})
    if len(text) > MAX_REQUEST_CHARS:
        raise FormError({"label": "files.error.label_too_long"}, max=MAX_REQUEST_CHARS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not _is_consultant(actor, bilan):
            raise AccessDenied()
        require_open(bilan)
        task = insert_task(session, actor, bilan, text, None)
        session.flush()
        request = DocumentRequest(
            organisation_id=bilan.organisation_id, bilan_id=bilan.id, task_id=task.id, requested_by_id=actor.user_id
        )
        session.add(request)
        audit.record(
            session,
            Audit.REQUESTED,
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="bilan",
            target_id=bilan.id,
            changes={"request": {"before": None, "after": str(request.id)}},
        )
        her = session.get(User, bilan.beneficiary_id)
        author = session.get(User, actor.user_id)
        if her is not None:
            notify(
                session,
                her,
                "mail.document_requested",
                organisation_id=bilan.organisation_id,
                path=routes.MY_DOCUMENTS,
                author=author.full_name if author else "",
                label=text,
            )
        return str(request.id)


def space(actor: Actor, bilan_id: uuid.UUID | str) -> SpaceView:
    """Anyone who sees the bilan: its documents space as they may see it (her: the shared area and her
    requests; her consultant: both areas and the requests; the org admin: the areas' summaries only)."""
    settings = get_settings()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        readable = _readable_areas(actor, bilan)
        metadata_only = not readable
        if metadata_only and not can(actor, Permission.SUPERVISE_BILANS):
            raise AccessDenied()
        rows = session.exec(
            select(BilanFile, Document)
            .join(Document, col(Document.id) == BilanFile.document_id)
            .where(BilanFile.bilan_id == bilan.id)
            .order_by(col(BilanFile.name), col(BilanFile.version).desc())
        ).all()
        used = sum(document.size_bytes for _, document in rows)
        summaries = [
            AreaSummary(
                str(area),
                len(mine := [(f, d) for f, d in rows if f.area is area]),
                sum(d.size_bytes for _, d in mine),
                max((f.created_at for f, _ in mine), default=None),
            )
            for area in FileArea
        ]
        open_ = not is_closed(bilan.status)
        if metadata_only:
            return SpaceView(str(bilan.id), open_, [], [], [], [], False, True, summaries, used, 0, 0)
        people = {
            user.id: user.full_name
            for user in session.exec(select(User).where(col(User.id).in_({f.uploaded_by_id for f, _ in rows})))
        }
        files = _group([(f, d) for f, d in rows if f.area in readable], actor, people)
        requests = _requests(session, bilan)
        areas = [str(a) for a in readable] if open_ else []
        return SpaceView(
            bilan_id=str(bilan.id),
            open=open_,
            shared=[f for f in files if f.area == FileArea.SHARED],
            consultant=[f for f in files if f.area == FileArea.CONSULTANT],
            requests=requests,
            areas_to_upload=areas,
            may_request=open_ and _is_consultant(actor, bilan),
            metadata_only=False,
            summaries=summaries,
            used_bytes=used,
            limit_bytes=settings.bilan_files_max_total_bytes,
            file_limit_bytes=settings.bilan_file_max_bytes,
        )


def _group(rows: list[tuple[BilanFile, Document]], actor: Actor, people: dict[uuid.UUID, str]) -> list[FileView]:
    """Rows ordered by name, newest version first: one FileView per (area, name)."""
    grouped: dict[tuple[str, str], list[VersionView]] = {}
    for row, document in rows:
        grouped.setdefault((str(row.area), row.name), []).append(
            VersionView(
                id=str(row.id),
                version=row.version,
                size_bytes=document.size_bytes,
                content_type=document.content_type,
                previewable=document.content_type in PREVIEWABLE,
                uploaded_by=people.get(row.uploaded_by_id, "") if row.uploaded_by_id else "",
                mine=row.uploaded_by_id == actor.user_id,
                created_at=row.created_at,
            )
        )
    return [FileView(name, area, versions[0], versions[1:]) for (area, name), versions in grouped.items()]


def _requests(session: Session, bilan: Bilan) -> list[RequestView]:
    rows = session.exec(
        select(DocumentRequest, BilanTask)
        .join(BilanTask, col(BilanTask.id) == DocumentRequest.task_id)
        .where(DocumentRequest.bilan_id == bilan.id)
        .order_by(col(DocumentRequest.created_at).desc())
    ).all()
    names = {
        row.id: row.name
        for row in session.exec(
            select(BilanFile).where(col(BilanFile.id).in_([r.fulfilled_by_file_id for r, _ in rows]))
        )
    }
    return [
        RequestView(
            str(request.id),
            decrypt_text(task.title_encrypted),
            request.created_at,
            names.get(request.fulfilled_by_file_id, "") if request.fulfilled_by_file_id else "",
        )
        for request, task in rows
    ]


@dataclass(frozen=True)
class FileContent:
    name: str
    content_type: str
    content: bytes


def read_file(actor: Actor, file_id: uuid.UUID | str, *, preview: bool = False) -> FileContent:
    """The participants who may read its area (her: the shared area; her consultant: both): one version's
    content, audited (a preview too). Anyone else, the org admin included, is refused (AccessDenied);
    another organisation's file, or an unknown one, is NotFound."""
    try:
        key = uuid.UUID(str(file_id))
    except ValueError:
        raise NotFound() from None
    with session_scope() as session:
        row = session.get(BilanFile, key)
        if row is None or row.organisation_id != actor.organisation_id:
            raise NotFound()
        bilan = get_bilan(session, actor, row.bilan_id)
        if row.area not in _readable_areas(actor, bilan):
            raise AccessDenied()
        document = session.get(Document, row.document_id)
        if document is None:
            raise NotFound()
        audit.record(
            session,
            Audit.DOWNLOADED,
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="bilan",
            target_id=bilan.id,
            changes={"file": {"before": None, "after": str(row.id)}, "preview": {"before": None, "after": preview}},
        )
        return FileContent(row.name, document.content_type, read_document(document))
