"""The SMART action plan in Chromium (issue 6 §1 and §5.1), written together by the consultant and the
beneficiary.

An organisation of its own with a consultant and a beneficiary whose bilan is moved to the conclusion
phase (directly in the database: the convention and objectives guards are covered elsewhere), with one
target métier kept. Then:

1. the consultant opens the plan from the bilan page; an action without a title is refused next to the
   field with everything typed kept; saved without its success indicator, it is a draft and the missing
   part is said in plain words next to that field ("Mesurable : …"); completed, it is "Complète";
2. the consultant adds the kept target's suggestion ("Enquête métier : …"), which arrives "À compléter";
3. the beneficiary finds the action in "Mon plan d'action" and ticks its milestone (also at 390 px);
4. the history shows both people's changes, on both sides.

Every screen goes through axe.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Cormoran-Ajonc-Presqu-ile-73"
CONSULTANT = {"first_name": "Soizic", "last_name": "Le Floch", "email": "soizic.lefloch@iroise-bilans.fr"}
BENEFICIARY = {"first_name": "Noémie", "last_name": "Kervella", "email": "noemie.kervella@exemple-perso.fr"}
TITLE = "Rencontrer deux boulangers en poste"
MILESTONE = "Appeler trois boulangeries"
INDICATOR_MISSING = (
    "Mesurable : indiquez comment vous saurez que l'action est réussie (par exemple « 3 entretiens réalisés »)."
)

# The bilan reaches the conclusion phase, and the consultant keeps one target métier.
TO_CONCLUSION = r"""
import json, sys, uuid
from services.crypto import encrypt_text
from services.db import session_scope
from services.models import Bilan, BilanStatus, BilanTarget
from services.models.base import utcnow

spec = json.loads(sys.argv[1])
with session_scope() as session:
    bilan = session.get(Bilan, uuid.UUID(spec["bilan_id"]))
    bilan.status = BilanStatus.CONCLUSION
    bilan.investigation_started_at = bilan.conclusion_started_at = utcnow()
    session.add(bilan)
    details = {"code_rome": "D1102", "libelle": "Boulanger", "score": 0.8}  # as services.recommendations keeps it
    session.add(BilanTarget(organisation_id=bilan.organisation_id, bilan_id=bilan.id, code_rome="D1102",
                            libelle="Boulanger", score=0.8, kept_by=bilan.consultant_id,
                            details_encrypted=encrypt_text(json.dumps(details))))
