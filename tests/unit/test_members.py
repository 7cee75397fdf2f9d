"""services.members: organisation sign-up, invitations, roles, deactivation, organisation settings."""

import time
import uuid
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import col, select

from services import auth, members
from services.access import Actor
from services.audit import AuthAction
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, RateLimited, ServiceError
from services.models import AuditEvent, Invitation, LoginSession, Membership, Organisation, Role, User
from services.models.base import utcnow
from services.settings import get_settings

STRONG = "Horizon-Lointain-Argente-64"
CLIENT = auth.ClientInfo(ip="192.0.2.10", user_agent="pytest")
SIGNUP = {
    "organisation_name": "Orientation Plus",
    "siret": "73282932000074",
    "nda_number": "11755555575",
    "first_name": "Hélène",
    "last_name": "Rousseau",
    "email": "helene@orientation-plus.fr",
    "password": STRONG,
}


def membership_row(membership_id):
    with session_scope() as session:
        return session.get(Membership, membership_id)


def invitation_row(invitation_id):
    with session_scope() as session:
        return session.get(Invitation, invitation_id)


def audit_rows(action):
    with session_scope() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.action == str(action))).all()


def accept(token, first="Nina", last="Lemoine", password=STRONG, ip="192.0.2.20"):
    return members.accept_invitation(
        token, {"first_name": first, "last_name": last, "password": password}, auth.ClientInfo(ip=ip)
    )


# ---------------------------------------------------------------- sign-up


def test_signup_creates_organisation_admin_and_session():
    result = members.signup_organisation(SIGNUP, CLIENT)
    assert result.home_route == "/admin/utilisateurs"
    info = auth.resolve_session(result.token)
    assert info.actor.role is Role.ORG_ADMIN
    assert info.organisation_name == "Orientation Plus"
    assert info.organisation_slug == "orientation-plus"
    assert info.email == "helene@orientation-plus.fr"
    assert info.user_name == "Hélène Rousseau"
    with session_scope() as session:
        organisation = session.get(Organisation, info.actor.organisation_id)
        user = session.get(User, info.actor.user_id)
    assert organisation.siret == "73282932000074"
    assert organisation.nda_number == "11755555575"
    assert organisation.contact_email == "helene@orientation-plus.fr"
    assert user.password_hash.startswith("$argon2id$")
    created = audit_rows(AuthAction.ORGANISATION_CREATED)
    assert len(created) == 1
    assert created[0].organisation_id == organisation.id
    assert created[0].actor_user_id == user.id
    assert created[0].ip == "192.0.2.10"
    assert created[0].changes["siret"] == {"before": None, "after": "73282932000074"}


def test_signup_duplicates_are_refused(world):
    admin = world.person("admin_a")
    duplicate = {**SIGNUP, "email": admin.email.upper()}
    with pytest.raises(FormError) as caught:
        members.signup_organisation(duplicate, CLIENT)
    assert caught.value.fields == {"email": "error.email_taken"}
    with pytest.raises(FormError) as caught:
        members.signup_organisation({**SIGNUP, "siret": "335 141 719 53640"}, CLIENT)
    assert caught.value.fields == {"siret": "error.siret_taken"}
    with pytest.raises(FormError) as caught:
        members.signup_organisation(
            {**SIGNUP, "siret": "33514171953640", "email": admin.email, "password": "azertyuiop12"}, CLIENT
        )
    assert caught.value.fields == {
        "siret": "error.siret_taken",
        "email": "error.email_taken",
        "password": "error.password_common",
    }
    with session_scope() as session:
        assert len(session.exec(select(Organisation)).all()) == 2


def test_signup_validation_errors():
    with pytest.raises(FormError) as caught:
        members.signup_organisation({**SIGNUP, "siret": "73282932000075", "email": "x"}, CLIENT)
    assert caught.value.fields == {"siret": "error.siret_invalid", "email": "error.email_invalid"}
    with pytest.raises(FormError) as caught:
        members.signup_organisation({**SIGNUP, "password": "Rousseau-Solide-2026"}, CLIENT)
    assert caught.value.fields == {"password": "error.password_personal"}
    with session_scope() as session:
        assert session.exec(select(Organisation)).all() == []
        assert session.exec(select(User)).all() == []


def test_same_name_gets_a_unique_slug(world):
    result = members.signup_organisation({**SIGNUP, "organisation_name": "Cabinet Alpha"}, CLIENT)
    assert auth.resolve_session(result.token).organisation_slug == "cabinet-alpha-2"


