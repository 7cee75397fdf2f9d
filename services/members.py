"""Organisations and their members: sign-up, invitations, roles and deactivation."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from services import audit, routes
from services.access import Actor, Permission, can, can_invite, get_scoped, own_organisation, require, scoped
from services.audit import AuthAction
from services.auth import ClientInfo, LoginSuccess, reauthenticate, revoke_all_sessions, start_login_session
from services.crypto import hash_token, new_token
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.forms import (
    AcceptInvitationForm,
    InvitationForm,
    OrganisationProfileForm,
    SignupForm,
    validate_form,
)
from services.i18n import translate
from services.mail import queue_mail
from services.models import Invitation, Membership, Organisation, Role, User, UserStatus
from services.models.base import utcnow
from services.passwords import hash_password, password_problem
from services.settings import get_settings


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "organisation"


def _unique_slug(session: Session, name: str) -> str:
    base = _slugify(name)
    slug, n = base, 1
    while session.exec(select(Organisation.id).where(Organisation.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _personal_words(first_name: str, last_name: str, email: str) -> tuple[str, ...]:
    return (first_name, last_name, email.split("@")[0])


def new_account(
    session: Session,
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    locale: str = "fr",
    errors: dict[str, str] | None = None,
) -> User:
    """Add a new user under the password policy and one account per e-mail address.

    ``errors`` carries the caller's own field errors, so that every problem is reported at once.
    """
    errors = dict(errors or {})
    problem = password_problem(password, personal_words=_personal_words(first_name, last_name, email))
    if problem:
        errors["password"] = problem
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        errors["email"] = "error.email_taken"
    if errors:
        raise FormError(errors)
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def join_and_log_in(
    session: Session,
    user: User,
    organisation_id: uuid.UUID,
    role: Role,
    client: ClientInfo,
    *,
    action: str,
    target: tuple[str, uuid.UUID] | None = None,
    changes: dict[str, Any] | None = None,
) -> LoginSuccess:
    """Make ``user`` a member with ``role``, audit it as the user's own act, and open their session.

    The one way a person enters an organisation by themself (sign-up, invitation, self-registration).
    ``target`` names the audited object; the new membership when omitted.
    """
    membership = Membership(user_id=user.id, organisation_id=organisation_id, role=role)
    session.add(membership)
    session.flush()
    target_type, target_id = target or ("membership", membership.id)
    audit.record(
        session,
        action,
        organisation_id=organisation_id,
        actor_user_id=user.id,
        actor_label=user.email,
        target_type=target_type,
        target_id=target_id,
        ip=client.ip,
        changes=changes if changes is not None else {"role": {"before": None, "after": str(role)}},
    )
    return start_login_session(session, user, membership, client)


# ---------------------------------------------------------------- organisation sign-up


def signup_organisation(raw: dict[str, str], client: ClientInfo) -> LoginSuccess:
    """Create an organisation with its first org_admin, and log that admin in."""
    form = validate_form(SignupForm, raw)
    with session_scope() as session:
        siret_taken = session.exec(select(Organisation.id).where(Organisation.siret == form.siret)).first()
        user = new_account(
            session,
            email=form.email,
            first_name=form.first_name,
            last_name=form.last_name,
            password=form.password,
            errors={"siret": "error.siret_taken"} if siret_taken is not None else None,
        )
        organisation = Organisation(
            name=form.organisation_name,
            slug=_unique_slug(session, form.organisation_name),
            siret=form.siret,
            nda_number=form.nda_number or None,
            contact_email=form.email,
        )
        session.add(organisation)
        session.flush()
        return join_and_log_in(
            session,
            user,
            organisation.id,
            Role.ORG_ADMIN,
            client,
            action=AuthAction.ORGANISATION_CREATED,
            target=("organisation", organisation.id),
            changes={
                "name": {"before": None, "after": organisation.name},
                "siret": {"before": None, "after": organisation.siret},
            },
        )


# ---------------------------------------------------------------- invitations


def invitation_link(token: str) -> str:
    return get_settings().public_url.rstrip("/") + routes.with_token(routes.INVITATION, token)


def _send_invitation_mail(session: Session, invitation: Invitation, organisation: Organisation, token: str) -> None:
    role_label = translate(f"role.{invitation.role}", "fr")
    queue_mail(
        session,
        to=invitation.email,
        subject=translate("mail.invitation.subject", "fr", organisation=organisation.name),
        body=translate(
            "mail.invitation.body",
            "fr",
            organisation=organisation.name,
            role=role_label,
            link=invitation_link(token),
            days=get_settings().invitation_ttl_days,
        ),
        organisation_id=organisation.id,
    )


def invite(actor: Actor, raw: dict[str, str]) -> Invitation:
    """Invite someone into the actor's organisation with a role the actor may grant."""
    require(actor, Permission.INVITE_MEMBERS)
    form = validate_form(InvitationForm, raw)
    if not can_invite(actor, form.role):
        raise FormError({"role": "error.role_not_allowed"})
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        existing_member = session.exec(
            select(Membership.id)
            .join(User, col(User.id) == Membership.user_id)
            .where(User.email == form.email, Membership.organisation_id == organisation.id)
        ).first()
        if existing_member is not None:
            raise FormError({"email": "error.already_member"})
        for pending in session.exec(
            scoped(Invitation, actor).where(
                Invitation.email == form.email,
                col(Invitation.accepted_at).is_(None),
                col(Invitation.revoked_at).is_(None),
            )
        ).all():
            pending.revoked_at = utcnow()
            session.add(pending)
        token = new_token()
        invitation = Invitation(
            organisation_id=organisation.id,
            email=form.email,
            role=form.role,
            token_hash=hash_token(token),
            invited_by_id=actor.user_id,
            expires_at=utcnow() + timedelta(days=get_settings().invitation_ttl_days),
        )
        session.add(invitation)
        _send_invitation_mail(session, invitation, organisation, token)
        audit.record(
            session,
            AuthAction.INVITATION_SENT,
            actor=actor,
            target_type="invitation",
            target_id=invitation.id,
            changes={"email": {"before": None, "after": form.email}, "role": {"before": None, "after": str(form.role)}},
        )
        return invitation


