"""services.rome.importer: the official export (folder or zip) in, validated, in one transaction.

Synthetic exports are written by the tests themselves (official file names and headers, invented
codes and labels). The real ROME 4.60 export is read in place at ../shared/data/rome-v460 and imported
once per session into a template database (``real_rome_url``); those tests skip if it is absent.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bilan_app.cli import main
from services.db import _engine_for, get_engine
from services.models import (
    RomeAppellation,
    RomeItem,
    RomeItemKind,
    RomeMetier,
    RomeMetierItem,
    RomeMobilite,
    RomeTexte,
    RomeVersion,
)
from services.rome import importer
from services.rome.importer import RomeImportError, import_rome
from services.rome.metiers import current_version

REAL_EXPORT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "rome-v460"

# ---------------------------------------------------------------- a synthetic export (invented data)

HEADERS: dict[str, list[str]] = {
    "referentiel_code_rome": [
        "code_rome",
        "code_fiche_metier",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent",
    ],
    "referentiel_appellation": [
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "classification",
        "origine",
        "code_rome_parent",
        "peu_usite",
    ],
    "referentiel_competence": [
        "code_ogr",
        "nature",
        "libelle_competence",
        "definition",
        "code_ogr_macro_comp",
        "code_macro_comp",
        "cat_comp",
        "sous_cat_comp",
        "transition_eco",
        "transition_num",
        "libelle_heterogeneite",
        "libelle_origine",
    ],
    "referentiel_savoir": [
        "code_ogr_savoir",
        "libelle_savoir",
        "categorie_savoir",
        "sous_categorie_savoir",
        "transition_eco",
        "transition_num",
    ],
    "referentiel_contexte_travail": [
        "code_ogr",
        "libelle_cont_travail",
        "code_type_cont_trav",
        "libelle_type_cont_trav",
    ],
    "item": ["code_ogr", "libelle", "code_rubrique"],
    "coherence_item": ["code_rome", "code_ogr", "coeur_metier"],
    "texte": ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"],
    "rubrique_mobilite": ["code_rome", "code_rome_cible", "numero_ordre"],
    "referentiel_code_rome_riasec": ["code_rome", "riasec_majeur", "riasec_mineur"],
    "referentiel_macro_competence_riasec": ["code_ogr", "riasec_majeur", "riasec_mineur"],
    "grand_domaine": ["code_grand_domaine", "libelle_grand_domaine"],
    "domaine_professionnel": ["code_domaine_professionnel", "libelle_domaine_professionnel"],
    "cr_gd_dp": [
        "code_rome",
        "libelle_rome",
        "code_grand_domaine",
        "libelle_grand_domaine",
        "code_domaine_professionel",
        "libelle_domaine_professionel",
    ],
    "centre_interet": ["code_centre_interet", "libelle_centre_interet", "definition_centre_interet"],
    "arborescence_centre_interet": [
        "code_centre_interet",
        "libelle_centre_interet",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome",
        "principal",
    ],
}

# Invented métiers: (code, ogr, label, domaine, riasec major, minor)
METIERS = [
    ("K9901", "990001", "Gardien / Gardienne de phare", "K99", "R", "C"),
    ("K9902", "990002", "Fabricant / Fabricante de cerfs-volants", "K99", "A", ""),
    ("M9903", "990003", "Informaticien / Informaticienne quantique", "M99", "I", "R"),
]
APPELLATIONS = [
    ("700001", "Gardien / Gardienne de phare", "K9901", "PRINCIPALE"),
    ("700002", "Veilleur / Veilleuse de lanterne marine", "K9901", "SYNONYME"),
    ("700007", "Éclairagiste côtier / Éclairagiste côtière", "K9901", "SYNONYME"),
    ("700003", "Fabricant / Fabricante de cerfs-volants", "K9902", "PRINCIPALE"),
    ("700004", "Artisan / Artisane cerf-voliste", "K9902", "SYNONYME"),
    ("700005", "Informaticien / Informaticienne quantique", "M9903", "PRINCIPALE"),
    ("700006", "Programmeur / Programmeuse d'ordinateurs à qubits", "M9903", "SYNONYME"),
]
COMPETENCES = [
    ("800001", "Compétence", "Allumer la lanterne", "Savoir-faire", "Technique"),
    ("800002", "Compétence", "Coudre une voile", "Savoir-faire", "Technique expert"),
    ("800003", "Macro-compétence", "Faire preuve de patience", "Savoir-être professionnel", ""),
    ("800004", "Compétence", "Calibrer des qubits", "Savoir-faire", "Technique expert"),
]
SAVOIRS = [("810001", "Optique des lentilles à échelons"), ("810002", "Aérodynamique des voilures souples")]
CONTEXTES = [("820001", "Travail de nuit", "Horaires et durée du travail"), ("820002", "Travail en hauteur", "Lieux")]
LINKS = [
    ("K9901", "810001", "Émergente"),
    ("K9901", "800003", ""),
    ("K9901", "800001", "Principale"),
    ("K9901", "820001", ""),
    ("K9902", "800002", "Principale"),
    ("K9902", "810002", ""),
    ("K9902", "800003", ""),
    ("M9903", "800004", "Principale"),
    ("M9903", "820002", ""),
]
TEXTES = [
    ("K9901", "definition", "2", "Entretient les feux et les optiques."),
    ("K9901", "definition", "1", "Veille sur un phare imaginaire."),
    ("K9901", "acces_metier", "1", "Accessible avec une vue d''aigle."),
    ("K9902", "definition", "1", "Fabrique des cerfs-volants."),
]
MOBILITES = [("K9901", "K9902", "2"), ("K9901", "M9903", "1"), ("K9902", "K9901", "1")]


def _rows_for(metiers: list[tuple[str, str, str, str, str, str]]) -> dict[str, list[list[str]]]:
    codes = {code for code, *_ in metiers}
    domaines = {code[:3] for code, *_ in metiers} | {"K99"}
    rows: dict[str, list[list[str]]] = {
        "referentiel_code_rome": [
            [c, "1", ogr, label, "Emploi Blanc", "", "", "N", "O", c] for c, ogr, label, *_ in metiers
        ],
        "referentiel_appellation": [
            [ogr, label, label, code, "", "", "", "N", "", cls, "", code, "N"]
            for ogr, label, code, cls in APPELLATIONS
            if code in codes
        ],
        "referentiel_competence": [
            [ogr, nature, label, "", "", "", cat, sub, "", "N", "", ""] for ogr, nature, label, cat, sub in COMPETENCES
        ],
        "referentiel_savoir": [[ogr, label, "Savoirs imaginaires", "Divers", "", "N"] for ogr, label in SAVOIRS],
        "referentiel_contexte_travail": [[ogr, label, "2", kind] for ogr, label, kind in CONTEXTES],
        "item": [[ogr, label, "2" if "être" in cat else "1"] for ogr, _, label, cat, _ in COMPETENCES]
        + [[ogr, label, "3"] for ogr, label in SAVOIRS]
        + [[ogr, label, ""] for ogr, label, _ in CONTEXTES],
        "coherence_item": [list(link) for link in LINKS if link[0] in codes],
        "texte": [[c, "3", kind, pos, body] for c, kind, pos, body in TEXTES if c in codes],
        "rubrique_mobilite": [list(m) for m in MOBILITES if m[0] in codes and m[1] in codes],
        "referentiel_code_rome_riasec": [[c, major, minor] for c, _, _, _, major, minor in metiers],
        "referentiel_macro_competence_riasec": [["800003", "S", ""]],
        "grand_domaine": [["K", "Services imaginaires"], ["M", "Support numérique fictif"]],
        "domaine_professionnel": [[d, f"Domaine fictif {d}"] for d in sorted(domaines)],
        "cr_gd_dp": [[c, label, c[0], "x", dom, "y"] for c, _, label, dom, *_ in metiers],
        "centre_interet": [["1", "J'aime la mer", "Des métiers au bord de l'eau.\n\nEt au large."]],
        "arborescence_centre_interet": [["1", "J'aime la mer", "990001", "K9901", "Gardien", "oui"]]
        if "K9901" in codes
        else [],
    }
    return rows


def write_export(
    folder: Path,
    version: str = "901",
    metiers: list[tuple[str, str, str, str, str, str]] | None = None,
    rows: dict[str, list[list[str]]] | None = None,
) -> Path:
    """Write an export in the official format (quoted CSV, UTF-8) into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    data = _rows_for(metiers or METIERS)
    data.update(rows or {})
    for name, header in HEADERS.items():
        with open(folder / f"unix_{name}_v{version}_utf8.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(data[name])
    # A file of the export that the import does not read.
    (folder / f"unix_themes_v{version}_utf8.csv").write_text('"code_theme","libelle_theme"\n"001","Thème"\n')
    return folder


def counts() -> dict[str, int]:
    with get_engine().connect() as conn:
        return {
            model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (RomeMetier, RomeAppellation, RomeItem, RomeMetierItem, RomeTexte, RomeMobilite, RomeVersion)
        }


def label_of(code: str) -> str | None:
    with get_engine().connect() as conn:
        return conn.execute(select(RomeMetier.libelle).where(RomeMetier.code_rome == code)).scalar_one_or_none()


SYNTHETIC_COUNTS = {
    "rome_metiers": 3,
    "rome_appellations": 7,
    "rome_items": 8,
    "rome_metier_items": 9,
    "rome_textes": 4,
    "rome_mobilites": 3,
    "rome_versions": 1,
}

# ---------------------------------------------------------------- happy path


def test_import_folder(tmp_path):
    summary = import_rome(write_export(tmp_path / "export"))
    assert (summary.version, summary.previous_version, summary.source) == ("901", None, "export")
    assert (summary.metiers, summary.appellations, summary.competences, summary.savoirs) == (3, 7, 4, 2)
    assert (summary.contextes, summary.liens, summary.textes, summary.mobilites, summary.centres_interet) == (
        2,
        9,
        4,
        3,
        1,
    )
    assert counts() == SYNTHETIC_COUNTS
    with get_engine().connect() as conn:
        metier = conn.execute(select(RomeMetier).where(RomeMetier.code_rome == "K9901")).mappings().one()
        kinds = dict(conn.execute(select(RomeItem.code_ogr, RomeItem.kind)).all())
        patience = conn.execute(select(RomeItem).where(RomeItem.code_ogr == "800003")).mappings().one()
        coeur = conn.execute(
            select(RomeMetierItem.code_ogr, RomeMetierItem.coeur_metier, RomeMetierItem.coeur_label).where(
                RomeMetierItem.code_rome == "K9901"
            )
        ).all()
        texte = conn.execute(select(RomeTexte.texte).where(RomeTexte.kind == "acces_metier")).scalar_one()
        accent = conn.execute(select(RomeAppellation.libelle_norm).where(RomeAppellation.code_ogr == "700007")).scalar()
    assert metier["libelle_norm"] == "gardien gardienne de phare"
    assert (metier["riasec_majeur"], metier["riasec_mineur"], metier["code_domaine_professionnel"]) == ("R", "C", "K99")
    assert metier["emploi_cadre"] is True and metier["emploi_reglemente"] is False
    assert RomeItemKind(kinds["800001"]) is RomeItemKind.SAVOIR_FAIRE
    assert RomeItemKind(kinds["800003"]) is RomeItemKind.SAVOIR_ETRE
    assert RomeItemKind(kinds["810001"]) is RomeItemKind.SAVOIR
    assert RomeItemKind(kinds["820001"]) is RomeItemKind.CONTEXTE
    assert (patience["nature"], patience["riasec_majeur"]) == ("Macro-compétence", "S")
    assert sorted(coeur) == [
        ("800001", True, "Principale"),
        ("800003", False, ""),
        ("810001", True, "Émergente"),
        ("820001", False, ""),
    ]
    assert texte == "Accessible avec une vue d'aigle."  # the export's doubled apostrophe is repaired
    assert accent == "eclairagiste cotier eclairagiste cotiere"
    installed = current_version()
    assert installed is not None and (installed.version, installed.metiers, installed.appellations) == ("901", 3, 7)


def test_import_is_idempotent(tmp_path):
    export = write_export(tmp_path / "export")
    import_rome(export)
    first = counts()
    with get_engine().connect() as conn:
        before = conn.execute(select(RomeMetierItem).order_by(RomeMetierItem.code_rome, RomeMetierItem.code_ogr)).all()
    summary = import_rome(export)
    assert summary.previous_version == "901"
    assert counts() == first == SYNTHETIC_COUNTS  # one version row, not two
    with get_engine().connect() as conn:
        after = conn.execute(select(RomeMetierItem).order_by(RomeMetierItem.code_rome, RomeMetierItem.code_ogr)).all()
    assert before == after


def test_a_new_version_replaces_the_old_one(tmp_path):
    import_rome(write_export(tmp_path / "v901"))
    newer = [*METIERS[:2], ("K9904", "990004", "Dresseur / Dresseuse de nuages", "K99", "A", "S")]
    summary = import_rome(write_export(tmp_path / "v902", version="902", metiers=newer))
    assert (summary.version, summary.previous_version) == ("902", "901")
    assert label_of("M9903") is None  # gone with its appellations, links and texts
    assert label_of("K9904") == "Dresseur / Dresseuse de nuages"
    installed = current_version()
    assert installed is not None and installed.version == "902"
    with get_engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(RomeAppellation)).scalar() == 5
        orphan_links = conn.execute(
            select(func.count()).select_from(RomeMetierItem).where(RomeMetierItem.code_rome == "M9903")
        ).scalar()
        assert orphan_links == 0
        versions = conn.execute(select(RomeVersion.version).order_by(RomeVersion.imported_at)).scalars().all()
    assert versions == ["901", "902"]  # the history of installed versions


