"""Offline evaluation of the ranking against the official ROME mobility links (benchmarks and tests).

For each sampled métier, a profile is built from its core skills (maîtrise "avance", appétence
"aime"); the engine ranks every other métier (the métier itself is left out), and the official mobility
targets of the métier (``unix_rubrique_mobilite``) are the relevant answers. The ranking never reads
the mobility links (they only build transition paths), so the figures measure mobility-independent
signals. The baseline ranks métiers by the Jaccard overlap of the profile's skills with each métier's
skills (savoir-faire, savoir-être, savoirs).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from services.matching.engine import DEFAULT_WEIGHTS, Weights, ranked_codes
from services.matching.index import ReferentielIndex, get_index
from services.matching.profile import Profile, SkillInput
from services.models import Appetence, Maitrise

DEFAULT_SEED = 20240501
K = 10


@dataclass(frozen=True)
class Figures:
    metiers: int
    recall_at_10: float  # mean of |targets in the top 10| / |targets|
    mrr: float  # mean reciprocal rank of the first target
    hit_at_10: float  # share of métiers with at least one target in the top 10
    recall_at_10_capped: float  # mean of |targets in the top 10| / min(10, |targets|)

    def to_dict(self) -> dict[str, float]:
        return {
            "metiers": self.metiers,
            "recall_at_10": round(self.recall_at_10, 4),
            "mrr": round(self.mrr, 4),
            "hit_at_10": round(self.hit_at_10, 4),
            "recall_at_10_capped": round(self.recall_at_10_capped, 4),
        }


def core_profile(index: ReferentielIndex, code_rome: str) -> Profile:
    """The evaluation profile of a métier: its core skills, at level avancé, liked."""
    skills = index.skills_of[index.position[code_rome]]
    return Profile(
        skills=[
            SkillInput(code_ogr=code, maitrise=Maitrise.AVANCE, appetence=Appetence.AIME)
            for code, label in sorted(skills.items())
            if label
        ]
    )


def sample_metiers(index: ReferentielIndex, size: int, seed: int = DEFAULT_SEED) -> list[str]:
    """``size`` métiers drawn with a fixed seed among those with core skills and mobility targets."""
    eligible = [
        code for row, code in enumerate(index.codes) if index.mobility.get(code) and any(index.skills_of[row].values())
    ]
    return random.Random(seed).sample(eligible, min(size, len(eligible)))


def jaccard_ranking(index: ReferentielIndex, profile: Profile, exclude: str) -> list[str]:
    """The baseline: métiers by Jaccard overlap of skill sets, ties in code order."""
    mine = {skill.code_ogr for skill in profile.skills}
    scored = []
    for row, code in enumerate(index.codes):
        if code == exclude:
            continue
        theirs = index.skills_of[row].keys()
        union = len(mine | theirs)
        scored.append((-(len(mine & theirs) / union if union else 0.0), code))
    scored.sort()
    return [code for _, code in scored]


def figures(rankings: dict[str, list[str]], index: ReferentielIndex) -> Figures:
    recalls, reciprocal, hits, capped = [], [], [], []
    for code, ranking in rankings.items():
        targets = {target for target, _ in index.mobility[code]} - {code}
        top = set(ranking[:K])
        found = len(targets & top)
        recalls.append(found / len(targets))
        capped.append(found / min(K, len(targets)))
        hits.append(1.0 if found else 0.0)
        first = next((rank for rank, candidate in enumerate(ranking, start=1) if candidate in targets), None)
        reciprocal.append(1.0 / first if first else 0.0)
    return Figures(
        metiers=len(rankings),
        recall_at_10=statistics.fmean(recalls),
        mrr=statistics.fmean(reciprocal),
        hit_at_10=statistics.fmean(hits),
        recall_at_10_capped=statistics.fmean(capped),
    )


def evaluate(
    size: int = 300,
    seed: int = DEFAULT_SEED,
    weights: Weights = DEFAULT_WEIGHTS,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Figures]:
    """{"engine": ..., "jaccard": ...} on ``size`` sampled métiers of the installed référentiel."""
    index = get_index()
    if index is None:
        raise RuntimeError("no ROME référentiel is installed")
    engine: dict[str, list[str]] = {}
    baseline: dict[str, list[str]] = {}
    for count, code in enumerate(sample_metiers(index, size, seed), start=1):
        profile = core_profile(index, code)
        engine[code] = ranked_codes(profile, exclude=[code], weights=weights)
        baseline[code] = jaccard_ranking(index, profile, code)
        if progress is not None:
            progress(count)
    return {"engine": figures(engine, index), "jaccard": figures(baseline, index)}
