"""The skills self-assessment (wizard), the consultant's validation and the skills map.

The référentiel is the tests' invented export (tests/unit/test_rome_import.py): K9901 "Gardien de
phare" (core skill 800001, savoir-être 800003, savoir 810001, context 820001), K9902 "Fabricant de
cerfs-volants", M9903 "Informaticien quantique" (core 800004). The bilan goes through the real
services: beneficiary_a asks for consultant_a, who accepts.
"""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import col, select

from services import bilans
from services.access import Actor
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.models import AssessmentExperience, AssessmentHistory, AuditEvent, Membership, Organisation, Role, User
from services.rome.importer import import_rome
from services.rome.search import search_skills
from services.skills import assessment, cartography
from tests.unit.test_rome_import import write_export

FIVE = {"maitrise": "avance", "frequence": "quotidienne", "contexte": "experience_pro", "appetence": "aime"}
FULL = {**FIVE, "potentiel": "moyen"}
JOB = {"kind": "emploi", "title": "Veilleuse de phare", "appellation_code": "700002", "start": "2015-03", "end": ""}


@pytest.fixture
def referentiel(world, tmp_path):
    import_rome(write_export(tmp_path / "export"))
    return world


def open_bilan(world, org: str = "a") -> uuid.UUID:
    beneficiary, consultant = world.actor(f"beneficiary_{org}"), world.actor(f"consultant_{org}")
    bilan_id = bilans.request_bilan(
        beneficiary,
        {"mode": "hybride", "funding_type": "cpf", "requested_consultant_id": str(consultant.user_id)},
    )
    bilans.accept_request(consultant, bilan_id)
    return bilan_id


def rate_all(world, skill_id: str, rating: dict[str, str] = FULL) -> None:
    for criterion, value in rating.items():
        assessment.rate_skill(world.beneficiary_a, skill_id, criterion, value)


def submitted_assessment(world) -> tuple[uuid.UUID, str, str]:
    """A bilan whose beneficiary kept and rated two skills, then submitted: (bilan, core skill, savoir-être)."""
    bilan_id = open_bilan(world)
    assessment.add_experience(world.beneficiary_a, bilan_id, JOB)
    core = assessment.choose_skill(world.beneficiary_a, bilan_id, "800001", "K9901")
    patience = assessment.choose_skill(world.beneficiary_a, bilan_id, "800003", "K9901")
    rate_all(world, core)
    rate_all(world, patience, {**FULL, "maitrise": "debutant", "appetence": "aime", "potentiel": "fort"})
    assessment.submit(world.beneficiary_a, bilan_id)
    return bilan_id, core, patience


# ---------------------------------------------------------------- the parcours


def test_an_untouched_assessment_is_empty_and_starts_at_the_parcours(referentiel):
    bilan_id = open_bilan(referentiel)
    view = assessment.get_assessment(referentiel.beneficiary_a, bilan_id)
    assert (view.step.value, view.status.value, view.progress, view.experiences, view.skills) == (
        "parcours",
        "draft",
        0,
        [],
        [],
    )
    assert view.editable


def test_a_job_found_by_appellation_is_linked_to_its_metier(referentiel):
    bilan_id = open_bilan(referentiel)
    assessment.add_experience(
        referentiel.beneficiary_a, bilan_id, {**JOB, "place": "Phare du Créac'h", "description": "Veille de nuit"}
    )
    [experience] = assessment.get_assessment(referentiel.beneficiary_a, bilan_id).experiences
    assert (experience.code_rome, experience.start, experience.end) == ("K9901", "2015-03", "")
    assert (experience.place, experience.description) == ("Phare du Créac'h", "Veille de nuit")
    with session_scope() as session:
        row = session.exec(select(AssessmentExperience)).one()
        assert "Créac" not in row.place_encrypted and "nuit" not in row.description_encrypted


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"title": "  "}, "title", "error.required"),
        ({"start": ""}, "start", "error.required"),
        ({"start": "2015-13"}, "start", "error.month_invalid"),
        ({"end": "2014-01"}, "end", "error.end_before_start"),
        ({"start": "2999-01"}, "start", "error.month_future"),
        ({"appellation_code": "123456"}, "appellation_code", "skills.error.appellation_unknown"),
        ({"kind": "stage"}, "kind", "error.invalid_choice"),
    ],
)
def test_a_bad_experience_is_refused_next_to_its_field_and_nothing_is_saved(referentiel, change, field, key):
    bilan_id = open_bilan(referentiel)
    with pytest.raises(FormError) as caught:
        assessment.add_experience(referentiel.beneficiary_a, bilan_id, {**JOB, **change})
    assert caught.value.fields[field] == key
    assert assessment.get_assessment(referentiel.beneficiary_a, bilan_id).experiences == []


