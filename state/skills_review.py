"""The consultant's validation of the skills self-assessment, and the skills map (cartographie).

* ``SkillsReviewState``: ``/bilans/[bilan_id]/competences``, a follower (assigned consultant or org
  admin) reads the parcours, compares the self-rating with their own, adjusts one criterion with a
  comment, validates and reopens; the history of every change.
* ``SkillsMapState``: one state for two routes, ``/mon-espace/cartographie`` (the beneficiary, once
  validated) and ``/bilans/[bilan_id]/cartographie`` (followers, marked as a draft until validated).

The row builders at the top are plain functions (tested without a server); the states only call
services and keep view data: display strings in flat dicts, nested data in parallel lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from services import bilans, routes
from services.access import Actor, Permission
from services.i18n import format_datetime, format_number, translate
from services.models import AssessmentStatus
from services.skills import assessment as skills
from services.skills import cartography
from services.skills.scales import CRITERIA, criterion_key, value_key
from state.session import FormMixin, SessionState, guarded

DATE_FORMAT = "d MMMM y"
HISTORY_DATE_FORMAT = "d MMM y HH:mm"


# ---------------------------------------------------------------- view builders (no reflex needed)


def _date(value: datetime | None, locale: str) -> str:
    return format_datetime(value, locale, DATE_FORMAT) if value is not None else ""


def value_label(criterion: str, value: str, locale: str) -> str:
    """The label of one value of a criterion's scale ("" reads "—")."""
    return translate(value_key(criterion, value or ""), locale)


def month_label(month: str, locale: str) -> str:
    """``"2015-03"`` → ``"mars 2015"`` ("" stays "")."""
    try:
        year, number = (int(part) for part in month.split("-"))
        value = datetime(year, number, 15, 12, tzinfo=UTC)
    except ValueError:
        return month
    return format_datetime(value, locale, "MMMM y")


def period_label(start: str, end: str, locale: str) -> str:
    if not start:
        return ""
    if not end:
        return translate("skills.period.current", locale, start=month_label(start, locale))
    return translate("skills.period.range", locale, start=month_label(start, locale), end=month_label(end, locale))


def status_info(view: skills.AssessmentView, locale: str) -> dict[str, str]:
    """The assessment's status, its label and its dates, as display strings."""
    status = view.status.value
    return {
        "status": status,
        "label": translate(f"skills.status.{status}", locale),
        "submitted": (
            translate("skills.review.submitted_on", locale, date=_date(view.submitted_at, locale))
            if view.submitted_at is not None
            else ""
        ),
        "validated": (
            translate("skills.review.validated_on", locale, date=_date(view.validated_at, locale))
            if view.validated_at is not None and view.status is AssessmentStatus.VALIDATED
            else ""
        ),
    }


def is_started(view: skills.AssessmentView) -> bool:
    """The beneficiary wrote something: a line of parcours, a skill, or sent it."""
    return bool(view.experiences or view.skills or view.status is not AssessmentStatus.DRAFT)


def experience_rows(experiences: Iterable[skills.ExperienceView], locale: str) -> list[dict[str, str]]:
    return [
        {
            "id": experience.id,
            "kind": translate(f"skills.experience.{experience.kind}", locale),
            "title": experience.title,
            "metier": experience.metier,
            "period": period_label(experience.start, experience.end, locale),
            "place": experience.place,
            "description": experience.description,
        }
        for experience in experiences
    ]


