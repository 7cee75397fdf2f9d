"""The conversation of a bilan: its beneficiary and her assigned consultant write to each other.

Nobody else reads it: the organisation's admin sees that it exists and its activity dates
(``activity``), never a message; another organisation sees nothing (NotFound). Messages and drafts are
encrypted at rest. The author may edit a message for ``EDIT_MINUTES`` (it shows as edited) and delete
it (the line stays as "message supprimé", and the deletion is audited). Attachments are stored
encrypted like the bilan's other files and listed among its documents.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, func, select

from services import audit, routes
from services.access import Actor, Permission, require
from services.bilans import get_bilan, my_current_bilan, require_open
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import AccessDenied, FormError, NotFound, ServiceError
from services.filetypes import sniff
from services.messaging.live import changed
from services.models import (
    Bilan,
    Conversation,
    ConversationMember,
    Document,
    DocumentKind,
    Message,
    MessageTemplate,
    Role,
    User,
)
from services.models.base import utcnow
from services.notifications import mark_group_read, notify
from services.storage import read_document, store_document

MAX_MESSAGE_CHARS = 10_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
EDIT_MINUTES = 15
MAX_TEMPLATES = 50


@dataclass(frozen=True)
class MessageView:
    id: str
    author: str
    mine: bool
    body: str  # "" when deleted
    created_at: datetime
    edited: bool
    deleted: bool
    editable: bool  # the author, within EDIT_MINUTES, not deleted
    read_by_other: bool  # my message, and the other person has read up to it
    attachment_name: str


@dataclass(frozen=True)
class ThreadView:
    bilan_id: str
    other_name: str  # the person on the other side ("" when no consultant is assigned yet)
    messages: list[MessageView]
    draft: str
    open: bool  # the bilan accepts new messages


@dataclass(frozen=True)
class ActivityView:
    exists: bool
    created_at: datetime | None
    last_message_at: datetime | None
    messages: int


def _participants(bilan: Bilan) -> list[uuid.UUID]:
    return [bilan.beneficiary_id] + ([bilan.consultant_id] if bilan.consultant_id else [])


def _require_participant(actor: Actor, bilan: Bilan) -> None:
    """Her, and the consultant assigned to her bilan: nobody else, not even the org admin."""
    mine = (actor.role is Role.BENEFICIARY and bilan.beneficiary_id == actor.user_id) or (
        actor.role is Role.CONSULTANT and bilan.consultant_id == actor.user_id
    )
    if not mine:
        raise AccessDenied()


def _participant_bilan(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    bilan = get_bilan(session, actor, bilan_id)
    _require_participant(actor, bilan)
    return bilan


def _insert_unless_there(session: Session, row: SQLModel) -> None:
    """Insert ``row`` unless a row with the same unique key exists (INSERT … ON CONFLICT DO NOTHING): the two
    participants often open a conversation at the same moment, and the second insert of its row (or of a
    member's) must not fail the page; on PostgreSQL it waits for the first one's commit, then does nothing."""
    table = type(row)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    session.execute(insert.values(**row.model_dump()).on_conflict_do_nothing())


def _conversation(session: Session, bilan: Bilan) -> Conversation:
    query = select(Conversation).where(Conversation.bilan_id == bilan.id)
    conversation = session.exec(query).first()
    if conversation is None:
        _insert_unless_there(session, Conversation(organisation_id=bilan.organisation_id, bilan_id=bilan.id))
        conversation = session.exec(query).one()
    return conversation


def _member(session: Session, conversation: Conversation, user_id: uuid.UUID) -> ConversationMember:
    query = select(ConversationMember).where(
        ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == user_id
    )
    member = session.exec(query).first()
    if member is None:
        _insert_unless_there(session, ConversationMember(conversation_id=conversation.id, user_id=user_id))
        member = session.exec(query).one()
    return member


def _space_of(user_id: uuid.UUID, bilan: Bilan) -> str:
    return routes.MESSAGES if user_id == bilan.beneficiary_id else routes.bilan_messages(str(bilan.id))


def _view(
    message: Message,
    actor: Actor,
    names: dict[uuid.UUID, str],
    other_read: datetime | None,
    now: datetime,
    attachments: dict[uuid.UUID, str],
) -> MessageView:
    mine = message.author_id == actor.user_id
    deleted = message.deleted_at is not None
    return MessageView(
        id=str(message.id),
        author=names.get(message.author_id, ""),
        mine=mine,
        body="" if deleted else decrypt_text(message.body_encrypted),
        created_at=message.created_at,
        edited=message.edited_at is not None,
        deleted=deleted,
        editable=mine and not deleted and now - message.created_at < timedelta(minutes=EDIT_MINUTES),
        read_by_other=mine and other_read is not None and other_read >= message.created_at,
        attachment_name="" if deleted or message.attachment_id is None else attachments.get(message.attachment_id, ""),
    )


def thread(actor: Actor, bilan_id: uuid.UUID | str) -> ThreadView:
    """The bilan's beneficiary and its assigned consultant: the whole conversation, oldest first, and
    their own draft. Reading it marks it read (the other side's receipts)."""
    with session_scope() as session:
        bilan = _participant_bilan(session, actor, bilan_id)
        conversation = _conversation(session, bilan)
        me = _member(session, conversation, actor.user_id)
        others = [uid for uid in _participants(bilan) if uid != actor.user_id]
        other_member = _member(session, conversation, others[0]) if others else None
        rows = session.exec(
            select(Message).where(Message.conversation_id == conversation.id).order_by(col(Message.created_at))
        ).all()
        people = session.exec(select(User).where(col(User.id).in_(_participants(bilan) + [m.author_id for m in rows])))
        names = {user.id: user.full_name for user in people}
        attachment_ids = [m.attachment_id for m in rows if m.attachment_id is not None]
        attachments = {
            document.id: document.filename
            for document in session.exec(select(Document).where(col(Document.id).in_(attachment_ids)))
        }
        now = utcnow()
        other_read = other_member.last_read_at if other_member else None
        views = [_view(row, actor, names, other_read, now, attachments) for row in rows]
        me.last_read_at = now
        session.add(me)
        mark_group_read(session, actor.user_id, f"conversation:{conversation.id}")
        return ThreadView(
            bilan_id=str(bilan.id),
            other_name=names.get(others[0], "") if others else "",
            messages=views,
            draft=decrypt_text(me.draft_encrypted) if me.draft_encrypted else "",
            open=bilan.consultant_id is not None and not _closed(bilan),
        )


def _closed(bilan: Bilan) -> bool:
    try:
        require_open(bilan)
    except ServiceError:
        return True
    return False


def _check_body(body: str, *, attachment: bool) -> str:
    text = body.strip()
    if not text and not attachment:
        raise FormError({"body": "msg.error.empty"})
    if len(text) > MAX_MESSAGE_CHARS:
        raise FormError({"body": "msg.error.too_long"}, max=MAX_MESSAGE_CHARS)
    return text


def send(
    actor: Actor, bilan_id: uuid.UUID | str, body: str, attachment: tuple[str, bytes] | None = None
) -> MessageView:
    """The beneficiary or her assigned consultant, while the bilan is open and has a consultant: a new
    message (and a file). The other person is told (one unread line per conversation, grouped)."""
    text = _check_body(body, attachment=attachment is not None)
    content_type = ""
    if attachment is not None:
        content = attachment[1]
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise FormError({"attachment": "msg.error.too_big"}, max_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))
        content_type = sniff(content) or ""
        if not content_type:
            raise FormError({"attachment": "msg.error.type"})
    with session_scope() as session:
        bilan = _participant_bilan(session, actor, bilan_id)
        require_open(bilan)
        if bilan.consultant_id is None:
            raise ServiceError("msg.error.no_consultant")
        conversation = _conversation(session, bilan)
        document = None
        if attachment is not None:
            document = store_document(
                session,
                organisation_id=bilan.organisation_id,
                bilan_id=bilan.id,
                kind=DocumentKind.MESSAGE_ATTACHMENT,
                filename=(attachment[0] or "piece-jointe")[:200],
                content=attachment[1],
                content_type=content_type,
                uploaded_by_id=actor.user_id,
            )
        now = utcnow()
        message = Message(
            organisation_id=bilan.organisation_id,
            conversation_id=conversation.id,
            author_id=actor.user_id,
            body_encrypted=encrypt_text(text),
            created_at=now,
            attachment_id=document.id if document is not None else None,
        )
        conversation.last_message_at = now
        changed(session, bilan.id)
        me = _member(session, conversation, actor.user_id)
        me.last_read_at, me.draft_encrypted = now, ""
        session.add_all([message, conversation, me])
        author = session.get(User, actor.user_id)
        # A file is its own line (never folded into the thread's), read with the conversation
        # (mark_group_read's prefix); a text folds into the thread's unread line.
        key, group_key, filename = "mail.message_received", f"conversation:{conversation.id}", ""
        if document is not None:
            key, group_key, filename = "mail.document_shared", f"{group_key}:file:{document.id}", document.filename
        for user_id in _participants(bilan):
            other = session.get(User, user_id) if user_id != actor.user_id else None
            if other is not None:
                notify(
                    session,
                    other,
                    key,
                    organisation_id=bilan.organisation_id,
                    path=_space_of(other.id, bilan),
                    group_key=group_key,
                    author=author.full_name if author else "",
                    filename=filename,  # read by the document's texts only
                )
        session.flush()
        names = {actor.user_id: author.full_name if author else ""}
        files = {document.id: document.filename} if document is not None else {}
        return _view(message, actor, names, None, now, files)


def _participants_message(session: Session, actor: Actor, message_id: uuid.UUID | str) -> tuple[Message, Bilan]:
    """A message of a conversation the actor takes part in (NotFound for anything else, another
    organisation's included)."""
    try:
        key = uuid.UUID(str(message_id))
    except ValueError:
        raise NotFound() from None
    message = session.get(Message, key)
    if message is None or message.organisation_id != actor.organisation_id:
        raise NotFound()
    conversation = session.get(Conversation, message.conversation_id)
    assert conversation is not None
    return message, _participant_bilan(session, actor, conversation.bilan_id)


def _own_message(session: Session, actor: Actor, message_id: uuid.UUID | str) -> tuple[Message, Bilan]:
    message, bilan = _participants_message(session, actor, message_id)
    if message.author_id != actor.user_id:
        raise AccessDenied()
    return message, bilan


def edit(actor: Actor, message_id: uuid.UUID | str, body: str) -> None:
    """The author, within EDIT_MINUTES of sending it: the message's new text (shown as edited)."""
    with session_scope() as session:
        message, bilan = _own_message(session, actor, message_id)
        require_open(bilan)
        if message.deleted_at is not None:
            raise NotFound()
        if utcnow() - message.created_at >= timedelta(minutes=EDIT_MINUTES):
            raise ServiceError("msg.error.edit_too_late", minutes=EDIT_MINUTES)
        message.body_encrypted = encrypt_text(_check_body(body, attachment=message.attachment_id is not None))
        message.edited_at = utcnow()
        session.add(message)
        changed(session, bilan.id)


def delete(actor: Actor, message_id: uuid.UUID | str) -> None:
    """The author: the message's text and file go; the line stays as "message supprimé"; audited."""
    with session_scope() as session:
        message, bilan = _own_message(session, actor, message_id)
        if message.deleted_at is not None:
            return
        message.body_encrypted, message.deleted_at = "", utcnow()
        message.attachment_id = None
        session.add(message)
        changed(session, bilan.id)
        audit.record(
            session,
            "messaging.message_deleted",
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="bilan",
            target_id=bilan.id,
            changes={"message": {"before": str(message.id), "after": None}},
        )


def save_draft(actor: Actor, bilan_id: uuid.UUID | str, text: str) -> None:
    """Either participant: what they are typing, kept encrypted until they send it (a reload keeps it)."""
    with session_scope() as session:
        bilan = _participant_bilan(session, actor, bilan_id)
        member = _member(session, _conversation(session, bilan), actor.user_id)
        member.draft_encrypted = encrypt_text(text[: MAX_MESSAGE_CHARS + 100]) if text.strip() else ""
        session.add(member)


def read_attachment(actor: Actor, message_id: uuid.UUID | str) -> tuple[str, str, bytes]:
    """Either participant: a message's file as (filename, content type, content); every read is audited
    like the documents space's."""
    with session_scope() as session:
        message, bilan = _participants_message(session, actor, message_id)
        document = session.get(Document, message.attachment_id) if message.attachment_id else None
        if document is None:
            raise NotFound()
        audit.record(
            session,
            "messaging.attachment_downloaded",
            actor=actor,
            organisation_id=bilan.organisation_id,
            target_type="bilan",
            target_id=bilan.id,
            changes={"message": {"before": None, "after": str(message.id)}},
        )
        return document.filename, document.content_type, read_document(document)


@dataclass(frozen=True)
class AttachmentView:
    message_id: str  # the download route's key (routes.message_attachment)
    filename: str
    size_bytes: int
    sender: str
    mine: bool
    sent_at: datetime


def list_attachments(actor: Actor, bilan_id: uuid.UUID | str) -> list[AttachmentView]:
    """The beneficiary and her assigned consultant: the files of the bilan's conversation, newest first, for
    the bilan's documents (a deleted message's file is gone). Nobody else: the org admin is refused like
    for the messages (AccessDenied), another organisation's bilan is NotFound. Reading the list marks
    nothing read."""
    with session_scope() as session:
        bilan = _participant_bilan(session, actor, bilan_id)
        rows = session.exec(
            select(Message, Document, User)
            .join(Conversation, col(Conversation.id) == Message.conversation_id)
            .join(Document, col(Document.id) == Message.attachment_id)
            .join(User, col(User.id) == Message.author_id)
            .where(Conversation.bilan_id == bilan.id, col(Message.deleted_at).is_(None))
            .order_by(col(Message.created_at).desc())
        ).all()
        return [
            AttachmentView(
                message_id=str(message.id),
                filename=document.filename,
                size_bytes=document.size_bytes,
                sender=author.full_name,
                mine=message.author_id == actor.user_id,
                sent_at=message.created_at,
            )
            for message, document, author in rows
        ]


def _unread(session: Session, actor: Actor, bilan_id: uuid.UUID | None = None) -> dict[str, int]:
    """Unread messages per bilan of the conversations the actor takes part in (one bilan's only, when given)."""
    query = (
        select(Conversation.bilan_id, func.count(col(Message.id)))
        .join(Message, col(Message.conversation_id) == Conversation.id)
        .join(
            ConversationMember,
            (col(ConversationMember.conversation_id) == Conversation.id)
            & (col(ConversationMember.user_id) == actor.user_id),
            isouter=True,
        )
        .where(
            Conversation.organisation_id == actor.organisation_id,
            Message.author_id != actor.user_id,
            col(Message.deleted_at).is_(None),
            (col(ConversationMember.last_read_at).is_(None))
            | (col(Message.created_at) > col(ConversationMember.last_read_at)),
        )
        .group_by(col(Conversation.bilan_id))
    )
    if bilan_id is not None:
        query = query.where(Conversation.bilan_id == bilan_id)
    rows = session.exec(query).all()
    return {str(key): int(count) for key, count in rows if _is_participant(session, actor, key)}


def unread_counts(actor: Actor) -> dict[str, int]:
    """A participant: unread messages per bilan (bilan id → count), for the consultant's dashboard."""
    with session_scope() as session:
        return _unread(session, actor)


def unread_total(actor: Actor) -> int:
    """Anyone logged in: the count on the beneficiary's "Messagerie" link, the unread messages of the
    conversation her messages page shows (her current bilan's); 0 for every other role, whose navigation
    has no such link (the consultant sees his per bilan, ``unread_counts``)."""
    if actor.role is not Role.BENEFICIARY:
        return 0
    current = my_current_bilan(actor)
    if current is None:
        return 0
    with session_scope() as session:
        return sum(_unread(session, actor, uuid.UUID(current.bilan_id)).values())


def _is_participant(session: Session, actor: Actor, bilan_id: uuid.UUID) -> bool:
    bilan = session.get(Bilan, bilan_id)
    return (
        bilan is not None and actor.user_id in _participants(bilan) and bilan.organisation_id == actor.organisation_id
    )


def activity(actor: Actor, bilan_id: uuid.UUID | str) -> ActivityView:
    """The org admin (``SUPERVISE_BILANS``): that the conversation exists and its dates, never its content."""
    require(actor, Permission.SUPERVISE_BILANS)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        conversation = session.exec(select(Conversation).where(Conversation.bilan_id == bilan.id)).first()
        if conversation is None:
            return ActivityView(False, None, None, 0)
        count = session.exec(
            select(func.count()).select_from(Message).where(Message.conversation_id == conversation.id)
        ).one()
        return ActivityView(True, conversation.created_at, conversation.last_message_at, int(count))


# ---------------------------------------------------------------- ready-made texts: quick replies, templates

# One-click short answers under the composer, as catalogue keys, per role (in the order shown). A click puts
# the text in the composer, in the reader's language, to edit before sending: nothing is sent blindly.
QUICK_REPLIES: dict[Role, tuple[str, ...]] = {
    Role.BENEFICIARY: ("msg.quick.received", "msg.quick.slot_ok", "msg.quick.slot_other", "msg.quick.noted"),
    Role.CONSULTANT: ("msg.quick.noted", "msg.quick.reply_today", "msg.quick.slot_ok", "msg.quick.received"),
}


@dataclass(frozen=True)
class TemplateView:
    id: str
    title: str
    body: str


def templates(actor: Actor) -> list[TemplateView]:
    """A consultant: their own message templates, by title."""
    require(actor, Permission.FOLLOW_BILANS)
    with session_scope() as session:
        rows = session.exec(
            select(MessageTemplate)
            .where(MessageTemplate.owner_id == actor.user_id)
            .order_by(col(MessageTemplate.title))
        ).all()
        return [TemplateView(str(row.id), row.title, decrypt_text(row.body_encrypted)) for row in rows]


def save_template(actor: Actor, title: str, body: str) -> None:
    """A consultant: a new template of their own."""
    require(actor, Permission.FOLLOW_BILANS)
    errors = {}
    if not title.strip():
        errors["template_title"] = "error.required"
    elif len(title.strip()) > 80:
        errors["template_title"] = "msg.error.title_too_long"
    if not body.strip():
        errors["template_body"] = "error.required"
    elif len(body) > MAX_MESSAGE_CHARS:
        errors["template_body"] = "msg.error.too_long"
    if errors:
        raise FormError(errors, max=MAX_MESSAGE_CHARS)
    with session_scope() as session:
        count = session.exec(
            select(func.count()).select_from(MessageTemplate).where(MessageTemplate.owner_id == actor.user_id)
        ).one()
        if count >= MAX_TEMPLATES:
            raise FormError({"template_title": "msg.error.too_many_templates"}, max=MAX_TEMPLATES)
        assert actor.organisation_id is not None
        session.add(
            MessageTemplate(
                organisation_id=actor.organisation_id,
                owner_id=actor.user_id,
                title=title.strip(),
                body_encrypted=encrypt_text(body.strip()),
            )
        )


def delete_template(actor: Actor, template_id: uuid.UUID | str) -> None:
    """A consultant: one of their own templates goes."""
    require(actor, Permission.FOLLOW_BILANS)
    with session_scope() as session:
        try:
            row = session.get(MessageTemplate, uuid.UUID(str(template_id)))
        except ValueError:
            raise NotFound() from None
        if row is None or row.owner_id != actor.user_id:
            raise NotFound()
        session.delete(row)
