"""What a document de synthèse says: its ten sections, the local engine's text, the AI draft's place in
it, and the line diff between two versions. Pure functions of plain data (no database, no access
checks: ``services.synthese.versions`` gathers the facts for a reader it has checked), so any caller may
use them.

The local engine writes French Markdown from the bilan's real data only, addressed to the beneficiary
("vous") in every section, with plurals agreed ("dont 1 essentielle"). Where a fact is missing, the
section says so in an italic line starting with ``À compléter`` (``TODO_MARK``): a note to the
consultant, never invented content, which validation refuses in any section (so it is never printed).

The AI draft (``SyntheseDraft``: contexte, parcours_competences, pistes, conclusion, and suggested
actions) writes the narrative of four sections; the facts the AI never sees (sessions and hours,
the skills map's zones, test results, training, contacts) still come from the local engine.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from services.bilans import BilanDetail, SessionRow
from services.i18n import format_date, format_month, format_number, translate
from services.llm.schemas import SyntheseDraft
from services.psychometrics.service import ResultView
from services.recommendations import KeptTarget
from services.skills.assessment import AssessmentView
from services.skills.cartography import ZONES, SkillsMap
from services.training.suggest import Suggestion

OBSERVATIONS = "observations"
SECTIONS: tuple[str, ...] = (
    "circonstances",
    "parcours",
    "competences",
    "interets",
    "projet",
    "conditions",
    "etapes",
    "formations",
    "ressources",
    OBSERVATIONS,
)
CONSULTANT_SECTIONS: tuple[str, ...] = SECTIONS[:-1]  # the beneficiary alone writes her observations
# The content the law expects of a synthèse (circumstances, skills, the project and its steps).
REQUIRED_SECTIONS: tuple[str, ...] = ("circonstances", "competences", "projet", "etapes")
MAX_SECTION_CHARS = 20_000
TODO_MARK = "À compléter"
DOCUMENT_LOCALE = "fr"  # the document is written in French, whatever the reader's interface language
PUBLIC_RESOURCES = (
    "Conseil en évolution professionnelle (CEP), gratuit et confidentiel : https://mon-cep.org",
    "Mon Compte Formation (CPF) : https://www.moncompteformation.gouv.fr",
    "France Travail : https://www.francetravail.fr",
)
AI_ECHEANCE = {"court_terme": "court terme", "moyen_terme": "moyen terme", "long_terme": "long terme"}
TOP_DIMENSIONS = 3
MAX_LISTED = 8


@dataclass(frozen=True)
class ActionFact:
    """One action of the bilan's action plan, as the synthèse lists it."""

    title: str
    deadline: date | None = None
    owner: str = ""  # "beneficiary" | "consultant"
    status: str = ""  # an ActionStatus value
    indicator: str = ""
    milestones: tuple[tuple[str, date], ...] = ()  # (label, due on)


@dataclass(frozen=True)
class BilanFacts:
    """Everything the local engine reads of a bilan (gathered through the services' own reads)."""

    beneficiary: str
    consultant: str
    organisation: str
    organisation_contacts: tuple[str, ...]  # e-mail, phone, address, as given by the organisation
    detail: BilanDetail
    questionnaire: dict[str, str]
    completed_minutes: int  # the sessions held (services.bilans.hours)
    planned_minutes: int  # the bilan's planned duration (services.bilans.hours: the PDF's cover says the same)
    sessions: list[SessionRow]  # the sessions held, in order
    assessment: AssessmentView | None
    skills_map: SkillsMap | None
    results: list[ResultView]  # newest first
    targets: list[KeptTarget]
    actions: tuple[ActionFact, ...] = ()  # the action plan, in its order


# ---------------------------------------------------------------- small writers


def todo(what: str) -> str:
    """A visible gap, never mistaken for content."""
    return f"*{TODO_MARK} : {what}*"


def is_missing(text: str) -> bool:
    """An empty section, or one left with its "À compléter" note (pure: any caller)."""
    body = text.strip()
    return not body or body.startswith(f"*{TODO_MARK}")


def printable(text: str) -> str:
    """A section as printed and as the beneficiary reads it: without the "À compléter" notes, which are
    for the consultant (a section left with its note prints empty)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(part for part in paragraphs if not part.strip().startswith(f"*{TODO_MARK}")).strip()


def _line(text: str, limit: int = 600) -> str:
    """Free text on one line (a list item or a labelled paragraph). A long text keeps its whole sentences
    up to ``limit``; it is never cut inside a sentence nor given a cut mark (the consultant edits it)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    end = max(head.rfind(mark) for mark in (". ", "! ", "? "))
    return head[: end + 1] if end > 0 else flat


def _labelled(label: str, text: str) -> str:
    return f"**{label}** : {_line(text)}" if text.strip() else ""


