"""The demo bilans' project work, written through the real services once their skills are assessed.

* Léa (investigation): the two métiers the engine ranks first, kept by Claire; one offer she saved (an
  example: see ``LEA_OFFER``); a draft action plan, one action complete and one without its success
  indicator ("À compléter").
* Nadia (conclusion): two métiers kept (the nursing project and a fallback), a plan of three complete
  actions with milestones; the synthèse drafted by the local engine, its training section rewritten by
  Claire, validated and handed over as the generated PDF; then her observations and her retention choice.

It reads the engine's ranking of the demo référentiel's codes, so it runs only where
``services.demo.skills`` does (the demo référentiel installed), after it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from services import action_plan, job_search, recommendations, synthese
from services.access import Actor
from services.i18n import TIMEZONE
from services.job_search import OfferSnapshot
from services.models import ActionStatus, RetentionOption
from services.models.base import utcnow

# An example, labelled as such: France Travail's offer ids are 7 characters (3 digits then 4 letters or
# digits, e.g. "123ABCD"), so this one cannot be taken for a real offer, and its link finds none there.
LEA_OFFER = OfferSnapshot(
    offer_id="DEMOEXEMPLE01",
    title="Secrétaire médical / médicale (offre d'exemple)",
    company="Cabinet médical fictif (démonstration)",
    place="69 - Lyon 3e Arrondissement",
    contract="CDI · Contrat à durée indéterminée",
    code_rome="J9201",
)
NADIA_TARGETS = ("J9102", "M9202")  # Infirmier / Infirmière, then Assistant / Assistante de direction

NADIA_TRAINING = """**Pour Infirmier / Infirmière (J9102)** :

- **Diplôme d'État d'infirmier**, trois ans en institut de formation en soins infirmiers (IFSI). Nadia peut \
se présenter par la voie de la formation professionnelle continue (au moins trois ans de cotisation à \
un régime de protection sociale) : sélection sur dossier, entretien et épreuve écrite.
- **Préparation à la sélection**, quelques semaines à distance, finançable par le compte personnel de \
formation (CPF) : pour l'épreuve écrite et l'entretien.

**Pour Assistant / Assistante de direction (M9202)**, piste de repli :

- Un module court de gestion de projet et de bureautique avancée, à choisir ensemble sur Mon Compte \
Formation si la sélection en IFSI n'aboutit pas.

*Aucune formation du catalogue de l'organisme ne correspond à ces pistes : les organismes sont à choisir \
avec Nadia.*"""

NADIA_OBSERVATIONS = (
    "Je me reconnais dans cette synthèse. J'ajoute que mes presque huit années en EHPAD m'ont appris à travailler "
    "en équipe de soins, ce que je mettrai en avant à l'entretien de sélection.\n\n"
    "Je commence par les journées d'observation avant de parler du financement à mon employeur."
)


def _today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


def _in(days: int) -> str:
    return (_today() + timedelta(days=days)).isoformat()


def _keep(consultant: Actor, bilan_id: uuid.UUID, codes: tuple[str, ...] = (), first: int = 0) -> dict[str, str]:
    """Run the engine as the consultant does, keep its ``first`` results or the métiers ``codes``;
    returns {code ROME: target id}."""
    ranked = [metier.to_dict() for metier in recommendations.analyse(consultant, bilan_id).result.metiers]
    by_code = {payload["code_rome"]: payload for payload in ranked}
    chosen = ranked[:first] if first else [by_code[code] for code in codes]
    return {payload["code_rome"]: recommendations.keep_target(consultant, bilan_id, payload) for payload in chosen}


def _action(actor: Actor, bilan_id: uuid.UUID, **fields: Any) -> action_plan.ActionView:
    return action_plan.create_action(actor, bilan_id, fields)


def _lea(lea: Actor, bilan_id: uuid.UUID, claire: Actor) -> None:
    targets = _keep(claire, bilan_id, first=2)  # Secrétaire médicale, Assistante de direction
    job_search.save_offer(lea, bilan_id, LEA_OFFER)
    survey = _action(
        claire,
        bilan_id,
        title="Enquête métier auprès de deux secrétaires médicales",
        description="Rencontrer une secrétaire médicale en cabinet libéral et une autre à l'hôpital : leur "
        "journée type, leurs outils, ce qu'elles aiment et ce qui leur pèse.",
        indicator="Deux entretiens réalisés, chacun résumé en une page et relu en séance.",
        means="La grille d'entretien préparée en séance ; les contacts de l'ancien cabinet et de la librairie.",
        project_link="Vérifier que la piste « Secrétaire médicale » garde ce qu'elle aime : l'accueil, "
        "l'organisation et un cadre stable.",
        deadline=_in(14),
        owner="beneficiary",
        link=f"target:{targets['J9201']}",
        milestones=[{"label": "Premier entretien réalisé", "due_on": _in(7)}],
    )
    action_plan.set_status(lea, survey.id, ActionStatus.EN_COURS)
    # Written by Léa, saved without its success indicator: the plan shows it "À compléter".
    _action(
        lea,
        bilan_id,
        title="Comparer les formations de secrétaire médicale",
        description="Repérer deux ou trois formations courtes à distance ou à Lyon, éligibles au CPF, avec "
        "leur durée, leur prix et leur rythme.",
        means="Mon Compte Formation ; une séance avec Claire pour les comparer.",
        project_link="La terminologie médicale et le dossier patient sont les compétences qui lui manquent "
        "pour ce métier.",
        deadline=_in(30),
        owner="beneficiary",
    )


