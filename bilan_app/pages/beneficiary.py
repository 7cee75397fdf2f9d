"""The beneficiary's journey: public organisation page, registration, request, questionnaire, "Mon espace"."""

from __future__ import annotations

import reflex as rx

from components.account_fields import new_account_fields
from components.ai_consent import ai_consent_card
from components.forms import choice, form_messages, submit
from components.i18n import label, t, tf
from components.layout import loading, page_title, screen
from components.listing import PLAIN_LIST_STYLE, list_or_empty
from components.notes_agreement import notes_agreement_card
from components.page import definition, definition_list, page_header, section
from components.status import tone_badge
from components.tables import data_table
from components.visio import room_frame, session_links
from services import routes
from services.forms import NAME_MAX, QUESTIONNAIRE_MAX_CHARS, QUESTIONNAIRE_REQUIRED, QUESTIONNAIRE_TEXT_FIELDS
from services.models import DeliveryMode, FundingType, Phase
from state.beneficiary import (
    BeneficiarySpaceState,
    BilanRequestState,
    PublicOrganisationState,
    QuestionnaireState,
    RegisterState,
)
from state.session import SessionState

PHASES = tuple(phase.value for phase in Phase)  # the legal phases in order, and the follow-up


def _route_slug() -> rx.Var:
    """The ``[slug]`` of the current URL (Reflex's dynamic route var, fresh as soon as the page hydrates)."""
    return rx.State.slug.lower()  # type: ignore[attr-defined]


def _cta(text_key: str, href: rx.Var | str) -> rx.Component:
    return rx.link(rx.button(t(text_key), size="3", tab_index=-1), href=href, class_name="button-link")


def _not_found() -> rx.Component:
    return rx.box(
        page_title("public.not_found_title"),
        rx.text(t("public.not_found_body")),
        class_name="panel",
        role="alert",
    )


def _phases_list() -> rx.Component:
    return rx.el.ol(
        *[
            rx.el.li(rx.el.strong(t(f"public.phase_{phase}_title")), " : ", t(f"public.phase_{phase}"))
            for phase in PHASES
        ],
        class_name="steps",
    )


def _or_not_provided(value: rx.Var, present: rx.Component | rx.Var | None = None) -> rx.Component:
    return rx.cond(value != "", present if present is not None else value, t("public.not_provided"))


# ---------------------------------------------------------------- public organisation page


def _number(org: rx.Var, key: str) -> rx.Var:
    """A number of the public view in the current locale (both are loaded, so the switch is immediate)."""
    return rx.cond(SessionState.locale == "en", org[f"{key}_en"], org[f"{key}_fr"]).to(str)


def _public_content() -> rx.Component:
    org = PublicOrganisationState.org
    cta = rx.box(
        _cta("public.cta", PublicOrganisationState.cta_route),
        rx.text(t("public.cta_help"), class_name="muted", size="2", margin_top="0.5em"),
        margin_y="1em",
    )
    return rx.box(
        rx.text(t("public.kicker"), class_name="muted", weight="medium"),
        rx.heading(org["name"], as_="h1", size="7", margin_bottom="0.5em"),
        rx.text(t("public.lead"), size="4", class_name="lead"),
        rx.cond(org["description"] != "", rx.text(org["description"], class_name="prose", margin_top="1em")),
        cta,
        section("public-what", t("public.what_title"), rx.text(t("public.what_body"))),
        section("public-phases", t("public.phases_title"), _phases_list()),
        section(
            "public-facts",
            t("public.facts_title"),
            definition_list(
                definition(
                    "public.duration_label",
                    tf("public.duration_value", hours=_number(org, "hours")),
                    rx.cond(
                        org["min_hours_fr"] != "",
                        rx.el.span(" ", tf("public.duration_min_value", min=_number(org, "min_hours"))),
                    ),
                ),
                definition("public.delay_label", tf("public.delay_value", days=org["delay_days"].to(str))),
                definition("public.price_label", tf("public.price_value", price=_number(org, "price"))),
                definition("public.funding_label", t("public.funding_value")),
                definition(
                    "public.modes_label",
                    rx.cond(
                        PublicOrganisationState.org_modes.length() > 0,
                        rx.el.ul(
                            rx.foreach(PublicOrganisationState.org_modes, lambda mode: rx.el.li(label("mode.", mode))),
                            style=PLAIN_LIST_STYLE,
                        ),
                        t("public.modes_none"),
                    ),
                ),
            ),
        ),
        section(
            "public-disability",
            t("public.disability_title"),
            rx.text(t("public.disability_body")),
            rx.cond(
                org["disability_contact"] != "",
                definition_list(definition("public.disability_contact", org["disability_contact"])),
            ),
        ),
        section(
            "public-contact",
            t("public.contact_title"),
            definition_list(
                definition(
                    "public.contact_email",
                    _or_not_provided(org["email"], rx.link(org["email"], href="mailto:" + org["email"].to(str))),
                ),
                definition(
                    "public.contact_phone",
                    _or_not_provided(org["phone"], rx.link(org["phone"], href="tel:" + org["phone"].to(str))),
                ),
                definition("public.address", _or_not_provided(org["address"])),
                definition("public.siret", org["siret"]),
                definition(
                    "public.nda",
                    _or_not_provided(
                        org["nda"],
                        rx.el.span(org["nda"], rx.el.br(), rx.el.small(t("public.nda_note"), class_name="muted")),
                    ),
                ),
            ),
        ),
        cta,
    )


