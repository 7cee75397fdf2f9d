"""Tenancy: an actor of one organisation can neither read nor change anything of another.

Table-driven. Every public service function that takes an ``Actor`` must appear in one of the
tables below (``test_every_actor_function_has_a_row`` fails otherwise):

* BY_ID      functions taking an object id: another organisation's id answers NotFound, exactly
             like a random uuid, and changes nothing;
* LISTINGS   functions listing rows: only the actor's organisation's rows, all of them;
* GUARDED    role checks: a role outside ``allowed`` gets AccessDenied and changes nothing;
* SCOPED_WRITES / SELF_ONLY   functions without an id: they change the actor's own organisation
             (or own account) and nothing of the other organisation.

Every case runs in both directions (A against B, and B against A). The bilan rows act on objects
that ``bilan_objects()`` builds on first use (a request, a bilan in progress with a session and a
task, a bilan in conclusion with its synthèse), the same in both organisations.
"""

import asyncio
import inspect
import io
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlmodel import SQLModel, col, select

from services import (
    access,
    action_plan,
    agenda,
    audit,
    audit_text,
    auth,
    bilans,
    job_search,
    mail,
    members,
    notes_agreement,
    notifications,
    recommendations,
    session_notes,
)
from services.access import Actor
from services.agenda import Opening
from services.audit import AuditFilter
from services.calendar import feeds as calendar_feeds
from services.calendar import invitations, visio
from services.crypto import sign_link
from services.db import session_scope
from services.documents import action_plan as document_plan
from services.documents import records as document_records
from services.errors import AccessDenied, NotFound, ServiceError
from services.francetravail import FranceTravailNotConfigured
from services.llm import admin as llm_admin
from services.llm import consent as llm_consent
from services.llm import review as llm_review
from services.llm import run as llm_run
from services.llm.schemas import RecommendationInput
from services.models import (
    AiUsage,
    AssessmentSkill,
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    DeliveryMode,
    Invitation,
    LoginSession,
    MailMessage,
    Membership,
    Organisation,
    Role,
    RomeVersion,
)
from services.models.base import clock_at, utcnow
from services.psychometrics import service as psychometrics
from services.rome import upload as rome_upload
from services.rome.importer import import_rome
from services.skills import assessment as skills
from services.skills import cartography
from services.synthese import handover, uploaded
from services.synthese import versions as synthese
from services.training import catalogue as training_catalogue
from services.training import suggest as training_suggest
from tests.unit.test_rome_import import write_export

# Documents (the synthèse) are written under the test's tmp_path.
pytestmark = pytest.mark.usefixtures("isolated_storage")

DIRECTIONS = [("a", "b"), ("b", "a")]
ROLE_KEY = {
    Role.BENEFICIARY: "beneficiary",
    Role.CONSULTANT: "consultant",
    Role.ORG_ADMIN: "admin",
    Role.PLATFORM_ADMIN: "platform",
}
TENANT_ROLES = frozenset({Role.BENEFICIARY, Role.CONSULTANT, Role.ORG_ADMIN})


def org_id(world, o):
    return world.org_a if o == "a" else world.org_b


def actor_of(world, role_key, o) -> Actor:
    return world.platform if role_key == "platform" else world.actor(f"{role_key}_{o}")


# ---------------------------------------------------------------- database fingerprints


def _rows(table_name=None):
    with session_scope() as session:
        conn = session.connection()
        return {
            table.name: [dict(row) for row in conn.execute(table.select()).mappings()]
            for table in SQLModel.metadata.sorted_tables
            if table_name is None or table.name == table_name
        }


def _canonical(rows):
    return sorted(repr(sorted(row.items())) for row in rows)


def db_fingerprint():
    """Every row of every table: equal before and after means nothing was written at all."""
    return {name: _canonical(rows) for name, rows in _rows().items()}


def org_fingerprint(organisation_id):
    """Every row belonging to one organisation, its members' accounts and their sessions and codes."""
    tables = _rows()
    user_ids = {m["user_id"] for m in tables["memberships"] if m["organisation_id"] == organisation_id}

    def belongs(name, row):
        if name == "organisations":
            return row["id"] == organisation_id
        if name == "users":
            return row["id"] in user_ids
        if row.get("organisation_id") == organisation_id:
            return True
        return row.get("user_id") in user_ids

    return {name: _canonical([r for r in rows if belongs(name, r)]) for name, rows in tables.items()}


def first_id(model, organisation_id):
    with session_scope() as session:
        found = session.exec(
            select(model.id).where(model.organisation_id == organisation_id).order_by(col(model.id))
        ).first()
    assert found is not None, f"the fixture world has no {model.__name__} in this organisation"
    return found


def get_scoped_call(model):
    def call(actor, object_id):
        with session_scope() as session:
            return access.get_scoped(session, model, object_id, actor)

    return call


def _nothing(world):
    return None


# ---------------------------------------------------------------- bilan objects in each organisation

PDF = b"%PDF-1.4\n% synthese de test\n%%EOF\n"


@dataclass(frozen=True)
class BilanObjects:
    demande: uuid.UUID  # asked of the organisation's consultant, questionnaire started
    active: uuid.UUID  # preliminary phase: objectives, one session (starts in 10 minutes) with notes, one task
    session: uuid.UUID
    task: uuid.UUID
    conclusion: uuid.UUID  # synthèse uploaded and handed over
    drafting: uuid.UUID  # conclusion phase, synthèse not uploaded yet (handed-over ones are final)
    psy_session: uuid.UUID  # the beneficiary's work-values test on the active bilan, answered, not completed
    experience: uuid.UUID  # a job in the parcours of the active bilan's skills assessment
    skill: uuid.UUID  # a skill of that assessment, rated on the five criteria (not submitted)
    course: uuid.UUID  # a course of the organisation's own training catalogue
    target: uuid.UUID  # a target métier kept for the active bilan


def _build_bilan_objects(world, o) -> BilanObjects:
    consultant, beneficiary = world.actor(f"consultant_{o}"), world.actor(f"beneficiary_{o}")
    demande = bilans.request_bilan(
        beneficiary, {"mode": "distanciel", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id)}
    )
    bilans.save_questionnaire(beneficiary, demande, {"situation": f"Situation {o}"}, complete=False)
    with session_scope() as session:
        active, conclusion, drafting = (
            Bilan(
                organisation_id=org_id(world, o),
                beneficiary_id=beneficiary.user_id,
                consultant_id=consultant.user_id,
                consultant_accepted_at=utcnow(),
                status=status,
            )
            for status in (BilanStatus.PRELIMINAIRE, BilanStatus.CONCLUSION, BilanStatus.CONCLUSION)
        )
        session.add_all([active, conclusion, drafting])
    bilans.set_objectives(consultant, active.id, f"Objectifs {o}")
    # A preliminary interview planned yesterday, under way now: its attendance is open (the organisation
    # holds the preliminary interview before the convention).
    with session_scope() as session:
        organisation = session.get(Organisation, org_id(world, o))
        organisation.preliminary_interview_before_convention = True
        session.add(organisation)
    with clock_at(utcnow() - timedelta(days=1)):
        appointment = bilans.plan_session(
            consultant,
            active.id,
            {
                "phase": "preliminaire",
                "starts_at": utcnow() + timedelta(days=1, minutes=-10),
                "duration_minutes": 90,
                "mode": "hybride",
            },
        )
    bilans.save_session_notes(consultant, appointment, f"Notes {o}")
    task = bilans.add_task(consultant, active.id, {"title": f"Tâche {o}"})
    uploaded.upload_synthese(consultant, conclusion.id, "synthese.pdf", PDF)
    uploaded.record_synthese_handover(consultant, conclusion.id)
    test = psychometrics.start_or_resume(beneficiary, active.id, "work_values")
    psychometrics.save_answers(beneficiary, test.id, {question.item_id: 4 for question in test.questions})
    _ensure_referentiel()
    experience = skills.add_experience(beneficiary, active.id, {**JOB, "title": f"Gardien {o}"})
    skill = _rated_skill(beneficiary, active.id)
    _rated_skill(beneficiary, drafting.id)  # the drafting bilan's assessment is validated
    skills.validate(consultant, drafting.id)
    course = training_catalogue.create_course(world.actor(f"admin_{o}"), {"title": f"Formation {o}"})
    return BilanObjects(
        demande,
        active.id,
        appointment,
        task,
        conclusion.id,
        drafting.id,
        test.id,
        uuid.UUID(experience),
        uuid.UUID(skill),
        uuid.UUID(course),
        uuid.UUID(
            recommendations.keep_target(consultant, active.id, {"code_rome": "K9902", "libelle": "Cerfs-volants"})
        ),
    )


JOB = {"kind": "emploi", "title": "Gardien", "appellation_code": "700001", "start": "2015-01"}
RATING = {
    "maitrise": "avance",
    "frequence": "quotidienne",
    "contexte": "formation",
    "appetence": "aime",
    "potentiel": "fort",
}


def _ensure_referentiel() -> None:
    """The tests' invented ROME export (platform data: imported once for both organisations)."""
    with session_scope() as session:
        if session.exec(select(RomeVersion)).first() is not None:
            return
    with tempfile.TemporaryDirectory() as folder:
        import_rome(write_export(Path(folder)))


def _rated_skill(beneficiary, bilan_id) -> str:
    """A chosen skill with its five ratings (written at once: ten rating calls would slow every case)."""
    skill_id = skills.choose_skill(beneficiary, bilan_id, "800001", "K9901")
    with session_scope() as session:
        skill = session.get(AssessmentSkill, uuid.UUID(skill_id))
        for criterion, value in RATING.items():
            setattr(skill, criterion, value)
        session.add(skill)
    return skill_id


def bilan_objects(world, o) -> BilanObjects:
    """The bilan objects of organisation ``o``, built on first use in this test."""
    cache = world.__dict__.setdefault("_bilan_objects", {})
    if o not in cache:
        cache[o] = _build_bilan_objects(world, o)
    return cache[o]


def both_bilan_objects(world, o="a") -> BilanObjects:
    """Builds both organisations' objects at once, so a fingerprint taken afterwards covers them."""
    for letter in ("a", "b"):
        bilan_objects(world, letter)
    return bilan_objects(world, o)


def _may_see(actor, bilan_id):
    """bilans.may_see answers False (the page refuses) where the other reads raise NotFound."""
    if not bilans.may_see(actor, bilan_id):
        raise NotFound()
    return True


def objects_of(attr):
    return lambda w, o: getattr(both_bilan_objects(w, o), attr)


def _get_bilan(actor, bilan_id):
    with session_scope() as session:
        return bilans.get_bilan(session, actor, bilan_id)


def _own_consultant(actor) -> uuid.UUID:
    """The consultant of the actor's own organisation (a valid choice for that organisation only)."""
    with session_scope() as session:
        return session.exec(
            select(Membership.user_id).where(
                Membership.organisation_id == actor.organisation_id, Membership.role == Role.CONSULTANT
            )
        ).first()


def _session_form():
    return {
        "phase": "preliminaire",
        "starts_at": utcnow() + timedelta(days=2),
        "duration_minutes": 60,
        "mode": "hybride",
    }


def _move_form():
    return {"starts_at": utcnow() + timedelta(days=40), "duration_minutes": 60}


def _past_session_form():
    return {**_session_form(), "starts_at": utcnow() - timedelta(days=3), "reason": "Tenue par téléphone"}


FUNDING = {"funding_type": "opco", "price_euros": 1500, "hours_planned_total": 20}
PROFILE = {"price_euros": 1650, "default_hours": 20, "min_hours": 13, "access_delay_days": 10, "modes": ["distanciel"]}


# ---------------------------------------------------------------- BY_ID


@dataclass(frozen=True)
class ById:
    function: str
    actor: str  # role key of the acting person in the actor's organisation
    call: Callable[[Actor, Any], Any]
    own: Callable[[Any, str], Any]  # (world, org letter) -> id of an object of that organisation
    writes: bool  # positive control: a write changes the database, a read returns the own row
    label: str = ""
    # For reads that return no row: (result, org letter) -> is it the actor's own object?
    check: Callable[[Any, str], bool] | None = None

    @property
    def id(self):
        return f"{self.function}{'-' + self.label if self.label else ''}"


