"""The bilan's messaging: only its beneficiary and her consultant read and write; bad input is refused
with the field named; edits for 15 minutes; deletion leaves a trace; files checked by content."""

from __future__ import annotations

import asyncio
import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from sqlmodel import select

from services import filetypes, messaging, notifications
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.models import AuditEvent, Bilan, BilanStatus, Document, Message
from services.models.base import utcnow
from tests.unit.test_bilans import insert_bilan

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def bilan(world) -> str:
    return str(insert_bilan(world, BilanStatus.INVESTIGATION))


def test_they_write_to_each_other_and_see_receipts_and_unread_counts(world, bilan):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    messaging.send(her, bilan, "Bonjour, voici mes questions pour jeudi.")
    assert messaging.unread_counts(him) == {bilan: 1}
    assert notifications.unread_count(him) == 1
    messaging.send(her, bilan, "Et une seconde.")
    assert messaging.unread_counts(him) == {bilan: 2}
    [line] = notifications.list_notifications(him)
    assert line.count == 2  # one line per conversation, not one per message
    theirs = messaging.thread(him, bilan)
    assert [m.body for m in theirs.messages] == ["Bonjour, voici mes questions pour jeudi.", "Et une seconde."]
    assert not any(m.mine for m in theirs.messages)
    assert messaging.unread_counts(him) == {}
    mine = messaging.thread(her, bilan)
    assert all(m.mine and m.read_by_other for m in mine.messages)
    messaging.send(him, bilan, "Bien reçu.")
    assert messaging.thread(him, bilan).messages[-1].read_by_other is False


def test_nobody_else_reads_the_conversation(world, bilan):
    messaging.send(world.actor("beneficiary_a"), bilan, "Confidentiel")
    with pytest.raises(AccessDenied):
        messaging.thread(world.actor("admin_a"), bilan)
    with pytest.raises(AccessDenied):
        messaging.send(world.actor("admin_a"), bilan, "Je lis ?")
    for key in ("consultant_b", "beneficiary_b", "admin_b"):
        with pytest.raises((NotFound, AccessDenied)):
            messaging.thread(world.actor(key), bilan)
    activity = messaging.activity(world.actor("admin_a"), bilan)
    assert activity.exists and activity.messages == 1 and activity.last_message_at is not None
    with pytest.raises(AccessDenied):
        messaging.activity(world.actor("consultant_a"), bilan)
    with pytest.raises(NotFound):
        messaging.activity(world.actor("admin_b"), bilan)
    with session_scope() as session:  # encrypted at rest
        assert "Confidentiel" not in session.exec(select(Message)).one().body_encrypted


