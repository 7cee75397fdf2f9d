"""The document de synthèse (services/synthese/versions.py): drafts from the bilan's real data (local engine, and
the AI through the fake OpenAI-compatible server), versions, diff, validation lock, new version, the
beneficiary's observations, who reads the text (never the org admin), tenancy and audit.

The bilan (organisation A, Bruno BenefA followed by Camille ConseilA) is the AI tests' one
(tests/unit/test_llm.py ``make_bilan``), completed: the five criteria of its three skills, the
assessment validated, its session held, the questionnaire, a RIASEC result, a kept target métier
and a course of the organisation's catalogue for it.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from services import action_plan, bilans, recommendations
from services import synthese as service
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.i18n import translate, translate_count
from services.markdown import render_markdown
from services.models import (
    AiProposal,
    AssessmentSkill,
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    SessionStatus,
    SyntheseVersion,
)
from services.pdf.typography import NBSP, NNBSP
from services.psychometrics import service as psychometrics
from services.skills import assessment as skills
from services.synthese import SECTIONS, TODO_MARK, diff_sections, is_missing, uploaded
from services.training import catalogue as training_catalogue
from tests.unit import llm_fake, test_llm
from tests.unit.llm_fake import Answer, Status
from tests.unit.test_llm import consented, make_bilan

fake_llm_server = llm_fake.fake_llm_server
fake_llm = llm_fake.fake_llm
llm_env = test_llm.llm_env  # the fake server as the platform's provider

pytestmark = pytest.mark.usefixtures("isolated_storage")

TARGET = {
    "code_rome": "D1106",
    "libelle": "Vendeur en alimentation",
    "score": 82.0,
    "raisons": ["vous maîtrisez l'accueil de la clientèle", "ce métier demande le sens du service"],
    "competences_maitrisees": [
        {"code_ogr": "900001", "libelle": "Accueillir une clientèle", "kind": "savoir_faire", "coeur": True}
    ],
    "competences_a_acquerir": [
        {
            "kind": "savoir_faire",
            "libelle": "Savoir-faire",
            "competences": [
                {"code_ogr": "910001", "libelle": "Gérer les stocks", "kind": "savoir_faire", "coeur": True}
            ],
            "total": 1,
        }
    ],
    "parcours": [{"type": "direct", "etapes": [], "texte": "Vendeur en boulangerie puis vendeur en alimentation"}],
}
QUESTIONNAIRE = {
    "situation": "Vendeuse depuis dix ans, je souhaite évoluer.",
    "request": "Savoir vers quel métier du commerce me tourner.",
    "motivation": "Retrouver du sens et de l'autonomie.",
    "constraints": "Rester dans la région lyonnaise.",
}
AI_DRAFT = {
    "sections": [
        {
            "cle": "contexte",
            "titre": "Contexte",
            "contenu": "Bilan engagé pour préparer une évolution dans le commerce.",
        },
        {"cle": "parcours_competences", "titre": "Parcours", "contenu": "Dix ans de vente et un vrai sens du service."},
        {"cle": "pistes", "titre": "Pistes", "contenu": "Vendeur en alimentation, piste réaliste à court terme."},
        {"cle": "conclusion", "titre": "Conclusion", "contenu": "Le projet tient, sous réserve d'une formation."},
    ],
    "actions": [
        {
            "intitule": "Enquête métier",
            "description": "Rencontrer deux vendeurs en épicerie fine.",
            "echeance": "court_terme",
        }
    ],
}
NEW_PROJECT = "Projet retenu : vendeur en alimentation.\n\nAlternative : responsable de rayon."


def _complete_bilan(world, bilan_id: uuid.UUID) -> None:
    beneficiary, consultant = world.beneficiary_a, world.consultant_a
    with session_scope() as session:
        for skill in session.exec(select(AssessmentSkill)).all():
            skill.frequence, skill.contexte, skill.potentiel = "quotidienne", "experience_pro", "fort"
            session.add(skill)
        for appointment in session.exec(select(BilanSession).where(BilanSession.bilan_id == bilan_id)).all():
            appointment.status = SessionStatus.HELD
            session.add(appointment)
    skills.validate(consultant, bilan_id)
    bilans.save_questionnaire(beneficiary, bilan_id, QUESTIONNAIRE, complete=False)
    test = psychometrics.start_or_resume(beneficiary, bilan_id, "interests_riasec")
    low, high = test.instrument.scale[0].value, test.instrument.scale[-1].value
    answers = {question.item_id: (high if index % 3 == 0 else low) for index, question in enumerate(test.questions)}
    psychometrics.save_answers(beneficiary, test.id, answers)
    psychometrics.complete(beneficiary, test.id)
    recommendations.keep_target(consultant, bilan_id, TARGET)
    training_catalogue.create_course(
        world.admin_a,
        {
            "title": "Titre professionnel Vendeur conseil en magasin",
            "provider": "Greta Lyon Métropole",
            "rome_codes": "D1106",
            "hours": 420,
            "mode": "distance",
        },
    )


@pytest.fixture
def bilan(world) -> uuid.UUID:
    bilan_id = make_bilan(world)
    _complete_bilan(world, bilan_id)
    return bilan_id


def rows(model, *where):
    with session_scope() as session:
        return session.exec(select(model).where(*where).order_by(col(model.created_at))).all()


def bilan_events(bilan_id, prefix="synthese."):
    return [
        event for event in rows(AuditEvent, AuditEvent.target_id == str(bilan_id)) if event.action.startswith(prefix)
    ]


def reads(bilan_id):
    return [
        event.changes["read"]
        for event in rows(AuditEvent, AuditEvent.action == "bilan.personal_data_read")
        if event.target_id == str(bilan_id)
    ]


# ---------------------------------------------------------------- the local engine


def test_the_local_engine_drafts_every_section_from_the_bilans_real_data(world, bilan):
    events = list(service.stream_draft(world.consultant_a, bilan))
    assert [e.step or e.kind for e in events] == ["collect", "compose", "done"]
    assert [e.engine for e in events] == ["local"] * 3
    info = events[-1].version
    assert (info.number, info.status, info.origin, info.model, info.based_on) == (1, "draft", "local", "", None)
    assert info.created_by == "Camille ConseilA"

    sections = service.get_current(world.consultant_a, bilan).sections
    assert list(sections) == list(SECTIONS)
    text = sections["circonstances"]
    assert "Vous avez demandé ce bilan de compétences le" in text
    assert "**Les objectifs convenus en phase préliminaire** : Construire un projet de reconversion" in text
    assert "**Votre demande** : Savoir vers quel métier du commerce me tourner." in text
    assert "1 séance réalisée, soit 1 h 30" in text
    assert "**Vendeuse en boulangerie** (Emploi, depuis janvier 2015, Boulangerie Martin)" in sections["parcours"]
    assert "Trésorier d'association" in sections["parcours"]
    skills_text = sections["competences"]
    assert "3 de vos compétences ont été évaluées" in skills_text and "validées par Camille ConseilA le" in skills_text
    assert "**À valoriser** :\n\n- Accueillir une clientèle (expert, Commerce)" in skills_text
    assert "**À mettre de côté** :\n\n- Encaisser des paiements" in skills_text
    assert "Intérêts professionnels" in sections["interets"] or "RIASEC" in sections["interets"]
    assert "code Holland : " in sections["interets"]
    assert "**Vos motivations** : Retrouver du sens" in sections["interets"]
    assert "### 1. Vendeur en alimentation (D1106)" in sections["projet"]
    assert "**Compétences à acquérir** : Gérer les stocks" in sections["projet"]
    assert "pour Vendeur en alimentation : Gérer les stocks" in sections["conditions"]
    assert "**Vos contraintes** : Rester dans la région lyonnaise." in sections["conditions"]
    assert (
        "**Titre professionnel Vendeur conseil en magasin** (Greta Lyon Métropole, à distance, 420 h)"
        in (sections["formations"])
    )
    assert "Camille ConseilA" in sections["ressources"] and "https://mon-cep.org" in sections["ressources"]
    assert sections["observations"] == ""
    # Nothing was invented: a missing plan says so, in a line nobody takes for content.
    assert is_missing(sections["etapes"]) and TODO_MARK in sections["etapes"]
    assert rows(AiProposal) == []  # the local engine never goes through the AI layer


def test_the_local_draft_speaks_to_her_in_one_voice_with_agreed_plurals_and_no_cut_marks(world, bilan):
    """Issue 11 §7: the draft mixed "elle" and "vous", printed "dont 1 essentielle(s)" and cut texts with "[…]"."""
    consultant = world.consultant_a
    long_request = " ".join(
        f"Phrase numéro {number} de ma demande, assez longue pour la couper." for number in range(20)
    )
    bilans.save_questionnaire(world.beneficiary_a, bilan, {**QUESTIONNAIRE, "request": long_request}, complete=False)
    one_core = translate_count("matching.reason.core", 1, "fr")
    reason = translate("matching.reason.skills", "fr", count=2, total=9, core=one_core, examples="« Accueillir »")
    recommendations.keep_target(
        consultant, bilan, {**TARGET, "code_rome": "D1214", "libelle": "Vendeur en habillement", "raisons": [reason]}
    )
    info = service.generate_draft(consultant, bilan)
    sections = service.get_version(consultant, bilan, info.number).sections
    text = "\n".join(sections.values())
    assert "[…]" not in text and "(s)" not in text
    for third_person in ("la personne", "Bruno BenefA a", "par le consultant", "exprimées"):
        assert third_person not in text
    assert "Vous avez demandé ce bilan de compétences" in sections["circonstances"]
    request = next(line for line in sections["circonstances"].splitlines() if line.startswith("**Votre demande**"))
    assert "Phrase numéro 0 " in request and "Phrase numéro 19 " not in request and request.endswith("la couper.")
    assert "2 pistes professionnelles retenues avec vous" in sections["projet"]
    assert (
        "- Vous maîtrisez 2 des 9 compétences de ce métier, dont 1 essentielle : « Accueillir »." in sections["projet"]
    )


def test_the_matching_reasons_agree_the_number_of_core_skills():
    assert [translate_count("matching.reason.core", count, "fr") for count in (1, 2)] == [
        ", dont 1 essentielle",
        ", dont 2 essentielles",
    ]
    assert translate_count("matching.reason.core", 1, "en") == ", 1 of them core"


def test_the_pdf_cover_and_section_1_give_the_same_hours(world, bilan, tmp_path):
    """Issue 11 §7: the cover counted the planned sessions, section 1 the bilan's planned total."""
    from services.synthese import handover
    from tests.unit.test_documents import pdf_text

    consultant = world.consultant_a
    _validated(world, bilan)
    bilans.transition(consultant, bilan, BilanStatus.CONCLUSION)
    time = bilans.hours(consultant, bilan)
    assert time.planned_minutes != time.agreed_minutes  # the two definitions the cover and section 1 mixed
    handover.hand_over_synthese(consultant, bilan)
    text = pdf_text(uploaded.read_synthese(consultant, bilan)[1], tmp_path).replace("\u00a0", " ")
    cover = re.search(r"Durée réalisée (\d+ h(?: \d+)?) d'accompagnement sur (\d+ h(?: \d+)?) prévues", text)
    section = re.search(r"soit (\d+ h(?: \d+)?) sur (\d+ h(?: \d+)?) prévues", text)
    assert cover and section, text[:1500]
    assert cover.groups() == section.groups() == ("1 h 30", "24 h")


