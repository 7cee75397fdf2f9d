"""The bilan's messaging in Chromium (issue 13 §1), on the server's two workers with Redis.

The beneficiary and her consultant write to each other, each message appearing in the other's open tab
without a reload; a forbidden file is refused next to its field with the text kept, and the text
survives a reload; the consultant's bell counts the new message; the org admin sees the
conversation's activity, never its content. Every screen goes through axe.

Then (issue 13 §1, completion): a quick reply fills the composer after what was typed, sends nothing, and
leaves the focus in the box; her "Messagerie" link counts her unread messages on her home and clears when
she opens the conversation; the conversation's files are listed on her messages page and in the bilan's
documents tab for her consultant, not for the org admin."""

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


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_quick_replies_the_navigation_count_and_the_files_among_the_documents(
    new_page, ui, axe_check, screenshot, bilan_id, tmp_path
):
    him = new_page()
    login_person(him, ui, CONSULTANT, PASSWORD)
    him.wait_for_url("**/consultant")
    ui.goto(him, f"/bilans/{bilan_id}/messages")
    box = him.get_by_label("Votre message")
    box.fill("Bonjour Clervie,")
    quick = him.get_by_role("group", name="Réponses rapides")
    quick.get_by_role("button", name="Je vous réponds dans la journée.").click()
    # In the box after what he typed, the focus back in it to edit; nothing sent.
    expect(box).to_have_value("Bonjour Clervie,\nJe vous réponds dans la journée.")
    expect(box).to_be_focused()
    expect(him.locator(".message-list")).not_to_contain_text("Je vous réponds dans la journée.")
    axe_check(him, "consultant messages, quick replies")
    screenshot(him, "messages-quick-reply")
    box.fill("Voici le modèle de CV dont nous avons parlé.")
    model = tmp_path / "modele-cv.pdf"
    model.write_bytes(PDF)
    him.locator("#message-file input[type=file]").set_input_files(str(model))
    him.get_by_role("button", name="Envoyer").click()
    expect(him.get_by_text("Message envoyé.")).to_be_visible()

    # Her home: the navigation counts the unread message (on each page load, like the bell).
    her = new_page()
    login_person(her, ui, BENEFICIARY, PASSWORD)
    her.wait_for_url("**/mon-espace")
    link = her.get_by_role("navigation").get_by_role("link", name=re.compile(r"^Messagerie"))
    expect(link).to_have_attribute("aria-label", re.compile(r"^Messagerie : [1-9][0-9]* message\(s\) non lu\(s\)$"))
    expect(link.locator(".count-badge")).to_be_visible()
    axe_check(her, "beneficiary home, unread messages in the navigation")
    screenshot(her, "beneficiary-home-unread-messages")
    link.click()
    her.wait_for_url("**/mon-espace/messages")
    expect(her.locator(".message-list")).to_contain_text("Voici le modèle de CV dont nous avons parlé.")
    expect(link.locator(".count-badge")).to_have_count(0)  # read: the count goes
    expect(link).not_to_have_attribute("aria-label", re.compile("non lu"))

    # Her files, on her messages page: the newest first, with who sent it.
    files = her.get_by_role("region", name="Fichiers échangés")
    expect(files.get_by_role("row").nth(1)).to_contain_text("modele-cv.pdf")
    expect(files.get_by_role("row").nth(1)).to_contain_text("Gwenola Tanguy")
    expect(files.get_by_role("link", name="Télécharger modele-cv.pdf")).to_have_attribute(
        "href", re.compile(r"/api/messages/[0-9a-f-]+/piece-jointe$")
    )
    her_box = her.get_by_label("Votre message")
    her.get_by_role("group", name="Réponses rapides").get_by_role("button", name="Bien reçu, merci.").click()
    expect(her_box).to_have_value("Bien reçu, merci.")
    expect(her_box).to_be_focused()
    her.keyboard.press("End")
    her.keyboard.type(" À jeudi.")
    her.get_by_role("button", name="Envoyer").click()
    expect(her.get_by_text("Message envoyé.")).to_be_visible()
    expect(him.locator(".message-list")).to_contain_text("Bien reçu, merci. À jeudi.", timeout=5000)
    axe_check(her, "beneficiary messages, files and quick replies")
    screenshot(her, "beneficiary-messages-files")

    # His bilan page, documents tab: the conversation's files, downloadable.
    ui.goto(him, f"/bilans/{bilan_id}")
    him.get_by_role("tab", name="Documents").click()
    panel = him.locator("#bilan-attachments")
    expect(panel).to_contain_text("Pièces jointes de la messagerie")
    with him.expect_download() as download:
        panel.get_by_role("link", name="Télécharger modele-cv.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    axe_check(him, "bilan documents tab, the messages' files")
    screenshot(him, "bilan-documents-messages-files")

    # The org admin sees that the files are confidential, never their names.
    admin = new_page()
    login_person(admin, ui, ADMIN, PASSWORD)
    admin.wait_for_url("**/admin/**")
    ui.goto(admin, f"/bilans/{bilan_id}")
    admin.get_by_role("tab", name="Documents").click()
    expect(admin.locator("#bilan-attachments")).to_contain_text("ne sont visibles que de la bénéficiaire")
    expect(admin.locator("body")).not_to_contain_text("modele-cv.pdf")
