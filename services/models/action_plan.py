"""The SMART action plan of a bilan: actions with their milestones, and the history of every change.

The beneficiary and the bilan's followers write the plan together. Every free text (the five SMART
parts, milestone labels, and the before/after values of the history) is Fernet-encrypted: it says
where a person's life is heading.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.models.base import created_at_field, enum_field, id_field, optional_datetime_field


class ActionOwner(StrEnum):
    """Who carries the action out."""

    BENEFICIARY = "beneficiary"
    CONSULTANT = "consultant"


class ActionStatus(StrEnum):
    A_FAIRE = "a_faire"
    EN_COURS = "en_cours"
    FAITE = "faite"
    ABANDONNEE = "abandonnee"


class ActionEvent(StrEnum):
    CREATED = "created"
    UPDATED = "updated"  # one field changed: ``field``, before, after
    STATUS = "status"
    MILESTONE_ADDED = "milestone_added"
    MILESTONE_UPDATED = "milestone_updated"
    MILESTONE_REMOVED = "milestone_removed"
    MILESTONE_DONE = "milestone_done"
    MILESTONE_UNDONE = "milestone_undone"
    MOVED = "moved"
    DELETED = "deleted"


class PlanAction(SQLModel, table=True):
    """One action of the plan. Deleting it only sets ``deleted_at``, so its history stays readable.

    At most one link: a kept target métier, a training course or a saved offer (checked by the service
    to belong to the same bilan or organisation).
    """

    __tablename__ = "plan_actions"
    __table_args__ = (Index("ix_plan_actions_bilan_position", "bilan_id", "position"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    position: int = 0
    title_encrypted: str = ""  # Spécifique
    description_encrypted: str = ""  # Spécifique
    indicator_encrypted: str = ""  # Mesurable
    means_encrypted: str = ""  # Atteignable
    project_link_encrypted: str = ""  # Réaliste
    deadline: date | None = None  # Temporel
    owner: ActionOwner = enum_field(ActionOwner, ActionOwner.BENEFICIARY)
    status: ActionStatus = enum_field(ActionStatus, ActionStatus.A_FAIRE)
    # The linked item may be removed where it lives (a target dropped, an offer unsaved, a course
    # deleted): the action stays, without its link.
    target_id: uuid.UUID | None = Field(default=None, foreign_key="bilan_targets.id", ondelete="SET NULL")
    training_course_id: uuid.UUID | None = Field(default=None, foreign_key="training_courses.id", ondelete="SET NULL")
    saved_offer_id: uuid.UUID | None = Field(default=None, foreign_key="saved_offers.id", ondelete="SET NULL")
    # The deadline the last reminder was sent for: a moved deadline is reminded again, once.
    reminded_for: date | None = None
    created_by: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    deleted_at: datetime | None = optional_datetime_field()


class PlanMilestone(SQLModel, table=True):
    """A dated step of an action, done or not."""

    __tablename__ = "plan_milestones"

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    action_id: uuid.UUID = Field(foreign_key="plan_actions.id", index=True)
    position: int = 0
    label_encrypted: str = ""
    due_on: date
    done_at: datetime | None = optional_datetime_field()
    reminded_for: date | None = None
    created_at: datetime = created_at_field()


class PlanHistory(SQLModel, table=True):
    """Every change of the plan: who, when, which action and field, before and after (encrypted)."""

    __tablename__ = "plan_history"
    __table_args__ = (Index("ix_plan_history_bilan", "bilan_id", "created_at"),)

    id: uuid.UUID = id_field()
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    bilan_id: uuid.UUID = Field(foreign_key="bilans.id")
    action_id: uuid.UUID = Field(foreign_key="plan_actions.id")
    author_id: uuid.UUID = Field(foreign_key="users.id")
    by_consultant: bool = False
    event: ActionEvent = enum_field(ActionEvent)
    field_name: str = Field(default="", max_length=40)
    before_encrypted: str = ""
    after_encrypted: str = ""
    created_at: datetime = created_at_field()
