"""Catalogue: the synthèse after its handover (download, third parties, retention)."""

FR: dict[str, str] = {
    "handover.title": "Votre document de synthèse",
    "doc.records_title": "Documents du bilan (PDF)",
    "doc.records_intro": (
        "Mis en page à partir des données du bilan au moment du téléchargement : le certificat de réalisation "
        "avec les heures réalisées (preuve du service fait), les feuilles d'émargement et le plan d'action."
    ),
    "doc.record.attestation": "Certificat de réalisation / attestation de fin de bilan",
    "doc.record.emargement": "Feuilles d'émargement",
    "doc.record.plan": "Plan d'action",
    "doc.record.plan_download": "Télécharger le plan d'action (PDF)",
    "handover.error.phase": "La synthèse se remet pendant la phase de conclusion (ou de suivi) du bilan.",
    "handover.error.not_validated": "Validez d'abord une version de la synthèse : c'est elle qui sera remise.",
    "handover.ready_mail.subject": "Votre document de synthèse est disponible",
    "handover.ready_mail.body": (
        "Bonjour {name},\n\n"
        "Votre consultant vous a remis le document de synthèse de votre bilan de compétences. Il vous est "
        "destiné à vous seul : téléchargez-le dans votre espace, où vous pouvez aussi ajouter vos "
        "observations et choisir la durée de conservation de vos documents.\n\n{link}\n\n"
        "L'équipe BilanCompetence.AI"
    ),
    "handover.consultant_title": "Remise au bénéficiaire",
    "handover.consultant_intro": (
        "La dernière version validée est mise en page en PDF (A4, accessible) et remise au seul bénéficiaire, "
        "qui la télécharge dans son espace. La remise est datée : c'est une preuve Qualiopi, et elle permet de "
        "clore le bilan."
    ),
    "handover.hand_over": "Générer le PDF et remettre la synthèse",
    "handover.rendering": "Mise en page du document de synthèse…",
    "handover.done": "Synthèse remise : {filename} ({size} Ko, version {version}).",
    "handover.handed_over_on": "Synthèse remise le {date}.",
    "handover.own_copy": "Télécharger mon exemplaire (PDF)",
    "handover.followers_shares": "Accords de transmission donnés par le bénéficiaire",
    "handover.not_handed_over": "La synthèse n'a pas encore été remise.",
    "handover.not_yet": (
        "Votre consultant vous remettra le document de synthèse lors de l'entretien de conclusion. "
        "Il vous est destiné à vous seul : personne d'autre ne le reçoit sans votre accord écrit."
    ),
    "handover.ready": "Document remis le",
    "handover.download": "Télécharger ma synthèse (PDF)",
    "handover.link_help": "Le lien de téléchargement vous est personnel : il ne fonctionne que dans votre espace.",
    "handover.link_not_found": (
        "Lien introuvable ou expiré. Ouvrez votre espace pour télécharger de nouveau votre document de synthèse."
    ),
    "handover.share_title": "Transmettre ma synthèse à un tiers",
    "handover.share_intro": (
        "Vous pouvez autoriser un employeur, un opérateur du conseil en évolution professionnelle (CEP) ou une "
        "autre personne à recevoir votre synthèse. Chaque accord est enregistré, et vous pouvez le retirer à "
        "tout moment : le lien envoyé cesse alors de fonctionner."
    ),
    "handover.shares_title": "Mes accords de transmission",
    "handover.shares_empty": "Aucun accord : votre synthèse n'a été transmise à personne.",
    "handover.share_row": "{kind} — {name} ({email}) : accord du {date}",
    "handover.share_status.active": "Lien actif jusqu'au {date} · téléchargements : {count}",
    "handover.share_status.revoked": "Accord retiré le {date}",
    "handover.share_status.expired": "Lien expiré le {date}",
    "handover.field.recipient_kind": "Destinataire",
    "handover.field.recipient_name": "Nom du destinataire ou de l'organisme",
    "handover.field.recipient_email": "Adresse e-mail du destinataire",
    "handover.kind.employeur": "Employeur",
    "handover.kind.cep": "Opérateur du conseil en évolution professionnelle (CEP)",
    "handover.kind.autre": "Autre destinataire",
    "handover.consent_text": (
        "J'autorise par écrit la transmission de mon document de synthèse à ce destinataire. "
        "Je peux retirer cet accord à tout moment."
    ),
    "handover.share_submit": "Envoyer le lien au destinataire",
    "handover.shared_notice": "Accord enregistré : un lien de téléchargement valable 30 jours a été envoyé à {email}.",
    "handover.revoke": "Retirer mon accord",
    "handover.revoked_notice": "Accord retiré : le lien envoyé ne fonctionne plus.",
    "handover.error.consent_required": "Cochez la case pour donner votre accord écrit à cette transmission.",
    "handover.error.written_consent_required": (
        "Pour conserver vos documents, cochez la case qui donne votre accord écrit."
    ),
    "handover.retention_title": "Conservation des documents de mon bilan",
    "handover.retention_intro": (
        "À la fin du bilan, les documents produits sont détruits (article R6313-7 du Code du travail). "
        "Vous pouvez demander par écrit qu'ils soient conservés au plus un an, par exemple pour l'entretien "
        "de suivi."
    ),
    "handover.retention_legend": "Votre choix",
    "handover.retention.destruction_fin": "Détruire les documents à la fin du bilan",
    "handover.retention.conservation_un_an": "Conserver les documents au plus un an après la fin du bilan",
    "handover.retention_consent": (
        "Si je choisis la conservation, je donne mon accord écrit pour que les documents de mon bilan soient "
        "conservés au plus un an après sa fin, puis détruits."
    ),
    "handover.retention_save": "Enregistrer mon choix",
    "handover.retention_saved": "Votre choix est enregistré.",
    "handover.retention_current": "Votre choix : {choice} (le {date}).",
    "handover.retention_none": (
        "Vous n'avez pas encore fait de choix : sans choix de votre part, les documents sont détruits à la fin "
        "du bilan."
    ),
    "handover.mail.subject": "Synthèse du bilan de compétences de {name} ({org})",
    "handover.mail.body": (
        "Bonjour {recipient},\n\n"
        "{name} a réalisé un bilan de compétences avec {org} et vous autorise à recevoir son document de "
        "synthèse. Ce document est confidentiel : merci de ne pas le diffuser.\n\n"
        "Téléchargez-le avec ce lien, valable jusqu'au {until} :\n{link}\n\n"
        "{name} peut retirer son accord à tout moment ; le lien ne fonctionnera alors plus.\n\n"
        "L'équipe BilanCompetence.AI"
    ),
    "audit.handover.synthese_downloaded": "Synthèse téléchargée par le bénéficiaire",
    "audit.handover.share_given": "Accord de transmission de la synthèse donné",
    "audit.handover.share_revoked": "Accord de transmission de la synthèse retiré",
    "audit.handover.share_downloaded": "Synthèse téléchargée par un destinataire autorisé",
    "audit.handover.retention_chosen": "Choix de conservation des documents enregistré",
}

