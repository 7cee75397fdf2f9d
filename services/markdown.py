"""Markdown to safe HTML (markdown-it-py: CommonMark, plus tables and strikethrough), for every use.

The one place the app turns a synthèse text into HTML: the editor's live previews, the beneficiary's
page and the PDF documents (``services.documents.synthese``) all call ``render_markdown``, so a preview
shows what will be printed. The same rules hold everywhere:

* raw HTML typed in the text is escaped, never passed through;
* links keep only the schemes markdown-it's ``validateLink`` accepts (no ``javascript:``,
  ``vbscript:``, ``file:``, nor ``data:`` but for a few image types) and never send a referrer
  (``rel="nofollow noopener noreferrer"``);
* an image becomes its alternative text: neither a page nor a document loads anything from elsewhere;
* headings are renumbered so that the text's highest one becomes ``h{top_level}`` and each level
  below it comes one at a time ("#" then "###" gives h3, h4): a "# Titre" sits right under the
  section's own heading and no level is skipped (axe's ``heading-order``, PDF/UA);
* with ``french=True`` every text run gets the no-break spaces of French typography
  (``services.pdf.typography.french_typography``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

from services.pdf.typography import french_typography

MAX_HEADING = 6
LINK_REL = "nofollow noopener noreferrer"


def _typeset_text(state: StateCore) -> None:
    if not state.env.get("french"):
        return
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_typography(child.content)


def _renumber_headings(state: StateCore) -> None:
    """Headings start at ``top_level`` and go down one level at a time: "#" then "###" gives h3, h4."""
    top: int = state.env["top_level"]
    open_levels: list[tuple[int, int]] = []  # (Markdown level, HTML level) of the enclosing headings
    tag = ""
    for token in state.tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
            while open_levels and open_levels[-1][0] >= level:
                open_levels.pop()
            html_level = min(MAX_HEADING, open_levels[-1][1] + 1) if open_levels else top
            open_levels.append((level, html_level))
            tag = token.tag = f"h{html_level}"
        elif token.type == "heading_close":
            token.tag = tag


def _image_as_text(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(escape(renderer.renderInlineAsText(tokens[idx].children or [], options, env)))


def _link_open(renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    tokens[idx].attrSet("rel", LINK_REL)
    return renderer.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.core.ruler.push("french_typography", _typeset_text)
    parser.core.ruler.push("renumber_headings", _renumber_headings)
    parser.add_render_rule("image", _image_as_text)
    parser.add_render_rule("link_open", _link_open)
    return parser


def render_markdown(text: str, *, top_level: int = 3, french: bool = False) -> str:
    """The HTML of ``text`` ("" for blank text); safe to insert in a page or a document.

    ``top_level`` is the level of the text's highest heading: one below the heading of the section
    the text sits in (3 under an h2). ``french`` applies French typography to the text.
    """
    if not text or not text.strip():
        return ""
    env = {"top_level": min(MAX_HEADING, max(1, top_level)), "french": french}
    return _parser().render(text, env)
