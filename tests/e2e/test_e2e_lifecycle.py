"""The bilan lifecycle in the browser, from an accepted request to the investigation phase.

A beneficiary's request (with her questionnaire) is set up through the services in the test's own
organisation; then, in Chromium: the consultant accepts it on the dashboard, records the objectives
and issues the convention; both sign with the codes read from the SMTP sink; the consultant plans
sessions (one past the 24 h maximum is refused on screen), both confirm attendance, and the bilan
moves to investigation.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.support import login_person, make_siret, organisation_with_bilan

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Chemin-Cotier-Phare-48"
CONSULTANT = {"first_name": "Romain", "last_name": "Delacroix", "email": "romain.delacroix@cap-metiers.fr"}
BENEFICIARY = {"first_name": "Amandine", "last_name": "Roche", "email": "amandine.roche@exemple-perso.fr"}
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("81245736", "0017"),
        "password": PASSWORD,
        "organisation": "Cap Métiers Conseil",
        "admin": {"first_name": "Odile", "last_name": "Marchetti", "email": "direction@cap-metiers.fr"},
        "mode": "hybride",
        "accept": False,
        "questionnaire": {
            "situation": "Infirmière depuis quinze ans.",
            "request": "Évoluer vers la coordination de parcours.",
            "motivation": "Transmettre et organiser.",
            "expectations": "Un projet validé.",
            "availability": "Les lundis.",
        },
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def _login(page, ui, person: dict) -> None:
    login_person(page, ui, person, PASSWORD)


def _wait_code(mailbox, to: str, after: int, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with mailbox._lock:
            fresh = [m for m in mailbox.messages[after:] if to.lower() in m.recipients]
        for mail in reversed(fresh):
            found = re.search(r"^\s*(\d{6})\s*$", mail.body, re.MULTILINE)
            if found:
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no signature code reached {to}")


def _local(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def test_accept_convention_signatures_sessions_and_investigation(new_page, ui, axe_check, mailbox, bilan_id):
    consultant_name = f"{CONSULTANT['first_name']} {CONSULTANT['last_name']}"
    beneficiary_name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"

    # 1. The consultant finds the request on the dashboard and accepts it.
    consultant = new_page()
    _login(consultant, ui, CONSULTANT)
    consultant.wait_for_url("**/consultant")
    consultant.get_by_role("heading", name="Demandes en attente de votre réponse").wait_for()
    axe_check(consultant, "dashboard with a request")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Accepter"))
    consultant.get_by_text("Demande acceptée").wait_for()

    # 2. The bilan page: objectives, then the convention (investigation is refused before it is signed).
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("heading", name=f"Bilan d'{beneficiary_name}").wait_for()
    axe_check(consultant, "bilan page summary")
    # The move its guard refuses is shown disabled, with the reason next to it.
    assert consultant.get_by_role("button", name="Passer en : Phase d'investigation").is_disabled()
    consultant.locator("#move-blocked-investigation").get_by_text("convention signée par toutes les parties").wait_for()
    consultant.locator("#field-objectives").fill("1. Identifier les compétences transférables.\n2. Valider un projet.")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer les objectifs"))
    consultant.get_by_role("tab", name="Documents").click()
    consultant.get_by_role("button", name="Émettre la convention").wait_for()
    axe_check(consultant, "bilan page documents")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Émettre la convention"))
    consultant.get_by_text("Convention émise").wait_for()

    # 3. The consultant signs for the organisation with the e-mailed code.
    seen = len(mailbox.messages)
    consultant.locator("#field-typed_name").fill(consultant_name)
    consultant.locator("#field-consent").check()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Recevoir le code par e-mail"))
    consultant.locator("#field-code").fill(_wait_code(mailbox, CONSULTANT["email"], seen))
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Signer", exact=True))
    consultant.get_by_text("Votre signature est enregistrée.").wait_for()
    axe_check(consultant, "convention signed by the organisation")

    # 4. The beneficiary signs in her space with the code read from the SMTP sink.
    beneficiary = new_page()
    _login(beneficiary, ui, BENEFICIARY)
    beneficiary.wait_for_url("**/mon-espace")
    ui.goto(beneficiary, "/mon-espace/convention")
    beneficiary.locator("#field-typed_name").wait_for()
    axe_check(beneficiary, "beneficiary convention page")
    seen = len(mailbox.messages)
    beneficiary.locator("#field-typed_name").fill(beneficiary_name)
    beneficiary.locator("#field-consent").check()
    ui.submit_and_wait(beneficiary, beneficiary.get_by_role("button", name=re.compile("Recevoir le code")))
    beneficiary.locator("#field-code").fill(_wait_code(mailbox, BENEFICIARY["email"], seen))
    ui.submit_and_wait(beneficiary, beneficiary.get_by_role("button", name=re.compile("^Signer")))
    beneficiary.get_by_text(re.compile("signée", re.IGNORECASE)).first.wait_for()

    # 5. Sessions: past the 24 h maximum is refused on screen; three sessions are planned, the first one
    # starting in two minutes (attendance opens at the start).
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("tab", name="Rendez-vous").click()
    start = (datetime.now(PARIS) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    plan = consultant.get_by_role("button", name="Planifier", exact=True)
    for index, minutes in enumerate((480, 480, 480)):
        consultant.locator("#field-starts_at").fill(_local(start + timedelta(days=index)))
        consultant.locator("#field-duration_minutes").fill(str(minutes))
        consultant.locator("#field-location").fill("12 rue des Écoles, Rennes")
        ui.submit_and_wait(consultant, plan)
        consultant.get_by_text("Rendez-vous planifié.").wait_for()
    consultant.locator("#field-starts_at").fill(_local(start + timedelta(days=4)))
    consultant.locator("#field-duration_minutes").fill("30")
    ui.submit_and_wait(consultant, plan)
    error = consultant.locator("#field-duration_minutes-error")
    error.wait_for()
    assert error.inner_text() == "Un bilan dure 24 heures au plus : il reste 0 h à planifier."
    assert consultant.locator("#field-location").input_value() == "12 rue des Écoles, Rennes"
    axe_check(consultant, "sessions with the 24 h error")
    assert consultant.locator("main .session-card").count() == 3

    # 6. Attendance: once the first session has started, the consultant and the beneficiary both confirm it.
    time.sleep(max(0.0, (start - datetime.now(PARIS)).total_seconds() + 1))
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("tab", name="Rendez-vous").click()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Confirmer ma présence").first)
    consultant.get_by_text("Consultant·e : présent·e").first.wait_for()
    ui.goto(beneficiary, "/mon-espace")
    ui.submit_and_wait(beneficiary, beneficiary.get_by_role("button", name=re.compile("Confirmer ma présence")).first)
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("tab", name="Rendez-vous").click()
    consultant.get_by_text("Bénéficiaire : présent·e").first.wait_for()
    consultant.locator("main .session-status", has_text="Réalisé").first.wait_for()

    # 7. The convention is signed and the objectives recorded: the bilan moves to investigation.
    consultant.get_by_role("tab", name="Résumé").click()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Passer en : Phase d'investigation"))
    consultant.get_by_text("Phase d'investigation").first.wait_for()
    consultant.get_by_role("tab", name="Historique").click()
    history = consultant.locator("main table").inner_text()
    assert "Changement de phase" in history and "Statut : Phase préliminaire → Phase d'investigation" in history
    axe_check(consultant, "bilan history")
