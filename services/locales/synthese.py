"""Catalogue: the document de synthèse (sections, editor, versions, diff, the beneficiary's page)."""

FR: dict[str, str] = {
    "nav.synthese": "Ma synthèse",
    # the ten sections
    "synthese.section.circonstances": "Circonstances du bilan",
    "synthese.section.parcours": "Parcours",
    "synthese.section.competences": "Compétences et aptitudes",
    "synthese.section.interets": "Intérêts, motivations et valeurs",
    "synthese.section.projet": "Projet(s) professionnel(s) et alternatives",
    "synthese.section.conditions": "Conditions et moyens de réalisation",
    "synthese.section.etapes": "Étapes (plan d'action)",
    "synthese.section.formations": "Formations recommandées",
    "synthese.section.ressources": "Ressources et contacts",
    "synthese.section.observations": "Observations de la personne",
    "synthese.help.circonstances": "La demande, les objectifs convenus, le déroulement (séances et heures).",
    "synthese.help.parcours": "Les expériences professionnelles et personnelles retenues.",
    "synthese.help.competences": "Les compétences et aptitudes identifiées, d'après la cartographie.",
    "synthese.help.interets": "Les résultats des questionnaires, à présenter comme des pistes de réflexion.",
    "synthese.help.projet": "Le projet retenu et les alternatives, avec ce qui les justifie.",
    "synthese.help.conditions": "Ce qu'il faut réunir : compétences à acquérir, contraintes, financement.",
    "synthese.help.etapes": "Les principales étapes de la mise en œuvre du projet.",
    "synthese.help.formations": "Les formations repérées pour les pistes retenues.",
    "synthese.help.ressources": "Les personnes et organismes à contacter.",
    "synthese.help.observations": "Vos remarques sur la synthèse : vous seul(e) pouvez les écrire.",
    # statuses and origins
    "synthese.status.draft": "Brouillon",
    "synthese.status.validated": "Validée (verrouillée)",
    "synthese.status.superseded": "Brouillon remplacé",
    "synthese.origin.local": "Moteur local",
    "synthese.origin.ai": "Assistant IA ({model})",
    "synthese.origin.consultant": "Rédaction du consultant",
    "synthese.version_label": "Version {number}",
    "synthese.based_on": "d'après la version {number}",
    # the consultant's editor
    "synthese.link": "Synthèse",
    "synthese.title": "Document de synthèse",
    "synthese.beneficiary": "Bilan de {name}",
    "synthese.back": "Retour au bilan",
    "synthese.confidential": (
        "Document confidentiel (article L6313-4 du Code du travail) : il n'est remis qu'à la personne. "
        "Seul le consultant qui suit le bilan le rédige et le lit."
    ),
    "synthese.admin_notice": (
        "En tant qu'administrateur, vous voyez que la synthèse existe, ses versions et leurs dates, "
        "mais pas son contenu, réservé à la personne et à son consultant (article L6313-4)."
    ),
    "synthese.none": "Aucune version de la synthèse n'est encore rédigée.",
    "synthese.current": "Version en cours : {version} · {status}",
    "synthese.made_by": "{origin} · créée par {author} le {date}",
    "synthese.updated": "Dernière modification par {author} le {date}",
    "synthese.validated_on": "Validée par {author} le {date}",
    "synthese.locked_notice": (
        "Cette version est validée : elle est verrouillée. Pour la modifier, créez une nouvelle version "
        "(une copie en brouillon)."
    ),
    "synthese.generate_title": "Générer un brouillon",
    "synthese.generate_help": (
        "Le brouillon est rédigé à partir des données du bilan : demande et objectifs, séances, parcours, "
        "cartographie des compétences, questionnaires, pistes retenues et formations. Il crée une nouvelle "
        "version ; les versions précédentes sont conservées."
    ),
    "synthese.generate": "Générer le brouillon",
    "synthese.generate_ai": "Générer avec l'assistant IA",
    "synthese.generate_local": "Générer avec le moteur local",
    "synthese.engine_llm": "Assistant IA externe ({model}) : les données envoyées sont pseudonymisées.",
    "synthese.step.collect": "Lecture des données du bilan…",
    "synthese.step.ai": "Rédaction par l'assistant IA…",
    "synthese.step.compose": "Mise en forme des sections…",
    "synthese.step.delta": "Réponse de l'assistant en cours de réception ({percent} %)…",
    "synthese.step.retry": "Réponse incomplète : nouvelle demande à l'assistant (essai {attempt})…",
    "synthese.step.done": "Brouillon prêt : version {number}.",
    "synthese.fallback": "L'assistant IA n'a pas rédigé ce brouillon : {reason} Le moteur local l'a rédigé.",
    "synthese.progress_label": "Progression de la génération",
    "synthese.busy": "Une génération est déjà en cours.",
    "synthese.sections_title": "Sections",
    "synthese.editor_help": (
        "Chaque section s'écrit en Markdown : **gras**, *italique*, listes avec « - », titres avec « ### ». "
        "L'aperçu se met à jour pendant la saisie ; la section est enregistrée quand vous quittez le champ."
    ),
    "synthese.field_label": "{section} (Markdown)",
    "synthese.preview": "Aperçu : {section}",
    "synthese.preview_empty": "Section vide.",
    "synthese.save_section": "Enregistrer la section",
    "synthese.save_all": "Tout enregistrer",
    "synthese.saved_at": "Enregistré à {time}.",
    "synthese.saved_new_version": "Enregistré à {time} : vos modifications forment la version {number}.",
    "synthese.unsaved": "Modifications non enregistrées.",
    "synthese.observations_readonly": "Section réservée à la personne : elle seule peut l'écrire.",
    "synthese.observations_none": "La personne n'a pas encore écrit d'observations.",
    "synthese.validate_title": "Valider",
    "synthese.validate_help": (
        "La validation verrouille la version et la rend lisible par la personne dans son espace. "
        "Les circonstances, les compétences, le projet et les étapes doivent être rédigés."
    ),
    "synthese.validate": "Valider cette version",
    "synthese.validate_confirm": (
        "Valider la version {number} ? Elle sera verrouillée et la personne pourra la lire. "
        "Toute modification demandera ensuite une nouvelle version."
    ),
    "synthese.validate_yes": "Oui, valider",
    "synthese.cancel": "Annuler",
    "synthese.validated_notice": "La version {number} est validée et verrouillée.",
    "synthese.new_version": "Nouvelle version",
    "synthese.new_version_help": "Crée un brouillon copié de la version validée, à modifier puis valider.",
    "synthese.new_version_notice": "La version {number} est créée en brouillon.",
    "synthese.versions_title": "Versions",
    "synthese.col_version": "Version",
    "synthese.col_status": "Statut",
    "synthese.col_origin": "Origine",
    "synthese.col_created": "Créée",
    "synthese.col_validated": "Validée",
    "synthese.diff_title": "Comparer deux versions",
    "synthese.diff_from": "Version de départ",
    "synthese.diff_to": "Version d'arrivée",
    "synthese.diff_show": "Comparer",
    "synthese.diff_summary": "Version {before} → version {after} : {count} section(s) modifiée(s).",
    "synthese.diff_none": "Aucune différence entre ces deux versions.",
    "synthese.diff_need_two": "La comparaison sera possible dès qu'il y aura deux versions.",
    "synthese.diff_added": "Ajouté",
    "synthese.diff_removed": "Supprimé",
    "synthese.diff_unchanged_sections": "Sections inchangées : {sections}.",
    # the beneficiary's page
    "synthese.my_title": "Ma synthèse",
    "synthese.my_intro": (
        "Le document de synthèse résume votre bilan. Il vous est remis à vous seul(e) : personne d'autre "
        "ne le reçoit sans votre accord écrit."
    ),
    "synthese.my_none": "Vous n'avez pas de bilan en cours.",
    "synthese.my_waiting": (
        "Votre consultant rédige votre synthèse. Vous pourrez la lire ici dès qu'il l'aura validée."
    ),
    "synthese.my_not_started": "Votre synthèse n'est pas encore commencée : elle est rédigée en fin de bilan.",
    "synthese.my_uploaded": "Votre consultant·e a rédigé votre document de synthèse en dehors de la plateforme et vous l'a remis : il se trouve ci-dessous, avec la date de sa remise.",
    "synthese.my_version": (
        "Version {number}, validée le {date} par {author}. Votre consultant vous la remettra en PDF."
    ),
    "synthese.my_version_handed": "Version {number}, qui vous a été remise le {date}.",
    "synthese.my_newer_draft": "Votre consultant prépare une nouvelle version de la synthèse.",
    "synthese.observations_title": "Mes observations",
    "synthese.observations_help": (
        "Vous pouvez ajouter vos remarques sur la synthèse. Elles y figurent sous votre nom et restent "
        "modifiables tant que le bilan est en cours. Markdown accepté."
    ),
    "synthese.observations_save": "Enregistrer mes observations",
    "synthese.observations_saved": "Vos observations sont enregistrées ({time}).",
    "synthese.observations_dated": "Observations écrites le {date}.",
    # for the PDF
    "synthese.pdf_title": "Document de synthèse du bilan de compétences de {name}",
    # errors
    "synthese.error.locked": "Cette version est validée et verrouillée : créez une nouvelle version pour la modifier.",
    "synthese.error.stale": "Une version plus récente existe : la page a été rechargée avec elle.",
    "synthese.error.conflict": "Une autre version vient d'être créée : rechargez la page.",
    "synthese.error.not_current": "Seule la dernière version peut être validée.",
    "synthese.error.no_version": "Aucune version à copier : générez ou écrivez d'abord la synthèse.",
    "synthese.error.draft_exists": "Un brouillon existe déjà : modifiez-le ou validez-le.",
    "synthese.error.not_validated": "La synthèse n'est pas encore validée.",
    "synthese.error.nothing_to_save": "Rien à enregistrer : la section est vide.",
    "synthese.error.too_long": "Ce texte dépasse {max} caractères.",
    "synthese.error.section_required": "Cette section doit être rédigée avant la validation.",
    "synthese.error.sections_required": "Rédigez d'abord : {sections}.",
    # audit
    "audit.synthese.generated": "Brouillon de synthèse généré",
    "audit.synthese.sections_saved": "Synthèse modifiée",
    "audit.synthese.validated": "Synthèse validée",
    "audit.synthese.version_created": "Nouvelle version de la synthèse",
    "audit.synthese.observations_saved": "Observations de la personne sur la synthèse",
}

