"""The AI screens in Chromium (issue 5): the org admin's settings and usage page, and the beneficiary's
consent card on her space.

1. The fixture organisation's admin opens "Intelligence artificielle" from the navigation: no LLM is
   configured on the server, so the page says the local engine serves. A negative budget is refused next
   to its field with the typed value kept; "250 000" is saved; the usage shows the calls seeded for this
   month (per feature and the latest calls). The provider override is explained as an Enterprise feature.
2. A beneficiary of an organisation of its own gives her consent on her space, then withdraws it; her
   consultant reads the decision on the bilan page.

axe-core on each state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import FIXTURE_ORGANISATION
from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script

pytestmark = pytest.mark.e2e

PASSWORD = "Ardoise-Falaise-Cormoran-41"
CONSULTANT = {"first_name": "Maiwenn", "last_name": "Le Floch", "email": "maiwenn.lefloch@abers-bilans.fr"}
BENEFICIARY = {"first_name": "Solenn", "last_name": "Guivarc'h", "email": "solenn.guivarch@exemple-perso.fr"}

# Two provider calls this month for the fixture organisation (the server has no LLM: no call happens by
# itself), so the usage view has real rows to show.
SEED_USAGE = r"""
import json, sys
from sqlmodel import select
from services.db import session_scope
from services.models import AiUsage, Organisation

spec = json.loads(sys.argv[1])
with session_scope() as session:
    organisation = session.exec(select(Organisation).where(Organisation.name == spec["organisation"])).one()
    for feature, prompt, completion, cost, outcome in (
        ("transferable_skills", 1800, 600, 0.0007, "ok"),
        ("synthese_draft", 2500, 1100, 0.0011, "timeout"),
    ):
        session.add(AiUsage(
            organisation_id=organisation.id, feature=feature, model="gpt-4o-mini", outcome=outcome,
            prompt_tokens=prompt, completion_tokens=completion, cost_estimate=cost, duration_ms=3200,
            input_hash="0" * 64,
        ))
