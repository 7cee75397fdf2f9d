"""The bilan's statuses: which are active, open or closed, their order, the moves the state machine
allows, and the legal ceiling of hours. Pure rules without a database, so that services, states and
pages ask them here instead of listing statuses again."""

from __future__ import annotations

from services.errors import ServiceError
from services.models import Bilan, BilanStatus, Phase

ACTIVE_STATUSES = frozenset(
    {BilanStatus.PRELIMINAIRE, BilanStatus.INVESTIGATION, BilanStatus.CONCLUSION, BilanStatus.SUIVI}
)
OPEN_STATUSES = ACTIVE_STATUSES | {BilanStatus.DEMANDE}
# Stopped on the way, with a reason: the bilan leaves the timeline.
STOPPED_STATUSES: tuple[BilanStatus, ...] = (BilanStatus.ABANDONNE, BilanStatus.ANNULE)
CLOSED_STATUSES = frozenset({BilanStatus.TERMINE, *STOPPED_STATUSES})
# The way through a bilan, in order; the follow-up interview is optional.
STATUS_ORDER: tuple[BilanStatus, ...] = (
    BilanStatus.DEMANDE,
    BilanStatus.PRELIMINAIRE,
    BilanStatus.INVESTIGATION,
    BilanStatus.CONCLUSION,
    BilanStatus.SUIVI,
    BilanStatus.TERMINE,
)
OPTIONAL_STATUSES = frozenset({BilanStatus.SUIVI})
# The conclusion is reached: the synthèse may be handed over and the follow-up interview scheduled.
CONCLUDING_STATUSES = frozenset({BilanStatus.CONCLUSION, BilanStatus.SUIVI})
LEGAL_MAX_MINUTES = 24 * 60  # L6313-4: a bilan lasts 24 hours at most

# The state machine: every allowed move; anything else is refused.
TRANSITIONS: dict[BilanStatus, frozenset[BilanStatus]] = {
    BilanStatus.DEMANDE: frozenset({BilanStatus.PRELIMINAIRE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.PRELIMINAIRE: frozenset({BilanStatus.INVESTIGATION, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.INVESTIGATION: frozenset({BilanStatus.CONCLUSION, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
    BilanStatus.CONCLUSION: frozenset(
        {BilanStatus.SUIVI, BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}
    ),
    BilanStatus.SUIVI: frozenset({BilanStatus.TERMINE, BilanStatus.ABANDONNE, BilanStatus.ANNULE}),
}
STARTED_AT_FIELD: dict[BilanStatus, str] = {
    BilanStatus.PRELIMINAIRE: "preliminaire_started_at",
    BilanStatus.INVESTIGATION: "investigation_started_at",
    BilanStatus.CONCLUSION: "conclusion_started_at",
    BilanStatus.SUIVI: "suivi_started_at",
}
PHASE_OF_STATUS: dict[BilanStatus, Phase] = {
    BilanStatus.PRELIMINAIRE: Phase.PRELIMINAIRE,
    BilanStatus.INVESTIGATION: Phase.INVESTIGATION,
    BilanStatus.CONCLUSION: Phase.CONCLUSION,
    BilanStatus.SUIVI: Phase.SUIVI,
}


def is_open(status: BilanStatus | str) -> bool:
    """Any caller (no data is read): from the request until the bilan is finished, abandoned or cancelled."""
    return status in OPEN_STATUSES


def is_closed(status: BilanStatus | str) -> bool:
    """Any caller (no data is read): finished, abandoned or cancelled; nothing of the bilan changes any more."""
    return status in CLOSED_STATUSES


def is_stopped(status: BilanStatus | str) -> bool:
    """Any caller (no data is read): abandoned or cancelled, so the bilan has no place on the timeline."""
    return status in STOPPED_STATUSES


def require_open(bilan: Bilan) -> None:
    """Any service, on a bilan its caller may see: refuses a change to a closed bilan."""
    if is_closed(bilan.status):
        raise ServiceError("error.bilan_closed")


def default_phase(status: BilanStatus | str) -> Phase:
    """Any caller (no data is read): the phase a new session of a bilan in ``status`` belongs to."""
    return PHASE_OF_STATUS.get(BilanStatus(status), Phase.PRELIMINAIRE)


def forward_moves(status: BilanStatus | str) -> tuple[str, ...]:
    """Any caller (no data is read): the moves a follower makes with a button, in a stable order. Not the
    preliminary phase (entered by accepting the request) nor a stop (asked with its reason by a form)."""
    targets = TRANSITIONS.get(BilanStatus(status), frozenset())
    return tuple(sorted(str(t) for t in targets if t is not BilanStatus.PRELIMINAIRE and t not in STOPPED_STATUSES))
