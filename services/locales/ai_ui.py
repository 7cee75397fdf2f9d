"""Catalogue: the AI screens (the admin's settings and usage page, the beneficiary's consent card)."""

FR: dict[str, str] = {
    "nav.ai": "Intelligence artificielle",
    # the admin page: the engine in force
    "ai.settings.title": "Intelligence artificielle",
    "ai.settings.intro": (
        "L'assistant IA aide vos consultant·es : compétences transférables, explication des pistes métiers, "
        "brouillon de synthèse, thèmes des notes de séance. Chaque proposition est relue par un·e consultant·e. "
        "Sans fournisseur d'IA, sans l'accord du ou de la bénéficiaire, ou une fois le budget du mois atteint, "
        "le moteur local prend le relais."
    ),
    "ai.settings.engine_title": "Moteur en service",
    "ai.settings.engine_platform": "Assistant IA de la plateforme, modèle {model}.",
    "ai.settings.engine_organisation": "Fournisseur d'IA de votre organisme, modèle {model}.",
    "ai.settings.engine_local": "Moteur local uniquement.",
    "ai.settings.engine_local_help": (
        "Aucun fournisseur d'IA n'est configuré : les analyses sont rédigées en français par le moteur local, "
        "à partir de modèles de texte, et rien ne quitte la plateforme. C'est un fonctionnement normal, qui ne "
        "demande aucune action de votre part."
    ),
    "ai.settings.engine_budget_zero": (
        "Budget mensuel à 0 : seul le moteur local fonctionne, rien n'est envoyé au fournisseur d'IA."
    ),
    "ai.settings.engine_budget_spent": (
        "Le budget du mois est atteint : le moteur local prend le relais jusqu'à la fin du mois."
    ),
    "ai.settings.provider_failing": (
        "Le fournisseur d'IA échoue de façon répétée : {failures} des {recent} derniers appels ont échoué "
        "(dernier échec le {date} : {reason}). Ces échecs ne sont pas décomptés du budget et les consultants "
        "peuvent utiliser le moteur local ; vérifiez l'adresse, le modèle et la clé du fournisseur, ou "
        "contactez l'opérateur de la plateforme."
    ),
    # the admin page: the form
    "ai.settings.form_title": "Réglages",
    "ai.settings.budget": "Budget mensuel (jetons)",
    "ai.settings.budget_help": (
        "Laissez vide pour la valeur par défaut de la plateforme. 0 : moteur local uniquement."
    ),
    "ai.settings.budget_current": "Budget en vigueur : {budget} jetons par mois.",
    "ai.settings.budget_is_default": "Budget en vigueur : {budget} jetons par mois (valeur par défaut de la plateforme).",
    "ai.settings.provider_title": "Fournisseur d'IA de votre organisme",
    "ai.settings.provider_intro": (
        "Laissez ces champs vides pour utiliser l'assistant de la plateforme. Tout fournisseur compatible avec "
        "l'API d'OpenAI convient : Mistral, un serveur vLLM ou Ollama…"
    ),
    "ai.settings.base_url": "Adresse de l'API (URL de base)",
    "ai.settings.base_url_help": "Par exemple https://api.mistral.ai/v1. Vide : l'adresse de la plateforme.",
    "ai.settings.model": "Modèle",
    "ai.settings.model_help": "Par exemple mistral-small-latest. Vide : le modèle de la plateforme.",
    "ai.settings.api_key": "Nouvelle clé d'API",
    "ai.settings.api_key_help": (
        "Laissez vide pour conserver la clé enregistrée. La clé est chiffrée et n'est plus jamais affichée."
    ),
    "ai.settings.key_stored": "Clé enregistrée : {hint}",
    "ai.settings.key_none": "Aucune clé enregistrée.",
    "ai.settings.clear_key": "Supprimer la clé",
    "ai.settings.clear_confirm": "Supprimer la clé enregistrée ? Elle ne pourra pas être affichée à nouveau.",
    "ai.settings.clear_yes": "Oui, supprimer la clé",
    "ai.settings.clear_cancel": "Annuler",
    "ai.settings.key_cleared": "Clé d'API supprimée.",
    "ai.settings.enterprise_only": (
        "Choisir son propre fournisseur d'IA (adresse, modèle et clé) est réservé à la formule Enterprise. "
        "Votre organisme utilise l'assistant de la plateforme lorsqu'il est configuré."
    ),
    "ai.settings.save": "Enregistrer les réglages",
    "ai.settings.saved": "Réglages IA enregistrés.",
    # the admin page: usage
    "ai.usage.title": "Consommation de {month}",
    "ai.usage.chart_title": "Jetons utilisés ce mois-ci, sur le budget",
    "ai.usage.tokens_label": "Jetons utilisés",
    "ai.usage.tokens_display": "{used} sur {budget} ({percent} %)",
    "ai.usage.budget_zero_display": "{used} (budget à 0)",
    "ai.usage.remaining": "Jetons restants",
    "ai.usage.calls": "Appels au fournisseur",
    "ai.usage.failed": "dont en échec",
    "ai.usage.failed_tokens": "{tokens} jetons des appels en échec, non décomptés du budget",
    "ai.usage.cost": "Coût estimé",
    "ai.usage.cost_note": (
        "Estimation à partir des tarifs publics des fournisseurs ; la facture de votre fournisseur fait foi."
    ),
    "ai.usage.by_feature": "Par fonctionnalité",
    "ai.usage.feature_table": "Consommation du mois par fonctionnalité",
    "ai.usage.latest": "Derniers appels",
    "ai.usage.calls_table": "Derniers appels au fournisseur d'IA (métadonnées uniquement)",
    "ai.usage.col_feature": "Fonctionnalité",
    "ai.usage.col_calls": "Appels",
    "ai.usage.col_tokens": "Jetons",
    "ai.usage.col_cost": "Coût estimé",
    "ai.usage.col_date": "Date",
    "ai.usage.col_model": "Modèle",
    "ai.usage.col_outcome": "Résultat",
    "ai.usage.col_duration": "Durée",
    "ai.usage.no_feature": "Aucun appel au fournisseur d'IA ce mois-ci. Le moteur local ne consomme aucun jeton.",
    "ai.usage.no_calls": "Aucun appel enregistré.",
    "ai.usage.seconds": "{seconds} s",
    "ai.usage.outcome.ok": "Réussi",
    "ai.usage.outcome.retried": "Réponse inexploitable, redemandée avec succès",
    "ai.usage.outcome.invalid_output": "Échec : réponse inexploitable (hors du format attendu)",
    "ai.usage.outcome.timeout": "Échec : délai dépassé",
    "ai.usage.outcome.rate_limited": "Échec : trop de demandes",
    "ai.usage.outcome.auth": "Échec : clé d'accès refusée",
    "ai.usage.outcome.rejected": "Échec : demande refusée (modèle ou paramètres)",
    "ai.usage.outcome.unavailable": "Échec : fournisseur indisponible",
    "ai.usage.outcome.error": "Échec : erreur",
    # the beneficiary's consent card
    "ai.consent_card.practice": "En pratique",
    "ai.consent_card.what": (
        "Ce qui est envoyé : les éléments utiles de votre bilan (parcours, compétences, objectifs), pseudonymisés : "
        "vos nom, e-mail, téléphone, adresse et employeurs sont remplacés par des marqueurs."
    ),
    "ai.consent_card.recipient": "Destinataire : le fournisseur d'IA choisi par votre organisme ({provider}).",
    "ai.consent_card.no_provider": (
        "Votre organisme n'utilise actuellement aucune IA externe : rien ne quitte la plateforme, quel que soit "
        "votre choix. Votre choix s'appliquera si un assistant IA est mis en place."
    ),
    "ai.consent_card.without": (
        "Sans votre accord, seul le moteur local de la plateforme est utilisé : rien ne quitte la plateforme."
    ),
    "ai.consent_card.any_time": (
        "Refuser est sans conséquence sur votre bilan, qui se poursuit normalement. Vous pouvez changer d'avis à "
        "tout moment, dans un sens comme dans l'autre."
    ),
    "ai.consent_card.status_label": "Votre choix",
    "ai.consent_card.given_on": "Accord donné le {date}.",
    "ai.consent_card.withdrawn_on": "Accord retiré le {date}.",
    "ai.consent_card.refused_on": "Accord refusé le {date} : seul le moteur local est utilisé.",
    "ai.consent_card.not_asked": "Pas encore de choix : sans accord, seul le moteur local est utilisé.",
    "ai.consent_card.version": "Version du texte : {version}.",
    "ai.consent_card.old_version": (
        "Le texte a changé depuis votre accord (version {version}) : relisez-le et confirmez votre choix."
    ),
    "ai.consent_card.confirm": "Confirmer mon accord",
    "ai.consent_card.given_notice": "Votre accord est enregistré. Vous pouvez le retirer à tout moment.",
    "ai.consent_card.withdrawn_notice": "Votre accord est retiré : seul le moteur local sera utilisé pour votre bilan.",
    "ai.consent_card.refused_notice": (
        "Votre refus est enregistré : seul le moteur local sera utilisé, et votre bilan se poursuit normalement. "
        "Vous pouvez changer d'avis à tout moment."
    ),
    "ai.consent_card.closed": "Votre bilan est clos : vous ne pouvez plus donner votre accord, mais vous pouvez le retirer.",
    "ai.consent_card.follower_label": "Accord pour l'assistant IA",
}

