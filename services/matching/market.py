"""The market signal of the matching engine: how many job offers France Travail counts for a métier
around the beneficiary (the ``stat-offres`` indicator of the Marché du travail API).

Only a short list of candidates is asked about (one request per métier, cached by the client), so
the analysis first ranks without the signal, then ranks again with it. The number of offers of the
latest period becomes 0-1 on a log scale against the best-supplied candidate: 400 offers against
4,000 still counts, and a métier with none gets 0. Without France Travail, or when the API fails, the
engine simply runs without this component (its weight is left out, not counted as zero).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from services.francetravail import FranceTravailError, get_client
from services.francetravail import is_configured as france_travail_configured

log = logging.getLogger(__name__)

NATIONAL = ("NAT", "FR")


@dataclass(frozen=True)
class MarketSignal:
    values: dict[str, float]  # code ROME -> 0-1
    territory: tuple[str, str]  # ("DEP", "29") or ("NAT", "FR")
    problem: str = ""  # the error code when France Travail failed ("" otherwise)


def territory_of(commune: str | None) -> tuple[str, str]:
    """The département of an INSEE commune code (3 digits overseas), or the whole country."""
    if not commune:
        return NATIONAL
    return ("DEP", commune[:3] if commune.startswith("97") else commune[:2])


def normalise(offers: dict[str, float]) -> dict[str, float]:
    """Offer counts → 0-1 on a log scale against the largest count."""
    largest = max(offers.values(), default=0.0)
    if largest <= 0:
        return dict.fromkeys(offers, 0.0)
    return {code: math.log1p(max(count, 0.0)) / math.log1p(largest) for code, count in offers.items()}


def market_signal(codes: Iterable[str], commune: str | None = None) -> MarketSignal | None:
    """The signal for these métiers, or None when France Travail is not configured."""
    if not france_travail_configured():
        return None
    territory = territory_of(commune)
    client = get_client()
    offers: dict[str, float] = {}
    try:
        for code in codes:
            stat = client.market_stat(code, territory[1], type_territoire=territory[0])
            offers[code] = stat.derniere_valeur or 0.0
    except FranceTravailError as exc:  # the ranking goes on without the signal
        log.warning("market signal unavailable: %s", exc.code)
        return MarketSignal({}, territory, exc.code)
    return MarketSignal(normalise(offers), territory)
