"""Every key event of a bilan reaches its people, end to end (issue 13 §2, §4): through the real service,
on PostgreSQL, the job queue's worker and a real SMTP server (aiosmtpd).

For each event and each person to tell: one line in their notification centre, and the mail their
preferences ask for, delivered by SMTP in their language (the beneficiary reads English here, her
consultant French), with the one-click unsubscribe header on the kinds that may be turned off. A kind
turned off is a line and no mail; a kind in the digest is a line and, at digest time, one mail that lists it.
"""

from __future__ import annotations

import email.message
from datetime import timedelta

import pytest
from sqlmodel import col, select

from services import bilans, conventions, jobs, messaging, notifications
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import (
    Bilan,
    BilanStatus,
    Convention,
    Notification,
    Role,
    SignatureParty,
    User,
)
from services.models.base import utcnow
from services.synthese import uploaded
from tests.conftest import run_queued_jobs
from tests.unit.test_bilans import (
    PDF,
    add_convention,
    add_person,
    add_session,
    insert_bilan,
    request_as,
    session_form,
    signed_bilan,
)
from tests.unit.test_conventions import BENEFICIARY_CLIENT, CONSULTANT_CLIENT, make_bilan, sign_as
from tests.unit.test_notifications import set_locale

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("isolated_storage")]

GREETING = {"fr": "Bonjour", "en": "Hello"}


class Inbox:
    """What reached each person since the last look: their new centre lines and the mails the SMTP
    server received for them."""

    def __init__(self, sink) -> None:
        self.sink = sink
        run_queued_jobs()  # what earlier set-ups queued is not news
        self.mails_seen = len(sink.messages())
        with session_scope() as session:
            self.lines_seen = set(session.exec(select(Notification.id)).all())

    def take(self) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[email.message.EmailMessage]]]:
        """({email: [(kind, title)]}, {email: [mail]}) of everything new."""
        run_queued_jobs()
        with session_scope() as session:
            rows = session.exec(select(Notification).order_by(col(Notification.created_at))).all()
            emails = {user.id: user.email for user in session.exec(select(User))}
            lines: dict[str, list[tuple[str, str]]] = {}
            for row in rows:
                if row.id not in self.lines_seen:
                    lines.setdefault(emails[row.user_id], []).append((row.kind, decrypt_text(row.title_encrypted)))
            self.lines_seen |= {row.id for row in rows}
        received = self.sink.messages()
        mails: dict[str, list[email.message.EmailMessage]] = {}
        for message in received[self.mails_seen :]:
            mails.setdefault(str(message["To"]), []).append(message)
        self.mails_seen = len(received)
        return lines, mails


def _email(actor) -> str:
    with session_scope() as session:
        return session.get(User, actor.user_id).email


def _locale(actor) -> str:
    with session_scope() as session:
        return session.get(User, actor.user_id).locale


