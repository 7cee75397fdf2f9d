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
