"""The consultant's validation of the skills self-assessment, and the skills map (cartographie).

* ``SkillsReviewState``: ``/bilans/[bilan_id]/competences``, a follower (assigned consultant or org
  admin) reads the parcours, compares the self-rating with their own, adjusts one criterion with a
  comment, validates and reopens; the history of every change.
* ``SkillsMapState``: one state for two routes, ``/mon-espace/cartographie`` (the beneficiary, once
  validated) and ``/bilans/[bilan_id]/cartographie`` (followers, marked as a draft until validated).

The rows are built by ``services.display.skills_review``; the states only call services and keep
the rows: typed flat rows, nested data in parallel lists.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilans, routes
from services.access import Actor, Permission
from services.display.charts import ChartRow
from services.display.skills import validated_on
from services.display.skills_review import (
    GroupRow,
    MapSkillRow,
    MatrixCellRow,
    OptionRow,
    RatingRow,
    ReviewExperienceRow,
    ReviewHistoryRow,
    ReviewSkillRow,
    ReviewStatusRow,
    ZoneRow,
    chart_rows,
    consultant_values,
    criterion_options,
    group_rows,
    history_rows,
    map_skill_rows,
    matrix_view,
    no_status,
    review_experience_rows,
    review_skill_rows,
    status_row,
    value_options,
    zone_view,
)
from services.models import AssessmentStatus
from services.skills import assessment as skills
from services.skills import cartography
from services.skills.scales import CRITERIA
from state.session import FormMixin, SessionState, guarded


def is_started(view: skills.AssessmentView) -> bool:
    """The beneficiary wrote something: a line of parcours, a skill, or sent it."""
    return bool(view.experiences or view.skills or view.status is not AssessmentStatus.DRAFT)


# ---------------------------------------------------------------- the consultant's validation


class SkillsReviewState(FormMixin, SessionState):
    """``/bilans/[bilan_id]/competences``: the follower's comparison, adjustments and validation."""

    review_status: str = "loading"  # loading | missing | empty | ready
    review_bilan_id: str = ""
    review_beneficiary: str = ""
    review_info: ReviewStatusRow = no_status()
    can_adjust: bool = False
    can_validate: bool = False
    can_reopen: bool = False
    review_experiences: list[ReviewExperienceRow] = []
    review_skills: list[ReviewSkillRow] = []
    review_ratings: list[list[RatingRow]] = []
    review_history: list[ReviewHistoryRow] = []
    # the inline adjustment form (one skill at a time)
    adjusting_skill_id: str = ""
    adjusting_skill_name: str = ""
    adjust_criterion: str = "maitrise"
    adjust_value: str = ""
    adjust_comment: str = ""
    saved_message: str = ""
    _consultant_values: dict[str, dict[str, str]] = {}

    @rx.var
    def bilan_href(self) -> str:
        return routes.bilan_page(self.review_bilan_id) if self.review_bilan_id else routes.CONSULTANT_HOME

    @rx.var
    def map_href(self) -> str:
        return routes.bilan_skills_map(self.review_bilan_id) if self.review_bilan_id else routes.CONSULTANT_HOME

    @rx.var
    def criterion_choices(self) -> list[OptionRow]:
        return criterion_options(self.locale)

    @rx.var
    def value_choices(self) -> list[OptionRow]:
        return value_options(self.adjust_criterion, self.locale)

    def _clear(self) -> None:
        self.review_beneficiary = ""
        self.review_info = no_status()
        self.can_adjust = self.can_validate = self.can_reopen = False
        self.review_experiences, self.review_skills, self.review_ratings, self.review_history = [], [], [], []
        self._consultant_values = {}
        self._close_form()

    def _close_form(self) -> None:
        self.adjusting_skill_id = self.adjusting_skill_name = ""
        self.adjust_criterion, self.adjust_value, self.adjust_comment = "maitrise", "", ""

    def _refresh(self, actor: Any) -> bool:
        """Read the bilan, the assessment and the history; False (with a message) when it is not visible."""
        bilan_id, locale = self.review_bilan_id, self.locale
        ok, detail = self._run(lambda: bilans.bilan_detail(actor, bilan_id))
        if not ok:
            return False
        ok, view = self._run(lambda: skills.get_assessment(actor, bilan_id))
        if not ok:
            return False
        _, rows = self._run(lambda: skills.history(actor, bilan_id))
        active = detail.active
        started = is_started(view)
        self.review_beneficiary = detail.beneficiary_name
        self.review_info = status_row(view, locale)
        self.can_adjust = started and view.editable
        self.can_validate = started and active and view.status is not AssessmentStatus.VALIDATED
        self.can_reopen = active and view.status is AssessmentStatus.VALIDATED
        self.review_experiences = review_experience_rows(view.experiences, locale)
        self.review_skills, self.review_ratings = review_skill_rows(view.selected, locale)
        self.review_history = history_rows(rows or [], locale)
        self._consultant_values = consultant_values(view.selected)
        self.review_status = "ready" if started else "empty"
        return True

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.saved_message = ""
        self.review_status = "loading"
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            self._clear()
            return redirect
        self.review_bilan_id = self._route_param("bilan_id")
        self._clear()
        if not self._refresh(actor):
            self._clear()
            self.review_status = "missing"
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def open_adjust(self, actor: Actor, skill_id: str) -> Any:
        names = {row["id"]: row["libelle"] for row in self.review_skills}
        if not self.can_adjust or skill_id not in names:
            return None
        self.errors, self.form_error, self.saved_message = {}, "", ""
        self.adjusting_skill_id, self.adjusting_skill_name = skill_id, names[skill_id]
        self.adjust_criterion = "maitrise"
        self.adjust_value = self._consultant_values.get(skill_id, {}).get("maitrise", "")
        self.adjust_comment = ""
        return rx.set_focus("adjust-criterion")

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def cancel_adjust(self, actor: Actor) -> Any:
        skill_id = self.adjusting_skill_id
        self.errors, self.form_error = {}, ""
        self._close_form()
        return rx.set_focus(f"adjust-{skill_id}") if skill_id else None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def set_adjust_criterion(self, actor: Actor, criterion: str) -> Any:
        if criterion not in CRITERIA:
            return None
        self.adjust_criterion = criterion
        self.adjust_value = self._consultant_values.get(self.adjusting_skill_id, {}).get(criterion, "")
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def set_adjust_value(self, actor: Actor, value: str) -> Any:
        self.adjust_value = value
        return None

    @rx.event
    @guarded(Permission.FOLLOW_BILANS)
    def save_adjust(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        self.saved_message = ""
        self.form_error = ""
        skill_id = self.adjusting_skill_id
        if not skill_id:
            return None
        criterion = str(form_data.get("criterion") or self.adjust_criterion)
        value = str(form_data.get("value", self.adjust_value) or "")
        comment = str(form_data.get("comment", ""))
        # Keep what was typed, whatever happens next.
        self.adjust_criterion, self.adjust_value, self.adjust_comment = criterion, value, comment
        ok, _ = self._run(lambda: skills.adjust_rating(actor, skill_id, criterion, value, comment), self.errors)
        if not ok:
            return None
        self.errors = {}
        self._close_form()
        if not self._refresh(actor):
            self.review_status = "missing"
            return None
        self.saved_message = self._t("skills.review.adjusted")
        return rx.set_focus(f"adjust-{skill_id}")

    def _decide(self, call: Any, done_key: str) -> Any:
        self._reset_messages()
        self.saved_message = ""
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS)
        if actor is None:
            return redirect
        bilan_id = self.review_bilan_id
        ok, _ = self._run(lambda: call(actor, bilan_id))
        self._close_form()
        if not self._refresh(actor):
            self.review_status = "missing"
            return None
        if ok:
            self.notice = self._t(done_key)
        return rx.set_focus("review-status-title")

    @rx.event
    def validate_assessment(self) -> Any:
        return self._decide(skills.validate, "skills.review.validated")

    @rx.event
    def reopen_assessment(self) -> Any:
        return self._decide(skills.reopen, "skills.review.reopened")


