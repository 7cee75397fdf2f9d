"""The AI screens without a browser: the admin's settings and usage page (state/ai_settings.py) and the
beneficiary's consent card (state/ai_consent.py), their handlers driven with the fixture world's sessions,
and what they leave in the database (settings row, consent row, audit events)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex_base import constants
from sqlmodel import col, select

from services import routes
from services.crypto import encrypt_text
from services.db import session_scope
from services.display.ai import EMPTY_ENGINE, EMPTY_USAGE
from services.i18n import EN, FR, format_euros, translate
from services.llm.budget import month_start
from services.llm.consent import CONSENT_TEXT_VERSION
from services.models import (
    AiConsent,
    AiOrganisationSettings,
    AiUsage,
    AuditEvent,
    Bilan,
    BilanStatus,
    ConsentStatus,
    Organisation,
    OrganisationPlan,
)
from services.models.base import utcnow
from state.ai_consent import AiConsentState, follower_consent_line
from state.ai_settings import KEY_INPUT_ID, AiSettingsState

OWN_KEY = "sk-org-alpha-secret-98761234"
NBSP = re.compile("[\u202f\u00a0]")


# ---------------------------------------------------------------- driving a state


def drive(state_class: type[rx.State], token: str, path: str) -> Any:
    """A fresh state tree for one browser tab on ``path``, logged in with the session ``token``."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {
            constants.RouteVar.ORIGIN: path,
            constants.RouteVar.CLIENT_IP: "192.0.2.10",
            constants.RouteVar.HEADERS: {"user-agent": "pytest"},
        }
    )
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state.session_token = token
    return state


def as_person(world, state_class: type[rx.State], key: str, path: str) -> Any:
    return drive(state_class, world.person(key).token, path)


def event_args(event: Any) -> dict[str, Any]:
    """The arguments of a returned event (rx.redirect, rx.set_value) as plain values."""
    return {name._js_expr: value._var_value for name, value in event.args}


def text(value: str) -> str:
    return NBSP.sub(" ", value)


def rows(model, *where):
    order = col(model.decided_at if model is AiConsent else model.created_at)
    with session_scope() as session:
        return session.exec(select(model).where(*where).order_by(order)).all()


def set_plan(organisation_id: uuid.UUID, plan: OrganisationPlan) -> None:
    with session_scope() as session:
        organisation = session.get(Organisation, organisation_id)
        organisation.plan = plan
        session.add(organisation)


def usage(organisation_id: uuid.UUID, feature: str, prompt: int, completion: int, cost: float, **fields) -> None:
    with session_scope() as session:
        session.add(
            AiUsage(
                organisation_id=organisation_id,
                feature=feature,
                model=fields.pop("model", "gpt-4o-mini"),
                prompt_tokens=prompt,
                completion_tokens=completion,
                cost_estimate=cost,
                input_hash="0" * 64,
                **fields,
            )
        )


def make_bilan(world, org: str = "a", status: BilanStatus = BilanStatus.INVESTIGATION) -> uuid.UUID:
    beneficiary, consultant = world.actor(f"beneficiary_{org}"), world.actor(f"consultant_{org}")
    with session_scope() as session:
        bilan = Bilan(
            organisation_id=beneficiary.organisation_id,
            beneficiary_id=beneficiary.user_id,
            consultant_id=consultant.user_id,
            consultant_accepted_at=utcnow(),
            status=status,
            objectives_encrypted=encrypt_text("Construire un projet de reconversion."),
        )
        session.add(bilan)
        session.flush()
        return bilan.id


def admin_page(world, key: str = "admin_a") -> AiSettingsState:
    return as_person(world, AiSettingsState, key, routes.ADMIN_AI)


def consent_card(world, key: str = "beneficiary_a") -> AiConsentState:
    return as_person(world, AiConsentState, key, routes.BENEFICIARY_HOME)


# ---------------------------------------------------------------- the admin page


def test_without_an_llm_the_admin_reads_that_the_local_engine_serves(world):
    page = admin_page(world)
    assert page.load() is None
    assert page.authorized_route == routes.ADMIN_AI
    assert page.engine["source"] == "local"
    assert (page.engine["plan"], page.override_allowed) == ("starter", False)
    assert page.ai_form == {"monthly_token_budget": "", "base_url": "", "model": ""}
    assert (page.engine["budget_default"], text(page.engine["budget"])) == (True, "1 000 000")
    assert (page.usage["calls"], page.feature_usage, page.latest_calls) == ("0", [], [])
    assert text(page.usage_bar[0]["display"]) == "0 sur 1 000 000 (0 %)"


