"""The local matching engine: profile -> ranked target métiers, explained (see docs/matching.md).

Public API:

* ``Profile``, ``SkillInput``, ``parse_profile``, ``load_profile``, ``ProfileError`` (the input and
  its French validation errors), ``profile_from_bilan`` (a bilan's validated skills and RIASEC);
* ``recommend`` -> ``RecommendationSet`` of ``Recommendation`` (score, breakdown, reasons, skill gap,
  transition paths), ``ranked_codes`` (the ranking only), ``Weights``;
* ``get_index`` / ``invalidate_cache``: the in-memory view of the installed référentiel.
"""

from services.matching.engine import (
    DEFAULT_WEIGHTS,
    GapGroup,
    PathStep,
    Recommendation,
    RecommendationSet,
    SkillRef,
    TransitionPath,
    Weights,
    ranked_codes,
    recommend,
)
from services.matching.index import get_index, invalidate_cache
from services.matching.profile import (
    Profile,
    ProfileError,
    SkillInput,
    TempsTravail,
    TypeContrat,
    load_profile,
    parse_profile,
    profile_from_bilan,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "GapGroup",
    "PathStep",
    "Profile",
    "ProfileError",
    "Recommendation",
    "RecommendationSet",
    "SkillInput",
    "SkillRef",
    "TempsTravail",
    "TransitionPath",
    "TypeContrat",
    "Weights",
    "get_index",
    "invalidate_cache",
    "load_profile",
    "parse_profile",
    "profile_from_bilan",
    "ranked_codes",
    "recommend",
]
