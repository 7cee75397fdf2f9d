"""Catalogue: the bilan's documents space (her "Mes documents" page, the consultant's documents tab)."""

FR: dict[str, str] = {
    "screen.my_documents": "Mes documents",
    "nav.my_documents": "Mes documents",
    "files.title": "Documents du bilan",
    "files.intro_beneficiary": (
        "Déposez ici votre CV, vos diplômes ou des exemples de travaux : seul votre consultant les voit. "
        "Il peut aussi vous transmettre des exercices et des ressources."
    ),
    "files.intro_consultant": (
        "Espace partagé avec la bénéficiaire, et votre espace consultant qu'elle ne voit pas. "
        "Chaque consultation est enregistrée dans le journal."
    ),
    "files.area.shared": "Partagé",
    "files.area.consultant": "Consultant (privé)",
    "files.area_label": "Espace",
    "files.upload_title": "Déposer un document",
    "files.choose": "Choisir un fichier",
    "files.file_label": "Fichier à déposer",
    "files.send": "Déposer",
    "files.limits": "PDF, image ou document bureautique ; {file_mb} Mo au plus par fichier. Espace utilisé : {used} sur {total}.",
    "files.uploaded": "Document déposé.",
    "files.request_for": "En réponse à la demande",
    "files.request_none": "Aucune demande",
    "files.requests_title": "Documents demandés",
    "files.requests_empty": "Aucune demande de document.",
    "files.request_open": "À déposer",
    "files.request_done": "Déposé : {name}",
    "files.request_title": "Demander un document",
    "files.request_label": "Document demandé",
    "files.request_placeholder": "Merci de déposer votre CV",
    "files.request_send": "Demander",
    "files.requested": "Demande envoyée : elle apparaît dans les tâches de la bénéficiaire.",
    "files.table_shared": "Documents partagés",
    "files.table_consultant": "Documents de l'espace consultant",
    "files.empty": "Aucun document pour l'instant.",
    "files.col.name": "Document",
    "files.col.version": "Version",
    "files.col.size": "Taille",
    "files.col.by": "Déposé par",
    "files.col.date": "Date",
    "files.col.actions": "Actions",
    "files.col.status": "État",
    "files.version": "v{version}",
    "files.older": "Versions précédentes",
    "files.download": "Télécharger {name} (version {version})",
    "files.preview": "Aperçu de {name} (version {version}, nouvel onglet)",
    "files.preview_short": "Aperçu",
    "files.download_short": "Télécharger",
    "files.closed": "Le bilan est terminé : les documents restent consultables, sans nouveau dépôt.",
    "files.no_bilan": "Vous n'avez pas de bilan en cours.",
    "files.admin_title": "Documents du bilan (supervision)",
    "files.admin_intro": (
        "Les documents du bilan sont confidentiels : vous voyez leur nombre, leur volume et la date du dernier "
        "dépôt, jamais leur nom ni leur contenu."
    ),
    "files.admin_line": "{area} : {count} fichier(s), {size}, dernier dépôt : {last}",
    "files.error.empty": "Le fichier est vide.",
    "files.error.too_big": "Le fichier dépasse {max_mb} Mo.",
    "files.error.type": (
        "Ce type de fichier n'est pas accepté (d'après son contenu, quel que soit son nom) : "
        "PDF, image (PNG, JPEG, GIF, WebP) ou document bureautique sans macro."
    ),
    "files.error.type_or_size": "Fichier refusé : type non accepté ou taille supérieure à la limite.",
    "files.error.name_path": "Le nom du fichier ne doit contenir ni « / » ni « \\ ».",
    "files.error.name_control": "Le nom du fichier contient des caractères invisibles : renommez-le.",
    "files.error.name_empty": "Le fichier doit avoir un nom.",
    "files.error.bilan_full": "L'espace documents de ce bilan est plein ({max_mb} Mo) : aucun nouveau dépôt possible.",
    "files.error.no_file": "Choisissez un fichier.",
    "files.error.request_closed": "Cette demande n'est plus ouverte.",
    "files.error.label_too_long": "{max} caractères au plus.",
    "files.not_found": "Document introuvable.",
    "audit.bilan_files.uploaded": "Document déposé dans l'espace du bilan",
    "audit.bilan_files.downloaded": "Document du bilan consulté",
    "audit.bilan_files.requested": "Document demandé à la bénéficiaire",
    "notif.kind.document_requested": "Document demandé",
    "mail.document_requested.subject": "{author} vous demande un document",
    "mail.document_requested.body": "Bonjour {name},\n\n{author} vous demande un document pour votre bilan : « {label} ». Vous pouvez le déposer dans votre espace : {link}\n\nL'équipe BilanCompetence.AI",
}

