"""The convention's signing form, the same wherever a party signs: the beneficiary's page, the bilan
page (the organisation's signatory) and the employer's link. Its handlers are those of
``state.conventions.SigningMixin``."""

from __future__ import annotations

import reflex as rx

from components.forms import checkbox_checked, input_value, submit
from components.i18n import t, tf
from state.conventions import SigningMixin


def _text_input(
    name: str,
    label_key: str,
    errors: rx.Var,
    help_text: rx.Var,
    *,
    autocomplete: str,
    **props: object,
) -> rx.Component:
    input_id = f"field-{name}"
    error_id, help_id = f"{input_id}-error", f"{input_id}-help"
    has_error = errors.contains(name)
    return rx.box(
        rx.el.label(t(label_key), rx.el.span(" *", aria_hidden="true"), html_for=input_id, class_name="field-label"),
        rx.el.input(
            id=input_id,
            name=name,
            type="text",
            auto_complete=autocomplete,
            required=True,
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, f"{error_id} {help_id}", help_id),
            class_name=rx.cond(has_error, "field-input field-input-error", "field-input"),
            **props,
        ),
        rx.text(help_text, id=help_id, class_name="field-help"),
        rx.cond(has_error, rx.text(errors[name], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )


def _consent(errors: rx.Var) -> rx.Component:
    has_error = errors.contains("consent")
    return rx.box(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id="field-consent",
                name="consent",
                required=True,
                aria_invalid=rx.cond(has_error, "true", "false"),
                aria_describedby=rx.cond(has_error, "field-consent-error", ""),
            ),
            t("signui.consent"),
            rx.el.span(" *", aria_hidden="true"),
            class_name="checkbox-label",
        ),
        rx.cond(
            has_error,
            rx.text(errors["consent"], id="field-consent-error", class_name="field-error", role="alert"),
        ),
    )


def signing_form(state: type[SigningMixin], *, expected_name: rx.Var, help_key: str) -> rx.Component:
    """Typed name, consent, a code e-mailed on request, then "Signer". The browser keeps what was typed.

    ``state``: the page's state, which has the ``SigningMixin`` handlers. ``help_key``: the catalogue
    key said under the name field, given ``{name}`` (``expected_name``).
    """
    errors = state.errors
    return rx.form(
        rx.el.ol(
            *[rx.el.li(t(f"signui.step_{step}")) for step in ("read", "name", "code", "sign")],
            class_name="steps",
        ),
        rx.text(t("common.required_hint"), size="2", class_name="muted"),
        _text_input(
            "typed_name",
            "signui.typed_name",
            errors,
            tf(help_key, name=expected_name),
            autocomplete="name",
            max_length=200,
        ),
        _consent(errors),
        rx.box(
            rx.button(
                rx.icon("mail", size=16, aria_hidden="true"),
                t("signui.send_code"),
                type="button",
                variant="soft",
                size="3",
                # The code is asked for with the typed name and the box: none is sent before both are given.
                on_click=state.send_code(input_value("field-typed_name"), checkbox_checked("field-consent")),
            ),
        ),
        # The live region exists from the start, so screen readers announce "a code was sent".
        rx.el.p(state.code_notice, role="status", aria_live="polite", id="code-notice"),
        _text_input(
            "code",
            "signui.code",
            errors,
            t("signui.code_help"),
            autocomplete="one-time-code",
            input_mode="numeric",
            max_length=12,
            style={"max_width": "12rem"},
        ),
        submit("signui.submit"),
        on_submit=state.sign,
        reset_on_submit=False,
        no_validate=True,  # errors come from the server, in French, next to each field
        class_name="stack",
    )
