"""PDF documents: Jinja2 templates rendered to A4 PDF by WeasyPrint (see ``services.pdf.render``)."""

from services.pdf.render import PDF_UA, append_pdf_pages, page_count, render_html, render_pdf

__all__ = ["PDF_UA", "append_pdf_pages", "page_count", "render_html", "render_pdf"]
