"""The beneficiary's pages without a server: the rows services.display.bilans builds for them, and the
questionnaire's helpers of state.beneficiary."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services import routes
from services.bilans import STATUS_ORDER, SessionRow, TaskRow
from services.display.bilans import (
    beneficiary_session_rows,
    public_organisation_row,
    task_rows,
    timeline_rows,
)
from services.enrolment import PublicOrganisationInfo
from services.forms import QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import EN, FR
from state.beneficiary import empty_answers

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/organismes/cabinet-alpha", "cabinet-alpha"),
        ("/organismes/cabinet-alpha/", "cabinet-alpha"),
        ("/organismes/cabinet-alpha/inscription", "cabinet-alpha"),
        ("/organismes", ""),
        ("/mon-espace/demande", ""),
        ("", ""),
    ],
)
def test_slug_from_path(path, slug):
    assert routes.path_param(path, "slug") == slug


def _info(**overrides):
    values = {
        "name": "Cabinet Alpha",
        "slug": "cabinet-alpha",
        "siret": "33514171953640",
        "nda_number": "",
        "address": "",
        "contact_email": "contact@alpha.fr",
        "contact_phone": "",
        "price_euros": 1650.5,
        "default_hours": 24.0,
        "min_hours": 0.0,
        "access_delay_days": 14,
        "modes": ("presentiel",),
        "disability_contact": "",
        "public_description": "",
    }
    values.update(overrides)
    return PublicOrganisationInfo(**values)


def test_public_view_formats_numbers_for_the_locale():
    view = public_organisation_row(_info())
    assert view["price_fr"].replace("\u202f", " ").replace("\xa0", " ") == "1 650,5"
    assert view["price_en"] == "1,650.5"
    assert view["hours_fr"] == view["hours_en"] == "24"
    assert view["min_hours_fr"] == view["min_hours_en"] == ""
    assert view["delay_days"] == "14"
    assert public_organisation_row(_info(min_hours=13.5))["min_hours_en"] == "13.5"
    assert public_organisation_row(_info(min_hours=13.5))["min_hours_fr"] == "13,5"


def test_timeline_marks_one_current_step():
    steps = timeline_rows("investigation")
    assert [s["status"] for s in steps] == [s.value for s in STATUS_ORDER]
    assert [s["state"] for s in steps] == ["done", "done", "current", "upcoming", "upcoming", "upcoming"]
    assert [s["optional"] for s in steps] == [False, False, False, False, True, False]


def test_timeline_at_the_start_and_at_the_end():
    assert [s["state"] for s in timeline_rows("demande")][:2] == ["current", "upcoming"]
    # A finished bilan does not claim the optional follow-up happened.
    assert [s["state"] for s in timeline_rows("termine")] == ["done", "done", "done", "done", "optional", "current"]


@pytest.mark.parametrize("status", ["abandonne", "annule", "???"])
def test_a_closed_bilan_has_no_current_step(status):
    assert {s["state"] for s in timeline_rows(status)} == {"none"}


def _session(**overrides):
    values = {
        "id": "s1",
        "phase": "preliminaire",
        "starts_at": NOW + timedelta(minutes=20),
        "duration_minutes": 90,
        "mode": "distanciel",
        "location": "",
        "video_link": "https://visio.example.org/salle",
        "status": "planned",
        "beneficiary_attended": False,
        "consultant_attended": False,
        "has_notes": True,
    }
    values.update(overrides)
    return SessionRow(**values)


def test_session_rows_confirmable_when_the_service_says_so():
    # The rule (window open, her side not signed yet) is the service's: tests/unit/test_sessions.py.
    open_, closed, done, cancelled = beneficiary_session_rows(
        [
            _session(id="open", attendance_open=True, can_confirm_attendance=True),
            _session(id="closed", starts_at=NOW + timedelta(hours=2)),
            _session(id="done", beneficiary_attended=True, attendance_open=True, can_confirm_attendance=False),
            _session(id="cancelled", status="cancelled"),
        ],
        "fr",
    )
    assert open_["can_confirm"] is True and open_["attended"] is False
    assert closed["can_confirm"] is False
    assert done["can_confirm"] is False and done["attended"] is True
    assert cancelled["can_confirm"] is False
    assert open_["date"] == "10/03/2026 10:20"  # Paris time
    assert open_["minutes"] == "90"
    assert "has_notes" not in open_  # the consultant's notes are not the beneficiary's business
    assert "notes_locked" not in open_ and "consultant" not in open_ and "movable" not in open_


def test_session_rows_accept_naive_utc_and_drop_unsafe_links():
    (row,) = beneficiary_session_rows(
        [
            _session(
                starts_at=datetime(2026, 3, 10, 9, 0),
                video_link="javascript:alert(1)",
                attendance_open=True,
                can_confirm_attendance=True,
            )
        ],
        "en",
    )
    assert row["video_link"] == ""
    assert row["can_confirm"] is True


def test_task_rows():
    rows = task_rows(
        [
            TaskRow(id="t1", title="Lire le livret", due_on=date(2026, 7, 14), done=False, overdue=True),
            TaskRow(id="t2", title="Questionnaire", due_on=None, done=True, overdue=False),
        ],
        "fr",
    )
    assert rows[0] == {"id": "t1", "title": "Lire le livret", "due": "14 juillet 2026", "done": False, "overdue": True}
    assert rows[1]["due"] == "" and rows[1]["done"] is True


def test_empty_answers_have_every_field():
    assert list(empty_answers()) == list(QUESTIONNAIRE_TEXT_FIELDS)
    assert set(empty_answers().values()) == {""}


def test_every_questionnaire_field_has_a_label_and_help():
    for name in QUESTIONNAIRE_TEXT_FIELDS:
        for key in (f"questionnaire.{name}", f"questionnaire.{name}_help"):
            assert key in FR and key in EN, key


def test_every_label_the_space_builds_exists():
    from services.models import BilanStatus, DeliveryMode, FundingType, Phase, SessionStatus

    keys = (
        [f"bilanstatus.{s.value}" for s in BilanStatus]
        + [f"mode.{m.value}" for m in DeliveryMode]
        + [f"funding.{f.value}" for f in FundingType]
        + [f"phase.{p.value}" for p in Phase]
        + [f"sessionstatus.{s.value}" for s in SessionStatus]
        + [
            f"badge.{b}"
            for b in (
                "questionnaire_done",
                "convention_signed",
                "first_session",
                "preliminaire_done",
                "investigation_done",
                "conclusion_done",
            )
        ]
    )
    assert [key for key in keys if key not in FR] == []
