"""The job queue: procrastinate's tables and functions on PostgreSQL (jobs are deferred in the same
transaction as the data), and the number of SMTP attempts of a mail.

On SQLite (the embedded default) there is no queue schema: jobs run in the process (docs/jobs.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 22:50:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: Union[str, Sequence[str], None] = "0015"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# What procrastinate's schema creates, for the downgrade (procrastinate has no "drop schema").
_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")
_TYPES = ("procrastinate_job_event_type", "procrastinate_job_status", "procrastinate_job_to_defer_v1")


def upgrade() -> None:
    with op.batch_alter_table("mail_messages") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    if op.get_context().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # The schema of the pinned procrastinate version (pyproject.toml); a later version brings its own
    # migration files, applied by a new revision here. Colons are escaped: the text is not a template.
    op.execute(sa.text(SchemaManager.get_schema().replace(":", r"\:")))


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            sa.text(
                "DO $$ DECLARE f record; BEGIN FOR f IN SELECT oid::regprocedure AS sig FROM pg_proc "
                "WHERE proname LIKE 'procrastinate%' LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || f.sig || ' CASCADE'; "
                "END LOOP; END $$;".replace(":", r"\:")
            )
        )
        for table in _TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        for type_name in _TYPES:
            op.execute(f"DROP TYPE IF EXISTS {type_name} CASCADE")
    with op.batch_alter_table("mail_messages") as batch:
        batch.drop_column("attempts")