def test_the_steps_are_the_action_plans_actions_in_order(world, bilan):
    deadline = date.today() + timedelta(days=60)
    for title, status in (("Réaliser une enquête métier", "a_faire"), ("Piste écartée", "abandonnee")):
        action_plan.create_action(
            world.beneficiary_a,
            bilan,
            {
                "title": title,
                "indicator": "Deux entretiens réalisés",
                "deadline": deadline.isoformat(),
                "status": status,
                "milestones": [{"label": "Contacter une épicerie fine", "due_on": deadline.isoformat()}],
            },
        )
    steps = service.get_version(world.consultant_a, bilan, service.generate_draft(world.consultant_a, bilan).number)
    text = steps.sections["etapes"]
    assert text.startswith("Les étapes de votre plan d'action :")
    assert "- **Réaliser une enquête métier** (échéance le " in text
    assert "par vous, à faire, indicateur de réussite : Deux entretiens réalisés)" in text
    assert "  - étape : Contacter une épicerie fine, le " in text
    assert "Piste écartée" not in text  # a dropped action is not a step of the project
    assert not is_missing(text)


def test_a_bilan_without_data_gets_visible_gaps_and_cannot_be_validated(world):
    with session_scope() as session:
        bare = Bilan(
            organisation_id=world.org_a,
            beneficiary_id=world.beneficiary_a.user_id,
            consultant_id=world.consultant_a.user_id,
            status=BilanStatus.PRELIMINAIRE,
        )
        session.add(bare)
    info = service.generate_draft(world.consultant_a, bare.id)
    sections = service.get_version(world.consultant_a, bare.id, info.number).sections
    for key in ("parcours", "competences", "interets", "projet", "conditions", "etapes", "formations"):
        assert sections[key].startswith(f"*{TODO_MARK} : "), key
    assert "aucune séance n'est encore enregistrée comme réalisée" in sections["circonstances"]
    with pytest.raises(FormError) as caught:
        service.validate_version(world.consultant_a, bare.id, info.number)
    assert set(caught.value.fields) == {"competences", "projet", "etapes"}
    assert translate("synthese.error.section_required") != "synthese.error.section_required"


