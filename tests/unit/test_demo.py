"""services.demo and the CLI: the demo organisation is seeded only in demo mode, idempotently."""

import pytest
from sqlmodel import func, select

from bilan_app.cli import main
from services import auth
from services.db import session_scope
from services.demo import DEMO_PASSWORD, DEMO_SIRET, DemoModeRequired, database_is_empty, seed_demo
from services.models import Bilan, BilanStatus, Membership, Organisation, Role, User


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
    statuses_before = bilan_statuses()
    again = seed_demo()
    assert bilan_statuses() == statuses_before
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
