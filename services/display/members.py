"""Rows of the organisation's administration: members and invitations (the admin's users page and the
consultant's home, which lists the beneficiaries they invited), the audit log, the organisation's profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict

from services.i18n import format_datetime, input_number
from services.members import InvitationRow, MemberRow


class MemberTableRow(TypedDict):
    id: str  # the membership
    name: str
    email: str
    role: str
    active: bool
    two_factor: bool
    last_login: str
    is_self: bool  # the reader: no role change, no deactivation


class InvitationTableRow(TypedDict):
    id: str
    email: str
    role: str
    status: str  # pending | expired | accepted
    expires: str


class OrganisationProfileRow(TypedDict):
    """The profile form's stored values, as its inputs hold them."""

    address: str
    contact_email: str
    contact_phone: str
    price_euros: str
    default_hours: str
    min_hours: str
    access_delay_days: str
    booking_notice_hours: str
    disability_contact: str
    public_description: str


def member_table_rows(rows: Iterable[MemberRow], reader_user_id: str, locale: str) -> list[MemberTableRow]:
    """The organisation's members; the reader's own line is marked ``is_self``."""
    return [
        {
            "id": row.membership_id,
            "name": row.name,
            "email": row.email,
            "role": row.role,
            "active": row.is_active,
            "two_factor": row.two_factor,
            "last_login": format_datetime(row.last_login_at, locale),
            "is_self": row.user_id == reader_user_id,
        }
        for row in rows
    ]


def invitation_rows(rows: Iterable[InvitationRow], locale: str) -> list[InvitationTableRow]:
    """Invitations with their status and expiry."""
    return [
        {
            "id": row.invitation_id,
            "email": row.email,
            "role": row.role,
            "status": row.status,
            "expires": format_datetime(row.expires_at, locale),
        }
        for row in rows
    ]


def _input(value: object) -> str:
    return input_number(value) if isinstance(value, float) else str(value)


def organisation_profile_row(values: Mapping[str, object]) -> OrganisationProfileRow:
    """The organisation's profile (``members.get_organisation_profile``) for the form's inputs."""
    return {
        "address": _input(values["address"]),
        "contact_email": _input(values["contact_email"]),
        "contact_phone": _input(values["contact_phone"]),
        "price_euros": _input(values["price_euros"]),
        "default_hours": _input(values["default_hours"]),
        "min_hours": _input(values["min_hours"]),
        "access_delay_days": _input(values["access_delay_days"]),
        "booking_notice_hours": _input(values["booking_notice_hours"]),
        "disability_contact": _input(values["disability_contact"]),
        "public_description": _input(values["public_description"]),
    }