def test_volunteering_needs_no_dates_and_an_experience_can_be_edited_and_removed(referentiel):
    bilan_id = open_bilan(referentiel)
    experience_id = assessment.add_experience(
        referentiel.beneficiary_a, bilan_id, {"kind": "benevolat", "title": "Trésorière d'association"}
    )
    assessment.update_experience(
        referentiel.beneficiary_a, experience_id, {"kind": "benevolat", "title": "Présidente", "start": "2020-01"}
    )
    [experience] = assessment.get_assessment(referentiel.beneficiary_a, bilan_id).experiences
    assert (experience.title, experience.start) == ("Présidente", "2020-01")
    assessment.remove_experience(referentiel.beneficiary_a, experience_id)
    assert assessment.get_assessment(referentiel.beneficiary_a, bilan_id).experiences == []


# ---------------------------------------------------------------- skills


def test_skills_are_proposed_from_the_metiers_of_the_parcours_core_first_without_contexts(referentiel):
    bilan_id = open_bilan(referentiel)
    assert assessment.proposals(referentiel.beneficiary_a, bilan_id) == []
    assessment.add_experience(referentiel.beneficiary_a, bilan_id, JOB)
    [group] = assessment.proposals(referentiel.beneficiary_a, bilan_id)
    assert (group.code_rome, group.experiences) == ("K9901", ["Veilleuse de phare"])
    codes = [proposal.code_ogr for proposal in group.skills]
    assert codes[0] == "800001" and group.skills[0].core
    assert set(codes) == {"800001", "800003", "810001"}  # the work context 820001 is not a skill


def test_choosing_unticking_and_choosing_again_keeps_the_ratings(referentiel):
    bilan_id = open_bilan(referentiel)
    assessment.add_experience(referentiel.beneficiary_a, bilan_id, JOB)
    skill_id = assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "800001", "K9901")
    assessment.rate_skill(referentiel.beneficiary_a, skill_id, "maitrise", "expert")
    assessment.unchoose_skill(referentiel.beneficiary_a, skill_id)
    assert assessment.get_assessment(referentiel.beneficiary_a, bilan_id).selected == []
    assert assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "800001", "K9901") == skill_id
    [skill] = assessment.get_assessment(referentiel.beneficiary_a, bilan_id).selected
    assert (skill.self_rating["maitrise"], skill.core, skill.origin, skill.domaine) == (
        "expert",
        True,
        "propose",
        "Domaine fictif K99",
    )
    [group] = assessment.proposals(referentiel.beneficiary_a, bilan_id)
    assert [proposal.selected for proposal in group.skills if proposal.code_ogr == "800001"] == [True]


def test_a_skill_found_by_search_is_added_with_the_domain_that_uses_it(referentiel):
    hits = search_skills("calibrer qbits")  # misspelled
    assert hits[0].code_ogr == "800004"
    bilan_id = open_bilan(referentiel)
    assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "800004")
    [skill] = assessment.get_assessment(referentiel.beneficiary_a, bilan_id).selected
    assert (skill.origin, skill.core, skill.domaine, skill.kind) == (
        "ajoute",
        False,
        "Domaine fictif M99",
        "savoir_faire",
    )
    with pytest.raises(ServiceError):
        assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "820001")  # a work context


