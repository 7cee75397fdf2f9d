"""Accounts: login and sessions, brute-force limits, password resets and TOTP two-factor.

Invitations and organisation sign-up live in ``services.members``.
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pyotp
import segno
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from services import audit, routes
from services.access import Actor
from services.audit import AuthAction
from services.crypto import decrypt_text, encrypt_text, hash_token, new_token
from services.db import session_scope
from services.errors import FormError, NotFound, RateLimited, ServiceError
from services.forms import EmailForm, LoginForm, NewPasswordForm, validate_form
from services.i18n import translate
from services.mail import queue_mail
from services.models import (
    LoginAttempt,
    LoginSession,
    Membership,
    Organisation,
    PasswordResetToken,
    RecoveryCode,
    Role,
    User,
    UserStatus,
)
from services.models.base import utcnow
from services.passwords import hash_password, password_problem, verify_password
from services.settings import get_settings

TOTP_ISSUER = "BilanCompetence.AI"
RECOVERY_CODE_COUNT = 10
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
TWO_FACTOR_CHALLENGE_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class ClientInfo:
    ip: str = ""
    user_agent: str = ""


def client_info(peer_ip: str, forwarded_for: str, user_agent: str) -> ClientInfo:
    """Who is calling. Behind the production reverse proxy, the first X-Forwarded-For address is the client."""
    forwarded = forwarded_for.split(",")[0].strip() if forwarded_for and get_settings().is_production else ""
    return ClientInfo(ip=(forwarded or peer_ip)[:64], user_agent=user_agent[:400])


@dataclass(frozen=True)
class LoginSuccess:
    token: str
    home_route: str
    locale: str = "fr"


@dataclass(frozen=True)
class TwoFactorChallenge:
    """The password was right; a TOTP or recovery code is still needed."""

    user_id: uuid.UUID
    issued_at: float


@dataclass(frozen=True)
class SessionInfo:
    """What the UI needs to know about the logged-in user."""

    actor: Actor
    user_name: str
    email: str
    locale: str
    organisation_name: str
    organisation_slug: str
    must_enrol_2fa: bool
    two_factor_enabled: bool


def _record_own_act(
    session: Session, action: AuthAction, user: User, membership: Membership | None, client: ClientInfo
) -> None:
    """Audit what a person did to their own account before having a session (no actor yet)."""
    audit.record(
        session,
        action,
        organisation_id=membership.organisation_id if membership else None,
        actor_user_id=user.id,
        actor_label=user.email,
        ip=client.ip,
    )


# ---------------------------------------------------------------- brute-force limits


def _email_key(email: str) -> str:
    return hash_token("login:" + email.strip().lower())


def _failed_attempts(session: Session, *conditions: ColumnElement[bool]) -> int:
    """How many failed logins match ``conditions`` (by account or by address, since a moment)."""
    return session.exec(select(func.count()).where(col(LoginAttempt.succeeded).is_(False), *conditions)).one()


def _check_not_locked(session: Session, email_key: str, ip: str) -> None:
    settings = get_settings()
    window_start = utcnow() - timedelta(minutes=settings.login_lockout_minutes)
    last_success = session.exec(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email_key == email_key, col(LoginAttempt.succeeded).is_(True)
        )
    ).one()
    since = max(window_start, last_success) if last_success else window_start
    account_failures = _failed_attempts(
        session, col(LoginAttempt.email_key) == email_key, col(LoginAttempt.created_at) > since
    )
    ip_failures = (
        _failed_attempts(session, col(LoginAttempt.ip) == ip, col(LoginAttempt.created_at) > window_start) if ip else 0
    )
    if account_failures >= settings.login_max_failures_per_account or ip_failures >= settings.login_max_failures_per_ip:
        raise RateLimited(minutes=settings.login_lockout_minutes)


def _record_attempt(session: Session, email_key: str, ip: str, *, succeeded: bool) -> None:
    session.add(LoginAttempt(email_key=email_key, ip=ip, succeeded=succeeded))


# ---------------------------------------------------------------- login


def _active_membership(session: Session, user: User) -> Membership | None:
    return session.exec(
        select(Membership)
        .join(Organisation, col(Organisation.id) == Membership.organisation_id)
        .where(
            Membership.user_id == user.id, col(Membership.is_active).is_(True), col(Organisation.is_active).is_(True)
        )
        .order_by(col(Membership.created_at))
    ).first()


def _role_of(user: User, membership: Membership | None) -> Role:
    if user.is_platform_admin:
        return Role.PLATFORM_ADMIN
    assert membership is not None
    return membership.role


def start_login_session(
    session: Session, user: User, membership: Membership | None, client: ClientInfo
) -> LoginSuccess:
    token = new_token()
    now = utcnow()
    organisation_id = None if user.is_platform_admin else (membership.organisation_id if membership else None)
    login_session = LoginSession(
        user_id=user.id,
        organisation_id=organisation_id,
        token_hash=hash_token(token),
        ip=client.ip[:64],
        user_agent=client.user_agent[:400],
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=get_settings().session_ttl_hours),
    )
    session.add(login_session)
    user.last_login_at = now
    session.add(user)
    audit.record(
        session,
        AuthAction.LOGIN_SUCCEEDED,
        organisation_id=organisation_id,
        actor_user_id=user.id,
        actor_label=user.email,
        target_type="user",
        target_id=user.id,
        ip=client.ip,
    )
    return LoginSuccess(token=token, home_route=routes.home_route(_role_of(user, membership)), locale=user.locale)


def _fail_login(session: Session, email_key: str, email: str, user: User | None, client: ClientInfo) -> FormError:
    _record_attempt(session, email_key, client.ip, succeeded=False)
    membership = _active_membership(session, user) if user else None
    audit.record(
        session,
        AuthAction.LOGIN_FAILED,
        organisation_id=membership.organisation_id if membership else None,
        actor_user_id=user.id if user else None,
        actor_label=email,
        target_type="user",
        target_id=user.id if user else "",
        ip=client.ip,
    )
    return FormError({"password": "error.invalid_credentials"})


def login(raw: dict[str, str], client: ClientInfo) -> LoginSuccess | TwoFactorChallenge:
    """Check e-mail and password. Raises FormError, RateLimited or ServiceError('error.account_disabled')."""
    form = validate_form(LoginForm, raw)
    email_key = _email_key(form.email)
    failure: ServiceError | None = None
    with session_scope() as session:
        try:
            _check_not_locked(session, email_key, client.ip)
        except RateLimited as locked:
            failure = locked
        user = session.exec(select(User).where(User.email == form.email)).first()
        if failure is not None:
            locked_membership = _active_membership(session, user) if user else None
            audit.record(
                session,
                AuthAction.LOGIN_LOCKED,
                organisation_id=locked_membership.organisation_id if locked_membership else None,
                actor_user_id=user.id if user else None,
                actor_label=form.email,
                target_type="user",
                target_id=user.id if user else "",
                ip=client.ip,
            )
        if failure is not None:
            pass  # locked: the password is not even checked
        elif not verify_password(form.password, user.password_hash if user else None) or user is None:
            failure = _fail_login(session, email_key, form.email, user, client)
        else:
            membership = _active_membership(session, user)
            if user.status != UserStatus.ACTIVE or (membership is None and not user.is_platform_admin):
                raise ServiceError("error.account_disabled")
            if user.totp_enabled_at is not None:
                return TwoFactorChallenge(user_id=user.id, issued_at=time.time())
            _record_attempt(session, email_key, client.ip, succeeded=True)
            return start_login_session(session, user, membership, client)
    # Raised after the commit so that the failed attempt and the lockout are recorded.
    raise failure


def _verify_totp(user: User, code: str) -> bool:
    if not user.totp_secret_encrypted:
        return False
    totp = pyotp.TOTP(decrypt_text(user.totp_secret_encrypted))
    now = time.time()
    for offset in (-1, 0, 1):
        step = int(now // totp.interval) + offset
        if step > (user.totp_last_step or -1) and secrets.compare_digest(totp.at(step * totp.interval), code):
            user.totp_last_step = step
            return True
    return False


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    normalised = code.replace("-", "").replace(" ", "").lower()
    found = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token("recovery:" + normalised),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if found is None:
        return False
    found.used_at = utcnow()
    session.add(found)
    return True


def complete_two_factor(challenge: TwoFactorChallenge, code: str, client: ClientInfo) -> LoginSuccess:
    """Second step of a login: a 6-digit TOTP code or one of the recovery codes."""
    if time.time() - challenge.issued_at > TWO_FACTOR_CHALLENGE_TTL.total_seconds():
        raise ServiceError("error.2fa_challenge_expired")
    code = code.strip().replace(" ", "")
    if not code:
        raise FormError({"code": "error.required"})
    with session_scope() as session:
        user = session.get(User, challenge.user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            raise ServiceError("error.account_disabled")
        email_key = _email_key(user.email)
        _check_not_locked(session, email_key, client.ip)
        membership = _active_membership(session, user)
        if membership is None and not user.is_platform_admin:
            # Deactivated (or organisation closed) between the password and the code.
            raise ServiceError("error.account_disabled")
        if _verify_totp(user, code):
            _record_attempt(session, email_key, client.ip, succeeded=True)
            return start_login_session(session, user, membership, client)
        if len(code) > 6 and _use_recovery_code(session, user, code):
            _record_own_act(session, AuthAction.RECOVERY_CODE_USED, user, membership, client)
            _record_attempt(session, email_key, client.ip, succeeded=True)
            return start_login_session(session, user, membership, client)
        _fail_login(session, email_key, user.email, user, client)
    raise FormError({"code": "error.2fa_invalid_code"})


def reauthenticate(session: Session, user: User, password: str, code: str, client: ClientInfo) -> ServiceError | None:
    """Check an existing account's password and second factor, as a login would (limits included).

    Returns the error to raise once the caller's transaction has committed (so that a failed
    attempt is counted), or None when the credentials are right. Raises RateLimited when locked.
    """
    email_key = _email_key(user.email)
    _check_not_locked(session, email_key, client.ip)
    if not verify_password(password, user.password_hash):
        return _fail_login(session, email_key, user.email, user, client)
    if user.totp_enabled_at is not None:
        code = code.strip().replace(" ", "")
        if not (_verify_totp(user, code) or (len(code) > 6 and _use_recovery_code(session, user, code))):
            _fail_login(session, email_key, user.email, user, client)
            return FormError({"code": "error.2fa_invalid_code"})
    _record_attempt(session, email_key, client.ip, succeeded=True)
    return None


# ---------------------------------------------------------------- sessions


def resolve_session(token: str, client: ClientInfo | None = None) -> SessionInfo | None:
    """The logged-in user behind a session token, or None if it is unknown, expired or revoked.

    Every event of every tab goes through here: one query reads the session, its user, the membership in
    the session's organisation and that organisation together."""
    if not token:
        return None
    now = utcnow()
    with session_scope() as session:
        found = session.exec(
            select(LoginSession, User, Membership, Organisation)
            .join(User, col(User.id) == col(LoginSession.user_id))
            .outerjoin(
                Membership,
                (col(Membership.user_id) == col(LoginSession.user_id))
                & (col(Membership.organisation_id) == col(LoginSession.organisation_id))
                & col(Membership.is_active).is_(True),
            )
            .outerjoin(Organisation, col(Organisation.id) == col(LoginSession.organisation_id))
            .where(LoginSession.token_hash == hash_token(token))
        ).first()
        if found is None:
            return None
        login_session, user, membership, joined_organisation = found
        # Outer joins: no membership or organisation for the platform operator (or a removed member).
        organisation: Organisation | None = joined_organisation
        if login_session.revoked_at is not None or login_session.expires_at <= now:
            return None
        if user.status != UserStatus.ACTIVE:
            return None
        if user.is_platform_admin:
            role, organisation = Role.PLATFORM_ADMIN, None
        else:
            if membership is None or organisation is None or not organisation.is_active:
                return None
            role = membership.role
        if now - login_session.last_seen_at > SESSION_TOUCH_INTERVAL:
            login_session.last_seen_at = now
            session.add(login_session)
        actor = Actor(
            user_id=user.id,
            role=role,
            organisation_id=login_session.organisation_id,
            session_id=login_session.id,
            ip=client.ip if client else login_session.ip,
            label=user.email,
        )
        return SessionInfo(
            actor=actor,
            user_name=user.full_name,
            email=user.email,
            locale=user.locale,
            organisation_name=organisation.name if organisation else "",
            organisation_slug=organisation.slug if organisation else "",
            must_enrol_2fa=bool(organisation and organisation.require_2fa and user.totp_enabled_at is None),
            two_factor_enabled=user.totp_enabled_at is not None,
        )


