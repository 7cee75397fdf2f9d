"""Helpers shared by the end-to-end tests (set-up scripts run with the server's environment)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from stdnum import luhn
from stdnum.fr import siret as siret_checker

ROOT = Path(__file__).resolve().parents[2]


def make_siret(siren_head: str, nic: str) -> str:
    """A SIRET that passes the Luhn checks of both the SIREN (9 digits) and the SIRET (14 digits)."""
    siren = siren_head + luhn.calc_check_digit(siren_head)
    body = siren + nic
    value = body + luhn.calc_check_digit(body)
    assert siret_checker.is_valid(value), value
    return value


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"`python {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_script(env: dict[str, str], script: str, spec: dict, timeout: float = 180) -> str:
    """Run a Python set-up snippet with the server's environment; returns its last line of output."""
    return run_cli(env, "-c", script, json.dumps(spec), timeout=timeout).strip().splitlines()[-1]


# An organisation (signed up by its admin), a consultant and a beneficiary who accepted their
# invitations, and the beneficiary's bilan request to that consultant; unless "accept" is false, the
# consultant accepts it (preliminary phase). Prints {"bilan_id": ...}. spec:
#   {"siret", "password", "organisation", "admin": person, "consultant": person, "beneficiary": person,
#    "mode"?: "distanciel", "questionnaire"?: {...} (saved as complete), "accept"?: true}
# where a person is {"first_name", "last_name", "email"}.
ORGANISATION_WITH_BILAN = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, bilans, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.7", user_agent="e2e fixture")
admin = spec["admin"]
success = members.signup_organisation(
    {"organisation_name": spec["organisation"], "siret": spec["siret"], "nda_number": "",
     "first_name": admin["first_name"], "last_name": admin["last_name"], "email": admin["email"],
     "password": spec["password"]},
    client,
)
admin = auth.resolve_session(success.token).actor
people = {}
for key in ("consultant", "beneficiary"):
    person = spec[key]
    members.invite(admin, {"email": person["email"], "role": key})
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
    "mode": spec.get("mode", "distanciel"), "funding_type": "cpf",
    "requested_consultant_id": str(people["consultant"].user_id),
})
if spec.get("questionnaire"):
    bilans.save_questionnaire(people["beneficiary"], bilan_id, spec["questionnaire"], complete=True)
if spec.get("accept", True):
    bilans.accept_request(people["consultant"], bilan_id)
print(json.dumps({"bilan_id": str(bilan_id)}))
"""


def organisation_with_bilan(env: dict[str, str], spec: dict) -> str:
    """Set up ORGANISATION_WITH_BILAN; returns the bilan's id."""
    return json.loads(run_script(env, ORGANISATION_WITH_BILAN, spec))["bilan_id"]


def login_person(page, ui, person: dict, password: str) -> None:
    """Fill the login form for a person of a set-up script and submit it (the caller waits)."""
    ui.goto(page, "/connexion")
    page.locator("#field-email").fill(person["email"])
    page.locator("#field-password").fill(password)
    page.get_by_role("button", name="Se connecter").click()
