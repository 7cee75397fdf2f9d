"""services.demo and the CLI: the demo organisation is seeded only in demo mode, idempotently."""

import pytest
from sqlmodel import col, func, select

from bilan_app.cli import main
from services import auth
from services.bilans import CLOSED_STATUSES
from services.db import session_scope
from services.demo import DEMO_PASSWORD, DEMO_SIRET, DemoModeRequired, database_is_empty, seed_demo
from services.models import (
    Bilan,
    BilanStatus,
    BilanTarget,
    Document,
    Membership,
    Organisation,
    PlanAction,
    PlanMilestone,
    Role,
    SavedOffer,
    SyntheseVersion,
    User,
)
from services.synthese import uploaded


def counts():
    with session_scope() as session:
        roles = session.exec(select(Membership.role, func.count()).group_by(Membership.role)).all()
        return {
            "organisations": session.exec(select(func.count()).select_from(Organisation)).one(),
            "users": session.exec(select(func.count()).select_from(User)).one(),
            "operators": session.exec(
                select(func.count()).select_from(User).where(User.is_platform_admin == True)  # noqa: E712
            ).one(),
            "roles": {str(role): n for role, n in roles},
        }


def bilan_statuses():
    with session_scope() as session:
        return sorted(str(status) for status in session.exec(select(Bilan.status)).all())


def content_counts():
    """The project work written by the demo: targets, offers, plan, synthèse versions and documents."""
    with session_scope() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (BilanTarget, SavedOffer, PlanAction, PlanMilestone, SyntheseVersion, Document)
        }


def demo_actor(email_local: str):
    result = auth.login(
        {"email": f"{email_local}@demo.bilancompetence.ai", "password": DEMO_PASSWORD}, auth.ClientInfo()
    )
    return auth.resolve_session(result.token).actor


def open_bilan_of(email_local: str) -> Bilan:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == f"{email_local}@demo.bilancompetence.ai")).one()
        return session.exec(
            select(Bilan).where(Bilan.beneficiary_id == user.id, col(Bilan.status).not_in(CLOSED_STATUSES))
        ).one()


EXPECTED = {
    "organisations": 1,
    "users": 9,
    "operators": 1,
    "roles": {"org_admin": 1, "consultant": 2, "beneficiary": 5},
}


def test_seed_refuses_outside_demo_mode():
    with pytest.raises(DemoModeRequired):
        seed_demo()
    assert database_is_empty()
    assert counts()["users"] == 0


def test_seed_is_idempotent(set_env):
    set_env(APP_ENV="demo")
    assert database_is_empty()
    logins = seed_demo()
    assert counts() == EXPECTED
    assert not database_is_empty()
    assert [login.role for login in logins] == [
        Role.PLATFORM_ADMIN,
        Role.ORG_ADMIN,
        Role.CONSULTANT,
        Role.CONSULTANT,
        Role.BENEFICIARY,
        Role.BENEFICIARY,
        Role.BENEFICIARY,
        Role.BENEFICIARY,
        Role.BENEFICIARY,
    ]
    statuses_before, content_before = bilan_statuses(), content_counts()
    again = seed_demo()
    assert bilan_statuses() == statuses_before
    assert content_counts() == content_before
    assert content_before["PlanAction"] == 5 and content_before["SyntheseVersion"] == 2
    assert counts() == EXPECTED
    assert again == logins
    with session_scope() as session:
        organisation = session.exec(select(Organisation)).one()
    assert organisation.siret == DEMO_SIRET
    assert organisation.slug == "organisme-demo"


def test_demo_accounts_can_log_in(set_env):
    set_env(APP_ENV="demo")
    logins = seed_demo()
    admin = next(login for login in logins if login.role is Role.ORG_ADMIN)
    result = auth.login({"email": admin.email, "password": DEMO_PASSWORD}, auth.ClientInfo(ip="127.0.0.1"))
    info = auth.resolve_session(result.token)
    assert info.actor.role is Role.ORG_ADMIN
    assert info.organisation_name == "Organisme Démo"