BY_ID = [
    ById(
        "members.resend_invitation",
        "admin",
        lambda actor, oid: members.resend_invitation(actor, oid),
        lambda w, o: w.invitation_id(f"pending_{o}"),
        writes=True,
    ),
    ById(
        "members.resend_invitation",
        "consultant",
        lambda actor, oid: members.resend_invitation(actor, oid),
        lambda w, o: w.invitation_id(f"pending_{o}_by_consultant"),
        writes=True,
        label="consultant",
    ),
    ById(
        "members.change_role",
        "admin",
        lambda actor, oid: members.change_role(actor, oid, Role.CONSULTANT),
        lambda w, o: w.person(f"beneficiary_{o}").membership_id,
        writes=True,
    ),
    ById(
        "members.set_member_active",
        "admin",
        lambda actor, oid: members.set_member_active(actor, oid, False),
        lambda w, o: w.person(f"consultant_{o}").membership_id,
        writes=True,
    ),
    ById(
        "auth.revoke_session",
        "consultant",
        lambda actor, oid: auth.revoke_session(actor, oid),
        lambda w, o: w.actor(f"consultant_{o}").session_id,
        writes=True,
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(Membership),
        lambda w, o: w.person(f"beneficiary_{o}").membership_id,
        writes=False,
        label="Membership",
    ),
    ById(
        "access.get_scoped",
        "consultant",
        get_scoped_call(Invitation),
        lambda w, o: w.invitation_id(f"pending_{o}"),
        writes=False,
        label="Invitation",
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(AuditEvent),
        lambda w, o: first_id(AuditEvent, org_id(w, o)),
        writes=False,
        label="AuditEvent",
    ),
    ById(
        "access.get_scoped",
        "admin",
        get_scoped_call(MailMessage),
        lambda w, o: first_id(MailMessage, org_id(w, o)),
        writes=False,
        label="MailMessage",
    ),
    ById(
        "access.get_scoped",
        "beneficiary",
        get_scoped_call(LoginSession),
        lambda w, o: first_id(LoginSession, org_id(w, o)),
        writes=False,
        label="LoginSession",
    ),
    # ---- bilans: reads
    ById("bilans.get_bilan", "admin", _get_bilan, objects_of("active"), writes=False),
    ById("bilans.may_see", "consultant", _may_see, objects_of("active"), writes=False, check=lambda r, o: r is True),
    ById("bilans.get_bilan", "beneficiary", _get_bilan, objects_of("demande"), writes=False, label="beneficiary"),
    ById(
        "bilans.bilan_detail",
        "consultant",
        bilans.bilan_detail,
        objects_of("active"),
        writes=False,
        check=lambda r, o: r.objectives == f"Objectifs {o}",
    ),
    ById(
        "bilans.get_questionnaire",
        "beneficiary",
        bilans.get_questionnaire,
        objects_of("demande"),
        writes=False,
        check=lambda r, o: r.answers["situation"] == f"Situation {o}",
    ),
    ById(
        "bilans.get_objectives",
        "consultant",
        bilans.get_objectives,
        objects_of("active"),
        writes=False,
        check=lambda r, o: r == f"Objectifs {o}",
    ),
    ById(
        "bilans.hours",
        "beneficiary",
        bilans.hours,
        objects_of("active"),
        writes=False,
        check=lambda r, o: r.planned_minutes == 90,
    ),
    ById(
        "bilans.list_sessions",
        "beneficiary",
        bilans.list_sessions,
        objects_of("active"),
        writes=False,
        check=lambda r, o: [(s.duration_minutes, s.has_notes) for s in r] == [(90, True)],
    ),
    ById(
        "bilans.list_tasks",
        "admin",
        bilans.list_tasks,
        objects_of("active"),
        writes=False,
        check=lambda r, o: [t.title for t in r] == [f"Tâche {o}"],
    ),
    ById(
        "bilans.history",
        "admin",
        bilans.history,
        objects_of("active"),
        writes=False,
        check=lambda r, o: {"bilan.objectives_updated", "bilan.task_added"} <= {h.action for h in r},
    ),
    ById(
        "bilans.read_session_notes",
        "consultant",
        bilans.read_session_notes,
        objects_of("session"),
        writes=False,
        check=lambda r, o: r == f"Notes {o}",
    ),
    *[
        ById(
            "uploaded.read_synthese",
            role,
            uploaded.read_synthese,
            objects_of("conclusion"),
            writes=False,
            label=role,
            check=lambda r, o: r == ("synthese.pdf", PDF),
        )
        for role in ("beneficiary", "consultant")
    ],
    # ---- bilans: writes
    ById("bilans.accept_request", "consultant", bilans.accept_request, objects_of("demande"), writes=True),
    ById(
        "bilans.hand_back",
        "consultant",
        lambda actor, oid: bilans.hand_back(actor, oid, "Agenda complet"),
        objects_of("demande"),
        writes=True,
    ),
    ById(
        "bilans.assign_consultant",
        "admin",
        lambda actor, oid: bilans.assign_consultant(actor, oid, _own_consultant(actor)),
        objects_of("demande"),
        writes=True,
    ),
    ById(
        "bilans.save_questionnaire",
        "beneficiary",
        lambda actor, oid: bilans.save_questionnaire(actor, oid, {"situation": "Réécrite"}, complete=False),
        objects_of("demande"),
        writes=True,
    ),
    ById(
        "bilans.update_funding",
        "admin",
        lambda actor, oid: bilans.update_funding(actor, oid, FUNDING),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "bilans.set_objectives",
        "consultant",
        lambda actor, oid: bilans.set_objectives(actor, oid, "Nouveaux objectifs"),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "bilans.transition",
        "consultant",
        lambda actor, oid: bilans.transition(actor, oid, BilanStatus.ABANDONNE, "Déménagement"),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "bilans.transition",
        "admin",
        lambda actor, oid: bilans.transition(actor, oid, BilanStatus.TERMINE),
        objects_of("conclusion"),
        writes=True,
        label="admin",
    ),
    ById(
        "bilans.schedule_followup",
        "consultant",
        lambda actor, oid: bilans.schedule_followup(actor, oid, date.today() + timedelta(days=180)),
        objects_of("conclusion"),
        writes=True,
    ),
    ById(
        "bilans.plan_session",
        "consultant",
        lambda actor, oid: bilans.plan_session(actor, oid, _session_form()),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "bilans.add_task",
        "admin",
        lambda actor, oid: bilans.add_task(actor, oid, {"title": "Enquête métier"}),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "uploaded.upload_synthese",
        "consultant",
        lambda actor, oid: uploaded.upload_synthese(actor, oid, "v2.pdf", PDF),
        objects_of("drafting"),
        writes=True,
    ),
    ById(
        "uploaded.record_synthese_handover",
        "consultant",
        lambda actor, oid: (
            uploaded.upload_synthese(actor, oid, "v2.pdf", PDF),
            uploaded.record_synthese_handover(actor, oid),
        ),
        objects_of("drafting"),
        writes=True,
    ),
    ById("bilans.cancel_session", "consultant", bilans.cancel_session, objects_of("session"), writes=True),
    ById(
        "bilans.reschedule_session",
        "consultant",
        lambda actor, oid: bilans.reschedule_session(actor, oid, _move_form()),
        lambda w, o: _future_session(w, o),
        writes=True,
    ),
    ById(
        "bilans.record_past_session",
        "consultant",
        lambda actor, oid: bilans.record_past_session(actor, oid, _past_session_form()),
        lambda w, o: _requested_last_month(w, o),
        writes=True,
    ),
    *[
        ById(
            "bilans.confirm_attendance",
            role,
            bilans.confirm_attendance,
            objects_of("session"),
            writes=True,
            label=role,
        )
        for role in ("beneficiary", "consultant")
    ],
    ById(
        "bilans.save_session_notes",
        "consultant",
        lambda actor, oid: bilans.save_session_notes(actor, oid, "Notes réécrites"),
        objects_of("session"),
        writes=True,
    ),
    *[
        ById(
            "bilans.set_task_done",
            role,
            lambda actor, oid: bilans.set_task_done(actor, oid, True),
            objects_of("task"),
            writes=True,
            label=role,
        )
        for role in ("beneficiary", "consultant")
    ],
    ById(
        "psychometrics.start_or_resume",
        "beneficiary",
        lambda actor, oid: psychometrics.start_or_resume(actor, oid, "interests_riasec"),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "psychometrics.in_progress_sessions",
        "beneficiary",
        psychometrics.in_progress_sessions,
        objects_of("active"),
        writes=False,
        check=lambda result, o: [view.instrument.id for view in result] == ["work_values"],
    ),
    ById(
        "psychometrics.get_session",
        "beneficiary",
        psychometrics.get_session,
        objects_of("psy_session"),
        writes=False,
        check=lambda result, o: result.instrument.id == "work_values",
    ),
    ById(
        "psychometrics.save_answers",
        "beneficiary",
        lambda actor, oid: psychometrics.save_answers(
            actor, oid, {psychometrics.get_session(actor, oid).questions[0].item_id: 2}
        ),
        objects_of("psy_session"),
        writes=True,
    ),
    ById("psychometrics.complete", "beneficiary", psychometrics.complete, objects_of("psy_session"), writes=True),
    ById(
        "psychometrics.results_for_bilan",
        "consultant",
        psychometrics.results_for_bilan,
        objects_of("active"),
        writes=True,  # a follower's read of personal data is audited
    ),
    ById(
        "psychometrics.follower_overview",
        "consultant",
        psychometrics.follower_overview,
        objects_of("active"),
        writes=True,  # a follower's read of personal data is audited
    ),
    ById(
        "psychometrics.interest_profile",
        "beneficiary",
        psychometrics.interest_profile,
        objects_of("active"),
        writes=False,
        check=lambda result, o: result is None,  # no interest test completed on this bilan
    ),
    ById("skills.get_assessment", "consultant", skills.get_assessment, objects_of("active"), writes=True),  # audited
    ById("skills.set_step", "beneficiary", lambda a, oid: skills.set_step(a, oid, "revue"), objects_of("active"), True),
    ById(
        "skills.add_experience",
        "beneficiary",
        lambda a, oid: skills.add_experience(a, oid, JOB),
        objects_of("active"),
        True,
    ),
    ById(
        "skills.update_experience",
        "beneficiary",
        lambda a, oid: skills.update_experience(a, oid, {**JOB, "title": "Veilleur"}),
        objects_of("experience"),
        writes=True,
    ),
    ById("skills.remove_experience", "beneficiary", skills.remove_experience, objects_of("experience"), writes=True),
    ById(
        "skills.proposals",
        "beneficiary",
        skills.proposals,
        objects_of("active"),
        writes=False,
        check=lambda result, o: [group.experiences for group in result] == [[f"Gardien {o}"]],
    ),
    ById(
        "skills.choose_skill",
        "beneficiary",
        lambda a, oid: skills.choose_skill(a, oid, "800004"),
        objects_of("active"),
        writes=True,
    ),
    ById("skills.unchoose_skill", "beneficiary", skills.unchoose_skill, objects_of("skill"), writes=True),
    ById(
        "skills.rate_skill",
        "beneficiary",
        lambda a, oid: skills.rate_skill(a, oid, "maitrise", "expert"),
        objects_of("skill"),
        writes=True,
    ),
    ById("skills.submit", "beneficiary", skills.submit, objects_of("active"), writes=True),
    ById(
        "skills.adjust_rating",
        "consultant",
        lambda a, oid: skills.adjust_rating(a, oid, "maitrise", "expert", "Vu en séance."),
        objects_of("skill"),
        writes=True,
    ),
    ById("skills.validate", "consultant", skills.validate, objects_of("active"), writes=True),
    ById("skills.reopen", "consultant", skills.reopen, objects_of("drafting"), writes=True),
    ById("skills.history", "consultant", skills.history, objects_of("active"), writes=True),  # audited
    ById("cartography.skills_map", "consultant", cartography.skills_map, objects_of("active"), writes=True),
    ById("recommendations.analyse", "consultant", recommendations.analyse, objects_of("active"), writes=True),
    ById(
        "recommendations.keep_target",
        "consultant",
        lambda a, oid: recommendations.keep_target(a, oid, {"code_rome": "M9903", "libelle": "Qubits"}),
        objects_of("active"),
        writes=True,
    ),
    ById("recommendations.drop_target", "consultant", recommendations.drop_target, objects_of("target"), True),
    ById("recommendations.kept_targets", "consultant", recommendations.kept_targets, objects_of("active"), True),
    ById(
        "training_catalogue.update_course",
        "admin",
        lambda a, oid: training_catalogue.update_course(a, oid, {"title": "Formation renommée"}),
        objects_of("course"),
        writes=True,
    ),
    ById(
        "training_catalogue.set_course_active",
        "admin",
        lambda a, oid: training_catalogue.set_course_active(a, oid, False),
        objects_of("course"),
        writes=True,
    ),
]


