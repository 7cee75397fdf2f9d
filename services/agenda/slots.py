"""The free slots of a consultant: pure rules, no database.

Openings are Paris wall-clock times (a Tuesday 09:00–12:00 stays 09:00–12:00 in winter and in summer);
each day's slots are placed on the wall clock, then turned into UTC instants, so the daylight-saving
changes shift nothing the consultant sees. French public holidays (the ``holidays`` package) and the
consultant's days away have no slot; a slot that overlaps a session of the consultant is busy.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from services.i18n import TIMEZONE
from services.models import DeliveryMode


@dataclass(frozen=True)
class Opening:
    weekday: int  # 0 Monday ... 6 Sunday
    starts: time
    ends: time
    slot_minutes: int
    mode: DeliveryMode
    location: str = ""
    video_link: str = ""


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    minutes: int
    mode: DeliveryMode
    location: str
    video_link: str

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> dict[date, str]:
    # Metropolitan France (Alsace-Moselle's two extra days are not national holidays).
    return dict(holidays.country_holidays("FR", years=year, language="fr"))


def public_holidays(first: date, last: date) -> dict[date, str]:
    """The French public holidays from ``first`` to ``last`` (inclusive), by day, with their French name."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update({day: name for day, name in _holidays_of(year).items() if first <= day <= last})
    return found


def wall_clock(day: date, moment: time) -> datetime:
    """``moment`` on ``day`` in Paris, as a UTC instant."""
    return datetime.combine(day, moment, tzinfo=TIMEZONE).astimezone(UTC)


def _day_slots(day: date, opening: Opening) -> Iterable[Slot]:
    start = datetime.combine(day, opening.starts)
    end = datetime.combine(day, opening.ends)
    step = timedelta(minutes=opening.slot_minutes)
    while start + step <= end:
        yield Slot(
            starts_at=start.replace(tzinfo=TIMEZONE).astimezone(UTC),
            minutes=opening.slot_minutes,
            mode=opening.mode,
            location=opening.location,
            video_link=opening.video_link,
        )
        start += step


def free_slots(
    openings: Sequence[Opening],
    away: Sequence[tuple[date, date]],
    busy: Sequence[tuple[datetime, datetime]],
    first: date,
    last: date,
    *,
    earliest: datetime,
    max_minutes: int | None = None,
) -> list[Slot]:
    """The slots from ``first`` to ``last`` (Paris days, inclusive) that start at ``earliest`` or later,
    fall on no public holiday nor day away, overlap no ``busy`` interval and last at most ``max_minutes``
    (what the bilan may still plan)."""
    closed = public_holidays(first, last)
    intervals = sorted(busy)
    starts = [interval[0] for interval in intervals]
    # Sessions last at most a working day: an interval starting that long before a slot cannot reach it.
    longest = max((end - start for start, end in intervals), default=timedelta(0))
    by_weekday: dict[int, list[Opening]] = {}
    for opening in openings:
        by_weekday.setdefault(opening.weekday, []).append(opening)
    found: list[Slot] = []
    day = first
    while day <= last:
        todays = by_weekday.get(day.weekday())
        if todays and day not in closed and not any(a <= day <= b for a, b in away):
            for opening in todays:
                for slot in _day_slots(day, opening):
                    if slot.starts_at < earliest or (max_minutes is not None and slot.minutes > max_minutes):
                        continue
                    low = bisect.bisect_left(starts, slot.starts_at - longest)
                    high = bisect.bisect_left(starts, slot.ends_at)
                    if any(intervals[i][1] > slot.starts_at for i in range(low, high)):
                        continue
                    found.append(slot)
        day += timedelta(days=1)
    found.sort(key=lambda slot: slot.starts_at)
    return found
