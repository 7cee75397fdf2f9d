"""Files at rest: Fernet-encrypted on disk under STORAGE_DIR, tracked by a Document row."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from sqlmodel import Session

from services.crypto import _cipher
from services.models import Document, DocumentKind
from services.settings import get_settings

MAX_UPLOAD_BYTES = 15 * 1024 * 1024


def _path(storage_key: str) -> Path:
    root = Path(get_settings().storage_dir)
    path = (root / storage_key).resolve()
    if root.resolve() not in path.parents:
        raise ValueError("storage key escapes the storage directory")
    return path


def store_document(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    bilan_id: uuid.UUID | None,
    kind: DocumentKind,
    filename: str,
    content: bytes,
    content_type: str = "application/pdf",
    uploaded_by_id: uuid.UUID | None = None,
) -> Document:
    """Encrypt and write the file, and add its Document row to the caller's transaction."""
    document_id = uuid.uuid4()
    storage_key = f"{organisation_id}/{document_id}.bin"
    path = _path(storage_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_cipher().encrypt(content))
    document = Document(
        id=document_id,
        organisation_id=organisation_id,
        bilan_id=bilan_id,
        kind=kind,
        filename=filename[:200],
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=storage_key,
        uploaded_by_id=uploaded_by_id,
    )
    session.add(document)
    return document


def read_document(document: Document) -> bytes:
    """The decrypted content; callers check access first (see services.access)."""
    return _cipher().decrypt(_path(document.storage_key).read_bytes())
