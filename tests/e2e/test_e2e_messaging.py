"""The bilan's messaging in Chromium (issue 13 §1), on the server's two workers with Redis.

The beneficiary and her consultant write to each other, each message appearing in the other's open tab
without a reload; a forbidden file is refused next to its field with the text kept, and the text
survives a reload; the consultant's bell counts the new message; the org admin sees the
conversation's activity, never its content. Every screen goes through axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan

pytestmark = pytest.mark.e2e

PASSWORD = "Goeland-Bruyere-Aber-Wrach-58"
ADMIN = {"first_name": "Yann", "last_name": "Morvan", "email": "direction@aber-ildut-bilans.fr"}
CONSULTANT = {"first_name": "Gwenola", "last_name": "Tanguy", "email": "gwenola.tanguy@aber-ildut-bilans.fr"}
BENEFICIARY = {"first_name": "Clervie", "last_name": "Le Bihan", "email": "clervie.lebihan@exemple-perso.fr"}


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("71942836", "0035"),
        "password": PASSWORD,
        "organisation": "Aber Ildut Bilans",
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def test_they_write_to_each_other_and_the_admin_sees_only_the_activity(new_page, ui, axe_check, bilan_id, tmp_path):
    her = new_page()
    login_person(her, ui, BENEFICIARY, PASSWORD)
    her.wait_for_url("**/mon-espace")
    her.get_by_role("link", name="Messagerie").click()
    her.wait_for_url("**/mon-espace/messages")
    her.get_by_role("heading", name="Messagerie", level=1).wait_for()
    expect(her.get_by_text("Aucun message pour l'instant.")).to_be_visible()
    axe_check(her, "beneficiary messages, empty")

    # A forbidden file (an executable named .pdf) is refused next to the field; what she typed stays.
    fake = tmp_path / "cv.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03 this is not a pdf")
    her.get_by_label("Votre message").fill("Bonjour, voici mon CV.")
    her.locator("#message-file input[type=file]").set_input_files(str(fake))
    her.get_by_role("button", name="Envoyer").click()
    expect(her.get_by_text("Ce type de fichier n'est pas accepté", exact=False)).to_be_visible()
    expect(her.get_by_label("Votre message")).to_have_value("Bonjour, voici mon CV.")

    her.reload()  # the draft survives a reload
    expect(her.get_by_label("Votre message")).to_have_value("Bonjour, voici mon CV.")
    her.get_by_label("Votre message").fill("Bonjour, je prépare la séance de jeudi.")
    her.get_by_role("button", name="Envoyer").click()
    expect(her.get_by_text("Message envoyé.")).to_be_visible()
    expect(her.locator(".message-list")).to_contain_text("Bonjour, je prépare la séance de jeudi.")

    him = new_page()
    login_person(him, ui, CONSULTANT, PASSWORD)
    him.wait_for_url("**/consultant")
    # Her message is among his unread notifications (besides the request and assignment of the set-up).
    expect(him.locator("#notification-bell")).to_have_attribute("aria-label", re.compile(r"[1-9][0-9]* non lue"))
    ui.goto(him, f"/bilans/{bilan_id}")
    him.get_by_role("link", name="Messagerie").click()
    him.wait_for_url(f"**/bilans/{bilan_id}/messages")
    expect(him.locator(".message-list")).to_contain_text("Bonjour, je prépare la séance de jeudi.")
    axe_check(him, "consultant messages")
    him.get_by_label("Votre message").fill("Parfait, apportez vos questions.")
    him.get_by_role("button", name="Envoyer").click()
    expect(him.get_by_text("Message envoyé.")).to_be_visible()

    # Live, with no reload, across the server's two workers (Redis pub/sub), both ways.
    expect(her.locator(".message-list")).to_contain_text("Parfait, apportez vos questions.", timeout=5000)
    her.get_by_label("Votre message").fill("Merci, à jeudi.")
    her.get_by_role("button", name="Envoyer").click()
    expect(him.locator(".message-list")).to_contain_text("Merci, à jeudi.", timeout=5000)
    her.reload()
    expect(her.locator(".message-mine").first).to_contain_text("Lu")  # her first message was read

    admin = new_page()
    login_person(admin, ui, ADMIN, PASSWORD)
    admin.wait_for_url("**/admin/**")
    ui.goto(admin, f"/bilans/{bilan_id}/messages")
    expect(admin.get_by_text("Conversation ouverte le", exact=False)).to_be_visible()
    expect(admin.locator("body")).not_to_contain_text("apportez vos questions")
    axe_check(admin, "admin messages activity")
