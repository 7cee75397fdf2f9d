"""The SMART action plan as a PDF: one table row per action, A4 landscape.

The input is a plain ``ActionPlanPdfInput`` (the plan's model maps onto it): no database, no clock.
Labels (owner, status, link) arrive as the reader should see them. ``action_plan_pdf`` builds that input
from a bilan's plan, for the people who may read the plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.access import Actor
from services.action_plan import get_plan
from services.bilans import get_bilan
from services.db import session_scope
from services.documents.common import FOOTER_CONFIDENTIAL, Branding, brand_context, branding_of, render_document
from services.i18n import format_date, translate
from services.models import Organisation, User
from services.synthese import DOCUMENT_LOCALE


@dataclass(frozen=True)
class Milestone:
    label: str
    due_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class PlanAction:
    title: str  # Spécifique
    description: str  # Spécifique
    indicator: str  # Mesurable: the success indicator
    means: str  # Atteignable: means and resources
    project_link: str  # Réaliste: its link with the project
    deadline: date | None  # Temporel
    owner: str  # "Bénéficiaire", "Consultant·e", or a name
    status: str  # "À faire", "En cours", "Réalisée"…
    milestones: Sequence[Milestone] = ()
    link: str = ""  # the target métier, training course or offer it serves


@dataclass(frozen=True)
class ActionPlanPdfInput:
    organisation: Branding
    beneficiary_name: str
    consultant_name: str
    actions: Sequence[PlanAction]
    project: str = ""  # the professional project the plan serves
    updated_at: datetime | None = None  # the plan's last change


def action_plan_context(data: ActionPlanPdfInput) -> dict[str, Any]:
    return {
        "title": f"Plan d'action – bilan de compétences de {data.beneficiary_name}",
        "brand": brand_context(data.organisation),
        "beneficiary": data.beneficiary_name,
        "consultant": data.consultant_name,
        "project": data.project,
        "updated_on": format_date(data.updated_at),
        "footer_confidential": FOOTER_CONFIDENTIAL,
        "actions": [
            {
                "title": action.title,
                "description": action.description,
                "indicator": action.indicator,
                "means": action.means,
                "project_link": action.project_link,
                "deadline": format_date(action.deadline) if action.deadline else "à fixer",
                "owner": action.owner,
                "status": action.status,
                "link": action.link,
                "milestones": [
                    {"label": m.label, "due_on": format_date(m.due_on), "done": m.done} for m in action.milestones
                ],
            }
            for action in data.actions
        ],
    }


def render_action_plan_pdf(data: ActionPlanPdfInput, *, created: datetime) -> bytes:
    """The plan as a tagged A4 landscape PDF; the same ``data`` and ``created`` give the same bytes."""
    return render_document("action_plan.html", action_plan_context(data), created=created)


def action_plan_pdf(actor: Actor, bilan_id: uuid.UUID | str, *, created: datetime) -> bytes:
    """The bilan's plan as it stands (the beneficiary or a follower; ``action_plan.get_plan`` decides)."""
    plan = get_plan(actor, bilan_id)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        organisation = session.get(Organisation, bilan.organisation_id)
        beneficiary = session.get(User, bilan.beneficiary_id)
        consultant = session.get(User, bilan.consultant_id) if bilan.consultant_id else None
    assert organisation is not None
    actions = [
        PlanAction(
            title=action.title,
            description=action.description,
            indicator=action.indicator,
            means=action.means,
            project_link=action.project_link,
            deadline=action.deadline,
            owner=translate(f"action_plan.owner.{action.owner}", DOCUMENT_LOCALE),
            status=translate(f"action_plan.status.{action.status}", DOCUMENT_LOCALE),
            milestones=[Milestone(m.label, m.due_on, m.done) for m in action.milestones],
            link=action.link_label,
        )
        for action in plan.actions
    ]
    return render_action_plan_pdf(
        ActionPlanPdfInput(
            organisation=branding_of(organisation),
            beneficiary_name=beneficiary.full_name if beneficiary else "",
            consultant_name=consultant.full_name if consultant else "",
            actions=actions,
            updated_at=max((action.updated_at for action in plan.actions), default=None),
        ),
        created=created,
    )