def resend_invitation(actor: Actor, invitation_id: uuid.UUID | str) -> None:
    """Issue a fresh link (the old one stops working). Admins, or the consultant who invited."""
    require(actor, Permission.INVITE_MEMBERS)
    with session_scope() as session:
        invitation = get_scoped(session, Invitation, invitation_id, actor)
        if not can(actor, Permission.MANAGE_MEMBERS) and invitation.invited_by_id != actor.user_id:
            raise NotFound()
        if invitation.accepted_at is not None:
            raise ServiceError("error.invitation_used")
        if invitation.revoked_at is not None:
            # Replaced by a newer invitation: only that one may be resent, so one link at most is live.
            raise ServiceError("error.invitation_unknown")
        organisation = session.get(Organisation, invitation.organisation_id)
        assert organisation is not None
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.expires_at = utcnow() + timedelta(days=get_settings().invitation_ttl_days)
        session.add(invitation)
        _send_invitation_mail(session, invitation, organisation, token)
        audit.record(
            session, AuthAction.INVITATION_RESENT, actor=actor, target_type="invitation", target_id=invitation.id
        )


@dataclass(frozen=True)
class InvitationView:
    status: str  # valid | expired | used | unknown
    organisation_name: str = ""
    email: str = ""
    role: str = ""
    existing_account: bool = False
    existing_account_2fa: bool = False


def _invitation_by_token(session: Session, token: str) -> Invitation | None:
    return session.exec(select(Invitation).where(Invitation.token_hash == hash_token(token))).first() if token else None


def _status_of(invitation: Invitation | None) -> str:
    if invitation is None or invitation.revoked_at is not None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expires_at <= utcnow():
        return "expired"
    return "valid"


def describe_invitation(token: str) -> InvitationView:
    with session_scope() as session:
        invitation = _invitation_by_token(session, token)
        status = _status_of(invitation)
        if invitation is None or status == "unknown":
            return InvitationView(status="unknown")
        organisation = session.get(Organisation, invitation.organisation_id)
        existing = session.exec(select(User).where(User.email == invitation.email)).first()
        return InvitationView(
            status=status,
            organisation_name=organisation.name if organisation else "",
            email=invitation.email,
            role=str(invitation.role),
            existing_account=existing is not None,
            existing_account_2fa=existing is not None and existing.totp_enabled_at is not None,
        )


