"""Live conversations across processes: a message committed by one process wakes, through Redis
pub/sub, a tab waiting in another (what two app workers do)."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

import pytest

from services import messaging
from services.settings import PROJECT_ROOT
from tests.unit.test_bilans import insert_bilan

pytestmark = pytest.mark.integration

SEND = """
import sys
from services import auth, messaging
actor = auth.resolve_session(sys.argv[2]).actor
with messaging.made_by(sys.argv[3]):
    messaging.send(actor, sys.argv[1], "Bonjour depuis un autre processus")
"""


def test_a_message_sent_by_another_process_wakes_this_one_within_a_second(world, redis_available, set_env, database):
    from services.models import BilanStatus

    set_env(REDIS_URL=redis_available)
    bilan = str(insert_bilan(world, BilanStatus.INVESTIGATION))
    token, _ = world.login("beneficiary_a")

    async def scenario() -> tuple[bool, float, bool]:  # the sender shares nothing with us but PostgreSQL and Redis
        with messaging.watch(bilan, "the-sending-tab") as sending_tab:  # it shows its message itself
            waiting = asyncio.create_task(messaging.wait_for_change(bilan, timeout=30))
            await asyncio.sleep(0.5)  # the listener has subscribed
            env = {**os.environ, "DATABASE_URL": database.url}
            sender = await asyncio.create_subprocess_exec(
                sys.executable, "-c", SEND, bilan, token, "the-sending-tab", cwd=PROJECT_ROOT, env=env
            )
            assert await sender.wait() == 0
            sent_at = time.monotonic()
            woken = await waiting
            return woken, time.monotonic() - sent_at, await sending_tab.wait(0.3)

    woken, delay, sender_woken = asyncio.run(scenario())
    assert woken and delay < 1.0
    assert not sender_woken
    thread = messaging.thread(world.actor("consultant_a"), bilan)
    assert [m.body for m in thread.messages] == ["Bonjour depuis un autre processus"]


def test_the_two_participants_opening_a_new_conversation_together_both_get_it(world, database):
    """Her tab and her consultant's often open a conversation at the same moment: the second to create
    its row (or a member's) waits for the first and reads it, instead of failing the page."""
    from sqlmodel import select

    from services.db import session_scope
    from services.messaging.conversation import _conversation, _member
    from services.models import Bilan, BilanStatus, Conversation

    bilan = insert_bilan(world, BilanStatus.INVESTIGATION)
    her, him = world.actor("beneficiary_a"), world.actor("consultant_a")
    seen: list[object] = []

    def his_tab() -> None:
        try:
            seen.append(messaging.thread(him, str(bilan)))
        except Exception as exc:
            seen.append(exc)

    with session_scope() as session:  # her tab has created the rows and not committed yet
        row = session.get(Bilan, bilan)
        assert row is not None
        conversation = _conversation(session, row)
        _member(session, conversation, her.user_id)
        _member(session, conversation, him.user_id)
        other = threading.Thread(target=his_tab)
        other.start()
        time.sleep(0.5)  # his insert waits for hers
    other.join(timeout=10)
    [view] = seen
    assert isinstance(view, messaging.ThreadView), view
    with session_scope() as session:
        assert len(session.exec(select(Conversation).where(Conversation.bilan_id == bilan)).all()) == 1