def logout(actor: Actor) -> None:
    with session_scope() as session:
        login_session = session.get(LoginSession, actor.session_id)
        if login_session and login_session.user_id == actor.user_id and login_session.revoked_at is None:
            login_session.revoked_at = utcnow()
            session.add(login_session)
            audit.record(session, AuthAction.LOGOUT, actor=actor, target_type="session", target_id=login_session.id)


def list_sessions(actor: Actor) -> list[LoginSession]:
    """The actor's own active sessions, the current one first."""
    with session_scope() as session:
        rows = session.exec(
            select(LoginSession)
            .where(
                LoginSession.user_id == actor.user_id,
                col(LoginSession.revoked_at).is_(None),
                LoginSession.expires_at > utcnow(),
            )
            .order_by(col(LoginSession.last_seen_at).desc())
        ).all()
    return sorted(rows, key=lambda row: row.id != actor.session_id)


def revoke_session(actor: Actor, session_id: uuid.UUID | str) -> None:
    """Revoke one of the actor's own sessions (another user's answers NotFound)."""
    with session_scope() as session:
        try:
            key = uuid.UUID(str(session_id))
        except ValueError as exc:
            raise NotFound() from exc
        login_session = session.get(LoginSession, key)
        if login_session is None or login_session.user_id != actor.user_id:
            raise NotFound()
        if login_session.revoked_at is None:
            login_session.revoked_at = utcnow()
            session.add(login_session)
            audit.record(session, AuthAction.SESSION_REVOKED, actor=actor, target_type="session", target_id=key)


