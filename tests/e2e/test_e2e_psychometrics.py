"""Psychometric questionnaires in the browser: start, pause and resume, missing answers, results.

The test sets up an organisation of its own with a consultant and a beneficiary whose bilan the
consultant has accepted; then, in Chromium, the beneficiary opens "Mes questionnaires", starts the
work-values inventory (24 items), answers a few, reloads (the answers are kept), tries to finish
(the missing items are shown), answers everything, finishes and reads her ranked values with the
disclaimer. Every screen goes through axe.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import make_siret, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Lavande-Garrigue-Cigale-73"
CONSULTANT = {"first_name": "Bastien", "last_name": "Orsini", "email": "bastien.orsini@sud-parcours.fr"}
BENEFICIARY = {"first_name": "Noémie", "last_name": "Fabre", "email": "noemie.fabre@exemple-perso.fr"}
DISCLAIMER = "Ces questionnaires sont des aides à la réflexion, pas des verdicts"
TEST_TITLE = "Inventaire des valeurs professionnelles"

SETUP_SCRIPT = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, bilans, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.7", user_agent="e2e psychometrics fixture")
success = members.signup_organisation(
    {"organisation_name": "Sud Parcours Conseil", "siret": spec["siret"], "nda_number": "",
     "first_name": "Claire", "last_name": "Vidal", "email": "direction@sud-parcours.fr",
     "password": spec["password"]},
    client,
)
admin = auth.resolve_session(success.token).actor
people = {}
for key, role in (("consultant", "consultant"), ("beneficiary", "beneficiary")):
    person = spec[key]
    members.invite(admin, {"email": person["email"], "role": role})
    with session_scope() as session:
        message = session.exec(
            select(MailMessage).where(MailMessage.to_address == person["email"])
            .order_by(col(MailMessage.created_at).desc())
        ).first()
        token = re.search(r"/invitation/([A-Za-z0-9_-]+)", decrypt_text(message.body_encrypted)).group(1)
    login = members.accept_invitation(
        token, {"first_name": person["first_name"], "last_name": person["last_name"], "password": spec["password"]},
        client,
    )
    people[key] = auth.resolve_session(login.token).actor
bilan_id = bilans.request_bilan(people["beneficiary"], {
    "mode": "distanciel", "funding_type": "cpf", "requested_consultant_id": str(people["consultant"].user_id),
})
bilans.accept_request(people["consultant"], bilan_id)
print(json.dumps({"bilan_id": str(bilan_id)}))
"""


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("83412679", "0025"),
        "password": PASSWORD,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return json.loads(run_script(e2e_environment.env, SETUP_SCRIPT, spec))["bilan_id"]