@pytest.mark.parametrize(
    ("body", "attachment", "field", "key"),
    [
        ("   ", None, "body", "msg.error.empty"),
        ("x" * 10_001, None, "body", "msg.error.too_long"),
        ("voici", ("cv.pdf", b"MZ\x90\x00 not a pdf"), "attachment", "msg.error.type"),  # renamed executable
        ("voici", ("cv.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "attachment", "msg.error.too_big"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(world, bilan, body, attachment, field, key):
    with pytest.raises(FormError) as refused:
        messaging.send(world.actor("beneficiary_a"), bilan, body, attachment)
    assert refused.value.fields == {field: key}
    assert messaging.thread(world.actor("beneficiary_a"), bilan).messages == []


def test_files_are_checked_by_content_stored_encrypted_and_listed_with_the_bilan(world, bilan, isolated_storage):
    her = world.actor("beneficiary_a")
    messaging.send(her, bilan, "", ("cv.pdf", PDF))
    messaging.send(her, bilan, "Mon diplôme", ("diplome.docx", _docx()))
    thread = messaging.thread(world.actor("consultant_a"), bilan)
    assert [m.attachment_name for m in thread.messages] == ["cv.pdf", "diplome.docx"]
    name, content_type, content = messaging.read_attachment(world.actor("consultant_a"), thread.messages[0].id)
    assert (name, content_type, content) == ("cv.pdf", "application/pdf", PDF)
    with pytest.raises(NotFound):
        messaging.read_attachment(world.actor("consultant_b"), thread.messages[0].id)
    with session_scope() as session:
        kinds = {d.kind for d in session.exec(select(Document)).all()}
        downloads = session.exec(select(AuditEvent).where(AuditEvent.action == "messaging.attachment_downloaded")).all()
    assert kinds == {"message_attachment"}
    # Every read is audited, by whom and which message; the refused one is not a download.
    assert [(event.actor_user_id, event.changes["message"]["after"]) for event in downloads] == [
        (world.actor("consultant_a").user_id, thread.messages[0].id)
    ]


def test_edit_within_15_minutes_and_delete_leaves_a_trace(world, bilan):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    sent = messaging.send(her, bilan, "Rendez-vous jeudi")
    with pytest.raises(AccessDenied):
        messaging.edit(him, sent.id, "Falsifié")
    messaging.edit(her, sent.id, "Rendez-vous vendredi")
    [shown] = messaging.thread(him, bilan).messages
    assert shown.body == "Rendez-vous vendredi" and shown.edited
    with session_scope() as session:  # 16 minutes later, the text is final
        row = session.get(Message, uuid.UUID(sent.id))
        row.created_at = row.created_at - timedelta(minutes=16)
        session.add(row)
    with pytest.raises(ServiceError) as late:
        messaging.edit(her, sent.id, "Encore")
    assert late.value.code == "msg.error.edit_too_late"
    with pytest.raises(AccessDenied):
        messaging.delete(him, sent.id)
    messaging.delete(her, sent.id)
    [gone] = messaging.thread(him, bilan).messages
    assert gone.deleted and gone.body == "" and not gone.editable
    with session_scope() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "messaging.message_deleted")).one()


def test_a_draft_survives_a_reload_and_goes_when_sent(world, bilan):
    her = world.actor("beneficiary_a")
    messaging.save_draft(her, bilan, "Je voulais vous dire")
    assert messaging.thread(her, bilan).draft == "Je voulais vous dire"
    assert messaging.thread(world.actor("consultant_a"), bilan).draft == ""  # her draft is hers
    messaging.send(her, bilan, "Je voulais vous dire merci")
    assert messaging.thread(her, bilan).draft == ""


def test_a_closed_bilan_or_one_without_consultant_takes_no_new_message(world):
    closed = str(insert_bilan(world, BilanStatus.TERMINE))
    with pytest.raises(ServiceError):
        messaging.send(world.actor("beneficiary_a"), closed, "Encore une question")
    waiting = str(insert_bilan(world, BilanStatus.DEMANDE, consultant=None))
    with pytest.raises(ServiceError) as refused:
        messaging.send(world.actor("beneficiary_a"), waiting, "Bonjour")
    assert refused.value.code == "msg.error.no_consultant"
    assert messaging.thread(world.actor("beneficiary_a"), waiting).open is False


def test_templates_are_the_consultants_own(world):
    him = world.actor("consultant_a")
    messaging.save_template(him, "Préparer la séance", "Pensez à apporter votre CV.")
    [template] = messaging.templates(him)
    assert (template.title, template.body) == ("Préparer la séance", "Pensez à apporter votre CV.")
    assert messaging.templates(world.actor("consultant_b")) == []
    with pytest.raises(NotFound):
        messaging.delete_template(world.actor("consultant_b"), template.id)
    with pytest.raises(AccessDenied):
        messaging.templates(world.actor("beneficiary_a"))
    with pytest.raises(FormError):
        messaging.save_template(him, "", "")
    messaging.delete_template(him, template.id)
    assert messaging.templates(him) == []


def test_sniff_recognises_content_not_names():
    assert filetypes.sniff(PDF) == "application/pdf"
    assert filetypes.sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert filetypes.sniff(_docx()).endswith("wordprocessingml.document")
    assert filetypes.sniff(b"MZ\x90\x00") is None
    assert filetypes.sniff(b"PK\x03\x04 broken zip") is None


def test_a_committed_change_wakes_the_tabs_on_that_conversation_only(world, bilan):
    her = world.actor("beneficiary_a")

    async def scenario() -> tuple[bool, bool, bool]:
        waiting = asyncio.create_task(messaging.wait_for_change(bilan, timeout=5))
        elsewhere = asyncio.create_task(messaging.wait_for_change(str(uuid.uuid4()), timeout=0.5))
        await asyncio.sleep(0.05)
        rolled_back = asyncio.create_task(messaging.wait_for_change(bilan, timeout=0.5))
        with pytest.raises(FormError):  # refused: nothing committed, nobody woken
            await asyncio.to_thread(messaging.send, her, bilan, " ")
        refused_woke = await rolled_back
        await asyncio.to_thread(messaging.send, her, bilan, "Bonjour")
        return await waiting, await elsewhere, refused_woke

    assert asyncio.run(scenario()) == (True, False, False)


def test_a_follower_keeps_a_change_signalled_while_it_was_busy(world, bilan):
    """A tab re-reading the conversation when the next message is committed sees it at its next wait:
    a wait registered only while waiting would have lost that change until the one after."""
    her = world.actor("beneficiary_a")

    async def scenario() -> tuple[bool, bool, bool]:
        with messaging.watch(bilan) as changes:
            await asyncio.to_thread(messaging.send, her, bilan, "Bonjour")  # while the tab was not waiting
            await asyncio.to_thread(messaging.send, her, bilan, "Vous êtes là ?")  # two changes, one re-read
            return await changes.wait(0.5), await changes.wait(0.2), await messaging.wait_for_change(bilan, 0.2)

    assert asyncio.run(scenario()) == (True, False, False)


def test_a_tabs_own_message_wakes_every_other_tab_but_not_its_own_follower(world, bilan):
    """The tab that sends shows its message itself (the send handler re-reads): its follower is not woken
    for it; her other tab (same login) and her consultant's are."""
    her = world.actor("beneficiary_a")

    def send_from_her_first_tab() -> None:
        with messaging.made_by("her-first-tab"):
            messaging.send(her, bilan, "Bonjour")

    async def scenario() -> tuple[bool, bool, bool]:
        with (
            messaging.watch(bilan, "her-first-tab") as sender,
            messaging.watch(bilan, "her-second-tab") as hers,
            messaging.watch(bilan, "his-tab") as his,
        ):
            await asyncio.to_thread(send_from_her_first_tab)
            return await sender.wait(0.3), await hers.wait(1), await his.wait(1)

    assert asyncio.run(scenario()) == (False, True, True)


def test_an_attachment_downloads_for_the_two_participants_only(world, bilan, isolated_storage):
    from starlette.testclient import TestClient

    from bilan_app.api import api
    from services import routes

    messaging.send(world.actor("beneficiary_a"), bilan, "Mon CV", ("cv.pdf", PDF))
    [sent] = messaging.thread(world.actor("beneficiary_a"), bilan).messages
    path = routes.message_attachment(sent.id)
    for key in ("beneficiary_a", "consultant_a"):
        answer = TestClient(api, cookies={"bc_session": world.login(key)[0]}).get(path)
        assert answer.status_code == 200 and answer.content == PDF
        assert answer.headers["content-type"] == "application/pdf" and "cv.pdf" in answer.headers["content-disposition"]
    for key in ("admin_a", "consultant_b", "beneficiary_b"):
        answer = TestClient(api, cookies={"bc_session": world.login(key)[0]}).get(path)
        assert answer.status_code == 404 and PDF not in answer.content
    assert TestClient(api).get(path).status_code == 404


def test_a_follower_does_not_show_a_read_older_than_what_its_tab_shows(world, bilan):
    """Her own send is not signalled to her own follower: a read the follower made before it must not
    replace the list her send showed (her message would vanish until the next change)."""
    from services.display.messaging import message_rows
    from state.messaging import _newer_shown

    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    messaging.send(him, bilan, "Bonjour")
    before_her_send = messaging.thread(her, bilan)
    messaging.send(her, bilan, "Bonjour, merci")
    shown = message_rows(messaging.thread(her, bilan).messages, "fr")
    assert _newer_shown(shown, before_her_send)
    assert not _newer_shown(shown, messaging.thread(her, bilan))


def test_the_conversations_files_are_listed_for_its_two_participants_only(world, bilan, isolated_storage):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    messaging.send(her, bilan, "Mon CV", ("cv.pdf", PDF))
    messaging.send(him, bilan, "Le modèle de lettre", ("lettre.docx", _docx()))
    regretted = messaging.send(her, bilan, "Oups", ("ancien-cv.pdf", PDF))
    messaging.delete(her, regretted.id)  # a deleted message's file is not listed
    messaging.send(her, bilan, "Sans fichier")

    unread = messaging.unread_counts(him)
    files = messaging.list_attachments(him, bilan)
    assert [(f.filename, f.sender, f.mine) for f in files] == [
        ("lettre.docx", "Camille ConseilA", True),
        ("cv.pdf", "Bruno BenefA", False),
    ]  # newest first
    assert files[1].size_bytes == len(PDF)
    _, _, content = messaging.read_attachment(her, files[0].message_id)  # the id is the download route's
    assert content == _docx()
    assert [(f.filename, f.mine) for f in messaging.list_attachments(her, bilan)] == [
        ("lettre.docx", False),
        ("cv.pdf", True),
    ]
    assert messaging.unread_counts(him) == unread == {bilan: 1}  # listing the files reads no message

    with pytest.raises(AccessDenied):  # the org admin never sees the content, files included
        messaging.list_attachments(world.actor("admin_a"), bilan)
    for key in ("consultant_b", "beneficiary_b", "admin_b"):  # another organisation: nothing
        with pytest.raises(NotFound):
            messaging.list_attachments(world.actor(key), bilan)
    with pytest.raises(NotFound):
        messaging.list_attachments(him, str(uuid.uuid4()))


def test_the_navigation_counts_her_unread_messages_of_her_current_bilan(world):
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    earlier = str(insert_bilan(world, BilanStatus.INVESTIGATION, requested_at=utcnow() - timedelta(days=800)))
    messaging.send(him, earlier, "Un message resté non lu sur l'ancien bilan")
    with session_scope() as session:  # that bilan ended; her space and her messages page show the new one
        old = session.get(Bilan, uuid.UUID(earlier))
        old.status = BilanStatus.TERMINE
        session.add(old)
    current = str(insert_bilan(world, BilanStatus.INVESTIGATION))
    assert messaging.unread_total(her) == 0

    messaging.send(her, current, "Ses propres messages ne comptent pas")
    messaging.send(him, current, "Bonjour")
    deleted = messaging.send(him, current, "Erreur de destinataire")
    messaging.send(him, current, "Voici le lien")
    messaging.delete(him, deleted.id)
    assert messaging.unread_total(her) == 2
    assert messaging.unread_counts(her) == {earlier: 1, current: 2}
    for key in ("consultant_a", "admin_a", "beneficiary_b", "platform"):  # no "Messagerie" link: no count
        assert messaging.unread_total(world.actor(key)) == 0
    messaging.thread(her, current)  # she opens her messages page
    assert messaging.unread_total(her) == 0


def test_each_role_has_its_quick_replies_in_french_and_english():
    from services.i18n import EN, FR
    from services.models import Role

    assert set(messaging.QUICK_REPLIES) == {Role.BENEFICIARY, Role.CONSULTANT}
    assert "msg.quick.received" in messaging.QUICK_REPLIES[Role.BENEFICIARY]
    assert "msg.quick.reply_today" in messaging.QUICK_REPLIES[Role.CONSULTANT]
    for keys in messaging.QUICK_REPLIES.values():
        assert len(set(keys)) == len(keys)
        for key in keys:
            assert FR[key] and EN[key] and FR[key] != EN[key]
            assert len(FR[key]) <= 80  # short answers, not templates


def test_file_sizes_and_senders_read_as_people_say_them():
    from datetime import UTC, datetime

    from services.display.messaging import attachment_rows, file_size

    assert file_size(10, "fr") == "1 Ko"
    assert file_size(820 * 1024, "fr") == "820 Ko"
    assert file_size(1024 * 1024 + 1, "fr") == "1 Mo"
    assert file_size(int(1.44 * 1024 * 1024), "fr") == "1,4 Mo"
    assert file_size(int(1.44 * 1024 * 1024), "en") == "1.4 MB"
    when = datetime(2026, 3, 10, 9, 5, tzinfo=UTC)
    views = [
        messaging.AttachmentView("m1", "cv.pdf", 2048, "Bruno BenefA", True, when),
        messaging.AttachmentView("m2", "lettre.docx", 4096, "Camille ConseilA", False, when),
    ]
    rows = attachment_rows(views, "fr")
    assert [(r["name"], r["size"], r["sender"]) for r in rows] == [
        ("cv.pdf", "2 Ko", "Vous"),
        ("lettre.docx", "4 Ko", "Camille ConseilA"),
    ]
    assert rows[0]["href"] == "/api/messages/m1/piece-jointe" and rows[0]["when"] == "10/03/2026 10:05"
    assert attachment_rows(views, "en")[0]["sender"] == "You"
