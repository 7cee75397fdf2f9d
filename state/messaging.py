"""The bilan's conversation, on her side (``/mon-espace/messages``) and on her consultant's
(``/bilans/[bilan_id]/messages``); the org admin sees its activity only."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

import reflex as rx
from reflex.utils.exceptions import LockExpiredError

from services import auth, messaging, routes
from services.access import Actor, Permission
from services.display.messaging import (
    AttachmentRow,
    MessageRow,
    TemplateRow,
    attachment_rows,
    message_rows,
    template_rows,
)
from services.errors import AccessDenied, NotFound
from services.i18n import format_datetime
from services.messaging import MAX_ATTACHMENT_BYTES
from services.models import Role
from state.session import FormMixin, SessionState, authorize_for_page, guarded, unread_badges

BODY_ID = "message-body"  # the composer's text box
# After a ready-made text is put in: back to the box (re-mounted with its new text, hence the two frames),
# the caret at the end.
FOCUS_COMPOSER = (
    "requestAnimationFrame(() => requestAnimationFrame(() => {"
    f"const box = document.getElementById('{BODY_ID}');"
    "if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }"
    "}))"
)
log = logging.getLogger("bilan.state.messaging")

FOLLOW_SECONDS = 30 * 60  # a forgotten tab stops following after half an hour (a reload resumes)
WAIT_SECONDS = 20


@dataclass(frozen=True)
class _Snapshot:
    thread: messaging.ThreadView
    files: list[messaging.AttachmentView]
    badges: dict[str, int]


def _snapshot(actor: Actor, bilan_id: str) -> _Snapshot:
    """What the conversation page shows, read through the services (no state: a background task runs it in a
    thread). The thread first: reading it marks it read, so the header's counts after it are the new ones."""
    thread = messaging.thread(actor, bilan_id)
    return _Snapshot(thread, messaging.list_attachments(actor, bilan_id), unread_badges(actor))


def _reread(session_token: str, bilan_id: str) -> _Snapshot | None:
    """The follower's re-read, in a worker thread: the session re-checked (None once it has ended, as the
    guard would refuse it), then the snapshot (None when the person no longer takes part)."""
    info = auth.resolve_session(session_token)
    if info is None or info.must_enrol_2fa:
        return None
    try:
        return _snapshot(info.actor, bilan_id)
    except (NotFound, AccessDenied):
        return None


def _newer_shown(shown: list[MessageRow], read: messaging.ThreadView) -> bool:
    """Whether the tab already shows a message the follower's read lacks (messages are never removed, a
    deleted one keeps its line): its own send, not signalled to its own follower, was shown after that read."""
    return not {row["id"] for row in shown} <= {message.id for message in read.messages}