# ---------------------------------------------------------------- the AI assistant


def test_the_ai_writes_the_narrative_and_the_local_engine_the_facts(world, bilan, llm_env):
    consented(world, bilan)
    llm_env.then(Answer(json.dumps(AI_DRAFT, ensure_ascii=False)))
    events = list(service.stream_draft(world.consultant_a, bilan))
    steps = [e.step or e.kind for e in events]
    assert steps[:2] == ["collect", "ai"] and steps[-2:] == ["compose", "done"]
    assert "delta" in steps and all(0 < e.progress <= 1 for e in events)
    info = events[-1].version
    assert (info.origin, info.model, info.status) == ("ai", "gpt-4o-mini", "draft")
    sections = service.get_current(world.consultant_a, bilan).sections
    assert sections["circonstances"].startswith("Bilan engagé pour préparer une évolution dans le commerce.")
    assert "**Déroulement** : 1 séance réalisée" in sections["circonstances"]
    assert sections["competences"].startswith("Dix ans de vente")
    assert "**À valoriser** :" in sections["competences"]
    assert sections["projet"].startswith("Vendeur en alimentation, piste réaliste à court terme.")
    assert "**En conclusion** : Le projet tient, sous réserve d'une formation." in sections["projet"]
    assert "**Enquête métier** (court terme) : Rencontrer deux vendeurs en épicerie fine." in sections["etapes"]
    assert "Vendeuse en boulangerie" in sections["parcours"]  # the facts the AI did not write
    (proposal,) = rows(AiProposal)
    with session_scope() as session:
        stored = session.exec(select(SyntheseVersion)).one()
        assert stored.ai_proposal_id == proposal.id
    sent = llm_env.sent_text()
    for personal in ("BenefA", "ConseilA", "Boulangerie Martin"):
        assert personal not in sent
    assert "Vendeur en alimentation" in sent  # the kept target went to the assistant


