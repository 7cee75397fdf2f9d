"""The matching engine's in-memory view of the installed ROME référentiel, built once per version.

Built on first use, per database and per référentiel version (the ``rome_versions`` row, as the search
index does), in about two seconds on the full référentiel:

* the skills of each métier (savoir-faire, savoir-être, savoirs) with their core flag, an inverted
  index code_ogr -> métiers, and IDF weights (a skill few métiers need says more than a common one);
* the macro-compétence of each skill, for a softer overlap ("a skill of the same family");
* a métier x métier proximity matrix (mobility-independent): cosine of the full item profiles (skills,
  savoirs and work contexts, core items weighing more), lexical similarity of the fiches' texts, same
  domaine professionnel / grand domaine, same ROME 3 parent fiche. It scores "close to your current
  métier" for the origin métiers of a profile;
* the official mobility links, used only to build transition paths (never to score);
* the métier texts for the aspirations, embedded lazily (``embeddings``), cached in memory and on disk.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import select

from services.db import get_engine
from services.matching import text as textsim
from services.models.rome import (
    RomeAppellation,
    RomeItem,
    RomeItemKind,
    RomeMetier,
    RomeMetierItem,
    RomeMobilite,
    RomeTexte,
)
from services.rome.metiers import current_version_key

SKILL_KINDS = (RomeItemKind.SAVOIR_FAIRE, RomeItemKind.SAVOIR_ETRE, RomeItemKind.SAVOIR)
PRINCIPALE = "Principale"
# How much more a métier's core skills weigh in its skill vector (core skills count more).
CORE_WEIGHT = {PRINCIPALE: 2.0, "Émergente": 1.5}
CORE_WEIGHT_OTHER = 1.6  # a core flag with another label
PROXIMITY_CORE_WEIGHT = 1.5
APPELLATIONS_IN_TEXT = 12

# The mix of the proximity matrix (mobility-independent signals only); tuned on a sample drawn with
# another seed than the evaluation's (see docs/matching.md).
PROXIMITY_WEIGHTS = {"items": 1.0, "texte": 0.8, "domaine": 0.25, "grand_domaine": 0.05, "famille": 0.1}


@dataclass(frozen=True)
class ItemInfo:
    code_ogr: str
    kind: RomeItemKind
    libelle: str
    macro: str  # the macro-compétence's OGR code ("" for savoirs and macro-compétences themselves)


@dataclass
class ReferentielIndex:
    version: str
    key: tuple[str, datetime]
    codes: list[str]
    libelles: list[str]
    position: dict[str, int]
    domaines: list[str]
    grands_domaines: list[str]
    riasec_majeur: list[str]
    riasec_mineur: list[str]
    items: dict[str, ItemInfo]
    skills_of: list[dict[str, str]]  # per métier: code_ogr -> core label ("" when not core)
    idf: dict[str, float]
    postings: dict[str, list[tuple[int, float]]]  # code_ogr -> (métier, weight in the métier's vector)
    norms: np.ndarray  # the norm of each métier's skill vector
    core_mass: np.ndarray  # sum of the IDF of each métier's core skills
    macro_idf: dict[str, float]
    macro_postings: dict[str, list[tuple[int, float]]]
    macro_norms: np.ndarray
    proximity: np.ndarray  # N x N, float32, 0-1, 1 on the diagonal
    shared_items: list[frozenset[str]]  # per métier: all its items, for "n skills in common"
    mobility: dict[str, list[tuple[str, int]]]  # code -> [(target, ordre)], by ordre
    documents: list[str]  # the text of each métier (libellé, definition, appellations)
    lexical: textsim.LexicalEncoder  # fitted on the documents
    lexical_postings: dict[int, list[tuple[int, float]]]  # stem column -> (métier, TF-IDF value)
    _embeddings: dict[str, np.ndarray] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __len__(self) -> int:
        return len(self.codes)

    # ---------------------------------------------------------------- aspirations

    def sentence_embeddings(self) -> np.ndarray | None:
        """The métier texts embedded with the multilingual model (None without the package)."""
        encoder = textsim.sentence_encoder()
        if encoder is None:
            return None
        with self._lock:
            matrix = self._embeddings.get(encoder.name)
            if matrix is None:
                matrix = textsim.embed_documents(encoder, self.documents, self.version)
                self._embeddings[encoder.name] = matrix
            return matrix

    def lexical_similarity(self, query: str) -> np.ndarray:
        """TF-IDF cosine of ``query`` against every métier text (the fallback without the model)."""
        scores = np.zeros(len(self.codes), dtype=np.float32)
        for column, weight in self.lexical.sparse(query).items():
            for row, value in self.lexical_postings.get(column, ()):
                scores[row] += weight * value
        return scores


# ---------------------------------------------------------------- building


def _gram(rows: list[dict[int, float]], columns: int, chunk: int = 4096) -> np.ndarray:
    """rows x rows dot products of sparse, already normalised rows, through dense column chunks."""
    count = len(rows)
    sizes = [len(vector) for vector in rows]
    row_of = np.repeat(np.arange(count), sizes)
    column_of = np.fromiter((column for vector in rows for column in vector), dtype=np.int64, count=sum(sizes))
    value_of = np.fromiter((value for vector in rows for value in vector.values()), dtype=np.float32, count=sum(sizes))
    # A column held by one row only adds to the diagonal: keep the shared ones, renumbered.
    shared = np.bincount(column_of, minlength=columns) > 1
    keep = shared[column_of]
    row_of, value_of = row_of[keep], value_of[keep]
    column_of = (np.cumsum(shared) - 1)[column_of[keep]]
    columns = int(shared.sum())
    gram = np.zeros((count, count), dtype=np.float32)
    for start in range(0, max(columns, 1), chunk):
        selected = (column_of >= start) & (column_of < start + chunk)
        if not selected.any():
            continue
        dense = np.zeros((count, chunk), dtype=np.float32)
        dense[row_of[selected], column_of[selected] - start] = value_of[selected]
        gram += dense @ dense.T
    return gram


def _row_scaled(matrix: np.ndarray) -> np.ndarray:
    """Each row divided by its largest off-diagonal value (the closest other métier scores 1)."""
    off = matrix.copy()
    np.fill_diagonal(off, 0.0)
    peaks = off.max(axis=1, keepdims=True)
    return np.clip(off / np.where(peaks > 0, peaks, 1.0), 0.0, 1.0)


def _normalised_rows(vectors: list[dict[str, float]], vocabulary: dict[str, int]) -> list[dict[int, float]]:
    rows = []
    for vector in vectors:
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        rows.append({vocabulary[key]: value / norm for key, value in vector.items()})
    return rows


def _proximity(
    codes: list[str],
    links: list[dict[str, bool]],
    text_vectors: list[dict[int, float]],
    text_columns: int,
    domaines: list[str],
    grands_domaines: list[str],
    parents: list[str],
) -> np.ndarray:
    count = len(codes)
    # 1. Items (skills, savoirs, contexts), IDF-weighted, core items weigh more: cosine.
    frequency: Counter[str] = Counter(code for items in links for code in items)
    vectors = [
        {
            code: math.log(count / frequency[code]) * (PROXIMITY_CORE_WEIGHT if core else 1.0)
            for code, core in items.items()
        }
        for items in links
    ]
    vocabulary = {code: index for index, code in enumerate(sorted(frequency))}
    items = _row_scaled(_gram(_normalised_rows(vectors, vocabulary), len(vocabulary)))
    # 2. The fiches' texts: TF-IDF over word stems, cosine.
    texts = _row_scaled(_gram(text_vectors, text_columns))
    # 3. The place in the ROME tree, and the ROME 3 fiche a ROME 4 fiche was split from.
    dp = np.array(domaines)
    gd = np.array(grands_domaines)
    parent = np.array(parents)
    code = np.array(codes)
    same_dp = (dp[:, None] == dp[None, :]) & (dp[:, None] != "")
    same_gd = (gd[:, None] == gd[None, :]) & (gd[:, None] != "")
    family = (
        (parent[:, None] == parent[None, :]) | (parent[:, None] == code[None, :]) | (code[:, None] == parent[None, :])
    )
    w = PROXIMITY_WEIGHTS
    matrix = (
        w["items"] * items
        + w["texte"] * texts
        + w["domaine"] * same_dp
        + w["grand_domaine"] * same_gd
        + w["famille"] * family
    ) / sum(w.values())
    matrix = matrix.astype(np.float32)
    np.fill_diagonal(matrix, 1.0)
    return matrix


def metier_document(libelle: str, definition: Iterable[str], appellations: Iterable[str]) -> str:
    names = list(dict.fromkeys(name for name in appellations if name != libelle))[:APPELLATIONS_IN_TEXT]
    parts = (libelle, " ".join(definition), ", ".join(names))
    return ". ".join(part.strip().rstrip(".") for part in parts if part.strip()) + "."


def build_index(version: str, key: tuple[str, datetime]) -> ReferentielIndex:
    m, a, it, li = (RomeMetier.__table__, RomeAppellation.__table__, RomeItem.__table__, RomeMetierItem.__table__)  # type: ignore[attr-defined]
    tx, mo = RomeTexte.__table__, RomeMobilite.__table__  # type: ignore[attr-defined]
    with get_engine().connect() as conn:
        metiers = conn.execute(
            select(
                m.c.code_rome,
                m.c.libelle,
                m.c.code_domaine_professionnel,
                m.c.code_grand_domaine,
                m.c.riasec_majeur,
                m.c.riasec_mineur,
                m.c.code_rome_parent,
            ).order_by(m.c.code_rome)
        ).all()
        item_rows = conn.execute(select(it.c.code_ogr, it.c.kind, it.c.libelle, it.c.code_ogr_macro)).all()
        link_rows = conn.execute(
            select(li.c.code_rome, li.c.code_ogr, li.c.coeur_metier, li.c.coeur_label).order_by(
                li.c.code_rome, li.c.code_ogr
            )
        ).all()
        text_rows = conn.execute(
            select(tx.c.code_rome, tx.c.texte).where(tx.c.kind == "definition").order_by(tx.c.code_rome, tx.c.position)
        ).all()
        appellation_rows = conn.execute(
            select(a.c.code_rome, a.c.libelle).order_by(a.c.code_rome, a.c.principale.desc(), a.c.libelle)
        ).all()
        mobility_rows = conn.execute(
            select(mo.c.code_rome, mo.c.code_rome_cible, mo.c.ordre).order_by(
                mo.c.code_rome, mo.c.ordre, mo.c.code_rome_cible
            )
        ).all()

    codes = [row[0] for row in metiers]
    position = {code: index for index, code in enumerate(codes)}
    count = len(codes)
    items = {code: ItemInfo(code, RomeItemKind(kind), libelle, macro or "") for code, kind, libelle, macro in item_rows}
    skill_kinds = set(SKILL_KINDS)
    skills_of: list[dict[str, str]] = [{} for _ in codes]
    all_links: list[dict[str, bool]] = [{} for _ in codes]
    for code_rome, code_ogr, coeur, label in link_rows:
        row = position[code_rome]
        all_links[row][code_ogr] = bool(coeur)
        if items[code_ogr].kind in skill_kinds:
            skills_of[row][code_ogr] = (label or "core") if coeur else ""

    frequency: Counter[str] = Counter(code for skills in skills_of for code in skills)
    idf = {code: math.log((1 + count) / n) for code, n in frequency.items()}
    postings: dict[str, list[tuple[int, float]]] = {}
    norms = np.zeros(count, dtype=np.float64)
    core_mass = np.zeros(count, dtype=np.float64)
    macro_weights: list[dict[str, float]] = [{} for _ in codes]
    for row, skills in enumerate(skills_of):
        squares = 0.0
        for code, label in skills.items():
            weight = idf[code] * core_weight(label)
            postings.setdefault(code, []).append((row, weight))
            squares += weight * weight
            if label:
                core_mass[row] += idf[code]
            macro = items[code].macro
            if macro:
                macro_weights[row][macro] = max(macro_weights[row].get(macro, 0.0), core_weight(label))
        norms[row] = math.sqrt(squares)
    macro_frequency: Counter[str] = Counter(macro for weights in macro_weights for macro in weights)
    macro_idf = {macro: math.log((1 + count) / n) for macro, n in macro_frequency.items()}
    macro_postings: dict[str, list[tuple[int, float]]] = {}
    macro_norms = np.zeros(count, dtype=np.float64)
    for row, weights in enumerate(macro_weights):
        squares = 0.0
        for macro, weight in sorted(weights.items()):
            value = weight * macro_idf[macro]
            macro_postings.setdefault(macro, []).append((row, value))
            squares += value * value
        macro_norms[row] = math.sqrt(squares)

    definitions: dict[str, list[str]] = {}
    for code_rome, texte in text_rows:
        definitions.setdefault(code_rome, []).append(texte)
    appellations: dict[str, list[str]] = {}
    for code_rome, libelle in appellation_rows:
        appellations.setdefault(code_rome, []).append(libelle)
    documents = [metier_document(row[1], definitions.get(row[0], []), appellations.get(row[0], [])) for row in metiers]
    lexical = textsim.LexicalEncoder()
    text_vectors = lexical.fit(documents)
    lexical_postings: dict[int, list[tuple[int, float]]] = {}
    for row, vector in enumerate(text_vectors):
        for column, value in vector.items():
            lexical_postings.setdefault(column, []).append((row, value))
    mobility: dict[str, list[tuple[str, int]]] = {}
    for code_rome, target, ordre in mobility_rows:
        mobility.setdefault(code_rome, []).append((target, ordre))

    return ReferentielIndex(
        version=version,
        key=key,
        codes=codes,
        libelles=[row[1] for row in metiers],
        position=position,
        domaines=[row[2] or "" for row in metiers],
        grands_domaines=[row[3] or "" for row in metiers],
        riasec_majeur=[row[4] or "" for row in metiers],
        riasec_mineur=[row[5] or "" for row in metiers],
        items=items,
        skills_of=skills_of,
        idf=idf,
        postings=postings,
        norms=norms,
        core_mass=core_mass,
        macro_idf=macro_idf,
        macro_postings=macro_postings,
        macro_norms=macro_norms,
        proximity=_proximity(
            codes,
            all_links,
            text_vectors,
            len(lexical.vocabulary),
            [row[2] or "" for row in metiers],
            [row[3] or "" for row in metiers],
            [row[6] or row[0] for row in metiers],
        ),
        shared_items=[frozenset(links) for links in all_links],
        mobility=mobility,
        documents=documents,
        lexical=lexical,
        lexical_postings=lexical_postings,
    )


def core_weight(label: str) -> float:
    if not label:
        return 1.0
    return CORE_WEIGHT.get(label, CORE_WEIGHT_OTHER)


# ---------------------------------------------------------------- the cache


_lock = threading.Lock()
_cache: dict[str, ReferentielIndex] = {}


def invalidate_cache() -> None:
    with _lock:
        _cache.clear()


def get_index() -> ReferentielIndex | None:
    """The index of the installed référentiel (built on first use), or None when none is installed."""
    key = current_version_key()
    if key is None:
        return None
    url = str(get_engine().url)
    with _lock:
        cached = _cache.get(url)
        if cached is not None and cached.key == key:
            return cached
    index = build_index(key[0], key)
    with _lock:
        _cache[url] = index
    return index
