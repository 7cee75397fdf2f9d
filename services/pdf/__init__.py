"""PDF documents: Jinja2 templates rendered to A4 PDF by WeasyPrint (see ``services.pdf.render``)."""

from services.pdf.render import append_pdf_pages, page_count, render_html, render_pdf

__all__ = ["append_pdf_pages", "page_count", "render_html", "render_pdf"]
