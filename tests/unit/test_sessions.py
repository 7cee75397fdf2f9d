"""Sessions and attendance cannot be fabricated (issue 11 §1, §7, §8).

Planning is in the future only, within a sane range and without overlap for the consultant; attendance
is confirmed by each party from the start until 48 h after the end, never before the convention is
signed (the preliminary interview excepted when the organisation's process says so); a session held
without the platform is recorded afterwards with a reason and counts once the beneficiary confirms it;
the organisation's minimum hours are held before the bilan is concluded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services import bilans, jobs, members
from services.crypto import decrypt_text
from services.documents import records
from services.errors import AccessDenied, FormError
from services.i18n import TIMEZONE
from services.models import Role, SessionStatus
from services.models.base import clock_at, utcnow
from tests.unit.test_bilans import S as Status
from tests.unit.test_bilans import (
    accepted_bilan,
    add_convention,
    add_person,
    add_session,
    add_task_row,
    bilan_state,
    events,
    insert_bilan,
    load_session,
    paris_today,
    raised,
    ready_bilan,
    session_form,
    signed_bilan,
    update_bilan,
    update_organisation,
)

pytestmark = pytest.mark.usefixtures("isolated_storage")


def local(moment: datetime) -> str:
    """What a datetime-local input sends (Paris time, to the minute)."""
    return moment.astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M")


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A Paris time ``days`` from today."""
    day = paris_today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


def form_error(call) -> dict[str, str]:
    error = raised(call)
    assert isinstance(error, FormError), error.code
    return error.fields


# ---------------------------------------------------------------- planning


@pytest.mark.parametrize(
    ("starts_at", "field_error"),
    [
        (lambda: local(utcnow() - timedelta(hours=1)), "error.session_in_past"),
        (lambda: local(utcnow() - timedelta(days=400)), "error.session_in_past"),
        (lambda: "0001-01-01T10:00", "error.date_out_of_range"),  # OverflowError before
        (lambda: "9999-12-31T10:00", "error.date_out_of_range"),  # accepted before, then the sheet answered 500
        (lambda: local(utcnow() + timedelta(days=400)), "error.session_too_far"),
    ],
)
def test_a_session_is_planned_in_the_future_within_a_year(world, starts_at, field_error):
    bilan_id = accepted_bilan(world)
    before = bilan_state(bilan_id)
    raw = session_form(60, starts_at=starts_at())
    assert form_error(lambda: bilans.plan_session(world.consultant_a, bilan_id, raw)) == {"starts_at": field_error}
    assert bilan_state(bilan_id) == before
    assert bilans.list_sessions(world.consultant_a, bilan_id) == []


def test_overlapping_sessions_of_one_consultant_are_refused_across_their_bilans(world):
    first = accepted_bilan(world)
    other_beneficiary = add_person(world, "a", Role.BENEFICIARY, "Ines", "Autre")
    second = insert_bilan(world, beneficiary=other_beneficiary.user_id)
    bilans.plan_session(world.consultant_a, first, session_form(120, starts_at=local(at(5, 11))))
    before = bilan_state(second)
    error = raised(lambda: bilans.plan_session(world.admin_a, second, session_form(60, starts_at=local(at(5, 11, 30)))))
    assert isinstance(error, FormError) and error.fields == {"starts_at": "error.session_overlap"}
    assert "11:00–13:00" in str(error.params["slot"])
    # Starting earlier and running into it is an overlap too.
    raw = session_form(90, starts_at=local(at(5, 10)))
    assert form_error(lambda: bilans.plan_session(world.consultant_a, second, raw)) == {
        "starts_at": "error.session_overlap"
    }
    assert bilan_state(second) == before
    # Back to back is fine; another consultant at the same time is fine.
    bilans.plan_session(world.consultant_a, second, session_form(60, starts_at=local(at(5, 13))))
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    third = insert_bilan(world, consultant=colleague.user_id, beneficiary=other_beneficiary.user_id)
    bilans.plan_session(colleague, third, session_form(60, starts_at=local(at(5, 11, 30))))


def test_a_cancelled_session_frees_its_slot(world):
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(120, starts_at=local(at(6, 11))))
    bilans.cancel_session(world.consultant_a, session_id)
    bilans.plan_session(world.consultant_a, bilan_id, session_form(60, starts_at=local(at(6, 11, 30))))


