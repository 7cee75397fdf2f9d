"""The bilan's documents space in Chromium (issue 14 §4): the beneficiary uploads her CV on "Mes documents",
an executable renamed .pdf being refused next to the field first; her consultant previews the CV from the
bilan's documents tab (inline, sandboxed) and keeps a file of his own in the consultant area; the org
admin sees only the areas' summaries and cannot download a private document. Every screen goes through axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan

pytestmark = pytest.mark.e2e

PASSWORD = "Kerlouan-Meneham-Goemon-Phare-73"
ADMIN = {"first_name": "Erwan", "last_name": "Quéméner", "email": "direction@kerlouan-documents.fr"}
CONSULTANT = {"first_name": "Maela", "last_name": "Abgrall", "email": "maela.abgrall@kerlouan-documents.fr"}
BENEFICIARY = {"first_name": "Nolwenn", "last_name": "Créac'h", "email": "nolwenn.creach@exemple-perso.fr"}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("64827193", "0042"),
        "password": PASSWORD,
        "organisation": "Kerlouan Documents",
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def test_her_cv_previewed_by_her_consultant_never_downloaded_by_the_admin(
    new_page, ui, axe_check, screenshot, bilan_id, tmp_path
):
    her = new_page()
    login_person(her, ui, BENEFICIARY, PASSWORD)
    her.wait_for_url("**/mon-espace")
    her.get_by_role("navigation").get_by_role("link", name="Mes documents").click()
    her.wait_for_url("**/mon-espace/documents")
    her.get_by_role("heading", name="Mes documents", level=1).wait_for()
    chooser = her.locator("#bilan-file input[type=file]")

    # An executable renamed .pdf: refused by its content, next to the field, nothing stored.
    fake = tmp_path / "cv.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00 this is a program")
    chooser.set_input_files(str(fake))
    her.get_by_role("button", name="Déposer", exact=True).click()
    expect(her.locator("#file-files-error")).to_contain_text("Ce type de fichier n'est pas accepté")
    expect(her.locator("#bilan-files")).to_contain_text("Aucun document pour l'instant.")
    axe_check(her, "my documents, a forbidden file refused")

    cv = tmp_path / "CV-Nolwenn.pdf"
    cv.write_bytes(PDF)
    chooser.set_input_files(str(cv))
    her.get_by_role("button", name="Déposer", exact=True).click()
    expect(her.get_by_text("Document déposé.")).to_be_visible()
    shared = her.get_by_role("region", name="Documents partagés")
    expect(shared.get_by_role("row").nth(1)).to_contain_text("CV-Nolwenn.pdf")
    expect(her.locator("#file-files-error")).to_have_count(0)
    axe_check(her, "my documents, her CV")
    screenshot(her, "my-documents-cv")

    # Her consultant: the bilan's documents tab, the CV previewed inline in a sandbox.
    him = new_page()
    login_person(him, ui, CONSULTANT, PASSWORD)
    him.wait_for_url("**/consultant")
    ui.goto(him, f"/bilans/{bilan_id}")
    him.get_by_role("tab", name="Documents").click()
    panel = him.locator("#bilan-files")
    preview = panel.get_by_role("link", name="Aperçu de CV-Nolwenn.pdf (version 1, nouvel onglet)")
    expect(preview).to_have_attribute("href", re.compile(r"/api/fichiers/[0-9a-f-]+\?apercu=1$"))
    expect(preview).to_have_attribute("target", "_blank")
    shown = him.request.get(preview.get_attribute("href"))
    assert shown.status == 200 and shown.body() == PDF
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-security-policy"].startswith("sandbox;")
    with him.expect_popup() as opened:
        preview.click()
    assert "/api/fichiers/" in opened.value.url
    opened.value.close()
    axe_check(him, "bilan documents tab, her CV")

    # His own working file, in the consultant area (private: never hers, never the admin's).
    him.locator("#bilan-file-area").select_option("consultant")
    notes = tmp_path / "notes-entretien.pdf"
    notes.write_bytes(PDF + b"% notes")
    him.locator("#bilan-file input[type=file]").set_input_files(str(notes))
    him.get_by_role("button", name="Déposer", exact=True).click()
    expect(him.get_by_text("Document déposé.")).to_be_visible()
    private = him.get_by_role("region", name="Documents de l'espace consultant")
    download = private.get_by_role("link", name="Télécharger notes-entretien.pdf (version 1)")
    screenshot(him, "bilan-documents-space")
    private_href = download.get_attribute("href")
    cv_href = preview.get_attribute("href")
    assert private_href and cv_href

    # The org admin: the areas' counts, never a name, and no download of a private document.
    admin = new_page()
    login_person(admin, ui, ADMIN, PASSWORD)
    admin.wait_for_url("**/admin/**")
    ui.goto(admin, f"/bilans/{bilan_id}")
    admin.get_by_role("tab", name="Documents").click()
    summary = admin.locator("#bilan-files")
    expect(summary).to_contain_text("Consultant (privé) : 1 fichier(s)")
    expect(summary).to_contain_text("Partagé : 1 fichier(s)")
    expect(admin.locator("body")).not_to_contain_text("notes-entretien.pdf")
    expect(admin.locator("body")).not_to_contain_text("CV-Nolwenn.pdf")
    for href in (private_href, cv_href):
        refused = admin.request.get(href)
        assert refused.status == 404 and PDF not in refused.body()
    axe_check(admin, "bilan documents tab, the admin's summary")
