"""The rows of the beneficiary's skills wizard (services/display/skills.py), on hand-made views."""

from __future__ import annotations

from datetime import UTC, datetime

from services.display.skills import (
    chosen_skill_rows,
    empty_experience_form,
    experience_edit_form,
    experience_rows,
    job_hit_rows,
    long_date,
    month_label,
    period_label,
    proposal_rows,
    skill_hit_rows,
    validated_on,
)
from services.models.rome import RomeItemKind
from services.rome.search import SearchHit, SkillHit
from services.skills.assessment import ExperienceView, Proposal, ProposalGroup, SkillView
from services.skills.scales import CRITERIA

OWN = {"maitrise": "avance", "frequence": "quotidienne", "contexte": "experience_pro", "appetence": "aime"}


def skill(**changes: object) -> SkillView:
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
        "self_rating": {**OWN, "potentiel": ""},
        "consultant_rating": dict.fromkeys(CRITERIA, ""),
        "effective": {**OWN, "potentiel": ""},
        "rated": False,
    }
    values.update(changes)
    return SkillView(**values)  # type: ignore[arg-type]


JOB = ExperienceView(
    id="e1",
    kind="emploi",
    title="Veilleuse de phare",
    code_rome="K9901",
    metier="Gardien de phare",
    appellation_code="700002",
    place="Phare",
    description="Veille",
    start="2015-03",
    end="2019-11",
)


def test_dates_and_periods_read_in_the_locale():
    day = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert long_date(day, "fr") == "9 mars 2026"
    assert long_date(day, "en") == "9 March 2026"
    assert long_date(None, "fr") == ""
    assert validated_on(day, "fr") == "Validée le 9 mars 2026."
    assert validated_on(None, "fr") == ""
    assert (month_label("2015-03", "en"), month_label("", "fr"), month_label("bad", "fr")) == ("March 2015", "", "bad")
    assert period_label("2015-03", "", "en") == "since March 2015"
    assert period_label("2015-03", "2019-11", "fr") == "mars 2015 – novembre 2019"


def test_a_line_of_parcours_refills_the_edit_form():
    [row] = experience_rows([JOB], "fr")
    assert (row["kind"], row["kind_label"], row["period"]) == ("emploi", "Emploi", "mars 2015 – novembre 2019")
    assert experience_rows([JOB], "en")[0]["kind_label"] == "Job"
    form = experience_edit_form(row)
    assert form == {
        "kind": "emploi",
        "title": "Veilleuse de phare",
        "place": "Phare",
        "start": "2015-03",
        "end": "2019-11",
        "description": "Veille",
        "appellation_code": "700002",
        "code_rome": "K9901",
        "metier": "Gardien de phare",
    }
    assert empty_experience_form().keys() == form.keys()
    assert empty_experience_form()["kind"] == "emploi" and not any(
        value for key, value in empty_experience_form().items() if key != "kind"
    )


def test_chosen_skills_carry_real_booleans_and_every_criterion():
    added = skill(id="s2", origin="ajoute", rated=True, self_rating={**OWN, "potentiel": "fort"})
    first, second = chosen_skill_rows([skill(), skill(id="s3", selected=False), added], "fr")
    assert (first["id"], second["id"]) == ("s1", "s2")
    assert (first["added"], first["rated"]) == (False, False)
    assert (second["added"], second["rated"]) == (True, True)
    assert (first["maitrise"], first["maitrise_label"]) == ("avance", "Avancé")
    assert (first["potentiel"], first["potentiel_label"]) == ("", "—")
    assert second["potentiel_label"] == "Fort"
    assert all(criterion in first and f"{criterion}_label" in first for criterion in CRITERIA)
    assert chosen_skill_rows([skill()], "en")[0]["kind_label"] == "Know-how"


def test_proposals_come_by_metier_core_first():
    group = ProposalGroup(
        code_rome="K9901",
        libelle="Gardien de phare",
        experiences=["Veilleuse de phare"],
        skills=[
            Proposal("800001", "Allumer la lanterne", "savoir_faire", True, True),
            Proposal("800002", "Lire les cartes", "savoir", False, False),
        ],
    )
    heads, cores, others = proposal_rows([group, ProposalGroup("K9902", "Vigie", [])], "fr")
    assert heads[0] == {
        "code_rome": "K9901",
        "libelle": "Gardien de phare",
        "from": "Pour : Veilleuse de phare",
        "more": "Autres compétences de ce métier (1)",
        "has_more": True,
    }
    assert heads[1]["has_more"] is False and cores[1] == [] and others[1] == []
    assert cores[0] == [
        {"code_ogr": "800001", "libelle": "Allumer la lanterne", "kind_label": "Savoir-faire", "checked": True}
    ]
    assert others[0][0]["checked"] is False


def test_search_hits_become_options():
    hits = [
        SearchHit("K9901", "Gardien de phare", "Veilleur de phare", "700002", 1.0),
        SearchHit("K9902", "Vigie", None, None, 0.5),
    ]
    first, second = job_hit_rows(hits)
    assert first == {
        "label": "Veilleur de phare",
        "metier": "Gardien de phare",
        "code_rome": "K9901",
        "appellation_code": "700002",
    }
    assert second == {"label": "Vigie", "metier": "Vigie", "code_rome": "K9902", "appellation_code": ""}
    found = [
        SkillHit("800001", "Allumer la lanterne", RomeItemKind.SAVOIR_FAIRE, 1.0),
        SkillHit("800002", "Faire preuve de patience", RomeItemKind.SAVOIR_ETRE, 0.5),
    ]
    assert skill_hit_rows(found, "fr", {"800001"}) == [
        {"code_ogr": "800002", "libelle": "Faire preuve de patience", "kind_label": "Savoir-être"}
    ]