def _date(value: datetime | date | None) -> str:
    return format_date(value, DOCUMENT_LOCALE)


def _duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _t(key: str, **params: object) -> str:
    return translate(key, DOCUMENT_LOCALE, **params)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part.strip())


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items if item)


# ---------------------------------------------------------------- the sections, one writer each


def _consultant(facts: BilanFacts) -> str:
    return facts.consultant or "votre consultant·e"


def _intro(facts: BilanFacts) -> str:
    detail = facts.detail
    return (
        f"Vous avez demandé ce bilan de compétences le {_date(detail.requested_at)}. "
        f"Il est mené par {_consultant(facts)} ({facts.organisation}). "
        f"Modalité : {_t('mode.' + detail.mode).lower()} ; financement : {_t('funding.' + detail.funding_type)}."
    )


def _request(facts: BilanFacts) -> str:
    answers = facts.questionnaire
    return _join(
        _labelled("Votre situation au démarrage", answers.get("situation", "")),
        _labelled("Votre demande", answers.get("request", "")),
        _labelled("Vos motivations", answers.get("motivation", "")),
        _labelled("Vos attentes", answers.get("expectations", "")),
        _labelled("Les objectifs convenus en phase préliminaire", facts.detail.objectives),
    )


def sessions_block(facts: BilanFacts) -> str:
    """How the bilan ran: the sessions held and the hours (the AI never sees them)."""
    planned = _duration(facts.planned_minutes)
    if not facts.sessions:
        return f"**Déroulement** : aucune séance n'est encore enregistrée comme réalisée ({planned} prévues)."
    head = (
        f"**Déroulement** : {_plural(len(facts.sessions), 'séance réalisée', 'séances réalisées')}, "
        f"soit {_duration(facts.completed_minutes)} sur {planned} prévues."
    )
    rows = [
        f"{_date(row.starts_at)} : phase {_t('phase.' + row.phase).lower()}, {_duration(row.duration_minutes)}"
        for row in facts.sessions
    ]
    return head + "\n\n" + _bullets(rows)


def _circumstances(facts: BilanFacts) -> str:
    return _join(_intro(facts), _request(facts), sessions_block(facts))


def _period(start: str, end: str) -> str:
    if not start:
        return ""
    return f"depuis {format_month(start)}" if not end else f"{format_month(start)} – {format_month(end)}"


def _parcours(facts: BilanFacts) -> str:
    experiences = facts.assessment.experiences if facts.assessment else []
    if not experiences:
        return todo("le parcours n'a pas encore été saisi dans l'auto-évaluation des compétences.")
    rows = []
    for item in experiences:
        details = ", ".join(
            part for part in (_t(f"skills.experience.{item.kind}"), _period(item.start, item.end), item.place) if part
        )
        description = f". {_line(item.description, 400)}" if item.description.strip() else ""
        rows.append(f"**{_line(item.title, 200)}** ({details}){description}")
    head = f"{_plural(len(rows), 'expérience retenue', 'expériences retenues')} dans votre parcours :"
    return head + "\n\n" + _bullets(rows)


def _skills_intro(facts: BilanFacts) -> str:
    skills_map = facts.skills_map
    assert skills_map is not None
    count = len(skills_map.skills)
    validated = (
        f", {'validée' if count == 1 else 'validées'} par {_consultant(facts)} le {_date(skills_map.validated_at)}"
        if skills_map.validated and skills_map.validated_at
        else f" ; l'évaluation n'est pas encore validée par {_consultant(facts)}"
    )
    domains = ", ".join(f"{stat.label} ({stat.count})" for stat in skills_map.by_domain[:3])
    text = (
        f"{_plural(count, 'de vos compétences a été évaluée', 'de vos compétences ont été évaluées')} "
        f"sur cinq critères (maîtrise, fréquence, contexte, appétence, potentiel){validated}."
    )
    return text + (f" Vos domaines les plus représentés : {domains}." if domains else "")


def skills_zones(facts: BilanFacts) -> str:
    """The skills map's three zones (valoriser, développer, mettre de côté) as lists."""
    skills_map = facts.skills_map
    if skills_map is None or not skills_map.skills:
        return ""
    blocks = []
    for zone in ZONES:
        members = skills_map.zones.get(zone, [])
        if members:
            rows = [f"{skill.libelle} ({skill.maitrise.lower()}, {skill.group_domain})" for skill in members]
            blocks.append(f"**{_t(f'skills.map.zone.{zone}')}** :\n\n" + _bullets(rows[: MAX_LISTED * 2]))
    return _join(*blocks)


