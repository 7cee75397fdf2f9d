"""Mail through a real SMTP server (aiosmtpd), and the Redis the app uses for its state."""

import email
import email.policy
import uuid

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlmodel import select

from services import members
from services.db import session_scope
from services.models import DeliveryStatus, MailMessage
from services.settings import get_settings
from tests.conftest import Sink, free_port, run_queued_jobs

pytestmark = pytest.mark.integration


@pytest.fixture
def smtp_server(set_env):
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    set_env(SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM="BilanCompetence.AI <no-reply@bilancompetence.example>")
    try:
        yield handler
    finally:
        controller.stop()


def test_invitation_is_delivered_by_smtp(world, smtp_server):
    invitation = members.invite(world.admin_a, {"email": "Nina.Lemoine@Exemple.FR", "role": "consultant"})
    assert smtp_server.envelopes == []  # the job waits for a worker: the request never talks to SMTP
    run_queued_jobs()

    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["nina.lemoine@exemple.fr"]
    assert envelope.mail_from == "no-reply@bilancompetence.example"
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["To"] == "nina.lemoine@exemple.fr"
    sender = message["From"].addresses[0]  # the organisation signs; the address stays the platform's
    assert (sender.display_name, sender.addr_spec) == ("Cabinet Alpha", "no-reply@bilancompetence.example")
    assert message["Subject"] == "Invitation à rejoindre Cabinet Alpha sur BilanCompetence.AI"
    assert message["Message-ID"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = f"{get_settings().public_url}/invitation/"
    assert link in body
    token = body.split(link, 1)[1].split()[0]
    assert members.describe_invitation(token).status == "valid"
    assert members.describe_invitation(token).email == "nina.lemoine@exemple.fr"

    with session_scope() as session:
        row = session.exec(select(MailMessage).where(MailMessage.to_address == "nina.lemoine@exemple.fr")).one()
    assert row.status is DeliveryStatus.SENT
    assert row.sent_at is not None
    assert row.error == ""
    assert row.organisation_id == invitation.organisation_id == world.org_a


def test_password_reset_mail_is_delivered_once(world, smtp_server):
    from services import auth

    person = world.person("beneficiary_b")
    auth.request_password_reset({"email": person.email}, auth.ClientInfo(ip="192.0.2.5"))
    auth.request_password_reset({"email": "inconnu@nulle-part.fr"}, auth.ClientInfo(ip="192.0.2.5"))
    run_queued_jobs()
    run_queued_jobs()  # a second worker run finds nothing left: delivered once
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [[person.email]]
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=email.policy.default)
    assert "/reinitialiser/" in message.get_body(preferencelist=("plain",)).get_content()


def test_server_going_away_keeps_the_message_as_failed(world, smtp_server, set_env):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    members.invite(world.admin_a, {"email": "perdu@exemple.fr", "role": "beneficiary"})
    run_queued_jobs()
    with session_scope() as session:
        row = session.exec(select(MailMessage).where(MailMessage.to_address == "perdu@exemple.fr")).one()
    assert row.status is DeliveryStatus.FAILED
    assert "Connection" in row.error
    assert smtp_server.envelopes == []


def test_redis_answers(redis_available):
    client = redis.Redis.from_url(redis_available, socket_timeout=3)
    key = f"bilan-test:{uuid.uuid4().hex}"
    try:
        assert client.ping() is True
        assert client.set(key, "valeur", ex=30) is True
        assert client.get(key) == b"valeur"
    finally:
        client.delete(key)
        client.close()
    assert redis.Redis.from_url(redis_available).exists(key) == 0