# ---------------------------------------------------------------- invitations


@pytest.mark.parametrize(
    ("inviter", "role", "allowed"),
    [
        ("admin_a", Role.CONSULTANT, True),
        ("admin_a", Role.BENEFICIARY, True),
        ("admin_a", Role.ORG_ADMIN, True),
        ("admin_a", Role.PLATFORM_ADMIN, False),
        ("consultant_a", Role.BENEFICIARY, True),
        ("consultant_a", Role.CONSULTANT, False),
        ("consultant_a", Role.ORG_ADMIN, False),
        ("consultant_a", Role.PLATFORM_ADMIN, False),
    ],
)
def test_invite_role_rules(world, outbox, inviter, role, allowed):
    email = "nouvelle.personne@exemple.fr"
    if not allowed:
        with pytest.raises(FormError) as caught:
            members.invite(world.actor(inviter), {"email": email, "role": str(role)})
        assert caught.value.fields == {"role": "error.role_not_allowed"}
        assert outbox.messages(email) == []
        return
    invitation = members.invite(world.actor(inviter), {"email": email, "role": str(role)})
    assert invitation.role is role
    assert invitation.organisation_id == world.org_a
    assert invitation.invited_by_id == world.actor(inviter).user_id


def test_beneficiary_may_not_invite(world, outbox):
    with pytest.raises(AccessDenied):
        members.invite(world.beneficiary_a, {"email": "x@exemple.fr", "role": "beneficiary"})
    assert outbox.messages("x@exemple.fr") == []


def test_invitation_mail_is_queued_with_a_working_link(world, outbox):
    invitation = members.invite(world.admin_a, {"email": " Nina.Lemoine@Exemple.FR ", "role": "consultant"})
    assert invitation.email == "nina.lemoine@exemple.fr"
    assert abs(invitation.expires_at - (utcnow() + timedelta(days=get_settings().invitation_ttl_days))) < timedelta(
        minutes=1
    )
    message, body = outbox.last("nina.lemoine@exemple.fr")
    assert message.subject == "Invitation à rejoindre Cabinet Alpha sur BilanCompetence.AI"
    assert message.organisation_id == world.org_a
    assert message.status == "outbox"
    assert "Consultant·e" in body
    assert f"{get_settings().public_url}/invitation/" in body
    token = outbox.link_token("nina.lemoine@exemple.fr")
    assert invitation_row(invitation.id).token_hash != token
    view = members.describe_invitation(token)
    assert view.status == "valid"
    assert view.organisation_name == "Cabinet Alpha"
    assert view.email == "nina.lemoine@exemple.fr"
    assert view.role == "consultant"
    assert view.existing_account is False


def test_inviting_a_member_again_is_refused(world):
    with pytest.raises(FormError) as caught:
        members.invite(world.admin_a, {"email": world.person("consultant_a").email, "role": "beneficiary"})
    assert caught.value.fields == {"email": "error.already_member"}


def test_a_new_invitation_replaces_the_pending_one(world, outbox):
    first = members.invite(world.admin_a, {"email": "nina@exemple.fr", "role": "beneficiary"})
    first_token = outbox.link_token("nina@exemple.fr")
    second = members.invite(world.admin_a, {"email": "nina@exemple.fr", "role": "consultant"})
    assert invitation_row(first.id).revoked_at is not None
    assert members.describe_invitation(first_token).status == "unknown"
    with pytest.raises(ServiceError) as caught:
        accept(first_token)
    assert caught.value.code == "error.invitation_unknown"
    result = accept(outbox.link_token("nina@exemple.fr"))
    assert auth.resolve_session(result.token).actor.role is Role.CONSULTANT
    assert invitation_row(second.id).accepted_at is not None


def test_accept_creates_the_account_and_logs_in(world, outbox):
    invitation = members.invite(world.consultant_a, {"email": "nina@exemple.fr", "role": "beneficiary"})
    token = outbox.link_token("nina@exemple.fr")
    result = accept(token)
    assert result.home_route == "/mon-espace"
    info = auth.resolve_session(result.token)
    assert info.actor.role is Role.BENEFICIARY
    assert info.actor.organisation_id == world.org_a
    assert info.user_name == "Nina Lemoine"
    assert invitation_row(invitation.id).accepted_at is not None
    # The link is now used.
    assert members.describe_invitation(token).status == "used"
    with pytest.raises(ServiceError) as caught:
        accept(token)
    assert caught.value.code == "error.invitation_used"
    accepted = audit_rows(AuthAction.INVITATION_ACCEPTED)
    assert [(e.organisation_id, e.actor_user_id, e.ip) for e in accepted if e.target_id == str(invitation.id)] == [
        (world.org_a, info.actor.user_id, "192.0.2.20")
    ]


