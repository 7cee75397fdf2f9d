"""Catalogue: the consultant's analysis (recommendations) and the beneficiary's "Mes pistes"."""

FR: dict[str, str] = {
    "nav.pistes": "Mes pistes",
    "recommendations.error.too_many": "Vous avez déjà retenu {max} pistes : retirez-en une d'abord.",
    "audit.recommendations.analysis_run": "Analyse des pistes lancée (moteur local)",
    "audit.recommendations.target_kept": "Piste métier retenue",
    "audit.recommendations.target_dropped": "Piste métier retirée",
    "reco.link": "Analyse et pistes",
    "reco.title": "Analyse et pistes métiers",
    "reco.intro": (
        "Le moteur local compare les compétences évaluées, les intérêts (RIASEC) et les aspirations du "
        "bénéficiaire aux fiches du référentiel ROME. Ses propositions sont des pistes à discuter, pas des verdicts."
    ),
    "reco.aspirations": "Aspirations du bénéficiaire (facultatif)",
    "reco.aspirations_help": "Quelques mots sur ce qu'il ou elle souhaite, par exemple « travailler en extérieur ».",
    "reco.run": "Lancer l'analyse",
    "reco.running": "Analyse en cours…",
    "reco.step.profile": "Lecture du profil du bénéficiaire…",
    "reco.step.matching": "Comparaison avec les métiers du référentiel…",
    "reco.step.done": "Analyse terminée : {count} pistes.",
    "reco.engine_local": "Moteur local (sans service externe).",
    "reco.job_search_title": "Recherche d'emploi du bénéficiaire",
    "reco.search_area": "Offres recherchées autour de {place}, dans un rayon de {radius} km.",
    "reco.search_area_none": "Le bénéficiaire n'a pas encore indiqué où il cherche (page « Offres et entreprises »).",
    "reco.offers_none": "Aucune offre retenue pour l'instant.",
    "reco.market.unconfigured": (
        "Marché du travail : non pris en compte (le service France Travail n'est pas configuré sur cette plateforme)."
    ),
    "reco.market.failed": (
        "Marché du travail : France Travail ne répond pas pour le moment ; le classement est fait sans ce critère."
    ),
    "reco.market.used": "Marché du travail pris en compte : nombre d'offres France Travail {where}.",
    "reco.market.national": "en France",
    "reco.market.dep": "dans le département {code}",
    "reco.draft_warning": (
        "L'évaluation des compétences n'est pas encore validée : l'analyse s'appuie sur l'auto-évaluation."
    ),
    "reco.no_skills": "Aucune compétence évaluée : l'analyse ne s'appuie que sur les intérêts et les aspirations.",
    "reco.no_results": "Aucune piste : installez le référentiel ROME ou complétez le profil du bénéficiaire.",
    "reco.results": "Pistes proposées",
    "reco.score": "Correspondance : {score} %",
    "reco.reasons": "Pourquoi cette piste",
    "reco.gap": "Compétences à acquérir",
    "reco.paths": "Parcours de transition",
    "reco.keep": "Retenir cette piste",
    "reco.kept_badge": "Retenue",
    "reco.drop": "Retirer",
    "reco.kept_title": "Pistes retenues ({count})",
    "reco.kept_empty": "Aucune piste retenue pour l'instant.",
    "reco.kept_notice": "Piste retenue : le bénéficiaire la voit dans « Mes pistes ».",
    "reco.dropped_notice": "Piste retirée.",
    "reco.back": "Retour au bilan",
    "reco.training": "Formations suggérées",
    "reco.training_none": "Aucune formation trouvée dans les catalogues installés.",
    "reco.training_meta": "{provider} · {mode}",
    "reco.offers": "Offres d'emploi",
    "reco.offers_unconfigured": (
        "Les offres d'emploi en direct de France Travail ne sont pas configurées sur cette plateforme : "
        "demandez à votre consultant ou consultez francetravail.fr."
    ),
    "reco.offers_configured": "Les offres d'emploi en direct arrivent bientôt dans cet espace.",
    "pistes.title": "Mes pistes",
    "pistes.intro": (
        "Les pistes métiers retenues avec votre consultant, avec ce qui les rapproche de votre profil, "
        "les compétences à acquérir et des formations possibles."
    ),
    "pistes.empty": "Votre consultant n'a pas encore retenu de piste avec vous.",
    "pistes.none": "Vos pistes apparaîtront ici pendant votre bilan.",
}