@screen(routes.PUBLIC_ORGANISATION, on_load=PublicOrganisationState.load)
def public_organisation() -> rx.Component:
    # Until the load event answers, the tab still holds its previous visit: show it only for the same slug.
    return rx.match(
        PublicOrganisationState.org_status,
        ("found", rx.cond(PublicOrganisationState.org["slug"] == _route_slug(), _public_content(), loading())),
        ("unknown", _not_found()),
        loading(),
    )


# ---------------------------------------------------------------- registration


def _register_form() -> rx.Component:
    errors = RegisterState.errors
    return rx.box(
        page_title("public.register_title"),
        rx.text(tf("public.register_lead", organisation=RegisterState.register_org_name)),
        rx.text(t("common.required_hint"), size="2", class_name="muted"),
        form_messages(RegisterState.form_error, RegisterState.notice),
        rx.form(
            rx.el.fieldset(
                rx.el.legend(t("public.register_account")),
                new_account_fields(errors, email_key="public.register_email", name_max=NAME_MAX),
            ),
            rx.text(
                t("public.register_privacy"),
                " ",
                rx.link(t("footer.privacy"), href=routes.PRIVACY, underline="always"),
                size="2",
            ),
            submit("public.register_submit"),
            on_submit=RegisterState.submit,
            reset_on_submit=False,
            class_name="stack",
            aria_label=t("public.register_title"),
        ),
        rx.flex(
            rx.text(
                t("public.register_have_account"),
                " ",
                rx.link(t("home.login"), href=routes.LOGIN, underline="always"),
            ),
            rx.link(t("public.back"), href=RegisterState.register_back_route),
            direction="column",
            spacing="2",
            margin_top="1em",
        ),
        class_name="panel auth-card",
    )


@screen(routes.PUBLIC_REGISTER, on_load=RegisterState.load)
def public_register() -> rx.Component:
    return rx.match(
        RegisterState.register_status,
        ("found", rx.cond(RegisterState.register_slug == _route_slug(), _register_form(), loading())),
        ("unknown", _not_found()),
        loading(),
    )


# ---------------------------------------------------------------- the request


def _group_error(name: str, errors: rx.Var) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", class_name="field-error", role="alert"),
    )


def _choice(name: str, value: rx.Var | str, *text: rx.Component | rx.Var, checked: bool = False) -> rx.Component:
    """A radio button inside its own label (the whole line is clickable)."""
    return choice("radio", *text, name=name, value=value, default_checked=checked)


def _radio_group(
    name: str,
    legend_key: str,
    options: list[tuple[str, str]],
    errors: rx.Var,
    *,
    default: str = "",
    help_key: str | None = None,
) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t(legend_key)),
        *([rx.text(t(help_key), class_name="field-help")] if help_key else []),
        _group_error(name, errors),
        rx.box(*[_choice(name, value, t(key), checked=value == default) for value, key in options]),
        aria_describedby=rx.cond(errors.contains(name), f"{name}-error", ""),
    )


def _consultant_group() -> rx.Component:
    errors = BilanRequestState.errors
    name = "requested_consultant_id"
    return rx.el.fieldset(
        rx.el.legend(t("request.consultant_legend")),
        rx.text(t("request.consultant_help"), class_name="field-help"),
        _group_error(name, errors),
        rx.box(
            _choice(name, "", t("request.consultant_any"), checked=True),
            rx.foreach(
                BilanRequestState.consultants,
                lambda card: _choice(
                    name,
                    card["id"],
                    rx.el.strong(card["name"]),
                    " — ",
                    tf("request.consultant_load", count=card["load"].to(str)),
                    rx.cond(card["profile"] != "", rx.el.span(rx.el.br(), card["profile"], class_name="field-help")),
                ),
            ),
        ),
        aria_describedby=rx.cond(errors.contains(name), f"{name}-error", ""),
    )