class ConversationState(FormMixin, SessionState):
    status: str = "loading"  # loading | none (no bilan, or not a participant) | ready | activity (the admin)
    messages: list[MessageRow] = []
    other_name: str = ""
    draft: str = ""
    can_write: bool = False
    editing: str = ""  # the id of the message being edited
    templates: list[TemplateRow] = []
    attachments: list[AttachmentRow] = []  # the conversation's files, newest first
    activity_line: str = ""  # what the org admin sees instead of the messages
    draft_version: int = 0  # re-mounts the uncontrolled text area when the server changes its text
    follow_token: str = ""  # the live follower of this tab (a newer load retires the older one)

    def _refresh(self, actor: Actor) -> None:
        bilan_id = self._page_bilan_id(actor)
        if not bilan_id:
            self.status = "none"
            return
        if actor.role is Role.ORG_ADMIN:
            view = messaging.activity(actor, bilan_id)
            self.activity_line = (
                self._t(
                    "msg.activity",
                    created=format_datetime(view.created_at, self.locale) if view.created_at else "",
                    last=format_datetime(view.last_message_at, self.locale) if view.last_message_at else "—",
                    count=view.messages,
                )
                if view.exists
                else self._t("msg.activity_none")
            )
            self.status = "activity"
            return
        try:
            snapshot = _snapshot(actor, bilan_id)
        except (NotFound, AccessDenied):
            self.status = "none"
            return
        self._show(snapshot)
        if actor.role is Role.CONSULTANT:
            self.templates = template_rows(messaging.templates(actor))

    def _show(self, snapshot: _Snapshot, *, with_draft: bool = True) -> None:
        thread = snapshot.thread
        self.messages = message_rows(thread.messages, self.locale)
        self.attachments = attachment_rows(snapshot.files, self.locale)
        self.other_name, self.can_write, self.status = thread.other_name, thread.open, "ready"
        if with_draft and thread.draft != self.draft:
            self.draft, self.draft_version = thread.draft, self.draft_version + 1
        self._assign(**snapshot.badges)

    @rx.event
    @guarded(authorize_for_page)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.editing = ""
        self._refresh(actor)
        return ConversationState.follow if self.status == "ready" else None

    @rx.event(background=True)
    async def follow(self) -> None:
        """While the tab stays on the conversation: the other person's messages appear without a reload
        (woken through ``messaging.watch``; each wake re-checks the session and re-reads through the services,
        which re-check that the person takes part, in a worker thread; the state's lock is taken once, to
        show the result). One follower per tab: a new load replaces the previous one."""
        async with self:
            token = self.follow_token = uuid.uuid4().hex
            actor, _ = authorize_for_page(self)
            bilan_id = self._page_bilan_id(actor) if actor is not None else ""
            page = routes.template_of(self.router.url.path)
            session_token, tab = self.session_token, self.router.session.client_token
        if not bilan_id:
            return
        deadline = time.monotonic() + FOLLOW_SECONDS
        with messaging.watch(bilan_id, tab) as changes:
            while time.monotonic() < deadline:
                woken = await changes.wait(WAIT_SECONDS)
                seen = await asyncio.to_thread(_reread, session_token, bilan_id) if woken else None
                if woken and seen is None:
                    return
                try:
                    async with self:
                        if self.follow_token != token or routes.template_of(self.router.url.path) != page:
                            return
                        if seen is not None and _newer_shown(self.messages, seen.thread):
                            changes.signal.set()  # this tab's own send showed a later read meanwhile: read again
                        elif seen is not None:  # not the draft: a read made before this tab's last save_draft
                            self._show(seen, with_draft=False)  # would put back the old text
                except LockExpiredError:  # a worker too busy to save it in time: show it again, keep following
                    log.warning("conversation follower of %s: state lock expired; showing again", bilan_id)
                    changes.signal.set()

    @rx.event
    @guarded(authorize_for_page)
    def save_draft(self, actor: Actor, text: str) -> None:
        bilan_id = self._page_bilan_id(actor)
        if bilan_id and self.status == "ready":
            self._run(lambda: messaging.save_draft(actor, bilan_id, str(text)))
            self.draft = str(text)

    @rx.event
    @guarded(authorize_for_page)
    async def send(self, actor: Actor, files: list[rx.UploadFile], body: str = "") -> Any:
        """The text the box holds at the click comes in the upload's own request, with the file if any: Reflex
        sends an upload over HTTP beside the websocket, so a draft saved by another event of the same click
        could land after it (and the previous draft went out instead of what was on screen)."""
        self._reset_messages()
        bilan_id = self._page_bilan_id(actor)
        attachment = None
        if files:
            upload = files[0]
            attachment = (upload.name or "piece-jointe", await upload.read(MAX_ATTACHMENT_BYTES + 1))
        text = str(body)
        with messaging.made_by(self.router.session.client_token):  # _refresh shows it; this tab's follower need not
            sent = self._apply(lambda: messaging.send(actor, bilan_id, text, attachment), "msg.sent", self.errors)
        if sent:
            self.draft, self.draft_version = "", self.draft_version + 1
        else:  # refused: what she typed stays, across a reload too
            self._run(lambda: messaging.save_draft(actor, bilan_id, text))
            self.draft = text
        self._refresh(actor)
        return rx.clear_selected_files("message-file")

    @rx.event
    def attachment_rejected(self, rejected: list[dict[str, Any]]) -> None:
        """The browser refused the file before sending it (type or size)."""
        self._reset_messages()
        self.errors = {"attachment": self._t("msg.error.type_or_size")}

    @rx.event
    @guarded(authorize_for_page)
    def start_edit(self, actor: Actor, message_id: str) -> None:
        self._reset_messages()
        self.editing = message_id

    @rx.event
    def cancel_edit(self) -> None:
        self.editing = ""

    @rx.event
    @guarded(authorize_for_page)
    def save_edit(self, actor: Actor, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        message_id, text = self.editing, str(form_data.get("edit_body", ""))
        if self._apply(lambda: messaging.edit(actor, message_id, text), "msg.edited_notice", self.errors):
            self.editing = ""
        self._refresh(actor)

    @rx.event
    @guarded(authorize_for_page)
    def delete_message(self, actor: Actor, message_id: str) -> None:
        self._reset_messages()
        self._apply(lambda: messaging.delete(actor, message_id), "msg.deleted_notice")
        self._refresh(actor)

    def _insert(self, actor: Actor, text: str, typed: str) -> Any:
        """Put a ready-made text in the composer after what is typed there (``typed``: the box's value at
        the click, so nothing typed is lost), saved as the draft; the focus goes back to the box, at the end
        of the text, to edit it before sending. Nothing is sent."""
        before = str(typed).rstrip()
        body = f"{before}\n{text}" if before else text
        bilan_id = self._page_bilan_id(actor)
        ok, _ = self._run(lambda: messaging.save_draft(actor, bilan_id, body))
        if not ok:
            return None
        self.draft, self.draft_version = body, self.draft_version + 1
        return rx.call_script(FOCUS_COMPOSER)

    @rx.event
    @guarded(authorize_for_page)
    def use_quick_reply(self, actor: Actor, key: str, typed: str) -> Any:
        """One of the role's quick replies (a catalogue key), in the tab's language."""
        if key not in messaging.QUICK_REPLIES.get(actor.role, ()):
            return None
        return self._insert(actor, self._t(key), typed)

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def use_template(self, actor: Actor, template_id: str, typed: str) -> Any:
        """One of the consultant's own templates (he adapts it before sending)."""
        chosen = next((row for row in self.templates if row["id"] == template_id), None)
        if chosen is None:
            return None
        return self._insert(actor, chosen["body"], typed)

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def save_template(self, actor: Actor, form_data: dict[str, Any]) -> None:
        self._reset_messages()
        title, body = str(form_data.get("template_title", "")), str(form_data.get("template_body", ""))
        self._apply(lambda: messaging.save_template(actor, title, body), "msg.template_saved", self.errors)
        self.templates = template_rows(messaging.templates(actor))

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def delete_template(self, actor: Actor, template_id: str) -> None:
        self._reset_messages()
        self._apply(lambda: messaging.delete_template(actor, template_id), "msg.template_deleted")
        self.templates = template_rows(messaging.templates(actor))
