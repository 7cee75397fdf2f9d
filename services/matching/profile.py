"""The matching engine's input: a ``Profile`` (pydantic), its French validation errors, and a profile built
from a bilan (the validated skills and the RIASEC results, read through their services).

Every field is optional. Unknown fields are refused (a typo must not silently drop a constraint), and a
validation error names the field ("skills[1].maitrise") in a French sentence.
"""

from __future__ import annotations

import json
import re
import uuid
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from services.access import Actor
from services.i18n import translate
from services.models import Appetence, AssessmentStatus, ExperienceKind, Maitrise

RIASEC_LETTERS = ("R", "I", "A", "S", "E", "C")
CODE_OGR_PATTERN = r"^\d{1,12}$"
CODE_ROME_PATTERN = r"^[A-Na-n]\d{4}$"
# A commune's INSEE code: 5 digits, or 2A/2B and 3 digits for Corsica.
INSEE_PATTERN = r"^(\d{5}|2[ABab]\d{3})$"
ASPIRATIONS_MAX_CHARS = 4000


class TypeContrat(StrEnum):
    """France Travail's contract codes (``typeContrat`` of the Offres d'emploi API)."""

    CDI = "CDI"
    CDD = "CDD"
    MIS = "MIS"  # intérim
    SAI = "SAI"  # saisonnier
    LIB = "LIB"  # profession libérale
    FRA = "FRA"  # franchise


class TempsTravail(StrEnum):
    PLEIN = "plein"
    PARTIEL = "partiel"


class SkillInput(BaseModel):
    """One skill of the profile: its ROME OGR code, how well it is mastered, and whether it is liked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code_ogr: str = Field(pattern=CODE_OGR_PATTERN)
    maitrise: Maitrise | None = None
    appetence: Appetence | None = None


class Profile(BaseModel):
    """What the engine matches: skills, RIASEC interests, aspirations and constraints; all optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    skills: list[SkillInput] = Field(default_factory=list, max_length=2000)
    riasec: dict[str, float] | None = None  # {letter: 0-100}; missing letters count as 0
    aspirations: str = Field(default="", max_length=ASPIRATIONS_MAX_CHARS)
    # The métiers the person holds or held (codes ROME): the origin of the transition paths, and never
    # recommended. When absent, the origin is inferred from the skills.
    metiers_actuels: list[str] = Field(default_factory=list, max_length=20)
    # Constraints, carried for the job-offer search (France Travail); the local score does not use them.
    commune: str | None = Field(default=None, pattern=INSEE_PATTERN)
    rayon_km: int | None = Field(default=None, ge=0, le=500)
    type_contrat: list[TypeContrat] = Field(default_factory=list)
    temps_travail: TempsTravail | None = None
    salaire_min: int | None = Field(default=None, ge=0, le=1_000_000)  # gross, euros a year

    @field_validator("riasec")
    @classmethod
    def _riasec_letters(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        cleaned: dict[str, float] = {}
        for letter, score in value.items():
            key = letter.strip().upper()
            if key not in RIASEC_LETTERS:
                raise ValueError("riasec_letter")
            if not 0 <= score <= 100:
                raise ValueError("riasec_range")
            cleaned[key] = float(score)
        return cleaned

    @field_validator("metiers_actuels")
    @classmethod
    def _codes_rome(cls, value: list[str]) -> list[str]:
        codes: list[str] = []
        for code in value:
            if not re.match(CODE_ROME_PATTERN, code.strip()):
                raise ValueError("code_rome")
            if code.strip().upper() not in codes:
                codes.append(code.strip().upper())
        return codes

    @field_validator("commune")
    @classmethod
    def _commune_upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @property
    def is_empty(self) -> bool:
        return not self.skills and not self.riasec and not self.aspirations.strip() and not self.metiers_actuels


# ---------------------------------------------------------------- validation errors, in French


class ProfileError(ValueError):
    """An invalid profile: ``problems`` lists (field path, catalogue key, parameters), each naming its field."""

    def __init__(self, problems: list[tuple[str, str, dict[str, Any]]]) -> None:
        self.problems = problems
        super().__init__(self.message("en"))

    @property
    def fields(self) -> list[str]:
        return [path for path, _, _ in self.problems]

    def message(self, locale: str = "fr") -> str:
        lines = [translate("matching.error.title", locale, count=len(self.problems))]
        for path, key, params in self.problems:
            lines.append(translate("matching.error.line", locale, field=path, problem=translate(key, locale, **params)))
        return "\n".join(lines)


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "lax-", "json-")):
            continue  # pydantic's internal validator names
        else:
            path += f".{part}" if path else part
    return path or "profil"