def _request() -> rx.Component:
    errors = BilanRequestState.errors
    form = rx.form(
        _radio_group("mode", "request.mode_legend", [(m.value, f"mode.{m.value}") for m in DeliveryMode], errors),
        _radio_group(
            "funding_type",
            "request.funding_legend",
            [(f.value, f"funding.{f.value}") for f in FundingType],
            errors,
            default=FundingType.CPF.value,
            help_key="request.funding_help",
        ),
        _consultant_group(),
        submit("request.submit"),
        on_submit=BilanRequestState.submit,
        reset_on_submit=False,
        class_name="stack",
        aria_label=t("request.title"),
    )
    return rx.box(
        page_title("request.title"),
        rx.text(t("request.lead"), class_name="lead"),
        form_messages(BilanRequestState.form_error, BilanRequestState.notice),
        rx.cond(
            BilanRequestState.request_open,
            rx.box(
                rx.callout(t("request.already_open"), color_scheme="blue", role="status"),
                rx.link(t("request.go_space"), href=routes.BENEFICIARY_HOME, display="block", margin_top="1em"),
            ),
            rx.box(form, class_name="panel", margin_top="1em"),
        ),
    )


screen(routes.BILAN_REQUEST, on_load=BilanRequestState.load)(_request)


# ---------------------------------------------------------------- the questionnaire


