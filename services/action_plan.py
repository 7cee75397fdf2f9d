"""The SMART action plan of a bilan, written together by the beneficiary and the consultant.

Who may do what:

* the bilan's beneficiary and its followers (the assigned consultant, an org admin) read the plan and
  its history (a follower's read is logged as a read of personal data);
* the same people create, change, move and delete actions ("co-construction"), while the bilan is in
  the investigation, conclusion or follow-up phase: the project is built in investigation and its
  steps planned in conclusion (R6313-4), and the follow-up interview reviews them. Before that the
  plan is empty; once the bilan is closed it is read only;
* another organisation's bilan or action, or one the actor may not see, answers NotFound, exactly like
  a missing one (every query goes through ``services.bilans.get_bilan`` or ``access.get_scoped``).

An action is saved even when a SMART part is missing, so that nothing typed is lost: it is then a draft
("à compléter"), and ``smart_check`` says in plain words which part is missing. Every change is kept in
``plan_history`` (field, before and after, encrypted like the action's text) and audited on the bilan,
by field name only. ``remind_deadlines`` mails an action's owner before its deadline and milestones.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from services import routes
from services.access import Actor, get_scoped
from services.bilans import (
    ACTIVE_STATUSES,
    get_bilan,
    is_closed,
    is_follower,
    log_personal_read,
    record_on_bilan,
    require_beneficiary,
    require_open,
)
from services.crypto import decrypt_text, encrypt_text
from services.db import session_scope
from services.errors import FormError, NotFound, ServiceError
from services.i18n import TIMEZONE, format_datetime, translate
from services.models import (
    ActionEvent,
    ActionOwner,
    ActionStatus,
    Bilan,
    BilanStatus,
    BilanTarget,
    PlanAction,
    PlanHistory,
    PlanMilestone,
    ProposalStatus,
    Role,
    SavedOffer,
    TrainingCourse,
    TrainingSource,
    User,
)
from services.models.base import utcnow
from services.notifications import notify

EDITABLE_STATUSES = frozenset({BilanStatus.INVESTIGATION, BilanStatus.CONCLUSION, BilanStatus.SUIVI})
OPEN_ACTION_STATUSES = frozenset({ActionStatus.A_FAIRE, ActionStatus.EN_COURS})
TEXT_FIELDS = ("title", "description", "indicator", "means", "project_link")
TITLE_MAX_CHARS = 200
TEXT_MAX_CHARS = 2000
MILESTONES_MAX = 12
ACTIONS_MAX = 40
DESCRIPTION_MIN_CHARS = 20  # a shorter description gets a hint
LONG_ACTION = timedelta(days=90)  # longer than 3 months without a milestone: a hint
ACTION_REMINDER_BEFORE = timedelta(days=3)
MILESTONE_REMINDER_BEFORE = timedelta(days=2)
HORIZON_DAYS = {"court_terme": 30, "moyen_terme": 90, "long_terme": 180}  # the AI's "échéance", as a date
LINK_KINDS = {"target": "target_id", "course": "training_course_id", "offer": "saved_offer_id"}
DATE_FORMAT = "d MMMM y"


class PlanAudit(StrEnum):
    """Audit actions of the plan (target: the bilan, so they join its history)."""

    ACTION_CREATED = "action_plan.action_created"
    ACTION_UPDATED = "action_plan.action_updated"
    ACTION_MOVED = "action_plan.action_moved"
    ACTION_DELETED = "action_plan.action_deleted"
    MILESTONE_DONE = "action_plan.milestone_done"
    SUGGESTIONS_ADDED = "action_plan.suggestions_added"


# ---------------------------------------------------------------- the SMART check


@dataclass(frozen=True)
class ActionDraft:
    """What ``smart_check`` reads: the five parts as typed, the status and the milestones' dates."""

    title: str = ""
    description: str = ""
    indicator: str = ""
    means: str = ""
    project_link: str = ""
    deadline: date | None = None
    status: ActionStatus = ActionStatus.A_FAIRE
    milestones: tuple[tuple[str, date], ...] = ()  # (label, due on)
    started_on: date | None = None  # when the action was written: its length


@dataclass(frozen=True)
class SmartGap:
    """A missing (``blocking``) or weak part of an action, said in plain words by ``message()``."""

    part: str  # specifique | mesurable | atteignable | realiste | temporel
    field: str  # the form field it is shown next to
    code: str  # catalogue key
    blocking: bool  # True: the part is missing and the action is not complete
    params: tuple[tuple[str, str], ...] = ()

    def message(self, locale: str = "fr") -> str:
        return translate(self.code, locale, **dict(self.params))


# The five parts in order: (part, field, catalogue key when the field is empty).
_REQUIRED_PARTS = (
    ("specifique", "title", "action_plan.smart.title_missing"),
    ("specifique", "description", "action_plan.smart.description_missing"),
    ("mesurable", "indicator", "action_plan.smart.indicator_missing"),
    ("atteignable", "means", "action_plan.smart.means_missing"),
    ("realiste", "project_link", "action_plan.smart.project_link_missing"),
)


def _today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


