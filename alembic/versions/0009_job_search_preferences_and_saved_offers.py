"""Job search: the beneficiary's search preferences and the offers she keeps, per bilan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 15:59:34.910537

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import services.models.base
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_search_preferences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("commune_encrypted", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rayon_km", sa.Integer(), nullable=False),
        sa.Column("type_contrat", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("temps_travail", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("salaire_min", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
        sa.Column("updated_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bilan_id"], ["bilans.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bilan_id", name="uq_job_search_preferences_bilan"),
    )
    with op.batch_alter_table("job_search_preferences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_search_preferences_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "saved_offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("code_rome", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("contract", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("saved_by", sa.Uuid(), nullable=False),
        sa.Column("saved_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bilan_id"], ["bilans.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["saved_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bilan_id", "offer_id", name="uq_saved_offers_offer"),
    )
    with op.batch_alter_table("saved_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_offers_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_offers_organisation_id"))
    op.drop_table("saved_offers")
    with op.batch_alter_table("job_search_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_search_preferences_organisation_id"))
    op.drop_table("job_search_preferences")