# ---- the AI layer (services/llm): run on the active bilan with no LLM configured, so the local engine answers.
AI_TARGET = RecommendationInput(
    code_rome="K9901", libelle="Gardien de phare", score=0.7, raisons=["vous aimez la solitude"]
)


def _ai_proposal(w, o) -> uuid.UUID:
    """A proposal (local engine) on the active bilan of organisation ``o``, made once per test."""
    cache = w.__dict__.setdefault("_ai_proposals", {})
    if o not in cache:
        active = both_bilan_objects(w, o).active
        result = llm_run.analyse_transferable_skills(w.actor(f"consultant_{o}"), active, prefer_local=True)
        cache[o] = result.proposal_id
    return cache[o]


def _ai_bilan_with_proposal(w, o) -> uuid.UUID:
    _ai_proposal(w, o)
    return both_bilan_objects(w, o).active


def _collect_async(actor, bilan_id):
    async def collect():
        return [event async for event in llm_run.astream_feature(actor, bilan_id, "transferable_skills")]

    return asyncio.run(collect())


def _edit_own_proposal(actor, proposal_id):
    return llm_review.edit_proposal(actor, proposal_id, {"synthese": "Réécrite.", "competences": []})


BY_ID += [
    ById(
        "llm_run.analyse_transferable_skills",
        "consultant",
        llm_run.analyse_transferable_skills,
        objects_of("active"),
        writes=True,
    ),
    ById(
        "llm_run.explain_recommendation",
        "admin",
        lambda a, oid: llm_run.explain_recommendation(a, oid, AI_TARGET),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "llm_run.draft_synthese",
        "consultant",
        lambda a, oid: llm_run.draft_synthese(a, oid, [AI_TARGET]),
        objects_of("active"),
        writes=True,
    ),
    ById("llm_run.session_themes", "consultant", llm_run.session_themes, objects_of("active"), writes=True),
    ById(
        "llm_run.run_feature",
        "admin",
        lambda a, oid: llm_run.run_feature(a, oid, "transferable_skills"),
        objects_of("active"),
        writes=True,
    ),
    ById(
        "llm_run.stream_feature",
        "consultant",
        lambda a, oid: list(llm_run.stream_feature(a, oid, "synthese_draft")),
        objects_of("active"),
        writes=True,
    ),
    ById("llm_run.astream_feature", "admin", _collect_async, objects_of("active"), writes=True),
    ById(
        "llm_run.engine_choice",
        "consultant",
        llm_run.engine_choice,
        objects_of("active"),
        writes=False,
        check=lambda r, o: (r.engine, r.reason) == ("local", "not_configured"),
    ),
    ById("llm_consent.give_consent", "beneficiary", llm_consent.give_consent, objects_of("active"), writes=True),
    ById(
        "llm_consent.withdraw_consent", "beneficiary", llm_consent.withdraw_consent, objects_of("active"), writes=True
    ),
    ById("llm_consent.refuse_consent", "beneficiary", llm_consent.refuse_consent, objects_of("active"), writes=True),
    ById(
        "llm_consent.get_consent",
        "beneficiary",
        llm_consent.get_consent,
        objects_of("active"),
        writes=False,
        check=lambda r, o: (r.status, r.given) == ("", False),
    ),
    ById(
        "llm_review.list_proposals",
        "consultant",
        llm_review.list_proposals,
        _ai_bilan_with_proposal,
        writes=False,
        check=lambda r, o: [v.feature for v in r] == ["transferable_skills"],
    ),
    ById(
        "llm_review.get_proposal",
        "admin",
        llm_review.get_proposal,
        _ai_proposal,
        writes=False,
        check=lambda r, o: (r.feature, r.status) == ("transferable_skills", "proposed"),
    ),
    ById("llm_review.accept_proposal", "consultant", llm_review.accept_proposal, _ai_proposal, writes=True),
    ById("llm_review.reject_proposal", "admin", llm_review.reject_proposal, _ai_proposal, writes=True),
    ById("llm_review.edit_proposal", "consultant", _edit_own_proposal, _ai_proposal, writes=True),
]


# ---- the job search (services/job_search): France Travail is not configured, and access is checked first.
NOT_CONFIGURED = "France Travail not configured"
JOB_PREFERENCES = {"commune": "29019", "rayon_km": "20", "type_contrat": ["CDI"]}
KEPT_OFFER = job_search.OfferSnapshot(offer_id="FT000001", title="Offre fictive", code_rome="K9902")


def _or_not_configured(call):
    try:
        return call()
    except FranceTravailNotConfigured:
        return NOT_CONFIGURED


def _search_offers(actor, bilan_id):
    return _or_not_configured(lambda: job_search.search_offers(actor, bilan_id, {}))


def _search_companies(actor, bilan_id):
    return _or_not_configured(lambda: job_search.search_companies(actor, bilan_id, {"commune": "29019"}))


def _save_and_remove_offer(actor, bilan_id):
    job_search.save_offer(actor, bilan_id, KEPT_OFFER)
    return job_search.remove_offer(actor, bilan_id, KEPT_OFFER.offer_id)


BY_ID += [
    ById("job_search.get_preferences", "consultant", job_search.get_preferences, objects_of("active"), True),  # audited
    ById(
        "job_search.save_preferences",
        "beneficiary",
        lambda a, oid: job_search.save_preferences(a, oid, JOB_PREFERENCES),
        objects_of("active"),
        writes=True,
    ),
    ById("job_search.search_offers", "consultant", _search_offers, objects_of("active"), writes=True),  # audited
    ById(
        "job_search.search_companies",
        "beneficiary",
        _search_companies,
        objects_of("active"),
        writes=False,
        check=lambda r, o: r == NOT_CONFIGURED,  # access granted, then the client is missing
    ),
    ById("job_search.saved_offers", "consultant", job_search.saved_offers, objects_of("active"), writes=True),
    ById(
        "job_search.save_offer",
        "beneficiary",
        lambda a, oid: job_search.save_offer(a, oid, KEPT_OFFER),
        objects_of("active"),
        writes=True,
    ),
    ById("job_search.remove_offer", "beneficiary", _save_and_remove_offer, objects_of("active"), writes=True),
]


# ---- the action plan (services/action_plan): written on the bilan in conclusion ("drafting").
PLAN_ACTION = {
    "title": "Enquête métier",
    "indicator": "Deux entretiens",
    "deadline": str(date.today() + timedelta(days=30)),
}


def _plan_objects(w, o) -> dict[str, Any]:
    """On each organisation's drafting bilan: a kept target and two actions, the first with a milestone."""
    cache = w.__dict__.setdefault("_plan_objects", {})
    if not cache:
        for letter in ("a", "b"):
            bilan_id = both_bilan_objects(w, letter).drafting
            consultant = w.actor(f"consultant_{letter}")
            milestone = {"label": "Appeler", "due_on": str(date.today() + timedelta(days=9))}
            first = action_plan.create_action(consultant, bilan_id, {**PLAN_ACTION, "milestones": [milestone]})
            action_plan.create_action(consultant, bilan_id, {**PLAN_ACTION, "title": "Seconde action"})
            recommendations.keep_target(consultant, bilan_id, {"code_rome": "K9901", "libelle": "Gardien de phare"})
            cache[letter] = {"bilan": bilan_id, "action": first.id, "milestone": first.milestones[0].id}
    return cache[o]


def _plan(attr):
    return lambda w, o: _plan_objects(w, o)[attr]


def _add_first_suggestion(actor, bilan_id):
    return action_plan.add_suggestions(actor, bilan_id, [s.key for s in action_plan.suggestions(actor, bilan_id)][:1])


PLAN_CALLS = {
    "get_plan": action_plan.get_plan,
    "plan_history": action_plan.plan_history,
    "link_options": action_plan.link_options,
    "suggestions": action_plan.suggestions,
    "create_action": lambda a, oid: action_plan.create_action(a, oid, PLAN_ACTION),
    "add_suggestions": _add_first_suggestion,
    "update_action": lambda a, oid: action_plan.update_action(a, oid, {"means": "Réseau"}),
    "set_status": lambda a, oid: action_plan.set_status(a, oid, "en_cours"),
    "set_milestone_done": lambda a, oid: action_plan.set_milestone_done(a, oid, True),
    "move_action": lambda a, oid: action_plan.move_action(a, oid, 1),
    "delete_action": action_plan.delete_action,
}
# (function, acting role, the object it takes); reads by a follower are audited, so they write too.
PLAN_ROWS = [
    ("get_plan", "consultant", "bilan"),
    ("plan_history", "admin", "bilan"),
    ("link_options", "consultant", "bilan"),
    ("suggestions", "admin", "bilan"),
    ("create_action", "beneficiary", "bilan"),
    ("add_suggestions", "consultant", "bilan"),
    ("update_action", "beneficiary", "action"),
    ("set_status", "admin", "action"),
    ("set_milestone_done", "beneficiary", "milestone"),
    ("move_action", "consultant", "action"),
    ("delete_action", "beneficiary", "action"),
]
BY_ID += [
    ById(f"action_plan.{name}", role, PLAN_CALLS[name], _plan(attr), writes=True) for name, role, attr in PLAN_ROWS
]


# ---- the document de synthèse (services/synthese): its text is the assigned consultant's and the beneficiary's.
SYNTHESE_TEXT = {key: f"Texte de la section {key}." for key in ("circonstances", "competences", "projet", "etapes")}


def _synthese_objects(w, o) -> uuid.UUID:
    """The drafting bilan of each organisation with its synthèse's version 1, validated (once per test)."""
    cache = w.__dict__.setdefault("_syntheses", {})
    if not cache:
        for letter in ("a", "b"):
            consultant, drafting = w.actor(f"consultant_{letter}"), both_bilan_objects(w, letter).drafting
            synthese.save_sections(consultant, drafting, SYNTHESE_TEXT)
            synthese.validate_version(consultant, drafting, 1)
            cache[letter] = drafting
    return cache[o]


def _write_and_validate(actor, bilan_id):
    synthese.save_sections(actor, bilan_id, SYNTHESE_TEXT)
    return synthese.validate_version(actor, bilan_id, 1)


def _collect_draft(actor, bilan_id):
    async def collect():
        return [event async for event in synthese.astream_draft(actor, bilan_id)]

    return asyncio.run(collect())


SYNTHESE_CALLS = {
    "synthese_overview": synthese.synthese_overview,
    "list_versions": synthese.list_versions,
    "get_current": synthese.get_current,
    "get_version": lambda a, oid: synthese.get_version(a, oid, 1),
    "diff_versions": lambda a, oid: synthese.diff_versions(a, oid, 1, 1),
    "synthese_for_pdf": synthese.synthese_for_pdf,
    "new_version": synthese.new_version,
    "save_observations": lambda a, oid: synthese.save_observations(a, oid, "Mes observations."),
    "generate_draft": synthese.generate_draft,
    "stream_draft": lambda a, oid: list(synthese.stream_draft(a, oid)),
    "astream_draft": _collect_draft,
    "save_section": lambda a, oid: synthese.save_section(a, oid, "projet", "Un projet."),
    "save_sections": lambda a, oid: synthese.save_sections(a, oid, SYNTHESE_TEXT),
    "validate_version": _write_and_validate,
}
SYNTHESE_AUTHOR = frozenset({Role.CONSULTANT})  # the assigned consultant (not the org admin: L6313-4)
SYNTHESE_READERS = frozenset({Role.CONSULTANT, Role.BENEFICIARY})
# (function, acting role, its bilan: "synthese" has a validated version, "active" none; allowed roles)
SYNTHESE_ROWS = [
    ("synthese_overview", "admin", "synthese", TENANT_ROLES),  # that it exists, never its text
    ("list_versions", "beneficiary", "synthese", TENANT_ROLES),
    ("get_current", "consultant", "synthese", SYNTHESE_READERS),
    ("get_version", "consultant", "synthese", SYNTHESE_READERS),
    ("diff_versions", "consultant", "synthese", SYNTHESE_AUTHOR),
    ("synthese_for_pdf", "beneficiary", "synthese", SYNTHESE_READERS),
    ("new_version", "consultant", "synthese", SYNTHESE_AUTHOR),
    ("save_observations", "beneficiary", "synthese", frozenset({Role.BENEFICIARY})),
    ("generate_draft", "consultant", "active", SYNTHESE_AUTHOR),
    ("stream_draft", "consultant", "active", SYNTHESE_AUTHOR),
    ("astream_draft", "consultant", "active", SYNTHESE_AUTHOR),
    ("save_section", "consultant", "active", SYNTHESE_AUTHOR),
    ("save_sections", "consultant", "active", SYNTHESE_AUTHOR),
    ("validate_version", "consultant", "active", SYNTHESE_AUTHOR),
]
SYNTHESE_CHECKS = {  # reads that write nothing: the result must be the actor's own organisation's
    "synthese_overview": lambda r, o: r.beneficiary == f"Bruno Benef{o.upper()}" and len(r.versions) == 1,
    "list_versions": lambda r, o: [(v.number, v.created_by) for v in r] == [(1, f"Camille Conseil{o.upper()}")],
    "synthese_for_pdf": lambda r, o: r.beneficiary_name == f"Bruno Benef{o.upper()}",
}