def _skills(facts: BilanFacts) -> str:
    if facts.skills_map is None or not facts.skills_map.skills:
        return todo("aucune compétence n'est encore évaluée sur les cinq critères.")
    return _join(_skills_intro(facts), skills_zones(facts))


def _latest_results(results: list[ResultView]) -> list[ResultView]:
    seen: set[str] = set()
    latest = []
    for result in results:  # newest first: the first of each instrument is its latest
        if result.instrument_id not in seen:
            seen.add(result.instrument_id)
            latest.append(result)
    return latest


def _interests(facts: BilanFacts) -> str:
    results = _latest_results(facts.results)
    if not results:
        return todo("aucun questionnaire d'intérêts, de valeurs ou de personnalité n'a été passé.")
    blocks = []
    for result in results:
        code = f", code Holland : {result.holland_code}" if result.holland_code else ""
        rows = [
            f"{dimension.label} : {_t('psy.level.' + dimension.level).lower() if dimension.level else ''}"
            f"{' — ' if dimension.level else ''}{_line(dimension.interpretation, 300)}"
            for dimension in result.dimensions[:TOP_DIMENSIONS]
        ]
        blocks.append(f"**{result.title}** (le {_date(result.completed_at)}{code}) :\n\n" + _bullets(rows))
    motivation = facts.questionnaire.get("motivation", "")
    return _join(
        *blocks,
        _labelled("Vos motivations", motivation),
        f"*{_t('psy.disclaimer')}*",
    )


def _gap_labels(details: dict[str, Any]) -> list[str]:
    return [
        str(skill.get("libelle", ""))
        for group in details.get("competences_a_acquerir", [])
        for skill in group.get("competences", [])
        if skill.get("libelle")
    ]


def _sentence(text: str) -> str:
    """One whole sentence (the engine's reasons and paths are written as such): flat, with its full stop."""
    flat = " ".join(str(text).split()).rstrip(" ;")
    return flat if not flat or flat[-1] in ".!?…" else flat + "."


def _listed(label: str, items: list[str]) -> str:
    sentences = [_sentence(item) for item in items if str(item).strip()]
    return f"**{label}** :\n\n" + _bullets(sentences) if sentences else ""


def _target_block(number: int, target: KeptTarget) -> str:
    details = target.details
    mastered = [str(skill.get("libelle", "")) for skill in details.get("competences_maitrisees", [])]
    paths = [str(path.get("texte", "")) for path in details.get("parcours", []) if path.get("texte")]
    return _join(
        f"### {number}. {target.libelle} ({target.code_rome})",
        _listed("Pourquoi cette piste", [str(reason) for reason in details.get("raisons", [])]),
        _labelled("Compétences que vous maîtrisez déjà", ", ".join(mastered[:MAX_LISTED])),
        _labelled("Compétences à acquérir", ", ".join(_gap_labels(details)[:MAX_LISTED])),
        _listed("Passerelles", paths),
    )


def _project(facts: BilanFacts) -> str:
    if not facts.targets:
        return todo("aucune piste professionnelle n'a encore été retenue dans l'analyse.")
    count = len(facts.targets)
    head = f"{_plural(count, 'piste professionnelle retenue', 'pistes professionnelles retenues')} avec vous" + (
        ", dans l'ordre où elles ont été retenues :" if count > 1 else " :"
    )
    return _join(head, *[_target_block(number, target) for number, target in enumerate(facts.targets, start=1)])


def _conditions(facts: BilanFacts) -> str:
    gaps = [
        f"pour {target.libelle} : {', '.join(_gap_labels(target.details)[:MAX_LISTED])}"
        for target in facts.targets
        if _gap_labels(target.details)
    ]
    answers = facts.questionnaire
    cpf = sum(1 for target in facts.targets for s in target.training if s.course.source == "cpf")
    parts = [
        "**Compétences à acquérir** :\n\n" + _bullets(gaps) if gaps else "",
        _labelled("Vos contraintes", answers.get("constraints", "")),
        _labelled("Vos disponibilités", answers.get("availability", "")),
        f"**Financement** : {_plural(cpf, 'formation repérée est éligible', 'formations repérées sont éligibles')}"
        " au compte personnel de formation (CPF)."
        if cpf
        else "",
    ]
    return _join(*parts) or todo("les conditions et les moyens de réalisation du projet sont à préciser.")


def _owner(owner: str, facts: BilanFacts) -> str:
    return {"beneficiary": "par vous", "consultant": f"par {_consultant(facts)}"}.get(owner, "")