def test_force_seeds_outside_demo_mode():
    seed_demo(force=True)
    assert counts() == EXPECTED


def test_cli_seed_demo_exits_2_outside_demo_mode(capsys):
    assert main(["seed-demo"]) == 2
    assert "Refusé" in capsys.readouterr().err
    assert database_is_empty()


def test_cli_seed_demo_in_demo_mode_and_with_force(set_env, capsys):
    assert main(["seed-demo", "--force"]) == 0
    assert counts() == EXPECTED
    set_env(APP_ENV="demo")
    assert main(["seed-demo"]) == 0
    assert counts() == EXPECTED
    out = capsys.readouterr().out
    assert "admin@demo.bilancompetence.ai" in out
    assert DEMO_PASSWORD in out


def test_cli_create_platform_admin(capsys):
    assert main(["create-platform-admin", "ops@exemple.fr", "--password", "court"]) == 2
    assert "12 caractères" in capsys.readouterr().err
    assert main(["create-platform-admin", "ops@exemple.fr", "--password", "Phare-Breton-Granit-19"]) == 0
    assert main(["create-platform-admin", "OPS@exemple.fr", "--password", "Phare-Breton-Granit-19"]) == 2
    assert "existe déjà" in capsys.readouterr().err
    result = auth.login({"email": "ops@exemple.fr", "password": "Phare-Breton-Granit-19"}, auth.ClientInfo())
    assert auth.resolve_session(result.token).actor.role is Role.PLATFORM_ADMIN


def test_cli_create_platform_admin_refuses_a_bad_address_with_a_message(capsys):
    assert main(["create-platform-admin", "pas-une-adresse", "--password", "Phare-Breton-Granit-19"]) == 2
    assert "Adresse e-mail non valide" in capsys.readouterr().err


def test_demo_has_a_bilan_at_every_status_with_real_content(set_env):
    """Every screen shows real content: each status exists, with sessions, signatures and documents."""
    from services import bilans, conventions
    from services.models import BilanSession, Convention, ConventionStatus, Document

    set_env(APP_ENV="demo")
    seed_demo()
    assert set(bilan_statuses()) == {str(status) for status in BilanStatus}
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(BilanSession)).one() >= 10
        statuses = set(session.exec(select(Convention.status)).all())
        assert {ConventionStatus.SIGNED, ConventionStatus.AWAITING_SIGNATURES} <= statuses
        assert session.exec(select(func.count()).select_from(Document)).one() >= 6
    claire = auth.login(
        {"email": "claire.martin@demo.bilancompetence.ai", "password": DEMO_PASSWORD}, auth.ClientInfo()
    )
    actor = auth.resolve_session(claire.token).actor
    rows = bilans.list_bilans(actor)
    assert {row.status for row in rows} >= {"demande", "investigation", "conclusion"}
    lea_row = next(row for row in rows if row.beneficiary_name == "Léa Dubois")
    assert lea_row.completed_minutes == 360
    assert lea_row.next_session_at is not None
    view = conventions.get_convention_view(actor, lea_row.id)
    assert view is not None and view.status == ConventionStatus.SIGNED


