"""Catalogue: the référentiel screens (demo banner, installation page, métier search and fiche)."""

FR: dict[str, str] = {
    "nav.metiers": "Métiers",
    "nav.referentiel": "Référentiel ROME",
    "rome.error.too_large": "Le fichier dépasse la taille autorisée ({limit} Mo).",
    "rome.error.not_zip": "« {path} » n'est pas une archive zip : choisissez le zip de l'export officiel du ROME.",
    "audit.rome.imported": "Référentiel ROME importé",
    "audit.rome.import_refused": "Import du référentiel ROME refusé",
    # the banner shown to admins while the demo référentiel is installed
    "ref.banner.title": "Référentiel de démonstration — importez le ROME complet",
    "ref.banner.body": (
        "Les métiers et les compétences proposés viennent d'un petit référentiel de démonstration "
        "(30 métiers rédigés pour l'exemple). Pour travailler avec le ROME de France Travail, importez "
        "son export officiel (le zip ou le dossier des fichiers unix_*_utf8.csv)."
    ),
    "ref.banner.cli": "Sur le serveur, en ligne de commande :",
    "ref.banner.upload": "Ou téléversez le zip officiel depuis la page",
    "ref.banner.operator": "L'opérateur de la plateforme peut aussi téléverser le zip officiel depuis son espace.",
    # platform operator: installation page
    "ref.admin.title": "Référentiel ROME",
    "ref.admin.lead": (
        "Le référentiel des métiers et des compétences (ROME 4.0 de France Travail) est commun à tous les "
        "organismes. Importez ici l'export officiel au format zip : s'il est refusé, la version installée "
        "reste en place."
    ),
    "ref.admin.installed_title": "Version installée",
    "ref.admin.none": "Aucun référentiel n'est installé.",
    "ref.admin.version": "Version",
    "ref.admin.imported_at": "Importée le",
    "ref.admin.source": "Source",
    "ref.admin.demo_badge": "démonstration",
    "ref.admin.demo_note": "C'est le référentiel de démonstration livré avec l'application.",
    "ref.admin.upload_title": "Importer l'export officiel",
    "ref.admin.upload_help": (
        "Le zip publié par France Travail (fichiers unix_*_vNNN_utf8.csv), {limit} Mo au plus. "
        "L'import du ROME complet prend jusqu'à une minute."
    ),
    "ref.admin.choose": "Choisir le fichier zip",
    "ref.admin.file_label": "Fichier zip de l'export ROME",
    "ref.admin.no_file": "Aucun fichier choisi.",
    "ref.admin.start": "Importer le référentiel",
    "ref.admin.missing_file": "Choisissez d'abord le fichier zip de l'export.",
    "ref.admin.busy": "Un import est déjà en cours.",
    "ref.admin.uploading": "Envoi du fichier : {percent} %",
    "ref.admin.importing": "Vérification et import en cours… {seconds} s",
    "ref.admin.failed": "Import refusé — le référentiel installé n'a pas changé.",
    "ref.admin.summary_title": "Import terminé",
    "ref.admin.search_link": "Rechercher un métier",
    # métier search
    "ref.search.title": "Métiers",
    "ref.search.lead": (
        "Cherchez un métier ou un intitulé de poste dans le référentiel ROME : les accents et les majuscules "
        "ne comptent pas, et une faute de frappe est tolérée."
    ),
    "ref.search.label": "Métier ou intitulé de poste",
    "ref.search.help": "Par exemple : boulangère, aide-soignant, développeur web.",
    "ref.search.submit": "Rechercher",
    "ref.search.count": "{count} métier(s) trouvé(s) pour « {query} ».",
    "ref.search.none": "Aucun métier ne correspond à « {query} ». Essayez un autre mot ou une orthographe voisine.",
    "ref.search.results": "Résultats",
    "ref.search.via": "Intitulé trouvé : {appellation}",
    "ref.search.no_referentiel": (
        "Aucun référentiel des métiers n'est installé : l'opérateur de la plateforme doit importer le ROME."
    ),
    "ref.search.demo": "Référentiel de démonstration : 30 métiers seulement.",
    # fiche métier
    "ref.metier.not_found_title": "Métier introuvable",
    "ref.metier.not_found": "Aucun métier ne porte le code « {code} » dans le référentiel installé.",
    "ref.metier.back": "Retour à la recherche de métiers",
    "ref.metier.code": "Code ROME {code}",
    "ref.metier.domaine": "Domaine",
    "ref.metier.regulated": "Métier réglementé : son exercice demande un diplôme ou une autorisation.",
    "ref.metier.definition": "Définition",
    "ref.metier.acces": "Accès au métier",
    "ref.metier.skills": "Compétences",
    "ref.metier.core": "cœur de métier",
    "ref.metier.core_legend": (
        "Les compétences « cœur de métier » sont indispensables à l'exercice du métier ; elles sont listées en premier."
    ),
    "ref.metier.riasec": "Profil d'intérêts (RIASEC)",
    "ref.metier.riasec_major": "Dominante",
    "ref.metier.riasec_minor": "Secondaire",
    "ref.metier.appellations": "Appellations",
    "ref.metier.mobilites": "Métiers proches (mobilité)",
    "ref.metier.mobilites_none": "Aucune mobilité n'est renseignée pour ce métier.",
    "ref.metier.centres": "Centres d'intérêt",
    "ref.metier.none": "Non renseigné.",
    "ref.riasec.R": "Réaliste",
    "ref.riasec.I": "Investigateur",
    "ref.riasec.A": "Artistique",
    "ref.riasec.S": "Social",
    "ref.riasec.E": "Entreprenant",
    "ref.riasec.C": "Conventionnel",
}

