"""Who is told what when something happens (``events``), and the notification centre that tells them
(``centre``: the bell's list, mail by preference, the daily digest)."""

from services.notifications.centre import (
    NotificationView,
    PreferenceView,
    check_unsubscribe,
    list_notifications,
    mark_all_read,
    mark_read,
    notify,
    preferences,
    send_digests,
    set_preference,
    unread_count,
    unsubscribe,
    unsubscribe_link,
)
from services.notifications.events import (
    consultant_assigned,
    request_accepted,
    request_handed_back,
    request_submitted,
    session_cancelled,
    session_moved,
    session_planned,
    session_recorded,
    when,
)
from services.notifications.kinds import KINDS, Kind, kind_of

__all__ = [
    "KINDS",
    "Kind",
    "NotificationView",
    "PreferenceView",
    "check_unsubscribe",
    "consultant_assigned",
    "kind_of",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "notify",
    "preferences",
    "request_accepted",
    "request_handed_back",
    "request_submitted",
    "send_digests",
    "session_cancelled",
    "session_moved",
    "session_planned",
    "session_recorded",
    "set_preference",
    "unread_count",
    "unsubscribe",
    "unsubscribe_link",
    "when",
]
