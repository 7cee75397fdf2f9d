"""The local engine: the same structures as the AI features, written from templates, on this server.

It runs when no LLM is configured, when the beneficiary has not consented, when the organisation's
budget is spent, or when the consultant asks for it. Deterministic: the same bilan gives the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from services.llm.context import BilanContext, SkillItem
from services.llm.schemas import (
    AiFeature,
    GapAdvice,
    RecommendationExplanation,
    SessionTheme,
    SessionThemes,
    SuggestedAction,
    SyntheseDraft,
    SyntheseSection,
    TransferableSkill,
    TransferableSkillsAnalysis,
)

_LEVEL_RANK = {"expert": 4, "avance": 3, "intermediaire": 2, "debutant": 1, "": 0}
_LEVEL_LABEL = {"expert": "expert", "avance": "avancé", "intermediaire": "intermédiaire", "debutant": "débutant"}


def _list(items: list[str], empty: str = "") -> str:
    items = [item for item in items if item]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]


def _quoted(items: list[str]) -> list[str]:
    return [f"« {item} »" for item in items]


def _niveau(skill: SkillItem) -> Literal["fort", "moyen", "a_confirmer"]:
    rank = _LEVEL_RANK.get(skill.maitrise, 0)
    return "fort" if rank >= 3 else "moyen" if rank == 2 else "a_confirmer"


def _ranked(skills: list[SkillItem]) -> list[SkillItem]:
    return sorted(
        skills,
        key=lambda s: (-_LEVEL_RANK.get(s.maitrise, 0), s.appetence != "aime", not s.core, s.libelle.lower()),
    )


# ---------------------------------------------------------------- transferable skills


def transferable_skills(context: BilanContext) -> TransferableSkillsAnalysis:
    titles_by_rome: dict[str, list[str]] = {}
    for item in context.experiences:
        if item.code_rome:
            titles_by_rome.setdefault(item.code_rome, []).append(item.title)
    kept = [skill for skill in _ranked(context.skills) if skill.kind != "savoir"][:10] or _ranked(context.skills)[:10]
    competences = [
        TransferableSkill(
            competence=skill.libelle,
            preuves=titles_by_rome.get(skill.source_code_rome, [])[:6],
            transferable_vers=[f"Métiers du domaine « {skill.domaine} »"] if skill.domaine else [],
            niveau=_niveau(skill),
        )
        for skill in kept
    ]
    strong = [c.competence for c in competences if c.niveau == "fort"]
    titles = [item.title for item in context.experiences]
    parts = [
        f"Le parcours compte {len(titles)} expérience{'s' if len(titles) > 1 else ''}"
        + (f" ({_list(_quoted(titles[:5]))})." if titles else "."),
    ]
    if competences:
        parts.append(
            f"{len(competences)} compétence{'s' if len(competences) > 1 else ''} ressort"
            f"{'ent' if len(competences) > 1 else ''} comme transférable{'s' if len(competences) > 1 else ''}"
            + (f", dont {len(strong)} à un niveau avancé ou expert : {_list(_quoted(strong[:5]))}." if strong else ".")
        )
    else:
        parts.append("Aucune compétence n'a encore été retenue dans l'auto-évaluation : l'analyse reste à faire.")
    vigilance = [
        f"« {skill.libelle} » est maîtrisée mais peu appréciée : à ne pas placer au cœur du projet."
        for skill in context.skills
        if skill.appetence == "naime_pas" and _LEVEL_RANK.get(skill.maitrise, 0) >= 2
    ][:4]
    unrated = [skill.libelle for skill in context.skills if not skill.maitrise]
    if unrated:
        vigilance.append(f"{len(unrated)} compétence(s) sans niveau de maîtrise : à confirmer en séance.")
    return TransferableSkillsAnalysis(synthese=" ".join(parts), competences=competences, points_de_vigilance=vigilance)


# ---------------------------------------------------------------- recommendation explanation


def recommendation_explanation(context: BilanContext) -> RecommendationExplanation:
    target = context.recommendation
    assert target is not None
    score = (
        f" avec un score de {round(target.score * 100) if target.score <= 1 else round(target.score)} %"
        if (target.score is not None)
        else ""
    )
    reasons = [reason.rstrip(" .;") for reason in target.raisons]
    explanation = f"Le métier « {target.libelle} » ({target.code_rome}) ressort{score}"
    explanation += f" parce que : {'; '.join(reasons)}." if reasons else "."
    if target.competences_a_acquerir:
        explanation += (
            f" Pour y accéder, {len(target.competences_a_acquerir)} compétence"
            f"{'s restent' if len(target.competences_a_acquerir) > 1 else ' reste'} à acquérir."
        )
    strong = [s.libelle for s in _ranked(context.skills) if _LEVEL_RANK.get(s.maitrise, 0) >= 3][:3]
    atouts = reasons[:6] + ([f"Compétences solides : {_list(_quoted(strong))}"] if strong else [])
    steps = [
        f"Réaliser une enquête métier auprès d'un ou une professionnelle : {target.libelle}.",
        "Consulter les offres d'emploi et les entreprises qui recrutent près de chez vous.",
    ]
    if target.competences_a_acquerir:
        steps.append("Repérer les formations qui couvrent les compétences à acquérir.")
    steps += [f"Étudier la transition : {path}." for path in target.parcours[:2]]
    return RecommendationExplanation(
        metier=target.libelle,
        explication=explanation,
        atouts=atouts[:8],
        ecarts=[
            GapAdvice(
                competence=gap,
                conseil=f"Acquérir « {gap} » par une formation courte, une immersion (PMSMP) ou une expérience "
                "bénévole.",
            )
            for gap in target.competences_a_acquerir[:12]
        ],
        prochaines_etapes=steps[:6],
    )


# ---------------------------------------------------------------- synthèse draft


def synthese_draft(context: BilanContext) -> SyntheseDraft:
    objectives = context.objectives.strip()
    titles = [item.title for item in context.experiences]
    strong = [s.libelle for s in _ranked(context.skills) if _LEVEL_RANK.get(s.maitrise, 0) >= 3][:6]
    liked = [s.libelle for s in context.skills if s.appetence == "aime"][:6]
    gaps_of = {
        t.code_rome: (
            f", compétences à acquérir : {_list(t.competences_a_acquerir[:4])}" if t.competences_a_acquerir else ""
        )
        for t in context.targets
    }
    skills_text = [
        f"Le parcours réunit {len(titles)} expérience(s) : {_list(_quoted(titles[:6]))}." if titles else "",
        f"Compétences maîtrisées à un niveau avancé ou expert : {_list(_quoted(strong))}." if strong else "",
        f"Compétences exercées avec plaisir : {_list(_quoted(liked))}." if liked else "",
    ]
    sections = [
        SyntheseSection(
            cle="contexte",
            titre="Contexte et objectifs du bilan",
            contenu=(
                f"Le bilan a été engagé avec les objectifs suivants : {objectives}"
                if objectives
                else "Objectifs du bilan à compléter (phase préliminaire)."
            ),
        ),
        SyntheseSection(
            cle="parcours_competences",
            titre="Parcours et compétences",
            contenu=" ".join(part for part in skills_text if part)
            or "Parcours et compétences à compléter à partir de l'auto-évaluation.",
        ),
        SyntheseSection(
            cle="pistes",
            titre="Pistes professionnelles",
            contenu=(
                "Pistes retenues : "
                + "; ".join(f"« {t.libelle} » ({t.code_rome}){gaps_of[t.code_rome]}" for t in context.targets)
                + "."
                if context.targets
                else "Pistes professionnelles à préciser avec le consultant."
            ),
        ),
        SyntheseSection(
            cle="conclusion",
            titre="Conclusion",
            contenu="Conclusion à rédiger par le consultant avec la personne, à partir des éléments ci-dessus.",
        ),
    ]
    actions = [
        SuggestedAction(
            intitule=f"Enquête métier : {target.libelle}",
            description="Rencontrer un ou une professionnelle du métier pour vérifier la réalité du poste.",
            echeance="court_terme",
        )
        for target in context.targets[:4]
    ]
    gaps = sorted({gap for target in context.targets for gap in target.competences_a_acquerir})
    actions += [
        SuggestedAction(
            intitule=f"Se former : {gap}",
            description="Identifier une formation (CPF, employeur) couvrant cette compétence.",
            echeance="moyen_terme",
        )
        for gap in gaps[:4]
    ]
    if not actions:
        actions.append(
            SuggestedAction(
                intitule="Définir les pistes professionnelles",
                description="Lancer l'analyse des recommandations et retenir deux ou trois métiers cibles.",
                echeance="court_terme",
            )
        )
    return SyntheseDraft(sections=sections, actions=actions[:10])


# ---------------------------------------------------------------- themes of the session notes

# Theme -> word stems looked for in the notes (accents removed, lower case).
THEME_LEXICON: dict[str, tuple[str, ...]] = {
    "Reconversion professionnelle": ("reconversion", "changer de metier", "nouveau metier", "reorientation"),
    "Formation et certification": ("formation", "diplome", "vae", "certification", "cpf"),
    "Valeurs et motivations": ("valeur", "sens", "motivation", "utile", "epanou"),
    "Confiance en soi": ("confiance", "doute", "legitim", "estime"),
    "Relations de travail": ("manager", "collegue", "conflit", "equipe", "hierarch"),
    "Équilibre vie professionnelle et personnelle": ("equilibre", "famille", "enfant", "horaires", "temps partiel"),
    "Mobilité géographique": ("demenag", "mobilite", "region", "trajet", "teletravail"),
    "Rémunération et finances": ("salaire", "remuneration", "financ", "revenu"),
    "Création ou reprise d'entreprise": ("creer", "creation", "entreprise", "independant", "micro-entreprise"),
    "Santé et fatigue au travail": ("fatigue", "stress", "epuis", "burn", "sante", "arret maladie"),
}
SENSITIVE_THEMES = frozenset({"Santé et fatigue au travail"})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def session_themes(context: BilanContext) -> SessionThemes:
    found: dict[str, list[int]] = {}
    for note in context.notes:
        text = _plain(note.text)
        for theme, stems in THEME_LEXICON.items():
            if any(re.search(rf"(?<![a-z]){re.escape(stem)}", text) for stem in stems):
                found.setdefault(theme, []).append(note.number)
    latest = context.notes[-1].number if context.notes else 0
    themes = [
        SessionTheme(
            theme=theme,
            description=(
                f"Évoqué dans {len(sessions)} séance{'s' if len(sessions) > 1 else ''}"
                f" (n° {', '.join(str(n) for n in sessions)})."
                + (" Sujet sensible : à aborder avec prudence, sans diagnostic." if theme in SENSITIVE_THEMES else "")
            ),
            seances=sessions,
            a_approfondir=theme in SENSITIVE_THEMES or (len(sessions) == 1 and sessions[0] == latest),
        )
        for theme, sessions in sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    if not context.notes:
        summary = "Aucune note de séance n'est encore saisie."
    elif not themes:
        summary = f"{len(context.notes)} séance(s) avec notes ; aucun thème du lexique n'a été repéré."
    else:
        summary = (
            f"{len(context.notes)} séance(s) avec notes. Thèmes les plus présents : "
            f"{_list([theme.theme for theme in themes[:3]])}."
        )
    return SessionThemes(themes=themes[:12], synthese=summary)


ENGINES: dict[AiFeature, Callable[[BilanContext], BaseModel]] = {
    AiFeature.TRANSFERABLE_SKILLS: transferable_skills,
    AiFeature.RECOMMENDATION_EXPLANATION: recommendation_explanation,
    AiFeature.SYNTHESE_DRAFT: synthese_draft,
    AiFeature.SESSION_THEMES: session_themes,
}


def produce(feature: AiFeature, context: BilanContext) -> BaseModel:
    return ENGINES[feature](context)
