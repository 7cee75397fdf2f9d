"""A session's calendar and video links on its card (services.calendar): the invitation to download, and
the video link the service gives a participant from 15 minutes before (a Jitsi room opens in the page or
in a new tab, as the organisation chose)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.downloads import file_link
from components.i18n import t, tf

# What the Jitsi room may use in the frame; its own prejoin page asks for the devices and holds the lobby.
JITSI_ALLOW = "camera; microphone; display-capture; fullscreen; autoplay; clipboard-write"


def session_links(item: rx.Var, open_room: Any) -> rx.Component:
    """``item``: a session row (``ics_path``, ``join_url``, ``join_embedded``, ``date``); ``open_room``:
    the event that shows the embedded room for a session id."""
    date = item["date"].to(str)
    join = rx.cond(
        item["join_embedded"],
        rx.button(
            rx.icon("video", size=16, aria_hidden="true"),
            t("visio.join"),
            type="button",
            size="2",
            aria_label=tf("visio.join_label", date=date),
            on_click=open_room(item["id"].to(str)),
        ),
        rx.link(
            rx.icon("video", size=16, aria_hidden="true"),
            t("visio.join_new_tab"),
            href=item["join_url"].to(str),
            is_external=True,
            aria_label=tf("visio.join_label", date=date),
            weight="medium",
        ),
    )
    return rx.flex(
        rx.cond(item["join_url"] != "", join),
        rx.cond(
            item["ics_path"] != "",
            file_link(
                item["ics_path"].to(str),
                t("calendar.download"),
                icon="calendar-plus",
                aria_label=tf("calendar.download_label", date=date),
            ),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def room_frame(url: rx.Var, close: Any) -> rx.Component:
    """The open Jitsi room inside the page (an iframe of the room, configured by the URL's fragment as the
    IFrame API does: the prejoin page, where the devices are chosen and the lobby waits), with a way out;
    nothing when ``url`` is empty."""
    return rx.cond(
        url != "",
        rx.el.section(
            rx.flex(
                rx.heading(t("visio.room_title"), as_="h2", size="4", id="visio-room-title"),
                rx.button(t("common.close"), type="button", variant="soft", on_click=close),
                justify="between",
                align="center",
            ),
            rx.el.iframe(
                src=url,
                title=t("visio.room_title"),
                allow=JITSI_ALLOW,
                allow_full_screen=True,
                style={"width": "100%", "height": "70vh", "border": "0", "border_radius": "8px"},
            ),
            aria_labelledby="visio-room-title",
            style={"margin_top": "1rem"},
        ),
    )
