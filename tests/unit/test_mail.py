"""services.mail through a real SMTP server (aiosmtpd): queued in the caller's transaction, delivered by
its job after the commit, never dropped, never sent twice."""

import logging
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from sqlmodel import select

from services import mail
from services.db import session_scope
from services.errors import AccessDenied
from services.models import DeliveryStatus, MailMessage
from services.queue import uses_worker
from tests.conftest import Sink, run_queued_jobs


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def queue(to="destinataire@exemple.fr", subject="Sujet", body="Corps du message https://x/invitation/abc"):
    with session_scope() as session:
        message = mail.queue_mail(session, to=to, subject=subject, body=body)
    run_queued_jobs()
    return message.id


def message_row(message_id) -> MailMessage:
    with session_scope() as session:
        return session.get(MailMessage, message_id)


def test_without_smtp_the_message_stays_in_the_outbox_and_is_logged(caplog):
    caplog.set_level(logging.WARNING, logger="bilan.mail")
    message_id = queue(body="Bonjour, voici le lien https://exemple/invitation/tok123")
    row = message_row(message_id)
    assert row.status is DeliveryStatus.OUTBOX
    assert row.sent_at is None
    assert row.error == ""
    # Encrypted at rest.
    assert "tok123" not in row.body_encrypted
    logged = [r.getMessage() for r in caplog.records if r.name == "bilan.mail"]
    assert len(logged) == 1
    assert "DEV OUTBOX" in logged[0]
    assert "destinataire@exemple.fr" in logged[0]
    assert "https://exemple/invitation/tok123" in logged[0]


def test_production_without_smtp_keeps_the_message_but_never_logs_the_body(set_env, caplog):
    set_env(
        APP_ENV="production",
        SECRET_KEY="k3Jx9-Qv2mZt7LwP0aRsYe4UcN8bHd6FgT1o",
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    caplog.set_level(logging.WARNING, logger="bilan.mail")
    message_id = queue(body="lien secret https://exemple/reinitialiser/tok999")
    assert message_row(message_id).status is DeliveryStatus.OUTBOX
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "SMTP_URL is not set" in text
    assert "tok999" not in text


def test_unreachable_smtp_marks_the_message_failed_with_the_error(set_env, caplog):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{closed_port()}")
    caplog.set_level(logging.ERROR, logger="bilan.mail")
    message_id = queue()
    row = message_row(message_id)
    assert row.status is DeliveryStatus.FAILED
    assert "ConnectionRefusedError" in row.error
    assert row.sent_at is None
    assert any("failed" in r.getMessage() for r in caplog.records)


def test_smtp_delivery_marks_sent(smtp_sink):
    message_id = queue(to="x@exemple.fr", subject="Invitation à rejoindre", body="Corps é")
    row = message_row(message_id)
    assert row.status is DeliveryStatus.SENT and row.sent_at is not None and row.attempts == 1
    [envelope] = smtp_sink.envelopes
    assert envelope.mail_from == "no-reply@exemple.fr" and envelope.rcpt_tos == ["x@exemple.fr"]
    [received] = smtp_sink.messages()
    assert received["To"] == "x@exemple.fr"
    assert received["From"] == "Bilan <no-reply@exemple.fr>"
    assert received["Subject"] == "Invitation à rejoindre"
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Corps é"
    html_part = received.get_body(preferencelist=("html",)).get_content()
    assert "Corps é" in html_part and "<script" not in html_part


def test_a_rolled_back_transaction_sends_nothing(smtp_sink):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), session_scope() as session:
        mail.queue_mail(session, to="x@exemple.fr", subject="s", body="b")
        raise Boom
    assert smtp_sink.envelopes == []
    with session_scope() as session:
        assert session.exec(select(MailMessage)).all() == []
    # A later, committed transaction delivers only its own message.
    queue(to="y@exemple.fr")
    assert [e.rcpt_tos for e in smtp_sink.envelopes] == [["y@exemple.fr"]]


def test_delivery_happens_after_commit_not_before(smtp_sink):
    with session_scope() as session:
        mail.queue_mail(session, to="z@exemple.fr", subject="s", body="b")
        session.flush()
        assert smtp_sink.envelopes == []
    run_queued_jobs()
    assert [e.rcpt_tos for e in smtp_sink.envelopes] == [["z@exemple.fr"]]


def test_a_refused_message_fails_and_is_retried_until_it_goes(smtp_sink):
    smtp_sink.refuse = True
    message_id = queue(to="w@exemple.fr")
    row = message_row(message_id)
    assert row.status is DeliveryStatus.FAILED and "451" in row.error and row.attempts == 1
    with pytest.raises(mail.DeliveryFailed):
        mail.deliver_message(message_id, attempt=2)
    assert message_row(message_id).attempts == 2
    smtp_sink.refuse = False
    assert mail.deliver_message(message_id, attempt=3) is DeliveryStatus.SENT
    assert len(smtp_sink.envelopes) == 1
    # Delivered is delivered: another run of the job (a duplicate, a retry) sends nothing.
    assert mail.deliver_message(message_id, attempt=4) is DeliveryStatus.SENT
    assert len(smtp_sink.envelopes) == 1 and message_row(message_id).attempts == 3


