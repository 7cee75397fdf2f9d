"""The AI layer against a fake OpenAI-compatible server, through the real ``openai`` SDK.

The bilan (organisation A): Bruno BenefA's parcours names an employer, an e-mail, a phone number,
an address and a colleague (Martine Durand); none of it may reach the server. Consent, budget,
provider override, review, usage and audit are checked on the way.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from datetime import date

import pytest
from sqlmodel import col, select

from services.access import Actor
from services.bilans import history
from services.crypto import encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.i18n import translate
from services.llm import admin, consent, review, run
from services.llm.errors import LlmError, LlmInvalidOutput, LlmRateLimited, LlmTimeout
from services.llm.schemas import (
    AiFeature,
    RecommendationExplanation,
    RecommendationInput,
    SessionThemes,
    SyntheseDraft,
    TransferableSkillsAnalysis,
)
from services.models import (
    AiEngine,
    AiOrganisationSettings,
    AiProposal,
    AiUsage,
    AssessmentExperience,
    AssessmentSkill,
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    ExperienceKind,
    Organisation,
    OrganisationPlan,
    Phase,
    SkillsAssessment,
)
from services.models.base import utcnow
from tests.unit import llm_fake
from tests.unit.llm_fake import Answer, Slow, Status

# The fake server's fixtures (session-wide server, reset before each test).
fake_llm_server = llm_fake.fake_llm_server
fake_llm = llm_fake.fake_llm

PLATFORM_KEY = "sk-platform-test-0000-1111"
PERSONAL = [
    "Bruno",
    "BenefA",
    "Camille",
    "ConseilA",
    "Martine Durand",
    "Durand",
    "bruno.benef@exemple.fr",
    "06 12 34 56 78",
    "rue des Lilas",
    "69003",
    "Boulangerie Martin",
    "Restos du Cœur",
]
TARGET = RecommendationInput(
    code_rome="D1106",
    libelle="Vendeur en alimentation",
    score=0.82,
    raisons=["vous maîtrisez l'accueil de la clientèle", "ce métier demande le sens du service"],
    competences_a_acquerir=["Gestion des stocks", "Hygiène alimentaire"],
    parcours=["Vendeur en alimentation puis Responsable de rayon"],
)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def llm_env(set_env, fake_llm):
    set_env(
        LLM_BASE_URL=fake_llm.base_url,
        LLM_API_KEY=PLATFORM_KEY,
        LLM_MODEL="gpt-4o-mini",
        LLM_TIMEOUT_SECONDS="5",
        LLM_MAX_RETRIES="2",
        LLM_OUTPUT_ATTEMPTS="2",
    )
    return fake_llm


def make_bilan(world, org: str = "a") -> uuid.UUID:
    """A bilan in investigation with objectives, a parcours, three rated skills and one session's notes."""
    beneficiary, consultant = world.actor(f"beneficiary_{org}"), world.actor(f"consultant_{org}")
    organisation_id = beneficiary.organisation_id
    with session_scope() as session:
        bilan = Bilan(
            organisation_id=organisation_id,
            beneficiary_id=beneficiary.user_id,
            consultant_id=consultant.user_id,
            consultant_accepted_at=utcnow(),
            status=BilanStatus.INVESTIGATION,
            objectives_encrypted=encrypt_text("Construire un projet de reconversion dans le commerce."),
        )
        session.add(bilan)
        session.flush()
        assessment = SkillsAssessment(organisation_id=organisation_id, bilan_id=bilan.id)
        session.add(assessment)
        session.flush()
        session.add_all(
            [
                AssessmentExperience(
                    organisation_id=organisation_id,
                    assessment_id=assessment.id,
                    kind=ExperienceKind.EMPLOI,
                    title="Vendeuse en boulangerie",
                    code_rome="D1102",
                    place_encrypted=encrypt_text("Boulangerie Martin"),
                    description_encrypted=encrypt_text(
                        "Accueil et encaissement. Contact : bruno.benef@exemple.fr, 06 12 34 56 78, "
                        "12 rue des Lilas, 69003 Lyon. Responsable : Martine Durand."
                    ),
                    start_on=date(2015, 1, 1),
                ),
                AssessmentExperience(
                    organisation_id=organisation_id,
                    assessment_id=assessment.id,
                    kind=ExperienceKind.BENEVOLAT,
                    title="Trésorier d'association",
                    place_encrypted=encrypt_text("Les Restos du Cœur"),
                    description_encrypted=encrypt_text("Tenue de la caisse et des comptes."),
                    start_on=date(2019, 3, 1),
                    end_on=date(2021, 6, 1),
                ),
            ]
        )
        for code, libelle, maitrise, appetence in (
            ("900001", "Accueillir une clientèle", "expert", "aime"),
            ("900002", "Encaisser des paiements", "avance", "naime_pas"),
            ("900003", "Tenir une comptabilité simple", "intermediaire", "neutre"),
        ):
            session.add(
                AssessmentSkill(
                    organisation_id=organisation_id,
                    assessment_id=assessment.id,
                    code_ogr=code,
                    libelle=libelle,
                    kind="savoir_faire",
                    domaine="Commerce",
                    core=True,
                    source_code_rome="D1102",
                    maitrise=maitrise,
                    appetence=appetence,
                )
            )
        session.add(
            BilanSession(
                organisation_id=organisation_id,
                bilan_id=bilan.id,
                phase=Phase.INVESTIGATION,
                starts_at=utcnow(),
                duration_minutes=90,
                notes_author_id=consultant.user_id,
                notes_encrypted=encrypt_text(
                    "Bruno évoque une reconversion, de la fatigue et du stress. Souhaite une formation. "
                    "Conflit avec Martine Durand chez Boulangerie Martin."
                ),
            )
        )
        return bilan.id


