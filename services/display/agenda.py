"""Rows of the agenda pages (``/agenda``, ``/mon-espace/rendez-vous``, the consultant's home): openings,
days away, public holidays, the week or month of sessions, the free slots and her coming sessions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from services.agenda import AgendaEntry, AgendaSettings, Slot
from services.bilans.sessions import SessionRow
from services.i18n import TIMEZONE, format_date, format_datetime, translate
from services.routes import BILAN_PAGE


class OpeningRow(TypedDict):
    id: str
    weekday: str
    hours: str
    slot: str
    mode: str
    place: str
    remove_label: str


class AwayRow(TypedDict):
    id: str
    days: str
    label: str
    remove_label: str


class HolidayRow(TypedDict):
    day: str
    name: str


class EntryRow(TypedDict):
    id: str
    time: str
    beneficiary: str
    phase: str
    status: str
    place: str
    href: str


class DayRow(TypedDict):
    key: str  # ISO date
    label: str
    is_today: bool
    in_period: bool  # False: a day of the month grid's first or last week outside the month
    entries: list[EntryRow]


class SlotRow(TypedDict):
    value: str  # the slot's start, ISO UTC (what ``agenda.book`` reads)
    label: str


class BookedRow(TypedDict):
    id: str
    label: str
    movable: bool  # planned, in the future: she may try to move or cancel it (the service checks the notice)


def _hm(value: time | datetime) -> str:
    moment = value.astimezone(TIMEZONE) if isinstance(value, datetime) else value
    return moment.strftime("%H:%M")


def opening_rows(settings: AgendaSettings, locale: str) -> list[OpeningRow]:
    rows: list[OpeningRow] = []
    for row in settings.openings:
        weekday = translate(f"agenda.weekday.{row.weekday}", locale)
        rows.append(
            {
                "id": str(row.id),
                "weekday": weekday,
                "hours": f"{_hm(row.starts)}–{_hm(row.ends)}",
                "slot": f"{row.slot_minutes} min",
                "mode": translate(f"mode.{row.mode}", locale),
                "place": row.location or row.video_link,
                "remove_label": translate(
                    "agenda.remove_availability", locale, weekday=weekday, starts=_hm(row.starts), ends=_hm(row.ends)
                ),
            }
        )
    return rows


def away_rows(settings: AgendaSettings, locale: str) -> list[AwayRow]:
    return [
        {
            "id": str(row.id),
            "days": f"{format_date(row.first_day, locale)} – {format_date(row.last_day, locale)}",
            "label": row.label,
            "remove_label": translate(
                "agenda.remove_away",
                locale,
                first=format_date(row.first_day, locale),
                last=format_date(row.last_day, locale),
            ),
        }
        for row in settings.away
    ]


def holiday_rows(holidays: Mapping[date, str], locale: str) -> list[HolidayRow]:
    return [{"day": format_date(day, locale, "EEEE d MMMM y"), "name": name} for day, name in sorted(holidays.items())]


def period(anchor: date, view: str) -> tuple[date, date, date, date]:
    """The period shown around ``anchor``: (first, last) of the week or month, and the grid's first and
    last day (whole weeks, Monday first)."""
    if view == "month":
        first = anchor.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    else:
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
    return first, last, first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def period_label(anchor: date, view: str, locale: str) -> str:
    first, last, _, _ = period(anchor, view)
    if view == "month":
        return format_date(first, locale, "LLLL y")
    return translate("agenda.period_week", locale, first=format_date(first, locale), last=format_date(last, locale))


def _entry(entry: AgendaEntry, locale: str) -> EntryRow:
    starts = entry.starts_at.astimezone(TIMEZONE)
    return {
        "id": entry.session_id,
        "time": f"{_hm(starts)}–{_hm(starts + timedelta(minutes=entry.minutes))}",
        "beneficiary": entry.beneficiary,
        "phase": translate(f"phase.{entry.phase}", locale),
        "status": translate(f"sessionstatus.{entry.status}", locale),
        "place": entry.place,
        "href": BILAN_PAGE.replace("[bilan_id]", entry.bilan_id),
    }


def day_rows(entries: Iterable[AgendaEntry], anchor: date, view: str, today: date, locale: str) -> list[DayRow]:
    """Every day of the grid with its sessions (Paris days), in order."""
    first, last, grid_first, grid_last = period(anchor, view)
    by_day: dict[date, list[EntryRow]] = {}
    for entry in entries:
        by_day.setdefault(entry.starts_at.astimezone(TIMEZONE).date(), []).append(_entry(entry, locale))
    rows: list[DayRow] = []
    day = grid_first
    while day <= grid_last:
        rows.append(
            {
                "key": day.isoformat(),
                "label": format_date(day, locale, "EEEE d MMMM" if view == "week" else "EEE d"),
                "is_today": day == today,
                "in_period": first <= day <= last,
                "entries": by_day.get(day, []),
            }
        )
        day += timedelta(days=1)
    return rows


def entry_rows(entries: Iterable[AgendaEntry], locale: str) -> list[EntryRow]:
    """Sessions as a flat list (today's, on the consultant's home)."""
    return [_entry(entry, locale) for entry in entries]


def _place(slot_mode: str, place: str, locale: str) -> str:
    mode = translate(f"mode.{slot_mode}", locale)
    return f"{mode} ({place})" if place and slot_mode == "presentiel" else mode


def slot_rows(slots: Iterable[Slot], locale: str) -> list[SlotRow]:
    return [
        {
            "value": slot.starts_at.isoformat(),
            "label": (
                f"{format_datetime(slot.starts_at, locale, 'EEEE d MMMM y')} · "
                f"{_hm(slot.starts_at)}–{_hm(slot.ends_at)} · {_place(str(slot.mode), slot.location, locale)}"
            ),
        }
        for slot in slots
    ]


def booked_rows(rows: Iterable[SessionRow], now: datetime, locale: str) -> list[BookedRow]:
    """Her coming sessions (planned, not started)."""
    return [
        {
            "id": row.id,
            "label": (
                f"{format_datetime(row.starts_at, locale, 'EEEE d MMMM y')} · {_hm(row.starts_at)} "
                f"({row.duration_minutes} min) · {_place(row.mode, row.location, locale)}"
            ),
            "movable": row.movable,
        }
        for row in rows
        if row.status == "planned" and row.starts_at > now
    ]
