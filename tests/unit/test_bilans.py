"""The bilan lifecycle service (services/bilans/).

The request and its answer, the questionnaire, funding, the state machine of the three legal phases
with its guards, sessions under the 24-hour cap with attendance, the consultant's notes, tasks,
the synthèse handover, history, the dashboards and the beneficiary's overview.

Set-up shortcuts write rows directly (``insert_bilan``, ``ready_bilan``, ``add_session``,
``add_convention``: a convention row with its document, without services.conventions); what is
under test always goes through the service.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from services import bilans
from services import synthese as synthese_service
from services.access import Actor
from services.bilans import DashboardFilter
from services.crypto import decrypt_text, encrypt_text
from services.db import get_engine, session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.forms import QUESTIONNAIRE_MAX_CHARS, QUESTIONNAIRE_REQUIRED, QUESTIONNAIRE_TEXT_FIELDS
from services.i18n import TIMEZONE
from services.models import (
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    BilanTask,
    Convention,
    ConventionKind,
    ConventionStatus,
    Document,
    DocumentKind,
    FundingType,
    Membership,
    Organisation,
    OrganisationPlan,
    Role,
    SessionStatus,
    User,
)
from services.models.base import utcnow
from services.storage import store_document
from services.synthese import uploaded

pytestmark = pytest.mark.usefixtures("isolated_storage")

S = BilanStatus
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% synthese de test\n%%EOF\n"
REASON = "Le bénéficiaire a retrouvé un emploi"
CLOSED = {S.TERMINE, S.ABANDONNE, S.ANNULE}


# ---------------------------------------------------------------- helpers


def raised(call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


def org_of(world, org: str) -> uuid.UUID:
    return world.org_a if org == "a" else world.org_b


def add_person(world, org: str, role: Role, first: str, last: str) -> Actor:
    """Another member of an organisation (written directly: no password needed to act as them)."""
    with session_scope() as session:
        user = User(
            email=f"{first}.{last}.{uuid.uuid4().hex[:6]}@exemple.fr".lower(),
            first_name=first,
            last_name=last,
            password_hash="!",
        )
        session.add(user)
        session.flush()
        session.add(Membership(user_id=user.id, organisation_id=org_of(world, org), role=role))
    return Actor(user_id=user.id, role=role, organisation_id=org_of(world, org), label=f"{first} {last}")


def insert_bilan(
    world,
    status: BilanStatus = S.PRELIMINAIRE,
    *,
    org: str = "a",
    beneficiary: uuid.UUID | None = None,
    consultant: uuid.UUID | str | None = "assigned",
    **fields,
) -> uuid.UUID:
    """A bilan row written directly, assigned to the organisation's consultant unless told otherwise."""
    consultant_id = world.actor(f"consultant_{org}").user_id if consultant == "assigned" else consultant
    values = {
        "organisation_id": org_of(world, org),
        "beneficiary_id": beneficiary or world.actor(f"beneficiary_{org}").user_id,
        "consultant_id": consultant_id,
        "status": status,
    }
    if status == S.DEMANDE:
        values["requested_consultant_id"] = consultant_id
    elif consultant_id is not None:
        values["consultant_accepted_at"] = utcnow()
    values.update(fields)
    with session_scope() as session:
        bilan = Bilan(**values)
        session.add(bilan)
    return bilan.id


def attach_synthese(bilan_id: uuid.UUID, *, handed_over: bool) -> None:
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.SYNTHESE,
            filename="synthese.pdf",
            content=PDF,
        )
        bilan.synthese_document_id = document.id
        bilan.synthese_handed_over_at = utcnow() if handed_over else None
        session.add(bilan)


def ready_bilan(world, status: BilanStatus, *, org: str = "a") -> uuid.UUID:
    """A bilan in ``status`` whose every guard is met (objectives, synthèse handed over, follow-up date).

    The convention is not included: add_convention() writes it where a test needs it.
    """
    bilan_id = insert_bilan(
        world,
        status,
        org=org,
        objectives_encrypted=encrypt_text("Construire un projet de reconversion vers le paysagisme"),
        followup_due_on=date.today() + timedelta(days=180),
    )
    attach_synthese(bilan_id, handed_over=True)
    return bilan_id


def add_convention(
    bilan_id: uuid.UUID, status: ConventionStatus = ConventionStatus.SIGNED, *, issued: datetime | None = None
) -> uuid.UUID:
    """A convention row (its Document, the next version), written directly, not through services.conventions."""
    now = utcnow()
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.CONVENTION,
            filename="convention.pdf",
            content=PDF,
        )
        session.flush()
        signed = status == ConventionStatus.SIGNED
        version = len(session.exec(select(Convention.id).where(Convention.bilan_id == bilan.id)).all()) + 1
        convention = Convention(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=ConventionKind.TRIPARTITE if bilan.funding_type == FundingType.EMPLOYER else ConventionKind.BIPARTITE,
            status=status,
            version=version,
            document_id=document.id,
            document_sha256=document.sha256,
            signed_document_id=document.id if signed else None,
            signed_document_sha256=document.sha256 if signed else "",
            issued_at=issued or now,
            sign_by=(issued or now) + timedelta(days=10),
            signed_at=(issued or now) if signed else None,
        )
        session.add(convention)
    return convention.id


def load(bilan_id) -> Bilan:
    with session_scope() as session:
        return session.get(Bilan, uuid.UUID(str(bilan_id)))


def load_session(session_id) -> BilanSession:
    with session_scope() as session:
        return session.get(BilanSession, uuid.UUID(str(session_id)))


def update_bilan(bilan_id, **values) -> None:
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        for name, value in values.items():
            setattr(bilan, name, value)
        session.add(bilan)


def update_organisation(organisation_id, **values) -> None:
    with session_scope() as session:
        organisation = session.get(Organisation, organisation_id)
        for name, value in values.items():
            setattr(organisation, name, value)
        session.add(organisation)


def events(bilan_id, action: str | None = None) -> list[AuditEvent]:
    with session_scope() as session:
        query = select(AuditEvent).where(AuditEvent.target_type == "bilan", AuditEvent.target_id == str(bilan_id))
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return list(session.exec(query.order_by(col(AuditEvent.created_at))).all())


def bilan_state(bilan_id) -> tuple:
    """The bilan row and its audit trail: equal before and after means the call changed nothing."""
    row = load(bilan_id)
    return (sorted(row.model_dump().items(), key=lambda kv: kv[0]), len(events(bilan_id)))


def request_as(actor: Actor, consultant: Actor | None = None, **extra) -> uuid.UUID:
    raw = {"mode": "distanciel", "funding_type": "cpf", "requested_consultant_id": ""}
    if consultant is not None:
        raw["requested_consultant_id"] = str(consultant.user_id)
    raw.update(extra)
    return bilans.request_bilan(actor, raw)


def accepted_bilan(world) -> uuid.UUID:
    """beneficiary_a asks for consultant_a, who accepts: a bilan in the preliminary phase, all by the service."""
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.consultant_a, bilan_id)
    return bilan_id


def signed_bilan(world) -> uuid.UUID:
    """An accepted bilan whose convention was signed ten days ago: its sessions may be held."""
    bilan_id = accepted_bilan(world)
    add_convention(bilan_id, issued=utcnow() - timedelta(days=10))
    return bilan_id


_free_days = itertools.count(3)  # each planned session on a day of its own: no overlap unless a test wants one


def session_form(minutes: int = 60, *, starts_at: datetime | str | None = None, mode: str = "hybride", **extra) -> dict:
    raw = {
        "phase": "preliminaire",
        "starts_at": starts_at or (utcnow() + timedelta(days=next(_free_days) % 300)),
        "duration_minutes": minutes,
        "mode": mode,
        "location": "",
        "video_link": "",
    }
    raw.update(extra)
    return raw


def plan(actor: Actor, bilan_id, minutes: int = 60, **kwargs) -> uuid.UUID:
    return bilans.plan_session(actor, bilan_id, session_form(minutes, **kwargs))


def add_session(
    bilan_id,
    minutes: int = 60,
    *,
    starts_at: datetime | None = None,
    status: SessionStatus = SessionStatus.PLANNED,
) -> uuid.UUID:
    """A session row written directly (set-up for tests that are not about planning)."""
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        appointment = BilanSession(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            phase="preliminaire",
            starts_at=starts_at or (utcnow() + timedelta(days=3)),
            duration_minutes=minutes,
            status=status,
        )
        session.add(appointment)
    return appointment.id


def funding_form(**extra) -> dict:
    raw = {
        "funding_type": "cpf",
        "edof_file_number": "",
        "edof_status": "",
        "employer_name": "",
        "employer_signatory_name": "",
        "employer_email": "",
        "price_euros": 1800,
        "hours_planned_total": 24,
    }
    raw.update(extra)
    return raw


def paris_today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


def rows_by_name(rows) -> dict[str, bilans.BilanRow]:
    return {row.beneficiary_name: row for row in rows}


def assert_recent(value: datetime | None, since: datetime) -> None:
    assert value is not None
    assert since - timedelta(seconds=1) <= value <= utcnow() + timedelta(seconds=1)


# ---------------------------------------------------------------- the state machine

EXPECTED_TRANSITIONS: dict[BilanStatus, set[BilanStatus]] = {
    S.DEMANDE: {S.PRELIMINAIRE, S.ABANDONNE, S.ANNULE},
    S.PRELIMINAIRE: {S.INVESTIGATION, S.ABANDONNE, S.ANNULE},
    S.INVESTIGATION: {S.CONCLUSION, S.ABANDONNE, S.ANNULE},
    S.CONCLUSION: {S.SUIVI, S.TERMINE, S.ABANDONNE, S.ANNULE},
    S.SUIVI: {S.TERMINE, S.ABANDONNE, S.ANNULE},
}
ALLOWED = [(s, t) for s in S for t in S if t in EXPECTED_TRANSITIONS.get(s, set())]
FORBIDDEN = [(s, t) for s in S for t in S if t not in EXPECTED_TRANSITIONS.get(s, set())]
# Reached only through accept_request, and through the convention guard (see TestNeedsConventions).
SPECIAL = {(S.DEMANDE, S.PRELIMINAIRE), (S.PRELIMINAIRE, S.INVESTIGATION)}
STARTED_AT = {
    S.PRELIMINAIRE: "preliminaire_started_at",
    S.INVESTIGATION: "investigation_started_at",
    S.CONCLUSION: "conclusion_started_at",
    S.SUIVI: "suivi_started_at",
}


def _pair_ids(pairs) -> list[str]:
    return [f"{source}->{target}" for source, target in pairs]


ALLOWED_HERE = [p for p in ALLOWED if p not in SPECIAL]


def test_the_transition_table_is_the_legal_one():
    assert {source: set(targets) for source, targets in bilans.TRANSITIONS.items()} == EXPECTED_TRANSITIONS
    assert len(ALLOWED) == 16 and len(FORBIDDEN) == 48


