"""The psychometrics service: taking a test during a bilan, and who may read the results.

Needs the ``psychometric_sessions`` and ``psychometric_results`` tables in the migrations.
The bilan is created through the real services: beneficiary_a asks for consultant_a, who accepts.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import col, select

from services import bilans
from services.access import Actor
from services.crypto import decrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.models import (
    AuditEvent,
    Bilan,
    BilanStatus,
    Membership,
    PsychometricResult,
    PsychometricSession,
    PsychometricStatus,
    Role,
    User,
)
from services.psychometrics import service
from services.psychometrics.catalog import get_instrument

INTERESTS = "interests_riasec"
BIG_FIVE = "big_five_ipip50"
VALUES = "work_values"


# ---------------------------------------------------------------- helpers


def open_bilan(world, org: str = "a") -> uuid.UUID:
    beneficiary, consultant = world.actor(f"beneficiary_{org}"), world.actor(f"consultant_{org}")
    bilan_id = bilans.request_bilan(
        beneficiary,
        {"mode": "hybride", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id)},
    )
    bilans.accept_request(consultant, bilan_id)
    return bilan_id


def add_member(world, role: Role, org: str = "a") -> Actor:
    """Another member of an organisation (written directly: no password needed to act as them)."""
    organisation_id = world.org_a if org == "a" else world.org_b
    with session_scope() as session:
        user = User(
            email=f"membre.{uuid.uuid4().hex[:8]}@exemple.fr", first_name="Dana", last_name="Autre", password_hash="!"
        )
        session.add(user)
        session.flush()
        session.add(Membership(user_id=user.id, organisation_id=organisation_id, role=role))
    return Actor(user_id=user.id, role=role, organisation_id=organisation_id, label="Dana Autre")


def interest_answers(per_type: dict[str, int]) -> dict[str, int]:
    instrument = get_instrument(INTERESTS)
    return {item.id: per_type[item.dimension] for item in instrument.items}


PROFILE = {"R": 1, "I": 3, "A": 4, "S": 2, "E": 0, "C": 2}  # A 40, I 30, S 20, C 20, R 10, E 0 -> "AIS"


def take(world, bilan_id, instrument_id=INTERESTS, answers=None) -> uuid.UUID:
    """The beneficiary takes a whole test; returns the result id."""
    view = service.start_or_resume(world.beneficiary_a, bilan_id, instrument_id)
    if answers is None:
        answers = dict.fromkeys(get_instrument(instrument_id).item_ids, get_instrument(instrument_id).scale.max)
    service.save_answers(world.beneficiary_a, view.id, answers)
    return service.complete(world.beneficiary_a, view.id)


def events(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.created_at))
            ).all()
        )


def stored_sessions() -> list[PsychometricSession]:
    with session_scope() as session:
        return list(session.exec(select(PsychometricSession)).all())


def stored_results() -> list[PsychometricResult]:
    with session_scope() as session:
        return list(session.exec(select(PsychometricResult)).all())


# ---------------------------------------------------------------- the catalogue


def test_list_instruments_is_public_and_localised():
    french = service.list_instruments()
    assert [(i.id, i.item_count) for i in french] == [(INTERESTS, 60), (BIG_FIVE, 50), (VALUES, 24)]
    assert french[0].scale[0].label == "Je n'aimerais pas du tout"
    assert "O*NET Interest Profiler Short Form" in french[0].source
    english = service.list_instruments("en")
    assert english[0].scale[4].label == "I would like it very much"
    assert english[1].dimensions[0] == "Extraversion"


# ---------------------------------------------------------------- taking a test


def test_start_pause_resume_and_complete(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, INTERESTS)
    assert view.status is PsychometricStatus.IN_PROGRESS
    assert (view.answered, view.total, view.instrument.version) == (0, 60, "1.0")
    assert view.questions[0].item_id == "R01" and view.questions[0].answer is None

    answers = interest_answers(PROFILE)
    first_half = dict(list(answers.items())[:25])
    saved = service.save_answers(world.beneficiary_a, view.id, first_half)
    assert saved.answered == 25

    # Paused, then resumed: the same session, with the answers kept.
    resumed = service.start_or_resume(world.beneficiary_a, bilan_id, INTERESTS)
    assert resumed.id == view.id
    assert resumed.answers == first_half
    assert service.get_session(world.beneficiary_a, view.id).answered == 25
    assert len(stored_sessions()) == 1

    # A second partial save merges; an answer can be changed and cleared.
    rest = dict(list(answers.items())[25:])
    service.save_answers(world.beneficiary_a, view.id, rest | {"R01": 4})
    cleared = service.save_answers(world.beneficiary_a, view.id, {"R01": None})
    assert cleared.answered == 59

    with pytest.raises(FormError) as caught:
        service.complete(world.beneficiary_a, view.id)
    assert caught.value.fields == {"R01": "psy.error.missing_answer"}

    service.save_answers(world.beneficiary_a, view.id, {"R01": answers["R01"]})
    result_id = service.complete(world.beneficiary_a, view.id)

    [row] = stored_sessions()
    assert row.status is PsychometricStatus.COMPLETED and row.completed_at is not None
    [result] = stored_results()
    assert result.id == result_id
    assert (result.organisation_id, result.bilan_id, result.session_id) == (world.org_a, bilan_id, view.id)
    assert (result.instrument_id, result.instrument_version) == (INTERESTS, "1.0")
    assert result.holland_code == "AIS"
    assert result.scores["dimensions"]["A"] == {"raw": 40.0, "normalised": 100.0, "rank": 1, "level": ""}
    assert result.scores["ranking"] == ["A", "I", "S", "C", "R", "E"]  # S and C tie at 20: RIASEC order


def test_answers_are_encrypted_at_rest(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    service.save_answers(world.beneficiary_a, view.id, {"ACH1": 5, "AUT2": 1})
    [row] = stored_sessions()
    assert "ACH1" not in row.answers_encrypted
    assert json.loads(decrypt_text(row.answers_encrypted)) == {"ACH1": 5, "AUT2": 1}


def test_missing_answers_are_listed_in_order(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    service.save_answers(world.beneficiary_a, view.id, {"ACH1": 3, "CON1": 3})
    with pytest.raises(FormError) as caught:
        service.complete(world.beneficiary_a, view.id)
    assert list(caught.value.fields)[:3] == ["REC1", "REL1", "SEC1"]
    assert len(caught.value.fields) == 22 and caught.value.params == {"count": 22}
    assert stored_results() == []
    assert stored_sessions()[0].status is PsychometricStatus.IN_PROGRESS


def test_invalid_values_are_refused_and_nothing_is_saved(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, BIG_FIVE)
    service.save_answers(world.beneficiary_a, view.id, {"B01": 4})
    with pytest.raises(FormError) as caught:
        service.save_answers(world.beneficiary_a, view.id, {"B02": 3, "B03": 0, "X99": 1})
    assert caught.value.fields == {"B03": "psy.error.out_of_scale", "X99": "psy.error.unknown_item"}
    assert service.get_session(world.beneficiary_a, view.id).answers == {"B01": 4}


def test_a_completed_session_is_frozen_and_a_new_start_opens_a_new_one(world):
    bilan_id = open_bilan(world)
    first = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    service.save_answers(world.beneficiary_a, first.id, dict.fromkeys(get_instrument(VALUES).item_ids, 3))
    service.complete(world.beneficiary_a, first.id)
    with pytest.raises(ServiceError) as caught:
        service.save_answers(world.beneficiary_a, first.id, {"ACH1": 5})
    assert caught.value.code == "psy.error.session_completed"
    with pytest.raises(ServiceError):
        service.complete(world.beneficiary_a, first.id)
    again = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    assert again.id != first.id and again.answered == 0


def test_sessions_of_different_instruments_are_separate(world):
    bilan_id = open_bilan(world)
    a = service.start_or_resume(world.beneficiary_a, bilan_id, INTERESTS)
    b = service.start_or_resume(world.beneficiary_a, bilan_id, BIG_FIVE)
    assert a.id != b.id
    with pytest.raises(FormError):
        service.save_answers(world.beneficiary_a, b.id, {"R01": 2})  # an item of the other test


def test_unknown_instrument_and_closed_bilan(world):
    bilan_id = open_bilan(world)
    with pytest.raises(NotFound):
        service.start_or_resume(world.beneficiary_a, bilan_id, "mbti")
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    bilans.transition(world.consultant_a, bilan_id, BilanStatus.ABANDONNE, "Le bénéficiaire arrête")
    with pytest.raises(ServiceError) as caught:
        service.save_answers(world.beneficiary_a, view.id, {"ACH1": 5})
    assert caught.value.code == "error.bilan_closed"
    with pytest.raises(ServiceError):
        service.start_or_resume(world.beneficiary_a, bilan_id, INTERESTS)


def test_start_and_completion_are_audited_in_the_bilan_history(world):
    bilan_id = open_bilan(world)
    take(world, bilan_id, VALUES)
    [started] = events("psy.session_started")
    [completed] = events("psy.session_completed")
    for event in (started, completed):
        assert (event.organisation_id, event.target_type, event.target_id) == (world.org_a, "bilan", str(bilan_id))
        assert event.actor_user_id == world.beneficiary_a.user_id
    assert completed.changes["instrument"]["after"] == "work_values 1.0"
    actions = [row.action for row in bilans.history(world.consultant_a, bilan_id)]
    assert "psy.session_completed" in actions and "psy.session_started" in actions


# ---------------------------------------------------------------- results and who sees the scores


def test_the_beneficiary_sees_interpretations_without_scores(world):
    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    [result] = service.results_for_bilan(world.beneficiary_a, bilan_id)
    assert result.raw_visible is False
    assert result.holland_code == "AIS"
    assert [d.key for d in result.dimensions] == ["A", "I", "S", "C", "R", "E"]
    assert all(d.raw is None and d.normalised is None for d in result.dimensions)
    assert result.dimensions[0].label == "Artistique" and result.dimensions[0].interpretation
    assert "pas des verdicts" in result.disclaimer
    assert "not verdicts" in service.results_for_bilan(world.beneficiary_a, bilan_id, "en")[0].disclaimer
    assert events("bilan.personal_data_read") == []  # the beneficiary reading their own data is not logged


@pytest.mark.parametrize("reader", ["consultant_a", "admin_a"])
def test_followers_see_the_raw_scores_and_the_read_is_logged(world, reader):
    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    [result] = service.results_for_bilan(world.actor(reader), bilan_id)
    assert result.raw_visible is True
    assert {d.key: d.raw for d in result.dimensions} == {
        "A": 40.0,
        "I": 30.0,
        "S": 20.0,
        "C": 20.0,
        "R": 10.0,
        "E": 0.0,
    }
    assert result.dimensions[0].normalised == 100.0
    [read] = events("bilan.personal_data_read")
    assert read.actor_user_id == world.actor(reader).user_id and read.changes == {"read": "psychometric_results"}


def test_big_five_results_carry_levels_and_their_interpretation(world):
    bilan_id = open_bilan(world)
    instrument = get_instrument(BIG_FIVE)
    take(world, bilan_id, BIG_FIVE, {i.id: 1 if i.reverse else 5 for i in instrument.items})
    [result] = service.results_for_bilan(world.consultant_a, bilan_id)
    assert {(d.level, d.raw) for d in result.dimensions} == {("high", 50.0)}
    high_text = instrument.dimension("extraversion").interpretation["high"].fr
    assert next(d for d in result.dimensions if d.key == "extraversion").interpretation == high_text
    assert result.holland_code == ""


def test_results_are_newest_first_and_the_interest_profile_is_the_latest(world):
    bilan_id = open_bilan(world)
    assert service.interest_profile(world.beneficiary_a, bilan_id) is None
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    take(world, bilan_id, VALUES)
    take(world, bilan_id, INTERESTS, interest_answers({"R": 4, "I": 0, "A": 0, "S": 2, "E": 3, "C": 1}))
    listed = service.results_for_bilan(world.consultant_a, bilan_id)
    assert [r.instrument_id for r in listed] == [INTERESTS, VALUES, INTERESTS]
    assert [r.holland_code for r in listed if r.holland_code] == ["RES", "AIS"]
    profile = service.interest_profile(world.consultant_a, bilan_id)
    assert profile == {"R": 100.0, "I": 0.0, "A": 0.0, "S": 50.0, "E": 75.0, "C": 25.0}
    assert service.interest_profile(world.beneficiary_a, bilan_id) == profile


# ---------------------------------------------------------------- tenancy and roles


@pytest.mark.parametrize("outsider", ["beneficiary_b", "consultant_b", "admin_b"])
def test_another_organisation_gets_not_found_everywhere(world, outsider):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    service.save_answers(world.beneficiary_a, view.id, dict.fromkeys(get_instrument(VALUES).item_ids, 2))
    actor = world.actor(outsider)
    calls = [
        lambda: service.start_or_resume(actor, bilan_id, VALUES),
        lambda: service.get_session(actor, view.id),
        lambda: service.save_answers(actor, view.id, {"ACH1": 5}),
        lambda: service.complete(actor, view.id),
        lambda: service.results_for_bilan(actor, bilan_id),
        lambda: service.interest_profile(actor, bilan_id),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert stored_results() == []


def test_each_organisation_sees_only_its_own_results(world):
    bilan_a, bilan_b = open_bilan(world, "a"), open_bilan(world, "b")
    take(world, bilan_a, INTERESTS, interest_answers(PROFILE))
    view = service.start_or_resume(world.beneficiary_b, bilan_b, INTERESTS)
    service.save_answers(
        world.beneficiary_b, view.id, interest_answers({"R": 0, "I": 0, "A": 0, "S": 0, "E": 0, "C": 4})
    )
    service.complete(world.beneficiary_b, view.id)
    assert [r.holland_code for r in service.results_for_bilan(world.consultant_b, bilan_b)] == ["CRI"]
    assert [r.holland_code for r in service.results_for_bilan(world.consultant_a, bilan_a)] == ["AIS"]
    assert {(r.organisation_id, r.bilan_id) for r in stored_results()} == {
        (world.org_a, bilan_a),
        (world.org_b, bilan_b),
    }
    assert {s.organisation_id for s in stored_sessions()} == {world.org_a, world.org_b}


def test_a_consultant_not_assigned_gets_not_found(world):
    bilan_id = open_bilan(world)
    take(world, bilan_id, VALUES)
    other = add_member(world, Role.CONSULTANT)
    with pytest.raises(NotFound):
        service.results_for_bilan(other, bilan_id)
    with pytest.raises(NotFound):
        service.interest_profile(other, bilan_id)
    with pytest.raises(NotFound):
        service.start_or_resume(other, bilan_id, VALUES)


def test_another_beneficiary_of_the_same_organisation_gets_not_found(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    stranger = add_member(world, Role.BENEFICIARY)
    with pytest.raises(NotFound):
        service.start_or_resume(stranger, bilan_id, VALUES)
    with pytest.raises(NotFound):
        service.save_answers(stranger, view.id, {"ACH1": 1})
    with pytest.raises(NotFound):
        service.results_for_bilan(stranger, bilan_id)


def test_followers_cannot_take_the_test_for_the_beneficiary(world):
    bilan_id = open_bilan(world)
    view = service.start_or_resume(world.beneficiary_a, bilan_id, VALUES)
    for follower in (world.consultant_a, world.admin_a):
        with pytest.raises(AccessDenied):
            service.start_or_resume(follower, bilan_id, INTERESTS)
        with pytest.raises(AccessDenied):
            service.save_answers(follower, view.id, {"ACH1": 1})
        with pytest.raises(AccessDenied):
            service.complete(follower, view.id)
        with pytest.raises(AccessDenied):
            service.get_session(follower, view.id)
    assert len(stored_sessions()) == 1


def test_the_requested_consultant_of_a_pending_request_may_not_read_results(world):
    """Before accepting, a requested consultant sees the request but is not yet a follower."""
    bilan_id = bilans.request_bilan(
        world.beneficiary_a,
        {"mode": "hybride", "funding_type": "cpf", "requested_consultant_id": str(world.consultant_a.user_id)},
    )
    take(world, bilan_id, VALUES)
    with pytest.raises(AccessDenied):
        service.results_for_bilan(world.consultant_a, bilan_id)
    assert len(service.results_for_bilan(world.admin_a, bilan_id)) == 1


def test_malformed_ids_answer_not_found(world):
    open_bilan(world)
    with pytest.raises(NotFound):
        service.get_session(world.beneficiary_a, "not-a-uuid")
    with pytest.raises(NotFound):
        service.results_for_bilan(world.beneficiary_a, uuid.uuid4())
    with pytest.raises(NotFound):
        service.save_answers(world.beneficiary_a, uuid.uuid4(), {})


def test_the_platform_operator_sees_no_bilan_content(world):
    bilan_id = open_bilan(world)
    with pytest.raises(AccessDenied):
        service.results_for_bilan(world.platform, bilan_id)


def test_rows_point_at_their_bilan(world):
    bilan_id = open_bilan(world)
    take(world, bilan_id, VALUES)
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        assert bilan is not None
        [row] = session.exec(select(PsychometricSession)).all()
        assert (row.organisation_id, row.bilan_id) == (bilan.organisation_id, bilan.id)


# ---------------------------------------------------------------- the followers' overview


@pytest.mark.parametrize("reader", ["consultant_a", "admin_a"])
def test_followers_see_results_with_raw_scores_and_the_tests_in_progress(world, reader):
    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    started = service.start_or_resume(world.beneficiary_a, bilan_id, BIG_FIVE)
    service.save_answers(world.beneficiary_a, started.id, {"B01": 4, "B02": 2, "B03": 5})

    overview = service.follower_overview(world.actor(reader), bilan_id)
    assert overview.bilan_id == bilan_id
    person = world.person("beneficiary_a")
    assert overview.beneficiary_name == f"{person.first_name} {person.last_name}"
    [followed] = overview.results
    assert followed.result.raw_visible is True
    assert followed.result.holland_code == "AIS"
    assert {d.key: d.raw for d in followed.result.dimensions}["A"] == 40.0
    assert followed.result.dimensions[0].normalised == 100.0
    assert (followed.scoring, followed.raw_min, followed.raw_max) == ("sum", 0.0, 40.0)
    assert "O*NET" in followed.licence and "O*NET" in followed.result.source
    assert "pas des verdicts" in followed.result.disclaimer
    [progress] = overview.in_progress
    assert (progress.session_id, progress.instrument_id, progress.answered, progress.total) == (
        started.id,
        BIG_FIVE,
        3,
        50,
    )
    assert not hasattr(progress, "answers")  # the answers of a test in progress stay the beneficiary's
    [read] = events("bilan.personal_data_read")
    assert read.actor_user_id == world.actor(reader).user_id and read.changes == {"read": "psychometric_results"}


def test_the_followers_overview_is_localised_and_empty_before_any_test(world):
    bilan_id = open_bilan(world)
    empty = service.follower_overview(world.consultant_a, bilan_id)
    assert (empty.results, empty.in_progress) == ([], [])
    take(world, bilan_id, VALUES)
    [followed] = service.follower_overview(world.consultant_a, bilan_id, "en").results
    assert (followed.scoring, followed.raw_min, followed.raw_max) == ("mean", 1.0, 5.0)
    assert "not verdicts" in followed.result.disclaimer
    assert followed.result.title == get_instrument(VALUES).title.en


def test_the_beneficiary_is_refused_the_followers_overview(world):
    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    with pytest.raises(AccessDenied):
        service.follower_overview(world.beneficiary_a, bilan_id)
    # Their own reading of the results carries no scores.
    assert all(d.raw is None for d in service.results_for_bilan(world.beneficiary_a, bilan_id)[0].dimensions)
    assert events("bilan.personal_data_read") == []


@pytest.mark.parametrize("outsider", ["beneficiary_b", "consultant_b", "admin_b"])
def test_another_organisation_gets_not_found_for_the_followers_overview(world, outsider):
    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    with pytest.raises(NotFound):
        service.follower_overview(world.actor(outsider), bilan_id)
    with pytest.raises(NotFound):
        service.follower_overview(world.consultant_a, uuid.uuid4())
    assert events("bilan.personal_data_read") == []


def test_a_consultant_who_does_not_follow_the_bilan_is_refused_the_overview(world):
    bilan_id = bilans.request_bilan(
        world.beneficiary_a,
        {"mode": "hybride", "funding_type": "cpf", "requested_consultant_id": str(world.consultant_a.user_id)},
    )
    take(world, bilan_id, VALUES)
    with pytest.raises(AccessDenied):  # requested, not yet accepted: sees the request, not the results
        service.follower_overview(world.consultant_a, bilan_id)
    with pytest.raises(NotFound):
        service.follower_overview(add_member(world, Role.CONSULTANT), bilan_id)
    with pytest.raises(AccessDenied):
        service.follower_overview(world.platform, bilan_id)
    assert len(service.follower_overview(world.admin_a, bilan_id).results) == 1


def test_the_followers_rows_format_scores_for_reading_and_for_the_chart(world):
    from services.display.psychometrics import (
        followed_chart_rows,
        followed_result_rows,
        followed_score_rows,
        progress_rows,
        result_chart_rows,
    )

    bilan_id = open_bilan(world)
    take(world, bilan_id, INTERESTS, interest_answers(PROFILE))
    take(world, bilan_id, VALUES, dict.fromkeys(get_instrument(VALUES).item_ids, 4) | {"ACH1": 3})
    service.start_or_resume(world.beneficiary_a, bilan_id, BIG_FIVE)
    overview = service.follower_overview(world.consultant_a, bilan_id)

    heads = followed_result_rows(overview, "fr")
    dimensions, charts = followed_score_rows(overview, "fr"), followed_chart_rows(overview, "fr")
    values, interests = heads
    assert (interests["holland_code"], interests["holland_names"]) == ("AIS", "Artistique, Investigateur, Social")
    assert interests["scoring"] == "Score brut : somme des réponses de la dimension (0 à 40)."
    assert "O*NET" in interests["licence"] and "pas des verdicts" in interests["disclaimer"]
    assert dimensions[1][0] | {"interpretation": ""} == {
        "key": "A",
        "label": "Artistique",
        "rank": "1",
        "level": "",
        "raw": "40 sur 40",
        "normalised": "100 %",
        "interpretation": "",
    }
    assert charts[1][1] == {
        "label": "Investigateur",
        "value": "30",
        "min": "0",
        "max": "40",
        "display": "30 / 40 (75 %)",
    }
    # A mean on 1-5: a French decimal comma for the reader, a dot for the CSS.
    achievement = next(row for row in charts[0] if row["label"] == "Accomplissement")
    assert (achievement["value"], achievement["min"], achievement["max"]) == ("3.75", "1", "5")
    assert achievement["display"] == "3,75 / 5 (69 %)"
    assert values["holland_code"] == values["holland_names"] == ""

    [progress] = progress_rows(overview, "fr")
    assert (progress["answered"], progress["total"], progress["version"]) == ("0", "50", "1.0")

    # The beneficiary's reading has no scores, hence no chart rows.
    own = service.results_for_bilan(world.beneficiary_a, bilan_id)
    assert result_chart_rows(own, "fr") == [[], []]
