"""Search over the métiers and appellations, and over the skills, of the installed référentiel.

Insensitive to case and accents, word-prefix matching ("boul" finds "Boulanger") and fuzzy matching on
misspelled words ("bolangère", "informaticein") through word trigrams (Dice similarity, as pg_trgm).

The ~15,000 métier labels and the ~30,000 skill labels are indexed in memory once per référentiel
version (and per database), each on first use, so a search
is one cheap query (which version is current?) plus pure Python work: the same speed on SQLite and on
PostgreSQL. Importing a new version invalidates the index (``invalidate_cache``), and another process's
import is noticed through the version row.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.db import get_engine
from services.models.rome import RomeAppellation, RomeItem, RomeItemKind, RomeMetier
from services.rome.metiers import current_version_key

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Words too common in labels to rank on when the query has others.
STOPWORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "un", "une"})
_CODE_ROME = re.compile(r"^[a-n]\d{4}$")

MIN_SCORE = 0.35
FUZZY_MIN_DICE = 0.45
FUZZY_WEIGHT = 0.85


def normalise(text: str) -> str:
    """Lowercase, accents stripped, every non-alphanumeric run replaced by one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", stripped).strip()


def trigrams(word: str) -> frozenset[str]:
    """The trigrams of one word, padded like pg_trgm: two spaces before, one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@dataclass(frozen=True)
class SearchHit:
    code_rome: str
    libelle: str  # the métier's label
    appellation: str | None  # the appellation that matched (None: the métier label matched)
    code_ogr_appellation: str | None
    score: float


@dataclass(frozen=True)
class SkillHit:
    code_ogr: str
    libelle: str
    kind: RomeItemKind
    score: float


@dataclass(frozen=True)
class _Label:
    key: str  # what a hit stands for: the code ROME, or the skill's code OGR
    title: str  # the métier's or the skill's own label
    appellation: str | None  # an alternative label of the same key (a métier's appellation)
    code_ogr: str | None
    words: tuple[str, ...]
    short: bool = False  # libelle_appellation_court, when it differs from the long label


class _Index:
    def __init__(self, labels: list[_Label]) -> None:
        self.labels = labels
        word_labels: dict[str, list[int]] = {}
        for index, label in enumerate(labels):
            for word in set(label.words):
                word_labels.setdefault(word, []).append(index)
        self.vocabulary = sorted(word_labels)
        self.word_labels = [word_labels[word] for word in self.vocabulary]
        self.trigram_count: list[int] = []
        postings: dict[str, list[int]] = {}
        for word_id, word in enumerate(self.vocabulary):
            grams = trigrams(word)
            self.trigram_count.append(len(grams))
            for gram in grams:
                postings.setdefault(gram, []).append(word_id)
        self.postings = postings
        self.titles = {label.key: label.title for label in labels if label.appellation is None}

    def word_scores(self, word: str) -> dict[int, float]:
        """Vocabulary word id -> how well it matches the query word (1 exact, <1 prefix or fuzzy)."""
        scores: dict[int, float] = {}
        start = bisect_left(self.vocabulary, word)
        for word_id in range(start, len(self.vocabulary)):
            candidate = self.vocabulary[word_id]
            if not candidate.startswith(word):
                break
            scores[word_id] = 1.0 if candidate == word else 0.75 + 0.2 * len(word) / len(candidate)
        if len(word) >= 3:
            grams = trigrams(word)
            shared: Counter[int] = Counter()
            for gram in grams:
                shared.update(self.postings.get(gram, ()))
            size = len(grams)
            for word_id, common in shared.items():
                dice = 2 * common / (size + self.trigram_count[word_id])
                if dice >= FUZZY_MIN_DICE:
                    score = FUZZY_WEIGHT * dice
                    if score > scores.get(word_id, 0.0):
                        scores[word_id] = score
        return scores

    def rank(self, query: str, limit: int) -> list[tuple[float, _Label]]:
        """The best label of each key, best first: (score, label)."""
        norm = normalise(query)
        if _CODE_ROME.match(norm) and norm.upper() in self.titles:
            code = norm.upper()
            return [(1.0, _Label(code, self.titles[code], None, None, ()))]
        words = norm.split()
        meaningful = [word for word in words if word not in STOPWORDS]
        words = meaningful or words
        if not words:
            return []
        totals: dict[int, float] = {}
        first_word_hits: set[int] = set()
        for position, word in enumerate(words):
            per_label: dict[int, float] = {}
            for word_id, score in self.word_scores(word).items():
                for label_id in self.word_labels[word_id]:
                    if score > per_label.get(label_id, 0.0):
                        per_label[label_id] = score
            for label_id, score in per_label.items():
                totals[label_id] = totals.get(label_id, 0.0) + score
            if position == 0:
                first_word_hits = set(per_label)
        best: dict[str, tuple[float, _Label]] = {}
        count = len(words)
        for label_id, total in totals.items():
            label = self.labels[label_id]
            score = total / count
            if score < MIN_SCORE:
                continue
            # Prefer short labels, labels that start with the query, and the métier's own label.
            score -= 0.004 * max(0, len(label.words) - count)
            if label_id in first_word_hits and label.words and self._starts(label.words[0], words[0]):
                score += 0.02
            if label.appellation is None:
                score += 0.005
            elif label.short:
                score -= 0.03  # abbreviated labels ("Mécanicien(ne) ... auto ...") rank after full ones
            current = best.get(label.key)
            if current is None or score > current[0]:
                best[label.key] = (score, label)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].title))
        return [(round(score, 3), label) for score, label in ranked[:limit]]

    @staticmethod
    def _starts(label_word: str, query_word: str) -> bool:
        return label_word.startswith(query_word) or query_word.startswith(label_word[: max(3, len(query_word) - 2)])


_lock = threading.Lock()
# (database URL, "metiers" or "skills") -> ((version, imported_at), index)
_cache: dict[tuple[str, str], tuple[tuple[str, datetime], _Index]] = {}


def invalidate_cache() -> None:
    with _lock:
        _cache.clear()


def _build_metier_index() -> _Index:
    metiers = RomeMetier.__table__  # type: ignore[attr-defined]
    appellations = RomeAppellation.__table__  # type: ignore[attr-defined]
    labels: list[_Label] = []
    with get_engine().connect() as conn:
        names = {}
        for code, libelle, norm in conn.execute(select(metiers.c.code_rome, metiers.c.libelle, metiers.c.libelle_norm)):
            names[code] = libelle
            labels.append(_Label(code, libelle, None, None, tuple(norm.split())))
        query = select(
            appellations.c.code_ogr,
            appellations.c.code_rome,
            appellations.c.libelle,
            appellations.c.libelle_court,
            appellations.c.libelle_norm,
        )
        for code_ogr, code_rome, libelle, court, norm in conn.execute(query):
            labels.append(_Label(code_rome, names[code_rome], libelle, code_ogr, tuple(norm.split())))
            court_norm = normalise(court)
            if court_norm and court_norm != norm:
                labels.append(_Label(code_rome, names[code_rome], libelle, code_ogr, tuple(court_norm.split()), True))
    return _Index(labels)


SKILL_KINDS = (RomeItemKind.SAVOIR_FAIRE, RomeItemKind.SAVOIR_ETRE, RomeItemKind.SAVOIR)


def _build_skill_index() -> _Index:
    items = RomeItem.__table__  # type: ignore[attr-defined]
    query = select(items.c.code_ogr, items.c.libelle).where(items.c.kind.in_([kind.value for kind in SKILL_KINDS]))
    with get_engine().connect() as conn:
        return _Index(
            [
                _Label(code, libelle, None, code, tuple(normalise(libelle).split()))
                for code, libelle in conn.execute(query)
            ]
        )


_BUILDERS = {"metiers": _build_metier_index, "skills": _build_skill_index}


def _index(name: str = "metiers") -> _Index | None:
    key = current_version_key()
    if key is None:
        return None
    cache_key = (str(get_engine().url), name)
    with _lock:
        cached = _cache.get(cache_key)
        if cached is not None and cached[0] == key:
            return cached[1]
    index = _BUILDERS[name]()
    with _lock:
        _cache[cache_key] = (key, index)
    return index


def warm_up() -> bool:
    """Build the métier index now (e.g. at start-up) rather than on the first search; False without référentiel."""
    return _index() is not None


def search_metiers(query: str, limit: int = 20) -> list[SearchHit]:
    """The métiers best matching ``query`` (one hit per métier, best first); [] without référentiel."""
    if not query or not query.strip() or limit <= 0:
        return []
    index = _index()
    if index is None:
        return []
    return [
        SearchHit(label.key, label.title, label.appellation, label.code_ogr, score)
        for score, label in index.rank(query[:200], limit)
    ]


def search_skills(query: str, limit: int = 20) -> list[SkillHit]:
    """The savoir-faire, savoir-être and savoirs best matching ``query``; [] without référentiel."""
    if not query or not query.strip() or limit <= 0:
        return []
    index = _index("skills")
    if index is None:
        return []
    hits = index.rank(query[:200], limit)
    if not hits:
        return []
    kinds = _item_kinds([label.key for _, label in hits])
    return [SkillHit(label.key, label.title, kinds[label.key], score) for score, label in hits if label.key in kinds]


def _item_kinds(codes: list[str]) -> dict[str, RomeItemKind]:
    items = RomeItem.__table__  # type: ignore[attr-defined]
    with get_engine().connect() as conn:
        rows = conn.execute(select(items.c.code_ogr, items.c.kind).where(items.c.code_ogr.in_(codes)))
        return {code: RomeItemKind(kind) for code, kind in rows}
