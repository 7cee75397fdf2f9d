"""services.conventions: issuing, signing (beneficiary, organisation, employer by link), expiry, verification."""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from sqlmodel import col, select

from services import bilans, conventions
from services.auth import ClientInfo
from services.conventions import ConventionAction, VerificationStatus
from services.crypto import _cipher, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, RateLimited, ServiceError
from services.models import (
    AuditEvent,
    Bilan,
    BilanStatus,
    Convention,
    ConventionKind,
    ConventionSignature,
    ConventionStatus,
    DeliveryMode,
    Document,
    FundingType,
    Organisation,
    SignatureParty,
)
from services.models.base import utcnow
from services.pdf import render_pdf
from services.storage import _path

BENEFICIARY_CLIENT = ClientInfo(ip="192.0.2.31", user_agent="Mozilla/5.0 (X11; Linux) Firefox/140.0")
CONSULTANT_CLIENT = ClientInfo(ip="192.0.2.32", user_agent="Mozilla/5.0 (Macintosh) Safari/18.0")
EMPLOYER_CLIENT = ClientInfo(ip="198.51.100.7", user_agent="Mozilla/5.0 (Windows NT 10.0) Edge/140.0")
OBJECTIVES = "Clarifier un projet de reconversion vers les métiers de l'éco-conception ; vérifier sa faisabilité."
NDA_A = "11755555575"
SIRET_A = "33514171953640"
EMPLOYER = {
    "employer_name": "Société Générale d'Études",
    "employer_signatory_name": "Élodie Marchand",
    "employer_email": "rh@etudes-generales.fr",
}


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _storage(database, set_env, tmp_path):
    """Encrypted files go to this test's own directory."""
    if database is not None:
        set_env(STORAGE_DIR=str(tmp_path / "files"))


def make_bilan(
    world,
    org: str = "a",
    *,
    funding: FundingType = FundingType.CPF,
    objectives: str = OBJECTIVES,
    hours: float = 24,
    status: BilanStatus = BilanStatus.PRELIMINAIRE,
    price: float = 1850.0,
    **fields,
) -> uuid.UUID:
    """A bilan inserted directly (the request flow is not this module's business)."""
    with session_scope() as session:
        organisation = session.get(Organisation, world.person(f"admin_{org}").organisation_id)
        organisation.nda_number = NDA_A if org == "a" else None
        organisation.address = "12 rue des Écoles, 75005 Paris"
        session.add(organisation)
        bilan = Bilan(
            organisation_id=organisation.id,
            beneficiary_id=world.person(f"beneficiary_{org}").user_id,
            consultant_id=world.person(f"consultant_{org}").user_id,
            status=status,
            mode=DeliveryMode.HYBRIDE,
            funding_type=funding,
            edof_file_number="EDOF-2026-000123" if funding == FundingType.CPF else "",
            price_euros=price,
            hours_planned_total=hours,
            objectives_encrypted=encrypt_text(objectives) if objectives else "",
            **fields,
        )
        session.add(bilan)
        session.flush()
        return bilan.id


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def mailed_code(outbox, to: str) -> str:
    _, body = outbox.last(to)
    match = re.search(r"^(\d{6})$", body, re.M)
    assert match, body
    return match.group(1)


def signature_row(convention_id, party: SignatureParty) -> ConventionSignature:
    with session_scope() as session:
        return session.exec(
            select(ConventionSignature).where(
                ConventionSignature.convention_id == convention_id, ConventionSignature.party == party
            )
        ).one()


def convention_row(convention_id) -> Convention:
    with session_scope() as session:
        return session.get(Convention, convention_id)


def events(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.created_at))
            ).all()
        )


def full_name(world, key: str) -> str:
    person = world.person(key)
    return f"{person.first_name} {person.last_name}"


def intent_of(world, key: str) -> dict:
    """What the signing form holds before the code is asked for: the typed name and the ticked box."""
    return {"typed_name": full_name(world, key), "consent": True}


def sign_as(world, outbox, convention_id, key: str, party: SignatureParty, client: ClientInfo, typed: str = ""):
    actor = getattr(world, key)
    conventions.send_signature_code(actor, convention_id, party, client, intent=intent_of(world, key))
    code = mailed_code(outbox, world.person(key).email)
    raw = {"typed_name": typed or full_name(world, key), "consent": True, "code": code}
    return conventions.sign(actor, convention_id, party, raw, client)