def test_the_platform_llm_is_named_with_its_model(world, set_env):
    set_env(LLM_BASE_URL="https://api.mistral.ai/v1", LLM_MODEL="mistral-small-latest")
    page = admin_page(world)
    page.load()
    assert (page.engine["source"], page.engine["model"]) == ("platform", "mistral-small-latest")
    assert page.engine["budget_zero"] is page.engine["budget_spent"] is False


def test_the_admin_sets_the_budget_as_she_types_it(world):
    page = admin_page(world)
    page.load()
    page.set_ai_field("monthly_token_budget", "250 000")
    assert page.save({}) is not None  # the (empty) key input is cleared
    assert page.notice == "Réglages IA enregistrés."
    assert (page.form_error, page.errors) == ("", {})
    assert page.ai_form["monthly_token_budget"] == "250000"
    assert (page.engine["budget_default"], text(page.engine["budget"])) == (False, "250 000")
    (stored,) = rows(AiOrganisationSettings)
    assert (stored.organisation_id, stored.monthly_token_budget) == (world.org_a, 250_000)
    (event,) = rows(AuditEvent, AuditEvent.action == "ai.settings_updated")
    assert event.changes["monthly_token_budget"] == {"before": None, "after": 250_000}

    # Emptied: the platform's default again. 0: the local engine only, said on the page.
    page.set_ai_field("monthly_token_budget", "")
    page.save({})
    assert rows(AiOrganisationSettings)[0].monthly_token_budget is None
    assert page.engine["budget_default"] is True
    page.set_ai_field("monthly_token_budget", "0")
    page.save({})
    assert text(page.usage_bar[0]["display"]) == "0 (budget à 0)"


@pytest.mark.parametrize(
    ("typed", "message"), [("-5", "Cette valeur est trop petite."), ("douze mille", "Saisissez un nombre.")]
)
def test_a_bad_budget_is_refused_next_to_its_field_and_kept(world, typed, message):
    page = admin_page(world)
    page.load()
    page.set_ai_field("monthly_token_budget", typed)
    assert page.save({}) is None
    assert page.errors == {"monthly_token_budget": message}
    assert page.form_error == "Certains champs sont à corriger."
    assert (page.notice, page.ai_form["monthly_token_budget"]) == ("", typed)
    assert rows(AiOrganisationSettings) == []
    assert rows(AuditEvent, AuditEvent.action == "ai.settings_updated") == []


def test_below_enterprise_the_provider_and_the_key_are_refused(world):
    page = admin_page(world)
    page.load()
    assert page.override_allowed is False
    page.save({"api_key": OWN_KEY})  # a crafted request: the page shows no key field on this plan
    assert page.form_error == translate("llm.error.override_enterprise_only")
    page.set_ai_field("base_url", "https://llm.example.org/v1")
    page.save({})
    assert page.form_error == translate("llm.error.override_enterprise_only")
    assert page.notice == ""
    assert rows(AiOrganisationSettings) == []
    assert page.engine["key_hint"] == ""


def test_an_enterprise_admin_sets_her_provider_and_key_then_deletes_the_key(world):
    set_plan(world.org_a, OrganisationPlan.ENTERPRISE)
    page = admin_page(world)
    page.load()
    assert page.override_allowed is True

    page.set_ai_field("base_url", "ftp://llm.example.org")
    page.set_ai_field("model", "mistral-small-latest")
    assert page.save({"api_key": OWN_KEY}) is None
    assert page.errors == {"base_url": translate("llm.error.base_url_invalid")}
    assert page.ai_form["model"] == "mistral-small-latest"
    assert rows(AiOrganisationSettings) == []

    page.set_ai_field("base_url", "https://llm.example.org/v1")
    cleared = page.save({"api_key": OWN_KEY})
    assert event_args(cleared) == {"ref": "ref_" + KEY_INPUT_ID.replace("-", "_"), "value": ""}
    assert (page.engine["source"], page.engine["model"]) == ("organisation", "mistral-small-latest")
    assert page.engine["key_hint"] == "•••• 1234"
    assert OWN_KEY not in repr(page.dict())  # the key never enters the (stored) state
    (stored,) = rows(AiOrganisationSettings)
    assert stored.api_key_encrypted and OWN_KEY not in stored.api_key_encrypted

    # Saving again without a key keeps it; the delete action asks first, then removes only the key.
    page.save({"api_key": ""})
    assert page.engine["key_hint"] == "•••• 1234"
    page.ask_clear_key()
    assert page.confirm_clear is True
    page.cancel_clear_key()
    assert page.confirm_clear is False and rows(AiOrganisationSettings)[0].api_key_encrypted
    page.set_ai_field("model", "typed but not saved")
    page.ask_clear_key()
    page.clear_key()
    assert (page.notice, page.confirm_clear, page.engine["key_hint"]) == ("Clé d'API supprimée.", False, "")
    assert page.ai_form["model"] == "typed but not saved"
    (stored,) = rows(AiOrganisationSettings)
    assert (stored.api_key_encrypted, stored.base_url, stored.model) == (
        "",
        "https://llm.example.org/v1",
        "mistral-small-latest",
    )
    changes = [event.changes.get("api_key") for event in rows(AuditEvent, AuditEvent.action == "ai.settings_updated")]
    assert changes == [{"before": None, "after": "set"}, {"before": "set", "after": "cleared"}]


