"""Tenancy: an actor of one organisation can neither read nor change anything of another.

Table-driven. Every public service function that takes an ``Actor`` must appear in one of the
tables below (``test_every_actor_function_has_a_row`` fails otherwise):

* BY_ID      functions taking an object id: another organisation's id answers NotFound, exactly
             like a random uuid, and changes nothing;
* LISTINGS   functions listing rows: only the actor's organisation's rows, all of them;
* GUARDED    role checks: a role outside ``allowed`` gets AccessDenied and changes nothing;
* SCOPED_WRITES / SELF_ONLY   functions without an id: they change the actor's own organisation
             (or own account) and nothing of the other organisation.

Every case runs in both directions (A against B, and B against A).
"""

import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from sqlmodel import SQLModel, col, select

from services import access, audit, auth, mail, members
from services.access import Actor
from services.audit import AuditFilter
from services.db import session_scope
from services.errors import AccessDenied, NotFound, ServiceError
from services.models import AuditEvent, Invitation, LoginSession, MailMessage, Membership, Organisation, Role

DIRECTIONS = [("a", "b"), ("b", "a")]
ROLE_KEY = {
    Role.BENEFICIARY: "beneficiary",
    Role.CONSULTANT: "consultant",
    Role.ORG_ADMIN: "admin",
    Role.PLATFORM_ADMIN: "platform",
}
TENANT_ROLES = frozenset({Role.BENEFICIARY, Role.CONSULTANT, Role.ORG_ADMIN})


def org_id(world, o):
    return world.org_a if o == "a" else world.org_b


def actor_of(world, role_key, o) -> Actor:
    return world.platform if role_key == "platform" else world.actor(f"{role_key}_{o}")


# ---------------------------------------------------------------- database fingerprints


def _rows(table_name=None):
    with session_scope() as session:
        conn = session.connection()
        return {
            table.name: [dict(row) for row in conn.execute(table.select()).mappings()]
            for table in SQLModel.metadata.sorted_tables
            if table_name is None or table.name == table_name
        }


def _canonical(rows):
    return sorted(repr(sorted(row.items())) for row in rows)


def db_fingerprint():
    """Every row of every table: equal before and after means nothing was written at all."""
    return {name: _canonical(rows) for name, rows in _rows().items()}


def org_fingerprint(organisation_id):
    """Every row belonging to one organisation, its members' accounts and their sessions and codes."""
    tables = _rows()
    user_ids = {m["user_id"] for m in tables["memberships"] if m["organisation_id"] == organisation_id}

    def belongs(name, row):
        if name == "organisations":
            return row["id"] == organisation_id
        if name == "users":
            return row["id"] in user_ids
        if row.get("organisation_id") == organisation_id:
            return True
        return row.get("user_id") in user_ids

    return {name: _canonical([r for r in rows if belongs(name, r)]) for name, rows in tables.items()}


def first_id(model, organisation_id):
    with session_scope() as session:
        found = session.exec(
            select(model.id).where(model.organisation_id == organisation_id).order_by(col(model.id))
        ).first()
    assert found is not None, f"the fixture world has no {model.__name__} in this organisation"
    return found


def get_scoped_call(model):
    def call(actor, object_id):
        with session_scope() as session:
            return access.get_scoped(session, model, object_id, actor)

    return call


# ---------------------------------------------------------------- BY_ID


@dataclass(frozen=True)
class ById:
    function: str
    actor: str  # role key of the acting person in the actor's organisation
    call: Callable[[Actor, Any], Any]
    own: Callable[[Any, str], Any]  # (world, org letter) -> id of an object of that organisation
    writes: bool  # positive control: a write changes the database, a read returns the own row
    label: str = ""

    @property
    def id(self):
        return f"{self.function}{'-' + self.label if self.label else ''}"


