"""services/display/synthese.py: the handover panels' rows and the synthèse's rows, from hand-made views.

The synthèse editor's own builders (versions, status panel, diff, previews) are covered by
tests/unit/test_synthese_ui.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.display.synthese import (
    EMPTY_SUMMARY,
    handover_rows,
    retention_line,
    share_rows,
    version_rows,
    version_summary,
)
from services.i18n import FR
from services.models.base import utcnow
from services.synthese import HandoverView, RetentionView, ShareView, VersionInfo

AT = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def _share(share_id: str, *, revoked: bool = False, expires_in: timedelta = timedelta(days=10)) -> ShareView:
    return ShareView(
        id=share_id,
        recipient_kind="employeur",
        recipient_name="Librairie Dupont",
        recipient_email="rh@dupont.example",
        consent_text_version="1",
        consented_at=AT,
        revoked_at=AT if revoked else None,
        expires_at=utcnow() + expires_in,
        downloads=2,
        last_download_at=None,
        handover_number=1,
        synthese_version=3,
    )


def test_a_share_says_whether_its_link_is_active_as_a_boolean():
    active, revoked, expired = share_rows(
        [_share("s1"), _share("s2", revoked=True), _share("s3", expires_in=timedelta(days=-1))], "fr"
    )
    assert [row["active"] for row in (active, revoked, expired)] == [True, False, False]
    assert set(active) == {"id", "who", "status", "active"}  # what the beneficiary's and the followers' lists read
    assert active["id"] == "s1" and "Librairie Dupont" in active["who"] and "version 3" in active["who"]
    assert active["status"].endswith("téléchargements : 2")
    assert revoked["status"].startswith("Accord retiré le ")
    assert share_rows([_share("s1")], "en")[0]["status"].startswith("Link valid until")


def test_the_handover_history_for_her_and_as_evidence_for_the_followers():
    item = HandoverView(2, 3, "synthese-v3.pdf", "0123456789abcdef", AT, "Camille Martin")
    (mine,) = handover_rows([item], "fr")
    assert mine["text"].startswith("Version 3 : remise le ")
    (evidence,) = handover_rows([item], "fr", evidence=True)
    assert "synthese-v3.pdf" in evidence["text"] and "0123456789ab" in evidence["text"]
    assert "Camille Martin" in evidence["text"] and "0123456789abc" not in evidence["text"]
    (english,) = handover_rows([item], "en")
    assert english["text"].startswith("Version 3: handed over on ")


def test_the_retention_choice_said_to_her_and_to_the_followers():
    assert retention_line(RetentionView("", None, "", None), "fr") == FR["handover.retention_none"]
    chosen = RetentionView("destruction_fin", AT, "1", None)
    assert FR["handover.retention.destruction_fin"] in retention_line(chosen, "fr")
    assert retention_line(chosen, "fr", "Lou").startswith("Lou")


def test_no_current_version_leaves_the_status_lines_empty():
    assert version_summary(None, "fr") == EMPTY_SUMMARY
    info = VersionInfo(1, "draft", "local", "", None, "C. M.", AT, "C. M.", AT, "", None, None)
    (row,) = version_rows([info], "en")
    assert (row["number"], row["label"], row["validated"]) == ("1", "Version 1", "—")
    assert row["created"] == "12 March 2026 · C. M."