def employer_token(outbox) -> str:
    _, body = outbox.last(EMPLOYER["employer_email"])
    match = re.search(r"/signature/([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def issue_tripartite(world, outbox):
    bilan_id = make_bilan(world, funding=FundingType.EMPLOYER, **EMPLOYER)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    return bilan_id, view, employer_token(outbox)


EMPLOYER_INTENT = {"typed_name": EMPLOYER["employer_signatory_name"], "consent": "on"}


def employer_sign(outbox, token: str, name: str = EMPLOYER["employer_signatory_name"]):
    conventions.send_employer_code(token, EMPLOYER_CLIENT, intent=EMPLOYER_INTENT)
    code = mailed_code(outbox, EMPLOYER["employer_email"])
    return conventions.sign_as_employer(token, {"typed_name": name, "consent": "on", "code": code}, EMPLOYER_CLIENT)


def signed_bipartite(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    sign_as(world, outbox, view.id, "beneficiary_a", SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT)
    final = sign_as(world, outbox, view.id, "consultant_a", SignatureParty.ORGANISATION, CONSULTANT_CLIENT)
    return bilan_id, final


# ---------------------------------------------------------------- issuing


def test_issue_bipartite_cpf_convention(world, outbox, tmp_path):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)

    assert view.kind == ConventionKind.BIPARTITE
    assert view.status == ConventionStatus.AWAITING_SIGNATURES
    assert view.version == 1 and view.sign_by is None and view.signed_at is None
    assert [p.party for p in view.parties] == [SignatureParty.ORGANISATION, SignatureParty.BENEFICIARY]
    assert [p.name for p in view.parties] == [full_name(world, "consultant_a"), full_name(world, "beneficiary_a")]
    assert view.viewer_party == SignatureParty.ORGANISATION

    filename, content = conventions.read_convention_pdf(world.consultant_a, view.id, signed=False)
    assert filename.endswith("-v1.pdf") and content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == view.document_sha256
    text = pdf_text(content, tmp_path)
    for expected in (
        "Convention de bilan de compétences",
        "Accord bipartite",
        "compte personnel de formation",
        "Participation forfaitaire CPF",
        "102,23",
        "EDOF-2026-000123",
        "24 heures",
        f"SIRET : {SIRET_A}",
        NDA_A,
        "Cabinet Alpha",
        full_name(world, "beneficiary_a"),
        "éco-conception",
        "Phase préliminaire",
        "Phase d'investigation",
        "Phase de conclusion",
        "au seul ou à la seule bénéficiaire",
        "1 850,00",
    ):
        assert expected in text, expected
    assert "silence vaut refus" not in text  # only the tripartite convention has the 10-day window

    with session_scope() as session:
        document = session.get(Document, convention_row(view.id).document_id)
        assert document.kind == "convention" and document.bilan_id == bilan_id
        assert document.sha256 == view.document_sha256
        # Encrypted at rest: the plaintext PDF is not on disk.
        assert b"%PDF" not in _path(document.storage_key).read_bytes()

    assert "connectez-vous" in outbox.last(world.person("beneficiary_a").email)[1]
    assert outbox.last(world.person("consultant_a").email)[0].subject.startswith("Convention de bilan")
    [issued] = events(ConventionAction.ISSUED)
    assert issued.target_id == str(view.id) and issued.actor_user_id == world.consultant_a.user_id
    assert issued.changes["kind"]["after"] == "bipartite"
    assert issued.organisation_id == world.org_a


def test_issue_tripartite_convention_has_the_r6313_8_mentions(world, outbox, tmp_path):
    before = utcnow()
    bilan_id, view, token = issue_tripartite(world, outbox)

    assert view.kind == ConventionKind.TRIPARTITE
    assert [p.party for p in view.parties] == [
        SignatureParty.ORGANISATION,
        SignatureParty.BENEFICIARY,
        SignatureParty.EMPLOYER,
    ]
    employer = view.parties[2]
    assert (employer.name, employer.on_behalf_of, employer.email) == (
        EMPLOYER["employer_signatory_name"],
        EMPLOYER["employer_name"],
        EMPLOYER["employer_email"],
    )
    assert timedelta(days=10) - timedelta(seconds=5) < view.sign_by - before <= timedelta(days=10, seconds=5)
    assert view.sign_by == view.issued_at + timedelta(days=10)

    # The employer's link carries a token stored only as a hash.
    assert signature_row(view.id, SignatureParty.EMPLOYER).access_token_hash not in ("", token)
    assert f"http://localhost:3000/signature/{token}" in outbox.last(EMPLOYER["employer_email"])[1]
    assert "silence vaut refus" in outbox.last(world.person("beneficiary_a").email)[1]

    _, content = conventions.read_convention_pdf(world.beneficiary_a, view.id, signed=False)
    text = pdf_text(content, tmp_path)
    for expected in (
        "Convention de bilan de compétences",  # title
        "Convention tripartite",
        "R6313-8",
        "Objectif",  # objective
        "éco-conception",
        "Contenu : les trois phases",  # content
        "Moyens",  # means
        "Durée et période",  # duration and period
        "24 heures",
        "Déroulement et suivi",  # how it runs and is followed up
        "Remise des résultats et du document de synthèse",  # results and synthèse handed over
        "au seul ou à la seule bénéficiaire",
        "Prix et modalités de paiement",  # price and payment terms
        "plan de développement des compétences",
        "dix jours",  # the employee's 10 days
        "le silence vaut refus",
        "ni une faute ni un motif de licenciement",
        EMPLOYER["employer_name"],
        EMPLOYER["employer_signatory_name"],
        f"SIRET : {SIRET_A}",
        NDA_A,
    ):
        assert expected in text, expected
    assert bilan_id


def test_issue_refusals(world):
    consultant = world.consultant_a
    no_objectives = make_bilan(world, objectives="")
    with pytest.raises(ServiceError) as err:
        conventions.issue_convention(consultant, no_objectives, CONSULTANT_CLIENT)
    assert err.value.code == "error.convention_objectives_missing"

    too_long = make_bilan(world, hours=30)
    with pytest.raises(ServiceError) as err:
        conventions.issue_convention(consultant, too_long, CONSULTANT_CLIENT)
    assert err.value.code == "error.convention_hours_invalid" and err.value.params == {"max": 24}

    closed = make_bilan(world, status=BilanStatus.ABANDONNE)
    with pytest.raises(ServiceError) as err:
        conventions.issue_convention(consultant, closed, CONSULTANT_CLIENT)
    assert err.value.code == "error.convention_bilan_closed"

    no_employer = make_bilan(world, funding=FundingType.EMPLOYER, employer_email="pas-une-adresse")
    with pytest.raises(FormError) as err:
        conventions.issue_convention(consultant, no_employer, CONSULTANT_CLIENT)
    assert err.value.fields == {
        "employer_name": "error.required",
        "employer_signatory_name": "error.required",
        "employer_email": "error.email_invalid",
    }

    bilan_id = make_bilan(world)
    with pytest.raises(AccessDenied):
        conventions.issue_convention(world.beneficiary_a, bilan_id, BENEFICIARY_CLIENT)
    first = conventions.issue_convention(world.admin_a, bilan_id, CONSULTANT_CLIENT)
    with pytest.raises(ServiceError) as err:
        conventions.issue_convention(consultant, bilan_id, CONSULTANT_CLIENT)
    assert err.value.code == "error.convention_already_active"
    # Nothing was written by the refusals.
    assert len(events(ConventionAction.ISSUED)) == 1

    # After a cancellation, a new version may be issued.
    conventions.cancel_convention(consultant, first.id, "Erreur sur le tarif")
    second = conventions.issue_convention(consultant, bilan_id, CONSULTANT_CLIENT)
    assert second.version == 2 and second.id != first.id
    assert conventions.get_convention_view(world.beneficiary_a, bilan_id).id == second.id


def test_the_issuing_admin_signs_for_the_organisation(world):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.admin_a, bilan_id, CONSULTANT_CLIENT)
    organisation = view.parties[0]
    assert organisation.name == full_name(world, "admin_a") and organisation.on_behalf_of == "Cabinet Alpha"
    assert conventions.get_convention_view(world.consultant_a, bilan_id).viewer_party is None
    with pytest.raises(AccessDenied) as err:
        conventions.send_signature_code(
            world.consultant_a, view.id, "organisation", CONSULTANT_CLIENT, intent=intent_of(world, "consultant_a")
        )
    assert err.value.code == "error.convention_not_signatory"