def test_an_ai_failure_leaves_the_draft_to_the_local_engine(world, bilan, llm_env):
    consented(world, bilan)
    llm_env.then(*[Status(500, {"retry-after-ms": "1"})] * 3)  # the request and the SDK's two retries
    events = list(service.stream_draft(world.consultant_a, bilan))
    (fallback,) = [e for e in events if e.kind == "fallback"]
    assert fallback.reason == "llm.error.unavailable"
    assert events[-1].version.origin == "local"


def test_without_consent_the_ai_is_not_asked(world, bilan, llm_env):
    info = service.generate_draft(world.consultant_a, bilan)
    assert info.origin == "local" and llm_env.requests == []


def test_the_local_engine_runs_when_asked_even_with_the_ai_available(world, bilan, llm_env):
    consented(world, bilan)
    info = service.generate_draft(world.consultant_a, bilan, prefer_local=True)
    assert info.origin == "local" and llm_env.requests == []


def test_the_async_stream_gives_the_same_events(world, bilan):
    async def collect():
        return [event async for event in service.astream_draft(world.consultant_a, bilan)]

    events = asyncio.run(collect())
    assert events[-1].kind == "done" and events[-1].version.number == 1


# ---------------------------------------------------------------- versions, diff and lock


def test_edits_make_a_version_of_their_own_and_validation_locks_it(world, bilan):
    consultant = world.consultant_a
    generated = service.generate_draft(consultant, bilan)
    before = service.get_version(consultant, bilan, 1).sections

    edited = service.save_section(consultant, bilan, "projet", NEW_PROJECT, expected_number=1)
    assert (edited.number, edited.origin, edited.based_on, edited.status) == (2, "consultant", 1, "draft")
    assert service.get_version(consultant, bilan, 1).sections == before  # the generated text is kept as written
    again = service.save_sections(
        consultant, bilan, {"ressources": "- Greta Lyon", "etapes": "- Enquête métier"}, expected_number=2
    )
    assert again.number == 2  # the consultant's own draft is edited in place
    unchanged = service.save_section(consultant, bilan, "ressources", "- Greta Lyon\r\n")
    assert unchanged.number == 2
    assert [v.number for v in service.list_versions(consultant, bilan)] == [2, 1]

    diff = {section.key: section for section in service.diff_versions(consultant, bilan, generated.number, 2)}
    assert {key for key, section in diff.items() if section.changed} == {"projet", "ressources", "etapes"}
    projet = diff["projet"].lines
    assert ("added", "Projet retenu : vendeur en alimentation.") in [(line.kind, line.text) for line in projet]
    assert any(line.kind == "removed" and "Vendeur en alimentation (D1106)" in line.text for line in projet)
    assert all(line.kind == "same" for line in diff["parcours"].lines)

    with pytest.raises(ServiceError) as stale:
        service.save_section(consultant, bilan, "projet", "Autre", expected_number=1)
    assert stale.value.code == "synthese.error.stale"
    with pytest.raises(ServiceError) as not_current:
        service.validate_version(consultant, bilan, 1)
    assert not_current.value.code == "synthese.error.not_current"
    with pytest.raises(ServiceError) as draft_exists:
        service.new_version(consultant, bilan)
    assert draft_exists.value.code == "synthese.error.draft_exists"

    validated = service.validate_version(consultant, bilan, 2)
    assert (validated.status, validated.locked, validated.validated_by) == ("validated", True, "Camille ConseilA")
    with pytest.raises(ServiceError) as locked:
        service.save_section(consultant, bilan, "projet", "Changement après coup")
    assert locked.value.code == "synthese.error.locked"
    with pytest.raises(ServiceError):
        service.validate_version(consultant, bilan, 2)

    copy = service.new_version(consultant, bilan)
    assert (copy.number, copy.origin, copy.based_on, copy.status) == (3, "consultant", 2, "draft")
    assert not any(section.changed for section in service.diff_versions(consultant, bilan, 2, 3))
    service.save_section(consultant, bilan, "projet", NEW_PROJECT + "\n\nÉchéance : six mois.")
    assert service.get_version(consultant, bilan, 2).sections["projet"] == NEW_PROJECT  # still locked as it was
    assert [(v.number, v.status) for v in service.list_versions(consultant, bilan)] == [
        (3, "draft"),
        (2, "validated"),
        (1, "draft"),
    ]


