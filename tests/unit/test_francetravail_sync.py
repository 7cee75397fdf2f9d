"""`python -m bilan_app sync-rome`: the installed référentiel refreshed from the (fake) ROME 4.0 APIs."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bilan_app.cli import main
from services.db import get_engine
from services.francetravail import FranceTravailClient
from services.francetravail.cache import MemoryCache
from services.francetravail.sync import RomeSyncError, sync_rome
from services.i18n import translate
from services.models import RomeAppellation, RomeMetier, RomeTexte, RomeVersion
from services.rome.importer import import_rome
from services.rome.search import search_metiers
from tests.francetravail_fake import CLIENT_ID, CLIENT_SECRET, FakeFranceTravail, running
from tests.unit.test_rome_import import write_export


@pytest.fixture(scope="module")
def fake_server():
    with running(FakeFranceTravail()) as server:
        yield server


@pytest.fixture
def fake(fake_server, set_env):
    fake_server.reset()
    set_env(**fake_server.env())
    yield fake_server
    fake_server.reset()


@pytest.fixture
def referentiel(tmp_path):
    """The synthetic export of test_rome_import (K9901, K9902, M9903), installed."""
    import_rome(write_export(tmp_path / "export"))


def snapshot() -> dict[str, list[tuple]]:
    with get_engine().connect() as conn:
        return {
            model.__tablename__: sorted(tuple(row) for row in conn.execute(select(model.__table__)))
            for model in (RomeMetier, RomeAppellation, RomeTexte)
        }


def texts(code: str, kind: str) -> list[str]:
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(RomeTexte.texte)
            .where(RomeTexte.code_rome == code, RomeTexte.kind == kind)
            .order_by(RomeTexte.position)
        )
        return [row[0] for row in rows]


def metier(code: str) -> RomeMetier:
    with get_engine().connect() as conn:
        return conn.execute(select(RomeMetier.__table__).where(RomeMetier.code_rome == code)).one()


def appellation(code_ogr: str):
    with get_engine().connect() as conn:
        return conn.execute(select(RomeAppellation.__table__).where(RomeAppellation.code_ogr == code_ogr)).one_or_none()


def test_sync_rome_updates_the_installed_referentiel(fake, referentiel, capsys):
    assert texts("K9901", "definition") == ["Veille sur un phare imaginaire.", "Entretient les feux et les optiques."]
    assert (metier("K9901").riasec_majeur, metier("K9901").riasec_mineur) == ("R", "C")
    assert search_metiers("sémaphore") == []

    assert main(["sync-rome"]) == 0

    out = capsys.readouterr().out
    assert translate("francetravail.sync.title", version="901") in out
    assert "Métiers absents des API" in out and "M9903" in out
    # K9901 (flat layout): RIASEC, texts, appellations
    assert (metier("K9901").riasec_majeur, metier("K9901").riasec_mineur) == ("R", "S")
    assert texts("K9901", "definition") == [
        "Veille sur un phare imaginaire.",
        "Entretient les feux, les optiques et la lanterne.",
    ]
    assert texts("K9901", "acces_metier") == ["Accessible avec une vue d'aigle.", "Un permis bateau est apprécié."]
    added = appellation("700099")
    assert (added.code_rome, added.libelle, added.principale) == ("K9901", "Gardien / Gardienne de sémaphore", False)
    assert appellation("700002").libelle == "Veilleur / Veilleuse de lanterne maritime"
    assert appellation("700002").libelle_norm == "veilleur veilleuse de lanterne maritime"
    assert appellation("700001").principale is True  # no classification in the fiche: kept
    # K9902 (nested layout): RIASEC and definition; no access text in the API → nothing deleted
    assert (metier("K9902").riasec_majeur, metier("K9902").riasec_mineur) == ("A", "R")
    assert texts("K9902", "definition") == ["Fabrique des cerfs-volants.", "Teste leur vol sur la plage."]
    assert appellation("700003").libelle_court == "Fabricant / Fabricante de cerfs-volants"  # empty in the API: kept
    # M9903 unknown to the API: untouched
    assert texts("M9903", "definition") == []
    assert metier("M9903").riasec_majeur == "I"
    # the search index sees the new appellation, and the version row counts it
    assert [hit.code_rome for hit in search_metiers("sémaphore")] == ["K9901"]
    with get_engine().connect() as conn:
        assert conn.execute(select(RomeVersion.appellations)).scalar_one() == 8


def test_sync_rome_summary(fake, referentiel):
    with FranceTravailClient.from_settings(cache=MemoryCache()) as client:
        summary = sync_rome(client)
        again = sync_rome(client)  # idempotent: nothing left to change
    assert summary.to_dict() | {"duration_s": 0} == {
        "version": "901",
        "metiers": 2,
        "metiers_changed": 2,
        "riasec_changed": 2,
        "textes": 6,
        "appellations_added": 1,
        "appellations_updated": 2,  # 700001 (short label), 700002 (label and short label)
        "missing": ["M9903"],
        "duration_s": 0,
    }
    assert fake.hits_for("/fiche-metier/") == 4  # K9901 and K9902 cached, M9903 (404) asked twice
    assert fake.token_requests == 1
    assert (again.metiers_changed, again.appellations_added, again.appellations_updated) == (0, 0, 0)


def test_sync_rome_of_some_codes_only(fake, referentiel, capsys):
    assert main(["sync-rome", "K9902", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["metiers"] == 1 and summary["missing"] == []
    assert fake.hits_for("/fiche-metier/") == 1
    assert metier("K9901").riasec_mineur == "C"  # not asked for


def test_sync_rome_is_all_or_nothing(fake, referentiel, capsys):
    before = snapshot()
    fake.fail("/fiche-metier/K9902", 500, times=10)  # K9901 answers, then K9902 fails for good

    assert main(["sync-rome"]) == 1

    err = capsys.readouterr().err
    assert "Mise à jour refusée, le référentiel installé est inchangé" in err
    assert translate("francetravail.error.unavailable") in err
    assert fake.hits_for("/fiche-metier/K9901") == 1
    assert fake.hits_for("/fiche-metier/K9902") == 3  # FRANCE_TRAVAIL_MAX_ATTEMPTS=3
    assert snapshot() == before


def test_sync_rome_without_credentials_says_so_in_french(set_env, referentiel, capsys):
    set_env(FRANCE_TRAVAIL_CLIENT_ID=None, FRANCE_TRAVAIL_CLIENT_SECRET=None)
    before = snapshot()

    assert main(["sync-rome"]) == 2

    err = capsys.readouterr().err
    assert "Le service France Travail n'est pas configuré" in err
    assert "FRANCE_TRAVAIL_CLIENT_ID" in err
    assert snapshot() == before


def test_sync_rome_without_referentiel(fake, capsys):
    assert main(["sync-rome"]) == 2
    assert "Aucun référentiel ROME n'est installé" in capsys.readouterr().err
    with (
        FranceTravailClient(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_url=fake.token_url, api_url=fake.api_url
        ) as client,
        pytest.raises(RomeSyncError),
    ):
        sync_rome(client)
    assert fake.hits_for("/") == 0
