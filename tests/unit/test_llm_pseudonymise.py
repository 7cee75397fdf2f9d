"""Pseudonymisation: every kind of identifying value goes out as a placeholder and comes back intact."""

from __future__ import annotations

import pytest

from services.llm.pseudonymise import PLACEHOLDER, Pseudonymiser

TEXT = (
    "Bruno Benef (bruno.benef@exemple.fr, 06 12 34 56 78) habite 12 bis rue de l'Église, 75011 Paris. "
    "Il a travaillé chez Boulangerie Dupont puis à la SNCF. Bruno a rencontré Camille Conseil ; "
    "Martine Durand l'a recommandé. Une idée claire : viser 35000 € à 20 km de 69003 Lyon. Code ROME K1101."
)


def make() -> Pseudonymiser:
    return Pseudonymiser(
        names=["Bruno Benef", "Camille Conseil", "Martine Durand"], employers=["Boulangerie Dupont", "SNCF"]
    )


def test_the_round_trip_gives_back_the_text_and_leaks_nothing():
    p = make()
    out = p.pseudonymise(TEXT)
    assert p.restore(out) == TEXT
    for value in (
        "Bruno",
        "Benef",
        "bruno.benef",
        "06 12 34 56 78",
        "rue de l'Église",
        "75011",
        "Boulangerie Dupont",
        "SNCF",
        "Camille",
        "Martine",
        "Durand",
        "69003",
    ):
        assert value not in out, value
    # What is not identifying stays readable for the model.
    for kept in ("Une idée claire", "35000 €", "20 km", "K1101", "habite", "recommandé"):
        assert kept in out


def test_placeholders_are_stable_and_link_a_person_to_their_first_name():
    p = make()
    out = p.pseudonymise(TEXT)
    assert out.startswith("[PERSONNE_1] ([EMAIL_1], [TELEPHONE_1]) habite [ADRESSE_1].")
    assert "[PERSONNE_1_PRENOM] a rencontré [PERSONNE_2]" in out
    assert "[EMPLOYEUR_1] puis à la [EMPLOYEUR_2]" in out
    assert p.mapping["[ADRESSE_1]"] == "12 bis rue de l'Église, 75011 Paris"
    # The same value gets the same placeholder in a second text of the same prompt.
    assert (
        p.pseudonymise("Écrire à bruno.benef@exemple.fr ou à Bruno Benef.") == "Écrire à [EMAIL_1] ou à [PERSONNE_1]."
    )


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 1 45 67 89 01",
        "+33612345678",
    ],
)
def test_french_phone_formats(phone):
    p = Pseudonymiser()
    out = p.pseudonymise(f"Tél. {phone}, merci.")
    assert out == "Tél. [TELEPHONE_1], merci."
    assert p.restore(out) == f"Tél. {phone}, merci."


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("au 5, place du Marché à Troyes", "5, place du Marché"),
        (
            "au 14 avenue Jean Jaurès 92100 Boulogne-Billancourt, entrée B",
            "14 avenue Jean Jaurès 92100 Boulogne-Billancourt",
        ),
        ("au 3 ter boulevard de la République, 13001 Marseille.", "3 ter boulevard de la République, 13001 Marseille"),
        ("au 8 impasse des Lilas.", "8 impasse des Lilas"),
        ("à 37540 Saint-Cyr-sur-Loire.", "37540 Saint-Cyr-sur-Loire"),
        ("code postal 44000.", "44000"),
    ],
)
def test_postal_addresses_and_postcodes(text, address):
    p = Pseudonymiser()
    out = p.pseudonymise(text)
    assert address not in out and "[ADRESSE_1]" in out
    assert p.mapping["[ADRESSE_1]"] == address
    assert p.restore(out) == text


def test_amounts_distances_and_lowercase_words_are_not_taken_for_identities():
    p = Pseudonymiser(names=["Claire Rose"])
    text = "Une idée claire et une rose ; 35000 euros, 12000 km, 95 % des cas, OGR 800001."
    assert p.pseudonymise(text) == text
    assert p.pseudonymise("Claire ROSE viendra.") == "[PERSONNE_1] viendra."


def test_restore_works_inside_json_structures_and_leaves_unknown_placeholders():
    p = make()
    p.pseudonymise(TEXT)
    data = {"synthese": "[PERSONNE_1] chez [EMPLOYEUR_1]", "items": [{"x": "[ PERSONNE_2 ]"}, 3, None, "[PERSONNE_9]"]}
    assert p.restore_data(data) == {
        "synthese": "Bruno Benef chez Boulangerie Dupont",
        "items": [{"x": "Camille Conseil"}, 3, None, "[PERSONNE_9]"],
    }
    # A streamed answer cut in the middle of a placeholder keeps the fragment as it is.
    assert p.restore("Bonjour [PERSONNE_1] et [PERS") == "Bonjour Bruno Benef et [PERS"


def test_a_name_inside_an_email_or_a_placeholder_is_not_replaced_twice():
    p = Pseudonymiser(names=["Email Personne"])
    out = p.pseudonymise("Email Personne : email.personne@exemple.fr")
    assert out == "[PERSONNE_1] : [EMAIL_1]"
    assert all(match.group(1) in {"PERSONNE", "EMAIL"} for match in PLACEHOLDER.finditer(out))
    assert p.restore(out) == "Email Personne : email.personne@exemple.fr"