def assert_moved(world, bilan_id, source: BilanStatus, target: BilanStatus, since: datetime, actor: Actor) -> None:
    row = load(bilan_id)
    assert row.status == target
    for status, field in STARTED_AT.items():
        if status == target:
            assert_recent(getattr(row, field), since)
    if target in CLOSED:
        assert_recent(row.closed_at, since)
    else:
        assert row.closed_at is None
    changed = events(bilan_id, "bilan.status_changed")
    assert len(changed) == 1
    assert changed[0].changes == {"status": {"before": str(source), "after": str(target)}}
    assert (changed[0].target_type, changed[0].target_id) == ("bilan", str(bilan_id))
    assert (changed[0].organisation_id, changed[0].actor_user_id) == (world.org_a, actor.user_id)
    history = bilans.history(world.admin_a, bilan_id)
    assert [(h.action, h.changes) for h in history if h.action == "bilan.status_changed"] == [
        ("bilan.status_changed", {"status": {"before": str(source), "after": str(target)}})
    ]


@pytest.mark.parametrize(("source", "target"), ALLOWED_HERE, ids=_pair_ids(ALLOWED_HERE))
def test_every_allowed_transition_succeeds_when_its_guard_is_met(world, source, target):
    bilan_id = ready_bilan(world, source)
    assert all(getattr(load(bilan_id), field) is None for field in STARTED_AT.values())
    reason = REASON if target in CLOSED else ""
    since = utcnow()
    bilans.transition(world.consultant_a, bilan_id, target, reason)
    assert_moved(world, bilan_id, source, target, since, world.consultant_a)
    row = load(bilan_id)
    if reason:
        assert decrypt_text(row.status_reason_encrypted) == REASON
        assert REASON not in row.status_reason_encrypted
    else:
        assert row.status_reason_encrypted == ""


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=_pair_ids(FORBIDDEN))
def test_every_forbidden_transition_is_refused(world, source, target):
    bilan_id = ready_bilan(world, source)  # every guard is met: only the table can refuse
    add_convention(bilan_id)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, target, REASON))
    assert type(error) is ServiceError
    assert error.code == "error.transition_forbidden"
    assert bilan_state(bilan_id) == before


@pytest.mark.parametrize("target", ["bogus", "", "DEMANDE"])
def test_an_unknown_target_is_refused(world, target):
    bilan_id = ready_bilan(world, S.PRELIMINAIRE)
    before = bilan_state(bilan_id)
    assert (
        raised(lambda: bilans.transition(world.admin_a, bilan_id, target, REASON)).code == "error.transition_forbidden"
    )
    assert bilan_state(bilan_id) == before


@pytest.mark.parametrize("actor_key", ["consultant_a", "admin_a"])
def test_preliminaire_is_reached_only_by_accepting_the_request(world, actor_key):
    bilan_id = ready_bilan(world, S.DEMANDE)  # assigned consultant, so the guard would pass
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.actor(actor_key), bilan_id, S.PRELIMINAIRE))
    assert (type(error), error.code) == (ServiceError, "error.transition_forbidden")
    assert bilan_state(bilan_id) == before
    since = utcnow()
    bilans.accept_request(world.consultant_a, bilan_id)
    assert_moved(world, bilan_id, S.DEMANDE, S.PRELIMINAIRE, since, world.consultant_a)


@pytest.mark.parametrize("target", [S.TERMINE, S.SUIVI])
def test_closing_or_follow_up_needs_the_synthese_handed_over(world, target):
    bilan_id = insert_bilan(world, S.CONCLUSION, followup_due_on=date.today() + timedelta(days=180))
    attach_synthese(bilan_id, handed_over=False)  # uploaded is not enough
    before = bilan_state(bilan_id)
    assert raised(lambda: bilans.transition(world.consultant_a, bilan_id, target)).code == (
        "error.synthese_not_handed_over"
    )
    assert bilan_state(bilan_id) == before
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    bilans.transition(world.consultant_a, bilan_id, target)
    assert load(bilan_id).status == target


def test_suivi_to_termine_also_needs_the_handover(world):
    bilan_id = insert_bilan(world, S.SUIVI, followup_due_on=date.today() + timedelta(days=180))
    assert raised(lambda: bilans.transition(world.admin_a, bilan_id, S.TERMINE)).code == (
        "error.synthese_not_handed_over"
    )
    assert load(bilan_id).status == S.SUIVI


def test_suivi_needs_a_follow_up_date(world):
    bilan_id = ready_bilan(world, S.CONCLUSION)
    update_bilan(bilan_id, followup_due_on=None)
    before = bilan_state(bilan_id)
    assert raised(lambda: bilans.transition(world.consultant_a, bilan_id, S.SUIVI)).code == (
        "error.followup_date_missing"
    )
    assert bilan_state(bilan_id) == before
    due = date.today() + timedelta(days=182)
    bilans.schedule_followup(world.consultant_a, bilan_id, due)
    assert load(bilan_id).followup_due_on == due
    assert events(bilan_id, "bilan.followup_scheduled")[0].changes == {
        "followup_due_on": {"before": None, "after": str(due)}
    }
    since = utcnow()
    bilans.transition(world.consultant_a, bilan_id, S.SUIVI)
    assert_moved(world, bilan_id, S.CONCLUSION, S.SUIVI, since, world.consultant_a)


def test_schedule_followup_rules(world):
    investigation = ready_bilan(world, S.INVESTIGATION)
    error = raised(lambda: bilans.schedule_followup(world.consultant_a, investigation, date.today() + timedelta(1)))
    assert error.code == "error.transition_forbidden"
    conclusion = ready_bilan(world, S.CONCLUSION)
    error = raised(lambda: bilans.schedule_followup(world.consultant_a, conclusion, date.today()))
    assert isinstance(error, FormError) and error.fields == {"followup_due_on": "error.date_in_past"}
    with pytest.raises(AccessDenied):
        bilans.schedule_followup(world.beneficiary_a, conclusion, date.today() + timedelta(days=180))


@pytest.mark.parametrize("target", [S.ABANDONNE, S.ANNULE])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_abandon_and_cancel_need_a_reason(world, target, reason):
    bilan_id = ready_bilan(world, S.INVESTIGATION)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, target, reason))
    assert isinstance(error, FormError)
    assert error.fields == {"reason": "error.reason_required"}
    assert bilan_state(bilan_id) == before


def test_transitions_are_for_followers_only(world):
    bilan_id = ready_bilan(world, S.INVESTIGATION)
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    before = bilan_state(bilan_id)
    with pytest.raises(AccessDenied):
        bilans.transition(world.beneficiary_a, bilan_id, S.CONCLUSION)
    for stranger in (colleague, world.consultant_b, world.admin_b):
        with pytest.raises(NotFound):
            bilans.transition(stranger, bilan_id, S.CONCLUSION)
    assert bilan_state(bilan_id) == before
    since = utcnow()
    bilans.transition(world.admin_a, bilan_id, S.CONCLUSION)  # the org admin may
    assert_moved(world, bilan_id, S.INVESTIGATION, S.CONCLUSION, since, world.admin_a)


CLOSED_BILAN_CALLS = {
    "set_objectives": lambda w, b: bilans.set_objectives(w.consultant_a, b, "Objectifs"),
    "update_funding": lambda w, b: bilans.update_funding(w.consultant_a, b, funding_form()),
    "plan_session": lambda w, b: plan(w.consultant_a, b),
    "add_task": lambda w, b: bilans.add_task(w.consultant_a, b, {"title": "Lire"}),
    "upload_synthese": lambda w, b: uploaded.upload_synthese(w.consultant_a, b, "s.pdf", PDF),
    "save_questionnaire": lambda w, b: bilans.save_questionnaire(w.beneficiary_a, b, {}, complete=False),
    "assign_consultant": lambda w, b: bilans.assign_consultant(w.admin_a, b, w.consultant_a.user_id),
}


@pytest.mark.parametrize("status", sorted(CLOSED))
@pytest.mark.parametrize("name", sorted(CLOSED_BILAN_CALLS))
def test_a_closed_bilan_cannot_change(world, status, name):
    bilan_id = ready_bilan(world, status)
    before = bilan_state(bilan_id)
    assert raised(lambda: CLOSED_BILAN_CALLS[name](world, bilan_id)).code == "error.bilan_closed"
    assert bilan_state(bilan_id) == before


# ---------------------------------------------------------------- the request


def test_a_beneficiary_requests_a_bilan_from_a_chosen_consultant(world):
    since = utcnow()
    bilan_id = request_as(world.beneficiary_a, world.consultant_a, mode="presentiel", funding_type="employer")
    row = load(bilan_id)
    assert (row.organisation_id, row.beneficiary_id) == (world.org_a, world.beneficiary_a.user_id)
    assert (row.status, row.mode, row.funding_type) == (S.DEMANDE, "presentiel", FundingType.EMPLOYER)
    assert (row.requested_consultant_id, row.consultant_id) == (world.consultant_a.user_id, None)
    assert (row.price_euros, row.hours_planned_total) == (1800, 24)
    assert_recent(row.requested_at, since)
    [requested] = events(bilan_id, "bilan.requested")
    assert requested.changes == {
        "mode": {"before": None, "after": "presentiel"},
        "funding_type": {"before": None, "after": "employer"},
    }
    assert (requested.organisation_id, requested.actor_user_id) == (world.org_a, world.beneficiary_a.user_id)


def test_the_request_takes_price_and_hours_from_the_organisation(world):
    update_organisation(world.org_a, price_euros=2150.0, default_hours=30)
    row = load(request_as(world.beneficiary_a))
    assert (row.price_euros, row.hours_planned_total, row.requested_consultant_id) == (2150.0, 24, None)


@pytest.mark.parametrize("who", ["consultant_b", "admin_a", "beneficiary_a", "not-a-uuid", "random"])
def test_the_requested_consultant_must_be_a_consultant_of_the_same_organisation(world, who):
    if who == "not-a-uuid":
        value = "not-a-uuid"
    elif who == "random":
        value = str(uuid.uuid4())
    else:
        value = str(world.actor(who).user_id)
    error = raised(lambda: request_as(world.beneficiary_a, requested_consultant_id=value))
    assert isinstance(error, FormError)
    assert error.fields == {"requested_consultant_id": "error.invalid_choice"}
    with session_scope() as session:
        assert session.exec(select(Bilan)).all() == []


def test_an_inactive_consultant_cannot_be_requested(world):
    with session_scope() as session:
        membership = session.get(Membership, world.person("consultant_a").membership_id)
        membership.is_active = False
        session.add(membership)
    error = raised(lambda: request_as(world.beneficiary_a, world.consultant_a))
    assert isinstance(error, FormError) and error.fields == {"requested_consultant_id": "error.invalid_choice"}


def events_count_all() -> int:
    with session_scope() as session:
        return len(session.exec(select(AuditEvent.id)).all())


