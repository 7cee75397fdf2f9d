"""Search over the métiers and appellations of the installed référentiel.

Insensitive to case and accents, word-prefix matching ("boul" finds "Boulanger") and fuzzy matching on
misspelled words ("bolangère", "informaticein") through word trigrams (Dice similarity, as pg_trgm).

The ~15,000 labels are indexed in memory once per référentiel version (and per database), so a search
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
from services.models.rome import RomeAppellation, RomeMetier, RomeVersion

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
class _Label:
    code_rome: str
    libelle_metier: str
    appellation: str | None
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
        self.metier_labels = {label.code_rome: label.libelle_metier for label in labels if label.appellation is None}

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

    def search(self, query: str, limit: int) -> list[SearchHit]:
        norm = normalise(query)
        if _CODE_ROME.match(norm) and norm.upper() in self.metier_labels:
            code = norm.upper()
            return [SearchHit(code, self.metier_labels[code], None, None, 1.0)]
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
            current = best.get(label.code_rome)
            if current is None or score > current[0]:
                best[label.code_rome] = (score, label)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].libelle_metier))
        return [
            SearchHit(label.code_rome, label.libelle_metier, label.appellation, label.code_ogr, round(score, 3))
            for score, label in ranked[:limit]
        ]

    @staticmethod
    def _starts(label_word: str, query_word: str) -> bool:
        return label_word.startswith(query_word) or query_word.startswith(label_word[: max(3, len(query_word) - 2)])


_lock = threading.Lock()
# database URL -> ((version, imported_at), index)
_cache: dict[str, tuple[tuple[str, datetime], _Index]] = {}


def invalidate_cache() -> None:
    with _lock:
        _cache.clear()


def _current_key() -> tuple[str, datetime] | None:
    table = RomeVersion.__table__  # type: ignore[attr-defined]
    with get_engine().connect() as conn:
        row = conn.execute(
            select(table.c.version, table.c.imported_at).order_by(table.c.imported_at.desc()).limit(1)
        ).first()
    return (row[0], row[1]) if row is not None else None


def _build_index() -> _Index:
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


def _index() -> _Index | None:
    key = _current_key()
    if key is None:
        return None
    url = str(get_engine().url)
    with _lock:
        cached = _cache.get(url)
        if cached is not None and cached[0] == key:
            return cached[1]
    index = _build_index()
    with _lock:
        _cache[url] = (key, index)
    return index


def warm_up() -> bool:
    """Build the index now (e.g. at start-up) rather than on the first search; False without référentiel."""
    return _index() is not None


def search_metiers(query: str, limit: int = 20) -> list[SearchHit]:
    """The métiers best matching ``query`` (one hit per métier, best first); [] without référentiel."""
    if not query or not query.strip() or limit <= 0:
        return []
    index = _index()
    if index is None:
        return []
    return index.search(query[:200], limit)
