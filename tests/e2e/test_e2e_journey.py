"""The whole onboarding: an organisation signs up, invites a consultant, who invites a beneficiary."""

from __future__ import annotations

import pytest
from stdnum.fr import siret

pytestmark = pytest.mark.e2e

ORGANISATION = "Bilans Horizon Conseil"
SIRET = "51234567900025"  # valid (Luhn on SIREN and SIRET), different from the demo's 73282932000074
ADMIN = {"first_name": "Margaux", "last_name": "Delorme", "email": "direction@horizon-conseil.fr"}
CONSULTANT = {"first_name": "Théo", "last_name": "Vasseur", "email": "theo.vasseur@horizon-conseil.fr"}
BENEFICIARY = {"first_name": "Élodie", "last_name": "Marchand", "email": "elodie.marchand@exemple-perso.fr"}
PASSWORDS = {
    "admin": "Volcan-Paisible-Orange-41",
    "consultant": "Riviere-Sereine-Nuage-58",
    "beneficiary": "Colline-Douce-Lanterne-93",
}


def test_signup_invite_consultant_then_beneficiary(new_page, ui, axe_check, mailbox):
    assert siret.is_valid(SIRET)

    # 1. The organisation signs up; its administrator lands on the users page.
    admin = new_page()
    ui.goto(admin, "/inscription")
    axe_check(admin, "sign-up form")
    admin.locator("#field-organisation_name").fill(ORGANISATION)
    admin.locator("#field-siret").fill(SIRET)
    admin.locator("#field-first_name").fill(ADMIN["first_name"])
    admin.locator("#field-last_name").fill(ADMIN["last_name"])
    admin.locator("#field-email").fill(ADMIN["email"])
    admin.locator("#field-password").fill(PASSWORDS["admin"])
    admin.get_by_role("button", name="Créer l'espace").click()
    admin.wait_for_url("**/admin/utilisateurs")
    admin.get_by_role("heading", name="Utilisateurs", level=1).wait_for()
    members = admin.get_by_role("region", name="Utilisateurs")
    members.get_by_role("cell", name=ADMIN["email"]).wait_for()
    assert admin.get_by_text(ORGANISATION).first.is_visible()
    axe_check(admin, "org admin: users")

    # 2. The administrator invites a consultant (role select).
    admin.locator("#field-email").fill(CONSULTANT["email"])
    admin.locator("#field-role").select_option("consultant")
    admin.get_by_role("button", name="Envoyer l'invitation").click()
    admin.get_by_text(f"Invitation envoyée à {CONSULTANT['email']}.").wait_for()
    pending = admin.get_by_role("region", name="Invitations en attente")
    pending.get_by_role("cell", name=CONSULTANT["email"]).wait_for()
    assert pending.get_by_role("row").filter(has_text=CONSULTANT["email"]).get_by_text("Consultant·e").is_visible()
    axe_check(admin, "org admin: invitation sent")

    # 3. The consultant opens the mailed link in another browser and creates the account.
    link = mailbox.wait_for_link(CONSULTANT["email"], "invitation")
    consultant = new_page()
    ui.goto(consultant, link)
    consultant.get_by_role("heading", name=f"Rejoindre {ORGANISATION}", level=1).wait_for()
    assert consultant.get_by_text(CONSULTANT["email"]).is_visible()
    axe_check(consultant, "invitation (consultant)")
    consultant.locator("#field-first_name").fill(CONSULTANT["first_name"])
    consultant.locator("#field-last_name").fill(CONSULTANT["last_name"])
    consultant.locator("#field-password").fill(PASSWORDS["consultant"])
    consultant.get_by_role("button", name="Rejoindre l'organisme").click()
    consultant.wait_for_url("**/consultant")
    consultant.get_by_role("heading", name="Mes bilans", level=1).wait_for()
    axe_check(consultant, "consultant home")

    # 4. The consultant invites a beneficiary (the only role a consultant may grant: no role select).
    assert consultant.locator("#field-role").count() == 0
    consultant.locator("#field-email").fill(BENEFICIARY["email"])
    consultant.get_by_role("button", name="Envoyer l'invitation").click()
    consultant.get_by_text(f"Invitation envoyée à {BENEFICIARY['email']}.").wait_for()
    consultant.get_by_role("region", name="Bénéficiaires invité·es").get_by_role(
        "cell", name=BENEFICIARY["email"]
    ).wait_for()
    axe_check(consultant, "consultant: invitation sent")

    # 5. The beneficiary opens her link, chooses a password and sees her space with her name.
    link = mailbox.wait_for_link(BENEFICIARY["email"], "invitation")
    beneficiary = new_page()
    ui.goto(beneficiary, link)
    beneficiary.get_by_role("heading", name=f"Rejoindre {ORGANISATION}", level=1).wait_for()
    assert beneficiary.get_by_text("Bénéficiaire").first.is_visible()
    axe_check(beneficiary, "invitation (beneficiary)")
    beneficiary.locator("#field-first_name").fill(BENEFICIARY["first_name"])
    beneficiary.locator("#field-last_name").fill(BENEFICIARY["last_name"])
    beneficiary.locator("#field-password").fill(PASSWORDS["beneficiary"])
    beneficiary.get_by_role("button", name="Rejoindre l'organisme").click()
    beneficiary.wait_for_url("**/mon-espace")
    beneficiary.get_by_role("heading", name="Mon espace", level=1).wait_for()
    full_name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"
    beneficiary.get_by_role("heading", name=f"Bonjour {full_name}").wait_for()
    assert beneficiary.get_by_text(f"avec {ORGANISATION}").is_visible()
    axe_check(beneficiary, "beneficiary home")

    # 6. Back on the administrator's page, both new people are members.
    ui.goto(admin, "/admin/utilisateurs")
    members = admin.get_by_role("region", name="Utilisateurs")
    members.get_by_role("cell", name=CONSULTANT["email"]).wait_for()
    members.get_by_role("cell", name=BENEFICIARY["email"]).wait_for()
    axe_check(admin, "org admin: users after onboarding")