@pytest.mark.parametrize("key", ["consultant_a", "beneficiary_a"])
def test_only_the_organisation_admin_gets_the_page(world, key):
    page = admin_page(world, key)
    assert page.load() is None
    assert (page.denied_route, page.authorized_route) == (routes.ADMIN_AI, "")
    assert (page.engine, page.usage, page.latest_calls) == (EMPTY_ENGINE, EMPTY_USAGE, [])
    page.set_ai_field("monthly_token_budget", "5")
    assert page.save({}) is None
    page.clear_key()
    assert page.notice == ""
    assert rows(AiOrganisationSettings) == []


def test_without_a_session_every_handler_sends_to_the_login_page(world):
    page = drive(AiSettingsState, "", routes.ADMIN_AI)
    for handler in (page.load, lambda: page.save({"api_key": OWN_KEY}), page.clear_key):
        assert event_args(handler())["path"] == routes.LOGIN
    assert rows(AiOrganisationSettings) == []


def test_the_usage_shows_this_months_real_numbers(world):
    admin_page(world).load()  # no row yet
    usage(world.org_a, "transferable_skills", 1200, 300, 0.00123, duration_ms=2400)
    usage(world.org_a, "transferable_skills", 400, 0, 0.0002, outcome="timeout", duration_ms=60000)
    usage(world.org_a, "synthese_draft", 2000, 1500, 0.0031, model="mistral-small-latest")
    usage(world.org_a, "session_themes", 9000, 9000, 0.5, created_at=month_start() - timedelta(days=3))
    usage(world.org_b, "synthese_draft", 50000, 50000, 2.0)  # another organisation's
    page = admin_page(world)
    page.set_ai_field("monthly_token_budget", "10000")
    page.save({})

    # The timed-out call is recorded, but its tokens are not charged to the budget.
    assert text(page.usage_bar[0]["display"]) == "5 000 sur 10 000 (50 %)"
    assert (page.usage_bar[0]["value"], page.usage_bar[0]["max"]) == ("5000", "10000")
    assert (page.usage["calls"], page.usage["failed"], text(page.usage["remaining"])) == ("3", "1", "5 000")
    assert text(page.usage["failed_tokens"]) == "400 jetons des appels en échec, non décomptés du budget"
    assert text(page.usage["cost"]) == "0,0045 €"  # what the provider bills: every call
    assert [(row["feature"], row["calls"], text(row["tokens"]), text(row["cost"])) for row in page.feature_usage] == [
        ("Brouillon de synthèse et actions", "1", "3 500", "0,0031 €"),
        ("Compétences transférables", "2", "1 500", "0,0014 €"),
    ]
    # The latest calls: this organisation's only (last month's included), newest first, metadata only.
    assert len(page.latest_calls) == 4
    newest = page.latest_calls[0]
    assert (newest["feature"], newest["model"], text(newest["tokens"]), newest["duration"]) == (
        "Brouillon de synthèse et actions",
        "mistral-small-latest",
        "3 500",
        "0 s",
    )
    timed_out = page.latest_calls[1]
    assert (timed_out["outcome_label"], timed_out["failed"], timed_out["duration"]) == (
        "Échec : délai dépassé",
        True,
        "60 s",
    )
    assert (newest["failed"], page.latest_calls[2]["duration"]) == (False, "2,4 s")
    assert set(newest) == {"date", "feature", "model", "outcome_label", "failed", "tokens", "cost", "duration"}
    assert page.provider_warning == ""  # one failure is not a failing provider


