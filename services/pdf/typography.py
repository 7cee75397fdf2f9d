"""French typography for the PDF documents, and Markdown rendered to safe HTML.

``french_typography`` puts the no-break spaces French typesetting wants, so that a line never starts
with a "?" or a "»" and a number never leaves its unit:

* a narrow no-break space (U+202F) before ``; ! ?`` and ``»``, and after ``«``;
* a no-break space (U+00A0) before ``:``, after "n°", between a number and its unit (h, €, %…),
  and inside a duration ("22 h 30");
* a narrow no-break space between groups of thousands ("10 000" → "10 000").

Only spaces that are already there are changed before ``; : ! ?`` (adding one would break "10:30",
URLs and "?!"), but guillemets always get theirs: « mot » is never right without them.

``markdown_html`` renders the Markdown of a synthèse section (CommonMark, plus tables and
strikethrough) to HTML that is safe to put in a document: raw HTML is escaped, images are replaced by
their alternative text (a document fetches nothing), links keep only web and mail schemes (the
parser refuses ``javascript:``, ``file:`` and ``data:``), headings are renumbered below the
section's own heading without skipping a level, and every text run goes through ``french_typography``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = f" \t{NBSP}{NNBSP}"

_BEFORE_TALL_PUNCTUATION = re.compile(f"[{_SPACES}]+([;!?])")
_BEFORE_COLON = re.compile(f"[{_SPACES}]+:")
_AFTER_OPENING_GUILLEMET = re.compile(f"«(?:[{_SPACES}]+|(?=\\S))")
_BEFORE_CLOSING_GUILLEMET = re.compile(f"(?:[{_SPACES}]+|(?<=\\S))»")
_NUMERO = re.compile(f"\\b([nN]°)[{_SPACES}]+(?=\\w)")
_THOUSANDS = re.compile(f"(?<=\\d)[ {NBSP}](?=\\d{{3}}(?!\\d))")
_UNIT = re.compile(f"(?<=\\d)[{_SPACES}]+(?=(?:h|min|heures?|minutes?|jours?|semaines?|mois|ans?|€|%|euros?)(?!\\w))")
_MINUTES_AFTER_HOURS = re.compile(f"(?<=\\d{NBSP}h)[{_SPACES}]+(?=\\d{{2}}(?!\\d))")  # "22 h 30"


def french_typography(text: str) -> str:
    """``text`` with the no-break spaces of French typography (see the module docstring)."""
    if not text:
        return text
    text = _BEFORE_TALL_PUNCTUATION.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NNBSP + "»", text)
    text = _NUMERO.sub(r"\1" + NBSP, text)
    # Twice: "1 000 000" overlaps, and a regex match cannot reuse the digits of the previous one.
    text = _THOUSANDS.sub(NNBSP, _THOUSANDS.sub(NNBSP, text))
    return _MINUTES_AFTER_HOURS.sub(NBSP, _UNIT.sub(NBSP, text))


def _typeset_text(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_typography(child.content)


def _renumber_headings(state: StateCore) -> None:
    """Headings start at ``top_level`` and go down one level at a time: "#" then "###" gives h3, h4.

    A document must not skip a heading level (PDF/UA), and a section's own heading is above them.
    """
    top: int = state.env.get("top_level", 1)
    open_levels: list[tuple[int, int]] = []  # (Markdown level, HTML level) of the enclosing headings
    tag = ""
    for token in state.tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
            while open_levels and open_levels[-1][0] >= level:
                open_levels.pop()
            html_level = min(6, open_levels[-1][1] + 1) if open_levels else top
            open_levels.append((level, html_level))
            tag = token.tag = f"h{html_level}"
        elif token.type == "heading_close":
            token.tag = tag


def _image_as_text(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(escape(renderer.renderInlineAsText(tokens[idx].children or [], options, env)))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    parser.core.ruler.push("french_typography", _typeset_text)
    parser.core.ruler.push("renumber_headings", _renumber_headings)
    parser.add_render_rule("image", _image_as_text)
    return parser


def markdown_html(text: str, *, top_level: int = 3) -> Markup:
    """Safe HTML of ``text``; its highest heading becomes ``h{top_level}`` (h3 under a section's h2)."""
    return Markup(_markdown().render(text or "", {"top_level": top_level}))  # noqa: S704 - escaped by the parser
