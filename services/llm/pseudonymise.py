"""Pseudonymisation of what is sent to a provider, and restoration of what comes back.

Before a prompt leaves the platform, the identifying parts of its text are replaced with stable
placeholders:

* people: the beneficiary and the consultant (from the database) and any capitalised name the caller
  adds. A person's full name becomes ``[PERSONNE_1]``, their first name alone ``[PERSONNE_1_PRENOM]``
  and their last name alone ``[PERSONNE_1_NOM]``, so the model can still tell who is who;
* e-mail addresses ``[EMAIL_n]``, French phone numbers ``[TELEPHONE_n]``;
* postal addresses (a number and a street type, with the postcode and town that follow), a postcode
  with its town, and a bare postcode: ``[ADRESSE_n]``;
* employers (the places of the parcours): ``[EMPLOYEUR_n]``.

The same value always gets the same placeholder within one ``Pseudonymiser``; ``restore()`` puts the
originals back into the answer (text, or any JSON-like structure). Names are matched whatever their
case but only where they start with a capital ("Claire" is a name, "une idée claire" is not).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PERSONNE = "PERSONNE"
    EMAIL = "EMAIL"
    TELEPHONE = "TELEPHONE"
    ADRESSE = "ADRESSE"
    EMPLOYEUR = "EMPLOYEUR"


PLACEHOLDER = re.compile(r"\[\s*(PERSONNE|EMAIL|TELEPHONE|ADRESSE|EMPLOYEUR)_(\d+)(?:_(PRENOM|NOM))?\s*\]")

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = r"[\w'’-]"
_CAPITALISED = rf"[{_UPPER}]{_WORD}*"

EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?![\w-])")
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 6...
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_STREET_TYPES = (
    r"rue|avenue|av\.?|boulevard|bd|place|pl\.|chemin|ch\.|impasse|imp\.|all[ée]e|route|rte|quai|cours|square"
    r"|voie|passage|faubourg|fbg|rond-point|r[ée]sidence|lieu-dit|hameau|esplanade|parvis|promenade|sentier"
    r"|villa|cit[ée]|lotissement|mont[ée]e|traverse|zone"
)
_CONNECTOR = r"(?:de|du|des|la|le|les|et|aux|au|sur|sous|en|l['’]|d['’])"
_TOWN = rf"{_CAPITALISED}(?:[\s-](?:(?:sur|sous|en|lès|les|le|la|de|du|des)[\s-])?{_CAPITALISED})*"
_POSTCODE = r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}"
ADDRESS = re.compile(
    rf"(?<![\w,.])\d{{1,4}}(?:\s?(?i:bis|ter|quater))?,?\s+(?i:{_STREET_TYPES})(?![\w])"
    rf"(?:\s+(?:{_CONNECTOR}\s*)*(?:{_CAPITALISED}|\d+))*"
    rf"(?:,?\s+{_POSTCODE}(?!\d)(?:\s+{_TOWN})?)?"
)
POSTCODE_TOWN = re.compile(rf"(?<![\w,.]){_POSTCODE}(?!\d)\s+{_TOWN}")
# A bare postcode, unless it is obviously an amount or a distance.
POSTCODE = re.compile(rf"(?<![\w,.]){_POSTCODE}(?![\w])(?!\s*(?:€|euros?\b|EUR\b|k€|km\b|%))")


def _constant(value: str) -> Callable[[re.Match[str]], str]:
    """A replacement that ignores the match."""
    return lambda _match: value


def _outside_placeholders(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> str:
    """``pattern.sub`` applied only to the text between placeholders already set."""
    pieces: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(pattern.sub(replace, text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(pattern.sub(replace, text[last:]))
    return "".join(pieces)


def _literal(value: str) -> str:
    """A regex matching ``value`` as a whole word sequence, whatever its spacing and case."""
    words = [re.escape(word) for word in value.split()]
    return r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])"


class Pseudonymiser:
    """Replaces identifying values with placeholders and puts them back (one per prompt)."""

    def __init__(self, *, names: Iterable[str] = (), employers: Iterable[str] = ()) -> None:
        self._originals: dict[str, str] = {}  # placeholder -> original text
        self._by_value: dict[tuple[Kind, str], str] = {}  # (kind, normalised value) -> placeholder
        self._counters: dict[Kind, int] = {}
        self._names: list[tuple[str, str]] = []  # (surface, placeholder), longest first
        self._employers: list[tuple[str, str]] = []
        self.add_names(names)
        self.add_employers(employers)

    # ------------------------------------------------------------ registration

    def _placeholder(self, kind: Kind, value: str, suffix: str = "") -> str:
        key = (kind, " ".join(value.split()).casefold() + (f"#{suffix}" if suffix else ""))
        found = self._by_value.get(key)
        if found is None:
            self._counters[kind] = self._counters.get(kind, 0) + 1
            found = f"[{kind}_{self._counters[kind]}{'_' + suffix if suffix else ''}]"
            self._by_value[key] = found
            self._originals[found] = value
        return found

    def add_names(self, names: Iterable[str]) -> None:
        """People's names: the full name and each of its parts get linked placeholders."""
        for raw in names:
            name = " ".join((raw or "").split())
            if len(name) < 2:
                continue
            full = self._placeholder(Kind.PERSONNE, name)
            number = full[1:-1].split("_")[1]
            self._names.append((name, full))
            parts = name.split(" ")
            if len(parts) > 1:
                first, last = parts[0], " ".join(parts[1:])
                for part, suffix in ((first, "PRENOM"), (last, "NOM")):
                    if len(part) < 2:
                        continue
                    key = (Kind.PERSONNE, part.casefold())
                    if key in self._by_value:  # the part is already someone's name
                        continue
                    placeholder = f"[PERSONNE_{number}_{suffix}]"
                    self._by_value[key] = placeholder
                    self._originals[placeholder] = part
                    self._names.append((part, placeholder))
        self._names.sort(key=lambda item: -len(item[0]))

    def add_employers(self, employers: Iterable[str]) -> None:
        for raw in employers:
            employer = " ".join((raw or "").split())
            if len(employer) < 2:
                continue
            self._employers.append((employer, self._placeholder(Kind.EMPLOYEUR, employer)))
        self._employers.sort(key=lambda item: -len(item[0]))

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original value (what ``restore`` puts back)."""
        return dict(self._originals)

    # ------------------------------------------------------------ the two directions

    def _by_pattern(self, kind: Kind) -> Callable[[re.Match[str]], str]:
        return lambda match: self._placeholder(kind, match.group(0))

    def pseudonymise(self, text: str) -> str:
        """The text with every identifying value replaced by its placeholder."""
        text = _outside_placeholders(text, EMAIL, self._by_pattern(Kind.EMAIL))
        text = _outside_placeholders(text, PHONE, self._by_pattern(Kind.TELEPHONE))
        text = _outside_placeholders(text, ADDRESS, self._by_pattern(Kind.ADRESSE))
        text = _outside_placeholders(text, POSTCODE_TOWN, self._by_pattern(Kind.ADRESSE))
        text = _outside_placeholders(text, POSTCODE, self._by_pattern(Kind.ADRESSE))
        for employer, placeholder in self._employers:
            text = _outside_placeholders(text, re.compile(_literal(employer), re.IGNORECASE), _constant(placeholder))
        for name, placeholder in self._names:

            def _name(match: re.Match[str], p: str = placeholder) -> str:
                # "Claire" is a name, "une idée claire" is not.
                return p if match.group(0)[0].isupper() else match.group(0)

            text = _outside_placeholders(text, re.compile(_literal(name), re.IGNORECASE), _name)
        return text

    def restore(self, text: str) -> str:
        """The text with every known placeholder replaced by its original (unknown ones stay)."""

        def _original(match: re.Match[str]) -> str:
            key = f"[{match.group(1)}_{match.group(2)}{'_' + match.group(3) if match.group(3) else ''}]"
            return self._originals.get(key, match.group(0))

        return PLACEHOLDER.sub(_original, text)

    def restore_data(self, data: Any) -> Any:
        """``restore`` applied to every string of a JSON-like structure (dicts, lists)."""
        if isinstance(data, str):
            return self.restore(data)
        if isinstance(data, list):
            return [self.restore_data(item) for item in data]
        if isinstance(data, dict):
            return {key: self.restore_data(value) for key, value in data.items()}
        return data
