"""Session integrity: sessions recorded afterwards (when, by whom, why) and the organisation's choice to
hold the preliminary interview before the convention is signed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 10:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

import services.models.base  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: Union[str, Sequence[str], None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "preliminary_interview_before_convention", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("bilan_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recorded_afterwards_at", services.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("recorded_by_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "recorded_reason_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
        batch_op.create_foreign_key("fk_bilan_sessions_recorded_by_id_users", "users", ["recorded_by_id"], ["id"])
    # The defaults only filled the existing rows; the models carry none (as in 0002).
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("preliminary_interview_before_convention", server_default=None)
    with op.batch_alter_table("bilan_sessions", schema=None) as batch_op:
        batch_op.alter_column("recorded_reason_encrypted", server_default=None)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("bilan_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_bilan_sessions_recorded_by_id_users", type_="foreignkey")
        batch_op.drop_column("recorded_reason_encrypted")
        batch_op.drop_column("recorded_by_id")
        batch_op.drop_column("recorded_afterwards_at")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("preliminary_interview_before_convention")