EN: dict[str, str] = {
    "handover.title": "Your summary document",
    "doc.records_title": "Documents of the bilan (PDF)",
    "doc.records_intro": (
        "Laid out from the bilan's data when downloaded: the certificate of completion with the hours completed "
        "(evidence of the service), the attendance sheets and the action plan."
    ),
    "doc.record.attestation": "Certificate of completion",
    "doc.record.emargement": "Attendance sheets",
    "doc.record.plan": "Action plan",
    "doc.record.plan_download": "Download the action plan (PDF)",
    "handover.error.phase": "The summary is handed over in the conclusion (or follow-up) phase of the bilan.",
    "handover.error.not_validated": "Validate a version of the summary first: that version is handed over.",
    "handover.ready_mail.subject": "Your summary document is available",
    "handover.ready_mail.body": (
        "Hello {name},\n\n"
        "Your consultant has handed you the summary document of your skills assessment. It is meant for you "
        "alone: download it in your space, where you may also add your observations and choose how long your "
        "documents are kept.\n\n{link}\n\nThe BilanCompetence.AI team"
    ),
    "handover.consultant_title": "Handover to the beneficiary",
    "handover.consultant_intro": (
        "The latest validated version is laid out as a PDF (A4, accessible) and handed to the beneficiary alone, "
        "who downloads it in their space. The handover is dated: it is Qualiopi evidence, and it lets the bilan close."
    ),
    "handover.hand_over": "Generate the PDF and hand the summary over",
    "handover.rendering": "Laying out the summary document…",
    "handover.done": "Summary handed over: {filename} ({size} kB, version {version}).",
    "handover.handed_over_on": "Summary handed over on {date}.",
    "handover.own_copy": "Download my copy (PDF)",
    "handover.followers_shares": "Agreements given by the beneficiary",
    "handover.not_handed_over": "The summary has not been handed over yet.",
    "handover.not_yet": (
        "Your consultant will hand you the summary document at the closing interview. It is meant for you "
        "alone: nobody else receives it without your written agreement."
    ),
    "handover.ready": "Handed over on",
    "handover.download": "Download my summary (PDF)",
    "handover.link_help": "The download link is personal: it only works in your space.",
    "handover.link_not_found": "Link not found or expired. Open your space to download your summary again.",
    "handover.share_title": "Send my summary to a third party",
    "handover.share_intro": (
        "You may allow an employer, a career guidance (CEP) operator or someone else to receive your summary. "
        "Each agreement is recorded and you may withdraw it at any time: the link sent then stops working."
    ),
    "handover.shares_title": "My agreements",
    "handover.shares_empty": "No agreement: your summary has been sent to nobody.",
    "handover.share_row": "{kind} — {name} ({email}): agreed on {date}",
    "handover.share_status.active": "Link valid until {date} · downloads: {count}",
    "handover.share_status.revoked": "Agreement withdrawn on {date}",
    "handover.share_status.expired": "Link expired on {date}",
    "handover.field.recipient_kind": "Recipient",
    "handover.field.recipient_name": "Name of the recipient or organisation",
    "handover.field.recipient_email": "Recipient's email address",
    "handover.kind.employeur": "Employer",
    "handover.kind.cep": "Career guidance (CEP) operator",
    "handover.kind.autre": "Other recipient",
    "handover.consent_text": (
        "I agree in writing that my summary document is sent to this recipient. I may withdraw this agreement "
        "at any time."
    ),
    "handover.share_submit": "Send the link to the recipient",
    "handover.shared_notice": "Agreement recorded: a download link valid for 30 days was sent to {email}.",
    "handover.revoke": "Withdraw my agreement",
    "handover.revoked_notice": "Agreement withdrawn: the link sent no longer works.",
    "handover.error.consent_required": "Tick the box to give your written agreement to this transfer.",
    "handover.error.written_consent_required": "To keep your documents, tick the box that gives your written agreement.",
    "handover.retention_title": "Keeping the documents of my bilan",
    "handover.retention_intro": (
        "At the end of the bilan, the documents produced are destroyed (article R6313-7 of the Labour Code). "
        "You may ask in writing that they are kept for at most one year, for instance for the follow-up interview."
    ),
    "handover.retention_legend": "Your choice",
    "handover.retention.destruction_fin": "Destroy the documents at the end of the bilan",
    "handover.retention.conservation_un_an": "Keep the documents for at most one year after the end of the bilan",
    "handover.retention_consent": (
        "If I choose to keep them, I agree in writing that the documents of my bilan are kept for at most one "
        "year after its end, then destroyed."
    ),
    "handover.retention_save": "Save my choice",
    "handover.retention_saved": "Your choice is saved.",
    "handover.retention_current": "Your choice: {choice} (on {date}).",
    "handover.retention_none": "You have not chosen yet: without a choice, the documents are destroyed at the end.",
    "handover.mail.subject": "Skills assessment summary of {name} ({org})",
    "handover.mail.body": (
        "Hello {recipient},\n\n"
        "{name} completed a skills assessment with {org} and allows you to receive their summary document. "
        "This document is confidential: please do not pass it on.\n\n"
        "Download it with this link, valid until {until}:\n{link}\n\n"
        "{name} may withdraw this agreement at any time; the link will then stop working.\n\n"
        "The BilanCompetence.AI team"
    ),
    "audit.handover.synthese_downloaded": "Summary downloaded by the beneficiary",
    "audit.handover.share_given": "Agreement to send the summary given",
    "audit.handover.share_revoked": "Agreement to send the summary withdrawn",
    "audit.handover.share_downloaded": "Summary downloaded by an authorised recipient",
    "audit.handover.retention_chosen": "Document retention choice recorded",
}
