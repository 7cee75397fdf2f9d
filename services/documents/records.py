"""The bilan's records as PDF, from the database: the certificat de réalisation and the attendance sheets.

* ``attestation_pdf``: the attestation de fin de bilan / certificat de réalisation, with the hours
  actually completed per phase and in total (the CPF "service fait" evidence). Completed hours are
  those of the held sessions, i.e. attended by both the beneficiary and the consultant (émargement).
* ``attendance_pdf``: the feuilles d'émargement, one line per session that was not cancelled, with
  each party's electronic confirmation time or an empty box to sign by hand.

Who may: the followers of the bilan (its assigned consultant, an org admin of its organisation);
another organisation's bilan answers NotFound, the beneficiary gets AccessDenied. Reading the data
is audited (``bilans.log_personal_read``). The data is read in one short transaction, and the PDF is
rendered after it, from a plain ``BilanRecordInput`` that the ``render_*`` functions also accept.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from services.access import Actor
from services.bilans import (
    RECORDED_CONFIRMATION_WINDOW,
    first_signature,
    get_bilan,
    held_before_convention,
    log_personal_read,
    require_follower,
)
from services.crypto import decrypt_text
from services.db import session_scope
from services.documents.common import Branding, brand_context, branding_of, format_hours, render_document
from services.errors import NotFound
from services.i18n import format_date, format_datetime, translate
from services.models import BilanSession, BilanStatus, DeliveryMode, Organisation, Phase, SessionStatus, User

PHASE_LABELS = {
    Phase.PRELIMINAIRE: "Phase préliminaire",
    Phase.INVESTIGATION: "Phase d'investigation",
    Phase.CONCLUSION: "Phase de conclusion",
    Phase.SUIVI: "Entretien de suivi",
}
MODE_LABELS = {
    DeliveryMode.PRESENTIEL: "En présentiel",
    DeliveryMode.DISTANCIEL: "À distance (visioconférence)",
    DeliveryMode.HYBRIDE: "Hybride",
}
FINISHED = frozenset({BilanStatus.SUIVI, BilanStatus.TERMINE})
INTERRUPTED = frozenset({BilanStatus.ABANDONNE, BilanStatus.ANNULE})
ATTESTATION_TITLE = "Certificat de réalisation"
ATTENDANCE_TITLE = "Feuille d'émargement"


@dataclass(frozen=True)
class SessionLine:
    phase: Phase
    starts_at: datetime
    duration_minutes: int
    mode: DeliveryMode
    location: str
    held: bool  # both parties confirmed their attendance
    beneficiary_confirmed_at: datetime | None
    consultant_confirmed_at: datetime | None
    # "Saisie a posteriori": when the consultant recorded it and why (decrypted).
    recorded_at: datetime | None = None
    recorded_reason: str = ""
    # Held before the convention was signed (the preliminary interview, by the organisation's process).
    before_convention: bool = False


@dataclass(frozen=True)
class BilanRecordInput:
    organisation: Branding
    beneficiary_name: str
    consultant_name: str
    signatory_name: str  # who issues the document for the organisation
    signatory_role: str  # "consultant·e", "administrateur·rice"
    status: BilanStatus
    closed_at: datetime | None
    funding: str  # as written ("CPF (Mon Compte Formation)")
    edof_file_number: str
    mode: DeliveryMode
    minutes_planned_total: int  # the hours of the convention
    sessions: Sequence[SessionLine]  # not cancelled, in time order


# ---------------------------------------------------------------- from the database


def _user_name(users: dict[uuid.UUID, User], user_id: uuid.UUID | None) -> str:
    user = users.get(user_id) if user_id else None
    return user.full_name if user else ""


def _record_input(actor: Actor, bilan_id: uuid.UUID | str, what: str) -> BilanRecordInput:
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        organisation = session.get(Organisation, bilan.organisation_id)
        if organisation is None:
            raise NotFound()
        wanted = {bilan.beneficiary_id, actor.user_id} | ({bilan.consultant_id} if bilan.consultant_id else set())
        users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted))).all()}
        rows = session.exec(
            select(BilanSession)
            .where(BilanSession.bilan_id == bilan.id, BilanSession.status != SessionStatus.CANCELLED)
            .order_by(col(BilanSession.starts_at), col(BilanSession.id))
        ).all()
        log_personal_read(session, actor, bilan, what)
        signed_at = first_signature(session, bilan)
        return BilanRecordInput(
            organisation=branding_of(organisation),
            beneficiary_name=_user_name(users, bilan.beneficiary_id),
            consultant_name=_user_name(users, bilan.consultant_id),
            signatory_name=_user_name(users, actor.user_id),
            signatory_role=translate(f"role.{actor.role}", "fr").lower(),
            status=BilanStatus(bilan.status),
            closed_at=bilan.closed_at,
            funding=translate(f"funding.{bilan.funding_type}", "fr"),
            edof_file_number=bilan.edof_file_number,
            mode=DeliveryMode(bilan.mode),
            minutes_planned_total=round(bilan.hours_planned_total * 60),
            sessions=tuple(
                SessionLine(
                    phase=Phase(row.phase),
                    starts_at=row.starts_at,
                    duration_minutes=row.duration_minutes,
                    mode=DeliveryMode(row.mode),
                    location=row.location,
                    held=row.status == SessionStatus.HELD,
                    beneficiary_confirmed_at=row.beneficiary_attended_at,
                    consultant_confirmed_at=row.consultant_attended_at,
                    recorded_at=row.recorded_afterwards_at,
                    recorded_reason=decrypt_text(row.recorded_reason_encrypted)
                    if row.recorded_reason_encrypted
                    else "",
                    before_convention=held_before_convention(row.starts_at, signed_at),
                )
                for row in rows
            ),
        )


def attestation_pdf(actor: Actor, bilan_id: uuid.UUID | str, *, created: datetime) -> bytes:
    """The certificat de réalisation of the bilan, dated ``created`` (followers; audited)."""
    return render_attestation_pdf(_record_input(actor, bilan_id, "attestation_pdf"), created=created)


def attendance_pdf(actor: Actor, bilan_id: uuid.UUID | str, *, created: datetime) -> bytes:
    """The attendance sheets of the bilan, dated ``created`` (followers; audited)."""
    return render_attendance_pdf(_record_input(actor, bilan_id, "attendance_pdf"), created=created)


# ---------------------------------------------------------------- rendering


def _common(data: BilanRecordInput, title: str, created: datetime) -> dict[str, Any]:
    held = [line for line in data.sessions if line.held]
    return {
        "title": f"{title} – bilan de compétences de {data.beneficiary_name}",
        "brand": brand_context(data.organisation),
        "beneficiary": data.beneficiary_name,
        "consultant": data.consultant_name,
        "signatory": {"name": data.signatory_name, "role": data.signatory_role},
        "funding": data.funding,
        "edof_file_number": data.edof_file_number,
        "mode": MODE_LABELS[data.mode],
        "first_day": format_date(held[0].starts_at) if held else "",
        "last_day": format_date(held[-1].starts_at) if held else "",
        "hours_planned": format_hours(data.minutes_planned_total),
        "hours_completed": format_hours(sum(line.duration_minutes for line in held)),
        "issued_on": format_date(created),
    }


def _phase_rows(sessions: Sequence[SessionLine]) -> list[dict[str, Any]]:
    rows = []
    for phase, label in PHASE_LABELS.items():
        lines = [line for line in sessions if line.phase is phase]
        if phase is Phase.SUIVI and not lines:
            continue  # the follow-up interview is optional
        held = [line for line in lines if line.held]
        rows.append(
            {
                "label": label,
                "sessions": len(held),
                "planned": format_hours(sum(line.duration_minutes for line in lines)),
                "completed": format_hours(sum(line.duration_minutes for line in held)),
            }
        )
    return rows


def attestation_context(data: BilanRecordInput, *, created: datetime) -> dict[str, Any]:
    if data.status in FINISHED:
        subtitle = "Attestation de fin de bilan de compétences"
    elif data.status in INTERRUPTED:
        when = f" le {format_date(data.closed_at)}" if data.closed_at else ""
        subtitle = f"Attestation des heures réalisées – bilan interrompu{when}"
    else:
        subtitle = f"Attestation des heures réalisées au {format_date(created)} – bilan en cours"
    return {
        **_common(data, ATTESTATION_TITLE, created),
        "subtitle": subtitle,
        "phases": _phase_rows(data.sessions),
        "hours_scheduled": format_hours(sum(line.duration_minutes for line in data.sessions)),
        "sessions_held": sum(1 for line in data.sessions if line.held),
    }


def _when(value: datetime) -> str:
    return format_datetime(value, "fr", "dd/MM/y à HH:mm")


def _confirmation(value: datetime | None) -> str:
    return f"Présence confirmée en ligne le {_when(value)}" if value else ""


def _beneficiary_cell(line: SessionLine, created: datetime) -> str:
    """Her online confirmation; for a record made afterwards, never made up: awaited or missing."""
    if line.beneficiary_confirmed_at or line.recorded_at is None:
        return _confirmation(line.beneficiary_confirmed_at)
    deadline = line.recorded_at + RECORDED_CONFIRMATION_WINDOW
    if created <= deadline:
        return f"Confirmation de la bénéficiaire attendue (jusqu'au {_when(deadline)})"
    return "Confirmation de la bénéficiaire manquante"


def _session_notes(line: SessionLine) -> list[str]:
    notes = []
    if line.recorded_at is not None:
        notes.append(
            f"Séance saisie a posteriori le {_when(line.recorded_at)} par la ou le consultant·e"
            + (f" – motif : {line.recorded_reason}" if line.recorded_reason else "")
            + (
                "."
                if line.held
                else " ; non comptée dans les heures réalisées sans la confirmation de la bénéficiaire."
            )
        )
    if line.before_convention and line.phase is Phase.PRELIMINAIRE and (line.held or line.recorded_at is not None):
        notes.append(
            "Entretien préliminaire tenu avant la signature de la convention, comme le prévoit le processus de "
            "l'organisme."
        )
    return notes


def attendance_context(data: BilanRecordInput, *, created: datetime) -> dict[str, Any]:
    return {
        **_common(data, ATTENDANCE_TITLE, created),
        "sessions": [
            {
                "day": format_datetime(line.starts_at, "fr", "EEEE d MMMM y"),
                "hours": f"{format_datetime(line.starts_at, 'fr', 'HH:mm')} – "
                f"{format_datetime(line.starts_at + timedelta(minutes=line.duration_minutes), 'fr', 'HH:mm')}",
                "duration": format_hours(line.duration_minutes),
                "phase": translate(f"phase.{line.phase}", "fr"),
                "mode": translate(f"mode.{line.mode}", "fr") + (f" – {line.location}" if line.location else ""),
                "held": line.held,
                "beneficiary": _beneficiary_cell(line, created),
                "consultant": f"Saisie a posteriori le {_when(line.recorded_at)}"
                if line.recorded_at
                else _confirmation(line.consultant_confirmed_at),
                "notes": _session_notes(line),
            }
            for line in data.sessions
        ],
    }


def render_attestation_pdf(data: BilanRecordInput, *, created: datetime) -> bytes:
    return render_document("attestation.html", attestation_context(data, created=created), created=created)


def render_attendance_pdf(data: BilanRecordInput, *, created: datetime) -> bytes:
    return render_document("attendance.html", attendance_context(data, created=created), created=created)
