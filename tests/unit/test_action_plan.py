"""The SMART action plan (services.action_plan): the SMART check, writing together with history, the
phases and roles, links, suggestions, and the deadline reminders.

The bilan goes through the real services (beneficiary_a asks for consultant_a, who accepts), then is
moved to the conclusion phase directly in the database (the convention and objectives guards are
tested elsewhere).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import timedelta
from typing import Any

import pytest
from reflex.istate.data import ReflexURL
from sqlmodel import col, select

from services import action_plan as plan
from services import job_search, jobs, recommendations, routes
from services.action_plan import ActionDraft, smart_check
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.i18n import FR, translate
from services.llm import review as llm_review
from services.llm import run as llm_run
from services.llm.schemas import RecommendationInput
from services.models import (
    ActionStatus,
    AuditEvent,
    Bilan,
    BilanStatus,
    PlanAction,
    PlanHistory,
    PlanMilestone,
    TrainingCourse,
    TrainingSource,
)
from services.models.base import utcnow
from services.training import catalogue
from tests.unit.test_skills import open_bilan

TODAY = utcnow().date()
FULL = {
    "title": "Rencontrer deux infirmières en poste",
    "description": "Prendre rendez-vous au CHU de Brest avec deux infirmières de nuit.",
    "indicator": "Deux entretiens réalisés et un compte rendu écrit",
    "means": "Réseau de la consultante, deux demi-journées libérées",
    "project_link": "Vérifier que le métier d'infirmière de nuit me convient",
    "deadline": str(TODAY + timedelta(days=30)),
    "owner": "beneficiary",
}
MISSING_INDICATOR = {**FULL, "indicator": ""}


def bilan_in(world, status: BilanStatus = BilanStatus.CONCLUSION, org: str = "a") -> uuid.UUID:
    bilan_id = open_bilan(world, org)
    if status is not BilanStatus.PRELIMINAIRE:
        with session_scope() as session:
            bilan = session.get(Bilan, bilan_id)
            bilan.status = status
            session.add(bilan)
    return bilan_id


def _status(bilan_id: uuid.UUID, status: BilanStatus) -> None:
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        bilan.status = status
        session.add(bilan)


def _history(world, bilan_id) -> list[plan.PlanHistoryRow]:
    return plan.plan_history(world.consultant_a, bilan_id)


# ---------------------------------------------------------------- the SMART check


def test_a_complete_action_has_no_gap():
    draft = ActionDraft(
        title="Rencontrer deux infirmières",
        description="Au CHU, deux infirmières de nuit.",
        indicator="Deux entretiens",
        means="Le réseau de la consultante",
        project_link="Vérifier la piste infirmière",
        deadline=TODAY + timedelta(days=20),
    )
    assert smart_check(draft, TODAY) == []


def test_each_missing_part_is_said_in_plain_words_in_the_forms_order():
    gaps = smart_check(ActionDraft(title="Se renseigner"), TODAY)
    assert [(gap.part, gap.field, gap.blocking) for gap in gaps] == [
        ("specifique", "description", True),
        ("mesurable", "indicator", True),
        ("atteignable", "means", True),
        ("realiste", "project_link", True),
        ("temporel", "deadline", True),
    ]
    assert gaps[1].message() == (
        "Mesurable : indiquez comment vous saurez que l'action est réussie (par exemple « 3 entretiens réalisés »)."
    )
    assert gaps[4].message("en") == "Time-bound: set a deadline."
    short = smart_check(ActionDraft(title="Se renseigner", description="Au CHU", means="Réseau"), TODAY)
    assert [gap.code.rsplit(".", 1)[1] for gap in short] == [
        "description_short",
        "indicator_missing",
        "project_link_missing",
        "deadline_missing",
    ]


def test_weak_parts_are_hints_that_do_not_make_an_action_incomplete():
    base = ActionDraft(
        title="Suivre une formation d'aide-soignante",
        description="Trop court",
        indicator="Diplôme obtenu",
        means="CPF",
        project_link="Premier pas vers le soin",
        deadline=TODAY - timedelta(days=1),
        milestones=(("Inscription", TODAY + timedelta(days=3)),),
        started_on=TODAY - timedelta(days=10),
    )
    gaps = smart_check(base, TODAY)
    assert [(gap.code.rsplit(".", 1)[1], gap.blocking) for gap in gaps] == [
        ("description_short", False),
        ("deadline_past", False),
        ("milestone_late", False),
    ]
    assert "« Inscription »" in gaps[2].message()
    # A finished action is not late; a long one without milestones gets a hint; past the follow-up is fine.
    done = ActionDraft(
        **{**base.__dict__, "status": ActionStatus.FAITE, "description": "Une description assez longue."}
    )
    assert smart_check(done, TODAY) == [gaps[2]]
    long = ActionDraft(**{**done.__dict__, "milestones": (), "deadline": TODAY + timedelta(days=200)})
    assert [gap.code for gap in smart_check(long, TODAY)] == ["action_plan.smart.milestones_advised"]
    assert smart_check(ActionDraft(**{**long.__dict__, "deadline": TODAY + timedelta(days=80)}), TODAY) == []


# ---------------------------------------------------------------- writing together


def test_an_action_with_a_missing_part_is_kept_as_a_draft_then_completed(world):
    bilan_id = bilan_in(world)
    view = plan.create_action(world.consultant_a, bilan_id, MISSING_INDICATOR)
    assert not view.complete
    assert [gap.field for gap in view.missing] == ["indicator"]
    assert view.title == FULL["title"] and view.means == FULL["means"]  # everything typed is kept
    with session_scope() as session:
        row = session.get(PlanAction, uuid.UUID(view.id))
        assert "infirmières" not in row.title_encrypted and "CHU" not in row.description_encrypted
    done = plan.update_action(world.beneficiary_a, view.id, {"indicator": FULL["indicator"]})
    assert done.complete and done.gaps == []
    current = plan.get_plan(world.beneficiary_a, bilan_id)
    assert current.editable and [action.id for action in current.actions] == [view.id]
    assert current.complete_count == 1


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"title": "   "}, "title", "action_plan.error.title_required"),
        ({"title": "x" * 201}, "title", "error.too_long"),
        ({"means": "x" * 2001}, "means", "error.too_long"),
        ({"deadline": "31/12/2026"}, "deadline", "error.date_invalid"),
        ({"deadline": "1850-01-01"}, "deadline", "error.date_invalid"),
        ({"owner": "employeur"}, "owner", "error.invalid_choice"),
        ({"status": "oubliee"}, "status", "error.invalid_choice"),
        ({"link": "metier:K9901"}, "link", "error.invalid_choice"),
        ({"link": f"target:{uuid.uuid4()}"}, "link", "action_plan.error.link_unknown"),
        (
            {"milestones": [{"label": "Appeler", "due_on": ""}]},
            "milestones.0.due_on",
            "action_plan.error.milestone_date_required",
        ),
        (
            {"milestones": [{"label": "", "due_on": str(TODAY)}]},
            "milestones.0.label",
            "action_plan.error.milestone_label_required",
        ),
        (
            {"milestones": [{"label": f"Étape {n}", "due_on": str(TODAY)} for n in range(13)]},
            "milestones",
            "action_plan.error.too_many_milestones",
        ),
    ],
)
def test_a_bad_field_is_refused_next_to_it_and_nothing_is_saved(world, change, field, key):
    bilan_id = bilan_in(world)
    with pytest.raises(FormError) as caught:
        plan.create_action(world.consultant_a, bilan_id, {**FULL, **change})
    assert caught.value.fields[field] == key
    assert key in FR and "{" not in translate(key, **caught.value.params)
    assert plan.get_plan(world.consultant_a, bilan_id).actions == []


def test_every_change_is_in_the_history_with_who_what_before_and_after(world):
    bilan_id = bilan_in(world)
    action = plan.create_action(world.consultant_a, bilan_id, MISSING_INDICATOR)
    plan.update_action(world.beneficiary_a, action.id, {"indicator": "Deux entretiens", "title": FULL["title"]})
    plan.set_status(world.beneficiary_a, action.id, "en_cours")
    plan.update_action(world.admin_a, action.id, {"deadline": str(TODAY + timedelta(days=40))})
    rows = _history(world, bilan_id)
    assert [(row.event, row.field, row.by_consultant) for row in rows] == [
        ("updated", "deadline", True),
        ("status", "status", False),
        ("updated", "indicator", False),  # the unchanged title wrote nothing
        ("created", "title", True),
    ]
    assert (rows[1].before, rows[1].after) == ("a_faire", "en_cours")
    beneficiary = world.person("beneficiary_a")
    author = f"{beneficiary.first_name} {beneficiary.last_name}"
    assert (rows[2].before, rows[2].after, rows[2].author) == ("", "Deux entretiens", author)
    assert rows[0].before == FULL["deadline"] and rows[3].action_title == FULL["title"]
    with session_scope() as session:
        stored = session.exec(select(PlanHistory).where(PlanHistory.field_name == "indicator")).one()
        assert "entretiens" not in stored.after_encrypted
        # The bilan's audit trail names the fields, never their text.
        events = session.exec(select(AuditEvent).where(col(AuditEvent.action).startswith("action_plan."))).all()
    assert [event.action for event in events].count("action_plan.action_updated") == 3
    assert all("entretiens" not in str(event.changes) and "CHU" not in str(event.changes) for event in events)


def test_milestones_are_added_ticked_changed_and_removed_with_history(world):
    bilan_id = bilan_in(world)
    first, second = str(TODAY + timedelta(days=7)), str(TODAY + timedelta(days=14))
    action = plan.create_action(
        world.consultant_a,
        bilan_id,
        {**FULL, "milestones": [{"label": "Appeler le CHU", "due_on": first}, {"label": "", "due_on": ""}]},
    )
    assert [(m.label, m.due_on.isoformat(), m.done) for m in action.milestones] == [("Appeler le CHU", first, False)]
    milestone = action.milestones[0]
    ticked = plan.set_milestone_done(world.beneficiary_a, milestone.id, True)
    assert ticked.milestones[0].done
    plan.set_milestone_done(world.beneficiary_a, milestone.id, True)  # already done: nothing more
    rows = [
        {"id": milestone.id, "label": "Appeler le CHU", "due_on": second},
        {"label": "Entretien 1", "due_on": second},
    ]
    changed = plan.update_action(world.consultant_a, action.id, {"milestones": rows})
    assert [(m.label, m.done) for m in changed.milestones] == [("Appeler le CHU", True), ("Entretien 1", False)]
    kept = changed.milestones[1]
    plan.update_action(
        world.consultant_a, action.id, {"milestones": [{"id": kept.id, "label": kept.label, "due_on": second}]}
    )
    events = [(row.event, row.before, row.after) for row in _history(world, bilan_id)]
    assert events[:4] == [
        ("milestone_removed", f"Appeler le CHU ({second})", ""),
        ("milestone_added", "", f"Entretien 1 ({second})"),
        ("milestone_updated", f"Appeler le CHU ({first})", f"Appeler le CHU ({second})"),
        ("milestone_done", "", f"Appeler le CHU ({first})"),
    ]
    with session_scope() as session:
        assert len(session.exec(select(PlanMilestone)).all()) == 1


def test_actions_move_and_a_deleted_one_leaves_the_plan_but_not_the_history(world):
    bilan_id = bilan_in(world)
    ids = [plan.create_action(world.consultant_a, bilan_id, {**FULL, "title": f"Action {n}"}).id for n in range(3)]
    plan.move_action(world.beneficiary_a, ids[2], -1)
    plan.move_action(world.beneficiary_a, ids[0], -5)  # already first: nothing
    assert [a.id for a in plan.get_plan(world.consultant_a, bilan_id).actions] == [ids[0], ids[2], ids[1]]
    plan.delete_action(world.beneficiary_a, ids[2])
    assert [a.title for a in plan.get_plan(world.consultant_a, bilan_id).actions] == ["Action 0", "Action 1"]
    rows = _history(world, bilan_id)
    assert (rows[0].event, rows[0].before, rows[0].action_title) == ("deleted", "Action 2", "Action 2")
    assert (rows[1].event, rows[1].before, rows[1].after) == ("moved", "3", "2")
    for call in (
        lambda: plan.update_action(world.consultant_a, ids[2], {"title": "Revenue"}),
        lambda: plan.delete_action(world.consultant_a, ids[2]),
    ):
        with pytest.raises(NotFound):
            call()


# ---------------------------------------------------------------- phases and roles


def test_the_plan_is_written_from_the_investigation_and_read_only_once_closed(world):
    bilan_id = bilan_in(world, BilanStatus.PRELIMINAIRE)
    too_early = plan.get_plan(world.beneficiary_a, bilan_id)
    assert (too_early.editable, too_early.bilan_closed) == (False, False)
    with pytest.raises(ServiceError) as caught:
        plan.create_action(world.consultant_a, bilan_id, FULL)
    assert caught.value.code == "action_plan.error.too_early"
    _status(bilan_id, BilanStatus.INVESTIGATION)
    action = plan.create_action(world.beneficiary_a, bilan_id, FULL)
    _status(bilan_id, BilanStatus.TERMINE)
    with pytest.raises(ServiceError) as caught:
        plan.set_status(world.beneficiary_a, action.id, "faite")
    assert caught.value.code == "error.bilan_closed"
    closed = plan.get_plan(world.beneficiary_a, bilan_id)
    assert [a.title for a in closed.actions] == [FULL["title"]]
    assert (closed.editable, closed.bilan_closed) == (False, True)


def test_other_people_cannot_read_or_change_the_plan(world):
    bilan_id = bilan_in(world)
    action = plan.create_action(world.beneficiary_a, bilan_id, FULL)
    for actor in (world.beneficiary_b, world.consultant_b, world.admin_b):
        for call in (
            lambda a=actor: plan.get_plan(a, bilan_id),
            lambda a=actor: plan.update_action(a, action.id, {"title": "Piraté"}),
            lambda a=actor: plan.set_milestone_done(a, str(uuid.uuid4()), True),
        ):
            with pytest.raises(NotFound):
                call()
    with pytest.raises(AccessDenied):
        plan.get_plan(world.platform, bilan_id)
    # The org admin follows every bilan of the organisation: co-construction includes them.
    assert plan.update_action(world.admin_a, action.id, {"status": "en_cours"}).status is ActionStatus.EN_COURS


def test_a_followers_read_is_logged_and_the_beneficiarys_is_not(world):
    bilan_id = bilan_in(world)
    plan.get_plan(world.beneficiary_a, bilan_id)
    plan.get_plan(world.consultant_a, bilan_id)
    with session_scope() as session:
        reads = session.exec(select(AuditEvent).where(AuditEvent.action == "bilan.personal_data_read")).all()
    assert [(event.actor_user_id, event.changes) for event in reads] == [
        (world.consultant_a.user_id, {"read": "action_plan"})
    ]


# ---------------------------------------------------------------- links


def _course(world, org: str = "a", **values: Any) -> str:
    return catalogue.create_course(world.actor(f"admin_{org}"), {"title": f"Formation aide-soignante {org}", **values})


def test_an_action_links_to_a_target_course_or_offer_of_the_same_bilan_or_organisation(world):
    bilan_id, other_bilan = bilan_in(world), bilan_in(world, org="b")
    target = recommendations.keep_target(world.consultant_a, bilan_id, {"code_rome": "J1506", "libelle": "Infirmier"})
    foreign_target = recommendations.keep_target(
        world.consultant_b, other_bilan, {"code_rome": "J1506", "libelle": "Infirmier"}
    )
    offer = job_search.save_offer(
        world.beneficiary_a,
        bilan_id,
        job_search.OfferSnapshot(offer_id="FT123", title="Infirmier de nuit", company="CHU"),
    )
    course, foreign_course = _course(world), _course(world, "b")
    with session_scope() as session:
        cpf = TrainingCourse(source=TrainingSource.CPF, external_id="CPF-1", title="DEAS", provider="IFAS")
        session.add(cpf)
    action = plan.create_action(world.consultant_a, bilan_id, {**FULL, "link": f"target:{target}"})
    assert (action.link, action.link_label) == (f"target:{target}", "Infirmier")
    for link, label in (
        (f"offer:{offer}", "Infirmier de nuit · CHU"),
        (f"course:{course}", "Formation aide-soignante a"),
        (f"course:{cpf.id}", "DEAS (IFAS)"),
        ("", ""),
    ):
        view = plan.update_action(world.beneficiary_a, action.id, {"link": link})
        assert (view.link, view.link_label) == (link, label)
    for foreign in (f"target:{foreign_target}", f"course:{foreign_course}"):
        with pytest.raises(FormError) as caught:
            plan.update_action(world.beneficiary_a, action.id, {"link": foreign})
        assert caught.value.fields == {"link": "action_plan.error.link_unknown"}
    changes = [(row.before, row.after) for row in _history(world, bilan_id) if row.field == "link"]
    assert changes[0] == ("DEAS (IFAS)", "") and changes[-1] == ("Infirmier", "Infirmier de nuit · CHU")
    options = plan.link_options(world.beneficiary_a, bilan_id)
    assert {(option.group, option.label) for option in options} >= {
        ("target", "Infirmier"),
        ("offer", "Infirmier de nuit · CHU"),
    }


def test_an_action_outlives_the_target_or_offer_it_was_linked_to(world):
    bilan_id = bilan_in(world)
    target = recommendations.keep_target(world.consultant_a, bilan_id, {"code_rome": "J1506", "libelle": "Infirmier"})
    offer = job_search.save_offer(
        world.beneficiary_a, bilan_id, job_search.OfferSnapshot(offer_id="FT123", title="Infirmier de nuit")
    )
    by_target = plan.create_action(world.consultant_a, bilan_id, {**FULL, "link": f"target:{target}"})
    by_offer = plan.create_action(
        world.consultant_a, bilan_id, {**FULL, "title": "Candidater", "link": f"offer:{offer}"}
    )
    recommendations.drop_target(world.consultant_a, target)  # the foreign keys set the links to nothing
    job_search.remove_offer(world.beneficiary_a, bilan_id, "FT123")
    actions = {action.id: action for action in plan.get_plan(world.beneficiary_a, bilan_id).actions}
    assert (actions[by_target.id].link, actions[by_offer.id].link) == ("", "")
    assert actions[by_offer.id].title == "Candidater"


# ---------------------------------------------------------------- suggestions


def test_suggestions_from_targets_offers_and_the_reviewed_synthese_draft(world):
    bilan_id = bilan_in(world)
    target = recommendations.keep_target(
        world.consultant_a, bilan_id, {"code_rome": "K9901", "libelle": "Gardien de phare"}
    )
    job_search.save_offer(world.beneficiary_a, bilan_id, job_search.OfferSnapshot(offer_id="FT9", title="Gardien"))
    draft = llm_run.draft_synthese(
        world.consultant_a,
        bilan_id,
        [
            RecommendationInput(
                code_rome="K9901", libelle="Gardien de phare", score=0.7, competences_a_acquerir=["Veille"]
            )
        ],
        prefer_local=True,
    )
    beneficiary_keys = [s.key for s in plan.suggestions(world.beneficiary_a, bilan_id)]
    assert [key.split(":")[0] for key in beneficiary_keys] == ["target", "offer"]  # not yet reviewed, and not hers
    assert [s.source for s in plan.suggestions(world.consultant_a, bilan_id)] == ["target", "offer"]
    llm_review.accept_proposal(world.consultant_a, draft.proposal_id)
    found = plan.suggestions(world.consultant_a, bilan_id)
    # The engine's "Enquête métier : Gardien de phare" is the target's own suggestion: shown once, linked.
    assert [(s.source, s.title) for s in found] == [
        ("target", "Enquête métier : Gardien de phare"),
        ("offer", "Candidater : Gardien"),
        ("ai", "Se former : Veille"),
    ]
    ai = found[2]
    assert ai.deadline == plan._today() + timedelta(days=90)  # "moyen terme"
    created = plan.add_suggestions(world.consultant_a, bilan_id, [found[0].key, ai.key])
    actions = plan.get_plan(world.beneficiary_a, bilan_id).actions
    assert [a.id for a in actions] == created
    assert (actions[0].link, actions[0].complete) == (f"target:{target}", False)
    assert [gap.field for gap in actions[0].missing] == ["indicator", "means", "deadline"]
    assert [s.source for s in plan.suggestions(world.consultant_a, bilan_id)] == ["offer"]
    with pytest.raises(ServiceError) as caught:
        plan.add_suggestions(world.consultant_a, bilan_id, [found[0].key])
    assert caught.value.code == "action_plan.error.suggestion_gone"


# ---------------------------------------------------------------- reminders


def _subjects(to: str, outbox) -> list[str]:
    return [message.subject for message, _ in outbox.messages(to)]


def test_deadline_and_milestone_reminders_go_to_the_owner_once(world, outbox):
    bilan_id = bilan_in(world)
    beneficiary, consultant = world.person("beneficiary_a").email, world.person("consultant_a").email
    soon = plan.create_action(world.consultant_a, bilan_id, {**FULL, "deadline": str(TODAY + timedelta(days=2))})
    plan.create_action(
        world.consultant_a,
        bilan_id,
        {
            **FULL,
            "title": "Préparer le dossier de financement",
            "owner": "consultant",
            "deadline": str(TODAY + timedelta(days=60)),
            "milestones": [{"label": "Devis de l'IFAS", "due_on": str(TODAY + timedelta(days=1))}],
        },
    )
    plan.create_action(world.consultant_a, bilan_id, {**FULL, "title": "Plus tard"})  # in 30 days
    done = plan.create_action(world.consultant_a, bilan_id, {**FULL, "deadline": str(TODAY + timedelta(days=1))})
    plan.set_status(world.consultant_a, done.id, "faite")
    before = len(outbox.messages())

    assert jobs.run_due_jobs()["plan_reminders"] == 2
    assert plan.remind_deadlines(utcnow()) == 0  # idempotent
    assert _subjects(beneficiary, outbox).count("Rappel : une action de votre plan arrive à échéance") == 1
    assert _subjects(consultant, outbox).count("Rappel : une étape du plan d'action approche") == 1
    assert len(outbox.messages()) == before + 2
    _, body = outbox.last(beneficiary)
    assert f"« {FULL['title']} »" in body and "/mon-espace/plan" in body
    _, body = outbox.last(consultant)
    assert "« Devis de l'IFAS »" in body and f"/bilans/{bilan_id}/plan" in body

    # A deadline moved is reminded again once; a closed bilan gets nothing.
    plan.update_action(world.beneficiary_a, soon.id, {"deadline": str(TODAY + timedelta(days=3))})
    assert plan.remind_deadlines(utcnow()) == 1
    plan.update_action(world.beneficiary_a, soon.id, {"deadline": str(TODAY + timedelta(days=1))})
    _status(bilan_id, BilanStatus.TERMINE)
    assert plan.remind_deadlines(utcnow()) == 0


def test_every_catalogue_key_of_the_service_exists():
    keys = {gap for gap in (code for _, _, code in plan._REQUIRED_PARTS)}
    keys |= {f"action_plan.smart.{name}" for name in ("description_short", "deadline_missing", "deadline_past")}
    keys |= {f"action_plan.smart.{name}" for name in ("milestone_late", "milestones_advised")}
    keys |= {f"audit.{action}" for action in plan.PlanAudit}
    keys |= {f"action_plan.history.{event}" for event in ("created", "updated", "deleted", "moved")}
    keys |= {f"action_plan.status.{status}" for status in ActionStatus}
    assert keys - set(FR) == set()


# ------------------------------------------------ the screens' row builders (services/display/action_plan.py)


def test_the_rows_of_the_screen_say_the_state_of_each_action_in_words(world):
    from services.display.action_plan import action_rows, compact_milestones, gap_messages, history_rows

    bilan_id = bilan_in(world)
    late = {**FULL, "deadline": str(TODAY - timedelta(days=2)), "description": "Court"}
    milestone = {"label": "Appeler", "due_on": str(TODAY + timedelta(days=5))}
    draft = plan.create_action(world.consultant_a, bilan_id, {**MISSING_INDICATOR, "milestones": [milestone]})
    plan.create_action(world.beneficiary_a, bilan_id, {**late, "owner": "consultant"})
    view = plan.get_plan(world.consultant_a, bilan_id)
    rows, missing, hints, milestones = action_rows(view.actions, "fr")
    assert [(row["number"], row["complete"], row["overdue"], row["first"], row["last"]) for row in rows] == [
        ("Action 1", False, False, True, False),
        ("Action 2", True, True, False, True),
    ]
    assert rows[1]["owner_label"] == "Qui s'en charge : Consultant"
    assert rows[0]["deadline_label"].startswith("Échéance : ") and rows[0]["status_label"] == "À faire"
    assert missing == [[FR["action_plan.smart.indicator_missing"]], []]
    assert hints[1] == [FR["action_plan.smart.description_short"], FR["action_plan.smart.deadline_past"]]
    assert [(m["label"], m["done"]) for m in milestones[0]] == [("Appeler", False)] and milestones[1] == []
    assert gap_messages(view.actions[1].gaps, "fr") == {
        "description": FR["action_plan.smart.description_short"],
        "deadline": FR["action_plan.smart.deadline_past"],
    }
    plan.update_action(world.beneficiary_a, draft.id, {"indicator": "Deux entretiens", "status": "en_cours"})
    changes = [row["change"] for row in history_rows(plan.plan_history(world.consultant_a, bilan_id), "fr")]
    assert changes[:2] == [
        "Statut : À faire → En cours",
        "Indicateur de réussite : (vide) → Deux entretiens",
    ]
    assert changes[-1] == "Action créée"
    blank = {"id": "", "label": " ", "due_on": ""}
    assert compact_milestones([blank, {"label": "Appeler", "due_on": ""}]) == [
        {"id": "", "label": "Appeler", "due_on": ""}
    ]


# ---------------------------------------------------------------- the page's state, without a browser


def _page_state(world, key: str, path: str) -> Any:
    from state.action_plan import ActionPlanState

    state = ActionPlanState(_reflex_internal_init=True)
    state.session_token = world.person(key).token
    state.router = dataclasses.replace(state.router, url=ReflexURL(f"http://localhost:3000{path}"))
    return state


def _run(handler: Any, state: Any, *args: Any) -> Any:
    result = handler.fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def test_the_page_keeps_what_was_typed_and_says_the_missing_part_next_to_its_field(world):
    from state.action_plan import ActionPlanState as S

    bilan_id = bilan_in(world)
    recommendations.keep_target(world.consultant_a, bilan_id, {"code_rome": "K9901", "libelle": "Gardien de phare"})
    consultant = _page_state(world, "consultant_a", routes.bilan_plan(str(bilan_id)))
    _run(S.load, consultant)
    assert (consultant.plan_status, consultant.plan_follower, consultant.plan_editable) == ("ready", True, True)
    assert consultant.plan_beneficiary and consultant.link_targets[0]["label"] == "Gardien de phare"
    assert [row["title"] for row in consultant.suggestions] == ["Enquête métier : Gardien de phare"]
    _run(S.open_new, consultant)
    for name, value in {**MISSING_INDICATOR, "title": ""}.items():
        _run(S.set_field, consultant, name, value)
    _run(S.add_milestone, consultant)
    _run(S.set_milestone_field, consultant, 0, "label", "Appeler le CHU")
    _run(S.save, consultant)
    assert consultant.errors == {
        "title": FR["action_plan.error.title_required"],
        "milestones.0.due_on": FR["action_plan.error.milestone_date_required"],
    }
    assert consultant.milestone_errors == [{"label": "", "due_on": FR["action_plan.error.milestone_date_required"]}]
    assert consultant.form["means"] == FULL["means"] and consultant.form_milestones[0]["label"] == "Appeler le CHU"
    _run(S.set_field, consultant, "title", FULL["title"])
    _run(S.set_milestone_field, consultant, 0, "due_on", str(TODAY + timedelta(days=3)))
    _run(S.save, consultant)
    assert consultant.errors == {} and consultant.editor_open and consultant.editing_id
    assert consultant.form_gaps == {"indicator": FR["action_plan.smart.indicator_missing"]}
    assert consultant.notice == FR["action_plan.saved_draft"].format(count=1)
    assert consultant.form_milestones[0]["id"]  # saved: the next save updates the same milestone
    assert consultant.actions[0]["complete"] is False
    _run(S.set_field, consultant, "indicator", FULL["indicator"])
    _run(S.save, consultant)
    assert (consultant.editor_open, consultant.saved_message) == (False, FR["action_plan.saved_complete"])
    assert consultant.actions[0]["complete"] is True and len(consultant.actions) == 1

    beneficiary = _page_state(world, "beneficiary_a", routes.PLAN)
    _run(S.load, beneficiary)
    assert (beneficiary.plan_status, beneficiary.plan_follower) == ("ready", False)
    milestone = beneficiary.action_milestones[0][0]
    _run(S.toggle_milestone, beneficiary, milestone["id"], True)
    assert beneficiary.action_milestones[0][0]["done"] is True
    assert beneficiary.saved_message == FR["action_plan.milestone_checked"]
    _run(S.change_status, beneficiary, beneficiary.actions[0]["id"], "en_cours")
    assert beneficiary.actions[0]["status_label"] == "En cours"
    assert [row["role"] for row in beneficiary.history[:2]] == ["bénéficiaire", "bénéficiaire"]
    _run(S.open_edit, beneficiary, beneficiary.actions[0]["id"])
    assert beneficiary.form["title"] == FULL["title"] and beneficiary.form_gaps == {}
    _run(S.add_suggestion, beneficiary, beneficiary.suggestions[0]["key"])
    assert [row["complete"] for row in beneficiary.actions] == [True, False]

    # Another organisation's consultant: the page refuses, like a missing bilan, and shows nothing.
    other = _page_state(world, "consultant_b", routes.bilan_plan(str(bilan_id)))
    _run(S.load, other)
    assert (other.denied_route, other.authorized_route, other.actions) == (routes.BILAN_PLAN, "", [])
