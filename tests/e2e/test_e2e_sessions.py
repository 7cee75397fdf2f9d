"""Sessions that cannot be fabricated, and the organisation settings form, in the browser (issue 11 §1, §3, §7).

Set up through the services in the test's own organisation: a bilan in investigation with one session
tomorrow 11:00–13:00, and the organisation's public information. In Chromium: the consultant's plan
form defaults the phase to the bilan's, refuses a past date and an overlapping slot with French
messages next to the field (what was typed is kept), then plans a session; at 390 px the session's
status and buttons are in view; the admin's organisation form shows the stored values, saves a change,
and the public page shows it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Sentier-Calanque-Brume-27"
ADMIN = {"first_name": "Mathilde", "last_name": "Varenne", "email": "direction@trajectoires-lyon.fr"}
CONSULTANT = {"first_name": "Bastien", "last_name": "Morel", "email": "bastien.morel@trajectoires-lyon.fr"}
BENEFICIARY = {"first_name": "Coralie", "last_name": "Fabre", "email": "coralie.fabre@exemple-perso.fr"}
ADDRESS = "7 quai Saint-Vincent, 69001 Lyon"
NEW_ADDRESS = "12 rue Mercière, 69002 Lyon"
PARIS = ZoneInfo("Europe/Paris")

# The bilan moves to investigation (set-up shortcut), with one session tomorrow 11:00–13:00 (Paris), and
# the organisation's public information is recorded. Prints {"slug": ...}.
SETUP = r"""
import json, sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from sqlmodel import select
from services import auth, bilans, members
from services.auth import ClientInfo
from services.db import session_scope
from services.models import Bilan, BilanStatus, Organisation

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.9", user_agent="e2e fixture")
def actor(email):
    return auth.resolve_session(auth.login({"email": email, "password": spec["password"]}, client).token).actor
admin, consultant = actor(spec["admin"]), actor(spec["consultant"])
with session_scope() as session:
    bilan = session.get(Bilan, __import__("uuid").UUID(spec["bilan_id"]))
    bilan.status = BilanStatus.INVESTIGATION
    session.add(bilan)
    slug = session.get(Organisation, bilan.organisation_id).slug
