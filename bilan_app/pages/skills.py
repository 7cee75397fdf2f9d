"""The beneficiary's skills self-assessment wizard (``/mon-espace/competences``): four steps, autosaved.

Native controls only (select, checkbox, buttons), so the whole wizard works with the keyboard; the step
heading takes the focus when the step changes, and saves are announced in a polite live region.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from components.actions import item_button
from components.forms import bound_field, bound_select, field_box, form_messages, options, select_control
from components.i18n import t, tf
from components.layout import loading, page_title, screen
from components.listing import list_or_empty
from components.page import section
from components.status import tone_badge
from components.tables import data_table
from services import routes
from services.models import ExperienceKind
from services.skills.scales import CRITERIA, criterion_key, value_key
from state.skills import STEPS, SkillsWizardState

S = SkillsWizardState
LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.5rem 0 0", "display": "grid", "gap": "0.5rem"}


def _step(title_key: str, help_key: str, *children: rx.Component) -> rx.Component:
    """One step of the wizard, as a card: its title, what to do, then the step's content; the heading takes
    the focus when the step changes."""
    return section("wizard-step-heading", t(title_key), rx.text(t(help_key)), *children, focusable_heading=True)


def _progress() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(tf("skills.step_of", number=S.step_number.to(str)), weight="bold"),
            rx.text(tf("skills.progress", percent=S.progress.to(str))),
            justify="between",
            wrap="wrap",
            gap="0.5rem",
        ),
        rx.el.div(
            rx.el.div(class_name="wizard-progress-bar", style={"width": S.progress.to(str) + "%"}),
            role="progressbar",
            aria_valuemin=0,
            aria_valuemax=100,
            aria_valuenow=S.progress,
            aria_label=tf("skills.progress", percent=S.progress.to(str)),
            class_name="wizard-progress",
        ),
        margin_bottom="1rem",
    )


def _step_link(step: str, number: int) -> rx.Component:
    current = S.step == step
    return rx.el.li(
        rx.el.button(
            f"{number}. ",
            t(f"skills.step.{step}"),
            type="button",
            on_click=S.go_to(step),
            aria_current=rx.cond(current, "step", "false"),
            class_name=rx.cond(current, "wizard-step wizard-step-current", "wizard-step"),
        )
    )


def _steps_nav() -> rx.Component:
    return rx.el.nav(
        rx.el.ol(*[_step_link(step, index + 1) for index, step in enumerate(STEPS)], class_name="wizard-steps"),
        aria_label=t("skills.steps_label"),
    )


# ---------------------------------------------------------------- 1. parcours


def _experience_item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(row["title"]),
        rx.text(
            row["kind_label"],
            rx.cond(row["period"] != "", rx.fragment(" · ", row["period"])),
            rx.cond(row["place"] != "", rx.fragment(" · ", row["place"])),
            size="2",
        ),
        rx.cond(row["metier"] != "", rx.text(t("skills.field.metier"), " : ", row["metier"], size="2")),
        rx.cond(
            S.editable,
            rx.flex(
                item_button(
                    "skills.parcours.edit", row["title"], S.edit_experience(row["id"]), variant="soft", size="1"
                ),
                item_button(
                    "skills.parcours.remove",
                    row["title"],
                    S.remove_experience(row["id"]),
                    variant="soft",
                    color_scheme="red",
                    size="1",
                ),
                gap="0.5rem",
                margin_top="0.4rem",
            ),
        ),
        class_name="panel",
    )


def _error(name: str) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors[name], id=f"exp-{name}-error", class_name="field-error", role="alert"),
    )


def _input(name: str, label_key: str, *, type: str = "text", required: bool = False) -> rx.Component:
    return bound_field(
        "exp", name, label_key, S.experience_form, S.errors, S.set_experience_field, type=type, required=required
    )


def _job_hit(hit: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            rx.el.strong(hit["label"]),
            rx.cond(hit["label"] != hit["metier"], rx.fragment(" — ", hit["metier"])),
            type="button",
            on_click=S.choose_job(hit),
            class_name="search-hit",
        )
    )


def _search_box(base_id: str, label_key: str, query: rx.Var, on_search: Any, help_key: str = "") -> rx.Component:
    """A labelled search box (``{base_id}-search``) that searches as she types; it controls the list of hits
    (``{base_id}-results``, see :func:`_search_hits`)."""
    input_id = f"{base_id}-search"
    described: dict[str, str] = {"aria_describedby": f"{input_id}-help"} if help_key else {}
    return rx.fragment(
        rx.el.label(t(label_key), html_for=input_id, class_name="field-label"),
        rx.debounce_input(
            rx.el.input(
                id=input_id,
                type="search",
                value=query,
                on_change=on_search,
                auto_complete="off",
                aria_controls=f"{base_id}-results",
                class_name="field-input",
                **described,
            ),
            debounce_timeout=250,
        ),
        rx.text(t(help_key), id=f"{input_id}-help", class_name="field-help") if help_key else rx.fragment(),
    )


def _search_hits(
    base_id: str, hits: rx.Var, render: Callable[[rx.Var], rx.Component], searched: rx.Var, **props: Any
) -> rx.Component:
    """The hits of :func:`_search_box`, announced as they change; "none found" once a search has run."""
    return rx.el.div(
        list_or_empty(
            hits, render, rx.cond(searched, rx.text(t("skills.search.none"), size="2")), style=LIST_STYLE, **props
        ),
        id=f"{base_id}-results",
        aria_live="polite",
    )


def _job_search() -> rx.Component:
    return rx.box(
        _search_box(
            "exp-job", "skills.field.job_search", S.job_query, S.search_jobs, help_key="skills.field.job_search_help"
        ),
        _search_hits("exp-job", S.job_results, _job_hit, S.job_searched, aria_label=t("skills.search.results")),
        rx.cond(
            S.experience_form["metier"] != "",
            rx.flex(
                rx.text(
                    tf("skills.search.chosen", libelle=S.experience_form["metier"]), weight="bold", id="exp-job-chosen"
                ),
                rx.button(t("skills.search.clear"), type="button", variant="soft", size="1", on_click=S.clear_job),
                gap="0.5rem",
                align="center",
                wrap="wrap",
                margin_top="0.4rem",
            ),
        ),
        _error("appellation_code"),
        class_name="field",
    )


def _experience_form() -> rx.Component:
    kinds = [kind.value for kind in ExperienceKind]
    return rx.el.form(
        rx.heading(
            rx.cond(S.editing_id != "", t("skills.parcours.edit_title"), t("skills.parcours.form_title")),
            as_="h3",
            size="4",
            margin_bottom="0.5rem",
        ),
        bound_select(
            "exp",
            "kind",
            t("skills.field.kind"),
            S.experience_form,
            S.errors,
            S.set_experience_field,
            *options([(kind, f"skills.experience.{kind}") for kind in kinds]),
        ),
        _job_search(),
        _input("title", "skills.field.title", required=True),
        _input("place", "skills.field.place"),
        rx.box(
            _input("start", "skills.field.start", type="month"),
            _input("end", "skills.field.end", type="month"),
            class_name="fields-grid",
        ),
        bound_field(
            "exp",
            "description",
            "skills.field.description",
            S.experience_form,
            S.errors,
            S.set_experience_field,
            multiline=True,
        ),
        rx.flex(
            rx.button(
                rx.cond(S.editing_id != "", t("skills.parcours.save"), t("skills.parcours.add")),
                type="submit",
                size="3",
            ),
            rx.cond(
                S.editing_id != "",
                rx.button(t("skills.parcours.cancel"), type="button", variant="soft", size="3", on_click=S.cancel_edit),
            ),
            gap="0.75rem",
            wrap="wrap",
        ),
        on_submit=S.save_experience,
        class_name="panel stack",
        margin_top="1rem",
    )


def _parcours() -> rx.Component:
    return _step(
        "skills.parcours.title",
        "skills.parcours.help",
        list_or_empty(
            S.experiences, _experience_item, rx.text(t("skills.parcours.empty"), margin_top="0.5rem"), style=LIST_STYLE
        ),
        rx.cond(S.editable, _experience_form()),
    )


# ---------------------------------------------------------------- 2. skills


def _proposal(item: rx.Var, code_rome: rx.Var, core: bool) -> rx.Component:
    checked = item["checked"]
    box_id = "skill-" + code_rome.to(str) + "-" + item["code_ogr"].to(str)
    return rx.el.li(
        rx.el.input(
            type="checkbox",
            id=box_id,
            checked=checked,
            on_change=lambda _: S.toggle_skill(item["code_ogr"], code_rome, ~checked),
            class_name="skill-checkbox",
        ),
        rx.el.label(
            item["libelle"],
            " ",
            rx.el.span("(", item["kind_label"], ")", class_name="muted"),
            *([tone_badge(t("skills.competences.core"), "success", "star", margin_left="0.4rem")] if core else []),
            html_for=box_id,
        ),
        class_name="skill-choice",
    )


def _group(group: rx.Var, index: rx.Var) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.el.strong(group["libelle"]), class_name="group-legend"),
        rx.text(group["from"], size="2"),
        rx.el.ul(
            rx.foreach(S.group_core[index], lambda item: _proposal(item, group["code_rome"], True)), style=LIST_STYLE
        ),
        rx.cond(
            group["has_more"],
            rx.el.details(
                rx.el.summary(group["more"]),
                rx.el.ul(
                    rx.foreach(S.group_more[index], lambda item: _proposal(item, group["code_rome"], False)),
                    style=LIST_STYLE,
                ),
                margin_top="0.5rem",
            ),
        ),
        class_name="panel",
    )


def _skill_hit(hit: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(hit["libelle"], " ", rx.el.span("(", hit["kind_label"], ")", class_name="muted"), as_="span"),
        item_button("skills.competences.add", hit["libelle"], S.add_skill(hit["code_ogr"]), size="1"),
        class_name="skill-row",
    )


def _chosen_item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(
            row["libelle"],
            " ",
            rx.el.span("(", row["kind_label"], ")", class_name="muted"),
            rx.cond(row["added"], tone_badge(t("skills.competences.added"), "info", "plus", margin_left="0.4rem")),
            as_="span",
        ),
        item_button(
            "skills.competences.remove",
            row["libelle"],
            S.remove_skill(row["id"]),
            variant="soft",
            color_scheme="red",
            size="1",
        ),
        class_name="skill-row",
    )


def _competences() -> rx.Component:
    return _step(
        "skills.competences.title",
        "skills.competences.help",
        list_or_empty(
            S.groups,
            _group,
            rx.callout(t("skills.competences.none"), color_scheme="blue", margin_top="0.75rem"),
            tag=rx.box,
            display="grid",
            gap="1rem",
            margin_top="0.75rem",
        ),
        rx.box(
            rx.heading(t("skills.competences.add_title"), as_="h3", size="4"),
            _search_box("skill", "skills.competences.search", S.skill_query, S.search_skill),
            _search_hits("skill", S.skill_results, _skill_hit, S.skill_searched),
            class_name="panel",
            margin_top="1rem",
        ),
        rx.box(
            rx.heading(tf("skills.competences.chosen_title", count=S.chosen.length().to(str)), as_="h3", size="4"),
            rx.el.ul(rx.foreach(S.chosen, _chosen_item), style=LIST_STYLE),
            margin_top="1rem",
        ),
    )


# ---------------------------------------------------------------- 3. rating


def _rating_select(row: rx.Var, criterion: str) -> rx.Component:
    select_id = "rate-" + row["id"].to(str) + "-" + criterion
    return field_box(
        select_id,
        t(criterion_key(criterion)),
        select_control(
            rx.el.option("—", value=""),
            *options([(member.value, value_key(criterion, member.value)) for member in CRITERIA[criterion]]),
            id=select_id,
            value=row[criterion],
            on_change=lambda value: S.rate(row["id"], criterion, value),
        ),
    )


def _rating_card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.fieldset(
            rx.el.legend(
                rx.el.strong(row["libelle"]),
                " ",
                rx.el.span("(", row["kind_label"], ")", class_name="muted"),
                class_name="group-legend",
            ),
            rx.cond(
                row["rated"],
                tone_badge(t("skills.evaluation.complete"), "success"),
                tone_badge(t("skills.evaluation.incomplete"), "warning"),
            ),
            rx.box(
                *[_rating_select(row, criterion) for criterion in CRITERIA],
                class_name="fields-grid",
                margin_top="0.5rem",
            ),
            class_name="panel",
        )
    )


def _evaluation() -> rx.Component:
    return _step(
        "skills.evaluation.title",
        "skills.evaluation.help",
        rx.cond(
            S.chosen.length() > 0,
            rx.fragment(
                rx.text(
                    tf("skills.evaluation.count", rated=S.rated_count.to(str), total=S.chosen.length().to(str)),
                    weight="bold",
                    margin_top="0.5rem",
                ),
                rx.el.ul(rx.foreach(S.chosen, _rating_card), style=LIST_STYLE),
            ),
            rx.callout(t("skills.evaluation.none"), color_scheme="blue", margin_top="0.75rem"),
        ),
    )


# ---------------------------------------------------------------- 4. review


def _review_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["libelle"], scope="row"),
        *[rx.el.td(row[f"{criterion}_label"]) for criterion in CRITERIA],
    )


def _review() -> rx.Component:
    return _step(
        "skills.revue.title",
        "skills.revue.help",
        rx.heading(t("skills.parcours.title"), as_="h3", size="4", margin_top="1rem"),
        rx.el.ul(
            rx.foreach(
                S.experiences,
                lambda row: rx.el.li(rx.el.strong(row["title"]), " — ", row["kind_label"], " ", row["period"]),
            ),
        ),
        rx.heading(tf("skills.competences.chosen_title", count=S.chosen.length().to(str)), as_="h3", size="4"),
        # A grid to compare: it keeps its columns on a phone and scrolls sideways.
        data_table(
            "skills.revue.title",
            ["skills.table.skill", *[criterion_key(criterion) for criterion in CRITERIA]],
            S.chosen,
            _review_row,
            stack=False,
        ),
        rx.cond(
            S.unrated_count > 0,
            rx.callout(
                tf("skills.revue.missing", count=S.unrated_count.to(str)), color_scheme="orange", margin_top="1rem"
            ),
        ),
        rx.cond(
            S.submitted_on != "",
            rx.text(tf("skills.revue.submitted_on", date=S.submitted_on), margin_top="1rem"),
        ),
        rx.cond(
            S.editable,
            rx.button(
                t("skills.revue.submit"), type="button", size="3", on_click=S.submit_assessment, margin_top="1rem"
            ),
        ),
    )


# ---------------------------------------------------------------- the page


def _bottom_nav() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.step_number > 1,
            rx.button(t("skills.previous"), type="button", variant="soft", size="3", on_click=S.previous_step),
        ),
        rx.cond(S.step_number < len(STEPS), rx.button(t("skills.next"), type="button", size="3", on_click=S.next_step)),
        justify="between",
        gap="1rem",
        margin_top="1.5rem",
    )


def _ready() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.assessment_status == "validated",
            rx.box(
                rx.text(tf("skills.locked_notice", date=S.validated_on)),
                rx.link(t("skills.review.map"), href=routes.SKILLS_MAP, weight="bold"),
                role="status",
                class_name="panel notice-success",
            ),
        ),
        _progress(),
        rx.cond(S.editable, _steps_nav()),
        form_messages(S.form_error, S.notice),
        rx.el.p(S.saved_message, role="status", aria_live="polite", class_name="save-status"),
        rx.cond(
            S.editable,
            rx.match(
                S.step,
                ("parcours", _parcours()),
                ("competences", _competences()),
                ("evaluation", _evaluation()),
                _review(),
            ),
            _review(),
        ),
        rx.cond(S.editable, _bottom_nav()),
    )


def _wizard() -> rx.Component:
    return rx.box(
        page_title("skills.title"),
        rx.text(t("skills.intro"), margin_bottom="1rem"),
        rx.match(
            S.wizard_status,
            ("none", rx.callout(t("skills.no_bilan"), color_scheme="blue")),
            ("ready", _ready()),
            loading(),
        ),
        rx.link(t("skills.back"), href=routes.BENEFICIARY_HOME, display="block", margin_top="1.5em"),
    )


screen(routes.SKILLS, on_load=S.load)(_wizard)
