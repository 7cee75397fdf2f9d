"""Render the product's documents: Jinja2 HTML templates to French A4 PDF with WeasyPrint.

* Templates live in ``services/pdf/templates``; they are autoescaped and fail on a missing variable.
* Fonts ship with the app (``services/pdf/fonts``: DejaVu Sans as ``BilanSans``, DejaVu Sans Mono as
  ``BilanMono``), declared by ``@font-face`` with absolute ``file://`` URLs (the ``font_faces``
  template global), also inside the ``@page`` margin boxes: the output never depends on the fonts
  the system has.
* PDFs are tagged for accessibility (PDF/UA-1: structure tree, document language, title) unless a
  caller asks for another ``variant``.
* A document fetches nothing but the shipped fonts and inline ``data:`` images (a logo): not the
  network, nor any other file, whatever a text written in a bilan contains.
* The ``french`` filter adds the no-break spaces of French typography (``services.pdf.typography``).
* Output is deterministic: the same template and context give the same bytes. The PDF dates come
  from ``context["created"]`` (an aware datetime) and never from the clock, so a stored document
  can be re-rendered and compared byte for byte.
* WeasyPrint runs in a child process forked from a ``forkserver`` (which has WeasyPrint imported
  once), under a time limit (``PDF_RENDER_TIMEOUT_SECONDS``): a document that takes longer is killed
  and refused with ``pdf.render_timeout``, so no text can hold a worker (WeasyPrint cannot be
  interrupted in a thread). The child starts from the forkserver's clean state, never from a copy of
  the threaded server.
* ``append_pdf_pages`` adds pages to a finished PDF as an *incremental update*: the original bytes
  are kept unchanged at the start of the result, so whoever holds the result can prove what was
  signed by hashing its first ``len(original)`` bytes.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup, escape
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from services.errors import ServiceError
from services.pdf.typography import breakable, french_typography
from services.settings import get_settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PDF_UA = "pdf/ua-1"
# (CSS family, file, weight, style): the only fonts a document uses.
FONT_FACES = (
    ("BilanSans", "DejaVuSans.ttf", "normal", "normal"),
    ("BilanSans", "DejaVuSans-Bold.ttf", "bold", "normal"),
    ("BilanSans", "DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("BilanSans", "DejaVuSans-BoldOblique.ttf", "bold", "italic"),
    ("BilanMono", "DejaVuSansMono.ttf", "normal", "normal"),
)
DEFAULT_COLOUR = "#1d4ed8"
# Fixed date of documents whose context gives none (keeps the output reproducible).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

log = logging.getLogger("bilan.pdf")

# WeasyPrint and fontTools log font-subsetting chatter at INFO/WARNING; keep our logs readable.
logging.getLogger("fontTools").setLevel(logging.ERROR)


def font_faces_css() -> str:
    """The ``@font-face`` rules of the shipped fonts, with absolute ``file://`` URLs."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONTS_DIR / name).as_uri()}") format("truetype"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in FONT_FACES
    )


class _LocalFetcher(URLFetcher):
    """Fetches the shipped fonts and ``data:`` URLs only; anything else is refused (and left out)."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(FONTS_DIR):
                return super().fetch(url, headers)
        raise ValueError("documents fetch only the shipped fonts and data: URLs")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    environment.globals["font_faces"] = Markup(font_faces_css())  # noqa: S704 - our own constant CSS
    environment.filters["french"] = french_typography
    environment.filters["unbroken"] = _unbroken
    return environment


def _finalize(value: Any) -> Any:
    """Every printed plain string gets break opportunities in its over-long runs (linear layout)."""
    return breakable(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _unbroken(value: Any) -> Markup:
    """A value printed whole (a fingerprint, a URL to copy, the metadata): escaped here, left alone by finalize."""
    return escape(value)


def _w3c_date(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("document dates must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def render_html(template_name: str, context: Mapping[str, Any]) -> str:
    """The template rendered to HTML; ``created`` (aware datetime) becomes the document's date."""
    created = context.get("created") or EPOCH
    values = {**context, "pdf_created": _w3c_date(created)}
    return _environment().get_template(template_name).render(values)


def _write_pdf(html: str, variant: str | None) -> bytes:
    document = HTML(string=html, base_url=str(TEMPLATES_DIR), url_fetcher=_LocalFetcher())
    return document.write_pdf(pdf_variant=variant)


def _child(connection: Any, html: str, variant: str | None) -> None:
    """In the render process: send back ``(True, pdf)`` or ``(False, description of the failure)``."""
    try:
        connection.send((True, _write_pdf(html, variant)))
    except Exception as exc:
        connection.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


@lru_cache(maxsize=1)
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["services.pdf.warm"])  # each render forks with WeasyPrint warm
    return context


def write_pdf(html: str, *, variant: str | None = PDF_UA, timeout: float | None = None) -> bytes:
    """The PDF of ``html``, written in a child process killed after ``timeout`` seconds (settings by default).

    Raises ``ServiceError("pdf.render_timeout")`` when the time is up.
    """
    limit = get_settings().pdf_render_timeout_seconds if timeout is None else timeout
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, html, variant), daemon=True)
    try:
        process.start()
    finally:
        sender.close()  # the child holds its own end: a dead child then reads as EOF here
    try:
        if not receiver.poll(limit):
            log.warning("PDF rendering stopped after %s s", limit)
            raise ServiceError("pdf.render_timeout")
        ok, payload = receiver.recv()
    except EOFError as exc:  # the child died without answering (killed, out of memory)
        raise RuntimeError("the PDF render process died") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if not ok:
        raise RuntimeError(f"PDF rendering failed: {payload}")
    return payload


def render_pdf(
    template_name: str, context: Mapping[str, Any], *, variant: str | None = PDF_UA, timeout: float | None = None
) -> bytes:
    """An A4 PDF of the template; identical inputs give identical bytes.

    ``variant`` is WeasyPrint's ``pdf_variant``: tagged PDF/UA-1 by default, ``None`` for a plain PDF.
    ``timeout``: see ``write_pdf``.
    """
    return write_pdf(render_html(template_name, context), variant=variant, timeout=timeout)


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