def revoke_other_sessions(actor: Actor) -> int:
    with session_scope() as session:
        count = revoke_all_sessions(session, actor.user_id, keep=actor.session_id)
        if count:
            audit.record(session, AuthAction.SESSION_REVOKED, actor=actor, changes={"revoked": count})
    return count


def revoke_all_sessions(session: Session, user_id: uuid.UUID, keep: uuid.UUID | None = None) -> int:
    rows = session.exec(
        select(LoginSession).where(LoginSession.user_id == user_id, col(LoginSession.revoked_at).is_(None))
    ).all()
    now = utcnow()
    count = 0
    for row in rows:
        if row.id != keep:
            row.revoked_at = now
            session.add(row)
            count += 1
    return count


# ---------------------------------------------------------------- password reset


def reset_link(token: str) -> str:
    return get_settings().public_url.rstrip("/") + routes.with_token(routes.RESET_PASSWORD, token)


def request_password_reset(raw: dict[str, str], client: ClientInfo, locale: str = "fr") -> None:
    """Mail a single-use reset link. Answers the same whether or not the address is known."""
    form = validate_form(EmailForm, raw)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == form.email)).first()
        if user is None or user.status != UserStatus.ACTIVE:
            return
        token = new_token()
        now = utcnow()
        # A new link replaces the earlier ones (they answer error.reset_link_used: "used or replaced").
        for earlier in session.exec(
            select(PasswordResetToken).where(
                PasswordResetToken.user_id == user.id, col(PasswordResetToken.used_at).is_(None)
            )
        ).all():
            earlier.used_at = now
            session.add(earlier)
        session.add(
            PasswordResetToken(
                user_id=user.id,
                token_hash=hash_token(token),
                expires_at=now + timedelta(minutes=get_settings().password_reset_ttl_minutes),
            )
        )
        membership = _active_membership(session, user)
        mail_locale = user.locale or locale
        queue_mail(
            session,
            to=user.email,
            subject=translate("mail.reset.subject", mail_locale),
            body=translate("mail.reset.body", mail_locale, name=user.first_name, link=reset_link(token)),
            organisation_id=membership.organisation_id if membership else None,
        )
        _record_own_act(session, AuthAction.PASSWORD_RESET_REQUESTED, user, membership, client)