def _login(page, ui, person: dict) -> None:
    ui.goto(page, "/connexion")
    page.locator("#field-email").fill(person["email"])
    page.locator("#field-password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _answer(page, ui, group, choice: int) -> None:
    """Pick the choice-th answer of a question (it autosaves: wait for the server's update)."""
    radio = group.locator("input[type=radio]").nth(choice)
    ui.submit_and_wait(page, radio)
    expect(radio).to_be_checked()


def _answer_page(page, ui, start: int) -> int:
    """Answer every question shown (numbered from start); returns the next number."""
    groups = page.get_by_role("group")
    count = groups.count()
    for index in range(count):
        _answer(page, ui, groups.nth(index), (start + index) % 5)
    return start + count


def test_take_pause_resume_and_finish_work_values(new_page, ui, axe_check, bilan_id):
    page = new_page()
    _login(page, ui, BENEFICIARY)
    page.wait_for_url("**/mon-espace")

    # 1. From "Mon espace" to the list of questionnaires.
    page.get_by_role("link", name="Passer mes questionnaires").click()
    page.wait_for_url("**/mon-espace/tests")
    page.get_by_role("heading", name="Mes questionnaires", level=1).wait_for()
    expect(page.get_by_text("24 questions")).to_be_visible()
    expect(page.get_by_text("Vous n'avez encore terminé aucun questionnaire.")).to_be_visible()
    axe_check(page, "tests list")

    # 2. Start the work-values inventory: page 1 shows ten questions with their scale.
    page.get_by_role("link", name=f"Commencer : {TEST_TITLE}").click()
    page.wait_for_url("**/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 0 / 24")).to_be_visible()
    expect(page.get_by_text("Questions 1 à 10 sur 24")).to_be_visible()
    expect(page.get_by_role("group")).to_have_count(10)
    axe_check(page, "test page 1")

    # 3. Answer five questions (the last one with the keyboard), then reload: the answers are kept.
    groups = page.get_by_role("group")
    for index in range(4):
        _answer(page, ui, groups.nth(index), index % 5)
    fifth = groups.nth(4).locator("input[type=radio]")
    fifth.first.focus()
    before = ui.ws_events(page)
    page.keyboard.press("Space")
    page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)
    expect(fifth.first).to_be_checked()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()

    ui.goto(page, "/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()
    groups = page.get_by_role("group")
    for index in range(4):
        expect(groups.nth(index).locator("input[type=radio]").nth(index % 5)).to_be_checked()
    expect(groups.nth(4).locator("input[type=radio]").first).to_be_checked()

    # The list shows the test in progress.
    ui.goto(page, "/mon-espace/tests")
    expect(page.get_by_role("link", name=f"Reprendre : {TEST_TITLE} (5/24)")).to_be_visible()
    page.get_by_role("link", name=f"Reprendre : {TEST_TITLE} (5/24)").click()
    page.wait_for_url("**/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()

    # 4. Finishing too early: a summary at the top and the message next to each missing item.
    ui.submit_and_wait(page, page.get_by_role("button", name="Terminer le test"))
    expect(page.get_by_text("Il reste 19 question(s) sans réponse.")).to_be_visible()
    expect(page.get_by_role("heading", name="Questions sans réponse")).to_be_visible()
    expect(page.get_by_role("button", name="Aller à la question 6")).to_be_visible()
    groups = page.get_by_role("group")
    expect(groups.nth(5).get_by_text("Merci de répondre à cette question.")).to_be_visible()
    expect(groups.nth(0).get_by_text("Merci de répondre à cette question.")).to_have_count(0)
    axe_check(page, "test with missing answers")

    # 5. Answer the rest, page by page.
    for index in range(5, 10):
        _answer(page, ui, groups.nth(index), index % 5)
    expect(groups.nth(5).get_by_text("Merci de répondre à cette question.")).to_have_count(0)
    ui.submit_and_wait(page, page.get_by_role("button", name="Page suivante"))
    expect(page.get_by_text("Questions 11 à 20 sur 24")).to_be_visible()
    number = _answer_page(page, ui, 10)
    ui.submit_and_wait(page, page.get_by_role("button", name="Page suivante"))
    expect(page.get_by_text("Questions 21 à 24 sur 24")).to_be_visible()
    expect(page.get_by_role("button", name="Page suivante")).to_have_count(0)
    _answer_page(page, ui, number)
    expect(page.get_by_text("Réponses : 24 / 24")).to_be_visible()
    ui.submit_and_wait(page, page.get_by_role("button", name="Page précédente"))
    expect(page.get_by_text("Questions 11 à 20 sur 24")).to_be_visible()

    # 6. Finish: back on the list, with the ranked values and the disclaimer.
    page.get_by_role("button", name="Terminer le test").click()
    page.wait_for_url(re.compile(r".*/mon-espace/tests\?termine=1$"))
    page.get_by_role("heading", name="Mes résultats").wait_for()
    expect(page.get_by_text("Questionnaire terminé : vos résultats sont ci-dessous.")).to_be_visible()
    result = page.locator("article").filter(has_text=TEST_TITLE)
    expect(result).to_have_count(1)
    expect(result.locator("ol > li")).to_have_count(6)
    expect(result.get_by_text(DISCLAIMER)).to_be_visible()
    expect(result.get_by_text(re.compile(r"Score : \d"))).to_have_count(0)  # no numbers for the beneficiary
    instruments = page.locator("section[aria-labelledby=tests-instruments] li").filter(has_text=TEST_TITLE)
    expect(instruments.get_by_text("Terminé", exact=True)).to_be_visible()
    axe_check(page, "tests list with results")

    # 7. The same list on a 390 px wide screen.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(result.get_by_text(DISCLAIMER)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page, "tests list at 390 px")
