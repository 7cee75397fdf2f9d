"""Each role's home at desktop and phone widths: screenshots (artifacts), no horizontal overflow, axe."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ROLE_HEADINGS = {
    "beneficiary": "Mon espace",
    "consultant": "Mes bilans",
    "org_admin": "Utilisateurs",
    "platform_admin": "Organisations",
}
SIZES = [(1280, 800), (390, 844)]


@pytest.mark.parametrize("role", list(ROLE_HEADINGS))
def test_role_home_screens(new_page, ui, axe_check, screenshot, accounts, role):
    page = new_page(*SIZES[0])
    ui.login_home(page, accounts[role])
    heading = page.get_by_role("heading", name=ROLE_HEADINGS[role], level=1)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        heading.wait_for()
        # Let layout settle after a resize (breakpoint-driven styles).
        page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
        screenshot(page, f"{role}-{width}")
        if width <= 390:
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll_width <= width + 1, f"{role} home overflows horizontally at {width}px: {scroll_width}px"
        axe_check(page, f"{role} home {width}px")


# Every other screen of each role, with the heading that proves the guard let the page render.
ROLE_PAGES = {
    "org_admin": [
        ("/admin/bilans", "Bilans de l'organisme"),
        ("/admin/journal", "Journal d'audit"),
        ("/admin/organisation", "Organisation"),
        ("/admin/formations", "Catalogue de formations"),
        ("/admin/ia", "Intelligence artificielle"),
        ("/agenda", "Agenda"),  # a consultant's calendar, read by the org admin
        ("/compte/securite", "Sécurité du compte"),
    ],
    # The consultant ends on the account page: the profile check below runs there.
    "consultant": [
        ("/agenda", "Agenda"),
        ("/notifications", "Notifications"),
        ("/compte/securite", "Sécurité du compte"),
    ],
    "beneficiary": [
        ("/mon-espace/synthese", "Ma synthèse"),
        ("/mon-espace/rendez-vous", "Mes rendez-vous"),
        ("/notifications", "Notifications"),
    ],
    "platform_admin": [("/plateforme/boite-envoi", "Boîte d'envoi de développement")],
}


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_role_screen_is_accessible_at_both_widths(new_page, ui, axe_check, accounts, role):
    page = new_page(*SIZES[0])
    ui.login_home(page, accounts[role])
    for path, title in ROLE_PAGES[role]:
        ui.goto(page, path)
        heading = page.get_by_role("heading", name=title, level=1)
        heading.wait_for()
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
            if width <= 390:
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll_width <= width + 1, f"{path} overflows horizontally at {width}px: {scroll_width}px"
            axe_check(page, f"{role} {path} {width}px")
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    if role == "beneficiary":
        # The bell in the header leads to the centre, whose preferences are one select per kind of event.
        ui.goto(page, "/mon-espace")
        page.locator("#notification-bell").click()
        page.get_by_role("heading", name="Notifications", level=1).wait_for()
        page.get_by_label("Séance planifiée").select_option("digest")
        page.get_by_text("Préférence enregistrée.").wait_for()
    if role == "consultant":
        # The directory profile is on the consultant's account page.
        page.get_by_role("heading", name="Mon profil de consultant·e").wait_for()
        page.locator("#field-specialities").fill("Reconversion, santé")
        ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer").first)
        page.get_by_text("Profil enregistré.").wait_for()
