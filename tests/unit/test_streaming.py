"""The throttle between a streamed AI answer and the screen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from state.streaming import throttled


@dataclass(frozen=True)
class Event:
    kind: str
    text: str = ""


async def _stream(events: list[Event]) -> AsyncIterator[Event]:
    for event in events:
        yield event


def _shown(events: list[Event]) -> list[Event]:
    async def collect() -> list[Event]:
        return [event async for event in throttled(_stream(events))]

    return asyncio.run(collect())


def test_a_burst_of_deltas_shows_the_first_and_every_other_kind_passes() -> None:
    burst = [Event("step"), *[Event("delta", "x" * n) for n in range(1, 50)], Event("retry"), Event("done")]
    shown = _shown(burst)
    assert [event.kind for event in shown] == ["step", "delta", "retry", "done"]
    assert shown[1].text == "x"  # the first delta is shown at once, the burst after it is skipped
