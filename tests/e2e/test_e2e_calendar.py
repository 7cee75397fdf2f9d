"""Calendars and remote sessions in the browser (issue 14 §1, §2, §5).

Set up through the services in the test's own organisation (remote sessions by pasted link): one session
in person two days after October's daylight-saving change, one remote session starting in 10 minutes and
one in three hours. In Chromium: the beneficiary downloads the first session's invitation from her home
and it parses with icalendar (TZID Europe/Paris, 10:00 Paris = 09:00 UTC once winter time is back); she
makes her private feed address on the Notifications page, it answers an ICS, she revokes it and it answers
404; the remote session's link shows to her and to her consultant (the one starting in 10 minutes only),
and never to the org admin who follows the bilan; the admin chooses Jitsi on the settings page, where a
domain with a scheme and a path is refused next to the field (what was typed kept), then a bare one saved.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Galet-Estuaire-Hirondelle-64"
ADMIN = {"first_name": "Solène", "last_name": "Kerjean", "email": "direction@cap-horizons-brest.fr"}
CONSULTANT = {"first_name": "Yann", "last_name": "Le Goff", "email": "yann.legoff@cap-horizons-brest.fr"}
BENEFICIARY = {"first_name": "Nolwenn", "last_name": "Caradec", "email": "nolwenn.caradec@exemple-perso.fr"}
ROOM_LINK = "https://visio.cap-horizons-brest.fr/j/8841-2207"
PARIS = ZoneInfo("Europe/Paris")


def _after_october_change() -> datetime:
    """10:00 Paris, two days after the next last Sunday of October at least a week ahead (winter time)."""
    today = datetime.now(PARIS).date()
    year = today.year if today < date(today.year, 10, 20) else today.year + 1
    last = date(year, 10, 31)
    day = last - timedelta(days=(last.weekday() + 1) % 7) + timedelta(days=2)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)


IN_PERSON = _after_october_change()

SETUP = r"""
import json, sys
from datetime import datetime, timedelta
from services import auth, bilans
from services.auth import ClientInfo
from services.models.base import utcnow

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.11", user_agent="e2e fixture")
consultant = auth.resolve_session(
    auth.login({"email": spec["consultant"], "password": spec["password"]}, client).token
).actor
def plan(starts_at, **extra):
    raw = {"phase": "preliminaire", "starts_at": starts_at, "duration_minutes": 60, "mode": "presentiel", **extra}
    return str(bilans.plan_session(consultant, spec["bilan_id"], raw))
