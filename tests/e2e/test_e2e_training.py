"""The org admin's training catalogue in Chromium: a bad code is refused next to its field with the typed
values kept, the course is added, edited and withdrawn; axe on each state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_admin_manages_the_training_catalogue(new_page, ui, axe_check, accounts):
    page = new_page()
    ui.login_home(page, accounts["org_admin"])
    page.get_by_role("navigation").get_by_role("link", name="Formations").click()
    page.wait_for_url("**/admin/formations")
    page.get_by_role("heading", name="Catalogue de formations", level=1).wait_for()
    axe_check(page, "training catalogue")

    page.locator("#course-title").fill("Titre professionnel Boulanger — parcours adultes")
    page.locator("#course-provider").fill("Fournil-École du Rhône")
    page.locator("#course-rome_codes").fill("D1102, boulanger")
    page.locator("#course-hours").fill("420")
    page.locator("#course-mode").select_option("mixte")
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter la formation"))
    expect(page.locator("#course-rome_codes-error")).to_have_text("Un des codes n'a pas le bon format.")
    expect(page.locator("#course-title")).to_have_value("Titre professionnel Boulanger — parcours adultes")
    axe_check(page, "training catalogue with an error")

    page.locator("#course-rome_codes").fill("D1102")
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter la formation"))
    expect(page.get_by_text("Formation ajoutée.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Fournil-École du Rhône")
    expect(row).to_contain_text("D1102")
    expect(row).to_contain_text("Mixte")
    expect(row).to_contain_text("Proposée")

    ui.submit_and_wait(
        page, row.get_by_role("button", name="Modifier : Titre professionnel Boulanger — parcours adultes")
    )
    page.locator("#course-hours").fill("455")
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("Formation modifiée.")).to_be_visible()
    expect(row).to_contain_text("455 h")

    ui.submit_and_wait(
        page, row.get_by_role("button", name="Retirer : Titre professionnel Boulanger — parcours adultes")
    )
    expect(page.get_by_text("Formation retirée des suggestions.")).to_be_visible()
    expect(row).to_contain_text("Retirée")
    axe_check(page, "training catalogue with a withdrawn course")
