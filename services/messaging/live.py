"""Live conversations: a change to a bilan's conversation wakes every open tab on it, within a second.

After the commit that changed it (a message sent, edited, deleted), ``changed`` publishes the bilan's
id: on Redis (``REDIS_URL``, several app workers) on one channel, which one listener per worker process
fans out to that worker's waiting tabs; without Redis (the embedded default, one process) directly.
A tab follows a conversation with ``watch``: registered once for as long as it follows, it keeps a change
signalled while the tab is busy re-reading the conversation for its next ``wait`` (a wait-per-change would
lose it), and several such changes make one re-read. The tab then re-reads the conversation through the
service, which checks who may read it: the signal carries no content but the tab that made the change
(``made_by``), whose own follower is not woken by it: the handler that made it shows it already.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import redis
import redis.asyncio as aioredis
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from services.settings import get_settings

log = logging.getLogger("bilan.messaging.live")

CHANNEL = "bilan:conversations"
_PENDING_KEY = "bilan_conversations_changed"
_ORIGIN: contextvars.ContextVar[str] = contextvars.ContextVar("conversation_change_origin", default="")


class Watch:
    """One tab's registration on a conversation (see ``watch``). ``signal`` is set by a change; a follower
    that failed to show one sets it itself, to try again at once."""

    def __init__(self, tab: str) -> None:
        self.tab = tab
        self.loop = asyncio.get_running_loop()
        self.signal = asyncio.Event()

    async def wait(self, timeout: float) -> bool:
        """True at once if the conversation changed since the last wait, else when it changes; False after
        ``timeout`` seconds without a change."""
        try:
            await asyncio.wait_for(self.signal.wait(), timeout)
        except TimeoutError:
            return False
        self.signal.clear()
        return True


_waiting: dict[str, set[Watch]] = defaultdict(set)
_lock = threading.Lock()
_listener: asyncio.Task[None] | None = None
_publisher: redis.Redis | None = None


def changed(session: Session, bilan_id: uuid.UUID) -> None:
    """Any messaging service, in its transaction: the conversation of ``bilan_id`` changed (told after
    the commit, never for a rolled-back change)."""
    session.info.setdefault(_PENDING_KEY, set()).add((str(bilan_id), _ORIGIN.get()))


@contextmanager
def made_by(tab: str) -> Iterator[None]:
    """Around a change a tab makes and then shows itself (its handler re-reads the conversation after the
    service call): that tab's follower is not woken by it. ``tab`` is the tab's client token."""
    token = _ORIGIN.set(tab)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


@event.listens_for(OrmSession, "after_commit")
def _publish_after_commit(session: OrmSession) -> None:
    for bilan_id, origin in session.info.pop(_PENDING_KEY, set()):
        publish(bilan_id, origin)


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_PENDING_KEY, None)


def publish(bilan_id: str, origin: str = "") -> None:
    url = get_settings().redis_url
    if not url:
        _wake(bilan_id, origin)
        return
    global _publisher
    try:
        if _publisher is None:
            _publisher = redis.Redis.from_url(url, socket_timeout=2)
        _publisher.publish(CHANNEL, f"{bilan_id} {origin}".rstrip())
    except redis.RedisError:
        # The tabs will see the message at their next refresh; the message itself is committed.
        log.warning("could not publish a conversation change on Redis", exc_info=True)
        _wake(bilan_id, origin)


def _wake(bilan_id: str, origin: str = "") -> None:
    with _lock:
        waiters = [waiter for waiter in _waiting.get(bilan_id, ()) if not origin or waiter.tab != origin]
    for waiter in waiters:
        waiter.loop.call_soon_threadsafe(waiter.signal.set)


async def _listen(url: str) -> None:
    """One subscriber per process: every change published by any worker wakes this process's tabs."""
    while True:
        client = aioredis.Redis.from_url(url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        data = message["data"]
                        text = data.decode() if isinstance(data, bytes) else str(data)
                        _wake(*text.split(" ", 1))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("conversation listener lost Redis; retrying", exc_info=True)
            await asyncio.sleep(1)
        finally:
            await client.aclose()


def _ensure_listener() -> None:
    global _listener
    url = get_settings().redis_url
    if url and (_listener is None or _listener.done()):
        _listener = asyncio.get_running_loop().create_task(_listen(url))


@contextmanager
def watch(bilan_id: str, tab: str = "") -> Iterator[Watch]:
    """Follow the conversation of ``bilan_id`` (in a coroutine) until the block ends; ``tab``: the
    follower's client token, not woken by that tab's own changes (``made_by``)."""
    _ensure_listener()
    waiter = Watch(tab)
    with _lock:
        _waiting[bilan_id].add(waiter)
    try:
        yield waiter
    finally:
        with _lock:
            _waiting[bilan_id].discard(waiter)
            if not _waiting[bilan_id]:
                del _waiting[bilan_id]


async def wait_for_change(bilan_id: str, timeout: float) -> bool:
    """Wait once until the conversation of ``bilan_id`` changes (True) or ``timeout`` seconds pass (False)."""
    with watch(bilan_id) as changes:
        return await changes.wait(timeout)