def test_a_new_generation_adds_a_version_and_keeps_the_earlier_ones(world, bilan):
    service.generate_draft(world.consultant_a, bilan)
    service.save_section(world.consultant_a, bilan, "projet", NEW_PROJECT)
    third = service.generate_draft(world.consultant_a, bilan)
    assert third.number == 3
    assert service.get_version(world.consultant_a, bilan, 2).sections["projet"] == NEW_PROJECT


def test_the_diff_marks_removed_and_added_lines_in_order():
    diff = diff_sections({"projet": "a\nb\nc"}, {"projet": "a\nB\nc\nd"})
    projet = next(section for section in diff if section.key == "projet")
    assert [(line.kind, line.text) for line in projet.lines] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]
    assert [section.key for section in diff if section.changed] == ["projet"]


def test_a_section_too_long_is_refused_next_to_it(world, bilan):
    service.generate_draft(world.consultant_a, bilan)
    with pytest.raises(FormError) as caught:
        service.save_section(world.consultant_a, bilan, "projet", "x" * 20_001)
    assert caught.value.fields == {"projet": "synthese.error.too_long"}
    with pytest.raises(NotFound):
        service.save_section(world.consultant_a, bilan, "pas_une_section", "x")


def test_the_consultant_may_write_without_generating(world, bilan):
    with pytest.raises(ServiceError) as empty:
        service.save_section(world.consultant_a, bilan, "projet", "   ")
    assert empty.value.code == "synthese.error.nothing_to_save"
    info = service.save_section(world.consultant_a, bilan, "projet", NEW_PROJECT)
    assert (info.number, info.origin, info.based_on) == (1, "consultant", None)


