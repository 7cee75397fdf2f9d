"""services.display.referentiel: the rows of the référentiel screens, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from services.display.referentiel import (
    count_rows,
    hit_rows,
    installed_referentiel_row,
    metier_detail_row,
    skill_rows,
)
from services.rome.demo import DEMO_VERSION
from services.rome.importer import ImportSummary
from services.rome.metiers import MetierDetail, MobiliteLink, Skill, WorkContext
from services.rome.search import SearchHit
from services.rome.upload import InstalledReferentiel


def _skill(libelle: str, core: bool) -> Skill:
    return Skill("1", libelle, "savoir_faire", core, "Principale" if core else "", "", "")  # type: ignore[arg-type]


def test_installed_row_flags_the_demo_with_a_bool_and_counts_per_locale():
    installed = InstalledReferentiel(
        DEMO_VERSION, datetime(2026, 3, 12, 13, 5, tzinfo=UTC), "demo", 10, 1234, 5, 6, 7, 8, 9, 10, 11, 12
    )
    row = installed_referentiel_row(installed, "en")
    assert row["demo"] is True and row["version"] == DEMO_VERSION and row["date"].startswith("12 Mar 2026")
    counts = {row["key"]: row["value"] for row in count_rows(installed, "fr")}
    assert counts["rome.count.metiers"].replace("\u202f", " ") == "1 234"
    assert count_rows(ImportSummary("v2", None, "zip", metiers=3), "en")[0] == {
        "key": "rome.count.metiers",
        "value": "3",
    }


def test_hits_and_skills():
    hits = hit_rows(
        [
            SearchHit("D9101", "Boulanger", "Boulangère", None, 1.0),
            SearchHit("D9102", "Pâtissier", "Pâtissier", None, 0.5),
        ]
    )
    assert [(hit["via"], hit["href"]) for hit in hits] == [
        ("Boulangère", "/referentiel/metiers/D9101"),
        ("", "/referentiel/metiers/D9102"),
    ]
    assert skill_rows([_skill("Pétrir", True), _skill("Vendre", False)]) == [
        {"libelle": "Pétrir", "core": True},
        {"libelle": "Vendre", "core": False},
    ]


def test_metier_detail_row_names_the_state_vars():
    detail = MetierDetail(
        code_rome="D9101",
        libelle="Boulanger",
        definition=["Fabrique du pain."],
        acces=[],
        riasec_majeur="R",
        riasec_mineur="",
        grand_domaine=("D", "Commerce"),
        domaine_professionnel=None,
        emploi_reglemente=True,
        emploi_cadre=False,
        transition_eco="",
        transition_num="",
        transition_demo="",
        savoir_faire=[_skill("Pétrir", True)],
        contextes=[WorkContext("2", "Travail de nuit", "Horaires")],
        mobilites=[MobiliteLink("D9102", "Pâtissier", 1)],
    )
    row = metier_detail_row(detail)
    assert row["regulated"] is True and row["domaine"] == "Commerce"
    assert row["riasec"] == [{"letter": "R", "rank": "major"}]
    assert row["savoir_faire"] == [{"libelle": "Pétrir", "core": True}] and row["savoirs"] == []
    assert row["mobilites"] == [{"code": "D9102", "libelle": "Pâtissier", "href": "/referentiel/metiers/D9102"}]
    assert row["contextes"] == [{"libelle": "Travail de nuit", "categorie": "Horaires"}]
