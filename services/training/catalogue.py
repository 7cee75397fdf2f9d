"""The organisation's own training catalogue: org admins create, edit and deactivate courses.

Every member of the organisation reads it (it feeds the suggestions); another organisation's course
is NotFound. Changes are audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from services import audit
from services.access import Actor, Permission, get_scoped, require, scoped
from services.db import session_scope
from services.forms import TrainingForm, validate_form
from services.models import TrainingCourse, TrainingSource
from services.models.base import utcnow
from services.rome.search import normalise


class TrainingAction(StrEnum):
    CREATED = "training.created"
    UPDATED = "training.updated"
    DEACTIVATED = "training.deactivated"
    CPF_IMPORTED = "training.cpf_imported"


@dataclass(frozen=True)
class CourseView:
    id: str
    source: str
    external_id: str
    title: str
    provider: str
    certification: str
    certification_code: str
    rome_codes: str
    formacodes: str
    hours: float | None
    price_euros: float | None
    mode: str
    departement: str
    url: str
    description: str
    active: bool


def course_view(row: TrainingCourse) -> CourseView:
    return CourseView(
        id=str(row.id),
        source=row.source.value,
        external_id=row.external_id,
        title=row.title,
        provider=row.provider,
        certification=row.certification,
        certification_code=row.certification_code,
        rome_codes=row.rome_codes,
        formacodes=row.formacodes,
        hours=row.hours,
        price_euros=row.price_euros,
        mode=row.mode.value,
        departement=row.departement,
        url=row.url,
        description=row.description,
        active=row.active,
    )


def search_text(*parts: str) -> str:
    """The normalised words a course is matched on (title, certification, description...)."""
    return " ".join(normalise(part) for part in parts if part)


def _apply(row: TrainingCourse, form: TrainingForm) -> dict[str, Any]:
    """Copy the form onto the row; returns the changed fields for the audit (before/after)."""
    changes = {}
    for name, value in form.model_dump().items():
        before = getattr(row, name)
        if before != value:
            changes[name] = {"before": str(before) if before is not None else None, "after": str(value)}
            setattr(row, name, value)
    row.search_text = search_text(row.title, row.certification, row.description)
    row.updated_at = utcnow()
    return changes


def _record(session: Session, actor: Actor, row: TrainingCourse, action: TrainingAction, changes: dict) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        organisation_id=actor.organisation_id,
        target_type="training_course",
        target_id=row.id,
        changes=changes,
    )


def create_course(actor: Actor, raw: dict[str, Any]) -> str:
    require(actor, Permission.MANAGE_ORGANISATION)
    form = validate_form(TrainingForm, raw)
    with session_scope() as session:
        row = TrainingCourse(
            organisation_id=actor.organisation_id,
            source=TrainingSource.ORGANISATION,
            external_id=uuid.uuid4().hex,
            title=form.title,
        )
        changes = _apply(row, form)
        session.add(row)
        session.flush()
        _record(session, actor, row, TrainingAction.CREATED, changes)
        return str(row.id)


def update_course(actor: Actor, course_id: uuid.UUID | str, raw: dict[str, Any]) -> None:
    require(actor, Permission.MANAGE_ORGANISATION)
    form = validate_form(TrainingForm, raw)
    with session_scope() as session:
        row = get_scoped(session, TrainingCourse, course_id, actor)
        changes = _apply(row, form)
        session.add(row)
        _record(session, actor, row, TrainingAction.UPDATED, changes)


def set_course_active(actor: Actor, course_id: uuid.UUID | str, active: bool) -> None:
    """Deactivated courses are no longer suggested (kept for the history of past suggestions)."""
    require(actor, Permission.MANAGE_ORGANISATION)
    with session_scope() as session:
        row = get_scoped(session, TrainingCourse, course_id, actor)
        if row.active != active:
            row.active = active
            row.updated_at = utcnow()
            session.add(row)
            change = {"active": {"before": str(not active), "after": str(active)}}
            _record(session, actor, row, TrainingAction.DEACTIVATED if not active else TrainingAction.UPDATED, change)


def list_courses(actor: Actor, include_inactive: bool = False) -> list[CourseView]:
    """The organisation's own courses, by title (any member: they feed the suggestions)."""
    query = scoped(TrainingCourse, actor)
    if not include_inactive:
        query = query.where(col(TrainingCourse.active))
    with session_scope() as session:
        return [course_view(row) for row in session.exec(query.order_by(col(TrainingCourse.title))).all()]


def cpf_course_count() -> int:
    """How many courses of the public CPF catalogue are installed (platform data)."""
    with session_scope() as session:
        return len(session.exec(select(TrainingCourse.id).where(TrainingCourse.source == TrainingSource.CPF)).all())
