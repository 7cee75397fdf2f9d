"""The hand-written demo référentiel (services/rome/demo_data): it imports through ``import_rome`` like the
official export, is complete enough for the product (texts, core skills, mobilities), is found by search,
and ``seed-demo`` installs it only when no référentiel is installed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.db import get_engine
from services.demo import seed_demo
from services.models import RomeMetier, RomeVersion
from services.rome.demo import (
    DEMO_DATA_DIR,
    DEMO_VERSION,
    demo_is_installed,
    install_demo_if_empty,
    is_demo_version,
    show_demo_notice,
)
from services.rome.importer import REQUIRED_COLUMNS, import_rome
from services.rome.metiers import current_version, metier_detail
from services.rome.search import search_metiers
from tests.unit.test_rome_import import HEADERS, write_export

OFFICIAL_EXPORT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "rome-v460"

# Codes other work (demo bilans, tests) relies on: keep them stable.
STABLE = {
    "D9101": "Boulanger / Boulangère",
    "J9101": "Aide-soignant / Aide-soignante",
    "M9101": "Comptable",
    "M9401": "Développeur web / Développeuse web",
}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    path = DEMO_DATA_DIR / f"unix_{name}_v{DEMO_VERSION}_utf8.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_the_files_have_the_official_names_and_headers():
    names = sorted(path.name for path in DEMO_DATA_DIR.glob("unix_*.csv"))
    assert names == sorted(f"unix_{name}_v{DEMO_VERSION}_utf8.csv" for name in REQUIRED_COLUMNS)
    for name in REQUIRED_COLUMNS:
        header, _ = _read(name)
        assert header == HEADERS[name], name  # the official header line, column for column
        raw = (DEMO_DATA_DIR / f"unix_{name}_v{DEMO_VERSION}_utf8.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw  # UTF-8 without BOM, LF, like the export


@pytest.mark.skipif(not OFFICIAL_EXPORT.is_dir(), reason="the official export is not available")
def test_headers_match_the_official_export():
    for name in REQUIRED_COLUMNS:
        with open(OFFICIAL_EXPORT / f"unix_{name}_v460_utf8.csv", encoding="utf-8", newline="") as handle:
            official = next(csv.reader(handle))  # the header line only
        assert _read(name)[0] == official, name


def test_the_demo_imports_through_import_rome():
    summary = import_rome(DEMO_DATA_DIR)
    assert summary.version == DEMO_VERSION == "000"
    assert summary.metiers == 30
    assert summary.appellations >= 60
    assert summary.competences > 50 and summary.savoirs >= 20 and summary.contextes >= 10
    assert summary.mobilites >= 30 and summary.centres_interet >= 5 and summary.domaines > 10
    assert demo_is_installed() and is_demo_version(current_version().version)  # type: ignore[union-attr]
    with get_engine().connect() as conn:
        labels = dict(conn.execute(select(RomeMetier.code_rome, RomeMetier.libelle)).all())
    assert {code: labels.get(code) for code in STABLE} == STABLE


def test_every_metier_is_complete():
    import_rome(DEMO_DATA_DIR)
    with get_engine().connect() as conn:
        codes = conn.execute(select(RomeMetier.code_rome)).scalars().all()
    assert len(codes) == 30
    for code in codes:
        detail = metier_detail(code)
        assert detail is not None
        assert 2 <= len(detail.definition) <= 4 and 2 <= len(detail.acces) <= 4, code
        skills = detail.savoir_faire + detail.savoir_etre + detail.savoirs
        assert 8 <= len(skills) <= 15, code
        assert any(skill.coeur_metier for skill in detail.savoir_faire), code
        assert detail.savoir_etre and detail.savoirs and detail.contextes, code
        # core skills first in each kind
        for group in (detail.savoir_faire, detail.savoir_etre, detail.savoirs):
            flags = [skill.coeur_metier for skill in group]
            assert flags == sorted(flags, reverse=True), code
        assert detail.riasec_majeur in "RIASEC" and detail.riasec_majeur, code
        assert detail.grand_domaine and detail.domaine_professionnel, code
        assert 2 <= len(detail.appellations) <= 4 and detail.appellations[0].principale, code
        assert detail.mobilites and all(link.code_rome in codes for link in detail.mobilites), code
        assert detail.centres_interet, code


def test_skills_are_shared_between_metiers():
    _, links = _read("coherence_item")
    per_item = Counter(row["code_ogr"] for row in links)
    assert per_item["9400001"] >= 5  # "Travailler en équipe"
    assert per_item["9300001"] >= 5  # "Accueillir et renseigner une clientèle"
    _, mobilites = _read("rubrique_mobilite")
    codes = {row["code_rome"] for row in _read("referentiel_code_rome")[1]}
    assert all(row["code_rome_cible"] in codes for row in mobilites)


@pytest.mark.parametrize("query", ["boulangere", "boulangère", "Boulangère", "boulanjère", "boulang"])
def test_search_finds_the_baker(query):
    import_rome(DEMO_DATA_DIR)
    hits = search_metiers(query)
    assert hits and hits[0].code_rome == "D9101", (query, hits[:3])


def test_search_finds_appellations():
    import_rome(DEMO_DATA_DIR)
    assert search_metiers("community manager")[0].code_rome == "E9102"
    assert search_metiers("aide soignante")[0].code_rome == "J9101"
    assert search_metiers("developpeuse")[0].code_rome == "M9401"


# ---------------------------------------------------------------- seed-demo


def _versions() -> list[str]:
    with get_engine().connect() as conn:
        return conn.execute(select(RomeVersion.version).order_by(RomeVersion.imported_at)).scalars().all()


def test_install_demo_if_empty_is_idempotent():
    assert install_demo_if_empty() is not None
    assert install_demo_if_empty() is None
    assert _versions() == [DEMO_VERSION]


def test_seed_demo_installs_the_demo_referentiel(set_env):
    set_env(APP_ENV="demo")
    assert current_version() is None
    seed_demo()
    assert demo_is_installed()
    seed_demo()  # idempotent: still one version, the demo
    assert _versions() == [DEMO_VERSION]
    with get_engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(RomeMetier)).scalar_one() == 30


def test_seed_demo_leaves_a_real_import_alone(set_env, tmp_path):
    set_env(APP_ENV="demo")
    import_rome(write_export(tmp_path / "export", version="901"))
    seed_demo()
    installed = current_version()
    assert installed is not None and installed.version == "901"
    assert not demo_is_installed()
    assert _versions() == ["901"]
    assert metier_detail("D9101") is None and metier_detail("K9901") is not None


def test_only_org_admins_and_the_operator_are_told_the_demo_is_installed(world, tmp_path):
    told = ("admin_a", "platform")
    assert not any(show_demo_notice(world.actor(key)) for key in told)  # nothing installed yet
    install_demo_if_empty()
    assert all(show_demo_notice(world.actor(key)) for key in told)
    assert not any(show_demo_notice(world.actor(key)) for key in ("consultant_a", "beneficiary_a"))
    assert not show_demo_notice(None)
    import_rome(write_export(tmp_path / "export", version="901"))  # a real export replaces the demo
    assert not any(show_demo_notice(world.actor(key)) for key in told)
