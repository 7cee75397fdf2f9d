"""Training courses: the organisation's catalogue, the CPF open-data import, and the suggestions.

tests/fixtures/cpf_catalogue_sample.csv is a small file written by hand in the format of the Caisse des
Dépôts export (``moncompteformation_catalogueformation``: ``;`` separators, one row per course and
département, decimal commas); every course, provider and code in it is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound
from services.models import AuditEvent, TrainingCourse
from services.rome.importer import import_rome
from services.training import catalogue, suggest
from services.training.cpf_import import CpfImportError, import_cpf_catalogue
from tests.unit.test_rome_import import write_export

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "cpf_catalogue_sample.csv"
OWN_COURSE = {
    "title": "Gardiennage de phare : veille de nuit",
    "provider": "Organisme A",
    "rome_codes": "k9901",
    "formacodes": "12345",
    "hours": "35",
    "price_euros": "",
    "mode": "presentiel",
    "departement": "69",
}


def test_the_cpf_sample_imports_one_course_per_number_and_departement():
    summary = import_cpf_catalogue(SAMPLE)
    assert (summary.courses, summary.skipped, summary.distance) == (6, 1, 2)  # FIC-0004 has no title
    with session_scope() as session:
        rows = {row.external_id: row for row in session.exec(select(TrainingCourse)).all()}
    boulanger = rows["FIC-0001-69"]
    assert (boulanger.certification_code, boulanger.formacodes, boulanger.hours, boulanger.mode.value) == (
        "RNCP99901",
        "21528",
        800.0,
        "presentiel",
    )
    relation = rows["FIC-0002-69"]
    assert (relation.certification_code, relation.price_euros, relation.mode.value) == ("RS9901", 990.5, "distance")
    assert rows["FIC-0003-2A"].mode.value == "mixte"
    assert rows["FIC-0003-2A"].organisation_id is None
    # Importing again replaces the catalogue (no duplicates).
    assert import_cpf_catalogue(SAMPLE).courses == 6
    assert catalogue.cpf_course_count() == 6


def test_a_file_without_a_required_column_is_refused_and_changes_nothing(tmp_path):
    import_cpf_catalogue(SAMPLE)
    broken = tmp_path / "catalogue.csv"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace("code_departement", "departement"), encoding="utf-8")
    with pytest.raises(CpfImportError) as caught:
        import_cpf_catalogue(broken)
    assert caught.value.code == "training.import.missing_column"
    assert caught.value.params == {"file": "catalogue.csv", "column": "code_departement"}
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(CpfImportError) as caught:
        import_cpf_catalogue(latin)
    assert caught.value.code == "training.import.encoding"
    assert catalogue.cpf_course_count() == 6


def test_the_organisation_manages_its_own_catalogue(world):
    course_id = catalogue.create_course(world.admin_a, OWN_COURSE)
    [course] = catalogue.list_courses(world.consultant_a)
    assert (course.rome_codes, course.hours, course.price_euros) == ("K9901", 35.0, None)
    catalogue.update_course(world.admin_a, course_id, {**OWN_COURSE, "hours": "70"})
    catalogue.set_course_active(world.admin_a, course_id, False)
    assert catalogue.list_courses(world.admin_a) == []
    assert len(catalogue.list_courses(world.admin_a, include_inactive=True)) == 1
    with session_scope() as session:
        actions = [event.action for event in session.exec(select(AuditEvent)).all() if "training" in event.action]
    assert actions == ["training.created", "training.updated", "training.deactivated"]
    with pytest.raises(FormError) as caught:
        catalogue.create_course(world.admin_a, {**OWN_COURSE, "rome_codes": "boulanger"})
    assert caught.value.fields == {"rome_codes": "error.codes_invalid"}
    with pytest.raises(AccessDenied):
        catalogue.create_course(world.consultant_a, OWN_COURSE)
    assert catalogue.list_courses(world.admin_b, include_inactive=True) == []
    with pytest.raises(NotFound):
        catalogue.update_course(world.admin_b, course_id, OWN_COURSE)


def test_suggestions_match_rome_words_place_and_mode(world, tmp_path):
    import_rome(write_export(tmp_path / "export"))
    import_cpf_catalogue(SAMPLE)
    catalogue.create_course(world.admin_a, OWN_COURSE)
    # The own course prepares for K9901: first, with its reasons; the other organisation never sees it.
    [first, *_] = suggest.suggest_courses(world.consultant_a, "K9901", ["Allumer la lanterne"], commune="69123")
    assert first.course.title == OWN_COURSE["title"]
    assert "Prépare au métier visé" in first.reasons and "Au catalogue de votre organisme" in first.reasons
    assert all(s.course.title != OWN_COURSE["title"] for s in suggest.suggest_courses(world.consultant_b, "K9901"))
    # Words of the gap: the customer-relation course, at a distance, is found from anywhere.
    found = suggest.suggest_courses(world.consultant_a, "", ["Accueillir une clientèle"], commune="13055")
    assert [s.course.external_id for s in found] == ["FIC-0002-69"]
    assert "Sessions à distance" in found[0].reasons
    # Place: a Rhône beneficiary gets the Rhône comptable course? No: it is in the Bouches-du-Rhône and
    # Corse (mixed sessions): only the course with distance sessions is kept.
    comptable = suggest.suggest_courses(world.consultant_a, "", ["Tenir la comptabilité"], commune="69123")
    assert [s.course.external_id for s in comptable] == ["FIC-0003-2A"]
    local = suggest.suggest_courses(world.consultant_a, "", ["Tenir la comptabilité"], commune="13055")
    assert local[0].course.external_id == "FIC-0003-13"
    assert "Dans votre département (13)" in local[0].reasons
    # Formacodes known for the métier.
    by_code = suggest.suggest_courses(world.consultant_a, "", [], formacodes=["43436"], commune="69123")
    assert [s.course.external_id for s in by_code] == ["FIC-0005-69"]
    # Distance only.
    remote = suggest.suggest_courses(world.consultant_a, "", ["clientèle", "comptabilité"], distance_only=True)
    assert {s.course.external_id for s in remote} == {"FIC-0002-69", "FIC-0003-2A"}
    with pytest.raises(AccessDenied):
        suggest.suggest_courses(world.platform, "K9901")


def test_departement_of_a_commune():
    assert [suggest.departement_of(code) for code in ("69123", "97411", "2A004", "", "123")] == [
        "69",
        "974",
        "2A",
        "",
        "",
    ]


def test_cli_import_cpf(capsys, tmp_path):
    from bilan_app.cli import main

    assert main(["import-cpf", str(SAMPLE), "--json"]) == 0
    assert '"courses": 6' in capsys.readouterr().out
    assert main(["import-cpf", str(SAMPLE)]) == 0
    assert "Catalogue CPF installé : 6 formations (2 avec des sessions à distance)" in capsys.readouterr().out
    empty = tmp_path / "vide.csv"
    empty.write_text("a;b\n1;2\n", encoding="utf-8")
    assert main(["import-cpf", str(empty)]) == 2
    assert "Import refusé : Le fichier vide.csv n'a pas la colonne « numero_formation »" in capsys.readouterr().err
