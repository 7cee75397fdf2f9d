"""services.audit: every account event is recorded with actor, organisation and IP; the log is append-only."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from services import audit, auth, members
from services.audit import AuditFilter, AuthAction
from services.db import session_scope
from services.models import AuditEvent

IP = "192.0.2.123"


def client():
    return auth.ClientInfo(ip=IP, user_agent="pytest")


def actor_at_ip(world, key):
    """The fixture person's actor, as the UI builds it for a request coming from IP."""
    return auth.resolve_session(world.person(key).token, client()).actor


def latest(action):
    with session_scope() as session:
        return session.exec(
            select(AuditEvent).where(AuditEvent.action == str(action)).order_by(col(AuditEvent.created_at).desc())
        ).first()


# Each scenario performs one action and names the event it must leave behind: (action, actor key, organisation).


def _login_success(world):
    person = world.person("consultant_a")
    auth.login({"email": person.email, "password": person.password}, client())
    return AuthAction.LOGIN_SUCCEEDED, "consultant_a", "a"


def _login_failure(world):
    with pytest.raises(auth.FormError):
        auth.login({"email": world.person("consultant_b").email, "password": "Mauvais-Mot-De-Passe-99"}, client())
    return AuthAction.LOGIN_FAILED, "consultant_b", "b"


def _logout(world):
    auth.logout(actor_at_ip(world, "beneficiary_a"))
    return AuthAction.LOGOUT, "beneficiary_a", "a"


def _two_factor_on(world):
    actor = actor_at_ip(world, "consultant_a")
    secret = auth.begin_totp_enrolment(actor).secret
    auth.confirm_totp_enrolment(actor, pyotp.TOTP(secret).now())
    return AuthAction.TWO_FACTOR_ENABLED, "consultant_a", "a"


def _two_factor_off(world):
    actor = actor_at_ip(world, "consultant_b")
    secret = auth.begin_totp_enrolment(actor).secret
    auth.confirm_totp_enrolment(actor, pyotp.TOTP(secret).now())
    auth.disable_totp(actor, world.person("consultant_b").password)
    return AuthAction.TWO_FACTOR_DISABLED, "consultant_b", "b"


def _invitation_sent(world):
    members.invite(actor_at_ip(world, "admin_a"), {"email": "nouveau@exemple.fr", "role": "consultant"})
    return AuthAction.INVITATION_SENT, "admin_a", "a"


def _invitation_accepted(world):
    result = members.accept_invitation(
        world.invitation_token("pending_b"),
        {"first_name": "Noa", "last_name": "Nouvel", "password": "Horizon-Lointain-Argente-64"},
        client(),
    )
    actor = auth.resolve_session(result.token).actor
    world.people["new_member"] = replace(world.person("beneficiary_b"), email=actor.label, user_id=actor.user_id)
    return AuthAction.INVITATION_ACCEPTED, "new_member", "b"


def _password_reset(world, outbox):
    person = world.person("beneficiary_b")
    auth.request_password_reset({"email": person.email}, client())
    token = outbox.link_token(person.email, "reinitialiser")
    auth.reset_password(token, {"password": "Riviere-Tranquille-Bleue-31"}, client())
    return AuthAction.PASSWORD_RESET, "beneficiary_b", "b"


def _password_reset_requested(world, outbox):
    auth.request_password_reset({"email": world.person("beneficiary_a").email}, client())
    return AuthAction.PASSWORD_RESET_REQUESTED, "beneficiary_a", "a"


def _password_changed(world):
    auth.change_password(actor_at_ip(world, "admin_b"), world.person("admin_b").password, "Riviere-Tranquille-31!")
    return AuthAction.PASSWORD_CHANGED, "admin_b", "b"


def _role_change(world):
    members.change_role(actor_at_ip(world, "admin_a"), world.person("beneficiary_a").membership_id, "consultant")
    return AuthAction.ROLE_CHANGED, "admin_a", "a"


def _deactivation(world):
    members.set_member_active(actor_at_ip(world, "admin_b"), world.person("consultant_b").membership_id, False)
    return AuthAction.MEMBER_DEACTIVATED, "admin_b", "b"


