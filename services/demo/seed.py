"""``seed_demo``: the demo organisation, its people, the demo référentiel, then its bilans and their work,
one area after the other (``people``, ``bilans``, ``skills``, ``projects``: none imports another)."""

from __future__ import annotations

from sqlmodel import select

from services.db import session_scope
from services.demo.common import DEMO_SIRET, DemoLogin
from services.demo.people import seed_people
from services.models import Bilan, Organisation
from services.settings import get_settings


class DemoModeRequired(RuntimeError):
    pass


def seed_demo(*, force: bool = False) -> list[DemoLogin]:
    """Create the demo organisation and its people (the seed-demo command, in demo mode unless ``force``).
    Idempotent: existing rows are left as they are."""
    if get_settings().app_env != "demo" and not force:
        raise DemoModeRequired("seed-demo only runs in demo mode (APP_ENV=demo); pass --force to override")
    logins = seed_people()
    # Imported here: the seeding goes through every service and WeasyPrint (seconds of imports), which
    # the package's constants (the CLI's logins, the benchmarks) do not need.
    from services.demo.bilans import seed_demo_bilans
    from services.demo.projects import seed_demo_projects
    from services.demo.skills import seed_demo_skills
    from services.rome.demo import demo_is_installed, install_demo_if_empty

    install_demo_if_empty()  # the hand-written demo référentiel, unless one (demo or real) is installed
    if not _has_bilans():
        cast = seed_demo_bilans()
        if demo_is_installed():  # the skills and targets use the demo référentiel's codes
            seed_demo_skills(cast.lea, cast.lea_bilan, cast.nadia, cast.nadia_bilan, cast.claire)
            seed_demo_projects(cast.lea, cast.lea_bilan, cast.nadia, cast.nadia_bilan, cast.claire)
    return logins


def _has_bilans() -> bool:
    with session_scope() as session:
        organisation = session.exec(select(Organisation).where(Organisation.siret == DEMO_SIRET)).first()
        return (
            organisation is not None
            and session.exec(select(Bilan.id).where(Bilan.organisation_id == organisation.id)).first() is not None
        )


def database_is_empty() -> bool:
    """No organisation yet (the CLI's ``prepare``, before seeding the demo)."""
    with session_scope() as session:
        return session.exec(select(Organisation.id)).first() is None