def _answer_field(name: str) -> rx.Component:
    required = name in QUESTIONNAIRE_REQUIRED
    input_id = f"field-{name}"
    error_id = f"{input_id}-error"
    help_id = f"{input_id}-help"
    errors = QuestionnaireState.errors
    has_error = errors.contains(name)
    label_children: list[rx.Component | rx.Var] = [t(f"questionnaire.{name}")]
    if required:
        label_children.append(rx.el.span(" *", aria_hidden="true"))
    return rx.box(
        rx.el.label(*label_children, html_for=input_id, class_name="field-label"),
        rx.text(t(f"questionnaire.{name}_help"), id=help_id, class_name="field-help"),
        rx.el.textarea(
            id=input_id,
            name=name,
            rows=4,
            max_length=QUESTIONNAIRE_MAX_CHARS,
            default_value=QuestionnaireState.answers[name],
            on_blur=lambda value: QuestionnaireState.save_field(name, value),
            aria_required="true" if required else "false",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, f"{error_id} {help_id}", help_id),
            class_name=rx.cond(has_error, "field-input field-input-error", "field-input"),
            style={"resize": "vertical", "width": "100%"},
        ),
        rx.cond(has_error, rx.text(errors[name], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )


def _questionnaire() -> rx.Component:
    form = rx.form(
        *[_answer_field(name) for name in QUESTIONNAIRE_TEXT_FIELDS],
        submit("questionnaire.submit"),
        on_submit=QuestionnaireState.submit,
        reset_on_submit=False,
        class_name="stack",
        aria_label=t("questionnaire.title"),
        key=QuestionnaireState.revision,
    )
    return rx.box(
        page_title("questionnaire.title"),
        rx.text(t("questionnaire.lead"), class_name="lead"),
        rx.text(t("common.required_hint"), size="2", class_name="muted"),
        form_messages(QuestionnaireState.form_error, QuestionnaireState.notice),
        # The live region exists from the start, so screen readers announce each "draft saved".
        rx.el.p(QuestionnaireState.saved_message, role="status", aria_live="polite", class_name="muted"),
        rx.match(
            QuestionnaireState.questionnaire_status,
            (
                "none",
                rx.box(
                    rx.callout(t("questionnaire.no_bilan"), color_scheme="blue"),
                    rx.box(_cta("space.request_cta", routes.BILAN_REQUEST), margin_top="1em"),
                ),
            ),
            (
                "ready",
                rx.box(
                    rx.cond(
                        QuestionnaireState.completed,
                        rx.callout(t("questionnaire.completed_note"), color_scheme="green", margin_bottom="1em"),
                    ),
                    form,
                    class_name="panel",
                ),
            ),
            loading(),
        ),
        rx.link(t("questionnaire.back"), href=routes.BENEFICIARY_HOME, display="block", margin_top="1em"),
    )


screen(routes.QUESTIONNAIRE, on_load=QuestionnaireState.load)(_questionnaire)


# ---------------------------------------------------------------- Mon espace


def _step(step: rx.Var) -> rx.Component:
    state = step["state"]
    marker = rx.match(
        state,
        ("done", rx.icon("circle-check", size=18, aria_hidden="true", color="var(--green-11)")),
        ("current", rx.icon("circle-arrow-right", size=18, aria_hidden="true", color="var(--accent-11)")),
        rx.icon("circle", size=18, aria_hidden="true", color="var(--gray-10)"),
    )
    status_text = rx.match(
        state,
        ("done", rx.el.span(" — ", t("space.step_done"))),
        ("current", rx.el.strong(" — ", t("space.step_current"))),
        ("upcoming", rx.el.span(" — ", t("space.step_upcoming"), class_name="muted")),
        rx.fragment(),
    )
    return rx.el.li(
        rx.flex(
            marker,
            rx.el.span(
                rx.cond(
                    state == "current",
                    rx.el.strong(label("bilanstatus.", step["status"])),
                    rx.el.span(label("bilanstatus.", step["status"])),
                ),
                rx.cond(step["optional"], rx.el.span(" (", t("space.step_optional"), ")")),
                status_text,
            ),
            spacing="2",
            align="center",
        ),
        aria_current=rx.cond(state == "current", "step", "false"),
        style={"padding": "0.3rem 0"},
    )


def _timeline() -> rx.Component:
    state = BeneficiarySpaceState
    return section(
        "space-timeline",
        t("space.timeline_title"),
        rx.cond(
            state.closed,
            rx.callout(
                tf("space.closed_status", status=label("bilanstatus.", state.bilan_status)),
                color_scheme="gray",
                margin_y="0.5em",
            ),
        ),
        rx.el.ol(rx.foreach(state.timeline, _step), style=PLAIN_LIST_STYLE),
        rx.box(
            rx.el.label(t("space.progress_label"), html_for="space-progress", class_name="field-label"),
            rx.flex(
                rx.el.progress(
                    id="space-progress",
                    value=state.progress,
                    max=100,
                    style={"flex": "1", "height": "1rem", "min_width": "0"},
                ),
                rx.text(tf("space.progress_value", percent=state.progress.to_string()), weight="bold"),
                spacing="3",
                align="center",
            ),
            margin_top="1em",
        ),
    )


def _summary() -> rx.Component:
    state = BeneficiarySpaceState
    return section(
        "space-summary",
        t("space.summary_title"),
        definition_list(
            definition(
                "space.consultant_label",
                rx.cond(state.consultant_name != "", state.consultant_name, t("space.consultant_pending")),
            ),
            definition(
                "space.next_session_label",
                rx.cond(state.next_session != "", state.next_session, t("space.no_next_session")),
            ),
            definition(
                "space.questionnaire_label",
                rx.cond(
                    state.questionnaire_completed,
                    rx.el.span(
                        t("space.questionnaire_done"),
                        " · ",
                        rx.link(t("space.questionnaire_review"), href=routes.QUESTIONNAIRE),
                    ),
                    rx.el.span(
                        t("space.questionnaire_todo"),
                        " · ",
                        rx.link(t("space.questionnaire_open"), href=routes.QUESTIONNAIRE),
                    ),
                ),
            ),
            definition(
                "space.convention_label",
                rx.match(
                    state.convention_state,
                    ("to_sign", rx.link(t("space.convention_link"), href=routes.BENEFICIARY_CONVENTION)),
                    ("none", rx.text(t("space.convention_none"), as_="span")),
                    (
                        "awaiting_others",
                        rx.link(t("space.convention_awaiting_others"), href=routes.BENEFICIARY_CONVENTION),
                    ),
                    ("signed", rx.link(t("space.convention_signed"), href=routes.BENEFICIARY_CONVENTION)),
                    rx.link(t("space.convention_lapsed"), href=routes.BENEFICIARY_CONVENTION),
                ),
            ),
            definition(
                "psy.ui.summary_label",
                rx.link(t("psy.ui.summary_link"), href=routes.TESTS),
            ),
            definition(
                "skills.summary_label",
                rx.el.span(
                    rx.link(t("skills.summary_link"), href=routes.SKILLS),
                    " · ",
                    rx.link(t("skills.map.title"), href=routes.SKILLS_MAP),
                ),
            ),
        ),
    )


def _session_row(item: rx.Var) -> rx.Component:
    # A remote session's link comes with ``session_links`` (the service's 15-minute rule).
    place = rx.cond(item["location"] != "", item["location"], label("mode.", item["mode"]))
    attendance = rx.cond(
        item["attended"],
        rx.flex(rx.icon("check", size=16, aria_hidden="true"), t("space.attended"), spacing="1", align="center"),
        rx.cond(
            item["can_confirm"],
            rx.button(
                t("space.confirm"),
                size="2",
                type="button",
                aria_label=tf("space.confirm_label", date=item["date"].to(str)),
                on_click=BeneficiarySpaceState.confirm_attendance(item["id"]),
            ),
            rx.text("—", aria_hidden="true"),
        ),
    )
    return rx.el.tr(
        rx.el.td(item["date"]),
        rx.el.td(label("phase.", item["phase"])),
        rx.el.td(tf("space.duration_minutes", minutes=item["minutes"].to(str))),
        rx.el.td(rx.flex(place, session_links(item, BeneficiarySpaceState.open_room), direction="column", spacing="1")),
        rx.el.td(label("sessionstatus.", item["status"])),
        rx.el.td(attendance),
    )


def _sessions() -> rx.Component:
    state = BeneficiarySpaceState
    return section(
        "space-sessions",
        t("space.sessions_title"),
        data_table(
            "space.sessions_title",
            [
                "space.col_date",
                "space.col_phase",
                "space.col_duration",
                "space.col_place",
                "space.col_status",
                "space.col_attendance",
            ],
            state.sessions,
            _session_row,
            empty_key="space.no_sessions",
        ),
        room_frame(state.room_url, state.close_room),
    )


def _task(item: rx.Var) -> rx.Component:
    return rx.el.li(
        choice(
            "checkbox",
            item["title"],
            checked=item["done"],
            on_change=lambda checked: BeneficiarySpaceState.set_task_done(item["id"], checked),
        ),
        rx.flex(
            rx.cond(item["due"] != "", rx.text(tf("space.task_due", date=item["due"].to(str)), size="2")),
            rx.cond(
                item["overdue"],
                tone_badge(t("space.task_overdue"), "warning", "clock"),
            ),
            spacing="2",
            align="center",
            padding_left="1.75rem",
            wrap="wrap",
        ),
        style={"padding": "0.25rem 0"},
    )


def _tasks() -> rx.Component:
    state = BeneficiarySpaceState
    return section(
        "space-tasks",
        t("space.tasks_title"),
        list_or_empty(state.tasks, _task, rx.text(t("space.no_tasks")), style=PLAIN_LIST_STYLE),
    )


def _badges() -> rx.Component:
    state = BeneficiarySpaceState
    return section(
        "space-badges",
        t("space.badges_title"),
        list_or_empty(
            state.badges,
            lambda badge: rx.el.li(tone_badge(label("badge.", badge), "success", "award", size="2")),
            rx.text(t("space.no_badges")),
            style={**PLAIN_LIST_STYLE, "display": "flex", "flex_wrap": "wrap", "gap": "0.5rem"},
        ),
    )


def _no_bilan() -> rx.Component:
    return rx.box(
        section(
            "space-start",
            t("space.no_bilan_title"),
            rx.text(t("space.no_bilan_body")),
            rx.box(_cta("space.request_cta", routes.BILAN_REQUEST), margin_top="1em"),
        ),
        section(
            "space-phases",
            t("space.phases_title"),
            _phases_list(),
            rx.text(t("beneficiary.duration")),
        ),
    )


def _space() -> rx.Component:
    return rx.box(
        page_header(
            t("beneficiary.title"),
            lead=rx.box(
                rx.heading(tf("beneficiary.welcome", name=SessionState.user_name), as_="h2", size="5"),
                rx.text(tf("beneficiary.lead", organisation=SessionState.organisation_name), class_name="page-lead"),
            ),
        ),
        form_messages(BeneficiarySpaceState.form_error, BeneficiarySpaceState.notice),
        rx.match(
            BeneficiarySpaceState.space_status,
            ("none", _no_bilan()),
            (
                "ready",
                rx.box(
                    notes_agreement_card(), _timeline(), _summary(), _sessions(), _tasks(), _badges(), ai_consent_card()
                ),
            ),
            loading(),
        ),
        rx.text(t("beneficiary.confidential"), class_name="muted", size="2", margin_top="1.5em"),
    )


screen(routes.BENEFICIARY_HOME, on_load=BeneficiarySpaceState.load)(_space)
