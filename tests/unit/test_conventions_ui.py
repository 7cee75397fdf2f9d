"""The convention's UI layer without a browser: the PDF download routes (tenancy included) and the view builders."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bilan_app.api import calendar as calendar_api
from bilan_app.api import documents
from services import auth, conventions, members, routes
from services.auth import ClientInfo
from services.conventions import (
    CodeSent,
    ConventionAction,
    VerificationResult,
    VerificationStatus,
    VerifiedSigner,
)
from services.crypto import encrypt_text
from services.db import session_scope
from services.display.conventions import (
    convention_row,
    employer_convention_row,
    party_rows,
    signer_rows,
    verification_row,
    when,
)
from services.i18n import EN, FR
from services.models import (
    AuditEvent,
    Bilan,
    BilanStatus,
    Convention,
    ConventionKind,
    DeliveryMode,
    FundingType,
    Organisation,
    SignatureParty,
)
from state.conventions import code_message, sign_input

CLIENT = ClientInfo(ip="192.0.2.44", user_agent="pytest")
EMPLOYER = {
    "employer_name": "Société Générale d'Études",
    "employer_signatory_name": "Élodie Marchand",
    "employer_email": "rh@etudes-generales.fr",
}
STAMP = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)  # 14:05 in Paris


@pytest.fixture(autouse=True)
def _storage(database, set_env, tmp_path):
    if database is not None:
        set_env(STORAGE_DIR=str(tmp_path / "files"))


def make_bilan(world, org: str = "a", *, funding: FundingType = FundingType.CPF, **fields) -> uuid.UUID:
    with session_scope() as session:
        organisation = session.get(Organisation, world.person(f"admin_{org}").organisation_id)
        organisation.address = "12 rue des Écoles, 75005 Paris"
        session.add(organisation)
        bilan = Bilan(
            organisation_id=organisation.id,
            beneficiary_id=world.person(f"beneficiary_{org}").user_id,
            consultant_id=world.person(f"consultant_{org}").user_id,
            status=BilanStatus.PRELIMINAIRE,
            mode=DeliveryMode.HYBRIDE,
            funding_type=funding,
            price_euros=1850.0,
            hours_planned_total=24,
            objectives_encrypted=encrypt_text("Construire un projet de reconversion réaliste."),
            **fields,
        )
        session.add(bilan)
        session.flush()
        return bilan.id


def mailed_code(outbox, to: str) -> str:
    match = re.search(r"^(\d{6})$", outbox.last(to)[1], re.M)
    assert match
    return match.group(1)


def sign(world, outbox, convention_id, key: str, party: SignatureParty) -> None:
    actor = getattr(world, key)
    person = world.person(key)
    intent = {"typed_name": f"{person.first_name} {person.last_name}", "consent": True}
    conventions.send_signature_code(actor, convention_id, party, CLIENT, intent=intent)
    raw = {**intent, "code": mailed_code(outbox, person.email)}
    conventions.sign(actor, convention_id, party, raw, CLIENT)


def api() -> Starlette:
    return Starlette(routes=documents.routes)


def as_person(world, key: str) -> TestClient:
    return TestClient(api(), cookies={"bc_session": world.login(key)[0]})


def downloads() -> int:
    with session_scope() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == ConventionAction.DOWNLOADED)).all())


# ---------------------------------------------------------------- /api/conventions/{id}/pdf


def test_the_beneficiary_and_the_followers_download_the_pdf_to_sign(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    path = routes.convention_pdf(str(view.id), signed=False)
    before = downloads()
    for key in ("beneficiary_a", "consultant_a", "admin_a"):
        response = as_person(world, key).get(path)
        assert response.status_code == 200, key
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="convention-CBC-') and "-v1.pdf" in disposition
        assert response.content.startswith(b"%PDF-")
        assert hashlib.sha256(response.content).hexdigest() == view.document_sha256
    assert downloads() == before + 3  # reading a beneficiary's document is logged


def test_another_organisation_gets_the_same_404_as_a_missing_convention(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    path = routes.convention_pdf(str(view.id), signed=False)
    missing = as_person(world, "beneficiary_a").get(routes.convention_pdf(str(uuid.uuid4()), signed=False))
    assert missing.status_code == 404
    for key in ("beneficiary_b", "consultant_b", "admin_b", "platform"):
        response = as_person(world, key).get(path)
        assert response.status_code == 404, key
        assert response.text == missing.text == FR["signui.download_not_found"]
        assert response.headers["cache-control"] == "no-store"
        assert b"%PDF" not in response.content


def test_a_beneficiary_cannot_download_another_beneficiarys_convention(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    # A second beneficiary of the same organisation (the world's pending invitation, accepted).
    members.accept_invitation(
        world.invitation_token("pending_a"),
        {"first_name": "Léa", "last_name": "Autre", "password": world.person("beneficiary_a").password},
        CLIENT,
    )
    result = auth.login(
        {"email": "en-attente@alpha-conseil.fr", "password": world.person("beneficiary_a").password}, CLIENT
    )
    assert isinstance(result, auth.LoginSuccess)
    other = TestClient(api(), cookies={"bc_session": result.token})
    assert as_person(world, "beneficiary_a").get(routes.convention_pdf(str(view.id), signed=False)).status_code == 200
    for signed in (False, True):
        assert other.get(routes.convention_pdf(str(view.id), signed=signed)).status_code == 404


def test_no_cookie_or_a_bad_one_gets_404(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    path = routes.convention_pdf(str(view.id), signed=False)
    assert TestClient(api()).get(path).status_code == 404
    assert TestClient(api(), cookies={"bc_session": "not-a-session"}).get(path).status_code == 404
    client = as_person(world, "beneficiary_a")
    assert client.get("/api/conventions/not-a-uuid/pdf?signed=0").status_code == 404


def test_a_logged_out_session_no_longer_downloads(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    token, actor = world.login("beneficiary_a")
    client = TestClient(api(), cookies={"bc_session": token})
    path = routes.convention_pdf(str(view.id), signed=False)
    assert client.get(path).status_code == 200
    auth.logout(actor)
    assert client.get(path).status_code == 404


def test_the_signed_pdf_exists_only_once_every_party_signed(world, outbox):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    beneficiary = as_person(world, "beneficiary_a")
    signed_path = routes.convention_pdf(str(view.id), signed=True)
    assert beneficiary.get(signed_path).status_code == 404
    sign(world, outbox, view.id, "beneficiary_a", SignatureParty.BENEFICIARY)
    assert beneficiary.get(signed_path).status_code == 404
    sign(world, outbox, view.id, "consultant_a", SignatureParty.ORGANISATION)
    response = beneficiary.get(signed_path)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="convention-CBC-')
    assert "-signee.pdf" in response.headers["content-disposition"]
    original = beneficiary.get(routes.convention_pdf(str(view.id), signed=False)).content
    assert response.content.startswith(original) and len(response.content) > len(original)
    assert conventions.verify_pdf(response.content).status is VerificationStatus.VALID
    assert as_person(world, "beneficiary_b").get(signed_path).status_code == 404


def test_head_is_refused_without_logging_a_download(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    before = downloads()
    response = as_person(world, "beneficiary_a").head(routes.convention_pdf(str(view.id), signed=False))
    assert response.status_code == 405
    assert downloads() == before


def test_an_altered_stored_file_is_refused_with_a_message(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    with session_scope() as session:
        convention = session.get(Convention, view.id)
        convention.document_sha256 = "0" * 64
        session.add(convention)
    response = as_person(world, "beneficiary_a").get(routes.convention_pdf(str(view.id), signed=False))
    assert response.status_code == 409
    assert response.text == FR["error.convention_document_altered"]
    # Someone who may not see it still gets the plain 404.
    assert as_person(world, "consultant_b").get(routes.convention_pdf(str(view.id), signed=False)).status_code == 404


# ---------------------------------------------------------------- /api/signature/{token}/pdf


def employer_token(outbox) -> str:
    match = re.search(r"/signature/([A-Za-z0-9_\-]+)", outbox.last(EMPLOYER["employer_email"])[1])
    assert match
    return match.group(1)


def test_the_employer_downloads_by_its_link_token_only(world, outbox):
    bilan_id = make_bilan(world, funding=FundingType.EMPLOYER, **EMPLOYER)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CLIENT)
    assert view.kind is ConventionKind.TRIPARTITE
    token = employer_token(outbox)
    anonymous = TestClient(api())
    response = anonymous.get(routes.employer_pdf(token, signed=False))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert hashlib.sha256(response.content).hexdigest() == view.document_sha256
    # Not final yet; a wrong or truncated token is not found.
    assert anonymous.get(routes.employer_pdf(token, signed=True)).status_code == 404
    assert anonymous.get(routes.employer_pdf(token[:-2], signed=False)).status_code == 404
    assert anonymous.get(routes.employer_pdf("x" * 300, signed=False)).status_code == 404
    # A logged-in person of another organisation gains nothing from their cookie.
    assert (
        as_person(world, "admin_b")
        .get(routes.employer_pdf(token[:-1] + ("B" if token.endswith("A") else "A"), signed=False))
        .status_code
        == 404
    )


def test_routes_are_the_documented_paths():
    assert {route.path for route in documents.routes} == {
        "/api/conventions/{convention_id}/pdf",
        "/api/signature/{token}/pdf",
        "/api/syntheses/{token}",  # tested in test_handover.py
        "/api/partages/{token}",
        "/api/bilans/{bilan_id}/documents/{kind}",  # tested in test_handover.py
        "/api/messages/{message_id}/piece-jointe",  # tested in test_messaging.py
        "/api/fichiers/{file_id}",  # tested in test_bilan_files.py
    }
    assert {route.path for route in calendar_api.calendar_routes} == {
        "/api/seances/{session_id}/invitation.ics",  # tested in test_calendar.py
        "/api/calendrier/{token}",
    }


# ---------------------------------------------------------------- view builders


def test_when_formats_in_paris_time_for_each_locale():
    assert when(STAMP, "fr") == "12 mars 2026 à 14:05"
    assert when(STAMP, "en") == "12 March 2026, 14:05"
    assert when(None, "fr") == ""


def test_convention_data_and_party_rows(world):
    view = conventions.issue_convention(world.consultant_a, make_bilan(world), CLIENT)
    data = convention_row(view, "fr")
    assert data["kind"] == "bipartite" and data["status"] == "awaiting_signatures" and data["version"] == "1"
    assert data["pdf_path"] == f"/api/conventions/{view.id}/pdf?signed=0"
    assert data["signed_pdf_path"] == "" and data["sign_by"] == "" and data["signed_at"] == ""
    assert data["sha256"] == view.document_sha256
    rows = party_rows(view.parties, "fr")
    assert [row["party"] for row in rows] == ["organisation", "beneficiary"]
    assert rows[0]["on_behalf_of"] == "Cabinet Alpha" and rows[1]["on_behalf_of"] == ""
    assert all(row["signed_at"] == "" for row in rows)


def test_employer_data_carries_the_download_paths(world, outbox):
    bilan_id = make_bilan(world, funding=FundingType.EMPLOYER, **EMPLOYER)
    conventions.issue_convention(world.consultant_a, bilan_id, CLIENT)
    token = employer_token(outbox)
    data = employer_convention_row(conventions.describe_employer_signature(token), token, "fr")
    assert data["pdf_path"] == f"/api/signature/{token}/pdf?signed=0"
    assert data["signed_pdf_path"] == ""
    assert data["signatory"] == EMPLOYER["employer_signatory_name"]
    assert data["sign_by"] and data["status"] == "awaiting_signatures"


def test_verification_builders():
    result = VerificationResult(
        status=VerificationStatus.VALID,
        sha256="ab" * 32,
        organisation_name="Cabinet Alpha",
        kind=ConventionKind.BIPARTITE,
        version=2,
        signed_at=STAMP,
        signers=(
            VerifiedSigner(SignatureParty.ORGANISATION, "Camille Conseil", STAMP),
            VerifiedSigner(SignatureParty.BENEFICIARY, "Bruno Benef", STAMP),
        ),
    )
    data = verification_row(result, "fr")
    assert data == {
        "sha256": "ab" * 32,
        "organisation": "Cabinet Alpha",
        "kind": "bipartite",
        "version": "2",
        "signed_at": "12 mars 2026 à 14:05",
    }
    assert [row["text"] for row in signer_rows(result.signers, "fr")] == [
        "Organisme prestataire : Camille Conseil, le 12 mars 2026 à 14:05",
        "Bénéficiaire : Bruno Benef, le 12 mars 2026 à 14:05",
    ]
    assert signer_rows(result.signers, "en")[1]["text"] == "Beneficiary: Bruno Benef, on 12 March 2026, 14:05"
    unknown = verification_row(VerificationResult(status=VerificationStatus.UNKNOWN, sha256="cd" * 32), "fr")
    assert unknown["kind"] == unknown["version"] == unknown["organisation"] == unknown["signed_at"] == ""


def test_code_message_sign_input_and_token_from_path():
    sent = CodeSent(SignatureParty.BENEFICIARY, "b•••o@alpha.fr", STAMP)
    assert (
        code_message(sent, "fr") == "Un code à 6 chiffres a été envoyé à b•••o@alpha.fr. Il est valable jusqu'à 14:05."
    )
    assert sign_input({"typed_name": "Bruno", "code": "123456"}) == {
        "typed_name": "Bruno",
        "consent": False,
        "code": "123456",
    }
    assert sign_input({"typed_name": "Bruno", "consent": "on", "code": " 123 456 "})["consent"] is True
    assert routes.path_param("/signature/abc_DEF-1", "token") == "abc_DEF-1"
    assert routes.path_param("/signature/abc/", "token") == "abc"
    assert routes.path_param("/signature", "token") == routes.path_param("/autre/abc", "token") == ""


def test_the_catalogue_has_every_signui_key_in_both_locales():
    fr = {key for key in FR if key.startswith("signui.")}
    en = {key for key in EN if key.startswith("signui.")}
    assert fr == en and len(fr) > 50
    for key in fr:
        assert set(re.findall(r"{(\w+)}", FR[key])) == set(re.findall(r"{(\w+)}", EN[key])), key
