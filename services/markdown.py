"""Markdown to safe HTML (markdown-it-py, CommonMark), for the synthèse's previews and pages.

Raw HTML typed in the text is escaped, never passed through; links keep only the schemes
markdown-it accepts (no ``javascript:``, ``vbscript:``, ``file:``, ``data:``) and never send a referrer;
images are off (the app loads nothing from elsewhere). Headings are shifted down by ``heading_offset``
so that a "# Titre" in a section sits under the page's own headings (h1 of the page, h2/h3 sections).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_HEADING = 6


def _heading_renderer(offset: int) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        level = min(MAX_HEADING, int(token.tag[1:]) + offset)
        token.tag = f"h{level}"
        return self.renderToken(tokens, idx, options, env)

    return render


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=8)
def _parser(heading_offset: int) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")
    parser.add_render_rule("heading_open", _heading_renderer(heading_offset))
    parser.add_render_rule("heading_close", _heading_renderer(heading_offset))
    parser.add_render_rule("link_open", _link_open)
    return parser


def render_markdown(text: str, *, heading_offset: int = 2) -> str:
    """The HTML of ``text`` ("" for blank text); safe to insert in a page."""
    if not text.strip():
        return ""
    return _parser(max(0, heading_offset)).render(text)
