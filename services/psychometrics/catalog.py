"""The instrument catalogue: versioned JSON data files, loaded and checked once.

Each file ``instruments/<id>.v<version>.json`` describes one version of one instrument: its titles,
source and licence notice, response scale, dimensions (with plain-language interpretations), items
(French and English wording, dimension, reverse key) and scoring rules. ``parse_instrument`` refuses
any inconsistency (an item count that does not match, a dimension without items, a missing
translation...) with a ``CatalogError`` naming the file: a broken data file must never reach a user.

A session records the version it was taken with, so a result can always be recomputed and shown
with the wording and rules of that version even after a newer one is published.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.errors import NotFound

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
LOCALES = ("fr", "en")
KINDS = ("interests", "personality", "values")
RIASEC = ("R", "I", "A", "S", "E", "C")
METHODS = ("sum", "mean")
LEVELS = ("low", "average", "high")
REVERSE_RULE = "min_plus_max_minus_answer"
NORMALISED_RULE = "percent_of_range"
RANKING_RULE = "score_desc_then_dimension_order"
_ID = re.compile(r"^[a-z][a-z0-9_]{1,58}$")
_VERSION = re.compile(r"^\d+\.\d+$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9_]{1,20}$")


class CatalogError(Exception):
    """An instrument data file is inconsistent (a developer's error, caught by the tests)."""


@dataclass(frozen=True)
class Text:
    fr: str
    en: str

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.fr


@dataclass(frozen=True)
class ScaleLabel:
    value: int
    text: Text


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: tuple[ScaleLabel, ...]

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Text
    # "default" for most instruments; "low" / "average" / "high" when the scoring has levels.
    interpretation: dict[str, Text]


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    reverse: bool
    text: Text


@dataclass(frozen=True)
class Levels:
    """Plain-language levels of a raw dimension score: low below ``low_below``, high above ``high_above``."""

    low_below: float
    high_above: float


@dataclass(frozen=True)
class Scoring:
    method: str  # "sum" | "mean"
    items_per_dimension: int
    reverse: str  # REVERSE_RULE, or "" when no item is reverse-keyed
    normalised: str
    ranking: str
    holland_code_length: int  # 0 unless the instrument gives a Holland code
    levels: Levels | None


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    kind: str
    title: Text
    instructions: Text
    source: Text
    licence: Text
    scale: Scale
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    scoring: Scoring

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def items_of(self, key: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == key)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# ---------------------------------------------------------------- parsing and validation


class _Reader:
    """Small typed accessors that name the file and the path of a faulty value."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.origin}: {where}: {problem}")

    def get(self, data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(data, dict) or key not in data:
            raise self.fail(where, f"missing {key!r}")
        value = data[key]
        # bool is an int: refuse it where a number is expected.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail(f"{where}.{key}", f"expected {kind}, got {type(value).__name__}")
        return value

    def text(self, data: Any, key: str, where: str) -> Text:
        value = self.get(data, key, dict, where)
        return self.bilingual(value, f"{where}.{key}")

    def bilingual(self, value: Any, where: str) -> Text:
        if not isinstance(value, dict) or set(value) != set(LOCALES):
            raise self.fail(where, f"expected exactly the locales {LOCALES}")
        for locale in LOCALES:
            if not isinstance(value[locale], str) or not value[locale].strip():
                raise self.fail(f"{where}.{locale}", "empty or missing text")
        return Text(fr=value["fr"].strip(), en=value["en"].strip())


def _parse_scoring(r: _Reader, data: dict[str, Any]) -> Scoring:
    raw = r.get(data, "scoring", dict, "")
    method = r.get(raw, "method", str, "scoring")
    if method not in METHODS:
        raise r.fail("scoring.method", f"unknown method {method!r}")
    per_dimension = r.get(raw, "items_per_dimension", int, "scoring")
    if per_dimension < 1:
        raise r.fail("scoring.items_per_dimension", "must be positive")
    reverse = raw.get("reverse", "")
    if reverse not in ("", REVERSE_RULE):
        raise r.fail("scoring.reverse", f"unknown rule {reverse!r}")
    if r.get(raw, "normalised", str, "scoring") != NORMALISED_RULE:
        raise r.fail("scoring.normalised", f"only {NORMALISED_RULE!r} is supported")
    if r.get(raw, "ranking", str, "scoring") != RANKING_RULE:
        raise r.fail("scoring.ranking", f"only {RANKING_RULE!r} is supported")
    holland = raw.get("holland_code_length", 0)
    if not isinstance(holland, int) or isinstance(holland, bool) or holland < 0:
        raise r.fail("scoring.holland_code_length", "must be a non-negative integer")
    levels = None
    if "levels" in raw:
        low = r.get(raw["levels"], "low_below", (int, float), "scoring.levels")
        high = r.get(raw["levels"], "high_above", (int, float), "scoring.levels")
        levels = Levels(low_below=float(low), high_above=float(high))
    return Scoring(
        method=method,
        items_per_dimension=per_dimension,
        reverse=reverse,
        normalised=NORMALISED_RULE,
        ranking=RANKING_RULE,
        holland_code_length=holland,
        levels=levels,
    )


def _parse_scale(r: _Reader, data: dict[str, Any]) -> Scale:
    raw = r.get(data, "scale", dict, "")
    low, high = r.get(raw, "min", int, "scale"), r.get(raw, "max", int, "scale")
    if low >= high:
        raise r.fail("scale", "min must be below max")
    labels = []
    for n, label in enumerate(r.get(raw, "labels", list, "scale")):
        labels.append(
            ScaleLabel(
                value=r.get(label, "value", int, f"scale.labels[{n}]"), text=r.text(label, "text", f"scale.labels[{n}]")
            )
        )
    if [label.value for label in labels] != list(range(low, high + 1)):
        raise r.fail("scale.labels", f"need one label per value {low}..{high}, in order")
    return Scale(min=low, max=high, labels=tuple(labels))


def parse_instrument(data: dict[str, Any], origin: str = "<instrument>") -> Instrument:
    """Build an Instrument from its JSON data, or raise CatalogError on any inconsistency."""
    r = _Reader(origin)
    instrument_id = r.get(data, "id", str, "")
    if not _ID.match(instrument_id):
        raise r.fail("id", f"invalid id {instrument_id!r}")
    version = r.get(data, "version", str, "")
    if not _VERSION.match(version):
        raise r.fail("version", f"expected MAJOR.MINOR, got {version!r}")
    kind = r.get(data, "kind", str, "")
    if kind not in KINDS:
        raise r.fail("kind", f"unknown kind {kind!r}")
    scale = _parse_scale(r, data)
    scoring = _parse_scoring(r, data)

    expected_levels = set(LEVELS) if scoring.levels else {"default"}
    dimensions: list[Dimension] = []
    for n, raw in enumerate(r.get(data, "dimensions", list, "")):
        where = f"dimensions[{n}]"
        key = r.get(raw, "key", str, where)
        interpretation = r.get(raw, "interpretation", dict, where)
        if set(interpretation) != expected_levels:
            raise r.fail(f"{where}.interpretation", f"expected the keys {sorted(expected_levels)}")
        dimensions.append(
            Dimension(
                key=key,
                label=r.text(raw, "label", where),
                interpretation={
                    level: r.bilingual(text, f"{where}.interpretation.{level}")
                    for level, text in interpretation.items()
                },
            )
        )
    keys = [d.key for d in dimensions]
    if not keys:
        raise r.fail("dimensions", "no dimension")
    if len(set(keys)) != len(keys):
        raise r.fail("dimensions", "duplicate keys")

    items: list[Item] = []
    for n, raw in enumerate(r.get(data, "items", list, "")):
        where = f"items[{n}]"
        item_id = r.get(raw, "id", str, where)
        if not _ITEM_ID.match(item_id):
            raise r.fail(f"{where}.id", f"invalid item id {item_id!r}")
        dimension = r.get(raw, "dimension", str, where)
        if dimension not in keys:
            raise r.fail(f"{where}.dimension", f"unknown dimension {dimension!r}")
        items.append(Item(item_id, dimension, r.get(raw, "reverse", bool, where), r.text(raw, "text", where)))
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise r.fail("items", "duplicate item ids")
    for key in keys:
        count = sum(1 for i in items if i.dimension == key)
        if count != scoring.items_per_dimension:
            raise r.fail("items", f"dimension {key!r} has {count} items, expected {scoring.items_per_dimension}")
    reversed_keys = {i.dimension for i in items if i.reverse}
    if scoring.reverse and reversed_keys != set(keys):
        raise r.fail("items", f"reverse keying declared but missing in {sorted(set(keys) - reversed_keys)}")
    if not scoring.reverse and reversed_keys:
        raise r.fail("items", "reverse-keyed items without a scoring.reverse rule")

    if scoring.levels is not None:
        low_bound, high_bound = _raw_range(scale, scoring)
        if not low_bound < scoring.levels.low_below <= scoring.levels.high_above < high_bound:
            raise r.fail("scoring.levels", f"thresholds must lie inside {low_bound}..{high_bound}, low before high")
    if kind == "interests":
        if tuple(keys) != RIASEC:
            raise r.fail("dimensions", f"an interest inventory has the RIASEC dimensions {RIASEC}, in order")
        if scoring.holland_code_length != 3:
            raise r.fail("scoring.holland_code_length", "an interest inventory gives a 3-letter Holland code")
    elif scoring.holland_code_length:
        raise r.fail("scoring.holland_code_length", "only an interest inventory gives a Holland code")

    return Instrument(
        id=instrument_id,
        version=version,
        kind=kind,
        title=r.text(data, "title", ""),
        instructions=r.text(data, "instructions", ""),
        source=r.text(data, "source", ""),
        licence=r.text(data, "licence", ""),
        scale=scale,
        dimensions=tuple(dimensions),
        items=tuple(items),
        scoring=scoring,
    )


def _raw_range(scale: Scale, scoring: Scoring) -> tuple[float, float]:
    """The lowest and highest possible raw score of one dimension."""
    if scoring.method == "sum":
        return float(scale.min * scoring.items_per_dimension), float(scale.max * scoring.items_per_dimension)
    return float(scale.min), float(scale.max)


def raw_range(instrument: Instrument) -> tuple[float, float]:
    return _raw_range(instrument.scale, instrument.scoring)


def load_file(path: Path) -> Instrument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{path.name}: unreadable ({exc})") from exc
    instrument = parse_instrument(data, path.name)
    expected = f"{instrument.id}.v{instrument.version}.json"
    if path.name != expected:
        raise CatalogError(f"{path.name}: the file of {instrument.id} {instrument.version} must be named {expected}")
    return instrument


# ---------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Catalog:
    versions: dict[tuple[str, str], Instrument]
    current: dict[str, Instrument]  # the latest version of each instrument, in KINDS order


def load_catalog(directory: Path = INSTRUMENTS_DIR) -> Catalog:
    versions: dict[tuple[str, str], Instrument] = {}
    for path in sorted(directory.glob("*.json")):
        instrument = load_file(path)
        versions[(instrument.id, instrument.version)] = instrument
    if not versions:
        raise CatalogError(f"{directory}: no instrument file")
    latest: dict[str, Instrument] = {}
    for instrument in versions.values():
        known = latest.get(instrument.id)
        if known is None or version_key(instrument.version) > version_key(known.version):
            latest[instrument.id] = instrument
    ordered = sorted(latest.values(), key=lambda i: (KINDS.index(i.kind), i.id))
    return Catalog(versions=versions, current={i.id: i for i in ordered})


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return load_catalog()


def current_instruments() -> list[Instrument]:
    return list(catalog().current.values())


def get_instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """The given version of an instrument (the latest by default), or NotFound."""
    if version is None:
        found = catalog().current.get(instrument_id)
    else:
        found = catalog().versions.get((instrument_id, version))
    if found is None:
        raise NotFound()
    return found
