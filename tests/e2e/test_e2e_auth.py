"""Login errors, lockout, two-factor authentication and password reset, in the browser."""

from __future__ import annotations

import time

import pyotp
import pytest

pytestmark = pytest.mark.e2e

INVALID_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."


def test_wrong_password_shows_the_error_next_to_the_field(page, ui, axe_check, accounts):
    person = accounts["wrong_password"]
    ui.login(page, person, password="Pas-Le-Bon-Mot-De-Passe-1")

    error = page.locator("#field-password-error")
    error.wait_for()
    assert error.inner_text().strip() == INVALID_CREDENTIALS
    # The error belongs to the password field, and the e-mail stays typed.
    assert page.locator("#field-password").get_attribute("aria-invalid") == "true"
    assert "field-password-error" in (page.locator("#field-password").get_attribute("aria-describedby") or "")
    assert page.locator("#field-email").input_value() == person.email
    assert page.get_by_role("alert").filter(has_text="Certains champs sont à corriger.").is_visible()
    assert page.url.rstrip("/").endswith("/connexion")
    axe_check(page, "login error")


def test_lockout_after_repeated_failures(page, ui, axe_check, accounts):
    person = accounts["lockout"]
    ui.goto(page, "/connexion")
    page.locator("#field-email").fill(person.email)
    submit = page.get_by_role("button", name="Se connecter")
    for attempt in range(5):  # settings.login_max_failures_per_account defaults to 5
        page.locator("#field-password").fill(f"Mauvais-Essai-Numero-{attempt}")
        ui.submit_and_wait(page, submit)
        assert page.locator("#field-password-error").inner_text().strip() == INVALID_CREDENTIALS

    # The sixth attempt is refused before the password is even checked: the right one does not get in.
    page.locator("#field-password").fill(person.password)
    ui.submit_and_wait(page, submit)
    locked = page.get_by_role("alert").filter(has_text="Trop de tentatives de connexion")
    locked.wait_for()
    assert "Réessayez dans 15 minutes" in locked.inner_text()
    assert page.url.rstrip("/").endswith("/connexion")
    assert page.locator("#field-email").input_value() == person.email
    axe_check(page, "locked out")


def test_two_factor_enrolment_then_login_with_a_code(page, ui, axe_check, accounts):
    person = accounts["two_factor"]
    ui.login_home(page, person)
    axe_check(page, "consultant home")

    ui.goto(page, "/compte/securite")
    page.get_by_role("heading", name="Sécurité du compte", level=1).wait_for()
    page.get_by_text("La double authentification n'est pas activée.").wait_for()
    axe_check(page, "security page")

    page.get_by_role("button", name="Activer la double authentification").click()
    secret_code = page.locator("p", has_text="Ou saisissez cette clé").locator("code")
    secret_code.wait_for()
    secret = secret_code.inner_text().strip()
    assert len(secret) >= 16
    assert page.get_by_role("img", name="QR code de configuration de la double authentification").is_visible()
    axe_check(page, "2FA enrolment")

    totp = pyotp.TOTP(secret)
    page.locator("#field-code").fill(totp.now())
    page.get_by_role("button", name="Confirmer l'activation").click()
    codes = page.locator("ul.recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    assert all(len(code.strip()) == 11 for code in codes.all_inner_texts())  # xxxxx-xxxxx
    page.get_by_text("La double authentification est activée.").wait_for()
    axe_check(page, "2FA recovery codes")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion")
    ui.login(page, person)
    page.get_by_role("heading", name="Vérification en deux étapes").wait_for()
    assert page.locator("#field-password").count() == 0
    axe_check(page, "2FA code step")

    # The enrolment used the current 30-s step; the server refuses any step at or before the last one
    # used and accepts one step ahead, so the next step's code is always fresh.
    page.locator("#field-code").fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/consultant")
    page.get_by_role("heading", name="Mes bilans", level=1).wait_for()
    axe_check(page, "home after 2FA")


def test_password_reset_by_mail(page, ui, axe_check, accounts, mailbox):
    person = accounts["reset"]
    new_password = "Marelle-Bleue-Horizon-2026"

    ui.goto(page, "/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.wait_for_url("**/mot-de-passe-oublie")
    ui.wait_ready(page)
    page.get_by_role("heading", name="Mot de passe oublié", level=1).wait_for()
    axe_check(page, "forgot password form")
    page.locator("#field-email").fill(person.email)
    page.get_by_role("button", name="Envoyer le lien").click()
    page.get_by_role("status").filter(has_text="Si un compte correspond à cette adresse").wait_for()
    axe_check(page, "reset requested")

    link = mailbox.wait_for_link(person.email, "reinitialiser")
    ui.goto(page, link)
    page.get_by_role("heading", name="Choisir un nouveau mot de passe", level=1).wait_for()
    page.locator("#field-password").wait_for()
    axe_check(page, "reset form")
    page.locator("#field-password").fill(new_password)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.get_by_text("Votre mot de passe a été modifié.").wait_for()
    axe_check(page, "reset done")

    # The old password no longer works; the new one does.
    ui.login(page, person)
    page.locator("#field-password-error").wait_for()
    ui.login(page, person, password=new_password)
    page.wait_for_url("**/mon-espace")
    page.get_by_role("heading", name="Mon espace", level=1).wait_for()
    axe_check(page, "home after reset")

    # The link is single-use.
    ui.goto(page, link)
    problem = page.get_by_role("alert").filter(has_text="n'est plus valable")
    problem.wait_for()
    assert page.locator("#field-password").count() == 0
    assert page.get_by_role("link", name="Demander un nouveau lien").is_visible()
    axe_check(page, "reset link used")