# ---------------------------------------------------------------- the skills map


class SkillsMapState(FormMixin, SessionState):
    """The cartographie: the beneficiary's (``/mon-espace/cartographie``) and the followers' page."""

    map_status: str = "loading"  # loading | missing | none | waiting | ready
    map_follower: bool = False
    map_bilan_id: str = ""
    map_beneficiary: str = ""
    map_validated: bool = False
    map_validated_on: str = ""
    domain_chart: list[ChartRow] = []
    domain_groups: list[GroupRow] = []
    category_chart: list[ChartRow] = []
    category_groups: list[GroupRow] = []
    matrix_rows: list[str] = []
    matrix_columns: list[str] = []
    matrix_cells: list[list[MatrixCellRow]] = []
    matrix_skills: list[list[list[str]]] = []
    zone_heads: list[ZoneRow] = []
    zone_skills: list[list[MapSkillRow]] = []
    map_skills: list[MapSkillRow] = []

    @rx.var
    def review_href(self) -> str:
        return routes.bilan_skills(self.map_bilan_id) if self.map_bilan_id else routes.CONSULTANT_HOME

    @rx.var
    def bilan_href(self) -> str:
        return routes.bilan_page(self.map_bilan_id) if self.map_bilan_id else routes.CONSULTANT_HOME

    def _clear(self) -> None:
        self.map_beneficiary = self.map_validated_on = ""
        self.map_validated = False
        self.domain_chart, self.domain_groups, self.category_chart, self.category_groups = [], [], [], []
        self.matrix_rows, self.matrix_columns, self.matrix_cells, self.matrix_skills = [], [], [], []
        self.zone_heads, self.zone_skills, self.map_skills = [], [], []

    def _show(self, skills_map: cartography.SkillsMap) -> None:
        locale = self.locale
        self.map_validated = skills_map.validated
        self.map_validated_on = validated_on(skills_map.validated_at, locale) if skills_map.validated else ""
        self.domain_chart = chart_rows(skills_map.by_domain, locale)
        self.domain_groups = group_rows(skills_map.by_domain, locale)
        self.category_chart = chart_rows(skills_map.by_category, locale)
        self.category_groups = group_rows(skills_map.by_category, locale)
        self.matrix_rows, self.matrix_columns, self.matrix_cells, self.matrix_skills = matrix_view(
            skills_map.matrix, locale
        )
        self.zone_heads, self.zone_skills = zone_view(skills_map.zones, locale)
        self.map_skills = map_skill_rows(skills_map.skills, locale)

    @rx.event
    def load(self) -> Any:
        self._reset_messages()
        self.map_status = "loading"
        self._clear()
        follower = routes.template_of(self.router.url.path) == routes.BILAN_SKILLS_MAP
        self.map_follower = follower
        actor, redirect = self._authorize(Permission.FOLLOW_BILANS if follower else Permission.VIEW_OWN_SPACE)
        if actor is None:
            return redirect
        locale = self.locale
        if follower:
            bilan_id = self._route_param("bilan_id")
            ok, detail = self._run(lambda: bilans.bilan_detail(actor, bilan_id))
            if not ok:
                self.map_status = "missing"
                return None
            self.map_beneficiary = detail.beneficiary_name
        else:
            overview = bilans.my_bilan(actor)
            if overview is None:
                self.map_status = "none"
                return None
            bilan_id = str(overview.bilan_id)
        self.map_bilan_id = bilan_id
        ok, skills_map = self._run(lambda: cartography.skills_map(actor, bilan_id, locale))
        if not ok:
            self.map_status = "missing"
            return None
        if skills_map is None:
            self.map_status = "waiting"
            return None
        self._show(skills_map)
        self.map_status = "ready"
        return None