def test_demo_lea_in_investigation_has_targets_an_example_offer_and_a_draft_plan(set_env):
    from services import action_plan, job_search, recommendations

    set_env(APP_ENV="demo")
    seed_demo()
    claire, lea = demo_actor("claire.martin"), demo_actor("lea.dubois")
    bilan = open_bilan_of("lea.dubois")
    assert bilan.status == BilanStatus.INVESTIGATION
    targets = recommendations.kept_targets(lea, bilan.id, with_training=False)
    assert [target.code_rome for target in targets] == ["J9201", "M9202"]  # the engine's first two
    assert all(target.details["raisons"] and target.details["competences_a_acquerir"] for target in targets)
    [offer] = job_search.saved_offers(lea, bilan.id)
    # An example, never a real France Travail offer id (3 digits and 4 characters, e.g. 123ABCD).
    assert offer.snapshot.offer_id.startswith("DEMO") and len(offer.snapshot.offer_id) != 7
    assert "exemple" in offer.snapshot.title and offer.snapshot.code_rome == "J9201"
    plan = action_plan.get_plan(claire, bilan.id)
    assert plan.editable and len(plan.actions) == 2 and plan.complete_count == 1
    survey, draft = plan.actions
    assert survey.complete and survey.link == f"target:{targets[0].id}" and len(survey.milestones) == 1
    assert [gap.part for gap in draft.missing] == ["mesurable"]  # shown "À compléter"
    history = action_plan.plan_history(claire, bilan.id)
    assert {row.by_consultant for row in history} == {True, False}  # written together


def test_demo_nadia_in_conclusion_has_her_synthese_validated_and_handed_over(set_env):
    from services import action_plan, recommendations, synthese
    from services.models import RetentionOption, SyntheseOrigin, SyntheseStatus
    from services.synthese import REQUIRED_SECTIONS, handover, is_missing

    set_env(APP_ENV="demo")
    seed_demo()
    claire, nadia = demo_actor("claire.martin"), demo_actor("nadia.haddad")
    bilan = open_bilan_of("nadia.haddad")
    assert bilan.status == BilanStatus.CONCLUSION
    assert [t.code_rome for t in recommendations.kept_targets(claire, bilan.id, with_training=False)] == [
        "J9102",
        "M9202",
    ]
    plan = action_plan.get_plan(nadia, bilan.id)
    assert len(plan.actions) == plan.complete_count == 3
    assert all(action.milestones for action in plan.actions)
    assert sum(milestone.done for action in plan.actions for milestone in action.milestones) == 1

    # The local engine's draft, then Claire's version with her training section, validated.
    generated, edited = sorted(synthese.list_versions(claire, bilan.id), key=lambda version: version.number)
    assert (generated.origin, generated.status) == (SyntheseOrigin.LOCAL, SyntheseStatus.DRAFT)
    assert (edited.origin, edited.status, edited.based_on) == (SyntheseOrigin.CONSULTANT, SyntheseStatus.VALIDATED, 1)
    diff = {section.key for section in synthese.diff_versions(claire, bilan.id, 1, 2) if section.changed}
    assert diff == {"formations", "observations"}
    content = synthese.get_version(nadia, bilan.id, 2)
    assert not any(is_missing(content.sections[key]) for key in REQUIRED_SECTIONS)
    assert "IFSI" in content.sections["formations"] and "IFSI" in content.sections["etapes"]
    assert content.sections["observations"].startswith("Je me reconnais")

    # Handed over as the generated PDF; her retention choice recorded.
    status = handover.handover_status(claire, bilan.id)
    assert status.handed_over_at is not None
    assert status.retention.option == RetentionOption.KEEP_ONE_YEAR
    filename, pdf = uploaded.read_synthese(nadia, bilan.id)
    assert filename == "synthese-v2.pdf" and pdf.startswith(b"%PDF")
    assert handover.synthese_link(nadia, bilan.id).path.startswith("/api/syntheses/")
    # Phase dates follow the sessions held (the PDF shows the period).
    assert bilan.preliminaire_started_at < bilan.investigation_started_at < bilan.conclusion_started_at


def test_demo_marc_in_follow_up_keeps_his_uploaded_synthese(set_env):

    set_env(APP_ENV="demo")
    seed_demo()
    bilan = open_bilan_of("marc.petit")
    assert bilan.status == BilanStatus.SUIVI and bilan.synthese_handed_over_at is not None
    filename, pdf = uploaded.read_synthese(demo_actor("marc.petit"), bilan.id)
    assert filename == "synthese-marc-petit.pdf" and pdf.startswith(b"%PDF")