def _session_revoked(world):
    _, other = world.login("consultant_a")
    auth.revoke_session(actor_at_ip(world, "consultant_a"), other.session_id)
    return AuthAction.SESSION_REVOKED, "consultant_a", "a"


def _require_2fa(world):
    members.set_require_2fa(actor_at_ip(world, "admin_a"), True)
    return AuthAction.ORGANISATION_UPDATED, "admin_a", "a"


SCENARIOS = [
    _login_success,
    _login_failure,
    _logout,
    _two_factor_on,
    _two_factor_off,
    _invitation_sent,
    _invitation_accepted,
    _password_reset,
    _password_reset_requested,
    _password_changed,
    _role_change,
    _deactivation,
    _session_revoked,
    _require_2fa,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.strip("_"))
def test_event_is_recorded_with_actor_organisation_and_ip(world, outbox, scenario):
    needs_outbox = "outbox" in scenario.__code__.co_varnames[: scenario.__code__.co_argcount]
    action, actor_key, org = scenario(world, outbox) if needs_outbox else scenario(world)
    event = latest(action)
    assert event is not None, f"no {action} event"
    person = world.person(actor_key)
    assert event.actor_user_id == person.user_id
    assert event.actor_label == person.email
    assert event.organisation_id == (world.org_a if org == "a" else world.org_b)
    assert event.ip == IP
    assert event.created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - event.created_at) < timedelta(minutes=1)


def test_failed_login_of_unknown_email_is_recorded_without_organisation(world):
    with pytest.raises(auth.FormError):
        auth.login({"email": "inconnu@nulle-part.fr", "password": "Mauvais-Mot-De-Passe-99"}, client())
    event = latest(AuthAction.LOGIN_FAILED)
    assert (event.actor_user_id, event.organisation_id, event.actor_label, event.ip) == (
        None,
        None,
        "inconnu@nulle-part.fr",
        IP,
    )


def test_events_never_hold_secrets(world, outbox):
    _password_reset(world, outbox)
    _invitation_sent(world)
    with session_scope() as session:
        dumped = " ".join(repr(e.model_dump()) for e in session.exec(select(AuditEvent)).all())
    assert "Riviere-Tranquille-Bleue-31" not in dumped
    assert world.person("admin_a").password not in dumped
    assert outbox.link_token("nouveau@exemple.fr") not in dumped


# ---------------------------------------------------------------- append-only


def _an_event_id():
    with session_scope() as session:
        return session.exec(select(AuditEvent.id)).first()


@pytest.mark.parametrize(
    "statement",
    [
        lambda event_id: update(AuditEvent).where(AuditEvent.id == event_id).values(action="auth.tampered"),
        lambda event_id: update(AuditEvent).values(ip="203.0.113.250"),
        lambda event_id: delete(AuditEvent).where(AuditEvent.id == event_id),
        lambda event_id: delete(AuditEvent),
    ],
    ids=["update-one", "update-all", "delete-one", "delete-all"],
)
def test_audit_table_is_append_only(world, statement):
    event_id = _an_event_id()
    with session_scope() as session:
        before = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    with pytest.raises(DBAPIError, match="append-only"), session_scope() as session:
        session.exec(statement(event_id))
    with session_scope() as session:
        after = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [e.model_dump() for e in after] == [e.model_dump() for e in before]
    assert len(after) > 5


def test_orm_changes_to_an_event_are_refused(world):
    with pytest.raises(DBAPIError, match="append-only"), session_scope() as session:
        event = session.exec(select(AuditEvent)).first()
        event.actor_label = "quelqu'un d'autre"
        session.add(event)
    with pytest.raises(DBAPIError, match="append-only"), session_scope() as session:
        session.delete(session.exec(select(AuditEvent)).first())


def test_raw_sql_is_refused_too(world):
    with pytest.raises(DBAPIError, match="append-only"), session_scope() as session:
        session.connection().execute(text("UPDATE audit_events SET ip = 'x'"))


