"""The prompts: one French system prompt per feature, with the JSON schema the answer must follow,
and the bilan's data as a JSON user message. Both are pseudonymised by the caller before sending.
"""

from __future__ import annotations

import json
from typing import Any

from services.llm.context import BilanContext
from services.llm.schemas import OUTPUT_MODELS, AiFeature

COMMON_RULES = """Tu assistes un consultant en bilan de compétences (France). Règles :
- Réponds en français, sur un ton professionnel, bienveillant et concret.
- Les données sont pseudonymisées : recopie tels quels les marqueurs entre crochets \
([PERSONNE_1], [PERSONNE_1_PRENOM], [EMPLOYEUR_2], [ADRESSE_1]...) et n'essaie pas de les deviner.
- N'invente aucun fait : appuie-toi uniquement sur les données fournies ; signale ce qui manque.
- Ta réponse est une proposition que le consultant relira : pas de diagnostic médical ni de jugement.
- Réponds uniquement par un objet JSON valide, conforme à ce schéma JSON :
{schema}"""

TASKS: dict[AiFeature, str] = {
    AiFeature.TRANSFERABLE_SKILLS: (
        "Tâche : analyse les compétences transférables de la personne à partir de son parcours et de ses "
        "compétences évaluées (maîtrise et appétence). Pour chaque compétence transférable, cite les "
        "expériences qui la prouvent et les secteurs ou types de métiers vers lesquels elle se transfère. "
        "« niveau » vaut fort, moyen ou a_confirmer. Ajoute des points de vigilance (compétences maîtrisées "
        "mais peu appréciées, compétences à confirmer)."
    ),
    AiFeature.RECOMMENDATION_EXPLANATION: (
        "Tâche : explique à la personne, en termes simples, pourquoi ce métier cible lui est proposé, à partir "
        "des raisons et des écarts calculés par le moteur de recommandation et de ses compétences. Pour chaque "
        "compétence à acquérir, donne un conseil concret (formation, immersion, enquête métier). Termine par "
        "quelques prochaines étapes."
    ),
    AiFeature.SYNTHESE_DRAFT: (
        "Tâche : rédige un brouillon des sections du document de synthèse du bilan (clés : contexte, "
        "parcours_competences, pistes, conclusion) et propose des actions (échéance court_terme, moyen_terme "
        "ou long_terme). Le document est remis à la personne : adresse-toi à elle en la vouvoyant (« vous ») "
        "dans toutes les sections, jamais à la troisième personne. Le consultant complétera et validera ce brouillon."
    ),
    AiFeature.SESSION_THEMES: (
        "Tâche : dégage les thèmes récurrents des notes de séance du consultant. Pour chaque thème, indique les "
        "numéros des séances où il apparaît et s'il mérite d'être approfondi. Reste factuel ; pour les sujets de "
        "santé, reste très prudent et ne pose aucun diagnostic."
    ),
}


def _skills(context: BilanContext) -> list[dict[str, Any]]:
    return [
        {
            "libelle": skill.libelle,
            "type": skill.kind,
            "categorie": skill.categorie,
            "socle": skill.core,
            "maitrise": skill.maitrise,
            "appetence": skill.appetence,
        }
        for skill in context.skills
    ]


def _experiences(context: BilanContext) -> list[dict[str, Any]]:
    return [
        {
            "type": item.kind,
            "intitule": item.title,
            "code_rome": item.code_rome,
            "employeur": item.employer,
            "description": item.description,
            "debut": item.start,
            "fin": item.end or "en cours",
        }
        for item in context.experiences
    ]


def payload(feature: AiFeature, context: BilanContext) -> dict[str, Any]:
    """The data the feature sends (before pseudonymisation)."""
    data: dict[str, Any] = {"beneficiaire": context.beneficiary_name}
    if feature is AiFeature.TRANSFERABLE_SKILLS:
        data.update(parcours=_experiences(context), competences=_skills(context))
    elif feature is AiFeature.RECOMMENDATION_EXPLANATION:
        assert context.recommendation is not None
        data.update(metier_cible=context.recommendation.model_dump(), competences=_skills(context))
    elif feature is AiFeature.SYNTHESE_DRAFT:
        data.update(
            objectifs=context.objectives,
            parcours=_experiences(context),
            competences=_skills(context),
            pistes=[target.model_dump() for target in context.targets],
        )
    elif feature is AiFeature.SESSION_THEMES:
        data.update(
            seances=[{"numero": n.number, "date": n.on, "phase": n.phase, "notes": n.text} for n in context.notes]
        )
    return data


def messages(feature: AiFeature, context: BilanContext) -> list[dict[str, str]]:
    """The chat messages, in clear: the caller pseudonymises their content before sending."""
    schema = json.dumps(OUTPUT_MODELS[feature].model_json_schema(), ensure_ascii=False, separators=(",", ":"))
    return [
        {"role": "system", "content": COMMON_RULES.format(schema=schema) + "\n\n" + TASKS[feature]},
        {"role": "user", "content": json.dumps(payload(feature, context), ensure_ascii=False, indent=1)},
    ]
