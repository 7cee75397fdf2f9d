"""The structures of the AI features: their inputs and the outputs both engines produce.

Outputs are validated with pydantic whether they come from a provider or from the local engine, so a
screen (or the synthèse issue) reads one shape. Lists are bounded: a model that rambles is refused and
asked again rather than stored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AiFeature(StrEnum):
    TRANSFERABLE_SKILLS = "transferable_skills"
    RECOMMENDATION_EXPLANATION = "recommendation_explanation"
    SYNTHESE_DRAFT = "synthese_draft"
    SESSION_THEMES = "session_themes"


class _Output(BaseModel):
    # Providers add keys of their own now and then: ignore them rather than refuse a good answer.
    model_config = ConfigDict(extra="ignore")


def _text() -> Any:
    return Field(min_length=1, max_length=4000)


def _label() -> Any:
    return Field(min_length=1, max_length=300)


# ---------------------------------------------------------------- transferable skills


class TransferableSkill(_Output):
    competence: str = _label()
    preuves: list[str] = Field(default_factory=list, max_length=6)  # the experiences that show it
    transferable_vers: list[str] = Field(default_factory=list, max_length=6)  # sectors or kinds of jobs
    niveau: Literal["fort", "moyen", "a_confirmer"] = "moyen"


class TransferableSkillsAnalysis(_Output):
    synthese: str = _text()
    competences: list[TransferableSkill] = Field(default_factory=list, max_length=15)
    points_de_vigilance: list[str] = Field(default_factory=list, max_length=6)


# ---------------------------------------------------------------- recommendation explanation


def _texts(value: Any, limit: int) -> Any:
    """Plain strings from what the matching engine gives: strings, ``{"libelle"}``, ``{"texte"}``, or
    gap groups ``{"competences": [{"libelle"}...]}`` (flattened); at most ``limit`` of them."""
    if not isinstance(value, list):
        return value
    texts: list[str] = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("competences"), list):
            texts.extend(str(skill.get("libelle", "")) for skill in item["competences"] if isinstance(skill, dict))
        elif isinstance(item, dict):
            texts.append(str(item.get("texte") or item.get("libelle") or ""))
        else:
            texts.append(str(item))
    return [text for text in texts if text.strip()][:limit]


class RecommendationInput(BaseModel):
    """One target métier as the matching engine ranks it: the keys of ``recommend --json`` (and of
    ``services.matching``'s ``Recommendation.to_dict()``: gap groups are flattened to skill labels,
    transition paths to their text, other keys ignored)."""

    model_config = ConfigDict(extra="ignore")

    code_rome: str = Field(min_length=1, max_length=5)
    libelle: str = Field(min_length=1, max_length=300)
    score: float | None = None  # 0-1 or 0-100
    raisons: list[str] = Field(default_factory=list, max_length=20)
    competences_a_acquerir: list[str] = Field(default_factory=list, max_length=40)
    parcours: list[str] = Field(default_factory=list, max_length=10)  # transition paths, as text

    @field_validator("raisons", mode="before")
    @classmethod
    def _raisons(cls, value: Any) -> Any:
        return _texts(value, 20)

    @field_validator("competences_a_acquerir", mode="before")
    @classmethod
    def _gaps(cls, value: Any) -> Any:
        return _texts(value, 40)

    @field_validator("parcours", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return _texts(value, 10)


class GapAdvice(_Output):
    competence: str = _label()
    conseil: str = _text()


class RecommendationExplanation(_Output):
    metier: str = _label()
    explication: str = _text()
    atouts: list[str] = Field(default_factory=list, max_length=8)
    ecarts: list[GapAdvice] = Field(default_factory=list, max_length=12)
    prochaines_etapes: list[str] = Field(default_factory=list, max_length=6)


# ---------------------------------------------------------------- synthèse draft


SectionKey = Literal["contexte", "parcours_competences", "pistes", "conclusion"]
SECTION_KEYS: tuple[SectionKey, ...] = ("contexte", "parcours_competences", "pistes", "conclusion")


class SyntheseSection(_Output):
    cle: SectionKey
    titre: str = _label()
    contenu: str = _text()


class SuggestedAction(_Output):
    intitule: str = _label()
    description: str = _text()
    echeance: Literal["court_terme", "moyen_terme", "long_terme"] = "court_terme"


class SyntheseDraft(_Output):
    sections: list[SyntheseSection] = Field(min_length=1, max_length=8)
    actions: list[SuggestedAction] = Field(default_factory=list, max_length=10)


# ---------------------------------------------------------------- themes of the session notes


class SessionTheme(_Output):
    theme: str = _label()
    description: str = _text()
    seances: list[int] = Field(default_factory=list, max_length=30)  # 1-based numbers of the sessions
    a_approfondir: bool = False


class SessionThemes(_Output):
    themes: list[SessionTheme] = Field(default_factory=list, max_length=12)
    synthese: str = _text()


OUTPUT_MODELS: dict[AiFeature, type[_Output]] = {
    AiFeature.TRANSFERABLE_SKILLS: TransferableSkillsAnalysis,
    AiFeature.RECOMMENDATION_EXPLANATION: RecommendationExplanation,
    AiFeature.SYNTHESE_DRAFT: SyntheseDraft,
    AiFeature.SESSION_THEMES: SessionThemes,
}
