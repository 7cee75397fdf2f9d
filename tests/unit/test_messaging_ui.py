"""The messaging's screens without a browser, through their states' handlers: quick replies and templates
fill the composer (nothing is sent), the navigation counts her unread messages, the bilan's documents tab
lists the conversation's files for her consultant and not for the org admin."""

from __future__ import annotations

from typing import Any

import pytest

from services import messaging, routes
from services.models import BilanStatus
from state.beneficiary import BeneficiarySpaceState
from state.bilans import BilanPageState
from state.messaging import ConversationState
from tests.unit.test_bilans import insert_bilan
from tests.unit.test_messaging import PDF
from tests.unit.test_screens import _call, _state_in, _tab


@pytest.fixture
def bilan(world) -> str:
    return str(insert_bilan(world, BilanStatus.INVESTIGATION))


def _on(world: Any, state_class: Any, key: str, path: str) -> Any:
    return _state_in(_tab(path), state_class, world.person(key).token)


def test_a_quick_reply_fills_her_composer_after_what_she_typed_and_sends_nothing(world, bilan):
    page = _on(world, ConversationState, "beneficiary_a", routes.MESSAGES)
    _call(ConversationState.load, page)
    assert page.status == "ready"
    version = page.draft_version

    [focus] = _call(ConversationState.use_quick_reply, page, "msg.quick.received", "Bonjour,  ")
    assert page.draft == "Bonjour,\nBien reçu, merci." and page.draft_version == version + 1
    assert "focus()" in str(focus)  # back to the box, to edit before sending
    assert messaging.thread(world.actor("beneficiary_a"), bilan).draft == page.draft  # kept across a reload
    assert messaging.thread(world.actor("consultant_a"), bilan).messages == []  # nothing sent

    _call(ConversationState.use_quick_reply, page, "msg.quick.slot_ok", "")  # an empty box: the text alone
    assert page.draft == "D'accord pour ce créneau."
    for foreign in ("msg.quick.reply_today", "error.form", ""):  # the consultant's, or no quick reply at all
        assert _call(ConversationState.use_quick_reply, page, foreign, "x") == []
        assert page.draft == "D'accord pour ce créneau."

    page.locale = "en"
    _call(ConversationState.use_quick_reply, page, "msg.quick.noted", "")
    assert page.draft == "Thank you, noted."


def test_the_consultants_quick_replies_and_templates_fill_the_composer_alike(world, bilan):
    him = world.actor("consultant_a")
    messaging.save_template(him, "Préparer la séance", "Pensez à apporter votre CV.")
    page = _on(world, ConversationState, "consultant_a", routes.bilan_messages(bilan))
    _call(ConversationState.load, page)
    [template] = page.templates
    _call(ConversationState.use_quick_reply, page, "msg.quick.reply_today", "Bonjour Bruno,")
    _call(ConversationState.use_template, page, template["id"], page.draft)
    assert page.draft == "Bonjour Bruno,\nJe vous réponds dans la journée.\nPensez à apporter votre CV."
    assert messaging.thread(him, bilan).draft == page.draft


def test_her_messagerie_link_counts_her_unread_messages_on_each_page_load(world, bilan):
    him = world.actor("consultant_a")
    messaging.send(him, bilan, "Bonjour")
    messaging.send(him, bilan, "Voici le programme de jeudi")
    home = _on(world, BeneficiarySpaceState, "beneficiary_a", routes.BENEFICIARY_HOME)
    _call(BeneficiarySpaceState.load, home)
    assert (home.unread_messages, home.unread_notifications) == (2, 1)  # one notification line per conversation

    page = _on(world, ConversationState, "beneficiary_a", routes.MESSAGES)
    _call(ConversationState.load, page)  # reading the conversation clears both counts
    assert (page.unread_messages, page.unread_notifications) == (0, 0)

    consultant = _on(world, ConversationState, "consultant_a", routes.bilan_messages(bilan))
    _call(ConversationState.load, consultant)
    assert consultant.unread_messages == 0  # his navigation has no such link


def test_the_documents_tab_lists_the_conversations_files_for_her_consultant_not_the_admin(
    world, bilan, isolated_storage
):
    messaging.send(world.actor("beneficiary_a"), bilan, "Mon CV", ("cv.pdf", PDF))
    path = f"/bilans/{bilan}"
    consultant = _on(world, BilanPageState, "consultant_a", path)
    _call(BilanPageState.load, consultant)
    [row] = consultant.attachments
    assert (row["name"], row["sender"], row["size"]) == ("cv.pdf", "Bruno BenefA", "1 Ko")
    assert row["href"] == routes.message_attachment(row["id"])

    admin = _on(world, BilanPageState, "admin_a", path)
    _call(BilanPageState.load, admin)
    assert admin.found and admin.attachments == [] and not admin.form_error

    # Her messages page lists them too, hers marked as hers.
    page = _on(world, ConversationState, "beneficiary_a", routes.MESSAGES)
    _call(ConversationState.load, page)
    assert [(r["name"], r["sender"]) for r in page.attachments] == [("cv.pdf", "Vous")]


def test_send_sends_the_text_on_screen_and_keeps_a_refused_one_as_the_draft(world, bilan):
    her = world.actor("beneficiary_a")
    page = _on(world, ConversationState, "beneficiary_a", routes.MESSAGES)
    messaging.save_draft(her, bilan, "Un ancien brouillon")
    _call(ConversationState.load, page)
    assert page.draft == "Un ancien brouillon"

    # The click carries the box's text: an older draft (or a draft save still on its way) is not what goes.
    _call(ConversationState.send, page, [], "Le texte à l'écran")
    assert [m.body for m in messaging.thread(world.actor("consultant_a"), bilan).messages] == ["Le texte à l'écran"]
    assert page.draft == "" and messaging.thread(her, bilan).draft == ""

    too_long = "x" * (messaging.MAX_MESSAGE_CHARS + 1)
    _call(ConversationState.send, page, [], too_long)
    assert "body" in page.errors and page.draft == too_long
    assert messaging.thread(her, bilan).draft == too_long  # a reload keeps it
