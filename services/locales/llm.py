"""Catalogue: the AI layer (errors of the provider, consent, engines, review, audit labels)."""

FR: dict[str, str] = {
    # errors (LlmError codes)
    "llm.error.timeout": (
        "L'assistant IA met trop de temps à répondre. Réessayez dans un instant, ou utilisez le moteur local."
    ),
    "llm.error.rate_limited": (
        "L'assistant IA reçoit trop de demandes en ce moment. Réessayez dans une minute, ou utilisez le moteur local."
    ),
    "llm.error.unavailable": (
        "L'assistant IA est momentanément indisponible. Réessayez plus tard, ou utilisez le moteur local."
    ),
    "llm.error.auth": (
        "Le fournisseur d'IA refuse la clé d'accès configurée. Un administrateur doit vérifier les réglages IA."
    ),
    "llm.error.rejected": "Le fournisseur d'IA a refusé la demande (modèle ou paramètres). Vérifiez les réglages IA.",
    "llm.error.invalid_output": (
        "L'assistant IA n'a pas produit de réponse exploitable, même après un nouvel essai. "
        "Réessayez, ou utilisez le moteur local."
    ),
    "llm.error.already_reviewed": "Cette proposition a déjà été validée ou rejetée.",
    "llm.error.override_enterprise_only": (
        "Le choix du fournisseur, du modèle et de la clé d'IA est réservé à l'offre Enterprise."
    ),
    "llm.error.base_url_invalid": "Adresse invalide : indiquez une URL complète commençant par https://.",
    # engines and why the local one ran
    "llm.engine.llm": "Assistant IA",
    "llm.engine.local": "Analyse locale",
    "llm.fallback.requested": "Analyse locale demandée.",
    "llm.fallback.provider_failed": "L'assistant IA n'a pas abouti : le moteur local a répondu à sa place.",
    "llm.fallback.not_configured": "Aucun assistant IA n'est configuré : l'analyse locale a été utilisée.",
    "llm.fallback.no_consent": (
        "La personne n'a pas donné son accord pour l'assistant IA : l'analyse locale a été utilisée."
    ),
    "llm.fallback.budget_exhausted": "Le budget IA du mois est atteint : l'analyse locale a été utilisée.",
    # features
    "llm.feature.transferable_skills": "Compétences transférables",
    "llm.feature.recommendation_explanation": "Explication d'une piste métier",
    "llm.feature.synthese_draft": "Brouillon de synthèse et actions",
    "llm.feature.session_themes": "Thèmes des notes de séance",
    # review
    "llm.status.proposed": "À relire",
    "llm.status.accepted": "Acceptée",
    "llm.status.edited": "Modifiée et acceptée",
    "llm.status.rejected": "Rejetée",
    "llm.review.notice": "Proposition générée automatiquement : relisez-la, puis acceptez-la, modifiez-la ou rejetez-la.",
    # consent (the text's version is services.llm.consent.CONSENT_TEXT_VERSION)
    "llm.consent.title": "Assistant IA : votre accord",
    "llm.consent.text": (
        "Votre consultant peut s'aider d'un assistant d'intelligence artificielle pour analyser votre parcours, "
        "expliquer des pistes métiers et préparer la synthèse. Si vous l'acceptez, des informations de votre "
        "bilan sont envoyées à un fournisseur d'IA externe après pseudonymisation : vos nom, e-mail, téléphone, "
        "adresse et employeurs sont remplacés par des marqueurs. Chaque proposition de l'IA est relue et validée "
        "par votre consultant, qui reste seul responsable des conclusions. Sans votre accord, une analyse locale, "
        "sans IA externe, est utilisée. Vous pouvez retirer votre accord à tout moment."
    ),
    "llm.consent.give": "J'accepte",
    "llm.consent.withdraw": "Retirer mon accord",
    "llm.consent.refuse": "Je refuse",
    "llm.consent.given": "Accord donné",
    "llm.consent.withdrawn": "Accord retiré",
    "llm.consent.refused": "Accord refusé",
    "llm.consent.none": "Accord non demandé",
    # audit labels
    "audit.ai.call": "Appel à l'assistant IA",
    "audit.ai.proposal_created": "Proposition IA générée",
    "audit.ai.proposal_accepted": "Proposition IA acceptée",
    "audit.ai.proposal_edited": "Proposition IA modifiée",
    "audit.ai.proposal_rejected": "Proposition IA rejetée",
    "audit.ai.consent_given": "Accord pour l'assistant IA donné",
    "audit.ai.consent_withdrawn": "Accord pour l'assistant IA retiré",
    "audit.ai.consent_refused": "Accord pour l'assistant IA refusé",
    "audit.ai.settings_updated": "Réglages IA modifiés",
}

