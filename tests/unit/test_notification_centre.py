"""The notification centre: a row per event and person in their language, mail as they chose (at once,
daily digest, never; essential kinds always), one-click unsubscribe, and nobody reads another's list."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from services import notifications, routes
from services.db import session_scope
from services.errors import FormError, NotFound
from services.models import MailMessage, Notification, User
from tests.conftest import run_queued_jobs

SESSION_AT = datetime(2026, 3, 12, 13, 30, tzinfo=UTC)


def _user(world, key: str) -> User:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == world.person(key).email)).one()
        session.expunge(user)
        return user


def _tell(world, key: str, kind: str = "session_planned", **extra: object) -> None:
    user = _user(world, key)
    with session_scope() as session:
        notifications.notify(
            session,
            user,
            f"mail.{kind}",
            organisation_id=world.org_a,
            path=routes.BENEFICIARY_HOME,
            date=notifications.when(SESSION_AT),
            minutes=90,
            place="Lyon",
            before=notifications.when(SESSION_AT),
            **extra,
        )
    run_queued_jobs()


def _mails(world, key: str) -> list[MailMessage]:
    with session_scope() as session:
        return list(session.exec(select(MailMessage).where(MailMessage.to_address == world.person(key).email)))


def test_an_event_is_a_line_in_her_language_and_a_mail_with_a_way_to_stop_it(world, outbox):
    before = len(_mails(world, "beneficiary_a"))
    _tell(world, "beneficiary_a")
    actor = world.actor("beneficiary_a")
    [line] = notifications.list_notifications(actor)
    assert line.title == "Rendez-vous de bilan planifié"  # the subject, in her language
    assert line.path == routes.BENEFICIARY_HOME and not line.read
    assert notifications.unread_count(actor) == 1
    assert len(_mails(world, "beneficiary_a")) == before + 1
    _, body = outbox.last(world.person("beneficiary_a").email)
    assert "/api/notifications/desabonnement/" in body
    with session_scope() as session:  # the text names people: encrypted at rest
        row = session.exec(select(Notification)).one()
        assert line.title not in row.title_encrypted


def test_digest_and_off_keep_the_line_but_change_the_mail(world, outbox):
    actor = world.actor("beneficiary_a")
    notifications.set_preference(actor, "session_planned", "digest")
    notifications.set_preference(actor, "session_moved", "off")
    before = len(_mails(world, "beneficiary_a"))
    _tell(world, "beneficiary_a", "session_planned")
    _tell(world, "beneficiary_a", "session_moved")
    assert notifications.unread_count(actor) == 2
    assert len(_mails(world, "beneficiary_a")) == before  # neither mailed now
    assert notifications.send_digests() == 1
    run_queued_jobs()
    message, body = outbox.last(world.person("beneficiary_a").email)
    assert "résumé" in message.subject.lower() and body.count("\n- ") == 1  # the digest has the planned one only
    assert notifications.send_digests() == 0  # a second run mails nothing
    modes = {p.kind: p.mode for p in notifications.preferences(actor)}
    assert modes["session_planned"] == "digest" and modes["session_moved"] == "off"


def test_essential_kinds_are_always_mailed_and_cannot_be_turned_off(world):
    actor = world.actor("beneficiary_a")
    with pytest.raises(FormError):
        notifications.set_preference(actor, "session_recorded", "off")
    essential = {p.kind: p.essential for p in notifications.preferences(actor)}
    assert essential["session_recorded"] is True and essential["session_planned"] is False
    with pytest.raises(NotFound):  # not a kind a beneficiary receives
        notifications.set_preference(actor, "request_submitted", "off")
    with pytest.raises(FormError):
        notifications.set_preference(actor, "session_planned", "sometimes")


def test_repeated_events_of_one_thread_fold_into_one_unread_line(world):
    for _ in range(3):
        _tell(world, "beneficiary_a", group_key="thread-1")
    [line] = notifications.list_notifications(world.actor("beneficiary_a"))
    assert line.count == 3


def test_nobody_reads_or_marks_another_persons_notifications(world):
    _tell(world, "beneficiary_a")
    [line] = notifications.list_notifications(world.actor("beneficiary_a"))
    for key in ("consultant_a", "admin_a", "beneficiary_b", "platform"):
        assert notifications.list_notifications(world.actor(key)) == []
        with pytest.raises(NotFound):
            notifications.mark_read(world.actor(key), line.id)
        assert notifications.mark_all_read(world.actor(key)) == 0
    with pytest.raises(NotFound):
        notifications.mark_read(world.actor("beneficiary_a"), "not-an-id")
    assert notifications.mark_read(world.actor("beneficiary_a"), line.id) == routes.BENEFICIARY_HOME
    assert notifications.unread_count(world.actor("beneficiary_a")) == 0


def test_the_unsubscribe_link_turns_one_kind_off_and_a_forged_one_nothing(world, outbox):
    _tell(world, "beneficiary_a")
    _, body = outbox.last(world.person("beneficiary_a").email)
    token = re.search(r"/desabonnement/([^\s]+)", body).group(1)
    assert notifications.check_unsubscribe(token) == ("session_planned", "fr")
    assert notifications.unsubscribe(token + "x") is None
    assert notifications.unsubscribe(token) == ("session_planned", "fr")
    modes = {p.kind: p.mode for p in notifications.preferences(world.actor("beneficiary_a"))}
    assert modes["session_planned"] == "off"


def test_an_essential_mail_has_no_unsubscribe_link(world, outbox):
    _tell(world, "beneficiary_a", "session_recorded", deadline=notifications.when(SESSION_AT))
    _, body = outbox.last(world.person("beneficiary_a").email)
    assert "desabonnement" not in body


def test_the_unsubscribe_page_asks_on_get_and_acts_on_post(world, outbox):
    from starlette.testclient import TestClient

    from bilan_app.api import api

    _tell(world, "beneficiary_a")
    _, body = outbox.last(world.person("beneficiary_a").email)
    path = re.search(r"(/api/notifications/desabonnement/[^\s]+)", body).group(1)
    client = TestClient(api)
    asked = client.get(path)
    assert asked.status_code == 200 and "<form" in asked.text and "Séance planifiée" in asked.text
    modes = {p.kind: p.mode for p in notifications.preferences(world.actor("beneficiary_a"))}
    assert modes["session_planned"] == "immediate"  # a link scanner's GET changes nothing
    assert client.post(path).status_code == 200
    modes = {p.kind: p.mode for p in notifications.preferences(world.actor("beneficiary_a"))}
    assert modes["session_planned"] == "off"
    assert client.post(path + "x").status_code == 400
    assert world.person("beneficiary_a").email not in client.get(path + "x").text
