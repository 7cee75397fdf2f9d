"""The consultant's validation page and the skills map without a browser: the row builders of
services/display/skills_review.py, on hand-made views and on a real assessment (through the services)."""

from __future__ import annotations

from services import routes
from services.display.skills import month_label, period_label
from services.display.skills_review import (
    chart_rows,
    consultant_values,
    criterion_options,
    group_rows,
    history_change,
    history_rows,
    map_skill_rows,
    matrix_view,
    review_experience_rows,
    review_skill_rows,
    status_row,
    value_options,
    zone_view,
)
from services.i18n import EN, FR
from services.models import AssessmentStatus, AssessmentStep
from services.skills import assessment, cartography
from services.skills.assessment import AssessmentView, ExperienceView, HistoryRow, SkillView
from services.skills.cartography import GroupStat, MapSkill, MatrixCell
from services.skills.scales import CRITERIA
from state.skills_review import is_started
from tests.unit.test_skills import open_bilan, submitted_assessment
from tests.unit.test_skills import referentiel as referentiel

SELF = {"maitrise": "avance", "frequence": "quotidienne", "contexte": "experience_pro", "appetence": "aime"}
SELF = {**SELF, "potentiel": "moyen"}
NONE = dict.fromkeys(CRITERIA, "")


def skill(consultant: dict[str, str] | None = None, own: dict[str, str] = SELF, **changes: object) -> SkillView:
    theirs = {**NONE, **(consultant or {})}
    values: dict[str, object] = {
        "id": "s1",
        "code_ogr": "800001",
        "libelle": "Allumer la lanterne",
        "kind": "savoir_faire",
        "categorie": "Technique",
        "domaine": "Domaine fictif K99",
        "core": True,
        "origin": "proposed",
        "selected": True,
        "self_rating": own,
        "consultant_rating": theirs,
        "effective": {criterion: theirs[criterion] or own[criterion] for criterion in CRITERIA},
        "rated": all(own.values()),
    }
    values.update(changes)
    return SkillView(**values)  # type: ignore[arg-type]