def accept_invitation(token: str, raw: dict[str, str], client: ClientInfo) -> LoginSuccess:
    """Create the account (or join with an existing one) and log the new member in.

    An existing account joins by logging in: password, the same brute-force limits, and its second
    factor (``code``) when 2FA is on.
    """
    failure: ServiceError | None = None
    with session_scope() as session:
        invitation = _invitation_by_token(session, token)
        status = _status_of(invitation)
        if invitation is None or status != "valid":
            raise ServiceError(f"error.invitation_{status}")
        organisation = session.get(Organisation, invitation.organisation_id)
        if organisation is None or not organisation.is_active:
            raise ServiceError("error.invitation_unknown")
        user = session.exec(select(User).where(User.email == invitation.email)).first()
        if user is not None:
            failure = reauthenticate(session, user, raw.get("password", ""), raw.get("code", ""), client)
            already = (
                None
                if failure is not None
                else session.exec(
                    select(Membership.id).where(
                        Membership.user_id == user.id, Membership.organisation_id == organisation.id
                    )
                ).first()
            )
            if already is not None:
                # e.g. the person already joined through another invitation.
                raise ServiceError("error.already_member")
        else:
            form = validate_form(AcceptInvitationForm, raw)
            user = new_account(
                session,
                email=invitation.email,
                first_name=form.first_name,
                last_name=form.last_name,
                password=form.password,
            )
        if failure is None:
            invitation.accepted_at = utcnow()
            session.add(invitation)
            return join_and_log_in(
                session,
                user,
                organisation.id,
                invitation.role,
                client,
                action=AuthAction.INVITATION_ACCEPTED,
                target=("invitation", invitation.id),
            )
    assert failure is not None
    raise failure


def renew_expired_invitation(token: str, client: ClientInfo) -> None:
    """The invitee of an expired link asks for a new one; it is mailed to the invited address only."""
    with session_scope() as session:
        invitation = _invitation_by_token(session, token)
        if invitation is None or _status_of(invitation) != "expired":
            raise ServiceError("error.invitation_not_renewable")
        organisation = session.get(Organisation, invitation.organisation_id)
        if organisation is None or not organisation.is_active:
            raise ServiceError("error.invitation_not_renewable")
        new = new_token()
        invitation.token_hash = hash_token(new)
        invitation.expires_at = utcnow() + timedelta(days=get_settings().invitation_ttl_days)
        session.add(invitation)
        _send_invitation_mail(session, invitation, organisation, new)
        audit.record(
            session,
            AuthAction.INVITATION_RESENT,
            organisation_id=organisation.id,
            actor_label=invitation.email,
            target_type="invitation",
            target_id=invitation.id,
            ip=client.ip,
            changes={"requested_by": {"before": None, "after": "invitee"}},
        )


# ---------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberRow:
    membership_id: str
    user_id: str
    name: str
    email: str
    role: str
    is_active: bool
    last_login_at: datetime | None
    two_factor: bool


@dataclass(frozen=True)
class InvitationRow:
    invitation_id: str
    email: str
    role: str
    expires_at: datetime
    status: str  # pending | expired | accepted


def _invitation_row(invitation: Invitation) -> InvitationRow:
    status = _status_of(invitation)
    return InvitationRow(
        invitation_id=str(invitation.id),
        email=invitation.email,
        role=str(invitation.role),
        expires_at=invitation.expires_at,
        status={"valid": "pending", "used": "accepted"}.get(status, status),
    )


def list_members(actor: Actor) -> tuple[list[MemberRow], list[InvitationRow]]:
    require(actor, Permission.MANAGE_MEMBERS)
    with session_scope() as session:
        rows = session.exec(
            scoped(Membership, actor)
            .join(User, col(User.id) == Membership.user_id)
            .order_by(col(User.last_name), col(User.first_name))
        ).all()
        users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_([m.user_id for m in rows])))}
        members = [
            MemberRow(
                membership_id=str(m.id),
                user_id=str(m.user_id),
                name=users[m.user_id].full_name,
                email=users[m.user_id].email,
                role=str(m.role),
                is_active=m.is_active and users[m.user_id].status == UserStatus.ACTIVE,
                last_login_at=users[m.user_id].last_login_at,
                two_factor=users[m.user_id].totp_enabled_at is not None,
            )
            for m in rows
        ]
        pending = [
            _invitation_row(invitation)
            for invitation in session.exec(
                scoped(Invitation, actor)
                .where(col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None))
                .order_by(col(Invitation.created_at).desc())
            )
        ]
    return members, pending