def _valid_reset_token(session: Session, token: str) -> PasswordResetToken:
    row = session.exec(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))).first()
    if row is None or row.used_at is not None:
        raise ServiceError("error.reset_link_used")
    if row.expires_at <= utcnow():
        raise ServiceError("error.reset_link_expired")
    return row


def check_reset_token(token: str) -> None:
    """Raise ServiceError with a clear reason if the reset link cannot be used."""
    with session_scope() as session:
        _valid_reset_token(session, token)


def reset_password(token: str, raw: dict[str, str], client: ClientInfo) -> None:
    form = validate_form(NewPasswordForm, raw)
    with session_scope() as session:
        row = _valid_reset_token(session, token)
        user = session.get(User, row.user_id)
        if user is None:
            raise ServiceError("error.reset_link_used")
        problem = password_problem(
            form.password, personal_words=(user.first_name, user.last_name, user.email.split("@")[0])
        )
        if problem:
            raise FormError({"password": problem})
        user.password_hash = hash_password(form.password)
        row.used_at = utcnow()
        session.add_all([user, row])
        revoke_all_sessions(session, user.id)
        membership = _active_membership(session, user)
        _record_own_act(session, AuthAction.PASSWORD_RESET, user, membership, client)


def change_password(actor: Actor, current: str, new: str) -> None:
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        if not verify_password(current, user.password_hash):
            raise FormError({"current_password": "error.invalid_password"})
        problem = password_problem(new, personal_words=(user.first_name, user.last_name, user.email.split("@")[0]))
        if problem:
            raise FormError({"new_password": problem})
        user.password_hash = hash_password(new)
        session.add(user)
        revoke_all_sessions(session, user.id, keep=actor.session_id)
        audit.record(session, AuthAction.PASSWORD_CHANGED, actor=actor, target_type="user", target_id=user.id)