print(json.dumps({"ok": True}))
"""


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    spec = {
        "siret": make_siret("71942836", "0027"),
        "password": PASSWORD,
        "organisation": "Iroise Bilans",
        "admin": {"first_name": "Erwan", "last_name": "Guivarc'h", "email": "direction@iroise-bilans.fr"},
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
    }
    bilan_id = organisation_with_bilan(e2e_environment.env, spec)
    run_script(e2e_environment.env, TO_CONCLUSION, {"bilan_id": bilan_id})
    return bilan_id


def _login(page, ui, person: dict, home: str) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(f"**{home}")


def _no_overflow(page, width: int) -> None:
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url} overflows at {width}px: {scroll_width}px"


def _open_history(page) -> None:
    summary = page.locator("#plan-history summary")
    summary.click()
    expect(page.locator("#plan-history table")).to_be_visible()


def test_the_plan_is_written_together(new_page, ui, axe_check, screenshot, bilan_id):
    deadline = date.today() + timedelta(days=45)
    milestone_on = date.today() + timedelta(days=10)

    # 1. The consultant opens the plan from the bilan page.
    consultant = new_page()
    _login(consultant, ui, CONSULTANT, "/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("link", name=re.compile("Plan d'action")).click()
    consultant.wait_for_url(f"**/bilans/{bilan_id}/plan")
    consultant.get_by_role("heading", name="Plan d'action", level=1).wait_for()
    expect(consultant.get_by_text("Aucune action pour l'instant.")).to_be_visible()
    axe_check(consultant, "consultant plan, empty")

    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Nouvelle action"))
    consultant.get_by_role("heading", name="Nouvelle action", level=3).wait_for()
    consultant.get_by_label("Description").fill("Prendre rendez-vous dans deux boulangeries de Brest.")
    consultant.get_by_label("Moyens et ressources").fill("Le réseau de la consultante, deux matinées libres")
    consultant.get_by_label("Lien avec le projet").fill("Vérifier que le métier de boulanger me convient")
    consultant.get_by_label("Date d'échéance").fill(deadline.isoformat())
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Ajouter un jalon"))
    consultant.get_by_label("Étape 1", exact=True).fill(MILESTONE)
    consultant.get_by_label("Date de l'étape 1").fill(milestone_on.isoformat())
    # No title: refused next to the field, and nothing typed is lost.
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer l'action"))
    expect(consultant.locator("#plan-title-error")).to_have_text("Donnez un titre à l'action pour l'enregistrer.")
    expect(consultant.locator("#plan-title")).to_have_attribute("aria-invalid", "true")
    expect(consultant.locator("#plan-means")).to_have_value("Le réseau de la consultante, deux matinées libres")
    expect(consultant.get_by_label("Étape 1", exact=True)).to_have_value(MILESTONE)

    # Without its success indicator: saved as a draft, the missing part said next to the field.
    consultant.get_by_label("Titre de l'action").fill(TITLE)
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer l'action"))
    expect(consultant.locator("#plan-indicator-smart")).to_have_text(INDICATOR_MISSING)
    expect(consultant.locator("#plan-indicator")).to_have_attribute(
        "aria-describedby", "plan-indicator-help plan-indicator-smart"
    )
    expect(
        consultant.get_by_text(re.compile(r"^Action enregistrée comme brouillon : il manque 1 partie"))
    ).to_be_visible()
    expect(consultant.get_by_role("heading", name="Modifier l'action", level=3)).to_be_visible()
    expect(consultant.locator("#plan-title")).to_have_value(TITLE)
    card = consultant.locator("main ol > li").filter(has=consultant.get_by_role("heading", name=re.compile(TITLE)))
    expect(card.get_by_text("À compléter", exact=True)).to_be_visible()
    expect(card.get_by_text(INDICATOR_MISSING)).to_be_visible()
    axe_check(consultant, "consultant plan, draft with a missing part")
    screenshot(consultant, "action-plan-draft")

    consultant.get_by_label("Indicateur de réussite").fill("Deux entretiens réalisés et un compte rendu")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Enregistrer l'action"))
    expect(consultant.get_by_text("Action enregistrée : elle est complète.")).to_be_visible()
    expect(consultant.locator("#plan-indicator")).to_have_count(0)  # the editor closed
    expect(card.get_by_text("Complète", exact=True)).to_be_visible()
    expect(card.get_by_text(INDICATOR_MISSING)).to_have_count(0)
    axe_check(consultant, "consultant plan, complete action")

    # 2. The kept target's suggestion becomes a draft action.
    suggestions = consultant.locator("section[aria-labelledby=plan-suggestions-title]")
    ui.submit_and_wait(
        consultant, suggestions.get_by_role("button", name="Ajouter « Enquête métier : Boulanger » au plan")
    )
    expect(consultant.get_by_text("Suggestion ajoutée au plan : complétez ses parties SMART.")).to_be_visible()
    survey = consultant.locator("main ol > li").filter(
        has=consultant.get_by_role("heading", name=re.compile("Enquête métier : Boulanger"))
    )
    expect(survey.get_by_text("À compléter", exact=True)).to_be_visible()

    # 3. The beneficiary sees the action in her plan and ticks the milestone.
    page = new_page()
    _login(page, ui, BENEFICIARY, "/mon-espace")
    page.get_by_role("navigation").get_by_role("link", name="Mon plan d'action").click()
    page.wait_for_url("**/mon-espace/plan")
    page.get_by_role("heading", name="Mon plan d'action", level=1).wait_for()
    mine = page.locator("main ol > li").filter(has=page.get_by_role("heading", name=re.compile(TITLE)))
    expect(mine.get_by_text("Complète", exact=True)).to_be_visible()
    axe_check(page, "beneficiary plan")
    box = mine.get_by_label(re.compile(f"^{MILESTONE} — "))
    expect(box).not_to_be_checked()
    ui.submit_and_wait(page, box)
    expect(page.get_by_text("Jalon coché : fait.")).to_be_visible()
    expect(box).to_be_checked()

    # 4. The history shows both: her milestone, the consultant's indicator.
    _open_history(page)
    history = page.locator("#plan-history tbody")
    expect(history.locator("tr").filter(has_text=f"Jalon fait : {MILESTONE}")).to_contain_text("(bénéficiaire)")
    expect(
        history.locator("tr").filter(has_text="Indicateur de réussite : (vide) → Deux entretiens réalisés")
    ).to_contain_text("Soizic Le Floch (consultant)")
    axe_check(page, "beneficiary plan with history")
    page.set_viewport_size({"width": 390, "height": 844})
    _no_overflow(page, 390)
    axe_check(page, "beneficiary plan 390px")
    screenshot(page, "action-plan-beneficiary-390")

    ui.goto(consultant, f"/bilans/{bilan_id}/plan")
    consultant.get_by_role("heading", name="Plan d'action", level=1).wait_for()
    _open_history(consultant)
    expect(consultant.locator("#plan-history tbody tr").filter(has_text=f"Jalon fait : {MILESTONE}")).to_contain_text(
        "Noémie Kervella (bénéficiaire)"
    )
    consultant_box = consultant.get_by_label(re.compile(f"^{MILESTONE} — "))
    expect(consultant_box).to_be_checked()
    axe_check(consultant, "consultant plan with history")
