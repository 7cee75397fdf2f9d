"""services.display.bilans: the rows of the dashboard, the bilan page and her home, without a server."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.bilans import BilanDetail, BilanRow, ConsultantCard, HistoryRow, SessionRow, TaskRow
from services.display.bilans import (
    beneficiary_session_rows,
    bilan_detail_row,
    bilan_history_rows,
    consultant_rows,
    dashboard_rows,
    follower_session_rows,
    public_organisation_row,
    questionnaire_rows,
    session_move_row,
    task_rows,
)
from services.enrolment import PublicOrganisationInfo
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import LOCALES

STAMP = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)  # 14:05 in Paris


def _bilan_row(**overrides: object) -> BilanRow:
    values = {
        "id": "b1",
        "beneficiary_name": "Léa Dubois",
        "consultant_id": "c1",
        "consultant_name": "Camille Conseil",
        "status": "investigation",
        "funding_type": "cpf",
        "requested_at": STAMP,
        "planned_minutes": 90,
        "completed_minutes": 0,
        "next_session_at": None,
        "alerts": ("no_session",),
        "awaiting_my_answer": False,
    }
    values.update(overrides)
    return BilanRow(**values)


def _session(**overrides: object) -> SessionRow:
    values = {
        "id": "s1",
        "phase": "investigation",
        "starts_at": STAMP,
        "duration_minutes": 90,
        "mode": "distanciel",
        "location": "",
        "video_link": "https://visio.example.org/salle",
        "status": "planned",
        "beneficiary_attended": False,
        "consultant_attended": True,
        "has_notes": True,
    }
    values.update(overrides)
    return SessionRow(**values)


def test_dashboard_rows_format_hours_per_locale_and_flag_requests_with_a_bool():
    waiting, plain = dashboard_rows(
        [
            _bilan_row(awaiting_my_answer=True, completed_minutes=90, next_session_at=STAMP),
            _bilan_row(id="b2"),
        ],
        "fr",
    )
    assert waiting["awaiting"] is True and plain["awaiting"] is False
    assert (waiting["hours_done"], waiting["hours_planned"]) == ("1,5", "1,5")
    assert dashboard_rows([_bilan_row(completed_minutes=90)], "en")[0]["hours_done"] == "1.5"
    assert waiting["next_session"] == "12/03/2026 14:05" and plain["next_session"] == ""
    assert waiting["alerts"] == ["no_session"] and waiting["consultant_id"] == "c1"
    assert "consultant" not in waiting  # no page shows it


def test_consultant_rows_join_the_profile():
    [row] = consultant_rows([ConsultantCard("c1", "Camille Conseil", 3, headline="Reconversion", availability="")])
    assert row == {"id": "c1", "name": "Camille Conseil", "load": "3", "profile": "Reconversion"}


def test_bilan_detail_row_carries_real_booleans():
    detail = BilanDetail(
        id="b1",
        status="conclusion",
        beneficiary_name="Léa Dubois",
        beneficiary_email="lea@example.org",
        consultant_name="Camille Conseil",
        mode="presentiel",
        funding_type="cpf",
        edof_file_number="",
        edof_status="",
        employer_name="",
        employer_signatory_name="",
        employer_email="",
        price_euros=1800.0,
        hours_planned_total=24.0,
        objectives="",
        requested_at=STAMP,
        questionnaire_completed=True,
        synthese_uploaded=True,
        synthese_handed_over_at=None,
        followup_due_on=date(2026, 9, 1),
        next_statuses=(),
        can_follow=True,
        is_assigned_consultant=False,
        default_phase="conclusion",
        can_schedule_followup=True,
    )
    row = bilan_detail_row(detail, "", "en")
    assert (row["synthese_uploaded"], row["assigned"], row["can_schedule_followup"]) == (True, False, True)
    assert (row["price_euros"], row["hours_planned_total"]) == ("1800", "24")
    assert row["followup_due_on"] == "2026-09-01" and row["handed_over"] == ""
    assert "beneficiary_email" not in row  # no page shows it


def test_the_bilan_page_and_her_home_share_the_session_fields():
    session = _session(can_confirm_attendance=True, movable=True, recorded_afterwards=True)
    [card] = follower_session_rows([session], {"s1"}, "fr")
    [line] = beneficiary_session_rows([session], "fr")
    shared = ("id", "date", "phase", "minutes", "mode", "status", "attended", "can_confirm")
    assert {key: card[key] for key in shared} == {key: line[key] for key in shared}
    assert (card["can_confirm"], card["attended"], card["consultant"]) == (True, False, True)
    assert (card["notes_locked"], card["movable"], card["recorded"], card["cancellable"]) == (True, True, True, False)
    assert card["place"] == "https://visio.example.org/salle" and card["starts_input"] == "2026-03-12T14:05"
    assert session_move_row(card) == {"starts_at": "2026-03-12T14:05", "duration_minutes": "90"}
    assert "notes_locked" not in line and "place" not in line


def test_task_rows_are_the_same_on_both_pages():
    rows = task_rows([TaskRow(id="t1", title="Lire", due_on=date(2026, 7, 14), done=True, overdue=False)], "en")
    assert rows == [{"id": "t1", "title": "Lire", "due": "14 July 2026", "done": True, "overdue": False}]


def test_questionnaire_and_history_rows_are_in_words():
    rows = questionnaire_rows({QUESTIONNAIRE_TEXT_FIELDS[0]: "Oui"}, "fr")
    assert [row["answer"] for row in rows] == ["Oui"] + [""] * (len(QUESTIONNAIRE_TEXT_FIELDS) - 1)
    assert all(row["label"] and not row["label"].startswith("questionnaire.") for row in rows)
    [event] = bilan_history_rows(
        [
            HistoryRow(
                STAMP, "bilan.accepted", "Camille Conseil", {"status": {"before": "demande", "after": "preliminaire"}}
            )
        ],
        "fr",
    )
    assert event["actor"] == "Camille Conseil" and event["date"].startswith("12 mars 2026")
    assert event["action"] != "audit.bilan.accepted" and event["changes"] == "Statut : Demande → Phase préliminaire"


def test_the_public_page_row_has_its_numbers_in_every_locale():
    info = PublicOrganisationInfo(
        name="Cabinet Alpha",
        slug="cabinet-alpha",
        siret="33514171953640",
        nda_number="",
        address="",
        contact_email="",
        contact_phone="",
        price_euros=1650.5,
        default_hours=24.0,
        min_hours=12.0,
        access_delay_days=14,
        modes=("presentiel",),
        disability_contact="",
        public_description="",
    )
    row = public_organisation_row(info)
    for locale in LOCALES:  # the language switch shows them without a round trip
        assert row[f"price_{locale}"] and row[f"hours_{locale}"] and row[f"min_hours_{locale}"] == "12"


def test_dashboard_rows_carry_the_reader_s_unread_messages():
    row = _bilan_row()
    [with_unread] = dashboard_rows([row], "fr", {row.id: 3})
    [without] = dashboard_rows([row], "fr")
    assert (with_unread["unread"], without["unread"]) == (3, 0)
