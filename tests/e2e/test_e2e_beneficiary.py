"""The beneficiary's journey in the browser: public page, registration, request, questionnaire, Mon espace.

The test sets up an organisation of its own (so no other test sees its bilan): it signs up through the
real services in a subprocess with the server's environment, publishes its public information
(Qualiopi indicator 1) and gets one consultant through an invitation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import make_siret, run_script

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = "Bilans Horizon Atlantique"
SLUG = "bilans-horizon-atlantique"
PASSWORD = "Falaise-Iodee-Goeland-62"
ADMIN = {"first_name": "Maëlle", "last_name": "Quéré", "email": "direction@horizon-atlantique.fr"}
CONSULTANT = {"first_name": "Salomé", "last_name": "Berthier", "email": "salome.berthier@horizon-atlantique.fr"}
VISITOR = {"first_name": "Élise", "last_name": "Carpentier", "email": "elise.carpentier@exemple-perso.fr"}
PUBLIC_INFO = {
    "address": "4 quai de la Fosse, 44000 Nantes",
    "contact_email": "contact@horizon-atlantique.fr",
    "contact_phone": "02 40 00 00 00",
    "price_euros": 1500,
    "default_hours": 20,
    "min_hours": 13,
    "access_delay_days": 10,
    "modes": "presentiel,distanciel",
    "disability_contact": "Jeanne Le Gall, référente handicap, 02 40 00 00 01",
    "public_description": "Un cabinet nantais spécialisé dans les reconversions.",
    "nda_number": "52440000044",
}
SIZES = [(1280, 800), (390, 844)]


SETUP_SCRIPT = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage, Organisation

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.3", user_agent="e2e beneficiary fixture")
admin = spec["admin"]
success = members.signup_organisation(
    {"organisation_name": spec["organisation"], "siret": spec["siret"], "nda_number": "",
     "first_name": admin["first_name"], "last_name": admin["last_name"], "email": admin["email"],
     "password": spec["password"]},
    client,
)
actor = auth.resolve_session(success.token).actor
with session_scope() as session:
    organisation = session.get(Organisation, actor.organisation_id)
    for name, value in spec["public"].items():
        setattr(organisation, name, value)
    session.add(organisation)
    slug = organisation.slug
consultant = spec["consultant"]
members.invite(actor, {"email": consultant["email"], "role": "consultant"})
with session_scope() as session:
    message = session.exec(
        select(MailMessage).where(MailMessage.to_address == consultant["email"])
        .order_by(col(MailMessage.created_at).desc())
    ).first()
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)", decrypt_text(message.body_encrypted)).group(1)
members.accept_invitation(
    token,
    {"first_name": consultant["first_name"], "last_name": consultant["last_name"], "password": spec["password"]},
    client,
)
print(json.dumps({"slug": slug}))
"""

# The consultant accepts the request and adds a task; a preliminary interview planned yesterday is under way
# (the organisation holds it before the convention, so its attendance is open now), another is in 3 days.
CONSULTANT_SCRIPT = r"""
import json, sys
from datetime import timedelta
from sqlmodel import select
from services import auth, bilans
from services.auth import ClientInfo
from services.db import session_scope
from services.models import Bilan, Organisation, User
from services.models.base import clock_at, utcnow

spec = json.loads(sys.argv[1])
result = auth.login({"email": spec["consultant"], "password": spec["password"]}, ClientInfo(ip="127.0.0.4"))
actor = auth.resolve_session(result.token).actor
with session_scope() as session:
    user = session.exec(select(User).where(User.email == spec["beneficiary"])).one()
    bilan_id = session.exec(select(Bilan.id).where(Bilan.beneficiary_id == user.id)).one()
    organisation = session.get(Organisation, actor.organisation_id)
    organisation.preliminary_interview_before_convention = True
    session.add(organisation)
bilans.accept_request(actor, bilan_id)
starts_at = utcnow() - timedelta(minutes=10)
with clock_at(starts_at - timedelta(days=1)):
    bilans.plan_session(actor, bilan_id, {
        "phase": "preliminaire", "starts_at": starts_at.isoformat(),
        "duration_minutes": 90, "mode": "distanciel", "video_link": "https://visio.example.org/horizon",
    })
bilans.plan_session(actor, bilan_id, {
    "phase": "preliminaire", "starts_at": (utcnow() + timedelta(days=3)).isoformat(),
    "duration_minutes": 90, "mode": "presentiel", "location": "4 rue de Siam, Brest",
})
bilans.add_task(actor, bilan_id, {"title": "Lire le livret d'accueil"})
print("planned")
"""


