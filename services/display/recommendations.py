"""Rows of the consultant's analysis page (``/bilans/<id>/analyse``) and the beneficiary's "Mes pistes":
the proposed métiers, the kept targets, their reasons, skill gap, paths and suggested training."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from services.i18n import format_number, translate
from services.job_search import Preferences
from services.matching.market import MarketSignal
from services.recommendations import KeptTarget
from services.training.suggest import Suggestion


class RecommendationRow(TypedDict):
    code_rome: str
    libelle: str
    score: str
    kept: bool  # already among the bilan's kept targets


class KeptTargetRow(TypedDict):
    id: str
    code_rome: str
    libelle: str
    score: str


class ExplanationRow(TypedDict):
    """Why a métier is proposed, the skills still to acquire (one line per group), the paths to it."""

    reasons: list[str]
    gap: list[str]
    paths: list[str]


class TrainingRow(TypedDict):
    title: str
    meta: str
    reasons: str


def _score(score: float, locale: str) -> str:
    return translate("reco.score", locale, score=format_number(round(score), locale))


def _explanation(details: Mapping[str, Any]) -> ExplanationRow:
    gap = [
        f"{group.get('libelle', '')} : " + ", ".join(skill["libelle"] for skill in group.get("competences", []))
        for group in details.get("competences_a_acquerir", [])
    ]
    return {
        "reasons": [str(reason) for reason in details.get("raisons", [])],
        "gap": gap,
        "paths": [str(path.get("texte", "")) for path in details.get("parcours", [])],
    }


def explanation_rows(details: Iterable[Mapping[str, Any]]) -> list[ExplanationRow]:
    """The reasons, gap and paths of each recommendation (``Recommendation.to_dict()``), at its index."""
    return [_explanation(one) for one in details]


def recommendation_rows(metiers: Iterable[Mapping[str, Any]], kept: set[str], locale: str) -> list[RecommendationRow]:
    """One head per proposed métier (``Recommendation.to_dict()``), ``kept`` when its code is in ``kept``."""
    return [
        {
            "code_rome": metier["code_rome"],
            "libelle": metier["libelle"],
            "score": _score(metier["score"], locale),
            "kept": metier["code_rome"] in kept,
        }
        for metier in metiers
    ]


def mark_kept(rows: Iterable[RecommendationRow], kept: set[str]) -> list[RecommendationRow]:
    """The same rows, ``kept`` again from the codes of the targets kept now."""
    return [{**row, "kept": row["code_rome"] in kept} for row in rows]


def kept_target_rows(targets: Iterable[KeptTarget], locale: str) -> list[KeptTargetRow]:
    """One head per kept target (their reasons: ``explanation_rows``, their training: ``kept_training_rows``)."""
    return [
        {
            "id": target.id,
            "code_rome": target.code_rome,
            "libelle": target.libelle,
            "score": _score(target.score, locale),
        }
        for target in targets
    ]


def kept_explanation_rows(targets: Iterable[KeptTarget]) -> list[ExplanationRow]:
    """The reasons, gap and paths of each kept target, at its index."""
    return explanation_rows(target.details for target in targets)


def training_rows(suggestions: Iterable[Suggestion], locale: str) -> list[TrainingRow]:
    """The courses suggested for one target: title, provider and mode, why it is suggested."""
    return [
        {
            "title": s.course.title,
            "meta": translate(
                "reco.training_meta",
                locale,
                provider=s.course.provider or "—",
                mode=translate(f"training.mode.{s.course.mode}", locale),
            ),
            "reasons": " · ".join(s.reasons),
        }
        for s in suggestions
    ]


def kept_training_rows(targets: Iterable[KeptTarget], locale: str) -> list[list[TrainingRow]]:
    """The courses suggested for each kept target, at its index."""
    return [training_rows(target.training, locale) for target in targets]


def market_note(market: MarketSignal | None, locale: str) -> str:
    """Whether the ranking used the labour-market signal, and where from."""
    if market is None:
        return translate("reco.market.unconfigured", locale)
    if market.problem:
        return translate("reco.market.failed", locale)
    kind, code = market.territory
    where = (
        translate("reco.market.national", locale) if kind == "NAT" else translate("reco.market.dep", locale, code=code)
    )
    return translate("reco.market.used", locale, where=where)


def search_area(preferences: Preferences, locale: str) -> str:
    """ "Brest (29200), 30 km" — where the beneficiary looks for offers ("" before she says)."""
    if not preferences.commune:
        return ""
    place = preferences.commune_libelle or preferences.commune
    return translate("reco.search_area", locale, place=place, radius=preferences.rayon_km)
