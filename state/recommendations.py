"""The consultant's analysis page (run the local engine, keep targets) and the beneficiary's "Mes pistes"."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from services import bilans, job_search, recommendations
from services.access import Actor, Permission
from services.display.job_search import SavedOfferRow, saved_rows
from services.display.recommendations import (
    ExplanationRow,
    KeptTargetRow,
    RecommendationRow,
    TrainingRow,
    explanation_rows,
    kept_explanation_rows,
    kept_target_rows,
    kept_training_rows,
    mark_kept,
    market_note,
    recommendation_rows,
    search_area,
)
from services.errors import ServiceError
from state.session import FormMixin, SessionState, guarded


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
    beneficiary_offers: list[SavedOfferRow] = []
    results: list[RecommendationRow] = []
    result_texts: list[ExplanationRow] = []
    kept: list[KeptTargetRow] = []
    kept_training: list[list[TrainingRow]] = []
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
        targets, locale = targets or [], self.locale
        self.kept = kept_target_rows(targets, locale)
        self.kept_training = kept_training_rows(targets, locale)
        self.results = mark_kept(self.results, {row["code_rome"] for row in self.kept})
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
            self.results = recommendation_rows(metiers, set(analysis.kept), locale)
            self.result_texts = explanation_rows(metiers)
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
        self._apply(lambda: recommendations.keep_target(actor, self._bilan_id, details), "reco.kept_notice")
        self._load_kept(actor)
        return None

    @rx.event
    @guarded(lambda state: state._check())
    def drop(self, actor: Actor, target_id: str) -> Any:
        self._reset_messages()
        self._apply(lambda: recommendations.drop_target(actor, target_id), "reco.dropped_notice")
        self._load_kept(actor)
        return None


class PistesState(FormMixin, SessionState):
    pistes_status: str = "loading"  # loading | none | ready
    targets: list[KeptTargetRow] = []
    target_texts: list[ExplanationRow] = []
    target_training: list[list[TrainingRow]] = []
    offers_configured: bool = False
    saved: list[SavedOfferRow] = []  # the offers she kept

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
        targets = targets or []
        self.targets = kept_target_rows(targets, locale)
        self.target_texts = kept_explanation_rows(targets)
        self.target_training = kept_training_rows(targets, locale)
        self.offers_configured = job_search.available()
        _, saved = self._run(lambda: job_search.saved_offers(actor, bilan_id))
        labels = {row["code_rome"]: row["libelle"] for row in self.targets}
        self.saved = saved_rows(saved or [], labels, locale)
        self.pistes_status = "ready" if ok else "none"
        return None
