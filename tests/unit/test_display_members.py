"""services.display.members: the rows of the admin's users page, of the audit log and of the profile form."""

from __future__ import annotations

from datetime import UTC, datetime

from services.display.members import (
    invitation_rows,
    member_table_rows,
    organisation_profile_row,
)
from services.members import PROFILE_FIELDS, InvitationRow, MemberRow

STAMP = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)  # 14:05 in Paris


def test_member_rows_carry_real_booleans_and_mark_the_reader():
    admin, consultant = member_table_rows(
        [
            MemberRow("m1", "u1", "Alice Admin", "a@alpha.fr", "org_admin", True, STAMP, True),
            MemberRow("m2", "u2", "Camille Conseil", "c@alpha.fr", "consultant", False, None, False),
        ],
        "u1",
        "en",
    )
    assert (admin["is_self"], admin["active"], admin["two_factor"]) == (True, True, True)
    assert (consultant["is_self"], consultant["active"], consultant["two_factor"]) == (False, False, False)
    assert admin["last_login"] == "12/03/2026, 14:05" and consultant["last_login"] == ""
    assert admin["id"] == "m1"  # the membership, which the role and activation handlers take


def test_invitation_rows():
    [invitation] = invitation_rows([InvitationRow("i1", "x@alpha.fr", "beneficiary", STAMP, "pending")], "fr")
    assert invitation == {
        "id": "i1",
        "email": "x@alpha.fr",
        "role": "beneficiary",
        "status": "pending",
        "expires": "12/03/2026 14:05",
    }


def test_profile_row_holds_what_the_inputs_show():
    values: dict[str, object] = dict.fromkeys(PROFILE_FIELDS, "")
    values |= {"price_euros": 1800.0, "min_hours": 12.5, "access_delay_days": 14, "address": "1 rue A"}
    row = organisation_profile_row(values)
    assert (row["price_euros"], row["min_hours"], row["access_delay_days"]) == ("1800", "12.5", "14")
    assert row["address"] == "1 rue A" and row["default_hours"] == ""  # a missing value stays blank
    assert set(row) == set(PROFILE_FIELDS) - {"modes", "preliminary_interview_before_convention"}
