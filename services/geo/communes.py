"""The official list of French communes, searched locally by name, postcode or INSEE code.

The list is INSEE's Code officiel géographique with La Poste's postcodes, as published by the French
administration (Etalab) in the npm package ``@etalab/decoupage-administratif`` (data under the Licence
Ouverte, code MIT). ``make install`` fetches it into ``tools/node_modules`` (pinned in
``tools/package.json``); it is read from there at run time and never copied into the repository.

Only current communes (``commune-actuelle``) are offered. The municipal arrondissements of Paris, Lyon
and Marseille are not: their postcodes (69001…69009) find the whole city, whose INSEE code (69123) is
the one France Travail's offer search and La Bonne Boîte take, with a radius. An arrondissement's code
(69381) or a merged commune's former code still resolves to the current commune (``get``).

The index is built once per process, on first use (about half a second), then shared by every thread.
"""

from __future__ import annotations

import bisect
import heapq
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.errors import ServiceError
from services.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

PACKAGE = "@etalab/decoupage-administratif"
DATA_FILE = PROJECT_ROOT / "tools" / "node_modules" / "@etalab" / "decoupage-administratif" / "data" / "communes.json"
CURRENT = "commune-actuelle"
ARRONDISSEMENT = "arrondissement-municipal"
MIN_QUERY = 2  # characters (folded) before anything is suggested
MAX_QUERY = 80
POSTCODES_SHOWN = 3

# "St" and "Ste" are how "Saint" and "Sainte" are commonly abbreviated (on letters, signs, La Poste).
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_INSEE_CODE = re.compile(r"^(\d{5}|2[ab]\d{3})$")
# What the list itself shows, typed back: "Lyon (69)" or "Saint-Denis (974)".
_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.*?)\s*\((?P<dep>\d[\dAaBb]\d?)\)\s*$")


class CommunesUnavailable(ServiceError):
    """The list is not installed (``npm ci --prefix tools``, which ``make install`` runs)."""

    code = "communes.error.unavailable"


@dataclass(frozen=True)
class Commune:
    code: str  # INSEE code, "69123"
    name: str  # official spelling, "Saint-Étienne"
    departement: str  # "42", "2A", "974"
    postcodes: tuple[str, ...]
    population: int

    @property
    def label(self) -> str:
        """ "Lyon (69)": what is stored with the code and shown back."""
        return f"{self.name} ({self.departement})"

    def describe(self, postcode: str = "") -> str:
        """ "Saint-Étienne (42) — 42000, 42100, 42230", the matched ``postcode`` first when there are many."""
        codes = [postcode, *(code for code in self.postcodes if code != postcode)] if postcode else self.postcodes
        shown = ", ".join(codes[:POSTCODES_SHOWN]) + ("…" if len(codes) > POSTCODES_SHOWN else "")
        return f"{self.label} — {shown}" if shown else self.label


@dataclass(frozen=True)
class Match:
    commune: Commune
    postcode: str = ""  # the postcode that matched, when the query was one
    exact: bool = False  # the whole name, a whole postcode or the INSEE code: not just a start

    @property
    def text(self) -> str:
        return self.commune.describe(self.postcode)