EN: dict[str, str] = {
    "screen.my_documents": "My documents",
    "nav.my_documents": "My documents",
    "files.title": "Assessment documents",
    "files.intro_beneficiary": (
        "Upload your CV, diplomas or work samples here: only your consultant sees them. "
        "They can also send you exercises and resources."
    ),
    "files.intro_consultant": (
        "The area shared with the beneficiary, and your consultant area she does not see. "
        "Every read is recorded in the log."
    ),
    "files.area.shared": "Shared",
    "files.area.consultant": "Consultant (private)",
    "files.area_label": "Area",
    "files.upload_title": "Upload a document",
    "files.choose": "Choose a file",
    "files.file_label": "File to upload",
    "files.send": "Upload",
    "files.limits": "PDF, image or office document; {file_mb} MB at most per file. Space used: {used} of {total}.",
    "files.uploaded": "Document uploaded.",
    "files.request_for": "In answer to the request",
    "files.request_none": "No request",
    "files.requests_title": "Requested documents",
    "files.requests_empty": "No document requested.",
    "files.request_open": "To upload",
    "files.request_done": "Uploaded: {name}",
    "files.request_title": "Request a document",
    "files.request_label": "Document requested",
    "files.request_placeholder": "Please upload your CV",
    "files.request_send": "Request",
    "files.requested": "Request sent: it appears among the beneficiary's tasks.",
    "files.table_shared": "Shared documents",
    "files.table_consultant": "Documents of the consultant area",
    "files.empty": "No document yet.",
    "files.col.name": "Document",
    "files.col.version": "Version",
    "files.col.size": "Size",
    "files.col.by": "Uploaded by",
    "files.col.date": "Date",
    "files.col.actions": "Actions",
    "files.col.status": "Status",
    "files.version": "v{version}",
    "files.older": "Earlier versions",
    "files.download": "Download {name} (version {version})",
    "files.preview": "Preview {name} (version {version}, new tab)",
    "files.preview_short": "Preview",
    "files.download_short": "Download",
    "files.closed": "The assessment has ended: the documents can still be read, no new upload.",
    "files.no_bilan": "You have no assessment in progress.",
    "files.admin_title": "Assessment documents (supervision)",
    "files.admin_intro": (
        "The assessment's documents are confidential: you see how many there are, their size and the date "
        "of the last upload, never their name or content."
    ),
    "files.admin_line": "{area}: {count} file(s), {size}, last upload: {last}",
    "files.error.empty": "The file is empty.",
    "files.error.too_big": "The file is larger than {max_mb} MB.",
    "files.error.type": (
        "This type of file is not accepted (judged by its content, whatever its name): "
        "PDF, image (PNG, JPEG, GIF, WebP) or office document without macros."
    ),
    "files.error.type_or_size": "File refused: type not accepted or larger than the limit.",
    "files.error.name_path": 'The file\'s name must contain neither "/" nor "\\".',
    "files.error.name_control": "The file's name contains invisible characters: rename it.",
    "files.error.name_empty": "The file needs a name.",
    "files.error.bilan_full": "This assessment's document space is full ({max_mb} MB): no new upload.",
    "files.error.no_file": "Choose a file.",
    "files.error.request_closed": "This request is no longer open.",
    "files.error.label_too_long": "{max} characters at most.",
    "files.not_found": "Document not found.",
    "audit.bilan_files.uploaded": "Document uploaded to the assessment's space",
    "audit.bilan_files.downloaded": "Assessment document read",
    "audit.bilan_files.requested": "Document requested from the beneficiary",
    "notif.kind.document_requested": "Document requested",
    "mail.document_requested.subject": "{author} asks you for a document",
    "mail.document_requested.body": 'Hello {name},\n\n{author} asks you for a document for your assessment: "{label}". You can upload it in your space: {link}\n\nThe BilanCompetence.AI team',
}