def test_ratings_are_checked_saved_one_by_one_and_kept_in_the_history(referentiel):
    bilan_id = open_bilan(referentiel)
    skill_id = assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "800004")
    with pytest.raises(FormError) as caught:
        assessment.rate_skill(referentiel.beneficiary_a, skill_id, "maitrise", "genial")
    assert caught.value.fields == {"maitrise": "error.invalid_choice"}
    with pytest.raises(FormError):
        assessment.rate_skill(referentiel.beneficiary_a, skill_id, "humeur", "aime")
    view = assessment.rate_skill(referentiel.beneficiary_a, skill_id, "maitrise", "intermediaire")
    assert (view.self_rating["maitrise"], view.rated) == ("intermediaire", False)
    rate_all(referentiel, skill_id)
    assert assessment.get_assessment(referentiel.beneficiary_a, bilan_id).selected[0].rated
    rows = assessment.history(referentiel.beneficiary_a, bilan_id)
    assert [(row.criterion, row.before, row.after) for row in rows if row.criterion == "maitrise"] == [
        ("maitrise", "intermediaire", "avance"),
        ("maitrise", "", "intermediaire"),
    ]


def test_the_step_is_remembered_and_progress_grows(referentiel):
    bilan_id = open_bilan(referentiel)
    assessment.add_experience(referentiel.beneficiary_a, bilan_id, JOB)
    assessment.set_step(referentiel.beneficiary_a, bilan_id, "evaluation")
    view = assessment.get_assessment(referentiel.beneficiary_a, bilan_id)
    assert (view.step.value, view.progress) == ("evaluation", 20)
    with pytest.raises(ServiceError):
        assessment.set_step(referentiel.beneficiary_a, bilan_id, "fin")


def test_submitting_needs_every_chosen_skill_fully_rated(referentiel):
    bilan_id = open_bilan(referentiel)
    with pytest.raises(ServiceError) as caught:
        assessment.submit(referentiel.beneficiary_a, bilan_id)
    assert caught.value.code == "skills.error.no_skill"
    skill_id = assessment.choose_skill(referentiel.beneficiary_a, bilan_id, "800004")
    rate_all(referentiel, skill_id, FIVE)  # potentiel missing
    with pytest.raises(ServiceError) as caught:
        assessment.submit(referentiel.beneficiary_a, bilan_id)
    assert caught.value.code == "skills.error.unrated"
    assessment.rate_skill(referentiel.beneficiary_a, skill_id, "potentiel", "fort")
    assessment.submit(referentiel.beneficiary_a, bilan_id)
    view = assessment.get_assessment(referentiel.beneficiary_a, bilan_id)
    assert (view.status.value, view.step.value, view.progress) == ("submitted", "revue", 80)


def test_the_assessment_waits_for_the_bilan_to_start(referentiel):
    bilan_id = bilans.request_bilan(referentiel.beneficiary_a, {"mode": "hybride", "funding_type": "cpf"})
    with pytest.raises(ServiceError) as caught:
        assessment.add_experience(referentiel.beneficiary_a, bilan_id, JOB)
    assert caught.value.code == "skills.error.bilan_not_in_progress"


# ---------------------------------------------------------------- the consultant's validation