def test_accept_validates_the_new_account(world):
    token = world.invitation_token("pending_a")
    with pytest.raises(FormError) as caught:
        members.accept_invitation(token, {"first_name": "", "last_name": "X", "password": STRONG}, CLIENT)
    assert caught.value.fields == {"first_name": "error.required"}
    with pytest.raises(FormError) as caught:
        accept(token, password="court")
    assert caught.value.fields == {"password": "error.password_too_short"}
    with pytest.raises(FormError) as caught:
        accept(token, password="en-attente-2026-Solide")  # contains the e-mail's local part
    assert caught.value.fields == {"password": "error.password_personal"}
    assert members.describe_invitation(token).status == "valid"


def test_an_existing_account_joins_with_its_password(world, outbox):
    joiner = world.person("beneficiary_b")
    members.invite(world.admin_a, {"email": joiner.email, "role": "beneficiary"})
    token = outbox.link_token(joiner.email)
    assert members.describe_invitation(token).existing_account is True
    with pytest.raises(FormError) as caught:
        members.accept_invitation(token, {"password": "Mauvais-Mot-De-Passe-99"}, CLIENT)
    assert caught.value.fields == {"password": "error.invalid_credentials"}
    result = members.accept_invitation(token, {"password": joiner.password}, CLIENT)
    info = auth.resolve_session(result.token)
    assert info.actor.user_id == joiner.user_id
    assert info.actor.organisation_id == world.org_a
    # Still a member of B with the older session.
    assert auth.resolve_session(joiner.token).actor.organisation_id == world.org_b


def test_unknown_token(world):
    assert members.describe_invitation("").status == "unknown"
    assert members.describe_invitation("rien-du-tout").status == "unknown"
    with pytest.raises(ServiceError) as caught:
        accept("rien-du-tout")
    assert caught.value.code == "error.invitation_unknown"


def _expire(invitation_id):
    with session_scope() as session:
        row = session.get(Invitation, invitation_id)
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.add(row)


def test_expired_invitation_and_renewal(world, outbox):
    email = "en-attente@alpha-conseil.fr"
    old_token = world.invitation_token("pending_a")
    _expire(world.invitation_id("pending_a"))
    assert members.describe_invitation(old_token).status == "expired"
    with pytest.raises(ServiceError) as caught:
        accept(old_token)
    assert caught.value.code == "error.invitation_expired"
    mails_before = len(outbox.messages(email))

    members.renew_expired_invitation(old_token, auth.ClientInfo(ip="192.0.2.30"))
    assert len(outbox.messages(email)) == mails_before + 1
    new_token = outbox.link_token(email)
    assert new_token != old_token
    # The old link is dead, and cannot be renewed twice.
    assert members.describe_invitation(old_token).status == "unknown"
    with pytest.raises(ServiceError) as caught:
        accept(old_token)
    assert caught.value.code == "error.invitation_unknown"
    with pytest.raises(ServiceError) as caught:
        members.renew_expired_invitation(old_token, CLIENT)
    assert caught.value.code == "error.invitation_not_renewable"
    assert members.describe_invitation(new_token).status == "valid"
    result = accept(new_token)
    assert auth.resolve_session(result.token).actor.organisation_id == world.org_a
    renewed = [
        e for e in audit_rows(AuthAction.INVITATION_RESENT) if e.target_id == str(world.invitation_id("pending_a"))
    ]
    assert len(renewed) == 1 and renewed[0].ip == "192.0.2.30" and renewed[0].organisation_id == world.org_a


def test_a_valid_invitation_cannot_be_renewed(world):
    with pytest.raises(ServiceError) as caught:
        members.renew_expired_invitation(world.invitation_token("pending_a"), CLIENT)
    assert caught.value.code == "error.invitation_not_renewable"


def test_resend_invitation_issues_a_new_link(world, outbox):
    email = "en-attente@alpha-conseil.fr"
    old_token = world.invitation_token("pending_a")
    _expire(world.invitation_id("pending_a"))
    members.resend_invitation(world.admin_a, world.invitation_id("pending_a"))
    new_token = outbox.link_token(email)
    assert new_token != old_token
    assert members.describe_invitation(old_token).status == "unknown"
    assert members.describe_invitation(new_token).status == "valid"
    assert invitation_row(world.invitation_id("pending_a")).expires_at > utcnow() + timedelta(days=6)
    assert len(audit_rows(AuthAction.INVITATION_RESENT)) == 1