soon = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=10)
later = soon + timedelta(hours=3)
print(json.dumps({
    "in_person": plan(spec["in_person"], location="2 rue de Siam, 29200 Brest"),
    "soon": plan(soon, mode="distanciel", video_link=spec["link"]),
    "later": plan(later, mode="distanciel", video_link=spec["link"] + "-bis"),
}))
"""


@pytest.fixture(scope="module")
def setup(e2e_environment) -> dict[str, str]:
    spec = {
        "siret": make_siret("52618437", "0019"),
        "password": PASSWORD,
        "organisation": "Cap Horizons Brest",
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
        "mode": "distanciel",
    }
    bilan_id = organisation_with_bilan(e2e_environment.env, spec)
    more = {
        "bilan_id": bilan_id,
        "password": PASSWORD,
        "consultant": CONSULTANT["email"],
        "in_person": IN_PERSON.isoformat(),
        "link": ROOM_LINK,
    }
    sessions = json.loads(run_script(e2e_environment.env, SETUP, more))
    return {"bilan_id": bilan_id, **sessions}


def _login(page, ui, person: dict) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(lambda url: "/connexion" not in url)
    page.locator("main h1").wait_for()


def _parse(text: str):
    calendar = Calendar.from_ical(text)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    return calendar.walk("VEVENT")


def test_her_invitation_downloads_and_parses_across_the_october_change(new_page, ui, axe_check, setup, tmp_path):
    her = new_page()
    _login(her, ui, BENEFICIARY)
    ui.goto(her, "/mon-espace")
    links = her.get_by_role("link", name=re.compile("Télécharger l'invitation de la séance"))
    expect(links).to_have_count(3)
    with her.expect_download() as download:
        links.nth(2).click()  # the sessions are listed by date: the one after the change is last
    saved = tmp_path / "seance.ics"
    download.value.save_as(saved)
    [event] = _parse(saved.read_text(encoding="utf-8"))
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    start = event.decoded("DTSTART")
    assert start == IN_PERSON and start.utcoffset() == timedelta(hours=1)  # winter time again
    assert str(event["SUMMARY"]) == "Séance de bilan" and str(event["LOCATION"]) == "2 rue de Siam, 29200 Brest"
    assert str(event["UID"]) == f"seance-{setup['in_person']}@bilancompetence.ai"
    axe_check(her, "beneficiary home, sessions with calendar and video links")


def test_her_feed_address_works_until_revoked_then_answers_404(new_page, ui, axe_check, setup):
    her = new_page()
    _login(her, ui, BENEFICIARY)
    ui.goto(her, "/notifications")
    feed = her.get_by_role("region", name="Mon agenda")
    expect(feed).to_contain_text("Vous n'avez pas d'adresse d'agenda active.")
    feed.get_by_role("button", name="Créer mon adresse d'agenda").click()
    address = feed.get_by_label("Adresse de votre agenda")
    expect(address).to_have_value(re.compile(r"/api/calendrier/[A-Za-z0-9_-]{40,}$"))
    expect(feed.get_by_role("button", name="Copier l'adresse")).to_be_visible()
    url = address.input_value()
    axe_check(her, "notifications page, calendar feed address")

    answer = her.request.get(url)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = _parse(answer.text())
    assert sorted(event.decoded("DTSTART") for event in events)[-1] == IN_PERSON
    assert {str(event["SUMMARY"]) for event in events} == {"Séance de bilan"}
    assert ROOM_LINK not in answer.text() and "Caradec" not in answer.text()

    feed.get_by_role("button", name="Révoquer").click()
    expect(her.get_by_text("Adresse révoquée : elle ne fonctionne plus.")).to_be_visible()
    expect(feed).to_contain_text("Vous n'avez pas d'adresse d'agenda active.")
    assert her.request.get(url).status == 404


def test_the_room_link_shows_to_the_participants_only_from_15_minutes_before(new_page, ui, axe_check, setup):
    her = new_page()
    _login(her, ui, BENEFICIARY)
    ui.goto(her, "/mon-espace")
    join = her.get_by_role("link", name=re.compile("Rejoindre la visioconférence de la séance"))
    expect(join).to_have_count(1)  # the session in 10 minutes; the one in three hours: not yet
    expect(join).to_have_attribute("href", ROOM_LINK)
    expect(her.locator("main")).not_to_contain_text(ROOM_LINK + "-bis")

    him = new_page()
    _login(him, ui, CONSULTANT)
    ui.goto(him, f"/bilans/{setup['bilan_id']}")
    him.get_by_role("tab", name="Rendez-vous").click()
    his = him.get_by_role("link", name=re.compile("Rejoindre la visioconférence de la séance"))
    expect(his).to_have_count(1)
    expect(his).to_have_attribute("href", ROOM_LINK)
    axe_check(him, "bilan sessions tab, the video link open")

    admin = new_page()
    _login(admin, ui, ADMIN)
    ui.goto(admin, f"/bilans/{setup['bilan_id']}")
    admin.get_by_role("tab", name="Rendez-vous").click()
    expect(admin.locator(".session-card")).to_have_count(3)
    expect(admin.get_by_role("link", name=re.compile("Rejoindre la visioconférence"))).to_have_count(0)
    expect(admin.get_by_role("link", name=re.compile("Télécharger l'invitation"))).to_have_count(0)
    expect(admin.locator("main")).not_to_contain_text("cap-horizons-brest.fr/j/")


def test_the_admin_chooses_jitsi_with_a_bare_domain(new_page, ui, axe_check, setup):
    """Runs last: from here the organisation's remote sessions use Jitsi rooms."""
    admin = new_page()
    _login(admin, ui, ADMIN)
    ui.goto(admin, "/admin/organisation")
    form = admin.get_by_role("form", name="Séances à distance")
    expect(form.get_by_role("radio", name=re.compile("Lien collé par le consultant"))).to_be_checked()
    form.get_by_role("radio", name=re.compile("Jitsi Meet")).check()
    domain = form.locator("#field-jitsi_domain")
    domain.fill("https://meet.jit.si/salle")
    ui.submit_and_wait(admin, form.get_by_role("button", name="Valider le mode de visioconférence"))
    expect(admin.locator("#field-jitsi_domain-error")).to_contain_text("Indiquez un nom de domaine seul")
    expect(domain).to_have_value("https://meet.jit.si/salle")  # what was typed is kept
    axe_check(admin, "organisation settings, remote sessions with an error")
    domain.fill("meet.jit.si")
    ui.submit_and_wait(admin, form.get_by_role("button", name="Valider le mode de visioconférence"))
    expect(admin.get_by_text("Réglages des séances à distance enregistrés.")).to_be_visible()
    ui.goto(admin, "/admin/organisation")
    expect(form.get_by_role("radio", name=re.compile("Jitsi Meet"))).to_be_checked()
    expect(form.locator("#field-jitsi_domain")).to_have_value("meet.jit.si")