# ---------------------------------------------------------------- TOTP two-factor


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    provisioning_uri: str
    qr_svg_data_uri: str


def begin_totp_enrolment(actor: Actor) -> TotpEnrolment:
    """Store a new, unconfirmed secret; 2FA turns on only once a first valid code is entered."""
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        if user.totp_enabled_at is not None:
            raise ServiceError("error.2fa_already_enabled")
        secret = pyotp.random_base32()
        user.totp_secret_encrypted = encrypt_text(secret)
        user.totp_last_step = None
        session.add(user)
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)
    buffer = BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True)
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    return TotpEnrolment(secret=secret, provisioning_uri=uri, qr_svg_data_uri=data_uri)


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all():
        session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 10 hex characters, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=hash_token("recovery:" + raw)))
    return codes


def confirm_totp_enrolment(actor: Actor, code: str) -> list[str]:
    """Activate 2FA with a first valid code; returns the 10 single-use recovery codes."""
    code = code.strip().replace(" ", "")
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        if user.totp_secret_encrypted is None:
            raise ServiceError("error.2fa_not_started")
        if not code or not _verify_totp(user, code):
            raise FormError({"code": "error.2fa_invalid_code"})
        user.totp_enabled_at = utcnow()
        session.add(user)
        codes = _new_recovery_codes(session, user)
        audit.record(session, AuthAction.TWO_FACTOR_ENABLED, actor=actor, target_type="user", target_id=user.id)
    return codes


def disable_totp(actor: Actor, password: str) -> None:
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        if not verify_password(password, user.password_hash):
            raise FormError({"password": "error.invalid_password"})
        # Every organisation the user belongs to counts, not only the one of this session.
        requiring = session.exec(
            select(Organisation.id)
            .join(Membership, col(Membership.organisation_id) == Organisation.id)
            .where(
                Membership.user_id == user.id,
                col(Membership.is_active).is_(True),
                col(Organisation.require_2fa).is_(True),
            )
        ).first()
        if requiring is not None:
            raise ServiceError("error.2fa_required_by_org")
        user.totp_secret_encrypted = None
        user.totp_enabled_at = None
        user.totp_last_step = None
        session.add(user)
        for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all():
            session.delete(old)
        audit.record(session, AuthAction.TWO_FACTOR_DISABLED, actor=actor, target_type="user", target_id=user.id)


def remaining_recovery_codes(actor: Actor) -> int:
    with session_scope() as session:
        return session.exec(
            select(func.count()).where(RecoveryCode.user_id == actor.user_id, col(RecoveryCode.used_at).is_(None))
        ).one()


def set_locale(actor: Actor, locale: str) -> None:
    if locale not in {"fr", "en"}:
        raise FormError({"locale": "error.invalid_choice"})
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is not None:
            user.locale = locale
            session.add(user)
