"""Key events of a bilan are mailed (services/notifications.py), in each recipient's language.

Each event goes through the real service function and queues exactly one mail per person to tell,
with the right words, time (Paris, no seconds) and link; nobody of the other organisation is ever
mailed. The set-up shortcuts come from test_bilans.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from services import bilans, notifications
from services.crypto import decrypt_text
from services.db import session_scope
from services.errors import ServiceError
from services.i18n import format_appointment
from services.models import Bilan, BilanSession, BilanStatus, MailMessage, Role, User
from services.settings import get_settings
from tests.unit.test_bilans import accepted_bilan, add_person, insert_bilan, request_as, session_form, signed_bilan

pytestmark = pytest.mark.usefixtures("isolated_storage")

PARIS = ZoneInfo("Europe/Paris")
# A Thursday, far enough ahead for every planning rule.


def _thursday_ahead(hour: int, minute: int) -> datetime:
    """A Thursday one to two weeks ahead (sessions are planned within the year), Paris time."""
    today = datetime.now(PARIS).date()
    day = today + timedelta(days=7 + (3 - today.weekday()) % 7)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


STARTS = _thursday_ahead(14, 30)
MOVED = STARTS + timedelta(days=7, hours=-5, minutes=-30)  # the Thursday after, at 09:00
# The wording of times is pinned by tests/unit/test_i18n.py (format_appointment on a fixed date).
STARTS_FR = format_appointment(STARTS, "fr")
STARTS_EN = format_appointment(STARTS, "en")


class Mails:
    """The mails queued since the last ``take()``, as {address: (subject, body)}; each must be of ``org``."""

    def __init__(self, org: uuid.UUID | None = None) -> None:
        self.org = org
        with session_scope() as session:
            self.seen: set[uuid.UUID] = set(session.exec(select(MailMessage.id)).all())

    def take(self) -> dict[str, tuple[str, str]]:
        with session_scope() as session:
            rows = session.exec(select(MailMessage).order_by(col(MailMessage.created_at))).all()
            fresh = [row for row in rows if row.id not in self.seen]
            self.seen |= {row.id for row in rows}
            found: dict[str, tuple[str, str]] = {}
            for row in fresh:
                assert row.to_address not in found, f"two mails to {row.to_address}"
                # Queued on behalf of the bilan's organisation (never another one).
                assert self.org is None or row.organisation_id == self.org
                found[row.to_address] = (row.subject, decrypt_text(row.body_encrypted))
            return found


def email_of(actor) -> str:
    with session_scope() as session:
        return session.get(User, actor.user_id).email


def set_locale(actor, locale: str) -> None:
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        user.locale = locale
        session.add(user)


def link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def assert_own_organisation(world, mails: dict[str, tuple[str, str]]) -> None:
    """Nobody of organisation B is told anything about A's bilan."""
    others = {email_of(world.actor(key)) for key in ("admin_b", "consultant_b", "beneficiary_b")}
    assert not others & mails.keys()


# ---------------------------------------------------------------- the request


def test_a_request_tells_the_admins_and_the_requested_consultant(world):
    second_admin = add_person(world, "a", Role.ORG_ADMIN, "Irène", "Direction")
    set_locale(second_admin, "en")
    mails = Mails(world.org_a)
    request_as(world.beneficiary_a, world.consultant_a)
    sent = mails.take()
    assert set(sent) == {email_of(world.admin_a), email_of(second_admin), email_of(world.consultant_a)}
    subject, body = sent[email_of(world.admin_a)]
    assert subject == "Nouvelle demande de bilan de compétences"
    assert "Bruno BenefA a déposé une demande" in body
    assert "Elle a choisi Camille ConseilA, qui doit accepter la demande." in body
    assert link("/admin/bilans") in body
    subject, body = sent[email_of(second_admin)]
    assert subject == "New skills assessment request"
    assert body.startswith("Hello Irène,") and "She chose Camille ConseilA" in body
    subject, body = sent[email_of(world.consultant_a)]
    assert subject == "Une demande de bilan vous est adressée"
    assert "Bruno BenefA vous a choisi·e" in body and link("/consultant") in body
    assert_own_organisation(world, sent)


def test_a_request_without_a_consultant_asks_the_admins_to_assign_one(world):
    mails = Mails(world.org_a)
    request_as(world.beneficiary_a)
    sent = mails.take()
    assert set(sent) == {email_of(world.admin_a)}
    assert "Aucun consultant n'a été choisi : attribuez-en un." in sent[email_of(world.admin_a)][1]


