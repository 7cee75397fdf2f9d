"""Job offers and companies for the kept targets, in Chromium (issue 5), against the fake France Travail
that tests/e2e/conftest.py starts for the server.

An organisation of its own whose consultant kept two targets for the beneficiary (K9901 and M9903, the
fake's two codes: 177 and 176 of its 353 offers). The beneficiary:

1. finds her commune in the official list as she types (no France Travail request): a name that
   matches nothing is said next to the field and kept; she types "Lyon", picks it from the suggestions
   with the keyboard and saves her criteria; her consultant's analysis page shows "Lyon (69)";
2. searches the offers of one target with a contract filter, pages forward and back, keeps one;
3. sees it under "Offres retenues" and on "Mes pistes", whose link opens the offers of that target;
4. lists La Bonne Boîte companies around her commune;
5. meets a France Travail outage: the French message, her typed keywords kept, then a working search.

Every screen goes through axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script
from tests.francetravail_fake import make_offers

pytestmark = pytest.mark.e2e

PASSWORD = "Ecume-Goemon-Balise-47"
CONSULTANT = {"first_name": "Soizic", "last_name": "Le Floch", "email": "soizic.lefloch@ponant-bilans.fr"}
BENEFICIARY = {"first_name": "Erwan", "last_name": "Guivarc'h", "email": "erwan.guivarch@exemple-perso.fr"}
TARGETS = [("K9901", "Gardien de phare"), ("M9903", "Informaticien quantique")]
CDD_K9901 = sum(1 for o in make_offers(353) if o["romeCode"] == "K9901" and o["typeContrat"] == "CDD")

KEEP_TARGETS = r"""
import json, sys
from services import auth, recommendations
from services.auth import ClientInfo

spec = json.loads(sys.argv[1])
login = auth.login({"email": spec["email"], "password": spec["password"]}, ClientInfo(ip="127.0.0.8", user_agent="e2e"))
consultant = auth.resolve_session(login.token).actor
for code, libelle in spec["targets"]:
    recommendations.keep_target(
        consultant, spec["bilan_id"], {"code_rome": code, "libelle": libelle, "score": 64.0, "raisons": ["Un essai."]}
    )
