"""The notification centre: the person's own list (open, mark read) and how each kind is mailed."""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import notifications
from services.access import Actor, Permission
from services.calendar import feeds
from services.display.notifications import NotificationRow, PreferenceRow, notification_rows, preference_rows
from services.i18n import format_datetime
from state.session import FormMixin, SessionState, guarded


class NotificationsState(FormMixin, SessionState):
    rows: list[NotificationRow] = []
    preferences: list[PreferenceRow] = []
    unread_only: bool = False
    sms_offered: bool = False
    mobile: str = ""  # her number as stored (E.164), the field's starting value
    feed_offered: bool = False  # a member of an organisation (its sessions make the feed)
    feed_since: str = ""  # when the live feed address was made, else ""
    feed_url: str = ""  # the address just made: shown once, never stored in clear

    def _refresh(self, actor: Actor) -> None:
        self.rows = notification_rows(
            notifications.list_notifications(actor, unread_only=self.unread_only), self.locale
        )
        self.preferences = preference_rows(notifications.preferences(actor), self.locale)
        self.sms_offered = notifications.sms_offered()
        self.mobile = notifications.mobile_number(actor)
        self.feed_offered = actor.organisation_id is not None
        status = feeds.feed_status(actor) if self.feed_offered else None
        self.feed_since = format_datetime(status.created_at, self.locale) if status and status.active else ""
        self._assign(unread_notifications=notifications.unread_count(actor))

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def load(self, actor: Actor) -> None:
        self._reset_messages()
        self.feed_url = ""  # an address is shown once, when made
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def set_unread_only(self, actor: Actor, value: bool) -> None:
        self.unread_only = bool(value)
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def open_notification(self, actor: Actor, notification_id: str) -> Any:
        """Read it and go where it leads (a path of the app only: never a page-sent address)."""
        self._reset_messages()
        ok, path = self._run(lambda: notifications.mark_read(actor, notification_id))
        if ok and path:
            return rx.redirect(path)
        self._refresh(actor)
        return None

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def mark_read(self, actor: Actor, notification_id: str) -> None:
        self._reset_messages()
        self._run(lambda: notifications.mark_read(actor, notification_id))
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def mark_all_read(self, actor: Actor) -> None:
        self._reset_messages()
        count = notifications.mark_all_read(actor)
        self.notice = self._t("notif.marked_all", count=count)
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def set_mode(self, actor: Actor, kind: str, mode: str) -> None:
        self._reset_messages()
        self._apply(lambda: notifications.set_preference(actor, kind, mode), "notif.saved", self.errors)
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def set_sms(self, actor: Actor, kind: str, wanted: bool) -> None:
        self._reset_messages()
        self._apply(lambda: notifications.set_sms(actor, kind, bool(wanted)), "notif.saved", self.errors)
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def create_feed(self, actor: Actor) -> None:
        """A new feed address (the old one stops working), shown until the page is left."""
        self._reset_messages()
        ok, url = self._run(lambda: feeds.create_feed(actor))
        self.feed_url = str(url) if ok else ""
        if ok:
            self.notice = self._t("calendar.feed_created")
        self._refresh(actor)

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def revoke_feed(self, actor: Actor) -> None:
        self._reset_messages()
        ok, revoked = self._run(lambda: feeds.revoke_feed(actor))
        self.feed_url = ""
        if ok:
            self.notice = self._t("calendar.feed_revoked" if revoked else "calendar.feed_nothing_to_revoke")
        self._refresh(actor)

    @rx.event
    def copy_feed(self) -> Any:
        return [rx.set_clipboard(self.feed_url), rx.toast(self._t("calendar.feed_copied"))]

    @rx.event
    @guarded(Permission.MANAGE_OWN_ACCOUNT)
    def save_mobile(self, actor: Actor, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        raw = str(form_data.get("mobile", ""))
        ok, number = self._run(lambda: notifications.set_mobile_number(actor, raw), self.errors)
        if ok:
            self.notice = self._t("notif.mobile_saved" if number else "notif.mobile_removed")
            self._refresh(actor)
