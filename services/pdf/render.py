"""Render the product's documents: Jinja2 HTML templates to French A4 PDF with WeasyPrint.

* Templates live in ``services/pdf/templates``; they are autoescaped and fail on a missing variable.
* Fonts come from the system fontconfig (DejaVu Sans), also inside the ``@page`` margin boxes.
* Output is deterministic: the same template and context give the same bytes. The PDF dates come
  from ``context["created"]`` (an aware datetime) and never from the clock, so a stored document
  can be re-rendered and compared byte for byte.
* ``append_pdf_pages`` adds pages to a finished PDF as an *incremental update*: the original bytes
  are kept unchanged at the start of the result, so whoever holds the result can prove what was
  signed by hashing its first ``len(original)`` bytes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Fixed date of documents whose context gives none (keeps the output reproducible).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

# WeasyPrint and fontTools log font-subsetting chatter at INFO/WARNING; keep our logs readable.
logging.getLogger("fontTools").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _w3c_date(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("document dates must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def render_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The template rendered to HTML; ``created`` (aware datetime) becomes the document's date."""
    created = context.get("created") or EPOCH
    values = {**context, "pdf_created": _w3c_date(created)}
    return _environment().get_template(template_name).render(values)


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """An A4 PDF of the template; identical inputs give identical bytes."""
    html = render_html(template_name, context)
    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def append_pdf_pages(original: bytes, extra: bytes) -> bytes:
    """``original`` followed by the pages of ``extra``, written as an incremental update.

    The result starts with ``original`` byte for byte; a reader shows every page of both.
    """
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    for page in PdfReader(io.BytesIO(extra)).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = out.getvalue()
    if not result.startswith(original):  # pragma: no cover - pypdf guarantees it in incremental mode
        raise RuntimeError("the incremental update did not keep the original bytes")
    return result
