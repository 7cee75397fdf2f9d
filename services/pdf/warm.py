"""Imported once by the PDF forkserver (``services.pdf.render``): WeasyPrint with its caches filled.

Importing this module renders a small document with every shipped font, so that each render process
forked from the server starts with fonts, styles and hyphenation already loaded rather than cold.
"""

from __future__ import annotations

import logging

from services.pdf.render import DEFAULT_COLOUR, PDF_UA, _write_pdf, render_html

try:
    _write_pdf(render_html("warm.html", {"brand": {"colour": DEFAULT_COLOUR}}), PDF_UA)
except Exception:  # a cold start is only slower; the forkserver must come up anyway
    logging.getLogger("bilan.pdf").exception("warming WeasyPrint up failed")
