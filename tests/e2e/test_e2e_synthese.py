"""The document de synthèse in Chromium (issue 6 §2).

An organisation of its own; the beneficiary's bilan has a parcours with rated skills (validated by the
consultant), a completed interest inventory, objectives and a kept target métier, all set up through
the services. Then:

1. the consultant opens the synthèse from the bilan page and generates the draft with the local engine
   (progress on screen); the beneficiary, meanwhile, reads that it is being written;
2. the consultant completes the steps section (the live preview follows), saves it: a version of its
   own; the diff with the generated version shows the added and removed lines, marked in words;
3. the consultant validates after a confirmation: the version is locked;
4. the beneficiary reads the validated synthèse and writes her observations, kept after a reload, also
   at 390 px; the consultant sees them, read only;
5. the org admin sees the versions, never the text;
6. (issue 6 §4) in the conclusion phase the consultant hands it over (the PDF is rendered); the
   beneficiary downloads it from her space (pdfinfo: tagged, pages), agrees to a CEP operator receiving
   it (refused without the ticked agreement), withdraws that agreement, chooses to keep her documents a
   year (written consent required); the consultant sees that evidence;
7. (issue 11 §2) the consultant makes a new version, edits and validates it: she still has version 2
   until the consultant hands version 3 over; then she is told (mail), her space shows version 3, the
   history of what was handed over when, and her download has the edit; the consultant closes the bilan.

axe-core on every page and state.
"""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.support import login_person, make_siret, organisation_with_bilan, run_script
from tests.e2e.test_e2e_skills import INSTALL_DEMO_REFERENTIEL

pytestmark = pytest.mark.e2e

PASSWORD = "Falaise-Goemon-Phare-43"
ADMIN = {"first_name": "Morgane", "last_name": "Guivarc'h", "email": "direction@rance-bilans.fr"}
CONSULTANT = {"first_name": "Erwan", "last_name": "Tanguy", "email": "erwan.tanguy@rance-bilans.fr"}
BENEFICIARY = {"first_name": "Léa", "last_name": "Kervella", "email": "lea.kervella@exemple-perso.fr"}
QUESTIONNAIRE = {
    "situation": "Conseillère de vente en librairie depuis 2017.",
    "request": "Savoir si je peux évoluer vers la gestion d'une librairie.",
    "motivation": "Transmettre le goût de la lecture et organiser.",
    "expectations": "Un projet réaliste et ses étapes.",
    "availability": "Les lundis.",
}
STEPS = "- Enquête métier auprès de deux libraires indépendants\n- **Formation** courte en gestion des stocks"
NEW_STEP = "Immersion pendant une semaine dans une librairie indépendante à Dinan"
OBSERVATIONS = "Je me reconnais dans cette synthèse. J'ajoute que je peux déménager en Bretagne."

# The beneficiary's parcours (the demo's Léa), submitted and validated, her interest inventory, the
# objectives, and a target métier kept by the consultant.
SET_UP = r"""
import json, sys, uuid
from services import auth, bilans, recommendations
from services.auth import ClientInfo
from services.demo.skills import LEA_PARCOURS, fill_parcours
from services.psychometrics import service as psychometrics
from services.psychometrics.catalog import get_instrument
from services.skills import assessment

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.9", user_agent="e2e fixture")
def actor(email):
    return auth.resolve_session(auth.login({"email": email, "password": spec["password"]}, client).token).actor
beneficiary, consultant = actor(spec["beneficiary"]), actor(spec["consultant"])
bilan_id = uuid.UUID(spec["bilan_id"])
fill_parcours(beneficiary, bilan_id, LEA_PARCOURS)
assessment.submit(beneficiary, bilan_id)
assessment.validate(consultant, bilan_id)
instrument = get_instrument(psychometrics.INTERESTS_ID)
test = psychometrics.start_or_resume(beneficiary, bilan_id, instrument.id)
levels = {"R": 1, "I": 2, "A": 4, "S": 3, "E": 2, "C": 1}
psychometrics.save_answers(beneficiary, test.id, {item.id: levels[item.dimension] for item in instrument.items})
psychometrics.complete(beneficiary, test.id)
bilans.set_objectives(consultant, bilan_id, "Construire un projet dans le métier du livre.")
recommendations.keep_target(consultant, bilan_id, {
    "code_rome": "D1209", "libelle": "Libraire", "score": 78.0,
    "raisons": ["vous maîtrisez le conseil à la clientèle"],
    "competences_a_acquerir": [{"kind": "savoir_faire", "libelle": "Savoir-faire", "total": 1, "competences": [
        {"code_ogr": "1", "libelle": "Gérer un stock de livres", "kind": "savoir_faire", "coeur": True},
    ]}],
})
print(json.dumps({"ok": True}))
"""