def skill_rows(
    selected: Iterable[skills.SkillView], locale: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]]]:
    """The chosen skills (one dict each) and, at the same index, the five criteria side by side.

    A criterion row holds the self-rating, the consultant's value ("—" where they kept the
    self-rating) and ``adjusted`` ("1" when the consultant's value is the effective one).
    """
    heads, ratings = [], []
    for skill in selected:
        complete = all(skill.effective.values())
        adjusted = [criterion for criterion in CRITERIA if skill.consultant_rating.get(criterion)]
        heads.append(
            {
                "id": skill.id,
                "libelle": skill.libelle,
                "kind": translate(f"skills.kind.{skill.kind}", locale),
                "domaine": skill.domaine,
                "core": "1" if skill.core else "",
                "complete": "1" if complete else "",
                "adjusted": str(len(adjusted)),
            }
        )
        ratings.append(
            [
                {
                    "criterion": criterion,
                    "label": translate(criterion_key(criterion), locale),
                    "self": value_label(criterion, skill.self_rating.get(criterion, ""), locale),
                    "consultant": value_label(criterion, skill.consultant_rating.get(criterion, ""), locale),
                    "adjusted": "1" if criterion in adjusted else "",
                }
                for criterion in CRITERIA
            ]
        )
    return heads, ratings


def criterion_options(locale: str) -> list[dict[str, str]]:
    return [{"value": criterion, "label": translate(criterion_key(criterion), locale)} for criterion in CRITERIA]


def value_options(criterion: str, locale: str) -> list[dict[str, str]]:
    """The consultant's choices for one criterion: "" (back to the self-rating), then the scale."""
    scale = CRITERIA.get(criterion)
    options = [{"value": "", "label": translate("skills.review.keep_self", locale)}]
    if scale is not None:
        options += [{"value": member.value, "label": value_label(criterion, member.value, locale)} for member in scale]
    return options


def consultant_values(selected: Iterable[skills.SkillView]) -> dict[str, dict[str, str]]:
    """skill id → criterion → the consultant's value ("" where they kept the self-rating)."""
    return {
        skill.id: {criterion: skill.consultant_rating.get(criterion, "") for criterion in CRITERIA}
        for skill in selected
    }


def history_change(row: skills.HistoryRow, locale: str) -> str:
    """``"Niveau de maîtrise : Avancé → Expert"``, or the name of a status change."""
    if row.event == "rating":
        return translate(
            "skills.history.rating",
            locale,
            criterion=translate(criterion_key(row.criterion), locale),
            before=value_label(row.criterion, row.before, locale),
            after=value_label(row.criterion, row.after, locale),
        )
    return translate(f"skills.history.{row.event}", locale)


def history_rows(rows: Iterable[skills.HistoryRow], locale: str) -> list[dict[str, str]]:
    return [
        {
            "date": format_datetime(row.at, locale, HISTORY_DATE_FORMAT),
            "author": row.author,
            "role": translate(f"skills.history.by_{'consultant' if row.by_consultant else 'beneficiary'}", locale),
            "skill": row.skill or "—",
            "change": history_change(row, locale),
            "comment": row.comment,
        }
        for row in rows
    ]


def _average(value: float, locale: str) -> str:
    return format_number(round(value, 1), locale)


def chart_rows(stats: Iterable[cartography.GroupStat], locale: str) -> list[dict[str, str]]:
    """Bars of components/charts.py: one per group, its length the number of skills."""
    stats = list(stats)
    top = max((stat.count for stat in stats), default=1)
    return [
        {
            "label": stat.label,
            "value": str(stat.count),
            "min": "0",
            "max": str(max(top, 1)),
            "display": translate(
                "skills.map.count_value", locale, count=stat.count, average=_average(stat.average_level, locale)
            ),
        }
        for stat in stats
    ]


def group_rows(stats: Iterable[cartography.GroupStat], locale: str) -> list[dict[str, str]]:
    """The same figures as the chart, for its table alternative."""
    return [
        {
            "label": stat.label,
            "count": str(stat.count),
            "average": translate("skills.map.average_value", locale, average=_average(stat.average_level, locale)),
            "strong": str(stat.strong),
        }
        for stat in stats
    ]


def zone_label(zone: str, locale: str) -> str:
    return translate(f"skills.map.zone.{zone}", locale)


