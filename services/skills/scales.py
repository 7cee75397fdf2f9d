"""The five rating criteria of the cahier des charges (§3.3.1) and their ordered scales."""

from __future__ import annotations

from enum import StrEnum

from services.models import Appetence, Contexte, Frequence, Maitrise, Potentiel

# Criterion -> its scale, in the order the screens show them.
CRITERIA: dict[str, type[StrEnum]] = {
    "maitrise": Maitrise,
    "frequence": Frequence,
    "contexte": Contexte,
    "appetence": Appetence,
    "potentiel": Potentiel,
}
# 1 (débutant) to 4 (expert): for averages on the map.
MAITRISE_LEVEL: dict[str, int] = {value.value: rank for rank, value in enumerate(Maitrise, start=1)}


def criterion_key(criterion: str) -> str:
    return f"skills.criterion.{criterion}"


def value_key(criterion: str, value: str) -> str:
    return f"skills.{criterion}.{value}"


def parse(criterion: str, value: str | None) -> StrEnum | None:
    """The scale member for ``value`` ("" or None: not rated), or ValueError for anything else."""
    scale = CRITERIA.get(criterion)
    if scale is None:
        raise ValueError(criterion)
    if not value:
        return None
    return scale(value)