EN: dict[str, str] = {
    "llm.error.timeout": "The AI assistant is taking too long to answer. Try again shortly, or use the local engine.",
    "llm.error.rate_limited": (
        "The AI assistant is receiving too many requests right now. Try again in a minute, or use the local engine."
    ),
    "llm.error.unavailable": "The AI assistant is unavailable for now. Try again later, or use the local engine.",
    "llm.error.auth": "The AI provider refuses the configured access key. An administrator must check the AI settings.",
    "llm.error.rejected": "The AI provider refused the request (model or parameters). Check the AI settings.",
    "llm.error.invalid_output": (
        "The AI assistant did not produce a usable answer, even after another attempt. "
        "Try again, or use the local engine."
    ),
    "llm.error.already_reviewed": "This proposal has already been accepted or rejected.",
    "llm.error.override_enterprise_only": "Choosing the AI provider, model and key is part of the Enterprise plan.",
    "llm.error.base_url_invalid": "Invalid address: enter a full URL starting with https://.",
    "llm.engine.llm": "AI assistant",
    "llm.engine.local": "Local analysis",
    "llm.fallback.requested": "Local analysis requested.",
    "llm.fallback.provider_failed": "The AI assistant did not succeed: the local engine answered in its place.",
    "llm.fallback.not_configured": "No AI assistant is configured: the local analysis was used.",
    "llm.fallback.no_consent": "The person has not agreed to the AI assistant: the local analysis was used.",
    "llm.fallback.budget_exhausted": "This month's AI budget is spent: the local analysis was used.",
    "llm.feature.transferable_skills": "Transferable skills",
    "llm.feature.recommendation_explanation": "Explanation of a job target",
    "llm.feature.synthese_draft": "Draft synthesis and actions",
    "llm.feature.session_themes": "Themes of the session notes",
    "llm.status.proposed": "To review",
    "llm.status.accepted": "Accepted",
    "llm.status.edited": "Edited and accepted",
    "llm.status.rejected": "Rejected",
    "llm.review.notice": "Automatically generated proposal: read it, then accept, edit or reject it.",
    "llm.consent.title": "AI assistant: your consent",
    "llm.consent.text": (
        "Your consultant may use an artificial intelligence assistant to analyse your career path, explain job "
        "targets and prepare the synthesis. If you agree, information from your bilan is sent to an external AI "
        "provider after pseudonymisation: your name, e-mail, phone number, address and employers are replaced by "
        "markers. Every AI proposal is read and validated by your consultant, who alone is responsible for the "
        "conclusions. Without your consent, a local analysis, with no external AI, is used. You may withdraw your "
        "consent at any time."
    ),
    "llm.consent.give": "I agree",
    "llm.consent.withdraw": "Withdraw my consent",
    "llm.consent.refuse": "I decline",
    "llm.consent.given": "Consent given",
    "llm.consent.withdrawn": "Consent withdrawn",
    "llm.consent.refused": "Consent refused",
    "llm.consent.none": "Consent not asked yet",
    "audit.ai.call": "AI assistant call",
    "audit.ai.proposal_created": "AI proposal generated",
    "audit.ai.proposal_accepted": "AI proposal accepted",
    "audit.ai.proposal_edited": "AI proposal edited",
    "audit.ai.proposal_rejected": "AI proposal rejected",
    "audit.ai.consent_given": "Consent to the AI assistant given",
    "audit.ai.consent_withdrawn": "Consent to the AI assistant withdrawn",
    "audit.ai.consent_refused": "Consent to the AI assistant refused",
    "audit.ai.settings_updated": "AI settings changed",
}
