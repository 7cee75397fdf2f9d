"""Login, organisation sign-up, forgotten password, reset and invitation pages."""

from __future__ import annotations

import reflex as rx

from components.account_fields import new_account_fields, new_password_field
from components.forms import field, form_messages, submit
from components.i18n import t, tf
from components.layout import page_title, screen
from services import routes
from services.forms import NAME_MAX, ORGANISATION_NAME_MAX
from state.auth import ForgotPasswordState, InvitationState, LoginState, ResetPasswordState, SignupState


def _card(*children: rx.Component) -> rx.Component:
    return rx.box(*children, class_name="panel auth-card")


@screen(routes.LOGIN, on_load=LoginState.load)
def login() -> rx.Component:
    password_step = rx.form(
        field("email", "login.email", LoginState.errors, type="email", autocomplete="username"),
        field("password", "login.password", LoginState.errors, type="password", autocomplete="current-password"),
        submit("login.submit"),
        on_submit=LoginState.submit_password,
        reset_on_submit=False,
        class_name="stack",
        aria_label=t("login.title"),
    )
    code_step = rx.form(
        rx.heading(t("login.2fa_title"), as_="h2", size="5"),
        rx.text(t("login.2fa_help")),
        field("code", "login.2fa_code", LoginState.errors, autocomplete="one-time-code", input_mode="text"),
        rx.flex(
            submit("login.2fa_submit"),
            rx.button(t("login.2fa_cancel"), variant="soft", type="button", on_click=LoginState.cancel_code, size="3"),
            spacing="3",
        ),
        on_submit=LoginState.submit_code,
        reset_on_submit=True,
        class_name="stack",
        aria_label=t("login.2fa_title"),
    )
    return _card(
        page_title("login.title"),
        form_messages(LoginState.form_error, LoginState.notice),
        rx.cond(LoginState.step == "code", code_step, password_step),
        rx.flex(
            rx.link(t("login.forgot"), href=routes.FORGOT_PASSWORD),
            rx.text(
                t("login.no_account"), " ", rx.link(t("login.signup_link"), href=routes.SIGNUP, underline="always")
            ),
            direction="column",
            spacing="2",
            margin_top="1em",
        ),
    )


@screen(routes.SIGNUP, on_load=SignupState.load)
def signup() -> rx.Component:
    errors = SignupState.errors
    return _card(
        page_title("signup.title"),
        rx.text(t("signup.lead")),
        rx.text(t("common.required_hint"), size="2", class_name="muted"),
        form_messages(SignupState.form_error, SignupState.notice),
        rx.form(
            rx.el.fieldset(
                rx.el.legend(t("signup.org_section")),
                field(
                    "organisation_name",
                    "signup.organisation_name",
                    errors,
                    autocomplete="organization",
                    max_length=ORGANISATION_NAME_MAX,
                ),
                field("siret", "signup.siret", errors, input_mode="numeric"),
                field("nda_number", "signup.nda_number", errors, required=False, input_mode="numeric"),
            ),
            rx.el.fieldset(
                rx.el.legend(t("signup.admin_section")),
                new_account_fields(errors, email_key="signup.email", name_max=NAME_MAX),
            ),
            submit("signup.submit"),
            on_submit=SignupState.submit,
            reset_on_submit=False,
            class_name="stack",
        ),
        rx.text(
            t("signup.have_account"),
            " ",
            rx.link(t("home.login"), href=routes.LOGIN, underline="always"),
            margin_top="1em",
        ),
    )


@screen(routes.FORGOT_PASSWORD, on_load=ForgotPasswordState.load)
def forgot_password() -> rx.Component:
    return _card(
        page_title("forgot.title"),
        rx.text(t("forgot.lead")),
        form_messages(ForgotPasswordState.form_error, ForgotPasswordState.notice),
        rx.cond(
            ~ForgotPasswordState.sent,
            rx.form(
                field("email", "login.email", ForgotPasswordState.errors, type="email", autocomplete="email"),
                submit("forgot.submit"),
                on_submit=ForgotPasswordState.submit,
                reset_on_submit=False,
                class_name="stack",
            ),
        ),
        rx.link(t("forgot.back"), href=routes.LOGIN, margin_top="1em", display="block"),
    )