def test_invalid_request_fields_are_named(world):
    error = raised(lambda: bilans.request_bilan(world.beneficiary_a, {"mode": "telepathie", "funding_type": ""}))
    assert isinstance(error, FormError)
    assert error.fields == {"mode": "error.invalid_choice", "funding_type": "error.invalid_choice"}


def test_a_second_open_request_is_refused_until_the_first_is_closed(world):
    first = request_as(world.beneficiary_a, world.consultant_a)
    before = events_count_all()
    assert raised(lambda: request_as(world.beneficiary_a)).code == "error.bilan_already_open"
    bilans.accept_request(world.consultant_a, first)
    assert raised(lambda: request_as(world.beneficiary_a)).code == "error.bilan_already_open"
    assert events_count_all() == before + 2  # accepted + status_changed, nothing for the refusals
    bilans.transition(world.consultant_a, first, S.ABANDONNE, REASON)
    second = request_as(world.beneficiary_a)
    assert second != first and load(second).status == S.DEMANDE


@pytest.mark.parametrize("actor_key", ["consultant_a", "admin_a", "platform"])
def test_only_a_beneficiary_requests_a_bilan(world, actor_key):
    with pytest.raises(AccessDenied):
        request_as(world.actor(actor_key))
    with session_scope() as session:
        assert session.exec(select(Bilan)).all() == []


