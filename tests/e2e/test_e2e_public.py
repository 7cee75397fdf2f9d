"""Public pages render on the production build, pass axe-core, and switch language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    ("/", "Des bilans de compétences conformes, suivis de bout en bout"),
    ("/connexion", "Connexion"),
    ("/inscription", "Créer l'espace de votre organisme"),
    ("/mot-de-passe-oublie", "Mot de passe oublié"),
    ("/mentions-legales", "Mentions légales"),
    ("/confidentialite", "Politique de confidentialité"),
    ("/accessibilite", "Déclaration d'accessibilité"),
]


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES, ids=[path for path, _ in PUBLIC_PAGES])
def test_public_page_renders_and_passes_axe(page, ui, axe_check, path, heading):
    ui.goto(page, path)
    title = page.get_by_role("heading", level=1)
    title.wait_for()
    assert title.inner_text().strip() == heading
    # The shell: skip link, footer links, French by default.
    assert page.get_by_role("link", name="Aller au contenu principal").count() == 1
    assert page.locator("footer").get_by_role("link").count() == 3
    assert page.locator(".site").get_attribute("lang") == "fr"
    axe_check(page)


def test_language_switch_on_login_page(page, ui, axe_check):
    ui.goto(page, "/connexion")
    page.get_by_role("heading", name="Connexion", level=1).wait_for()

    # The switch reloads the page (server-composed text follows the language): wait for the new page.
    with page.expect_navigation():
        page.get_by_role("button", name="Switch to English").click()
    ui.wait_ready(page)
    page.get_by_role("heading", name="Log in", level=1).wait_for()
    assert page.get_by_role("button", name="Log in").is_visible()
    assert page.get_by_label("Email address").is_visible()
    assert page.locator(".site").get_attribute("lang") == "en"
    axe_check(page, "english")

    with page.expect_navigation():
        page.get_by_role("button", name="Passer en français").click()
    ui.wait_ready(page)
    page.get_by_role("heading", name="Connexion", level=1).wait_for()
    assert page.get_by_role("button", name="Se connecter").is_visible()
    assert page.locator(".site").get_attribute("lang") == "fr"
    axe_check(page, "back to french")
