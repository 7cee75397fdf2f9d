"""Catalogue: the SMART action plan (both screens, the SMART check, suggestions, history, reminders)."""

FR: dict[str, str] = {
    "nav.action_plan": "Mon plan d'action",
    # pages
    "action_plan.title": "Plan d'action",
    "action_plan.title_mine": "Mon plan d'action",
    "action_plan.link": "Plan d'action",
    "action_plan.intro": (
        "Les actions qui mettent votre projet en œuvre, construites avec votre consultant. Chacune est SMART : "
        "spécifique, mesurable, atteignable, réaliste et datée. Vous et votre consultant modifiez le même plan."
    ),
    "action_plan.intro_follower": (
        "Le plan d'action se construit avec le bénéficiaire : vous voyez et modifiez le même plan que lui ou elle."
    ),
    "action_plan.beneficiary": "Bénéficiaire : {name}",
    "action_plan.back": "Retour au bilan",
    "action_plan.back_home": "Retour à mon espace",
    "action_plan.none": "Vous n'avez pas encore de bilan en cours.",
    "action_plan.too_early_notice": (
        "Le plan d'action se construit à partir de la phase d'investigation du bilan : il sera modifiable à ce moment-là."
    ),
    "action_plan.closed_notice": "Le bilan est clos : le plan d'action est en lecture seule.",
    "action_plan.summary": "{count} action(s), dont {complete} complète(s).",
    "action_plan.list_title": "Les actions",
    "action_plan.empty": "Aucune action pour l'instant.",
    "action_plan.new": "Nouvelle action",
    "action_plan.edit": "Modifier",
    "action_plan.edit_label": "Modifier l'action « {title} »",
    "action_plan.delete": "Supprimer",
    "action_plan.delete_label": "Supprimer l'action « {title} »",
    "action_plan.delete_confirm": "Retirer cette action du plan ? Elle restera visible dans l'historique.",
    "action_plan.delete_yes": "Oui, supprimer",
    "action_plan.delete_no": "Annuler",
    "action_plan.deleted": "Action retirée du plan.",
    "action_plan.move_up": "Monter",
    "action_plan.move_up_label": "Monter l'action « {title} »",
    "action_plan.move_down": "Descendre",
    "action_plan.move_down_label": "Descendre l'action « {title} »",
    "action_plan.moved": "Ordre du plan modifié.",
    "action_plan.number": "Action {number}",
    "action_plan.badge.complete": "Complète",
    "action_plan.badge.incomplete": "À compléter",
    "action_plan.badge.overdue": "Échéance passée",
    "action_plan.missing_title": "À compléter pour que l'action soit SMART :",
    "action_plan.hints_title": "Conseils :",
    "action_plan.status.a_faire": "À faire",
    "action_plan.status.en_cours": "En cours",
    "action_plan.status.faite": "Faite",
    "action_plan.status.abandonnee": "Abandonnée",
    "action_plan.status_of": "Statut de l'action « {title} »",
    "action_plan.status_saved": "Statut enregistré : {status}.",
    "action_plan.owner.beneficiary": "Bénéficiaire",
    "action_plan.owner.consultant": "Consultant",
    "action_plan.card.owner": "Qui s'en charge : {owner}",
    "action_plan.card.deadline": "Échéance : {date}",
    "action_plan.card.no_deadline": "Pas encore d'échéance",
    "action_plan.card.link": "Lié à : {label}",
    "action_plan.card.details": "Détail de l'action",
    "action_plan.milestones": "Jalons",
    "action_plan.milestone_item": "{label} — {date}",
    "action_plan.milestone_checked": "Jalon coché : fait.",
    "action_plan.milestone_unchecked": "Jalon décoché : à faire.",
    # the editor
    "action_plan.form.new_title": "Nouvelle action",
    "action_plan.form.edit_title": "Modifier l'action",
    "action_plan.form.help": (
        "Le titre suffit pour enregistrer un brouillon. L'action est complète quand ses cinq parties SMART sont "
        "remplies : ce qui manque est indiqué à côté des champs."
    ),
    "action_plan.part.specifique": "Spécifique : que ferez-vous ?",
    "action_plan.part.mesurable": "Mesurable : comment saurez-vous que c'est réussi ?",
    "action_plan.part.atteignable": "Atteignable : avec quels moyens ?",
    "action_plan.part.realiste": "Réaliste : pourquoi cette action ?",
    "action_plan.part.temporel": "Temporel : pour quand ?",
    "action_plan.part.details": "Organisation",
    "action_plan.field.title": "Titre de l'action",
    "action_plan.field.title_help": (
        "Une phrase qui dit ce que vous allez faire, par exemple « Rencontrer deux infirmières en poste »."
    ),
    "action_plan.field.description": "Description",
    "action_plan.field.description_help": "Concrètement : quoi, où, avec qui.",
    "action_plan.field.indicator": "Indicateur de réussite",
    "action_plan.field.indicator_help": (
        "Un résultat que l'on peut constater : « 3 entretiens réalisés », « dossier de financement déposé »."
    ),
    "action_plan.field.means": "Moyens et ressources",
    "action_plan.field.means_help": (
        "Le temps, le budget et le financement (CPF, employeur…), les personnes ou organismes qui vous aident."
    ),
    "action_plan.field.project_link": "Lien avec le projet",
    "action_plan.field.project_link_help": "En quoi cette action vous rapproche de votre projet professionnel.",
    "action_plan.field.deadline": "Date d'échéance",
    "action_plan.field.deadline_help": "La date à laquelle l'action doit être faite. Un rappel part 3 jours avant.",
    "action_plan.field.milestones": "Jalons (étapes intermédiaires)",
    "action_plan.field.milestones_help": (
        "Facultatif : des étapes datées pour une action longue. Un rappel part 2 jours avant chacune."
    ),
    "action_plan.field.milestone_label": "Étape {number}",
    "action_plan.field.milestone_date": "Date de l'étape {number}",
    "action_plan.field.owner": "Qui s'en charge ?",
    "action_plan.field.status": "Statut",
    "action_plan.field.link": "Lien avec une piste, une formation ou une offre",
    "action_plan.milestone_add": "Ajouter un jalon",
    "action_plan.milestone_remove": "Retirer",
    "action_plan.milestone_remove_label": "Retirer l'étape {number}",
    "action_plan.link.none": "Aucun lien",
    "action_plan.link.group.target": "Pistes métiers retenues",
    "action_plan.link.group.course": "Formations suggérées",
    "action_plan.link.group.offer": "Offres sauvegardées",
    "action_plan.form.save": "Enregistrer l'action",
    "action_plan.form.cancel": "Annuler",
    "action_plan.saved_complete": "Action enregistrée : elle est complète.",
    "action_plan.saved_draft": (
        "Action enregistrée comme brouillon : il manque {count} partie(s) SMART, indiquée(s) à côté des champs."
    ),
    # the SMART check
    "action_plan.smart.title_missing": "Spécifique : donnez un titre qui dit ce que vous allez faire.",
    "action_plan.smart.description_missing": "Spécifique : décrivez concrètement l'action (quoi, où, avec qui).",
    "action_plan.smart.description_short": (
        "Spécifique : la description est très courte ; précisez quoi, où et avec qui."
    ),
    "action_plan.smart.indicator_missing": (
        "Mesurable : indiquez comment vous saurez que l'action est réussie (par exemple « 3 entretiens réalisés »)."
    ),
    "action_plan.smart.means_missing": (
        "Atteignable : précisez les moyens et les ressources (temps, budget, financement, personnes qui vous aident)."
    ),
    "action_plan.smart.project_link_missing": (
        "Réaliste : expliquez le lien entre cette action et le projet professionnel."
    ),
    "action_plan.smart.deadline_missing": "Temporel : fixez une date d'échéance.",
    "action_plan.smart.deadline_past": (
        "Temporel : l'échéance est passée ; choisissez une nouvelle date ou changez le statut."
    ),
    "action_plan.smart.milestone_late": "Temporel : le jalon « {label} » est après l'échéance de l'action.",
    "action_plan.smart.milestones_advised": (
        "Temporel : l'action dure plus de 3 mois ; ajoutez des jalons pour suivre son avancement."
    ),
    # errors
    "action_plan.error.too_early": "Le plan d'action se construit à partir de la phase d'investigation du bilan.",
    "action_plan.error.title_required": "Donnez un titre à l'action pour l'enregistrer.",
    "action_plan.error.milestone_label_required": "Indiquez ce que marque cette étape.",
    "action_plan.error.milestone_date_required": "Indiquez la date de cette étape.",
    "action_plan.error.too_many_milestones": "Trop de jalons : {max} au plus par action.",
    "action_plan.error.too_many_actions": "Le plan compte déjà {max} actions : retirez-en une d'abord.",
    "action_plan.error.link_unknown": "Ce lien n'est plus disponible : choisissez-en un autre.",
    "action_plan.error.suggestion_gone": "Cette suggestion n'est plus disponible : rechargez la page.",
    # suggestions
    "action_plan.suggestions.title": "Ajouter depuis les suggestions",
    "action_plan.suggestions.help": (
        "Des actions proposées à partir des pistes métiers retenues, des offres sauvegardées et du brouillon de "
        "synthèse validé par le consultant. Elles arrivent comme brouillons à compléter."
    ),
    "action_plan.suggestions.add": "Ajouter",
    "action_plan.suggestions.add_label": "Ajouter « {title} » au plan",
    "action_plan.suggestions.added": "Suggestion ajoutée au plan : complétez ses parties SMART.",
    "action_plan.source.ai": "Brouillon de synthèse",
    "action_plan.source.target": "Piste retenue",
    "action_plan.source.offer": "Offre sauvegardée",
    "action_plan.suggest.target_title": "Enquête métier : {metier}",
    "action_plan.suggest.target_description": (
        "Rencontrer deux professionnels du métier « {metier} » pour vérifier que son quotidien vous correspond."
    ),
    "action_plan.suggest.target_project": "Vérifier la piste métier « {metier} » retenue pendant le bilan.",
    "action_plan.suggest.offer_title": "Candidater : {offer}",
    "action_plan.suggest.offer_description": "Préparer et envoyer une candidature pour l'offre « {offer} ».",
    # history
    "action_plan.history.heading": "Historique des modifications",
    "action_plan.history.show": "Afficher les modifications ({count})",
    "action_plan.history.caption": "Historique des modifications du plan",
    "action_plan.history.empty": "Aucune modification pour l'instant.",
    "action_plan.history.col_date": "Date",
    "action_plan.history.col_author": "Auteur",
    "action_plan.history.col_action": "Action",
    "action_plan.history.col_change": "Modification",
    "action_plan.history.by_consultant": "consultant",
    "action_plan.history.by_beneficiary": "bénéficiaire",
    "action_plan.history.empty_value": "(vide)",
    "action_plan.history.created": "Action créée",
    "action_plan.history.updated": "{field} : {before} → {after}",
    "action_plan.history.milestone_added": "Jalon ajouté : {after}",
    "action_plan.history.milestone_updated": "Jalon modifié : {before} → {after}",
    "action_plan.history.milestone_removed": "Jalon retiré : {before}",
    "action_plan.history.milestone_done": "Jalon fait : {after}",
    "action_plan.history.milestone_undone": "Jalon à refaire : {after}",
    "action_plan.history.moved": "Déplacée de la position {before} à la position {after}",
    "action_plan.history.deleted": "Action retirée du plan",
    # reminders
    "mail.plan_action_reminder.subject": "Rappel : une action de votre plan arrive à échéance",
    "mail.plan_action_reminder.body": (
        "Bonjour {name},\n\nL'action « {action} » du plan d'action arrive à échéance le {due}.\n\n"
        "Où en êtes-vous ? Mettez son statut à jour sur le plan : {link}\n\nL'équipe BilanCompetence.AI"
    ),
    "mail.plan_milestone_reminder.subject": "Rappel : une étape du plan d'action approche",
    "mail.plan_milestone_reminder.body": (
        "Bonjour {name},\n\nL'étape « {milestone} » de l'action « {action} » est prévue pour le {due}.\n\n"
        "Cochez-la sur le plan quand elle est faite : {link}\n\nL'équipe BilanCompetence.AI"
    ),
    # audit (the bilan's history)
    "audit.action_plan.action_created": "Action du plan créée",
    "audit.action_plan.action_updated": "Action du plan modifiée",
    "audit.action_plan.action_moved": "Action du plan déplacée",
    "audit.action_plan.action_deleted": "Action du plan retirée",
    "audit.action_plan.milestone_done": "Jalon du plan coché ou décoché",
    "audit.action_plan.suggestions_added": "Suggestions ajoutées au plan",
}

