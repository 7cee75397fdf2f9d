"""Form fields with a visible label, the error next to the field, and the typed value kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from components.i18n import t, tf


def _limit_hint(input_id: str, max_length: int | None) -> tuple[str, rx.Component]:
    """The id and the visible "N caractères au maximum" hint of a text with a length limit."""
    if max_length is None:
        return "", rx.fragment()
    hint_id = f"{input_id}-limit"
    return hint_id, rx.text(tf("form.max_chars", max=str(max_length)), id=hint_id, class_name="field-help")


def field(
    name: str,
    label_key: str,
    errors: rx.Var,
    *,
    type: str = "text",
    autocomplete: str = "off",
    required: bool = True,
    help_key: str | None = None,
    default_value: rx.Var | str | None = None,
    input_mode: str | None = None,
    max_length: int | None = None,
) -> rx.Component:
    """An uncontrolled input (the browser keeps what was typed) with label, help and error.

    ``max_length``: the service's limit, given to the browser and said under the field.
    """
    input_id = f"field-{name}"
    error_id = f"{input_id}-error"
    help_id = f"{input_id}-help"
    has_error = errors.contains(name)
    limit_id, limit_hint = _limit_hint(input_id, max_length)
    hints = " ".join(part for part in (help_id if help_key else "", limit_id) if part)
    described_by = rx.cond(has_error, f"{error_id} {hints}".strip(), hints)
    label_children: list[rx.Component | rx.Var | str] = [t(label_key)]
    if required:
        label_children.append(rx.el.span(" *", aria_hidden="true"))
    props: dict = {}
    if default_value is not None:
        props["default_value"] = default_value
    if input_mode:
        props["input_mode"] = input_mode
    if max_length is not None:
        props["max_length"] = max_length
    return rx.box(
        rx.el.label(*label_children, html_for=input_id, class_name="field-label"),
        rx.el.input(
            id=input_id,
            name=name,
            type=type,
            auto_complete=autocomplete,
            required=required,
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=described_by,
            class_name=rx.cond(has_error, "field-input field-input-error", "field-input"),
            **props,
        ),
        rx.cond(help_key is not None, rx.text(t(help_key) if help_key else "", id=help_id, class_name="field-help")),
        limit_hint,
        rx.cond(has_error, rx.text(errors[name], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )


def select_field(
    name: str, label_key: str, errors: rx.Var, options: list[tuple[str, str]], *, default: rx.Var | str
) -> rx.Component:
    """A native select: options are (value, catalogue key)."""
    input_id = f"field-{name}"
    has_error = errors.contains(name)
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(t(key), value=value) for value, key in options],
            id=input_id,
            name=name,
            default_value=default,
            class_name="field-input",
            aria_invalid=rx.cond(has_error, "true", "false"),
        ),
        rx.cond(has_error, rx.text(errors[name], class_name="field-error", role="alert")),
        class_name="field",
    )


def input_value(input_id: str) -> rx.Var[str]:
    """What an uncontrolled input holds when the event fires (to send part of a form before submitting it)."""
    return rx.Var(f'(document.getElementById("{input_id}")?.value ?? "")', _var_type=str)


def checkbox_checked(input_id: str) -> rx.Var[bool]:
    """Whether an uncontrolled checkbox is ticked when the event fires."""
    return rx.Var(f'(document.getElementById("{input_id}")?.checked ?? false)', _var_type=bool)


def form_messages(form_error: rx.Var, notice: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(form_error != "", rx.callout(form_error, color_scheme="red", role="alert", class_name="form-alert")),
        rx.cond(notice != "", rx.callout(notice, color_scheme="green", role="status", class_name="form-alert")),
    )


def submit(label_key: str) -> rx.Component:
    return rx.button(t(label_key), type="submit", size="3", class_name="submit")


def bound_field(
    prefix: str,
    name: str,
    label_key: str,
    values: rx.Var,
    errors: rx.Var,
    setter: Callable[[str, Any], Any],
    *,
    type: str = "text",
    required: bool = False,
    multiline: bool = False,
    help_key: str | None = None,
    input_mode: str | None = None,
    max_length: int | None = None,
) -> rx.Component:
    """An input bound to ``values[name]`` (a dict var), saved through ``setter(name, value)``.

    For forms the server refills (edit an existing row, pick a value from a search): the state keeps
    what was typed, so nothing is lost when the server refuses it. The error is shown next to the field.
    """
    input_id = f"{prefix}-{name}"
    error_id = f"{input_id}-error"
    help_id = f"{input_id}-help"
    has_error = errors.contains(name)
    limit_id, limit_hint = _limit_hint(input_id, max_length)
    hints = " ".join(part for part in (help_id if help_key else "", limit_id) if part)
    label_children: list[rx.Component | rx.Var | str] = [t(label_key)]
    if required:
        label_children.append(rx.el.span(" *", aria_hidden="true"))
    props: dict[str, Any] = {
        "id": input_id,
        "value": values[name],
        "on_change": lambda value: setter(name, value),
        "aria_invalid": rx.cond(has_error, "true", "false"),
        "aria_describedby": rx.cond(has_error, f"{error_id} {hints}".strip(), hints),
        "class_name": rx.cond(has_error, "field-input field-input-error", "field-input"),
    }
    if input_mode:
        props["input_mode"] = input_mode
    if max_length is not None:
        props["max_length"] = max_length
    control = (
        rx.el.textarea(rows=3, **props)
        if multiline
        else rx.el.input(type=type, required=required, placeholder="AAAA-MM" if type == "month" else "", **props)
    )
    return rx.box(
        rx.el.label(*label_children, html_for=input_id, class_name="field-label"),
        control,
        rx.text(t(help_key), id=help_id, class_name="field-help") if help_key else rx.fragment(),
        limit_hint,
        rx.cond(has_error, rx.text(errors[name], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )
