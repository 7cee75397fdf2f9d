"""The ROME référentiel on PostgreSQL: the real 4.60 export imported, re-imported, searched, and refusals.

Helpers come from the unit modules (synthetic exports in the official format, invented data).
"""

import importlib.util
import random
from pathlib import Path

import pytest
from sqlalchemy import text

from services.db import get_engine
from services.rome import importer, search
from services.rome.importer import RomeImportError, import_rome
from services.rome.metiers import current_version, metier_detail
from services.rome.search import normalise, search_metiers

pytestmark = pytest.mark.integration

_UNIT = Path(__file__).resolve().parent.parent / "unit"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"pg_reused_{name}", _UNIT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_import_tests = _load("test_rome_import")
REAL_EXPORT = _import_tests.REAL_EXPORT
write_export, counts, readme_counts = _import_tests.write_export, _import_tests.counts, _import_tests.readme_counts


def _codes(query: str) -> list[str]:
    return [hit.code_rome for hit in search_metiers(query)]


def test_real_export_on_postgresql(database):
    if not REAL_EXPORT.is_dir():
        pytest.skip(f"the ROME 4.60 export is not at {REAL_EXPORT.resolve()} (shared data folder absent)")
    assert get_engine().dialect.name == "postgresql"
    summary = import_rome(REAL_EXPORT)
    expected = readme_counts()
    assert (summary.version, summary.metiers, summary.appellations, summary.liens, summary.mobilites) == (
        "460",
        expected["unix_referentiel_code_rome"],
        expected["unix_referentiel_appellation"],
        expected["unix_coherence_item"],
        expected["unix_rubrique_mobilite"],
    )

    # Search: queries taken from the data (accents stripped, one word mangled). Timings are measured
    # by benchmarks/rome.py, not asserted here.
    with get_engine().connect() as conn:
        rows = conn.execute(text("SELECT code_rome, libelle FROM rome_appellations ORDER BY code_ogr")).all()
    rng = random.Random(12)
    sample = rng.sample(rows, 30)
    search.invalidate_cache()
    assert _codes("warm up") is not None
    typo_misses = []
    for code_rome, label in sample:
        plain = normalise(label)
        words = plain.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        words[longest] = word[:2] + word[3:] if len(word) >= 6 else word
        for query, must in ((plain, True), (" ".join(words), False)):
            found = _codes(query)
            if must:
                assert code_rome in found, query
            elif code_rome not in found:
                typo_misses.append(query)
    assert len(typo_misses) <= 2, typo_misses

    with get_engine().connect() as conn:
        code = conn.execute(
            text(
                "SELECT code_rome FROM rome_mobilites GROUP BY code_rome HAVING count(*) > 3 ORDER BY code_rome LIMIT 1"
            )
        ).scalar_one()
    detail = metier_detail(code)
    assert detail is not None and detail.definition and len(detail.mobilites) > 3
    assert detail.savoir_faire and detail.riasec_majeur

    # Re-importing the same export replaces it in one transaction: same rows, one version row.
    before = counts()
    again = import_rome(REAL_EXPORT)
    assert again.previous_version == "460"
    assert counts() == before
    assert current_version().version == "460"


def test_refusal_and_failed_write_leave_postgresql_untouched(database, tmp_path, monkeypatch):
    import_rome(write_export(tmp_path / "good"))
    before = counts()
    broken = write_export(tmp_path / "broken", version="902")
    (broken / "unix_rubrique_mobilite_v902_utf8.csv").unlink()
    with pytest.raises(RomeImportError) as caught:
        import_rome(broken)
    assert "unix_rubrique_mobilite_v902_utf8.csv" in caught.value.message()
    assert counts() == before

    real_insert = importer.insert

    def failing_insert(table):
        if table.name == "rome_mobilites":
            raise RuntimeError("connection lost")
        return real_insert(table)

    monkeypatch.setattr(importer, "insert", failing_insert)
    with pytest.raises(RuntimeError):
        import_rome(write_export(tmp_path / "v903", version="903"))
    assert counts() == before
    assert current_version().version == "901"
    assert _codes("informaticein") == ["M9903"]