EN: dict[str, str] = {
    "nav.pistes": "My options",
    "recommendations.error.too_many": "You already kept {max} options: remove one first.",
    "audit.recommendations.analysis_run": "Options analysis run (local engine)",
    "audit.recommendations.target_kept": "Target occupation kept",
    "audit.recommendations.target_dropped": "Target occupation removed",
    "reco.link": "Analysis and options",
    "reco.title": "Analysis and career options",
    "reco.intro": (
        "The local engine compares the beneficiary's rated skills, interests (RIASEC) and aspirations with "
        "the ROME occupations. Its proposals are options to discuss, not verdicts."
    ),
    "reco.aspirations": "The beneficiary's aspirations (optional)",
    "reco.aspirations_help": "A few words on what they wish for, e.g. “working outdoors”.",
    "reco.run": "Run the analysis",
    "reco.running": "Analysis in progress…",
    "reco.step.profile": "Reading the beneficiary's profile…",
    "reco.step.matching": "Comparing with the occupations of the reference list…",
    "reco.step.done": "Analysis done: {count} options.",
    "reco.engine_local": "Local engine (no external service).",
    "reco.job_search_title": "The beneficiary's job search",
    "reco.search_area": "Offers searched around {place}, within {radius} km.",
    "reco.search_area_none": "The beneficiary has not said yet where they look (\u201cOffers and companies\u201d page).",
    "reco.offers_none": "No offer kept yet.",
    "reco.market.unconfigured": "Labour market: not used (the France Travail service is not configured on this platform).",
    "reco.market.failed": "Labour market: France Travail is not answering right now; the ranking is made without it.",
    "reco.market.used": "Labour market used: number of France Travail offers {where}.",
    "reco.market.national": "in France",
    "reco.market.dep": "in département {code}",
    "reco.draft_warning": "The skills assessment is not validated yet: the analysis uses the self-assessment.",
    "reco.no_skills": "No rated skill: the analysis only uses interests and aspirations.",
    "reco.no_results": "No option: install the ROME reference list or complete the beneficiary's profile.",
    "reco.results": "Suggested options",
    "reco.score": "Match: {score}%",
    "reco.reasons": "Why this option",
    "reco.gap": "Skills to acquire",
    "reco.paths": "Transition paths",
    "reco.keep": "Keep this option",
    "reco.kept_badge": "Kept",
    "reco.drop": "Remove",
    "reco.kept_title": "Kept options ({count})",
    "reco.kept_empty": "No option kept yet.",
    "reco.kept_notice": "Option kept: the beneficiary sees it in “My options”.",
    "reco.dropped_notice": "Option removed.",
    "reco.back": "Back to the bilan",
    "reco.training": "Suggested training",
    "reco.training_none": "No course found in the installed catalogues.",
    "reco.training_meta": "{provider} · {mode}",
    "reco.offers": "Job offers",
    "reco.offers_unconfigured": (
        "Live job offers from France Travail are not configured on this platform: ask your consultant or "
        "visit francetravail.fr."
    ),
    "reco.offers_configured": "Live job offers are coming to this space soon.",
    "pistes.title": "My options",
    "pistes.intro": (
        "The career options kept with your consultant, with what brings them close to your profile, the "
        "skills to acquire and possible training courses."
    ),
    "pistes.empty": "Your consultant has not kept any option with you yet.",
    "pistes.none": "Your options will appear here during your bilan.",
}
