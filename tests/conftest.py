"""Shared fixtures for the services test suites.

Every test gets its own database:

* unit tests: a fresh SQLite file in ``tmp_path``, copied from a template that the real alembic
  migration produced once per session (so the migration is what builds the schema);
* integration tests (``@pytest.mark.integration``): a PostgreSQL database created for the session,
  truncated and refilled before each test.

Tests that ask for the ``world`` fixture get two organisations, A and B, each with an org_admin, a
consultant and a beneficiary (plus pending invitations and a platform operator), all created
through the real service functions. The world is built once per backend and per session (argon2 is
slow on purpose) and restored into each test's database.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import os
import re
import socket
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel, col, select

import services.models  # noqa: F401  (registers every table)
from services import auth, members, operators
from services.access import Actor
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import _engine_for, get_engine, session_scope
from services.models import MailMessage, Membership, Role
from services.settings import Settings, reset_settings_cache

# The Makefile starts both before the integration tests; the variables only exist to point elsewhere.
PG_SERVER = os.environ.get("TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_ADMIN_URL = f"{PG_SERVER}/postgres?connect_timeout=5"
# Parallel runs (pytest-xdist: gw0, gw1…) each get their own Redis database, so that counters such as
# the login rate limits of the fixture people never cross between workers.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _WORKER % 8}")

# One strong password for every fixture person (it contains none of their names).
PASSWORD = "Ciel-Orageux-Lumineux-77"

SIRET_A = "33514171953640"
SIRET_B = "89386392876311"


# ---------------------------------------------------------------- environment


def configure_env(mp: pytest.MonkeyPatch, database_url: str, **extra: str) -> None:
    """Clear every settings variable, point DATABASE_URL at the test database, dev mode."""
    # A developer's .env (SMTP_URL, keys...) must not leak into the tests.
    mp.setitem(Settings.model_config, "env_file", None)
    for name in Settings.model_fields:
        mp.delenv(name.upper(), raising=False)
    mp.setenv("DATABASE_URL", database_url)
    mp.setenv("APP_ENV", "dev")
    for key, value in extra.items():
        mp.setenv(key.upper(), value)
    reset_settings_cache()


@pytest.fixture
def set_env(monkeypatch):
    """Change settings variables for one test: ``set_env(SMTP_URL="smtp://...")`` (None unsets)."""

    def _set(**values: str | None) -> None:
        for key, value in values.items():
            if value is None:
                monkeypatch.delenv(key.upper(), raising=False)
            else:
                monkeypatch.setenv(key.upper(), str(value))
        reset_settings_cache()

    return _set


# ---------------------------------------------------------------- mail helpers


def run_queued_jobs() -> None:
    """Let the queue do its work: on PostgreSQL a real procrastinate worker runs every job that is ready,
    then stops; on SQLite the jobs already ran after their commit."""
    from services import queue

    if queue.uses_worker():
        queue.run_until_idle()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """A real SMTP server (aiosmtpd) on a free port; ``refuse`` makes it answer 451 to the data."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_sink(set_env):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    set_env(SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM="Bilan <no-reply@exemple.fr>")
    try:
        yield sink
    finally:
        controller.stop()


class Outbox:
    """Reads the queued mail (bodies decrypted) of the current test database, once the queue has run."""

    def messages(self, to: str | None = None) -> list[tuple[MailMessage, str]]:
        run_queued_jobs()
        with session_scope() as session:
            query = select(MailMessage).order_by(col(MailMessage.created_at))
            if to is not None:
                query = query.where(MailMessage.to_address == to)
            return [(m, decrypt_text(m.body_encrypted)) for m in session.exec(query).all()]

    def last(self, to: str) -> tuple[MailMessage, str]:
        found = self.messages(to)
        assert found, f"no mail queued for {to}"
        return found[-1]

    def link_token(self, to: str, kind: str = "invitation") -> str:
        """The token of the last ``/invitation/<token>`` or ``/reinitialiser/<token>`` link mailed to ``to``."""
        _, body = self.last(to)
        match = re.search(rf"/{kind}/([A-Za-z0-9_\-]+)", body)
        assert match, f"no /{kind}/ link in the mail to {to}: {body!r}"
        return match.group(1)


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