def test_pdf_rendering_is_deterministic_and_fast(world, tmp_path):
    context = {
        "created": utcnow().replace(microsecond=0),
        "title": "Certificat de signature électronique",
        "organisation": {"name": "Cabinet Alpha", "siret": SIRET_A},
        "convention": {
            "title": "Convention de bilan de compétences",
            "kind_label": "convention bipartite",
            "reference": "CBC-20260101-ABCDEF12",
            "version": 1,
            "issued_at": "01/01/2026 10:00:00",
        },
        "completed_at": "02/01/2026 10:00:00",
        "original": {"filename": "convention.pdf", "sha256": "0" * 64, "size_bytes": 1000, "pages": 3},
        "parties": [],
        "verify_url": "http://localhost:3000/verifier-une-convention",
    }
    started = time.perf_counter()
    first = render_pdf("certificate.html", context)
    elapsed = time.perf_counter() - started
    assert render_pdf("certificate.html", context) == first
    assert elapsed < 3, elapsed
    assert "Certificat de signature électronique" in pdf_text(first, tmp_path)


# ---------------------------------------------------------------- signing


def test_bipartite_signing_end_to_end(world, outbox, tmp_path):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    beneficiary = world.beneficiary_a
    assert conventions.get_convention_view(beneficiary, bilan_id).viewer_party == SignatureParty.BENEFICIARY

    sent = conventions.send_signature_code(
        beneficiary, view.id, SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    assert sent.email_masked.endswith("@alpha-conseil.fr") and "personne" not in sent.email_masked
    assert timedelta(minutes=9) < sent.expires_at - utcnow() <= timedelta(minutes=10)
    code = mailed_code(outbox, world.person("beneficiary_a").email)
    assert signature_row(view.id, SignatureParty.BENEFICIARY).code_hash not in ("", code)
    wrong = "000000" if code != "000000" else "111111"

    with pytest.raises(FormError) as err:
        conventions.sign(
            beneficiary, view.id, "beneficiary", {"typed_name": "Jean Dupont", "code": code}, BENEFICIARY_CLIENT
        )
    assert err.value.fields == {
        "typed_name": "error.convention_name_mismatch",
        "consent": "error.convention_consent_required",
    }
    with pytest.raises(FormError) as err:
        conventions.sign(beneficiary, view.id, "beneficiary", {"typed_name": " ", "consent": True}, BENEFICIARY_CLIENT)
    assert err.value.fields == {"typed_name": "error.required", "code": "error.required"}
    # Name/consent errors consume no attempt; a wrong code does, and is audited.
    assert signature_row(view.id, SignatureParty.BENEFICIARY).code_attempts == 0
    with pytest.raises(FormError) as err:
        conventions.sign(
            beneficiary,
            view.id,
            "beneficiary",
            {"typed_name": "Bruno BenefA", "consent": True, "code": wrong},
            BENEFICIARY_CLIENT,
        )
    assert err.value.fields == {"code": "error.convention_code_invalid"}
    assert signature_row(view.id, SignatureParty.BENEFICIARY).code_attempts == 1
    assert len(events(ConventionAction.CODE_FAILED)) == 1

    # Case, accents and word order do not matter for the typed name.
    after_first = conventions.sign(
        beneficiary,
        view.id,
        SignatureParty.BENEFICIARY,
        {"typed_name": "benefa  BRÜNO", "consent": "on", "code": f" {code[:3]} {code[3:]} "},
        BENEFICIARY_CLIENT,
    )
    assert after_first.status == ConventionStatus.AWAITING_SIGNATURES
    assert after_first.missing_parties == (SignatureParty.ORGANISATION,)
    assert after_first.viewer_party is None
    evidence = signature_row(view.id, SignatureParty.BENEFICIARY)
    assert evidence.signed_at is not None and evidence.consent_given and evidence.typed_name == "benefa BRÜNO"
    assert (evidence.ip, evidence.user_agent) == (BENEFICIARY_CLIENT.ip, BENEFICIARY_CLIENT.user_agent)
    assert evidence.signed_sha256 == view.document_sha256 and evidence.code_hash == ""
    with pytest.raises(ServiceError) as err:
        conventions.send_signature_code(
            beneficiary, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
        )
    assert err.value.code == "error.convention_already_signed"
    with pytest.raises(NotFound):
        conventions.read_convention_pdf(beneficiary, view.id, signed=True)

    final_view = sign_as(world, outbox, view.id, "consultant_a", SignatureParty.ORGANISATION, CONSULTANT_CLIENT)
    assert final_view.status == ConventionStatus.SIGNED and final_view.signed_at is not None
    assert final_view.signed_document_sha256 and final_view.missing_parties == ()
    with session_scope() as session:
        assert bilans.conventions_signed(session, session.get(Bilan, bilan_id))

    _, original = conventions.read_convention_pdf(world.consultant_a, view.id, signed=False)
    filename, final = conventions.read_convention_pdf(beneficiary, view.id, signed=True)
    assert filename.endswith("-signee.pdf")
    assert hashlib.sha256(final).hexdigest() == final_view.signed_document_sha256
    # The final PDF is the signed original, byte for byte, plus one certificate page.
    assert final.startswith(original)
    assert pdf_pages(final, tmp_path) == pdf_pages(original, tmp_path) + 1
    certificate = pdf_text(final, tmp_path).split("Certificat de signature électronique", 1)[1]
    for expected in (
        "code à usage unique vérifié par e-mail",
        view.document_sha256,
        full_name(world, "beneficiary_a"),
        full_name(world, "consultant_a"),
        world.person("beneficiary_a").email,
        BENEFICIARY_CLIENT.ip,
        CONSULTANT_CLIENT.ip,
        "Firefox/140.0",
        "heure de Paris",
    ):
        assert expected in certificate, expected

    with session_scope() as session:
        signed_doc = session.get(Document, convention_row(view.id).signed_document_id)
        assert signed_doc.kind == "signed_convention" and signed_doc.sha256 == final_view.signed_document_sha256
    assert len(events(ConventionAction.SIGNED_BY)) == 2
    [completed] = events(ConventionAction.COMPLETED)
    assert completed.changes["signed_document_sha256"]["after"] == final_view.signed_document_sha256
    assert len(events(ConventionAction.CODE_SENT)) == 2
    completion_mail = outbox.last(world.person("beneficiary_a").email)
    assert "signée par toutes les parties" in completion_mail[1]
    assert final_view.signed_document_sha256 in completion_mail[1]
    assert len(events(ConventionAction.DOWNLOADED)) == 2


def test_expired_code_is_refused(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    raw = {"typed_name": "Bruno BenefA", "consent": True, "code": "123456"}
    with pytest.raises(FormError) as err:  # no code requested yet
        conventions.sign(world.beneficiary_a, view.id, "beneficiary", raw, BENEFICIARY_CLIENT)
    assert err.value.fields == {"code": "error.convention_code_expired"}

    conventions.send_signature_code(
        world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    code = mailed_code(outbox, world.person("beneficiary_a").email)
    with session_scope() as session:
        row = session.get(ConventionSignature, signature_row(view.id, SignatureParty.BENEFICIARY).id)
        row.code_expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    with pytest.raises(FormError) as err:
        conventions.sign(world.beneficiary_a, view.id, "beneficiary", {**raw, "code": code}, BENEFICIARY_CLIENT)
    assert err.value.fields == {"code": "error.convention_code_expired"}
    assert signature_row(view.id, SignatureParty.BENEFICIARY).signed_at is None


def test_code_locks_after_five_wrong_attempts(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    conventions.send_signature_code(
        world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    code = mailed_code(outbox, world.person("beneficiary_a").email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    raw = {"typed_name": "Bruno BenefA", "consent": True, "code": wrong}
    keys = []
    for _ in range(5):
        with pytest.raises(FormError) as err:
            conventions.sign(world.beneficiary_a, view.id, "beneficiary", raw, BENEFICIARY_CLIENT)
        keys.append(err.value.fields["code"])
    assert keys == ["error.convention_code_invalid"] * 4 + ["error.convention_code_locked"]
    assert len(events(ConventionAction.CODE_FAILED)) == 4
    [locked] = events(ConventionAction.CODE_LOCKED)
    assert locked.ip == BENEFICIARY_CLIENT.ip
    # The right code no longer works: the locked code is dead.
    with pytest.raises(FormError) as err:
        conventions.sign(world.beneficiary_a, view.id, "beneficiary", {**raw, "code": code}, BENEFICIARY_CLIENT)
    assert err.value.fields == {"code": "error.convention_code_expired"}
    # A new code (a new mail to the same inbox) restarts the count.
    after = sign_as(world, outbox, view.id, "beneficiary_a", SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT)
    assert after.missing_parties == (SignatureParty.ORGANISATION,)


def test_codes_per_hour_are_limited(world):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    for _ in range(conventions.CODES_PER_HOUR):
        conventions.send_signature_code(
            world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
        )
    with pytest.raises(RateLimited) as err:
        conventions.send_signature_code(
            world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
        )
    assert err.value.code == "error.convention_too_many_codes"


def test_wrong_parties_cannot_sign(world, outbox):
    bilan_id = make_bilan(world, funding=FundingType.EMPLOYER, **EMPLOYER)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    raw = {"typed_name": "Camille ConseilA", "consent": True, "code": "123456"}
    for actor, party in (
        (world.beneficiary_a, SignatureParty.ORGANISATION),
        (world.beneficiary_a, SignatureParty.EMPLOYER),
        (world.consultant_a, SignatureParty.BENEFICIARY),
        (world.consultant_a, SignatureParty.EMPLOYER),
        (world.admin_a, SignatureParty.ORGANISATION),  # a follower, but not the designated signatory
    ):
        with pytest.raises(AccessDenied):
            conventions.send_signature_code(
                actor, view.id, party, CONSULTANT_CLIENT, intent=intent_of(world, "beneficiary_a")
            )
        with pytest.raises(AccessDenied):
            conventions.sign(actor, view.id, party, raw, CONSULTANT_CLIENT)
    assert events(ConventionAction.CODE_SENT) == []
    with pytest.raises(NotFound):
        conventions.sign(world.consultant_a, view.id, "witness", raw, CONSULTANT_CLIENT)
    assert all(p.signed_at is None for p in conventions.get_convention_view(world.admin_a, bilan_id).parties)


def test_altered_stored_file_cannot_be_signed(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    conventions.send_signature_code(
        world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    code = mailed_code(outbox, world.person("beneficiary_a").email)
    with session_scope() as session:
        document = session.get(Document, convention_row(view.id).document_id)
        _path(document.storage_key).write_bytes(_cipher().encrypt(b"%PDF-1.7 forged"))
    raw = {"typed_name": "Bruno BenefA", "consent": True, "code": code}
    with pytest.raises(ServiceError) as err:
        conventions.sign(world.beneficiary_a, view.id, "beneficiary", raw, BENEFICIARY_CLIENT)
    assert err.value.code == "error.convention_document_altered"
    assert len(events(ConventionAction.INTEGRITY_FAILED)) == 1
    assert signature_row(view.id, SignatureParty.BENEFICIARY).signed_at is None
    with pytest.raises(ServiceError) as err:
        conventions.read_convention_pdf(world.consultant_a, view.id, signed=False)
    assert err.value.code == "error.convention_document_altered"


# ---------------------------------------------------------------- the employer, through its link


def test_employer_signs_through_its_link(world, outbox, tmp_path):
    bilan_id, view, token = issue_tripartite(world, outbox)
    page = conventions.describe_employer_signature(token)
    assert page.convention_id == view.id and page.can_sign
    assert (page.organisation_name, page.beneficiary_name) == ("Cabinet Alpha", full_name(world, "beneficiary_a"))
    assert page.signatory_name == EMPLOYER["employer_signatory_name"] and page.sign_by == view.sign_by
    filename, content = conventions.read_employer_pdf(token)
    assert hashlib.sha256(content).hexdigest() == view.document_sha256 and filename.endswith(".pdf")

    for bad in ("", "not-a-token", token[:-2]):
        with pytest.raises(NotFound) as err:
            conventions.describe_employer_signature(bad)
        assert err.value.code == "error.convention_link_invalid"
        with pytest.raises(NotFound):
            conventions.send_employer_code(bad, EMPLOYER_CLIENT, intent=EMPLOYER_INTENT)

    conventions.send_employer_code(token, EMPLOYER_CLIENT, intent=EMPLOYER_INTENT)
    code = mailed_code(outbox, EMPLOYER["employer_email"])
    assert conventions.describe_employer_signature(token).code_expires_at is not None
    with pytest.raises(FormError) as err:
        conventions.sign_as_employer(
            token, {"typed_name": "Bruno BenefA", "consent": True, "code": code}, EMPLOYER_CLIENT
        )
    assert err.value.fields == {"typed_name": "error.convention_name_mismatch"}
    page = conventions.sign_as_employer(
        token, {"typed_name": "elodie marchand", "consent": True, "code": code}, EMPLOYER_CLIENT
    )
    assert page.signed_at is not None and not page.can_sign and page.completed_at is None
    [employer_event] = [e for e in events(ConventionAction.SIGNED_BY)]
    assert employer_event.actor_user_id is None and employer_event.actor_label.startswith("employer:")
    assert employer_event.ip == EMPLOYER_CLIENT.ip and employer_event.organisation_id == world.org_a

    sign_as(world, outbox, view.id, "beneficiary_a", SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT)
    final_view = sign_as(world, outbox, view.id, "consultant_a", SignatureParty.ORGANISATION, CONSULTANT_CLIENT)
    assert final_view.status == ConventionStatus.SIGNED
    assert conventions.describe_employer_signature(token).completed_at == final_view.signed_at
    _, final = conventions.read_employer_pdf(token, signed=True)
    assert hashlib.sha256(final).hexdigest() == final_view.signed_document_sha256
    assert pdf_pages(final, tmp_path) == pdf_pages(content, tmp_path) + 1
    certificate = pdf_text(final, tmp_path).split("Certificat de signature électronique", 1)[1]
    for expected in (EMPLOYER["employer_signatory_name"], EMPLOYER["employer_email"], EMPLOYER_CLIENT.ip, "Edge/140.0"):
        assert expected in certificate, expected
    assert "depuis le lien personnel" in outbox.last(EMPLOYER["employer_email"])[1]
    assert bilan_id


# ---------------------------------------------------------------- silence is refusal


def test_overdue_tripartite_convention_expires(world, outbox):
    bilan_id, view, token = issue_tripartite(world, outbox)
    employer_sign(outbox, token)
    assert conventions.expire_overdue_conventions() == 0
    # Eleven days later, by the job's clock...
    assert conventions.expire_overdue_conventions(now=utcnow() + timedelta(days=11)) == 1
    assert convention_row(view.id).status == ConventionStatus.EXPIRED
    [expired] = events(ConventionAction.EXPIRED)
    assert expired.organisation_id == world.org_a and expired.actor_label == "system"
    assert sorted(expired.changes["missing"]["after"]) == ["beneficiary", "organisation"]
    for email in (world.person("beneficiary_a").email, world.person("consultant_a").email, EMPLOYER["employer_email"]):
        message, body = outbox.last(email)
        assert "caduque" in message.subject and "silence" in body
    assert conventions.expire_overdue_conventions(now=utcnow() + timedelta(days=11)) == 0
    with pytest.raises(ServiceError) as err:
        conventions.send_signature_code(
            world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
        )
    assert err.value.code == "error.convention_not_awaiting"
    with session_scope() as session:
        assert not bilans.conventions_signed(session, session.get(Bilan, bilan_id))
    # A new version may follow the lapsed one.
    assert conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT).version == 2


def test_signing_after_the_deadline_lapses_the_convention(world, outbox):
    _bilan_id, view, _token = issue_tripartite(world, outbox)
    conventions.send_signature_code(
        world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    code = mailed_code(outbox, world.person("beneficiary_a").email)
    with session_scope() as session:  # ten days and a minute later
        row = session.get(Convention, view.id)
        row.sign_by = utcnow() - timedelta(minutes=1)
        session.add(row)
    raw = {"typed_name": "Bruno BenefA", "consent": True, "code": code}
    with pytest.raises(ServiceError) as err:
        conventions.sign(world.beneficiary_a, view.id, "beneficiary", raw, BENEFICIARY_CLIENT)
    assert err.value.code == "error.convention_deadline_passed"
    assert convention_row(view.id).status == ConventionStatus.EXPIRED
    assert len(events(ConventionAction.EXPIRED)) == 1
    assert conventions.expire_overdue_conventions() == 0


# ---------------------------------------------------------------- cancelling


def test_cancel_convention(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    with pytest.raises(AccessDenied):
        conventions.cancel_convention(world.beneficiary_a, view.id, "Je change d'avis")
    with pytest.raises(FormError) as err:
        conventions.cancel_convention(world.consultant_a, view.id, "   ")
    assert err.value.fields == {"reason": "error.required"}
    cancelled = conventions.cancel_convention(world.admin_a, view.id, "Tarif erroné")
    assert cancelled.status == ConventionStatus.CANCELLED
    [event] = events(ConventionAction.CANCELLED)
    assert event.changes["reason"]["after"] == "Tarif erroné" and event.actor_user_id == world.admin_a.user_id
    assert "Tarif erroné" in outbox.last(world.person("beneficiary_a").email)[1]
    with pytest.raises(ServiceError) as err:
        conventions.cancel_convention(world.admin_a, view.id, "encore")
    assert err.value.code == "error.convention_not_cancellable"
    with pytest.raises(ServiceError) as err:
        conventions.send_signature_code(
            world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
        )
    assert err.value.code == "error.convention_not_awaiting"


def test_signed_convention_cancellable_only_before_investigation(world, outbox):
    bilan_id, final = signed_bipartite(world, outbox)
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        bilan.status = BilanStatus.INVESTIGATION
        session.add(bilan)
    with pytest.raises(ServiceError) as err:
        conventions.cancel_convention(world.consultant_a, final.id, "Correction")
    assert err.value.code == "error.convention_not_cancellable"
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        bilan.status = BilanStatus.PRELIMINAIRE
        session.add(bilan)
    conventions.cancel_convention(world.consultant_a, final.id, "Correction de l'adresse")
    _, content = conventions.read_convention_pdf(world.beneficiary_a, final.id, signed=True)
    result = conventions.verify_pdf(content)
    assert result.status == VerificationStatus.CANCELLED and not result.is_valid


# ---------------------------------------------------------------- public verification


def test_verify_pdf(world, outbox):
    _bilan_id, final = signed_bipartite(world, outbox)
    _, signed_pdf = conventions.read_convention_pdf(world.consultant_a, final.id, signed=True)
    _, original_pdf = conventions.read_convention_pdf(world.consultant_a, final.id, signed=False)

    result = conventions.verify_pdf(signed_pdf)
    assert result.is_valid and result.status == VerificationStatus.VALID
    assert result.organisation_name == "Cabinet Alpha" and result.kind == ConventionKind.BIPARTITE
    assert result.signed_at == final.signed_at and result.version == 1
    assert [(s.party, s.name) for s in result.signers] == [
        (SignatureParty.ORGANISATION, full_name(world, "consultant_a")),
        (SignatureParty.BENEFICIARY, full_name(world, "beneficiary_a")),
    ]
    assert all(s.signed_at is not None for s in result.signers)
    # No e-mail address or IP leaks through the public answer.
    public = repr(result)
    assert "@" not in public and BENEFICIARY_CLIENT.ip not in public
    assert result.message_key == "convention.verify.valid"

    for position in (0, len(signed_pdf) // 2, len(signed_pdf) - 1):
        tampered = bytearray(signed_pdf)
        tampered[position] ^= 0x01
        assert conventions.verify_pdf(bytes(tampered)).status == VerificationStatus.UNKNOWN
    assert conventions.verify_pdf(signed_pdf + b"\n").status == VerificationStatus.UNKNOWN
    not_final = conventions.verify_pdf(original_pdf)
    assert not_final.status == VerificationStatus.NOT_FINAL and not_final.signers == ()
    unrelated = render_pdf(
        "certificate.html",
        {
            "title": "Autre",
            "organisation": {"name": "X", "siret": "1"},
            "convention": {"title": "", "kind_label": "", "reference": "", "version": 1, "issued_at": ""},
            "completed_at": "",
            "original": {"filename": "", "sha256": "", "size_bytes": 0, "pages": 1},
            "parties": [],
            "verify_url": "",
        },
    )
    assert conventions.verify_pdf(unrelated).status == VerificationStatus.UNKNOWN
    assert conventions.verify_pdf(b"").status == VerificationStatus.UNKNOWN


# ---------------------------------------------------------------- tenancy


def test_another_organisation_gets_not_found_everywhere(world, outbox):
    bilan_id, view, _token = issue_tripartite(world, outbox)
    raw = {"typed_name": "x", "consent": True, "code": "123456"}
    for key in ("admin_b", "consultant_b", "beneficiary_b"):
        actor = getattr(world, key)
        calls = [
            lambda a=actor: conventions.issue_convention(a, bilan_id, CONSULTANT_CLIENT),
            lambda a=actor: conventions.get_convention_view(a, bilan_id),
            lambda a=actor: conventions.read_convention_pdf(a, view.id, signed=False),
            lambda a=actor: conventions.read_convention_pdf(a, view.id, signed=True),
            lambda a=actor: conventions.send_signature_code(
                a, view.id, "beneficiary", CONSULTANT_CLIENT, intent=intent_of(world, "beneficiary_a")
            ),
            lambda a=actor: conventions.send_signature_code(
                a, view.id, "organisation", CONSULTANT_CLIENT, intent=intent_of(world, "beneficiary_a")
            ),
            lambda a=actor: conventions.sign(a, view.id, "beneficiary", raw, CONSULTANT_CLIENT),
            lambda a=actor: conventions.sign(a, view.id, "organisation", raw, CONSULTANT_CLIENT),
            lambda a=actor: conventions.cancel_convention(a, view.id, "intrusion"),
        ]
        for call in calls:
            with pytest.raises(NotFound):
                call()
    with pytest.raises(NotFound):
        conventions.read_convention_pdf(world.consultant_a, uuid.uuid4(), signed=False)
    with pytest.raises(NotFound):
        conventions.get_convention_view(world.consultant_a, "not-a-uuid")
    assert convention_row(view.id).status == ConventionStatus.AWAITING_SIGNATURES
    assert events(ConventionAction.CODE_SENT) == [] and events(ConventionAction.CANCELLED) == []


def test_names_match():
    assert conventions.names_match("hélène   ROUSSEAU", "Hélène Rousseau")
    assert conventions.names_match("Rousseau Helene", "Hélène Rousseau")
    assert conventions.names_match("Jean-Pierre L'Hôte", "jean pierre l hote")
    assert not conventions.names_match("Hélène", "Hélène Rousseau")
    assert not conventions.names_match("", "")


def test_no_code_is_sent_before_the_name_and_the_consent_are_given(world, outbox):
    bilan_id = make_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    email = world.person("beneficiary_a").email
    mails_before = len(outbox.messages(email))
    for intent, fields in (
        ({}, {"typed_name": "error.required", "consent": "error.convention_consent_required"}),
        ({"typed_name": full_name(world, "beneficiary_a")}, {"consent": "error.convention_consent_required"}),
        ({"typed_name": "Jean Dupont", "consent": True}, {"typed_name": "error.convention_name_mismatch"}),
    ):
        with pytest.raises(FormError) as err:
            conventions.send_signature_code(
                world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent
            )
        assert err.value.fields == fields
    assert signature_row(view.id, SignatureParty.BENEFICIARY).code_hash == ""
    assert len(outbox.messages(email)) == mails_before
    conventions.send_signature_code(
        world.beneficiary_a, view.id, "beneficiary", BENEFICIARY_CLIENT, intent=intent_of(world, "beneficiary_a")
    )
    assert signature_row(view.id, SignatureParty.BENEFICIARY).code_hash != ""
    assert len(outbox.messages(email)) == mails_before + 1


def test_the_employer_gets_no_code_before_the_name_and_the_consent(world, outbox):
    _bilan_id, view, token = issue_tripartite(world, outbox)
    with pytest.raises(FormError) as err:
        conventions.send_employer_code(token, EMPLOYER_CLIENT, intent={"typed_name": "Quelqu'un d'autre"})
    assert err.value.fields == {
        "typed_name": "error.convention_name_mismatch",
        "consent": "error.convention_consent_required",
    }
    assert signature_row(view.id, SignatureParty.EMPLOYER).code_hash == ""
    conventions.send_employer_code(token, EMPLOYER_CLIENT, intent=EMPLOYER_INTENT)
    assert signature_row(view.id, SignatureParty.EMPLOYER).code_hash != ""


def test_the_beneficiary_home_knows_where_she_stands_with_her_convention(world, outbox):
    bilan_id = make_bilan(world)
    assert bilans.my_bilan(world.beneficiary_a).convention_state == "none"
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    assert bilans.my_bilan(world.beneficiary_a).convention_state == "to_sign"
    sign_as(world, outbox, view.id, "beneficiary_a", SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT)
    assert bilans.my_bilan(world.beneficiary_a).convention_state == "awaiting_others"
    sign_as(world, outbox, view.id, "consultant_a", SignatureParty.ORGANISATION, CONSULTANT_CLIENT)
    assert bilans.my_bilan(world.beneficiary_a).convention_state == "signed"
