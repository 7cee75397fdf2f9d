"""The notification centre: a row per event and person in their language, mail as they chose (at once,
daily digest, never; essential kinds always), one-click unsubscribe, and nobody reads another's list."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import ClassVar

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


def test_a_mail_carries_the_one_click_unsubscribe_header_and_an_essential_one_none(world, outbox):
    from services.mail import compose

    _tell(world, "beneficiary_a")
    message, _ = outbox.last(world.person("beneficiary_a").email)
    assert "/api/notifications/desabonnement/" in message.unsubscribe_url
    email = compose("a@exemple.fr", "s", "b", "X <x@exemple.fr>", None, message.unsubscribe_url)
    assert email["List-Unsubscribe"] == f"<{message.unsubscribe_url}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    _tell(world, "beneficiary_a", "session_recorded", deadline=notifications.when(SESSION_AT))
    message, _ = outbox.last(world.person("beneficiary_a").email)
    assert message.unsubscribe_url == ""
    assert "List-Unsubscribe" not in compose("a@exemple.fr", "s", "b", "X <x@exemple.fr>", None, "")


# ---------------------------------------------------------------- SMS


class RecordingSms:
    """An SMS adapter as a real provider's would be plugged in (SMS_PROVIDER=module:Class)."""

    sent: ClassVar[list[tuple[str, str]]] = []
    refuse = False

    def send(self, to: str, text: str) -> None:
        from services.notifications.sms import SmsFailed

        if RecordingSms.refuse:
            raise SmsFailed("provider said no")
        RecordingSms.sent.append((to, text))


@pytest.fixture
def sms_provider(set_env):
    from services.notifications import sms

    RecordingSms.sent, RecordingSms.refuse = [], False
    set_env(SMS_PROVIDER=f"{__name__}:RecordingSms")
    sms._provider.cache_clear()
    yield RecordingSms
    sms._provider.cache_clear()


def _sms_rows():
    from services.models import SmsMessage

    with session_scope() as session:
        return list(session.exec(select(SmsMessage)))


def test_without_a_provider_no_sms_is_offered_and_the_page_says_so(world):
    actor = world.actor("beneficiary_a")
    assert not notifications.sms_offered()
    assert not any(p.sms_possible for p in notifications.preferences(actor))
    with pytest.raises(FormError) as refused:
        notifications.set_sms(actor, "session_planned", True)
    assert refused.value.fields == {"session_planned": "notif.error.sms_not_offered"}
    notifications.set_mobile_number(actor, "06 12 34 56 78")
    _tell(world, "beneficiary_a")
    assert _sms_rows() == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_a_mobile_number_is_kept_in_e164(world, typed, stored):
    actor = world.actor("beneficiary_a")
    assert notifications.set_mobile_number(actor, typed) == stored
    assert notifications.mobile_number(actor) == stored
    with session_scope() as session:  # personal data: encrypted at rest
        assert stored not in session.get(User, actor.user_id).mobile_phone_encrypted


@pytest.mark.parametrize("typed", ["01 23 45 67 89", "06 12 34", "+33 1 23 45 67 89", "téléphone", "+0612345678"])
def test_a_landline_or_garbage_is_refused_next_to_the_field_and_the_old_number_kept(world, typed):
    actor = world.actor("beneficiary_a")
    notifications.set_mobile_number(actor, "0612345678")
    with pytest.raises(FormError) as refused:
        notifications.set_mobile_number(actor, typed)
    assert refused.value.fields == {"mobile": "notif.error.mobile"}
    assert notifications.mobile_number(actor) == "+33612345678"


def test_a_number_change_is_audited_masked(world):
    from services.models import AuditEvent

    notifications.set_mobile_number(world.actor("beneficiary_a"), "0612345678")
    with session_scope() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.mobile_changed")).one()
        assert "+33612345678" not in str(event.changes)
        assert event.changes["mobile"]["after"] == "+336•••••678"


def test_an_sms_goes_to_whoever_ticked_the_kind_in_her_language(world, sms_provider):
    actor = world.actor("beneficiary_a")
    assert {p.kind for p in notifications.preferences(actor) if p.sms_possible} == {
        "session_planned",
        "session_moved",
        "session_cancelled",
        "session_reminder",
    }
    with pytest.raises(FormError) as refused:  # no number yet
        notifications.set_sms(actor, "session_planned", True)
    assert refused.value.fields == {"session_planned": "notif.error.no_mobile"}
    with pytest.raises(NotFound):  # a kind that never goes by SMS
        notifications.set_sms(actor, "message_received", True)
    _tell(world, "beneficiary_a")
    assert sms_provider.sent == []  # not ticked: no SMS
    notifications.set_mobile_number(actor, "06 12 34 56 78")
    notifications.set_sms(actor, "session_planned", True)
    assert [p.sms for p in notifications.preferences(actor) if p.kind == "session_planned"] == [True]
    _tell(world, "beneficiary_a")
    [(to, text)] = sms_provider.sent
    assert to == "+33612345678"
    assert text.startswith("Cabinet Alpha : rendez-vous de bilan le jeudi 12 mars 2026 à 14:30.")
    assert "http" in text and len(text) <= 320
    _tell(world, "beneficiary_a", "session_moved")  # not ticked
    assert len(sms_provider.sent) == 1
    notifications.set_mobile_number(actor, "")  # removing the number stops every SMS
    _tell(world, "beneficiary_a")
    assert len(sms_provider.sent) == 1


def test_an_sms_is_never_sent_twice_and_a_refusal_is_retried(world, sms_provider):
    from services.models import DeliveryStatus
    from services.notifications import sms

    actor = world.actor("beneficiary_a")
    notifications.set_mobile_number(actor, "0612345678")
    notifications.set_sms(actor, "session_planned", True)
    sms_provider.refuse = True
    with pytest.raises(sms.SmsFailed):  # embedded mode runs the job after commit: here by hand
        user = _user(world, "beneficiary_a")
        with session_scope() as session:
            message = sms.queue_sms(session, user, "texte", organisation_id=world.org_a)
        sms.deliver_sms(message.id)
    assert [row.status for row in _sms_rows() if row.id == message.id] == [DeliveryStatus.FAILED]
    sms_provider.refuse = False
    assert sms.deliver_sms(message.id) is DeliveryStatus.SENT
    assert sms.deliver_sms(message.id) is DeliveryStatus.SENT  # already sent: left alone
    assert sms_provider.sent == [("+33612345678", "texte")]
    with session_scope() as session:  # a worker died while the provider had it
        row = session.get(sms.SmsMessage, message.id)
        row.status = DeliveryStatus.SENDING
        session.add(row)
    assert sms.deliver_sms(message.id) is DeliveryStatus.UNCERTAIN
    assert len(sms_provider.sent) == 1


def test_the_console_provider_writes_the_message_to_the_log_with_the_number_masked(world, set_env, caplog):
    from services.models import DeliveryStatus
    from services.notifications import sms

    set_env(SMS_PROVIDER="console")
    sms._provider.cache_clear()
    try:
        actor = world.actor("beneficiary_a")
        notifications.set_mobile_number(actor, "0612345678")
        notifications.set_sms(actor, "session_planned", True)
        with caplog.at_level("WARNING", logger="bilan.sms"):
            _tell(world, "beneficiary_a")
        assert "+336•••••678" in caplog.text and "0612345678" not in caplog.text
        assert "rendez-vous de bilan le jeudi 12 mars 2026" in caplog.text
        assert [row.status for row in _sms_rows()] == [DeliveryStatus.SENT]
    finally:
        sms._provider.cache_clear()
