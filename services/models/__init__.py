"""SQLModel tables, one module per domain. Importing this package registers every table."""

from services.models.accounts import (
    Invitation,
    LoginAttempt,
    LoginSession,
    Membership,
    PasswordResetToken,
    RecoveryCode,
    User,
    UserStatus,
)
from services.models.audit import AuditEvent
from services.models.mail import MailMessage, MailStatus
from services.models.organisations import Organisation, OrganisationPlan, Role

__all__ = [
    "AuditEvent",
    "Invitation",
    "LoginAttempt",
    "LoginSession",
    "MailMessage",
    "MailStatus",
    "Membership",
    "Organisation",
    "OrganisationPlan",
    "PasswordResetToken",
    "RecoveryCode",
    "Role",
    "User",
    "UserStatus",
]