# ---------------------------------------------------------------- the beneficiary


def _validated(world, bilan) -> None:
    service.generate_draft(world.consultant_a, bilan)
    service.save_section(world.consultant_a, bilan, "etapes", "- Enquête métier en mars")
    service.validate_version(world.consultant_a, bilan, 2)


def test_the_beneficiary_reads_only_validated_versions_and_alone_writes_her_observations(world, bilan):
    beneficiary, consultant = world.beneficiary_a, world.consultant_a
    service.generate_draft(consultant, bilan)
    assert service.get_current(beneficiary, bilan) is None
    overview = service.synthese_overview(beneficiary, bilan)
    assert (overview.versions, overview.being_written, overview.can_read, overview.can_edit) == ([], True, True, False)
    with pytest.raises(NotFound):
        service.get_version(beneficiary, bilan, 1)  # a draft is not hers to read yet
    with pytest.raises(ServiceError) as early:
        service.save_observations(beneficiary, bilan, "Trop tôt")
    assert early.value.code == "synthese.error.not_validated"

    service.save_section(consultant, bilan, "etapes", "- Enquête métier en mars")
    service.validate_version(consultant, bilan, 2)
    mine = service.get_current(beneficiary, bilan)
    assert (mine.info.number, mine.sections["etapes"]) == (2, "- Enquête métier en mars")
    assert not service.synthese_overview(beneficiary, bilan).being_written

    with pytest.raises(AccessDenied):
        service.save_sections(consultant, bilan, {"observations": "Écrit par le consultant"})
    for forbidden in (
        lambda: service.save_section(beneficiary, bilan, "projet", "Mon projet"),
        lambda: service.validate_version(beneficiary, bilan, 2),
        lambda: service.new_version(beneficiary, bilan),
        lambda: service.generate_draft(beneficiary, bilan),
        lambda: service.diff_versions(beneficiary, bilan, 1, 2),
        lambda: service.save_observations(consultant, bilan, "Pas les siennes"),
    ):
        with pytest.raises(AccessDenied):
            forbidden()

    saved = service.save_observations(beneficiary, bilan, "Je me reconnais dans ce document.\r\n")
    assert saved.number == 2 and saved.observations_updated_at is not None
    assert service.get_current(consultant, bilan).sections["observations"] == "Je me reconnais dans ce document."
    # A new version carries them; her later changes reach the draft, and its validation keeps them.
    service.new_version(consultant, bilan)
    service.save_observations(beneficiary, bilan, "Je me reconnais dans ce document. J'ajoute la mobilité.")
    assert "J'ajoute la mobilité" in service.get_version(consultant, bilan, 3).sections["observations"]
    assert "J'ajoute la mobilité" in service.get_version(beneficiary, bilan, 2).sections["observations"]
    service.validate_version(consultant, bilan, 3)
    assert "J'ajoute la mobilité" in service.get_current(beneficiary, bilan).sections["observations"]
    assert service.get_current(beneficiary, bilan).info.number == 3