def list_sent_invitations(actor: Actor) -> list[InvitationRow]:
    """The invitations the actor sent themself (a consultant follows the beneficiaries they invited)."""
    require(actor, Permission.INVITE_MEMBERS)
    with session_scope() as session:
        return [
            _invitation_row(invitation)
            for invitation in session.exec(
                scoped(Invitation, actor)
                .where(Invitation.invited_by_id == actor.user_id, col(Invitation.revoked_at).is_(None))
                .order_by(col(Invitation.created_at).desc())
                .limit(200)
            )
        ]


def _active_admin_count(session: Session, organisation_id: uuid.UUID) -> int:
    return session.exec(
        select(func.count()).where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.ORG_ADMIN,
            col(Membership.is_active).is_(True),
        )
    ).one()


def change_role(actor: Actor, membership_id: uuid.UUID | str, role: Role | str) -> None:
    require(actor, Permission.MANAGE_MEMBERS)
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise FormError({"role": "error.invalid_choice"}) from exc
    if new_role is Role.PLATFORM_ADMIN:
        raise FormError({"role": "error.role_not_allowed"})
    with session_scope() as session:
        membership = get_scoped(session, Membership, membership_id, actor)
        if membership.role == new_role:
            return
        if (
            membership.role == Role.ORG_ADMIN
            and membership.is_active
            and _active_admin_count(session, membership.organisation_id) <= 1
        ):
            raise ServiceError("error.last_admin")
        before = str(membership.role)
        membership.role = new_role
        session.add(membership)
        revoke_all_sessions(session, membership.user_id)
        audit.record(
            session,
            AuthAction.ROLE_CHANGED,
            actor=actor,
            target_type="membership",
            target_id=membership.id,
            changes=audit.diff({"role": before}, {"role": str(new_role)}),
        )


def set_member_active(actor: Actor, membership_id: uuid.UUID | str, active: bool) -> None:
    """Deactivate (and log out everywhere) or reactivate a member of the organisation."""
    require(actor, Permission.MANAGE_MEMBERS)
    with session_scope() as session:
        membership = get_scoped(session, Membership, membership_id, actor)
        if membership.is_active == active:
            return
        if not active:
            if membership.user_id == actor.user_id:
                raise ServiceError("error.cannot_deactivate_self")
            if membership.role == Role.ORG_ADMIN and _active_admin_count(session, membership.organisation_id) <= 1:
                raise ServiceError("error.last_admin")
            revoke_all_sessions(session, membership.user_id)
        membership.is_active = active
        session.add(membership)
        audit.record(
            session,
            AuthAction.MEMBER_REACTIVATED if active else AuthAction.MEMBER_DEACTIVATED,
            actor=actor,
            target_type="membership",
            target_id=membership.id,
            changes=audit.diff({"is_active": not active}, {"is_active": active}),
        )


# ---------------------------------------------------------------- organisation settings


@dataclass(frozen=True)
class OrganisationView:
    id: str
    name: str
    slug: str
    siret: str
    nda_number: str
    plan: str
    require_2fa: bool
    is_active: bool
    created_at: datetime
    member_count: int = 0


def _view(organisation: Organisation, member_count: int = 0) -> OrganisationView:
    return OrganisationView(
        id=str(organisation.id),
        name=organisation.name,
        slug=organisation.slug,
        siret=organisation.siret,
        nda_number=organisation.nda_number or "",
        plan=str(organisation.plan),
        require_2fa=organisation.require_2fa,
        is_active=organisation.is_active,
        created_at=organisation.created_at,
        member_count=member_count,
    )


def get_organisation(actor: Actor) -> OrganisationView:
    if actor.organisation_id is None:
        raise NotFound()
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        return _view(organisation)


PROFILE_FIELDS = (
    "address",
    "contact_email",
    "contact_phone",
    "price_euros",
    "default_hours",
    "min_hours",
    "access_delay_days",
    "modes",
    "disability_contact",
    "public_description",
    "preliminary_interview_before_convention",
    "booking_notice_hours",
)