def test_a_message_whose_data_was_handed_over_by_a_dead_worker_is_never_sent_again(smtp_sink):
    message_id = queue(to="v@exemple.fr")
    assert len(smtp_sink.envelopes) == 1
    with session_scope() as session:  # what a worker killed between the data and the answer leaves
        row = session.get(MailMessage, message_id)
        row.status = DeliveryStatus.SENDING
        session.add(row)
    assert mail.deliver_message(message_id, attempt=2) is DeliveryStatus.UNCERTAIN
    assert len(smtp_sink.envelopes) == 1
    assert message_row(message_id).status is DeliveryStatus.UNCERTAIN


def test_the_embedded_loop_retries_undelivered_mail(set_env, smtp_sink):
    if uses_worker():
        pytest.skip("embedded mode: with PostgreSQL the queue retries each job (tests/integration/test_queue.py)")
    smtp_sink.refuse = True
    message_id = queue(to="u@exemple.fr")
    assert message_row(message_id).status is DeliveryStatus.FAILED
    smtp_sink.refuse = False
    assert mail.retry_undelivered_mail() == 0  # too recent: a minute's grace first
    with session_scope() as session:
        row = session.get(MailMessage, message_id)
        row.created_at = row.created_at - timedelta(minutes=2)
        session.add(row)
    assert mail.retry_undelivered_mail() == 1
    assert message_row(message_id).status is DeliveryStatus.SENT and len(smtp_sink.envelopes) == 1


def test_list_outbox_and_retry_are_for_the_platform_admin(world, set_env):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{closed_port()}")
    failed_id = queue(to="echec@exemple.fr", body="message en échec")
    assert message_row(failed_id).status is DeliveryStatus.FAILED

    with session_scope() as session:
        rows = mail.list_outbox(session, world.platform, limit=500)
        for key in ("admin_a", "consultant_a", "beneficiary_a", "admin_b"):
            with pytest.raises(AccessDenied):
                mail.list_outbox(session, world.actor(key))
    by_id = {message.id: body for message, body in rows}
    assert by_id[failed_id] == "message en échec"
    lines = {line.id: line for line in mail.outbox(world.platform, limit=500)}
    assert lines[str(failed_id)].body == "message en échec" and lines[str(failed_id)].status == "failed"
    with pytest.raises(AccessDenied):
        mail.outbox(world.admin_a)
    # The invitation mails of the fixture world are in the dev outbox, bodies decrypted.
    assert any("/invitation/" in body for body in by_id.values())
    assert {m.status for m, _ in rows} <= set(mail.NOT_DELIVERED)

    for key in ("admin_a", "consultant_a", "beneficiary_a"):
        with pytest.raises(AccessDenied):
            mail.retry_failed(world.actor(key))
    assert message_row(failed_id).status is DeliveryStatus.FAILED

    sink = Sink()
    port = closed_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        set_env(SMTP_URL=f"smtp://127.0.0.1:{port}")
        assert mail.retry_failed(world.platform) == 1
        run_queued_jobs()
    finally:
        controller.stop()
    assert [e.rcpt_tos for e in sink.envelopes] == [["echec@exemple.fr"]]
    row = message_row(failed_id)
    assert row.status is DeliveryStatus.SENT and row.error == ""
    with session_scope() as session:
        assert failed_id not in {m.id for m, _ in mail.list_outbox(session, world.platform, limit=500)}
    assert mail.retry_failed(world.platform) == 0


def test_the_html_part_says_what_the_text_says_with_links_and_the_organisation_signs(world, smtp_sink):
    with session_scope() as session:
        mail.queue_mail(
            session,
            to="x@exemple.fr",
            subject="Invitation",
            body="Bonjour <Léa> & co,\n\nVotre lien : https://app.exemple.fr/invitation/abc?x=1&y=2",
            organisation_id=world.org_a,
        )
    run_queued_jobs()
    [received] = smtp_sink.messages()
    sender = received["From"].addresses[0]
    assert sender.display_name == "Cabinet Alpha" and sender.addr_spec == "no-reply@exemple.fr"
    html_part = received.get_body(preferencelist=("html",)).get_content()
    assert "&lt;Léa&gt; &amp; co" in html_part  # escaped, never markup from a user's text
    assert '<a href="https://app.exemple.fr/invitation/abc?x=1&amp;y=2">' in html_part
    assert "Cabinet Alpha" in html_part
