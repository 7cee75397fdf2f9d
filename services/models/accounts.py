"""Users, memberships, invitations, login sessions and the secrets around them."""

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
from services.models.organisations import Role


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = id_field()
    email: str = Field(max_length=254, unique=True, index=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="fr", max_length=5)
    status: UserStatus = enum_field(UserStatus, UserStatus.ACTIVE)
    is_platform_admin: bool = False
    # Fernet-encrypted; a secret without totp_enabled_at is an unconfirmed enrolment.
    totp_secret_encrypted: str | None = Field(default=None, max_length=500)
    totp_enabled_at: datetime | None = optional_datetime_field()
    # The last TOTP time step accepted, so a code cannot be replayed.
    totp_last_step: int | None = None
    # E.164 ("+33612345678"), Fernet-encrypted; "" when she gave none. Only for the SMS she opted into.
    mobile_phone_encrypted: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    last_login_at: datetime | None = optional_datetime_field()
    created_at: datetime = created_at_field()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", name="uq_membership_user_org"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    role: Role = enum_field(Role)
    is_active: bool = True
    # A consultant's public profile in the organisation's directory (the beneficiary's choice).
    headline: str = Field(default="", max_length=200)
    specialities: str = Field(default="", max_length=300)
    availability: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class Invitation(SQLModel, table=True):
    __tablename__ = "invitations"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    email: str = Field(max_length=254, index=True)
    role: Role = enum_field(Role)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    expires_at: datetime = required_datetime_field()
    accepted_at: datetime | None = optional_datetime_field()
    revoked_at: datetime | None = optional_datetime_field()
    created_at: datetime = created_at_field()


class PasswordResetToken(SQLModel, table=True):
    __tablename__ = "password_reset_tokens"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = required_datetime_field()
    used_at: datetime | None = optional_datetime_field()
    created_at: datetime = created_at_field()


class LoginSession(SQLModel, table=True):
    """A server-side login session; the browser only holds the random token."""

    __tablename__ = "login_sessions"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    token_hash: str = Field(max_length=64, unique=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=400)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    expires_at: datetime = required_datetime_field()
    revoked_at: datetime | None = optional_datetime_field()


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_codes"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = optional_datetime_field()
    created_at: datetime = created_at_field()


class LoginAttempt(SQLModel, table=True):
    """Failed and successful logins, counted for brute-force limits per account and per IP."""

    __tablename__ = "login_attempts"

    id: uuid.UUID = id_field()
    email_key: str = Field(max_length=64, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    succeeded: bool = False
    created_at: datetime = created_at_field()