@pytest.fixture(scope="module")
def horizon(e2e_environment) -> str:
    """The test's own organisation, with its public information and one consultant; returns its slug."""
    spec = {
        "organisation": ORGANISATION,
        "siret": make_siret("53319872", "0011"),
        "password": PASSWORD,
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "public": PUBLIC_INFO,
    }
    slug = json.loads(run_script(e2e_environment.env, SETUP_SCRIPT, spec))["slug"]
    assert slug == SLUG
    return slug


def _settle(page) -> None:
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")


def _at_phone_width(page, screenshot, axe_check, name: str) -> None:
    """At 390 px: a screenshot, no horizontal overflow, axe; then back to the desktop size."""
    width, height = SIZES[1]
    page.set_viewport_size({"width": width, "height": height})
    _settle(page)
    screenshot(page, name)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{name} overflows horizontally at {width}px: {scroll_width}px"
    axe_check(page, f"{name}")
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    _settle(page)


def test_unknown_organisation_page(page, ui, axe_check):
    ui.goto(page, "/organismes/organisme-qui-n-existe-pas")
    page.get_by_role("heading", name="Organisme introuvable", level=1).wait_for()
    assert page.locator("main form").count() == 0
    axe_check(page, "unknown organisation")


def test_public_page_register_request_questionnaire_and_space(
    new_page, ui, axe_check, screenshot, horizon, e2e_environment
):
    name = f"{VISITOR['first_name']} {VISITOR['last_name']}"
    consultant_name = f"{CONSULTANT['first_name']} {CONSULTANT['last_name']}"

    # 1. The public page, generated from the organisation's settings (Qualiopi indicator 1).
    page = new_page(*SIZES[0])
    ui.goto(page, f"/organismes/{horizon}")
    page.get_by_role("heading", name=ORGANISATION, level=1).wait_for()
    main = page.locator("main")
    text = main.inner_text()
    for expected in (
        "20 heures au plus",
        "Au moins 13 heures",
        "Environ 10 jours entre votre demande et le premier entretien",
        "€ pour le bilan complet",
        "En présentiel",
        "À distance",
        "Jeanne Le Gall",
        "4 quai de la Fosse",
        "contact@horizon-atlantique.fr",
        "52440000044",
        "Cet enregistrement ne vaut pas agrément de l'État.",
        "Un cabinet nantais",
    ):
        assert expected in text, expected
    assert re.search(r"1\s500 € pour le bilan complet", text)
    assert "Hybride" not in text  # not offered by this organisation
    phases = page.get_by_role("region", name="Le déroulement : trois phases").get_by_role("listitem")
    expected_phases = ("Phase préliminaire", "Phase d'investigation", "Phase de conclusion", "Entretien de suivi")
    texts = phases.all_inner_texts()
    assert len(texts) == len(expected_phases)
    for item, phase in zip(texts, expected_phases, strict=True):
        assert item.startswith(phase), item
    # Nobody of the organisation is named on its public page.
    assert CONSULTANT["last_name"] not in text and ADMIN["last_name"] not in text
    axe_check(page, "public organisation page")
    # English second: the whole page follows the switch, numbers included.
    with page.expect_navigation():  # the switch reloads the page
        page.get_by_role("button", name="Switch to English").click()
    ui.wait_ready(page)
    page.get_by_role("heading", name="How it runs: three phases").wait_for()
    expect(main).to_contain_text("€1,500 for the complete assessment.")
    expect(main).to_contain_text("At most 20 hours")
    assert page.get_by_role("link", name="Request an assessment").count() == 2
    axe_check(page, "public organisation page in English")
    with page.expect_navigation():
        page.get_by_role("button", name="Passer en français").click()
    ui.wait_ready(page)
    page.get_by_role("heading", name="Le déroulement : trois phases").wait_for()
    _at_phone_width(page, screenshot, axe_check, "beneficiary-public-390")

    # 2. "Demander un bilan" leads to the registration form; a weak password is refused, nothing typed is lost.
    cta = page.get_by_role("link", name="Demander un bilan").first
    assert cta.get_attribute("href").rstrip("/").endswith(f"/organismes/{horizon}/inscription")
    cta.click()
    page.wait_for_url(f"**/organismes/{horizon}/inscription")
    page.get_by_role("heading", name="Créer mon compte bénéficiaire", level=1).wait_for()
    assert ORGANISATION in page.locator("main").inner_text()
    axe_check(page, "registration")
    page.get_by_label("Prénom").fill(VISITOR["first_name"])
    page.locator("#field-last_name").fill(VISITOR["last_name"])
    page.get_by_label("Adresse e-mail").fill(VISITOR["email"])
    page.locator("#field-password").fill("trop-court")
    ui.submit_and_wait(page, page.get_by_role("button", name="Créer mon compte"))
    error = page.locator("#field-password-error")
    error.wait_for()
    assert error.inner_text() == "Le mot de passe doit compter au moins 12 caractères."
    assert page.locator("#field-password").get_attribute("aria-invalid") == "true"
    assert page.locator("#field-first_name").input_value() == VISITOR["first_name"]
    assert page.locator("#field-email").input_value() == VISITOR["email"]
    axe_check(page, "registration with an error")
    page.locator("#field-password").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    # 3. Logged in, on the request page: mode, funding and the consultant (with their load).
    page.wait_for_url("**/mon-espace/demande")
    page.get_by_role("heading", name="Demander un bilan", level=1).wait_for()
    consultant_choice = page.get_by_role("radio", name=re.compile(consultant_name))
    consultant_choice.wait_for()
    assert "0 bilan(s) en cours" in page.get_by_role("group", name="Consultant·e").inner_text()
    assert page.get_by_role("radio", name="Laisser l'organisme choisir").is_checked()
    assert page.get_by_role("radio", name="CPF (Mon Compte Formation)").is_checked()
    axe_check(page, "request")
    _at_phone_width(page, screenshot, axe_check, "beneficiary-request-390")
    # Keyboard only: focus the mode group's first radio, move with the arrows, choose with Space.
    page.get_by_role("radio", name="En présentiel").focus()
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio", name="À distance").is_checked()
    consultant_choice.focus()
    page.keyboard.press("Space")
    assert consultant_choice.is_checked()
    page.get_by_role("button", name="Envoyer ma demande").click()

    # 4. The questionnaire: each answer autosaves on blur, with a polite status.
    page.wait_for_url("**/mon-espace/questionnaire")
    page.get_by_role("heading", name="Questionnaire préalable", level=1).wait_for()
    axe_check(page, "questionnaire")
    _at_phone_width(page, screenshot, axe_check, "beneficiary-questionnaire-390")
    answers = {
        "situation": "Comptable depuis douze ans dans une PME.",
        "request": "Je souhaite changer de métier.",
    }
    status = page.locator("main [role=status]").filter(has_text="Brouillon enregistré à")
    for field, value in answers.items():
        page.locator(f"#field-{field}").fill(value)
        before = ui.ws_events(page)
        page.keyboard.press("Tab")
        page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)
        status.wait_for()
    assert re.fullmatch(r"Brouillon enregistré à \d\d:\d\d", status.inner_text().strip())
    assert page.locator("main [aria-live=polite]").count() >= 1

    # Reload: the answers come back.
    page.reload()
    ui.wait_ready(page)
    page.get_by_role("heading", name="Questionnaire préalable", level=1).wait_for()
    for field, value in answers.items():
        page.wait_for_function(
            "([id, value]) => document.getElementById(id)?.value === value", arg=[f"field-{field}", value]
        )

    # Completing with a required answer missing: the error is next to that field, nothing is lost.
    page.locator("#field-motivation").fill("Donner du sens à mon travail.")
    page.locator("#field-expectations").fill("Un projet réaliste et ses étapes.")
    ui.submit_and_wait(page, page.get_by_role("button", name="Valider le questionnaire"))
    missing = page.locator("#field-availability-error")
    missing.wait_for()
    assert missing.inner_text() == "Ce champ est obligatoire."
    assert page.locator("#field-availability").get_attribute("aria-invalid") == "true"
    assert "field-availability-error" in page.locator("#field-availability").get_attribute("aria-describedby")
    assert page.locator("#field-situation-error").count() == 0
    assert page.locator("#field-motivation").input_value() == "Donner du sens à mon travail."
    assert page.locator("#field-situation").input_value() == answers["situation"]
    axe_check(page, "questionnaire with an error")
    page.locator("#field-availability").fill("Les mardis et jeudis après-midi.")
    page.get_by_role("button", name="Valider le questionnaire").click()

    # 5. Mon espace: the timeline (current step in text and aria-current), progress, the badge.
    page.wait_for_url("**/mon-espace")
    page.get_by_role("heading", name="Mon espace", level=1).wait_for()
    page.get_by_role("heading", name=f"Bonjour {name}").wait_for()
    timeline = page.get_by_role("region", name="Où en est mon bilan")
    current = timeline.locator('li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Demande — étape en cours")
    assert timeline.get_by_role("listitem").count() == 6
    progress = page.get_by_role("progressbar", name="Avancement du bilan")
    assert progress.get_attribute("value") == "5"
    assert "5 %" in timeline.inner_text()
    badges = page.get_by_role("region", name="Mes étapes franchies")
    badge = badges.get_by_text("Questionnaire complété")
    badge.wait_for()
    assert badges.locator("svg").count() >= 1  # an icon with the text, never colour alone
    summary = page.get_by_role("region", name="En bref").inner_text()
    assert "En cours d'attribution" in summary and "Complété" in summary
    axe_check(page, "beneficiary space after the request")

    # The public page now leads this beneficiary straight to the request page.
    ui.goto(page, f"/organismes/{horizon}")
    page.wait_for_function(
        """() => [...document.querySelectorAll('main a')].some((a) =>
            a.textContent.trim() === 'Demander un bilan' && a.getAttribute('href').startsWith('/mon-espace/demande'))"""
    )
    assert page.locator('main a[href^="/organismes/"]').count() == 0

    # 6. The consultant accepts, plans a session in 10 minutes and adds a task.
    assert run_script(
        e2e_environment.env,
        CONSULTANT_SCRIPT,
        {"consultant": CONSULTANT["email"], "password": PASSWORD, "beneficiary": VISITOR["email"]},
    )
    ui.goto(page, "/mon-espace")
    # The tab first shows its previous view of the page, until the page's load event answers.
    timeline = page.get_by_role("region", name="Où en est mon bilan")
    expect(timeline.locator('li[aria-current="step"]')).to_contain_text("Phase préliminaire")
    expect(timeline).to_contain_text("20 %")
    summary = page.get_by_role("region", name="En bref")
    expect(summary).to_contain_text(consultant_name)
    expect(summary).not_to_contain_text("Aucun rendez-vous planifié")
    sessions = page.get_by_role("region", name="Mes rendez-vous")
    assert sessions.get_by_role("link", name="Rejoindre la visioconférence").get_attribute("href") == (
        "https://visio.example.org/horizon"
    )
    confirm = sessions.get_by_role("button", name=re.compile("^Confirmer ma présence"))
    ui.submit_and_wait(page, confirm)
    page.get_by_text("Présence confirmée, merci.").wait_for()
    sessions.get_by_role("cell", name="Présence confirmée").wait_for()
    assert sessions.get_by_role("button").count() == 0
    task = page.get_by_role("checkbox", name="Lire le livret d'accueil")
    assert not task.is_checked()
    task.click()  # controlled by the server's answer: check() would see it unchanged for a moment
    page.get_by_text("Tâche mise à jour.").wait_for()
    assert task.is_checked()
    axe_check(page, "beneficiary space with a session and a task")

    _at_phone_width(page, screenshot, axe_check, "beneficiary-space-390")
