"""The kinds of event a person is told about, and who may receive each (for the preferences page).

A kind's texts are the catalogue's ``mail.<kind>.subject`` (the line in the notification centre and the
mail's subject) and ``mail.<kind>.body``. An **essential** kind is legal or security evidence the person
must act on: it is always mailed, whatever the preferences. A kind with ``sms`` cannot wait for the mail
to be read (a session's time): it may also go by SMS (``sms.<kind>``) to whoever asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.models import Role


@dataclass(frozen=True)
class Kind:
    name: str
    roles: frozenset[Role]
    essential: bool = False
    sms: bool = False


_B, _C, _A = Role.BENEFICIARY, Role.CONSULTANT, Role.ORG_ADMIN

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("request_submitted", frozenset({_A})),
        Kind("request_for_you", frozenset({_C, _A})),
        Kind("request_handed_back", frozenset({_A})),
        Kind("request_accepted", frozenset({_B})),
        Kind("assigned_to_you", frozenset({_C, _A})),
        Kind("unassigned_from_you", frozenset({_C, _A})),
        Kind("consultant_assigned", frozenset({_B})),
        # Her earlier session notes: she decides whether the new consultant reads them.
        Kind("consultant_changed", frozenset({_B}), essential=True),
        # The convention's own legal mails go to every signing party; these are their lines in the centre.
        Kind("convention_to_sign", frozenset({_B, _C, _A}), essential=True),
        Kind("convention_signed", frozenset({_B, _C, _A}), essential=True),
        Kind("convention_expired", frozenset({_B, _C, _A}), essential=True),
        Kind("convention_cancelled", frozenset({_B, _C, _A}), essential=True),
        Kind("session_planned", frozenset({_B, _C, _A}), sms=True),
        Kind("session_moved", frozenset({_B, _C, _A}), sms=True),
        Kind("session_cancelled", frozenset({_B, _C, _A}), sms=True),
        Kind("session_reminder", frozenset({_B, _C, _A}), sms=True),
        # Attendance evidence (émargement) she must confirm before a deadline.
        Kind("session_recorded", frozenset({_B}), essential=True),
        Kind("task_reminder", frozenset({_B})),
        Kind("followup_reminder", frozenset({_B, _C, _A})),
        Kind("plan_action_reminder", frozenset({_B, _C, _A})),
        Kind("plan_milestone_reminder", frozenset({_B, _C, _A})),
        Kind("message_received", frozenset({_B, _C, _A})),
        Kind("document_shared", frozenset({_B, _C, _A})),
        Kind("document_requested", frozenset({_B})),
        # The document remis (R6313-4): evidence she received it; its own mail carries the link.
        Kind("synthese_handed_over", frozenset({_B}), essential=True),
    )
}


def kind_of(key: str) -> Kind:
    """The kind of a mail key (``mail.session_planned`` → ``session_planned``)."""
    return KINDS[key.removeprefix("mail.")]