def test_the_consultant_adjusts_with_a_comment_and_both_ratings_stay_visible(referentiel):
    bilan_id, core, _ = submitted_assessment(referentiel)
    with pytest.raises(FormError) as caught:
        assessment.adjust_rating(referentiel.consultant_a, core, "maitrise", "intermediaire", "  ")
    assert caught.value.fields == {"comment": "skills.error.comment_required"}
    view = assessment.adjust_rating(
        referentiel.consultant_a, core, "maitrise", "intermediaire", "Pas encore autonome sur les optiques."
    )
    assert (view.self_rating["maitrise"], view.consultant_rating["maitrise"], view.effective["maitrise"]) == (
        "avance",
        "intermediaire",
        "intermediaire",
    )
    [row] = [row for row in assessment.history(referentiel.beneficiary_a, bilan_id) if row.by_consultant]
    assert (row.before, row.after, row.comment) == ("avance", "intermediaire", "Pas encore autonome sur les optiques.")
    with session_scope() as session:
        stored = session.exec(select(AssessmentHistory).where(col(AssessmentHistory.by_consultant))).one()
        assert "optiques" not in stored.comment_encrypted
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "skills.rating_adjusted")).one()
    # "" goes back to the beneficiary's own rating.
    view = assessment.adjust_rating(referentiel.consultant_a, core, "maitrise", "", "Finalement d'accord.")
    assert (view.consultant_rating["maitrise"], view.effective["maitrise"]) == ("", "avance")


def test_validation_locks_until_reopened(referentiel):
    bilan_id, core, _ = submitted_assessment(referentiel)
    assessment.validate(referentiel.consultant_a, bilan_id)
    view = assessment.get_assessment(referentiel.beneficiary_a, bilan_id)
    assert (view.status.value, view.editable) == ("validated", False)
    with pytest.raises(ServiceError) as caught:
        assessment.rate_skill(referentiel.beneficiary_a, core, "maitrise", "expert")
    assert caught.value.code == "skills.error.locked"
    with pytest.raises(ServiceError) as caught:
        assessment.adjust_rating(referentiel.consultant_a, core, "maitrise", "expert", "Oui.")
    assert caught.value.code == "skills.error.locked_reopen"
    with pytest.raises(ServiceError):
        assessment.validate(referentiel.consultant_a, bilan_id)
    assessment.reopen(referentiel.consultant_a, bilan_id)
    assessment.adjust_rating(referentiel.consultant_a, core, "maitrise", "expert", "Confirmé en séance.")
    assessment.validate(referentiel.consultant_a, bilan_id)
    events = [row.event for row in assessment.history(referentiel.consultant_a, bilan_id) if not row.criterion]
    assert events == ["validated", "reopened", "validated", "submitted"]


def test_roles_beneficiary_fills_in_consultant_validates(referentiel):
    bilan_id, core, _ = submitted_assessment(referentiel)
    with pytest.raises(AccessDenied):
        assessment.adjust_rating(referentiel.beneficiary_a, core, "maitrise", "expert", "Je me surévalue.")
    with pytest.raises(AccessDenied):
        assessment.validate(referentiel.beneficiary_a, bilan_id)
    with pytest.raises(AccessDenied):
        assessment.add_experience(referentiel.consultant_a, bilan_id, JOB)
    with pytest.raises(AccessDenied):
        assessment.rate_skill(referentiel.consultant_a, core, "maitrise", "expert")
    # The organisation's admin follows every bilan: reads and validates.
    assert assessment.get_assessment(referentiel.admin_a, bilan_id).status.value == "submitted"
    assessment.validate(referentiel.admin_a, bilan_id)


def test_another_organisation_sees_nothing(referentiel):
    bilan_id, core, _ = submitted_assessment(referentiel)
    for actor in (referentiel.consultant_b, referentiel.beneficiary_b, referentiel.admin_b):
        with pytest.raises(NotFound):
            assessment.get_assessment(actor, bilan_id)
        with pytest.raises(NotFound):
            cartography.skills_map(actor, bilan_id)
        with pytest.raises(NotFound):
            assessment.rate_skill(actor, core, "maitrise", "expert")


def test_reading_by_the_consultant_is_audited(referentiel):
    bilan_id, _, _ = submitted_assessment(referentiel)
    assessment.get_assessment(referentiel.consultant_a, bilan_id)
    with session_scope() as session:
        reads = session.exec(select(AuditEvent).where(AuditEvent.action == "bilan.personal_data_read")).all()
        assert [event.changes for event in reads] == [{"read": "skills_assessment"}]