def fold(text: str) -> str:
    """Lower case, no accents, every separator as one space, St/Ste spelt out: "St-Étienne" → "saint etienne"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = _NOT_ALNUM.sub(" ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _compact(folded: str) -> str:
    return folded.replace(" ", "")


class CommuneIndex:
    """Sorted keys searched by prefix with ``bisect``: names without separators ("lhaylesroses"), each
    word's tail ("roses", so a name is found from any of its words), postcodes and INSEE codes."""

    def __init__(self, communes: Iterable[Commune], aliases: dict[str, str]) -> None:
        self.communes = sorted(communes, key=lambda c: c.code)
        self._by_code = {commune.code: commune for commune in self.communes}
        self._rank = {commune.code: rank for rank, commune in enumerate(self.communes)}
        self._aliases = {old: new for old, new in aliases.items() if old not in self._by_code and new in self._by_code}
        names: list[tuple[str, int, int]] = []  # (key, word position, commune's rank in self.communes)
        codes: list[tuple[str, int]] = []
        self._full_names: list[str] = []
        for rank, commune in enumerate(self.communes):
            words = fold(commune.name).split()
            for position in range(len(words)):
                names.append(("".join(words[position:]), position, rank))
            self._full_names.append(names[-len(words)][0])
            codes.extend((postcode, rank) for postcode in commune.postcodes)
        names.sort()
        codes.sort()
        self._names, self._name_keys = names, [key for key, _, _ in names]
        self._codes, self._code_keys = codes, [key for key, _ in codes]

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> CommuneIndex:
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.error("The list of communes cannot be read at %s (%s): run `npm ci --prefix tools`", path, exc)
            raise CommunesUnavailable() from exc
        communes, aliases = [], {}
        for row in rows:
            if row.get("type") == CURRENT and row.get("codesPostaux"):
                communes.append(
                    Commune(
                        code=row["code"],
                        name=row["nom"],
                        departement=row["departement"],
                        postcodes=tuple(row["codesPostaux"]),
                        population=int(row.get("population") or 0),
                    )
                )
                for old in row.get("anciensCodes", ()):
                    aliases[old] = row["code"]
            elif row.get("type") == ARRONDISSEMENT and row.get("commune"):
                aliases[row["code"]] = row["commune"]
        if not communes:
            log.error("The list of communes at %s holds no current commune", path)
            raise CommunesUnavailable()
        return cls(communes, aliases)

    def __len__(self) -> int:
        return len(self.communes)

    def get(self, code: str) -> Commune | None:
        """The current commune of an INSEE code (an arrondissement's or a former commune's code: its commune)."""
        code = code.strip().upper()
        return self._by_code.get(code) or self._by_code.get(self._aliases.get(code, ""))

    def _prefixed(self, keys: list[str], prefix: str) -> range:
        start = bisect.bisect_left(keys, prefix)
        return range(start, bisect.bisect_left(keys, prefix + "\x7f", lo=start))

    def search(self, query: str, limit: int = 10) -> list[Match]:
        """Communes for what she typed, best first: a name (exact, then starting with it, then one of its
        words starting with it; accents, case, hyphens, spaces, apostrophes and St/Ste ignored), a postcode
        or its start, or an INSEE code. Ties go to the larger population. "Lyon (69)" narrows to a département."""
        text = " ".join(query.split())[:MAX_QUERY]
        departement = ""
        if found := _WITH_DEPARTEMENT.match(text):
            text, departement = found["name"], found["dep"].upper()
        folded = fold(text)
        key = _compact(folded)
        if len(key) < MIN_QUERY:
            return []
        best: dict[int, tuple[int, str]] = {}  # rank in self.communes → (quality, matched postcode)
        if key.isdigit() or _INSEE_CODE.match(key):
            for position in self._prefixed(self._code_keys, key):
                postcode, rank = self._codes[position]
                best.setdefault(rank, (0 if postcode == key else 1, postcode))
            # A person types a postcode far more often than an INSEE code: when the number is both, the
            # postcode's commune comes first and alone designates it ("42100": Saint-Étienne, not 42100).
            commune = self.get(key)
            if commune is not None:
                postcode_exact = any(quality == 0 for quality, _ in best.values())
                best.setdefault(self._rank[commune.code], (1 if postcode_exact else 0, ""))
        else:
            for position in self._prefixed(self._name_keys, key):
                _, word, rank = self._names[position]
                quality = (0 if self._full_names[rank] == key else 1) if word == 0 else 2
                if rank not in best or quality < best[rank][0]:
                    best[rank] = (quality, "")
        candidates = (
            (quality, -self.communes[rank].population, self.communes[rank].name, rank, postcode)
            for rank, (quality, postcode) in best.items()
            if not departement or self.communes[rank].departement == departement
        )
        return [
            Match(self.communes[rank], postcode, exact=quality == 0)
            for quality, _, _, rank, postcode in heapq.nsmallest(limit, candidates)
        ]

    def resolve(self, query: str) -> tuple[Commune | None, list[Match]]:
        """The one commune that what she typed designates (the only exact match, or the only match),
        else None with the candidates (none: nothing matches; several: she must choose)."""
        matches = self.search(query)
        exact = [match for match in matches if match.exact]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0].commune, matches
        return None, matches


_index: CommuneIndex | None = None
_lock = threading.Lock()


def index() -> CommuneIndex:
    """The process-wide index, built on first use (CommunesUnavailable when the list is missing)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = CommuneIndex.load()
    return _index


def search(query: str, limit: int = 10) -> list[Match]:
    return index().search(query, limit)


def get(code: str) -> Commune | None:
    return index().get(code)


def resolve(query: str) -> tuple[Commune | None, list[Match]]:
    return index().resolve(query)
