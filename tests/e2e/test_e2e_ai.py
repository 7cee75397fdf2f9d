"""Issue 5 §6, second pass: the analysis page with an external AI assistant configured (the fake
OpenAI-compatible server of the unit tests, reached by the real production build).

The organisation is on the Enterprise plan with its own provider (the fake server), and the
beneficiary has consented: the consultant asks for the explanation of a recommended métier and sees it
stream in (progress and the text so far), then reviews the proposal: a blanked required field is
refused next to the field with what was typed kept, their own version is saved; a transferable-skills
analysis is rejected; the themes of their session notes are accepted. Nothing personal reaches the
provider. Then (issue 11 §4) a model that answers prose: the panel says so in French and offers the
local engine, whose proposal one click brings, labelled as such. axe-core on each state of the page.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD
from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script
from tests.e2e.test_e2e_skills import INSTALL_DEMO_REFERENTIEL
from tests.unit import llm_fake
from tests.unit.llm_fake import Answer, Slow, fake_llm, fake_llm_server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

CONSULTANT = {"first_name": "Soizic", "last_name": "Le Bihan", "email": "soizic.lebihan@morlaix-conseil.fr"}
BENEFICIARY = {"first_name": "Gaëlle", "last_name": "Prigent", "email": "gaelle.prigent@exemple-perso.fr"}
MODEL = "fake-gpt-4o"

# The beneficiary fills Léa's demo parcours and submits it, and consents to the external assistant;
# the organisation moves to the Enterprise plan with its own provider (the fake server). The provider
# row is written directly: the settings form rightly refuses plain-http addresses in production.
AI_SET_UP = r"""
import json, sys
from sqlmodel import select
from services import auth
from services.auth import ClientInfo
from services.crypto import encrypt_text
from services.db import session_scope
from services.demo.skills import LEA_PARCOURS, fill_parcours
from services.llm import consent
from services.models import AiOrganisationSettings, Bilan, Organisation, OrganisationPlan
from services.skills import assessment

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.8", user_agent="e2e fixture")
login = auth.login({"email": spec["email"], "password": spec["password"]}, client)
beneficiary = auth.resolve_session(login.token).actor
fill_parcours(beneficiary, spec["bilan_id"], LEA_PARCOURS)
assessment.submit(beneficiary, spec["bilan_id"])
consent.give_consent(beneficiary, spec["bilan_id"])
with session_scope() as session:
    bilan = session.get(Bilan, __import__("uuid").UUID(spec["bilan_id"]))
    organisation = session.get(Organisation, bilan.organisation_id)
    organisation.plan = OrganisationPlan.ENTERPRISE
    session.add(organisation)
    session.add(AiOrganisationSettings(
        organisation_id=organisation.id, base_url=spec["base_url"], model=spec["model"],
        api_key_encrypted=encrypt_text("sk-e2e-fake-provider-0001"),
    ))
