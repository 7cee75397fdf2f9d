"""Role guards in the browser, and the platform operator's pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

FORBIDDEN_FOR_BENEFICIARY = ["/consultant", "/admin/utilisateurs", "/admin/journal"]


def test_beneficiary_typing_staff_urls_is_refused(page, ui, axe_check, accounts):
    beneficiary = accounts["beneficiary"]
    ui.login_home(page, beneficiary)
    axe_check(page, "beneficiary home")
    others = [accounts[key].email for key in ("org_admin", "consultant", "reset", "lockout")]

    for path in FORBIDDEN_FOR_BENEFICIARY:
        ui.goto(page, path)
        denied = page.get_by_role("heading", name="Accès refusé", level=1)
        denied.wait_for()
        main = page.locator("main")
        assert "Cette page n'est pas accessible avec votre rôle." in main.inner_text()
        # No data of the page leaks: no table, no form, nobody else's address.
        assert main.locator("table").count() == 0
        assert main.locator("form").count() == 0
        content = page.content()
        assert not [email for email in others if email in content], path
        assert page.url.rstrip("/").endswith(path)
        back = page.get_by_role("link", name="Retour à mon accueil")
        assert back.get_attribute("href").rstrip("/").endswith("/mon-espace")
        axe_check(page, f"denied {path}")


def test_platform_admin_sees_organisations_and_outbox(page, ui, axe_check, accounts, fixture_organisation):
    operator = accounts["platform_admin"]
    ui.login_home(page, operator)
    assert page.url.rstrip("/").endswith("/plateforme/organisations")
    page.get_by_role("heading", name="Organisations", level=1).wait_for()
    table = page.get_by_role("region", name="Organisations")
    row = table.get_by_role("row").filter(has_text=fixture_organisation["name"])
    row.wait_for()
    # The fixture organisation was signed up by its admin, who then invited the other members.
    assert fixture_organisation["siret"] in row.inner_text()
    assert row.get_by_role("cell", name=fixture_organisation["members"], exact=True).is_visible()
    axe_check(page, "platform organisations")

    page.get_by_role("navigation").get_by_role("link", name="Boîte d'envoi").click()
    page.wait_for_url("**/plateforme/boite-envoi")
    page.get_by_role("heading", name="Boîte d'envoi de développement", level=1).wait_for()
    # With SMTP configured, every mail was delivered: the outbox lists only undelivered ones.
    page.get_by_text("Aucun e-mail en attente.").wait_for()
    axe_check(page, "platform outbox")
