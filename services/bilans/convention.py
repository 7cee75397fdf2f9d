"""What the bilan reads of its convention (``services.conventions`` issues and signs them): whether it
is signed or binding, since when, and where the beneficiary stands with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.bilans._common import aware
from services.models import Bilan, Convention, ConventionSignature, ConventionStatus, SignatureParty


def latest_convention(session: Session, bilan: Bilan) -> Convention | None:
    """Any service, on a bilan it loaded and checked: its most recent convention (highest version)."""
    return session.exec(
        select(Convention).where(Convention.bilan_id == bilan.id).order_by(col(Convention.version).desc())
    ).first()


def conventions_signed(session: Session, bilan: Bilan) -> bool:
    """Any service, on a bilan it loaded and checked: its latest convention is signed by every party."""
    latest = latest_convention(session, bilan)
    return latest is not None and latest.status == ConventionStatus.SIGNED


def convention_in_force(session: Session, bilan: Bilan) -> bool:
    """Any service, on a bilan it loaded and checked: the latest convention awaits signatures or is signed,
    so its terms must not change."""
    latest = latest_convention(session, bilan)
    return latest is not None and latest.status in {ConventionStatus.AWAITING_SIGNATURES, ConventionStatus.SIGNED}


def first_signature(session: Session, bilan: Bilan) -> datetime | None:
    """Any service, on a bilan it loaded and checked: when its convention was first signed by every party
    (None: never)."""
    value = session.exec(
        select(func.min(Convention.signed_at)).where(
            Convention.bilan_id == bilan.id, Convention.status == ConventionStatus.SIGNED
        )
    ).one()
    return aware(value)


def held_before_convention(starts_at: datetime, signed_at: datetime | None) -> bool:
    """Any caller (no data is read): a session that started before the convention was signed (only the
    preliminary interview may)."""
    return signed_at is None or starts_at < signed_at


def convention_state(session: Session, bilan: Bilan) -> str:
    """Any service, on the beneficiary's bilan: where she stands with her latest convention, for the call
    to action of her home: none, to_sign, awaiting_others, signed or lapsed (expired or cancelled)."""
    latest = latest_convention(session, bilan)
    if latest is None:
        return "none"
    if latest.status == ConventionStatus.SIGNED:
        return "signed"
    if latest.status != ConventionStatus.AWAITING_SIGNATURES:
        return "lapsed"
    hers = session.exec(
        select(ConventionSignature).where(
            ConventionSignature.convention_id == latest.id, ConventionSignature.party == SignatureParty.BENEFICIARY
        )
    ).first()
    return "to_sign" if hers is not None and hers.signed_at is None else "awaiting_others"
