"""Rows of the user's own security page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from services.i18n import format_datetime
from services.models import LoginSession

_BROWSERS = (("edg/", "Edge"), ("firefox", "Firefox"), ("chrome", "Chrome"), ("safari", "Safari"))
_SYSTEMS = (
    ("android", "Android"),
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("windows", "Windows"),
    ("mac os", "macOS"),
    ("linux", "Linux"),
)


class DeviceSessionRow(TypedDict):
    id: str
    device: str
    ip: str
    started: str
    last_seen: str
    current: bool


def device_label(user_agent: str) -> str:
    """A short human label for a user agent string ("Firefox · Linux")."""
    ua = user_agent.lower()
    browser = next((name for key, name in _BROWSERS if key in ua), "")
    system = next((name for key, name in _SYSTEMS if key in ua), "")
    return " · ".join(part for part in (browser, system) if part) or (user_agent[:40] or "—")


def device_session_rows(
    sessions: Iterable[LoginSession], current_session_id: object, locale: str
) -> list[DeviceSessionRow]:
    """The signed-in devices of one user, the one reading the page marked `current`."""
    return [
        {
            "id": str(row.id),
            "device": device_label(row.user_agent),
            "ip": row.ip,
            "started": format_datetime(row.created_at, locale),
            "last_seen": format_datetime(row.last_seen_at, locale),
            "current": row.id == current_session_id,
        }
        for row in sessions
    ]