@pytest.fixture
def bilan(world) -> uuid.UUID:
    return make_bilan(world)


def consented(world, bilan_id) -> uuid.UUID:
    consent.give_consent(world.beneficiary_a, bilan_id)
    return bilan_id


def skills_answer(body: dict) -> str:
    """A valid analysis that uses the placeholders it was sent (as a real model would)."""
    data = json.loads(body["messages"][1]["content"])  # the data (a retry appends messages after it)
    who, employer = data["beneficiaire"], data["parcours"][0]["employeur"]
    return json.dumps(
        {
            "synthese": f"{who} a développé chez {employer} un solide sens du service.",
            "competences": [
                {
                    "competence": "Accueillir une clientèle",
                    "preuves": [f"Vendeuse en boulangerie ({employer})"],
                    "transferable_vers": ["Commerce", "Accueil"],
                    "niveau": "fort",
                }
            ],
            "points_de_vigilance": [],
        },
        ensure_ascii=False,
    )


def rows(model, *where):
    with session_scope() as session:
        return session.exec(select(model).where(*where).order_by(col(model.created_at))).all()


def set_plan(organisation_id, plan: OrganisationPlan) -> None:
    with session_scope() as session:
        organisation = session.get(Organisation, organisation_id)
        organisation.plan = plan
        session.add(organisation)


# ---------------------------------------------------------------- without an LLM: the local engine


@pytest.mark.parametrize(
    ("feature", "model"),
    [
        (AiFeature.TRANSFERABLE_SKILLS, TransferableSkillsAnalysis),
        (AiFeature.RECOMMENDATION_EXPLANATION, RecommendationExplanation),
        (AiFeature.SYNTHESE_DRAFT, SyntheseDraft),
        (AiFeature.SESSION_THEMES, SessionThemes),
    ],
)
def test_without_an_llm_the_local_engine_produces_every_structure(world, bilan, fake_llm, feature, model):
    consented(world, bilan)
    result = run.run_feature(world.consultant_a, bilan, feature, recommendation=TARGET, targets=[TARGET])
    assert (result.engine, result.fallback_reason, result.model) == (AiEngine.LOCAL, "not_configured", "")
    assert isinstance(result.output, model)
    model.model_validate(result.output.model_dump())
    assert fake_llm.requests == []
    stored = review.get_proposal(world.consultant_a, result.proposal_id)
    assert (stored.status, stored.engine, stored.content) == ("proposed", "local", result.output.model_dump())