def test_the_requested_consultant_sees_the_request_and_a_colleague_does_not(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    [row] = bilans.list_bilans(world.consultant_a)
    assert (row.id, row.status, row.awaiting_my_answer) == (str(bilan_id), "demande", True)
    assert (row.beneficiary_name, row.consultant_name) == ("Bruno BenefA", "")
    assert bilans.list_bilans(colleague) == []
    with pytest.raises(NotFound):
        bilans.accept_request(colleague, bilan_id)
    [admin_row] = bilans.list_bilans(world.admin_a)
    assert (admin_row.id, admin_row.awaiting_my_answer) == (str(bilan_id), False)
    assert bilans.list_bilans(world.consultant_b) == [] and bilans.list_bilans(world.admin_b) == []


def test_accepting_the_request_starts_the_preliminary_phase(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    since = utcnow()
    bilans.accept_request(world.consultant_a, bilan_id)
    row = load(bilan_id)
    assert (row.status, row.consultant_id) == (S.PRELIMINAIRE, world.consultant_a.user_id)
    assert_recent(row.consultant_accepted_at, since)
    assert_recent(row.preliminaire_started_at, since)
    actions = [h.action for h in bilans.history(world.consultant_a, bilan_id)]
    assert sorted(actions) == ["bilan.accepted", "bilan.requested", "bilan.status_changed"]
    [accepted] = events(bilan_id, "bilan.accepted")
    assert accepted.changes == {"consultant_id": {"before": None, "after": str(world.consultant_a.user_id)}}
    [row_after] = bilans.list_bilans(world.consultant_a)
    assert (row_after.awaiting_my_answer, row_after.consultant_name) == (False, "Camille ConseilA")
    # Accepting twice is a forbidden move.
    assert raised(lambda: bilans.accept_request(world.consultant_a, bilan_id)).code == "error.transition_forbidden"


def test_accept_request_is_for_followers(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    with pytest.raises(AccessDenied):
        bilans.accept_request(world.beneficiary_a, bilan_id)
    for stranger in (world.consultant_b, world.admin_b):
        with pytest.raises(NotFound):
            bilans.accept_request(stranger, bilan_id)
    assert load(bilan_id).status == S.DEMANDE


def test_an_admin_accepting_a_request_never_becomes_its_consultant(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.admin_a, bilan_id)
    row = load(bilan_id)
    assert (row.status, row.consultant_id) == (S.PRELIMINAIRE, world.consultant_a.user_id)
    assert [r.id for r in bilans.list_bilans(world.consultant_a)] == [str(bilan_id)]
    # Nobody requested: the admin must assign a consultant first.
    unassigned = request_as(add_person(world, "a", Role.BENEFICIARY, "Ines", "Libre"))
    error = raised(lambda: bilans.accept_request(world.admin_a, unassigned))
    assert error.code == "error.consultant_required"
    assert (load(unassigned).status, load(unassigned).consultant_id) == (S.DEMANDE, None)


def test_handing_back_returns_the_request_to_the_organisation_which_assigns_another_consultant(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    # Only the requested consultant may hand back.
    assert raised(lambda: bilans.hand_back(world.admin_a, bilan_id, "x")).code == "error.transition_forbidden"
    bilans.hand_back(world.consultant_a, bilan_id, "  Agenda complet jusqu'en septembre  ")
    row = load(bilan_id)
    assert (row.status, row.requested_consultant_id, row.consultant_id) == (S.DEMANDE, None, None)
    [handed] = events(bilan_id, "bilan.handed_back")
    assert handed.changes == {"reason": {"before": None, "after": "Agenda complet jusqu'en septembre"}}
    assert bilans.list_bilans(world.consultant_a) == []
    with pytest.raises(NotFound):
        bilans.hand_back(world.consultant_a, bilan_id, "encore")
    assert [r.id for r in bilans.list_bilans(world.admin_a)] == [str(bilan_id)]

    # A consultant cannot assign; the admin assigns the colleague, who then sees the request.
    with pytest.raises(AccessDenied):
        bilans.assign_consultant(world.consultant_a, bilan_id, colleague.user_id)
    bilans.assign_consultant(world.admin_a, bilan_id, colleague.user_id)
    row = load(bilan_id)
    assert (row.requested_consultant_id, row.consultant_id) == (colleague.user_id, colleague.user_id)
    [assigned] = events(bilan_id, "bilan.assigned")
    assert assigned.changes == {"consultant_id": {"before": None, "after": str(colleague.user_id)}}
    [mine] = bilans.list_bilans(colleague)
    assert (mine.id, mine.awaiting_my_answer) == (str(bilan_id), True)
    bilans.accept_request(colleague, bilan_id)
    row = load(bilan_id)
    assert (row.status, row.consultant_id) == (S.PRELIMINAIRE, colleague.user_id)


@pytest.mark.parametrize("who", ["consultant_b", "beneficiary_a", "admin_a", "not-a-uuid"])
def test_assign_consultant_needs_a_consultant_of_the_organisation(world, who):
    bilan_id = request_as(world.beneficiary_a)
    value = "not-a-uuid" if who == "not-a-uuid" else world.actor(who).user_id
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.assign_consultant(world.admin_a, bilan_id, value))
    assert isinstance(error, FormError) and error.fields == {"consultant_id": "error.invalid_choice"}
    assert bilan_state(bilan_id) == before


def test_reassigning_an_active_bilan_records_before_and_after(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = accepted_bilan(world)
    bilans.assign_consultant(world.admin_a, bilan_id, str(colleague.user_id))
    row = load(bilan_id)
    assert (row.consultant_id, row.status) == (colleague.user_id, S.PRELIMINAIRE)
    [assigned] = events(bilan_id, "bilan.assigned")
    assert assigned.changes == {
        "consultant_id": {"before": str(world.consultant_a.user_id), "after": str(colleague.user_id)}
    }
    assert bilans.list_bilans(world.consultant_a) == []
    assert [r.id for r in bilans.list_bilans(colleague)] == [str(bilan_id)]


def fill_active(world, count: int, status: BilanStatus = S.INVESTIGATION) -> None:
    filler = add_person(world, "a", Role.BENEFICIARY, "Remi", "Remplissage")
    with session_scope() as session:
        for _ in range(count):
            session.add(
                Bilan(
                    organisation_id=world.org_a,
                    beneficiary_id=filler.user_id,
                    consultant_id=world.consultant_a.user_id,
                    status=status,
                )
            )


def test_the_starter_plan_allows_ten_active_bilans(world):
    assert load_org(world.org_a).plan == OrganisationPlan.STARTER
    fill_active(world, 9)
    fill_active(world, 5, S.TERMINE)  # closed bilans do not count
    fill_active(world, 3, S.DEMANDE)  # nor do requests
    usage = bilans.quota_usage(world.admin_a)
    assert (usage.plan, usage.active, usage.limit) == ("starter", 9, 10)
    tenth = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.consultant_a, tenth)
    assert load(tenth).status == S.PRELIMINAIRE

    other = add_person(world, "a", Role.BENEFICIARY, "Nina", "Onzieme")
    eleventh = request_as(other, world.consultant_a)
    before = bilan_state(eleventh)
    error = raised(lambda: bilans.accept_request(world.consultant_a, eleventh))
    assert (type(error), error.code, error.params) == (ServiceError, "error.quota_reached", {"limit": 10})
    assert bilan_state(eleventh) == before
    # Closing one frees a place.
    bilans.transition(world.consultant_a, tenth, S.ABANDONNE, REASON)
    bilans.accept_request(world.consultant_a, eleventh)
    assert load(eleventh).status == S.PRELIMINAIRE


def load_org(organisation_id) -> Organisation:
    with session_scope() as session:
        return session.get(Organisation, organisation_id)


def test_the_professional_plan_allows_fifty(world):
    update_organisation(world.org_a, plan=OrganisationPlan.PROFESSIONAL)
    fill_active(world, 50)
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    error = raised(lambda: bilans.accept_request(world.consultant_a, bilan_id))
    assert (error.code, error.params) == ("error.quota_reached", {"limit": 50})


def test_the_enterprise_plan_is_unlimited_and_quotas_are_per_organisation(world):
    fill_active(world, 60)
    # Organisation B (starter, empty) is not affected by A's load.
    bilan_b = request_as(world.beneficiary_b, world.consultant_b)
    bilans.accept_request(world.consultant_b, bilan_b)
    update_organisation(world.org_a, plan=OrganisationPlan.ENTERPRISE)
    usage = bilans.quota_usage(world.admin_a)
    assert (usage.plan, usage.active, usage.limit) == ("enterprise", 60, None)
    assert bilans.quota_usage(world.admin_b).active == 1
    with pytest.raises(AccessDenied):
        bilans.quota_usage(world.consultant_a)
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.consultant_a, bilan_id)
    assert load(bilan_id).status == S.PRELIMINAIRE


def test_consultant_directory_lists_active_consultants_with_their_load(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Aaron")
    accepted_bilan(world)
    fill_active(world, 2, S.TERMINE)
    cards = bilans.consultant_directory(world.beneficiary_a)
    assert [(c.user_id, c.name, c.active_bilans) for c in cards] == [
        (str(colleague.user_id), "Hugo Aaron", 0),
        (str(world.consultant_a.user_id), "Camille ConseilA", 1),
    ]
    assert [c.name for c in bilans.consultant_directory(world.beneficiary_b)] == ["Camille ConseilB"]
    with pytest.raises(AccessDenied):
        bilans.consultant_directory(world.platform)


# ---------------------------------------------------------------- the questionnaire


def full_answers() -> dict[str, str]:
    return {name: f"Réponse « {name} » : reconversion, horaires décalés" for name in QUESTIONNAIRE_TEXT_FIELDS}


def test_autosave_keeps_partial_answers(world):
    bilan_id = request_as(world.beneficiary_a)
    bilans.save_questionnaire(
        world.beneficiary_a, bilan_id, {"situation": "Aide-soignante depuis 12 ans", "bogus": "x"}, complete=False
    )
    answers = bilans.get_questionnaire(world.beneficiary_a, bilan_id)
    assert answers.completed is False
    assert answers.answers == {name: "" for name in QUESTIONNAIRE_TEXT_FIELDS} | {
        "situation": "Aide-soignante depuis 12 ans"
    }
    assert load(bilan_id).questionnaire_completed_at is None
    assert events(bilan_id, "bilan.questionnaire_completed") == []


def test_completion_with_missing_answers_names_them_and_keeps_the_draft(world):
    bilan_id = request_as(world.beneficiary_a)
    draft = {"situation": "Comptable", "request": "Changer de métier", "motivation": "   "}
    error = raised(lambda: bilans.save_questionnaire(world.beneficiary_a, bilan_id, draft, complete=True))
    assert isinstance(error, FormError)
    assert error.fields == {
        "motivation": "error.required",
        "expectations": "error.required",
        "availability": "error.required",
    }
    kept = bilans.get_questionnaire(world.beneficiary_a, bilan_id)
    assert (kept.answers["situation"], kept.answers["request"], kept.completed) == (
        "Comptable",
        "Changer de métier",
        False,
    )
    assert load(bilan_id).questionnaire_completed_at is None
    assert events(bilan_id, "bilan.questionnaire_completed") == []


def test_completion_sets_the_date_once_and_audits_it(world):
    bilan_id = request_as(world.beneficiary_a)
    assert set(QUESTIONNAIRE_REQUIRED) < set(QUESTIONNAIRE_TEXT_FIELDS)
    answers = {name: f"Réponse {name}" for name in QUESTIONNAIRE_REQUIRED}
    since = utcnow()
    bilans.save_questionnaire(world.beneficiary_a, bilan_id, answers, complete=True)
    completed_at = load(bilan_id).questionnaire_completed_at
    assert_recent(completed_at, since)
    [completed] = events(bilan_id, "bilan.questionnaire_completed")
    assert (completed.actor_user_id, completed.organisation_id) == (world.beneficiary_a.user_id, world.org_a)
    # Completing again keeps the first date and records nothing more.
    bilans.save_questionnaire(world.beneficiary_a, bilan_id, full_answers(), complete=True)
    assert load(bilan_id).questionnaire_completed_at == completed_at
    assert len(events(bilan_id, "bilan.questionnaire_completed")) == 1
    assert bilans.get_questionnaire(world.beneficiary_a, bilan_id).answers == full_answers()


def test_the_followers_read_the_questionnaire_but_only_the_beneficiary_writes_it(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.save_questionnaire(world.beneficiary_a, bilan_id, full_answers(), complete=True)
    for reader in (world.consultant_a, world.admin_a):
        got = bilans.get_questionnaire(reader, bilan_id)
        assert (got.answers, got.completed) == (full_answers(), True)
    for writer in (world.consultant_a, world.admin_a):
        with pytest.raises(AccessDenied):
            bilans.save_questionnaire(writer, bilan_id, {"situation": "réécrit"}, complete=False)
    for stranger in (world.beneficiary_b, world.consultant_b, add_person(world, "a", Role.BENEFICIARY, "X", "Y")):
        with pytest.raises(NotFound):
            bilans.get_questionnaire(stranger, bilan_id)
    assert bilans.get_questionnaire(world.beneficiary_a, bilan_id).answers == full_answers()


def test_answers_are_encrypted_at_rest_and_an_over_long_one_is_refused_not_cut(world):
    bilan_id = request_as(world.beneficiary_a)
    secret = "Burn-out en 2023, suivi psychiatrique"
    long_text = "x" * (QUESTIONNAIRE_MAX_CHARS + 1)
    with pytest.raises(FormError) as refused:
        bilans.save_questionnaire(
            world.beneficiary_a, bilan_id, {"situation": secret, "constraints": long_text}, complete=False
        )
    assert refused.value.fields == {"constraints": "error.too_long"}
    assert load(bilan_id).questionnaire_encrypted == ""  # nothing half-saved
    bilans.save_questionnaire(
        world.beneficiary_a, bilan_id, {"situation": secret, "constraints": long_text[:-1]}, complete=False
    )
    raw = load(bilan_id).questionnaire_encrypted
    assert raw and secret not in raw and "Burn-out" not in raw
    with session_scope() as session:
        column = session.connection().exec_driver_sql(
            "SELECT questionnaire_encrypted FROM bilans WHERE questionnaire_encrypted <> ''"
        )
        [(stored,)] = column.all()
    assert stored == raw and "psychiatrique" not in stored
    answers = bilans.get_questionnaire(world.beneficiary_a, bilan_id).answers
    assert answers["situation"] == secret
    assert answers["constraints"] == "x" * QUESTIONNAIRE_MAX_CHARS


# ---------------------------------------------------------------- funding and objectives


def test_employer_funding_requires_the_three_employer_fields(world):
    bilan_id = accepted_bilan(world)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.update_funding(world.consultant_a, bilan_id, funding_form(funding_type="employer")))
    assert isinstance(error, FormError)
    assert error.fields == {
        "employer_name": "error.required",
        "employer_signatory_name": "error.required",
        "employer_email": "error.required",
    }
    error = raised(
        lambda: bilans.update_funding(
            world.consultant_a,
            bilan_id,
            funding_form(funding_type="employer", employer_name="Transports Rivière", employer_signatory_name="M. Roy"),
        )
    )
    assert error.fields == {"employer_email": "error.required"}
    assert bilan_state(bilan_id) == before


@pytest.mark.parametrize(
    ("hours", "key"), [(24.5, "error.number_too_large"), (0, "error.number_too_small"), ("abc", "error.number_invalid")]
)
def test_planned_hours_stay_within_the_legal_24(world, hours, key):
    bilan_id = accepted_bilan(world)
    error = raised(lambda: bilans.update_funding(world.consultant_a, bilan_id, funding_form(hours_planned_total=hours)))
    assert isinstance(error, FormError) and error.fields == {"hours_planned_total": key}
    assert load(bilan_id).hours_planned_total == 24


def test_planned_hours_respect_the_organisation_minimum(world):
    update_organisation(world.org_a, min_hours=13.5)
    bilan_id = accepted_bilan(world)
    error = raised(lambda: bilans.update_funding(world.admin_a, bilan_id, funding_form(hours_planned_total=13)))
    assert isinstance(error, FormError)
    assert (error.fields, error.params) == ({"hours_planned_total": "error.hours_under_min"}, {"min": "13,5"})
    assert load(bilan_id).hours_planned_total == 24
    bilans.update_funding(world.admin_a, bilan_id, funding_form(hours_planned_total=13.5))
    assert load(bilan_id).hours_planned_total == 13.5


def test_funding_update_records_before_and_after_of_the_changed_fields(world):
    bilan_id = accepted_bilan(world)
    bilans.update_funding(
        world.consultant_a,
        bilan_id,
        funding_form(
            funding_type="employer",
            employer_name="  Transports   Rivière ",
            employer_signatory_name="Mme Roy",
            employer_email="RH@Transports-Riviere.fr",
            price_euros=2100,
            hours_planned_total=20,
        ),
    )
    row = load(bilan_id)
    assert (row.funding_type, row.employer_name, row.employer_email) == (
        FundingType.EMPLOYER,
        "Transports Rivière",
        "rh@transports-riviere.fr",
    )
    [updated] = events(bilan_id, "bilan.funding_updated")
    assert updated.changes == {
        "funding_type": {"before": "cpf", "after": "employer"},
        "employer_name": {"before": "", "after": "Transports Rivière"},
        "employer_signatory_name": {"before": "", "after": "Mme Roy"},
        "employer_email": {"before": "", "after": "rh@transports-riviere.fr"},
        "price_euros": {"before": 1800, "after": 2100},
        "hours_planned_total": {"before": 24, "after": 20},
    }
    assert updated.actor_user_id == world.consultant_a.user_id
    with pytest.raises(AccessDenied):
        bilans.update_funding(world.beneficiary_a, bilan_id, funding_form())


def test_objectives_are_encrypted_and_read_back(world):
    bilan_id = accepted_bilan(world)
    assert bilans.get_objectives(world.beneficiary_a, bilan_id) == ""
    assert raised(lambda: bilans.set_objectives(world.consultant_a, bilan_id, "  ")).fields == {
        "objectives": "error.required"
    }
    too_long = "x" * (QUESTIONNAIRE_MAX_CHARS + 1)  # refused whole, never cut
    assert raised(lambda: bilans.set_objectives(world.consultant_a, bilan_id, too_long)).fields == {
        "objectives": "error.too_long"
    }
    text = "Valider le projet de devenir formatrice en santé"
    bilans.set_objectives(world.consultant_a, bilan_id, f"  {text}\n")
    assert text not in load(bilan_id).objectives_encrypted
    for reader in (world.beneficiary_a, world.consultant_a, world.admin_a):
        assert bilans.get_objectives(reader, bilan_id) == text
    assert len(events(bilan_id, "bilan.objectives_updated")) == 1
    with pytest.raises(AccessDenied):
        bilans.set_objectives(world.beneficiary_a, bilan_id, "autre")


# ---------------------------------------------------------------- sessions and hours


def test_the_24_hour_cap_refuses_one_minute_more(world):
    bilan_id = accepted_bilan(world)
    for minutes in (480, 480, 465):  # 23 h 45 already planned
        add_session(bilan_id, minutes)
    add_session(bilan_id, 480, status=SessionStatus.CANCELLED)  # does not count
    before = bilan_state(bilan_id)
    error = raised(lambda: plan(world.consultant_a, bilan_id, 16))
    assert isinstance(error, FormError)
    assert (error.fields, error.params) == ({"duration_minutes": "error.hours_over_max"}, {"remaining": "0,25"})
    add_session(bilan_id, 15)  # exactly 24 h
    error = raised(lambda: plan(world.consultant_a, bilan_id, 15))
    assert (error.fields, error.params) == ({"duration_minutes": "error.hours_over_max"}, {"remaining": "0"})
    assert bilan_state(bilan_id) == before
    hours = bilans.hours(world.consultant_a, bilan_id)
    assert (hours.planned_minutes, hours.remaining_minutes) == (24 * 60, 0)


def test_sessions_may_fill_exactly_24_hours(world):
    bilan_id = accepted_bilan(world)
    for minutes in (480, 480, 465, 15):
        plan(world.consultant_a, bilan_id, minutes)
    assert bilans.hours(world.consultant_a, bilan_id).planned_minutes == 24 * 60
    assert len(bilans.list_sessions(world.consultant_a, bilan_id)) == 4
    assert len(events(bilan_id, "bilan.session_planned")) == 4
    assert raised(lambda: plan(world.consultant_a, bilan_id, 15)).fields == {"duration_minutes": "error.hours_over_max"}


def test_cancelled_sessions_free_their_hours(world):
    bilan_id = accepted_bilan(world)
    first = add_session(bilan_id, 480)
    add_session(bilan_id, 480)
    add_session(bilan_id, 480)
    assert raised(lambda: plan(world.consultant_a, bilan_id, 15)).fields == {"duration_minutes": "error.hours_over_max"}
    bilans.cancel_session(world.consultant_a, first)
    assert load_session(first).status == SessionStatus.CANCELLED
    [cancelled] = events(bilan_id, "bilan.session_cancelled")
    assert cancelled.changes == {"appointment": {"before": str(first), "after": None}}
    hours = bilans.hours(world.consultant_a, bilan_id)
    assert (hours.planned_minutes, hours.remaining_minutes) == (960, 480)
    plan(world.consultant_a, bilan_id, 480)
    assert bilans.hours(world.consultant_a, bilan_id).planned_minutes == 1440


def test_only_a_planned_session_is_cancelled_and_by_a_follower(world):
    bilan_id = accepted_bilan(world)
    held = add_session(bilan_id, 60, status=SessionStatus.HELD)
    cancelled = add_session(bilan_id, 60, status=SessionStatus.CANCELLED)
    planned = add_session(bilan_id, 60)
    before = bilan_state(bilan_id)
    for session_id in (held, cancelled):
        assert raised(lambda s=session_id: bilans.cancel_session(world.consultant_a, s)).code == (
            "error.session_not_planned"
        )
    with pytest.raises(AccessDenied):
        bilans.cancel_session(world.beneficiary_a, planned)
    for stranger in (world.consultant_b, world.admin_b, add_person(world, "a", Role.CONSULTANT, "H", "C")):
        with pytest.raises(NotFound):
            bilans.cancel_session(stranger, planned)
    assert bilan_state(bilan_id) == before
    assert load_session(planned).status == SessionStatus.PLANNED


def test_plan_session_records_it_in_paris_time(world):
    bilan_id = accepted_bilan(world)
    day = paris_today() + timedelta(days=60)
    session_id = plan(world.consultant_a, bilan_id, 90, starts_at=f"{day}T09:30", mode="presentiel", location="Lyon")
    row = load_session(session_id)
    local = datetime(day.year, day.month, day.day, 9, 30, tzinfo=TIMEZONE)
    assert row.starts_at == local
    assert row.starts_at.utcoffset() == timedelta(0)
    assert (row.duration_minutes, row.mode, row.location, row.status, row.organisation_id) == (
        90,
        "presentiel",
        "Lyon",
        SessionStatus.PLANNED,
        world.org_a,
    )
    [planned] = events(bilan_id, "bilan.session_planned")
    assert planned.changes == {"appointment": {"before": None, "after": f"preliminaire {local.isoformat()} 90 min"}}
    [listed] = bilans.list_sessions(world.beneficiary_a, bilan_id)
    assert (listed.id, listed.duration_minutes, listed.location, listed.has_notes) == (
        str(session_id),
        90,
        "Lyon",
        False,
    )


@pytest.mark.parametrize(
    ("mode", "extra", "fields"),
    [
        ("distanciel", {}, {"video_link": "error.required"}),
        ("distanciel", {"location": "Paris"}, {"video_link": "error.required"}),
        ("presentiel", {}, {"location": "error.required"}),
        ("presentiel", {"video_link": "https://visio.exemple.fr/abc"}, {"location": "error.required"}),
        ("visio", {}, {"mode": "error.invalid_choice"}),
    ],
)
def test_the_session_mode_needs_its_place(world, mode, extra, fields):
    bilan_id = accepted_bilan(world)
    error = raised(lambda: plan(world.consultant_a, bilan_id, 60, mode=mode, **extra))
    assert isinstance(error, FormError) and error.fields == fields
    assert bilans.list_sessions(world.consultant_a, bilan_id) == []


def test_each_mode_with_its_place_is_accepted(world):
    bilan_id = accepted_bilan(world)
    plan(world.consultant_a, bilan_id, mode="distanciel", video_link="https://visio.exemple.fr/abc")
    plan(world.consultant_a, bilan_id, mode="presentiel", location="12 rue de la Paix, Lyon")
    plan(world.admin_a, bilan_id, mode="hybride")
    assert sorted(s.mode for s in bilans.list_sessions(world.consultant_a, bilan_id)) == [
        "distanciel",
        "hybride",
        "presentiel",
    ]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"duration_minutes": 10}, {"duration_minutes": "error.number_too_small"}),
        ({"duration_minutes": 481}, {"duration_minutes": "error.number_too_large"}),
        ({"starts_at": "demain"}, {"starts_at": "error.datetime_invalid"}),
        ({"phase": "cloture"}, {"phase": "error.invalid_choice"}),
    ],
)
def test_session_form_errors(world, change, fields):
    bilan_id = accepted_bilan(world)
    raw = session_form(60) | change
    error = raised(lambda: bilans.plan_session(world.consultant_a, bilan_id, raw))
    assert isinstance(error, FormError) and error.fields == fields