@pytest.fixture(scope="module")
def bilan_id(e2e_environment) -> str:
    run_script(e2e_environment.env, INSTALL_DEMO_REFERENTIEL, {})
    bilan = organisation_with_bilan(
        e2e_environment.env,
        {
            "siret": make_siret("73318246", "0025"),
            "password": PASSWORD,
            "organisation": "Rance Bilans",
            "admin": ADMIN,
            "consultant": CONSULTANT,
            "beneficiary": BENEFICIARY,
            "questionnaire": QUESTIONNAIRE,
        },
    )
    run_script(
        e2e_environment.env,
        SET_UP,
        {
            "password": PASSWORD,
            "bilan_id": bilan,
            "beneficiary": BENEFICIARY["email"],
            "consultant": CONSULTANT["email"],
        },
    )
    return bilan


def _login(page, ui, person: dict, home: str) -> None:
    login_person(page, ui, person, PASSWORD)
    page.wait_for_url(f"**{home}")


def test_the_consultant_writes_and_validates_the_synthese_and_the_beneficiary_comments_it(
    new_page, ui, axe_check, screenshot, bilan_id
):
    consultant = new_page()
    _login(consultant, ui, CONSULTANT, "/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}")
    consultant.get_by_role("link", name="Synthèse", exact=True).click()
    consultant.wait_for_url(f"**/bilans/{bilan_id}/synthese")
    consultant.get_by_role("heading", name="Document de synthèse", level=1).wait_for()
    expect(consultant.get_by_text("Aucune version de la synthèse n'est encore rédigée.").first).to_be_visible()
    expect(consultant.get_by_text(re.compile("^Moteur local : aucune donnée ne quitte la plateforme"))).to_be_visible()
    axe_check(consultant, "synthese editor, empty")

    # 1. The local engine's draft, with its progress in a live region.
    consultant.get_by_role("button", name="Générer le brouillon").click()
    expect(consultant.get_by_text("Brouillon prêt : version 1.")).to_be_visible(timeout=60_000)
    expect(
        consultant.get_by_role("heading", name=re.compile("^Version en cours : Version 1 · Brouillon"))
    ).to_be_visible()
    expect(consultant.get_by_text(re.compile("^Moteur local · créée par Erwan Tanguy"))).to_be_visible()
    circonstances = consultant.get_by_label("Circonstances du bilan (Markdown)")
    expect(circonstances).to_have_value(re.compile("Vous avez demandé ce bilan de compétences le"))
    expect(circonstances).to_have_value(
        re.compile(r"\*\*Les objectifs convenus en phase préliminaire\*\* : Construire")
    )
    projet = consultant.get_by_role("region", name="Aperçu : Projet(s) professionnel(s) et alternatives")
    expect(projet.get_by_role("heading", name="1. Libraire (D1209)")).to_be_visible()
    expect(projet.get_by_text("Gérer un stock de livres")).to_be_visible()
    competences = consultant.get_by_role("region", name="Aperçu : Compétences et aptitudes")
    expect(competences.locator("strong", has_text="À valoriser")).to_be_visible()
    steps = consultant.get_by_label("Étapes (plan d'action) (Markdown)")
    expect(steps).to_have_value("*À compléter : le plan d'action n'est pas encore rédigé.*")
    axe_check(consultant, "synthese editor with the generated draft")

    reader = new_page()
    _login(reader, ui, BENEFICIARY, "/mon-espace")
    reader.get_by_role("link", name="Ma synthèse").click()
    reader.wait_for_url("**/mon-espace/synthese")
    expect(reader.get_by_text("Votre consultant rédige votre synthèse.", exact=False)).to_be_visible()
    expect(reader.get_by_text("Vous avez demandé")).to_have_count(0)  # a draft is not hers to read yet
    axe_check(reader, "beneficiary synthese while it is written")

    # 2. The steps, written in Markdown: the preview follows; saving makes the consultant's own version.
    steps.fill(STEPS)
    preview = consultant.get_by_role("region", name="Aperçu : Étapes (plan d'action)")
    expect(preview.locator("li strong", has_text="Formation")).to_be_visible()
    expect(consultant.locator("#synthese-etapes-status")).to_have_text("Modifications non enregistrées.")
    ui.submit_and_wait(
        consultant, consultant.get_by_role("button", name="Enregistrer la section : Étapes (plan d'action)")
    )
    expect(consultant.locator("#synthese-etapes-status")).to_have_text(
        re.compile(r"^Enregistré à \d\d:\d\d : vos modifications forment la version 2\.$")
    )
    expect(
        consultant.get_by_role("heading", name=re.compile("^Version en cours : Version 2 · Brouillon"))
    ).to_be_visible()
    expect(steps).to_have_value(STEPS)

    # The diff with the generated version: the changed section only, each line marked in words.
    expect(consultant.get_by_label("Version de départ")).to_have_value("1")
    expect(consultant.get_by_label("Version d'arrivée")).to_have_value("2")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Comparer"))
    expect(consultant.get_by_text("Version 1 → version 2 : 1 section(s) modifiée(s).")).to_be_visible()
    diff = consultant.locator("section[aria-labelledby=diff-etapes]")
    expect(diff.get_by_role("heading", name="Étapes (plan d'action)")).to_be_visible()
    removed = diff.locator(".diff-removed")
    expect(removed).to_have_count(1)
    expect(removed).to_contain_text("Supprimé")
    expect(removed).to_contain_text("À compléter : le plan d'action n'est pas encore rédigé.")
    added = diff.locator(".diff-added")
    expect(added).to_have_count(2)
    expect(added.first).to_contain_text("Ajouté")
    expect(added.first).to_contain_text("Enquête métier auprès de deux libraires indépendants")
    expect(
        consultant.get_by_text(re.compile("^Sections inchangées : Circonstances du bilan, Parcours"))
    ).to_be_visible()
    axe_check(consultant, "synthese diff between two versions")
    screenshot(consultant, "synthese-editor-diff")

    # 3. Validation, after a confirmation: the version is locked.
    consultant.get_by_role("button", name="Valider cette version").click()
    confirm = consultant.get_by_role("alertdialog", name="Valider")
    expect(confirm).to_contain_text("Valider la version 2 ?")
    axe_check(consultant, "synthese validation confirmation")
    ui.submit_and_wait(consultant, confirm.get_by_role("button", name="Oui, valider"))
    expect(consultant.get_by_text("La version 2 est validée et verrouillée.")).to_be_visible()
    expect(
        consultant.get_by_role("heading", name=re.compile("^Version en cours : Version 2 · Validée"))
    ).to_be_visible()
    expect(steps).to_have_attribute("readonly", "")
    expect(consultant.get_by_role("button", name="Nouvelle version")).to_be_visible()
    expect(consultant.get_by_role("button", name=re.compile("^Enregistrer la section"))).to_have_count(0)
    axe_check(consultant, "synthese validated")

    # 4. The beneficiary reads it and writes her observations.
    ui.goto(reader, "/mon-espace/synthese")
    reader.get_by_role("heading", name="Ma synthèse", level=1).wait_for()
    expect(
        reader.get_by_text(
            re.compile(r"^Version 2, validée le .+ par Erwan Tanguy\. Votre consultant vous la remettra")
        )
    ).to_be_visible()
    steps_section = reader.locator("section[aria-labelledby=my-synthese-etapes]")
    expect(steps_section.get_by_role("heading", name="Étapes (plan d'action)", level=2)).to_be_visible()
    expect(steps_section.locator("strong", has_text="Formation")).to_be_visible()
    expect(reader.get_by_role("heading", name="Circonstances du bilan", level=2)).to_be_visible()
    axe_check(reader, "beneficiary validated synthese")
    observations = reader.get_by_role("textbox", name="Mes observations", exact=True)
    observations.fill(OBSERVATIONS)
    ui.submit_and_wait(reader, reader.get_by_role("button", name="Enregistrer mes observations"))
    expect(reader.get_by_text(re.compile(r"^Vos observations sont enregistrées \(\d\d:\d\d\)\.$"))).to_be_visible()
    ui.goto(reader, "/mon-espace/synthese")
    expect(reader.get_by_role("textbox", name="Mes observations", exact=True)).to_have_value(OBSERVATIONS)
    expect(reader.get_by_text(re.compile("^Observations écrites le "))).to_be_visible()
    reader.set_viewport_size({"width": 390, "height": 844})
    overflow = reader.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the synthèse overflows by {overflow}px at 390 px"
    axe_check(reader, "beneficiary synthese 390px")
    screenshot(reader, "synthese-beneficiary-390")

    ui.goto(consultant, f"/bilans/{bilan_id}/synthese")
    observed = consultant.get_by_role("region", name="Aperçu : Observations de la personne")
    expect(observed).to_contain_text("J'ajoute que je peux déménager en Bretagne.")
    expect(consultant.get_by_label("Observations de la personne (Markdown)")).to_have_count(0)

    # 5. The org admin sees that it exists, its versions and dates: never its text.
    admin = new_page()
    _login(admin, ui, ADMIN, "/admin/utilisateurs")
    ui.goto(admin, f"/bilans/{bilan_id}/synthese")
    admin.get_by_role("heading", name="Document de synthèse", level=1).wait_for()
    expect(admin.get_by_text(re.compile("vous voyez que la synthèse existe"))).to_be_visible()
    versions = admin.get_by_role("table")
    expect(versions.get_by_role("row")).to_have_count(3)  # the header and two versions
    expect(versions.get_by_text("Validée (verrouillée)")).to_be_visible()
    for private in ("Enquête métier", "déménager", "Vous avez demandé", "Libraire (D1209)"):
        expect(admin.get_by_text(private, exact=False)).to_have_count(0)
    expect(admin.locator("textarea")).to_have_count(0)
    axe_check(admin, "synthese as seen by the org admin")


