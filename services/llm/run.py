"""Running an AI feature on a bilan: the engine decision, the call, validation, usage, audit, proposal.

Who may do what: a follower of the bilan (its assigned consultant, or an org admin) runs the
features; the session-notes themes only for the assigned consultant (the notes are their own work,
not even the org admin reads them). Every query goes through ``get_bilan``: another organisation's
bilan answers NotFound.

Which engine runs:

1. the local engine when the caller asks for it (``prefer_local``; ``after_failure`` when the provider
   has just failed on this feature: the proposal says so), when no LLM is configured for the
   organisation, when the beneficiary has not consented, or when the month's token budget is spent;
2. otherwise the provider, with the prompt pseudonymised. The answer must be JSON that the feature's
   pydantic model accepts; an invalid answer is asked again (``LLM_OUTPUT_ATTEMPTS`` in all), then
   ``LlmInvalidOutput``. A timeout, a rate limit or an outage raises a typed ``LlmError`` whose code
   has a French message.

Every provider call writes a usage row and an ``ai.call`` audit event (feature, model, tokens,
estimated cost, duration, hash of the pseudonymised input; never the content). Its outcome says
whether the organisation's budget is charged (``services.llm.budget.BILLED_OUTCOMES``): an unusable
answer is recorded once the run's fate is known, "retried" when a later attempt validated, else
"invalid_output" (a failure, not charged), like a call that errored. The result is stored as a
proposal for the consultant's review (``services.llm.review``).

``stream_feature`` checks access at once and returns a generator of ``StreamEvent`` (started,
delta with the partial text, retry, fallback, done): a Reflex background event can iterate it
(``astream_feature`` is the asyncio version). ``run_feature`` and the four named features return the
final ``FeatureResult``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from services import audit
from services.access import Actor
from services.bilans import (
    get_bilan,
    log_personal_read,
    record_on_bilan,
    require_assigned_consultant,
    require_follower,
)
from services.crypto import encrypt_text
from services.db import session_scope
from services.llm import local, prompts, provider
from services.llm.actions import AiAction
from services.llm.budget import budget_allows, is_failure
from services.llm.consent import consent_in_force
from services.llm.context import BilanContext, build_context
from services.llm.errors import LlmError, LlmInvalidOutput
from services.llm.pricing import estimate_cost
from services.llm.pseudonymise import Pseudonymiser
from services.llm.schemas import (
    OUTPUT_MODELS,
    AiFeature,
    RecommendationExplanation,
    RecommendationInput,
    SessionThemes,
    SyntheseDraft,
    TransferableSkillsAnalysis,
)
from services.models import AiEngine, AiProposal, AiUsage, Bilan
from services.settings import get_settings

FallbackReason = Literal["", "requested", "provider_failed", "not_configured", "no_consent", "budget_exhausted"]
# Rough size of a complete answer, for the progress bar while streaming.
_EXPECTED_CHARS = {
    AiFeature.TRANSFERABLE_SKILLS: 2500,
    AiFeature.RECOMMENDATION_EXPLANATION: 1500,
    AiFeature.SYNTHESE_DRAFT: 3000,
    AiFeature.SESSION_THEMES: 1500,
}


@dataclass(frozen=True)
class FeatureResult:
    proposal_id: uuid.UUID
    feature: AiFeature
    engine: AiEngine
    model: str  # "" for the local engine
    fallback_reason: FallbackReason  # why the local engine ran ("" when the provider answered)
    output: BaseModel
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class StreamEvent:
    kind: Literal["started", "delta", "retry", "fallback", "done"]
    engine: AiEngine
    text: str = ""  # delta: the answer so far, placeholders restored
    progress: float = 0.0  # 0..1, an estimate while streaming
    attempt: int = 1
    reason: FallbackReason = ""
    result: FeatureResult | None = None


@dataclass(frozen=True)
class _Plan:
    bilan: Bilan
    context: BilanContext
    config: provider.ProviderConfig | None
    reason: FallbackReason


# ---------------------------------------------------------------- access and decision


def _plan(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    feature: AiFeature,
    recommendation: RecommendationInput | None,
    targets: list[RecommendationInput] | None,
    prefer_local: bool,
    after_failure: bool = False,
) -> _Plan:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        if feature is AiFeature.SESSION_THEMES:
            require_assigned_consultant(actor, bilan)
        if feature is AiFeature.RECOMMENDATION_EXPLANATION and recommendation is None:
            raise ValueError("explain_recommendation needs a RecommendationInput")
        context = build_context(session, actor, bilan, feature, recommendation=recommendation, targets=targets)
        log_personal_read(session, actor, bilan, f"ai.{feature}")
        if prefer_local or after_failure:
            failed = after_failure and _last_call_failed(session, bilan, feature)
            return _Plan(bilan, context, None, "provider_failed" if failed else "requested")
        config, reason = _decide(session, bilan, _estimate(feature, context))
        return _Plan(bilan, context, config, reason)


def _decide(
    session: Session, bilan: Bilan, estimated_tokens: int
) -> tuple[provider.ProviderConfig | None, FallbackReason]:
    """The provider to call, or None and why the local engine runs instead."""
    config = provider.resolve_config(session, bilan.organisation_id)
    if config is None:
        return None, "not_configured"
    if not consent_in_force(session, bilan):
        return None, "no_consent"
    if not budget_allows(session, bilan.organisation_id, estimated_tokens):
        return None, "budget_exhausted"
    return config, ""


def _last_call_failed(session: Session, bilan: Bilan, feature: AiFeature) -> bool:
    """True when the latest provider call of this feature on the bilan failed (the proposal may say so)."""
    last = session.exec(
        select(AiUsage.outcome)
        .where(AiUsage.organisation_id == bilan.organisation_id, AiUsage.bilan_id == bilan.id)
        .where(AiUsage.feature == str(feature))
        .order_by(col(AiUsage.created_at).desc())
        .limit(1)
    ).first()
    return last is not None and is_failure(last)


@dataclass(frozen=True)
class EngineChoice:
    engine: AiEngine
    model: str  # "" for the local engine
    reason: FallbackReason  # why the local engine would run


def engine_choice(actor: Actor, bilan_id: uuid.UUID | str) -> EngineChoice:
    """Which engine a feature would run on now for this bilan (followers), for the screen to say so
    before anything is sent. The budget is checked as spent when nothing is left of it."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        config, reason = _decide(session, bilan, 1)
    if config is None:
        return EngineChoice(AiEngine.LOCAL, "", reason)
    return EngineChoice(AiEngine.LLM, config.model, "")