def test_the_local_engine_writes_french_from_the_bilan(world, bilan):
    skills = run.analyse_transferable_skills(world.consultant_a, bilan).output
    assert "2 expériences" in skills.synthese and "« Vendeuse en boulangerie »" in skills.synthese
    assert skills.competences[0].competence == "Accueillir une clientèle"
    assert skills.competences[0].niveau == "fort"
    assert skills.competences[0].preuves == ["Vendeuse en boulangerie"]
    assert any("Encaisser des paiements" in point for point in skills.points_de_vigilance)

    explained = run.explain_recommendation(world.consultant_a, bilan, TARGET).output
    assert explained.metier == "Vendeur en alimentation"
    assert "82 %" in explained.explication and "l'accueil de la clientèle" in explained.explication
    assert [gap.competence for gap in explained.ecarts] == ["Gestion des stocks", "Hygiène alimentaire"]

    draft = run.draft_synthese(world.consultant_a, bilan, [TARGET]).output
    assert [section.cle for section in draft.sections] == ["contexte", "parcours_competences", "pistes", "conclusion"]
    assert "reconversion dans le commerce" in draft.sections[0].contenu
    assert draft.actions[0].intitule == "Enquête métier : Vendeur en alimentation"

    themes = run.session_themes(world.consultant_a, bilan).output
    found = {theme.theme: theme for theme in themes.themes}
    assert {"Reconversion professionnelle", "Formation et certification", "Santé et fatigue au travail"} <= set(found)
    assert found["Santé et fatigue au travail"].a_approfondir is True
    assert found["Reconversion professionnelle"].seances == [1]


# ---------------------------------------------------------------- consent