def test_a_closed_bilans_synthese_no_longer_changes(world, bilan):
    _validated(world, bilan)
    bilans.transition(world.consultant_a, bilan, BilanStatus.ABANDONNE, "Départ à l'étranger")
    for call in (
        lambda: service.save_observations(world.beneficiary_a, bilan, "Après coup"),
        lambda: service.new_version(world.consultant_a, bilan),
        lambda: service.generate_draft(world.consultant_a, bilan),
    ):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.code == "error.bilan_closed"
    assert service.get_current(world.beneficiary_a, bilan).info.number == 2  # still hers to read
    assert service.synthese_overview(world.consultant_a, bilan).can_edit is False


# ---------------------------------------------------------------- who reads the text


def test_the_org_admin_sees_that_it_exists_but_never_its_text(world, bilan):
    _validated(world, bilan)
    service.save_observations(world.beneficiary_a, bilan, "Observation très personnelle.")
    admin = world.admin_a
    overview = service.synthese_overview(admin, bilan)
    assert [(v.number, v.status, v.origin) for v in overview.versions] == [
        (2, "validated", "consultant"),
        (1, "draft", "local"),
    ]
    assert (overview.can_read, overview.can_edit) == (False, False)
    assert overview.versions[0].validated_at is not None and overview.versions[0].validated_by == "Camille ConseilA"
    assert "Observation" not in repr(overview) and "Enquête" not in repr(overview)
    for call in (
        lambda: service.get_current(admin, bilan),
        lambda: service.get_version(admin, bilan, 2),
        lambda: service.diff_versions(admin, bilan, 1, 2),
        lambda: service.synthese_for_pdf(admin, bilan),
        lambda: service.generate_draft(admin, bilan),
        lambda: service.save_section(admin, bilan, "projet", "x"),
        lambda: service.new_version(admin, bilan),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_another_organisation_gets_not_found(world, bilan):
    _validated(world, bilan)
    for actor in (world.consultant_b, world.admin_b, world.beneficiary_b):
        for call in (
            lambda a=actor: service.synthese_overview(a, bilan),
            lambda a=actor: service.get_current(a, bilan),
            lambda a=actor: service.get_version(a, bilan, 1),
            lambda a=actor: service.synthese_for_pdf(a, bilan),
            lambda a=actor: service.save_observations(a, bilan, "x"),
            lambda a=actor: service.save_section(a, bilan, "projet", "x"),
            lambda a=actor: service.stream_draft(a, bilan),
        ):
            with pytest.raises(NotFound):
                call()


# ---------------------------------------------------------------- audit and encryption


def test_every_change_is_audited_without_its_text_and_every_read_logged(world, bilan):
    _validated(world, bilan)
    service.new_version(world.consultant_a, bilan)
    service.save_observations(world.beneficiary_a, bilan, "Je me reconnais dans ce document.")
    events = bilan_events(bilan)
    assert [event.action for event in events] == [
        "synthese.generated",
        "synthese.sections_saved",
        "synthese.validated",
        "synthese.version_created",
        "synthese.observations_saved",
    ]
    assert events[0].changes["origin"] == {"before": None, "after": "local"}
    assert events[1].changes["version"] == {"before": 1, "after": 2}
    assert events[1].changes["section.etapes"]["after"] == len("- Enquête métier en mars")
    assert events[4].actor_user_id == world.beneficiary_a.user_id
    dumped = json.dumps([event.changes for event in events], ensure_ascii=False)
    assert "Enquête" not in dumped and "reconnais" not in dumped
    for event in events:
        assert translate(f"audit.{event.action}") != f"audit.{event.action}"

    before = reads(bilan).count("synthese")
    service.get_current(world.consultant_a, bilan)
    service.diff_versions(world.consultant_a, bilan, 1, 2)
    assert reads(bilan).count("synthese") == before + 2
    service.get_current(world.beneficiary_a, bilan)  # her own synthèse: not a third party's read
    assert reads(bilan).count("synthese") == before + 2

    with session_scope() as session:
        for row in session.exec(select(SyntheseVersion)).all():
            assert "Enquête" not in row.sections_encrypted and "Bruno" not in row.sections_encrypted
            assert "reconnais" not in row.observations_encrypted


# ---------------------------------------------------------------- for the PDF


def test_the_pdf_gets_the_latest_validated_version_as_plain_data(world, bilan):
    service.generate_draft(world.consultant_a, bilan)
    with pytest.raises(NotFound):
        service.synthese_for_pdf(world.consultant_a, bilan)
    service.save_section(world.consultant_a, bilan, "etapes", "- Enquête métier en mars")
    service.validate_version(world.consultant_a, bilan, 2)
    service.new_version(world.consultant_a, bilan)
    service.save_section(world.consultant_a, bilan, "etapes", "- Brouillon suivant")
    service.save_observations(world.beneficiary_a, bilan, "Merci.")

    content = service.synthese_for_pdf(world.beneficiary_a, bilan)
    assert content.version_number == 2 and content.validated_at is not None
    assert content.title == "Document de synthèse du bilan de compétences de Bruno BenefA"
    assert [section.key for section in content.sections] == list(SECTIONS)
    assert content.sections[0].title == "Circonstances du bilan"
    assert content.sections[6].markdown == "- Enquête métier en mars"
    assert content.sections[-1].markdown == "Merci."
    assert (content.consultant_name, content.validated_by, content.authors) == (
        "Camille ConseilA",
        "Camille ConseilA",
        ("Camille ConseilA",),
    )
    assert service.synthese_for_pdf(world.consultant_a, bilan, "en").sections[0].title == (
        "Circumstances of the assessment"
    )


# ---------------------------------------------------------------- Markdown


def test_markdown_is_rendered_with_html_escaped_and_unsafe_links_dropped():
    html = render_markdown(
        "# Titre\n\nUn **gras**, un *italique* <script>alert(1)</script>\n\n- un\n- deux\n\n"
        "[ok](https://mon-cep.org) [ko](javascript:alert(1)) [vb](vbscript:x) [f](file:///etc/passwd) "
        "![img](https://tracker.example/x.png) <img src=x onerror=alert(1)>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~",
        top_level=4,
    )
    assert "<h4>Titre</h4>" in html
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<ul>\n<li>un</li>" in html
    assert '<a href="https://mon-cep.org" rel="nofollow noopener noreferrer">ok</a>' in html
    assert html.count("<a ") == 1 and html.count("href=") == 1  # the other links are left as plain text
    assert "[ko](javascript:alert(1)) [vb](vbscript:x) [f](file:///etc/passwd)" in html
    assert "<img" not in html and "tracker.example" not in html and " img " in html  # an image is its alt text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<table>" in html and "<s>barré</s>" in html
    assert render_markdown("  \n") == render_markdown("") == ""


@pytest.mark.parametrize(
    ("markdown", "top_level", "levels"),
    [
        ("# A\n\n## B\n\n### C", 3, ["3", "4", "5"]),
        ("### A\n\n#### B", 3, ["3", "4"]),  # the highest heading of the text is the top, whatever its "#"
        ("# A\n\n### B\n\n## C\n\n# D", 4, ["4", "5", "5", "4"]),  # "###" under "#" is one level down
        ("## A\n\n# B\n\n## C", 3, ["3", "3", "4"]),
        ("# A\n\n## B\n\n### C\n\n#### D\n\n##### E", 4, ["4", "5", "6", "6", "6"]),  # h6 at most
        ("# A", 0, ["1"]),
    ],
)
def test_markdown_headings_start_at_the_top_level_and_never_skip_one(markdown, top_level, levels):
    html = render_markdown(markdown, top_level=top_level)
    assert re.findall(r"<h(\d)>", html) == levels
    assert re.findall(r"</h(\d)>", html) == levels


def test_markdown_gets_french_spaces_only_when_asked():
    text = "Pourquoi ? « Oui » : 10 000 € en 22 h 30\n\n`code ?` [lien ?](https://exemple.fr)"
    plain = render_markdown(text)
    assert NBSP not in plain and NNBSP not in plain
    french = render_markdown(text, french=True)
    assert f"Pourquoi{NNBSP}? «{NNBSP}Oui{NNBSP}»{NBSP}: 10{NNBSP}000{NBSP}€ en 22{NBSP}h{NBSP}30" in french
    assert "<code>code ?</code>" in french  # code is left as written
    assert f">lien{NNBSP}?</a>" in french