def _estimate(feature: AiFeature, context: BilanContext) -> int:
    return sum(provider.estimate_tokens(m["content"]) for m in prompts.messages(feature, context))


# ---------------------------------------------------------------- recording


def _record_call(
    actor: Actor,
    bilan: Bilan,
    feature: AiFeature,
    model: str,
    input_hash: str,
    outcome: str,
    completion: provider.Completion | None,
) -> None:
    """One usage row and its ``ai.call`` audit event (metadata only), in one transaction."""
    prompt_tokens = completion.prompt_tokens if completion else 0
    completion_tokens = completion.completion_tokens if completion else 0
    cost = estimate_cost(model, prompt_tokens, completion_tokens)
    with session_scope() as session:
        usage = AiUsage(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            user_id=actor.user_id,
            feature=str(feature),
            model=model,
            outcome=outcome,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_estimate=cost,
            duration_ms=completion.duration_ms if completion else 0,
            input_hash=input_hash,
        )
        session.add(usage)
        audit.record(
            session,
            AiAction.CALL,
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="ai_usage",
            target_id=usage.id,
            changes={
                "bilan_id": str(bilan.id),
                "feature": str(feature),
                "model": model,
                "outcome": outcome,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "cost_estimate_eur": cost,
                "duration_ms": usage.duration_ms,
                "input_hash": input_hash,
            },
        )


def _store(
    actor: Actor,
    bilan_id: uuid.UUID,
    feature: AiFeature,
    output: BaseModel,
    engine: AiEngine,
    *,
    model: str = "",
    reason: FallbackReason = "",
    input_hash: str = "",
    tokens: tuple[int, int] = (0, 0),
) -> FeatureResult:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        proposal = AiProposal(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            feature=str(feature),
            engine=engine,
            model=model,
            fallback_reason=reason,
            input_hash=input_hash,
            content_encrypted=encrypt_text(output.model_dump_json()),
            created_by=actor.user_id,
        )
        session.add(proposal)
        record_on_bilan(
            session,
            actor,
            bilan,
            AiAction.PROPOSAL_CREATED,
            ai_proposal={"before": None, "after": str(feature)},
            engine={"before": None, "after": " ".join(part for part in (str(engine), model, reason) if part)},
        )
        return FeatureResult(proposal.id, feature, engine, model, reason, output, *tokens)


# ---------------------------------------------------------------- the provider's answer


