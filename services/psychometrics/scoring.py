"""Scoring: pure functions from a dict of answers to the scores of every dimension.

The rules, as declared by each instrument's ``scoring`` block:

* an answer is an integer of the response scale; a reverse-keyed item counts ``min + max - answer``
  (6 - x on a 1-5 scale);
* ``sum``: the raw score of a dimension is the sum of its items (0-40 for 10 items on 0-4, 10-50 for
  10 items on 1-5); ``mean``: their mean (1-5);
* ``normalised`` = (raw - lowest possible) / (highest - lowest) x 100, rounded to 0.1;
* ranking: by raw score, highest first; ties keep the instrument's dimension order (R, I, A, S, E, C
  for interests), so the result never depends on dict ordering; ``rank`` is the 1-based position;
* Holland code (interests): the first three letters of the ranking;
* levels (Big Five): "low" when raw < ``low_below``, "high" when raw > ``high_above``, else "average".
  The thresholds are relative to the scale (its middle third, in item-mean terms 2.5-3.5), not to a
  population norm: no French norms exist for this adaptation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.errors import FormError
from services.psychometrics.catalog import Instrument, Item, raw_range


@dataclass(frozen=True)
class DimensionScore:
    key: str
    raw: float
    normalised: float
    rank: int
    level: str = ""  # "low" | "average" | "high" for instruments with levels

    def to_json(self) -> dict[str, Any]:
        return {"raw": self.raw, "normalised": self.normalised, "rank": self.rank, "level": self.level}


@dataclass(frozen=True)
class Scores:
    dimensions: tuple[DimensionScore, ...]  # in the instrument's dimension order
    ranking: tuple[str, ...]
    holland_code: str = ""

    def by_key(self) -> dict[str, DimensionScore]:
        return {d.key: d for d in self.dimensions}

    def to_json(self) -> dict[str, Any]:
        return {"dimensions": {d.key: d.to_json() for d in self.dimensions}, "ranking": list(self.ranking)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], holland_code: str = "") -> Scores:
        ranking = tuple(data["ranking"])
        dimensions = tuple(
            DimensionScore(
                key=key,
                raw=float(value["raw"]),
                normalised=float(value["normalised"]),
                rank=int(value["rank"]),
                level=str(value.get("level", "")),
            )
            for key, value in data["dimensions"].items()
        )
        return cls(dimensions=dimensions, ranking=ranking, holland_code=holland_code)


# ---------------------------------------------------------------- answers


def clean_answers(instrument: Instrument, raw: Mapping[str, Any]) -> dict[str, int | None]:
    """Check a (possibly partial) set of answers: known items, integers of the scale.

    ``None`` (or "") clears an answer. Integer strings are accepted ("3"), as forms send them.
    Raises FormError mapping each faulty item id to a catalogue key.
    """
    known = set(instrument.item_ids)
    cleaned: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for item_id, value in raw.items():
        if item_id not in known:
            errors[str(item_id)] = "psy.error.unknown_item"
            continue
        if value is None or value == "":
            cleaned[item_id] = None
            continue
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value.strip())
        if number is None or number not in instrument.scale.values:
            errors[item_id] = "psy.error.out_of_scale"
            continue
        cleaned[item_id] = number
    if errors:
        raise FormError(errors, min=instrument.scale.min, max=instrument.scale.max)
    return cleaned


def missing_items(instrument: Instrument, answers: Mapping[str, int]) -> list[str]:
    """The unanswered items, in the instrument's order."""
    return [item_id for item_id in instrument.item_ids if answers.get(item_id) is None]


def item_score(instrument: Instrument, item: Item, answer: int) -> int:
    """The value an answer contributes: reverse-keyed items count ``min + max - answer``."""
    if item.reverse:
        return instrument.scale.min + instrument.scale.max - answer
    return answer


def level_of(instrument: Instrument, raw: float) -> str:
    levels = instrument.scoring.levels
    if levels is None:
        return ""
    if raw < levels.low_below:
        return "low"
    if raw > levels.high_above:
        return "high"
    return "average"


def rank_dimensions(instrument: Instrument, raw: Mapping[str, float]) -> tuple[str, ...]:
    """Highest raw score first; ties in the instrument's dimension order (deterministic)."""
    order = instrument.dimension_keys
    return tuple(sorted(order, key=lambda key: (-raw[key], order.index(key))))


def score(instrument: Instrument, answers: Mapping[str, int]) -> Scores:
    """The scores of a complete set of answers (check them with ``clean_answers`` first).

    Raises ValueError if an item is unanswered or an answer lies outside the scale.
    """
    missing = missing_items(instrument, answers)
    if missing:
        raise ValueError(f"unanswered items: {missing}")
    for item_id in instrument.item_ids:
        if answers[item_id] not in instrument.scale.values:
            raise ValueError(f"answer out of scale for {item_id}: {answers[item_id]!r}")
    low, high = raw_range(instrument)
    raw: dict[str, float] = {}
    for key in instrument.dimension_keys:
        values = [item_score(instrument, item, answers[item.id]) for item in instrument.items_of(key)]
        total = sum(values)
        raw[key] = float(total) if instrument.scoring.method == "sum" else total / len(values)
    ranking = rank_dimensions(instrument, raw)
    dimensions = tuple(
        DimensionScore(
            key=key,
            raw=raw[key],
            normalised=round((raw[key] - low) / (high - low) * 100, 1),
            rank=ranking.index(key) + 1,
            level=level_of(instrument, raw[key]),
        )
        for key in instrument.dimension_keys
    )
    holland = "".join(ranking[: instrument.scoring.holland_code_length])
    return Scores(dimensions=dimensions, ranking=ranking, holland_code=holland)
