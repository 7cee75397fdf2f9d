"""The synthèse after its handover (services.synthese.handover): the beneficiary's signed link, the download
endpoints, third parties she agrees to (and revokes), and her retention choice."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from bilan_app.api import api
from services import auth, bilans, synthese
from services.crypto import decrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.models import AuditEvent, BilanStatus, Document, SyntheseHandover, SyntheseShare
from services.models.base import utcnow
from services.storage import read_document
from services.synthese import handover, uploaded
from tests.unit.test_bilans import PDF, insert_bilan
from tests.unit.test_documents import pdf_text
from tests.unit.test_llm import make_bilan
from tests.unit.test_synthese import _complete_bilan, _validated

pytestmark = pytest.mark.usefixtures("isolated_storage")


@pytest.fixture
def handed_over(world):
    bilan_id = insert_bilan(world, BilanStatus.CONCLUSION)
    uploaded.upload_synthese(world.consultant_a, bilan_id, "synthese-bruno.pdf", PDF)
    uploaded.record_synthese_handover(world.consultant_a, bilan_id)
    return bilan_id


def events(bilan_id) -> list[AuditEvent]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.target_id == str(bilan_id)).order_by(AuditEvent.created_at)
            ).all()
        )


def actions(bilan_id) -> list[str]:
    return [row.action for row in events(bilan_id)]


def test_the_link_is_the_beneficiarys_alone_and_expires(world, handed_over):
    link = handover.synthese_link(world.beneficiary_a, handed_over)
    token = link.path.rsplit("/", 1)[1]
    assert link.path.startswith("/api/syntheses/") and link.expires_at - utcnow() <= timedelta(minutes=10)
    assert handover.read_synthese_by_link(world.beneficiary_a, token) == ("synthese-bruno.pdf", PDF)
    assert "handover.synthese_downloaded" in actions(handed_over)

    for actor in (world.consultant_a, world.admin_a, world.beneficiary_b):  # the link names her
        with pytest.raises(NotFound):
            handover.read_synthese_by_link(actor, token)
    for actor in (world.consultant_a, world.admin_a):
        with pytest.raises(AccessDenied):
            handover.synthese_link(actor, handed_over)
    with pytest.raises(NotFound):
        handover.synthese_link(world.beneficiary_b, handed_over)

    old = handover.synthese_link(world.beneficiary_a, handed_over, now=utcnow() - timedelta(minutes=11))
    with pytest.raises(NotFound):  # expired
        handover.read_synthese_by_link(world.beneficiary_a, old.path.rsplit("/", 1)[1])
    with pytest.raises(NotFound):  # altered
        handover.read_synthese_by_link(world.beneficiary_a, token[:-3] + "abc")


def test_no_link_before_the_handover(world):
    bilan_id = insert_bilan(world, BilanStatus.CONCLUSION)
    uploaded.upload_synthese(world.consultant_a, bilan_id, "s.pdf", PDF)
    with pytest.raises(NotFound):
        handover.synthese_link(world.beneficiary_a, bilan_id)


def test_the_download_endpoint_needs_the_link_and_her_session(world, handed_over):
    client = TestClient(api)
    token = handover.synthese_link(world.beneficiary_a, handed_over).path.rsplit("/", 1)[1]
    path = f"/api/syntheses/{token}"
    assert client.get(path).status_code == 404  # the link alone opens nothing
    consultant_session, _ = world.login("consultant_a")
    client.cookies.set("bc_session", consultant_session)
    refused = client.get(path)
    assert refused.status_code == 404 and "expiré" in refused.text
    own_session, _ = world.login("beneficiary_a")
    client.cookies.set("bc_session", own_session)
    answer = client.get(path)
    assert answer.status_code == 200 and answer.content == PDF
    assert answer.headers["cache-control"] == "no-store"
    assert "synthese-bruno.pdf" in answer.headers["content-disposition"]


def test_a_third_party_needs_her_written_agreement(world, handed_over, outbox):
    raw = {"recipient_kind": "cep", "recipient_name": "Conseil Avenir", "recipient_email": "cep@avenir.example.com"}
    with pytest.raises(FormError) as caught:
        handover.share_synthese(world.beneficiary_a, handed_over, {**raw, "consent": False})
    assert caught.value.fields == {"consent": "handover.error.consent_required"}
    with pytest.raises(FormError) as caught:
        handover.share_synthese(
            world.beneficiary_a, handed_over, {**raw, "recipient_email": "pas-un-email", "consent": True}
        )
    assert set(caught.value.fields) == {"recipient_email"}
    with session_scope() as session:
        assert session.exec(select(SyntheseShare)).all() == []
    for actor in (world.consultant_a, world.admin_a):
        with pytest.raises(AccessDenied):
            handover.share_synthese(actor, handed_over, {**raw, "consent": True})

    view = handover.share_synthese(world.beneficiary_a, handed_over, {**raw, "consent": "on"})
    assert (view.recipient_kind, view.recipient_name, view.active, view.downloads) == ("cep", "Conseil Avenir", True, 0)
    message, body = outbox.last("cep@avenir.example.com")
    token = body.split("/api/partages/", 1)[1].split()[0]
    with session_scope() as session:
        row = session.exec(select(SyntheseShare)).one()
    assert "Conseil Avenir" not in row.recipient_name_encrypted and token not in row.token_hash
    assert decrypt_text(row.recipient_email_encrypted) == "cep@avenir.example.com"

    assert handover.read_shared_synthese(token) == ("synthese-bruno.pdf", PDF)
    [seen] = handover.list_shares(world.consultant_a, handed_over)  # followers see the agreement (evidence)
    assert seen.downloads == 1 and seen.last_download_at is not None
    with pytest.raises(NotFound):
        handover.list_shares(world.consultant_b, handed_over)
    with pytest.raises(NotFound):
        handover.revoke_share(world.beneficiary_b, view.id)
    with pytest.raises(AccessDenied):
        handover.revoke_share(world.consultant_a, view.id)

    revoked = handover.revoke_share(world.beneficiary_a, view.id)
    assert revoked.revoked_at is not None and not revoked.active
    with pytest.raises(NotFound):
        handover.read_shared_synthese(token)
    # The recipient has no space: the answer says she withdrew her agreement, and whom to ask.
    answer = TestClient(api).get(f"/api/partages/{token}")
    assert answer.status_code == 404 and "retiré son accord" in answer.text and "organisme" in answer.text
    assert "espace" not in answer.text
    unknown = TestClient(api).get("/api/partages/pas-un-jeton")
    assert unknown.status_code == 404 and "espace" not in unknown.text
    for action in ("handover.share_given", "handover.share_downloaded", "handover.share_revoked"):
        assert action in actions(handed_over)
    assert message.subject.startswith("Synthèse du bilan de compétences de ")


def test_an_expired_agreement_opens_nothing(world, handed_over, outbox):
    raw = {"recipient_kind": "employeur", "recipient_name": "Boulangerie Martin", "recipient_email": "rh@martin.fr"}
    handover.share_synthese(world.beneficiary_a, handed_over, {**raw, "consent": True})
    token = outbox.last("rh@martin.fr")[1].split("/api/partages/", 1)[1].split()[0]
    with session_scope() as session:
        row = session.exec(select(SyntheseShare)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    with pytest.raises(NotFound):
        handover.read_shared_synthese(token)
    assert "a expiré" in TestClient(api).get(f"/api/partages/{token}").text
    with pytest.raises(NotFound):
        handover.read_shared_synthese("")


def test_the_retention_choice_is_hers_and_keeping_needs_written_consent(world, handed_over):
    assert handover.get_retention(world.consultant_a, handed_over).option == ""
    with pytest.raises(FormError) as caught:
        handover.set_retention(world.beneficiary_a, handed_over, "conservation_un_an", written_consent=False)
    assert caught.value.fields == {"written_consent": "handover.error.written_consent_required"}
    with pytest.raises(FormError):
        handover.set_retention(world.beneficiary_a, handed_over, "pour toujours", written_consent=True)
    with pytest.raises(AccessDenied):
        handover.set_retention(world.consultant_a, handed_over, "destruction_fin", written_consent=False)
    with pytest.raises(NotFound):
        handover.get_retention(world.beneficiary_b, handed_over)

    kept = handover.set_retention(world.beneficiary_a, handed_over, "conservation_un_an", written_consent=True)
    assert (kept.option, kept.consent_text_version, kept.purge_after) == (
        "conservation_un_an",
        handover.RETENTION_TEXT_VERSION,
        None,  # the bilan is not closed: the year starts at its end
    )
    bilans.transition(world.consultant_a, handed_over, BilanStatus.TERMINE)
    view = handover.get_retention(world.admin_a, handed_over)
    assert view.purge_after is not None and view.purge_after - utcnow() > timedelta(days=364)
    destroyed = handover.set_retention(world.beneficiary_a, handed_over, "destruction_fin", written_consent=False)
    assert destroyed.option == "destruction_fin" and destroyed.purge_after is None
    assert actions(handed_over).count("handover.retention_chosen") == 2


def test_a_login_session_token_is_not_a_download_link(world, handed_over):
    session_token, _ = world.login("beneficiary_a")
    assert auth.resolve_session(session_token) is not None
    with pytest.raises(NotFound):
        handover.read_synthese_by_link(world.beneficiary_a, session_token)


# ---------------------------------------------------------------- the generated synthèse handed over


@pytest.fixture
def synthese_bilan(world):
    """A bilan in investigation with real data (parcours, validated skills, tests, a target, sessions)."""
    bilan_id = make_bilan(world)
    _complete_bilan(world, bilan_id)
    return bilan_id


@pytest.fixture
def validated(world, synthese_bilan):
    _validated(world, synthese_bilan)
    return synthese_bilan


def test_the_validated_synthese_is_rendered_stored_and_handed_over(world, validated, outbox, tmp_path):
    consultant = world.consultant_a
    with pytest.raises(ServiceError) as caught:  # investigation: not yet
        handover.hand_over_synthese(consultant, validated)
    assert caught.value.code == "handover.error.phase"
    bilans.transition(consultant, validated, BilanStatus.CONCLUSION)
    for actor in (world.admin_a, world.beneficiary_a):
        with pytest.raises(AccessDenied):
            handover.hand_over_synthese(actor, validated)
    with pytest.raises(NotFound):
        handover.hand_over_synthese(world.consultant_b, validated)

    result = handover.hand_over_synthese(consultant, validated)
    assert (result.filename, result.version) == ("synthese-v2.pdf", 2)
    filename, pdf = uploaded.read_synthese(consultant, validated)
    assert filename == result.filename and pdf.startswith(b"%PDF-") and len(pdf) == result.size_bytes
    text = pdf_text(pdf, tmp_path)
    assert "Enquête métier en mars" in text and "Document remis au seul bénéficiaire" in text
    assert world.person("beneficiary_a").first_name in text
    with pytest.raises(ServiceError) as caught:  # nothing newer to hand over
        handover.hand_over_synthese(consultant, validated)
    assert (caught.value.code, caught.value.params) == ("handover.error.already_current", {"version": 2})

    # She is told, and downloads it by her link; the closing guard is released.
    assert outbox.last(world.person("beneficiary_a").email)[0].subject == "Votre document de synthèse est disponible"
    link = handover.synthese_link(world.beneficiary_a, validated)
    assert handover.read_synthese_by_link(world.beneficiary_a, link.path.rsplit("/", 1)[1])[1] == pdf
    status = handover.handover_status(world.admin_a, validated)  # the org admin sees when, not what
    assert status.handed_over_at == link.handed_over_at and status.shares == []
    with pytest.raises(AccessDenied):
        uploaded.read_synthese(world.admin_a, validated)
    bilans.transition(consultant, validated, BilanStatus.TERMINE)


def test_nothing_is_handed_over_before_a_version_is_validated(world, synthese_bilan):
    bilans.transition(world.consultant_a, synthese_bilan, BilanStatus.CONCLUSION)
    with pytest.raises(ServiceError) as caught:
        handover.hand_over_synthese(world.consultant_a, synthese_bilan)
    assert caught.value.code == "handover.error.not_validated"
    with pytest.raises(NotFound):
        handover.synthese_link(world.beneficiary_a, synthese_bilan)


def test_the_bilans_documents_are_served_to_those_who_may_read_them(world, validated):
    bilans.transition(world.consultant_a, validated, BilanStatus.CONCLUSION)
    handover.hand_over_synthese(world.consultant_a, validated)
    client = TestClient(api)

    def get(person: str, kind: str) -> int:
        client.cookies.set("bc_session", world.login(person)[0])
        return client.get(f"/api/bilans/{validated}/documents/{kind}").status_code

    assert [get("consultant_a", kind) for kind in ("attestation", "emargement", "plan", "synthese")] == [200] * 4
    assert [get("admin_a", kind) for kind in ("attestation", "emargement", "plan", "synthese")] == [200, 200, 200, 404]
    assert [get("beneficiary_a", kind) for kind in ("attestation", "plan", "synthese")] == [404, 200, 404]
    assert [get("consultant_b", kind) for kind in ("attestation", "plan", "synthese")] == [404, 404, 404]
    assert get("consultant_a", "autre") == 404
    client.cookies.clear()
    assert client.get(f"/api/bilans/{validated}/documents/plan").status_code == 404


# ---------------------------------------------------------------- a newer version after the first handover


def test_a_newer_validated_version_is_handed_over_and_the_first_one_stays(world, validated, outbox, tmp_path):
    """Issue 11 §2: v3 validated after v2 was handed over never reached her."""
    consultant, beneficiary = world.consultant_a, world.beneficiary_a
    email = world.person("beneficiary_a").email
    bilans.transition(consultant, validated, BilanStatus.CONCLUSION)
    first = handover.hand_over_synthese(consultant, validated)
    raw = {"recipient_kind": "cep", "recipient_name": "Conseil Avenir", "recipient_email": "cep@avenir.example.com"}
    early = handover.share_synthese(beneficiary, validated, {**raw, "consent": True})
    assert (early.handover_number, early.synthese_version) == (1, 2)
    early_token = outbox.last("cep@avenir.example.com")[1].split("/api/partages/", 1)[1].split()[0]
    assert "version 2" in outbox.last("cep@avenir.example.com")[1]
    with session_scope() as session:
        [evidence] = session.exec(select(SyntheseHandover)).all()
        evidence_before = evidence.model_dump()
    assert handover.handover_status(consultant, validated).pending_version is None

    # "Nouvelle version" → edit a section → validate.
    synthese.new_version(consultant, validated)
    synthese.save_section(
        consultant, validated, "etapes", "- Enquête métier en mars\n- Immersion en avril", expected_number=3
    )
    synthese.validate_version(consultant, validated, 3)

    # Until it is handed over, she has version 2, and reads nothing newer.
    mine = synthese.get_current(beneficiary, validated)
    assert (mine.info.number, mine.handed_over_at) == (2, first.handed_over_at)
    assert synthese.synthese_overview(beneficiary, validated).being_written
    assert [info.number for info in synthese.list_versions(beneficiary, validated)] == [2]
    with pytest.raises(NotFound):
        synthese.get_version(beneficiary, validated, 3)
    assert handover.synthese_link(beneficiary, validated).latest.synthese_version == 2
    status = handover.handover_status(world.admin_a, validated)
    assert (status.pending_version, [row.synthese_version for row in status.history]) == (3, [2])

    second = handover.hand_over_synthese(consultant, validated)
    assert (second.filename, second.version) == ("synthese-v3.pdf", 3)
    message, body = outbox.last(email)
    assert message.subject == "Une nouvelle version de votre document de synthèse est disponible"
    assert "/mon-espace/synthese" in body

    # She downloads version 3 (with the edit), and sees what was handed over when.
    link = handover.synthese_link(beneficiary, validated)
    filename, pdf = handover.read_synthese_by_link(beneficiary, link.path.rsplit("/", 1)[1])
    assert filename == "synthese-v3.pdf" and "Immersion en avril" in pdf_text(pdf, tmp_path)
    assert [(row.number, row.synthese_version) for row in link.history] == [(2, 3), (1, 2)]
    assert link.history[0].handed_over_at == second.handed_over_at
    assert link.history[1].handed_over_at == first.handed_over_at < second.handed_over_at
    assert synthese.get_current(beneficiary, validated).info.number == 3
    assert handover.handover_status(consultant, validated).pending_version is None

    # The evidence of version 2 is unchanged: its row, and its file still matches its fingerprint.
    with session_scope() as session:
        old = session.exec(select(SyntheseHandover).where(SyntheseHandover.number == 1)).one()
        assert old.model_dump() == evidence_before
        stored = read_document(session.get(Document, old.document_id))
    assert hashlib.sha256(stored).hexdigest() == old.sha256 and "Immersion en avril" not in pdf_text(stored, tmp_path)
    handed = [e for e in events(validated) if e.action == "bilan.synthese_handed_over"]
    assert [e.changes["version"] for e in handed] == [{"before": None, "after": 2}, {"before": 2, "after": 3}]

    # A share carries the version she agreed to send; a new agreement sends the new one.
    assert handover.read_shared_synthese(early_token)[0] == "synthese-v2.pdf"
    later = handover.share_synthese(beneficiary, validated, {**raw, "consent": True})
    assert [(s.handover_number, s.synthese_version) for s in handover.list_shares(beneficiary, validated)] == [
        (2, 3),
        (1, 2),
    ]
    assert later.synthese_version == 3 and "version 3" in outbox.last("cep@avenir.example.com")[1]

    with pytest.raises(ServiceError) as caught:
        handover.hand_over_synthese(consultant, validated)
    assert caught.value.code == "handover.error.already_current"
    bilans.transition(consultant, validated, BilanStatus.TERMINE)  # the closing guard still holds and releases


def test_a_corrected_upload_is_handed_over_as_a_new_document(world, handed_over, outbox):
    consultant, beneficiary = world.consultant_a, world.beneficiary_a
    with pytest.raises(ServiceError) as caught:
        uploaded.record_synthese_handover(consultant, handed_over)
    assert caught.value.code == "error.synthese_already_handed_over"
    assert not bilans.bilan_detail(consultant, handed_over).synthese_uploaded

    corrected = PDF + b"% corrected\n"
    uploaded.upload_synthese(consultant, handed_over, "synthese-corrigee.pdf", corrected)
    assert bilans.bilan_detail(consultant, handed_over).synthese_uploaded  # it waits to be handed over
    token = handover.synthese_link(beneficiary, handed_over).path.rsplit("/", 1)[1]
    assert handover.read_synthese_by_link(beneficiary, token) == ("synthese-bruno.pdf", PDF)  # not silently replaced

    uploaded.record_synthese_handover(consultant, handed_over)
    assert handover.read_synthese_by_link(beneficiary, token) == ("synthese-corrigee.pdf", corrected)
    history = handover.handover_history(beneficiary, handed_over)
    assert [(row.number, row.synthese_version, row.filename) for row in history] == [
        (2, None, "synthese-corrigee.pdf"),
        (1, None, "synthese-bruno.pdf"),
    ]
    assert history[1].sha256 == hashlib.sha256(PDF).hexdigest()
    assert outbox.last(world.person("beneficiary_a").email)[0].subject.startswith("Une nouvelle version")
