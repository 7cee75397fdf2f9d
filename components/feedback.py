"""Feedback after an action: a confirmation dialog before an irreversible one, a toast after a success."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from components.i18n import t


def confirm_dialog(
    *,
    open: rx.Var[bool],
    title: rx.Var | str,
    description: rx.Var | str,
    confirm_label: rx.Var | str,
    cancel_label: rx.Var | str,
    on_confirm: Any,
    on_cancel: Any,
    confirm_id: str | rx.Var | None = None,
    cancel_id: str | rx.Var | None = None,
    danger: bool = True,
) -> rx.Component:
    """A modal ``alertdialog`` opened by state (``open``), for an action that cannot be undone.

    Radix traps the focus inside, puts it on the first button (cancel, the safe choice) and closes on
    Escape, which calls ``on_cancel`` like the cancel button; the focus then returns where it was.
    """
    confirm_props: dict[str, Any] = {"id": confirm_id} if confirm_id is not None else {}
    cancel_props: dict[str, Any] = {"id": cancel_id} if cancel_id is not None else {}
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title, size="5"),
            rx.alert_dialog.description(description, class_name="dialog-description"),
            rx.flex(
                rx.button(
                    cancel_label, type="button", variant="soft", color_scheme="gray", on_click=on_cancel, **cancel_props
                ),
                rx.button(
                    confirm_label,
                    type="button",
                    on_click=on_confirm,
                    **({"color_scheme": "red"} if danger else {}),
                    **confirm_props,
                ),
                spacing="3",
                justify="end",
                wrap="wrap",
                class_name="dialog-actions",
            ),
            class_name="confirm-dialog",
        ),
        open=open,
        on_open_change=lambda _open: on_cancel,
    )


def success_toast(key: str) -> EventSpec:
    """A short-lived success message (also read out: Sonner's region is polite), for the client side of an action."""
    return rx.toast.success(t(key), position="bottom-right", duration=4000)