# Issue 6 §4: the bilan reaches its conclusion phase (its guards are the lifecycle's business, tested there).
TO_CONCLUSION = r"""
import json, sys, uuid
from services.db import session_scope
from services.models import Bilan, BilanStatus
from services.models.base import utcnow

spec = json.loads(sys.argv[1])
with session_scope() as session:
    bilan = session.get(Bilan, uuid.UUID(spec["bilan_id"]))
    bilan.status = BilanStatus.CONCLUSION
    bilan.investigation_started_at = bilan.investigation_started_at or utcnow()
    bilan.conclusion_started_at = utcnow()
    session.add(bilan)
print(json.dumps({"ok": True}))
"""


def _mailed_path(mailbox, to: str, prefix: str) -> str:
    with mailbox._lock:
        bodies = [mail.body for mail in mailbox.messages if to.lower() in mail.recipients]
    match = re.search(re.escape(prefix) + r"[A-Za-z0-9_\-]+", "\n".join(bodies))
    assert match, f"no {prefix} link mailed to {to}"
    return match.group(0)


def _subjects(mailbox, to: str, timeout: float = 30) -> list[str]:
    """The subjects mailed to ``to``, once the newest handover mail arrived (the outbox sends after commit)."""
    deadline = time.monotonic() + timeout
    while True:
        with mailbox._lock:
            subjects = [mail.subject for mail in mailbox.messages if to.lower() in mail.recipients]
        if any(subject.startswith("Une nouvelle version") for subject in subjects) or time.monotonic() > deadline:
            return subjects
        time.sleep(0.2)


