"""The bilan's documents space (issue 14 §4): files shared both ways, the consultant's own, requests.

See ``space`` for who reads what; ``names`` for the names kept. The type sniffing is shared with the
messaging (``services.filetypes``); the bytes are stored by ``services.storage``."""

from services.bilan_files.names import MAX_NAME_CHARS, sanitise_name
from services.bilan_files.space import (
    AreaSummary,
    FileContent,
    FileView,
    RequestView,
    SpaceView,
    VersionView,
    read_file,
    request_document,
    space,
    upload,
)

__all__ = [
    "MAX_NAME_CHARS",
    "AreaSummary",
    "FileContent",
    "FileView",
    "RequestView",
    "SpaceView",
    "VersionView",
    "read_file",
    "request_document",
    "sanitise_name",
    "space",
    "upload",
]
