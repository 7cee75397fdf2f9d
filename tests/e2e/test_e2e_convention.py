"""The convention in the browser: the beneficiary reads and signs it, the employer signs by link, anyone verifies.

The test sets up an organisation of its own through the real services, in a subprocess with the server's
environment: a consultant, two beneficiaries with a bilan each (one CPF, hence a bipartite convention;
one funded by the employer, hence a tripartite one), the conventions issued, and the signatures that are
not the browser's business (the organisation's; the tripartite beneficiary's) done with the mailed codes.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.support import make_siret, run_script

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = "Cabinet Signature Provence"
PASSWORD = "Garrigue-Lavande-Mistral-84"
ADMIN = {"first_name": "Claire", "last_name": "Fabre", "email": "direction@signature-provence.fr"}
CONSULTANT = {"first_name": "Julien", "last_name": "Roux", "email": "julien.roux@signature-provence.fr"}
BENEFICIARY = {"first_name": "Léa", "last_name": "Bonnet", "email": "lea.bonnet@exemple-perso.fr"}
EMPLOYEE = {"first_name": "Mathis", "last_name": "Giraud", "email": "mathis.giraud@exemple-perso.fr"}
EMPLOYER = {
    "employer_name": "Savonnerie du Vieux Port",
    "employer_signatory_name": "Hélène Castel",
    "employer_email": "rh@savonnerie-vieux-port.fr",
}
SIZES = [(1280, 800), (390, 844)]


SETUP_SCRIPT = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, bilans, conventions, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage, Organisation

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.5", user_agent="e2e convention fixture")


def last_mail(to, pattern):
    with session_scope() as session:
        messages = session.exec(
            select(MailMessage).where(MailMessage.to_address == to).order_by(col(MailMessage.created_at).desc())
        ).all()
        for message in messages:
            match = re.search(pattern, decrypt_text(message.body_encrypted), re.M)
            if match:
                return match.group(1)
    raise AssertionError(f"no mail to {to} matching {pattern}")


def join(inviter, person, role):
    members.invite(inviter, {"email": person["email"], "role": role})
    token = last_mail(person["email"], r"/invitation/([A-Za-z0-9_-]+)")
    success = members.accept_invitation(
        token, {"first_name": person["first_name"], "last_name": person["last_name"], "password": spec["password"]},
        client,
    )
    return auth.resolve_session(success.token).actor


def sign(actor, person, convention_id, party):
    intent = {"typed_name": f"{person['first_name']} {person['last_name']}", "consent": True}
    conventions.send_signature_code(actor, convention_id, party, client, intent=intent)
    raw = {**intent, "code": last_mail(person["email"], r"^(\d{6})$")}
    conventions.sign(actor, convention_id, party, raw, client)


admin = spec["admin"]
success = members.signup_organisation(
    {"organisation_name": spec["organisation"], "siret": spec["siret"], "nda_number": "93131234513",
     "first_name": admin["first_name"], "last_name": admin["last_name"], "email": admin["email"],
     "password": spec["password"]},
    client,
)
admin_actor = auth.resolve_session(success.token).actor
with session_scope() as session:
    organisation = session.get(Organisation, admin_actor.organisation_id)
    organisation.address = "8 cours Mirabeau, 13100 Aix-en-Provence"
    organisation.price_euros = 1600
    organisation.default_hours = 20
    session.add(organisation)
consultant = join(admin_actor, spec["consultant"], "consultant")
result = {}
for key, funding in (("beneficiary", "cpf"), ("employee", "employer")):
    person = spec[key]
    beneficiary = join(consultant, person, "beneficiary")
    bilan_id = bilans.request_bilan(
        beneficiary, {"mode": "hybride", "funding_type": funding, "requested_consultant_id": str(consultant.user_id)}
    )
    bilans.accept_request(consultant, bilan_id)
    if funding == "employer":
        bilans.update_funding(consultant, bilan_id, {"funding_type": "employer", "price_euros": 1600,
                                                     "hours_planned_total": 20, **spec["employer"]})
    bilans.set_objectives(consultant, bilan_id, "Construire un projet de reconversion réaliste et daté.")
    view = conventions.issue_convention(consultant, bilan_id, client)
    sign(consultant, spec["consultant"], view.id, "organisation")
    result[key] = {"convention_id": str(view.id), "sha256": view.document_sha256}
    if funding == "employer":
        sign(beneficiary, person, view.id, "beneficiary")
        result[key]["token"] = last_mail(spec["employer"]["employer_email"], r"/signature/([A-Za-z0-9_-]+)")
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def provence(e2e_environment) -> dict:
    """The organisation, its people and the two conventions (the organisation has signed both)."""
    spec = {
        "organisation": ORGANISATION,
        "siret": make_siret("81205637", "0021"),
        "password": PASSWORD,
        "admin": ADMIN,
        "consultant": CONSULTANT,
        "beneficiary": BENEFICIARY,
        "employee": EMPLOYEE,
        "employer": EMPLOYER,
    }
    return json.loads(run_script(e2e_environment.env, SETUP_SCRIPT, spec))


# ---------------------------------------------------------------- helpers


def _settle(page) -> None:
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")


def _no_horizontal_overflow(page, width: int, label: str) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{label} overflows horizontally at {width}px: {scroll_width}px"


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def _download(page, link, target: Path) -> bytes:
    """Activate a download link from the keyboard; the file must be a PDF that pdfinfo reads."""
    with page.expect_download() as info:
        link.focus()
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert _pdf_pages(target) >= 1
    return content


def _new_code(mailbox, to: str, seen: int, timeout: float = 30) -> str:
    """The 6-digit code of the first mail to ``to`` received after the ``seen`` first messages."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with mailbox._lock:
            fresh = [m for m in mailbox.messages[seen:] if to.lower() in m.recipients]
        for mail in fresh:
            match = re.search(r"^\s*(\d{6})\s*$", mail.body, re.M)
            if match:
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no signing code reached {to} within {timeout} s")


