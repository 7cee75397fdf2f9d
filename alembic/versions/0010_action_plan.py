"""The SMART action plan: actions, their milestones, and the history of every change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 16:14:14.599602

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import services.models.base
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("indicator_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("means_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("project_link_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column(
            "owner",
            sa.Enum("beneficiary", "consultant", name="actionowner", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("a_faire", "en_cours", "faite", "abandonnee", name="actionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("training_course_id", sa.Uuid(), nullable=True),
        sa.Column("saved_offer_id", sa.Uuid(), nullable=True),
        sa.Column("reminded_for", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", services.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["bilan_id"],
            ["bilans.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.ForeignKeyConstraint(["saved_offer_id"], ["saved_offers.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["target_id"], ["bilan_targets.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["training_course_id"], ["training_courses.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index("ix_plan_actions_bilan_position", ["bilan_id", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_actions_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "plan_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("by_consultant", sa.Boolean(), nullable=False),
        sa.Column(
            "event",
            sa.Enum(
                "created",
                "updated",
                "status",
                "milestone_added",
                "milestone_updated",
                "milestone_removed",
                "milestone_done",
                "milestone_undone",
                "moved",
                "deleted",
                name="actionevent",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("field_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("before_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("after_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_actions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["bilan_id"],
            ["bilans.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_history", schema=None) as batch_op:
        batch_op.create_index("ix_plan_history_bilan", ["bilan_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_history_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "plan_milestones",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", services.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_for", sa.Date(), nullable=True),
        sa.Column("created_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["plan_actions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_milestones_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_milestones_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_milestones_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_plan_milestones_action_id"))

    op.drop_table("plan_milestones")
    with op.batch_alter_table("plan_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_history_organisation_id"))
        batch_op.drop_index("ix_plan_history_bilan")

    op.drop_table("plan_history")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_actions_organisation_id"))
        batch_op.drop_index("ix_plan_actions_bilan_position")

    op.drop_table("plan_actions")
