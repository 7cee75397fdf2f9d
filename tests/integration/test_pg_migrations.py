"""The alembic migration on a real PostgreSQL: up, down, up, no drift from the models, append-only audit."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, select

from alembic import command
from services import audit
from services.db import get_engine, session_scope
from services.migrations import QUEUE_TABLE_PREFIX, alembic_config, is_model_object, upgrade_to_head
from services.models import AuditEvent

pytestmark = pytest.mark.integration

TABLES = {table.name for table in SQLModel.metadata.sorted_tables}
QUEUE_TABLES = {f"{QUEUE_TABLE_PREFIX}{name}" for name in ("jobs", "events", "periodic_defers", "workers")}


@pytest.fixture
def fresh_pg(fresh_pg_database):
    return fresh_pg_database


def differences():
    with get_engine().connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True, "include_name": is_model_object}
        )
        return compare_metadata(context, SQLModel.metadata)


def tables():
    return set(inspect(get_engine()).get_table_names())


def pg_objects():
    with get_engine().connect() as conn:
        triggers = set(
            conn.execute(
                text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname NOT LIKE 'procrastinate%'")
            ).scalars()
        )
        functions = set(
            conn.execute(text("SELECT proname FROM pg_proc WHERE proname = 'audit_events_refuse_change'")).scalars()
        )
    return triggers, functions


def test_up_down_up_without_drift(fresh_pg):
    assert get_engine().dialect.name == "postgresql"
    assert tables() == set()
    upgrade_to_head()
    assert tables() == TABLES | QUEUE_TABLES | {"alembic_version"}
    assert differences() == []
    assert pg_objects() == ({"audit_events_append_only"}, {"audit_events_refuse_change"})

    with get_engine().connect() as conn:  # the queue's functions and types come with it, and go with it
        assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%'")).scalar()

    command.downgrade(alembic_config(), "base")
    assert tables() <= {"alembic_version"}
    with get_engine().connect() as conn:
        leftovers = conn.execute(
            text(
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%' UNION ALL "
                "SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%'"
            )
        ).scalars()
        assert list(leftovers) == [0, 0]
    assert pg_objects() == (set(), set())

    upgrade_to_head()
    assert differences() == []
    assert pg_objects() == ({"audit_events_append_only"}, {"audit_events_refuse_change"})
    with get_engine().connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]


def test_offline_sql_renders_for_postgresql(fresh_pg, capsys):
    command.upgrade(alembic_config(), "head", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE audit_events" in sql
    assert "CREATE TRIGGER audit_events_append_only" in sql
    assert tables() == set()  # offline mode touches nothing


def test_append_only_trigger_on_postgresql(fresh_pg):
    upgrade_to_head()
    with session_scope() as session:
        audit.record(session, "auth.login_succeeded", actor_label="x@exemple.fr", ip="192.0.2.1")
    for statement in (
        "UPDATE audit_events SET ip = '203.0.113.250'",
        "DELETE FROM audit_events",
    ):
        with pytest.raises(DBAPIError, match="append-only"), session_scope() as session:
            session.connection().execute(text(statement))
    with session_scope() as session:
        rows = session.exec(select(AuditEvent)).all()
    assert [(r.action, r.ip) for r in rows] == [("auth.login_succeeded", "192.0.2.1")]


def test_the_session_database_is_migrated(database):
    assert database.backend == "postgresql"
    assert differences() == []
