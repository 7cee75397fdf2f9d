"""The operator's rows: organisations, the outbox, the failed jobs; and the embedded mode's queue answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services import queue
from services.display.platform import dead_letter_rows, outbox_rows
from services.errors import AccessDenied, NotFound
from services.mail import OutboxLine
from services.queue import DeadLetter

STAMP = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)


def test_dead_letter_rows_are_text_for_the_table() -> None:
    [row] = dead_letter_rows([DeadLetter(7, "deliver_mail", "mail", '{"message_id": "m1"}', 5, STAMP)], "fr")
    assert row == {
        "id": "7",
        "job": "deliver_mail",
        "arguments": '{"message_id": "m1"}',
        "attempts": "5",
        "failed": "12 mars 2026, 14:05:00",
    }
    [never] = dead_letter_rows([DeadLetter(8, "plan_reminders", "default", "{}", 1, None)], "en")
    assert never["failed"] == "—"


def test_outbox_rows_format_the_moment_per_locale() -> None:
    line = OutboxLine("m1", "x@exemple.fr", "Sujet", "uncertain", "interrupted", STAMP, "Corps")
    [fr], [en] = outbox_rows([line], "fr"), outbox_rows([line], "en")
    assert fr["status"] == "uncertain" and fr["date"] != en["date"] and "2026" in en["date"]


def test_the_embedded_mode_has_no_dead_letters_and_refuses_to_touch_them(world) -> None:
    assert not queue.uses_worker()
    assert queue.list_dead_letters(world.platform) == []
    for action in (queue.retry_dead_letter, queue.discard_dead_letter):
        with pytest.raises(NotFound):
            action(world.platform, 1)
        with pytest.raises(AccessDenied):
            action(world.admin_a, 1)