BY_ID = [
    ById(
        "members.resend_invitation",
        "admin",
        lambda actor, oid: members.resend_invitation(actor, oid),
        lambda w, o: w.invitation_id(f"pending_{o}"),
        writes=True,
    ),
    ById(
        "members.resend_invitation",
        "consultant",
        lambda actor, oid: members.resend_invitation(actor, oid),
        lambda w, o: w.invitation_id(f"pending_{o}_by_consultant"),
        writes=True,
        label="consultant",
    ),
    ById(
        "members.change_role",
        "admin",
        lambda actor, oid: members.change_role(actor, oid, Role.CONSULTANT),
        lambda w, o: w.person(f"beneficiary_{o}").membership_id,
        writes=True,
    ),
    ById(
        "members.set_member_active",
        "admin",
        lambda actor, oid: members.set_member_active(actor, oid, False),
        lambda w, o: w.person(f"consultant_{o}").membership_id,
        writes=True,
    ),
    ById(
        "auth.revoke_session",
        "consultant",
        lambda actor, oid: auth.revoke_session(actor, oid),
        lambda w, o: w.actor(f"consultant_{o}").session_id,
        writes=True,
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(Membership),
        lambda w, o: w.person(f"beneficiary_{o}").membership_id,
        writes=False,
        label="Membership",
    ),
    ById(
        "access.get_scoped",
        "consultant",
        get_scoped_call(Invitation),
        lambda w, o: w.invitation_id(f"pending_{o}"),
        writes=False,
        label="Invitation",
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(AuditEvent),
        lambda w, o: first_id(AuditEvent, org_id(w, o)),
        writes=False,
        label="AuditEvent",
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(MailMessage),
        lambda w, o: first_id(MailMessage, org_id(w, o)),
        writes=False,
        label="MailMessage",
    ),
    ById(
        "access.get_scoped",
        "beneficiary",
        get_scoped_call(LoginSession),
        lambda w, o: first_id(LoginSession, org_id(w, o)),
        writes=False,
        label="LoginSession",
    ),
]


