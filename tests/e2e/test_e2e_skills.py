"""The skills self-assessment, the consultant's validation and the skills map, in Chromium (issue 4 §7).

An organisation of its own with a consultant and a beneficiary whose bilan the consultant accepted; the
hand-written demo référentiel is installed. Then:

1. the beneficiary adds two past jobs found through appellation search ("boulangere" without accent,
   then a sales job), ticks proposed core skills and adds one through search, rates every skill on the
   five criteria (a reload resumes at the same step with the ratings kept), and submits;
2. she takes the interest inventory (60 items);
3. the consultant sees both ratings side by side, adjusts one rating with a comment and validates;
4. the beneficiary sees the validated skills map, and her Holland code on the tests page;
5. the consultant runs the analysis (local engine) and keeps two options, which the beneficiary sees in
   "Mes pistes" (issue 5's first end-to-end pass).

Every screen goes through axe, and the map is checked at 390 px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Fougere-Menhir-Goeland-58"
CONSULTANT = {"first_name": "Yann", "last_name": "Le Gall", "email": "yann.legall@armor-bilans.fr"}
BENEFICIARY = {"first_name": "Maëlle", "last_name": "Quéré", "email": "maelle.quere@exemple-perso.fr"}
RATING = {"maitrise": "avance", "frequence": "quotidienne", "contexte": "experience_pro", "appetence": "aime"}

INSTALL_DEMO_REFERENTIEL = r"""
import json, sys
from services.rome.demo import DEMO_DATA_DIR, demo_is_installed
from services.rome.importer import import_rome
# Another test may have installed a référentiel of its own: this one needs the demo's métiers.
if not demo_is_installed():
    import_rome(DEMO_DATA_DIR)
