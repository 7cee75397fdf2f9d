"""The convention suite re-run on PostgreSQL (row locks, the deferred commit of failed attempts, tenancy).

The unit module is loaded here and a representative subset of its tests collected again; the
``integration`` mark makes the shared ``database`` fixture hand them a PostgreSQL database.
"""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

_SPEC = importlib.util.spec_from_file_location(
    "pg_reused_test_conventions", Path(__file__).resolve().parent.parent / "unit" / "test_conventions.py"
)
_unit = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_unit)

# The unit module's autouse fixture (encrypted files in the test's own directory).
_storage = _unit._storage

REUSED = (
    "test_issue_bipartite_cpf_convention",
    "test_issue_tripartite_convention_has_the_r6313_8_mentions",
    "test_issue_refusals",
    "test_bipartite_signing_end_to_end",
    "test_code_locks_after_five_wrong_attempts",
    "test_wrong_parties_cannot_sign",
    "test_employer_signs_through_its_link",
    "test_overdue_tripartite_convention_expires",
    "test_signing_after_the_deadline_lapses_the_convention",
    "test_cancel_convention",
    "test_verify_pdf",
    "test_another_organisation_gets_not_found_everywhere",
)

for _name in REUSED:
    globals()[_name] = getattr(_unit, _name)
