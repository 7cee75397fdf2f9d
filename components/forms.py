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
    props, parts = _described(input_id, name, errors, help_key, input_mode, max_length)
    if default_value is not None:
        props["default_value"] = default_value
    control = rx.el.input(id=input_id, name=name, type=type, auto_complete=autocomplete, required=required, **props)
    return field_box(input_id, t(label_key), control, *parts, required=required)


def _described(
    input_id: str,
    name: str,
    errors: rx.Var,
    help_key: str | None,
    input_mode: str | None,
    max_length: int | None,
) -> tuple[dict[str, Any], list[rx.Component]]:
    """A control's props that tie it to its help, its limit and ``errors[name]``, and those texts under it."""
    error_id = f"{input_id}-error"
    help_id = f"{input_id}-help"
    has_error = errors.contains(name)
    limit_id, limit_hint = _limit_hint(input_id, max_length)
    hints = " ".join(part for part in (help_id if help_key else "", limit_id) if part)
    props: dict[str, Any] = {
        "aria_invalid": rx.cond(has_error, "true", "false"),
        "aria_describedby": rx.cond(has_error, f"{error_id} {hints}".strip(), hints),
        "class_name": rx.cond(has_error, "field-input field-input-error", "field-input"),
    }
    if input_mode:
        props["input_mode"] = input_mode
    if max_length is not None:
        props["max_length"] = max_length
    parts = [
        rx.text(t(help_key), id=help_id, class_name="field-help") if help_key else rx.fragment(),
        limit_hint,
        error_slot(error_id, has_error, errors[name]),
    ]
    return props, parts


def error_slot(error_id: str | rx.Var, has_error: rx.Var, message: rx.Var) -> rx.Component:
    """The field's error, under it and announced (the control points at it with aria-describedby)."""
    return rx.cond(has_error, rx.text(message, id=error_id, class_name="field-error", role="alert"))


def field_box(
    input_id: str | rx.Var,
    label: rx.Var | str,
    control: rx.Component,
    *extra: rx.Component,
    required: bool = False,
    class_name: str = "",
) -> rx.Component:
    """A visible label above its control, then hints and the error slot (``extra``)."""
    return rx.box(
        field_label(input_id, label, required=required), control, *extra, class_name=f"field {class_name}".strip()
    )


def field_label(input_id: str | rx.Var, label: rx.Var | str, *, required: bool = False) -> rx.Component:
    """A control's visible label; a required one ends with a star (hidden from screen readers: the control says it)."""
    children: list[rx.Component | rx.Var | str] = [label]
    if required:
        children.append(rx.el.span(" *", aria_hidden="true"))
    return rx.el.label(*children, html_for=input_id, class_name="field-label")


def checkbox(*text: rx.Component | rx.Var | str, input_id: str | None = None, **input_props: Any) -> rx.Component:
    """A checkbox and its words side by side inside one label (the words tick it too)."""
    control_id: dict[str, Any] = {} if input_id is None else {"id": input_id}
    label_for: dict[str, Any] = {} if input_id is None else {"html_for": input_id}
    return rx.el.label(
        rx.el.input(type="checkbox", **control_id, **input_props), " ", *text, class_name="checkbox-label", **label_for
    )


# A choice on a line of its own: a large control, the whole line clickable (radio groups, to-do lists).
CHOICE_STYLE = {
    "display": "flex",
    "gap": "0.6rem",
    "align_items": "flex-start",
    "padding": "0.35rem 0",
    "cursor": "pointer",
    "line_height": "1.4",
}
CONTROL_STYLE = {"width": "1.15rem", "height": "1.15rem", "margin_top": "0.1rem", "flex_shrink": "0"}


def choice(type: str, *text: rx.Component | rx.Var | str, **input_props: Any) -> rx.Component:
    """A radio button or checkbox (``type``) inside its own label, on a line of its own (``CHOICE_STYLE``)."""
    return rx.el.label(
        rx.el.input(type=type, style=CONTROL_STYLE, **input_props), rx.el.span(*text), style=CHOICE_STYLE
    )


def options(pairs: list[tuple[str, str]]) -> list[rx.Component]:
    """Static ``<option>``s from (value, catalogue key) pairs."""
    return [rx.el.option(t(key), value=value) for value, key in pairs]


def row_options(rows: rx.Var, text: str = "label", value: str = "value") -> rx.Component:
    """``<option>``s from a list var of rows (``row[text]`` shown, ``row[value]`` sent)."""
    return rx.foreach(rows, lambda row: rx.el.option(row[text], value=row[value]))


def select_control(
    *children: rx.Component,
    has_error: rx.Var | None = None,
    error_id: str | rx.Var = "",
    compact: bool = False,
    **props: Any,
) -> rx.Component:
    """A native select in the house style; with ``has_error`` it is marked invalid and points at its error."""
    base = "field-input compact" if compact else "field-input"
    if has_error is not None:
        props.setdefault("aria_invalid", rx.cond(has_error, "true", "false"))
        props.setdefault("aria_describedby", rx.cond(has_error, error_id, ""))
        props["class_name"] = rx.cond(has_error, f"{base} field-input-error", base)
    else:
        props["class_name"] = base
    return rx.el.select(*children, **props)


def _select_box(
    input_id: str, label: rx.Var | str, errors: rx.Var, key: str, *children: rx.Component, **control: Any
) -> rx.Component:
    """Label, select and the error slot of ``errors[key]``."""
    error_id = f"{input_id}-error"
    has_error = errors.contains(key)
    return field_box(
        input_id,
        label,
        select_control(*children, id=input_id, has_error=has_error, error_id=error_id, **control),
        error_slot(error_id, has_error, errors[key]),
    )


def select_field(
    name: str, label_key: str, errors: rx.Var, options: list[tuple[str, str]], *, default: rx.Var | str
) -> rx.Component:
    """An uncontrolled native select (the form sends it): options are (value, catalogue key)."""
    choices = [rx.el.option(t(key), value=value) for value, key in options]
    return _select_box(f"field-{name}", t(label_key), errors, name, *choices, name=name, default_value=default)


def bound_select(
    prefix: str,
    name: str,
    label: rx.Var | str,
    values: rx.Var,
    errors: rx.Var,
    setter: Callable[[str, Any], Any],
    *children: rx.Component,
) -> rx.Component:
    """A select bound to ``values[name]`` (a dict var), saved through ``setter(name, value)``, error under it."""
    return _select_box(
        f"{prefix}-{name}",
        label,
        errors,
        name,
        *children,
        value=values[name],
        on_change=lambda value: setter(name, value),
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


def inline_form(*children: rx.Component, on_submit: Any, reset_on_submit: bool = False, **props: Any) -> rx.Component:
    """A form on one line: fields and button side by side, aligned on their bottom edge, wrapping on a phone."""
    return rx.form(
        rx.flex(*children, spacing="3", align="end", wrap="wrap"),
        on_submit=on_submit,
        reset_on_submit=reset_on_submit,
        **props,
    )


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
    props, parts = _described(input_id, name, errors, help_key, input_mode, max_length)
    props.update(id=input_id, value=values[name], on_change=lambda value: setter(name, value))
    control = (
        rx.el.textarea(rows=3, **props)
        if multiline
        else rx.el.input(type=type, required=required, placeholder="AAAA-MM" if type == "month" else "", **props)
    )
    return field_box(input_id, t(label_key), control, *parts, required=required)
