"""services.auth: login, lockouts, sessions, password reset and change, TOTP two-factor."""

import time
import uuid
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from services import auth, members
from services.audit import AuthAction
from services.crypto import decrypt_text
from services.db import session_scope
from services.errors import FormError, NotFound, RateLimited, ServiceError
from services.models import AuditEvent, LoginAttempt, LoginSession, PasswordResetToken, RecoveryCode, Role, User
from services.models.base import utcnow
from services.routes import HOME_ROUTES
from services.settings import get_settings

NEW_PASSWORD = "Riviere-Tranquille-Bleue-31"


def client(ip="198.51.100.7"):
    return auth.ClientInfo(ip=ip, user_agent="pytest-browser")


def login(email, password, ip="198.51.100.7"):
    return auth.login({"email": email, "password": password}, client(ip))


def events(action, **where):
    with session_scope() as session:
        query = select(AuditEvent).where(AuditEvent.action == str(action)).order_by(col(AuditEvent.created_at))
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return session.exec(query).all()


def user_row(user_id):
    with session_scope() as session:
        return session.get(User, user_id)


# ---------------------------------------------------------------- login


@pytest.mark.parametrize("key", ["admin_a", "consultant_a", "beneficiary_b", "platform"])
def test_login_success_returns_the_home_route_of_the_role(world, key):
    person = world.person(key)
    result = login(person.email.upper(), person.password)  # e-mail is case-insensitive
    assert isinstance(result, auth.LoginSuccess)
    assert result.home_route == HOME_ROUTES[person.role]
    info = auth.resolve_session(result.token)
    assert info is not None
    assert info.actor.user_id == person.user_id
    assert info.actor.role is person.role
    assert info.actor.organisation_id == person.organisation_id
    assert info.email == person.email
    assert user_row(person.user_id).last_login_at is not None


def test_home_routes_per_role():
    assert HOME_ROUTES[Role.BENEFICIARY] == "/mon-espace"
    assert HOME_ROUTES[Role.CONSULTANT] == "/consultant"
    assert HOME_ROUTES[Role.ORG_ADMIN] == "/admin/utilisateurs"
    assert HOME_ROUTES[Role.PLATFORM_ADMIN] == "/plateforme/organisations"


def test_wrong_password_is_a_form_error_on_password(world):
    with pytest.raises(FormError) as caught:
        login(world.person("consultant_a").email, "Pas-Le-Bon-Mot-De-Passe-1")
    assert caught.value.fields == {"password": "error.invalid_credentials"}


def test_unknown_email_answers_exactly_like_a_wrong_password(world):
    with pytest.raises(FormError) as unknown:
        login("personne@nulle-part.fr", "Pas-Le-Bon-Mot-De-Passe-1")
    with pytest.raises(FormError) as wrong:
        login(world.person("consultant_a").email, "Pas-Le-Bon-Mot-De-Passe-1")
    assert type(unknown.value) is type(wrong.value)
    assert unknown.value.fields == wrong.value.fields == {"password": "error.invalid_credentials"}
    assert unknown.value.code == wrong.value.code


def test_invalid_login_form(world):
    with pytest.raises(FormError) as caught:
        auth.login({"email": "pas une adresse", "password": ""}, client())
    assert caught.value.fields == {"email": "error.email_invalid", "password": "error.required"}


def test_lockout_after_max_failures_per_account(world):
    person = world.person("consultant_a")
    limit = get_settings().login_max_failures_per_account
    assert limit == 5
    for _ in range(limit):
        with pytest.raises(FormError):
            login(person.email, "Mauvais-Mot-De-Passe-99", ip="203.0.113.5")
    # Now even the right password is refused, from any IP.
    with pytest.raises(RateLimited) as caught:
        login(person.email, person.password, ip="203.0.113.99")
    assert caught.value.code == "error.locked_out"
    assert caught.value.params == {"minutes": get_settings().login_lockout_minutes}
    locked = events(AuthAction.LOGIN_LOCKED)
    assert len(locked) == 1
    assert locked[0].actor_label == person.email
    assert locked[0].ip == "203.0.113.99"
    # The organisation's admins see the lockout in their own audit log.
    assert locked[0].organisation_id == world.org_a
    assert locked[0].actor_user_id == person.user_id
    assert len(events(AuthAction.LOGIN_FAILED, actor_user_id=person.user_id)) == limit
    # Another account is not affected.
    other = world.person("beneficiary_a")
    assert isinstance(login(other.email, other.password, ip="203.0.113.5"), auth.LoginSuccess)