def smart_check(action: ActionDraft, today: date | None = None) -> list[SmartGap]:
    """The SMART parts an action lacks (blocking) or could improve (hints), in the form's order.

    A deadline past the bilan's follow-up date is fine: the plan outlives the bilan.
    """
    today = today or _today()
    gaps = []
    for part, name, code in _REQUIRED_PARTS:
        value = getattr(action, name).strip()
        if not value:
            gaps.append(SmartGap(part, name, code, True))
        elif name == "description" and len(value) < DESCRIPTION_MIN_CHARS:
            gaps.append(SmartGap(part, name, "action_plan.smart.description_short", False))
    if action.deadline is None:
        gaps.append(SmartGap("temporel", "deadline", "action_plan.smart.deadline_missing", True))
        return gaps
    if action.status in OPEN_ACTION_STATUSES and action.deadline < today:
        gaps.append(SmartGap("temporel", "deadline", "action_plan.smart.deadline_past", False))
    for label, due_on in action.milestones:
        if due_on > action.deadline:
            gaps.append(
                SmartGap("temporel", "milestones", "action_plan.smart.milestone_late", False, (("label", label),))
            )
    start = action.started_on or today
    if not action.milestones and action.deadline - start > LONG_ACTION:
        gaps.append(SmartGap("temporel", "milestones", "action_plan.smart.milestones_advised", False))
    return gaps


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class MilestoneView:
    id: str
    label: str
    due_on: date
    done: bool


@dataclass(frozen=True)
class ActionView:
    id: str
    position: int
    title: str
    description: str
    indicator: str
    means: str
    project_link: str
    deadline: date | None
    owner: ActionOwner
    status: ActionStatus
    link: str  # "target:<id>", "course:<id>", "offer:<id>" or ""
    link_label: str  # "Infirmier", "Formation … (organisme)", "Offre … · entreprise"
    milestones: list[MilestoneView]
    gaps: list[SmartGap]
    created_at: datetime
    updated_at: datetime

    @property
    def complete(self) -> bool:
        """Every SMART part is there (hints do not count)."""
        return not any(gap.blocking for gap in self.gaps)

    @property
    def missing(self) -> list[SmartGap]:
        return [gap for gap in self.gaps if gap.blocking]


@dataclass(frozen=True)
class PlanView:
    bilan_id: str
    bilan_status: str
    editable: bool  # the bilan is in a phase where the plan may change
    bilan_closed: bool  # finished, abandoned or cancelled: the plan no longer changes
    followup_due_on: date | None
    actions: list[ActionView]

    @property
    def complete_count(self) -> int:
        return sum(1 for action in self.actions if action.complete)


@dataclass(frozen=True)
class PlanHistoryRow:
    at: datetime
    author: str
    by_consultant: bool
    action_id: str
    action_title: str  # the action's current title
    event: str  # ActionEvent value
    field: str  # the changed field (updates), "" otherwise
    before: str
    after: str


@dataclass(frozen=True)
class LinkOption:
    value: str  # "target:<id>", "course:<id>", "offer:<id>"
    label: str
    group: str  # "target" | "course" | "offer"


@dataclass(frozen=True)
class PlanSuggestion:
    key: str  # "ai:<proposal>:<index>", "target:<id>" or "offer:<id>"
    source: str  # "ai" | "target" | "offer"
    title: str
    description: str
    project_link: str = ""
    deadline: date | None = None
    link: str = ""


# ---------------------------------------------------------------- access


