"""The demo référentiel: 30 métiers written by hand, in the official export format.

``demo_data/`` holds ``unix_*_v000_utf8.csv`` files with the official names, columns and quoting, so the
demo goes through the same ``import_rome`` as France Travail's export. Its version, ``000``, can never
be a real one (ROME 4.0 exports are numbered from 4xx), which is how the app recognises the demo and
shows admins the "import the full ROME" banner. Codes are invented and stable (see demo_data/README.md):
métiers ``<domaine>9<n>`` such as D9101, OGR codes of 7 digits starting with 91 (métiers), 92
(appellations), 93 (savoir-faire), 94 (savoir-être), 95 (savoirs) and 96 (work contexts).
"""

from __future__ import annotations

from pathlib import Path

from services.access import Actor, Permission, can
from services.rome.importer import ImportSummary, import_rome
from services.rome.metiers import current_version

DEMO_VERSION = "000"
DEMO_DATA_DIR = Path(__file__).resolve().parent / "demo_data"


def is_demo_version(version: str | None) -> bool:
    return version == DEMO_VERSION


def demo_is_installed() -> bool:
    """True when the installed référentiel (the last imported version) is the demo one."""
    installed = current_version()
    return installed is not None and is_demo_version(installed.version)


def show_demo_notice(actor: Actor | None) -> bool:
    """Whether to tell this person that the installed référentiel is the demo one (any caller, even
    anonymous: True only for ``Permission.SEE_DEMO_REFERENTIEL_NOTICE`` while the demo is installed)."""
    return actor is not None and can(actor, Permission.SEE_DEMO_REFERENTIEL_NOTICE) and demo_is_installed()


def install_demo_if_empty() -> ImportSummary | None:
    """Import the demo référentiel when none is installed; never replaces an installed one (idempotent)."""
    if current_version() is not None:
        return None
    return import_rome(DEMO_DATA_DIR)