def test_consultant_resends_only_own_invitations(world, outbox):
    members.resend_invitation(world.consultant_a, world.invitation_id("pending_a_by_consultant"))
    assert outbox.link_token("invite-conseil@alpha-conseil.fr") != world.invitation_token("pending_a_by_consultant")
    with pytest.raises(NotFound):
        members.resend_invitation(world.consultant_a, world.invitation_id("pending_a"))
    assert members.describe_invitation(world.invitation_token("pending_a")).status == "valid"


def test_accepted_invitation_cannot_be_resent(world):
    accept(world.invitation_token("pending_a"))
    with pytest.raises(ServiceError) as caught:
        members.resend_invitation(world.admin_a, world.invitation_id("pending_a"))
    assert caught.value.code == "error.invitation_used"


# ---------------------------------------------------------------- members


def test_list_members(world):
    rows, pending = members.list_members(world.admin_a)
    assert {row.email for row in rows} == {world.person(k).email for k in ("admin_a", "consultant_a", "beneficiary_a")}
    by_email = {row.email: row for row in rows}
    consultant = by_email[world.person("consultant_a").email]
    assert consultant.role == "consultant"
    assert consultant.membership_id == str(world.person("consultant_a").membership_id)
    assert consultant.is_active is True
    assert consultant.last_login_at is not None
    assert consultant.two_factor is False
    assert {p.email for p in pending} == {"en-attente@alpha-conseil.fr", "invite-conseil@alpha-conseil.fr"}
    assert {p.status for p in pending} == {"pending"}
    _expire(world.invitation_id("pending_a"))
    _, pending = members.list_members(world.admin_a)
    assert {p.email: p.status for p in pending} == {
        "en-attente@alpha-conseil.fr": "expired",
        "invite-conseil@alpha-conseil.fr": "pending",
    }


def test_list_sent_invitations(world):
    accept(world.invitation_token("pending_a_by_consultant"))
    rows = members.list_sent_invitations(world.consultant_a)
    by_email = {row.email: row.status for row in rows}
    # Only the consultant's own invitations: the beneficiary (accepted at build time) and the one just accepted.
    assert by_email == {
        world.person("beneficiary_a").email: "accepted",
        "invite-conseil@alpha-conseil.fr": "accepted",
    }
    admin_rows = {row.email for row in members.list_sent_invitations(world.admin_a)}
    assert admin_rows == {world.person("consultant_a").email, "en-attente@alpha-conseil.fr"}


def test_change_role(world):
    target = world.person("consultant_a")
    members.change_role(world.admin_a, target.membership_id, "beneficiary")
    assert membership_row(target.membership_id).role is Role.BENEFICIARY
    # The member's sessions end: the new role applies at the next login.
    assert auth.resolve_session(target.token) is None
    _, actor = world.login("consultant_a")
    assert actor.role is Role.BENEFICIARY
    changed = audit_rows(AuthAction.ROLE_CHANGED)
    assert len(changed) == 1
    assert changed[0].changes == {"role": {"before": "consultant", "after": "beneficiary"}}
    assert changed[0].actor_user_id == world.admin_a.user_id
    # Same role again: nothing happens.
    members.change_role(world.admin_a, target.membership_id, Role.BENEFICIARY)
    assert len(audit_rows(AuthAction.ROLE_CHANGED)) == 1


def test_change_role_refusals(world):
    admin = world.person("admin_a")
    with pytest.raises(FormError) as caught:
        members.change_role(world.admin_a, world.person("consultant_a").membership_id, "platform_admin")
    assert caught.value.fields == {"role": "error.role_not_allowed"}
    with pytest.raises(FormError) as caught:
        members.change_role(world.admin_a, world.person("consultant_a").membership_id, "patron")
    assert caught.value.fields == {"role": "error.invalid_choice"}
    with pytest.raises(ServiceError) as caught:
        members.change_role(world.admin_a, admin.membership_id, "consultant")
    assert caught.value.code == "error.last_admin"
    assert membership_row(admin.membership_id).role is Role.ORG_ADMIN


def test_an_admin_may_step_down_when_another_admin_exists(world):
    members.change_role(world.admin_a, world.person("consultant_a").membership_id, "org_admin")
    members.change_role(world.admin_a, world.person("admin_a").membership_id, "consultant")
    assert membership_row(world.person("admin_a").membership_id).role is Role.CONSULTANT


