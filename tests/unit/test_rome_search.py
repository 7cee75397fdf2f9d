"""services.rome.search and services.rome.metiers: search (accents, prefixes, typos) and the fiche métier.

Synthetic exports come from test_rome_import.write_export (invented data); the real-export tests
pick their queries from the imported database at run time.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text, update
from test_rome_import import METIERS, use_real_rome, write_export

from services.db import get_engine
from services.models import RomeAppellation, RomeItemKind, RomeVersion
from services.models.base import utcnow
from services.rome import search
from services.rome.importer import import_rome
from services.rome.metiers import metier_detail
from services.rome.search import normalise, search_metiers, trigrams


@pytest.fixture
def synthetic(tmp_path):
    import_rome(write_export(tmp_path / "export"))


@pytest.fixture
def real_rome(tmp_path_factory, sqlite_template, set_env):
    yield from use_real_rome(tmp_path_factory, sqlite_template, set_env)


def codes(query: str, limit: int = 20) -> list[str]:
    return [hit.code_rome for hit in search_metiers(query, limit)]


def test_normalise():
    assert normalise("Éclairagiste CÔTIÈRE") == "eclairagiste cotiere"
    assert normalise("Œnologue / Aide-soignant(e) d'État") == "oenologue aide soignant e d etat"
    assert normalise("  ") == ""
    assert trigrams("ab") == {"  a", " ab", "ab "}


def test_no_referentiel_no_hits():
    assert search_metiers("gardien") == []


def test_accents_and_case_do_not_matter(synthetic):
    for query in ("eclairagiste cotiere", "ÉCLAIRAGISTE CÔTIÈRE", "Eclairagiste Cotiere"):
        hits = search_metiers(query)
        assert hits[0].code_rome == "K9901", query
        assert hits[0].appellation == "Éclairagiste côtier / Éclairagiste côtière"
        assert hits[0].libelle == "Gardien / Gardienne de phare"
        assert hits[0].code_ogr_appellation == "700007"


def test_word_prefixes(synthetic):
    assert codes("cerf")[0] == "K9902"
    assert codes("gard")[0] == "K9901"
    assert codes("gardienne ph")[0] == "K9901"
    assert codes("program qub")[0] == "M9903"
    hit = search_metiers("veill")[0]
    assert (hit.code_rome, hit.appellation) == ("K9901", "Veilleur / Veilleuse de lanterne marine")


def test_misspellings(synthetic):
    assert codes("informaticein")[0] == "M9903"
    assert codes("gardiene de fhare")[0] == "K9901"
    assert codes("fabriquant cerf volent")[0] == "K9902"
    assert codes("zzzzzz") == []


def test_ranking_and_limits(synthetic):
    hits = search_metiers("de")  # only stop words: still searched
    assert hits and len({hit.code_rome for hit in hits}) == len(hits)  # one hit per métier
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert len(search_metiers("de", limit=1)) == 1
    assert search_metiers("", 5) == [] and search_metiers("   ") == [] and search_metiers("gardien", 0) == []
    exact = search_metiers("gardien de phare")[0]
    assert exact.appellation is None and exact.score >= 1  # the métier's own label wins
    assert codes("m9903") == ["M9903"]  # a ROME code


def test_new_version_invalidates_the_index(tmp_path):
    import_rome(write_export(tmp_path / "v901"))
    assert codes("quantique") == ["M9903"]
    newer = [*METIERS[:2], ("K9904", "990004", "Dresseur / Dresseuse de nuages", "K99", "A", "S")]
    import_rome(write_export(tmp_path / "v902", version="902", metiers=newer))
    assert codes("quantique") == []
    assert codes("dresseur nuage") == ["K9904"]


def test_an_import_by_another_process_is_noticed(synthetic):
    assert codes("lanterne") == ["K9901"]
    # Another process changes the référentiel (no in-process invalidation), then bumps the version row.
    with get_engine().begin() as conn:
        conn.execute(
            update(RomeAppellation)
            .where(RomeAppellation.code_ogr == "700002")
            .values(libelle_norm="autre", libelle_court="Autre")
        )
        conn.execute(update(RomeVersion).values(imported_at=utcnow()))
    assert codes("lanterne") == []


def test_metier_detail(synthetic):
    detail = metier_detail("k9901")
    assert detail is not None
    assert (detail.code_rome, detail.libelle, detail.riasec) == ("K9901", "Gardien / Gardienne de phare", "RC")
    assert detail.definition == ["Veille sur un phare imaginaire.", "Entretient les feux et les optiques."]
    assert detail.definition_text.startswith("Veille sur un phare imaginaire. Entretient")
    assert detail.acces == ["Accessible avec une vue d'aigle."]
    assert [(s.libelle, s.coeur_metier) for s in detail.savoir_faire] == [("Allumer la lanterne", True)]
    assert [s.libelle for s in detail.savoir_etre] == ["Faire preuve de patience"]
    assert all(s.kind is RomeItemKind.SAVOIR_ETRE for s in detail.savoir_etre)
    assert [(s.libelle, s.coeur_label) for s in detail.savoirs] == [("Optique des lentilles à échelons", "Émergente")]
    assert [(c.libelle, c.categorie) for c in detail.contextes] == [("Travail de nuit", "Horaires et durée du travail")]
    assert [(m.code_rome, m.libelle, m.ordre) for m in detail.mobilites] == [
        ("M9903", "Informaticien / Informaticienne quantique", 1),
        ("K9902", "Fabricant / Fabricante de cerfs-volants", 2),
    ]
    assert detail.grand_domaine == ("K", "Services imaginaires")
    assert detail.domaine_professionnel == ("K99", "Domaine fictif K99")
    assert detail.appellations[0].principale and len(detail.appellations) == 3
    assert detail.centres_interet == ["J'aime la mer"]
    assert detail.emploi_cadre is True
    other = metier_detail("K9902")
    assert other is not None and other.acces == [] and other.riasec == "A"
    assert metier_detail("Z0000") is None and metier_detail("") is None


# ---------------------------------------------------------------- the real ROME 4.60 export


def _sample_appellations(count: int, seed: int = 46) -> list[tuple[str, str]]:
    with get_engine().connect() as conn:
        rows = conn.execute(select(RomeAppellation.code_rome, RomeAppellation.libelle).order_by("code_ogr")).all()
    rng = random.Random(seed)
    return [tuple(row) for row in rng.sample(rows, count)]


def _strip_accents_keep_case(label: str) -> str:
    return normalise(label)


def _misspell(label: str, rng: random.Random) -> str:
    """The label with its longest word mangled (a letter dropped, or two swapped)."""
    words = label.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 5:
        return label
    position = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        word = word[:position] + word[position + 1 :]
    else:
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    words[index] = word
    return " ".join(words)


def test_real_search_without_accents_and_with_typos(real_rome):
    rng = random.Random(4)
    sample = _sample_appellations(40)
    plain_misses, typo_misses = [], []
    for code_rome, label in sample:
        plain = _strip_accents_keep_case(label)
        assert plain.isascii()
        if code_rome not in codes(plain):
            plain_misses.append(plain)
        typo = _misspell(normalise(label), rng)
        if code_rome not in codes(typo):
            typo_misses.append(typo)
    assert plain_misses == []
    assert len(typo_misses) <= 2, typo_misses  # a mangled short label may match many others better


def test_real_search_by_word_prefixes(real_rome):
    with get_engine().connect() as conn:
        rows = conn.execute(text("SELECT code_rome, libelle_norm FROM rome_metiers ORDER BY code_rome")).all()
    misses = []
    for code, norm in random.Random(3).sample(rows, 30):
        # every word cut short, as typed in a search box ("opera regl machi")
        query = " ".join(word[: max(3, len(word) - 3)] for word in norm.split() if word not in search.STOPWORDS)
        if code not in codes(query):
            misses.append(query)
    assert misses == []


def test_real_metier_detail(real_rome):
    with get_engine().connect() as conn:
        code = conn.execute(
            text(
                "SELECT m.code_rome FROM rome_metiers m WHERE EXISTS (SELECT 1 FROM rome_mobilites o "
                "WHERE o.code_rome = m.code_rome) AND EXISTS (SELECT 1 FROM rome_textes t "
                "WHERE t.code_rome = m.code_rome AND t.kind = 'acces_metier') ORDER BY m.code_rome LIMIT 1 OFFSET 100"
            )
        ).scalar_one()
    detail = metier_detail(code)
    assert detail is not None
    assert detail.definition and detail.acces and detail.riasec_majeur in "RIASEC"
    assert detail.savoir_faire and detail.savoirs
    assert detail.mobilites and all(m.libelle for m in detail.mobilites)
    assert [m.ordre for m in detail.mobilites] == sorted(m.ordre for m in detail.mobilites)
    cores = [s.coeur_metier for s in detail.savoir_faire]
    assert cores == sorted(cores, reverse=True)  # core skills first
