"""No double booking of a consultant on PostgreSQL (issue 14 §1): two beneficiaries book one slot at the
same moment, one wins and the other reads that it was just taken.

Both threads are held until each has computed its free slots (so both see the slot free), then insert
together: only the consultant's row lock (``sessions._check_slot``) stands between them.
"""

from __future__ import annotations

import threading

import pytest

from services import agenda, bilans
from services.agenda import service as agenda_service
from services.errors import FormError
from services.models import Role
from tests.unit.test_agenda import every_day
from tests.unit.test_bilans import accepted_bilan, add_person, insert_bilan

pytestmark = pytest.mark.integration


def test_two_bookings_of_one_slot_at_once_one_wins(world, monkeypatch, isolated_storage):
    first = accepted_bilan(world)
    rival = add_person(world, "a", Role.BENEFICIARY, "Ines", "Rivale")
    second = insert_bilan(world, beneficiary=rival.user_id)
    every_day(world)
    slot = agenda.bookable_slots(world.beneficiary_a, first)[0]
    assert slot in agenda.bookable_slots(rival, second)

    both_checked = threading.Barrier(2, timeout=20)
    real_add = agenda_service.add_planned_session

    def add_after_both_checked(*args, **kwargs):
        both_checked.wait()
        return real_add(*args, **kwargs)

    monkeypatch.setattr(agenda_service, "add_planned_session", add_after_both_checked)
    outcomes: dict[str, object] = {}

    def book(name, actor, bilan_id):
        try:
            outcomes[name] = agenda.book(actor, bilan_id, {"starts_at": slot.starts_at.isoformat()})
        except FormError as error:
            outcomes[name] = error

    threads = [
        threading.Thread(target=book, args=("a", world.beneficiary_a, first)),
        threading.Thread(target=book, args=("b", rival, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(outcomes) == {"a", "b"}
    errors = [o for o in outcomes.values() if isinstance(o, FormError)]
    assert len(errors) == 1, outcomes
    assert errors[0].fields == {"starts_at": "agenda.error.slot_taken"}
    planned = [
        row
        for bilan_id in (first, second)
        for row in bilans.list_sessions(world.consultant_a, bilan_id)
        if row.starts_at == slot.starts_at and row.status == "planned"
    ]
    assert len(planned) == 1