def _synthese_bilan(where):
    return _synthese_objects if where == "synthese" else objects_of("active")


BY_ID += [
    ById(
        f"synthese.{name}",
        role,
        SYNTHESE_CALLS[name],
        _synthese_bilan(where),
        writes=name not in SYNTHESE_CHECKS,  # the others write or are audited reads
        check=SYNTHESE_CHECKS.get(name),
    )
    for name, role, where, _ in SYNTHESE_ROWS
]


# ---- after the handover (services/synthese/handover.py): the beneficiary's link, third parties, retention.
SHARE_RAW = {"recipient_kind": "cep", "recipient_name": "Conseil Avenir", "recipient_email": "cep@avenir.example.com"}


def _read_by_link(actor, bilan_id):
    """A link signed for the id under test and the acting person: only the bilan check can refuse it."""
    expires = utcnow() + timedelta(minutes=5)
    return handover.read_synthese_by_link(
        actor, sign_link(handover.LINK_PURPOSE, f"{bilan_id}:{actor.user_id}", expires)
    )


def _share(w, o) -> uuid.UUID:
    """An agreement of organisation ``o``'s beneficiary on her handed-over synthèse, made once per test."""
    cache = w.__dict__.setdefault("_synthese_shares", {})
    if o not in cache:
        conclusion = both_bilan_objects(w, o).conclusion
        cache[o] = handover.share_synthese(w.actor(f"beneficiary_{o}"), conclusion, {**SHARE_RAW, "consent": True}).id
    return cache[o]


HANDOVER_CALLS = {
    "synthese_link": handover.synthese_link,
    "read_synthese_by_link": _read_by_link,
    "share_synthese": lambda a, b: handover.share_synthese(a, b, {**SHARE_RAW, "consent": True}),
    "list_shares": handover.list_shares,
    "get_retention": handover.get_retention,
    "set_retention": lambda a, b: handover.set_retention(a, b, "destruction_fin", written_consent=False),
}
BY_ID += [
    ById(
        "handover.synthese_link",
        "beneficiary",
        handover.synthese_link,
        objects_of("conclusion"),
        writes=False,
        check=lambda r, o: r.path.startswith("/api/syntheses/"),
    ),
    ById("handover.read_synthese_by_link", "beneficiary", _read_by_link, objects_of("conclusion"), writes=True),
    ById(
        "handover.share_synthese",
        "beneficiary",
        HANDOVER_CALLS["share_synthese"],
        objects_of("conclusion"),
        writes=True,
    ),
    ById(
        "handover.list_shares",
        "consultant",
        handover.list_shares,
        objects_of("conclusion"),
        writes=False,
        check=lambda r, o: r == [],
    ),
    ById("handover.revoke_share", "beneficiary", handover.revoke_share, _share, writes=True),
    ById(
        "handover.get_retention",
        "admin",
        handover.get_retention,
        objects_of("conclusion"),
        writes=False,
        check=lambda r, o: r.option == "",
    ),
    ById(
        "handover.set_retention", "beneficiary", HANDOVER_CALLS["set_retention"], objects_of("conclusion"), writes=True
    ),
]

# The attestation and the attendance sheets: rendered for the followers, the read is audited.
BY_ID += [
    ById(
        f"document_records.{name}",
        actor,
        lambda a, oid, render=render: render(a, oid, created=utcnow()),
        objects_of("active"),
        writes=True,
    )
    for name, render, actor in (
        ("attestation_pdf", document_records.attestation_pdf, "consultant"),
        ("attendance_pdf", document_records.attendance_pdf, "admin"),
    )
]


# The generated synthèse's handover (the drafting bilan has no validated version: the refusal comes after
# the access checks), its status for the followers, and the plan as a PDF.
def _hand_over(actor, bilan_id):
    try:
        return handover.hand_over_synthese(actor, bilan_id)
    except ServiceError as exc:
        if exc.code != "handover.error.not_validated":
            raise
        return exc.code


BY_ID += [
    ById(
        "handover.hand_over_synthese",
        "consultant",
        _hand_over,
        objects_of("drafting"),
        writes=False,
        check=lambda r, o: r == "handover.error.not_validated",
    ),
    ById(
        "handover.handover_status",
        "admin",
        handover.handover_status,
        objects_of("conclusion"),
        writes=False,
        check=lambda r, o: r.handed_over_at is not None,
    ),
    ById(
        "handover.handover_history",
        "beneficiary",
        handover.handover_history,
        objects_of("conclusion"),
        writes=False,
        check=lambda r, o: [row.number for row in r] == [1],
    ),
    ById(
        "document_plan.action_plan_pdf",
        "beneficiary",
        lambda a, oid: document_plan.action_plan_pdf(a, oid, created=utcnow()),
        objects_of("active"),
        writes=False,
        check=lambda r, o: r.startswith(b"%PDF-"),
    ),
]


def _notes_by_another(w, o) -> uuid.UUID:
    """The active bilan, its session's notes now by someone else (the org admin stands in for a former
    consultant): the beneficiary has something to agree to."""
    objects = both_bilan_objects(w, o)
    with session_scope() as session:
        appointment = session.get(BilanSession, objects.session)
        appointment.notes_author_id = w.actor(f"admin_{o}").user_id
        session.add(appointment)
    return objects.active


def _notes_agreed(w, o) -> uuid.UUID:
    bilan_id = _notes_by_another(w, o)
    if notes_agreement.notes_agreement(w.actor(f"beneficiary_{o}"), bilan_id).decision != "granted":
        notes_agreement.decide_notes_agreement(w.actor(f"beneficiary_{o}"), bilan_id, agree=True)
    return bilan_id


BY_ID += [
    ById(
        "notes_agreement.notes_agreement",
        "beneficiary",
        notes_agreement.notes_agreement,
        _notes_by_another,
        writes=False,
        check=lambda r, o: r.former_consultants == (f"Agathe Admin{o.upper()}",) and r.decision == "",
    ),
    ById(
        "notes_agreement.decide_notes_agreement",
        "beneficiary",
        lambda a, oid: notes_agreement.decide_notes_agreement(a, oid, agree=True),
        _notes_by_another,
        writes=True,
    ),
    ById(
        "notes_agreement.withdraw_notes_agreement",
        "beneficiary",
        notes_agreement.withdraw_notes_agreement,
        _notes_agreed,
        writes=True,
    ),
    ById(
        "notes_agreement.locked_note_sessions",
        "consultant",
        notes_agreement.locked_note_sessions,
        _notes_by_another,
        writes=False,
        check=lambda r, o: len(r) == 1,
    ),
]


def _jitsi_session(w, o):
    """The active bilan's session (under way in 10 minutes), its organisation on Jitsi: joining makes its room."""
    with session_scope() as session:
        organisation = session.get(Organisation, org_id(w, o))
        organisation.video_provider, organisation.jitsi_domain = "jitsi", f"visio-{o}.example.fr"
        session.add(organisation)
    return objects_of("session")(w, o)


BY_ID += [
    ById(
        "invitations.download_invitation",
        "beneficiary",
        invitations.download_invitation,
        objects_of("session"),
        writes=False,
        check=lambda r, o: r[0] == "seance-de-bilan.ics" and "BEGIN:VEVENT" in r[1],
    ),
    ById("visio.join_link", "consultant", visio.join_link, _jitsi_session, writes=True),
    ById(
        "visio.session_links",
        "consultant",
        visio.session_links,
        objects_of("active"),
        writes=False,
        check=lambda r, o: r.participant and r.joins == {},  # pasted links, none on this hybrid session
    ),
]


# ---------------------------------------------------------------- the agenda (issue 14 §1)

EVERY_DAY = {"starts": "08:00", "ends": "20:00", "slot_minutes": 60, "mode": "presentiel", "location": "Bureau"}


def _free_slot(index: int) -> str:
    """The ``index``-th slot of the openings ``_agenda_objects`` gives every consultant, a week from now
    (computed by the pure rules: no bilan or actor involved)."""
    every_day = [Opening(day, time(8), time(20), 60, DeliveryMode.PRESENTIEL, "Bureau") for day in range(7)]
    first = utcnow().date() + timedelta(days=7)
    slots = agenda.free_slots(every_day, [], [], first, first + timedelta(days=14), earliest=utcnow())
    return slots[index].starts_at.isoformat()


@dataclass(frozen=True)
class AgendaObjects:
    opening: uuid.UUID  # one of the consultant's openings (every day 08:00–20:00)
    away: uuid.UUID  # days away of the consultant
    booking: uuid.UUID  # a session the beneficiary booked on the active bilan
    consultant: uuid.UUID


def _agenda_objects(world, o="a") -> AgendaObjects:
    """Both organisations' agenda objects, built at once on first use (so a fingerprint covers them)."""
    cache = world.__dict__.setdefault("_agenda_objects", {})
    if o not in cache:
        for letter in ("a", "b"):
            consultant = world.actor(f"consultant_{letter}")
            openings = [agenda.add_availability(consultant, {**EVERY_DAY, "weekday": day}) for day in range(7)]
            away = agenda.add_away(consultant, {"first_day": "2031-08-01", "last_day": "2031-08-15"})
            active = both_bilan_objects(world, letter).active
            booking = agenda.book(world.actor(f"beneficiary_{letter}"), active, {"starts_at": _free_slot(5)})
            cache[letter] = AgendaObjects(openings[0], away, booking, consultant.user_id)
    return cache[o]


def agenda_of(attr):
    return lambda w, o: getattr(_agenda_objects(w, o), attr)


def _active_with_agenda(w, o):
    _agenda_objects(w, o)
    return both_bilan_objects(w, o).active


def _next_two_weeks(actor, consultant_id, call):
    today = utcnow().date()
    return call(actor, today, today + timedelta(days=14), consultant_id)


BY_ID += [
    ById("agenda.remove_availability", "consultant", agenda.remove_availability, agenda_of("opening"), writes=True),
    ById("agenda.remove_away", "consultant", agenda.remove_away, agenda_of("away"), writes=True),
    ById(
        "agenda.bookable_slots",
        "beneficiary",
        agenda.bookable_slots,
        _active_with_agenda,
        writes=False,
        check=lambda r, o: len(r) > 0,
    ),
    ById(
        "agenda.booking_notice_hours",
        "beneficiary",
        agenda.booking_notice_hours,
        _active_with_agenda,
        writes=False,
        check=lambda r, o: r == 24,
    ),
    ById(
        "agenda.book",
        "beneficiary",
        lambda a, oid: agenda.book(a, oid, {"starts_at": _free_slot(0)}),
        _active_with_agenda,
        writes=True,
    ),
    ById(
        "agenda.move_booking",
        "beneficiary",
        lambda a, oid: agenda.move_booking(a, oid, {"starts_at": _free_slot(1)}),
        agenda_of("booking"),
        writes=True,
    ),
    ById("agenda.cancel_booking", "beneficiary", agenda.cancel_booking, agenda_of("booking"), writes=True),
    # The org admin names the consultant whose calendar or free slots they read.
    ById(
        "agenda.calendar",
        "admin",
        lambda a, oid: agenda.calendar(a, utcnow().date(), utcnow().date() + timedelta(days=14), oid),
        agenda_of("consultant"),
        writes=False,
        check=lambda r, o: len(r) == 2,  # the session under way and the booking
    ),
    ById(
        "agenda.consultant_free_slots",
        "admin",
        lambda a, oid: agenda.consultant_free_slots(a, oid, utcnow().date(), utcnow().date() + timedelta(days=14)),
        agenda_of("consultant"),
        writes=False,
        check=lambda r, o: len(r) > 0,
    ),
]