def test_lockout_ends_after_the_window(world, set_env):
    set_env(LOGIN_MAX_FAILURES_PER_ACCOUNT="2")  # fewer argon2 rounds; the rule is the same
    person = world.person("consultant_a")
    for _ in range(2):
        with pytest.raises(FormError):
            login(person.email, "Mauvais-Mot-De-Passe-99")
    with pytest.raises(RateLimited):
        login(person.email, person.password)
    with session_scope() as session:
        for attempt in session.exec(select(LoginAttempt)).all():
            attempt.created_at = utcnow() - timedelta(minutes=get_settings().login_lockout_minutes + 1)
            session.add(attempt)
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)


def test_a_success_resets_the_account_failure_count(world, set_env):
    set_env(LOGIN_MAX_FAILURES_PER_ACCOUNT="3")
    person = world.person("consultant_a")
    for _ in range(2):
        with pytest.raises(FormError):
            login(person.email, "Mauvais-Mot-De-Passe-99")
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)
    for _ in range(2):
        with pytest.raises(FormError):
            login(person.email, "Mauvais-Mot-De-Passe-99")
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)


def test_per_ip_limit(world, set_env):
    set_env(LOGIN_MAX_FAILURES_PER_IP="3")
    for n in range(3):
        with pytest.raises(FormError):
            login(f"inconnu{n}@nulle-part.fr", "Mauvais-Mot-De-Passe-99", ip="203.0.113.66")
    person = world.person("beneficiary_a")
    with pytest.raises(RateLimited):
        login(person.email, person.password, ip="203.0.113.66")
    assert isinstance(login(person.email, person.password, ip="203.0.113.67"), auth.LoginSuccess)


def test_deactivated_member_cannot_log_in(world):
    person = world.person("consultant_a")
    members.set_member_active(world.admin_a, person.membership_id, False)
    with pytest.raises(ServiceError) as caught:
        login(person.email, person.password)
    assert caught.value.code == "error.account_disabled"
    assert auth.resolve_session(person.token) is None


def test_disabled_user_cannot_log_in_and_sessions_stop(world):
    person = world.person("beneficiary_a")
    with session_scope() as session:
        user = session.get(User, person.user_id)
        user.status = "disabled"
        session.add(user)
    with pytest.raises(ServiceError) as caught:
        login(person.email, person.password)
    assert caught.value.code == "error.account_disabled"
    assert auth.resolve_session(person.token) is None


def test_wrong_password_of_disabled_account_does_not_reveal_it(world):
    person = world.person("consultant_a")
    members.set_member_active(world.admin_a, person.membership_id, False)
    with pytest.raises(FormError) as caught:
        login(person.email, "Mauvais-Mot-De-Passe-99")
    assert caught.value.fields == {"password": "error.invalid_credentials"}


# ---------------------------------------------------------------- sessions


def test_resolve_session(world):
    person = world.person("admin_a")
    info = auth.resolve_session(person.token, client("192.0.2.44"))
    assert info.actor.ip == "192.0.2.44"
    assert info.actor.label == person.email
    assert info.organisation_name == "Cabinet Alpha"
    assert info.organisation_slug == "cabinet-alpha"
    assert info.user_name == f"{person.first_name} {person.last_name}"
    assert info.must_enrol_2fa is False
    assert info.two_factor_enabled is False
    assert auth.resolve_session("") is None
    assert auth.resolve_session("not-a-token") is None


def test_the_database_holds_only_a_hash_of_the_token(world):
    token, actor = world.login("admin_a")
    with session_scope() as session:
        row = session.get(LoginSession, actor.session_id)
    assert row.token_hash != token
    assert token not in row.token_hash
    assert row.ip == world.person("admin_a").ip
    assert row.expires_at - row.created_at == timedelta(hours=get_settings().session_ttl_hours)