def _body(mail: email.message.EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def expect(inbox: Inbox, told: dict, *, legal: dict | None = None) -> dict[str, list[tuple[str, str]]]:
    """Exactly these people were told: ``told`` maps an actor to the kind of their new line, which is
    mailed (subject = the line, in their language, greeting them in it) unless marked ``"off"`` or
    ``"digest"`` (``(kind, "off")``). ``legal`` maps an actor to the subject of the legal mail a
    convention or handover sends in its own words (their line is then not mailed twice)."""
    lines, mails = inbox.take()
    legal = legal or {}
    assert set(lines) == {_email(actor) for actor in told}, lines
    for actor, expected in told.items():
        kind, mode = expected if isinstance(expected, tuple) else (expected, "immediate")
        address, locale = _email(actor), _locale(actor)
        [(line_kind, title)] = lines[address]
        assert line_kind == kind
        if actor in legal:
            [mail] = mails.pop(address)
            assert mail["Subject"] == legal[actor]
            assert _body(mail).startswith(GREETING[locale])
            assert mail["List-Unsubscribe"] is None  # legal mails cannot be turned off
        elif mode == "immediate":
            [mail] = mails.pop(address)
            assert mail["Subject"] == title  # the centre's line is the subject, in the same language
            assert _body(mail).startswith(GREETING[locale]), _body(mail)
            essential = notifications.KINDS[kind].essential
            assert (mail["List-Unsubscribe"] is None) == essential
            if not essential:
                assert "/api/notifications/desabonnement/" in mail["List-Unsubscribe"]
                assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Nothing else was mailed to the people told (other mails, e.g. signing codes, are checked by callers).
    assert not {address for address in mails if address in {_email(actor) for actor in told}}, mails
    return lines


def test_every_key_event_is_a_line_and_a_mail_in_each_persons_language(world, smtp_sink):
    beneficiary, consultant, admin = world.beneficiary_a, world.consultant_a, world.admin_a
    set_locale(beneficiary, "en")
    inbox = Inbox(smtp_sink)

    # The request, accepted.
    bilan_id = request_as(beneficiary, consultant)
    expect(inbox, {admin: "request_submitted", consultant: "request_for_you"})
    bilans.accept_request(consultant, bilan_id)
    expect(inbox, {beneficiary: "request_accepted"})

    # Another request, handed back, then assigned and reassigned by the admin.
    other = add_person(world, "a", Role.BENEFICIARY, "Odile", "Autre")
    second = add_person(world, "a", Role.CONSULTANT, "Serge", "Second")
    other_bilan = request_as(other, consultant)
    expect(inbox, {admin: "request_submitted", consultant: "request_for_you"})
    bilans.hand_back(consultant, other_bilan, "Agenda complet ce trimestre")
    expect(inbox, {admin: "request_handed_back"})
    bilans.assign_consultant(admin, other_bilan, second.user_id)
    expect(inbox, {second: "assigned_to_you", other: "consultant_assigned"})
    bilans.assign_consultant(admin, other_bilan, consultant.user_id)
    expect(inbox, {consultant: "assigned_to_you", second: "unassigned_from_you", other: "consultant_changed"})

    # The convention: to sign, signed (legal mails of their own wording, plus the centre's lines).
    convention_bilan = make_bilan(world)
    issued = conventions.issue_convention(consultant, convention_bilan, CONSULTANT_CLIENT)
    expect(
        inbox,
        {beneficiary: "convention_to_sign", consultant: "convention_to_sign"},
        legal={
            beneficiary: "Skills assessment agreement to sign – Cabinet Alpha",
            consultant: "Convention de bilan de compétences à signer – Cabinet Alpha",
        },
    )
    sign_as(world, _Codes(smtp_sink), issued.id, "beneficiary_a", SignatureParty.BENEFICIARY, BENEFICIARY_CLIENT)
    sign_as(world, _Codes(smtp_sink), issued.id, "consultant_a", SignatureParty.ORGANISATION, CONSULTANT_CLIENT)
    lines, mails = inbox.take()
    assert lines[_email(beneficiary)] == [("convention_signed", "Skills assessment agreement signed by every party")]
    assert [kind for kind, _ in lines[_email(consultant)]] == ["convention_signed"]
    # Her signing code, then the convention signed by every party.
    assert str(mails[_email(beneficiary)][-1]["Subject"]) == "Skills assessment agreement signed – Cabinet Alpha"

    # A convention left unsigned expires; another is cancelled.
    lapsing = make_bilan(world)
    conventions.issue_convention(consultant, lapsing, CONSULTANT_CLIENT)
    inbox.take()
    with session_scope() as session:
        row = session.exec(select(Convention).where(Convention.bilan_id == lapsing)).one()
        row.sign_by = utcnow() - timedelta(minutes=1)
        session.add(row)
    assert conventions.expire_overdue_conventions() == 1
    lines, _ = inbox.take()
    assert [kind for kind, _ in lines[_email(beneficiary)]] == ["convention_expired"]
    assert [kind for kind, _ in lines[_email(consultant)]] == ["convention_expired"]
    cancelled = make_bilan(world)
    to_cancel = conventions.issue_convention(consultant, cancelled, CONSULTANT_CLIENT)
    inbox.take()
    conventions.cancel_convention(consultant, to_cancel.id, "Financement à revoir avec la Caisse")
    lines, _ = inbox.take()
    assert [kind for kind, _ in lines[_email(beneficiary)]] == ["convention_cancelled"]

    # Sessions, by the admin (so that both are told): planned, moved, cancelled, tomorrow.
    add_convention(bilan_id, issued=utcnow() - timedelta(days=10))
    signed = bilan_id
    appointment = bilans.plan_session(admin, signed, session_form(60))
    expect(inbox, {beneficiary: "session_planned", consultant: "session_planned"})
    later = utcnow() + timedelta(days=40)
    bilans.reschedule_session(admin, appointment, {"starts_at": later, "duration_minutes": 90})
    expect(inbox, {beneficiary: "session_moved", consultant: "session_moved"})
    bilans.cancel_session(admin, appointment)
    expect(inbox, {beneficiary: "session_cancelled", consultant: "session_cancelled"})
    add_session(signed, starts_at=utcnow() + timedelta(hours=20))
    inbox.take()
    assert jobs.remind_sessions(utcnow()) == 1
    expect(inbox, {beneficiary: "session_reminder", consultant: "session_reminder"})

    # A task due soon; a message, then a file, in the conversation.
    bilans.add_task(
        consultant, signed, {"title": "Lister trois réussites", "due_on": utcnow().date() + timedelta(days=1)}
    )
    inbox.take()
    assert jobs.remind_tasks(utcnow()) == 1
    expect(inbox, {beneficiary: "task_reminder"})
    messaging.send(beneficiary, signed, "Bonjour, voici mes disponibilités.")
    expect(inbox, {consultant: "message_received"})
    messaging.send(consultant, signed, "Le support de la séance.", ("seance.pdf", PDF))
    lines = expect(inbox, {beneficiary: "document_shared"})
    assert lines[_email(beneficiary)] == [("document_shared", "Camille ConseilA sent you a document")]

    # The synthèse handed over (its own legal mail), then the follow-up interview due.
    concluded = insert_bilan(world, BilanStatus.CONCLUSION)
    uploaded.upload_synthese(consultant, concluded, "synthese.pdf", PDF)
    uploaded.record_synthese_handover(consultant, concluded)
    expect(
        inbox,
        {beneficiary: "synthese_handed_over"},
        legal={beneficiary: "Your synthesis document is available"},
    )
    with session_scope() as session:
        row = session.get(Bilan, concluded)
        row.followup_due_on = utcnow().date() + timedelta(days=3)
        session.add(row)
    assert jobs.remind_followups(utcnow()) == 1
    expect(inbox, {beneficiary: "followup_reminder", consultant: "followup_reminder"})


def test_preferences_off_and_digest_are_respected_and_essential_kinds_always_mailed(world, smtp_sink):
    beneficiary, consultant, admin = world.beneficiary_a, world.consultant_a, world.admin_a
    set_locale(beneficiary, "en")
    notifications.set_preference(consultant, "session_planned", "off")
    notifications.set_preference(beneficiary, "session_planned", "digest")
    notifications.set_preference(beneficiary, "session_cancelled", "digest")
    signed = signed_bilan(world)
    inbox = Inbox(smtp_sink)
    appointment = bilans.plan_session(admin, signed, session_form(60))
    expect(inbox, {beneficiary: ("session_planned", "digest"), consultant: ("session_planned", "off")})
    bilans.cancel_session(admin, appointment)
    expect(inbox, {beneficiary: ("session_cancelled", "digest"), consultant: "session_cancelled"})
    # Attendance to confirm is legal evidence: mailed whatever she chose for the other kinds.
    from tests.unit.test_sessions import backdate_request, past_form

    backdate_request(signed)
    bilans.record_past_session(consultant, signed, past_form(reason="Séance par téléphone"))
    expect(inbox, {beneficiary: "session_recorded"})

    assert notifications.send_digests() == 1
    _, mails = inbox.take()
    [digest] = mails.pop(_email(beneficiary))
    assert mails == {}
    body = _body(digest)
    assert body.startswith("Hello") and "Assessment appointment planned" in body
    assert "Assessment appointment cancelled" in body
    assert notifications.send_digests() == 0  # once only


class _Codes:
    """The signing codes, read from the mails the SMTP server received (what ``sign_as`` asks of an outbox)."""

    def __init__(self, sink) -> None:
        self.sink = sink

    def last(self, to: str):
        run_queued_jobs()
        mails = [mail for mail in self.sink.messages() if str(mail["To"]) == to]
        return None, _body(mails[-1])