def test_no_session_before_the_request_is_accepted(world):
    bilan_id = ready_bilan(world, S.DEMANDE)  # a consultant is assigned, but has not accepted yet
    before = bilan_state(bilan_id)
    assert raised(lambda: plan(world.consultant_a, bilan_id)).code == "error.bilan_not_accepted"
    assert bilan_state(bilan_id) == before


def test_sessions_are_planned_by_followers_only(world):
    bilan_id = accepted_bilan(world)
    with pytest.raises(AccessDenied):
        plan(world.beneficiary_a, bilan_id)
    for stranger in (world.consultant_b, world.admin_b, add_person(world, "a", Role.CONSULTANT, "H", "C")):
        with pytest.raises(NotFound):
            plan(stranger, bilan_id)
    assert bilans.list_sessions(world.consultant_a, bilan_id) == []


def test_attendance_opens_at_the_start_of_the_session(world):
    bilan_id = signed_bilan(world)
    later = add_session(bilan_id, 60, starts_at=utcnow() + timedelta(minutes=10))
    before = bilan_state(bilan_id)
    for party in (world.beneficiary_a, world.consultant_a):
        assert raised(lambda p=party: bilans.confirm_attendance(p, later)).code == "error.attendance_too_early"
    assert bilan_state(bilan_id) == before
    row = load_session(later)
    assert (row.beneficiary_attended_at, row.consultant_attended_at, row.status) == (None, None, "planned")
    assert bilans.list_sessions(world.beneficiary_a, bilan_id)[0].attendance_open is False
    started = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=1))
    bilans.confirm_attendance(world.beneficiary_a, started)
    assert load_session(started).beneficiary_attended_at is not None


def test_both_parties_confirm_and_the_session_is_held(world):
    bilan_id = signed_bilan(world)
    session_id = add_session(bilan_id, 120, starts_at=utcnow() - timedelta(hours=1))
    since = utcnow()
    bilans.confirm_attendance(world.beneficiary_a, session_id)
    row = load_session(session_id)
    assert_recent(row.beneficiary_attended_at, since)
    assert (row.consultant_attended_at, row.status) == (None, SessionStatus.PLANNED)
    assert bilans.hours(world.consultant_a, bilan_id).completed_minutes == 0
    first_time = row.beneficiary_attended_at
    bilans.confirm_attendance(world.beneficiary_a, session_id)  # idempotent: the first time stays
    assert load_session(session_id).beneficiary_attended_at == first_time
    bilans.confirm_attendance(world.consultant_a, session_id)
    row = load_session(session_id)
    assert_recent(row.consultant_attended_at, since)
    assert row.status == SessionStatus.HELD
    assert [e.changes for e in events(bilan_id, "bilan.attendance_confirmed")] == [
        {"attendance": {"before": None, "after": "beneficiary"}},
        {"attendance": {"before": None, "after": "beneficiary"}},
        {"attendance": {"before": None, "after": "consultant"}},
    ]
    [listed] = bilans.list_sessions(world.beneficiary_a, bilan_id)
    assert (listed.status, listed.beneficiary_attended, listed.consultant_attended) == ("held", True, True)
    hours = bilans.hours(world.beneficiary_a, bilan_id)
    assert (hours.planned_minutes, hours.completed_minutes, hours.max_minutes, hours.min_minutes) == (120, 120, 1440, 0)
    assert raised(lambda: bilans.cancel_session(world.consultant_a, session_id)).code == "error.session_not_planned"


def test_attendance_is_for_the_two_parties_only(world):
    bilan_id = signed_bilan(world)
    session_id = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=5))
    other_beneficiary = add_person(world, "a", Role.BENEFICIARY, "Ines", "Autre")
    other_consultant = add_person(world, "a", Role.CONSULTANT, "Hugo", "Autre")
    before = bilan_state(bilan_id)
    for stranger in (other_beneficiary, other_consultant, world.beneficiary_b, world.consultant_b, world.admin_b):
        with pytest.raises(NotFound):
            bilans.confirm_attendance(stranger, session_id)
    with pytest.raises(AccessDenied):
        bilans.confirm_attendance(world.admin_a, session_id)
    with pytest.raises(AccessDenied):
        bilans.confirm_attendance(world.platform, session_id)
    assert bilan_state(bilan_id) == before
    row = load_session(session_id)
    assert (row.beneficiary_attended_at, row.consultant_attended_at) == (None, None)


def test_a_cancelled_session_takes_no_attendance(world):
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60, starts_at=utcnow() - timedelta(minutes=5), status=SessionStatus.CANCELLED)
    assert (
        raised(lambda: bilans.confirm_attendance(world.beneficiary_a, session_id)).code == "error.session_not_planned"
    )


def test_hours_report_the_organisation_minimum(world):
    update_organisation(world.org_a, min_hours=13)
    bilan_id = accepted_bilan(world)
    add_session(bilan_id, 200)
    hours = bilans.hours(world.admin_a, bilan_id)
    assert (hours.planned_minutes, hours.completed_minutes, hours.min_minutes, hours.remaining_minutes) == (
        200,
        0,
        780,
        1240,
    )


# ---------------------------------------------------------------- the consultant's notes


