"""The agenda (issue 14 §1): the consultant's weekly availability and days away, French public holidays,
the free slots the beneficiary books from (and moves or cancels up to the organisation's notice), and
the consultant's calendar across their bilans.

- ``slots``: the free-slot rules (pure: Paris wall clock, holidays, busy intervals);
- ``service``: who may do what, in the database; booking reuses ``services.bilans.sessions``.
"""

from services.agenda.service import (
    BOOKING_WEEKS,
    AgendaEntry,
    AgendaSettings,
    add_availability,
    add_away,
    book,
    bookable_slots,
    booking_notice_hours,
    calendar,
    cancel_booking,
    consultant_free_slots,
    move_booking,
    my_settings,
    remove_availability,
    remove_away,
    today,
)
from services.agenda.slots import Opening, Slot, free_slots, public_holidays

__all__ = [
    "BOOKING_WEEKS",
    "AgendaEntry",
    "AgendaSettings",
    "Opening",
    "Slot",
    "add_availability",
    "add_away",
    "book",
    "bookable_slots",
    "booking_notice_hours",
    "calendar",
    "cancel_booking",
    "consultant_free_slots",
    "free_slots",
    "move_booking",
    "my_settings",
    "public_holidays",
    "remove_availability",
    "remove_away",
    "today",
]
