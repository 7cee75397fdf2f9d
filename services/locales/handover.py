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
    "handover.error.already_current": (
        "La version {version} est déjà remise : créez et validez une nouvelle version pour la remettre à son tour."
    ),
    "handover.label.version": "version {version}",
    "handover.label.upload": "document déposé n° {number}",
    "handover.label.unknown": "version non précisée",
    "handover.ready_mail.subject": "Votre document de synthèse est disponible",
    "handover.ready_mail.body": (
        "Bonjour {name},\n\n"
        "Votre consultant vous a remis le document de synthèse de votre bilan de compétences. Il vous est "
        "destiné à vous seul : téléchargez-le dans votre espace, où vous pouvez aussi ajouter vos "
        "observations et choisir la durée de conservation de vos documents.\n\n{link}\n\n"
        "L'équipe BilanCompetence.AI"
    ),
    "handover.newer_mail.subject": "Une nouvelle version de votre document de synthèse est disponible",
    "handover.newer_mail.body": (
        "Bonjour {name},\n\n"
        "Votre consultant vous a remis une nouvelle version du document de synthèse de votre bilan de compétences. "
        "Elle remplace la précédente dans votre espace, où vous retrouvez aussi l'historique des versions remises. "
        "Les personnes à qui vous avez déjà transmis la synthèse gardent la version que vous leur aviez envoyée : "
        "pour leur transmettre la nouvelle, donnez un nouvel accord.\n\n{link}\n\n"
        "L'équipe BilanCompetence.AI"
    ),
    "handover.consultant_title": "Remise à {name}",
    "handover.consultant_intro": (
        "La dernière version validée est mise en page en PDF (A4, accessible) et remise au seul bénéficiaire, "
        "qui la télécharge dans son espace. La remise est datée : c'est une preuve Qualiopi, et elle permet de "
        "clore le bilan. Une version plus récente, une fois validée, se remet à son tour : les remises précédentes "
        "restent conservées."
    ),
    "handover.hand_over_version": "Générer le PDF et remettre la version {version}",
    "handover.newer_waiting": (
        "La version {version} est validée mais pas encore remise : {name} a toujours la version remise précédemment."
    ),
    "handover.history_title": "Versions remises",
    "handover.history_row": "{document} ({filename}) remise le {date} par {author} · empreinte SHA-256 {sha}…",
    "handover.rendering": "Mise en page du document de synthèse…",
    "handover.done": "Synthèse remise : {filename} ({size} Ko, version {version}).",
    "handover.handed_over_on": "Synthèse remise le {date}.",
    "handover.own_copy": "Télécharger mon exemplaire (PDF)",
    "handover.followers_shares": "Accords de transmission donnés par {name}",
    "handover.followers_shares_empty": "{name} n'a donné aucun accord de transmission à un tiers.",
    "handover.followers_retention_title": "Conservation des documents du bilan",
    "handover.followers_retention_current": "{name} a choisi : {choice} (le {date}).",
    "handover.followers_retention_none": (
        "{name} n'a pas encore choisi : sans choix de sa part, les documents sont détruits à la fin du bilan."
    ),
    "handover.not_handed_over": "La synthèse n'a pas encore été remise.",
    "handover.not_yet": (
        "Votre consultant vous remettra le document de synthèse lors de l'entretien de conclusion. "
        "Il vous est destiné à vous seul : personne d'autre ne le reçoit sans votre accord écrit."
    ),
    "handover.ready_version": "Vous avez la {document} de votre document de synthèse, remise le {date}.",
    "handover.my_history_title": "Historique des remises",
    "handover.my_history_row": "{document} : remise le {date}",
    "handover.download": "Télécharger ma synthèse (PDF)",
    "handover.link_help": "Le lien de téléchargement vous est personnel : il ne fonctionne que dans votre espace.",
    "handover.link_not_found": (
        "Lien introuvable ou expiré. Ouvrez votre espace pour télécharger de nouveau votre document de synthèse."
    ),
    "handover.share_link.revoked": (
        "Ce lien ne fonctionne plus : la personne qui vous avait transmis son document de synthèse a retiré son "
        "accord. Si vous en avez encore besoin, adressez-vous à elle ou à l'organisme qui a réalisé le bilan."
    ),
    "handover.share_link.expired": (
        "Ce lien a expiré. Si vous avez encore besoin de ce document de synthèse, demandez à la personne qui vous "
        "l'avait transmis de vous l'envoyer de nouveau, ou adressez-vous à l'organisme qui a réalisé le bilan."
    ),
    "handover.share_link.unknown": (
        "Ce lien de téléchargement n'est pas valable. Vérifiez qu'il est complet, ou adressez-vous à la personne qui "
        "vous l'a transmis ou à l'organisme qui a réalisé le bilan."
    ),
    "handover.share_title": "Transmettre ma synthèse à un tiers",
    "handover.share_intro": (
        "Vous pouvez autoriser un employeur, un opérateur du conseil en évolution professionnelle (CEP) ou une "
        "autre personne à recevoir votre synthèse. Chaque accord est enregistré, et vous pouvez le retirer à "
        "tout moment : le lien envoyé cesse alors de fonctionner."
    ),
    "handover.shares_title": "Mes accords de transmission",
    "handover.shares_empty": "Aucun accord : votre synthèse n'a été transmise à personne.",
    "handover.share_row": "{kind} — {name} ({email}) : accord du {date}, {document}",
    "handover.shares_older": (
        "Un accord transmet la version remise au moment où vous l'avez donné. Pour transmettre la {document} "
        "à l'un de ces destinataires, donnez un nouvel accord."
    ),
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
        "synthèse ({document}, remise le {date}). Ce document est confidentiel : merci de ne pas le diffuser.\n\n"
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
    "handover.title": "Your synthesis document",
    "doc.records_title": "Documents of the bilan (PDF)",
    "doc.records_intro": (
        "Laid out from the bilan's data when downloaded: the certificate of completion with the hours completed "
        "(evidence of the service), the attendance sheets and the action plan."
    ),
    "doc.record.attestation": "Certificate of completion",
    "doc.record.emargement": "Attendance sheets",
    "doc.record.plan": "Action plan",
    "doc.record.plan_download": "Download the action plan (PDF)",
    "handover.error.phase": "The synthesis is handed over in the conclusion (or follow-up) phase of the bilan.",
    "handover.error.not_validated": "Validate a version of the synthesis first: that version is handed over.",
    "handover.error.already_current": (
        "Version {version} has already been handed over: create and validate a new version to hand it over in turn."
    ),
    "handover.label.version": "version {version}",
    "handover.label.upload": "uploaded document no. {number}",
    "handover.label.unknown": "version not recorded",
    "handover.ready_mail.subject": "Your synthesis document is available",
    "handover.ready_mail.body": (
        "Hello {name},\n\n"
        "Your consultant has handed you the synthesis document of your skills assessment. It is meant for you "
        "alone: download it in your space, where you may also add your observations and choose how long your "
        "documents are kept.\n\n{link}\n\nThe BilanCompetence.AI team"
    ),
    "handover.newer_mail.subject": "A new version of your synthesis document is available",
    "handover.newer_mail.body": (
        "Hello {name},\n\n"
        "Your consultant has handed you a new version of the synthesis document of your skills assessment. It "
        "replaces the previous one in your space, where you also find the history of the versions handed over. "
        "The people you already sent the synthesis to keep the version you sent them: to send them the new one, "
        "give a new agreement.\n\n{link}\n\nThe BilanCompetence.AI team"
    ),
    "handover.consultant_title": "Handover to {name}",
    "handover.consultant_intro": (
        "The latest validated version is laid out as a PDF (A4, accessible) and handed to the beneficiary alone, "
        "who downloads it in their space. The handover is dated: it is Qualiopi evidence, and it lets the bilan close. "
        "A newer version, once validated, is handed over in turn: the earlier handovers are kept."
    ),
    "handover.hand_over_version": "Generate the PDF and hand version {version} over",
    "handover.newer_waiting": (
        "Version {version} is validated but not handed over yet: {name} still has the version handed over before."
    ),
    "handover.history_title": "Versions handed over",
    "handover.history_row": "{document} ({filename}) handed over on {date} by {author} · SHA-256 fingerprint {sha}…",
    "handover.rendering": "Laying out the synthesis document…",
    "handover.done": "Synthesis handed over: {filename} ({size} kB, version {version}).",
    "handover.handed_over_on": "Synthesis handed over on {date}.",
    "handover.own_copy": "Download my copy (PDF)",
    "handover.followers_shares": "Agreements given by {name}",
    "handover.followers_shares_empty": "{name} has given no agreement to send it to a third party.",
    "handover.followers_retention_title": "Keeping the documents of the bilan",
    "handover.followers_retention_current": "{name} chose: {choice} (on {date}).",
    "handover.followers_retention_none": (
        "{name} has not chosen yet: without a choice, the documents are destroyed at the end of the bilan."
    ),
    "handover.not_handed_over": "The synthesis has not been handed over yet.",
    "handover.not_yet": (
        "Your consultant will hand you the synthesis document at the closing interview. It is meant for you "
        "alone: nobody else receives it without your written agreement."
    ),
    "handover.ready_version": "You have {document} of your synthesis document, handed over on {date}.",
    "handover.my_history_title": "History of the handovers",
    "handover.my_history_row": "{document}: handed over on {date}",
    "handover.download": "Download my synthesis (PDF)",
    "handover.link_help": "The download link is personal: it only works in your space.",
    "handover.link_not_found": "Link not found or expired. Open your space to download your synthesis again.",
    "handover.share_link.revoked": (
        "This link no longer works: the person who sent you their synthesis document has withdrawn their "
        "agreement. If you still need it, ask them or the organisation that carried out the assessment."
    ),
    "handover.share_link.expired": (
        "This link has expired. If you still need this synthesis document, ask the person who sent it to send it "
        "again, or contact the organisation that carried out the assessment."
    ),
    "handover.share_link.unknown": (
        "This download link is not valid. Check that it is complete, or ask the person who sent it or the "
        "organisation that carried out the assessment."
    ),
    "handover.share_title": "Send my synthesis to a third party",
    "handover.share_intro": (
        "You may allow an employer, a career guidance (CEP) operator or someone else to receive your synthesis. "
        "Each agreement is recorded and you may withdraw it at any time: the link sent then stops working."
    ),
    "handover.shares_title": "My agreements",
    "handover.shares_empty": "No agreement: your synthesis has been sent to nobody.",
    "handover.share_row": "{kind} — {name} ({email}): agreed on {date}, {document}",
    "handover.shares_older": (
        "An agreement sends the version handed over when you gave it. To send {document} to one of these "
        "recipients, give a new agreement."
    ),
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
        "I agree in writing that my synthesis document is sent to this recipient. I may withdraw this agreement "
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
    "handover.mail.subject": "Skills assessment synthesis of {name} ({org})",
    "handover.mail.body": (
        "Hello {recipient},\n\n"
        "{name} completed a skills assessment with {org} and allows you to receive their synthesis document "
        "({document}, handed over on {date}). "
        "This document is confidential: please do not pass it on.\n\n"
        "Download it with this link, valid until {until}:\n{link}\n\n"
        "{name} may withdraw this agreement at any time; the link will then stop working.\n\n"
        "The BilanCompetence.AI team"
    ),
    "audit.handover.synthese_downloaded": "Synthesis downloaded by the beneficiary",
    "audit.handover.share_given": "Agreement to send the synthesis given",
    "audit.handover.share_revoked": "Agreement to send the synthesis withdrawn",
    "audit.handover.share_downloaded": "Synthesis downloaded by an authorised recipient",
    "audit.handover.retention_chosen": "Document retention choice recorded",
}