EN: dict[str, str] = {
    "nav.metiers": "Occupations",
    "nav.referentiel": "ROME référentiel",
    "rome.error.too_large": "The file exceeds the allowed size ({limit} MB).",
    "rome.error.not_zip": "“{path}” is not a zip archive: choose the zip of the official ROME export.",
    "audit.rome.imported": "ROME référentiel imported",
    "audit.rome.import_refused": "ROME référentiel import refused",
    "ref.banner.title": "Demo référentiel — import the full ROME",
    "ref.banner.body": (
        "The occupations and skills on offer come from a small demo référentiel (30 occupations written as "
        "examples). To work with France Travail's ROME, import its official export (the zip or the folder of "
        "unix_*_utf8.csv files)."
    ),
    "ref.banner.cli": "On the server, from the command line:",
    "ref.banner.upload": "Or upload the official zip on the page",
    "ref.banner.operator": "The platform operator can also upload the official zip from their space.",
    "ref.admin.title": "ROME référentiel",
    "ref.admin.lead": (
        "The occupations and skills référentiel (France Travail's ROME 4.0) is shared by every organisation. "
        "Import the official export as a zip here: if it is refused, the installed version stays in place."
    ),
    "ref.admin.installed_title": "Installed version",
    "ref.admin.none": "No référentiel is installed.",
    "ref.admin.version": "Version",
    "ref.admin.imported_at": "Imported on",
    "ref.admin.source": "Source",
    "ref.admin.demo_badge": "demo",
    "ref.admin.demo_note": "This is the demo référentiel shipped with the application.",
    "ref.admin.upload_title": "Import the official export",
    "ref.admin.upload_help": (
        "The zip published by France Travail (unix_*_vNNN_utf8.csv files), {limit} MB at most. "
        "Importing the full ROME takes up to a minute."
    ),
    "ref.admin.choose": "Choose the zip file",
    "ref.admin.file_label": "Zip file of the ROME export",
    "ref.admin.no_file": "No file chosen.",
    "ref.admin.start": "Import the référentiel",
    "ref.admin.missing_file": "First choose the zip file of the export.",
    "ref.admin.busy": "An import is already running.",
    "ref.admin.uploading": "Uploading the file: {percent} %",
    "ref.admin.importing": "Checking and importing… {seconds} s",
    "ref.admin.failed": "Import refused — the installed référentiel has not changed.",
    "ref.admin.summary_title": "Import finished",
    "ref.admin.search_link": "Search an occupation",
    "ref.search.title": "Occupations",
    "ref.search.lead": (
        "Search an occupation or a job title in the ROME référentiel: accents and capitals do not matter, "
        "and a typo is tolerated."
    ),
    "ref.search.label": "Occupation or job title",
    "ref.search.help": "For example: boulangère, aide-soignant, développeur web.",
    "ref.search.submit": "Search",
    "ref.search.count": "{count} occupation(s) found for “{query}”.",
    "ref.search.none": "No occupation matches “{query}”. Try another word or a nearby spelling.",
    "ref.search.results": "Results",
    "ref.search.via": "Matching title: {appellation}",
    "ref.search.no_referentiel": "No occupations référentiel is installed: the platform operator must import the ROME.",
    "ref.search.demo": "Demo référentiel: 30 occupations only.",
    "ref.metier.not_found_title": "Occupation not found",
    "ref.metier.not_found": "No occupation has the code “{code}” in the installed référentiel.",
    "ref.metier.back": "Back to the occupation search",
    "ref.metier.code": "ROME code {code}",
    "ref.metier.domaine": "Field",
    "ref.metier.regulated": "Regulated occupation: practising it requires a diploma or an authorisation.",
    "ref.metier.definition": "Definition",
    "ref.metier.acces": "Access to the occupation",
    "ref.metier.skills": "Skills",
    "ref.metier.core": "core skill",
    "ref.metier.core_legend": "Core skills are essential to the occupation; they are listed first.",
    "ref.metier.riasec": "Interest profile (RIASEC)",
    "ref.metier.riasec_major": "Main",
    "ref.metier.riasec_minor": "Secondary",
    "ref.metier.appellations": "Job titles",
    "ref.metier.mobilites": "Related occupations (mobility)",
    "ref.metier.mobilites_none": "No mobility is listed for this occupation.",
    "ref.metier.centres": "Interests",
    "ref.metier.none": "Not specified.",
    "ref.riasec.R": "Realistic",
    "ref.riasec.I": "Investigative",
    "ref.riasec.A": "Artistic",
    "ref.riasec.S": "Social",
    "ref.riasec.E": "Enterprising",
    "ref.riasec.C": "Conventional",
}
