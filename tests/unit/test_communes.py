"""services.geo.communes: the official list of communes (@etalab/decoupage-administratif in
tools/node_modules), searched by name or postcode without any network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.geo import communes
from services.geo.communes import CommuneIndex, CommunesUnavailable
from services.i18n import EN, FR, translate

LYON, SAINT_ETIENNE, L_HAY, AJACCIO = "69123", "42218", "94038", "2A004"


def _codes(query: str) -> list[str]:
    return [match.commune.code for match in communes.search(query)]


def test_the_list_is_the_official_one_of_current_communes():
    index = communes.index()
    assert communes.index() is index  # built once per process
    assert 34_000 < len(index) < 36_000  # the current communes (COG 2026), no delegated or associated ones
    assert communes.DATA_FILE.is_relative_to(Path(communes.__file__).resolve().parents[2] / "tools" / "node_modules")
    lyon = communes.get(LYON)
    assert (lyon.name, lyon.departement, lyon.label) == ("Lyon", "69", "Lyon (69)")
    assert lyon.postcodes == tuple(f"6900{n}" for n in range(1, 10))
    # Lyon's arrondissements are not offered; their codes and postcodes lead to the city.
    assert communes.get("69383") == lyon and _codes("69003")[0] == LYON
    assert communes.search("Lyon 3e Arrondissement") == []
    assert communes.get("2a004").code == AJACCIO
    assert communes.get("99999") is None


@pytest.mark.parametrize("query", ["Lyon", "lyon", "LYON", "  lyon ", "Lyon (69)"])
def test_lyon_by_its_name_in_any_case(query):
    [first, *_] = communes.search(query)
    assert (first.commune.code, first.commune.label, first.exact) == (LYON, "Lyon (69)", True)
    assert first.text == "Lyon (69) — 69001, 69002, 69003…"


@pytest.mark.parametrize("query", ["St Etienne", "Saint-Étienne", "saint etienne", "ST-ÉTIENNE", "st.etienne"])
def test_saint_and_st_and_accents_are_the_same(query):
    [first, *others] = communes.search(query)
    assert first.commune.code == SAINT_ETIENNE and first.exact
    assert first.text == "Saint-Étienne (42) — 42000, 42100, 42230"
    assert others and all(m.commune.name.startswith("Saint-Étienne-") for m in others)  # then the longer names


def test_a_postcode_or_its_start():
    [hit] = communes.search("42000")
    assert (hit.commune.code, hit.postcode, hit.exact) == (SAINT_ETIENNE, "42000", True)
    assert communes.search("42100")[0].text == "Saint-Étienne (42) — 42100, 42000, 42230"  # the one typed first
    assert _codes("690") == [LYON]  # 69001…69009 are all Lyon's


@pytest.mark.parametrize(
    "query", ["l'hay les roses", "L’Haÿ-les-Roses", "lhay-les-roses", "L HAY LES ROSES", "haÿ les"]
)
def test_hyphens_spaces_and_apostrophes_are_tolerated(query):
    assert _codes(query)[0] == L_HAY


def test_a_name_shared_by_several_communes_gives_a_list():
    matches = communes.search("Sainte Marie")
    same = [m for m in matches if m.commune.name == "Sainte-Marie"]
    assert len(same) >= 8 and all(m.exact for m in same)
    assert len({m.commune.departement for m in same}) == len(same)  # told apart by their département
    assert [m.commune.label for m in same[:2]] == ["Sainte-Marie (974)", "Sainte-Marie (972)"]  # most populous first
    assert communes.search("Ste-Marie") == matches
    assert [m.commune.label for m in communes.search("Sainte-Marie (974)")] == ["Sainte-Marie (974)"]
    commune, candidates = communes.resolve("Sainte Marie")
    assert commune is None and len(candidates) > 1


def test_nothing_matches():
    assert communes.search("Xyzzyville") == []
    assert communes.search("l") == []  # too short to suggest anything
    assert communes.resolve("Xyzzyville") == (None, [])


def test_what_designates_one_commune():
    assert communes.resolve("lyon")[0].code == LYON  # the only exact name among Lyon, Lyons-la-Forêt...
    assert communes.resolve("42000")[0].code == SAINT_ETIENNE
    assert communes.resolve("l'hay")[0].code == L_HAY  # the only match
    assert communes.resolve("2A004")[0].code == AJACCIO
    # 69003 is one of Lyon's postcodes and Albigny-sur-Saône's INSEE code: the postcode first, then the code.
    commune, candidates = communes.resolve("69003")
    assert commune.code == LYON and [m.commune.code for m in candidates] == [LYON, "69003"]
    assert communes.resolve("69381")[0].code == LYON  # an arrondissement's INSEE code


def test_a_missing_list_is_a_clear_error(tmp_path, caplog):
    with pytest.raises(CommunesUnavailable) as caught:
        CommuneIndex.load(tmp_path / "communes.json")
    assert str(tmp_path / "communes.json") in caplog.text and "npm ci --prefix tools" in caplog.text
    assert translate(caught.value.code).startswith("La liste officielle des communes n'est pas installée")
    assert caught.value.code in FR and caught.value.code in EN
    (tmp_path / "empty.json").write_text(json.dumps([{"code": "01001", "type": "commune-deleguee"}]))
    with pytest.raises(CommunesUnavailable):
        CommuneIndex.load(tmp_path / "empty.json")