def test_a_declined_request_asks_the_admins_to_choose_someone_else(world):
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    mails = Mails(world.org_a)
    bilans.hand_back(world.consultant_a, bilan_id, "Agenda complet")
    sent = mails.take()
    assert set(sent) == {email_of(world.admin_a)}
    subject, body = sent[email_of(world.admin_a)]
    assert subject == "Demande de bilan à réattribuer"
    assert "ne peut pas suivre le bilan de compétences demandé par Bruno BenefA" in body
    assert link("/admin/bilans") in body or "/admin" in body


def test_a_refused_request_mails_nobody(world):
    request_as(world.beneficiary_a)
    mails = Mails(world.org_a)
    with pytest.raises(ServiceError):
        request_as(world.beneficiary_a)  # one open request at a time
    assert mails.take() == {}


def test_an_unassigned_request_raises_an_alert_on_the_admins_list(world):
    unassigned = request_as(world.beneficiary_a)
    requested = insert_bilan(world, BilanStatus.DEMANDE)  # asked of consultant_a: not unassigned
    rows = {row.id: row for row in bilans.list_bilans(world.admin_a)}
    assert "unassigned" in rows[str(unassigned)].alerts
    assert "unassigned" not in rows[str(requested)].alerts
    bilans.assign_consultant(world.admin_a, unassigned, world.consultant_a.user_id)
    rows = {row.id: row for row in bilans.list_bilans(world.admin_a)}
    assert "unassigned" not in rows[str(unassigned)].alerts


def test_accepting_tells_the_beneficiary_in_her_language(world):
    set_locale(world.beneficiary_a, "en")
    bilan_id = request_as(world.beneficiary_a, world.consultant_a)
    mails = Mails(world.org_a)
    bilans.accept_request(world.consultant_a, bilan_id)
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Your assessment request is accepted"
    assert "Camille ConseilA will support you" in body and link("/mon-espace") in body


# ---------------------------------------------------------------- assignment


def test_a_first_assignment_tells_the_consultant_and_the_beneficiary(world):
    bilan_id = request_as(world.beneficiary_a)
    mails = Mails(world.org_a)
    bilans.assign_consultant(world.admin_a, bilan_id, world.consultant_a.user_id)
    sent = mails.take()
    assert set(sent) == {email_of(world.consultant_a), email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.consultant_a)]
    assert subject == "Un bilan vous est attribué"
    assert "Le bilan de compétences de Bruno BenefA vous est attribué." in body
    assert link(f"/bilans/{bilan_id}") in body
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Votre consultant·e de bilan" and "Camille ConseilA suivra votre bilan" in body


def test_every_reassignment_tells_the_new_and_former_consultants_and_the_beneficiary(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    set_locale(colleague, "en")
    bilan_id = accepted_bilan(world)
    mails = Mails(world.org_a)
    bilans.assign_consultant(world.admin_a, bilan_id, colleague.user_id)
    sent = mails.take()
    assert set(sent) == {email_of(colleague), email_of(world.consultant_a), email_of(world.beneficiary_a)}
    subject, body = sent[email_of(colleague)]
    assert subject == "An assessment is assigned to you" and "Bruno BenefA" in body
    subject, body = sent[email_of(world.consultant_a)]
    assert subject == "Un bilan a été confié à un·e autre consultant·e"
    assert "désormais suivi par Hugo Collegue" in body
    assert f"/bilans/{bilan_id}" not in body  # she no longer sees it
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Votre bilan est confié à un·e autre consultant·e"
    assert "suivi jusqu'ici par Camille ConseilA, est désormais suivi par Hugo Collegue" in body
    assert "notes" not in body  # no notes were written: nothing to agree to
    assert_own_organisation(world, sent)

    # Back to the first consultant: told again, every time.
    bilans.assign_consultant(world.admin_a, bilan_id, world.consultant_a.user_id)
    assert set(mails.take()) == {email_of(colleague), email_of(world.consultant_a), email_of(world.beneficiary_a)}
    # The same consultant again changes nothing, and tells nobody.
    bilans.assign_consultant(world.admin_a, bilan_id, world.consultant_a.user_id)
    assert mails.take() == {}


def test_a_reassignment_with_earlier_notes_tells_her_she_decides(world):
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=STARTS))
    bilans.save_session_notes(world.consultant_a, session_id, "Première séance")
    mails = Mails(world.org_a)
    bilans.assign_consultant(world.admin_a, bilan_id, colleague.user_id)
    body = mails.take()[email_of(world.beneficiary_a)][1]
    assert "Hugo Collegue ne les lira que si vous l'acceptez, depuis votre espace" in body
    assert "Première séance" not in body


# ---------------------------------------------------------------- sessions


def test_a_session_planned_by_the_consultant_tells_the_beneficiary(world):
    bilan_id = accepted_bilan(world)
    mails = Mails(world.org_a)
    bilans.plan_session(world.consultant_a, bilan_id, session_form(90, starts_at=STARTS, location="12 rue Haute"))
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Rendez-vous de bilan planifié"
    assert f"planifié le {STARTS_FR} (90 min)" in body
    assert "Lieu ou lien : 12 rue Haute" in body and link("/mon-espace") in body
    assert "14:30:00" not in body