# ---------------------------------------------------------------- the fixture world


@dataclass
class Person:
    key: str
    email: str
    first_name: str
    last_name: str
    role: Role
    ip: str
    password: str = PASSWORD
    token: str = ""
    user_id: uuid.UUID | None = None
    membership_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None


@dataclass
class WorldSpec:
    """What the builder created: people (with their session tokens), organisations, invitations."""

    people: dict[str, Person] = field(default_factory=dict)
    organisations: dict[str, uuid.UUID] = field(default_factory=dict)
    # name -> (invitation id, token)
    invitations: dict[str, tuple[uuid.UUID, str]] = field(default_factory=dict)


def _client(ip: str) -> ClientInfo:
    return ClientInfo(ip=ip, user_agent="pytest")


def _signup(spec: WorldSpec, org_key: str, name: str, siret: str, person: Person) -> None:
    success = members.signup_organisation(
        {
            "organisation_name": name,
            "siret": siret,
            "nda_number": "",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "password": person.password,
        },
        _client(person.ip),
    )
    person.token = success.token
    info = auth.resolve_session(success.token)
    assert info is not None
    person.user_id = info.actor.user_id
    person.organisation_id = info.actor.organisation_id
    spec.organisations[org_key] = info.actor.organisation_id
    spec.people[person.key] = person


def _invite_and_accept(spec: WorldSpec, inviter: Person, person: Person) -> None:
    inviter_actor = auth.resolve_session(inviter.token).actor
    members.invite(inviter_actor, {"email": person.email, "role": str(person.role)})
    token = Outbox().link_token(person.email)
    success = members.accept_invitation(
        token,
        {"first_name": person.first_name, "last_name": person.last_name, "password": person.password},
        _client(person.ip),
    )
    person.token = success.token
    info = auth.resolve_session(success.token)
    assert info is not None and info.actor.role is person.role
    person.user_id = info.actor.user_id
    person.organisation_id = info.actor.organisation_id
    spec.people[person.key] = person


def _pending(spec: WorldSpec, name: str, inviter: Person, email: str, role: Role) -> None:
    invitation = members.invite(auth.resolve_session(inviter.token).actor, {"email": email, "role": str(role)})
    spec.invitations[name] = (invitation.id, Outbox().link_token(email))


def build_world() -> WorldSpec:
    """Create the fixture world in the current database through the real service functions."""
    spec = WorldSpec()
    for suffix, org_name, siret, domain, n in (
        ("a", "Cabinet Alpha", SIRET_A, "alpha-conseil.fr", 1),
        ("b", "Bureau Beta", SIRET_B, "beta-bilans.fr", 2),
    ):
        admin = Person(
            f"admin_{suffix}", f"direction@{domain}", "Agathe", f"Admin{suffix.upper()}", Role.ORG_ADMIN, f"10.0.{n}.1"
        )
        consultant = Person(
            f"consultant_{suffix}",
            f"conseil@{domain}",
            "Camille",
            f"Conseil{suffix.upper()}",
            Role.CONSULTANT,
            f"10.0.{n}.2",
        )
        beneficiary = Person(
            f"beneficiary_{suffix}",
            f"personne@{domain}",
            "Bruno",
            f"Benef{suffix.upper()}",
            Role.BENEFICIARY,
            f"10.0.{n}.3",
        )
        _signup(spec, suffix, org_name, siret, admin)
        _invite_and_accept(spec, admin, consultant)
        # The consultant invites the beneficiary (the only role a consultant may grant).
        _invite_and_accept(spec, consultant, beneficiary)
        _pending(spec, f"pending_{suffix}", admin, f"en-attente@{domain}", Role.BENEFICIARY)
        _pending(spec, f"pending_{suffix}_by_consultant", consultant, f"invite-conseil@{domain}", Role.BENEFICIARY)

    problem = operators.create_platform_admin("operateur@plateforme-bilan.fr", "Octave", "Operateur", PASSWORD)
    assert problem is None, problem
    platform = Person(
        "platform", "operateur@plateforme-bilan.fr", "Octave", "Operateur", Role.PLATFORM_ADMIN, "10.0.9.9"
    )
    result = auth.login({"email": platform.email, "password": PASSWORD}, _client(platform.ip))
    assert isinstance(result, auth.LoginSuccess)
    platform.token = result.token
    platform.user_id = auth.resolve_session(result.token).actor.user_id
    spec.people["platform"] = platform

    with session_scope() as session:
        for person in spec.people.values():
            if person.organisation_id is not None:
                person.membership_id = session.exec(
                    select(Membership.id).where(
                        Membership.user_id == person.user_id, Membership.organisation_id == person.organisation_id
                    )
                ).one()
    return spec


