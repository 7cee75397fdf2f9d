"""The tenancy, auth, members, audit, mail, demo, bilans and action-plan suites, re-run on PostgreSQL.

The unit modules are loaded here and their tests collected again; the ``integration`` mark makes
the shared ``database`` fixture hand them a PostgreSQL database instead of a SQLite file.
"""

import importlib.util
from pathlib import Path

import pytest

# Documents written by the reused suites (the bilans' synthèses) go under each test's tmp_path.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("isolated_storage")]

UNIT = Path(__file__).resolve().parent.parent / "unit"
REUSED = (
    "test_tenancy",
    "test_auth",
    "test_members",
    "test_audit",
    "test_mail",
    "test_demo",
    "test_bilans",
    "test_action_plan",  # its links to targets, courses and offers rely on the foreign keys
)
# The role matrix (376 cases) checks the policy, whose answers do not depend on the database engine; it
# runs on SQLite only, while the cases that depend on the queries (ids of another organisation,
# listings, writes) run here too.
NOT_REUSED = {("test_tenancy", "test_role_checks")}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"pg_reused_{name}", UNIT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


for _name in REUSED:
    _module = _load(_name)
    for _attr, _value in vars(_module).items():
        if _attr.startswith("test_") and callable(_value) and (_name, _attr) not in NOT_REUSED:
            _qualified = f"{_name.removeprefix('test_')}__{_attr.removeprefix('test_')}"
            globals()[f"test_{_qualified}"] = _value
del _name, _module, _attr, _value, _qualified


def test_the_reused_suites_really_run_on_postgresql(database):
    from services.db import get_engine

    assert database.backend == "postgresql"
    assert get_engine().dialect.name == "postgresql"