def test_deactivation_revokes_sessions_and_reactivation(world):
    target = world.person("consultant_a")
    token2, _ = world.login("consultant_a")
    members.set_member_active(world.admin_a, target.membership_id, False)
    assert membership_row(target.membership_id).is_active is False
    with session_scope() as session:
        live = session.exec(
            select(LoginSession).where(LoginSession.user_id == target.user_id, col(LoginSession.revoked_at).is_(None))
        ).all()
    assert live == []
    assert auth.resolve_session(token2) is None
    rows, _ = members.list_members(world.admin_a)
    assert {r.email: r.is_active for r in rows}[target.email] is False
    deactivated = audit_rows(AuthAction.MEMBER_DEACTIVATED)
    assert len(deactivated) == 1 and deactivated[0].changes == {"is_active": {"before": True, "after": False}}

    members.set_member_active(world.admin_a, target.membership_id, True)
    assert membership_row(target.membership_id).is_active is True
    assert len(audit_rows(AuthAction.MEMBER_REACTIVATED)) == 1
    world.login("consultant_a")


def test_cannot_deactivate_self(world):
    with pytest.raises(ServiceError) as caught:
        members.set_member_active(world.admin_a, world.person("admin_a").membership_id, False)
    assert caught.value.code == "error.cannot_deactivate_self"
    assert membership_row(world.person("admin_a").membership_id).is_active is True


def test_cannot_deactivate_the_last_admin(world):
    # Reachable only with an actor that is not itself a counted admin (e.g. a stale role).
    stale = Actor(user_id=world.consultant_a.user_id, role=Role.ORG_ADMIN, organisation_id=world.org_a)
    with pytest.raises(ServiceError) as caught:
        members.set_member_active(stale, world.person("admin_a").membership_id, False)
    assert caught.value.code == "error.last_admin"
    assert membership_row(world.person("admin_a").membership_id).is_active is True


def test_two_admins_may_deactivate_each_other_but_not_the_last(world, outbox):
    members.invite(world.admin_a, {"email": "second.admin@alpha-conseil.fr", "role": "org_admin"})
    result = accept(outbox.link_token("second.admin@alpha-conseil.fr"), first="Sacha", last="Second")
    second = auth.resolve_session(result.token).actor
    members.set_member_active(second, world.person("admin_a").membership_id, False)
    assert auth.resolve_session(world.person("admin_a").token) is None


# ---------------------------------------------------------------- organisation settings


def test_get_organisation(world):
    view = members.get_organisation(world.beneficiary_a)
    assert view.id == str(world.org_a)
    assert view.name == "Cabinet Alpha"
    assert view.siret == "33514171953640"
    assert view.require_2fa is False
    assert view.is_active is True
    with pytest.raises(NotFound):
        members.get_organisation(world.platform)


def test_set_require_2fa(world):
    members.set_require_2fa(world.admin_a, True)
    assert members.get_organisation(world.admin_a).require_2fa is True
    assert members.get_organisation(world.admin_b).require_2fa is False
    updated = audit_rows(AuthAction.ORGANISATION_UPDATED)
    assert len(updated) == 1
    assert updated[0].changes == {"require_2fa": {"before": False, "after": True}}
    members.set_require_2fa(world.admin_a, True)  # unchanged: no new event
    assert len(audit_rows(AuthAction.ORGANISATION_UPDATED)) == 1
    members.set_require_2fa(world.admin_a, False)
    assert members.get_organisation(world.admin_a).require_2fa is False


def test_list_organisations_for_the_platform_admin(world):
    views = members.list_organisations(world.platform)
    assert {v.name: v.member_count for v in views} == {"Cabinet Alpha": 3, "Bureau Beta": 3}
    members.set_member_active(world.admin_a, world.person("beneficiary_a").membership_id, False)
    views = members.list_organisations(world.platform)
    assert {v.name: v.member_count for v in views} == {"Cabinet Alpha": 2, "Bureau Beta": 3}
    for key in ("admin_a", "consultant_a", "beneficiary_a"):
        with pytest.raises(AccessDenied):
            members.list_organisations(world.actor(key))


def test_random_ids_are_not_found(world):
    for call in (
        lambda: members.change_role(world.admin_a, uuid.uuid4(), "consultant"),
        lambda: members.set_member_active(world.admin_a, "pas-un-uuid", False),
        lambda: members.resend_invitation(world.admin_a, uuid.uuid4()),
    ):
        with pytest.raises(NotFound):
            call()


