"""The notification centre: every event a person cares about is a row in their list (the bell), and a
mail as they chose: at once, in a daily digest, or not at all (essential kinds are always mailed).

``notify`` is called by the service that makes the change, inside its transaction: the row, the mail
and its delivery job commit or roll back with the change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from services import audit, routes
from services.access import Actor, Permission, require
from services.crypto import decrypt_text, encrypt_text, sign_link, verify_link
from services.db import session_scope
from services.errors import FormError, NotFound
from services.i18n import translate
from services.mail import mail_user, public_link
from services.models import MailMode, Notification, NotificationPreference, Organisation, User, UserStatus
from services.models.base import utcnow
from services.notifications.kinds import KINDS, Kind, kind_of
from services.notifications.sms import mask, mobile_of, normalise_mobile, queue_sms, sms_offered
from services.queue import job

UNSUBSCRIBE_PURPOSE = "unsubscribe"
UNSUBSCRIBE_VALID_FOR = timedelta(days=180)
LIST_LIMIT = 50


def _chosen(session: Session, user_id: uuid.UUID, kind: Kind) -> NotificationPreference | None:
    return session.exec(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind.name
        )
    ).first()


def _mode(chosen: NotificationPreference | None, kind: Kind) -> MailMode:
    if kind.essential or chosen is None:
        return MailMode.IMMEDIATE
    return MailMode(chosen.mode)


def unsubscribe_link(user: User, kind: Kind) -> str:
    """A link that turns the mails of ``kind`` off for ``user`` in one click, without logging in."""
    token = sign_link(UNSUBSCRIBE_PURPOSE, f"{user.id}:{kind.name}", utcnow() + UNSUBSCRIBE_VALID_FOR)
    return public_link(routes.with_token(routes.UNSUBSCRIBE, token))


def notify(
    session: Session,
    user: User,
    key: str,
    *,
    organisation_id: uuid.UUID | None,
    path: str | None = None,
    group_key: str = "",
    mail: bool = True,
    calendar: Callable[[User], str] | None = None,
    **params: Any,
) -> Notification:
    """Any service, in its transaction: tell ``user`` about an event of kind ``mail.<kind>``.

    The centre's line is the mail's subject in the user's language; ``group_key`` folds repeated
    events of one thread (new messages) into the unread line already there. ``mail=False``: the caller
    sends a legal mail of its own wording (a convention to sign, the synthèse handed over) and the
    centre only adds the line. ``calendar`` writes the recipient's invitation (``services.calendar``),
    attached to the mail when one goes at once."""
    kind = kind_of(key)
    locale = user.locale
    values = {name: value(locale) if callable(value) else value for name, value in params.items()}
    title = translate(f"{key}.subject", locale, **{"name": user.first_name, **values})
    row = None
    if group_key:
        row = session.exec(
            select(Notification).where(
                Notification.user_id == user.id,
                Notification.group_key == group_key,
                col(Notification.read_at).is_(None),
            )
        ).first()
    if row is not None:
        row.count += 1
        row.title_encrypted, row.created_at = encrypt_text(title), utcnow()
    else:
        row = Notification(
            organisation_id=organisation_id,
            user_id=user.id,
            kind=kind.name,
            title_encrypted=encrypt_text(title),
            path=path or "",
            group_key=group_key,
        )
    chosen = _chosen(session, user.id, kind)
    mode = _mode(chosen, kind)
    if mail and mode is MailMode.IMMEDIATE:
        stop = "" if kind.essential else unsubscribe_link(user, kind)
        footer = translate("notif.mail_footer", locale, link=stop) if stop else ""
        mail_user(
            session,
            user,
            key,
            organisation_id=organisation_id,
            path=path,
            footer=footer,
            unsubscribe_url=stop,
            calendar=calendar(user) if calendar is not None else "",
            **params,
        )
    elif mail and mode is MailMode.DIGEST:
        row.digest_pending = True
    if kind.sms and chosen is not None and chosen.sms:
        organisation = session.get(Organisation, organisation_id) if organisation_id else None
        text = translate(
            f"sms.{kind.name}",
            locale,
            org=organisation.name if organisation else "BilanCompetence.AI",
            link=public_link(path or routes.NOTIFICATIONS),
            **values,
        )
        queue_sms(session, user, text, organisation_id=organisation_id)
    session.add(row)
    return row


# ---------------------------------------------------------------- the bell and the list


@dataclass(frozen=True)
class NotificationView:
    id: str
    kind: str
    title: str
    path: str
    count: int
    created_at: datetime
    read: bool


def unread_count(actor: Actor) -> int:
    """The number on the bell: the actor's own unread notifications (every logged-in user)."""
    with session_scope() as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == actor.user_id, col(Notification.read_at).is_(None))
            ).one()
        )


