"""Psychometric instruments: the catalogue files are consistent, and scoring gives known answers.

Pure tests (no database): known answer vectors for every instrument (all-minimum, all-maximum,
hand-computed vectors with reverse-keyed items, ties and their documented tie-break), the answer
checks, and the refusals of inconsistent instrument files.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from services.errors import FormError, NotFound
from services.i18n import EN, FR
from services.psychometrics import catalog
from services.psychometrics.catalog import (
    INSTRUMENTS_DIR,
    RIASEC,
    CatalogError,
    get_instrument,
    load_catalog,
    load_file,
    parse_instrument,
)
from services.psychometrics.scoring import Scores, clean_answers, item_score, level_of, missing_items, score

INTERESTS = "interests_riasec"
BIG_FIVE = "big_five_ipip50"
VALUES = "work_values"
FACTORS = ("extraversion", "agreeableness", "conscientiousness", "emotional_stability", "intellect")
# Goldberg's published key of the 50 IPIP markers: the reverse-keyed items, by position 1-50.
IPIP_REVERSED = {
    "extraversion": {6, 16, 26, 36, 46},
    "agreeableness": {2, 12, 22, 32},
    "conscientiousness": {8, 18, 28, 38},
    "emotional_stability": {4, 14, 24, 29, 34, 39, 44, 49},
    "intellect": {10, 20, 30},
}


def uniform(instrument_id: str, value: int) -> dict[str, int]:
    return dict.fromkeys(get_instrument(instrument_id).item_ids, value)


def by_dimension(instrument_id: str, values: dict[str, list[int] | int]) -> dict[str, int]:
    """Answers given per dimension: one value for all its items, or one per item in file order."""
    instrument = get_instrument(instrument_id)
    answers: dict[str, int] = {}
    for key, given in values.items():
        items = instrument.items_of(key)
        per_item = given if isinstance(given, list) else [given] * len(items)
        assert len(per_item) == len(items)
        answers.update({item.id: v for item, v in zip(items, per_item, strict=True)})
    return answers


def raw_of(scores: Scores) -> dict[str, float]:
    return {d.key: d.raw for d in scores.dimensions}


def raw_json(instrument_id: str) -> dict:
    return json.loads((INSTRUMENTS_DIR / f"{instrument_id}.v1.0.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the catalogue files


def test_the_catalogue_holds_the_three_instruments_in_order():
    current = catalog.current_instruments()
    assert [(i.id, i.version, i.kind) for i in current] == [
        (INTERESTS, "1.0", "interests"),
        (BIG_FIVE, "1.0", "personality"),
        (VALUES, "1.0", "values"),
    ]


@pytest.mark.parametrize(
    ("instrument_id", "items", "dimensions", "scale"),
    [
        (INTERESTS, 60, RIASEC, (0, 4)),
        (BIG_FIVE, 50, FACTORS, (1, 5)),
        (
            VALUES,
            24,
            ("achievement", "working_conditions", "recognition", "relationships", "security", "autonomy"),
            (1, 5),
        ),
    ],
)
def test_item_counts_dimensions_and_scale(instrument_id, items, dimensions, scale):
    instrument = get_instrument(instrument_id)
    assert len(instrument.items) == items
    assert instrument.dimension_keys == dimensions
    per_dimension = items // len(dimensions)
    assert {key: len(instrument.items_of(key)) for key in dimensions} == dict.fromkeys(dimensions, per_dimension)
    assert (instrument.scale.min, instrument.scale.max) == scale
    assert [label.value for label in instrument.scale.labels] == list(range(scale[0], scale[1] + 1))


@pytest.mark.parametrize("instrument_id", [INTERESTS, BIG_FIVE, VALUES])
def test_every_text_exists_in_french_and_english(instrument_id):
    instrument = get_instrument(instrument_id)
    texts = [instrument.title, instrument.instructions, instrument.source, instrument.licence]
    texts += [label.text for label in instrument.scale.labels]
    texts += [d.label for d in instrument.dimensions]
    texts += [t for d in instrument.dimensions for t in d.interpretation.values()]
    texts += [i.text for i in instrument.items]
    for text in texts:
        assert text.fr.strip() and text.en.strip()
    # Items are translated (not copied), and no wording is used twice.
    for item in instrument.items:
        assert item.text.fr != item.text.en
    assert len({i.text.fr for i in instrument.items}) == len(instrument.items)
    assert len({i.text.en for i in instrument.items}) == len(instrument.items)


def test_interest_items_alternate_the_six_types():
    instrument = get_instrument(INTERESTS)
    assert [i.dimension for i in instrument.items[:12]] == list(RIASEC) * 2
    assert not any(i.reverse for i in instrument.items)
    labels = {label.value: label.text.fr for label in instrument.scale.labels}
    assert labels[0] == "Je n'aimerais pas du tout" and labels[4] == "J'aimerais beaucoup"


def test_the_ipip_reverse_keys_follow_the_published_key():
    instrument = get_instrument(BIG_FIVE)
    for position, item in enumerate(instrument.items, start=1):
        # The 50 markers cycle through the five factors in the published order.
        assert item.dimension == FACTORS[(position - 1) % 5]
        assert item.reverse == (position in IPIP_REVERSED[item.dimension]), item.id
    assert sum(i.reverse for i in instrument.items) == 24
    assert instrument.scoring.reverse == "min_plus_max_minus_answer"
    for dimension in instrument.dimensions:
        assert set(dimension.interpretation) == {"low", "average", "high"}


def test_values_and_interests_have_one_interpretation_per_dimension():
    for instrument_id in (INTERESTS, VALUES):
        for dimension in get_instrument(instrument_id).dimensions:
            assert set(dimension.interpretation) == {"default"}


def test_source_and_licence_notices():
    assert "O*NET Interest Profiler Short Form" in get_instrument(INTERESTS).source.en
    assert "public domain" in get_instrument(INTERESTS).source.en
    assert "BilanCompetence.AI" in get_instrument(INTERESTS).source.fr
    assert "ipip.ori.org" in get_instrument(BIG_FIVE).source.fr
    assert "domaine public" in get_instrument(BIG_FIVE).source.fr
    assert "O*NET" in get_instrument(VALUES).source.en


def test_file_names_carry_id_and_version():
    for path in INSTRUMENTS_DIR.glob("*.json"):
        instrument = load_file(path)
        assert path.name == f"{instrument.id}.v{instrument.version}.json"


def test_unknown_instrument_or_version_is_not_found():
    with pytest.raises(NotFound):
        get_instrument("mbti")
    with pytest.raises(NotFound):
        get_instrument(INTERESTS, "9.9")
    assert get_instrument(INTERESTS, "1.0") is get_instrument(INTERESTS)


def test_a_newer_version_becomes_current_and_the_old_one_stays_readable(tmp_path):
    data = raw_json(VALUES)
    (tmp_path / "work_values.v1.0.json").write_text(json.dumps(data), encoding="utf-8")
    data["version"] = "1.10"
    (tmp_path / "work_values.v1.10.json").write_text(json.dumps(data), encoding="utf-8")
    data["version"] = "1.9"
    (tmp_path / "work_values.v1.9.json").write_text(json.dumps(data), encoding="utf-8")
    loaded = load_catalog(tmp_path)
    assert loaded.current[VALUES].version == "1.10"  # numeric, not alphabetical
    assert set(loaded.versions) == {(VALUES, "1.0"), (VALUES, "1.9"), (VALUES, "1.10")}


def test_a_misnamed_file_is_refused(tmp_path):
    path = tmp_path / "values.json"
    path.write_text(json.dumps(raw_json(VALUES)), encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape("must be named work_values.v1.0.json")):
        load_file(path)


def _broken(instrument_id, change):
    data = copy.deepcopy(raw_json(instrument_id))
    change(data)
    return data


@pytest.mark.parametrize(
    ("instrument_id", "change", "message"),
    [
        (VALUES, lambda d: d["items"][0]["text"].pop("en"), r"items\[0\]\.text"),
        (VALUES, lambda d: d["items"][0]["text"].update(fr="  "), r"items\[0\]\.text\.fr"),
        (VALUES, lambda d: d["items"].pop(), "has 3 items, expected 4"),
        (VALUES, lambda d: d["items"][0].update(dimension="money"), "unknown dimension"),
        (VALUES, lambda d: d["items"][1].update(id=d["items"][0]["id"]), "duplicate item ids"),
        (VALUES, lambda d: d["items"][0].update(reverse=True), "without a scoring.reverse rule"),
        (VALUES, lambda d: d["items"][0].pop("reverse"), "missing 'reverse'"),
        (VALUES, lambda d: d["scale"]["labels"].pop(), "one label per value"),
        (VALUES, lambda d: d["scoring"].update(method="median"), "unknown method"),
        (VALUES, lambda d: d["dimensions"][0]["label"].pop("fr"), "locales"),
        (VALUES, lambda d: d.update(version="1"), "MAJOR.MINOR"),
        (VALUES, lambda d: d["scoring"].update(holland_code_length=3), "only an interest inventory"),
        (
            BIG_FIVE,
            lambda d: [i.update(reverse=False) for i in d["items"] if i["dimension"] == "intellect"],
            "missing in",
        ),
        (BIG_FIVE, lambda d: d["dimensions"][0]["interpretation"].pop("high"), "interpretation"),
        (BIG_FIVE, lambda d: d["scoring"]["levels"].update(high_above=55), "thresholds"),
        (INTERESTS, lambda d: d["dimensions"].reverse(), "RIASEC"),
        (INTERESTS, lambda d: d["scoring"].update(holland_code_length=2), "3-letter"),
    ],
)
def test_inconsistent_files_are_refused(instrument_id, change, message):
    with pytest.raises(CatalogError, match=message):
        parse_instrument(_broken(instrument_id, change), "test.json")


def test_the_catalogue_messages_exist_in_both_locales():
    assert "pas des verdicts" in FR["psy.disclaimer"]
    assert "not verdicts" in EN["psy.disclaimer"]
    french = {key for key in FR if key.startswith(("psy.", "audit.psy."))}
    english = {key for key in EN if key.startswith(("psy.", "audit.psy."))}
    assert french == english


# ---------------------------------------------------------------- interests (RIASEC)


def test_interests_all_zero():
    result = score(get_instrument(INTERESTS), uniform(INTERESTS, 0))
    assert raw_of(result) == dict.fromkeys(RIASEC, 0.0)
    assert all(d.normalised == 0.0 for d in result.dimensions)
    # A six-way tie: the RIASEC order decides.
    assert result.ranking == RIASEC
    assert result.holland_code == "RIA"


def test_interests_all_max():
    result = score(get_instrument(INTERESTS), uniform(INTERESTS, 4))
    assert raw_of(result) == dict.fromkeys(RIASEC, 40.0)
    assert all(d.normalised == 100.0 for d in result.dimensions)
    assert result.holland_code == "RIA"


def test_interests_hand_computed_vector():
    answers = by_dimension(INTERESTS, {"R": 1, "I": 3, "A": 4, "S": 2, "E": 0, "C": [3, 3, 3, 3, 3, 0, 0, 0, 0, 0]})
    result = score(get_instrument(INTERESTS), answers)
    assert raw_of(result) == {"R": 10.0, "I": 30.0, "A": 40.0, "S": 20.0, "E": 0.0, "C": 15.0}
    assert {d.key: d.normalised for d in result.dimensions} == {
        "R": 25.0,
        "I": 75.0,
        "A": 100.0,
        "S": 50.0,
        "E": 0.0,
        "C": 37.5,
    }
    assert result.ranking == ("A", "I", "S", "C", "R", "E")
    assert {d.key: d.rank for d in result.dimensions} == {"A": 1, "I": 2, "S": 3, "C": 4, "R": 5, "E": 6}
    assert result.holland_code == "AIS"
    assert all(d.level == "" for d in result.dimensions)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"R": 0, "I": 2, "A": 3, "S": 3, "E": 3, "C": 0}, "ASE"),  # three-way tie at the top
        ({"R": 2, "I": 0, "A": 0, "S": 0, "E": 4, "C": 2}, "ERC"),  # tie for second place
        ({"R": 1, "I": 1, "A": 1, "S": 4, "E": 1, "C": 1}, "SRI"),  # tie for second and third
        ({"R": 0, "I": 0, "A": 0, "S": 0, "E": 0, "C": 1}, "CRI"),
    ],
)
def test_interest_ties_follow_the_riasec_order(values, code):
    assert score(get_instrument(INTERESTS), by_dimension(INTERESTS, values)).holland_code == code


def test_the_holland_code_does_not_depend_on_answer_order():
    answers = by_dimension(INTERESTS, {"R": 2, "I": 2, "A": 1, "S": 3, "E": 3, "C": 0})
    shuffled = dict(reversed(list(answers.items())))
    instrument = get_instrument(INTERESTS)
    assert score(instrument, answers) == score(instrument, shuffled)
    assert score(instrument, answers).holland_code == "SER"


# ---------------------------------------------------------------- IPIP-50 Big Five


def test_big_five_all_ones_and_all_fives_count_the_reverse_items():
    instrument = get_instrument(BIG_FIVE)
    # All 1s: a keyed-plus item counts 1, a reverse-keyed item 6 - 1 = 5.
    assert raw_of(score(instrument, uniform(BIG_FIVE, 1))) == {
        "extraversion": 30.0,  # 5 x 1 + 5 x 5
        "agreeableness": 26.0,  # 6 x 1 + 4 x 5
        "conscientiousness": 26.0,  # 6 x 1 + 4 x 5
        "emotional_stability": 42.0,  # 2 x 1 + 8 x 5
        "intellect": 22.0,  # 7 x 1 + 3 x 5
    }
    fives = score(instrument, uniform(BIG_FIVE, 5))
    assert raw_of(fives) == {
        "extraversion": 30.0,
        "agreeableness": 34.0,
        "conscientiousness": 34.0,
        "emotional_stability": 18.0,
        "intellect": 38.0,
    }
    assert {d.key: d.level for d in fives.dimensions} == {
        "extraversion": "average",
        "agreeableness": "average",
        "conscientiousness": "average",
        "emotional_stability": "low",
        "intellect": "high",
    }
    assert raw_of(score(instrument, uniform(BIG_FIVE, 3))) == dict.fromkeys(FACTORS, 30.0)


def test_big_five_extreme_profiles_reach_10_and_50():
    instrument = get_instrument(BIG_FIVE)
    highest = {i.id: 1 if i.reverse else 5 for i in instrument.items}
    lowest = {i.id: 5 if i.reverse else 1 for i in instrument.items}
    top, bottom = score(instrument, highest), score(instrument, lowest)
    assert raw_of(top) == dict.fromkeys(FACTORS, 50.0)
    assert {(d.normalised, d.level) for d in top.dimensions} == {(100.0, "high")}
    assert raw_of(bottom) == dict.fromkeys(FACTORS, 10.0)
    assert {(d.normalised, d.level) for d in bottom.dimensions} == {(0.0, "low")}


def test_big_five_hand_computed_vector_with_reverse_items():
    instrument = get_instrument(BIG_FIVE)
    answers = uniform(BIG_FIVE, 3)
    # Extraversion, in file order: B01+ B06- B11+ B16- B21+ B26- B31+ B36- B41+ B46-
    answers.update({"B01": 5, "B06": 2, "B11": 4, "B16": 1, "B21": 3, "B26": 3, "B31": 2, "B36": 4, "B41": 1, "B46": 4})
    # Emotional stability: B09+ and B19+ answered 4; its eight reverse items answered 2 (count 4).
    answers.update({"B09": 4, "B19": 4} | {f"B{n:02d}": 2 for n in (4, 14, 24, 29, 34, 39, 44, 49)})
    result = score(instrument, answers).by_key()
    # 5 + (6-2) + 4 + (6-1) + 3 + (6-3) + 2 + (6-4) + 1 + (6-4) = 31
    assert result["extraversion"].raw == 31.0
    assert result["extraversion"].normalised == 52.5  # (31 - 10) / 40
    assert result["extraversion"].level == "average"
    assert result["emotional_stability"].raw == 40.0
    assert result["emotional_stability"].level == "high"
    assert result["intellect"].raw == 30.0
    assert item_score(instrument, instrument.items[1], 2) == 4  # B02 is reverse-keyed: 6 - 2


@pytest.mark.parametrize(
    ("raw", "level"),
    [(10, "low"), (24, "low"), (25, "average"), (30, "average"), (35, "average"), (36, "high"), (50, "high")],
)
def test_big_five_level_thresholds(raw, level):
    # Documented thresholds: low below 25 (item mean < 2.5), high above 35 (item mean > 3.5).
    assert level_of(get_instrument(BIG_FIVE), raw) == level


def test_levels_only_for_instruments_that_declare_them():
    assert level_of(get_instrument(INTERESTS), 0) == ""
    assert level_of(get_instrument(VALUES), 5) == ""


# ---------------------------------------------------------------- work values


def test_values_all_min_and_all_max():
    instrument = get_instrument(VALUES)
    low = score(instrument, uniform(VALUES, 1))
    assert raw_of(low) == dict.fromkeys(instrument.dimension_keys, 1.0)
    assert {d.normalised for d in low.dimensions} == {0.0}
    assert low.ranking == instrument.dimension_keys  # all tied: the declared order
    high = score(instrument, uniform(VALUES, 5))
    assert {d.raw for d in high.dimensions} == {5.0}
    assert {d.normalised for d in high.dimensions} == {100.0}
    assert high.holland_code == ""


def test_values_hand_computed_means_and_ranking():
    answers = by_dimension(
        VALUES,
        {
            "achievement": [5, 4, 4, 3],  # 4.0
            "working_conditions": [2, 2, 3, 3],  # 2.5
            "recognition": [1, 1, 2, 2],  # 1.5
            "relationships": 5,  # 5.0
            "security": [4, 4, 4, 4],  # 4.0, tied with achievement
            "autonomy": [3, 3, 3, 3],  # 3.0
        },
    )
    result = score(get_instrument(VALUES), answers)
    assert raw_of(result) == {
        "achievement": 4.0,
        "working_conditions": 2.5,
        "recognition": 1.5,
        "relationships": 5.0,
        "security": 4.0,
        "autonomy": 3.0,
    }
    assert {d.key: d.normalised for d in result.dimensions} == {
        "achievement": 75.0,
        "working_conditions": 37.5,
        "recognition": 12.5,
        "relationships": 100.0,
        "security": 75.0,
        "autonomy": 50.0,
    }
    # The tie between achievement and security keeps the declared order.
    assert result.ranking == (
        "relationships",
        "achievement",
        "security",
        "autonomy",
        "working_conditions",
        "recognition",
    )


# ---------------------------------------------------------------- answers


def test_clean_answers_accepts_partial_sets_strings_and_clearing():
    instrument = get_instrument(INTERESTS)
    assert clean_answers(instrument, {"R01": 0, "I01": "4", "A01": None, "S01": ""}) == {
        "R01": 0,
        "I01": 4,
        "A01": None,
        "S01": None,
    }


@pytest.mark.parametrize("value", [5, -1, "abc", 2.5, True, "4.0", [3]])
def test_clean_answers_refuses_values_outside_the_scale(value):
    with pytest.raises(FormError) as caught:
        clean_answers(get_instrument(INTERESTS), {"R01": 1, "R02": value})
    assert caught.value.fields == {"R02": "psy.error.out_of_scale"}
    assert caught.value.params == {"min": 0, "max": 4}


def test_clean_answers_refuses_unknown_items_and_zero_on_a_one_to_five_scale():
    with pytest.raises(FormError) as caught:
        clean_answers(get_instrument(BIG_FIVE), {"R01": 3, "B01": 0, "B02": 5})
    assert caught.value.fields == {"R01": "psy.error.unknown_item", "B01": "psy.error.out_of_scale"}


def test_missing_items_in_instrument_order_and_score_refuses_incomplete_answers():
    instrument = get_instrument(VALUES)
    answers = uniform(VALUES, 3)
    del answers["AUT4"], answers["ACH1"]
    assert missing_items(instrument, answers) == ["ACH1", "AUT4"]
    with pytest.raises(ValueError, match="unanswered"):
        score(instrument, answers)
    with pytest.raises(ValueError, match="out of scale"):
        score(instrument, uniform(VALUES, 0))


def test_scores_survive_their_json_form():
    instrument = get_instrument(INTERESTS)
    result = score(instrument, by_dimension(INTERESTS, {"R": 1, "I": 3, "A": 4, "S": 2, "E": 0, "C": 2}))
    stored = json.loads(json.dumps(result.to_json()))
    assert Scores.from_json(stored, result.holland_code) == result
    assert set(stored["dimensions"]["A"]) == {"raw", "normalised", "rank", "level"}
