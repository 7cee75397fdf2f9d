"""The AI panel of the analysis page without a browser: which engine the screen announces, the
proposal shown as blocks, edited as text fields (paths, pruning, nested errors), and the text of an
answer still streaming."""

from __future__ import annotations

import json

import pytest

from services.display.ai import content_blocks, field_label
from services.errors import AccessDenied, FormError, NotFound
from services.i18n import FR
from services.llm import consent, review, run
from services.llm.editing import apply_edits, partial_texts, text_leaves
from services.llm.schemas import OUTPUT_MODELS, AiFeature
from services.models import AiEngine
from tests.unit.test_llm import TARGET, fake_llm, fake_llm_server, llm_env, make_bilan  # noqa: F401 (fixtures)

SKILLS = {
    "synthese": "Un parcours centré sur la relation client.",
    "competences": [
        {
            "competence": "Accueil de la clientèle",
            "preuves": ["Vendeuse en boulangerie", "Trésorière d'association"],
            "transferable_vers": ["Commerce", "Hôtellerie"],
            "niveau": "fort",
        },
        {"competence": "Gestion de caisse", "preuves": ["Vendeuse"], "transferable_vers": [], "niveau": "moyen"},
    ],
    "points_de_vigilance": ["Mobilité à vérifier"],
}


@pytest.fixture
def bilan(world):
    return make_bilan(world)


def test_every_text_has_a_path_and_a_label_and_choices_are_not_text():
    leaves = text_leaves(AiFeature.TRANSFERABLE_SKILLS, SKILLS)
    paths = [leaf.path for leaf in leaves]
    assert paths == [
        "synthese",
        "competences.0.competence",
        "competences.0.preuves.0",
        "competences.0.preuves.1",
        "competences.0.transferable_vers.0",
        "competences.0.transferable_vers.1",
        "competences.1.competence",
        "competences.1.preuves.0",
        "points_de_vigilance.0",
    ]
    assert "fort" not in [leaf.value for leaf in leaves]  # the level is a choice, kept as it is
    assert leaves[0].long and not leaves[1].long
    assert field_label(leaves[3].fields, "fr") == "Compétences 1 · Preuves 2"
    assert field_label(leaves[3].fields, "en") == "Skills 1 · Evidence 2"


def test_an_edit_puts_texts_back_and_blanked_items_leave_their_list():
    edited = apply_edits(
        AiFeature.TRANSFERABLE_SKILLS,
        SKILLS,
        {
            "synthese": "  Synthèse relue.  ",
            "competences.0.preuves.1": "",  # one piece of evidence removed
            "competences.1.competence": " ",  # the whole second skill removed
            "points_de_vigilance.0": "Mobilité : 30 km au plus",
            "competences.0.niveau": "moyen",  # not a text of the content: ignored
            "unknown.path": "x",
        },
    )
    assert edited["synthese"] == "Synthèse relue."
    assert [c["competence"] for c in edited["competences"]] == ["Accueil de la clientèle"]
    assert edited["competences"][0]["preuves"] == ["Vendeuse en boulangerie"]
    assert edited["competences"][0]["niveau"] == "fort"
    assert edited["points_de_vigilance"] == ["Mobilité : 30 km au plus"]
    assert SKILLS["competences"][1]["competence"] == "Gestion de caisse"  # the original is untouched
    OUTPUT_MODELS[AiFeature.TRANSFERABLE_SKILLS].model_validate(edited)


def test_the_proposal_reads_as_headings_paragraphs_and_items():
    blocks = content_blocks(AiFeature.TRANSFERABLE_SKILLS, SKILLS, "fr")
    assert blocks[0] == {"kind": "p", "text": SKILLS["synthese"]}
    assert {"kind": "h", "text": "Compétences"} in blocks
    first = next(block["text"] for block in blocks if block["kind"] == "li")
    assert first == (
        "Accueil de la clientèle — Preuves : Vendeuse en boulangerie, Trésorière d'association"
        " — Transférable vers : Commerce, Hôtellerie — Niveau : fort"
    )
    assert blocks[-1] == {"kind": "li", "text": "Mobilité à vérifier"}
    for key in ("aipanel.field.competences", "aipanel.field.points_de_vigilance", "aipanel.value.a_confirmer"):
        assert key in FR