_CHOICES: dict[str, str] = {
    "maitrise": ", ".join(m.value for m in Maitrise),
    "appetence": ", ".join(a.value for a in Appetence),
    "type_contrat": ", ".join(t.value for t in TypeContrat),
    "temps_travail": ", ".join(t.value for t in TempsTravail),
}


def _problem(error: Any) -> tuple[str, str, dict[str, Any]]:
    """One pydantic error as (field path, catalogue key, parameters)."""
    location = tuple(error["loc"])
    path = _path(location)
    kind = error["type"]
    context = error.get("ctx") or {}
    value = error.get("input")
    field = next((part for part in reversed(location) if isinstance(part, str)), "")
    shown = value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)[:60]
    if kind == "missing":
        return path, "matching.error.missing", {}
    if kind == "extra_forbidden":
        return path, "matching.error.unknown_field", {}
    if kind in ("enum", "literal_error"):
        return path, "matching.error.choice", {"choices": _CHOICES.get(field, ""), "value": shown}
    if kind == "string_pattern_mismatch":
        expected = {"code_ogr": "code_ogr", "commune": "commune"}.get(field, "format")
        return path, f"matching.expected.{expected}", {"value": shown}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(context.values()), "")
        return path, f"matching.error.{kind}", {"limit": limit, "value": shown}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return path, "matching.error.integer", {"value": shown}
    if kind in ("float_parsing", "float_type"):
        return path, "matching.error.number", {"value": shown}
    if kind in ("string_type",):
        return path, "matching.error.text", {}
    if kind in ("list_type",):
        return path, "matching.error.list", {}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return path, "matching.error.object", {}
    if kind in ("too_long", "string_too_long"):
        return path, "matching.error.too_long", {"limit": context.get("max_length", "")}
    if kind == "value_error":
        reason = str(context.get("error", ""))
        if reason in ("riasec_letter", "riasec_range", "code_rome"):
            return path, f"matching.expected.{reason}", {}
    return path, "matching.error.invalid", {"value": shown}


def parse_profile(data: Any) -> Profile:
    """A Profile from decoded JSON (a dict), or ProfileError naming every bad field."""
    if not isinstance(data, dict):
        raise ProfileError([("profil", "matching.error.object", {})])
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError([_problem(error) for error in exc.errors()]) from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile JSON file (ProfileError when unreadable, not JSON, or invalid)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError([("profil", "matching.error.no_file", {"path": str(file)})]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError([("profil", "matching.error.unreadable", {"path": str(file), "detail": str(exc)})]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            [("profil", "matching.error.json", {"line": exc.lineno, "column": exc.colno, "detail": exc.msg})]
        ) from None
    return parse_profile(data)


# ---------------------------------------------------------------- from a bilan


def profile_from_bilan(
    actor: Actor,
    bilan_id: uuid.UUID | str,
    *,
    aspirations: str = "",
    validated_only: bool = True,
    **constraints: Any,
) -> Profile:
    """The profile of a bilan, for the beneficiary or a follower (access goes through the services).

    Skills: the chosen skills with their effective ratings (the consultant's value where set, else the
    beneficiary's), only once the consultant has validated the assessment unless ``validated_only`` is
    False. RIASEC: the latest interest inventory result. Current métiers: the jobs of the parcours.
    """
    from services.psychometrics.service import interest_profile
    from services.skills.assessment import get_assessment

    view = get_assessment(actor, bilan_id)
    skills: list[SkillInput] = []
    if view.status is AssessmentStatus.VALIDATED or not validated_only:
        for skill in view.selected:
            maitrise = skill.effective.get("maitrise") or None
            appetence = skill.effective.get("appetence") or None
            skills.append(
                SkillInput(
                    code_ogr=skill.code_ogr,
                    maitrise=Maitrise(maitrise) if maitrise else None,
                    appetence=Appetence(appetence) if appetence else None,
                )
            )
    jobs = [exp.code_rome for exp in view.experiences if exp.code_rome and exp.kind == ExperienceKind.EMPLOI.value]
    current = list(dict.fromkeys(jobs))
    riasec = interest_profile(actor, bilan_id)
    return Profile(
        skills=skills,
        riasec=riasec or None,
        aspirations=aspirations,
        metiers_actuels=current[:20],
        **constraints,
    )