EN: dict[str, str] = {
    "nav.ai": "Artificial intelligence",
    "ai.settings.title": "Artificial intelligence",
    "ai.settings.intro": (
        "The AI assistant helps your consultants: transferable skills, explanations of job targets, a draft "
        "synthesis, themes of the session notes. A consultant reads every proposal. Without an AI provider, "
        "without the beneficiary's consent, or once the month's budget is spent, the local engine takes over."
    ),
    "ai.settings.engine_title": "Engine in use",
    "ai.settings.engine_platform": "The platform's AI assistant, model {model}.",
    "ai.settings.engine_organisation": "Your organisation's AI provider, model {model}.",
    "ai.settings.engine_local": "Local engine only.",
    "ai.settings.engine_local_help": (
        "No AI provider is configured: the local engine writes the analyses in French from text templates, and "
        "nothing leaves the platform. This is normal and needs nothing from you."
    ),
    "ai.settings.engine_budget_zero": (
        "Monthly budget set to 0: only the local engine runs, nothing is sent to the AI provider."
    ),
    "ai.settings.engine_budget_spent": "This month's budget is spent: the local engine takes over until the month ends.",
    "ai.settings.provider_failing": (
        "The AI provider fails repeatedly: {failures} of the latest {recent} calls failed (last failure on "
        "{date}: {reason}). These failures are not counted in the budget and consultants may use the local "
        "engine; check the provider's address, model and key, or contact the platform's operator."
    ),
    "ai.settings.form_title": "Settings",
    "ai.settings.budget": "Monthly budget (tokens)",
    "ai.settings.budget_help": "Leave empty for the platform's default. 0: local engine only.",
    "ai.settings.budget_current": "Budget in force: {budget} tokens a month.",
    "ai.settings.budget_is_default": "Budget in force: {budget} tokens a month (the platform's default).",
    "ai.settings.provider_title": "Your organisation's AI provider",
    "ai.settings.provider_intro": (
        "Leave these fields empty to use the platform's assistant. Any provider compatible with OpenAI's API "
        "works: Mistral, a vLLM or Ollama server…"
    ),
    "ai.settings.base_url": "API address (base URL)",
    "ai.settings.base_url_help": "For example https://api.mistral.ai/v1. Empty: the platform's address.",
    "ai.settings.model": "Model",
    "ai.settings.model_help": "For example mistral-small-latest. Empty: the platform's model.",
    "ai.settings.api_key": "New API key",
    "ai.settings.api_key_help": "Leave empty to keep the stored key. The key is encrypted and never shown again.",
    "ai.settings.key_stored": "Stored key: {hint}",
    "ai.settings.key_none": "No key stored.",
    "ai.settings.clear_key": "Delete the key",
    "ai.settings.clear_confirm": "Delete the stored key? It cannot be shown again.",
    "ai.settings.clear_yes": "Yes, delete the key",
    "ai.settings.clear_cancel": "Cancel",
    "ai.settings.key_cleared": "API key deleted.",
    "ai.settings.enterprise_only": (
        "Choosing your own AI provider (address, model and key) is part of the Enterprise plan. Your organisation "
        "uses the platform's assistant when one is configured."
    ),
    "ai.settings.save": "Save the settings",
    "ai.settings.saved": "AI settings saved.",
    "ai.usage.title": "Usage in {month}",
    "ai.usage.chart_title": "Tokens used this month, against the budget",
    "ai.usage.tokens_label": "Tokens used",
    "ai.usage.tokens_display": "{used} of {budget} ({percent} %)",
    "ai.usage.budget_zero_display": "{used} (budget set to 0)",
    "ai.usage.remaining": "Tokens left",
    "ai.usage.calls": "Provider calls",
    "ai.usage.failed": "of which failed",
    "ai.usage.failed_tokens": "{tokens} tokens of failed calls, not counted in the budget",
    "ai.usage.cost": "Estimated cost",
    "ai.usage.cost_note": "Estimated from the providers' public prices; your provider's invoice is what counts.",
    "ai.usage.by_feature": "By feature",
    "ai.usage.feature_table": "This month's usage by feature",
    "ai.usage.latest": "Latest calls",
    "ai.usage.calls_table": "Latest calls to the AI provider (metadata only)",
    "ai.usage.col_feature": "Feature",
    "ai.usage.col_calls": "Calls",
    "ai.usage.col_tokens": "Tokens",
    "ai.usage.col_cost": "Estimated cost",
    "ai.usage.col_date": "Date",
    "ai.usage.col_model": "Model",
    "ai.usage.col_outcome": "Outcome",
    "ai.usage.col_duration": "Duration",
    "ai.usage.no_feature": "No call to the AI provider this month. The local engine uses no tokens.",
    "ai.usage.no_calls": "No call recorded.",
    "ai.usage.seconds": "{seconds} s",
    "ai.usage.outcome.ok": "Succeeded",
    "ai.usage.outcome.retried": "Unusable answer, asked again successfully",
    "ai.usage.outcome.invalid_output": "Failed: unusable answer (not in the expected format)",
    "ai.usage.outcome.timeout": "Failed: timed out",
    "ai.usage.outcome.rate_limited": "Failed: too many requests",
    "ai.usage.outcome.auth": "Failed: access key refused",
    "ai.usage.outcome.rejected": "Failed: request refused (model or parameters)",
    "ai.usage.outcome.unavailable": "Failed: provider unavailable",
    "ai.usage.outcome.error": "Failed: error",
    "ai.consent_card.practice": "In practice",
    "ai.consent_card.what": (
        "What is sent: the useful parts of your bilan (career path, skills, objectives), pseudonymised: your name, "
        "e-mail, phone number, address and employers are replaced by markers."
    ),
    "ai.consent_card.recipient": "Recipient: the AI provider your organisation chose ({provider}).",
    "ai.consent_card.no_provider": (
        "Your organisation uses no external AI at the moment: nothing leaves the platform, whatever you choose. "
        "Your choice will apply if an AI assistant is set up."
    ),
    "ai.consent_card.without": "Without your consent, only the platform's local engine is used: nothing leaves the platform.",
    "ai.consent_card.any_time": (
        "Declining has no consequence for your bilan, which goes on as usual. You may change your mind at any "
        "time, either way."
    ),
    "ai.consent_card.status_label": "Your choice",
    "ai.consent_card.given_on": "Consent given on {date}.",
    "ai.consent_card.withdrawn_on": "Consent withdrawn on {date}.",
    "ai.consent_card.refused_on": "Consent refused on {date}: only the local engine is used.",
    "ai.consent_card.not_asked": "No choice yet: without consent, only the local engine is used.",
    "ai.consent_card.version": "Text version: {version}.",
    "ai.consent_card.old_version": (
        "The text has changed since your consent (version {version}): read it again and confirm your choice."
    ),
    "ai.consent_card.confirm": "Confirm my consent",
    "ai.consent_card.given_notice": "Your consent is recorded. You may withdraw it at any time.",
    "ai.consent_card.withdrawn_notice": "Your consent is withdrawn: only the local engine will be used for your bilan.",
    "ai.consent_card.refused_notice": (
        "Your refusal is recorded: only the local engine will be used, and your bilan goes on as usual. You may "
        "change your mind at any time."
    ),
    "ai.consent_card.closed": "Your bilan is closed: you can no longer give your consent, but you may withdraw it.",
    "ai.consent_card.follower_label": "Consent to the AI assistant",
}