@pytest.mark.parametrize(
    ("status", "phase"), [(Status.PRELIMINAIRE, "preliminaire"), (Status.CONCLUSION, "conclusion")]
)
def test_a_new_session_takes_the_bilan_phase_when_none_is_given(world, status, phase):
    bilan_id = insert_bilan(world, status)
    for raw in (session_form(60, phase=""), {k: v for k, v in session_form(60).items() if k != "phase"}):
        session_id = bilans.plan_session(world.consultant_a, bilan_id, raw)
        assert load_session(session_id).phase == phase
    chosen = bilans.plan_session(world.consultant_a, bilan_id, session_form(60, phase="suivi"))
    assert load_session(chosen).phase == "suivi"


# ---------------------------------------------------------------- attendance


def test_attendance_closes_48_hours_after_the_end(world):
    bilan_id = signed_bilan(world)
    still_open = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(hours=48, minutes=30))
    closed = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(hours=49, minutes=5))
    bilans.confirm_attendance(world.beneficiary_a, still_open)
    bilans.confirm_attendance(world.consultant_a, still_open)
    assert load_session(still_open).status == SessionStatus.HELD
    before = bilan_state(bilan_id)
    for party in (world.beneficiary_a, world.consultant_a):
        assert raised(lambda p=party: bilans.confirm_attendance(p, closed)).code == "error.attendance_window_closed"
    assert bilan_state(bilan_id) == before
    rows = {row.id: row for row in bilans.list_sessions(world.consultant_a, bilan_id)}
    assert rows[str(closed)].attendance_open is False


def _rows(actor, bilan_id) -> dict:
    return {row.id: row for row in bilans.list_sessions(actor, bilan_id)}


def test_the_rows_say_who_may_confirm_attendance_now(world):
    bilan_id = signed_bilan(world)
    started = str(add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=5)))
    later = str(add_session(bilan_id, 60, starts_at=utcnow() + timedelta(hours=2)))
    missed = str(add_session(bilan_id, 60, starts_at=utcnow() - timedelta(hours=49, minutes=5)))
    party = {"beneficiary": world.beneficiary_a, "consultant": world.consultant_a, "admin": world.admin_a}

    def can_confirm(session_id: str) -> dict[str, bool]:
        return {name: _rows(actor, bilan_id)[session_id].can_confirm_attendance for name, actor in party.items()}

    # Each party while the window is open and their side is not signed; the admin never signs.
    assert can_confirm(started) == {"beneficiary": True, "consultant": True, "admin": False}
    assert can_confirm(later) == can_confirm(missed) == {"beneficiary": False, "consultant": False, "admin": False}
    bilans.confirm_attendance(world.beneficiary_a, started)
    assert can_confirm(started) == {"beneficiary": False, "consultant": True, "admin": False}
    bilans.confirm_attendance(world.consultant_a, started)
    assert can_confirm(started) == {"beneficiary": False, "consultant": False, "admin": False}
    rows = _rows(world.consultant_a, bilan_id)
    # Cancelling is for what still awaits attendance; a planned session past its window says it was missed.
    assert [(rows[i].cancellable, rows[i].attendance_missed) for i in (started, later, missed)] == [
        (False, False),
        (True, False),
        (True, True),
    ]


def test_nothing_is_held_before_the_convention_is_signed(world):
    bilan_id = accepted_bilan(world)  # no convention yet
    session_id = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=10))
    before = bilan_state(bilan_id)
    for party in (world.beneficiary_a, world.consultant_a):
        code = raised(lambda p=party: bilans.confirm_attendance(p, session_id)).code
        assert code == "error.session_before_convention"
    assert bilan_state(bilan_id) == before
    # A convention signed after the session started does not cover it.
    add_convention(bilan_id, issued=utcnow() - timedelta(minutes=5))
    assert raised(lambda: bilans.confirm_attendance(world.consultant_a, session_id)).code == (
        "error.session_before_convention"
    )
    covered = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=1))
    bilans.confirm_attendance(world.consultant_a, covered)
    bilans.confirm_attendance(world.beneficiary_a, covered)
    assert load_session(covered).status == SessionStatus.HELD