print(json.dumps({"ok": True}))
"""


def test_the_admin_sets_the_ai_budget_and_reads_the_usage(
    new_page, ui, axe_check, screenshot, accounts, e2e_environment
):
    run_script(e2e_environment.env, SEED_USAGE, {"organisation": FIXTURE_ORGANISATION})
    page = new_page()
    ui.login_home(page, accounts["org_admin"])
    page.get_by_role("navigation").get_by_role("link", name="Intelligence artificielle").click()
    page.wait_for_url("**/admin/ia")
    page.get_by_role("heading", name="Intelligence artificielle", level=1).wait_for()
    engine = page.get_by_role("region", name="Moteur en service")
    expect(engine).to_contain_text("Moteur local uniquement.")
    expect(engine).to_contain_text("C'est un fonctionnement normal")
    expect(page.get_by_text("est réservé à la formule Enterprise")).to_be_visible()
    assert page.locator("#field-api_key").count() == 0  # no key field below Enterprise
    axe_check(page, "AI settings")

    budget = page.get_by_label("Budget mensuel (jetons)")
    budget.fill("-5")
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer les réglages"))
    expect(page.locator("#ai-monthly_token_budget-error")).to_have_text("Cette valeur est trop petite.")
    expect(budget).to_have_value("-5")
    expect(budget).to_have_attribute("aria-invalid", "true")
    described = budget.get_attribute("aria-describedby") or ""
    assert "ai-monthly_token_budget-error" in described and "ai-monthly_token_budget-help" in described
    axe_check(page, "AI settings with an error")

    budget.fill("250 000")
    ui.submit_and_wait(page, page.get_by_role("button", name="Enregistrer les réglages"))
    expect(page.get_by_text("Réglages IA enregistrés.")).to_be_visible()
    expect(page.locator("#ai-monthly_token_budget-error")).to_have_count(0)
    expect(budget).to_have_value("250000")
    expect(page.get_by_text(re.compile(r"Budget en vigueur : 250\s000 jetons par mois\."))).to_be_visible()

    usage = page.get_by_role("region", name=re.compile(r"^Consommation de "))
    # The timed-out call is listed, but its tokens are not charged to the budget.
    expect(usage).to_contain_text(re.compile(r"2\s400 sur 250\s000 \(1 %\)"))
    expect(usage).to_contain_text(re.compile(r"3\s600 jetons des appels en échec, non décomptés du budget"))
    by_feature = page.get_by_role("region", name="Consommation du mois par fonctionnalité")
    expect(by_feature.get_by_role("row").filter(has_text="Compétences transférables")).to_contain_text(
        re.compile(r"2\s400")
    )
    calls = page.get_by_role("region", name="Derniers appels au fournisseur d'IA (métadonnées uniquement)")
    expect(calls.get_by_role("row").filter(has_text="Brouillon de synthèse et actions")).to_contain_text(
        "Échec : délai dépassé"
    )
    expect(calls).to_contain_text("3,2 s")
    axe_check(page, "AI settings saved, with usage")
    screenshot(page, "ai-settings")


def test_the_beneficiary_refuses_then_gives_and_withdraws_her_consent(
    new_page, ui, axe_check, screenshot, e2e_environment
):
    bilan_id = organisation_with_bilan(
        e2e_environment.env,
        {
            "siret": make_siret("52718364", "0019"),
            "password": PASSWORD,
            "organisation": "Abers Bilans",
            "admin": {"first_name": "Nolwenn", "last_name": "Tanguy", "email": "direction@abers-bilans.fr"},
            "consultant": CONSULTANT,
            "beneficiary": BENEFICIARY,
        },
    )
    page = new_page()
    login_person(page, ui, BENEFICIARY, PASSWORD)
    page.wait_for_url("**/mon-espace")
    card = page.get_by_role("region", name="Assistant IA : votre accord")
    expect(card).to_contain_text("Pas encore de choix")
    expect(card).to_contain_text("n'utilise actuellement aucune IA externe")
    expect(card).to_contain_text("vos nom, e-mail, téléphone, adresse et employeurs sont remplacés")
    axe_check(page, "beneficiary space with the consent card")

    # A first answer may be no: recorded with its date, the bilan goes on, and she may change her mind.
    ui.submit_and_wait(page, card.get_by_role("button", name="Je refuse"))
    expect(card.get_by_text("Votre refus est enregistré")).to_be_visible()
    expect(card).to_contain_text(re.compile(r"Accord refusé le \d{1,2} \S+ \d{4} : seul le moteur local est utilisé"))
    expect(card.get_by_role("button", name="Je refuse")).to_have_count(0)
    axe_check(page, "consent refused")
    ui.goto(page, "/mon-espace")  # her choice is stored, not just shown
    expect(card).to_contain_text("Accord refusé le ")

    ui.submit_and_wait(page, card.get_by_role("button", name="J'accepte"))
    expect(card.get_by_text("Votre accord est enregistré.")).to_be_visible()
    expect(card).to_contain_text("Accord donné le ")
    expect(card.get_by_role("button", name="J'accepte")).to_have_count(0)
    axe_check(page, "consent given")
    screenshot(page, "ai-consent-given")

    ui.submit_and_wait(page, card.get_by_role("button", name="Retirer mon accord"))
    expect(card.get_by_text("Votre accord est retiré")).to_be_visible()
    expect(card).to_contain_text("Accord retiré le ")
    expect(card.get_by_role("button", name="J'accepte")).to_be_visible()
    axe_check(page, "consent withdrawn")

    consultant = new_page()
    login_person(consultant, ui, CONSULTANT, PASSWORD)
    consultant.wait_for_url("**/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}")
    expect(consultant.locator("dd").filter(has_text="Accord retiré le ")).to_have_count(1)