def _raised(call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", BY_ID, ids=lambda c: c.id)
def test_another_organisations_id_answers_like_a_missing_one(world, case, mine, other):
    actor = actor_of(world, case.actor, mine)
    foreign = case.own(world, other)
    before = db_fingerprint()

    missing = _raised(lambda: case.call(actor, uuid.uuid4()))
    assert type(missing) is NotFound
    for variant in (foreign, str(foreign)):
        error = _raised(lambda v=variant: case.call(actor, v))
        assert type(error) is type(missing)
        assert (error.code, error.params, str(error)) == (missing.code, missing.params, str(missing))
    assert type(_raised(lambda: case.call(actor, "pas-un-uuid"))) is NotFound

    # Nothing was read into a response, written, or even audited.
    assert db_fingerprint() == before

    # Positive control: the same call on the actor's own object works.
    result = case.call(actor, case.own(world, mine))
    if case.writes:
        assert db_fingerprint() != before
    elif case.check is not None:
        assert case.check(result, mine)
    else:
        assert result.organisation_id == org_id(world, mine)


def test_another_users_session_in_the_same_organisation_is_not_found(world):
    before = db_fingerprint()
    for target in ("admin_a", "beneficiary_a"):
        error = _raised(lambda t=target: auth.revoke_session(world.consultant_a, world.actor(t).session_id))
        assert type(error) is NotFound
    assert db_fingerprint() == before


def test_a_consultant_cannot_resend_an_invitation_of_a_colleague(world):
    before = db_fingerprint()
    error = _raised(lambda: members.resend_invitation(world.consultant_a, world.invitation_id("pending_a")))
    assert type(error) is NotFound
    assert db_fingerprint() == before


# ---------------------------------------------------------------- LISTINGS


def _membership_orgs(membership_ids):
    with session_scope() as session:
        ids = [uuid.UUID(m) for m in membership_ids]
        return [m.organisation_id for m in session.exec(select(Membership).where(col(Membership.id).in_(ids)))]


def _invitation_orgs(invitation_ids):
    with session_scope() as session:
        ids = [uuid.UUID(i) for i in invitation_ids]
        return [i.organisation_id for i in session.exec(select(Invitation).where(col(Invitation.id).in_(ids)))]


def _count(model, *where):
    with session_scope() as session:
        return len(session.exec(select(model).where(*where)).all())


def _list_members_members(actor):
    rows, _ = members.list_members(actor)
    return _membership_orgs([r.membership_id for r in rows]), len(rows)


def _list_members_invitations(actor):
    _, rows = members.list_members(actor)
    return _invitation_orgs([r.invitation_id for r in rows]), len(rows)


def _list_sent_invitations(actor):
    rows = members.list_sent_invitations(actor)
    return _invitation_orgs([r.invitation_id for r in rows]), len(rows)


def _list_events(actor):
    with session_scope() as session:
        rows, total = audit.list_events(session, actor, AuditFilter(), limit=10_000)
    assert total == len(rows)
    return [r.organisation_id for r in rows], len(rows)


def _list_sessions(actor):
    rows = auth.list_sessions(actor)
    assert {r.user_id for r in rows} == {actor.user_id}
    return [r.organisation_id for r in rows], len(rows)


def _get_organisation(actor):
    return [uuid.UUID(members.get_organisation(actor).id)], 1


def _bilan_orgs(bilan_ids):
    with session_scope() as session:
        ids = [uuid.UUID(str(i)) for i in bilan_ids]
        return [b.organisation_id for b in session.exec(select(Bilan).where(col(Bilan.id).in_(ids)))]


def _list_bilans(actor):
    rows = bilans.list_bilans(actor)
    return _bilan_orgs([r.id for r in rows]), len(rows)


def _visible_bilans(actor):
    with session_scope() as session:
        rows = session.exec(bilans.visible_bilans(actor)).all()
    return [r.organisation_id for r in rows], len(rows)


def _consultant_directory(actor):
    cards = bilans.consultant_directory(actor)
    with session_scope() as session:
        ids = [uuid.UUID(c.user_id) for c in cards]
        memberships = session.exec(
            select(Membership).where(col(Membership.user_id).in_(ids), Membership.role == Role.CONSULTANT)
        ).all()
    return [m.organisation_id for m in memberships], len(cards)


def _my_bilan(actor):
    overview = bilans.my_bilan(actor)
    assert overview is not None
    return _bilan_orgs([overview.bilan_id]), 1


def _my_current_bilan(actor):
    current = bilans.my_current_bilan(actor)
    assert current is not None
    return _bilan_orgs([current.bilan_id]), 1


OPEN_STATUSES = [s for s in BilanStatus if s not in {BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}]


def _open_bilans(w, o, *where):
    return _count(Bilan, Bilan.organisation_id == org_id(w, o), col(Bilan.status).in_(OPEN_STATUSES), *where)


@dataclass(frozen=True)
class Listing:
    function: str
    actor: str
    rows: Callable[[Actor], tuple[list[uuid.UUID], int]]  # (organisation id of each row, number of rows)
    expected: Callable[[Any, str, Actor], int]  # what the database holds for that organisation
    label: str = ""
    prepare: Callable[[Any], Any] = _nothing  # (world) -> None: rows the listing needs, in both organisations

    @property
    def id(self):
        return f"{self.function}{'-' + self.label if self.label else ''}"


LISTINGS = [
    Listing(
        "members.list_members",
        "admin",
        _list_members_members,
        lambda w, o, a: _count(Membership, Membership.organisation_id == org_id(w, o)),
        label="members",
    ),
    Listing(
        "members.list_members",
        "admin",
        _list_members_invitations,
        lambda w, o, a: _count(
            Invitation,
            Invitation.organisation_id == org_id(w, o),
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        ),
        label="invitations",
    ),
    Listing(
        "members.list_sent_invitations",
        "consultant",
        _list_sent_invitations,
        lambda w, o, a: _count(Invitation, Invitation.invited_by_id == a.user_id),
    ),
    Listing(
        "audit.list_events",
        "admin",
        _list_events,
        lambda w, o, a: _count(AuditEvent, AuditEvent.organisation_id == org_id(w, o)),
    ),
    Listing(
        "auth.list_sessions",
        "consultant",
        _list_sessions,
        lambda w, o, a: _count(LoginSession, LoginSession.user_id == a.user_id),
    ),
    *[
        Listing("members.get_organisation", role, _get_organisation, lambda w, o, a: 1, label=role)
        for role in ("beneficiary", "consultant", "admin")
    ],
    Listing(
        "bilans.list_bilans",
        "admin",
        _list_bilans,
        lambda w, o, a: _open_bilans(w, o),
        label="admin",
        prepare=both_bilan_objects,
    ),
    Listing(
        "bilans.list_bilans",
        "consultant",
        _list_bilans,
        lambda w, o, a: _open_bilans(
            w, o, (col(Bilan.consultant_id) == a.user_id) | (col(Bilan.requested_consultant_id) == a.user_id)
        ),
        label="consultant",
        prepare=both_bilan_objects,
    ),
    Listing(
        "bilans.visible_bilans",
        "beneficiary",
        _visible_bilans,
        lambda w, o, a: _count(Bilan, Bilan.beneficiary_id == a.user_id),
        label="beneficiary",
        prepare=both_bilan_objects,
    ),
    Listing(
        "bilans.visible_bilans",
        "admin",
        _visible_bilans,
        lambda w, o, a: _count(Bilan, Bilan.organisation_id == org_id(w, o)),
        label="admin",
        prepare=both_bilan_objects,
    ),
    Listing(
        "bilans.consultant_directory",
        "beneficiary",
        _consultant_directory,
        lambda w, o, a: _count(
            Membership,
            Membership.organisation_id == org_id(w, o),
            Membership.role == Role.CONSULTANT,
            col(Membership.is_active).is_(True),
        ),
    ),
    Listing("bilans.my_bilan", "beneficiary", _my_bilan, lambda w, o, a: 1, prepare=both_bilan_objects),
    Listing("bilans.my_current_bilan", "beneficiary", _my_current_bilan, lambda w, o, a: 1, prepare=both_bilan_objects),
]


def _ai_usage_rows(w) -> None:
    """Usage rows in both organisations (two in A, one in B), written once per test."""
    if w.__dict__.setdefault("_ai_usage", False):
        return
    w.__dict__["_ai_usage"] = True
    with session_scope() as session:
        for o, count in (("a", 2), ("b", 1)):
            for _ in range(count):
                session.add(
                    AiUsage(
                        organisation_id=org_id(w, o),
                        feature="transferable_skills",
                        model="gpt-4o-mini",
                        prompt_tokens=10,
                        completion_tokens=5,
                        input_hash="0" * 64,
                    )
                )


def _list_ai_usage(actor):
    rows = llm_admin.list_usage(actor)
    with session_scope() as session:
        ids = [uuid.UUID(r.id) for r in rows]
        return [u.organisation_id for u in session.exec(select(AiUsage).where(col(AiUsage.id).in_(ids)))], len(rows)


def _own_organisation_row(actor: Actor) -> tuple[list[uuid.UUID], int]:
    with session_scope() as session:
        return [access.own_organisation(session, actor).id], 1


LISTINGS += [
    Listing("access.own_organisation", "consultant", _own_organisation_row, lambda w, o, a: 1),
    Listing(
        "llm_admin.list_usage",
        "admin",
        _list_ai_usage,
        lambda w, o, a: _count(AiUsage, AiUsage.organisation_id == org_id(w, o)),
        prepare=_ai_usage_rows,
    ),
]


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", LISTINGS, ids=lambda c: c.id)
def test_listings_show_only_the_own_organisation(world, case, mine, other):
    case.prepare(world)
    actor = actor_of(world, case.actor, mine)
    organisation_ids, count = case.rows(actor)
    assert count > 0, "the fixture world must give this listing something to show"
    assert set(organisation_ids) == {org_id(world, mine)}
    assert org_id(world, other) not in organisation_ids
    assert count == case.expected(world, mine, actor)


# ---------------------------------------------------------------- GUARDED (roles)


@dataclass(frozen=True)
class Guarded:
    function: str
    call: Callable[[Any, Actor], Any]  # (world, actor): acts on the actor's own organisation "a"
    allowed: frozenset[Role]
    denied_error: type[ServiceError] = AccessDenied
    prepare: Callable[[Any], Any] = _nothing  # (world) -> None: objects the call needs, before the fingerprint
    # Roles denied with another error than ``denied_error`` (exact type).
    denied_by_role: tuple[tuple[Role, type[ServiceError]], ...] = ()


CONSULTANT_PROFILE = {"headline": "Psychologue du travail", "specialities": "Reconversion", "availability": "Lundi"}
ADMIN = frozenset({Role.ORG_ADMIN})
INVITERS = frozenset({Role.CONSULTANT, Role.ORG_ADMIN})
PLATFORM = frozenset({Role.PLATFORM_ADMIN})
FOLLOWERS = frozenset({Role.CONSULTANT, Role.ORG_ADMIN})  # the assigned consultant, and the org admin
CONSULTANT = frozenset({Role.CONSULTANT})  # the assigned consultant only (notes, synthèse)
BENEFICIARY = frozenset({Role.BENEFICIARY})
PARTIES = frozenset({Role.CONSULTANT, Role.BENEFICIARY})  # the two parties of a session, the synthèse readers


def _list_outbox(w, actor):
    with session_scope() as session:
        return mail.list_outbox(session, actor)


def _list_events_call(w, actor):
    with session_scope() as session:
        return audit.list_events(session, actor, AuditFilter())


def _get_scoped_membership(w, actor):
    with session_scope() as session:
        return access.get_scoped(session, Membership, w.person("beneficiary_a").membership_id, actor)


def _a(w) -> BilanObjects:
    return bilan_objects(w, "a")


def _bilan_row(bilan_id) -> Bilan:
    with session_scope() as session:
        return session.get(Bilan, bilan_id)


def _follower_or_denied(actor, bilan):
    """is_follower() answers a bool: the table reads False as a refusal."""
    if not bilans.is_follower(actor, bilan):
        raise AccessDenied()


def _future_session(w, o: str = "a") -> uuid.UUID:
    """A session of the organisation's active bilan planned next month (created once), to be moved."""
    active = bilan_objects(w, o).active
    starts_at = (utcnow() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    with session_scope() as session:
        existing = session.exec(
            select(BilanSession.id).where(BilanSession.bilan_id == active, BilanSession.starts_at == starts_at)
        ).first()
    if existing is not None:
        return existing
    return bilans.plan_session(w.actor(f"consultant_{o}"), active, {**_session_form(), "starts_at": starts_at})


def _requested_last_month(w, o: str = "a") -> uuid.UUID:
    """The organisation's active bilan was requested a month ago: a session of three days ago can be recorded."""
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_objects(w, o).active)
        bilan.requested_at = utcnow() - timedelta(days=30)
        session.add(bilan)
        return bilan.id


def _bilan_row_case(function, call, allowed, module="bilans", **kwargs) -> Guarded:
    return Guarded(f"{module}.{function}", call, allowed, prepare=_a, **kwargs)


BILAN_GUARDED = [
    _bilan_row_case("accept_request", lambda w, a: bilans.accept_request(a, _a(w).demande), FOLLOWERS),
    _bilan_row_case(
        "hand_back",
        lambda w, a: bilans.hand_back(a, _a(w).demande, "Agenda complet"),
        CONSULTANT,
        denied_by_role=((Role.ORG_ADMIN, ServiceError),),  # not the requested consultant: a forbidden move
    ),
    _bilan_row_case(
        "assign_consultant", lambda w, a: bilans.assign_consultant(a, _a(w).demande, w.consultant_a.user_id), ADMIN
    ),
    _bilan_row_case("update_funding", lambda w, a: bilans.update_funding(a, _a(w).active, FUNDING), FOLLOWERS),
    _bilan_row_case("set_objectives", lambda w, a: bilans.set_objectives(a, _a(w).active, "Objectifs"), FOLLOWERS),
    _bilan_row_case(
        "transition", lambda w, a: bilans.transition(a, _a(w).active, BilanStatus.ANNULE, "Doublon"), FOLLOWERS
    ),
    _bilan_row_case(
        "schedule_followup",
        lambda w, a: bilans.schedule_followup(a, _a(w).conclusion, date.today() + timedelta(days=180)),
        FOLLOWERS,
    ),
    _bilan_row_case("plan_session", lambda w, a: bilans.plan_session(a, _a(w).active, _session_form()), FOLLOWERS),
    _bilan_row_case("cancel_session", lambda w, a: bilans.cancel_session(a, _a(w).session), FOLLOWERS),
    Guarded(
        "bilans.reschedule_session",
        lambda w, a: bilans.reschedule_session(a, _future_session(w), _move_form()),
        FOLLOWERS,
        prepare=_future_session,
    ),
    Guarded(
        "bilans.record_past_session",
        lambda w, a: bilans.record_past_session(a, _a(w).active, _past_session_form()),
        CONSULTANT,
        prepare=_requested_last_month,
    ),
    _bilan_row_case("add_task", lambda w, a: bilans.add_task(a, _a(w).active, {"title": "Lire"}), FOLLOWERS),
    _bilan_row_case("history", lambda w, a: bilans.history(a, _a(w).active), FOLLOWERS),
    _bilan_row_case("list_bilans", lambda w, a: bilans.list_bilans(a), FOLLOWERS),
    _bilan_row_case("quota_usage", lambda w, a: bilans.quota_usage(a), ADMIN),
    _bilan_row_case("require_follower", lambda w, a: bilans.require_follower(a, _bilan_row(_a(w).active)), FOLLOWERS),
    _bilan_row_case("is_follower", lambda w, a: _follower_or_denied(a, _bilan_row(_a(w).active)), FOLLOWERS),
    _bilan_row_case(
        "require_assigned_consultant",
        lambda w, a: bilans.require_assigned_consultant(a, _bilan_row(_a(w).active)),
        CONSULTANT,
    ),
    _bilan_row_case(
        "save_session_notes", lambda w, a: bilans.save_session_notes(a, _a(w).session, "Notes"), CONSULTANT
    ),
    _bilan_row_case("read_session_notes", lambda w, a: bilans.read_session_notes(a, _a(w).session), CONSULTANT),
    _bilan_row_case(
        "upload_synthese",
        lambda w, a: uploaded.upload_synthese(a, _a(w).drafting, "s.pdf", PDF),
        CONSULTANT,
        module="uploaded",
    ),
    _bilan_row_case(
        "record_synthese_handover",
        lambda w, a: (
            uploaded.upload_synthese(a, _a(w).drafting, "s.pdf", PDF),
            uploaded.record_synthese_handover(a, _a(w).drafting),
        ),
        CONSULTANT,
        module="uploaded",
    ),
    _bilan_row_case(
        "read_synthese", lambda w, a: uploaded.read_synthese(a, _a(w).conclusion), PARTIES, module="uploaded"
    ),
    _bilan_row_case("confirm_attendance", lambda w, a: bilans.confirm_attendance(a, _a(w).session), PARTIES),
    _bilan_row_case(
        "save_questionnaire",
        lambda w, a: bilans.save_questionnaire(a, _a(w).demande, {"situation": "Texte"}, complete=False),
        BENEFICIARY,
    ),
    _bilan_row_case("my_bilan", lambda w, a: bilans.my_bilan(a), BENEFICIARY),
    _bilan_row_case(
        "require_beneficiary", lambda w, a: bilans.require_beneficiary(a, _bilan_row(_a(w).active)), BENEFICIARY
    ),
    # Without prepare: the beneficiary has no open bilan yet.
    Guarded(
        "bilans.request_bilan",
        lambda w, a: bilans.request_bilan(a, {"mode": "hybride", "funding_type": "self"}),
        BENEFICIARY,
    ),
    # Readable by everyone of the bilan (the beneficiary, the assigned consultant, the org admin).
    *[
        _bilan_row_case(name, lambda w, a, f=function: f(a, _a(w).active), TENANT_ROLES)
        for name, function in (
            ("bilan_detail", bilans.bilan_detail),
            ("get_questionnaire", bilans.get_questionnaire),
            ("get_objectives", bilans.get_objectives),
            ("hours", bilans.hours),
            ("list_sessions", bilans.list_sessions),
            ("list_tasks", bilans.list_tasks),
            ("get_bilan", _get_bilan),
        )
    ],
    _bilan_row_case("set_task_done", lambda w, a: bilans.set_task_done(a, _a(w).task, True), TENANT_ROLES),
    _bilan_row_case("consultant_directory", lambda w, a: bilans.consultant_directory(a), TENANT_ROLES),
    _bilan_row_case(
        "visible_bilans",
        lambda w, a: _visible_bilans(a) if a.role is not Role.PLATFORM_ADMIN else bilans.visible_bilans(a),
        TENANT_ROLES,
    ),
]


GUARDED = [
    Guarded(
        "members.invite",
        lambda w, a: members.invite(a, {"email": "nouvelle@exemple.fr", "role": "beneficiary"}),
        INVITERS,
    ),
    Guarded(
        "members.resend_invitation",
        lambda w, a: members.resend_invitation(a, w.invitation_id("pending_a_by_consultant")),
        INVITERS,
    ),
    Guarded("members.list_sent_invitations", lambda w, a: members.list_sent_invitations(a), INVITERS),
    Guarded("members.list_members", lambda w, a: members.list_members(a), ADMIN),
    Guarded(
        "members.change_role",
        lambda w, a: members.change_role(a, w.person("beneficiary_a").membership_id, "consultant"),
        ADMIN,
    ),
    Guarded(
        "members.set_member_active",
        lambda w, a: members.set_member_active(a, w.person("beneficiary_a").membership_id, False),
        ADMIN,
    ),
    Guarded("members.set_require_2fa", lambda w, a: members.set_require_2fa(a, True), ADMIN),
    Guarded("audit.list_events", _list_events_call, ADMIN),
    Guarded("audit_text.audit_log", lambda w, a: audit_text.audit_log(a, AuditFilter(), "fr", limit=10), ADMIN),
    Guarded("mail.list_outbox", _list_outbox, PLATFORM),
    Guarded("mail.outbox", lambda w, a: mail.outbox(a), PLATFORM),
    Guarded("mail.retry_failed", lambda w, a: mail.retry_failed(a), PLATFORM),
    Guarded("members.list_organisations", lambda w, a: members.list_organisations(a), PLATFORM),
    Guarded("access.get_scoped", _get_scoped_membership, TENANT_ROLES),
    # No role check: every member sees their organisation; the operator, who has none, gets NotFound.
    Guarded("members.get_organisation", lambda w, a: members.get_organisation(a), TENANT_ROLES, NotFound),
    Guarded("members.get_organisation_profile", lambda w, a: members.get_organisation_profile(a), ADMIN),
    Guarded("members.update_organisation_profile", lambda w, a: members.update_organisation_profile(a, PROFILE), ADMIN),
    Guarded("members.get_consultant_profile", lambda w, a: members.get_consultant_profile(a), CONSULTANT),
    Guarded(
        "members.update_consultant_profile",
        lambda w, a: members.update_consultant_profile(a, CONSULTANT_PROFILE),
        CONSULTANT,
    ),
    *BILAN_GUARDED,
    # Only the bilan's beneficiary takes a test; the followers read the results.
    Guarded(
        "psychometrics.start_or_resume",
        lambda w, a: psychometrics.start_or_resume(a, _a(w).active, "interests_riasec"),
        frozenset({Role.BENEFICIARY}),
        prepare=_a,
    ),
    Guarded(
        "psychometrics.results_for_bilan",
        lambda w, a: psychometrics.results_for_bilan(a, _a(w).active),
        frozenset({Role.BENEFICIARY, Role.CONSULTANT, Role.ORG_ADMIN}),
        prepare=_a,
    ),
    Guarded(
        "psychometrics.follower_overview",
        lambda w, a: psychometrics.follower_overview(a, _a(w).active),
        FOLLOWERS,
        prepare=_a,
    ),
    # The beneficiary fills in the assessment; the followers adjust and validate; all of them read it.
    Guarded("skills.get_assessment", lambda w, a: skills.get_assessment(a, _a(w).active), TENANT_ROLES, prepare=_a),
    Guarded(
        "skills.add_experience",
        lambda w, a: skills.add_experience(a, _a(w).active, JOB),
        frozenset({Role.BENEFICIARY}),
        prepare=_a,
    ),
    Guarded(
        "skills.rate_skill",
        lambda w, a: skills.rate_skill(a, _a(w).skill, "maitrise", "expert"),
        frozenset({Role.BENEFICIARY}),
        prepare=_a,
    ),
    Guarded(
        "skills.adjust_rating",
        lambda w, a: skills.adjust_rating(a, _a(w).skill, "maitrise", "expert", "Vu en séance."),
        FOLLOWERS,
        prepare=_a,
    ),
    Guarded("skills.validate", lambda w, a: skills.validate(a, _a(w).active), FOLLOWERS, prepare=_a),
    Guarded("skills.reopen", lambda w, a: skills.reopen(a, _a(w).drafting), FOLLOWERS, prepare=_a),
    Guarded("skills.history", lambda w, a: skills.history(a, _a(w).active), TENANT_ROLES, prepare=_a),
    Guarded("cartography.skills_map", lambda w, a: cartography.skills_map(a, _a(w).active), TENANT_ROLES, prepare=_a),
    # Followers run the analysis and keep targets; the beneficiary and the followers read them.
    Guarded("recommendations.analyse", lambda w, a: recommendations.analyse(a, _a(w).active), FOLLOWERS, prepare=_a),
    Guarded(
        "recommendations.keep_target",
        lambda w, a: recommendations.keep_target(a, _a(w).active, {"code_rome": "M9903", "libelle": "Qubits"}),
        FOLLOWERS,
        prepare=_a,
    ),
    Guarded(
        "recommendations.drop_target", lambda w, a: recommendations.drop_target(a, _a(w).target), FOLLOWERS, prepare=_a
    ),
    Guarded(
        "recommendations.kept_targets",
        lambda w, a: recommendations.kept_targets(a, _a(w).active),
        TENANT_ROLES,
        prepare=_a,
    ),
    # The beneficiary edits her job search; she and the followers read it and search offers and companies.
    *[
        Guarded(f"job_search.{name}", lambda w, a, call=call: call(a, _a(w).active), allowed, prepare=_a)
        for name, call, allowed in (
            ("get_preferences", job_search.get_preferences, TENANT_ROLES),
            ("save_preferences", lambda a, b: job_search.save_preferences(a, b, JOB_PREFERENCES), BENEFICIARY),
            ("search_offers", _search_offers, TENANT_ROLES),
            ("search_companies", _search_companies, TENANT_ROLES),
            ("saved_offers", job_search.saved_offers, TENANT_ROLES),
            ("save_offer", lambda a, b: job_search.save_offer(a, b, KEPT_OFFER), BENEFICIARY),
            ("remove_offer", _save_and_remove_offer, BENEFICIARY),
        )
    ],
    # The organisation's admins manage its training catalogue; every member reads it (suggestions).
    Guarded(
        "training_catalogue.create_course",
        lambda w, a: training_catalogue.create_course(a, {"title": "Nouvelle formation"}),
        ADMIN,
    ),
    Guarded(
        "training_catalogue.update_course",
        lambda w, a: training_catalogue.update_course(a, _a(w).course, {"title": "Formation renommée"}),
        ADMIN,
        prepare=_a,
    ),
    Guarded(
        "training_catalogue.set_course_active",
        lambda w, a: training_catalogue.set_course_active(a, _a(w).course, False),
        ADMIN,
        prepare=_a,
    ),
    Guarded("training_catalogue.list_courses", lambda w, a: training_catalogue.list_courses(a), TENANT_ROLES),
    Guarded(
        "training_suggest.suggest_courses",
        lambda w, a: training_suggest.suggest_courses(a, "K9901", ["Allumer la lanterne"]),
        TENANT_ROLES,
    ),
]


def _demo_zip() -> bytes:
    from services.rome.demo import DEMO_DATA_DIR

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in DEMO_DATA_DIR.glob("unix_*.csv"):
            archive.write(path, path.name)
    return buffer.getvalue()


def _import_upload(world, actor):
    saved = rome_upload.save_upload(world.platform, io.BytesIO(_demo_zip()), "demo.zip")
    try:
        return rome_upload.import_upload(actor, saved)
    finally:
        rome_upload.discard_upload(saved)


# The ROME référentiel is platform-wide data: only the operator installs one.
GUARDED += [
    Guarded(
        "rome_upload.save_upload",
        lambda w, a: rome_upload.discard_upload(rome_upload.save_upload(a, io.BytesIO(b"PK"), "export.zip")),
        PLATFORM,
    ),
    Guarded("rome_upload.import_upload", _import_upload, PLATFORM),
]

# The AI layer: followers run the features and review (the session-notes themes: the assigned consultant
# only); the beneficiary decides on consent; org admins manage the settings and see the usage.
GUARDED += [
    *[
        Guarded(f"llm_run.{name}", lambda w, a, f=call: f(a, _a(w).active), allowed, prepare=_a)
        for name, call, allowed in (
            ("analyse_transferable_skills", llm_run.analyse_transferable_skills, FOLLOWERS),
            ("explain_recommendation", lambda a, b: llm_run.explain_recommendation(a, b, AI_TARGET), FOLLOWERS),
            ("draft_synthese", llm_run.draft_synthese, FOLLOWERS),
            ("session_themes", llm_run.session_themes, CONSULTANT),
            ("run_feature", lambda a, b: llm_run.run_feature(a, b, "synthese_draft"), FOLLOWERS),
            ("stream_feature", lambda a, b: list(llm_run.stream_feature(a, b, "transferable_skills")), FOLLOWERS),
            ("astream_feature", _collect_async, FOLLOWERS),
            ("engine_choice", llm_run.engine_choice, FOLLOWERS),
        )
    ],
    Guarded(
        "llm_consent.give_consent", lambda w, a: llm_consent.give_consent(a, _a(w).active), BENEFICIARY, prepare=_a
    ),
    Guarded(
        "llm_consent.withdraw_consent",
        lambda w, a: llm_consent.withdraw_consent(a, _a(w).active),
        BENEFICIARY,
        prepare=_a,
    ),
    Guarded(
        "llm_consent.refuse_consent",
        lambda w, a: llm_consent.refuse_consent(a, _a(w).active),
        BENEFICIARY,
        prepare=_a,
    ),
    Guarded("llm_consent.get_consent", lambda w, a: llm_consent.get_consent(a, _a(w).active), TENANT_ROLES, prepare=_a),
    *[
        Guarded(
            f"llm_review.{name}",
            lambda w, a, f=call: f(a, _ai_proposal(w, "a")),
            FOLLOWERS,
            prepare=lambda w: _ai_proposal(w, "a"),
        )
        for name, call in (
            ("get_proposal", llm_review.get_proposal),
            ("accept_proposal", llm_review.accept_proposal),
            ("reject_proposal", llm_review.reject_proposal),
            ("edit_proposal", _edit_own_proposal),
        )
    ],
    Guarded(
        "llm_review.list_proposals",
        lambda w, a: llm_review.list_proposals(a, _a(w).active),
        FOLLOWERS,
        prepare=lambda w: _ai_proposal(w, "a"),
    ),
    Guarded("llm_admin.get_ai_settings", lambda w, a: llm_admin.get_ai_settings(a), ADMIN),
    Guarded(
        "llm_admin.update_ai_settings", lambda w, a: llm_admin.update_ai_settings(a, {"monthly_token_budget": 9}), ADMIN
    ),
    Guarded("llm_admin.usage_summary", lambda w, a: llm_admin.usage_summary(a), ADMIN),
    Guarded("llm_admin.list_usage", lambda w, a: llm_admin.list_usage(a), ADMIN),
    Guarded("llm_admin.provider_health", lambda w, a: llm_admin.provider_health(a), ADMIN),
]

# The action plan is written together: the beneficiary and the followers read and change it.
GUARDED += [
    Guarded(
        f"action_plan.{name}",
        lambda w, a, name=name, attr=attr: PLAN_CALLS[name](a, _plan_objects(w, "a")[attr]),
        TENANT_ROLES,
        prepare=lambda w: _plan_objects(w, "a"),
    )
    for name, _, attr in PLAN_ROWS
]

# The synthèse: the text is the assigned consultant's and the beneficiary's; the org admin sees that it exists.
GUARDED += [
    Guarded(
        f"synthese.{name}",
        lambda w, a, name=name, where=where: SYNTHESE_CALLS[name](a, _synthese_bilan(where)(w, "a")),
        allowed,
        prepare=lambda w, where=where: _synthese_bilan(where)(w, "a"),
    )
    for name, _, where, allowed in SYNTHESE_ROWS
]

# Only the beneficiary takes her synthèse, shares it and chooses its retention; followers see the evidence.
GUARDED += [
    *[
        Guarded(
            f"handover.{name}",
            lambda w, a, call=call: call(a, objects_of("conclusion")(w, "a")),
            allowed,
            prepare=lambda w: objects_of("conclusion")(w, "a"),
        )
        for name, call, allowed in (
            ("synthese_link", HANDOVER_CALLS["synthese_link"], BENEFICIARY),
            ("share_synthese", HANDOVER_CALLS["share_synthese"], BENEFICIARY),
            ("set_retention", HANDOVER_CALLS["set_retention"], BENEFICIARY),
            ("list_shares", HANDOVER_CALLS["list_shares"], TENANT_ROLES),
            ("get_retention", HANDOVER_CALLS["get_retention"], TENANT_ROLES),
        )
    ],
    Guarded(
        "handover.revoke_share",
        lambda w, a: handover.revoke_share(a, _share(w, "a")),
        BENEFICIARY,
        prepare=lambda w: _share(w, "a"),
    ),
]

GUARDED += [
    Guarded(
        f"document_records.{name}",
        lambda w, a, render=render: render(a, _a(w).active, created=utcnow()),
        FOLLOWERS,
        prepare=_a,
    )
    for name, render in (
        ("attestation_pdf", document_records.attestation_pdf),
        ("attendance_pdf", document_records.attendance_pdf),
    )
]

GUARDED += [
    Guarded(
        "handover.hand_over_synthese",
        lambda w, a: _hand_over(a, objects_of("drafting")(w, "a")),
        CONSULTANT,
        prepare=lambda w: objects_of("drafting")(w, "a"),
    ),
    Guarded(
        "handover.handover_status",
        lambda w, a: handover.handover_status(a, objects_of("conclusion")(w, "a")),
        FOLLOWERS,
        prepare=lambda w: objects_of("conclusion")(w, "a"),
    ),
    Guarded(
        "document_plan.action_plan_pdf",
        lambda w, a: document_plan.action_plan_pdf(a, _a(w).active, created=utcnow()),
        TENANT_ROLES,
        prepare=_a,
    ),
]


def _readable_or_denied(actor, bilan_id):
    """readable_notes() answers a list: the table reads an empty one as a refusal."""
    with session_scope() as session:
        if not session_notes.readable_notes(session, actor, session.get(Bilan, bilan_id)):
            raise AccessDenied()


def _require_writable(actor, session_id):
    with session_scope() as session:
        session_notes.require_writable(actor, session.get(BilanSession, session_id))


GUARDED += [
    Guarded(
        "notes_agreement.notes_agreement",
        lambda w, a: notes_agreement.notes_agreement(a, _notes_by_another(w, "a")),
        BENEFICIARY,
        prepare=lambda w: _notes_by_another(w, "a"),
    ),
    Guarded(
        "notes_agreement.decide_notes_agreement",
        lambda w, a: notes_agreement.decide_notes_agreement(a, _notes_by_another(w, "a"), agree=False),
        BENEFICIARY,
        prepare=lambda w: _notes_by_another(w, "a"),
    ),
    Guarded(
        "notes_agreement.withdraw_notes_agreement",
        lambda w, a: notes_agreement.withdraw_notes_agreement(a, _notes_agreed(w, "a")),
        BENEFICIARY,
        prepare=lambda w: _notes_agreed(w, "a"),
    ),
    Guarded(
        "notes_agreement.locked_note_sessions",
        lambda w, a: notes_agreement.locked_note_sessions(a, _a(w).active),
        CONSULTANT,
        prepare=_a,
    ),
    # The assigned consultant reads their own notes; nobody else reads any (not even the org admin).
    Guarded("session_notes.readable_notes", lambda w, a: _readable_or_denied(a, _a(w).active), CONSULTANT, prepare=_a),
    Guarded(
        "session_notes.require_writable",
        lambda w, a: _require_writable(a, _a(w).session),
        CONSULTANT,
        denied_error=ServiceError,
        prepare=_a,
    ),
]

GUARDED += [
    Guarded(
        "agenda.add_availability",
        lambda w, a: agenda.add_availability(a, {**EVERY_DAY, "weekday": 2}),
        CONSULTANT,
    ),
    Guarded(
        "agenda.add_away",
        lambda w, a: agenda.add_away(a, {"first_day": "2031-08-01", "last_day": "2031-08-02"}),
        CONSULTANT,
    ),
    Guarded("agenda.my_settings", lambda w, a: agenda.my_settings(a), CONSULTANT),
    Guarded("agenda.today", lambda w, a: agenda.today(a), CONSULTANT),
    # The consultant reads their own; the org admin any consultant's of the organisation.
    Guarded(
        "agenda.calendar",
        lambda w, a: _next_two_weeks(a, w.consultant_a.user_id, agenda.calendar),
        FOLLOWERS,
    ),
    Guarded(
        "agenda.consultant_free_slots",
        lambda w, a: agenda.consultant_free_slots(a, w.consultant_a.user_id, utcnow().date(), utcnow().date()),
        FOLLOWERS,
    ),
]

ROLE_CASES = [(case, role) for case in GUARDED for role in Role]


@pytest.mark.parametrize(("case", "role"), ROLE_CASES, ids=[f"{c.function}-{r}" for c, r in ROLE_CASES])
def test_role_checks(world, case, role):
    case.prepare(world)
    actor = actor_of(world, ROLE_KEY[role], "a")
    assert actor.role is role
    if role in case.allowed:
        case.call(world, actor)  # no AccessDenied
        return
    before = db_fingerprint()
    error = _raised(lambda: case.call(world, actor))
    assert type(error) is dict(case.denied_by_role).get(role, case.denied_error)
    assert db_fingerprint() == before


# ---------------------------------------------------------------- writes without an id


@dataclass(frozen=True)
class ScopedWrite:
    function: str
    actor: str
    call: Callable[[Any, Actor], Any]  # (world, actor)


def _enable_2fa(actor):
    secret = auth.begin_totp_enrolment(actor).secret
    return auth.confirm_totp_enrolment(actor, pyotp.TOTP(secret).now())


def _password(world, actor):
    return next(p.password for p in world.people.values() if p.user_id == actor.user_id)


SCOPED_WRITES = [
    ScopedWrite(
        "members.invite", "admin", lambda w, a: members.invite(a, {"email": "n@exemple.fr", "role": "consultant"})
    ),
    ScopedWrite("members.set_require_2fa", "admin", lambda w, a: members.set_require_2fa(a, True)),
    # Self-only functions: they change the actor's own account.
    ScopedWrite("auth.logout", "consultant", lambda w, a: auth.logout(a)),
    ScopedWrite(
        "auth.revoke_other_sessions",
        "consultant",
        lambda w, a: (
            w.login(next(k for k, p in w.people.items() if p.user_id == a.user_id)),
            auth.revoke_other_sessions(a),
        ),
    ),
    ScopedWrite(
        "auth.change_password",
        "beneficiary",
        lambda w, a: auth.change_password(a, _password(w, a), "Rocher-Bleu-Marin-48"),
    ),
    ScopedWrite("auth.begin_totp_enrolment", "consultant", lambda w, a: auth.begin_totp_enrolment(a)),
    ScopedWrite("auth.confirm_totp_enrolment", "consultant", lambda w, a: _enable_2fa(a)),
    ScopedWrite("auth.disable_totp", "admin", lambda w, a: (_enable_2fa(a), auth.disable_totp(a, _password(w, a)))),
    ScopedWrite("auth.set_locale", "beneficiary", lambda w, a: auth.set_locale(a, "en")),
    ScopedWrite("auth.remaining_recovery_codes", "consultant", lambda w, a: auth.remaining_recovery_codes(a)),
    ScopedWrite(
        "members.update_organisation_profile", "admin", lambda w, a: members.update_organisation_profile(a, PROFILE)
    ),
    ScopedWrite(
        "members.update_consultant_profile",
        "consultant",
        lambda w, a: members.update_consultant_profile(a, CONSULTANT_PROFILE),
    ),
    ScopedWrite(
        "bilans.request_bilan",
        "beneficiary",
        lambda w, a: bilans.request_bilan(
            a, {"mode": "presentiel", "funding_type": "cpf", "requested_consultant_id": str(_own_consultant(a))}
        ),
    ),
]


SCOPED_WRITES += [
    ScopedWrite(
        "visio.save_video_settings",
        "admin",
        lambda w, a: visio.save_video_settings(a, {"video_provider": "jitsi", "jitsi_domain": "meet.jit.si"}),
    ),
    ScopedWrite("calendar_feeds.create_feed", "beneficiary", lambda w, a: calendar_feeds.create_feed(a)),
    ScopedWrite(
        "calendar_feeds.revoke_feed",
        "consultant",
        lambda w, a: (calendar_feeds.create_feed(a), calendar_feeds.revoke_feed(a)),
    ),
    ScopedWrite(
        "llm_admin.update_ai_settings",
        "admin",
        lambda w, a: llm_admin.update_ai_settings(a, {"monthly_token_budget": 5}),
    ),
]


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
@pytest.mark.parametrize("case", SCOPED_WRITES, ids=lambda c: c.function)
def test_writes_without_an_id_stay_in_the_own_organisation(world, case, mine, other):
    actor = actor_of(world, case.actor, mine)
    other_before = org_fingerprint(org_id(world, other))
    mine_before = org_fingerprint(org_id(world, mine))
    case.call(world, actor)
    assert org_fingerprint(org_id(world, other)) == other_before
    if case.function != "auth.remaining_recovery_codes":  # the only read-only one
        assert org_fingerprint(org_id(world, mine)) != mine_before


def test_invite_lands_in_the_actors_organisation_even_for_the_others_members(world, outbox):
    other_before = org_fingerprint(world.org_b)
    email = world.person("consultant_b").email
    invitation = members.invite(world.admin_a, {"email": email, "role": "consultant"})
    assert invitation.organisation_id == world.org_a
    message, _ = outbox.last(email)
    assert message.organisation_id == world.org_a
    assert "Cabinet Alpha" in message.subject
    assert org_fingerprint(world.org_b) == other_before


def test_require_2fa_changes_only_the_own_organisation(world):
    members.set_require_2fa(world.admin_b, True)
    with session_scope() as session:
        flags = {o.id: o.require_2fa for o in session.exec(select(Organisation)).all()}
    assert flags == {world.org_a: False, world.org_b: True}


# ---------------------------------------------------------------- a person in both organisations


def test_a_member_of_both_organisations_acts_only_in_the_session_organisation(world, outbox):
    """admin_b joins A as a consultant: with the A session, B's data is out of reach."""
    person = world.person("admin_b")
    members.invite(world.admin_a, {"email": person.email, "role": "consultant"})
    result = members.accept_invitation(
        outbox.link_token(person.email), {"password": person.password}, auth.ClientInfo(ip="10.9.9.9")
    )
    in_a = auth.resolve_session(result.token).actor
    assert (in_a.organisation_id, in_a.role) == (world.org_a, Role.CONSULTANT)
    # Admin rights in B do not follow into A...
    with pytest.raises(AccessDenied):
        members.list_members(in_a)
    # ... and B's objects are invisible from the A session.
    before = db_fingerprint()
    for call in (
        lambda: members.resend_invitation(in_a, world.invitation_id("pending_b_by_consultant")),
        lambda: get_scoped_call(Membership)(in_a, world.person("beneficiary_b").membership_id),
        lambda: get_scoped_call(Invitation)(in_a, world.invitation_id("pending_b")),
    ):
        assert type(_raised(call)) is NotFound
    assert db_fingerprint() == before
    assert {uuid.UUID(r.invitation_id) for r in members.list_sent_invitations(in_a)} == set()
    # The B session is still an admin of B only.
    in_b = world.admin_b
    rows, _ = members.list_members(in_b)
    assert set(_membership_orgs([r.membership_id for r in rows])) == {world.org_b}


def test_a_session_belongs_to_one_organisation(world):
    with session_scope() as session:
        row = session.get(LoginSession, world.consultant_a.session_id)
        row.organisation_id = world.org_b  # as if tampered with: no membership in B
        session.add(row)
    assert auth.resolve_session(world.person("consultant_a").token) is None


@pytest.mark.parametrize(("mine", "other"), DIRECTIONS)
def test_the_bilan_policy_helpers_refuse_another_organisations_bilan(world, mine, other):
    foreign = _bilan_row(both_bilan_objects(world, other).active)
    own = _bilan_row(both_bilan_objects(world, mine).active)
    for key in ("consultant", "admin", "beneficiary"):
        actor = actor_of(world, key, mine)
        assert bilans.is_follower(actor, foreign) is False
        with pytest.raises(AccessDenied):
            bilans.require_follower(actor, foreign)
        with pytest.raises(AccessDenied):
            bilans.require_beneficiary(actor, foreign)
        with session_scope() as session:
            assert session_notes.readable_notes(session, actor, foreign) == []
    # Positive controls on the own organisation's bilan.
    with session_scope() as session:
        assert [n.text for n in session_notes.readable_notes(session, actor_of(world, "consultant", mine), own)] == [
            f"Notes {mine}"
        ]
    assert bilans.is_follower(actor_of(world, "consultant", mine), own) is True
    assert bilans.is_follower(actor_of(world, "admin", mine), own) is True
    bilans.require_beneficiary(actor_of(world, "beneficiary", mine), own)


def test_quota_usage_counts_only_the_own_organisation(world):
    both_bilan_objects(world)  # three active bilans in each organisation
    with session_scope() as session:
        for _ in range(3):
            session.add(
                Bilan(
                    organisation_id=world.org_b,
                    beneficiary_id=world.beneficiary_b.user_id,
                    consultant_id=world.consultant_b.user_id,
                    status=BilanStatus.INVESTIGATION,
                )
            )
    usage_a, usage_b = bilans.quota_usage(world.admin_a), bilans.quota_usage(world.admin_b)
    assert (usage_a.active, usage_b.active) == (3, 6)
    assert (usage_a.plan, usage_a.limit) == ("starter", 10)


def test_an_actor_without_organisation_cannot_query_tenant_tables(world):
    for model in (Membership, Invitation, AuditEvent, MailMessage, LoginSession):
        with pytest.raises(AccessDenied):
            access.scoped(model, world.platform)
    with pytest.raises(AccessDenied):
        bilans.visible_bilans(world.platform)


# ---------------------------------------------------------------- coverage of the tables

# Policy primitives and the audit writers: exercised through every row above.
NOT_TENANT_ENTRY_POINTS = {
    "access.can",
    "access.require",
    "access.can_invite",
    "access.scoped",
    "access.tenant_filter",  # the condition inside scoped, for a query that also reads shared rows
    "audit.record",
    "bilans.log_personal_read",
    "bilans.record_on_bilan",
    # Called by the services inside their transaction, on a bilan they loaded through get_bilan: the
    # recipients are that bilan's people (tests/unit/test_notifications.py proves no one else is mailed).
    "notifications.session_planned",
    "notifications.session_cancelled",
    "notifications.session_moved",
    "bilans.record_handover",  # like record_on_bilan: takes the bilan its caller already scoped and checked
    # Scoped to the actor's own user, narrower than the organisation: tests/unit/test_notification_centre.py
    # proves that another person's notification is NotFound, even in the same organisation.
    "notifications.list_notifications",
    "notifications.mark_read",
    "notifications.mark_all_read",
    "notifications.preferences",
    "notifications.set_preference",
    "notifications.set_sms",
    "notifications.mobile_number",
    "notifications.set_mobile_number",
    "notifications.unread_count",
    # Calendars: the actor's own feed tokens (user and organisation) and their own organisation's row;
    # tests/unit/test_calendar.py proves a revoked or another's token is a 404.
    "calendar_feeds.feed_status",
    "visio.video_settings",
    # Policy helpers on a bilan and session the calling service already loaded through get_bilan.
    "visio.is_participant",
    "visio.shown_link",
}


def _actor_functions():
    found = set()
    modules = {"access": access, "audit": audit, "auth": auth, "bilans": bilans, "mail": mail, "members": members}
    modules["audit_text"] = audit_text
    modules["uploaded"] = uploaded
    modules.update(psychometrics=psychometrics, skills=skills, cartography=cartography)
    modules.update(training_catalogue=training_catalogue, training_suggest=training_suggest)
    modules.update(recommendations=recommendations, job_search=job_search)
    modules["rome_upload"] = rome_upload
    modules["action_plan"] = action_plan
    modules["agenda"] = agenda
    modules["synthese"] = synthese
    modules["handover"] = handover
    modules["document_records"] = document_records
    modules["document_plan"] = document_plan
    modules.update(notes_agreement=notes_agreement, session_notes=session_notes, notifications=notifications)
    modules.update(calendar_feeds=calendar_feeds, invitations=invitations, visio=visio)
    modules.update(llm_run=llm_run, llm_consent=llm_consent, llm_review=llm_review, llm_admin=llm_admin)
    for label, module in modules.items():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            # A package (services.bilans) re-exports the functions of its modules.
            if name.startswith("_") or not f"{function.__module__}.".startswith(f"{module.__name__}."):
                continue
            annotations = [str(p.annotation) for p in inspect.signature(function).parameters.values()]
            if any("Actor" in a for a in annotations):
                found.add(f"{label}.{name}")
    return found


def test_every_actor_function_has_a_row():
    covered = (
        {c.function for c in BY_ID}
        | {c.function for c in LISTINGS}
        | {c.function for c in GUARDED}
        | {c.function for c in SCOPED_WRITES}
        | NOT_TENANT_ENTRY_POINTS
    )
    functions = _actor_functions()
    assert {"members.invite", "access.get_scoped", "mail.list_outbox", "bilans.transition"} <= functions
    missing = functions - covered
    assert missing == set(), f"add a tenancy row for: {sorted(missing)}"
    assert covered - functions == set(), "rows for functions that no longer exist"


def test_ai_usage_summary_counts_only_the_own_organisation(world):
    _ai_usage_rows(world)
    summary_a, summary_b = llm_admin.usage_summary(world.admin_a), llm_admin.usage_summary(world.admin_b)
    assert (summary_a.calls, summary_a.used_tokens) == (2, 30)
    assert (summary_b.calls, summary_b.used_tokens) == (1, 15)