def test_notes_belong_to_the_assigned_consultant_alone(world):
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    secret = "Évoque un conflit avec sa manageuse ; fatigue importante."
    bilans.save_session_notes(world.consultant_a, session_id, secret)
    assert bilans.read_session_notes(world.consultant_a, session_id) == secret
    raw = load_session(session_id).notes_encrypted
    assert raw and "conflit" not in raw and decrypt_text(raw) == secret
    assert bilans.list_sessions(world.beneficiary_a, bilan_id)[0].has_notes is True
    assert len(events(bilan_id, "bilan.session_notes_updated")) == 1
    before = bilan_state(bilan_id)
    for reader in (world.admin_a, world.beneficiary_a):
        with pytest.raises(AccessDenied):
            bilans.read_session_notes(reader, session_id)
        with pytest.raises(AccessDenied):
            bilans.save_session_notes(reader, session_id, "écrasé")
    for stranger in (world.consultant_b, world.admin_b, add_person(world, "a", Role.CONSULTANT, "H", "C")):
        with pytest.raises(NotFound):
            bilans.read_session_notes(stranger, session_id)
    assert bilan_state(bilan_id) == before
    assert bilans.read_session_notes(world.consultant_a, session_id) == secret
    # Emptying the notes clears them.
    bilans.save_session_notes(world.consultant_a, session_id, "   ")
    assert load_session(session_id).notes_encrypted == ""
    assert bilans.read_session_notes(world.consultant_a, session_id) == ""


def test_notes_do_not_follow_a_reassignment(world):
    # The new consultant reads them only with the beneficiary's agreement (tests/unit/test_session_notes.py).
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    bilans.save_session_notes(world.consultant_a, session_id, "Notes de Camille")
    bilans.assign_consultant(world.admin_a, bilan_id, colleague.user_id)
    assert raised(lambda: bilans.read_session_notes(colleague, session_id)).code == "notes.error.needs_agreement"
    with pytest.raises(NotFound):
        bilans.read_session_notes(world.consultant_a, session_id)


# ---------------------------------------------------------------- tasks


def add_task_row(bilan_id, title: str, due_on: date | None, *, done: bool = False) -> uuid.UUID:
    """A task row written directly: a due date already past (the service refuses one) for the overdue flag."""
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        task = BilanTask(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            title_encrypted=encrypt_text(title),
            due_on=due_on,
            done_at=utcnow() if done else None,
        )
        session.add(task)
    return task.id


def test_tasks_are_listed_with_their_overdue_flag_and_done_by_the_beneficiary(world):
    bilan_id = accepted_bilan(world)
    today = paris_today()
    late = add_task_row(bilan_id, "Lire la fiche métier", today - timedelta(days=1))
    bilans.add_task(world.consultant_a, bilan_id, {"title": "  Enquête   métier ", "due_on": today.isoformat()})
    bilans.add_task(world.admin_a, bilan_id, {"title": "Mettre à jour le CV"})
    tasks = bilans.list_tasks(world.beneficiary_a, bilan_id)
    assert [(t.title, t.due_on, t.done, t.overdue) for t in tasks] == [
        ("Lire la fiche métier", today - timedelta(days=1), False, True),
        ("Enquête métier", today, False, False),
        ("Mettre à jour le CV", None, False, False),
    ]
    assert tasks[0].id == str(late)
    with session_scope() as session:
        raw = session.get(BilanTask, late).title_encrypted
    assert "fiche" not in raw and decrypt_text(raw) == "Lire la fiche métier"
    assert next(e.changes for e in events(bilan_id, "bilan.task_added")) == {
        "due_on": {"before": None, "after": str(today)}
    }

    bilans.set_task_done(world.beneficiary_a, late, True)
    first = bilans.list_tasks(world.consultant_a, bilan_id)[0]
    assert (first.done, first.overdue) == (True, False)
    [done] = events(bilan_id, "bilan.task_done")
    assert (done.actor_user_id, done.changes) == (
        world.beneficiary_a.user_id,
        {"done": {"before": False, "after": True}},
    )
    bilans.set_task_done(world.beneficiary_a, late, False)
    assert bilans.list_tasks(world.beneficiary_a, bilan_id)[0].overdue is True


def test_task_rules(world):
    bilan_id = accepted_bilan(world)
    assert raised(lambda: bilans.add_task(world.consultant_a, bilan_id, {"title": "  "})).fields == {
        "title": "error.required"
    }
    assert raised(lambda: bilans.add_task(world.consultant_a, bilan_id, {"title": "T", "due_on": "32/13"})).fields == {
        "due_on": "error.date_invalid"
    }
    with pytest.raises(AccessDenied):
        bilans.add_task(world.beneficiary_a, bilan_id, {"title": "Je m'ajoute une tâche"})
    task_id = bilans.add_task(world.consultant_a, bilan_id, {"title": "Tâche"})
    for stranger in (world.beneficiary_b, world.consultant_b, add_person(world, "a", Role.BENEFICIARY, "I", "A")):
        with pytest.raises(NotFound):
            bilans.set_task_done(stranger, task_id, True)
    with pytest.raises(NotFound):
        bilans.set_task_done(world.beneficiary_a, "pas-un-uuid", True)
    assert bilans.list_tasks(world.beneficiary_a, bilan_id)[0].done is False


# ---------------------------------------------------------------- the synthèse


def test_the_synthese_must_be_a_pdf(world):
    bilan_id = ready_bilan(world, S.CONCLUSION)
    update_bilan(bilan_id, synthese_document_id=None, synthese_handed_over_at=None)
    for content in (b"<html>synthese</html>", b"", b"PDF-1.4"):
        error = raised(lambda c=content: uploaded.upload_synthese(world.consultant_a, bilan_id, "s.pdf", c))
        assert isinstance(error, FormError) and error.fields == {"synthese": "error.pdf_required"}
    assert load(bilan_id).synthese_document_id is None


def test_the_synthese_is_uploaded_encrypted_and_handed_over_in_conclusion(world, isolated_storage: Path):
    bilan_id = insert_bilan(world, S.INVESTIGATION)
    uploaded.upload_synthese(world.consultant_a, bilan_id, "synthese-bruno.pdf", PDF)
    row = load(bilan_id)
    with session_scope() as session:
        document = session.get(Document, row.synthese_document_id)
    assert (document.bilan_id, document.kind, document.filename, document.size_bytes) == (
        bilan_id,
        DocumentKind.SYNTHESE,
        "synthese-bruno.pdf",
        len(PDF),
    )
    on_disk = (isolated_storage / document.storage_key).read_bytes()
    assert b"%PDF" not in on_disk and b"synthese" not in on_disk
    [upload_event] = events(bilan_id, "bilan.synthese_uploaded")
    assert upload_event.changes == {"sha256": {"before": None, "after": document.sha256}}

    # Not in investigation.
    assert raised(lambda: uploaded.record_synthese_handover(world.consultant_a, bilan_id)).code == (
        "error.transition_forbidden"
    )
    bilans.transition(world.consultant_a, bilan_id, S.CONCLUSION)
    with pytest.raises(AccessDenied):
        uploaded.record_synthese_handover(world.admin_a, bilan_id)
    since = utcnow()
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    assert_recent(load(bilan_id).synthese_handed_over_at, since)
    assert len(events(bilan_id, "bilan.synthese_handed_over")) == 1
    # Her "Ma synthèse" says it was written outside the platform, not "pas encore commencée".
    overview = synthese_service.synthese_overview(world.beneficiary_a, bilan_id)
    assert overview.handed_over and not overview.versions


def test_no_handover_before_the_upload(world):
    bilan_id = insert_bilan(world, S.CONCLUSION)
    assert raised(lambda: uploaded.record_synthese_handover(world.consultant_a, bilan_id)).code == (
        "error.synthese_missing"
    )
    assert load(bilan_id).synthese_handed_over_at is None


def test_only_the_assigned_consultant_uploads(world):
    bilan_id = insert_bilan(world, S.CONCLUSION)
    for other in (world.admin_a, world.beneficiary_a):
        with pytest.raises(AccessDenied):
            uploaded.upload_synthese(other, bilan_id, "s.pdf", PDF)
    with pytest.raises(NotFound):
        uploaded.upload_synthese(world.consultant_b, bilan_id, "s.pdf", PDF)
    with session_scope() as session:
        assert session.exec(select(Document)).all() == []


def test_who_reads_the_synthese(world):
    bilan_id = insert_bilan(world, S.CONCLUSION)
    uploaded.upload_synthese(world.consultant_a, bilan_id, "synthese.pdf", PDF)
    # Before the handover: the consultant who wrote it, not the beneficiary.
    assert uploaded.read_synthese(world.consultant_a, bilan_id) == ("synthese.pdf", PDF)
    assert type(raised(lambda: uploaded.read_synthese(world.beneficiary_a, bilan_id))) is NotFound
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    assert uploaded.read_synthese(world.beneficiary_a, bilan_id) == ("synthese.pdf", PDF)
    # Never the org admin (L6313-4), nor anyone of another organisation or another beneficiary.
    assert type(raised(lambda: uploaded.read_synthese(world.admin_a, bilan_id))) is AccessDenied
    for stranger in (
        world.beneficiary_b,
        world.consultant_b,
        world.admin_b,
        add_person(world, "a", Role.BENEFICIARY, "I", "A"),
    ):
        assert type(raised(lambda s=stranger: uploaded.read_synthese(s, bilan_id))) is NotFound


def test_no_synthese_reads_as_not_found(world):
    bilan_id = insert_bilan(world, S.CONCLUSION)
    assert type(raised(lambda: uploaded.read_synthese(world.consultant_a, bilan_id))) is NotFound


# ---------------------------------------------------------------- history and detail


def test_history_is_newest_first_and_for_followers(world):
    bilan_id = accepted_bilan(world)
    bilans.set_objectives(world.consultant_a, bilan_id, "Objectifs")
    history = bilans.history(world.admin_a, bilan_id)
    assert history[0].action == "bilan.objectives_updated"
    assert history[-1].action == "bilan.requested"
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)
    assert history[0].actor_label == world.consultant_a.label
    with pytest.raises(AccessDenied):
        bilans.history(world.beneficiary_a, bilan_id)
    with pytest.raises(NotFound):
        bilans.history(world.admin_b, bilan_id)


def test_bilan_detail_for_followers_and_for_the_beneficiary(world):
    bilan_id = accepted_bilan(world)
    detail = bilans.bilan_detail(world.consultant_a, bilan_id)
    assert (detail.id, detail.status, detail.beneficiary_name, detail.consultant_name) == (
        str(bilan_id),
        "preliminaire",
        "Bruno BenefA",
        "Camille ConseilA",
    )
    assert detail.next_statuses == ("abandonne", "annule", "investigation")
    assert detail.forward_moves == ("investigation",)  # stops are asked with their reason by a form
    assert (detail.can_follow, detail.is_assigned_consultant) == (True, True)
    assert (detail.active, detail.default_phase, detail.can_schedule_followup) == (True, "preliminaire", False)
    admin = bilans.bilan_detail(world.admin_a, bilan_id)
    assert (admin.can_follow, admin.is_assigned_consultant) == (True, False)
    own = bilans.bilan_detail(world.beneficiary_a, bilan_id)
    assert (own.next_statuses, own.can_follow, own.is_assigned_consultant) == ((), False, False)
    assert (own.forward_moves, own.can_schedule_followup) == ((), False)
    with pytest.raises(NotFound):
        bilans.bilan_detail(world.beneficiary_b, bilan_id)


