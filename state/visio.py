"""The video room of a session card, opened inside the page (services.calendar.visio decides who gets
a link and when; the page only shows what the service returns at the click)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services.access import Actor, Permission
from services.calendar import visio
from state.session import guarded


class RoomMixin(rx.State, mixin=True):
    room_url: str = ""  # the embedded Jitsi room open in the page, else ""

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)  # anyone logged in: the service answers participants only
    def open_room(self, actor: Actor, session_id: str) -> Any:
        ok, link = self._run(lambda: visio.join_link(actor, session_id))  # type: ignore[attr-defined]
        self.room_url = link.frame_url if ok and link is not None and link.embedded else ""

    @rx.event
    def close_room(self) -> None:
        self.room_url = ""