def _readable(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    """The beneficiary's own bilan, or one the actor follows."""
    bilan = get_bilan(session, actor, bilan_id)
    if not is_follower(actor, bilan):
        require_beneficiary(actor, bilan)
    return bilan


def _require_editable(bilan: Bilan) -> None:
    require_open(bilan)
    if bilan.status not in EDITABLE_STATUSES:
        raise ServiceError("action_plan.error.too_early")


def _editable(session: Session, actor: Actor, bilan_id: uuid.UUID | str) -> Bilan:
    bilan = _readable(session, actor, bilan_id)
    _require_editable(bilan)
    return bilan


def _action_of(session: Session, actor: Actor, action_id: uuid.UUID | str) -> tuple[PlanAction, Bilan]:
    """A live action of a bilan the actor may edit now (else NotFound / AccessDenied / a phase error)."""
    action = get_scoped(session, PlanAction, action_id, actor)
    if action.deleted_at is not None:
        raise NotFound()
    return action, _editable(session, actor, action.bilan_id)


# ---------------------------------------------------------------- rows and views


def _plain(value: str) -> str:
    return decrypt_text(value) if value else ""


def _sealed(value: str) -> str:
    return encrypt_text(value) if value else ""


def _live_actions(session: Session, bilan: Bilan) -> list[PlanAction]:
    return list(
        session.exec(
            select(PlanAction)
            .where(
                PlanAction.organisation_id == bilan.organisation_id,
                PlanAction.bilan_id == bilan.id,
                col(PlanAction.deleted_at).is_(None),
            )
            .order_by(col(PlanAction.position), col(PlanAction.created_at), col(PlanAction.id))
        ).all()
    )


def _milestones(session: Session, actions: Sequence[PlanAction]) -> dict[uuid.UUID, list[PlanMilestone]]:
    ids = [action.id for action in actions]
    found: dict[uuid.UUID, list[PlanMilestone]] = {key: [] for key in ids}
    if not ids:
        return found
    rows = session.exec(
        select(PlanMilestone)
        .where(col(PlanMilestone.action_id).in_(ids))
        .order_by(col(PlanMilestone.due_on), col(PlanMilestone.position), col(PlanMilestone.id))
    ).all()
    for row in rows:
        found[row.action_id].append(row)
    return found


def _link_of(action: PlanAction) -> str:
    for kind, column in LINK_KINDS.items():
        value = getattr(action, column)
        if value is not None:
            return f"{kind}:{value}"
    return ""


def _course_label(title: str, provider: str) -> str:
    return f"{title} ({provider})" if provider else title


def _offer_label(title: str, company: str) -> str:
    return " · ".join(part for part in (title, company) if part)


def _link_labels(session: Session, links: Iterable[str]) -> dict[str, str]:
    """ "kind:id" → a readable label (a métier, a course and its provider, an offer and its company)."""
    wanted: dict[str, set[uuid.UUID]] = {kind: set() for kind in LINK_KINDS}
    for link in links:
        kind, _, key = link.partition(":")
        if kind in wanted and _is_uuid(key):
            wanted[kind].add(uuid.UUID(key))
    labels: dict[str, str] = {}
    if wanted["target"]:
        for target in session.exec(select(BilanTarget).where(col(BilanTarget.id).in_(wanted["target"]))).all():
            labels[f"target:{target.id}"] = target.libelle
    if wanted["course"]:
        for course in session.exec(select(TrainingCourse).where(col(TrainingCourse.id).in_(wanted["course"]))).all():
            labels[f"course:{course.id}"] = _course_label(course.title, course.provider)
    if wanted["offer"]:
        for offer in session.exec(select(SavedOffer).where(col(SavedOffer.id).in_(wanted["offer"]))).all():
            labels[f"offer:{offer.id}"] = _offer_label(offer.title, offer.company)
    return labels


def _draft(action: PlanAction, milestones: Sequence[PlanMilestone]) -> ActionDraft:
    return ActionDraft(
        title=_plain(action.title_encrypted),
        description=_plain(action.description_encrypted),
        indicator=_plain(action.indicator_encrypted),
        means=_plain(action.means_encrypted),
        project_link=_plain(action.project_link_encrypted),
        deadline=action.deadline,
        status=action.status,
        milestones=tuple((_plain(row.label_encrypted), row.due_on) for row in milestones),
        started_on=action.created_at.astimezone(TIMEZONE).date(),
    )


def _view(
    action: PlanAction, milestones: Sequence[PlanMilestone], labels: Mapping[str, str], today: date
) -> ActionView:
    draft = _draft(action, milestones)
    link = _link_of(action)
    return ActionView(
        id=str(action.id),
        position=action.position,
        title=draft.title,
        description=draft.description,
        indicator=draft.indicator,
        means=draft.means,
        project_link=draft.project_link,
        deadline=action.deadline,
        owner=action.owner,
        status=action.status,
        link=link,
        link_label=labels.get(link, ""),
        milestones=[
            MilestoneView(str(row.id), label, row.due_on, row.done_at is not None)
            for row, (label, _) in zip(milestones, draft.milestones, strict=True)
        ],
        gaps=smart_check(draft, today),
        created_at=action.created_at,
        updated_at=action.updated_at,
    )


def _one_view(session: Session, action: PlanAction) -> ActionView:
    milestones = _milestones(session, [action])[action.id]
    return _view(action, milestones, _link_labels(session, [_link_of(action)]), _today())


# ---------------------------------------------------------------- reading


def get_plan(actor: Actor, bilan_id: uuid.UUID | str) -> PlanView:
    """The plan of a bilan, in its order (the beneficiary or a follower; empty until the first action)."""
    with session_scope() as session:
        bilan = _readable(session, actor, bilan_id)
        log_personal_read(session, actor, bilan, "action_plan")
        actions = _live_actions(session, bilan)
        milestones = _milestones(session, actions)
        labels = _link_labels(session, [_link_of(action) for action in actions])
        today = _today()
        return PlanView(
            bilan_id=str(bilan.id),
            bilan_status=str(bilan.status),
            editable=bilan.status in EDITABLE_STATUSES,
            bilan_closed=is_closed(bilan.status),
            followup_due_on=bilan.followup_due_on,
            actions=[_view(action, milestones[action.id], labels, today) for action in actions],
        )


def plan_history(actor: Actor, bilan_id: uuid.UUID | str) -> list[PlanHistoryRow]:
    """Every change of the plan, newest first (the beneficiary or a follower)."""
    with session_scope() as session:
        bilan = _readable(session, actor, bilan_id)
        log_personal_read(session, actor, bilan, "action_plan_history")
        rows = session.exec(
            select(PlanHistory, User, PlanAction)
            .join(User, col(User.id) == col(PlanHistory.author_id))
            .join(PlanAction, col(PlanAction.id) == col(PlanHistory.action_id))
            .where(PlanHistory.organisation_id == bilan.organisation_id, PlanHistory.bilan_id == bilan.id)
            .order_by(col(PlanHistory.created_at).desc(), col(PlanHistory.id))
        ).all()
        titles: dict[uuid.UUID, str] = {}
        result = []
        for row, user, action in rows:
            if action.id not in titles:
                titles[action.id] = _plain(action.title_encrypted)
            result.append(
                PlanHistoryRow(
                    at=row.created_at,
                    author=user.full_name,
                    by_consultant=row.by_consultant,
                    action_id=str(action.id),
                    action_title=titles[action.id],
                    event=row.event.value,
                    field=row.field_name,
                    before=_plain(row.before_encrypted),
                    after=_plain(row.after_encrypted),
                )
            )
        return result


def link_options(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> list[LinkOption]:
    """What an action may be linked to: the kept target métiers, the training courses suggested for
    them, the offers she saved, and any course an action is already linked to."""
    # Imported here: recommendations pulls in the matching engine, which the reminders job does not need.
    from services.job_search import saved_offers
    from services.recommendations import kept_targets

    with session_scope() as session:
        bilan = _readable(session, actor, bilan_id)
        linked_courses = {
            action.training_course_id for action in _live_actions(session, bilan) if action.training_course_id
        }
        kept_courses = session.exec(select(TrainingCourse).where(col(TrainingCourse.id).in_(linked_courses))).all()
        linked = [
            LinkOption(f"course:{course.id}", _course_label(course.title, course.provider), "course")
            for course in kept_courses
        ]
    targets = kept_targets(actor, bilan_id, locale=locale)
    options = [LinkOption(f"target:{target.id}", target.libelle, "target") for target in targets]
    courses = {option.value: option for option in linked}
    for target in targets:
        for suggestion in target.training:
            course = suggestion.course
            value = f"course:{course.id}"
            courses.setdefault(value, LinkOption(value, _course_label(course.title, course.provider), "course"))
    options += sorted(courses.values(), key=lambda option: option.label.lower())
    options += [
        LinkOption(f"offer:{offer.id}", _offer_label(offer.snapshot.title, offer.snapshot.company), "offer")
        for offer in saved_offers(actor, bilan_id)
    ]
    return options


# ---------------------------------------------------------------- validation of a form


@dataclass
class _Parsed:
    values: dict[str, Any] = field(default_factory=dict)  # column-level values, plain text
    milestones: list[tuple[str, str, date]] | None = None  # (id or "", label, due on); None: unchanged


def _parse_date(value: Any) -> date | None:
    """An ISO date (the date input's value); ValueError when it is not one or is out of range."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    parsed = date.fromisoformat(text)
    if not 2000 <= parsed.year <= 2100:
        raise ValueError(text)
    return parsed


def _text(raw: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    value = str(raw.get(name) or "").strip()
    limit = TITLE_MAX_CHARS if name == "title" else TEXT_MAX_CHARS
    if len(value) > limit:
        errors[name] = "error.too_long"
    if name == "title":
        value = " ".join(value.split())
        if not value:
            errors[name] = "action_plan.error.title_required"
    return value


def _parse_milestones(items: Any, errors: dict[str, str]) -> list[tuple[str, str, date]]:
    """Rows of the milestone editor: blank rows are dropped; a half-filled row is an error."""
    result: list[tuple[str, str, date]] = []
    rows = [row for row in (items or []) if isinstance(row, Mapping)]
    kept = [row for row in rows if str(row.get("label") or "").strip() or str(row.get("due_on") or "").strip()]
    if len(kept) > MILESTONES_MAX:
        errors["milestones"] = "action_plan.error.too_many_milestones"
        return result
    for index, row in enumerate(kept):
        label = " ".join(str(row.get("label") or "").split())
        if not label:
            errors[f"milestones.{index}.label"] = "action_plan.error.milestone_label_required"
        elif len(label) > TITLE_MAX_CHARS:
            errors[f"milestones.{index}.label"] = "error.too_long"
        try:
            due_on = _parse_date(row.get("due_on"))
        except ValueError:
            errors[f"milestones.{index}.due_on"] = "error.date_invalid"
            continue
        if due_on is None:
            errors[f"milestones.{index}.due_on"] = "action_plan.error.milestone_date_required"
            continue
        result.append((str(row.get("id") or ""), label, due_on))
    return result


def _parse(raw: Mapping[str, Any], *, creating: bool) -> _Parsed:
    """Validate the fields present in ``raw`` (all of them when creating); FormError lists every problem."""
    errors: dict[str, str] = {}
    parsed = _Parsed()
    for name in TEXT_FIELDS:
        if creating or name in raw:
            parsed.values[name] = _text(raw, name, errors)
    if creating or "deadline" in raw:
        try:
            parsed.values["deadline"] = _parse_date(raw.get("deadline"))
        except ValueError:
            errors["deadline"] = "error.date_invalid"
    for name, enum, default in (
        ("owner", ActionOwner, ActionOwner.BENEFICIARY),
        ("status", ActionStatus, ActionStatus.A_FAIRE),
    ):
        if creating or name in raw:
            try:
                parsed.values[name] = enum(raw.get(name) or default) if creating else enum(raw[name])
            except ValueError:
                errors[name] = "error.invalid_choice"
    if creating or "link" in raw:
        link = str(raw.get("link") or "").strip()
        kind, _, key = link.partition(":")
        if link and (kind not in LINK_KINDS or not _is_uuid(key)):
            errors["link"] = "error.invalid_choice"
        parsed.values["link"] = link
    if creating or "milestones" in raw:
        parsed.milestones = _parse_milestones(raw.get("milestones"), errors)
    if errors:
        raise FormError(errors, max=MILESTONES_MAX)  # the only message with a parameter
    return parsed


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _resolve_link(session: Session, bilan: Bilan, link: str, current: str) -> dict[str, uuid.UUID | None]:
    """The three link columns for ``link``: a target or offer of this bilan, a course the organisation
    may use (its own or the public catalogue). Anything else is refused next to the field."""
    columns: dict[str, uuid.UUID | None] = dict.fromkeys(LINK_KINDS.values())
    if not link:
        return columns
    kind, _, key = link.partition(":")
    target_id = uuid.UUID(key)
    found: Any = None
    if kind == "target":
        found = session.get(BilanTarget, target_id)
        found = found if found is not None and found.bilan_id == bilan.id else None
    elif kind == "offer":
        found = session.get(SavedOffer, target_id)
        found = found if found is not None and found.bilan_id == bilan.id else None
    else:
        found = session.get(TrainingCourse, target_id)
        usable = found is not None and (
            found.organisation_id == bilan.organisation_id
            or (found.organisation_id is None and found.source is TrainingSource.CPF)
        )
        # A course that was withdrawn from the catalogue stays on the actions already linked to it.
        found = found if usable and (found.active or link == current) else None
    if found is None:
        raise FormError({"link": "action_plan.error.link_unknown"})
    columns[LINK_KINDS[kind]] = target_id
    return columns


# ---------------------------------------------------------------- writing


def _history(
    session: Session,
    actor: Actor,
    action: PlanAction,
    event: ActionEvent,
    field_name: str = "",
    before: str = "",
    after: str = "",
) -> None:
    session.add(
        PlanHistory(
            organisation_id=action.organisation_id,
            bilan_id=action.bilan_id,
            action_id=action.id,
            author_id=actor.user_id,
            by_consultant=actor.role is not Role.BENEFICIARY,
            event=event,
            field_name=field_name,
            before_encrypted=_sealed(before),
            after_encrypted=_sealed(after),
        )
    )


def _history_value(name: str, value: Any, labels: Mapping[str, str]) -> str:
    """A field's value as the history keeps it: text as typed, a date in ISO, a link by its label."""
    if name == "link":
        return labels.get(str(value), "") if value else ""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _milestone_text(label: str, due_on: date) -> str:
    return f"{label} ({due_on.isoformat()})"


def _get(action: PlanAction, name: str) -> Any:
    """A field's plain value (text fields are stored encrypted)."""
    return _plain(getattr(action, f"{name}_encrypted")) if name in TEXT_FIELDS else getattr(action, name)


def _set(action: PlanAction, name: str, value: Any) -> None:
    if name in TEXT_FIELDS:
        setattr(action, f"{name}_encrypted", _sealed(value))
    else:
        setattr(action, name, value)


def _apply(session: Session, actor: Actor, bilan: Bilan, action: PlanAction, parsed: _Parsed) -> list[str]:
    """Write the parsed values on ``action`` with a history row per changed field; the changed names."""
    values = dict(parsed.values)
    current_link = _link_of(action)
    changed: list[str] = []
    if "link" in values:
        columns = _resolve_link(session, bilan, values["link"], current_link)
        if values["link"] != current_link:
            labels = _link_labels(session, [current_link, values["link"]])
            _history(
                session,
                actor,
                action,
                ActionEvent.UPDATED,
                "link",
                _history_value("link", current_link, labels),
                _history_value("link", values["link"], labels),
            )
            for column, value in columns.items():
                setattr(action, column, value)
            changed.append("link")
        del values["link"]
    for name, value in values.items():
        before = _get(action, name)
        if before == value:
            continue
        _set(action, name, value)
        event = ActionEvent.STATUS if name == "status" else ActionEvent.UPDATED
        _history(session, actor, action, event, name, _history_value(name, before, {}), _history_value(name, value, {}))
        changed.append(name)
    if parsed.milestones is not None and _apply_milestones(session, actor, action, parsed.milestones):
        changed.append("milestones")
    if changed:
        action.updated_at = utcnow()
        session.add(action)
    return changed


def _apply_milestones(session: Session, actor: Actor, action: PlanAction, wanted: list[tuple[str, str, date]]) -> bool:
    """Make the action's milestones those of the editor: matched by id, added, changed or removed."""
    existing = {str(row.id): row for row in _milestones(session, [action])[action.id]}
    changed = False
    kept: set[str] = set()
    for position, (key, label, due_on) in enumerate(wanted):
        row = existing.get(key)
        if row is None:
            session.add(
                PlanMilestone(
                    organisation_id=action.organisation_id,
                    action_id=action.id,
                    position=position,
                    label_encrypted=_sealed(label),
                    due_on=due_on,
                )
            )
            _history(
                session, actor, action, ActionEvent.MILESTONE_ADDED, "milestones", "", _milestone_text(label, due_on)
            )
            changed = True
            continue
        kept.add(key)
        before_label = _plain(row.label_encrypted)
        if (before_label, row.due_on) != (label, due_on):
            _history(
                session,
                actor,
                action,
                ActionEvent.MILESTONE_UPDATED,
                "milestones",
                _milestone_text(before_label, row.due_on),
                _milestone_text(label, due_on),
            )
            row.label_encrypted, row.due_on = _sealed(label), due_on
            changed = True
        row.position = position
        session.add(row)
    for key, row in existing.items():
        if key not in kept:
            _history(
                session,
                actor,
                action,
                ActionEvent.MILESTONE_REMOVED,
                "milestones",
                _milestone_text(_plain(row.label_encrypted), row.due_on),
            )
            session.delete(row)
            changed = True
    return changed


def _new_action(actor: Actor, bilan: Bilan, position: int) -> PlanAction:
    return PlanAction(
        organisation_id=bilan.organisation_id, bilan_id=bilan.id, position=position, created_by=actor.user_id
    )


def _next_position(session: Session, bilan: Bilan, adding: int = 1) -> int:
    """The position after the last action, once checked that ``adding`` more stay under the limit."""
    actions = _live_actions(session, bilan)
    if len(actions) + adding > ACTIONS_MAX:
        raise ServiceError("action_plan.error.too_many_actions", max=ACTIONS_MAX)
    return max((action.position for action in actions), default=-1) + 1


def create_action(actor: Actor, bilan_id: uuid.UUID | str, raw: Mapping[str, Any]) -> ActionView:
    """Add an action (saved even with a missing SMART part: its view lists what is missing)."""
    parsed = _parse(raw, creating=True)
    with session_scope() as session:
        bilan = _editable(session, actor, bilan_id)
        action = _new_action(actor, bilan, _next_position(session, bilan))
        link = parsed.values.pop("link")
        for column, value in _resolve_link(session, bilan, link, "").items():
            setattr(action, column, value)
        for name, value in parsed.values.items():
            _set(action, name, value)
        session.add(action)
        session.flush()
        _history(session, actor, action, ActionEvent.CREATED, "title", "", parsed.values["title"])
        _apply_milestones(session, actor, action, parsed.milestones or [])
        session.flush()
        view = _one_view(session, action)
        record_on_bilan(
            session,
            actor,
            bilan,
            PlanAudit.ACTION_CREATED,
            plan_action={"before": None, "after": str(action.id)},
            complete={"before": None, "after": view.complete},
        )
        return view


def update_action(actor: Actor, action_id: uuid.UUID | str, raw: Mapping[str, Any]) -> ActionView:
    """Change the fields present in ``raw`` (one field, or the whole form); each change is in the history."""
    parsed = _parse(raw, creating=False)
    with session_scope() as session:
        action, bilan = _action_of(session, actor, action_id)
        changed = _apply(session, actor, bilan, action, parsed)
        session.flush()
        view = _one_view(session, action)
        if changed:
            record_on_bilan(
                session,
                actor,
                bilan,
                PlanAudit.ACTION_UPDATED,
                plan_action={"before": None, "after": str(action.id)},
                fields={"before": None, "after": ", ".join(changed)},
            )
        return view


def set_status(actor: Actor, action_id: uuid.UUID | str, status: ActionStatus | str) -> ActionView:
    """À faire, en cours, faite or abandonnée."""
    return update_action(actor, action_id, {"status": str(status)})


def set_milestone_done(actor: Actor, milestone_id: uuid.UUID | str, done: bool) -> ActionView:
    """Tick (or untick) a milestone of an action."""
    with session_scope() as session:
        milestone = get_scoped(session, PlanMilestone, milestone_id, actor)
        action, bilan = _action_of(session, actor, milestone.action_id)
        if (milestone.done_at is not None) != done:
            milestone.done_at = utcnow() if done else None
            session.add(milestone)
            label = _milestone_text(_plain(milestone.label_encrypted), milestone.due_on)
            event = ActionEvent.MILESTONE_DONE if done else ActionEvent.MILESTONE_UNDONE
            _history(session, actor, action, event, "milestones", "", label)
            action.updated_at = utcnow()
            session.add(action)
            record_on_bilan(
                session,
                actor,
                bilan,
                PlanAudit.MILESTONE_DONE,
                milestone={"before": None, "after": f"{milestone.id} {'done' if done else 'not done'}"},
            )
        session.flush()
        return _one_view(session, action)


def move_action(actor: Actor, action_id: uuid.UUID | str, steps: int) -> None:
    """Move an action up (negative ``steps``) or down the plan; the others close ranks."""
    with session_scope() as session:
        action, bilan = _action_of(session, actor, action_id)
        actions = _live_actions(session, bilan)
        index = next(i for i, row in enumerate(actions) if row.id == action.id)
        target = max(0, min(len(actions) - 1, index + steps))
        if target == index:
            return
        actions.insert(target, actions.pop(index))
        for position, row in enumerate(actions):
            if row.position != position:
                row.position = position
                session.add(row)
        _history(session, actor, action, ActionEvent.MOVED, "position", str(index + 1), str(target + 1))
        record_on_bilan(
            session, actor, bilan, PlanAudit.ACTION_MOVED, position={"before": index + 1, "after": target + 1}
        )


def delete_action(actor: Actor, action_id: uuid.UUID | str) -> None:
    """Remove an action from the plan; it stays in the history (with its last title)."""
    with session_scope() as session:
        action, bilan = _action_of(session, actor, action_id)
        action.deleted_at = utcnow()
        session.add(action)
        _history(session, actor, action, ActionEvent.DELETED, "", _plain(action.title_encrypted))
        record_on_bilan(
            session, actor, bilan, PlanAudit.ACTION_DELETED, plan_action={"before": str(action.id), "after": None}
        )


# ---------------------------------------------------------------- suggestions


def _ai_suggestions(actor: Actor, bilan_id: uuid.UUID | str) -> list[PlanSuggestion]:
    """The actions of the newest synthèse draft the consultant accepted or edited (followers only)."""
    from services.llm.review import list_proposals

    today = _today()
    reviewed = {str(ProposalStatus.ACCEPTED), str(ProposalStatus.EDITED)}
    for proposal in list_proposals(actor, bilan_id, "synthese_draft"):
        if proposal.status not in reviewed:
            continue
        return [
            PlanSuggestion(
                key=f"ai:{proposal.id}:{index}",
                source="ai",
                title=str(item.get("intitule", "")).strip()[:TITLE_MAX_CHARS],
                description=str(item.get("description", "")).strip()[:TEXT_MAX_CHARS],
                deadline=today + timedelta(days=HORIZON_DAYS.get(str(item.get("echeance", "")), 30)),
            )
            for index, item in enumerate(proposal.content.get("actions", []))
            if isinstance(item, dict) and str(item.get("intitule", "")).strip()
        ]
    return []


def _fold(title: str) -> str:
    return " ".join(title.casefold().split())


def suggestions(actor: Actor, bilan_id: uuid.UUID | str, locale: str = "fr") -> list[PlanSuggestion]:
    """Draft actions to add: from the targets kept, the offers she saved and, for a follower, the
    actions of the reviewed synthèse draft. Those already in the plan (same title or link) are left out."""
    with session_scope() as session:
        bilan = _readable(session, actor, bilan_id)
        log_personal_read(session, actor, bilan, "action_plan_suggestions")
        follower = is_follower(actor, bilan)
        actions = _live_actions(session, bilan)
        taken_titles = {_fold(_plain(action.title_encrypted)) for action in actions}
        taken_links = {_link_of(action) for action in actions}
        targets = session.exec(
            select(BilanTarget)
            .where(BilanTarget.organisation_id == bilan.organisation_id, BilanTarget.bilan_id == bilan.id)
            .order_by(col(BilanTarget.created_at), col(BilanTarget.code_rome))
        ).all()
        offers = session.exec(
            select(SavedOffer)
            .where(SavedOffer.organisation_id == bilan.organisation_id, SavedOffer.bilan_id == bilan.id)
            .order_by(col(SavedOffer.saved_at).desc(), col(SavedOffer.offer_id))
        ).all()
        found = [
            PlanSuggestion(
                key=f"target:{target.id}",
                source="target",
                title=translate("action_plan.suggest.target_title", locale, metier=target.libelle),
                description=translate("action_plan.suggest.target_description", locale, metier=target.libelle),
                project_link=translate("action_plan.suggest.target_project", locale, metier=target.libelle),
                link=f"target:{target.id}",
            )
            for target in targets
        ]
        found += [
            PlanSuggestion(
                key=f"offer:{offer.id}",
                source="offer",
                title=translate("action_plan.suggest.offer_title", locale, offer=offer.title)[:TITLE_MAX_CHARS],
                description=translate(
                    "action_plan.suggest.offer_description", locale, offer=_offer_label(offer.title, offer.company)
                ),
                link=f"offer:{offer.id}",
            )
            for offer in offers
        ]
    if follower:
        found += _ai_suggestions(actor, bilan_id)
    result, seen = [], set(taken_titles)
    for suggestion in found:
        folded = _fold(suggestion.title)
        if folded in seen or (suggestion.link and suggestion.link in taken_links):
            continue
        seen.add(folded)
        result.append(suggestion)
    return result


def add_suggestions(actor: Actor, bilan_id: uuid.UUID | str, keys: Sequence[str], locale: str = "fr") -> list[str]:
    """Turn the chosen suggestions into draft actions (to complete: they lack SMART parts); their ids."""
    chosen = {suggestion.key: suggestion for suggestion in suggestions(actor, bilan_id, locale)}
    wanted = list(dict.fromkeys(keys))
    if not wanted or any(key not in chosen for key in wanted):
        raise ServiceError("action_plan.error.suggestion_gone")
    with session_scope() as session:
        bilan = _editable(session, actor, bilan_id)
        created = []
        position = _next_position(session, bilan, len(wanted))
        for offset, key in enumerate(wanted):
            suggestion = chosen[key]
            action = _new_action(actor, bilan, position + offset)
            action.title_encrypted = _sealed(suggestion.title)
            action.description_encrypted = _sealed(suggestion.description)
            action.project_link_encrypted = _sealed(suggestion.project_link)
            action.deadline = suggestion.deadline
            for column, value in _resolve_link(session, bilan, suggestion.link, "").items():
                setattr(action, column, value)
            session.add(action)
            session.flush()
            _history(session, actor, action, ActionEvent.CREATED, "title", "", suggestion.title)
            created.append(str(action.id))
        record_on_bilan(
            session,
            actor,
            bilan,
            PlanAudit.SUGGESTIONS_ADDED,
            actions={"before": None, "after": len(created)},
            sources={"before": None, "after": ", ".join(sorted({chosen[key].source for key in wanted}))},
        )
        return created


# ---------------------------------------------------------------- reminders (services.jobs)


def _due_label(due_on: date, locale: str) -> str:
    return format_datetime(datetime(due_on.year, due_on.month, due_on.day, 12, tzinfo=UTC), locale, DATE_FORMAT)


def _owner_of(session: Session, bilan: Bilan, action: PlanAction) -> tuple[User | None, str]:
    """Who carries the action out, and the link to the plan on their side."""
    if action.owner is ActionOwner.CONSULTANT:
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
        return consultant, routes.bilan_plan(str(bilan.id))
    return session.get(User, bilan.beneficiary_id), routes.PLAN


def _remind(session: Session, bilan: Bilan, action: PlanAction, kind: str, due_on: date, **params: Any) -> bool:
    person, path = _owner_of(session, bilan, action)
    if person is None:
        return False
    action_title = _plain(action.title_encrypted)
    notify(
        session,
        person,
        f"mail.plan_{kind}_reminder",
        organisation_id=bilan.organisation_id,
        path=path,
        action=action_title,
        due=lambda locale: _due_label(due_on, locale),
        **params,
    )
    return True


def remind_deadlines(now: datetime) -> int:
    """Mail an open action's owner 3 days before its deadline and 2 days before each milestone.

    ``reminded_for`` keeps the date a reminder was sent for: a run twice sends nothing more, and a
    deadline moved later is reminded again. Only while the bilan is in progress.
    """
    today = now.astimezone(TIMEZONE).date()
    sent = 0
    live = (
        col(PlanAction.deleted_at).is_(None),
        col(PlanAction.status).in_([status.value for status in OPEN_ACTION_STATUSES]),
        col(Bilan.status).in_([status.value for status in ACTIVE_STATUSES]),
    )
    with session_scope() as session:
        actions = session.exec(
            select(PlanAction, Bilan)
            .join(Bilan, col(Bilan.id) == col(PlanAction.bilan_id))
            .where(
                *live,
                col(PlanAction.deadline).is_not(None),
                col(PlanAction.deadline) >= today,
                col(PlanAction.deadline) <= today + ACTION_REMINDER_BEFORE,
                or_(col(PlanAction.reminded_for).is_(None), col(PlanAction.reminded_for) != col(PlanAction.deadline)),
            )
            .with_for_update(of=PlanAction, skip_locked=True)
        ).all()
        for action, bilan in actions:
            assert action.deadline is not None
            if _remind(session, bilan, action, "action", action.deadline):
                sent += 1
            action.reminded_for = action.deadline
            session.add(action)
        milestones = session.exec(
            select(PlanMilestone, PlanAction, Bilan)
            .join(PlanAction, col(PlanAction.id) == col(PlanMilestone.action_id))
            .join(Bilan, col(Bilan.id) == col(PlanAction.bilan_id))
            .where(
                *live,
                col(PlanMilestone.done_at).is_(None),
                col(PlanMilestone.due_on) >= today,
                col(PlanMilestone.due_on) <= today + MILESTONE_REMINDER_BEFORE,
                or_(
                    col(PlanMilestone.reminded_for).is_(None),
                    col(PlanMilestone.reminded_for) != col(PlanMilestone.due_on),
                ),
            )
            .with_for_update(of=PlanMilestone, skip_locked=True)
        ).all()
        for milestone, action, bilan in milestones:
            label = _plain(milestone.label_encrypted)
            if _remind(session, bilan, action, "milestone", milestone.due_on, milestone=label):
                sent += 1
            milestone.reminded_for = milestone.due_on
            session.add(milestone)
    return sent


__all__ = [
    "ActionDraft",
    "ActionView",
    "LinkOption",
    "MilestoneView",
    "PlanAudit",
    "PlanHistoryRow",
    "PlanSuggestion",
    "PlanView",
    "SmartGap",
    "add_suggestions",
    "create_action",
    "delete_action",
    "get_plan",
    "link_options",
    "move_action",
    "plan_history",
    "remind_deadlines",
    "set_milestone_done",
    "set_status",
    "smart_check",
    "suggestions",
    "update_action",
]
