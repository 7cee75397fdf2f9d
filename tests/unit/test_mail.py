"""services.mail: queued in the caller's transaction, delivered after commit, never dropped."""

import logging
import socket

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from services import mail
from services.db import session_scope
from services.errors import AccessDenied
from services.models import MailMessage, MailStatus


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def queue(to="destinataire@exemple.fr", subject="Sujet", body="Corps du message https://x/invitation/abc"):
    with session_scope() as session:
        message = mail.queue_mail(session, to=to, subject=subject, body=body)
    return message.id


def message_row(message_id) -> MailMessage:
    with session_scope() as session:
        return session.get(MailMessage, message_id)


def test_without_smtp_the_message_stays_in_the_outbox_and_is_logged(caplog):
    caplog.set_level(logging.WARNING, logger="bilan.mail")
    message_id = queue(body="Bonjour, voici le lien https://exemple/invitation/tok123")
    row = message_row(message_id)
    assert row.status is MailStatus.OUTBOX
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
    assert message_row(message_id).status is MailStatus.OUTBOX
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "SMTP_URL is not set" in text
    assert "tok999" not in text


def test_unreachable_smtp_marks_the_message_failed_with_the_error(set_env, caplog):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{closed_port()}")
    caplog.set_level(logging.ERROR, logger="bilan.mail")
    message_id = queue()
    row = message_row(message_id)
    assert row.status is MailStatus.FAILED
    assert "ConnectionRefusedError" in row.error
    assert row.sent_at is None
    assert any("failed" in r.getMessage() for r in caplog.records)


def test_smtp_delivery_marks_sent(set_env, monkeypatch):
    sent = []
    monkeypatch.setattr(mail, "_send_smtp", lambda url, message: sent.append((url, message)))
    set_env(SMTP_URL="smtp://user:pa%40ss@smtp.exemple.fr:2525", MAIL_FROM="Bilan <no-reply@exemple.fr>")
    message_id = queue(to="x@exemple.fr", subject="Invitation à rejoindre", body="Corps é")
    row = message_row(message_id)
    assert row.status is MailStatus.SENT
    assert row.sent_at is not None
    assert len(sent) == 1
    url, email = sent[0]
    assert url == "smtp://user:pa%40ss@smtp.exemple.fr:2525"
    assert email["To"] == "x@exemple.fr"
    assert email["From"] == "Bilan <no-reply@exemple.fr>"
    assert email["Subject"] == "Invitation à rejoindre"
    assert email.get_content().strip() == "Corps é"


def test_a_rolled_back_transaction_sends_nothing(set_env, monkeypatch):
    sent = []
    monkeypatch.setattr(mail, "_send_smtp", lambda url, message: sent.append(message))
    set_env(SMTP_URL="smtp://127.0.0.1:2525")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), session_scope() as session:
        mail.queue_mail(session, to="x@exemple.fr", subject="s", body="b")
        raise Boom
    assert sent == []
    with session_scope() as session:
        assert session.exec(select(MailMessage)).all() == []
    # A later, committed transaction delivers only its own message.
    queue(to="y@exemple.fr")
    assert [m["To"] for m in sent] == ["y@exemple.fr"]


def test_delivery_happens_after_commit_not_before(set_env, monkeypatch):
    calls = []
    monkeypatch.setattr(mail, "_send_smtp", lambda url, message: calls.append(message["To"]))
    set_env(SMTP_URL="smtp://127.0.0.1:2525")
    with session_scope() as session:
        mail.queue_mail(session, to="z@exemple.fr", subject="s", body="b")
        session.flush()
        assert calls == []
    assert calls == ["z@exemple.fr"]


def test_list_outbox_and_retry_are_for_the_platform_admin(world, set_env, monkeypatch):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{closed_port()}")
    failed_id = queue(to="echec@exemple.fr", body="message en échec")
    assert message_row(failed_id).status is MailStatus.FAILED

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
    assert {m.status for m, _ in rows} <= {MailStatus.OUTBOX, MailStatus.FAILED, MailStatus.PENDING}

    for key in ("admin_a", "consultant_a", "beneficiary_a"):
        with pytest.raises(AccessDenied):
            mail.retry_failed(world.actor(key))
    assert message_row(failed_id).status is MailStatus.FAILED

    delivered = []
    monkeypatch.setattr(mail, "_send_smtp", lambda url, message: delivered.append(message["To"]))
    assert mail.retry_failed(world.platform) == 1
    assert delivered == ["echec@exemple.fr"]
    row = message_row(failed_id)
    assert row.status is MailStatus.SENT and row.error == ""
    with session_scope() as session:
        assert failed_id not in {m.id for m, _ in mail.list_outbox(session, world.platform, limit=500)}
    assert mail.retry_failed(world.platform) == 0