print(json.dumps({"ok": True}))
"""

EXPLANATION = {
    "metier": "Métier recommandé",
    "explication": (
        "Votre expérience de la relation client et de l'organisation administrative se retrouve "
        "au cœur de ce métier, qui demande aussi de la rigueur et le sens du service."
    ),
    "atouts": ["Accueil et conseil de la clientèle", "Organisation du travail administratif"],
    "ecarts": [{"competence": "Gestion des stocks", "conseil": "Une formation courte ou une immersion en PMSMP."}],
    "prochaines_etapes": ["Réaliser une enquête métier auprès de deux professionnels."],
}
THEMES = {
    "themes": [
        {
            "theme": "Mobilité géographique",
            "description": "Évoquée deux fois, à préciser avec la famille.",
            "seances": [1, 2],
            "a_approfondir": True,
        }
    ],
    "synthese": "Deux séances ; la mobilité revient.",
}
SKILLS = {
    "synthese": "Un parcours tourné vers le service et l'organisation.",
    "competences": [
        {
            "competence": "Relation client",
            "preuves": ["Conseillère de vente en librairie"],
            "transferable_vers": ["Commerce"],
            "niveau": "fort",
        }
    ],
    "points_de_vigilance": [],
}


@pytest.fixture(scope="module")
def ai_bilan(e2e_environment, fake_llm_server) -> str:  # noqa: F811
    run_script(e2e_environment.env, INSTALL_DEMO_REFERENTIEL, {})
    bilan_id = organisation_with_bilan(
        e2e_environment.env,
        {
            "siret": make_siret("81374529", "0017"),
            "password": PASSWORD,
            "organisation": "Morlaix Conseil",
            "admin": {"first_name": "Loïc", "last_name": "Cadiou", "email": "direction@morlaix-conseil.fr"},
            "consultant": CONSULTANT,
            "beneficiary": BENEFICIARY,
        },
    )
    spec = {**BENEFICIARY, "password": PASSWORD, "bilan_id": bilan_id, "model": MODEL}
    run_script(e2e_environment.env, AI_SET_UP, {**spec, "base_url": fake_llm_server.base_url})
    return bilan_id


def test_ai_explanations_stream_in_and_are_reviewed(new_page, ui, axe_check, ai_bilan, fake_llm):  # noqa: F811
    page = new_page()
    login_person(page, ui, CONSULTANT, PASSWORD)
    page.wait_for_url("**/consultant")
    ui.goto(page, f"/bilans/{ai_bilan}/analyse")
    page.get_by_role("heading", name="Analyse et pistes métiers", level=1).wait_for()
    expect(page.get_by_text(re.compile(f"Assistant IA externe \\({MODEL}\\)"))).to_be_visible()
    axe_check(page, "analysis with the AI assistant")

    page.get_by_role("button", name="Lancer l'analyse").click()
    expect(page.get_by_text(re.compile(r"^Analyse terminée : \d+ pistes\.$"))).to_be_visible(timeout=60_000)
    first = page.locator("section[aria-labelledby=reco-results] ol > li").first
    libelle = first.locator("h3").inner_text().rsplit(" (", 1)[0]

    # The answer stalls after its first pieces: the page shows the progress and the text so far.
    fake_llm.then(Slow(4.0, Answer(json.dumps({**EXPLANATION, "metier": libelle}, ensure_ascii=False))))
    first.get_by_role("button", name=f"Expliquer avec l'assistant : {libelle}").click()
    preview = page.locator(".ai-preview")
    expect(preview).to_contain_text(libelle[:10], timeout=15_000)
    expect(page.get_by_role("progressbar", name="Progression de la génération")).to_be_visible()
    expect(page.get_by_text(re.compile("^Réponse en cours de réception"))).to_be_visible()
    axe_check(page, "analysis while an answer streams in")
    expect(page.get_by_text("Proposition prête : relisez-la ci-dessous.")).to_be_visible(timeout=30_000)
    expect(preview).to_have_count(0)

    proposal = page.locator("#ai-panel-section li").filter(has_text="Explication d'une piste métier")
    expect(proposal.get_by_text("À relire")).to_be_visible()
    expect(proposal.get_by_text("Gestion des stocks — Conseil : Une formation courte")).to_be_visible()
    expect(proposal.get_by_text(f"Assistant IA · {MODEL}", exact=False)).to_be_visible()
    sent = fake_llm.sent_text()
    for personal in ("Prigent", "gaelle.prigent", "Le Bihan", "Librairie du Rhône", "Cabinet Roux"):
        assert personal not in sent, f"{personal!r} reached the provider"

    # The consultant's own version: a blanked explanation is refused next to its field, the rest kept.
    ui.submit_and_wait(page, proposal.get_by_role("button", name=re.compile("^Modifier :")))
    explanation = proposal.get_by_label("Explication", exact=True)
    step = proposal.get_by_label("Prochaines étapes 1")
    explanation.fill("")
    step.fill("Rencontrer un libraire indépendant.")
    ui.submit_and_wait(page, proposal.get_by_role("button", name="Enregistrer ma version"))
    expect(proposal.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(step).to_have_value("Rencontrer un libraire indépendant.")
    axe_check(page, "AI proposal edit with an error")
    explanation.fill("Relu avec Gaëlle : le métier correspond à son goût du conseil.")
    ui.submit_and_wait(page, proposal.get_by_role("button", name="Enregistrer ma version"))
    expect(page.get_by_text("Votre version de la proposition est enregistrée.")).to_be_visible()
    expect(proposal.get_by_text("Modifiée et acceptée")).to_be_visible()
    expect(proposal.get_by_text("Relu avec Gaëlle : le métier correspond à son goût du conseil.")).to_be_visible()

    # A transferable-skills analysis, rejected: it stays in the list, marked so.
    fake_llm.then(Answer(json.dumps(SKILLS, ensure_ascii=False)))
    page.get_by_role("button", name="Analyser les compétences transférables").click()
    skills = page.locator("#ai-panel-section li").filter(has_text="Compétences transférables")
    expect(skills.get_by_text("Relation client — Preuves : Conseillère de vente en librairie")).to_be_visible(
        timeout=30_000
    )
    ui.submit_and_wait(page, skills.get_by_role("button", name=re.compile("^Rejeter :")))
    expect(skills.get_by_text("Rejetée")).to_be_visible()

    # The themes of the consultant's own session notes (hers alone to ask for), accepted.
    fake_llm.then(Answer(json.dumps(THEMES, ensure_ascii=False)))
    page.get_by_role("button", name="Dégager les thèmes de mes notes de séance").click()
    themes = page.locator("#ai-panel-section li").filter(has_text="Thèmes des notes de séance")
    expect(themes.get_by_text("Mobilité géographique — Description : Évoquée deux fois")).to_be_visible(timeout=30_000)
    ui.submit_and_wait(page, themes.get_by_role("button", name=re.compile("^Accepter :")))
    expect(themes.get_by_text("Acceptée")).to_be_visible()
    assert len(fake_llm.requests) == 3
    axe_check(page, "analysis with reviewed AI proposals")


def test_a_model_that_answers_prose_leaves_the_local_engine_one_click_away(
    new_page,
    ui,
    axe_check,
    ai_bilan,
    fake_llm,  # noqa: F811
):
    fake_llm.default = llm_fake.prose
    page = new_page()
    login_person(page, ui, CONSULTANT, PASSWORD)
    page.wait_for_url("**/consultant")
    ui.goto(page, f"/bilans/{ai_bilan}/analyse")
    page.get_by_role("heading", name="Analyse et pistes métiers", level=1).wait_for()

    page.get_by_role("button", name="Analyser les compétences transférables").click()
    error = page.locator("#ai-panel-section").get_by_role("alert")
    expect(error).to_have_text(
        "L'assistant IA n'a pas produit de réponse exploitable, même après un nouvel essai. "
        "Réessayez, ou utilisez le moteur local.",
        timeout=30_000,
    )
    use_local = page.get_by_role("button", name="Utiliser le moteur local")
    expect(use_local).to_be_enabled()
    assert len(fake_llm.requests) == 2  # the answer was asked again once
    axe_check(page, "AI panel after an unusable answer")

    use_local.click()
    expect(page.get_by_text("L'assistant IA n'a pas abouti : le moteur local a répondu à sa place.")).to_be_visible(
        timeout=30_000
    )
    expect(use_local).to_have_count(0)
    expect(error).to_have_count(0)
    proposal = page.locator("#ai-panel-section li").filter(
        has_text="Moteur local, à la place de l'assistant IA qui n'a pas abouti"
    )
    expect(proposal).to_have_count(1)
    expect(proposal.get_by_role("heading", name="Compétences transférables")).to_be_visible()
    expect(proposal.get_by_text("À relire")).to_be_visible()
    assert len(fake_llm.requests) == 2  # nothing more was sent
    axe_check(page, "the local engine's proposal in place of the assistant's")
    ui.submit_and_wait(page, proposal.get_by_role("button", name=re.compile("^Accepter :")))
    expect(proposal.get_by_text("Acceptée")).to_be_visible()