def test_expired_session_does_not_resolve(world):
    token, actor = world.login("consultant_a")
    with session_scope() as session:
        row = session.get(LoginSession, actor.session_id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    assert auth.resolve_session(token) is None


def test_logout_revokes_the_session_and_is_audited(world):
    token, actor = world.login("consultant_a")
    auth.logout(actor)
    assert auth.resolve_session(token) is None
    # The other sessions of the same user are untouched.
    assert auth.resolve_session(world.person("consultant_a").token) is not None
    logged_out = events(AuthAction.LOGOUT, actor_user_id=actor.user_id)
    assert len(logged_out) == 1
    assert logged_out[0].target_id == str(actor.session_id)
    auth.logout(actor)  # twice is harmless
    assert len(events(AuthAction.LOGOUT, actor_user_id=actor.user_id)) == 1


def test_list_sessions_shows_own_active_sessions_current_first(world):
    _, actor2 = world.login("consultant_a")
    rows = auth.list_sessions(actor2)
    assert rows[0].id == actor2.session_id
    assert {row.id for row in rows} == {actor2.session_id, world.consultant_a.session_id}
    assert all(row.user_id == actor2.user_id for row in rows)


def test_revoke_session_of_another_user_is_not_found(world):
    victim = world.consultant_b
    with pytest.raises(NotFound):
        auth.revoke_session(world.consultant_a, victim.session_id)
    with pytest.raises(NotFound):
        auth.revoke_session(world.consultant_a, str(victim.session_id))
    with pytest.raises(NotFound):
        auth.revoke_session(world.consultant_a, uuid.uuid4())
    with pytest.raises(NotFound):
        auth.revoke_session(world.consultant_a, "pas-un-uuid")
    assert auth.resolve_session(world.person("consultant_b").token) is not None


def test_revoke_own_session(world):
    token2, actor2 = world.login("consultant_a")
    auth.revoke_session(world.consultant_a, actor2.session_id)
    assert auth.resolve_session(token2) is None
    assert auth.resolve_session(world.person("consultant_a").token) is not None
    assert len(events(AuthAction.SESSION_REVOKED, target_id=str(actor2.session_id))) == 1


def test_revoke_other_sessions_keeps_the_current_one(world):
    token2, _ = world.login("admin_a")
    token3, _ = world.login("admin_a")
    other_user_token, _ = world.login("consultant_a")
    assert auth.revoke_other_sessions(world.admin_a) == 2
    assert auth.resolve_session(world.person("admin_a").token) is not None
    assert auth.resolve_session(token2) is None
    assert auth.resolve_session(token3) is None
    assert auth.resolve_session(other_user_token) is not None
    assert auth.revoke_other_sessions(world.admin_a) == 0


# ---------------------------------------------------------------- password reset


def test_password_reset_flow(world, outbox):
    person = world.person("beneficiary_a")
    other_token, _ = world.login("beneficiary_a")
    auth.request_password_reset({"email": person.email}, client("192.0.2.80"))
    message, body = outbox.last(person.email)
    assert message.subject == "Réinitialisation de votre mot de passe BilanCompetence.AI"
    assert message.status == "outbox"
    assert f"{get_settings().public_url}/reinitialiser/" in body
    assert person.first_name in body
    token = outbox.link_token(person.email, "reinitialiser")
    auth.check_reset_token(token)  # valid

    with session_scope() as session:
        row = session.exec(select(PasswordResetToken).where(PasswordResetToken.user_id == person.user_id)).one()
    assert row.token_hash != token
    assert abs((row.expires_at - row.created_at) - timedelta(hours=1)) < timedelta(seconds=5)

    auth.reset_password(token, {"password": NEW_PASSWORD}, client("192.0.2.80"))
    # Every session of the account is revoked.
    assert auth.resolve_session(person.token) is None
    assert auth.resolve_session(other_token) is None
    assert isinstance(login(person.email, NEW_PASSWORD), auth.LoginSuccess)
    with pytest.raises(FormError):
        login(person.email, person.password)
    # Single use.
    with pytest.raises(ServiceError) as caught:
        auth.reset_password(token, {"password": "Autre-Mot-De-Passe-Solide-8"}, client())
    assert caught.value.code == "error.reset_link_used"
    with pytest.raises(ServiceError) as caught:
        auth.check_reset_token(token)
    assert caught.value.code == "error.reset_link_used"
    reset_events = events(AuthAction.PASSWORD_RESET, actor_user_id=person.user_id)
    assert len(reset_events) == 1
    assert reset_events[0].ip == "192.0.2.80"
    assert reset_events[0].organisation_id == world.org_a


def test_password_reset_link_expires_after_one_hour(world, outbox):
    person = world.person("consultant_b")
    auth.request_password_reset({"email": person.email}, client())
    token = outbox.link_token(person.email, "reinitialiser")
    with session_scope() as session:
        session.exec(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == person.user_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    for call in (
        lambda: auth.check_reset_token(token),
        lambda: auth.reset_password(token, {"password": NEW_PASSWORD}, client()),
    ):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.code == "error.reset_link_expired"
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)


def test_password_reset_refuses_a_weak_password_and_keeps_the_link(world, outbox):
    person = world.person("consultant_a")
    auth.request_password_reset({"email": person.email}, client())
    token = outbox.link_token(person.email, "reinitialiser")
    for weak, key in (
        ("court", "error.password_too_short"),
        ("password1234", "error.password_common"),
        (f"{person.last_name}-Solide-2026", "error.password_personal"),
    ):
        with pytest.raises(FormError) as caught:
            auth.reset_password(token, {"password": weak}, client())
        assert caught.value.fields == {"password": key}
    auth.check_reset_token(token)  # still usable
    auth.reset_password(token, {"password": NEW_PASSWORD}, client())


def test_password_reset_for_unknown_email_answers_the_same_without_mail(world, outbox):
    before = len(outbox.messages())
    assert auth.request_password_reset({"email": "inconnu@nulle-part.fr"}, client()) is None
    assert len(outbox.messages()) == before
    assert events(AuthAction.PASSWORD_RESET_REQUESTED) == []


def test_password_reset_unknown_token(world):
    with pytest.raises(ServiceError) as caught:
        auth.check_reset_token("n-importe-quoi")
    assert caught.value.code == "error.reset_link_used"


def test_change_password(world):
    person = world.person("consultant_a")
    token2, actor2 = world.login("consultant_a")
    with pytest.raises(FormError) as caught:
        auth.change_password(actor2, "Mauvais-Mot-De-Passe-99", NEW_PASSWORD)
    assert caught.value.fields == {"current_password": "error.invalid_password"}
    with pytest.raises(FormError) as caught:
        auth.change_password(actor2, person.password, "azertyuiop12")
    assert caught.value.fields == {"new_password": "error.password_common"}
    auth.change_password(actor2, person.password, NEW_PASSWORD)
    # The current session stays, the others end.
    assert auth.resolve_session(token2) is not None
    assert auth.resolve_session(person.token) is None
    assert isinstance(login(person.email, NEW_PASSWORD), auth.LoginSuccess)
    with pytest.raises(FormError):
        login(person.email, person.password)
    assert len(events(AuthAction.PASSWORD_CHANGED, actor_user_id=person.user_id)) == 1


# ---------------------------------------------------------------- TOTP


def _enrol(actor):
    enrolment = auth.begin_totp_enrolment(actor)
    totp = pyotp.TOTP(enrolment.secret)
    codes = auth.confirm_totp_enrolment(actor, totp.now())
    return totp, codes


def test_enrolment_is_not_active_until_confirmed(world):
    person = world.person("consultant_a")
    enrolment = auth.begin_totp_enrolment(world.consultant_a)
    assert enrolment.provisioning_uri.startswith("otpauth://totp/")
    assert "BilanCompetence.AI" in enrolment.provisioning_uri
    assert enrolment.qr_svg_data_uri.startswith("data:image/svg+xml;base64,")
    row = user_row(person.user_id)
    assert row.totp_enabled_at is None
    assert row.totp_secret_encrypted and enrolment.secret not in row.totp_secret_encrypted
    assert decrypt_text(row.totp_secret_encrypted) == enrolment.secret
    # Login still needs only the password.
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)
    # A wrong code does not turn it on.
    with pytest.raises(FormError) as caught:
        auth.confirm_totp_enrolment(
            world.consultant_a, "000000" if pyotp.TOTP(enrolment.secret).now() != "000000" else "111111"
        )
    assert caught.value.fields == {"code": "error.2fa_invalid_code"}
    assert user_row(person.user_id).totp_enabled_at is None
    assert auth.resolve_session(person.token).two_factor_enabled is False