class World:
    """The fixture world inside the current test's database, with fresh Actors."""

    def __init__(self, spec: WorldSpec) -> None:
        self.spec = spec
        # Copies: a test may change its people without leaking into the next test.
        self.people = {key: replace(person) for key, person in spec.people.items()}
        self.org_a = spec.organisations["a"]
        self.org_b = spec.organisations["b"]
        self._actors: dict[str, Actor] = {}
        for key, person in spec.people.items():
            info = auth.resolve_session(person.token)
            assert info is not None, f"fixture session of {key} does not resolve"
            self._actors[key] = info.actor

    def actor(self, key: str) -> Actor:
        return self._actors[key]

    def person(self, key: str) -> Person:
        return self.people[key]

    def invitation_id(self, name: str) -> uuid.UUID:
        return self.spec.invitations[name][0]

    def invitation_token(self, name: str) -> str:
        return self.spec.invitations[name][1]

    def login(self, key: str, ip: str | None = None) -> tuple[str, Actor]:
        """A new session for a fixture person (password login, no 2FA): token and actor."""
        person = self.people[key]
        result = auth.login({"email": person.email, "password": person.password}, _client(ip or person.ip))
        assert isinstance(result, auth.LoginSuccess)
        return result.token, auth.resolve_session(result.token).actor

    def __getattr__(self, name: str) -> Actor:
        actors = self.__dict__.get("_actors", {})
        if name in actors:
            return actors[name]
        raise AttributeError(name)


# ---------------------------------------------------------------- SQLite templates


def _dispose(url: str) -> None:
    _engine_for(url).dispose()


def _sqlite_copy(src: Path, dst: Path) -> None:
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An empty database migrated to head by alembic, once per session."""
    path = tmp_path_factory.mktemp("templates") / "migrated.db"
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as mp:
        configure_env(mp, url)
        from services.migrations import upgrade_to_head

        upgrade_to_head()
        _dispose(url)
    reset_settings_cache()
    return path


@pytest.fixture(scope="session")
def sqlite_world(tmp_path_factory, sqlite_template) -> tuple[Path, WorldSpec]:
    path = tmp_path_factory.mktemp("templates") / "world.db"
    _sqlite_copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as mp:
        configure_env(mp, url)
        spec = build_world()
        _dispose(url)
    reset_settings_cache()
    return path, spec


# ---------------------------------------------------------------- PostgreSQL and Redis


def pg_admin_engine():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def create_pg_database(prefix: str = "bilan_test") -> str:
    """Create a uniquely named database and return its SQLAlchemy URL; fails the test if PG is down."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = pg_admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is unreachable at {PG_ADMIN_URL} ({type(exc).__name__}: {exc})", pytrace=False)
    finally:
        engine.dispose()
    return f"{PG_SERVER}/{name}?connect_timeout=5"


