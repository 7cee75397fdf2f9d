"""The beneficiary's skills self-assessment wizard: parcours, skills, rating, review.

Every change is saved at once through ``services.skills.assessment`` (the step too, so the wizard
resumes where it was left). The rows it shows are built by ``services.display.skills``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from services import bilans
from services.access import Actor, Permission
from services.display.skills import (
    ChosenSkillRow,
    ExperienceForm,
    ExperienceRow,
    JobHitRow,
    ProposalGroupRow,
    ProposalRow,
    SkillHitRow,
    chosen_skill_rows,
    empty_experience_form,
    experience_edit_form,
    experience_rows,
    job_hit_rows,
    long_date,
    proposal_rows,
    skill_hit_rows,
)
from services.models import AssessmentStatus, AssessmentStep
from services.rome.search import search_metiers, search_skills
from services.skills import assessment as service
from services.skills.scales import CRITERIA
from state.session import FormMixin, SessionState, guarded

STEPS = [step.value for step in AssessmentStep]
SEARCH_LIMIT = 8


class SkillsWizardState(FormMixin, SessionState):
    wizard_status: str = "loading"  # loading | none | ready
    step: str = AssessmentStep.PARCOURS.value
    assessment_status: str = AssessmentStatus.DRAFT.value
    editable: bool = True
    progress: int = 0
    submitted_on: str = ""
    validated_on: str = ""
    experiences: list[ExperienceRow] = []
    experience_form: ExperienceForm = empty_experience_form()
    editing_id: str = ""
    job_query: str = ""
    job_results: list[JobHitRow] = []
    job_searched: bool = False
    groups: list[ProposalGroupRow] = []
    group_core: list[list[ProposalRow]] = []
    group_more: list[list[ProposalRow]] = []
    skill_query: str = ""
    skill_results: list[SkillHitRow] = []
    skill_searched: bool = False
    chosen: list[ChosenSkillRow] = []
    saved_message: str = ""
    _bilan_id: str = ""

    @rx.var
    def step_number(self) -> int:
        return STEPS.index(self.step) + 1 if self.step in STEPS else 1

    @rx.var
    def rated_count(self) -> int:
        return sum(1 for row in self.chosen if row["rated"])

    @rx.var
    def unrated_count(self) -> int:
        return sum(1 for row in self.chosen if not row["rated"])

    # ------------------------------------------------------------ loading

    def _actor(self) -> tuple[Any, Any]:
        """Re-check the session and find the beneficiary's current bilan."""
        actor, redirect = self._authorize(Permission.VIEW_OWN_SPACE)
        if actor is None:
            return None, redirect
        overview = bilans.my_bilan(actor)
        if overview is None:
            self.wizard_status = "none"
            return None, None
        self._bilan_id = str(overview.bilan_id)
        return actor, None

    def _refresh(self, actor: Any) -> None:
        ok, view = self._run(lambda: service.get_assessment(actor, self._bilan_id))
        if not ok:
            self.wizard_status = "none"
            return
        locale = self.locale
        self.step = view.step.value
        self.assessment_status = view.status.value
        self.editable = view.editable
        self.progress = view.progress
        self.submitted_on = long_date(view.submitted_at, locale)
        self.validated_on = long_date(view.validated_at, locale)
        self.experiences = experience_rows(view.experiences, locale)
        self.chosen = chosen_skill_rows(view.skills, locale)
        if self.step == AssessmentStep.COMPETENCES.value:
            self._load_proposals(actor)
        self.wizard_status = "ready" if view.editable or view.status is AssessmentStatus.VALIDATED else "none"

    def _load_proposals(self, actor: Any) -> None:
        _, groups = self._run(lambda: service.proposals(actor, self._bilan_id))
        self.groups, self.group_core, self.group_more = proposal_rows(groups or [], self.locale)

    @rx.event
    @guarded(_actor)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self.wizard_status = "loading"
        self._reset_experience_form()
        self.skill_query, self.skill_results, self.skill_searched = "", [], False
        self._refresh(actor)
        return None

    def _saved(self) -> None:
        self.saved_message = self._t("skills.saved")

    # ------------------------------------------------------------ steps

    @rx.event
    @guarded(_actor)
    def go_to(self, actor: Actor, step: str) -> Any:
        self._reset_messages()
        if step not in STEPS:
            return None
        if self.editable:
            ok, _ = self._run(lambda: service.set_step(actor, self._bilan_id, step))
            if not ok:
                return None
        self.step = step
        self._refresh(actor)
        self.step = step
        if step == AssessmentStep.COMPETENCES.value:
            self._load_proposals(actor)
        return rx.call_script("document.getElementById('wizard-step-heading')?.focus()")

    @rx.event
    def next_step(self) -> Any:
        return SkillsWizardState.go_to(STEPS[min(len(STEPS) - 1, self.step_number)])

    @rx.event
    def previous_step(self) -> Any:
        return SkillsWizardState.go_to(STEPS[max(0, self.step_number - 2)])

    # ------------------------------------------------------------ the parcours

    def _reset_experience_form(self) -> None:
        self.experience_form = empty_experience_form()
        self.editing_id = ""
        self.job_query, self.job_results, self.job_searched = "", [], False
        self.errors = {}

    @rx.event
    def set_experience_field(self, name: str, value: str) -> None:
        if name in ExperienceForm.__required_keys__:
            self.experience_form = {**self.experience_form, name: value}

    @rx.event
    @guarded(_actor)
    def search_jobs(self, actor: Actor, query: str) -> Any:
        self.job_query = query
        self.job_searched = len(query.strip()) >= 2
        self.job_results = job_hit_rows(search_metiers(query, SEARCH_LIMIT)) if self.job_searched else []
        return None

    @rx.event
    def choose_job(self, hit: JobHitRow) -> None:
        form: ExperienceForm = {
            **self.experience_form,
            "appellation_code": hit.get("appellation_code", ""),
            "code_rome": hit.get("code_rome", ""),
            "metier": hit.get("metier", ""),
        }
        if not form["title"].strip():
            form["title"] = hit.get("label", "")
        self.experience_form = form
        self.job_query, self.job_results, self.job_searched = "", [], False
        self.errors = {key: value for key, value in self.errors.items() if key != "appellation_code"}

    @rx.event
    def clear_job(self) -> None:
        self.experience_form = {**self.experience_form, "appellation_code": "", "code_rome": "", "metier": ""}

    @rx.event
    @guarded(_actor)
    def save_experience(self, actor: Actor) -> Any:
        self._reset_messages()
        raw: dict[str, str] = {key: value for key, value in self.experience_form.items() if key != "metier"}
        if raw["appellation_code"]:
            raw["code_rome"] = ""
        errors: dict[str, str] = {}
        editing = self.editing_id
        if editing:
            ok, _ = self._run(lambda: service.update_experience(actor, editing, raw), errors)
        else:
            ok, _ = self._run(lambda: service.add_experience(actor, self._bilan_id, raw), errors)
        if not ok:
            self.errors = errors  # what was typed stays in the form
            return None
        self._reset_experience_form()
        self.notice = self._t("skills.parcours.updated" if editing else "skills.parcours.added")
        self._refresh(actor)
        return None

    @rx.event
    def edit_experience(self, experience_id: str) -> None:
        row = next((row for row in self.experiences if row["id"] == experience_id), None)
        if row is None:
            return
        self._reset_messages()
        self.editing_id = experience_id
        self.experience_form = experience_edit_form(row)
        self.job_query, self.job_results, self.job_searched = "", [], False

    @rx.event
    def cancel_edit(self) -> None:
        self._reset_experience_form()

    @rx.event
    @guarded(_actor)
    def remove_experience(self, actor: Actor, experience_id: str) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: service.remove_experience(actor, experience_id))
        if ok:
            if self.editing_id == experience_id:
                self._reset_experience_form()
            self.notice = self._t("skills.parcours.removed")
            self._refresh(actor)
        return None

    # ------------------------------------------------------------ choosing skills

    def _change_skills(self, change: Callable[[Actor], object]) -> Any:
        """Re-check the session, apply one change to the chosen skills, then show the lists again."""
        self._reset_messages()
        actor, redirect = self._actor()
        if actor is None:
            return redirect
        ok, _ = self._run(lambda: change(actor))
        if ok:
            self._saved()
        self._refresh(actor)
        self._load_proposals(actor)
        return None

    @rx.event
    def toggle_skill(self, code_ogr: str, code_rome: str, checked: bool) -> Any:
        if checked:
            return self._change_skills(lambda actor: service.choose_skill(actor, self._bilan_id, code_ogr, code_rome))
        skill_id = next((row["id"] for row in self.chosen if row["code_ogr"] == code_ogr), "")
        return self._change_skills(lambda actor: service.unchoose_skill(actor, skill_id) if skill_id else None)

    @rx.event
    @guarded(_actor)
    def search_skill(self, actor: Actor, query: str) -> Any:
        self.skill_query = query
        self.skill_searched = len(query.strip()) >= 2
        chosen = {row["code_ogr"] for row in self.chosen}
        hits = search_skills(query, SEARCH_LIMIT) if self.skill_searched else []
        self.skill_results = skill_hit_rows(hits, self.locale, chosen)
        return None

    @rx.event
    def add_skill(self, code_ogr: str) -> Any:
        outcome = self._change_skills(lambda actor: service.choose_skill(actor, self._bilan_id, code_ogr))
        if not self.form_error:
            self.skill_results = [row for row in self.skill_results if row["code_ogr"] != code_ogr]
        return outcome

    @rx.event
    def remove_skill(self, skill_id: str) -> Any:
        return self._change_skills(lambda actor: service.unchoose_skill(actor, skill_id))

    # ------------------------------------------------------------ rating and review

    @rx.event
    @guarded(_actor)
    def rate(self, actor: Actor, skill_id: str, criterion: str, value: str) -> Any:
        self._reset_messages()
        if criterion not in CRITERIA:
            return None
        ok, view = self._run(lambda: service.rate_skill(actor, skill_id, criterion, value))
        if ok:
            [row] = chosen_skill_rows([view], self.locale)
            self.chosen = [row if current["id"] == skill_id else current for current in self.chosen]
            self.saved_message = (
                self._t("skills.saved")
                + " · "
                + self._t("skills.evaluation.count", rated=self.rated_count, total=len(self.chosen))
            )
            _, fresh = self._run(lambda: service.get_assessment(actor, self._bilan_id))
            if fresh is not None:
                self.progress = fresh.progress
        return None

    @rx.event
    @guarded(_actor)
    def submit_assessment(self, actor: Actor) -> Any:
        self._reset_messages()
        ok, _ = self._run(lambda: service.submit(actor, self._bilan_id))
        self._refresh(actor)
        if ok:
            self.notice = self._t("skills.revue.submitted")
        return None