def view(**changes: object) -> AssessmentView:
    values: dict[str, object] = {
        "bilan_id": "b1",
        "status": AssessmentStatus.DRAFT,
        "step": AssessmentStep.PARCOURS,
        "experiences": [],
        "skills": [],
        "submitted_at": None,
        "validated_at": None,
        "progress": 0,
        "editable": True,
    }
    values.update(changes)
    return AssessmentView(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- routes and the catalogue


def test_the_bilan_is_read_from_the_path_of_each_page():
    assert routes.path_param(routes.bilan_skills("abc-1"), "bilan_id") == "abc-1"
    assert routes.path_param(routes.bilan_skills_map("abc-1"), "bilan_id") == "abc-1"
    assert routes.match(routes.bilan_skills_map("abc-1")) == (routes.BILAN_SKILLS_MAP, {"bilan_id": "abc-1"})
    assert routes.path_param(routes.SKILLS_MAP, "bilan_id") == ""
    assert routes.path_param("/bilans/abc-1/inconnu", "bilan_id") == ""


def test_every_key_of_the_pages_is_in_both_locales():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = ("services/display/skills.py", "services/display/skills_review.py", "bilan_app/pages/skills_review.py")
    text = "".join((root / name).read_text() for name in files)
    keys = set(re.findall(r'"((?:skills|chart|questionnaire)\.[a-z_]+(?:\.[a-z_]+)+)"', text))
    assert keys, "the pattern found no key"
    assert sorted(key for key in keys if key not in FR or key not in EN) == []
    for prefix in ("skills.status.", "skills.map.zone.", "skills.history."):
        assert {key for key in FR if key.startswith(prefix)} <= EN.keys()


# ---------------------------------------------------------------- the validation page


def test_an_untouched_assessment_is_the_empty_state():
    assert not is_started(view())
    assert is_started(view(skills=[skill()]))
    assert is_started(view(status=AssessmentStatus.SUBMITTED))


def test_status_reads_with_its_dates():
    from datetime import UTC, datetime

    submitted = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    validated = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    info = status_row(view(status=AssessmentStatus.VALIDATED, submitted_at=submitted, validated_at=validated), "fr")
    assert info == {
        "label": "Validée",
        "submitted": "Transmise le 2 mars 2026.",
        "validated": "Validée le 9 mars 2026.",
    }
    # Reopened: the old validation date is not shown as current.
    info = status_row(view(status=AssessmentStatus.SUBMITTED, submitted_at=submitted, validated_at=validated), "fr")
    assert (info["label"], info["validated"]) == ("Transmise au consultant", "")
    assert status_row(view(), "en")["label"] == "Being filled in"


def test_the_parcours_reads_in_french_months():
    assert month_label("2015-03", "fr") == "mars 2015"
    assert month_label("", "fr") == ""
    assert period_label("2015-03", "", "fr") == "depuis mars 2015"
    assert period_label("2015-03", "2019-11", "fr") == "mars 2015 – novembre 2019"
    assert period_label("", "", "fr") == ""
    job = ExperienceView(
        id="e1",
        kind="emploi",
        title="Veilleuse de phare",
        code_rome="K9901",
        metier="Gardien de phare",
        appellation_code="700002",
        place="Phare",
        description="Veille",
        start="2015-03",
        end="",
    )
    [row] = review_experience_rows([job], "fr")
    assert row == {
        "kind": "Emploi",
        "title": "Veilleuse de phare",
        "metier": "Gardien de phare",
        "period": "depuis mars 2015",
        "place": "Phare",
        "description": "Veille",
    }


def test_self_and_consultant_ratings_side_by_side_with_the_adjusted_one_marked():
    [head], [ratings] = review_skill_rows([skill({"maitrise": "intermediaire"})], "fr")
    assert head == {
        "id": "s1",
        "libelle": "Allumer la lanterne",
        "kind": "Savoir-faire",
        "domaine": "Domaine fictif K99",
        "core": True,
        "complete": True,
    }
    assert len(ratings) == len(CRITERIA)
    maitrise, frequence = ratings[0], ratings[1]
    assert maitrise == {
        "label": "Niveau de maîtrise",
        "self": "Avancé",
        "consultant": "Intermédiaire",
        "adjusted": True,
    }
    assert (frequence["self"], frequence["consultant"], frequence["adjusted"]) == ("Tous les jours", "—", False)


def test_a_skill_not_fully_rated_is_flagged():
    own = {**SELF, "potentiel": ""}
    [head], [ratings] = review_skill_rows([skill(own=own)], "fr")
    assert head["complete"] is False
    assert ratings[-1]["self"] == "—"
    # The consultant's rating completes it.
    [head], _ = review_skill_rows([skill({"potentiel": "fort"}, own=own)], "fr")
    assert head["complete"] is True


def test_the_adjustment_form_choices():
    assert [option["value"] for option in criterion_options("fr")] == list(CRITERIA)
    options = value_options("appetence", "fr")
    assert options[0] == {"value": "", "label": "Reprendre l'auto-évaluation"}
    assert [option["value"] for option in options[1:]] == ["aime", "neutre", "naime_pas"]
    assert value_options("appetence", "en")[3]["label"] == "I don't like it"
    assert value_options("nope", "fr") == [{"value": "", "label": "Reprendre l'auto-évaluation"}]
    assert consultant_values([skill({"contexte": "formation"})]) == {"s1": {**NONE, "contexte": "formation"}}


def test_history_rows_say_who_changed_what():
    from datetime import UTC, datetime

    at = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    lantern = "Allumer la lanterne"
    rating = HistoryRow(at, "Claire Martin", True, "rating", lantern, "maitrise", "avance", "expert", "Vu.")
    cleared = HistoryRow(at, "Léa Dubois", False, "rating", lantern, "potentiel", "moyen", "", "")
    validated = HistoryRow(at, "Claire Martin", True, "validated", "", "", "", "", "")
    assert history_change(rating, "fr") == "Niveau de maîtrise : Avancé → Expert"
    assert history_change(cleared, "fr") == "Potentiel de développement : Moyen → —"
    assert history_change(validated, "en") == "Assessment validated"
    first, second, third = history_rows([rating, cleared, validated], "fr")
    assert (first["author"], first["role"], first["skill"], first["comment"]) == (
        "Claire Martin",
        "consultant",
        "Allumer la lanterne",
        "Vu.",
    )
    assert "2026" in first["date"] and "15:30" in first["date"]  # Paris time
    assert (second["role"], third["skill"], third["change"]) == ("bénéficiaire", "—", "Évaluation validée")


# ---------------------------------------------------------------- the map


def test_chart_rows_count_skills_and_show_the_mastery():
    stats = [GroupStat("Domaine A", 4, 3.25, 3), GroupStat("Domaine B", 1, 1.0, 0)]
    first, second = chart_rows(stats, "fr")
    assert first == {
        "label": "Domaine A",
        "value": "4",
        "min": "0",
        "max": "4",
        "display": "4 compétence(s), maîtrise 3,2/4",
    }
    assert (second["value"], second["max"], second["display"]) == ("1", "4", "1 compétence(s), maîtrise 1/4")
    assert chart_rows(stats, "en")[0]["display"] == "4 skill(s), mastery 3.2/4"
    assert chart_rows([], "fr") == []
    assert group_rows(stats, "fr")[0] == {"label": "Domaine A", "count": "4", "average": "3,2/4", "strong": "3"}


def test_the_matrix_keeps_its_rows_columns_and_zones_in_text():
    matrix = [
        [
            MatrixCell(maitrise, appetence, cartography.zone_of(maitrise, appetence, ""), [])
            for appetence in ("aime", "neutre", "naime_pas")
        ]
        for maitrise in ("expert", "avance", "intermediaire", "debutant")
    ]
    matrix[0][0] = MatrixCell("expert", "aime", "valoriser", ["Allumer la lanterne", "Lire les cartes"])
    rows, columns, cells, names = matrix_view(matrix, "fr")
    assert rows == ["Expert", "Avancé", "Intermédiaire", "Débutant"]
    assert columns == ["J'aime", "Neutre", "Je n'aime pas"]
    assert cells[0][0] == {"zone": "valoriser", "zone_label": "À valoriser"}
    assert cells[3][0]["zone_label"] == "À développer"
    assert cells[3][2]["zone_label"] == "À mettre de côté"
    assert names[0][0] == ["Allumer la lanterne", "Lire les cartes"] and names[3][2] == []
    assert matrix_view([], "fr") == ([], [], [], [])


def map_skill(libelle: str, zone: str, **changes: object) -> MapSkill:
    values: dict[str, object] = {
        "libelle": libelle,
        "group_domain": "Domaine fictif K99",
        "group_category": "Savoir-faire · Technique",
        "maitrise": "Expert",
        "appetence": "J'aime",
        "frequence": "Tous les jours",
        "contexte": "Formation",
        "potentiel": "Fort",
        "level": 4,
        "zone": zone,
        "core": False,
    }
    values.update(changes)
    return MapSkill(**values)  # type: ignore[arg-type]


def test_zone_lists_come_in_order_with_their_counts():
    lantern = map_skill("Allumer la lanterne", "valoriser", core=True)
    heads, members = zone_view({"valoriser": [lantern], "developper": [], "mettre_de_cote": []}, "fr")
    assert [head["zone"] for head in heads] == ["valoriser", "developper", "mettre_de_cote"]
    assert [head["title"] for head in heads] == ["À valoriser (1)", "À développer (0)", "À mettre de côté (0)"]
    assert [row["libelle"] for row in members[0]] == ["Allumer la lanterne"] and members[1] == []
    [row] = map_skill_rows([lantern], "fr")
    assert row == {
        "libelle": "Allumer la lanterne",
        "domain": "Domaine fictif K99",
        "category": "Savoir-faire · Technique",
        "maitrise": "Expert",
        "frequence": "Tous les jours",
        "contexte": "Formation",
        "appetence": "J'aime",
        "potentiel": "Fort",
        "zone_label": "À valoriser",
        "core": True,
    }


# ---------------------------------------------------------------- on a real assessment


def test_the_builders_on_a_real_adjusted_and_validated_assessment(referentiel):
    world = referentiel
    bilan_id, _, patience = submitted_assessment(world)
    assessment.adjust_rating(world.consultant_a, patience, "appetence", "naime_pas", "Dit en séance.")
    assessment.validate(world.consultant_a, bilan_id)
    current = assessment.get_assessment(world.consultant_a, bilan_id)
    heads, ratings = review_skill_rows(current.selected, "fr")
    adjusted = {
        head["libelle"]: sum(row["adjusted"] for row in rows) for head, rows in zip(heads, ratings, strict=True)
    }
    assert adjusted == {"Allumer la lanterne": 0, "Faire preuve de patience": 1}
    patience_rows = ratings[[head["id"] for head in heads].index(patience)]
    assert [row["consultant"] for row in patience_rows if row["adjusted"]] == ["Je n'aime pas"]
    changes = [row["change"] for row in history_rows(assessment.history(world.consultant_a, bilan_id), "fr")]
    assert changes[:2] == ["Évaluation validée", "Appétence : J'aime → Je n'aime pas"]
    skills_map = cartography.skills_map(world.beneficiary_a, bilan_id, "fr")
    assert skills_map is not None
    heads, members = zone_view(skills_map.zones, "fr")
    assert [[row["libelle"] for row in zone] for zone in members] == [
        ["Allumer la lanterne"],
        [],
        ["Faire preuve de patience"],
    ]
    _, _, cells, names = matrix_view(skills_map.matrix, "fr")
    assert sum(len(cell) for row in names for cell in row) == 2 and len(cells) == 4


def test_a_bilan_never_started_is_the_empty_state(referentiel):
    bilan_id = open_bilan(referentiel)
    assert not is_started(assessment.get_assessment(referentiel.consultant_a, bilan_id))