def _raised(call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", BY_ID, ids=lambda c: c.id)
def test_another_organisations_id_answers_like_a_missing_one(world, case, mine, other):
    actor = actor_of(world, case.actor, mine)
    foreign = case.own(world, other)
    before = db_fingerprint()

    missing = _raised(lambda: case.call(actor, uuid.uuid4()))
    assert type(missing) is NotFound
    for variant in (foreign, str(foreign)):
        error = _raised(lambda v=variant: case.call(actor, v))
        assert type(error) is type(missing)
        assert (error.code, error.params, str(error)) == (missing.code, missing.params, str(missing))
    assert type(_raised(lambda: case.call(actor, "pas-un-uuid"))) is NotFound

    # Nothing was read into a response, written, or even audited.
    assert db_fingerprint() == before

    # Positive control: the same call on the actor's own object works.
    result = case.call(actor, case.own(world, mine))
    if case.writes:
        assert db_fingerprint() != before
    else:
        assert result.organisation_id == org_id(world, mine)


def test_another_users_session_in_the_same_organisation_is_not_found(world):
    before = db_fingerprint()
    for target in ("admin_a", "beneficiary_a"):
        error = _raised(lambda t=target: auth.revoke_session(world.consultant_a, world.actor(t).session_id))
        assert type(error) is NotFound
    assert db_fingerprint() == before


def test_a_consultant_cannot_resend_an_invitation_of_a_colleague(world):
    before = db_fingerprint()
    error = _raised(lambda: members.resend_invitation(world.consultant_a, world.invitation_id("pending_a")))
    assert type(error) is NotFound
    assert db_fingerprint() == before


# ---------------------------------------------------------------- LISTINGS


def _membership_orgs(membership_ids):
    with session_scope() as session:
        ids = [uuid.UUID(m) for m in membership_ids]
        return [m.organisation_id for m in session.exec(select(Membership).where(col(Membership.id).in_(ids)))]


def _invitation_orgs(invitation_ids):
    with session_scope() as session:
        ids = [uuid.UUID(i) for i in invitation_ids]
        return [i.organisation_id for i in session.exec(select(Invitation).where(col(Invitation.id).in_(ids)))]


def _count(model, *where):
    with session_scope() as session:
        return len(session.exec(select(model).where(*where)).all())


def _list_members_members(actor):
    rows, _ = members.list_members(actor)
    return _membership_orgs([r.membership_id for r in rows]), len(rows)


def _list_members_invitations(actor):
    _, rows = members.list_members(actor)
    return _invitation_orgs([r.invitation_id for r in rows]), len(rows)


def _list_sent_invitations(actor):
    rows = members.list_sent_invitations(actor)
    return _invitation_orgs([r.invitation_id for r in rows]), len(rows)


def _list_events(actor):
    with session_scope() as session:
        rows, total = audit.list_events(session, actor, AuditFilter(), limit=10_000)
    assert total == len(rows)
    return [r.organisation_id for r in rows], len(rows)


def _list_sessions(actor):
    rows = auth.list_sessions(actor)
    assert {r.user_id for r in rows} == {actor.user_id}
    return [r.organisation_id for r in rows], len(rows)


def _get_organisation(actor):
    return [uuid.UUID(members.get_organisation(actor).id)], 1


@dataclass(frozen=True)
class Listing:
    function: str
    actor: str
    rows: Callable[[Actor], tuple[list[uuid.UUID], int]]  # (organisation id of each row, number of rows)
    expected: Callable[[Any, str, Actor], int]  # what the database holds for that organisation
    label: str = ""

    @property
    def id(self):
        return f"{self.function}{'-' + self.label if self.label else ''}"


LISTINGS = [
    Listing(
        "members.list_members",
        "admin",
        _list_members_members,
        lambda w, o, a: _count(Membership, Membership.organisation_id == org_id(w, o)),
        label="members",
    ),
    Listing(
        "members.list_members",
        "admin",
        _list_members_invitations,
        lambda w, o, a: _count(
            Invitation,
            Invitation.organisation_id == org_id(w, o),
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        ),
        label="invitations",
    ),
    Listing(
        "members.list_sent_invitations",
        "consultant",
        _list_sent_invitations,
        lambda w, o, a: _count(Invitation, Invitation.invited_by_id == a.user_id),
    ),
    Listing(
        "audit.list_events",
        "admin",
        _list_events,
        lambda w, o, a: _count(AuditEvent, AuditEvent.organisation_id == org_id(w, o)),
    ),
    Listing(
        "auth.list_sessions",
        "consultant",
        _list_sessions,
        lambda w, o, a: _count(LoginSession, LoginSession.user_id == a.user_id),
    ),
    *[
        Listing("members.get_organisation", role, _get_organisation, lambda w, o, a: 1, label=role)
        for role in ("beneficiary", "consultant", "admin")
    ],
]


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.id)
def test_listings_show_only_the_own_organisation(world, case, mine, other):
    actor = actor_of(world, case.actor, mine)
    organisation_ids, count = case.rows(actor)
    assert count > 0, "the fixture world must give this listing something to show"
    assert set(organisation_ids) == {org_id(world, mine)}
    assert org_id(world, other) not in organisation_ids
    assert count == case.expected(world, mine, actor)


# ---------------------------------------------------------------- GUARDED (roles)


@dataclass(frozen=True)
class Guarded:
    function: str
    call: Callable[[Any, Actor], Any]  # (world, actor): acts on the actor's own organisation "a"
    allowed: frozenset[Role]
    denied_error: type[ServiceError] = AccessDenied


ADMIN = frozenset({Role.ORG_ADMIN})
INVITERS = frozenset({Role.CONSULTANT, Role.ORG_ADMIN})
PLATFORM = frozenset({Role.PLATFORM_ADMIN})


def _list_outbox(w, actor):
    with session_scope() as session:
        return mail.list_outbox(session, actor)


def _list_events_call(w, actor):
    with session_scope() as session:
        return audit.list_events(session, actor, AuditFilter())


def _get_scoped_membership(w, actor):
    with session_scope() as session:
        return access.get_scoped(session, Membership, w.person("beneficiary_a").membership_id, actor)