@pytest.mark.parametrize(
    ("outcomes", "failing"),
    [
        (["rate_limited", "invalid_output", "timeout", "unavailable"], True),  # the latest 4 all failed
        (["ok", "auth", "auth", "rejected", "timeout", "ok", "invalid_output"], True),  # 5 of the latest 7
        (["ok", "timeout", "timeout", "timeout", "ok", "invalid_output"], False),
    ],
)
def test_a_provider_that_fails_repeatedly_is_flagged(world, outcomes, failing):
    # Oldest first; a week-old streak of failures says nothing about today's provider.
    for _ in range(4):
        usage(world.org_a, "synthese_draft", 100, 0, 0.0, outcome="timeout", created_at=utcnow() - timedelta(days=8))
    for outcome in outcomes:
        usage(world.org_a, "transferable_skills", 100, 50, 0.0001, outcome=outcome)
    page = admin_page(world)
    page.load()
    assert bool(page.provider_warning) is failing
    if failing:
        assert page.provider_warning.startswith("Le fournisseur d'IA échoue de façon répétée : ")
        assert f"des {len(outcomes)} derniers appels ont échoué" in page.provider_warning
        last = next(outcome for outcome in reversed(outcomes) if outcome != "ok")
        assert page.latest_calls[outcomes[::-1].index(last)]["outcome_label"] in page.provider_warning
    assert [row["failed"] for row in page.latest_calls[: len(outcomes)]] == [
        outcome != "ok" for outcome in reversed(outcomes)
    ]


def test_a_spent_budget_is_said(world, set_env):
    set_env(LLM_API_KEY="sk-platform-test-0000-1111")
    usage(world.org_a, "transferable_skills", 800, 300, 0.001)
    page = admin_page(world)
    page.set_ai_field("monthly_token_budget", "1000")
    page.save({})
    assert page.engine["budget_spent"] is True
    assert text(page.usage_bar[0]["display"]) == "1 100 sur 1 000 (110 %)"
    assert page.usage_bar[0]["max"] == "1100"


# ---------------------------------------------------------------- the consent card


def test_the_beneficiary_gives_then_withdraws_her_consent(world):
    bilan_id = make_bilan(world)
    card = consent_card(world)
    assert card.load() is None
    assert (card.consent_view, card.consent_given, card.consent_status) == ("ready", False, "")
    assert card.consent_summary == "Pas encore de choix : sans accord, seul le moteur local est utilisé."
    assert (card.consent_recipient, card.consent_bilan_open) == ("", True)  # no LLM: nothing would leave

    card.give()
    assert card.notice == "Votre accord est enregistré. Vous pouvez le retirer à tout moment."
    assert (card.consent_given, card.consent_status) == (True, "given")
    assert card.consent_summary.startswith("Accord donné le ")
    (row,) = rows(AiConsent)
    assert (row.bilan_id, row.status, row.text_version) == (bilan_id, ConsentStatus.GIVEN, CONSENT_TEXT_VERSION)
    (given,) = rows(AuditEvent, AuditEvent.action == "ai.consent_given")
    assert (given.target_id, given.actor_user_id) == (str(bilan_id), world.beneficiary_a.user_id)
    assert follower_consent_line(world.consultant_a, bilan_id, "fr") == card.consent_summary

    card.withdraw()
    assert card.notice == "Votre accord est retiré : seul le moteur local sera utilisé pour votre bilan."
    assert (card.consent_given, card.consent_status) == (False, "withdrawn")
    assert card.consent_summary.startswith("Accord retiré le ")
    assert rows(AiConsent)[0].status is ConsentStatus.WITHDRAWN
    assert len(rows(AuditEvent, AuditEvent.action == "ai.consent_withdrawn")) == 1
    # Another tab (a fresh state) reads the same decision.
    other = consent_card(world)
    other.load()
    assert other.consent_status == "withdrawn"


def test_the_beneficiary_refuses_then_changes_her_mind(world):
    bilan_id = make_bilan(world)
    card = consent_card(world)
    card.load()
    card.refuse()
    assert card.notice.startswith("Votre refus est enregistré : seul le moteur local sera utilisé")
    assert (card.consent_given, card.consent_status) == (False, "refused")
    summary = r"Accord refusé le \d{1,2} \w+ \d{4} : seul le moteur local est utilisé\."
    assert re.fullmatch(summary, card.consent_summary)
    (row,) = rows(AiConsent)
    assert (row.status, row.decided_by) == (ConsentStatus.REFUSED, world.beneficiary_a.user_id)
    (refused,) = rows(AuditEvent, AuditEvent.action == "ai.consent_refused")
    assert (refused.target_id, refused.changes["ai_consent"]) == (str(bilan_id), {"before": None, "after": "refused"})
    assert follower_consent_line(world.consultant_a, bilan_id, "fr") == card.consent_summary
    assert translate("audit.ai.consent_refused") == "Accord pour l'assistant IA refusé"

    # She changes her mind: her consent is in force, and she may decline again later.
    card.give()
    assert (card.consent_given, card.consent_status) == (True, "given")
    assert card.consent_summary.startswith("Accord donné le ")
    card.refuse()
    assert rows(AiConsent)[0].status is ConsentStatus.REFUSED
    actions = [event.action for event in rows(AuditEvent, col(AuditEvent.action).like("ai.consent_%"))]
    assert actions == ["ai.consent_refused", "ai.consent_given", "ai.consent_refused"]


