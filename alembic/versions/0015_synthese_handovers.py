"""Every handover of the synthèse is kept (a newer validated version, or a corrected upload, is handed
over as a new row, the earlier ones untouched), and each agreement to a third party names the handover
it carries. Existing handovers become row 1 of their bilan; existing agreements carry it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:03:29.163399

"""

import re
import uuid
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

import services.models.base  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: Union[str, Sequence[str], None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GENERATED_NAME = re.compile(r"^synthese-v(\d+)\.pdf$")  # the name hand_over_synthese gives its PDF


def _backfill() -> None:
    """One handover row per bilan already handed over; its agreements carry it."""
    if op.get_context().as_sql:
        return  # offline SQL (a script for an empty database): there is no data to carry over
    conn = op.get_bind()
    when = services.models.base.UTCDateTime(timezone=True)
    bilans = sa.table(
        "bilans",
        sa.column("id", sa.Uuid()),
        sa.column("organisation_id", sa.Uuid()),
        sa.column("synthese_handed_over_at", when),
        sa.column("synthese_document_id", sa.Uuid()),
    )
    documents = sa.table(
        "documents",
        sa.column("id", sa.Uuid()),
        sa.column("sha256", sa.String()),
        sa.column("filename", sa.String()),
        sa.column("uploaded_by_id", sa.Uuid()),
    )
    rows = conn.execute(  # typed columns: the ids come back as UUIDs on SQLite and PostgreSQL alike
        sa.select(
            bilans.c.id,
            bilans.c.organisation_id,
            bilans.c.synthese_handed_over_at,
            documents.c.id,
            documents.c.sha256,
            documents.c.filename,
            documents.c.uploaded_by_id,
        )
        .select_from(bilans.join(documents, documents.c.id == bilans.c.synthese_document_id))
        .where(bilans.c.synthese_handed_over_at.is_not(None))
    ).all()
    handovers = sa.table(
        "synthese_handovers",
        sa.column("id", sa.Uuid()),
        sa.column("organisation_id", sa.Uuid()),
        sa.column("bilan_id", sa.Uuid()),
        sa.column("number", sa.Integer()),
        sa.column("synthese_version", sa.Integer()),
        sa.column("document_id", sa.Uuid()),
        sa.column("sha256", sa.String()),
        sa.column("handed_over_by", sa.Uuid()),
        sa.column("handed_over_at", when),
    )
    shares = sa.table("synthese_shares", sa.column("bilan_id", sa.Uuid()), sa.column("handover_id", sa.Uuid()))
    for bilan_id, organisation_id, handed_over_at, document_id, sha256, filename, uploaded_by in rows:
        match = GENERATED_NAME.match(filename or "")
        key = uuid.uuid4()
        conn.execute(
            handovers.insert().values(
                id=key,
                organisation_id=organisation_id,
                bilan_id=bilan_id,
                number=1,
                synthese_version=int(match.group(1)) if match else None,
                document_id=document_id,
                sha256=sha256,
                handed_over_by=uploaded_by,
                handed_over_at=handed_over_at,
            )
        )
        conn.execute(shares.update().where(shares.c.bilan_id == bilan_id).values(handover_id=key))


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "synthese_handovers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bilan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("synthese_version", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("handed_over_by", sa.Uuid(), nullable=True),
        sa.Column("handed_over_at", services.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bilan_id"], ["bilans.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["handed_over_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bilan_id", "number", name="uq_synthese_handovers_bilan_number"),
    )
    with op.batch_alter_table("synthese_handovers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_synthese_handovers_bilan_id"), ["bilan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_synthese_handovers_organisation_id"), ["organisation_id"], unique=False)

    with op.batch_alter_table("synthese_shares", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handover_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_synthese_shares_handover_id", "synthese_handovers", ["handover_id"], ["id"])
    _backfill()


def downgrade() -> None:
    """Downgrade schema (the handover history goes; the bilan keeps its latest handover)."""
    with op.batch_alter_table("synthese_shares", schema=None) as batch_op:
        batch_op.drop_constraint("fk_synthese_shares_handover_id", type_="foreignkey")
        batch_op.drop_column("handover_id")

    with op.batch_alter_table("synthese_handovers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synthese_handovers_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_synthese_handovers_bilan_id"))

    op.drop_table("synthese_handovers")
