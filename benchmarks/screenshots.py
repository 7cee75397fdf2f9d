"""Full-page screenshots of each role's home and of a bilan page, at 1280 and 390 px (issue 12, before/after).

Logged in through the login form as the demo people of ``services.demo`` (beneficiary, consultant, org admin,
platform operator), in Chromium (``/usr/bin/chromium``, no ``playwright install``), one fresh context per role and
width. Pages:

* ``<role>-home-<width>.png``: the page the role lands on after logging in (for the beneficiary, ``/mon-espace``:
  her space with her active bilan, Léa Dubois's investigation);
* ``consultant-bilan-<width>.png``: the consultant's ``/bilans/<id>`` of that same beneficiary (the first bilan
  link of the dashboard if she is not there).

Server: with ``--url``, an already running server holding the demo organisation (``make run``); otherwise the
checkout's production build, started as ``benchmarks/page_load.py`` does (fresh PostgreSQL database, ``seed-demo``,
``reflex run --env prod`` with 2 workers and the Redis state manager on ``--redis-url``).

    .venv/bin/python benchmarks/screenshots.py --out artifacts/screenshots/before
    .venv/bin/python benchmarks/screenshots.py --checkout /work/main --out /work/main/artifacts/screenshots/after
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HERE = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/13"
WIDTHS = (1280, 390)
HEIGHTS = {1280: 900, 390: 844}
ROLES = ("beneficiary", "consultant", "org_admin", "platform_admin")
LOGIN_PATH = "/connexion"
SETTLE_MS = 800  # no websocket message for this long: the page has its data

# Reads page_load.WS_PROBE's counter: resolves once the backend has been quiet for `quiet` ms.
QUIET_JS = """(quiet) => new Promise((resolve) => {
  let last = window.__bcWs ? window.__bcWs.events : 0;
  let since = performance.now();
  const tick = () => {
    const now = window.__bcWs ? window.__bcWs.events : 0;
    if (now !== last) { last = now; since = performance.now(); }
    if (performance.now() - since >= quiet) { resolve(true); return; }
    setTimeout(tick, 100);
  };
  tick();
})"""


def import_checkout(checkout: Path) -> ModuleType:
    """The checkout's ``benchmarks/page_load.py`` (server, Chromium flags, probes), the checkout first on sys.path."""
    for path in (checkout / "benchmarks", checkout):
        sys.path.insert(0, str(path))
    import page_load

    return page_load


def settle(page_load: ModuleType, page: Page) -> None:
    """Wait for the protected heading, then until the backend stops sending (on_load data, late deltas)."""
    page.wait_for_function(page_load.HOME_READY_JS)
    page.evaluate(QUIET_JS, SETTLE_MS)
    page.evaluate("() => document.fonts.ready")


def login(page_load: ModuleType, page: Page, email: str, password: str) -> str:
    """Log in through the form; returns the path the app lands on (the role's home)."""
    page.goto(LOGIN_PATH)
    page.wait_for_function(page_load.LOGIN_READY_JS)
    # The ids the UI kit may rename; the input types it will not.
    page.locator("#field-email, input[type=email]").first.fill(email)
    page.locator("#field-password, input[type=password]").first.fill(password)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(lambda url: LOGIN_PATH not in url)
    settle(page_load, page)
    return urlsplit(page.url).path


def bilan_link(page: Page, beneficiary_name: str) -> str | None:
    """The href of the dashboard's link to the beneficiary's bilan (else the first bilan link)."""
    links = page.locator("main a[href*='/bilans/']")
    named = links.filter(has_text=beneficiary_name)
    chosen = named if named.count() else links
    return chosen.first.get_attribute("href") if chosen.count() else None


def capture(
    page_load: ModuleType, browser: Browser, base_url: str, out: Path, people: dict[str, tuple[str, str]], password: str
) -> list[Path]:
    written: list[Path] = []
    for width in WIDTHS:
        for role in ROLES:
            email, beneficiary_name = people[role]
            context = browser.new_context(
                base_url=base_url,
                viewport={"width": width, "height": HEIGHTS[width]},
                locale="fr-FR",
                reduced_motion="reduce",
            )
            context.set_default_timeout(30_000)
            context.add_init_script(page_load.WS_PROBE)
            page = context.new_page()
            try:
                home = login(page_load, page, email, password)
                page.goto(home)
                settle(page_load, page)
                shots = {"home": home}
                if role == "consultant":
                    href = bilan_link(page, beneficiary_name)
                    if href is None:
                        print(f"warning: no bilan link on {home}", file=sys.stderr)
                    else:
                        shots["bilan"] = href
                for name, path in shots.items():
                    if page.url.rstrip("/") != (base_url + path).rstrip("/"):
                        page.goto(path)
                        settle(page_load, page)
                    target = out / f"{role}-{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True, animations="disabled")
                    written.append(target)
                    print(f"{target.name:<34} {path}", file=sys.stderr)
            finally:
                context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=HERE, help="repository to build and serve (default: this one)")
    parser.add_argument("--url", help="screenshot this running server (it must hold the demo data) instead")
    parser.add_argument("--out", type=Path, required=True, help="directory of the PNG files (created)")
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"Redis database of our own server ({REDIS_URL})")
    args = parser.parse_args(argv)

    checkout = args.checkout.resolve()
    page_load = import_checkout(checkout)
    from playwright.sync_api import sync_playwright

    from services.demo import DEMO_PASSWORD, DEMO_PEOPLE

    emails: dict[str, str] = {}
    names: dict[str, str] = {}
    for role, email, first_name, last_name in DEMO_PEOPLE:
        emails.setdefault(str(role), email)
        names.setdefault(str(role), f"{first_name} {last_name}")
    people = {role: (emails[role], names["beneficiary"]) for role in ROLES}
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    log_dir = checkout / "artifacts" / "benchmarks"
    log_dir.mkdir(parents=True, exist_ok=True)
    page_load.REDIS_BENCH_URL = args.redis_url  # own_server flushes and uses this database
    started = time.monotonic()

    def shoot(base_url: str) -> list[Path]:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=page_load.CHROMIUM, args=page_load.CHROMIUM_ARGS)
            try:
                return capture(page_load, browser, base_url, out, people, DEMO_PASSWORD)
            finally:
                browser.close()

    if args.url:
        written = shoot(args.url.rstrip("/"))
    else:
        with page_load.own_server(log_dir) as base_url:
            print(f"server ready in {time.monotonic() - started:.0f} s at {base_url}", file=sys.stderr)
            written = shoot(base_url)
    print(f"{len(written)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