def test_an_answer_still_streaming_shows_its_texts_only():
    whole = json.dumps(SKILLS, ensure_ascii=False)
    cut = whole[: whole.index("Trésorière") + 5]  # stops inside a string
    assert partial_texts(cut) == [
        SKILLS["synthese"],
        "Accueil de la clientèle",
        "Vendeuse en boulangerie",
        "Tréso",
    ]
    assert partial_texts('{"synthese": "Il a dit \\"bonjour\\" puis') == ['Il a dit "bonjour" puis']
    assert partial_texts('{"synthese": "Bonjour\\') == ["Bonjour"]  # cut inside an escape
    assert partial_texts('{"competences": [{"niveau": "fort", "preu') == []  # choices and keys


def test_the_screen_announces_the_engine_before_anything_is_sent(world, bilan, llm_env):  # noqa: F811
    choice = run.engine_choice(world.consultant_a, bilan)
    assert (choice.engine, choice.reason) == (AiEngine.LOCAL, "no_consent")
    consent.give_consent(world.beneficiary_a, bilan)
    choice = run.engine_choice(world.admin_a, bilan)
    assert (choice.engine, choice.model, choice.reason) == (AiEngine.LLM, "gpt-4o-mini", "")
    assert llm_env.requests == []  # asking sends nothing
    with pytest.raises(AccessDenied):
        run.engine_choice(world.beneficiary_a, bilan)
    with pytest.raises(NotFound):
        run.engine_choice(world.consultant_b, bilan)


def test_without_an_llm_the_screen_says_the_local_engine_runs(world, bilan):
    choice = run.engine_choice(world.consultant_a, bilan)
    assert (choice.engine, choice.reason) == (AiEngine.LOCAL, "not_configured")


def test_a_bad_edit_names_the_nested_field_and_changes_nothing(world, bilan):
    consultant = world.consultant_a
    proposal = run.explain_recommendation(consultant, bilan, TARGET).proposal_id
    content = review.get_proposal(consultant, proposal).content
    edited = apply_edits(
        AiFeature.RECOMMENDATION_EXPLANATION, content, {"explication": "", "ecarts.0.conseil": "x" * 4001}
    )
    with pytest.raises(FormError) as caught:
        review.edit_proposal(consultant, proposal, edited)
    assert caught.value.fields == {"explication": "error.required", "ecarts.0.conseil": "error.too_long"}
    assert review.get_proposal(consultant, proposal).status == "proposed"

    edited = apply_edits(AiFeature.RECOMMENDATION_EXPLANATION, content, {"explication": "Relue par Claire."})
    view = review.edit_proposal(consultant, proposal, edited)
    assert (view.status, view.content["explication"]) == ("edited", "Relue par Claire.")
    assert view.original["explication"] == content["explication"]


def test_the_session_notes_themes_read_with_their_session_numbers():
    themes = {
        "themes": [
            {"theme": "Mobilité", "description": "Évoquée deux fois.", "seances": [1, 3], "a_approfondir": False},
        ],
        "synthese": "Deux séances avec notes.",
    }
    blocks = content_blocks(AiFeature.SESSION_THEMES, themes, "fr")
    assert {"kind": "li", "text": "Mobilité — Description : Évoquée deux fois. — Séances : 1, 3"} in blocks
    assert {"kind": "p", "text": "Deux séances avec notes."} in blocks
    assert [leaf.path for leaf in text_leaves(AiFeature.SESSION_THEMES, themes)] == [
        "themes.0.theme",
        "themes.0.description",
        "synthese",
    ]
