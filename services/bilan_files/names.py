"""A file's name as people typed it, made safe to store and to send back in a header."""

from __future__ import annotations

import unicodedata

from services.errors import FormError

MAX_NAME_CHARS = 120
_SEPARATORS = ("/", "\\")


def sanitise_name(raw: str) -> str:
    """The name kept for a file: refused (FormError on "file") with a path separator, a control character or
    nothing left, or when it is "." or ".."; else trimmed, NFC, shortened to ``MAX_NAME_CHARS`` keeping its
    extension. A browser sends the bare name, so a separator means a forged request or a hostile name."""
    name = unicodedata.normalize("NFC", raw).strip()
    if any(sep in name for sep in _SEPARATORS):
        raise FormError({"file": "files.error.name_path"})
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in name):
        raise FormError({"file": "files.error.name_control"})
    if name in {"", ".", ".."}:
        raise FormError({"file": "files.error.name_empty"})
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            name = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_CHARS].rstrip()
    return name