def drop_pg_database(url: str) -> None:
    _dispose(url)
    _engine_for.cache_clear()
    name = url.rsplit("/", 1)[1].split("?")[0]
    engine = pg_admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database for the integration session, migrated to head, dropped at the end."""
    url = create_pg_database()
    try:
        with pytest.MonkeyPatch.context() as mp:
            configure_env(mp, url)
            from services.migrations import upgrade_to_head

            upgrade_to_head()
        reset_settings_cache()
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture
def fresh_pg_database(set_env, redis_available):
    """An empty PostgreSQL database of its own for one test (the test runs the migration itself)."""
    url = create_pg_database("bilan_migration")
    set_env(DATABASE_URL=url)
    try:
        yield url
    finally:
        drop_pg_database(url)


def _tables():
    return list(SQLModel.metadata.sorted_tables)


QUEUE_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")


def pg_truncate(url: str) -> None:
    # TRUNCATE does not fire the row-level append-only triggers of audit_events.
    # The job queue's tables too: a test starts with no job left by another.
    names = ", ".join([f'"{t.name}"' for t in _tables()] + list(QUEUE_TABLES))
    with _engine_for(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


def pg_snapshot(url: str) -> dict[str, list[dict]]:
    with _engine_for(url).connect() as conn:
        return {t.name: [dict(row) for row in conn.execute(t.select()).mappings()] for t in _tables()}


def pg_restore(url: str, snapshot: dict[str, list[dict]]) -> None:
    pg_truncate(url)
    with _engine_for(url).begin() as conn:
        for table in _tables():
            if snapshot[table.name]:
                conn.execute(table.insert(), snapshot[table.name])


@pytest.fixture(scope="session")
def pg_world(pg_database) -> tuple[WorldSpec, dict[str, list[dict]]]:
    with pytest.MonkeyPatch.context() as mp:
        configure_env(mp, pg_database)
        pg_truncate(pg_database)
        spec = build_world()
        snapshot = pg_snapshot(pg_database)
    reset_settings_cache()
    return spec, snapshot


@pytest.fixture(scope="session")
def redis_available() -> str:
    """Redis must answer: integration runs fail (never skip) when it is down."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        assert client.ping() is True
    except Exception as exc:
        pytest.fail(f"Redis is unreachable at {REDIS_TEST_URL} ({type(exc).__name__}: {exc})", pytrace=False)
    finally:
        client.close()
    return REDIS_TEST_URL


# ---------------------------------------------------------------- the per-test database


@dataclass
class Database:
    url: str
    backend: str  # "sqlite" | "postgresql"
    spec: WorldSpec | None = None


@pytest.fixture(autouse=True)
def database(request, monkeypatch, tmp_path):
    """A fresh, migrated database for every test (with the fixture world if the test asks for it)."""
    if request.node.get_closest_marker("e2e") is not None or "e2e" in request.node.path.parts:
        # End-to-end tests drive a running server with its own database: leave them alone.
        yield None
        return
    wants_world = "world" in request.fixturenames
    if request.node.get_closest_marker("integration") is not None:
        request.getfixturevalue("redis_available")
        url = request.getfixturevalue("pg_database")
        spec = None
        if wants_world:
            spec, snapshot = request.getfixturevalue("pg_world")
            pg_restore(url, snapshot)
        else:
            pg_truncate(url)
        configure_env(monkeypatch, url)
        yield Database(url=url, backend="postgresql", spec=spec)
        reset_settings_cache()
        return

    spec = None
    if wants_world:
        source, spec = request.getfixturevalue("sqlite_world")
    else:
        source = request.getfixturevalue("sqlite_template")
    path = tmp_path / "bilan.db"
    _sqlite_copy(source, path)
    url = f"sqlite:///{path}"
    configure_env(monkeypatch, url)
    yield Database(url=url, backend="sqlite", spec=spec)
    _dispose(url)
    reset_settings_cache()


@pytest.fixture
def world(database) -> World:
    assert database.spec is not None
    return World(database.spec)


@pytest.fixture
def engine(database):
    return get_engine()


@pytest.fixture
def isolated_storage(database, set_env, tmp_path) -> Path:
    """Encrypted documents of this test go under ``tmp_path``, never into the project's data/files."""
    root = tmp_path / "files"
    root.mkdir()
    set_env(STORAGE_DIR=str(root))
    return root