def test_confirm_without_begin(world):
    with pytest.raises(ServiceError) as caught:
        auth.confirm_totp_enrolment(world.consultant_a, "123456")
    assert caught.value.code == "error.2fa_not_started"


def test_two_factor_login_flow(world):
    person = world.person("consultant_a")
    totp, codes = _enrol(world.consultant_a)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    assert auth.remaining_recovery_codes(world.consultant_a) == 10
    assert auth.resolve_session(person.token).two_factor_enabled is True
    with pytest.raises(ServiceError) as caught:
        auth.begin_totp_enrolment(world.consultant_a)
    assert caught.value.code == "error.2fa_already_enabled"
    enabled = events(AuthAction.TWO_FACTOR_ENABLED, actor_user_id=person.user_id)
    assert len(enabled) == 1

    challenge = login(person.email, person.password)
    assert isinstance(challenge, auth.TwoFactorChallenge)
    assert challenge.user_id == person.user_id

    with pytest.raises(FormError) as caught:
        auth.complete_two_factor(challenge, "", client())
    assert caught.value.fields == {"code": "error.required"}

    # The next time step's code is accepted (clock drift window) ...
    next_code = totp.at(time.time() + totp.interval)
    success = auth.complete_two_factor(challenge, next_code, client())
    assert isinstance(success, auth.LoginSuccess)
    assert success.home_route == "/consultant"
    assert auth.resolve_session(success.token).actor.user_id == person.user_id

    # ... and cannot be replayed, nor can an older one.
    challenge = login(person.email, person.password)
    for code in (next_code, totp.now()):
        with pytest.raises(FormError) as caught:
            auth.complete_two_factor(challenge, code, client())
        assert caught.value.fields == {"code": "error.2fa_invalid_code"}

    # A recovery code works once.
    recovery = codes[3]
    success = auth.complete_two_factor(challenge, recovery.upper().replace("-", " "), client())
    assert isinstance(success, auth.LoginSuccess)
    assert auth.remaining_recovery_codes(world.consultant_a) == 9
    assert len(events(AuthAction.RECOVERY_CODE_USED, actor_user_id=person.user_id)) == 1
    with pytest.raises(FormError):
        auth.complete_two_factor(challenge, recovery, client())
    assert isinstance(auth.complete_two_factor(challenge, codes[4], client()), auth.LoginSuccess)