def _press(page, ui, button) -> None:
    """Keyboard only: focus the button, press Enter, wait for the backend's answer."""
    before = ui.ws_events(page)
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)


def _request_code(page, ui, mailbox, email: str) -> str:
    seen = len(mailbox.messages)
    _press(page, ui, page.get_by_role("button", name="Recevoir le code par e-mail"))
    notice = page.locator("#code-notice")
    page.wait_for_function(
        "() => document.getElementById('code-notice')?.textContent.includes('Un code à 6 chiffres a été envoyé')"
    )
    assert notice.get_attribute("role") == "status"
    assert re.search(r"valable jusqu'à \d\d:\d\d", notice.inner_text())
    # The focus moves to the code field.
    page.wait_for_function("() => document.activeElement?.id === 'field-code'")
    return _new_code(mailbox, email, seen)


def _verify(page, path: Path) -> None:
    """Choose a file with the keyboard (Enter on the button opens the file chooser).

    The upload goes over HTTP (not the websocket) and its answer updates the page: the caller waits for
    the verdict it expects in the live region.
    """
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choisir un fichier PDF").focus()
        page.keyboard.press("Enter")
    chooser.value.set_files(str(path))


# ---------------------------------------------------------------- the beneficiary signs, then anyone verifies


def test_beneficiary_reads_signs_downloads_and_verifies(
    new_page, ui, axe_check, screenshot, mailbox, provence, server, tmp_path
):
    convention = provence["beneficiary"]
    name = f"{BENEFICIARY['first_name']} {BENEFICIARY['last_name']}"

    # 1. Log in; "Ma convention" shows the status, each party, the document.
    page = new_page(*SIZES[0])
    ui.goto(page, "/connexion")
    page.locator("#field-email").fill(BENEFICIARY["email"])
    page.locator("#field-password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/mon-espace")
    ui.goto(page, "/mon-espace/convention")
    page.get_by_role("heading", name="Ma convention de bilan", level=1).wait_for()
    status = page.get_by_role("region", name="État de la convention")
    status.wait_for()
    text = status.inner_text()
    for expected in ("Convention bipartite", "En attente de signatures", "Version", "Établie le", name):
        assert expected in text, expected
    assert "À signer au plus tard le" not in text  # bipartite: no ten-day window
    parties = status.get_by_role("listitem")
    assert parties.count() == 2
    organisation_row = parties.filter(has_text="Organisme prestataire").inner_text()
    assert f"{CONSULTANT['first_name']} {CONSULTANT['last_name']}" in organisation_row
    assert ORGANISATION in organisation_row and "Signée le" in organisation_row
    assert "En attente de signature" in parties.filter(has_text="Bénéficiaire").inner_text()
    document = page.get_by_role("region", name="Le document")
    assert convention["sha256"] in document.inner_text()
    assert document.get_by_role("link", name="Télécharger la convention signée (PDF)").count() == 0
    axe_check(page, "beneficiary convention to sign")

    # 2. Read the exact PDF (downloaded with the session cookie); nobody else gets it.
    read = document.get_by_role("link", name="Lire la convention (PDF)")
    original = _download(page, read, tmp_path / "a-signer.pdf")
    assert hashlib.sha256(original).hexdigest() == convention["sha256"]
    href = read.get_attribute("href")
    assert href.startswith(server.base_url + f"/api/conventions/{convention['convention_id']}/pdf")
    stranger = new_page()
    response = stranger.request.get(href)
    assert response.status == 404 and b"%PDF" not in response.body()
    assert response.headers["cache-control"] == "no-store"

    # 3. Keyboard only. A wrong name and no code: the errors sit next to their fields, nothing typed is lost.
    form = page.get_by_role("region", name="Signer la convention")
    typed = page.locator("#field-typed_name")
    typed.focus()
    page.keyboard.type("Jeanne Dupont")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement?.id") == "field-consent"
    page.keyboard.press("Space")
    assert page.locator("#field-consent").is_checked()
    _press(page, ui, form.get_by_role("button", name="Signer", exact=True))
    page.locator("#field-code-error").wait_for()
    assert page.locator("#field-code-error").inner_text() == "Ce champ est obligatoire."
    assert page.locator("#field-typed_name-error").inner_text() == (
        "Le nom saisi ne correspond pas au signataire prévu par la convention."
    )
    assert page.locator("#field-typed_name").get_attribute("aria-invalid") == "true"
    assert "field-typed_name-error" in typed.get_attribute("aria-describedby")
    assert typed.input_value() == "Jeanne Dupont"
    assert page.locator("#field-consent").is_checked()
    axe_check(page, "beneficiary convention with errors")

    # 4. No code is sent while the typed name is not hers; then it comes by e-mail (the SMTP sink); a wrong
    # one is refused, the right one signs.
    seen = len(mailbox.messages)
    _press(page, ui, page.get_by_role("button", name="Recevoir le code par e-mail"))
    page.wait_for_function(
        "() => document.getElementById('field-typed_name-error')?.textContent.includes('ne correspond pas')"
    )
    assert page.locator("#code-notice").inner_text() == ""
    assert not [m for m in mailbox.messages[seen:] if BENEFICIARY["email"] in m.recipients]
    typed.fill(name)
    code = _request_code(page, ui, mailbox, BENEFICIARY["email"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.keyboard.type(wrong)
    _press(page, ui, form.get_by_role("button", name="Signer", exact=True))
    page.wait_for_function("() => document.getElementById('field-code-error')?.textContent === 'Code incorrect.'")
    assert page.locator("#field-typed_name-error").count() == 0
    assert typed.input_value() == name and page.locator("#field-code").input_value() == wrong
    page.locator("#field-code").fill(code)
    _press(page, ui, page.get_by_role("button", name="Signer", exact=True))
    page.get_by_text("La convention est signée par toutes les parties").first.wait_for()
    status.get_by_text("Signée par toutes les parties").first.wait_for()
    assert page.get_by_role("region", name="Signer la convention").count() == 0
    assert "Vous avez signé la convention le" in page.locator("main").inner_text()
    assert status.get_by_text("En attente de signature").count() == 0

    # 5. The final PDF: the original, byte for byte, followed by the certificate page.
    final_link = document.get_by_role("link", name="Télécharger la convention signée (PDF)")
    final_link.wait_for()
    final = _download(page, final_link, tmp_path / "signee.pdf")
    assert final.startswith(original) and len(final) > len(original)
    assert _pdf_pages(tmp_path / "signee.pdf") == _pdf_pages(tmp_path / "a-signer.pdf") + 1
    assert hashlib.sha256(final).hexdigest() in document.inner_text()
    axe_check(page, "beneficiary convention signed")
    page.set_viewport_size({"width": SIZES[1][0], "height": SIZES[1][1]})
    _settle(page)
    screenshot(page, "convention-beneficiary-390")
    _no_horizontal_overflow(page, SIZES[1][0], "beneficiary convention")
    axe_check(page, "beneficiary convention 390px")
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})

    # 6. The public verification page accepts the final PDF and refuses a copy with one byte changed.
    visitor = new_page(*SIZES[0])
    ui.goto(visitor, "/verifier-une-convention")
    visitor.get_by_role("heading", name="Vérifier une convention signée", level=1).wait_for()
    result = visitor.locator("#verify-result")
    assert result.get_attribute("role") == "status" and result.get_attribute("aria-live") == "polite"
    axe_check(visitor, "verification page")

    _verify(visitor, tmp_path / "signee.pdf")
    result.get_by_text("Document authentique").wait_for()
    verdict = result.inner_text()
    for expected in (
        ORGANISATION,
        "Convention bipartite",
        "signee.pdf",
        f"Bénéficiaire : {name}, le ",
        f"Organisme prestataire : {CONSULTANT['first_name']} {CONSULTANT['last_name']}, le ",
        hashlib.sha256(final).hexdigest(),
    ):
        assert expected in verdict, expected
    axe_check(visitor, "verification: valid")

    modified = bytearray(final)
    modified[len(modified) // 2] ^= 0x01
    (tmp_path / "modifiee.pdf").write_bytes(bytes(modified))
    _verify(visitor, tmp_path / "modifiee.pdf")
    result.get_by_text("Document inconnu ou modifié").wait_for()
    assert ORGANISATION not in result.inner_text() and name not in result.inner_text()
    axe_check(visitor, "verification: modified")

    _verify(visitor, tmp_path / "a-signer.pdf")
    result.get_by_text("pas la version finale signée").wait_for()

    (tmp_path / "note.txt").write_text("pas un PDF")
    with visitor.expect_file_chooser() as chooser:
        visitor.get_by_role("button", name="Choisir un fichier PDF").click()
    chooser.value.set_files(str(tmp_path / "note.txt"))
    result.get_by_text("Choisissez un seul fichier PDF de 15 Mo au plus.").wait_for()
    assert "Document" not in result.inner_text()

    visitor.set_viewport_size({"width": SIZES[1][0], "height": SIZES[1][1]})
    _verify(visitor, tmp_path / "signee.pdf")
    result.get_by_text("Document authentique").wait_for()
    _settle(visitor)
    screenshot(visitor, "convention-verify-390")
    _no_horizontal_overflow(visitor, SIZES[1][0], "verification page")
    axe_check(visitor, "verification page 390px")


# ---------------------------------------------------------------- the employer signs by link, without an account


def test_employer_signs_by_link(new_page, ui, axe_check, screenshot, mailbox, provence, tmp_path):
    convention = provence["employee"]
    token = convention["token"]

    # A wrong link says so, and shows nothing else.
    page = new_page(*SIZES[0])
    ui.goto(page, "/signature/lien-qui-n-existe-pas")
    page.get_by_role("heading", name="Lien de signature non valide", level=1).wait_for()
    assert page.locator("main a[href*='/api/']").count() == 0
    axe_check(page, "employer link invalid")

    ui.goto(page, f"/signature/{token}")
    page.get_by_role("heading", name="Signature de la convention de bilan de compétences", level=1).wait_for()
    status = page.get_by_role("region", name="État de la convention")
    text = status.inner_text()
    for expected in (
        ORGANISATION,
        EMPLOYER["employer_name"],
        EMPLOYER["employer_signatory_name"],
        f"{EMPLOYEE['first_name']} {EMPLOYEE['last_name']}",
        "Convention tripartite",
        "En attente de signatures",
        "À signer au plus tard le",
    ):
        assert expected in text, expected
    axe_check(page, "employer signing page")

    document = page.get_by_role("region", name="Le document")
    original = _download(page, document.get_by_role("link", name="Lire la convention (PDF)"), tmp_path / "e.pdf")
    assert hashlib.sha256(original).hexdigest() == convention["sha256"]

    page.locator("#field-typed_name").fill(EMPLOYER["employer_signatory_name"])
    page.locator("#field-consent").check()
    code = _request_code(page, ui, mailbox, EMPLOYER["employer_email"])
    page.keyboard.type(code)
    _press(page, ui, page.get_by_role("button", name="Signer", exact=True))
    page.get_by_text("La convention est signée par toutes les parties").first.wait_for()
    assert "Vous avez signé la convention au nom de l'employeur le" in page.locator("main").inner_text()
    assert page.get_by_role("region", name="Signer la convention").count() == 0
    final = _download(
        page,
        document.get_by_role("link", name="Télécharger la convention signée (PDF)"),
        tmp_path / "e-signee.pdf",
    )
    assert final.startswith(original) and len(final) > len(original)
    axe_check(page, "employer page signed")
    page.set_viewport_size({"width": SIZES[1][0], "height": SIZES[1][1]})
    _settle(page)
    screenshot(page, "convention-employer-390")
    _no_horizontal_overflow(page, SIZES[1][0], "employer signing page")
    axe_check(page, "employer page 390px")
