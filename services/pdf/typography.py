"""French typography: the no-break spaces of French typesetting, for the documents and the synthèse's Markdown.

``french_typography`` puts the no-break spaces French typesetting wants, so that a line never starts
with a "?" or a "»" and a number never leaves its unit:

* a narrow no-break space (U+202F) before ``; ! ?`` and ``»``, and after ``«``;
* a no-break space (U+00A0) before ``:``, after "n°", between a number and its unit (h, €, %…),
  and inside a duration ("22 h 30");
* a narrow no-break space between groups of thousands ("10 000" → "10 000").

Only spaces that are already there are changed before ``; : ! ?`` (adding one would break "10:30",
URLs and "?!"), but guillemets always get theirs: « mot » is never right without them.

``services.markdown.render_markdown(text, french=True)`` applies it to every text run of a
synthèse section's Markdown, for the PDF and for the screens' previews alike.

``breakable`` gives an unbroken run longer than any word (``LONG_RUN`` characters: "xxxx…", a pasted
URL) a zero-width break opportunity every ``BREAK_EVERY`` characters; real words keep their
hyphenation. WeasyPrint lays out a word too long for its line by re-shaping the whole
rest of the word for every line, which is quadratic in its length (a 100,000-character place took
minutes); with break opportunities it only shapes a few lines' worth of text at a time.
"""

from __future__ import annotations

import re

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
ZWSP = "\u200b"
# Narrower than the narrowest table column's line (about 16 characters at 8 pt), so that each line
# WeasyPrint shapes ends at a break opportunity of its own.
BREAK_EVERY = 12
LONG_RUN = 30  # "anticonstitutionnellement" has 25 letters
_LONG_RUN = re.compile(f"[^\\s\\-{ZWSP}]{{{LONG_RUN + 1},}}")
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


def breakable(text: str) -> str:
    """``text`` with a zero-width space every ``BREAK_EVERY`` characters of a run longer than ``LONG_RUN``."""
    if len(text) <= LONG_RUN:
        return text
    return _LONG_RUN.sub(
        lambda run: ZWSP.join(run[0][i : i + BREAK_EVERY] for i in range(0, len(run[0]), BREAK_EVERY)), text
    )
