"""Session notes after a reassignment, in the browser (issue 11, §8).

A beneficiary of the fixture organisation has a bilan with the fixture consultant, who wrote a
session note (set up through the services). In Chromium: the org admin reassigns the bilan to a
second consultant; that consultant sees that the earlier notes need the beneficiary's agreement,
without their text; the beneficiary is told by mail (SMTP sink), agrees in her space; then the
second consultant reads the note.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.e2e.support import login_person, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Falaise-Brumeuse-Mouette-31"
BENEFICIARY = {"first_name": "Maëlle", "last_name": "Guillou", "email": "maelle.guillou@exemple-perso.fr"}
NOTE = "Souhaite quitter la logistique ; inquiète pour sa santé. Piste : ergonomie."

# The beneficiary (invited by the admin), her request to the fixture consultant, accepted; a session
# with the consultant's note. Prints {"bilan_id", "second_id"}.
SETUP = r"""
import json, re, sys
from datetime import timedelta
from sqlmodel import col, select
from services import bilans, members
from services.access import Actor
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage, Membership, Role, User
from services.models.base import utcnow

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.9", user_agent="e2e fixture")


def actor(email):
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
        return Actor(user_id=user.id, role=Role(membership.role), organisation_id=membership.organisation_id)


admin = actor(spec["admin"])
person = spec["beneficiary"]
members.invite(admin, {"email": person["email"], "role": "beneficiary"})
with session_scope() as session:
    message = session.exec(
        select(MailMessage)
        .where(MailMessage.to_address == person["email"])
        .order_by(col(MailMessage.created_at).desc())
    ).first()
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)", decrypt_text(message.body_encrypted)).group(1)
members.accept_invitation(
    token, {"first_name": person["first_name"], "last_name": person["last_name"], "password": spec["password"]}, client
)
beneficiary = actor(person["email"])
consultant = actor(spec["consultant"])
bilan_id = bilans.request_bilan(
    beneficiary, {"mode": "distanciel", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id)}
)
bilans.accept_request(consultant, bilan_id)
session_id = bilans.plan_session(consultant, bilan_id, {
    "phase": "preliminaire", "starts_at": utcnow() + timedelta(days=2), "duration_minutes": 60,
    "mode": "distanciel", "video_link": "https://visio.example.org/salle",
})
bilans.save_session_notes(consultant, session_id, spec["note"])
print(json.dumps({"bilan_id": str(bilan_id), "second_id": str(actor(spec["second"]).user_id)}))
"""


@pytest.fixture(scope="module")
def setup(e2e_environment, accounts) -> dict[str, str]:
    spec = {
        "admin": accounts["org_admin"].email,
        "consultant": accounts["consultant"].email,
        "second": accounts["second_consultant"].email,
        "beneficiary": BENEFICIARY,
        "password": PASSWORD,
        "note": NOTE,
    }
    return json.loads(run_script(e2e_environment.env, SETUP, spec))


def _wait_mail(mailbox, to: str, subject: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with mailbox._lock:
            found = [m for m in mailbox.messages if to.lower() in m.recipients and m.subject == subject]
        if found:
            return found[-1].body
        time.sleep(0.1)
    raise AssertionError(f"no mail {subject!r} reached {to}")


def _sessions_tab(page, ui, bilan_id: str) -> None:
    ui.goto(page, f"/bilans/{bilan_id}")
    page.get_by_role("tab", name="Rendez-vous").click()
    page.locator("main .session-card").first.wait_for()


def test_a_reassigned_bilans_notes_open_only_with_her_agreement(new_page, ui, axe_check, mailbox, accounts, setup):
    bilan_id, second_id = setup["bilan_id"], setup["second_id"]
    name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"
    second = accounts["second_consultant"]
    second_name = f"{second.first_name} {second.last_name}"

    # 1. The org admin gives the bilan to the second consultant.
    admin = new_page()
    ui.login_home(admin, accounts["org_admin"])
    ui.goto(admin, "/admin/bilans")
    choice = admin.get_by_label(f"Consultant·e pour le bilan de {name}")
    choice.wait_for()
    before = ui.ws_events(admin)
    choice.select_option(value=second_id)
    admin.wait_for_function("(before) => window.__bcWs.events > before", arg=before)
    admin.get_by_text("Enregistré.").wait_for()
    axe_check(admin, "admin bilans after a reassignment")

    # 2. She is told, without the note's text.
    body = _wait_mail(mailbox, BENEFICIARY["email"], "Votre bilan est confié à un·e autre consultant·e")
    assert f"est désormais suivi par {second_name}" in body
    assert f"{second_name} ne les lira que si vous l'acceptez" in body
    assert NOTE not in body

    # 3. The second consultant sees that the earlier notes need her agreement, not their text.
    consultant = new_page()
    ui.login_home(consultant, second)
    _sessions_tab(consultant, ui, bilan_id)
    consultant.get_by_text("Ce bilan vous a été réattribué.", exact=False).wait_for()
    consultant.get_by_text("Notes d'un·e autre consultant·e : lisibles avec l'accord de la personne").wait_for()
    assert consultant.get_by_role("button", name=re.compile(r"^Notes de la séance")).count() == 0
    assert NOTE not in consultant.content()
    axe_check(consultant, "sessions with notes awaiting the beneficiary's agreement")

    # 4. She agrees in her space.
    beneficiary = new_page()
    login_person(beneficiary, ui, BENEFICIARY, PASSWORD)
    beneficiary.wait_for_url("**/mon-espace")
    beneficiary.get_by_role("heading", name="Votre bilan a changé de consultant·e").wait_for()
    axe_check(beneficiary, "beneficiary space asking for the notes agreement")
    ui.submit_and_wait(
        beneficiary, beneficiary.get_by_role("button", name=f"J'accepte que {second_name} lise ces notes")
    )
    beneficiary.get_by_text("Votre accord est enregistré.").wait_for()
    beneficiary.get_by_role("button", name="Retirer mon accord").wait_for()
    axe_check(beneficiary, "beneficiary space after agreeing")

    # 5. Now the second consultant reads the note.
    _sessions_tab(consultant, ui, bilan_id)
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name=re.compile(r"^Notes de la séance")))
    notes = consultant.locator("#field-notes")
    notes.wait_for()
    assert notes.input_value() == NOTE
    axe_check(consultant, "the earlier note, read with her agreement")
