"""Issue 11 §4: a provider whose answers never fit, against the fake server's two misbehaving models (valid
JSON of the wrong shape, and prose).

Such a run is recorded as failed calls (tokens kept, for the admin) that the monthly budget does not
count; the local engine then answers in place of each of the panel's three features, one call away, and
its proposal is reviewed like any other; the admin is warned once the provider fails repeatedly.
"""

from __future__ import annotations

import pytest

from services.db import session_scope
from services.display.ai import call_rows, health_warning
from services.llm import admin, review, run
from services.llm.budget import month_start, tokens_used
from services.llm.errors import LlmError, LlmInvalidOutput
from services.llm.schemas import AiFeature, RecommendationExplanation, SessionThemes, TransferableSkillsAnalysis
from services.models import AiEngine, AiProposal, AiUsage, AuditEvent, ProposalStatus
from tests.unit import llm_fake, test_llm
from tests.unit.llm_fake import Answer, Status
from tests.unit.test_llm import TARGET, consented, rows, skills_answer

# The fixtures: the fake server (reset before each test), its environment, and test_llm's bilan.
fake_llm_server = llm_fake.fake_llm_server
fake_llm = llm_fake.fake_llm
llm_env = test_llm.llm_env
bilan = test_llm.bilan

MISBEHAVING = pytest.mark.parametrize("answers", [llm_fake.wrong_shape, llm_fake.prose], ids=["wrong_shape", "prose"])
PANEL_FEATURES = [
    (AiFeature.TRANSFERABLE_SKILLS, TransferableSkillsAnalysis, {}),
    (AiFeature.RECOMMENDATION_EXPLANATION, RecommendationExplanation, {"recommendation": TARGET}),
    (AiFeature.SESSION_THEMES, SessionThemes, {}),
]


def used(world) -> int:
    with session_scope() as session:
        return tokens_used(session, world.org_a, month_start())


@MISBEHAVING
def test_an_answer_that_never_fits_is_a_failed_call_the_budget_does_not_count(world, bilan, llm_env, answers):
    fake = llm_env
    consented(world, bilan)
    fake.default = answers
    with pytest.raises(LlmInvalidOutput):
        run.analyse_transferable_skills(world.consultant_a, bilan)
    assert len(fake.requests) == 2  # LLM_OUTPUT_ATTEMPTS

    # Both answers are recorded, with their tokens, as failures (and audited so), but not charged.
    recorded = rows(AiUsage)
    assert [(row.outcome, row.prompt_tokens, row.completion_tokens) for row in recorded] == [
        ("invalid_output", 120, 80)
    ] * 2
    calls = rows(AuditEvent, AuditEvent.action == "ai.call")
    assert [event.changes["outcome"] for event in calls] == ["invalid_output"] * 2
    assert rows(AiProposal) == []
    assert used(world) == 0
    summary = admin.usage_summary(world.admin_a)
    assert (summary.used_tokens, summary.remaining, summary.calls) == (0, summary.budget, 2)
    assert (summary.failed_calls, summary.failed_tokens) == (2, 400)
    assert [(item.feature, item.calls, item.tokens) for item in summary.by_feature] == [("transferable_skills", 2, 0)]
    # The admin's list of calls gives the reason in French.
    latest = call_rows(admin.list_usage(world.admin_a), "fr")
    assert [(row["outcome_label"], row["failed"]) for row in latest] == [
        ("Échec : réponse inexploitable (hors du format attendu)", True)
    ] * 2


def test_an_answer_fixed_on_its_retry_is_charged_with_the_retry(world, bilan, llm_env):
    fake = llm_env
    consented(world, bilan)
    fake.default = skills_answer
    fake.then(Answer(llm_fake.PROSE))
    result = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert result.engine is AiEngine.LLM
    assert [row.outcome for row in rows(AiUsage)] == ["retried", "ok"]
    assert used(world) == 400
    assert admin.usage_summary(world.admin_a).failed_calls == 0


def test_a_call_that_errors_is_a_failed_call(world, bilan, llm_env):
    fake = llm_env
    consented(world, bilan)
    fake.then(Answer(llm_fake.WRONG_SHAPE), *[Status(500, {"retry-after-ms": "1"})] * 3)
    with pytest.raises(LlmError) as caught:
        run.analyse_transferable_skills(world.consultant_a, bilan)
    assert caught.value.code == "llm.error.unavailable"
    # The unusable first answer, then the outage: two failures, nothing charged.
    assert [row.outcome for row in rows(AiUsage)] == ["invalid_output", "unavailable"]
    assert used(world) == 0
    assert admin.usage_summary(world.admin_a).failed_calls == 2


@MISBEHAVING
@pytest.mark.parametrize(("feature", "model", "options"), PANEL_FEATURES, ids=[f[0].value for f in PANEL_FEATURES])
def test_the_local_engine_answers_in_place_of_a_failed_provider(
    world, bilan, llm_env, answers, feature, model, options
):
    fake = llm_env
    consented(world, bilan)
    fake.default = answers
    with pytest.raises(LlmInvalidOutput):
        run.run_feature(world.consultant_a, bilan, feature, **options)
    sent = len(fake.requests)

    result = run.run_feature(world.consultant_a, bilan, feature, after_failure=True, **options)
    assert (result.engine, result.model, result.fallback_reason) == (AiEngine.LOCAL, "", "provider_failed")
    assert isinstance(result.output, model)
    assert len(fake.requests) == sent  # nothing more was sent
    # The proposal goes through the same review, labelled as the local engine's.
    (proposal,) = review.list_proposals(world.consultant_a, bilan)
    assert (proposal.engine, proposal.fallback_reason, proposal.status) == ("local", "provider_failed", "proposed")
    review.accept_proposal(world.consultant_a, proposal.id)
    assert rows(AiProposal)[0].status is ProposalStatus.ACCEPTED


def test_without_a_failure_the_local_engine_does_not_claim_one(world, bilan, llm_env):
    consented(world, bilan)
    result = run.run_feature(world.consultant_a, bilan, AiFeature.TRANSFERABLE_SKILLS, after_failure=True)
    assert (result.engine, result.fallback_reason) == (AiEngine.LOCAL, "requested")
    assert llm_env.requests == []


def test_the_admin_is_warned_when_the_provider_fails_repeatedly(world, bilan, llm_env):
    fake = llm_env
    consented(world, bilan)
    fake.default = skills_answer
    run.analyse_transferable_skills(world.consultant_a, bilan)
    fake.default = llm_fake.prose
    with pytest.raises(LlmInvalidOutput):
        run.analyse_transferable_skills(world.consultant_a, bilan)
    once = admin.provider_health(world.admin_a)
    assert (once.failing, once.streak, once.failures) == (False, 2, 2)  # one failed run is not "repeatedly"
    assert health_warning(once, "fr") == ""

    with pytest.raises(LlmInvalidOutput):
        run.analyse_transferable_skills(world.consultant_a, bilan)
    twice = admin.provider_health(world.admin_a)
    assert (twice.failing, twice.streak, twice.failures, twice.recent) == (True, 4, 4, 5)
    warning = health_warning(twice, "fr")
    assert warning.startswith("Le fournisseur d'IA échoue de façon répétée : 4 des 5 derniers appels ont échoué")
    assert "Échec : réponse inexploitable (hors du format attendu)" in warning
    assert admin.provider_health(world.admin_b).failing is False  # another organisation's provider

    # A success ends the streak; the warning goes once fewer than half the latest calls failed.
    fake.default = skills_answer
    run.analyse_transferable_skills(world.consultant_a, bilan)
    assert admin.provider_health(world.admin_a).failing is False