def test_inserting_is_allowed(world):
    with session_scope() as session:
        audit.record(session, "custom.thing", actor=world.admin_a, changes={"x": 1})
    event = latest("custom.thing")
    assert event.organisation_id == world.org_a
    assert event.changes == {"x": 1}


# ---------------------------------------------------------------- diff and list_events


def test_diff_keeps_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2, "c": None}, {"a": 1, "b": 3, "d": "x"}) == {
        "b": {"before": 2, "after": 3},
        "d": {"before": None, "after": "x"},
    }
    assert audit.diff({"a": 1}, {"a": 1}) == {}


BASE = datetime(2020, 3, 1, 9, 0, tzinfo=UTC)  # long before the fixture world


def _seed_events(world):
    """Twelve events in org A over twelve days, from two actors, plus noise in org B."""
    with session_scope() as session:
        for day in range(12):
            actor = world.admin_a if day % 2 == 0 else world.consultant_a
            action = "auth.login_succeeded" if day % 3 else "member.role_changed"
            event = audit.record(session, action, actor=actor, target_id=f"day-{day}")
            event.created_at = BASE + timedelta(days=day)
        for day in range(5):
            event = audit.record(session, "auth.login_succeeded", actor=world.admin_b, target_id=f"b-{day}")
            event.created_at = BASE + timedelta(days=day)


def _window():
    return AuditFilter(since=BASE - timedelta(hours=1), until=BASE + timedelta(days=30))


def test_list_events_newest_first_with_total(world):
    _seed_events(world)
    with session_scope() as session:
        rows, total = audit.list_events(session, world.admin_a, _window())
    assert total == 12
    assert [r.target_id for r in rows] == [f"day-{d}" for d in range(11, -1, -1)]
    assert {r.organisation_id for r in rows} == {world.org_a}


def test_list_events_filters(world):
    _seed_events(world)
    with session_scope() as session:
        rows, total = audit.list_events(
            session, world.admin_a, AuditFilter(action_prefix="member.", since=BASE, until=BASE + timedelta(days=30))
        )
        assert total == 4 and {r.target_id for r in rows} == {"day-0", "day-3", "day-6", "day-9"}

        rows, total = audit.list_events(
            session,
            world.admin_a,
            AuditFilter(
                actor_text="CONSEIL@",  # case-insensitive, part of the e-mail
                since=BASE,
                until=BASE + timedelta(days=30),
            ),
        )
        assert total == 6 and {r.actor_user_id for r in rows} == {world.consultant_a.user_id}

        rows, total = audit.list_events(
            session, world.admin_a, AuditFilter(since=BASE + timedelta(days=3), until=BASE + timedelta(days=6))
        )
        assert [r.target_id for r in rows] == ["day-5", "day-4", "day-3"] and total == 3

        rows, total = audit.list_events(
            session,
            world.admin_a,
            AuditFilter(action_prefix="auth.login", actor_text="direction", until=BASE + timedelta(days=5)),
        )
        assert {r.target_id for r in rows} == {"day-2", "day-4"} and total == 2

        _, total = audit.list_events(session, world.admin_a, AuditFilter(action_prefix="nothing."))
        assert total == 0


def test_list_events_paging(world):
    _seed_events(world)
    seen = []
    with session_scope() as session:
        for offset in (0, 5, 10):
            rows, total = audit.list_events(session, world.admin_a, _window(), limit=5, offset=offset)
            assert total == 12
            seen.extend(r.target_id for r in rows)
    assert seen == [f"day-{d}" for d in range(11, -1, -1)]


def test_list_events_includes_real_events_of_the_org_only(world):
    with session_scope() as session:
        rows, total = audit.list_events(session, world.admin_b, AuditFilter(), limit=1000)
        in_db = session.exec(select(AuditEvent).where(AuditEvent.organisation_id == world.org_b)).all()
    assert total == len(in_db) == len(rows) > 0
    assert {r.id for r in rows} == {e.id for e in in_db}
    assert uuid.UUID(str(world.org_a)) not in {r.organisation_id for r in rows}