print(json.dumps({"ok": True}))
"""


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    run_script(e2e_environment.env, INSTALL_DEMO_REFERENTIEL, {})
    spec = {
        "siret": make_siret("52943817", "0031"),
        "password": PASSWORD,
        "organisation": "Armor Bilans",
        "admin": {"first_name": "Gwenola", "last_name": "Kerbrat", "email": "direction@armor-bilans.fr"},
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def _login(page, ui, person: dict, home: str) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(f"**{home}")


def _add_job(page, ui, query: str, choice: re.Pattern, start: str, end: str) -> None:
    search = page.get_by_label("Rechercher un métier")
    search.fill(query)
    hit = page.locator("#exp-job-results").get_by_role("button", name=choice).first
    hit.wait_for()
    ui.submit_and_wait(page, hit)
    expect(page.locator("#exp-job-chosen")).to_contain_text("Métier retenu : ")
    page.locator("#exp-start").fill(start)
    if end:
        page.locator("#exp-end").fill(end)
    page.locator("#exp-place").fill("Maison Le Bihan, Quimper")
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter cette expérience"))
    expect(page.get_by_text("Expérience ajoutée.")).to_be_visible()


def _step(page, ui, name: str) -> None:
    ui.submit_and_wait(page, page.get_by_role("button", name="Étape suivante"))
    page.get_by_role("heading", name=name, level=2).wait_for()


def test_self_assessment_validation_and_map(new_page, ui, axe_check, bilan_id):
    page = new_page()
    _login(page, ui, BENEFICIARY, "/mon-espace")

    # 1. Parcours: a bad month is refused next to its field, then two jobs found by appellation search.
    page.get_by_role("link", name="Évaluer mes compétences").click()
    page.wait_for_url("**/mon-espace/competences")
    page.get_by_role("heading", name="Votre parcours", level=2).wait_for()
    expect(page.get_by_text("Étape 1 sur 4")).to_be_visible()
    axe_check(page, "wizard parcours")
    page.locator("#exp-title").fill("Pâtissière")
    ui.submit_and_wait(page, page.get_by_role("button", name="Ajouter cette expérience"))
    expect(page.locator("#exp-start-error")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#exp-title")).to_have_value("Pâtissière")  # nothing typed is lost
    page.locator("#exp-title").fill("")
    _add_job(page, ui, "boulangere", re.compile("Boulang"), "2009-09", "2016-06")
    _add_job(page, ui, "vendeuse boulangerie", re.compile("Vendeu"), "2016-09", "2024-03")
    expect(page.locator("main li.panel")).to_have_count(2)
    expect(page.get_by_text("Progression : 20 %")).to_be_visible()
    axe_check(page, "wizard parcours with two jobs")

    # 2. Skills: proposed per métier, core skills first; tick two of each, add one through search.
    _step(page, ui, "Les compétences de vos métiers")
    groups = page.locator("main fieldset")
    expect(groups).to_have_count(2)
    for index in range(2):
        boxes = groups.nth(index).locator("> ul input[type=checkbox]")
        for box in range(2):
            target = boxes.nth(box)
            if not target.is_checked():  # a skill shared by both métiers is ticked in both lists
                ui.submit_and_wait(page, target)
            expect(target).to_be_checked()
    page.get_by_label("Rechercher une compétence").fill("equipe")
    add = page.locator("#skill-results").get_by_role("button", name=re.compile("^Ajouter")).first
    add.wait_for()
    ui.submit_and_wait(page, add)
    chosen = page.get_by_role("heading", name=re.compile(r"Compétences retenues \(\d+\)"))
    expect(chosen).to_be_visible()
    count = int(re.search(r"\((\d+)\)", chosen.inner_text()).group(1))
    assert 4 <= count <= 5
    axe_check(page, "wizard skills")

    # 3. Rating: five selects per skill, each saved at once; a reload resumes at the same step.
    _step(page, ui, "Évaluez vos compétences")
    cards = page.locator("main fieldset")
    expect(cards).to_have_count(count)
    for index in range(count):
        card = cards.nth(index)
        for criterion, value in {**RATING, "potentiel": "fort" if index else "moyen"}.items():
            select = card.locator(f"select[id$='-{criterion}']")
            before = ui.ws_events(page)
            select.select_option(value)
            page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)
        if index == 0:
            expect(page.get_by_text(re.compile(r"Enregistré · 1 compétence\(s\) évaluée\(s\) sur"))).to_be_visible()
            ui.goto(page, "/mon-espace/competences")
            page.get_by_role("heading", name="Évaluez vos compétences", level=2).wait_for()
            cards = page.locator("main fieldset")
            expect(cards.nth(0).locator("select[id$='-maitrise']")).to_have_value("avance")
    expect(page.get_by_text(f"{count} compétence(s) évaluée(s) sur {count}", exact=True)).to_be_visible()
    axe_check(page, "wizard rating")

    # 4. Review and submit.
    _step(page, ui, "Relecture")
    expect(page.get_by_role("row")).to_have_count(count + 1)
    ui.submit_and_wait(page, page.get_by_role("button", name="Transmettre à mon consultant"))
    expect(page.get_by_text("Votre auto-évaluation est transmise à votre consultant.")).to_be_visible()
    expect(page.get_by_text("Progression : 100 %")).to_be_visible()
    axe_check(page, "wizard review submitted")

    # 5. The interest inventory: 60 items, pages of ten, then the Holland code on the results.
    ui.goto(page, "/mon-espace/tests/interests_riasec")
    page.get_by_role("heading", level=1).wait_for()
    for page_number in range(6):
        groups = page.get_by_role("group")
        for index in range(groups.count()):
            radio = groups.nth(index).locator("input[type=radio]").nth((page_number + index) % 5)
            ui.submit_and_wait(page, radio)
        if page_number < 5:
            ui.submit_and_wait(page, page.get_by_role("button", name="Page suivante"))
    page.get_by_role("button", name="Terminer le test").click()
    page.wait_for_url(re.compile(r".*/mon-espace/tests\?termine=1$"))
    holland = page.get_by_text(re.compile(r"^Code Holland : [RIASEC]{3}$"))
    expect(holland).to_be_visible()
    code = holland.inner_text().split(":")[1].strip()

    # 6. The consultant: both ratings side by side; adjusts one with a comment (required), validates.
    consultant = new_page()
    _login(consultant, ui, CONSULTANT, "/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("link", name=re.compile("Évaluation des compétences")).click()
    consultant.wait_for_url(f"**/bilans/{bilan_id}/competences")
    consultant.locator("#review-status-title").wait_for()
    expect(consultant.get_by_text("Maison Le Bihan, Quimper").first).to_be_visible()
    axe_check(consultant, "consultant review")
    adjust = consultant.locator("button[id^='adjust-']").first
    ui.submit_and_wait(consultant, adjust)
    consultant.locator("#adjust-criterion").select_option("maitrise")
    consultant.locator("#adjust-value").select_option("intermediaire")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer l'ajustement"))
    expect(consultant.locator("#adjust-comment-error")).to_have_text("Expliquez votre ajustement en quelques mots.")
    expect(consultant.locator("#adjust-value")).to_have_value("intermediaire")  # kept after the refusal
    consultant.locator("#adjust-comment").fill("Autonome sur le façonnage, pas encore sur la fermentation.")
    axe_check(consultant, "consultant adjusting")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer l'ajustement"))
    expect(consultant.get_by_text("Ajustement enregistré.")).to_be_visible()
    expect(consultant.get_by_text("Autonome sur le façonnage, pas encore sur la fermentation.").first).to_be_visible()
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Valider l'évaluation"))
    expect(consultant.get_by_text("Évaluation validée : le bénéficiaire voit sa cartographie.")).to_be_visible()
    expect(consultant.get_by_role("button", name="Rouvrir pour modification")).to_be_visible()
    axe_check(consultant, "consultant review validated")
    consultant.get_by_role("link", name="Voir la cartographie").click()
    consultant.wait_for_url(f"**/bilans/{bilan_id}/cartographie")
    consultant.get_by_role("heading", name="Cartographie des compétences", level=1).wait_for()
    axe_check(consultant, "consultant skills map")
    consultant.emulate_media(media="print")  # printed: the matrix stays, the site's header goes
    expect(consultant.get_by_role("heading", name="Maîtrise × appétence")).to_be_visible()
    expect(consultant.locator(".site-header")).to_be_hidden()
    consultant.emulate_media(media="screen")

    # 6b. The analysis (local engine): recommendations with their reasons; the consultant keeps two.
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("link", name=re.compile("Analyse et pistes")).click()
    consultant.wait_for_url(f"**/bilans/{bilan_id}/analyse")
    consultant.get_by_role("heading", name="Analyse et pistes métiers", level=1).wait_for()
    expect(consultant.get_by_text(re.compile("^Le bénéficiaire n'a pas encore indiqué où il cherche"))).to_be_visible()
    axe_check(consultant, "consultant analysis")
    consultant.get_by_label("Aspirations du bénéficiaire (facultatif)").fill("Travailler au contact des clients")
    consultant.get_by_role("button", name="Lancer l'analyse").click()
    expect(consultant.get_by_text(re.compile(r"^Analyse terminée : \d+ pistes\.$"))).to_be_visible(timeout=60_000)
    results = consultant.locator("section[aria-labelledby=reco-results] ol > li")
    expect(results.first.get_by_role("heading", name="Pourquoi cette piste")).to_be_visible()
    kept_names = []
    for index in range(2):
        item = results.nth(index)
        kept_names.append(item.locator("h3").inner_text().rsplit(" (", 1)[0])
        ui.submit_and_wait(consultant, item.get_by_role("button", name=re.compile("^Retenir cette piste")))
        expect(item.get_by_text("Retenue", exact=True)).to_be_visible()
    expect(consultant.get_by_role("heading", name="Pistes retenues (2)")).to_be_visible()
    axe_check(consultant, "consultant analysis with kept options")

    # 7. The beneficiary's validated map: charts with tables, the matrix, the three zones; 390 px wide.
    ui.goto(page, "/mon-espace/competences")
    expect(page.get_by_text(re.compile("Votre consultant a validé votre évaluation"))).to_be_visible()
    expect(page.locator("select")).to_have_count(0)  # locked: read only
    page.get_by_role("link", name="Voir la cartographie").click()
    page.wait_for_url("**/mon-espace/cartographie")
    page.get_by_role("heading", name="Cartographie des compétences", level=1).wait_for()
    expect(page.get_by_role("heading", name="Compétences par domaine")).to_be_visible()
    expect(page.get_by_role("heading", name="Maîtrise × appétence")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="À valoriser")).not_to_have_count(0)
    expect(page.get_by_text("Intermédiaire").first).to_be_visible()  # the consultant's adjusted level
    expect(page.get_by_text("Brouillon")).to_have_count(0)
    axe_check(page, "beneficiary skills map")
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the map overflows by {overflow}px at 390 px"
    axe_check(page, "beneficiary skills map 390px")
    ui.goto(page, "/mon-espace/tests")
    expect(page.get_by_text(f"Code Holland : {code}")).to_be_visible()

    # 8. "Mes pistes": the two kept options, with their reasons and a link to their offers (France Travail's
    #    fake is configured for the e2e server; the page without it is covered by tests/unit/test_job_search.py).
    page.get_by_role("navigation").get_by_role("link", name="Mes pistes").click()
    page.wait_for_url("**/mon-espace/pistes")
    page.get_by_role("heading", name="Mes pistes", level=1).wait_for()
    for name in kept_names:
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Pourquoi cette piste").first).to_be_visible()
    for name in kept_names:
        expect(page.get_by_role("link", name=f"Voir les offres pour ce métier : {name}")).to_be_visible()
    axe_check(page, "beneficiary options 390px")
