"""Live conversations across processes: a message committed by one process wakes, through Redis
pub/sub, a tab waiting in another (what two app workers do)."""

from __future__ import annotations

import asyncio
import os
import sys
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
messaging.send(actor, sys.argv[1], "Bonjour depuis un autre processus")
"""


def test_a_message_sent_by_another_process_wakes_this_one_within_a_second(world, redis_available, set_env, database):
    from services.models import BilanStatus

    set_env(REDIS_URL=redis_available)
    bilan = str(insert_bilan(world, BilanStatus.INVESTIGATION))
    token, _ = world.login("beneficiary_a")

    async def scenario() -> tuple[bool, float]:  # the sender shares nothing with us but PostgreSQL and Redis
        waiting = asyncio.create_task(messaging.wait_for_change(bilan, timeout=30))
        await asyncio.sleep(0.5)  # the listener has subscribed
        sender = await asyncio.create_subprocess_exec(
            sys.executable, "-c", SEND, bilan, token, cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": database.url}
        )
        assert await sender.wait() == 0
        sent_at = time.monotonic()
        woken = await waiting
        return woken, time.monotonic() - sent_at

    woken, delay = asyncio.run(scenario())
    assert woken and delay < 1.0
    thread = messaging.thread(world.actor("consultant_a"), bilan)
    assert [m.body for m in thread.messages] == ["Bonjour depuis un autre processus"]
