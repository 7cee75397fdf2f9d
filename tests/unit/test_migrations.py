"""services.migrations: the alembic migration builds exactly the models' schema, and can go down."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from alembic import command
from services.db import get_engine
from services.migrations import alembic_config, upgrade_to_head

# The foundation tables (later migrations may add more: the models are the reference).
FOUNDATION = {
    "audit_events",
    "invitations",
    "login_attempts",
    "login_sessions",
    "mail_messages",
    "memberships",
    "organisations",
    "password_reset_tokens",
    "recovery_codes",
    "users",
}


TABLES = {table.name for table in SQLModel.metadata.sorted_tables}


def schema_differences():
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, SQLModel.metadata)


def table_names():
    return set(inspect(get_engine()).get_table_names())


def triggers():
    with get_engine().connect() as conn:
        return set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())


def test_up_down_up_on_a_fresh_sqlite_file(set_env, tmp_path):
    set_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}")
    assert table_names() == set()
    upgrade_to_head()
    assert table_names() == TABLES | {"alembic_version"}
    assert FOUNDATION <= TABLES
    assert schema_differences() == []
    assert triggers() == {"audit_events_no_update", "audit_events_no_delete"}

    command.downgrade(alembic_config(), "base")
    assert table_names() <= {"alembic_version"}
    assert triggers() == set()

    upgrade_to_head()
    assert schema_differences() == []
    assert triggers() == {"audit_events_no_update", "audit_events_no_delete"}
    upgrade_to_head()  # already at head: nothing to do
    with get_engine().connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]


def test_the_template_database_is_at_head():
    assert table_names() == TABLES | {"alembic_version"}
    assert schema_differences() == []