def test_the_preliminary_interview_may_come_first_if_the_organisation_says_so(world):
    bilan_id = accepted_bilan(world)
    preliminary = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=10))
    update_organisation(world.org_a, preliminary_interview_before_convention=True)
    bilans.confirm_attendance(world.beneficiary_a, preliminary)
    bilans.confirm_attendance(world.consultant_a, preliminary)
    assert load_session(preliminary).status == SessionStatus.HELD
    # Only the preliminary interview: an investigation session still waits for the convention.
    investigation = bilans.plan_session(world.consultant_a, bilan_id, session_form(60, phase="investigation"))
    with clock_at(load_session(investigation).starts_at + timedelta(minutes=5)):
        assert raised(lambda: bilans.confirm_attendance(world.consultant_a, investigation)).code == (
            "error.session_before_convention"
        )
    sheet = records.attendance_context(
        records._record_input(world.consultant_a, bilan_id, "attendance_pdf"), created=utcnow()
    )
    [line] = [line for line in sheet["sessions"] if line["notes"]]
    assert "Entretien préliminaire tenu avant la signature de la convention" in " ".join(line["notes"])


# ---------------------------------------------------------------- recorded afterwards


def past_form(**extra) -> dict:
    started = utcnow() - timedelta(days=3)
    return session_form(90, starts_at=local(started), **extra)


def test_a_past_session_is_recorded_only_with_a_reason_by_the_assigned_consultant(world):
    bilan_id = signed_bilan(world)
    backdate_request(bilan_id)
    before = bilan_state(bilan_id)
    assert form_error(lambda: bilans.record_past_session(world.consultant_a, bilan_id, past_form())) == {
        "reason": "error.required"
    }
    assert form_error(
        lambda: bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="x" * 1001))
    ) == {"reason": "error.too_long"}
    future = session_form(60, reason="Panne")
    assert form_error(lambda: bilans.record_past_session(world.consultant_a, bilan_id, future)) == {
        "starts_at": "error.recorded_session_not_past"
    }
    with pytest.raises(AccessDenied):
        bilans.record_past_session(world.admin_a, bilan_id, past_form(reason="Panne"))
    with pytest.raises(AccessDenied):
        bilans.record_past_session(world.beneficiary_a, bilan_id, past_form(reason="Panne"))
    assert bilan_state(bilan_id) == before


def backdate_request(bilan_id) -> None:
    """The bilan was requested a month ago (a past session cannot precede the request)."""
    update_bilan(bilan_id, requested_at=utcnow() - timedelta(days=30))


def test_a_recorded_session_counts_once_the_beneficiary_confirms_it(world):
    bilan_id = signed_bilan(world)
    backdate_request(bilan_id)
    reason = "Séance tenue par téléphone pendant une panne de la plateforme"
    session_id = bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason=reason))
    row = load_session(session_id)
    assert row.status == SessionStatus.RECORDED
    assert row.recorded_by_id == world.consultant_a.user_id and row.recorded_afterwards_at is not None
    assert "panne" not in row.recorded_reason_encrypted and decrypt_text(row.recorded_reason_encrypted) == reason
    assert row.beneficiary_attended_at is None  # her confirmation is never made up
    [event] = events(bilan_id, "bilan.session_recorded")
    assert event.actor_user_id == world.consultant_a.user_id
    assert bilans.hours(world.consultant_a, bilan_id).completed_minutes == 0
    [listed] = bilans.list_sessions(world.beneficiary_a, bilan_id)
    assert (listed.recorded_afterwards, listed.attendance_open, listed.status) == (True, True, "recorded")
    assert (listed.can_confirm_attendance, listed.cancellable) == (True, True)  # hers alone to confirm
    [theirs] = bilans.list_sessions(world.consultant_a, bilan_id)
    assert theirs.can_confirm_attendance is False  # the record is their side of the sheet

    sheet = records.attendance_context(
        records._record_input(world.consultant_a, bilan_id, "attendance_pdf"), created=utcnow()
    )
    [line] = sheet["sessions"]
    assert line["consultant"].startswith("Saisie a posteriori le ")
    assert line["beneficiary"].startswith("Confirmation de la bénéficiaire attendue")
    assert reason in " ".join(line["notes"]) and "non comptée" in " ".join(line["notes"])
    late = records.attendance_context(
        records._record_input(world.consultant_a, bilan_id, "attendance_pdf"), created=utcnow() + timedelta(days=8)
    )
    assert late["sessions"][0]["beneficiary"] == "Confirmation de la bénéficiaire manquante"

    assert raised(lambda: bilans.confirm_attendance(world.admin_a, session_id)).code == "error.access_denied"
    bilans.confirm_attendance(world.beneficiary_a, session_id)
    assert load_session(session_id).status == SessionStatus.HELD
    assert bilans.hours(world.consultant_a, bilan_id).completed_minutes == 90
    sheet = records.attendance_context(
        records._record_input(world.consultant_a, bilan_id, "attendance_pdf"), created=utcnow()
    )
    assert sheet["sessions"][0]["beneficiary"].startswith("Présence confirmée en ligne le ")
    assert "Séance saisie a posteriori" in " ".join(sheet["sessions"][0]["notes"])


