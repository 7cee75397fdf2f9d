"""The consultant's analysis page (run the local engine, keep targets) and the beneficiary's "Mes pistes"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import reflex as rx

from services import bilans, job_search, recommendations
from services.access import Actor, Permission
from services.display.job_search import saved_rows
from services.errors import ServiceError
from services.i18n import format_number, translate
from services.job_search import Preferences
from services.matching.market import MarketSignal
from services.training.suggest import Suggestion
from state.session import FormMixin, SessionState, guarded


def _texts(details: dict[str, Any]) -> dict[str, list[str]]:
    gap = [
        f"{group.get('libelle', '')} : " + ", ".join(skill["libelle"] for skill in group.get("competences", []))
        for group in details.get("competences_a_acquerir", [])
    ]
    return {
        "reasons": [str(reason) for reason in details.get("raisons", [])],
        "gap": gap,
        "paths": [str(path.get("texte", "")) for path in details.get("parcours", [])],
    }


def recommendation_rows(
    metiers: Iterable[dict[str, Any]], kept: set[str], locale: str
) -> tuple[list[dict[str, str]], list[dict[str, list[str]]]]:
    """One head per recommendation and, at the same index, its reasons, gap and paths."""
    heads, texts = [], []
    for metier in metiers:
        heads.append(
            {
                "code_rome": metier["code_rome"],
                "libelle": metier["libelle"],
                "score": translate("reco.score", locale, score=format_number(round(metier["score"]), locale)),
                "kept": "1" if metier["code_rome"] in kept else "",
            }
        )
        texts.append(_texts(metier))
    return heads, texts


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


def _training_rows(suggestions: Iterable[Suggestion], locale: str) -> list[dict[str, str]]:
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


def kept_rows(
    targets: Iterable[recommendations.KeptTarget], locale: str
) -> tuple[list[dict[str, str]], list[dict[str, list[str]]], list[list[dict[str, str]]]]:
    heads, texts, training = [], [], []
    for target in targets:
        heads.append(
            {
                "id": target.id,
                "code_rome": target.code_rome,
                "libelle": target.libelle,
                "score": translate("reco.score", locale, score=format_number(round(target.score), locale)),
            }
        )
        texts.append(_texts(target.details))
        training.append(_training_rows(target.training, locale))
    return heads, texts, training


class AnalysisPageMixin(rx.State, mixin=True):
    """The states of ``/bilans/<id>/analyse``: a follower of the bilan named in the path."""

    _bilan_id: str = ""

    def _check(self) -> tuple[Any, Any]:
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)  # type: ignore[attr-defined]
        if actor is None:
            return None, redirect
        self._bilan_id = self._route_param("bilan_id")
        return actor, None


class AnalysisState(FormMixin, AnalysisPageMixin, SessionState):
    analysis_status: str = "idle"  # idle | running | done | missing
    progress_message: str = ""
    aspirations: str = ""
    draft_warning: bool = False
    no_skills: bool = False
    market_note: str = ""
    search_area: str = ""  # the beneficiary's commune and radius, "" when she set none
    beneficiary_offers: list[dict[str, str]] = []
    results: list[dict[str, str]] = []
    result_texts: list[dict[str, list[str]]] = []
    kept: list[dict[str, str]] = []
    kept_texts: list[dict[str, list[str]]] = []
    kept_training: list[list[dict[str, str]]] = []
    bilan_href: str = ""
    _details: dict[str, dict[str, Any]] = {}

    def _load_job_search(self, actor: Any) -> None:
        """What the beneficiary set up for her job search: where she looks, the offers she kept (read only)."""
        bilan_id, locale = self._bilan_id, self.locale
        ok, preferences = self._run(lambda: job_search.get_preferences(actor, bilan_id))
        self.search_area = search_area(preferences, locale) if ok else ""
        ok, saved = self._run(lambda: job_search.saved_offers(actor, bilan_id))
        labels = {row["code_rome"]: row["libelle"] for row in self.kept}
        self.beneficiary_offers = saved_rows(saved, labels, locale) if ok else []

    def _load_kept(self, actor: Any) -> None:
        ok, targets = self._run(lambda: recommendations.kept_targets(actor, self._bilan_id, locale=self.locale))
        self.kept, self.kept_texts, self.kept_training = kept_rows(targets or [], self.locale)
        codes = {row["code_rome"] for row in self.kept}
        self.results = [{**row, "kept": "1" if row["code_rome"] in codes else ""} for row in self.results]
        if not ok:
            self.analysis_status = "missing"

    @rx.event
    @guarded(lambda state: state._check())
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.analysis_status, self.results, self.result_texts, self._details = "idle", [], [], {}
        self.bilan_href = f"/bilans/{self._bilan_id}"
        self._load_kept(actor)
        self._load_job_search(actor)
        return None

    @rx.event
    def set_aspirations(self, value: str) -> None:
        self.aspirations = value[:2000]

    @rx.event(background=True)
    @guarded(lambda state: state._check())
    async def run_analysis(self, actor: Actor) -> Any:
        async with self:
            self._reset_messages()
            self.analysis_status = "running"
            self.progress_message = self._t("reco.step.profile")
            bilan_id, aspirations, locale = self._bilan_id, self.aspirations, self.locale
        await asyncio.sleep(0)
        async with self:
            self.progress_message = self._t("reco.step.matching")
        try:
            analysis = await asyncio.to_thread(recommendations.analyse, actor, bilan_id, aspirations, locale)
        except ServiceError as exc:  # shown next to the button; the page keeps working
            async with self:
                self.analysis_status = "idle"
                self.form_error = self._t(exc.code, **exc.params)
            return None
        metiers = [metier.to_dict() for metier in analysis.result.metiers]
        async with self:
            self._details = {metier["code_rome"]: metier for metier in metiers}
            self.results, self.result_texts = recommendation_rows(metiers, set(analysis.kept), locale)
            self.draft_warning = not analysis.assessment_validated
            self.market_note = market_note(analysis.market, locale)
            self.no_skills = analysis.skills == 0
            self.progress_message = self._t("reco.step.done", count=len(metiers))
            self.analysis_status = "done"
        return None

    @rx.event
    @guarded(lambda state: state._check())
    def keep(self, actor: Actor, code_rome: str) -> Any:
        self._reset_messages()
        details = self._details.get(code_rome)
        if details is None:
            return None
        ok, _ = self._run(lambda: recommendations.keep_target(actor, self._bilan_id, details))
        if ok:
            self.notice = self._t("reco.kept_notice")
        self._load_kept(actor)
        return None

    @rx.event
    @guarded(lambda state: state._check())
    def drop(self, actor: Actor, target_id: str) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: recommendations.drop_target(actor, target_id))
        if ok:
            self.notice = self._t("reco.dropped_notice")
        self._load_kept(actor)
        return None


class PistesState(FormMixin, SessionState):
    pistes_status: str = "loading"  # loading | none | ready
    targets: list[dict[str, str]] = []
    target_texts: list[dict[str, list[str]]] = []
    target_training: list[list[dict[str, str]]] = []
    offers_configured: bool = False
    saved: list[dict[str, str]] = []  # the offers she kept (state.job_search.saved_rows)

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.pistes_status = "none"
            return None
        bilan_id, locale = str(overview.bilan_id), self.locale
        ok, targets = self._run(lambda: recommendations.kept_targets(actor, bilan_id, locale=locale))
        self.targets, self.target_texts, self.target_training = kept_rows(targets or [], locale)
        self.offers_configured = job_search.available()
        _, saved = self._run(lambda: job_search.saved_offers(actor, bilan_id))
        labels = {row["code_rome"]: row["libelle"] for row in self.targets}
        self.saved = saved_rows(saved or [], labels, locale)
        self.pistes_status = "ready" if ok else "none"
        return None