def test_the_synthese_goes_to_her_alone_then_to_whom_she_agrees_and_the_bilan_closes(
    new_page, ui, axe_check, e2e_environment, mailbox, bilan_id, tmp_path
):
    run_script(e2e_environment.env, TO_CONCLUSION, {"bilan_id": bilan_id})
    consultant = new_page()
    _login(consultant, ui, CONSULTANT, "/consultant")
    ui.goto(consultant, f"/bilans/{bilan_id}/synthese")
    panel = consultant.locator("section[aria-labelledby=handover-follower-title]")
    expect(panel.get_by_text("La synthèse n'a pas encore été remise.")).to_be_visible()
    expect(panel.get_by_role("heading", name="Remise à Léa")).to_be_visible()
    panel.get_by_role("button", name="Générer le PDF et remettre la version 2").click()
    done = re.compile(r"^Synthèse remise : synthese-v2\.pdf \(\d+ Ko, version 2\)\.$")
    expect(panel.get_by_text(done)).to_be_visible(timeout=60_000)
    expect(panel.get_by_text(re.compile("^Synthèse remise le "))).to_be_visible()
    expect(panel.get_by_role("button", name=re.compile("^Générer le PDF"))).to_have_count(0)  # nothing newer
    expect(panel.get_by_role("link", name="Télécharger mon exemplaire (PDF)")).to_be_visible()
    axe_check(consultant, "synthese handed over (consultant)")

    # Her copy, from her space: the PDF opens.
    reader = new_page()
    _login(reader, ui, BENEFICIARY, "/mon-espace")
    ui.goto(reader, "/mon-espace/synthese")
    mine = reader.locator("section[aria-labelledby=handover-title]")
    link = mine.get_by_role("link", name="Télécharger ma synthèse (PDF)")
    expect(link).to_be_visible()
    expect(
        mine.get_by_text(re.compile("^Vous avez la version 2 de votre document de synthèse, remise le "))
    ).to_be_visible()
    axe_check(reader, "beneficiary synthese handed over")
    link.hover()  # renews the link just before the click
    with reader.expect_download() as download:
        link.click()
    saved = tmp_path / "synthese.pdf"
    download.value.save_as(saved)
    info = subprocess.run(["pdfinfo", str(saved)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) >= 2
    assert re.search(r"^Tagged:\s+yes", info, re.M)

    # A CEP operator, with her written agreement only; she withdraws it.
    mine.get_by_label("Destinataire", exact=True).select_option("cep")
    mine.get_by_label("Nom du destinataire ou de l'organisme").fill("Conseil Avenir Bretagne")
    mine.get_by_label("Adresse e-mail du destinataire").fill("cep@avenir-bretagne.example.com")
    ui.submit_and_wait(reader, mine.get_by_role("button", name="Envoyer le lien au destinataire"))
    expect(mine.get_by_text("Cochez la case pour donner votre accord écrit à cette transmission.")).to_be_visible()
    expect(mine.get_by_label("Nom du destinataire ou de l'organisme")).to_have_value("Conseil Avenir Bretagne")
    axe_check(reader, "third-party agreement refused without consent")
    mine.get_by_role("checkbox", name=re.compile("^J'autorise par écrit la transmission")).check()
    ui.submit_and_wait(reader, mine.get_by_role("button", name="Envoyer le lien au destinataire"))
    expect(reader.get_by_text(re.compile("^Accord enregistré : un lien de téléchargement"))).to_be_visible()
    agreement = mine.get_by_role("listitem").filter(has_text="Conseil Avenir Bretagne")
    expect(agreement.get_by_text(re.compile("^Lien actif jusqu'au"))).to_be_visible()
    expect(agreement).to_contain_text("version 2")  # the version the agreement sends
    ui.submit_and_wait(reader, agreement.get_by_role("button", name=re.compile("^Retirer mon accord")))
    expect(agreement.get_by_text(re.compile("^Accord retiré le"))).to_be_visible()
    # The recipient's link now says she withdrew her agreement (the recipient has no space to open).
    share_path = _mailed_path(mailbox, "cep@avenir-bretagne.example.com", "/api/partages/")
    withdrawn = reader.request.get(e2e_environment.base_url + share_path)
    assert withdrawn.status == 404 and "a retiré son accord" in withdrawn.text() and "espace" not in withdrawn.text()

    # Keeping the documents for a year needs her written agreement.
    mine.get_by_label("Conserver les documents au plus un an après la fin du bilan").check()
    ui.submit_and_wait(reader, mine.get_by_role("button", name="Enregistrer mon choix"))
    expect(mine.get_by_text(re.compile("^Pour conserver vos documents, cochez la case"))).to_be_visible()
    mine.get_by_role("checkbox", name=re.compile("^Si je choisis la conservation")).check()
    ui.submit_and_wait(reader, mine.get_by_role("button", name="Enregistrer mon choix"))
    expect(mine.get_by_text(re.compile("^Votre choix : Conserver les documents"))).to_be_visible()
    axe_check(reader, "beneficiary agreements and retention")

    # The consultant sees the evidence, said about her (not to her).
    ui.goto(consultant, f"/bilans/{bilan_id}/synthese")
    expect(panel.get_by_text(re.compile("Conseil Avenir Bretagne"))).to_be_visible()
    expect(panel.get_by_text(re.compile("^Léa a choisi : Conserver les documents"))).to_be_visible()
    expect(panel.get_by_text("Votre choix", exact=False)).to_have_count(0)

    # Issue 11 §2: a new version, edited and validated, reaches her once handed over; the first stays.
    consultant.get_by_role("button", name="Nouvelle version").click()
    expect(consultant.get_by_text("La version 3 est créée en brouillon.")).to_be_visible()
    steps = consultant.get_by_label("Étapes (plan d'action) (Markdown)")
    steps.fill(STEPS + "\n- " + NEW_STEP)
    ui.submit_and_wait(
        consultant, consultant.get_by_role("button", name="Enregistrer la section : Étapes (plan d'action)")
    )
    expect(consultant.locator("#synthese-etapes-status")).to_have_text(re.compile(r"^Enregistré à \d\d:\d\d"))
    consultant.get_by_role("button", name="Valider cette version").click()
    confirm = consultant.get_by_role("alertdialog", name="Valider")
    ui.submit_and_wait(consultant, confirm.get_by_role("button", name="Oui, valider"))
    expect(consultant.get_by_text("La version 3 est validée et verrouillée.")).to_be_visible()
    ui.goto(consultant, f"/bilans/{bilan_id}/synthese")
    expect(
        panel.get_by_text(re.compile("^La version 3 est validée mais pas encore remise : Léa a toujours"))
    ).to_be_visible()
    hand_over_3 = panel.get_by_role("button", name="Générer le PDF et remettre la version 3")
    expect(hand_over_3).to_be_visible()
    axe_check(consultant, "a newer validated version waits to be handed over")

    # Until then, she has version 2 and reads nothing newer.
    ui.goto(reader, "/mon-espace/synthese")
    expect(reader.get_by_text(re.compile(r"^Version 2, qui vous a été remise le "))).to_be_visible()
    expect(reader.get_by_text("Votre consultant prépare une nouvelle version de la synthèse.")).to_be_visible()
    expect(reader.get_by_text(NEW_STEP)).to_have_count(0)

    hand_over_3.click()
    done = re.compile(r"^Synthèse remise : synthese-v3\.pdf \(\d+ Ko, version 3\)\.$")
    expect(panel.get_by_text(done)).to_be_visible(timeout=60_000)
    history = panel.locator("#handover-follower-history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Version 3 (synthese-v3.pdf) remise le ")
    expect(history.nth(1)).to_contain_text("Version 2 (synthese-v2.pdf) remise le ")
    axe_check(consultant, "version 3 handed over (consultant)")
    assert "Une nouvelle version de votre document de synthèse est disponible" in _subjects(
        mailbox, BENEFICIARY["email"]
    )

    # She sees and downloads version 3 (the edit is in it), and the history of what she received.
    ui.goto(reader, "/mon-espace/synthese")
    expect(reader.get_by_text(re.compile(r"^Version 3, qui vous a été remise le "))).to_be_visible()
    expect(reader.get_by_text(NEW_STEP).first).to_be_visible()
    expect(mine.get_by_text(re.compile("^Vous avez la version 3 de votre document de synthèse"))).to_be_visible()
    her_history = mine.locator("#handover-history li")
    expect(her_history).to_have_count(2)
    expect(her_history.first).to_contain_text("Version 3 : remise le ")
    expect(her_history.nth(1)).to_contain_text("Version 2 : remise le ")
    expect(agreement).to_contain_text("version 2")  # the withdrawn agreement sent version 2
    axe_check(reader, "beneficiary with version 3 and the history")
    link.hover()
    with reader.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "synthese-v3.pdf"
    newer = tmp_path / "synthese-v3.pdf"
    download.value.save_as(newer)
    text = subprocess.run(["pdftotext", str(newer), "-"], capture_output=True, text=True, check=True).stdout
    assert NEW_STEP in " ".join(text.replace("\u2010\n", "").split())

    # Then the bilan closes: the handover released the guard.
    ui.goto(consultant, f"/bilans/{bilan_id}")
    ui.submit_and_wait(consultant, consultant.get_by_role("button", name="Passer en : Terminé"))
    expect(consultant.get_by_text("Terminé").first).to_be_visible()