def test_the_status_rules_the_screens_ask_for():
    assert set(bilans.STATUS_ORDER) | set(bilans.STOPPED_STATUSES) == set(S)
    assert {s for s in S if bilans.is_closed(s)} == CLOSED
    assert {s for s in S if bilans.is_open(s)} == set(S) - CLOSED
    assert {s for s in S if bilans.is_stopped(s)} == {S.ABANDONNE, S.ANNULE}
    assert bilans.is_open("demande") and bilans.is_closed("termine")  # the rows carry plain strings
    assert {s: bilans.forward_moves(s) for s in S} == {
        S.DEMANDE: (),  # entered by accepting the request
        S.PRELIMINAIRE: ("investigation",),
        S.INVESTIGATION: ("conclusion",),
        S.CONCLUSION: ("suivi", "termine"),
        S.SUIVI: ("termine",),
        S.TERMINE: (),
        S.ABANDONNE: (),
        S.ANNULE: (),
    }
    assert [bilans.default_phase(s) for s in bilans.STATUS_ORDER] == [
        "preliminaire",
        "preliminaire",
        "investigation",
        "conclusion",
        "suivi",
        "preliminaire",
    ]


# ---------------------------------------------------------------- dashboards


def test_list_bilans_filters(world):
    people = {
        name: add_person(world, "a", Role.BENEFICIARY, *name.split())
        for name in ("Zoe Martin", "Jean Dupont", "Lea Petit", "Marc Durand")
    }
    now = utcnow()
    insert_bilan(world, S.PRELIMINAIRE, beneficiary=people["Zoe Martin"].user_id, requested_at=now - timedelta(1))
    jean = insert_bilan(
        world,
        S.INVESTIGATION,
        beneficiary=people["Jean Dupont"].user_id,
        funding_type=FundingType.EMPLOYER,
        requested_at=now - timedelta(days=40),
        consultant_accepted_at=now - timedelta(days=30),
    )
    insert_bilan(world, S.TERMINE, beneficiary=people["Lea Petit"].user_id, requested_at=now - timedelta(2))
    insert_bilan(
        world, S.DEMANDE, beneficiary=people["Marc Durand"].user_id, funding_type=FundingType.OPCO, requested_at=now
    )
    insert_bilan(world, S.PRELIMINAIRE, org="b")  # never listed in A

    def names(actor, **filters):
        return [row.beneficiary_name for row in bilans.list_bilans(actor, DashboardFilter(**filters))]

    for actor in (world.consultant_a, world.admin_a):
        assert names(actor) == ["Marc Durand", "Zoe Martin", "Jean Dupont"]  # open ones, newest first
        assert names(actor, status="termine") == ["Lea Petit"]
        assert names(actor, status="investigation") == ["Jean Dupont"]
        assert names(actor, funding_type="employer") == ["Jean Dupont"]
        assert names(actor, funding_type="opco", status="demande") == ["Marc Durand"]
        assert names(actor, search="mart") == ["Zoe Martin"]
        assert names(actor, search="  DUPONT ") == ["Jean Dupont"]
        assert names(actor, search="jean") == ["Jean Dupont"]
        assert names(actor, search="Nobody") == []
        assert names(actor, late_only=True) == ["Jean Dupont"]
    rows = rows_by_name(bilans.list_bilans(world.admin_a))
    assert rows["Jean Dupont"].id == str(jean)
    assert rows["Jean Dupont"].alerts == ("no_session",)
    assert (rows["Jean Dupont"].funding_type, rows["Jean Dupont"].consultant_name) == ("employer", "Camille ConseilA")
    assert names(world.admin_b) == ["Bruno BenefB"]
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    assert names(colleague) == []
    with pytest.raises(AccessDenied):
        bilans.list_bilans(world.beneficiary_a)


def test_dashboard_alerts(world):
    now = utcnow()
    today = paris_today()

    def bilan(name, status=S.PRELIMINAIRE, accepted_days_ago=1, **fields):
        person = add_person(world, "a", Role.BENEFICIARY, name, "Alerte")
        return insert_bilan(
            world,
            status,
            beneficiary=person.user_id,
            requested_at=now - timedelta(days=accepted_days_ago + 1),
            consultant_accepted_at=now - timedelta(days=accepted_days_ago),
            **fields,
        )

    bilan("Calme")
    bilan("Oublie", accepted_days_ago=15)
    bilan("Recent", accepted_days_ago=13)
    planned = bilan("Planifie", accepted_days_ago=15)
    add_session(planned, 60, starts_at=now + timedelta(days=2))
    stale = bilan("Ancienne", accepted_days_ago=40)
    add_session(stale, 60, starts_at=now - timedelta(days=20))
    fresh = bilan("Fraiche", accepted_days_ago=40)
    add_session(fresh, 60, starts_at=now - timedelta(days=3))
    bilan("Attente", S.DEMANDE, accepted_days_ago=30)  # a request waits: no session alert yet
    heavy = bilan("Lourd")
    for _ in range(2):
        add_session(heavy, 480, starts_at=now + timedelta(days=5))
    add_session(heavy, 240, starts_at=now + timedelta(days=6))  # 20 h
    almost = bilan("Presque")
    for _ in range(2):
        add_session(almost, 480, starts_at=now + timedelta(days=5))
    add_session(almost, 225, starts_at=now + timedelta(days=6))  # 19 h 45
    later = bilan("Plustard")
    bilans.add_task(world.consultant_a, later, {"title": "Plus tard", "due_on": today + timedelta(days=3)})
    bilans.add_task(world.consultant_a, later, {"title": "Aujourd'hui", "due_on": today})
    unsigned = bilan("Nonsignee")
    add_convention(unsigned, ConventionStatus.AWAITING_SIGNATURES, issued=now - timedelta(days=8))
    waiting = bilan("Patiente")
    add_convention(waiting, ConventionStatus.AWAITING_SIGNATURES, issued=now - timedelta(days=6))
    signed = bilan("Signee")
    add_convention(signed, ConventionStatus.SIGNED, issued=now - timedelta(days=8))

    alerts = {row.beneficiary_name.split()[0]: row.alerts for row in bilans.list_bilans(world.consultant_a)}
    assert alerts == {
        "Calme": (),
        "Oublie": ("no_session",),
        "Recent": (),
        "Planifie": (),
        "Ancienne": ("no_session",),
        "Fraiche": (),
        "Attente": (),
        "Lourd": ("hours_limit",),
        "Presque": (),
        "Plustard": (),
        "Nonsignee": ("convention_unsigned",),
        "Patiente": (),
        "Signee": (),
    }
    late_names = {
        row.beneficiary_name.split()[0] for row in bilans.list_bilans(world.admin_a, DashboardFilter(late_only=True))
    }
    assert late_names == {"Oublie", "Ancienne", "Lourd", "Nonsignee"}
    rows = rows_by_name(bilans.list_bilans(world.consultant_a))
    assert (rows["Lourd Alerte"].planned_minutes, rows["Presque Alerte"].planned_minutes) == (1200, 1185)
    assert rows["Planifie Alerte"].next_session_at is not None
    assert abs(rows["Planifie Alerte"].next_session_at - (now + timedelta(days=2))) < timedelta(seconds=1)
    assert rows["Ancienne Alerte"].next_session_at is None


def test_dashboard_flags_overdue_tasks(world):
    today = paris_today()
    people = {name: add_person(world, "a", Role.BENEFICIARY, name, "Taches") for name in ("Retard", "Faite", "Libre")}
    late = insert_bilan(world, beneficiary=people["Retard"].user_id)
    add_task_row(late, "Enquête", today - timedelta(days=1))
    bilans.add_task(world.consultant_a, late, {"title": "Plus tard", "due_on": today + timedelta(days=3)})
    done = insert_bilan(world, beneficiary=people["Faite"].user_id)
    add_task_row(done, "Enquête", today - timedelta(days=1), done=True)
    insert_bilan(world, beneficiary=people["Libre"].user_id)
    alerts = {row.beneficiary_name.split()[0]: row.alerts for row in bilans.list_bilans(world.consultant_a)}
    assert alerts == {"Retard": ("overdue_tasks",), "Faite": (), "Libre": ()}
    late_only = bilans.list_bilans(world.admin_a, DashboardFilter(late_only=True))
    assert [row.id for row in late_only] == [str(late)]


def test_dashboard_hours_and_next_session(world):
    bilan_id = signed_bilan(world)
    now = utcnow()
    held = add_session(bilan_id, 90, starts_at=now - timedelta(hours=2))
    bilans.confirm_attendance(world.beneficiary_a, held)
    bilans.confirm_attendance(world.consultant_a, held)
    add_session(bilan_id, 60, starts_at=now + timedelta(days=1), status=SessionStatus.CANCELLED)
    add_session(bilan_id, 120, starts_at=now + timedelta(days=9))
    nearest = now + timedelta(days=4)
    add_session(bilan_id, 60, starts_at=nearest)
    [row] = bilans.list_bilans(world.consultant_a)
    assert (row.planned_minutes, row.completed_minutes) == (270, 90)
    assert row.next_session_at is not None and abs(row.next_session_at - nearest) < timedelta(seconds=1)
    assert row.next_session_at.utcoffset() == timedelta(0)


def _populate(world, count: int, start: int) -> None:
    now = utcnow()
    today = paris_today()
    for index in range(start, start + count):
        person = add_person(world, "a", Role.BENEFICIARY, f"Personne{index:02d}", "Liste")
        bilan_id = insert_bilan(world, S.INVESTIGATION, beneficiary=person.user_id, consultant_accepted_at=now)
        with session_scope() as session:
            session.add(
                BilanSession(
                    organisation_id=world.org_a,
                    bilan_id=bilan_id,
                    phase="investigation",
                    starts_at=now + timedelta(days=1 + index),
                    duration_minutes=60 + index,
                )
            )
            session.add(
                BilanTask(
                    organisation_id=world.org_a,
                    bilan_id=bilan_id,
                    title_encrypted=encrypt_text("t"),
                    due_on=today - timedelta(days=1),
                )
            )
        add_convention(bilan_id, ConventionStatus.AWAITING_SIGNATURES, issued=now - timedelta(days=10))


def count_statements(call) -> tuple[int, object]:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements), result