@screen(routes.RESET_PASSWORD, on_load=ResetPasswordState.load)
def reset_password() -> rx.Component:
    return _card(
        page_title("reset.title"),
        form_messages(ResetPasswordState.form_error, ResetPasswordState.notice),
        rx.match(
            ResetPasswordState.link_status,
            (
                "valid",
                rx.form(
                    new_password_field("password", "reset.password", ResetPasswordState.errors),
                    submit("reset.submit"),
                    on_submit=ResetPasswordState.submit,
                    reset_on_submit=False,
                    class_name="stack",
                ),
            ),
            (
                "invalid",
                rx.box(
                    rx.callout(ResetPasswordState.link_problem, color_scheme="orange", role="alert"),
                    rx.link(t("reset.ask_new"), href=routes.FORGOT_PASSWORD, display="block", margin_top="1em"),
                ),
            ),
            ("done", rx.link(t("home.login"), href=routes.LOGIN)),
            rx.spinner(),
        ),
    )


@screen(routes.INVITATION, on_load=InvitationState.load)
def invitation() -> rx.Component:
    errors = InvitationState.errors
    new_account_fields = rx.fragment(
        field("first_name", "invitation.first_name", errors, autocomplete="given-name", max_length=NAME_MAX),
        field("last_name", "invitation.last_name", errors, autocomplete="family-name", max_length=NAME_MAX),
        new_password_field("password", "invitation.password", errors),
    )
    existing_account_fields = rx.fragment(
        field("password", "invitation.existing_password", errors, type="password", autocomplete="current-password"),
        rx.cond(
            InvitationState.existing_account_2fa,
            field("code", "login.2fa_code", errors, autocomplete="one-time-code", help_key="login.2fa_help"),
        ),
    )
    valid = rx.box(
        rx.heading(tf("invitation.title", organisation=InvitationState.invited_organisation), as_="h1", size="7"),
        rx.cond(
            InvitationState.existing_account,
            rx.text(
                tf(
                    "invitation.existing_lead",
                    email=InvitationState.invited_email,
                    organisation=InvitationState.invited_organisation,
                )
            ),
            rx.text(
                tf("invitation.lead", role=InvitationState.invited_role_label, email=InvitationState.invited_email)
            ),
        ),
        form_messages(InvitationState.form_error, InvitationState.notice),
        rx.form(
            rx.cond(InvitationState.existing_account, existing_account_fields, new_account_fields),
            submit("invitation.submit"),
            on_submit=InvitationState.submit,
            reset_on_submit=False,
            class_name="stack",
        ),
    )

    def problem(message_key: str, *extra: rx.Component) -> rx.Component:
        return rx.box(
            rx.heading(t("invitation.problem_title"), as_="h1", size="7"),
            rx.callout(t(message_key), color_scheme="orange", role="alert"),
            form_messages(InvitationState.form_error, InvitationState.notice),
            *extra,
        )

    return _card(
        rx.match(
            InvitationState.invitation_status,
            ("valid", valid),
            (
                "expired",
                problem(
                    "invitation.expired",
                    rx.button(
                        t("invitation.ask_new"), on_click=InvitationState.ask_new_link, margin_top="1em", type="button"
                    ),
                ),
            ),
            ("used", problem("invitation.used", rx.link(t("home.login"), href=routes.LOGIN))),
            (
                "renewed",
                rx.box(
                    rx.heading(t("invitation.problem_title"), as_="h1", size="7"),
                    form_messages(InvitationState.form_error, InvitationState.notice),
                ),
            ),
            ("unknown", problem("invitation.unknown")),
            rx.spinner(),
        )
    )