members.update_organisation_profile(admin, {
    "address": spec["address"], "contact_email": "contact@trajectoires-lyon.fr", "contact_phone": "04 72 00 00 00",
    "price_euros": 1750, "default_hours": 20, "min_hours": 13, "access_delay_days": 12,
    "modes": ["presentiel", "distanciel"], "disability_contact": "Mathilde Varenne",
    "public_description": "Bilans de compétences à Lyon.",
})
tomorrow = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=1)
bilans.plan_session(consultant, spec["bilan_id"], {
    "phase": "investigation", "starts_at": f"{tomorrow}T11:00", "duration_minutes": 120,
    "mode": "presentiel", "location": spec["address"],
})
print(json.dumps({"slug": slug}))
"""


@pytest.fixture(scope="module")
def setup(e2e_environment) -> dict[str, str]:
    spec = {
        "siret": make_siret("90412358", "0015"),
        "password": PASSWORD,
        "organisation": "Trajectoires Conseil Lyon",
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
        "mode": "presentiel",
    }
    bilan_id = organisation_with_bilan(e2e_environment.env, spec)
    more = {
        "bilan_id": bilan_id,
        "password": PASSWORD,
        "admin": ADMIN["email"],
        "consultant": CONSULTANT["email"],
        "address": ADDRESS,
    }
    slug = json.loads(run_script(e2e_environment.env, SETUP, more))["slug"]
    return {"bilan_id": bilan_id, "slug": slug}


def _login(page, ui, person: dict) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(lambda url: "/connexion" not in url)


def _local(day_offset: int, hour: int, minute: int = 0) -> str:
    day = datetime.now(PARIS).date() + timedelta(days=day_offset)
    return f"{day}T{hour:02d}:{minute:02d}"


def _sessions_tab(page, ui, bilan_id: str) -> None:
    ui.goto(page, f"/bilans/{bilan_id}")
    page.get_by_role("tab", name="Rendez-vous").click()
    page.locator("#field-starts_at").wait_for()


def test_planning_refuses_the_past_and_overlaps_and_defaults_the_phase(new_page, ui, axe_check, setup):
    page = new_page()
    _login(page, ui, CONSULTANT)
    _sessions_tab(page, ui, setup["bilan_id"])
    # The bilan is in investigation: so is a new session, unless the consultant chooses otherwise.
    assert page.locator("#field-phase").input_value() == "investigation"
    axe_check(page, "sessions tab")

    plan = page.get_by_role("button", name="Planifier", exact=True)
    page.locator("#field-starts_at").fill(_local(-1, 10))
    page.locator("#field-duration_minutes").fill("60")
    page.locator("#field-location").fill(ADDRESS)
    ui.submit_and_wait(page, plan)
    error = page.locator("#field-starts_at-error")
    error.wait_for()
    assert error.inner_text().startswith("Un rendez-vous se planifie dans le futur.")
    assert page.locator("#field-location").input_value() == ADDRESS  # what was typed is kept
    axe_check(page, "sessions tab with the past-date error")

    page.locator("#field-starts_at").fill(_local(1, 11, 30))
    ui.submit_and_wait(page, plan)
    page.get_by_text("Ce créneau chevauche un autre rendez-vous").wait_for()
    assert "11:00–13:00" in page.locator("#field-starts_at-error").inner_text()
    assert page.locator("main .session-card").count() == 1

    page.locator("#field-starts_at").fill(_local(1, 14))
    ui.submit_and_wait(page, plan)
    page.get_by_text("Rendez-vous planifié.").wait_for()
    cards = page.locator("main .session-card")
    assert cards.count() == 2
    assert "Investigation" in cards.nth(1).inner_text()
    axe_check(page, "sessions tab after planning")


def test_the_sessions_stay_usable_at_390_px(new_page, ui, axe_check, setup):
    page = new_page(width=390, height=844)
    _login(page, ui, CONSULTANT)
    _sessions_tab(page, ui, setup["bilan_id"])
    card = page.locator("main .session-card").first
    card.scroll_into_view_if_needed()
    for element in (
        card.locator(".session-status"),
        card.get_by_role("button", name="Annuler le rendez-vous", exact=False),
        card.get_by_role("button", name="Déplacer le rendez-vous", exact=False),
    ):
        element.wait_for()
        box = element.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page, "sessions at 390 px")


def test_the_organisation_form_shows_what_is_stored_and_saves_it(new_page, ui, axe_check, setup):
    page = new_page()
    _login(page, ui, ADMIN)
    ui.goto(page, "/admin/organisation")
    address = page.locator("#field-address")
    address.wait_for()
    # Before the fix every field was empty here, and saving erased the public page.
    page.wait_for_function("() => document.querySelector('#field-address').value !== ''")
    assert address.input_value() == ADDRESS
    assert page.locator("#field-price_euros").input_value() == "1750"  # not "1750.0"
    assert float(page.locator("#field-min_hours").input_value()) == 13
    assert page.locator("#field-mode-presentiel").is_checked()
    assert not page.locator("#field-mode-hybride").is_checked()
    public = page.locator("#org-public-page")
    assert public.inner_text().endswith(f"/organismes/{setup['slug']}")
    axe_check(page, "organisation settings")

    address.fill(NEW_ADDRESS)
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer"))
    page.get_by_text("Paramètre enregistré.").wait_for()
    ui.goto(page, f"/organismes/{setup['slug']}")
    page.get_by_text(NEW_ADDRESS).first.wait_for()
    assert "Bilans de compétences à Lyon." in page.locator("main").inner_text()  # nothing else was erased


def test_a_session_recorded_afterwards_without_a_reason_is_refused(new_page, ui, axe_check, setup):
    """Backdated attendance needs its reason: blank (spaces pass the browser's check) is refused by the server,
    next to the field, with what was typed kept and nothing recorded."""
    page = new_page()
    _login(page, ui, CONSULTANT)
    _sessions_tab(page, ui, setup["bilan_id"])
    cards_before = page.locator("main .session-card").count()
    page.get_by_text("Saisir une séance passée (tenue sans la plateforme)").click()
    page.locator("#field-record_starts_at").fill(_local(-2, 9))
    page.locator("#field-record_duration_minutes").fill("60")
    page.locator("#field-record_location").fill(ADDRESS)
    page.locator("#field-record_reason").fill("   ")
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer la séance passée"))
    error = page.locator("#field-record_reason-error")
    error.wait_for()
    assert error.inner_text() == "Ce champ est obligatoire."
    assert page.locator("#field-record_location").input_value() == ADDRESS
    assert page.locator("main .session-card").count() == cards_before
    axe_check(page, "sessions tab with the record form's reason error")