# ---------------------------------------------------------------- the map


def test_zones_of_the_matrix():
    assert cartography.zone_of("expert", "aime", "faible") == "valoriser"
    assert cartography.zone_of("avance", "neutre", "moyen") == "valoriser"
    assert cartography.zone_of("debutant", "aime", "fort") == "developper"
    assert cartography.zone_of("intermediaire", "neutre", "moyen") == "developper"
    assert cartography.zone_of("intermediaire", "neutre", "faible") == "mettre_de_cote"
    assert cartography.zone_of("expert", "naime_pas", "fort") == "mettre_de_cote"


def test_the_beneficiary_sees_the_map_once_validated_with_the_consultants_ratings(referentiel):
    bilan_id, _, patience = submitted_assessment(referentiel)
    assert cartography.skills_map(referentiel.beneficiary_a, bilan_id) is None
    draft = cartography.skills_map(referentiel.consultant_a, bilan_id)
    assert draft is not None and not draft.validated and len(draft.skills) == 2
    assessment.adjust_rating(referentiel.consultant_a, patience, "appetence", "naime_pas", "Dit en séance.")
    assessment.validate(referentiel.consultant_a, bilan_id)
    skills_map = cartography.skills_map(referentiel.beneficiary_a, bilan_id)
    assert skills_map is not None and skills_map.validated
    assert [skill.libelle for skill in skills_map.zones["valoriser"]] == ["Allumer la lanterne"]
    assert [skill.libelle for skill in skills_map.zones["mettre_de_cote"]] == ["Faire preuve de patience"]
    assert skills_map.zones["developper"] == []
    [domain] = skills_map.by_domain
    assert (domain.label, domain.count, domain.average_level, domain.strong) == ("Domaine fictif K99", 2, 2.0, 1)
    assert {stat.label for stat in skills_map.by_category} == {"Savoir-faire · Technique", "Savoir-être"}
    # Rows from expert down to débutant, columns aime / neutre / n'aime pas.
    assert skills_map.matrix[1][0].skills == ["Allumer la lanterne"]  # avancé × aime
    assert skills_map.matrix[3][2].skills == ["Faire preuve de patience"]  # débutant × n'aime pas
    assert skills_map.skills[0].maitrise in {"Avancé", "Débutant"}  # translated labels


def test_a_job_can_be_linked_to_the_metier_itself(referentiel):
    bilan_id = open_bilan(referentiel)
    job = {**JOB, "appellation_code": "", "code_rome": "m9903"}
    assessment.add_experience(referentiel.beneficiary_a, bilan_id, job)
    [experience] = assessment.get_assessment(referentiel.beneficiary_a, bilan_id).experiences
    assert (experience.code_rome, experience.appellation_code) == ("M9903", "")
    with pytest.raises(FormError):
        assessment.add_experience(referentiel.beneficiary_a, bilan_id, {**job, "code_rome": "Z9999"})


def test_in_the_same_organisation_only_the_beneficiary_and_the_followers_see_it(referentiel):
    bilan_id, core, _ = submitted_assessment(referentiel)
    others = []
    with session_scope() as session:
        organisation = session.get(Organisation, referentiel.org_a)
        for index, role in enumerate((Role.BENEFICIARY, Role.CONSULTANT)):
            user = User(email=f"autre{index}@exemple.fr", first_name="Dana", last_name="Autre", password_hash="!")
            session.add(user)
            session.flush()
            session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
            others.append(Actor(user_id=user.id, role=role, organisation_id=organisation.id, label="Dana Autre"))
    for actor in others:
        with pytest.raises(NotFound):
            assessment.get_assessment(actor, bilan_id)
        with pytest.raises(NotFound):
            cartography.skills_map(actor, bilan_id)
        with pytest.raises(NotFound):
            assessment.rate_skill(actor, core, "maitrise", "expert")