GUARDED = [
    Guarded(
        "members.invite",
        lambda w, a: members.invite(a, {"email": "nouvelle@exemple.fr", "role": "beneficiary"}),
        INVITERS,
    ),
    Guarded(
        "members.resend_invitation",
        lambda w, a: members.resend_invitation(a, w.invitation_id("pending_a_by_consultant")),
        INVITERS,
    ),
    Guarded("members.list_sent_invitations", lambda w, a: members.list_sent_invitations(a), INVITERS),
    Guarded("members.list_members", lambda w, a: members.list_members(a), ADMIN),
    Guarded(
        "members.change_role",
        lambda w, a: members.change_role(a, w.person("beneficiary_a").membership_id, "consultant"),
        ADMIN,
    ),
    Guarded(
        "members.set_member_active",
        lambda w, a: members.set_member_active(a, w.person("beneficiary_a").membership_id, False),
        ADMIN,
    ),
    Guarded("members.set_require_2fa", lambda w, a: members.set_require_2fa(a, True), ADMIN),
    Guarded("audit.list_events", _list_events_call, ADMIN),
    Guarded("mail.list_outbox", _list_outbox, PLATFORM),
    Guarded("mail.retry_failed", lambda w, a: mail.retry_failed(a), PLATFORM),
    Guarded("members.list_organisations", lambda w, a: members.list_organisations(a), PLATFORM),
    Guarded("access.get_scoped", _get_scoped_membership, TENANT_ROLES),
    # No role check: every member sees their organisation; the operator, who has none, gets NotFound.
    Guarded("members.get_organisation", lambda w, a: members.get_organisation(a), TENANT_ROLES, NotFound),
]

ROLE_CASES = [(case, role) for case in GUARDED for role in Role]


@pytest.mark.parametrize(("case", "role"), ROLE_CASES, ids=[f"{c.function}-{r}" for c, r in ROLE_CASES])
def test_role_checks(world, case, role):
    actor = actor_of(world, ROLE_KEY[role], "a")
    assert actor.role is role
    if role in case.allowed:
        case.call(world, actor)  # no AccessDenied
        return
    before = db_fingerprint()
    error = _raised(lambda: case.call(world, actor))
    assert type(error) is case.denied_error
    assert db_fingerprint() == before


# ---------------------------------------------------------------- writes without an id


@dataclass(frozen=True)
class ScopedWrite:
    function: str
    actor: str
    call: Callable[[Any, Actor], Any]  # (world, actor)


def _enable_2fa(actor):
    secret = auth.begin_totp_enrolment(actor).secret
    return auth.confirm_totp_enrolment(actor, pyotp.TOTP(secret).now())


def _password(world, actor):
    return next(p.password for p in world.people.values() if p.user_id == actor.user_id)


SCOPED_WRITES = [
    ScopedWrite(
        "members.invite", "admin", lambda w, a: members.invite(a, {"email": "n@exemple.fr", "role": "consultant"})
    ),
    ScopedWrite("members.set_require_2fa", "admin", lambda w, a: members.set_require_2fa(a, True)),
    # Self-only functions: they change the actor's own account.
    ScopedWrite("auth.logout", "consultant", lambda w, a: auth.logout(a)),
    ScopedWrite(
        "auth.revoke_other_sessions",
        "consultant",
        lambda w, a: (
            w.login(next(k for k, p in w.people.items() if p.user_id == a.user_id)),
            auth.revoke_other_sessions(a),
        ),
    ),
    ScopedWrite(
        "auth.change_password",
        "beneficiary",
        lambda w, a: auth.change_password(a, _password(w, a), "Rocher-Bleu-Marin-48"),
    ),
    ScopedWrite("auth.begin_totp_enrolment", "consultant", lambda w, a: auth.begin_totp_enrolment(a)),
    ScopedWrite("auth.confirm_totp_enrolment", "consultant", lambda w, a: _enable_2fa(a)),
    ScopedWrite("auth.disable_totp", "admin", lambda w, a: (_enable_2fa(a), auth.disable_totp(a, _password(w, a)))),
    ScopedWrite("auth.set_locale", "beneficiary", lambda w, a: auth.set_locale(a, "en")),
    ScopedWrite("auth.remaining_recovery_codes", "consultant", lambda w, a: auth.remaining_recovery_codes(a)),
]


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", SCOPED_WRITES, ids=lambda c: c.function)
def test_writes_without_an_id_stay_in_the_own_organisation(world, case, mine, other):
    actor = actor_of(world, case.actor, mine)
    other_before = org_fingerprint(org_id(world, other))
    mine_before = org_fingerprint(org_id(world, mine))
    case.call(world, actor)
    assert org_fingerprint(org_id(world, other)) == other_before
    if case.function != "auth.remaining_recovery_codes":  # the only read-only one
        assert org_fingerprint(org_id(world, mine)) != mine_before