def test_the_dashboard_runs_a_fixed_number_of_queries(world):
    _populate(world, 5, 0)
    bilans.list_bilans(world.consultant_a)  # warm up (connection, caches)
    small, rows = count_statements(lambda: bilans.list_bilans(world.consultant_a))
    assert len(rows) == 5
    _populate(world, 25, 5)
    large, rows = count_statements(lambda: bilans.list_bilans(world.consultant_a))
    assert len(rows) == 30
    assert small == large
    assert small <= 6
    # Every row carries its own aggregates (not a neighbour's).
    for row in rows:
        index = int(row.beneficiary_name.split()[0].removeprefix("Personne"))
        assert row.planned_minutes == 60 + index
        assert set(row.alerts) == {"overdue_tasks", "convention_unsigned"}
    admin_small, _ = count_statements(lambda: bilans.list_bilans(world.admin_a, DashboardFilter(late_only=True)))
    assert admin_small == large


# ---------------------------------------------------------------- the convention guard and my_bilan


def test_investigation_needs_a_signed_convention(world):
    bilan_id = ready_bilan(world, S.PRELIMINAIRE)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION))
    assert (type(error), error.code) == (ServiceError, "error.convention_not_signed")
    add_convention(bilan_id, ConventionStatus.AWAITING_SIGNATURES)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION))
    assert error.code == "error.convention_not_signed"
    assert bilan_state(bilan_id) == before
    add_convention(bilan_id, ConventionStatus.SIGNED)
    since = utcnow()
    bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION)
    assert_moved(world, bilan_id, S.PRELIMINAIRE, S.INVESTIGATION, since, world.consultant_a)


def test_investigation_needs_the_objectives(world):
    bilan_id = ready_bilan(world, S.PRELIMINAIRE)
    update_bilan(bilan_id, objectives_encrypted="")
    add_convention(bilan_id)
    before = bilan_state(bilan_id)
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION))
    assert (type(error), error.code) == (ServiceError, "error.objectives_missing")
    assert bilan_state(bilan_id) == before


@pytest.mark.parametrize(
    ("statuses", "in_force"),
    [
        ((ConventionStatus.AWAITING_SIGNATURES,), True),
        ((ConventionStatus.SIGNED,), True),
        ((ConventionStatus.SIGNED, ConventionStatus.CANCELLED), False),  # the latest version decides
        ((ConventionStatus.EXPIRED,), False),
        ((ConventionStatus.CANCELLED, ConventionStatus.AWAITING_SIGNATURES), True),
    ],
)
def test_a_convention_in_force_freezes_the_terms_it_states(world, statuses, in_force):
    bilan_id = accepted_bilan(world)
    bilans.set_objectives(world.consultant_a, bilan_id, "Objectifs d'origine")
    for status in statuses:
        add_convention(bilan_id, status)
    changes = [
        lambda: bilans.set_objectives(world.consultant_a, bilan_id, "Objectifs modifiés"),
        lambda: bilans.update_funding(world.consultant_a, bilan_id, funding_form(price_euros=1500)),
        lambda: bilans.update_funding(world.admin_a, bilan_id, funding_form(hours_planned_total=20)),
        lambda: bilans.update_funding(world.consultant_a, bilan_id, funding_form(funding_type="opco")),
    ]
    for change in changes:
        before = bilan_state(bilan_id)
        if in_force:
            error = raised(change)
            assert (type(error), error.code) == (ServiceError, "error.convention_in_force")
            assert bilan_state(bilan_id) == before
        else:
            change()
            assert bilan_state(bilan_id) != before
    # The EDOF follow-up is not a term of the convention: it may change at any time.
    bilans.update_funding(
        world.consultant_a,
        bilan_id,
        funding_form(
            **{name: getattr(load(bilan_id), name) for name in ("price_euros", "hours_planned_total")},
            funding_type=str(load(bilan_id).funding_type),
            edof_file_number="EDOF-2026-1234",
            edof_status="accepte",
        ),
    )
    assert (load(bilan_id).edof_file_number, load(bilan_id).edof_status) == ("EDOF-2026-1234", "accepte")


def test_another_bilans_convention_does_not_count(world):
    bilan_id = ready_bilan(world, S.PRELIMINAIRE)
    add_convention(ready_bilan(world, S.PRELIMINAIRE, org="b"))
    add_convention(ready_bilan(world, S.PRELIMINAIRE))
    error = raised(lambda: bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION))
    assert error.code == "error.convention_not_signed"


def test_my_bilan_follows_the_milestones(world):
    # The preliminary interview is held before the convention here (the organisation's process says so).
    update_organisation(world.org_a, preliminary_interview_before_convention=True)
    me = world.beneficiary_a
    assert bilans.my_bilan(me) is None
    bilan_id = request_as(me, world.consultant_a)
    overview = bilans.my_bilan(me)
    assert (overview.bilan_id, overview.status, overview.progress_percent) == (str(bilan_id), "demande", 5)
    assert (overview.bilan_open, overview.stopped) == (True, False)
    assert bilans.my_current_bilan(me) == bilans.CurrentBilan(str(bilan_id), "demande", bilan_open=True)
    assert (overview.consultant_name, overview.next_session_at, overview.badges) == ("", None, ())
    assert overview.questionnaire_completed is False

    bilans.save_questionnaire(me, bilan_id, full_answers(), complete=True)
    assert bilans.my_bilan(me).badges == ("questionnaire_done",)
    assert bilans.my_bilan(me).questionnaire_completed is True

    bilans.accept_request(world.consultant_a, bilan_id)
    overview = bilans.my_bilan(me)
    assert (overview.status, overview.progress_percent, overview.consultant_name) == (
        "preliminaire",
        20,
        "Camille ConseilA",
    )
    now = utcnow()
    add_session(bilan_id, 60, starts_at=now + timedelta(days=10))
    add_session(bilan_id, 60, starts_at=now + timedelta(days=5))
    add_session(bilan_id, 60, starts_at=now + timedelta(days=1), status=SessionStatus.CANCELLED)
    next_at = bilans.my_bilan(me).next_session_at
    assert next_at is not None and abs(next_at - (now + timedelta(days=5))) < timedelta(seconds=1)

    held = add_session(bilan_id, 60, starts_at=now - timedelta(hours=1))
    bilans.confirm_attendance(me, held)
    assert "first_session" not in bilans.my_bilan(me).badges  # one party is not enough
    bilans.confirm_attendance(world.consultant_a, held)
    assert bilans.my_bilan(me).badges == ("questionnaire_done", "first_session")

    bilans.set_objectives(world.consultant_a, bilan_id, "Objectifs")
    add_convention(bilan_id, ConventionStatus.AWAITING_SIGNATURES)
    assert bilans.my_bilan(me).badges == ("questionnaire_done", "first_session")
    add_convention(bilan_id)
    assert bilans.my_bilan(me).badges == ("questionnaire_done", "convention_signed", "first_session")

    bilans.transition(world.consultant_a, bilan_id, S.INVESTIGATION)
    overview = bilans.my_bilan(me)
    assert (overview.progress_percent, overview.badges[-1]) == (50, "preliminaire_done")

    bilans.transition(world.consultant_a, bilan_id, S.CONCLUSION)
    overview = bilans.my_bilan(me)
    assert (overview.progress_percent, overview.badges[-1]) == (80, "investigation_done")
    assert bilans.bilan_detail(world.consultant_a, bilan_id).can_schedule_followup is True

    uploaded.upload_synthese(world.consultant_a, bilan_id, "synthese.pdf", PDF)
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    bilans.schedule_followup(world.consultant_a, bilan_id, date.today() + timedelta(days=180))
    bilans.transition(world.consultant_a, bilan_id, S.SUIVI)
    overview = bilans.my_bilan(me)
    assert (overview.progress_percent, overview.badges[-1]) == (95, "conclusion_done")

    bilans.transition(world.consultant_a, bilan_id, S.TERMINE)
    overview = bilans.my_bilan(me)
    assert (overview.status, overview.progress_percent) == ("termine", 100)
    assert (overview.bilan_open, overview.stopped) == (False, False)
    assert bilans.my_current_bilan(me).bilan_open is False
    assert overview.badges == (
        "questionnaire_done",
        "convention_signed",
        "first_session",
        "preliminaire_done",
        "investigation_done",
        "conclusion_done",
    )


def test_my_bilan_is_the_beneficiarys_own_and_latest(world):
    old = insert_bilan(world, S.ABANDONNE, requested_at=utcnow() - timedelta(days=400))
    overview = bilans.my_bilan(world.beneficiary_a)
    assert (overview.bilan_id, overview.bilan_open, overview.stopped) == (str(old), False, True)
    new = request_as(world.beneficiary_a)
    assert bilans.my_bilan(world.beneficiary_a).bilan_id == str(new)
    assert bilans.my_bilan(world.beneficiary_b) is None
    assert bilans.my_bilan(add_person(world, "a", Role.BENEFICIARY, "I", "A")) is None
    for other in (world.consultant_a, world.admin_a, world.platform):
        with pytest.raises(AccessDenied):
            bilans.my_bilan(other)


def test_a_handed_over_synthese_is_never_replaced_silently(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.consultant_a, bilan_id)
    with session_scope() as session:
        row = session.get(Bilan, bilan_id)
        row.status = S.CONCLUSION
        session.add(row)
    uploaded.upload_synthese(world.consultant_a, bilan_id, "s.pdf", b"%PDF-1.7 demo")
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    first = load(bilan_id).synthese_handed_over_at
    assert raised(lambda: uploaded.record_synthese_handover(world.consultant_a, bilan_id)).code == (
        "error.synthese_already_handed_over"
    )
    # A corrected PDF waits for its own handover (issue 11 §2): until then, she keeps the first one.
    uploaded.upload_synthese(world.consultant_a, bilan_id, "t.pdf", b"%PDF-1.7 other")
    assert load(bilan_id).synthese_handed_over_at == first
    assert uploaded.read_synthese(world.beneficiary_a, bilan_id) == ("s.pdf", b"%PDF-1.7 demo")
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    assert uploaded.read_synthese(world.beneficiary_a, bilan_id) == ("t.pdf", b"%PDF-1.7 other")
    assert load(bilan_id).synthese_handed_over_at > first


def test_dashboard_search_treats_wildcards_literally(world):
    request_as(world.beneficiary_a, world.consultant_a)
    assert bilans.list_bilans(world.consultant_a, bilans.DashboardFilter(search="%")) == []
    assert bilans.list_bilans(world.consultant_a, bilans.DashboardFilter(search="_")) == []


def test_reading_personal_data_is_logged_for_anyone_but_the_beneficiary(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    bilans.accept_request(world.consultant_a, bilan_id)
    bilans.get_questionnaire(world.beneficiary_a, bilan_id)
    bilans.get_questionnaire(world.consultant_a, bilan_id)
    with session_scope() as session:
        reads = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "bilan.personal_data_read", AuditEvent.target_id == str(bilan_id)
            )
        ).all()
    assert [(event.actor_user_id, event.changes) for event in reads] == [
        (world.consultant_a.user_id, {"read": "questionnaire"})
    ]
    assert all(row.action != "bilan.personal_data_read" for row in bilans.history(world.consultant_a, bilan_id))