def _parse(feature: AiFeature, text: str, pseudonymiser: Pseudonymiser) -> BaseModel:
    """The answer as the feature's model, placeholders restored; ValueError when it does not fit."""
    body = text.strip()
    if body.startswith("```"):  # a fenced block despite JSON mode
        body = body.strip("`").removeprefix("json").strip()
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    return OUTPUT_MODELS[feature].model_validate(pseudonymiser.restore_data(data))


def _problem(exc: Exception) -> str:
    """What was wrong with an answer, for the retry prompt (never the values, which may be personal)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()[:8])
    if isinstance(exc, json.JSONDecodeError):
        return f"JSON invalide ({exc.msg})"
    return str(exc)[:200]


def _local_events(actor: Actor, plan: _Plan, feature: AiFeature) -> Iterator[StreamEvent]:
    yield StreamEvent("started", AiEngine.LOCAL, reason=plan.reason)
    output = local.produce(feature, plan.context)
    result = _store(actor, plan.bilan.id, feature, output, AiEngine.LOCAL, reason=plan.reason)
    yield StreamEvent("done", AiEngine.LOCAL, progress=1.0, reason=plan.reason, result=result)


def _provider_events(
    actor: Actor, plan: _Plan, feature: AiFeature, extra_names: Iterable[str], stream: bool
) -> Iterator[StreamEvent]:
    config = plan.config
    assert config is not None
    settings = get_settings()
    pseudonymiser = Pseudonymiser(names=[*plan.context.names, *extra_names], employers=plan.context.employers)
    system, user = prompts.messages(feature, plan.context)
    messages = [system, {"role": "user", "content": pseudonymiser.pseudonymise(user["content"])}]
    input_hash = hashlib.sha256(json.dumps(messages, ensure_ascii=False).encode()).hexdigest()
    attempts = max(1, settings.llm_output_attempts)
    # The unusable answers of this run, recorded once its fate is known: "retried" when a later attempt
    # validates, else "invalid_output" (a failure), whatever ends the run (error, budget, closed generator).
    unusable: list[provider.Completion] = []

    def settle(outcome: str) -> None:
        for answer in unusable:
            _record_call(actor, plan.bilan, feature, answer.model, input_hash, outcome, answer)
        unusable.clear()

    yield StreamEvent("started", AiEngine.LLM)
    try:
        with provider.make_client(config) as client:
            for attempt in range(1, attempts + 1):
                if attempt > 1:
                    with session_scope() as session:
                        # The unusable answers are not counted yet: the retry must fit with them.
                        spent = sum(answer.prompt_tokens + answer.completion_tokens for answer in unusable)
                        estimate = spent + sum(provider.estimate_tokens(m["content"]) for m in messages)
                        if not budget_allows(session, plan.bilan.organisation_id, estimate):
                            settle("invalid_output")
                            yield StreamEvent("fallback", AiEngine.LOCAL, reason="budget_exhausted")
                            spent_plan = _Plan(plan.bilan, plan.context, None, "budget_exhausted")
                            yield from _local_events(actor, spent_plan, feature)
                            return
                completion: provider.Completion | None = None
                try:
                    if stream:
                        so_far = ""
                        for piece in provider.stream(client, config, messages, settings.llm_max_output_tokens):
                            if isinstance(piece, provider.Completion):
                                completion = piece
                            else:
                                so_far += piece
                                yield StreamEvent(
                                    "delta",
                                    AiEngine.LLM,
                                    text=pseudonymiser.restore(so_far),
                                    progress=min(0.95, len(so_far) / _EXPECTED_CHARS[feature]),
                                    attempt=attempt,
                                )
                    else:
                        completion = provider.complete(client, config, messages, settings.llm_max_output_tokens)
                except LlmError as exc:
                    settle("invalid_output")
                    _record_call(actor, plan.bilan, feature, config.model, input_hash, exc.outcome, None)
                    raise
                assert completion is not None
                try:
                    output = _parse(feature, completion.text, pseudonymiser)
                except ValueError as exc:  # json.JSONDecodeError and ValidationError are ValueErrors
                    unusable.append(completion)
                    if attempt == attempts:
                        raise LlmInvalidOutput() from exc
                    messages = [
                        *messages,
                        {"role": "assistant", "content": completion.text},
                        {
                            "role": "user",
                            "content": "Ta réponse ne respecte pas le schéma JSON demandé ("
                            + _problem(exc)
                            + "). Réponds de nouveau, uniquement avec l'objet JSON complet et valide.",
                        },
                    ]
                    yield StreamEvent("retry", AiEngine.LLM, attempt=attempt + 1)
                    continue
                settle("retried")
                _record_call(actor, plan.bilan, feature, completion.model, input_hash, "ok", completion)
                result = _store(
                    actor,
                    plan.bilan.id,
                    feature,
                    output,
                    AiEngine.LLM,
                    model=completion.model,
                    input_hash=input_hash,
                    tokens=(completion.prompt_tokens, completion.completion_tokens),
                )
                yield StreamEvent("done", AiEngine.LLM, progress=1.0, attempt=attempt, result=result)
                return
    finally:
        settle("invalid_output")


# ---------------------------------------------------------------- the public API


def stream_feature(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    feature: AiFeature | str,
    *,
    recommendation: RecommendationInput | None = None,
    targets: list[RecommendationInput] | None = None,
    extra_names: Iterable[str] = (),
    prefer_local: bool = False,
    after_failure: bool = False,
    stream: bool = True,
) -> Iterator[StreamEvent]:
    """Check access now, then return the events of the run (the last one is "done", with the result).

    ``extra_names``: capitalised names the caller knows of (people mentioned in free text) to be
    pseudonymised as well. ``after_failure``: the local engine answers in place of a provider that has
    just failed (its proposal's reason is "provider_failed" when the latest call of the feature did
    fail). Raises NotFound / AccessDenied at once, LlmError while iterating.
    """
    feature = AiFeature(feature)
    plan = _plan(actor, bilan_id, feature, recommendation, targets, prefer_local, after_failure)
    if plan.config is None:
        return _local_events(actor, plan, feature)
    return _provider_events(actor, plan, feature, list(extra_names), stream)


async def astream_feature(
    actor: Actor, bilan_id: uuid.UUID | str, feature: AiFeature | str, **options: Any
) -> AsyncIterator[StreamEvent]:
    """``stream_feature`` for asyncio (a Reflex background event): each step runs in a worker thread."""
    events = await asyncio.to_thread(stream_feature, actor, bilan_id, feature, **options)
    while True:
        event = await asyncio.to_thread(next, events, None)
        if event is None:
            return
        yield event


def run_feature(actor: Actor, bilan_id: uuid.UUID | str, feature: AiFeature | str, **options: Any) -> FeatureResult:
    """Run a feature to its end (no streaming) and return its stored proposal."""
    result: FeatureResult | None = None
    for event in stream_feature(actor, bilan_id, feature, stream=False, **options):
        result = event.result or result
    assert result is not None
    return result


def analyse_transferable_skills(
    actor: Actor, bilan_id: uuid.UUID | str, *, extra_names: Iterable[str] = (), prefer_local: bool = False
) -> FeatureResult:
    """Transferable skills from the parcours and the assessed skills (``TransferableSkillsAnalysis``)."""
    return run_feature(
        actor, bilan_id, AiFeature.TRANSFERABLE_SKILLS, extra_names=extra_names, prefer_local=prefer_local
    )


def explain_recommendation(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    recommendation: RecommendationInput,
    *,
    extra_names: Iterable[str] = (),
    prefer_local: bool = False,
) -> FeatureResult:
    """Why a target métier is recommended, and how to close its gaps (``RecommendationExplanation``)."""
    return run_feature(
        actor,
        bilan_id,
        AiFeature.RECOMMENDATION_EXPLANATION,
        recommendation=recommendation,
        extra_names=extra_names,
        prefer_local=prefer_local,
    )


def draft_synthese(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    targets: list[RecommendationInput] | None = None,
    *,
    extra_names: Iterable[str] = (),
    prefer_local: bool = False,
) -> FeatureResult:
    """Draft sections of the synthèse and suggested actions (``SyntheseDraft``)."""
    return run_feature(
        actor, bilan_id, AiFeature.SYNTHESE_DRAFT, targets=targets, extra_names=extra_names, prefer_local=prefer_local
    )


def session_themes(
    actor: Actor, bilan_id: uuid.UUID | str, *, extra_names: Iterable[str] = (), prefer_local: bool = False
) -> FeatureResult:
    """Recurring themes of the consultant's session notes (``SessionThemes``; assigned consultant only)."""
    return run_feature(actor, bilan_id, AiFeature.SESSION_THEMES, extra_names=extra_names, prefer_local=prefer_local)


__all__ = [
    "EngineChoice",
    "FeatureResult",
    "RecommendationExplanation",
    "SessionThemes",
    "StreamEvent",
    "SyntheseDraft",
    "TransferableSkillsAnalysis",
    "analyse_transferable_skills",
    "astream_feature",
    "draft_synthese",
    "engine_choice",
    "explain_recommendation",
    "run_feature",
    "session_themes",
    "stream_feature",
]
