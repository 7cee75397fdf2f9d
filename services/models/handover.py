"""The synthèse's handovers (L6313-4, R6313-7), who else may receive it, and how long the bilan's
documents are kept.

* ``SyntheseHandover``: one row per document handed to the beneficiary (Qualiopi evidence): the
  synthèse version it carries (None for a PDF the consultant uploaded), the file's SHA-256, when and by
  whom. A corrected or newer version is a new row: earlier rows are never changed.
* ``SyntheseShare``: the beneficiary's written agreement that one named recipient (an employer, a CEP
  operator, someone else) receives the synthèse, with the text she agreed to, its time, and its
  revocation, and the handover it carries (the latest when she agreed, not a later one). The
  recipient downloads with a link whose token is stored hashed; revoking the agreement kills the link.
* ``RetentionChoice``: the beneficiary's choice for the end of the bilan: destroy its documents, or
  keep them at most one year (written consent, with the text's version). The purge job reads it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import (
    created_at_field,
    enum_field,
    id_field,
    optional_datetime_field,
    required_datetime_field,
)


class SyntheseHandover(SQLModel, table=True):
    __tablename__ = "synthese_handovers"
    __table_args__ = (UniqueConstraint("bilan_id", "number", name="uq_synthese_handovers_bilan_number"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    number: int  # 1, 2, 3… per bilan, in the order handed over
    synthese_version: int | None = None  # the synthese_versions.number rendered; None: an uploaded PDF
    document_id: uuid.UUID = Field(foreign_key="documents.id")
    sha256: str = Field(max_length=64)
    handed_over_by: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    handed_over_at: datetime = created_at_field()


class ShareRecipientKind(StrEnum):
    EMPLOYER = "employeur"
    CEP = "cep"  # a Conseil en évolution professionnelle operator
    OTHER = "autre"


class SyntheseShare(SQLModel, table=True):
    __tablename__ = "synthese_shares"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id", index=True)
    # The handover she agreed to send (the latest when she agreed); None only for agreements older than
    # the handover history (the migration links them to the bilan's single handover).
    handover_id: uuid.UUID | None = Field(default=None, foreign_key="synthese_handovers.id")
    recipient_kind: ShareRecipientKind = enum_field(ShareRecipientKind, ShareRecipientKind.OTHER)
    # Who receives it: personal data of a third party, Fernet-encrypted.
    recipient_name_encrypted: str
    recipient_email_encrypted: str
    consent_text_version: str = Field(max_length=20)
    consented_by: uuid.UUID = Field(foreign_key="users.id")
    consented_at: datetime = created_at_field()
    revoked_at: datetime | None = optional_datetime_field()
    token_hash: str = Field(max_length=64, index=True)  # HMAC of the link's token (services.crypto)
    expires_at: datetime = required_datetime_field()
    downloads: int = 0
    last_download_at: datetime | None = optional_datetime_field()


class RetentionOption(StrEnum):
    DESTROY_AT_END = "destruction_fin"
    KEEP_ONE_YEAR = "conservation_un_an"


class RetentionChoice(SQLModel, table=True):
    __tablename__ = "retention_choices"
    __table_args__ = (UniqueConstraint("bilan_id", name="uq_retention_choices_bilan"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    option: RetentionOption = enum_field(RetentionOption, RetentionOption.DESTROY_AT_END)
    consent_text_version: str = Field(max_length=20)
    decided_by: uuid.UUID = Field(foreign_key="users.id")
    decided_at: datetime = created_at_field()
