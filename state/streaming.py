"""Following a streamed AI answer on screen without flooding the websocket."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Protocol, TypeVar

# The screen follows a streamed answer at most this often: every delta would be a state update each.
STREAM_REFRESH_SECONDS = 0.25


class _Event(Protocol):
    @property
    def kind(self) -> str: ...


EventT = TypeVar("EventT", bound=_Event)


async def throttled(events: AsyncIterator[EventT]) -> AsyncIterator[EventT]:
    """The stream's events, with ``delta`` events dropped when the last one shown is too recent.

    A delta carries the whole text so far, so a dropped one loses nothing; every other kind (step,
    retry, fallback, done) always passes."""
    shown = 0.0
    async for event in events:
        if event.kind == "delta":
            now = time.monotonic()
            if now - shown < STREAM_REFRESH_SECONDS:
                continue
            shown = now
        yield event
