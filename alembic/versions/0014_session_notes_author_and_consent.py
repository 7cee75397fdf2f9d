"""Session notes: their author, and the beneficiary's agreement that a new consultant reads earlier ones.

Existing notes get the bilan's current consultant as their author (the only person who could have
written them while reassignment did not record anything).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

import services.models.base  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("bilan_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes_author_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_bilan_sessions_notes_author_id_users", "users", ["notes_author_id"], ["id"])

    # Data: the notes written so far are the bilan's current consultant's.
    op.execute(
        sa.text(
            "UPDATE bilan_sessions SET notes_author_id = "
            "(SELECT bilans.consultant_id FROM bilans WHERE bilans.id = bilan_sessions.bilan_id) "
            "WHERE notes_encrypted <> ''"
        )
    )

    op.create_table(
        "session_notes_consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("consultant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("granted", "refused", name="notesdecision", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", services.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bilan_id"], ["bilans.id"]),
        sa.ForeignKeyConstraint(["consultant_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("session_notes_consents", schema=None) as batch_op:
        batch_op.create_index("ix_session_notes_consents_bilan_consultant", ["bilan_id", "consultant_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_session_notes_consents_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("session_notes_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_notes_consents_organisation_id"))
        batch_op.drop_index("ix_session_notes_consents_bilan_consultant")
    op.drop_table("session_notes_consents")
    with op.batch_alter_table("bilan_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_bilan_sessions_notes_author_id_users", type_="foreignkey")
        batch_op.drop_column("notes_author_id")
