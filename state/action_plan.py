"""The SMART action plan, one state for two routes: the beneficiary's ``/mon-espace/plan`` and the
followers' ``/bilans/[bilan_id]/plan``. Both edit the same plan through ``services.action_plan``.

The editor keeps what was typed in ``form`` and ``form_milestones`` whatever the server answers: a
refused field gets its message next to it (``errors``), and a saved draft stays open with the missing
SMART parts said next to their fields (``form_gaps``). The rows it shows are built by
``services.display.action_plan``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from services import action_plan as service
from services import bilans, routes
from services.access import Actor, Permission
from services.display.action_plan import (
    EMPTY_MILESTONE,
    ActionRow,
    HistoryRow,
    LinkOptionRow,
    MilestoneErrorRow,
    MilestoneFormRow,
    MilestoneRow,
    SuggestionRow,
    action_rows,
    compact_milestones,
    gap_messages,
    history_rows,
    link_rows,
    milestone_error_rows,
    milestone_form_rows,
    milestone_rows,
    suggestion_rows,
)
from services.i18n import translate
from services.models import ActionOwner, ActionStatus
from state.session import FormMixin, SessionState, guarded

FORM_FIELDS = ("title", "description", "indicator", "means", "project_link", "deadline", "owner", "status", "link")
EMPTY_FORM = {name: "" for name in FORM_FIELDS} | {
    "owner": ActionOwner.BENEFICIARY.value,
    "status": ActionStatus.A_FAIRE.value,
}


# ---------------------------------------------------------------- the state


class ActionPlanState(FormMixin, SessionState):
    plan_status: str = "loading"  # loading | missing | none | ready
    plan_follower: bool = False
    plan_bilan_id: str = ""
    plan_beneficiary: str = ""
    plan_editable: bool = False
    plan_phase: str = ""  # "too_early", "closed" or "" (editable)
    plan_summary: str = ""
    actions: list[ActionRow] = []
    action_missing: list[list[str]] = []
    action_hints: list[list[str]] = []
    action_milestones: list[list[MilestoneRow]] = []
    # the editor ("" editing_id: a new action)
    editor_open: bool = False
    editing_id: str = ""
    form: dict[str, str] = dict(EMPTY_FORM)
    form_milestones: list[MilestoneFormRow] = []
    form_gaps: dict[str, str] = {}
    link_targets: list[LinkOptionRow] = []
    link_courses: list[LinkOptionRow] = []
    link_offers: list[LinkOptionRow] = []
    suggestions: list[SuggestionRow] = []
    history: list[HistoryRow] = []
    confirm_delete_id: str = ""
    saved_message: str = ""
    _action_gaps: dict[str, dict[str, str]] = {}  # action id → field → its SMART gaps, for the editor

    @rx.var
    def bilan_href(self) -> str:
        return routes.bilan_page(self.plan_bilan_id) if self.plan_bilan_id else routes.CONSULTANT_HOME

    @rx.var
    def milestone_errors(self) -> list[MilestoneErrorRow]:
        """The server's errors of each milestone row, at the row's index."""
        return milestone_error_rows(self.errors, len(self.form_milestones))

    # ------------------------------------------------------------ loading

    def _actor(self) -> tuple[Actor | None, Any]:
        """Re-check the session for this route; the follower's bilan comes from the path."""
        follower = routes.template_of(self.router.url.path) == routes.BILAN_PLAN
        self.plan_follower = follower
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS if follower else Permission.VIEW_OWN_SPACE)
        if actor is None:
            return None, redirect
        if follower:
            self.plan_bilan_id = self._route_param("bilan_id")
        return actor, None

    def _clear(self) -> None:
        self.plan_beneficiary = self.plan_summary = self.plan_phase = ""
        self.plan_editable = False
        self.actions, self.action_missing, self.action_hints, self.action_milestones = [], [], [], []
        self.link_targets, self.link_courses, self.link_offers = [], [], []
        self.suggestions, self.history = [], []
        self._action_gaps = {}
        self.confirm_delete_id = ""
        self._close_editor()

    def _close_editor(self) -> None:
        self.editor_open = False
        self.editing_id = ""
        self.form = dict(EMPTY_FORM)
        self.form_milestones = []
        self.form_gaps = {}
        self.errors = {}

    def _refresh(self, actor: Actor) -> bool:
        """Read the plan, its history and, when it may change, the suggestions; False when not visible."""
        bilan_id, locale = self.plan_bilan_id, self.locale
        ok, view = self._run(lambda: service.get_plan(actor, bilan_id))
        if not ok:
            return False
        self.plan_editable = view.editable
        self.plan_phase = "" if view.editable else ("closed" if view.bilan_closed else "too_early")
        self.plan_summary = translate(
            "action_plan.summary", locale, count=len(view.actions), complete=view.complete_count
        )
        self.actions, self.action_missing, self.action_hints, self.action_milestones = action_rows(view.actions, locale)
        self._action_gaps = {action.id: gap_messages(action.gaps, locale) for action in view.actions}
        _, rows = self._run(lambda: service.plan_history(actor, bilan_id))
        self.history = history_rows(rows or [], locale)
        found: list[service.PlanSuggestion] = []
        if view.editable:
            _, found = self._run(lambda: service.suggestions(actor, bilan_id, locale))
        self.suggestions = suggestion_rows(found or [], locale)
        return True

    def _load_links(self, actor: Actor) -> None:
        bilan_id = self.plan_bilan_id
        _, options = self._run(lambda: service.link_options(actor, bilan_id, self.locale))
        groups = link_rows(options or [])
        self.link_targets, self.link_courses, self.link_offers = groups["target"], groups["course"], groups["offer"]

    @rx.event
    @guarded(lambda state: state._actor())
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self.plan_status = "loading"
        self._clear()
        if self.plan_follower:
            ok, detail = self._run(lambda: bilans.bilan_detail(actor, self.plan_bilan_id))
            if not ok:
                self.plan_status = "missing"
                return None
            self.plan_beneficiary = detail.beneficiary_name
        else:
            overview = bilans.my_bilan(actor)
            if overview is None:
                self.plan_status = "none"
                return None
            self.plan_bilan_id = overview.bilan_id
        if not self._refresh(actor):
            self._clear()
            self.plan_status = "missing"
            return None
        if self.plan_editable:
            self._load_links(actor)
        self.plan_status = "ready"
        return None

    def _change(self, call: Callable[[Actor], Any], done: str = "") -> Any:
        """Re-check the session, make one change, then read the plan again; ``done`` is announced."""
        self._reset_messages()
        self.saved_message = ""
        actor, redirect = self._actor()
        if actor is None:
            return redirect
        ok, _ = self._run(lambda: call(actor))
        if not self._refresh(actor):
            self.plan_status = "missing"
            return None
        if ok and done:
            self.saved_message = done
        return None

    # ------------------------------------------------------------ the list

    @rx.event
    def change_status(self, action_id: str, status: str) -> Any:
        label = translate(f"action_plan.status.{status}", self.locale)
        return self._change(
            lambda actor: service.set_status(actor, action_id, status),
            self._t("action_plan.status_saved", status=label),
        )

    @rx.event
    def toggle_milestone(self, milestone_id: str, done: bool) -> Any:
        key = "action_plan.milestone_checked" if done else "action_plan.milestone_unchecked"
        return self._change(lambda actor: service.set_milestone_done(actor, milestone_id, done), self._t(key))

    @rx.event
    def move(self, action_id: str, steps: int) -> Any:
        direction = "up" if steps < 0 else "down"
        return self._change(
            lambda actor: service.move_action(actor, action_id, steps), self._t("action_plan.moved")
        ) or rx.set_focus(f"plan-{direction}-{action_id}")

    @rx.event
    def ask_delete(self, action_id: str) -> Any:
        self.confirm_delete_id = action_id
        return rx.set_focus(f"plan-delete-no-{action_id}")

    @rx.event
    def cancel_delete(self) -> Any:
        action_id, self.confirm_delete_id = self.confirm_delete_id, ""
        return rx.set_focus(f"plan-delete-{action_id}")

    @rx.event
    def confirm_delete(self) -> Any:
        action_id, self.confirm_delete_id = self.confirm_delete_id, ""
        if self.editing_id == action_id:
            self._close_editor()
        return self._change(
            lambda actor: service.delete_action(actor, action_id), self._t("action_plan.deleted")
        ) or rx.set_focus("plan-list-title")

    @rx.event
    def add_suggestion(self, key: str) -> Any:
        return self._change(
            lambda actor: service.add_suggestions(actor, self.plan_bilan_id, [key], self.locale),
            self._t("action_plan.suggestions.added"),
        ) or rx.set_focus("plan-list-title")

    # ------------------------------------------------------------ the editor

    @rx.event
    @guarded(_actor)
    def open_new(self, actor: Actor) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self._close_editor()
        self.editor_open = True
        return rx.set_focus("plan-editor-title")

    @rx.event
    @guarded(_actor)
    def open_edit(self, actor: Actor, action_id: str) -> Any:
        index = next((i for i, row in enumerate(self.actions) if row["id"] == action_id), None)
        if index is None:
            return None
        self._reset_messages()
        self.saved_message = ""
        row = self.actions[index]
        self.editor_open, self.editing_id = True, action_id
        self.form = {name: row.get(name, "") for name in FORM_FIELDS}
        self.form_milestones = milestone_form_rows(self.action_milestones[index])
        self.form_gaps = dict(self._action_gaps.get(action_id, {}))
        return rx.set_focus("plan-editor-title")

    @rx.event
    def cancel_edit(self) -> Any:
        editing = self.editing_id
        self._close_editor()
        self._reset_messages()
        return rx.set_focus(f"plan-edit-{editing}" if editing else "plan-new")

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        if name in FORM_FIELDS:
            self.form = {**self.form, name: value}

    @rx.event
    def set_milestone_field(self, index: int, name: str, value: str) -> None:
        if name in {"label", "due_on"} and 0 <= index < len(self.form_milestones):
            rows = list(self.form_milestones)
            rows[index] = {**rows[index], name: value}
            self.form_milestones = rows

    @rx.event
    def add_milestone(self) -> Any:
        self.form_milestones = [*self.form_milestones, EMPTY_MILESTONE.copy()]
        return rx.set_focus(f"plan-milestone-{len(self.form_milestones) - 1}-label")

    @rx.event
    def remove_milestone(self, index: int) -> Any:
        if 0 <= index < len(self.form_milestones):
            self.form_milestones = [row for i, row in enumerate(self.form_milestones) if i != index]
            self.errors = {key: value for key, value in self.errors.items() if not key.startswith("milestones.")}
        return rx.set_focus("plan-milestone-add")

    @rx.event
    @guarded(_actor)
    def save(self, actor: Actor) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self.form_milestones = compact_milestones(self.form_milestones)
        raw: dict[str, Any] = {**self.form, "milestones": [dict(row) for row in self.form_milestones]}
        editing, bilan_id = self.editing_id, self.plan_bilan_id
        errors: dict[str, str] = {}
        if editing:
            ok, view = self._run(lambda: service.update_action(actor, editing, raw), errors)
        else:
            ok, view = self._run(lambda: service.create_action(actor, bilan_id, raw), errors)
        if not ok:
            self.errors = errors  # the form keeps what was typed; the messages sit next to the fields
            return rx.set_focus("plan-editor-title")
        self.errors = {}
        self._refresh(actor)
        if view.complete:
            self._close_editor()
            self.saved_message = self._t("action_plan.saved_complete")
            return rx.set_focus(f"plan-edit-{view.id}")
        # A draft: the editor stays open on the saved action, saying what is missing next to the fields.
        self.editing_id = view.id
        self.form_gaps = gap_messages(view.gaps, self.locale)
        self.form_milestones = milestone_form_rows(milestone_rows(view.milestones, self.locale))
        self.notice = self._t("action_plan.saved_draft", count=len(view.missing))
        return rx.set_focus("plan-editor-title")
