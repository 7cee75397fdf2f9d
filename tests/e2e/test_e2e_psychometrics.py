"""Psychometric questionnaires in the browser: start, pause and resume, missing answers, results.

The test sets up an organisation of its own with a consultant and a beneficiary whose bilan the
consultant has accepted; then, in Chromium, the beneficiary opens "Mes questionnaires", starts the
work-values inventory (24 items), answers a few, reloads (the answers are kept), tries to finish
(the missing items are shown), answers everything, finishes and reads her ranked values with the
disclaimer. Then (the second test, which follows the first in this module) the beneficiary also
completes the interest inventory and starts the Big Five (through the services), and the consultant
opens the bilan, then its "Tests et questionnaires" page: the Holland code with its type names, the
profile chart with its table alternative, the raw and normalised scores, the interpretations, the
notices, the test in progress. Every screen goes through axe.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Lavande-Garrigue-Cigale-73"
CONSULTANT = {"first_name": "Bastien", "last_name": "Orsini", "email": "bastien.orsini@sud-parcours.fr"}
BENEFICIARY = {"first_name": "Noémie", "last_name": "Fabre", "email": "noemie.fabre@exemple-perso.fr"}
DISCLAIMER = "Ces questionnaires sont des aides à la réflexion, pas des verdicts"
TEST_TITLE = "Inventaire des valeurs professionnelles"
INTERESTS_TITLE = "Inventaire d'intérêts professionnels (RIASEC)"
BIG_FIVE_TITLE = "Questionnaire de personnalité « Big Five » (IPIP, 50 items)"


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("83412679", "0025"),
        "password": PASSWORD,
        "organisation": "Sud Parcours Conseil",
        "admin": {"first_name": "Claire", "last_name": "Vidal", "email": "direction@sud-parcours.fr"},
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    return organisation_with_bilan(e2e_environment.env, spec)


def _login(page, ui, person: dict) -> None:
    login_person(page, ui, person, PASSWORD)


def _answer(page, ui, group, choice: int) -> None:
    """Pick the choice-th answer of a question (it autosaves: wait for the server's update)."""
    radio = group.locator("input[type=radio]").nth(choice)
    ui.submit_and_wait(page, radio)
    expect(radio).to_be_checked()


def _answer_page(page, ui, start: int) -> int:
    """Answer every question shown (numbered from start); returns the next number."""
    groups = page.get_by_role("group")
    count = groups.count()
    for index in range(count):
        _answer(page, ui, groups.nth(index), (start + index) % 5)
    return start + count


def test_take_pause_resume_and_finish_work_values(new_page, ui, axe_check, bilan_id):
    page = new_page()
    _login(page, ui, BENEFICIARY)
    page.wait_for_url("**/mon-espace")

    # 1. From "Mon espace" to the list of questionnaires.
    page.get_by_role("link", name="Passer mes questionnaires").click()
    page.wait_for_url("**/mon-espace/tests")
    page.get_by_role("heading", name="Mes questionnaires", level=1).wait_for()
    expect(page.get_by_text("24 questions")).to_be_visible()
    expect(page.get_by_text("Vous n'avez encore terminé aucun questionnaire.")).to_be_visible()
    axe_check(page, "tests list")

    # 2. Start the work-values inventory: page 1 shows ten questions with their scale.
    page.get_by_role("link", name=f"Commencer : {TEST_TITLE}").click()
    page.wait_for_url("**/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 0 / 24")).to_be_visible()
    expect(page.get_by_text("Questions 1 à 10 sur 24")).to_be_visible()
    expect(page.get_by_role("group")).to_have_count(10)
    axe_check(page, "test page 1")

    # 3. Answer five questions (the last one with the keyboard), then reload: the answers are kept.
    groups = page.get_by_role("group")
    for index in range(4):
        _answer(page, ui, groups.nth(index), index % 5)
    fifth = groups.nth(4).locator("input[type=radio]")
    fifth.first.focus()
    before = ui.ws_events(page)
    page.keyboard.press("Space")
    page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)
    expect(fifth.first).to_be_checked()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()

    ui.goto(page, "/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()
    groups = page.get_by_role("group")
    for index in range(4):
        expect(groups.nth(index).locator("input[type=radio]").nth(index % 5)).to_be_checked()
    expect(groups.nth(4).locator("input[type=radio]").first).to_be_checked()

    # The list shows the test in progress.
    ui.goto(page, "/mon-espace/tests")
    expect(page.get_by_role("link", name=f"Reprendre : {TEST_TITLE} (5/24)")).to_be_visible()
    page.get_by_role("link", name=f"Reprendre : {TEST_TITLE} (5/24)").click()
    page.wait_for_url("**/mon-espace/tests/work_values")
    page.get_by_role("heading", name=TEST_TITLE, level=1).wait_for()
    expect(page.get_by_text("Réponses : 5 / 24")).to_be_visible()

    # 4. Finishing too early: a summary at the top and the message next to each missing item.
    ui.submit_and_wait(page, page.get_by_role("button", name="Terminer le test"))
    expect(page.get_by_text("Il reste 19 question(s) sans réponse.")).to_be_visible()
    expect(page.get_by_role("heading", name="Questions sans réponse")).to_be_visible()
    expect(page.get_by_role("button", name="Aller à la question 6")).to_be_visible()
    groups = page.get_by_role("group")
    expect(groups.nth(5).get_by_text("Merci de répondre à cette question.")).to_be_visible()
    expect(groups.nth(0).get_by_text("Merci de répondre à cette question.")).to_have_count(0)
    axe_check(page, "test with missing answers")

    # 5. Answer the rest, page by page.
    for index in range(5, 10):
        _answer(page, ui, groups.nth(index), index % 5)
    expect(groups.nth(5).get_by_text("Merci de répondre à cette question.")).to_have_count(0)
    ui.submit_and_wait(page, page.get_by_role("button", name="Page suivante"))
    expect(page.get_by_text("Questions 11 à 20 sur 24")).to_be_visible()
    number = _answer_page(page, ui, 10)
    ui.submit_and_wait(page, page.get_by_role("button", name="Page suivante"))
    expect(page.get_by_text("Questions 21 à 24 sur 24")).to_be_visible()
    expect(page.get_by_role("button", name="Page suivante")).to_have_count(0)
    _answer_page(page, ui, number)
    expect(page.get_by_text("Réponses : 24 / 24")).to_be_visible()
    ui.submit_and_wait(page, page.get_by_role("button", name="Page précédente"))
    expect(page.get_by_text("Questions 11 à 20 sur 24")).to_be_visible()

    # 6. Finish: back on the list, with the ranked values and the disclaimer.
    page.get_by_role("button", name="Terminer le test").click()
    page.wait_for_url(re.compile(r".*/mon-espace/tests\?termine=1$"))
    page.get_by_role("heading", name="Mes résultats").wait_for()
    expect(page.get_by_text("Questionnaire terminé : vos résultats sont ci-dessous.")).to_be_visible()
    result = page.locator("article").filter(has_text=TEST_TITLE)
    expect(result).to_have_count(1)
    expect(result.locator("ol > li")).to_have_count(6)
    expect(result.get_by_text(DISCLAIMER)).to_be_visible()
    expect(result.get_by_text(re.compile(r"Score : \d"))).to_have_count(0)  # no numbers for the beneficiary
    instruments = page.locator("section[aria-labelledby=tests-instruments] li").filter(has_text=TEST_TITLE)
    expect(instruments.get_by_text("Terminé", exact=True)).to_be_visible()
    axe_check(page, "tests list with results")

    # 7. The same list on a 390 px wide screen.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(result.get_by_text(DISCLAIMER)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page, "tests list at 390 px")


RESULTS_SCRIPT = r"""
import json, sys
from services import auth
from services.auth import ClientInfo
from services.psychometrics import service as psy
from services.psychometrics.catalog import get_instrument

spec = json.loads(sys.argv[1])
login = auth.login(
    {"email": spec["email"], "password": spec["password"]},
    ClientInfo(ip="127.0.0.8", user_agent="e2e psychometrics results fixture"),
)
actor = auth.resolve_session(login.token).actor
profile = {"R": 1, "I": 3, "A": 4, "S": 2, "E": 0, "C": 2}  # A 40, I 30, S 20, C 20, R 10, E 0: "AIS"
interests = get_instrument("interests_riasec")
view = psy.start_or_resume(actor, spec["bilan_id"], interests.id)
psy.save_answers(actor, view.id, {item.id: profile[item.dimension] for item in interests.items})
psy.complete(actor, view.id)
big_five = psy.start_or_resume(actor, spec["bilan_id"], "big_five_ipip50")
psy.save_answers(actor, big_five.id, {q.item_id: 3 for q in big_five.questions[:7]})
print(json.dumps({"done": True}))
"""


def test_the_consultant_reads_the_raw_scores_and_the_profile_chart(
    new_page, ui, axe_check, screenshot, bilan_id, e2e_environment
):
    """After the beneficiary's work values (the test above), the interest inventory and a test in progress."""
    spec = {"email": BENEFICIARY["email"], "password": PASSWORD, "bilan_id": bilan_id}
    json.loads(run_script(e2e_environment.env, RESULTS_SCRIPT, spec))
    name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"

    # 1. From the dashboard to the bilan, then to its tests.
    page = new_page()
    _login(page, ui, CONSULTANT)
    page.wait_for_url("**/consultant")
    page.get_by_role("link", name=f"Bilan de {name}").first.click()
    page.wait_for_url(f"**/bilans/{bilan_id}")
    page.get_by_role("heading", name=f"Bilan de {name}", level=1).wait_for()
    page.get_by_role("link", name="Tests et questionnaires").click()
    page.wait_for_url(f"**/bilans/{bilan_id}/tests")
    page.get_by_role("heading", name=f"Tests et questionnaires de {name}", level=1).wait_for()

    # 2. The test in progress: how far, never the answers.
    in_progress = page.locator("section[aria-labelledby=followed-in-progress]")
    expect(in_progress.get_by_text(BIG_FIVE_TITLE)).to_be_visible()
    expect(in_progress.get_by_text(re.compile(r"7 réponses sur 50"))).to_be_visible()

    # 3. The interest inventory: Holland code with the type names, chart, raw scores, notices.
    interests = page.locator("article").filter(has_text=INTERESTS_TITLE)
    expect(interests).to_have_count(1)
    expect(interests.get_by_text("version 1.0", exact=False)).to_be_visible()
    expect(interests.get_by_text("AIS : Artistique, Investigateur, Social")).to_be_visible()
    chart = interests.locator("figure")
    expect(chart).to_have_count(1)
    expect(chart.locator("figcaption")).to_have_text("Profil : score de chaque dimension sur son échelle")
    expect(chart.locator(".bc-chart-row")).to_have_count(6)
    first_bar = chart.locator(".bc-chart-row").first
    expect(first_bar.locator(".bc-chart-label")).to_have_text("Artistique")
    expect(first_bar.locator(".bc-chart-value")).to_have_text("40 / 40 (100 %)")
    widths = chart.locator(".bc-chart-bar").evaluate_all(
        "bars => bars.map(b => b.getBoundingClientRect().width / b.parentElement.clientWidth)"
    )
    assert [round(w, 2) for w in widths] == [1.0, 0.75, 0.5, 0.5, 0.25, 0.0], widths
    # The chart's table alternative, behind a disclosure.
    chart.get_by_text("Voir les données sous forme de tableau").click()
    alternative = chart.get_by_role("table")
    expect(alternative).to_be_visible()
    expect(alternative.get_by_role("row")).to_have_count(7)
    expect(alternative.get_by_role("rowheader", name="Réaliste")).to_be_visible()

    scores = interests.get_by_role("region", name=f"Scores par dimension : {INTERESTS_TITLE}")
    expect(scores.get_by_role("columnheader", name="Score brut")).to_be_visible()
    expect(scores.get_by_role("columnheader", name="Score (%)")).to_be_visible()
    rows = scores.get_by_role("row")
    expect(rows).to_have_count(7)
    expect(rows.nth(1)).to_contain_text("Artistique")
    expect(rows.nth(1)).to_contain_text("40 sur 40")
    expect(rows.nth(1)).to_contain_text("100 %")
    expect(rows.nth(2)).to_contain_text("30 sur 40")
    expect(interests.get_by_role("heading", name="Interprétations")).to_be_visible()
    expect(interests.get_by_text(DISCLAIMER)).to_be_visible()
    expect(interests.get_by_text("O*NET Interest Profiler Short Form")).to_be_visible()
    expect(interests.get_by_text(re.compile(r"Licence"))).to_be_visible()

    # 4. The work values the beneficiary finished in the browser: a mean on 1-5.
    values = page.locator("article").filter(has_text=TEST_TITLE)
    expect(values).to_have_count(1)
    expect(values.locator(".bc-chart-row")).to_have_count(6)
    expect(values.get_by_text("Score brut : moyenne des réponses de la dimension (1 à 5).")).to_be_visible()
    axe_check(page, "consultant: tests of a bilan")
    screenshot(page, "psychometrics-consultant-1280")

    # 5. On a 390 px wide screen: nothing overflows the page; the chart stacks value over bar.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(first_bar.locator(".bc-chart-value")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page, "consultant: tests of a bilan at 390 px")
    screenshot(page, "psychometrics-consultant-390")
    page.emulate_media(media="print")
    screenshot(page, "psychometrics-consultant-print")
