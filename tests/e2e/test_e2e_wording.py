"""Wording a new user met (issue 11 §7), in Chromium.

A beneficiary whose first name starts with a vowel (elision: "Bilan d'Élodie"), her home before
any convention exists, the consultant's tab bar at 390 px, the signing code refused before the
typed name and the consent box, a history without raw values, and the page in English.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.support import login_person, make_siret, organisation_with_bilan

pytestmark = pytest.mark.e2e

PASSWORD = "Fleuve-Paisible-Heron-63"
CONSULTANT = {"first_name": "Gaspard", "last_name": "Lenoir", "email": "gaspard.lenoir@horizon-parcours.fr"}
BENEFICIARY = {"first_name": "Élodie", "last_name": "Vasseur", "email": "elodie.vasseur@exemple-perso.fr"}


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("52318764", "0021"),
        "password": PASSWORD,
        "organisation": "Horizon Parcours",
        "admin": {"first_name": "Paule", "last_name": "Rivière", "email": "direction@horizon-parcours.fr"},
        "mode": "hybride",
        "questionnaire": {
            "situation": "Comptable depuis dix ans.",
            "request": "Changer de métier.",
            "motivation": "Le contact humain.",
            "expectations": "Des pistes concrètes.",
            "availability": "Les mardis.",
        },
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def test_wording_of_a_first_walk(new_page, ui, axe_check, mailbox, bilan_id):
    beneficiary_name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"

    # Her home says the convention does not exist yet instead of inviting her to sign it.
    beneficiary = new_page()
    login_person(beneficiary, ui, BENEFICIARY, PASSWORD)
    beneficiary.wait_for_url("**/mon-espace")
    beneficiary.get_by_text("Votre consultant·e la préparera pendant la phase préliminaire").wait_for()
    assert beneficiary.get_by_text("Lire et signer ma convention de bilan").count() == 0

    # The consultant, on a phone: "Bilan d'Élodie …", and every tab of the bar on the screen.
    consultant = new_page(390, 844)
    login_person(consultant, ui, CONSULTANT, PASSWORD)
    consultant.wait_for_url("**/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("heading", name=f"Bilan d'{beneficiary_name}").wait_for()
    tabs = consultant.get_by_role("tab")
    assert tabs.count() >= 4
    for index in range(tabs.count()):
        box = tabs.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, tabs.nth(index).inner_text()
    axe_check(consultant, "bilan page at 390 px")

    # Objectives, convention; no code is mailed before the typed name and the consent box.
    consultant.locator("#field-objectives").fill("1. Identifier les compétences transférables.")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer les objectifs"))
    consultant.get_by_role("tab", name="Documents").click()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Émettre la convention"))
    consultant.get_by_text("Convention émise").wait_for()
    seen = len(mailbox.messages)
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Recevoir le code par e-mail"))
    consultant.locator("#field-typed_name-error").wait_for()
    consultant.get_by_text("Cochez la case").first.wait_for()
    consultant.wait_for_timeout(1000)
    assert not [m for m in mailbox.messages[seen:] if CONSULTANT["email"] in m.recipients]
    consultant.locator("#field-typed_name").fill(f"{CONSULTANT['first_name']} {CONSULTANT['last_name']}")
    consultant.locator("#field-consent").check()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Recevoir le code par e-mail"))
    consultant.get_by_text(re.compile("code.*envoyé", re.IGNORECASE)).first.wait_for()

    # The history reads as words: no Python values, no raw ids or ISO stamps.
    consultant.get_by_role("tab", name="Historique").click()
    history = consultant.get_by_role("tabpanel").inner_text()
    assert "None" not in history and "True" not in history and "False" not in history
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", history)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", history)

    # Her home now asks her to sign, and the page follows a switch to English, server-made text included.
    ui.goto(beneficiary, "/mon-espace")
    beneficiary.get_by_role("link", name="Lire et signer ma convention de bilan").wait_for()
    consultant.set_viewport_size({"width": 1280, "height": 800})
    with consultant.expect_navigation():
        consultant.get_by_role("button", name="Switch to English").click()
    ui.wait_ready(consultant)
    consultant.get_by_role("heading", name=f"{beneficiary_name}'s assessment").wait_for()
    consultant.get_by_role("tab", name="History").click()
    history = consultant.get_by_role("tabpanel").inner_text()
    assert "Statut" not in history and "Status" in history
