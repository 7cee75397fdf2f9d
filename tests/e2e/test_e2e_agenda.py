"""The agenda in the browser (issue 14 §1, §5): the consultant sets her availability; the beneficiary
books a slot, moves it, then cancels it; two beneficiaries race for one slot and one wins.

Set up through the services in the test's own organisation: a consultant with two accepted bilans
(Élise's and Yanis's). In Chromium: the consultant adds a weekly opening on /agenda (French public
holidays listed, axe clean); Élise books the first free slot in /mon-espace/rendez-vous, moves it to the
next one and cancels it (each change confirmed, axe clean); then Élise and Yanis, each in their own
browser, book the same slot at once: exactly one sees it booked, the other reads that it is no longer
free, next to the slot list.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Garrigue-Cigale-Lavande-48"
ADMIN = {"first_name": "Odile", "last_name": "Castan", "email": "direction@agenda-cevennes.fr"}
CONSULTANT = {"first_name": "Margaux", "last_name": "Teissier", "email": "margaux.teissier@agenda-cevennes.fr"}
BENEFICIARY = {"first_name": "Élise", "last_name": "Roux", "email": "elise.roux@agenda-perso.fr"}
RIVAL = {"first_name": "Yanis", "last_name": "Brun", "email": "yanis.brun@agenda-perso.fr"}
PARIS = ZoneInfo("Europe/Paris")
OFFICE = "3 place de la Comédie, 34000 Montpellier"

# A second beneficiary invited by the admin, who asks the same consultant for a bilan she accepts.
SECOND_BILAN = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, bilans, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.8", user_agent="e2e fixture")
def actor(email):
    return auth.resolve_session(auth.login({"email": email, "password": spec["password"]}, client).token).actor
admin, consultant = actor(spec["admin"]), actor(spec["consultant"])
person = spec["rival"]
members.invite(admin, {"email": person["email"], "role": "beneficiary"})
with session_scope() as session:
    message = session.exec(
        select(MailMessage)
        .where(MailMessage.to_address == person["email"])
        .order_by(col(MailMessage.created_at).desc())
    ).first()
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)", decrypt_text(message.body_encrypted)).group(1)
login = members.accept_invitation(
    token, {"first_name": person["first_name"], "last_name": person["last_name"], "password": spec["password"]}, client
)
rival = auth.resolve_session(login.token).actor
bilan_id = bilans.request_bilan(rival, {
    "mode": "presentiel", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id),
})
bilans.accept_request(consultant, bilan_id)
print(json.dumps({"bilan_id": str(bilan_id)}))
"""


@pytest.fixture(scope="module")
def setup(e2e_environment) -> dict[str, str]:
    spec = {
        "siret": make_siret("62841937", "0029"),
        "password": PASSWORD,
        "organisation": "Agenda Cévennes Conseil",
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
        "mode": "presentiel",
    }
    first = organisation_with_bilan(e2e_environment.env, spec)
    more = {"password": PASSWORD, "admin": ADMIN["email"], "consultant": CONSULTANT["email"], "rival": RIVAL}
    second = json.loads(run_script(e2e_environment.env, SECOND_BILAN, more))["bilan_id"]
    return {"first": first, "second": second}


def _login(page, ui, person: dict) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(lambda url: "/connexion" not in url)


def _booking_page(page, ui) -> None:
    ui.goto(page, "/mon-espace/rendez-vous")
    page.locator("#field-starts_at option").first.wait_for(state="attached")


def test_1_the_consultant_sets_her_availability(new_page, ui, axe_check, setup):
    page = new_page()
    _login(page, ui, CONSULTANT)
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    page.wait_for_url("**/agenda")
    ui.wait_ready(page)
    page.get_by_text("Aucune disponibilité").wait_for()
    weekday = (datetime.now(PARIS).date() + timedelta(days=2)).weekday()
    page.locator("#field-weekday").select_option(str(weekday))
    page.locator("#field-starts").fill("09:00")
    page.locator("#field-ends").fill("12:00")
    page.locator("#field-slot_minutes").fill("60")
    page.locator("#field-location").fill(OFFICE)
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter la disponibilité"))
    page.get_by_text("Agenda mis à jour.").wait_for()
    row = page.locator("main table tbody tr").first
    assert "09:00–12:00" in row.inner_text() and OFFICE in row.inner_text()
    page.get_by_text("Jours fériés à venir").click()
    axe_check(page, "agenda with one opening")
    # A bad opening: said next to the field, nothing added.
    page.locator("#field-starts").fill("14:00")
    page.locator("#field-ends").fill("13:00")
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter la disponibilité"))
    page.locator("#field-ends-error").wait_for()
    assert "L'heure de fin doit suivre" in page.locator("#field-ends-error").inner_text()
    assert page.locator("main table tbody tr").count() == 1


def test_2_she_books_moves_then_cancels(new_page, ui, axe_check, setup):
    page = new_page()
    _login(page, ui, BENEFICIARY)
    _booking_page(page, ui)
    first, second = (page.locator("#field-starts_at option").nth(i).inner_text() for i in (0, 1))
    assert "09:00–10:00" in first and "10:00–11:00" in second
    axe_check(page, "booking page")
    ui.submit_and_wait(page, page.get_by_role("button", name="Réserver", exact=True))
    page.get_by_text("Séance réservée").wait_for()
    mine = page.locator("#booking-mine").locator("xpath=..").locator("tbody tr")
    assert mine.count() == 1 and "09:00" in mine.first.inner_text()

    page.get_by_role("button", name="Déplacer", exact=True).click()
    page.get_by_text("Choisissez le nouveau créneau").wait_for()
    page.locator("#field-starts_at").select_option(index=0)  # 09:00 is hers: 10:00 comes first
    ui.submit_and_wait(page, page.get_by_role("button", name="Déplacer ici"))
    page.get_by_text("Séance déplacée").wait_for()
    assert "10:00" in mine.first.inner_text()
    axe_check(page, "booking page after a move")

    ui.submit_and_wait(page, page.get_by_role("button", name="Annuler la séance"))
    page.get_by_text("Séance annulée").wait_for()
    page.get_by_text("Aucune séance à venir.").wait_for()


def test_3_two_browsers_race_for_one_slot(new_page, ui, axe_check, setup):
    pages = []
    for person in (BENEFICIARY, RIVAL):
        page = new_page()
        _login(page, ui, person)
        _booking_page(page, ui)
        pages.append(page)
    values = [page.locator("#field-starts_at").input_value() for page in pages]
    assert values[0] == values[1]  # the same first free slot
    before = [ui.ws_events(page) for page in pages]
    for page in pages:
        page.get_by_role("button", name="Réserver", exact=True).click()
    for page, count in zip(pages, before, strict=True):
        page.wait_for_function("(before) => window.__bcWs.events > before", arg=count)
    outcomes = []
    for page in pages:
        page.locator("[role=status]:has-text('Séance réservée'), #field-starts_at-error").first.wait_for()
        outcomes.append(page.locator("#field-starts_at-error").count() == 0)
    assert sorted(outcomes) == [False, True], outcomes
    loser = pages[outcomes.index(False)]
    message = loser.locator("#field-starts_at-error").inner_text()
    assert "vient d'être réservé" in message or "n'est pas (ou plus) proposé" in message, message
    axe_check(loser, "booking page, the slot taken")
