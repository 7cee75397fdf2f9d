"""The org admin's training catalogue (``/admin/formations``): the courses suggested for skill gaps."""

from __future__ import annotations

import reflex as rx

from components.actions import item_button
from components.forms import bound_field, bound_select, form_messages, options
from components.i18n import t, tf
from components.layout import page_title, screen
from components.tables import data_table
from services import routes
from services.models import TrainingMode
from state.training import TrainingCatalogueState

S = TrainingCatalogueState
GRID = {"display": "grid", "gap": "0.75rem", "grid_template_columns": "repeat(auto-fit, minmax(14rem, 1fr))"}


def _field(name: str, label_key: str, **kwargs: object) -> rx.Component:
    return bound_field("course", name, label_key, S.course_form, S.errors, S.set_course_field, **kwargs)  # type: ignore[arg-type]


def _row(row: rx.Var) -> rx.Component:
    active = row["active"]
    return rx.el.tr(
        rx.el.th(row["title"], rx.el.br(), rx.el.span(row["provider"], class_name="muted"), scope="row"),
        rx.el.td(row["certification_code"]),
        rx.el.td(row["rome_codes"]),
        rx.el.td(row["mode_label"]),
        rx.el.td(row["hours_label"]),
        rx.el.td(rx.cond(active, t("training.ui.active"), t("training.ui.inactive"))),
        rx.el.td(
            rx.flex(
                item_button("training.ui.edit", row["title"], S.edit(row["id"]), size="1", variant="soft"),
                item_button(
                    rx.cond(active, t("training.ui.deactivate"), t("training.ui.reactivate")),
                    row["title"],
                    S.set_active(row["id"], ~active),
                    size="1",
                    variant="soft",
                    color_scheme=rx.cond(active, "red", "green"),
                ),
                gap="0.4rem",
                wrap="wrap",
            )
        ),
    )


def _form() -> rx.Component:
    return rx.el.form(
        rx.heading(
            rx.cond(S.editing_id != "", t("training.ui.edit_title"), t("training.ui.add_title")),
            as_="h2",
            size="5",
            id="course-form-title",
        ),
        _field("title", "training.field.title", required=True),
        rx.box(
            _field("provider", "training.field.provider"),
            _field("certification", "training.field.certification"),
            _field("certification_code", "training.field.certification_code"),
            style=GRID,
        ),
        rx.box(
            _field("rome_codes", "training.field.rome_codes"),
            _field("formacodes", "training.field.formacodes"),
            _field("departement", "training.field.departement"),
            style=GRID,
        ),
        rx.box(
            _field("hours", "training.field.hours", type="number"),
            _field("price_euros", "training.field.price", type="number"),
            bound_select(
                "course",
                "mode",
                t("training.field.mode"),
                S.course_form,
                S.errors,
                S.set_course_field,
                *options([(mode.value, f"training.mode.{mode.value}") for mode in TrainingMode]),
            ),
            style=GRID,
        ),
        _field("url", "training.field.url", type="url"),
        _field("description", "training.field.description", multiline=True),
        rx.flex(
            rx.button(
                rx.cond(S.editing_id != "", t("training.ui.save"), t("training.ui.add")), type="submit", size="3"
            ),
            rx.cond(
                S.editing_id != "",
                rx.button(t("training.ui.cancel"), type="button", variant="soft", size="3", on_click=S.cancel),
            ),
            gap="0.75rem",
        ),
        on_submit=S.save,
        reset_on_submit=False,
        aria_labelledby="course-form-title",
        class_name="panel",
    )


def _catalogue() -> rx.Component:
    return rx.box(
        page_title("training.ui.title"),
        rx.text(t("training.ui.intro")),
        rx.text(tf("training.ui.cpf_count", count=S.cpf_count.to(str)), class_name="muted", margin_bottom="1rem"),
        form_messages(S.form_error, S.notice),
        data_table(
            "training.ui.table",
            [
                "training.field.title",
                "training.field.certification_code",
                "training.field.rome_codes",
                "training.field.mode",
                "training.field.hours",
                "training.ui.status",
                "training.ui.actions",
            ],
            S.courses,
            _row,
            empty_key="training.ui.empty",
        ),
        rx.box(_form(), margin_top="1.5rem"),
    )


screen(routes.ADMIN_TRAINING, on_load=S.load)(_catalogue)