def test_recovery_codes_are_stored_hashed(world):
    _, codes = _enrol(world.beneficiary_a)
    with session_scope() as session:
        stored = {row.code_hash for row in session.exec(select(RecoveryCode)).all()}
    assert len(stored) == 10
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored


def test_failed_second_factor_counts_towards_the_lockout(world):
    person = world.person("consultant_a")
    _enrol(world.consultant_a)
    challenge = login(person.email, person.password)
    for _ in range(5):
        with pytest.raises(FormError):
            auth.complete_two_factor(challenge, "999999x", client())
    with pytest.raises(RateLimited):
        auth.complete_two_factor(challenge, "123456", client())


def test_expired_challenge(world):
    person = world.person("consultant_a")
    totp, _ = _enrol(world.consultant_a)
    challenge = login(person.email, person.password)
    stale = auth.TwoFactorChallenge(user_id=challenge.user_id, issued_at=challenge.issued_at - 301)
    with pytest.raises(ServiceError) as caught:
        auth.complete_two_factor(stale, totp.at(time.time() + totp.interval), client())
    assert caught.value.code == "error.2fa_challenge_expired"


def test_disable_totp_needs_the_password(world):
    person = world.person("consultant_a")
    _enrol(world.consultant_a)
    with pytest.raises(FormError) as caught:
        auth.disable_totp(world.consultant_a, "Mauvais-Mot-De-Passe-99")
    assert caught.value.fields == {"password": "error.invalid_password"}
    assert user_row(person.user_id).totp_enabled_at is not None
    auth.disable_totp(world.consultant_a, person.password)
    row = user_row(person.user_id)
    assert row.totp_enabled_at is None and row.totp_secret_encrypted is None
    assert auth.remaining_recovery_codes(world.consultant_a) == 0
    assert isinstance(login(person.email, person.password), auth.LoginSuccess)
    disabled = events(AuthAction.TWO_FACTOR_DISABLED, actor_user_id=person.user_id)
    assert len(disabled) == 1


