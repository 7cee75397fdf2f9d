"""The demo organisation's bilans: one at every status, with sessions, tasks, signatures and documents.

Everything goes through the real services (conventions are rendered and signed with the e-mailed
codes). Past sessions are lived in order under ``clock_at``: the convention is signed first, each
session is planned before it starts and signed for (émargement) by both parties while it happens, so
the services' rules hold for the demo as for anyone. Then the bilans' dates are moved back, so that the
history looks lived, before the skills, targets, plans and synthèse are written
(``services.demo.skills``, ``services.demo.projects``, run by ``services.demo.seed`` on the bilans
returned here), so that what those say of the bilan's dates matches its page.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from weasyprint import HTML

from services import auth, bilans, conventions
from services.access import Actor
from services.auth import ClientInfo
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.demo.common import DEMO_PASSWORD
from services.models import Bilan, BilanSession, BilanStatus, MailMessage, Phase, SessionStatus, User
from services.models.base import clock_at, utcnow
from services.synthese import uploaded

CLIENT = ClientInfo(ip="127.0.0.1", user_agent="seed-demo")
DOMAIN = "demo.bilancompetence.ai"


@dataclass(frozen=True)
class DemoCast:
    """Who the skills and projects seeding acts as, on which bilans."""

    lea: Actor
    lea_bilan: uuid.UUID
    nadia: Actor
    nadia_bilan: uuid.UUID
    claire: Actor


def _actor(email: str) -> Actor:
    login = auth.login({"email": email, "password": DEMO_PASSWORD}, CLIENT)
    assert isinstance(login, auth.LoginSuccess)
    info = auth.resolve_session(login.token)
    assert info is not None
    return info.actor


def _latest_code(email: str, since: datetime) -> str:
    """The code mailed since ``since`` (the demo's clock may be set back: later mails exist already)."""
    with session_scope() as session:
        message = session.exec(
            select(MailMessage)
            .where(
                MailMessage.to_address == email,
                MailMessage.created_at >= since,
                MailMessage.created_at <= utcnow(),
            )
            .order_by(col(MailMessage.created_at).desc())
        ).first()
        assert message is not None
        found = re.search(r"\b(\d{6})\b", decrypt_text(message.body_encrypted))
        assert found is not None
        return found.group(1)


def _sign(actor: Actor, bilan_id: uuid.UUID, party: str, name: str, email: str) -> None:
    view = conventions.get_convention_view(actor, bilan_id)
    assert view is not None
    since = utcnow()
    conventions.send_signature_code(actor, view.id, party, CLIENT, intent={"typed_name": name, "consent": True})
    code = _latest_code(email, since)
    conventions.sign(actor, view.id, party, {"typed_name": name, "consent": True, "code": code}, CLIENT)


def _request(beneficiary: Actor, consultant: User, funding: str = "cpf", mode: str = "hybride") -> uuid.UUID:
    bilan_id = bilans.request_bilan(
        beneficiary, {"mode": mode, "funding_type": funding, "requested_consultant_id": str(consultant.id)}
    )
    bilans.save_questionnaire(
        beneficiary,
        bilan_id,
        {
            "situation": "Salariée depuis 12 ans dans le même service, je souhaite faire le point.",
            "request": "Comprendre ce que je sais faire et vers quels métiers évoluer.",
            "motivation": "Retrouver du sens et de l'autonomie dans mon travail.",
            "expectations": "Un projet réaliste, avec les étapes pour y arriver.",
            "constraints": "Pas de déménagement possible avant deux ans.",
            "availability": "Les mardis et jeudis après-midi.",
            "accessibility_needs": "",
        },
        complete=True,
    )
    return bilan_id


def _to_investigation(
    consultant: Actor,
    beneficiary: Actor,
    bilan_id: uuid.UUID,
    names: dict[str, str],
    days_ago: tuple[int, ...] = (28, 21, 14),
    hour: int = 9,
) -> None:
    """Objectives, the convention signed two days before the first preliminary session, three sessions held."""
    bilans.set_objectives(
        consultant,
        bilan_id,
        "1. Identifier les compétences transférables.\n2. Explorer deux pistes de métiers.\n3. Construire un plan "
        "d'action daté.",
    )
    with clock_at(utcnow() - timedelta(days=days_ago[0] + 2)):
        conventions.issue_convention(consultant, bilan_id, CLIENT)
        _sign(consultant, bilan_id, "organisation", names["consultant"], names["consultant_email"])
        _sign(beneficiary, bilan_id, "beneficiary", names["beneficiary"], names["beneficiary_email"])
    for days in days_ago:
        _hold(consultant, beneficiary, bilan_id, "preliminaire", days, hour=hour)
    bilans.transition(consultant, bilan_id, "investigation")


def _hold(
    consultant: Actor,
    beneficiary: Actor,
    bilan_id: uuid.UUID,
    phase: str,
    days_ago: int,
    minutes: int = 120,
    hour: int = 9,
) -> None:
    """A session in the past, lived in order: planned two days before, signed for by both at its end."""
    starts_at = (utcnow() - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    with clock_at(starts_at - timedelta(days=2)):
        session_id = bilans.plan_session(
            consultant,
            bilan_id,
            {
                "phase": phase,
                "starts_at": starts_at.isoformat(),
                "duration_minutes": minutes,
                "mode": "presentiel",
                "location": "18 rue de la République, Lyon",
            },
        )
    with clock_at(starts_at + timedelta(minutes=minutes - 5)):
        bilans.confirm_attendance(consultant, session_id)
        bilans.confirm_attendance(beneficiary, session_id)


def _uploaded_synthese_pdf(name: str) -> bytes:
    """A synthèse the consultant wrote outside the app, for the upload path (Marc's bilan has no skills
    assessment or plan here for the app's own synthèse to start from)."""
    html = (
        "<html lang='fr'><head><meta charset='utf-8'><style>@page{size:A4;margin:2cm}"
        "body{font-family:'DejaVu Sans',sans-serif}</style></head><body>"
        f"<h1>Document de synthèse — {name}</h1><p>Synthèse rédigée par le consultant (démonstration).</p>"
        "<h2>Circonstances</h2><p>Bilan demandé pour préparer une évolution professionnelle.</p>"
        "<h2>Compétences et aptitudes</h2><p>Organisation, relation client, gestion de projet.</p>"
        "<h2>Projet et étapes</h2><p>Formation courte puis candidature ciblée.</p></body></html>"
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def seed_demo_bilans() -> DemoCast:
    """The demo bilans, sessions, tasks, signatures and documents (``seed_demo`` only)."""

    def person(email_local: str) -> User:
        with session_scope() as session:
            return session.exec(select(User).where(User.email == f"{email_local}@{DOMAIN}")).one()

    claire_user, karim_user = person("claire.martin"), person("karim.benali")
    claire, karim = _actor(claire_user.email), _actor(karim_user.email)

    def names(beneficiary: User, consultant: User) -> dict[str, str]:
        return {
            "beneficiary": beneficiary.full_name,
            "beneficiary_email": beneficiary.email,
            "consultant": consultant.full_name,
            "consultant_email": consultant.email,
        }

    now = utcnow()

    # Sophie: a request waiting for Claire's answer.
    sophie = person("sophie.lefevre")
    _request(_actor(sophie.email), claire_user)

    # Thomas: preliminary phase, employer-funded, tripartite convention awaiting his and the employer's signature.
    thomas = person("thomas.nguyen")
    thomas_actor = _actor(thomas.email)
    thomas_bilan = _request(thomas_actor, karim_user, funding="employer")
    bilans.accept_request(karim, thomas_bilan)
    bilans.update_funding(
        karim,
        thomas_bilan,
        {
            "funding_type": "employer",
            "employer_name": "Transports Rhône SAS",
            "employer_signatory_name": "Hélène Garnier",
            "employer_email": f"rh@transports-rhone.{DOMAIN}",
            "price_euros": "1800",
            "hours_planned_total": "20",
        },
    )
    bilans.set_objectives(karim, thomas_bilan, "Évaluer une évolution vers l'encadrement d'équipe.")
    conventions.issue_convention(karim, thomas_bilan, CLIENT)
    _sign(karim, thomas_bilan, "organisation", karim_user.full_name, karim_user.email)
    bilans.plan_session(
        karim,
        thomas_bilan,
        {
            "phase": "preliminaire",
            "starts_at": (now + timedelta(days=1)).replace(hour=14, minute=0).isoformat(),
            "duration_minutes": 90,
            "mode": "distanciel",
            "video_link": "https://visio.example.fr/bilan-thomas",
        },
    )

    # Léa: investigation with Claire, a session next week and tasks.
    lea = person("lea.dubois")
    lea_actor = _actor(lea.email)
    lea_bilan = _request(lea_actor, claire_user)
    bilans.accept_request(claire, lea_bilan)
    _to_investigation(claire, lea_actor, lea_bilan, names(lea, claire_user))
    bilans.plan_session(
        claire,
        lea_bilan,
        {
            "phase": "investigation",
            "starts_at": (now + timedelta(days=6)).replace(hour=10, minute=0).isoformat(),
            "duration_minutes": 120,
            "mode": "presentiel",
            "location": "18 rue de la République, Lyon",
        },
    )
    task_id = bilans.add_task(claire, lea_bilan, {"title": "Passer le questionnaire d'intérêts", "due_on": None})
    bilans.set_task_done(lea_actor, task_id, True)
    bilans.add_task(
        claire,
        lea_bilan,
        {"title": "Interroger deux professionnels du métier visé", "due_on": str((now + timedelta(days=10)).date())},
    )

    # Nadia: conclusion with Claire after two investigation sessions and the restitution; her synthèse is
    # written in the app and handed over (services.demo.projects).
    nadia = person("nadia.haddad")
    nadia_actor = _actor(nadia.email)
    nadia_bilan = _request(nadia_actor, claire_user, mode="presentiel")
    bilans.accept_request(claire, nadia_bilan)
    _to_investigation(claire, nadia_actor, nadia_bilan, names(nadia, claire_user), hour=14)
    for days_ago in (10, 6):
        _hold(claire, nadia_actor, nadia_bilan, "investigation", days_ago, minutes=180)
    bilans.transition(claire, nadia_bilan, "conclusion")
    _hold(claire, nadia_actor, nadia_bilan, "conclusion", 2)

    # Marc: follow-up with Karim after 14 h held (the organisation asks 13 h at least): a synthèse written
    # outside the app, uploaded and handed over; interview at six months.
    marc = person("marc.petit")
    marc_actor = _actor(marc.email)
    marc_bilan = _request(marc_actor, karim_user, funding="self")
    bilans.accept_request(karim, marc_bilan)
    _to_investigation(karim, marc_actor, marc_bilan, names(marc, karim_user), days_ago=(100, 93, 86))
    for days_ago in (70, 60):
        _hold(karim, marc_actor, marc_bilan, "investigation", days_ago, minutes=180)
    bilans.transition(karim, marc_bilan, "conclusion")
    _hold(karim, marc_actor, marc_bilan, "conclusion", 45)
    uploaded.upload_synthese(karim, marc_bilan, "synthese-marc-petit.pdf", _uploaded_synthese_pdf(marc.full_name))
    uploaded.record_synthese_handover(karim, marc_bilan)
    bilans.schedule_followup(karim, marc_bilan, (now + timedelta(days=150)).date())
    bilans.transition(karim, marc_bilan, "suivi")

    # Closed bilans from earlier years: completed, abandoned and cancelled.
    for beneficiary, target, reason in (
        (nadia, BilanStatus.TERMINE, ""),
        (lea, BilanStatus.ABANDONNE, "Reprise d'un emploi à temps plein, plus de disponibilité."),
        (thomas, BilanStatus.ANNULE, "Financement refusé par l'OPCO."),
    ):
        with session_scope() as session:
            organisation_id = session.exec(select(Bilan.organisation_id).where(Bilan.id == lea_bilan)).one()
            old = Bilan(
                organisation_id=organisation_id,
                beneficiary_id=beneficiary.id,
                consultant_id=claire_user.id,
                status=target,
                status_reason_encrypted=encrypt_text(reason) if reason else "",
                requested_at=now - timedelta(days=700),
                closed_at=now - timedelta(days=600),
            )
            session.add(old)

    _backdate([sophie, thomas, lea, nadia, marc], now)
    return DemoCast(lea_actor, lea_bilan, nadia_actor, nadia_bilan, claire)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _backdate(people: list[User], now: datetime) -> None:
    """Move requests and phase dates back so that the demo history looks lived (not all 'today').

    Each phase starts the day after the last session held in the one before (the synthèse and its PDF
    name these dates), and never later than it did."""
    offsets = {"sophie": 2, "thomas": 12, "lea": 35, "nadia": 70, "marc": 120}
    phases = (
        ("investigation_started_at", Phase.PRELIMINAIRE),
        ("conclusion_started_at", Phase.INVESTIGATION),
    )
    with session_scope() as session:
        for person in people:
            days = offsets.get(person.email.split(".")[0], 0)
            for bilan in session.exec(select(Bilan).where(Bilan.beneficiary_id == person.id)).all():
                if bilan.closed_at is not None and bilan.status != BilanStatus.SUIVI:
                    continue
                shift = timedelta(days=days)
                bilan.requested_at -= shift
                if bilan.consultant_accepted_at:
                    bilan.consultant_accepted_at -= shift - timedelta(days=1)
                    bilan.preliminaire_started_at = bilan.consultant_accepted_at  # accepting opens it
                previous = bilan.preliminaire_started_at
                held = session.exec(
                    select(BilanSession).where(
                        BilanSession.bilan_id == bilan.id, BilanSession.status == SessionStatus.HELD
                    )
                ).all()
                for field, before in phases:
                    value = getattr(bilan, field)
                    if value is None or previous is None:
                        continue
                    last = max((_aware(row.starts_at) for row in held if row.phase == before), default=None)
                    start = min(_aware(value), (last or _aware(previous)) + timedelta(days=1))
                    setattr(bilan, field, start)
                    previous = start
                session.add(bilan)
