"""The demo bilans' skills assessments and interest test, written through the real services.

They use the hand-written demo référentiel's codes (services/rome/demo_data/README.md), so they are only
seeded when that référentiel is the installed one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.access import Actor
from services.psychometrics import service as psychometrics
from services.psychometrics.catalog import get_instrument
from services.rome.demo import demo_is_installed
from services.skills import assessment

# (maîtrise, fréquence, contexte, appétence, potentiel)
Rating = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class DemoJob:
    title: str
    appellation_code: str
    code_rome: str
    place: str
    start: str
    end: str
    skills: dict[str, Rating]  # code OGR -> the beneficiary's rating


LEA_PARCOURS = [
    DemoJob(
        "Assistante administrative",
        "9215001",
        "M9201",
        "Cabinet Roux & Associés, Lyon",
        "2011-09",
        "2017-08",
        {
            "9300030": ("avance", "quotidienne", "experience_pro", "neutre", "moyen"),
            "9300007": ("expert", "quotidienne", "experience_pro", "aime", "moyen"),
            "9400011": ("avance", "hebdomadaire", "experience_pro", "aime", "fort"),
        },
    ),
    DemoJob(
        "Conseillère de vente en librairie",
        "9202001",
        "D9102",
        "Librairie du Rhône, Lyon",
        "2017-10",
        "",
        {
            "9300001": ("expert", "quotidienne", "experience_pro", "aime", "moyen"),
            "9300004": ("intermediaire", "hebdomadaire", "experience_pro", "naime_pas", "faible"),
            "9400007": ("avance", "quotidienne", "personnel", "aime", "fort"),
        },
    ),
]
NADIA_PARCOURS = [
    DemoJob(
        "Aide-soignante en EHPAD",
        "9205001",
        "J9101",
        "EHPAD Les Tilleuls, Villeurbanne",
        "2008-03",
        "2015-12",
        {
            "9300012": ("expert", "quotidienne", "experience_pro", "neutre", "faible"),
            "9300013": ("avance", "quotidienne", "formation", "aime", "moyen"),
            "9400003": ("expert", "quotidienne", "experience_pro", "aime", "fort"),
        },
    ),
    DemoJob(
        "Secrétaire médicale",
        "9207001",
        "J9201",
        "Centre de santé Croix-Rousse, Lyon",
        "2016-01",
        "",
        {
            "9300006": ("intermediaire", "hebdomadaire", "experience_pro", "aime", "fort"),
            "9300071": ("debutant", "occasionnelle", "formation", "aime", "fort"),
        },
    ),
]
CRITERIA_ORDER = ("maitrise", "frequence", "contexte", "appetence", "potentiel")


def fill_parcours(beneficiary: Actor, bilan_id: uuid.UUID, parcours: list[DemoJob]) -> dict[str, str]:
    """Add the parcours, choose and rate its skills as the beneficiary; returns {code OGR: skill id}."""
    skill_ids = {}
    for job in parcours:
        assessment.add_experience(
            beneficiary,
            bilan_id,
            {
                "kind": "emploi",
                "title": job.title,
                "appellation_code": job.appellation_code,
                "place": job.place,
                "start": job.start,
                "end": job.end,
            },
        )
        for code, rating in job.skills.items():
            skill_id = assessment.choose_skill(beneficiary, bilan_id, code, job.code_rome)
            skill_ids[code] = skill_id
            for criterion, value in zip(CRITERIA_ORDER, rating, strict=True):
                assessment.rate_skill(beneficiary, skill_id, criterion, value)
    assessment.add_experience(
        beneficiary,
        bilan_id,
        {"kind": "benevolat", "title": "Trésorière d'une association de quartier", "start": "2019-01"},
    )
    return skill_ids


def _take_interest_test(beneficiary: Actor, bilan_id: uuid.UUID, per_type: dict[str, int]) -> None:
    instrument = get_instrument(psychometrics.INTERESTS_ID)
    view = psychometrics.start_or_resume(beneficiary, bilan_id, instrument.id)
    psychometrics.save_answers(beneficiary, view.id, {item.id: per_type[item.dimension] for item in instrument.items})
    psychometrics.complete(beneficiary, view.id)


def seed_demo_skills(lea: Actor, lea_bilan: uuid.UUID, nadia: Actor, nadia_bilan: uuid.UUID, claire: Actor) -> None:
    """Léa (investigation): assessment submitted, interests taken. Nadia (conclusion): validated by Claire.
    ``seed_demo`` only."""
    if not demo_is_installed():
        return  # a real référentiel is installed: the demo codes would not exist
    fill_parcours(lea, lea_bilan, LEA_PARCOURS)
    assessment.submit(lea, lea_bilan)
    _take_interest_test(lea, lea_bilan, {"R": 1, "I": 2, "A": 4, "S": 3, "E": 2, "C": 1})

    nadia_skills = fill_parcours(nadia, nadia_bilan, NADIA_PARCOURS)
    assessment.submit(nadia, nadia_bilan)
    assessment.adjust_rating(
        claire,
        nadia_skills["9300006"],
        "maitrise",
        "avance",
        "Gère seule le planning de trois médecins depuis deux ans : niveau avancé.",
    )
    assessment.validate(claire, nadia_bilan)
    _take_interest_test(nadia, nadia_bilan, {"R": 2, "I": 3, "A": 1, "S": 4, "E": 1, "C": 3})
