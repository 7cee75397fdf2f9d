"""The AI panel of the consultant's analysis page: which engine runs, a streamed run (transferable
skills, or the explanation of a target métier), and the review of the bilan's proposals (accept, edit
as text fields, reject). Every handler re-checks the session; the services check the bilan."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from services import recommendations
from services.access import Actor
from services.display.ai import (
    ContentBlockRow,
    EditFieldRow,
    ProposalRow,
    content_blocks,
    edit_field_rows,
    proposal_rows,
)
from services.errors import ServiceError
from services.llm import review
from services.llm import run as llm_run
from services.llm.editing import apply_edits, partial_texts, text_leaves
from services.llm.errors import LlmError
from services.llm.schemas import AiFeature, RecommendationInput
from services.models import AiEngine, Role
from state.recommendations import AnalysisPageMixin, AnalysisState
from state.session import FormMixin, SessionState, guarded
from state.streaming import throttled

# The screen is updated at most this often while an answer streams in (each update is a websocket
# message; a fast provider sends many small deltas).
# The session notes' themes are the assigned consultant's only (services.llm.run checks it again).
BILAN_FEATURES = {AiFeature.TRANSFERABLE_SKILLS.value, AiFeature.SESSION_THEMES.value}
PANEL_FEATURES = (AiFeature.TRANSFERABLE_SKILLS, AiFeature.RECOMMENDATION_EXPLANATION, AiFeature.SESSION_THEMES)


class AiPanelState(FormMixin, AnalysisPageMixin, SessionState):
    engine_is_llm: bool = False
    notes_author: bool = False  # the assigned consultant (an org admin does not read the session notes)
    engine_text: str = ""
    run_status: str = "idle"  # idle | running
    run_label: str = ""
    run_progress: int = 0
    run_message: str = ""
    run_preview: list[str] = []
    proposals: list[ProposalRow] = []
    proposal_blocks: list[list[ContentBlockRow]] = []
    editing_id: str = ""
    edit_fields: list[EditFieldRow] = []
    # The feature whose provider run has just failed: the local engine is offered in its place, one click.
    local_offer: str = ""
    _local_code_rome: str = ""  # the target métier of a failed explanation

    def _load_engine(self, actor: Any) -> None:
        ok, choice = self._run(lambda: llm_run.engine_choice(actor, self._bilan_id))
        if not ok:
            return
        self.engine_is_llm = choice.engine is AiEngine.LLM
        self.engine_text = (
            self._t("aipanel.engine_llm", model=choice.model)
            if self.engine_is_llm
            else self._t("aipanel.engine_local") + " " + self._t(f"aipanel.reason.{choice.reason}")
        )

    def _load_proposals(self, actor: Any) -> None:
        ok, views = self._run(lambda: review.list_proposals(actor, self._bilan_id))
        views = [view for view in views or [] if view.feature in PANEL_FEATURES]
        self.proposals = proposal_rows(views, self.locale)
        self.proposal_blocks = [content_blocks(view.feature, view.content, self.locale) for view in views]
        if not ok:
            self.proposals, self.proposal_blocks = [], []

    @rx.event
    @guarded(lambda state: state._check())
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.run_status, self.run_preview, self.run_message, self.editing_id = "idle", [], "", ""
        self.local_offer, self._local_code_rome = "", ""
        self.notes_author = actor.role is Role.CONSULTANT
        self._load_engine(actor)
        self._load_proposals(actor)
        return None

    # ------------------------------------------------------------ streamed runs

    async def _stream(
        self, actor: Any, bilan_id: str, feature: AiFeature, *, code_rome: str = "", **options: Any
    ) -> None:
        """Run a feature and show its answer as it arrives (call outside ``async with self``).

        When the provider fails (an unusable answer, a timeout, an outage…), the local engine is offered
        in its place (``use_local``)."""
        try:
            async for event in throttled(llm_run.astream_feature(actor, bilan_id, feature, **options)):
                async with self:
                    if event.kind == "delta":
                        self.run_progress = round(event.progress * 100)
                        self.run_preview = partial_texts(event.text)[-12:]
                        self.run_message = self._t("aipanel.progress", percent=self.run_progress)
                    elif event.kind == "retry":
                        self.run_preview = []
                        self.run_message = self._t("aipanel.retry", attempt=event.attempt)
                    elif event.kind == "fallback":
                        self.run_message = self._t(f"llm.fallback.{event.reason}")
                    elif event.kind == "done":
                        self.run_progress = 100
                        fallback = self._t(f"llm.fallback.{event.reason}") + " " if event.reason else ""
                        self.run_message = fallback + self._t("aipanel.done")
        except ServiceError as exc:  # LlmError (timeout, 429, outage…), NotFound, AccessDenied
            async with self:
                self.form_error = self._t(exc.code, **exc.params)
                self.run_message = ""
                if isinstance(exc, LlmError):
                    self.local_offer, self._local_code_rome = feature.value, code_rome
        async with self:
            self.run_status, self.run_preview = "idle", []
            self._load_engine(actor)
            self._load_proposals(actor)

    def _start(self, label: str) -> bool:
        if self.run_status == "running":
            self.form_error = self._t("aipanel.busy")
            return False
        self.run_status, self.run_label, self.run_progress, self.run_preview = "running", label, 0, []
        self.local_offer, self._local_code_rome = "", ""
        self.run_message = self._t("aipanel.running", label=label)
        return True

    @rx.event(background=True)
    async def run_feature(self, feature: str) -> Any:
        """A feature that needs nothing but the bilan: transferable skills, the session notes' themes."""
        if feature not in BILAN_FEATURES:
            return None
        async with self:
            self._reset_messages()
            actor, redirect = self._check()
            if actor is None:
                return redirect
            if not self._start(self._t(f"llm.feature.{feature}")):
                return None
            bilan_id = self._bilan_id
        await self._stream(actor, bilan_id, AiFeature(feature))
        return None

    async def _target(self, actor: Any, bilan_id: str, code_rome: str) -> RecommendationInput | None:
        """A target métier's details: from the analysis on screen, else from the kept targets."""
        async with self:
            analysis = await self.get_state(AnalysisState)
            details = analysis._details.get(code_rome)
        if details is None:  # a kept target from an earlier analysis
            kept = await asyncio.to_thread(recommendations.kept_targets, actor, bilan_id, with_training=False)
            details = next((target.details for target in kept if target.code_rome == code_rome), None)
        return None if details is None else RecommendationInput.model_validate(details)

    @rx.event(background=True)
    @guarded(lambda state: state._check())
    async def explain(self, actor: Actor, code_rome: str) -> Any:
        async with self:
            self._reset_messages()
            bilan_id = self._bilan_id
        target = await self._target(actor, bilan_id, code_rome)
        if target is None:
            return None
        async with self:
            if not self._start(self._t("aipanel.explain_label", libelle=target.libelle)):
                return None
        await self._stream(
            actor, bilan_id, AiFeature.RECOMMENDATION_EXPLANATION, code_rome=code_rome, recommendation=target
        )
        return None

    @rx.event(background=True)
    @guarded(lambda state: state._check())
    async def use_local(self, actor: Actor) -> Any:
        """The local engine's proposal in place of the provider's failed run (reviewed like any other)."""
        async with self:
            self._reset_messages()
            feature, code_rome, bilan_id = self.local_offer, self._local_code_rome, self._bilan_id
        if feature not in {item.value for item in PANEL_FEATURES}:
            return None
        options: dict[str, Any] = {}
        if feature == AiFeature.RECOMMENDATION_EXPLANATION:
            target = await self._target(actor, bilan_id, code_rome)
            if target is None:
                return None
            options["recommendation"] = target
        async with self:
            label = (
                self._t("aipanel.explain_label", libelle=options["recommendation"].libelle)
                if options
                else self._t(f"llm.feature.{feature}")
            )
            if not self._start(label):
                return None
        await self._stream(actor, bilan_id, AiFeature(feature), after_failure=True, **options)
        return None

    # ------------------------------------------------------------ review

    def _review(self, call: Any, notice: str) -> Any:
        self._reset_messages()
        actor, redirect = self._check()
        if actor is None:
            return redirect
        if self._apply(lambda: call(actor), notice):
            self.editing_id, self.edit_fields = "", []
        self._load_proposals(actor)
        return None

    @rx.event
    def accept(self, proposal_id: str) -> Any:
        return self._review(lambda actor: review.accept_proposal(actor, proposal_id), "aipanel.accepted_notice")

    @rx.event
    def reject(self, proposal_id: str) -> Any:
        return self._review(lambda actor: review.reject_proposal(actor, proposal_id), "aipanel.rejected_notice")

    @rx.event
    @guarded(lambda state: state._check())
    def start_edit(self, actor: Actor, proposal_id: str) -> Any:
        self._reset_messages()
        ok, view = self._run(lambda: review.get_proposal(actor, proposal_id))
        if not ok:
            return None
        self.editing_id = proposal_id
        self.edit_fields = edit_field_rows(text_leaves(view.feature, view.content), self.locale)
        return None

    @rx.event
    def cancel_edit(self) -> None:
        self._reset_messages()
        self.editing_id, self.edit_fields = "", []

    @rx.event
    @guarded(lambda state: state._check())
    def save_edit(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        proposal_id = self.editing_id
        values = {str(key): str(value) for key, value in form_data.items()}
        # What was typed stays in the fields, whatever the outcome.
        self.edit_fields = [{**field, "value": values.get(field["path"], field["value"])} for field in self.edit_fields]
        ok, view = self._run(lambda: review.get_proposal(actor, proposal_id))
        if not ok:
            return None
        errors: dict[str, str] = {}
        content = apply_edits(view.feature, view.content, values)
        ok, _ = self._run(lambda: review.edit_proposal(actor, proposal_id, content), errors)
        self.errors = errors
        if ok:
            self.notice = self._t("aipanel.edited_notice")
            self.editing_id, self.edit_fields = "", []
            self._load_proposals(actor)
        return None