def list_notifications(actor: Actor, *, unread_only: bool = False, limit: int = LIST_LIMIT) -> list[NotificationView]:
    """The actor's own notifications, newest first (every logged-in user; nobody reads another's)."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    with session_scope() as session:
        query = select(Notification).where(Notification.user_id == actor.user_id)
        if unread_only:
            query = query.where(col(Notification.read_at).is_(None))
        rows = session.exec(query.order_by(col(Notification.created_at).desc()).limit(limit)).all()
        return [
            NotificationView(
                id=str(row.id),
                kind=row.kind,
                title=decrypt_text(row.title_encrypted),
                path=row.path,
                count=row.count,
                created_at=row.created_at,
                read=row.read_at is not None,
            )
            for row in rows
        ]


def mark_read(actor: Actor, notification_id: uuid.UUID | str) -> str:
    """The actor read one of their notifications; returns where it leads. Another's: NotFound."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    try:
        wanted = uuid.UUID(str(notification_id))
    except ValueError:
        raise NotFound() from None
    with session_scope() as session:
        row = session.get(Notification, wanted)
        if row is None or row.user_id != actor.user_id:
            raise NotFound()
        if row.read_at is None:
            row.read_at = utcnow()
            session.add(row)
        return row.path


def mark_group_read(session: Session, user_id: uuid.UUID, group_key: str) -> None:
    """Any service, in its transaction: the person has seen the thread (the conversation they just read),
    its folded line and the lines of its own under it (``<group_key>:…``, a file shared in it)."""
    for row in session.exec(
        select(Notification).where(
            Notification.user_id == user_id,
            or_(col(Notification.group_key) == group_key, col(Notification.group_key).startswith(group_key + ":")),
            col(Notification.read_at).is_(None),
        )
    ):
        row.read_at = utcnow()
        session.add(row)


def mark_all_read(actor: Actor) -> int:
    """Every unread notification of the actor is read; returns how many."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    with session_scope() as session:
        rows = session.exec(
            select(Notification).where(Notification.user_id == actor.user_id, col(Notification.read_at).is_(None))
        ).all()
        now = utcnow()
        for row in rows:
            row.read_at = now
            session.add(row)
        return len(rows)


# ---------------------------------------------------------------- preferences


@dataclass(frozen=True)
class PreferenceView:
    kind: str
    mode: str
    essential: bool
    sms_possible: bool  # the kind may go by SMS and the platform offers SMS
    sms: bool


def preferences(actor: Actor) -> list[PreferenceView]:
    """How each kind the actor's role can receive is mailed (and texted) to them (every logged-in user,
    their own)."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    offered = sms_offered()
    with session_scope() as session:
        chosen = {
            row.kind: row
            for row in session.exec(
                select(NotificationPreference).where(NotificationPreference.user_id == actor.user_id)
            )
        }
    return [
        PreferenceView(
            kind.name,
            str(_mode(chosen.get(kind.name), kind)),
            kind.essential,
            offered and kind.sms,
            offered and kind.sms and kind.name in chosen and chosen[kind.name].sms,
        )
        for kind in KINDS.values()
        if actor.role in kind.roles
    ]


def _own_kind(actor: Actor, kind_name: str) -> Kind:
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    kind = KINDS.get(kind_name)
    if kind is None or actor.role not in kind.roles:
        raise NotFound()
    return kind


def _save_preference(
    session: Session, user_id: uuid.UUID, kind: Kind, *, mode: MailMode | None = None, sms: bool | None = None
) -> dict[str, dict[str, object]]:
    """Store one choice; returns the audit changes."""
    existing = _chosen(session, user_id, kind)
    row = existing or NotificationPreference(user_id=user_id, kind=kind.name)
    changes: dict[str, dict[str, object]] = {}
    if mode is not None:
        changes[kind.name] = {"before": str(existing.mode) if existing else None, "after": str(mode)}
        row.mode = mode
    if sms is not None:
        changes[f"{kind.name}.sms"] = {"before": bool(row.sms), "after": sms}
        row.sms = sms
    session.add(row)
    return changes


def _record_choice(session: Session, actor: Actor, changes: dict[str, dict[str, object]]) -> None:
    audit.record(
        session,
        "notifications.preference_changed",
        actor=actor,
        target_type="user",
        target_id=actor.user_id,
        changes=changes,
    )


def set_preference(actor: Actor, kind_name: str, mode: str) -> None:
    """The actor chooses how one kind is mailed to them; an essential kind cannot be turned off."""
    kind = _own_kind(actor, kind_name)
    if kind.essential:
        raise FormError({kind_name: "notif.error.essential"})
    try:
        chosen = MailMode(mode)
    except ValueError:
        raise FormError({kind_name: "notif.error.mode"}) from None
    with session_scope() as session:
        _record_choice(session, actor, _save_preference(session, actor.user_id, kind, mode=chosen))


