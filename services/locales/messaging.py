"""Catalogue: the messaging's quick replies, its files among the bilan's documents, the navigation's count
(the conversation's other texts are with the notification centre's, in ``notifications``)."""

FR: dict[str, str] = {
    "msg.quick.title": "Réponses rapides",
    "msg.quick.hint": "Un clic ajoute le texte à votre message : vous pouvez le modifier avant d'envoyer.",
    "msg.quick.received": "Bien reçu, merci.",
    "msg.quick.noted": "Merci, c'est noté.",
    "msg.quick.reply_today": "Je vous réponds dans la journée.",
    "msg.quick.slot_ok": "D'accord pour ce créneau.",
    "msg.quick.slot_other": "Ce créneau ne me convient pas : pourriez-vous m'en proposer un autre ?",
    "msg.templates_insert_title": "Mes modèles",
    "msg.delete_template": "Supprimer le modèle « {title} »",
    "msg.nav_unread": "Messagerie : {count} message(s) non lu(s)",
    "msg.attachments_title": "Pièces jointes",
    "msg.attachments_bilan_title": "Pièces jointes de la messagerie",
    "msg.attachments_intro": "Les fichiers échangés dans la conversation, du plus récent au plus ancien.",
    "msg.attachments_table": "Fichiers échangés",
    "msg.attachments_empty": "Aucune pièce jointe pour l'instant.",
    "msg.attachments_confidential": (
        "Les pièces jointes de la messagerie ne sont visibles que de la bénéficiaire et de son consultant."
    ),
    "msg.col.file": "Fichier",
    "msg.col.size": "Taille",
    "msg.col.sender": "Envoyé par",
    "msg.col.date": "Date",
    "msg.size_kb": "{size} Ko",
    "msg.size_mb": "{size} Mo",
}

EN: dict[str, str] = {
    "msg.quick.title": "Quick replies",
    "msg.quick.hint": "A click adds the text to your message: you can edit it before sending.",
    "msg.quick.received": "Well received, thank you.",
    "msg.quick.noted": "Thank you, noted.",
    "msg.quick.reply_today": "I will get back to you today.",
    "msg.quick.slot_ok": "This time slot suits me.",
    "msg.quick.slot_other": "This time slot does not suit me: could you suggest another one?",
    "msg.templates_insert_title": "My templates",
    "msg.delete_template": "Delete the template “{title}”",
    "msg.nav_unread": "Messages: {count} unread",
    "msg.attachments_title": "Attachments",
    "msg.attachments_bilan_title": "Attachments from the messages",
    "msg.attachments_intro": "The files exchanged in the conversation, most recent first.",
    "msg.attachments_table": "Files exchanged",
    "msg.attachments_empty": "No attachment yet.",
    "msg.attachments_confidential": "The messages' attachments are visible to the beneficiary and her consultant only.",
    "msg.col.file": "File",
    "msg.col.size": "Size",
    "msg.col.sender": "Sent by",
    "msg.col.date": "Date",
    "msg.size_kb": "{size} KB",
    "msg.size_mb": "{size} MB",
}