def test_a_session_planned_by_the_admin_also_tells_the_consultant(world):
    set_locale(world.consultant_a, "en")
    bilan_id = accepted_bilan(world)
    mails = Mails(world.org_a)
    bilans.plan_session(world.admin_a, bilan_id, session_form(60, starts_at=STARTS, video_link="https://visio.example"))
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a), email_of(world.consultant_a)}
    subject, body = sent[email_of(world.consultant_a)]
    assert subject == "Assessment appointment planned"
    assert f"planned on {STARTS_EN} (60 min)" in body
    # The link is shown on the session's page from 15 minutes before (services.calendar.visio), never mailed.
    assert "https://visio.example" not in body and "Video call (the link appears" in body
    assert link(f"/bilans/{bilan_id}") in body
    assert_own_organisation(world, sent)


def test_a_cancelled_session_tells_the_beneficiary_and_the_consultant_when_the_admin_cancels(world):
    bilan_id = accepted_bilan(world)
    first = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=STARTS))
    second = bilans.plan_session(world.consultant_a, bilan_id, session_form(starts_at=STARTS + timedelta(days=1)))
    mails = Mails(world.org_a)
    bilans.cancel_session(world.consultant_a, first)
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Rendez-vous de bilan annulé"
    assert f"Le rendez-vous de bilan de compétences du {STARTS_FR} est annulé." in body
    bilans.cancel_session(world.admin_a, second)
    assert set(mails.take()) == {email_of(world.beneficiary_a), email_of(world.consultant_a)}


def test_a_moved_session_gives_both_times(world):
    set_locale(world.beneficiary_a, "en")
    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(45, starts_at=STARTS))
    mails = Mails(world.org_a)
    with session_scope() as session:
        appointment = session.get(BilanSession, session_id)
        bilan = session.get(Bilan, bilan_id)
        appointment.starts_at = MOVED
        notifications.session_moved(session, world.admin_a, bilan, appointment, STARTS)
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a), email_of(world.consultant_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Assessment appointment moved"
    assert f"planned on {STARTS_EN} is moved to {format_appointment(MOVED, 'en')} (45 min)" in body
    subject, body = sent[email_of(world.consultant_a)]
    assert subject == "Rendez-vous de bilan déplacé"
    assert f"prévu le {STARTS_FR} est déplacé au {format_appointment(MOVED, 'fr')}" in body
    # Moved by the consultant: the consultant is not told of their own change.
    with session_scope() as session:
        appointment = session.get(BilanSession, session_id)
        notifications.session_moved(session, world.consultant_a, session.get(Bilan, bilan_id), appointment, STARTS)
    assert set(mails.take()) == {email_of(world.beneficiary_a)}


def test_a_rolled_back_change_sends_nothing(world):
    bilan_id = accepted_bilan(world)
    mails = Mails(world.org_a)
    with pytest.raises(RuntimeError), session_scope() as session:
        appointment = BilanSession(
            organisation_id=world.org_a, bilan_id=bilan_id, phase="preliminaire", starts_at=STARTS, duration_minutes=60
        )
        session.add(appointment)
        notifications.session_planned(session, world.consultant_a, session.get(Bilan, bilan_id), appointment)
        raise RuntimeError("the change fails after the mail was queued")
    assert mails.take() == {}


def test_moving_a_session_through_the_service_tells_the_beneficiary(world):
    from tests.unit.test_sessions import at, local

    bilan_id = accepted_bilan(world)
    session_id = bilans.plan_session(world.consultant_a, bilan_id, session_form(60, starts_at=local(at(8, 9))))
    mails = Mails(world.org_a)
    bilans.reschedule_session(world.consultant_a, session_id, {"starts_at": local(at(9, 14)), "duration_minutes": 60})
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Rendez-vous de bilan déplacé"
    assert f"est déplacé au {format_appointment(at(9, 14))}" in body


def test_a_session_recorded_afterwards_asks_her_to_confirm_it(world):
    from tests.unit.test_sessions import backdate_request, past_form

    bilan_id = signed_bilan(world)
    backdate_request(bilan_id)
    mails = Mails(world.org_a)
    bilans.record_past_session(world.consultant_a, bilan_id, past_form(reason="Séance par téléphone"))
    sent = mails.take()
    assert set(sent) == {email_of(world.beneficiary_a)}
    subject, body = sent[email_of(world.beneficiary_a)]
    assert subject == "Une séance est à confirmer dans votre espace"
    assert "ne la confirmez pas : elle ne comptera pas" in body and link("/mon-espace") in body