def test_org_requiring_2fa(world):
    consultant = world.person("consultant_a")
    members.set_require_2fa(world.admin_a, True)
    info = auth.resolve_session(consultant.token)
    assert info.must_enrol_2fa is True
    # Organisation B is not concerned.
    assert auth.resolve_session(world.person("consultant_b").token).must_enrol_2fa is False
    _enrol(world.consultant_a)
    assert auth.resolve_session(consultant.token).must_enrol_2fa is False
    with pytest.raises(ServiceError) as caught:
        auth.disable_totp(world.consultant_a, consultant.password)
    assert caught.value.code == "error.2fa_required_by_org"
    assert user_row(consultant.user_id).totp_enabled_at is not None


def test_set_locale(world):
    auth.set_locale(world.beneficiary_a, "en")
    assert auth.resolve_session(world.person("beneficiary_a").token).locale == "en"
    with pytest.raises(FormError) as caught:
        auth.set_locale(world.beneficiary_a, "de")
    assert caught.value.fields == {"locale": "error.invalid_choice"}


def test_a_new_reset_link_replaces_the_previous_one(world, outbox):
    person = world.person("beneficiary_a")
    auth.request_password_reset({"email": person.email}, client())
    first = outbox.link_token(person.email, "reinitialiser")
    auth.request_password_reset({"email": person.email}, client())
    second = outbox.link_token(person.email, "reinitialiser")
    assert first != second
    with pytest.raises(ServiceError) as caught:
        auth.check_reset_token(first)
    assert caught.value.code == "error.reset_link_used"
    auth.reset_password(second, {"password": NEW_PASSWORD}, client())
    with pytest.raises(ServiceError):
        auth.reset_password(first, {"password": "Autre-Mot-De-Passe-Solide-8"}, client())
    assert isinstance(login(person.email, NEW_PASSWORD), auth.LoginSuccess)


def test_deactivated_between_password_and_code(world):
    person = world.person("consultant_a")
    totp, _ = _enrol(world.consultant_a)
    challenge = login(person.email, person.password)
    members.set_member_active(world.admin_a, person.membership_id, False)
    with pytest.raises(ServiceError) as caught:
        auth.complete_two_factor(challenge, totp.at(time.time() + totp.interval), client())
    assert caught.value.code == "error.account_disabled"
    with session_scope() as session:
        live = session.exec(
            select(LoginSession).where(LoginSession.user_id == person.user_id, col(LoginSession.revoked_at).is_(None))
        ).all()
    assert live == []


def test_disable_totp_is_refused_if_any_organisation_of_the_user_requires_it(world, outbox):
    """consultant_b also joins A; B requires 2FA: disabling it from the A session is refused too."""
    person = world.person("consultant_b")
    members.invite(world.admin_a, {"email": person.email, "role": "beneficiary"})
    result = members.accept_invitation(outbox.link_token(person.email), {"password": person.password}, client())
    in_a = auth.resolve_session(result.token).actor
    assert in_a.organisation_id == world.org_a
    _enrol(in_a)
    members.set_require_2fa(world.admin_b, True)
    with pytest.raises(ServiceError) as caught:
        auth.disable_totp(in_a, person.password)
    assert caught.value.code == "error.2fa_required_by_org"
    assert user_row(person.user_id).totp_enabled_at is not None
    members.set_require_2fa(world.admin_b, False)
    auth.disable_totp(in_a, person.password)
    assert user_row(person.user_id).totp_enabled_at is None