def test_a_replaced_invitation_cannot_be_revived(world, outbox):
    """Inviting again revokes the older link; resending the older one is refused: one live link at most."""
    first = members.invite(world.admin_a, {"email": "double@exemple.fr", "role": "beneficiary"})
    first_token = outbox.link_token("double@exemple.fr")
    members.invite(world.admin_a, {"email": "double@exemple.fr", "role": "consultant"})
    second_token = outbox.link_token("double@exemple.fr")
    with pytest.raises(ServiceError) as caught:
        members.resend_invitation(world.admin_a, first.id)
    assert caught.value.code == "error.invitation_unknown"
    assert members.describe_invitation(first_token).status == "unknown"
    accept(second_token)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == "double@exemple.fr")).one()
        roles = session.exec(select(Membership.role).where(Membership.user_id == user.id)).all()
    assert roles == [Role.CONSULTANT]


def test_an_existing_account_with_2fa_joins_only_with_its_code(world, outbox):
    joiner = world.person("beneficiary_b")
    _, joiner_actor = world.login("beneficiary_b")
    enrolment = auth.begin_totp_enrolment(joiner_actor)
    totp = pyotp.TOTP(enrolment.secret)
    auth.confirm_totp_enrolment(joiner_actor, totp.at(time.time() - 30))
    members.invite(world.admin_a, {"email": joiner.email, "role": "beneficiary"})
    token = outbox.link_token(joiner.email)
    assert members.describe_invitation(token).existing_account_2fa is True
    with pytest.raises(FormError) as caught:
        members.accept_invitation(token, {"password": joiner.password, "code": ""}, CLIENT)
    assert caught.value.fields == {"code": "error.2fa_invalid_code"}
    assert members.describe_invitation(token).status == "valid"
    result = members.accept_invitation(token, {"password": joiner.password, "code": totp.now()}, CLIENT)
    assert auth.resolve_session(result.token).actor.organisation_id == world.org_a


def test_joining_with_an_existing_account_counts_towards_the_lockout(world, outbox, set_env):
    set_env(LOGIN_MAX_FAILURES_PER_ACCOUNT="2")
    joiner = world.person("beneficiary_b")
    members.invite(world.admin_a, {"email": joiner.email, "role": "beneficiary"})
    token = outbox.link_token(joiner.email)
    for _ in range(2):
        with pytest.raises(FormError):
            members.accept_invitation(token, {"password": "Mauvais-Mot-De-Passe-99"}, CLIENT)
    with pytest.raises(RateLimited):
        members.accept_invitation(token, {"password": joiner.password}, CLIENT)


def test_an_inactive_admin_can_be_demoted_when_one_admin_stays_active(world, outbox):
    members.invite(world.admin_a, {"email": "second-admin@exemple.fr", "role": "org_admin"})
    accept(outbox.link_token("second-admin@exemple.fr"))
    rows, _ = members.list_members(world.admin_a)
    second = next(row for row in rows if row.email == "second-admin@exemple.fr")
    members.set_member_active(world.admin_a, second.membership_id, False)
    members.change_role(world.admin_a, second.membership_id, "consultant")
    rows, _ = members.list_members(world.admin_a)
    assert next(row for row in rows if row.email == "second-admin@exemple.fr").role == "consultant"


def test_a_consultant_profile_shows_in_the_directory(world):
    members.update_consultant_profile(
        world.consultant_a,
        {"headline": "  Psychologue   du travail ", "specialities": "Reconversion, cadres", "availability": "Mardi"},
    )
    assert members.get_consultant_profile(world.consultant_a) == {
        "headline": "Psychologue du travail",
        "specialities": "Reconversion, cadres",
        "availability": "Mardi",
    }
    from services import bilans

    [card] = [
        c for c in bilans.consultant_directory(world.beneficiary_a) if c.user_id == str(world.consultant_a.user_id)
    ]
    assert (card.headline, card.specialities, card.availability) == (
        "Psychologue du travail",
        "Reconversion, cadres",
        "Mardi",
    )
    with pytest.raises(FormError) as caught:
        members.update_consultant_profile(world.consultant_a, {"headline": "x" * 201})
    assert caught.value.fields == {"headline": "error.too_long"}
    with pytest.raises(AccessDenied):
        members.update_consultant_profile(world.admin_a, {"headline": "Directrice"})