def test_the_beneficiary_confirms_a_record_within_seven_days(world):
    bilan_id = signed_bilan(world)
    backdate_request(bilan_id)
    session_id = bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="Sur papier"))
    with clock_at(utcnow() + timedelta(days=7, minutes=5)):
        assert raised(lambda: bilans.confirm_attendance(world.beneficiary_a, session_id)).code == (
            "error.attendance_window_closed"
        )
    assert load_session(session_id).status == SessionStatus.RECORDED


def test_a_record_respects_the_convention_and_the_consultant_agenda(world):
    bilan_id = accepted_bilan(world)  # no convention
    backdate_request(bilan_id)
    assert form_error(lambda: bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="R"))) == {
        "starts_at": "error.session_before_convention"
    }
    add_convention(bilan_id, issued=utcnow() - timedelta(days=10))
    bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="R"))
    assert form_error(lambda: bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="R"))) == {
        "starts_at": "error.session_overlap"
    }
    long_ago = session_form(60, starts_at=local(utcnow() - timedelta(days=60)), reason="R")
    assert form_error(lambda: bilans.record_past_session(world.consultant_a, bilan_id, long_ago)) == {
        "starts_at": "error.recorded_session_before_bilan"
    }


# ---------------------------------------------------------------- rescheduling


def test_a_planned_session_is_moved_with_the_checks_of_planning(world):
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(120, starts_at=local(at(8, 9))))
    other = bilans.plan_session(world.consultant_a, bilan_id, session_form(60, starts_at=local(at(9, 14))))
    before = bilan_state(bilan_id)
    for starts_at, field_error in (
        (local(utcnow() - timedelta(hours=2)), "error.session_in_past"),
        ("9999-12-31T10:00", "error.date_out_of_range"),
        (local(at(9, 13, 30)), "error.session_overlap"),
    ):
        raw = {"starts_at": starts_at, "duration_minutes": 120}
        assert form_error(lambda r=raw: bilans.reschedule_session(world.consultant_a, session_id, r)) == {
            "starts_at": field_error
        }
    assert bilan_state(bilan_id) == before
    # Moving by half an hour overlaps only its own old slot: fine.
    bilans.reschedule_session(
        world.consultant_a, session_id, {"starts_at": local(at(8, 9, 30)), "duration_minutes": 90}
    )
    row = load_session(session_id)
    assert (row.starts_at, row.duration_minutes, row.reminder_sent_at) == (at(8, 9, 30), 90, None)
    [moved] = events(bilan_id, "bilan.session_rescheduled")
    assert moved.changes == {
        "appointment": {
            "before": f"preliminaire {at(8, 9).isoformat()} 120 min",
            "after": f"preliminaire {at(8, 9, 30).isoformat()} 90 min",
        }
    }
    with pytest.raises(AccessDenied):
        bilans.reschedule_session(world.beneficiary_a, other, {"starts_at": local(at(10, 9)), "duration_minutes": 60})


def test_a_started_or_held_session_is_not_moved(world):
    bilan_id = signed_bilan(world)
    started = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=5))
    held = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(days=2), status=SessionStatus.HELD)
    for session_id in (started, held):
        code = raised(
            lambda s=session_id: bilans.reschedule_session(
                world.consultant_a, s, {"starts_at": local(at(10, 9)), "duration_minutes": 60}
            )
        ).code
        assert code == "error.session_not_movable"