def test_invite_lands_in_the_actors_organisation_even_for_the_others_members(world, outbox):
    other_before = org_fingerprint(world.org_b)
    email = world.person("consultant_b").email
    invitation = members.invite(world.admin_a, {"email": email, "role": "consultant"})
    assert invitation.organisation_id == world.org_a
    message, _ = outbox.last(email)
    assert message.organisation_id == world.org_a
    assert "Cabinet Alpha" in message.subject
    assert org_fingerprint(world.org_b) == other_before


def test_require_2fa_changes_only_the_own_organisation(world):
    members.set_require_2fa(world.admin_b, True)
    with session_scope() as session:
        flags = {o.id: o.require_2fa for o in session.exec(select(Organisation)).all()}
    assert flags == {world.org_a: False, world.org_b: True}


# ---------------------------------------------------------------- a person in both organisations


def test_a_member_of_both_organisations_acts_only_in_the_session_organisation(world, outbox):
    """admin_b joins A as a consultant: with the A session, B's data is out of reach."""
    person = world.person("admin_b")
    members.invite(world.admin_a, {"email": person.email, "role": "consultant"})
    result = members.accept_invitation(
        outbox.link_token(person.email), {"password": person.password}, auth.ClientInfo(ip="10.9.9.9")
    )
    in_a = auth.resolve_session(result.token).actor
    assert (in_a.organisation_id, in_a.role) == (world.org_a, Role.CONSULTANT)
    # Admin rights in B do not follow into A...
    with pytest.raises(AccessDenied):
        members.list_members(in_a)
    # ... and B's objects are invisible from the A session.
    before = db_fingerprint()
    for call in (
        lambda: members.resend_invitation(in_a, world.invitation_id("pending_b_by_consultant")),
        lambda: get_scoped_call(Membership)(in_a, world.person("beneficiary_b").membership_id),
        lambda: get_scoped_call(Invitation)(in_a, world.invitation_id("pending_b")),
    ):
        assert type(_raised(call)) is NotFound
    assert db_fingerprint() == before
    assert {uuid.UUID(r.invitation_id) for r in members.list_sent_invitations(in_a)} == set()
    # The B session is still an admin of B only.
    in_b = world.admin_b
    rows, _ = members.list_members(in_b)
    assert set(_membership_orgs([r.membership_id for r in rows])) == {world.org_b}


def test_a_session_belongs_to_one_organisation(world):
    with session_scope() as session:
        row = session.get(LoginSession, world.consultant_a.session_id)
        row.organisation_id = world.org_b  # as if tampered with: no membership in B
        session.add(row)
    assert auth.resolve_session(world.person("consultant_a").token) is None


def test_an_actor_without_organisation_cannot_query_tenant_tables(world):
    for model in (Membership, Invitation, AuditEvent, MailMessage, LoginSession):
        with pytest.raises(AccessDenied):
            access.scoped(model, world.platform)


# ---------------------------------------------------------------- coverage of the tables

# Policy primitives and the audit writer: exercised through every row above.
NOT_TENANT_ENTRY_POINTS = {"access.can", "access.require", "access.can_invite", "access.scoped", "audit.record"}


def _actor_functions():
    found = set()
    for module in (access, audit, auth, mail, members):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            annotations = [str(p.annotation) for p in inspect.signature(function).parameters.values()]
            if any("Actor" in a for a in annotations):
                found.add(f"{module.__name__.split('.')[-1]}.{name}")
    return found


def test_every_actor_function_has_a_row():
    covered = (
        {c.function for c in BY_ID}
        | {c.function for c in LISTINGS}
        | {c.function for c in GUARDED}
        | {c.function for c in SCOPED_WRITES}
        | NOT_TENANT_ENTRY_POINTS
    )
    functions = _actor_functions()
    assert {"members.invite", "access.get_scoped", "mail.list_outbox"} <= functions
    missing = functions - covered
    assert missing == set(), f"add a tenancy row for: {sorted(missing)}"
    assert covered - functions == set(), "rows for functions that no longer exist"