def _nadia_plan(nadia: Actor, bilan_id: uuid.UUID, claire: Actor, targets: dict[str, str]) -> None:
    nursing = f"target:{targets['J9102']}"
    observation = _action(
        claire,
        bilan_id,
        title="Deux journées d'observation auprès d'une infirmière",
        description="Suivre une infirmière du centre de santé de la Croix-Rousse pendant deux journées, "
        "soins et coordination compris.",
        indicator="Deux journées réalisées et un bilan écrit : ce qui attire Nadia, ce qui l'inquiète.",
        means="L'accord de la directrice du centre de santé ; la grille d'observation remise par Claire.",
        project_link="Confirmer sur le terrain le projet d'infirmière avant trois ans de formation.",
        deadline=_in(30),
        owner="beneficiary",
        link=nursing,
        milestones=[
            {"label": "Demande écrite à la directrice du centre de santé", "due_on": _in(-3)},
            {"label": "Première journée d'observation", "due_on": _in(14)},
        ],
    )
    _action(
        claire,
        bilan_id,
        title="Candidater à la sélection en IFSI (formation professionnelle continue)",
        description="Constituer et déposer le dossier de candidature à un IFSI de Lyon, puis préparer "
        "l'épreuve écrite et l'entretien.",
        indicator="Dossier complet déposé avant la date limite de l'IFSI choisi.",
        means="Les attestations des employeurs (EHPAD, centre de santé) ; une préparation à distance "
        "financée par le CPF ; la relecture de la lettre de motivation par Claire.",
        project_link="L'entrée en IFSI est le passage obligé du projet d'infirmière.",
        deadline=_in(90),
        owner="beneficiary",
        link=nursing,
        milestones=[
            {"label": "Attestations des employeurs réunies", "due_on": _in(21)},
            {"label": "Lettre de motivation relue avec Claire", "due_on": _in(45)},
            {"label": "Inscription à la préparation à la sélection", "due_on": _in(60)},
        ],
    )
    _action(
        claire,
        bilan_id,
        title="Préparer le financement de la formation",
        description="Monter un dossier de projet de transition professionnelle avec un conseiller en "
        "évolution professionnelle, pour suivre la formation en gardant sa rémunération.",
        indicator="Dossier déposé auprès de Transitions Pro Auvergne-Rhône-Alpes, accord de l'employeur joint.",
        means="Un rendez-vous de conseil en évolution professionnelle (CEP, gratuit) ; le devis de l'IFSI.",
        project_link="Sans financement, trois ans de formation ne sont pas envisageables pour Nadia.",
        deadline=_in(120),
        owner="beneficiary",
        milestones=[
            {"label": "Rendez-vous avec un conseiller CEP", "due_on": _in(30)},
            {"label": "Demande d'autorisation d'absence remise à l'employeur", "due_on": _in(75)},
        ],
    )
    action_plan.set_milestone_done(nadia, observation.milestones[0].id, True)
    action_plan.set_status(nadia, observation.id, ActionStatus.EN_COURS)


def _nadia(nadia: Actor, bilan_id: uuid.UUID, claire: Actor) -> None:
    targets = _keep(claire, bilan_id, codes=NADIA_TARGETS)
    _nadia_plan(nadia, bilan_id, claire, targets)
    draft = synthese.generate_draft(claire, bilan_id, prefer_local=True)
    edited = synthese.save_section(claire, bilan_id, "formations", NADIA_TRAINING, expected_number=draft.number)
    synthese.validate_version(claire, bilan_id, edited.number)
    synthese.hand_over_synthese(claire, bilan_id)
    synthese.save_observations(nadia, bilan_id, NADIA_OBSERVATIONS)
    synthese.set_retention(nadia, bilan_id, RetentionOption.KEEP_ONE_YEAR, written_consent=True)


def seed_demo_projects(lea: Actor, lea_bilan: uuid.UUID, nadia: Actor, nadia_bilan: uuid.UUID, claire: Actor) -> None:
    """Léa's targets, offer and draft plan; Nadia's targets, plan and synthèse handed over (see above).
    ``seed_demo`` only, after ``seed_demo_skills``."""
    _lea(lea, lea_bilan, claire)
    _nadia(nadia, nadia_bilan, claire)
