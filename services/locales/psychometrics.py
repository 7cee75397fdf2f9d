"""Catalogue: psychometric tests (disclaimer, levels, errors, audit labels)."""

FR: dict[str, str] = {
    "psy.disclaimer": (
        "Ces questionnaires sont des aides à la réflexion, pas des verdicts : ils décrivent des "
        "préférences à un moment donné, à discuter avec votre consultant, et ne mesurent ni vos "
        "capacités ni votre valeur."
    ),
    "psy.title": "Questionnaires",
    "psy.kind.interests": "Intérêts professionnels",
    "psy.kind.personality": "Personnalité",
    "psy.kind.values": "Valeurs professionnelles",
    "psy.status.in_progress": "En cours",
    "psy.status.completed": "Terminé",
    "psy.level.low": "Plutôt faible",
    "psy.level.average": "Dans la moyenne",
    "psy.level.high": "Plutôt élevé",
    "psy.holland_code": "Code Holland",
    "psy.raw_score": "Score brut",
    "psy.normalised_score": "Score (%)",
    "psy.progress": "{answered} réponses sur {total}",
    "psy.source": "Source",
    "psy.error.unknown_item": "Cette question ne fait pas partie du questionnaire.",
    "psy.error.out_of_scale": "Choisissez une réponse entre {min} et {max}.",
    "psy.error.missing_answer": "Merci de répondre à cette question.",
    "psy.error.missing_answers": "Il reste {count} question(s) sans réponse.",
    "psy.error.session_completed": "Ce questionnaire est déjà terminé : ses réponses ne peuvent plus être modifiées.",
    "audit.psy.session_started": "Questionnaire commencé",
    "audit.psy.session_completed": "Questionnaire terminé",
}

EN: dict[str, str] = {
    "psy.disclaimer": (
        "These questionnaires are aids to reflection, not verdicts: they describe preferences at a "
        "given moment, to be discussed with your consultant, and measure neither your abilities nor "
        "your worth."
    ),
    "psy.title": "Questionnaires",
    "psy.kind.interests": "Career interests",
    "psy.kind.personality": "Personality",
    "psy.kind.values": "Work values",
    "psy.status.in_progress": "In progress",
    "psy.status.completed": "Completed",
    "psy.level.low": "Rather low",
    "psy.level.average": "Average",
    "psy.level.high": "Rather high",
    "psy.holland_code": "Holland code",
    "psy.raw_score": "Raw score",
    "psy.normalised_score": "Score (%)",
    "psy.progress": "{answered} of {total} answered",
    "psy.source": "Source",
    "psy.error.unknown_item": "This question is not part of the questionnaire.",
    "psy.error.out_of_scale": "Choose an answer between {min} and {max}.",
    "psy.error.missing_answer": "Please answer this question.",
    "psy.error.missing_answers": "{count} question(s) still unanswered.",
    "psy.error.session_completed": "This questionnaire is already completed: its answers can no longer be changed.",
    "audit.psy.session_started": "Questionnaire started",
    "audit.psy.session_completed": "Questionnaire completed",
}
