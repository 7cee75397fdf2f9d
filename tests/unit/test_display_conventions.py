"""services.display.conventions: the rows of the convention's pages and of the bilan page's panel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.conventions import ConventionView, PartyView
from services.display.conventions import convention_row, follower_convention_row, party_rows
from services.i18n import format_datetime
from services.models import ConventionKind, ConventionStatus, SignatureParty

STAMP = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)  # 14:05 in Paris
CONVENTION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _view(viewer: SignatureParty | None = SignatureParty.ORGANISATION, signed: bool = False) -> ConventionView:
    return ConventionView(
        id=CONVENTION_ID,
        bilan_id=uuid.UUID("00000000-0000-4000-8000-000000000002"),
        kind=ConventionKind.BIPARTITE,
        status=ConventionStatus.SIGNED if signed else ConventionStatus.AWAITING_SIGNATURES,
        version=2,
        issued_at=STAMP,
        sign_by=None,
        signed_at=STAMP if signed else None,
        document_sha256="ab" * 32,
        signed_document_sha256="cd" * 32 if signed else "",
        parties=(
            PartyView(SignatureParty.ORGANISATION, "Camille Conseil", "c@alpha.fr", "Cabinet Alpha", STAMP, None),
            PartyView(SignatureParty.BENEFICIARY, "Bruno Benef", "b@alpha.fr", "", None, None),
        ),
        viewer_party=viewer,
    )


def test_the_beneficiary_page_row_has_long_dates_and_the_signed_pdf_once_signed():
    row = convention_row(_view(signed=True), "en")
    assert row["issued"] == row["signed_at"] == "12 March 2026, 14:05"
    assert row["signed_pdf_path"] == f"/api/conventions/{CONVENTION_ID}/pdf?signed=1"
    assert convention_row(_view(), "fr")["signed_pdf_path"] == ""


def test_the_bilan_panel_row_names_what_the_reader_signs():
    row = follower_convention_row(_view(), "fr")
    assert (row["id"], row["viewer_party"], row["signer_name"]) == (
        str(CONVENTION_ID),
        "organisation",
        "Camille Conseil",
    )
    assert row["issued"] == "12/03/2026 14:05" and row["sign_by"] == ""
    nothing_to_sign = follower_convention_row(_view(viewer=None), "fr")
    assert nothing_to_sign["viewer_party"] == nothing_to_sign["signer_name"] == ""


def test_one_party_builder_for_both_pages_with_its_date_format():
    long_rows = party_rows(_view().parties, "fr")
    short_rows = party_rows(_view().parties, "fr", format_datetime)
    assert [row["signed_at"] for row in long_rows] == ["12 mars 2026 à 14:05", ""]
    assert [row["signed_at"] for row in short_rows] == ["12/03/2026 14:05", ""]
    assert long_rows[0]["on_behalf_of"] == "Cabinet Alpha" and long_rows[1]["party"] == "beneficiary"