print(json.dumps({"ok": True}))
"""


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("73519264", "0018"),
        "password": PASSWORD,
        "organisation": "Ponant Bilans",
        "admin": {"first_name": "Morgane", "last_name": "Tanguy", "email": "direction@ponant-bilans.fr"},
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    bilan = organisation_with_bilan(e2e_environment.env, spec)
    run_script(
        e2e_environment.env,
        KEEP_TARGETS,
        {"email": CONSULTANT["email"], "password": PASSWORD, "bilan_id": bilan, "targets": TARGETS},
    )
    return bilan


def _last_search(france_travail) -> dict[str, str]:
    return [query for _, path, query in france_travail.requests if path.endswith("/offres/search")][-1]


def test_offers_companies_and_kept_offers(new_page, ui, axe_check, screenshot, bilan_id, france_travail):
    page = new_page()
    login_person(page, ui, BENEFICIARY, PASSWORD)
    page.wait_for_url("**/mon-espace")
    page.get_by_role("navigation").get_by_role("link", name="Offres et entreprises").click()
    page.wait_for_url("**/mon-espace/offres")
    page.get_by_role("heading", name="Offres d'emploi et entreprises", level=1).wait_for()
    expect(page.get_by_role("heading", name="Mes critères de recherche", level=2)).to_be_visible()
    expect(page.get_by_text("Aucune offre retenue pour l'instant.")).to_be_visible()
    axe_check(page, "offers page")

    # 1. Her commune, from the official list as she types: nothing matches → said next to the field, kept.
    commune = page.get_by_role("combobox", name="Votre commune (nom ou code postal)")
    commune.fill("Xyzzyville")
    expect(page.locator("#pref-commune-error")).to_have_text(
        "Aucune commune ne correspond à « Xyzzyville » : vérifiez l'orthographe, ou tapez le code postal."
    )
    expect(commune).to_have_attribute("aria-invalid", "true")
    expect(commune).to_have_value("Xyzzyville")
    axe_check(page, "no commune matches")
    # "Lyon": the suggestions follow; the arrow key goes down the list, Enter picks.
    before = len(france_travail.requests)  # the fake serves the whole session: earlier tests' calls are older
    commune.fill("Lyon")
    listbox = page.get_by_role("listbox", name="Communes correspondantes")
    lyon = listbox.get_by_role("option", name="Lyon (69) — 69001, 69002, 69003…")
    expect(lyon).to_be_visible()
    expect(commune).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#pref-commune-error")).to_have_count(0)
    commune.press("ArrowDown")
    expect(lyon).to_have_attribute("aria-selected", "true")
    expect(commune).to_have_attribute("aria-activedescendant", "commune-option-0")
    axe_check(page, "commune suggestions")
    screenshot(page, "offers-commune-suggestions")
    commune.press("Enter")
    expect(commune).to_have_value("Lyon (69)")
    expect(listbox).to_be_hidden()
    expect(commune).to_have_attribute("aria-expanded", "false")
    page.locator("#pref-rayon_km").select_option("20")
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer mes critères"))
    expect(page.get_by_text("Critères enregistrés.")).to_be_visible()
    expect(page.get_by_text("Commune enregistrée : Lyon (69)")).to_be_visible()
    expect(page.locator("#pref-commune-error")).to_have_count(0)
    expect(page.locator("#filter-commune")).to_have_value("Lyon (69)")  # the search starts from the criteria
    fresh = france_travail.requests[before:]
    assert [path for _, path, _ in fresh if "offres/search" not in path] == []  # none for communes

    # 2. Offers of one target, CDD only: paging forward and back.
    page.locator("#filter-code_rome").select_option(label="Gardien de phare")
    cdd = page.locator("#filter-contract-CDD")
    ui.submit_and_wait(page, cdd)  # a controlled checkbox: ticked once the server has answered
    expect(cdd).to_be_checked()
    page.get_by_role("button", name="Rechercher les offres").click()
    status = page.locator("section[aria-labelledby=offers-title] p[role=status]")
    expect(status).to_have_text(f"Offres 1–20 sur {CDD_K9901}", timeout=30_000)
    assert _last_search(france_travail) == {
        "codeROME": "K9901",
        "commune": "69123",  # Lyon's INSEE code
        "distance": "20",
        "typeContrat": "CDD",
        "range": "0-19",
    }
    expect(page.get_by_text("Autour de la commune Lyon (69), dans un rayon de 20 km.")).to_be_visible()
    offers = page.locator("section[aria-labelledby=offers-title] ol > li")
    expect(offers).to_have_count(20)
    first_title = offers.first.locator("h3").inner_text()
    link = offers.first.get_by_role("link", name=f"Voir l'offre sur France Travail : {first_title} (nouvel onglet)")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", re.compile(r"^https://candidat\.francetravail\.fr/offres/recherche/detail/"))
    axe_check(page, "offers found")
    page.get_by_role("button", name="Offres suivantes").click()
    expect(status).to_have_text(f"Offres 21–{CDD_K9901} sur {CDD_K9901}", timeout=30_000)
    expect(page.get_by_role("button", name="Offres suivantes")).to_be_disabled()
    page.get_by_role("button", name="Offres précédentes").click()
    expect(status).to_have_text(f"Offres 1–20 sur {CDD_K9901}", timeout=30_000)
    expect(offers.first.locator("h3")).to_have_text(first_title)

    # 2b. She keeps the first one.
    ui.submit_and_wait(page, offers.first.get_by_role("button", name=f"Retenir cette offre : {first_title}"))
    expect(offers.first.get_by_text("Retenue", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Offre retenue : « {first_title} ».")).to_be_visible()
    kept = page.locator("section[aria-labelledby=saved-title]")
    expect(kept.get_by_role("heading", name="Offres retenues (1)")).to_be_visible()
    expect(kept.locator("li strong")).to_have_text([first_title])
    expect(kept.get_by_text("Piste : Gardien de phare")).to_be_visible()
    axe_check(page, "offer kept")
    screenshot(page, "offers-kept")

    # 3. "Mes pistes": the kept offer, and a link to each target's offers.
    page.get_by_role("navigation").get_by_role("link", name="Mes pistes").click()
    page.wait_for_url("**/mon-espace/pistes")
    page.get_by_role("heading", name="Mes pistes", level=1).wait_for()
    saved = page.locator("section[aria-labelledby=pistes-saved]")
    expect(saved.locator("li strong")).to_have_text([first_title])
    axe_check(page, "options with a kept offer")
    page.get_by_role("link", name="Voir les offres pour ce métier : Informaticien quantique").click()
    page.wait_for_url("**/mon-espace/offres?metier=M9903")
    # Arriving with a target runs its search (her criteria: Lyon, 20 km, every contract).
    expect(page.locator("section[aria-labelledby=offers-title] p[role=status]")).to_have_text(
        "Offres 1–20 sur 176", timeout=30_000
    )
    expect(page.locator("#filter-code_rome")).to_have_value("M9903")

    # 4. La Bonne Boîte, around the same commune.
    companies = page.locator("section[aria-labelledby=companies-title]")
    companies.locator("#company-target").select_option(label="Gardien de phare")
    companies.get_by_role("button", name="Chercher des entreprises").click()
    expect(companies.get_by_text(re.compile(r"^2 entreprise\(s\) affichée\(s\) sur 12"))).to_be_visible(timeout=30_000)
    expect(companies.get_by_text("Phares du Ponant")).to_be_visible()
    expect(companies.get_by_text(re.compile("Potentiel d'embauche"))).to_be_visible()
    _, path, query = france_travail.requests[-1]
    assert (path, query) == ("/labonneboite/v2/recherche", {"rome": "K9901", "citycode": "69123", "distance": "20"})
    axe_check(page, "companies")
    screenshot(page, "offers-companies")

    # 5. An outage: the French message, the keywords kept; then the search works again.
    france_travail.fail("/offres/search", 500, times=3)
    page.locator("#filter-mots_cles").fill("fictive")
    page.get_by_role("button", name="Rechercher les offres").click()
    expect(page.get_by_text("Le service France Travail est momentanément indisponible.", exact=False)).to_be_visible(
        timeout=30_000
    )
    expect(page.locator("#filter-mots_cles")).to_have_value("fictive")
    axe_check(page, "offers after an outage")
    page.get_by_role("button", name="Rechercher les offres").click()
    expect(page.locator("section[aria-labelledby=offers-title] p[role=status]")).to_have_text(
        "Offres 1–20 sur 176", timeout=30_000
    )
    assert _last_search(france_travail)["motsCles"] == "fictive"

    # Her consultant's analysis page (read only) names her commune.
    consultant = new_page()
    login_person(consultant, ui, CONSULTANT, PASSWORD)
    consultant.wait_for_url("**/consultant**")
    ui.goto(consultant, f"/bilans/{bilan_id}/analyse")
    area = consultant.locator("section[aria-labelledby=reco-job-search]")
    expect(area.get_by_text("Offres recherchées autour de Lyon (69), dans un rayon de 20 km.")).to_be_visible(
        timeout=30_000
    )
    axe_check(consultant, "analysis with her commune")