EN: dict[str, str] = {
    "nav.synthese": "My synthesis",
    "synthese.section.circonstances": "Circumstances of the assessment",
    "synthese.section.parcours": "Background",
    "synthese.section.competences": "Skills and aptitudes",
    "synthese.section.interets": "Interests, motivations and values",
    "synthese.section.projet": "Professional project(s) and alternatives",
    "synthese.section.conditions": "Conditions and means",
    "synthese.section.etapes": "Steps (action plan)",
    "synthese.section.formations": "Recommended training",
    "synthese.section.ressources": "Resources and contacts",
    "synthese.section.observations": "The person's observations",
    "synthese.help.circonstances": "The request, the agreed objectives, how it ran (sessions and hours).",
    "synthese.help.parcours": "The professional and personal experiences retained.",
    "synthese.help.competences": "The skills and aptitudes identified, from the skills map.",
    "synthese.help.interets": "The questionnaires' results, presented as food for thought.",
    "synthese.help.projet": "The chosen project and the alternatives, with what supports them.",
    "synthese.help.conditions": "What must come together: skills to acquire, constraints, funding.",
    "synthese.help.etapes": "The main steps to carry out the project.",
    "synthese.help.formations": "The training courses found for the chosen options.",
    "synthese.help.ressources": "The people and bodies to contact.",
    "synthese.help.observations": "Your remarks on the synthesis: only you can write them.",
    "synthese.status.draft": "Draft",
    "synthese.status.validated": "Validated (locked)",
    "synthese.status.superseded": "Superseded draft",
    "synthese.origin.local": "Local engine",
    "synthese.origin.ai": "AI assistant ({model})",
    "synthese.origin.consultant": "Written by the consultant",
    "synthese.version_label": "Version {number}",
    "synthese.based_on": "from version {number}",
    "synthese.link": "Synthesis",
    "synthese.title": "Synthesis document",
    "synthese.beneficiary": "Assessment of {name}",
    "synthese.back": "Back to the assessment",
    "synthese.confidential": (
        "Confidential document (article L6313-4 of the French Labour Code): it is handed to the person only. "
        "Only the consultant following the assessment writes and reads it."
    ),
    "synthese.admin_notice": (
        "As an administrator, you see that the synthesis exists, its versions and their dates, but not its "
        "content, which is reserved to the person and their consultant (article L6313-4)."
    ),
    "synthese.none": "No version of the synthesis has been written yet.",
    "synthese.current": "Current version: {version} · {status}",
    "synthese.made_by": "{origin} · created by {author} on {date}",
    "synthese.updated": "Last changed by {author} on {date}",
    "synthese.validated_on": "Validated by {author} on {date}",
    "synthese.locked_notice": (
        "This version is validated: it is locked. To change it, create a new version (a draft copy)."
    ),
    "synthese.generate_title": "Generate a draft",
    "synthese.generate_help": (
        "The draft is written from the assessment's data: request and objectives, sessions, background, "
        "skills map, questionnaires, chosen options and training. It creates a new version; earlier "
        "versions are kept."
    ),
    "synthese.generate": "Generate the draft",
    "synthese.generate_ai": "Generate with the AI assistant",
    "synthese.generate_local": "Generate with the local engine",
    "synthese.engine_llm": "External AI assistant ({model}): the data sent is pseudonymised.",
    "synthese.step.collect": "Reading the assessment's data…",
    "synthese.step.ai": "The AI assistant is writing…",
    "synthese.step.compose": "Laying out the sections…",
    "synthese.step.delta": "Receiving the assistant's answer ({percent} %)…",
    "synthese.step.retry": "Incomplete answer: asking the assistant again (attempt {attempt})…",
    "synthese.step.done": "Draft ready: version {number}.",
    "synthese.fallback": "The AI assistant did not write this draft: {reason} The local engine wrote it.",
    "synthese.progress_label": "Generation progress",
    "synthese.busy": "A generation is already running.",
    "synthese.sections_title": "Sections",
    "synthese.editor_help": (
        "Each section is written in Markdown: **bold**, *italic*, lists with “- ”, headings with “### ”. "
        "The preview follows your typing; the section is saved when you leave the field."
    ),
    "synthese.field_label": "{section} (Markdown)",
    "synthese.preview": "Preview: {section}",
    "synthese.preview_empty": "Empty section.",
    "synthese.save_section": "Save the section",
    "synthese.save_all": "Save all",
    "synthese.saved_at": "Saved at {time}.",
    "synthese.saved_new_version": "Saved at {time}: your changes make version {number}.",
    "synthese.unsaved": "Unsaved changes.",
    "synthese.observations_readonly": "Reserved to the person: only they can write it.",
    "synthese.observations_none": "The person has not written any observations yet.",
    "synthese.validate_title": "Validate",
    "synthese.validate_help": (
        "Validation locks the version and lets the person read it in their space. The circumstances, the "
        "skills, the project and the steps must be written."
    ),
    "synthese.validate": "Validate this version",
    "synthese.validate_confirm": (
        "Validate version {number}? It will be locked and the person will be able to read it. Any change will "
        "then need a new version."
    ),
    "synthese.validate_yes": "Yes, validate",
    "synthese.cancel": "Cancel",
    "synthese.validated_notice": "Version {number} is validated and locked.",
    "synthese.new_version": "New version",
    "synthese.new_version_help": "Creates a draft copied from the validated version, to change and validate.",
    "synthese.new_version_notice": "Version {number} is created as a draft.",
    "synthese.versions_title": "Versions",
    "synthese.col_version": "Version",
    "synthese.col_status": "Status",
    "synthese.col_origin": "Origin",
    "synthese.col_created": "Created",
    "synthese.col_validated": "Validated",
    "synthese.diff_title": "Compare two versions",
    "synthese.diff_from": "From version",
    "synthese.diff_to": "To version",
    "synthese.diff_show": "Compare",
    "synthese.diff_summary": "Version {before} → version {after}: {count} section(s) changed.",
    "synthese.diff_none": "No difference between these two versions.",
    "synthese.diff_need_two": "Comparison will be possible once there are two versions.",
    "synthese.diff_added": "Added",
    "synthese.diff_removed": "Removed",
    "synthese.diff_unchanged_sections": "Unchanged sections: {sections}.",
    "synthese.my_title": "My synthesis",
    "synthese.my_intro": (
        "The synthesis document sums up your assessment. It is handed to you alone: nobody else receives it "
        "without your written agreement."
    ),
    "synthese.my_none": "You have no assessment in progress.",
    "synthese.my_waiting": "Your consultant is writing your synthesis. You can read it here once they validate it.",
    "synthese.my_not_started": "Your synthesis has not started yet: it is written at the end of the assessment.",
    "synthese.my_uploaded": "Your consultant wrote your synthesis document outside the platform and handed it over to you: it is below, with the date it was handed over.",
    "synthese.my_version": "Version {number}, validated on {date} by {author}. Your consultant will hand it to you as a PDF.",
    "synthese.my_version_handed": "Version {number}, handed to you on {date}.",
    "synthese.my_newer_draft": "Your consultant is preparing a new version of the synthesis.",
    "synthese.observations_title": "My observations",
    "synthese.observations_help": (
        "You may add your remarks on the synthesis. They appear in it under your name and can be changed while "
        "the assessment is in progress. Markdown accepted."
    ),
    "synthese.observations_save": "Save my observations",
    "synthese.observations_saved": "Your observations are saved ({time}).",
    "synthese.observations_dated": "Observations written on {date}.",
    "synthese.pdf_title": "Skills assessment synthesis document of {name}",
    "synthese.error.locked": "This version is validated and locked: create a new version to change it.",
    "synthese.error.stale": "A newer version exists: the page has been reloaded with it.",
    "synthese.error.conflict": "Another version has just been created: reload the page.",
    "synthese.error.not_current": "Only the latest version can be validated.",
    "synthese.error.no_version": "No version to copy: generate or write the synthesis first.",
    "synthese.error.draft_exists": "A draft already exists: change it or validate it.",
    "synthese.error.not_validated": "The synthesis is not validated yet.",
    "synthese.error.nothing_to_save": "Nothing to save: the section is empty.",
    "synthese.error.too_long": "This text is longer than {max} characters.",
    "synthese.error.section_required": "This section must be written before validation.",
    "synthese.error.sections_required": "First write: {sections}.",
    "audit.synthese.generated": "Synthesis draft generated",
    "audit.synthese.sections_saved": "Synthesis changed",
    "audit.synthese.validated": "Synthesis validated",
    "audit.synthese.version_created": "New version of the synthesis",
    "audit.synthese.observations_saved": "The person's observations on the synthesis",
}
