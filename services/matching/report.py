"""Plain-text rendering of a recommendation set (the ``recommend`` command's default output)."""

from __future__ import annotations

from services.i18n import translate
from services.matching.engine import COMPONENTS, RecommendationSet


def render_text(result: RecommendationSet, locale: str = "fr") -> str:
    lines = [translate("matching.cli.title", locale, version=result.referentiel)]
    if result.origines:
        inferred = translate("matching.cli.inferred", locale) if result.origine_deduite else ""
        names = ", ".join(f"{step.libelle} ({step.code_rome})" for step in result.origines)
        lines.append(translate("matching.cli.origins", locale, inferred=inferred, names=names))
    if result.competences_ignorees:
        lines.append(translate("matching.cli.ignored", locale, codes=", ".join(result.competences_ignorees)))
    for rank, metier in enumerate(result.metiers, start=1):
        lines.append("")
        score = translate("matching.cli.score", locale, score=metier.score)
        lines.append(f"{rank:>2}. {metier.libelle} ({metier.code_rome}) — {score}")
        detail = ", ".join(
            f"{translate(f'matching.component.{name}', locale)} {metier.detail[name]}"
            for name in COMPONENTS
            if metier.detail.get(name) is not None
        )
        lines.append(f"    {translate('matching.cli.detail', locale)} : {detail}")
        lines.extend(f"    • {reason}" for reason in metier.raisons)
        for group in metier.competences_a_acquerir:
            names = "; ".join(skill.libelle + (" *" if skill.coeur else "") for skill in group.competences)
            more = f" (+{group.total - len(group.competences)})" if group.total > len(group.competences) else ""
            lines.append(f"    {translate('matching.cli.gap', locale)} — {group.libelle} : {names}{more}")
        for path in metier.parcours:
            steps = " → ".join(step.code_rome for step in path.etapes)
            lines.append(f"    {translate('matching.cli.paths', locale)} : {steps} ({path.texte})")
    return "\n".join(lines)