def test_zip_export(tmp_path):
    folder = write_export(tmp_path / "export")
    archive = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in folder.iterdir():
            zf.write(path, f"RefRomeCsv/{path.name}")  # the files may sit in a folder of the archive
    summary = import_rome(archive)
    assert (summary.version, summary.source, summary.metiers) == ("901", "RefRomeCsv.zip", 3)
    assert counts() == SYNTHETIC_COUNTS


# ---------------------------------------------------------------- refusals leave the référentiel untouched


def _replace_in(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def _broken(case: str, folder: Path) -> None:
    def file(name: str) -> Path:
        return folder / f"unix_{name}_v902_utf8.csv"

    if case == "missing_file":
        file("texte").unlink()
    elif case == "missing_column":
        _replace_in(file("referentiel_code_rome"), '"libelle_rome"', '"intitule_rome"')
    elif case == "bad_code_rome":
        _replace_in(file("referentiel_code_rome"), '"K9902"', '"K99X2"')
    elif case == "bad_code_ogr":
        _replace_in(file("coherence_item"), '"800002"', '"8000-2"')
    elif case == "unknown_metier":
        _replace_in(file("referentiel_appellation"), '"K9902","","","","N"', '"K9999","","","","N"')
    elif case == "unknown_item":
        _replace_in(file("coherence_item"), '"800004"', '"899999"')
    elif case == "bad_integer":
        _replace_in(file("texte"), '"definition","2"', '"definition","deux"')
    elif case == "duplicate":
        _replace_in(file("referentiel_appellation"), '"700004"', '"700003"')
    elif case == "bad_riasec":
        _replace_in(file("referentiel_code_rome_riasec"), '"I","R"', '"X","R"')
    elif case == "empty_metiers":
        header = file("referentiel_code_rome").read_text(encoding="utf-8").splitlines()[0]
        file("referentiel_code_rome").write_text(header + "\n", encoding="utf-8")
    elif case == "not_utf8":
        path = file("referentiel_savoir")
        path.write_bytes(path.read_bytes().replace("Aérodynamique".encode(), "Aérodynamique".encode("latin-1")))
    elif case == "mixed_versions":
        file("texte").rename(folder / "unix_texte_v900_utf8.csv")
    elif case == "short_row":
        with open(file("rubrique_mobilite"), "a", encoding="utf-8") as handle:
            handle.write('"K9901"\n')
    else:  # pragma: no cover
        raise AssertionError(case)


# case -> (catalogue key, fragments the French message must contain)
REFUSALS = {
    "missing_file": ("rome.error.missing_file", ["unix_texte_v902_utf8.csv", "absent"]),
    "missing_column": ("rome.error.missing_column", ["unix_referentiel_code_rome_v902_utf8.csv", "« libelle_rome »"]),
    "bad_code_rome": ("rome.error.bad_value", ["unix_referentiel_code_rome_v902_utf8.csv", "ligne 3", "K99X2"]),
    "bad_code_ogr": ("rome.error.bad_value", ["unix_coherence_item_v902_utf8.csv", "ligne 6", "« code_ogr »"]),
    "unknown_metier": ("rome.error.unknown_reference", ["unix_referentiel_appellation_v902_utf8.csv", "K9999"]),
    "unknown_item": ("rome.error.unknown_reference", ["unix_coherence_item_v902_utf8.csv", "ligne 9", "899999"]),
    "bad_integer": ("rome.error.bad_value", ["unix_texte_v902_utf8.csv", "ligne 2", "« position_phrase »"]),
    "duplicate": ("rome.error.duplicate", ["unix_referentiel_appellation_v902_utf8.csv", "ligne 6", "700003"]),
    "bad_riasec": ("rome.error.bad_value", ["unix_referentiel_code_rome_riasec_v902_utf8.csv", "ligne 4", "R, I, A"]),
    "empty_metiers": ("rome.error.empty_file", ["unix_referentiel_code_rome_v902_utf8.csv", "aucune ligne"]),
    "not_utf8": ("rome.error.encoding", ["unix_referentiel_savoir_v902_utf8.csv", "UTF-8"]),
    "mixed_versions": ("rome.error.mixed_versions", ["900, 902"]),
    "short_row": ("rome.error.csv", ["unix_rubrique_mobilite_v902_utf8.csv", "ligne 5"]),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_broken_export_is_refused_and_changes_nothing(tmp_path, case):
    import_rome(write_export(tmp_path / "good"))
    before = counts()
    broken = write_export(tmp_path / "broken", version="902")
    _broken(case, broken)
    with pytest.raises(RomeImportError) as caught:
        import_rome(broken)
    key, fragments = REFUSALS[case]
    assert caught.value.code == key
    message = caught.value.message()
    for fragment in fragments:
        assert fragment in message, message
    assert "{" not in message
    assert caught.value.message("en") != message  # the English catalogue has it too
    assert counts() == before
    assert label_of("M9903") == "Informaticien / Informaticienne quantique"
    installed = current_version()
    assert installed is not None and installed.version == "901"


def test_not_an_export(tmp_path):
    with pytest.raises(RomeImportError) as caught:
        import_rome(tmp_path / "nowhere")
    assert caught.value.code == "rome.error.not_found"
    (tmp_path / "empty").mkdir()
    with pytest.raises(RomeImportError) as caught:
        import_rome(tmp_path / "empty")
    assert caught.value.code == "rome.error.no_files"
    (tmp_path / "notes.txt").write_text("bonjour")
    with pytest.raises(RomeImportError) as caught:
        import_rome(tmp_path / "notes.txt")
    assert caught.value.code == "rome.error.not_export"


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    import_rome(write_export(tmp_path / "good"))
    before = counts()
    real_insert = importer.insert

    def failing_insert(table):
        if table.name == "rome_textes":  # after métiers, appellations, items and links were written
            raise RuntimeError("disk full")
        return real_insert(table)

    monkeypatch.setattr(importer, "insert", failing_insert)
    newer = [*METIERS[:2], ("K9904", "990004", "Dresseur / Dresseuse de nuages", "K99", "A", "S")]
    with pytest.raises(RuntimeError):
        import_rome(write_export(tmp_path / "v902", version="902", metiers=newer))
    assert counts() == before
    assert label_of("M9903") is not None and label_of("K9904") is None


# ---------------------------------------------------------------- the CLI


def test_cli_json_summary(tmp_path, capsys):
    assert main(["import-rome", str(write_export(tmp_path / "export")), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["version"] == "901"
    assert {
        key: summary[key] for key in ("metiers", "appellations", "competences", "savoirs", "liens", "mobilites")
    } == {
        "metiers": 3,
        "appellations": 7,
        "competences": 4,
        "savoirs": 2,
        "liens": 9,
        "mobilites": 3,
    }


def test_cli_text_summary_and_refusal(tmp_path, capsys):
    export = write_export(tmp_path / "export")
    assert main(["import-rome", str(export)]) == 0
    out = capsys.readouterr().out
    assert "Référentiel ROME 901 importé" in out and "Appellations" in out
    (export / "unix_item_v901_utf8.csv").unlink()
    assert main(["import-rome", str(export), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Import refusé" in captured.err and "unix_item_v901_utf8.csv" in captured.err
    assert counts() == SYNTHETIC_COUNTS


# ---------------------------------------------------------------- the real ROME 4.60 export

_REAL: dict[str, object] = {}


def real_rome_url(tmp_path_factory, sqlite_template) -> str:
    """A SQLite database holding the real export, imported once per session (read-only for the tests)."""
    if not REAL_EXPORT.is_dir():
        pytest.skip(f"the ROME 4.60 export is not at {REAL_EXPORT.resolve()} (shared data folder absent)")
    if "url" not in _REAL:
        from tests.conftest import configure_env  # tests/conftest.py

        path = tmp_path_factory.mktemp("rome") / "rome.db"
        shutil.copyfile(sqlite_template, path)
        url = f"sqlite:///{path}"
        with pytest.MonkeyPatch.context() as mp:
            configure_env(mp, url)
            _REAL["summary"] = import_rome(REAL_EXPORT)
        _REAL["url"] = url
    return str(_REAL["url"])


def use_real_rome(tmp_path_factory, sqlite_template, set_env):
    """Point this test at the session's real-référentiel database; yields the import summary."""
    url = real_rome_url(tmp_path_factory, sqlite_template)
    set_env(DATABASE_URL=url)
    yield _REAL["summary"]
    _engine_for(url).dispose()


@pytest.fixture
def real_rome(tmp_path_factory, sqlite_template, set_env):
    yield from use_real_rome(tmp_path_factory, sqlite_template, set_env)


def readme_counts() -> dict[str, int]:
    """file -> row count, from the README's table (rows without a count are left out)."""
    found = {}
    for line in (REAL_EXPORT / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*(unix_[a-z_]+)\s*\|\s*([\d,]+)\s*\|", line)
        if match:
            found[match.group(1)] = int(match.group(2).replace(",", ""))
    return found


def test_real_export_counts_match_the_readme(real_rome):
    expected = readme_counts()
    assert len(expected) >= 8, "the README's table could not be read"
    queries = {
        "unix_referentiel_code_rome": "SELECT count(*) FROM rome_metiers",
        "unix_referentiel_appellation": "SELECT count(*) FROM rome_appellations",
        "unix_referentiel_competence": "SELECT count(*) FROM rome_items WHERE kind IN ('savoir_faire', 'savoir_etre')",
        "unix_item": "SELECT count(*) FROM rome_items",
        "unix_coherence_item": "SELECT count(*) FROM rome_metier_items",
        "unix_texte": "SELECT count(*) FROM rome_textes",
        "unix_rubrique_mobilite": "SELECT count(*) FROM rome_mobilites",
        "unix_referentiel_code_rome_riasec": "SELECT count(*) FROM rome_metiers WHERE riasec_majeur != ''",
    }
    with get_engine().connect() as conn:
        actual = {name: conn.execute(text(sql)).scalar_one() for name, sql in queries.items()}
    assert actual == {name: expected[name] for name in queries}
    summary = real_rome
    assert (summary.version, summary.metiers, summary.appellations) == (
        "460",
        expected["unix_referentiel_code_rome"],
        expected["unix_referentiel_appellation"],
    )
    assert summary.liens == expected["unix_coherence_item"]
    assert summary.duration_s < 60, summary
    with get_engine().connect() as conn:
        # every métier sits in the domain tree and has a RIASEC major letter
        orphans = conn.execute(
            text("SELECT count(*) FROM rome_metiers WHERE code_domaine_professionnel = '' OR riasec_majeur = ''")
        ).scalar_one()
        cores = conn.execute(text("SELECT count(*) FROM rome_metier_items WHERE coeur_metier")).scalar_one()
    assert orphans == 0
    assert 0 < cores < summary.liens