EN: dict[str, str] = {
    "nav.action_plan": "My action plan",
    "action_plan.title": "Action plan",
    "action_plan.title_mine": "My action plan",
    "action_plan.link": "Action plan",
    "action_plan.intro": (
        "The actions that put your project into practice, built with your consultant. Each one is SMART: "
        "specific, measurable, achievable, relevant and time-bound. You and your consultant edit the same plan."
    ),
    "action_plan.intro_follower": "The action plan is built with the beneficiary: you see and edit the same plan.",
    "action_plan.beneficiary": "Beneficiary: {name}",
    "action_plan.back": "Back to the assessment",
    "action_plan.back_home": "Back to my space",
    "action_plan.none": "You have no assessment in progress yet.",
    "action_plan.too_early_notice": (
        "The action plan is built from the investigation phase of the assessment: it can be edited then."
    ),
    "action_plan.closed_notice": "The assessment is closed: the action plan is read only.",
    "action_plan.summary": "{count} action(s), {complete} of them complete.",
    "action_plan.list_title": "Actions",
    "action_plan.empty": "No action yet.",
    "action_plan.new": "New action",
    "action_plan.edit": "Edit",
    "action_plan.edit_label": "Edit the action “{title}”",
    "action_plan.delete": "Delete",
    "action_plan.delete_label": "Delete the action “{title}”",
    "action_plan.delete_confirm": "Remove this action from the plan? It stays visible in the history.",
    "action_plan.delete_yes": "Yes, delete",
    "action_plan.delete_no": "Cancel",
    "action_plan.deleted": "Action removed from the plan.",
    "action_plan.move_up": "Move up",
    "action_plan.move_up_label": "Move the action “{title}” up",
    "action_plan.move_down": "Move down",
    "action_plan.move_down_label": "Move the action “{title}” down",
    "action_plan.moved": "Order of the plan changed.",
    "action_plan.number": "Action {number}",
    "action_plan.badge.complete": "Complete",
    "action_plan.badge.incomplete": "To complete",
    "action_plan.badge.overdue": "Deadline passed",
    "action_plan.missing_title": "To complete for a SMART action:",
    "action_plan.hints_title": "Tips:",
    "action_plan.status.a_faire": "To do",
    "action_plan.status.en_cours": "In progress",
    "action_plan.status.faite": "Done",
    "action_plan.status.abandonnee": "Dropped",
    "action_plan.status_of": "Status of the action “{title}”",
    "action_plan.status_saved": "Status saved: {status}.",
    "action_plan.owner.beneficiary": "Beneficiary",
    "action_plan.owner.consultant": "Consultant",
    "action_plan.card.owner": "Carried out by: {owner}",
    "action_plan.card.deadline": "Deadline: {date}",
    "action_plan.card.no_deadline": "No deadline yet",
    "action_plan.card.link": "Linked to: {label}",
    "action_plan.card.details": "Details of the action",
    "action_plan.milestones": "Milestones",
    "action_plan.milestone_item": "{label} — {date}",
    "action_plan.milestone_checked": "Milestone ticked: done.",
    "action_plan.milestone_unchecked": "Milestone unticked: to do.",
    "action_plan.form.new_title": "New action",
    "action_plan.form.edit_title": "Edit the action",
    "action_plan.form.help": (
        "A title is enough to save a draft. The action is complete when its five SMART parts are filled in: "
        "what is missing is shown next to the fields."
    ),
    "action_plan.part.specifique": "Specific: what will you do?",
    "action_plan.part.mesurable": "Measurable: how will you know it worked?",
    "action_plan.part.atteignable": "Achievable: with which means?",
    "action_plan.part.realiste": "Relevant: why this action?",
    "action_plan.part.temporel": "Time-bound: by when?",
    "action_plan.part.details": "Organisation",
    "action_plan.field.title": "Title of the action",
    "action_plan.field.title_help": "One sentence saying what you will do, for instance “Meet two nurses at work”.",
    "action_plan.field.description": "Description",
    "action_plan.field.description_help": "In practice: what, where, with whom.",
    "action_plan.field.indicator": "Success indicator",
    "action_plan.field.indicator_help": "A result one can see: “3 interviews held”, “funding application sent”.",
    "action_plan.field.means": "Means and resources",
    "action_plan.field.means_help": (
        "Time, budget and funding (CPF, employer…), the people or organisations who help you."
    ),
    "action_plan.field.project_link": "Link with the project",
    "action_plan.field.project_link_help": "How this action brings you closer to your professional project.",
    "action_plan.field.deadline": "Deadline",
    "action_plan.field.deadline_help": "The date the action should be done by. A reminder is sent 3 days before.",
    "action_plan.field.milestones": "Milestones (intermediate steps)",
    "action_plan.field.milestones_help": (
        "Optional: dated steps for a long action. A reminder is sent 2 days before each one."
    ),
    "action_plan.field.milestone_label": "Step {number}",
    "action_plan.field.milestone_date": "Date of step {number}",
    "action_plan.field.owner": "Who carries it out?",
    "action_plan.field.status": "Status",
    "action_plan.field.link": "Link with an option, a training course or an offer",
    "action_plan.milestone_add": "Add a milestone",
    "action_plan.milestone_remove": "Remove",
    "action_plan.milestone_remove_label": "Remove step {number}",
    "action_plan.link.none": "No link",
    "action_plan.link.group.target": "Kept career options",
    "action_plan.link.group.course": "Suggested training courses",
    "action_plan.link.group.offer": "Saved offers",
    "action_plan.form.save": "Save the action",
    "action_plan.form.cancel": "Cancel",
    "action_plan.saved_complete": "Action saved: it is complete.",
    "action_plan.saved_draft": "Action saved as a draft: {count} SMART part(s) missing, shown next to the fields.",
    "action_plan.smart.title_missing": "Specific: give a title saying what you will do.",
    "action_plan.smart.description_missing": "Specific: describe the action in practice (what, where, with whom).",
    "action_plan.smart.description_short": "Specific: the description is very short; say what, where and with whom.",
    "action_plan.smart.indicator_missing": (
        "Measurable: say how you will know the action worked (for instance “3 interviews held”)."
    ),
    "action_plan.smart.means_missing": (
        "Achievable: state the means and resources (time, budget, funding, people who help you)."
    ),
    "action_plan.smart.project_link_missing": "Relevant: explain how this action serves the professional project.",
    "action_plan.smart.deadline_missing": "Time-bound: set a deadline.",
    "action_plan.smart.deadline_past": "Time-bound: the deadline has passed; choose a new date or change the status.",
    "action_plan.smart.milestone_late": "Time-bound: the milestone “{label}” is after the action's deadline.",
    "action_plan.smart.milestones_advised": (
        "Time-bound: the action lasts more than 3 months; add milestones to follow its progress."
    ),
    "action_plan.error.too_early": "The action plan is built from the investigation phase of the assessment.",
    "action_plan.error.title_required": "Give the action a title to save it.",
    "action_plan.error.milestone_label_required": "Say what this step marks.",
    "action_plan.error.milestone_date_required": "Give the date of this step.",
    "action_plan.error.too_many_milestones": "Too many milestones: {max} at most per action.",
    "action_plan.error.too_many_actions": "The plan already has {max} actions: remove one first.",
    "action_plan.error.link_unknown": "This link is no longer available: choose another one.",
    "action_plan.error.suggestion_gone": "This suggestion is no longer available: reload the page.",
    "action_plan.suggestions.title": "Add from the suggestions",
    "action_plan.suggestions.help": (
        "Actions suggested from the kept career options, the saved offers and the synthesis draft the consultant "
        "approved. They arrive as drafts to complete."
    ),
    "action_plan.suggestions.add": "Add",
    "action_plan.suggestions.add_label": "Add “{title}” to the plan",
    "action_plan.suggestions.added": "Suggestion added to the plan: complete its SMART parts.",
    "action_plan.source.ai": "Synthesis draft",
    "action_plan.source.target": "Kept option",
    "action_plan.source.offer": "Saved offer",
    "action_plan.suggest.target_title": "Job survey: {metier}",
    "action_plan.suggest.target_description": (
        "Meet two people working as “{metier}” to check that its daily reality suits you."
    ),
    "action_plan.suggest.target_project": "Check the career option “{metier}” kept during the assessment.",
    "action_plan.suggest.offer_title": "Apply: {offer}",
    "action_plan.suggest.offer_description": "Prepare and send an application for the offer “{offer}”.",
    "action_plan.history.heading": "History of changes",
    "action_plan.history.show": "Show the changes ({count})",
    "action_plan.history.caption": "History of the plan's changes",
    "action_plan.history.empty": "No change yet.",
    "action_plan.history.col_date": "Date",
    "action_plan.history.col_author": "Author",
    "action_plan.history.col_action": "Action",
    "action_plan.history.col_change": "Change",
    "action_plan.history.by_consultant": "consultant",
    "action_plan.history.by_beneficiary": "beneficiary",
    "action_plan.history.empty_value": "(empty)",
    "action_plan.history.created": "Action created",
    "action_plan.history.updated": "{field}: {before} → {after}",
    "action_plan.history.milestone_added": "Milestone added: {after}",
    "action_plan.history.milestone_updated": "Milestone changed: {before} → {after}",
    "action_plan.history.milestone_removed": "Milestone removed: {before}",
    "action_plan.history.milestone_done": "Milestone done: {after}",
    "action_plan.history.milestone_undone": "Milestone to do again: {after}",
    "action_plan.history.moved": "Moved from position {before} to position {after}",
    "action_plan.history.deleted": "Action removed from the plan",
    "mail.plan_action_reminder.subject": "Reminder: an action of your plan is due soon",
    "mail.plan_action_reminder.body": (
        "Hello {name},\n\nThe action “{action}” of the action plan is due on {due}.\n\n"
        "How is it going? Update its status on the plan: {link}\n\nThe BilanCompetence.AI team"
    ),
    "mail.plan_milestone_reminder.subject": "Reminder: a step of the action plan is coming up",
    "mail.plan_milestone_reminder.body": (
        "Hello {name},\n\nThe step “{milestone}” of the action “{action}” is planned for {due}.\n\n"
        "Tick it on the plan once done: {link}\n\nThe BilanCompetence.AI team"
    ),
    "audit.action_plan.action_created": "Plan action created",
    "audit.action_plan.action_updated": "Plan action changed",
    "audit.action_plan.action_moved": "Plan action moved",
    "audit.action_plan.action_deleted": "Plan action removed",
    "audit.action_plan.milestone_done": "Plan milestone ticked or unticked",
    "audit.action_plan.suggestions_added": "Suggestions added to the plan",
}
