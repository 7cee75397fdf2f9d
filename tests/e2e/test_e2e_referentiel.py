"""The ROME référentiel in the browser: demo banner, métier search and fiche, the operator's upload page.

Each test starts from the hand-written demo référentiel (imported with the CLI, as ``seed-demo`` does);
the module leaves it installed at the end, so later tests find the same référentiel.

1. The org admin sees the "demo référentiel" banner; a beneficiary searches a misspelled métier
   ("boulanjère"), opens its fiche (definition, core skills, RIASEC) and follows a mobility link; an
   unknown code gets a clear message.
2. The platform operator sees the demo version, uploads a broken zip (refused, nothing changes), then a
   small export in the official format (the unit tests' hand-written fixture, zipped) and sees the new
   version; the banner is gone, for the org admin too.

Every page goes through axe.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import ROOT, run_cli
from tests.unit.test_rome_import import write_export

pytestmark = pytest.mark.e2e

DEMO_DATA = ROOT / "services" / "rome" / "demo_data"
BANNER = "Référentiel de démonstration — importez le ROME complet"


def _install_demo(env: dict[str, str]) -> None:
    run_cli(env, "-m", "bilan_app", "import-rome", str(DEMO_DATA))


@pytest.fixture(scope="module")
def restore_demo(e2e_environment):
    yield
    _install_demo(e2e_environment.env)


@pytest.fixture
def demo_referentiel(e2e_environment, restore_demo) -> None:
    _install_demo(e2e_environment.env)


def _zip(folder: Path, target: Path, *, skip: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if not skip or skip not in path.name:
                archive.write(path, f"RefRomeCsv/{path.name}")
    return target


def _login(page, ui, account) -> None:
    ui.login_home(page, account)
    ui.wait_ready(page)


def _banner(page):
    return page.get_by_role("region", name=BANNER)


def _banner_checked(page) -> None:
    page.locator("[data-demo-checked=yes]").wait_for(state="attached")


def test_demo_banner_search_and_fiche(new_page, ui, axe_check, screenshot, accounts, demo_referentiel):
    # 1. The org admin: the banner, with the command line.
    admin = new_page()
    _login(admin, ui, accounts["org_admin"])
    expect(_banner(admin)).to_be_visible()
    expect(_banner(admin).get_by_text("python -m bilan_app import-rome PATH")).to_be_visible()
    expect(_banner(admin).get_by_text("L'opérateur de la plateforme peut aussi téléverser")).to_be_visible()
    axe_check(admin, "org admin home with the demo banner")
    screenshot(admin, "referentiel-demo-banner")

    # 2. A beneficiary: no banner; "Métiers" in the navigation, a misspelled search.
    page = new_page()
    _login(page, ui, accounts["beneficiary"])
    page.get_by_role("navigation").get_by_role("link", name="Métiers").click()
    page.wait_for_url("**/referentiel")
    page.get_by_role("heading", name="Métiers", level=1).wait_for()
    ui.wait_ready(page)
    expect(_banner(page)).to_have_count(0)
    expect(page.get_by_text("Référentiel de démonstration : 30 métiers seulement.")).to_be_visible()
    page.get_by_label("Métier ou intitulé de poste").fill("boulanjère")
    ui.submit_and_wait(page, page.get_by_role("button", name="Rechercher"))
    expect(page.get_by_text(re.compile(r"\d+ métier\(s\) trouvé\(s\) pour « boulanjère »"))).to_be_visible()
    result = page.get_by_role("link", name="Boulanger / Boulangère")
    expect(result).to_be_visible()
    axe_check(page, "métier search with results")
    screenshot(page, "referentiel-search")

    # 3. The fiche: definition, access, core skills first and marked, RIASEC letters with their names.
    result.click()
    page.wait_for_url("**/referentiel/metiers/D9101")
    page.get_by_role("heading", name="Boulanger / Boulangère", level=1).wait_for()
    expect(page.get_by_text("Code ROME D9101")).to_be_visible()
    definition = page.locator("section[aria-labelledby=metier-definition]")
    expect(definition.get_by_text("Fabrique chaque jour les pains")).to_be_visible()
    expect(page.locator("section[aria-labelledby=metier-acces]").get_by_text("CAP boulanger")).to_be_visible()
    skills = page.locator("section[aria-labelledby=metier-skills]")
    expect(skills.get_by_role("heading", name="Savoir-faire", level=3)).to_be_visible()
    first_skill = skills.locator("ul").first.locator("li").first
    expect(first_skill).to_contain_text("cœur de métier")
    expect(skills.get_by_text("Pétrir, façonner et cuire des pâtes à pain")).to_be_visible()
    expect(skills.locator("li", has_text="Accueillir et renseigner une clientèle")).not_to_contain_text(
        "cœur de métier"
    )
    riasec = page.locator("section[aria-labelledby=metier-riasec]")
    expect(riasec.get_by_text("Réaliste")).to_be_visible()
    expect(riasec.get_by_text("Conventionnel")).to_be_visible()
    expect(
        page.locator("section[aria-labelledby=metier-appellations]").get_by_text("Boulanger-pâtissier")
    ).to_be_visible()
    axe_check(page, "fiche métier D9101")
    screenshot(page, "referentiel-fiche-D9101")

    # 4. A mobility link opens the other métier's fiche.
    page.locator("section[aria-labelledby=metier-mobilites]").get_by_role("link", name="Cuisinier / Cuisinière").click()
    page.wait_for_url("**/referentiel/metiers/G9101")
    page.get_by_role("heading", name="Cuisinier / Cuisinière", level=1).wait_for()
    expect(page.get_by_text("Préparer des plats à partir d'une fiche technique")).to_be_visible()
    axe_check(page, "fiche métier G9101 through a mobility link")

    # 5. An unknown code.
    ui.goto(page, "/referentiel/metiers/Z0000")
    page.get_by_role("heading", name="Métier introuvable", level=1).wait_for()
    expect(page.get_by_text("Aucun métier ne porte le code « Z0000 »")).to_be_visible()
    axe_check(page, "unknown métier")


def test_platform_admin_uploads_the_official_zip(
    new_page, ui, axe_check, screenshot, accounts, demo_referentiel, tmp_path
):
    export = write_export(tmp_path / "export", version="901")
    good = _zip(export, tmp_path / "RefRomeCsv_v901.zip")
    broken = _zip(export, tmp_path / "RefRomeCsv_incomplet.zip", skip="coherence_item")

    page = new_page()
    _login(page, ui, accounts["platform_admin"])
    expect(_banner(page)).to_be_visible()
    _banner(page).get_by_role("link", name="Référentiel ROME").click()
    page.wait_for_url("**/plateforme/referentiel")
    page.get_by_role("heading", name="Référentiel ROME", level=1).wait_for()
    ui.wait_ready(page)
    version = page.locator("#referentiel-version")
    expect(version).to_contain_text("000")
    expect(version).to_contain_text("démonstration")
    installed = page.locator("section[aria-labelledby=referentiel-installed]")
    expect(installed.locator("dl div:has(> dt:text-is('Métiers')) > dd")).to_have_text("30")
    axe_check(page, "référentiel page with the demo version")

    # A broken export: refused with the French message naming the file; nothing changes.
    page.locator("#rome-upload input[type=file]").set_input_files(str(broken))
    expect(page.get_by_text("RefRomeCsv_incomplet.zip")).to_be_visible()
    page.get_by_role("button", name="Importer le référentiel").click()
    error = page.locator("#referentiel-error")
    expect(error).to_contain_text("unix_coherence_item_v901_utf8.csv", timeout=30_000)
    expect(page.get_by_text("Import refusé — le référentiel installé n'a pas changé.")).to_be_visible()
    expect(version).to_contain_text("démonstration")
    axe_check(page, "référentiel page with a refused upload")
    screenshot(page, "referentiel-upload-refused")

    # The official-format export: a summary, then the new version.
    page.locator("#rome-upload input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Importer le référentiel").click()
    expect(page.locator("#referentiel-summary")).to_contain_text("Référentiel ROME 901 importé en", timeout=60_000)
    expect(page.get_by_text("Il remplace la version 000.")).to_be_visible()
    expect(error).to_have_count(0)
    expect(version).to_have_text("901")
    expect(installed.get_by_text("RefRomeCsv_v901.zip")).to_be_visible()
    expect(_banner(page)).to_have_count(0)
    axe_check(page, "référentiel page after the upload")
    screenshot(page, "referentiel-upload-done")

    # The banner stays away on other pages, for the operator and for the org admin.
    ui.goto(page, "/plateforme/organisations")
    page.get_by_role("heading", level=1).wait_for()
    _banner_checked(page)
    expect(_banner(page)).to_have_count(0)
    admin = new_page()
    _login(admin, ui, accounts["org_admin"])
    _banner_checked(admin)
    expect(_banner(admin)).to_have_count(0)

    # The new référentiel is the one searched.
    ui.goto(admin, "/referentiel?q=gardien")
    expect(admin.get_by_role("link", name="Gardien / Gardienne de phare")).to_be_visible()