def matrix_view(
    matrix: list[list[cartography.MatrixCell]], locale: str
) -> tuple[list[str], list[str], list[list[dict[str, str]]], list[list[list[str]]]]:
    """The maîtrise × appétence table: row headers, column headers, cells, and each cell's skills."""
    rows = [value_label("maitrise", row[0].maitrise, locale) for row in matrix if row]
    columns = [value_label("appetence", cell.appetence, locale) for cell in matrix[0]] if matrix else []
    cells = [
        [
            {
                "zone": cell.zone,
                "zone_label": zone_label(cell.zone, locale),
                "count": str(len(cell.skills)),
                "column": value_label("appetence", cell.appetence, locale),
            }
            for cell in row
        ]
        for row in matrix
    ]
    names = [[list(cell.skills) for cell in row] for row in matrix]
    return rows, columns, cells, names


def _map_skill_row(skill: cartography.MapSkill, locale: str) -> dict[str, str]:
    return {
        "libelle": skill.libelle,
        "domain": skill.group_domain,
        "category": skill.group_category,
        **{criterion: getattr(skill, criterion) for criterion in CRITERIA},
        "zone": skill.zone,
        "zone_label": zone_label(skill.zone, locale),
        "core": "1" if skill.core else "",
    }


def zone_view(
    zones: dict[str, list[cartography.MapSkill]], locale: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]]]:
    """The three zones in order (valoriser, développer, mettre de côté) and, at the same index, their skills."""
    heads, members = [], []
    for zone in cartography.ZONES:
        skills_in_zone = zones.get(zone, [])
        label = zone_label(zone, locale)
        heads.append(
            {
                "zone": zone,
                "label": label,
                "title": translate("skills.map.zone_count", locale, zone=label, count=len(skills_in_zone)),
                "count": str(len(skills_in_zone)),
            }
        )
        members.append([_map_skill_row(skill, locale) for skill in skills_in_zone])
    return heads, members


def map_skill_rows(skills_list: Iterable[cartography.MapSkill], locale: str) -> list[dict[str, str]]:
    return [_map_skill_row(skill, locale) for skill in skills_list]


# ---------------------------------------------------------------- the consultant's validation


class SkillsReviewState(FormMixin, SessionState):
    """``/bilans/[bilan_id]/competences``: the follower's comparison, adjustments and validation."""

    review_status: str = "loading"  # loading | missing | empty | ready
    review_bilan_id: str = ""
    review_beneficiary: str = ""
    review_info: dict[str, str] = {}
    can_adjust: bool = False
    can_validate: bool = False
    can_reopen: bool = False
    review_experiences: list[dict[str, str]] = []
    review_skills: list[dict[str, str]] = []
    review_ratings: list[list[dict[str, str]]] = []
    review_history: list[dict[str, str]] = []
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
    def criterion_choices(self) -> list[dict[str, str]]:
        return criterion_options(self.locale)

    @rx.var
    def value_choices(self) -> list[dict[str, str]]:
        return value_options(self.adjust_criterion, self.locale)

    def _clear(self) -> None:
        self.review_beneficiary = ""
        self.review_info = {}
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
        self.review_info = status_info(view, locale)
        self.can_adjust = started and view.editable
        self.can_validate = started and active and view.status is not AssessmentStatus.VALIDATED
        self.can_reopen = active and view.status is AssessmentStatus.VALIDATED
        self.review_experiences = experience_rows(view.experiences, locale)
        self.review_skills, self.review_ratings = skill_rows(view.selected, locale)
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
    domain_chart: list[dict[str, str]] = []
    domain_groups: list[dict[str, str]] = []
    category_chart: list[dict[str, str]] = []
    category_groups: list[dict[str, str]] = []
    matrix_rows: list[str] = []
    matrix_columns: list[str] = []
    matrix_cells: list[list[dict[str, str]]] = []
    matrix_skills: list[list[list[str]]] = []
    zone_heads: list[dict[str, str]] = []
    zone_skills: list[list[dict[str, str]]] = []
    map_skills: list[dict[str, str]] = []

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
        self.map_validated_on = (
            translate("skills.review.validated_on", locale, date=_date(skills_map.validated_at, locale))
            if skills_map.validated and skills_map.validated_at is not None
            else ""
        )
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