def _steps(facts: BilanFacts, draft: SyntheseDraft | None = None) -> str:
    actions = [action for action in facts.actions if action.status != "abandonnee"]
    if actions:
        lines = []
        for action in actions:
            parts = [
                f"échéance le {_date(action.deadline)}" if action.deadline else "",
                _owner(action.owner, facts),
                _t(f"action_plan.status.{action.status}").lower() if action.status else "",
                f"indicateur de réussite : {_line(action.indicator, 200)}" if action.indicator.strip() else "",
            ]
            details = ", ".join(part for part in parts if part)
            lines.append(f"- **{_line(action.title, 200)}**" + (f" ({details})" if details else ""))
            lines += [f"  - étape : {_line(label, 200)}, le {_date(due_on)}" for label, due_on in action.milestones]
        return "Les étapes de votre plan d'action :\n\n" + "\n".join(lines)
    if draft is not None and draft.actions:
        rows = [
            f"**{_line(a.intitule, 200)}** ({AI_ECHEANCE[a.echeance]}) : {_line(a.description, 400)}"
            for a in draft.actions
        ]
        return "Les étapes proposées (à reprendre dans votre plan d'action) :\n\n" + _bullets(rows)
    return todo("le plan d'action n'est pas encore rédigé.")


def _course_line(suggestion: Suggestion) -> str:
    course = suggestion.course
    parts = [
        course.provider,
        _t(f"training.mode.{course.mode}").lower(),
        f"{format_number(course.hours, DOCUMENT_LOCALE)} h" if course.hours else "",
        f"certification {course.certification_code}" if course.certification_code else "",
    ]
    details = ", ".join(part for part in parts if part)
    return f"**{_line(course.title, 200)}**" + (f" ({details})" if details else "")


def _training(facts: BilanFacts) -> str:
    blocks = [
        f"**Pour {target.libelle} ({target.code_rome})** :\n\n" + _bullets(_course_line(s) for s in target.training)
        for target in facts.targets
        if target.training
    ]
    return _join(*blocks) or todo("aucune formation n'a encore été repérée pour les pistes retenues.")


def _resources(facts: BilanFacts) -> str:
    contacts = ", ".join(facts.organisation_contacts)
    consultant = (
        f"**{facts.consultant}**, votre consultant·e en bilan de compétences, {facts.organisation}"
        + (f" : {contacts}" if contacts else "")
        if facts.consultant
        else ""
    )
    return _bullets([consultant, *PUBLIC_RESOURCES])


# ---------------------------------------------------------------- the drafts


def compose_local(facts: BilanFacts) -> dict[str, str]:
    """The local engine's draft: every consultant section from the bilan's data (observations empty)."""
    return {
        "circonstances": _circumstances(facts),
        "parcours": _parcours(facts),
        "competences": _skills(facts),
        "interets": _interests(facts),
        "projet": _project(facts),
        "conditions": _conditions(facts),
        "etapes": _steps(facts),
        "formations": _training(facts),
        "ressources": _resources(facts),
        OBSERVATIONS: "",
    }


def compose_with_ai(facts: BilanFacts, draft: SyntheseDraft) -> dict[str, str]:
    """The AI's four narrative sections in their places, the facts it never saw from the local engine.

    contexte → circumstances (then the sessions held), parcours_competences → skills (then the map's
    zones), pistes and conclusion → the project, suggested actions → the steps when no action plan
    is written; a section the AI left out keeps the local text.
    """
    sections = compose_local(facts)
    ai = {section.cle: section.contenu.strip() for section in draft.sections}
    if ai.get("contexte"):
        sections["circonstances"] = _join(ai["contexte"], sessions_block(facts))
    if ai.get("parcours_competences"):
        sections["competences"] = _join(ai["parcours_competences"], skills_zones(facts))
    if ai.get("pistes") or ai.get("conclusion"):
        sections["projet"] = _join(
            ai.get("pistes", "") or sections["projet"],
            _labelled("En conclusion", ai["conclusion"]) if ai.get("conclusion") else "",
        )
    sections["etapes"] = _steps(facts, draft)
    return sections


def section_title(key: str, locale: str = DOCUMENT_LOCALE) -> str:
    """A section's title in ``locale`` (pure: any caller)."""
    return translate(f"synthese.section.{key}", locale)


# ---------------------------------------------------------------- the diff between two versions


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "added", "removed"]
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    changed: bool
    lines: list[DiffLine]


def _line_diff(before: str, after: str) -> list[DiffLine]:
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in old[i1:i2]]
            continue
        lines += [DiffLine("removed", text) for text in old[i1:i2]]
        lines += [DiffLine("added", text) for text in new[j1:j2]]
    return lines


def diff_sections(before: dict[str, str], after: dict[str, str]) -> list[SectionDiff]:
    """Section by section, in the document's order: the lines removed, added and kept."""
    diffs = []
    for key in SECTIONS:
        old, new = before.get(key, ""), after.get(key, "")
        diffs.append(SectionDiff(key, old != new, _line_diff(old, new)))
    return diffs