def _record_organisation_update(
    session: Session, actor: Actor, organisation: Organisation, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Audit a change of the organisation's settings, field by field."""
    audit.record(
        session,
        AuthAction.ORGANISATION_UPDATED,
        actor=actor,
        target_type="organisation",
        target_id=organisation.id,
        changes=audit.diff(before, after),
    )


def get_organisation_profile(actor: Actor) -> dict[str, object]:
    """The editable public information of the actor's organisation."""
    require(actor, Permission.MANAGE_ORGANISATION)
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        # Only a missing value is blank: 0 hours or a False setting are stored values like any other.
        return {
            name: "" if getattr(organisation, name) is None else getattr(organisation, name) for name in PROFILE_FIELDS
        }


def update_organisation_profile(actor: Actor, raw: dict[str, object]) -> None:
    """Save the public information; the bilan duration can never exceed the legal 24 hours."""
    require(actor, Permission.MANAGE_ORGANISATION)
    form = validate_form(OrganisationProfileForm, raw)
    if form.min_hours > form.default_hours:
        raise FormError({"min_hours": "error.min_over_default"})
    if not form.modes:
        raise FormError({"modes": "error.required"})
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        before = {name: getattr(organisation, name) for name in PROFILE_FIELDS}
        values = form.model_dump()
        values["modes"] = ",".join(str(mode) for mode in form.modes)
        values["public_description"] = form.public_description.strip()
        values["contact_email"] = form.contact_email or None
        for name in PROFILE_FIELDS:
            setattr(organisation, name, values[name])
        session.add(organisation)
        _record_organisation_update(
            session, actor, organisation, before, {name: getattr(organisation, name) for name in PROFILE_FIELDS}
        )


def set_require_2fa(actor: Actor, required: bool) -> None:
    require(actor, Permission.MANAGE_ORGANISATION)
    with session_scope() as session:
        organisation = own_organisation(session, actor)
        if organisation.require_2fa == required:
            return
        organisation.require_2fa = required
        session.add(organisation)
        _record_organisation_update(
            session, actor, organisation, {"require_2fa": not required}, {"require_2fa": required}
        )


def list_organisations(actor: Actor) -> list[OrganisationView]:
    """Every organisation with its member count (platform admin only; no bilan content)."""
    require(actor, Permission.VIEW_ORGANISATIONS)
    with session_scope() as session:
        counts = dict(
            session.exec(
                select(Membership.organisation_id, func.count())
                .where(col(Membership.is_active).is_(True))
                .group_by(col(Membership.organisation_id))
            ).all()
        )
        return [
            _view(o, counts.get(o.id, 0))
            for o in session.exec(select(Organisation).order_by(col(Organisation.created_at).desc()))
        ]


CONSULTANT_PROFILE_FIELDS = {"headline": 200, "specialities": 300, "availability": 200}


def _own_consultant_membership(session: Session, actor: Actor) -> Membership:
    if actor.role is not Role.CONSULTANT:
        raise AccessDenied()
    membership = session.exec(
        scoped(Membership, actor).where(Membership.user_id == actor.user_id, col(Membership.is_active).is_(True))
    ).first()
    if membership is None:
        raise NotFound()
    return membership


def get_consultant_profile(actor: Actor) -> dict[str, str]:
    """The consultant's own directory profile (shown to beneficiaries choosing a consultant)."""
    with session_scope() as session:
        membership = _own_consultant_membership(session, actor)
        return {name: getattr(membership, name) for name in CONSULTANT_PROFILE_FIELDS}


def update_consultant_profile(actor: Actor, raw: dict[str, object]) -> None:
    values = {name: " ".join(str(raw.get(name) or "").split()) for name in CONSULTANT_PROFILE_FIELDS}
    too_long = {
        name: "error.too_long" for name, limit in CONSULTANT_PROFILE_FIELDS.items() if len(values[name]) > limit
    }
    if too_long:
        raise FormError(too_long)
    with session_scope() as session:
        membership = _own_consultant_membership(session, actor)
        before = {name: getattr(membership, name) for name in CONSULTANT_PROFILE_FIELDS}
        for name, value in values.items():
            setattr(membership, name, value)
        session.add(membership)
        audit.record(
            session,
            AuthAction.PROFILE_UPDATED,
            actor=actor,
            target_type="membership",
            target_id=membership.id,
            changes=audit.diff(before, values),
        )