# ---------------------------------------------------------------- tasks and the follow-up


@pytest.mark.parametrize(
    ("due_on", "field_error"),
    [
        (lambda: "2020-01-15", "error.task_due_past"),
        (lambda: str(paris_today() - timedelta(days=1)), "error.task_due_past"),
        (lambda: str(paris_today() + timedelta(days=400)), "error.task_due_too_far"),
        (lambda: "0001-01-01", "error.date_out_of_range"),
        (lambda: "9999-12-31", "error.date_out_of_range"),
    ],
)
def test_a_task_due_date_is_today_or_within_a_year(world, due_on, field_error):
    bilan_id = accepted_bilan(world)
    raw = {"title": "Relancer l'employeur", "due_on": due_on()}
    assert form_error(lambda: bilans.add_task(world.consultant_a, bilan_id, raw)) == {"due_on": field_error}
    assert bilans.list_tasks(world.consultant_a, bilan_id) == []
    bilans.add_task(world.consultant_a, bilan_id, {"title": "Aujourd'hui", "due_on": str(paris_today())})


def test_no_reminder_for_a_task_already_past(world):
    bilan_id = accepted_bilan(world)
    add_task_row(bilan_id, "Ancienne tâche", paris_today() - timedelta(days=400))
    assert jobs.remind_tasks(utcnow()) == 0


def test_the_follow_up_is_within_a_year(world):
    bilan_id = ready_bilan(world, Status.CONCLUSION)
    error = form_error(lambda: bilans.schedule_followup(world.consultant_a, bilan_id, paris_today().replace(year=9999)))
    assert error == {"followup_due_on": "error.followup_too_far"}
    bilans.schedule_followup(world.consultant_a, bilan_id, paris_today() + timedelta(days=182))


# ---------------------------------------------------------------- the organisation's minimum hours


@pytest.mark.parametrize("target", [Status.SUIVI, Status.TERMINE])
def test_the_minimum_hours_are_held_before_the_bilan_is_concluded(world, target):
    update_organisation(world.org_a, min_hours=13)
    bilan_id = ready_bilan(world, Status.CONCLUSION)
    add_session(bilan_id, 360, starts_at=utcnow() - timedelta(days=20), status=SessionStatus.HELD)
    add_session(bilan_id, 480, starts_at=utcnow() + timedelta(days=2))  # planned hours do not count
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, target))
    assert (error.code, error.params) == ("error.min_hours_not_met", {"done": "6", "min": "13"})
    assert bilan_state(bilan_id) == before
    refusals = bilans.bilan_detail(world.consultant_a, bilan_id).move_refusals
    assert refusals[str(target)] == ("error.min_hours_not_met", {"done": "6", "min": "13"})
    assert str(Status.ABANDONNE) not in refusals  # closing with a reason stays possible
    add_session(bilan_id, 420, starts_at=utcnow() - timedelta(days=10), status=SessionStatus.HELD)
    assert str(target) not in bilans.bilan_detail(world.consultant_a, bilan_id).move_refusals
    bilans.transition(world.consultant_a, bilan_id, target)
    assert bilans.bilan_detail(world.consultant_a, bilan_id).status == str(target)


# ---------------------------------------------------------------- the organisation's settings (§3)


def test_the_organisation_profile_reads_back_what_is_stored(world):
    update_organisation(
        world.org_a, address="3 place Bellecour, Lyon", min_hours=0, price_euros=1500, access_delay_days=0
    )
    profile = members.get_organisation_profile(world.admin_a)
    assert profile["address"] == "3 place Bellecour, Lyon"
    assert (profile["min_hours"], profile["access_delay_days"], profile["price_euros"]) == (0, 0, 1500)
    assert profile["preliminary_interview_before_convention"] is False
    raw = {name: profile[name] for name in members.PROFILE_FIELDS}
    raw["modes"] = str(profile["modes"]).split(",")
    raw["preliminary_interview_before_convention"] = True
    members.update_organisation_profile(world.admin_a, raw)
    assert members.get_organisation_profile(world.admin_a)["preliminary_interview_before_convention"] is True