def test_the_card_names_the_recipient_the_organisation_uses(world, set_env):
    make_bilan(world)
    set_env(LLM_BASE_URL="https://user:secret@api.mistral.ai:443/v1")
    card = consent_card(world)
    card.load()
    assert card.consent_recipient == "api.mistral.ai"  # the host only, never credentials or a path
    set_env(LLM_BASE_URL=None, LLM_API_KEY="sk-platform-test-0000-1111")
    card.load()
    assert card.consent_recipient == "api.openai.com"
    # A budget of 0: only the local engine runs, so nothing would leave.
    with session_scope() as session:
        session.add(AiOrganisationSettings(organisation_id=world.org_a, monthly_token_budget=0))
    card.load()
    assert card.consent_recipient == ""


def test_an_older_consent_text_asks_for_confirmation(world):
    bilan_id = make_bilan(world)
    card = consent_card(world)
    card.give()
    with session_scope() as session:
        row = session.exec(select(AiConsent).where(AiConsent.bilan_id == bilan_id)).one()
        row.text_version = "2025-1"
        session.add(row)
    card.load()
    assert (card.consent_given, card.consent_outdated) == (True, "2025-1")
    card.give()
    assert card.consent_outdated == ""
    assert rows(AiConsent)[0].text_version == CONSENT_TEXT_VERSION


def test_a_closed_bilan_takes_no_new_consent_but_a_withdrawal(world):
    make_bilan(world, status=BilanStatus.ABANDONNE)
    card = consent_card(world)
    card.load()
    assert card.consent_bilan_open is False
    card.give()  # a crafted request: the card shows no button
    assert card.form_error == "Ce bilan est clos : il ne peut plus être modifié."
    assert rows(AiConsent) == []
    card.withdraw()
    assert rows(AiConsent)[0].status is ConsentStatus.WITHDRAWN


def test_without_a_bilan_the_card_stays_empty(world):
    card = consent_card(world)
    assert card.load() is None
    assert card.consent_view == "none"
    card.give()
    assert rows(AiConsent) == []


@pytest.mark.parametrize("key", ["consultant_a", "admin_a"])
def test_only_the_beneficiary_decides(world, key):
    bilan_id = make_bilan(world)
    card = consent_card(world, key)
    card.load()
    assert (card.consent_view, card.denied_route) == ("loading", routes.BENEFICIARY_HOME)
    card.give()
    card.refuse()
    assert rows(AiConsent) == []
    assert follower_consent_line(world.consultant_b, bilan_id, "fr") == ""  # another organisation's bilan
    assert event_args(drive(AiConsentState, "", routes.BENEFICIARY_HOME).give())["path"] == routes.LOGIN


# ---------------------------------------------------------------- catalogue and formatting


def test_every_key_of_the_screens_is_in_both_locales():
    root = Path(__file__).resolve().parents[2]
    files = [
        "state/ai_settings.py",
        "services/display/ai.py",
        "state/ai_consent.py",
        "bilan_app/pages/ai_settings.py",
        "components/ai_consent.py",
    ]
    source = "".join((root / name).read_text() for name in files)
    keys = set(re.findall(r'"((?:ai|llm|nav|plan|admin)\.[a-z_]+(?:\.[a-z_]+)*)"', source))
    assert len(keys) > 40, "the pattern found too few keys"
    assert sorted(key for key in keys if key not in FR or key not in EN) == []
    for prefix in ("ai.usage.outcome.", "llm.feature."):
        assert {key for key in FR if key.startswith(prefix)} <= EN.keys()
    assert FR["nav.ai"] == "Intelligence artificielle"


def test_euros_are_formatted_for_the_locale():
    assert text(format_euros(0.00042)) == "0,0004 €"
    assert text(format_euros(1234.567)) == "1 234,57 €"
    assert format_euros(12.5, "en") == "€12.50"