def test_no_request_leaves_without_consent_and_withdrawal_stops_them_again(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    result = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert (result.engine, result.fallback_reason) == (AiEngine.LOCAL, "no_consent")
    assert fake.requests == []

    view = consent.give_consent(world.beneficiary_a, bilan)
    assert (view.given, view.status, view.text_version) == (True, "given", consent.CONSENT_TEXT_VERSION)
    assert run.analyse_transferable_skills(world.consultant_a, bilan).engine is AiEngine.LLM
    assert len(fake.requests) == 1

    consent.withdraw_consent(world.beneficiary_a, bilan)
    again = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert (again.engine, again.fallback_reason) == (AiEngine.LOCAL, "no_consent")
    assert len(fake.requests) == 1

    assert consent.get_consent(world.consultant_a, bilan).status == "withdrawn"
    actions = [row.action for row in history(world.consultant_a, bilan)]
    assert "ai.consent_given" in actions and "ai.consent_withdrawn" in actions

    # A refusal keeps everything on the platform too.
    assert consent.refuse_consent(world.beneficiary_a, bilan).status == "refused"
    refused = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert (refused.engine, refused.fallback_reason, len(fake.requests)) == (AiEngine.LOCAL, "no_consent", 1)


def test_only_the_beneficiary_decides_on_consent(world, bilan):
    for actor in (world.consultant_a, world.admin_a):
        with pytest.raises(AccessDenied):
            consent.give_consent(actor, bilan)
        with pytest.raises(AccessDenied):
            consent.withdraw_consent(actor, bilan)
    assert consent.get_consent(world.admin_a, bilan).status == ""


# ---------------------------------------------------------------- pseudonymisation, usage and audit


def test_nothing_personal_reaches_the_provider_and_the_answer_is_restored(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    result = run.analyse_transferable_skills(world.consultant_a, bilan, extra_names=["Martine Durand"])

    assert result.engine is AiEngine.LLM and result.model == "gpt-4o-mini"
    sent = fake.sent_text()
    leaked = [value for value in PERSONAL if value in sent]
    assert leaked == []
    for placeholder in ("[PERSONNE_1]", "[EMPLOYEUR_", "[EMAIL_1]", "[TELEPHONE_1]", "[ADRESSE_1]", "[PERSONNE_3]"):
        assert placeholder in sent
    # The answer used placeholders; the stored proposal reads with the real names.
    output = result.output
    assert output.synthese == "Bruno BenefA a développé chez Boulangerie Martin un solide sens du service."
    assert output.competences[0].preuves == ["Vendeuse en boulangerie (Boulangerie Martin)"]
    assert review.get_proposal(world.consultant_a, result.proposal_id).content["synthese"] == output.synthese

    request = fake.requests[0]
    assert request["response_format"] == {"type": "json_object"}
    assert request["model"] == "gpt-4o-mini" and "stream" not in request
    assert fake.headers[0]["authorization"] == f"Bearer {PLATFORM_KEY}"


def test_every_call_is_counted_and_audited_without_its_content(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    result = run.analyse_transferable_skills(world.consultant_a, bilan)

    (usage,) = rows(AiUsage)
    expected_hash = hashlib.sha256(json.dumps(fake.requests[0]["messages"], ensure_ascii=False).encode()).hexdigest()
    assert (usage.feature, usage.model, usage.outcome) == ("transferable_skills", "gpt-4o-mini", "ok")
    assert (usage.prompt_tokens, usage.completion_tokens, usage.bilan_id) == (120, 80, bilan)
    assert usage.cost_estimate == pytest.approx((120 * 0.14 + 80 * 0.55) / 1_000_000, abs=1e-4)
    assert usage.input_hash == expected_hash and usage.duration_ms >= 0
    assert (result.prompt_tokens, result.completion_tokens) == (120, 80)

    (event,) = rows(AuditEvent, AuditEvent.action == "ai.call")
    assert event.organisation_id == world.org_a and event.actor_user_id == world.consultant_a.user_id
    assert event.changes["input_hash"] == expected_hash
    assert event.changes["prompt_tokens"] == 120 and event.changes["model"] == "gpt-4o-mini"
    assert "cost_estimate_eur" in event.changes and "duration_ms" in event.changes
    recorded = json.dumps(event.changes, ensure_ascii=False)
    assert [value for value in [*PERSONAL, "sens du service"] if value in recorded] == []
    # The proposal's content is encrypted at rest.
    (proposal,) = rows(AiProposal)
    assert "Boulangerie" not in proposal.content_encrypted and proposal.input_hash == expected_hash
    # Reading the bilan's data for the AI is logged as a personal-data read.
    reads = rows(AuditEvent, AuditEvent.action == "bilan.personal_data_read")
    assert [r.changes["read"] for r in reads] == ["ai.transferable_skills"]

    summary = admin.usage_summary(world.admin_a)
    assert (summary.calls, summary.used_tokens, summary.failed_calls) == (1, 200, 0)
    assert summary.remaining == summary.budget - 200
    assert [(f.feature, f.calls, f.tokens) for f in summary.by_feature] == [("transferable_skills", 1, 200)]
    (row,) = admin.list_usage(world.admin_a)
    assert (row.feature, row.prompt_tokens, row.input_hash) == ("transferable_skills", 120, expected_hash)
    assert admin.usage_summary(world.admin_b).calls == 0
    assert admin.usage_summary(world.admin_a, date(2001, 1, 1)).calls == 0


# ---------------------------------------------------------------- invalid output, errors, timeouts


def test_an_invalid_answer_is_asked_again_then_accepted(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    fake.then(Answer("Voici l'analyse : pas de JSON ici"), Answer(json.dumps({"synthese": ""})))
    with pytest.raises(LlmInvalidOutput) as caught:
        run.analyse_transferable_skills(world.consultant_a, bilan)
    assert caught.value.code == "llm.error.invalid_output"
    assert rows(AiProposal) == []
    assert [u.outcome for u in rows(AiUsage)] == ["invalid_output", "invalid_output"]

    fake.requests.clear()
    fake.then(Answer('{"synthese": "incomplet"'))  # truncated JSON, then the default valid answer
    result = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert result.engine is AiEngine.LLM and result.output.competences
    assert len(fake.requests) == 2
    retry = fake.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": '{"synthese": "incomplet"'}
    assert "schéma JSON" in retry[-1]["content"]
    # The unusable answer of a run that then validated is charged with it ("retried").
    assert [u.outcome for u in rows(AiUsage)][-2:] == ["retried", "ok"]


def test_a_rate_limit_is_retried_after_the_delay_it_asks(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    fake.then(Status(429, {"retry-after-ms": "50"}), Status(500, {"retry-after-ms": "10"}))
    started = time.monotonic()
    result = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert result.engine is AiEngine.LLM
    assert len(fake.requests) == 3
    assert 0.05 <= time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (429, LlmRateLimited, "llm.error.rate_limited"),
        (500, LlmError, "llm.error.unavailable"),
        (401, LlmError, "llm.error.auth"),
    ],
)
def test_a_persistent_error_becomes_a_typed_error_with_a_french_message(world, bilan, llm_env, status, error, code):
    fake = llm_env
    consented(world, bilan)
    fake.then(*[Status(status, {"retry-after-ms": "1"})] * 3)
    with pytest.raises(error) as caught:
        run.analyse_transferable_skills(world.consultant_a, bilan)
    assert caught.value.code == code
    assert translate(code) != code and translate(code, "en") != code
    assert rows(AiProposal) == []
    (usage,) = rows(AiUsage)
    assert usage.outcome == caught.value.outcome and usage.prompt_tokens == 0
    assert rows(AuditEvent, AuditEvent.action == "ai.call")[0].changes["outcome"] == usage.outcome


def test_a_timeout_gets_a_friendly_french_message(world, bilan, llm_env, set_env):
    fake = llm_env
    set_env(LLM_TIMEOUT_SECONDS="0.3", LLM_MAX_RETRIES="0")
    consented(world, bilan)
    fake.then(Slow(1.0, Answer("{}")))
    with pytest.raises(LlmTimeout) as caught:
        run.analyse_transferable_skills(world.consultant_a, bilan)
    assert caught.value.code == "llm.error.timeout"
    assert translate(caught.value.code) == (
        "L'assistant IA met trop de temps à répondre. Réessayez dans un instant, ou utilisez le moteur local."
    )
    assert [u.outcome for u in rows(AiUsage)] == ["timeout"]


# ---------------------------------------------------------------- streaming


def test_streaming_yields_progress_then_a_validated_result(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    events = list(run.stream_feature(world.consultant_a, bilan, "transferable_skills"))

    kinds = [event.kind for event in events]
    assert kinds[0] == "started" and kinds[-1] == "done"
    deltas = [event for event in events if event.kind == "delta"]
    assert len(deltas) >= 3
    assert [d.progress for d in deltas] == sorted(d.progress for d in deltas) and deltas[-1].progress <= 0.95
    assert "Bruno BenefA" in deltas[-1].text and "[PERSONNE_1]" not in deltas[-1].text  # restored as it streams
    result = events[-1].result
    assert isinstance(result.output, TransferableSkillsAnalysis) and result.engine is AiEngine.LLM
    assert result.output.synthese.startswith("Bruno BenefA")
    request = fake.requests[0]
    assert request["stream"] is True and request["stream_options"] == {"include_usage": True}
    assert (rows(AiUsage)[0].prompt_tokens, rows(AiUsage)[0].completion_tokens) == (120, 80)


def test_streaming_an_invalid_answer_retries_then_validates(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    fake.then(Answer('{"competences": "pas une liste", "synthese": "x"}'))
    kinds = [event.kind for event in run.stream_feature(world.consultant_a, bilan, "transferable_skills")]
    assert "retry" in kinds and kinds[-1] == "done"
    assert len(fake.requests) == 2


def test_a_stalled_stream_times_out(world, bilan, llm_env, set_env):
    fake = llm_env
    set_env(LLM_TIMEOUT_SECONDS="0.3", LLM_MAX_RETRIES="0")
    consented(world, bilan)
    fake.then(Slow(1.0, Answer(skills_answer_for_stream())))
    events = run.stream_feature(world.consultant_a, bilan, "transferable_skills")
    seen = []
    with pytest.raises(LlmTimeout):
        for event in events:
            seen.append(event.kind)
    assert seen[0] == "started" and "delta" in seen
    assert [u.outcome for u in rows(AiUsage)] == ["timeout"]


def skills_answer_for_stream() -> str:
    return json.dumps({"synthese": "Une synthèse assez longue pour plusieurs morceaux. " * 3, "competences": []})


def test_the_stream_runs_in_asyncio_for_a_background_event(world, bilan, llm_env):
    llm_env.default = skills_answer
    consented(world, bilan)

    async def collect():
        return [event async for event in run.astream_feature(world.consultant_a, bilan, "transferable_skills")]

    events = asyncio.run(collect())
    assert events[0].kind == "started" and events[-1].kind == "done" and events[-1].result.engine is AiEngine.LLM


def test_the_local_engine_streams_too(world, bilan):
    events = list(run.stream_feature(world.consultant_a, bilan, "synthese_draft", targets=[TARGET]))
    assert [event.kind for event in events] == ["started", "done"]
    assert events[-1].result.engine is AiEngine.LOCAL and isinstance(events[-1].result.output, SyntheseDraft)


# ---------------------------------------------------------------- budget


def test_an_exhausted_budget_switches_to_the_local_engine(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    admin.update_ai_settings(world.admin_a, {"monthly_token_budget": "3000"})
    first = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert first.engine is AiEngine.LLM
    fake.then(Answer(skills_answer(fake.requests[0]), prompt_tokens=2500))
    assert run.analyse_transferable_skills(world.consultant_a, bilan).engine is AiEngine.LLM  # 200 + 2580 used
    third = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert (third.engine, third.fallback_reason) == (AiEngine.LOCAL, "budget_exhausted")
    assert len(fake.requests) == 2
    assert admin.usage_summary(world.admin_a).remaining == 3000 - 2780

    # Budget 0: the organisation chose the local engine only; another organisation is not affected.
    admin.update_ai_settings(world.admin_a, {"monthly_token_budget": 0})
    assert run.analyse_transferable_skills(world.consultant_a, bilan).fallback_reason == "budget_exhausted"
    other = make_bilan(world, "b")
    consent.give_consent(world.beneficiary_b, other)
    assert run.analyse_transferable_skills(world.consultant_b, other).engine is AiEngine.LLM


def test_the_budget_form_is_validated(world):
    with pytest.raises(FormError) as caught:
        admin.update_ai_settings(world.admin_a, {"monthly_token_budget": "-5"})
    assert set(caught.value.fields) == {"monthly_token_budget"}
    view = admin.update_ai_settings(world.admin_a, {"monthly_token_budget": ""})
    assert view.budget_is_default and view.monthly_token_budget == 1_000_000


# ---------------------------------------------------------------- the Enterprise override


def test_the_provider_override_is_enterprise_only_and_its_key_is_encrypted(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    own_key = "sk-org-alpha-secret-98761234"
    override = {"base_url": fake.base_url, "model": "mistral-small-latest", "api_key": own_key}

    with pytest.raises(ServiceError) as caught:
        admin.update_ai_settings(world.admin_a, override)
    assert caught.value.code == "llm.error.override_enterprise_only"
    with pytest.raises(AccessDenied):
        admin.update_ai_settings(world.consultant_a, {"monthly_token_budget": 10})

    set_plan(world.org_a, OrganisationPlan.ENTERPRISE)
    view = admin.update_ai_settings(world.admin_a, override)
    assert (view.api_key_hint, view.effective_source, view.effective_model) == (
        "•••• 1234",
        "organisation",
        "mistral-small-latest",
    )
    assert own_key not in repr(view)
    (stored,) = rows(AiOrganisationSettings)
    assert own_key not in stored.api_key_encrypted and stored.api_key_encrypted
    settings_event = rows(AuditEvent, AuditEvent.action == "ai.settings_updated")[-1]
    assert settings_event.changes["api_key"] == {"before": None, "after": "set"}
    assert own_key not in json.dumps(settings_event.changes)

    result = run.analyse_transferable_skills(world.consultant_a, bilan)
    assert result.model == "mistral-small-latest"
    assert fake.headers[-1]["authorization"] == f"Bearer {own_key}"
    assert PLATFORM_KEY not in json.dumps(fake.headers)

    # The form sent again without a key keeps it; clearing it removes it.
    assert admin.update_ai_settings(world.admin_a, {**override, "api_key": ""}).api_key_hint == "•••• 1234"
    cleared = admin.update_ai_settings(world.admin_a, {**override, "api_key": "", "clear_api_key": True})
    assert cleared.api_key_hint == ""

    # Back on a smaller plan, the platform's provider serves again.
    admin.update_ai_settings(world.admin_a, {**override, "api_key": own_key})
    set_plan(world.org_a, OrganisationPlan.PROFESSIONAL)
    run.analyse_transferable_skills(world.consultant_a, bilan)
    assert fake.requests[-1]["model"] == "gpt-4o-mini"
    assert fake.headers[-1]["authorization"] == f"Bearer {PLATFORM_KEY}"


def test_an_own_base_url_never_receives_the_platform_key(world, bilan, llm_env):
    fake = llm_env
    fake.default = skills_answer
    consented(world, bilan)
    set_plan(world.org_a, OrganisationPlan.ENTERPRISE)
    admin.update_ai_settings(world.admin_a, {"base_url": fake.base_url, "model": "llama3"})
    run.analyse_transferable_skills(world.consultant_a, bilan)
    assert fake.requests[-1]["model"] == "llama3"
    assert PLATFORM_KEY not in fake.headers[-1]["authorization"]


def test_a_base_url_must_be_a_web_address(world):
    set_plan(world.org_a, OrganisationPlan.ENTERPRISE)
    with pytest.raises(FormError) as caught:
        admin.update_ai_settings(world.admin_a, {"base_url": "file:///etc/passwd"})
    assert caught.value.fields == {"base_url": "llm.error.base_url_invalid"}


# ---------------------------------------------------------------- human review


def test_the_consultant_accepts_edits_or_rejects_each_proposal(world, bilan):
    consultant = world.consultant_a
    first, second, third = (run.analyse_transferable_skills(consultant, bilan).proposal_id for _ in range(3))
    fresh = review.get_proposal(consultant, first)
    assert fresh.reviewable and fresh.editable

    accepted = review.accept_proposal(consultant, first)
    assert accepted.status == "accepted" and not accepted.reviewable and not accepted.editable
    with pytest.raises(ServiceError) as caught:
        review.reject_proposal(consultant, first)
    assert caught.value.code == "llm.error.already_reviewed"

    content = review.get_proposal(consultant, second).content
    content["synthese"] = "Synthèse réécrite par la consultante."
    edited = review.edit_proposal(world.admin_a, second, content)
    assert edited.status == "edited" and edited.content["synthese"] == "Synthèse réécrite par la consultante."
    assert edited.original["synthese"] != edited.content["synthese"]
    assert edited.editable and not edited.reviewable  # edited again, never accepted or rejected after
    with pytest.raises(FormError):
        review.edit_proposal(consultant, second, {"synthese": "", "competences": "aucune"})
    assert review.get_proposal(consultant, second).content["synthese"] == "Synthèse réécrite par la consultante."

    rejected = review.reject_proposal(consultant, third)
    assert rejected.status == "rejected" and not rejected.reviewable and not rejected.editable
    statuses = {view.id: view.status for view in review.list_proposals(consultant, bilan)}
    assert statuses == {str(first): "accepted", str(second): "edited", str(third): "rejected"}
    assert review.list_proposals(consultant, bilan, "session_themes") == []

    actions = [row.action for row in history(consultant, bilan)]
    for action in ("ai.proposal_created", "ai.proposal_accepted", "ai.proposal_edited", "ai.proposal_rejected"):
        assert action in actions
    with pytest.raises(AccessDenied):
        review.accept_proposal(world.beneficiary_a, third)
    with pytest.raises(AccessDenied):
        review.list_proposals(world.beneficiary_a, bilan)


def test_the_session_notes_stay_the_assigned_consultants(world, bilan):
    with pytest.raises(AccessDenied):
        run.session_themes(world.admin_a, bilan)
    proposal = run.session_themes(world.consultant_a, bilan).proposal_id
    assert review.list_proposals(world.admin_a, bilan) == []
    with pytest.raises(AccessDenied):
        review.get_proposal(world.admin_a, proposal)
    assert [view.feature for view in review.list_proposals(world.consultant_a, bilan)] == ["session_themes"]


def test_another_consultant_of_the_organisation_sees_nothing(world, bilan):
    stranger = Actor(user_id=uuid.uuid4(), role=world.consultant_a.role, organisation_id=world.org_a)
    with pytest.raises(NotFound):
        run.analyse_transferable_skills(stranger, bilan)
    proposal = run.analyse_transferable_skills(world.consultant_a, bilan).proposal_id
    with pytest.raises(NotFound):
        review.accept_proposal(stranger, proposal)


def test_the_matching_engines_recommendation_feeds_the_explanation(world, bilan):
    """The shape of services.matching's ``Recommendation.to_dict()``: groups and paths become text."""
    ranked = {
        "code_rome": "D1106",
        "libelle": "Vendeur en alimentation",
        "score": 74.5,
        "detail_score": {"competences": 80.0, "interets": None},
        "raisons": ["vous maîtrisez l'accueil de la clientèle"],
        "competences_maitrisees": [{"code_ogr": "900001", "libelle": "Accueillir", "kind": "savoir_faire"}],
        "competences_a_acquerir": [
            {
                "kind": "savoir_faire",
                "libelle": "Savoir-faire",
                "competences": [
                    {"code_ogr": "1", "libelle": "Gestion des stocks", "kind": "savoir_faire", "coeur": True},
                    {"code_ogr": "2", "libelle": "Hygiène alimentaire", "kind": "savoir_faire", "coeur": False},
                ],
                "total": 2,
            }
        ],
        "parcours": [{"type": "direct", "etapes": [], "texte": "Vendeuse en boulangerie → Vendeur en alimentation"}],
        "riasec": "ES",
    }
    target = RecommendationInput.model_validate(ranked)
    assert target.competences_a_acquerir == ["Gestion des stocks", "Hygiène alimentaire"]
    assert target.parcours == ["Vendeuse en boulangerie → Vendeur en alimentation"]
    explained = run.explain_recommendation(world.consultant_a, bilan, target).output
    assert "75 %" in explained.explication or "74 %" in explained.explication
    assert [gap.competence for gap in explained.ecarts] == ["Gestion des stocks", "Hygiène alimentaire"]
    assert any("Vendeuse en boulangerie → Vendeur en alimentation" in step for step in explained.prochaines_etapes)