def set_sms(actor: Actor, kind_name: str, wanted: bool) -> None:
    """The actor also wants (or no longer wants) one kind by SMS: only kinds that may go by SMS, only
    when the platform offers SMS, and only with a mobile number given first."""
    kind = _own_kind(actor, kind_name)
    if not kind.sms:
        raise NotFound()
    if wanted and not sms_offered():
        raise FormError({kind_name: "notif.error.sms_not_offered"})
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if wanted and (user is None or not mobile_of(user)):
            raise FormError({kind_name: "notif.error.no_mobile"})
        _record_choice(session, actor, _save_preference(session, actor.user_id, kind, sms=wanted))


def mobile_number(actor: Actor) -> str:
    """The actor's own mobile number (E.164), or "" when they gave none."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        return mobile_of(user) if user is not None else ""


def set_mobile_number(actor: Actor, raw: str) -> str:
    """The actor gives, changes or removes ("") the mobile number their SMS go to; returns it in E.164.
    Removing it stops every SMS (the ticked kinds stay ticked for a later number)."""
    require(actor, Permission.MANAGE_OWN_ACCOUNT)
    number = ""
    if raw.strip():
        try:
            number = normalise_mobile(raw)
        except ValueError:
            raise FormError({"mobile": "notif.error.mobile"}) from None
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        before = mobile_of(user)
        if before == number:
            return number
        user.mobile_phone_encrypted = encrypt_text(number) if number else ""
        session.add(user)
        audit.record(
            session,
            "account.mobile_changed",
            actor=actor,
            target_type="user",
            target_id=actor.user_id,
            # Masked: the audit log is read by the organisation's admins.
            changes={"mobile": {"before": mask(before) if before else None, "after": mask(number) if number else None}},
        )
        return number


def _unsubscribe_target(session: Session, token: str) -> tuple[User, Kind] | None:
    subject = verify_link(token, UNSUBSCRIBE_PURPOSE)
    if subject is None or ":" not in subject:
        return None
    user_id, kind_name = subject.split(":", 1)
    kind = KINDS.get(kind_name)
    if kind is None or kind.essential:
        return None
    try:
        user = session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    return user, kind


def check_unsubscribe(token: str) -> tuple[str, str] | None:
    """Anyone holding the link: (kind, locale) it would turn off, or None (forged, expired, essential)."""
    with session_scope() as session:
        target = _unsubscribe_target(session, token)
        return (target[1].name, target[0].locale) if target else None


def unsubscribe(token: str) -> tuple[str, str] | None:
    """Anyone holding the signed link of a mail's footer: that kind's mails stop for that person.
    Returns (kind, locale), or None for a link that is forged, expired or names an essential kind."""
    with session_scope() as session:
        target = _unsubscribe_target(session, token)
        if target is None:
            return None
        user, kind = target
        audit.record(
            session,
            "notifications.unsubscribed",
            actor_user_id=user.id,
            actor_label=user.email,
            target_type="user",
            target_id=user.id,
            changes=_save_preference(session, user.id, kind, mode=MailMode.OFF),
        )
        return kind.name, user.locale


# ---------------------------------------------------------------- the daily digest


@job("notification_digests", cron="0 16 * * *")  # 17:00 or 18:00 in Paris
def send_digests(*, attempt: int = 1) -> int:
    """One mail per person with the day's notifications they asked for as a digest; idempotent (a
    notification leaves the digest in the transaction that mails it)."""
    with session_scope() as session:
        user_ids = list(
            session.exec(select(Notification.user_id).where(col(Notification.digest_pending).is_(True)).distinct())
        )
    sent = 0
    for user_id in user_ids:
        with session_scope() as session:
            user = session.get(User, user_id)
            rows = session.exec(
                select(Notification)
                .where(Notification.user_id == user_id, col(Notification.digest_pending).is_(True))
                .order_by(col(Notification.created_at))
                .with_for_update()
            ).all()
            if not rows:
                continue
            for row in rows:
                row.digest_pending = False
                session.add(row)
            if user is None or user.status != UserStatus.ACTIVE:
                continue
            lines = "\n".join(
                f"- {decrypt_text(row.title_encrypted)}" + (f" : {public_link(row.path)}" if row.path else "")
                for row in rows
            )
            mail_user(
                session,
                user,
                "mail.notification_digest",
                organisation_id=rows[0].organisation_id,
                path=routes.NOTIFICATIONS,
                count=len(rows),
                lines=lines,
            )
            sent += 1
    return sent
