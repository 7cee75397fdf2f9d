"""The job queue on a real PostgreSQL with real workers and a real SMTP server (aiosmtpd).

A worker killed during a delivery (SIGKILL) leaves its job to the next worker, and the mail goes
once; an SMTP server that stays down exhausts the retries and the job lands in the operator's
dead-letter list, from which it is retried or discarded; a periodic job is deferred once per tick
however many workers run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from services import mail, queue
from services.db import session_scope
from services.errors import AccessDenied
from services.models import DeliveryStatus, MailMessage
from services.settings import PROJECT_ROOT
from tests.conftest import Sink, free_port, run_queued_jobs

pytestmark = pytest.mark.integration

TICKS: list[float] = []


@queue.job("test_tick", queue="test", cron="* * * * * *")
def _tick(*, attempt: int = 1) -> None:
    TICKS.append(time.time())


class SlowFirstRecipient(Sink):
    """Keeps the first client waiting at RCPT TO (long enough to kill it there); answers the next at once."""

    def __init__(self) -> None:
        super().__init__()
        self.first_rcpt = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.first_rcpt.is_set():
            self.first_rcpt.set()
            await asyncio.sleep(30)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _status(message_id: uuid.UUID) -> MailMessage:
    with session_scope() as session:
        row = session.get(MailMessage, message_id)
        assert row is not None
        return row


def _queue_mail(to: str) -> uuid.UUID:
    with session_scope() as session:
        return mail.queue_mail(session, to=to, subject="Rappel", body="Votre séance est demain.").id


@pytest.fixture
def worker_process(database) -> Iterator[Callable[[], subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "bilan_app", "worker"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATABASE_URL": database.url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_worker_killed_during_a_delivery_leaves_it_to_the_next_and_the_mail_goes_once(
    database, set_env, worker_process
):
    sink = SlowFirstRecipient()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        set_env(SMTP_URL=f"smtp://127.0.0.1:{port}", JOBS_STALLED_SECONDS="2", JOBS_RETRY_WAIT_SECONDS="1")
        message_id = _queue_mail("claire.martin@exemple.fr")
        first = worker_process()
        _wait(sink.first_rcpt.is_set, 60, "the first worker to reach RCPT TO")
        first.kill()  # SIGKILL: no clean-up, its job stays "doing"
        first.wait(timeout=10)
        row = _status(message_id)
        assert row.status is DeliveryStatus.PENDING and row.attempts == 1  # nothing was handed over
        time.sleep(3)  # its heartbeat is now older than JOBS_STALLED_SECONDS
        worker_process()
        _wait(lambda: _status(message_id).status is DeliveryStatus.SENT, 60, "the second worker to deliver")
        time.sleep(1)
        assert [envelope.rcpt_tos for envelope in sink.envelopes] == [["claire.martin@exemple.fr"]]
        assert _status(message_id).attempts == 2
    finally:
        controller.stop()


def test_smtp_down_is_retried_with_back_off_then_dead_lettered_for_the_operator(world, set_env):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", JOBS_MAX_ATTEMPTS="3", JOBS_RETRY_WAIT_SECONDS="1")
    message_id = _queue_mail("bruno.leroy@exemple.fr")
    started = time.monotonic()

    def dead() -> bool:
        run_queued_jobs()
        return bool(queue.list_dead_letters(world.platform))

    _wait(dead, 30, "the job to exhaust its attempts")
    assert time.monotonic() - started >= 2  # two waits of 1 s between the three attempts
    row = _status(message_id)
    assert row.status is DeliveryStatus.FAILED and row.attempts == 3 and "Connection" in row.error
    [letter] = queue.list_dead_letters(world.platform)
    assert letter.job == "deliver_mail" and str(message_id) in letter.arguments and letter.attempts == 3
    for key in ("admin_a", "consultant_a", "beneficiary_a"):
        with pytest.raises(AccessDenied):
            queue.list_dead_letters(world.actor(key))
        with pytest.raises(AccessDenied):
            queue.retry_dead_letter(world.actor(key), letter.id)

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        set_env(SMTP_URL=f"smtp://127.0.0.1:{port}")
        queue.retry_dead_letter(world.platform, letter.id)
        run_queued_jobs()
    finally:
        controller.stop()
    assert _status(message_id).status is DeliveryStatus.SENT
    assert [envelope.rcpt_tos for envelope in sink.envelopes] == [["bruno.leroy@exemple.fr"]]
    assert queue.list_dead_letters(world.platform) == []


def test_a_dead_letter_can_be_discarded(world, set_env):
    set_env(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", JOBS_MAX_ATTEMPTS="1")
    _queue_mail("perdu@exemple.fr")
    run_queued_jobs()
    [letter] = queue.list_dead_letters(world.platform)
    queue.discard_dead_letter(world.platform, letter.id)
    assert queue.list_dead_letters(world.platform) == []
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 0


def test_a_job_exists_only_if_its_transaction_committed(database):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), session_scope() as session:
        mail.queue_mail(session, to="x@exemple.fr", subject="s", body="b")
        raise Boom
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 0
    _queue_mail("y@exemple.fr")
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")).scalar() == 1


def test_a_periodic_job_is_deferred_once_per_tick_across_workers(database):
    TICKS.clear()

    async def two_workers() -> None:
        first = asyncio.create_task(queue.run_worker())
        second = asyncio.create_task(queue.run_worker())
        await asyncio.sleep(4.5)
        for task in (first, second):
            task.cancel()
        await asyncio.gather(first, second, return_exceptions=True)

    asyncio.run(two_workers())
    # A tick a second for 4.5 s: at most 5 or 6 runs; two workers each deferring every tick would give about
    # twice that. (Not distinct wall-clock seconds: on a loaded machine a late tick runs in the next one's.)
    assert 2 <= len(TICKS) <= 6, TICKS
