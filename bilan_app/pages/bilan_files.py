"""The bilan's documents space: her "Mes documents" page, and the panel of the bilan page's documents tab
(her consultant: both areas and the requests; the org admin: the areas' summaries only)."""

from __future__ import annotations

import reflex as rx

from components.downloads import DOWNLOAD_STYLE, api_href, file_link
from components.forms import error_slot, field_box, form_messages, input_value, select_control
from components.i18n import t
from components.layout import loading, page_title, screen
from components.page import section
from components.tables import data_table
from services import routes
from services.filetypes import BROWSER_ACCEPT
from services.settings import get_settings
from state.bilan_files import AREA_ID, FILE_ID, REQUEST_ID
from state.bilan_files import BilanFilesState as S


def _error(name: str) -> rx.Component:
    return error_slot(f"{name}-files-error", S.errors.contains(name), S.errors[name])


def _file_table(rows: rx.Var, caption_key: str) -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.th(
                rx.text(item["name"], weight=rx.cond(item["current"], "medium", "regular")),
                rx.cond(~item["current"], rx.text(t("files.older"), size="1", class_name="muted")),
                scope="row",
            ),
            rx.el.td(item["version"]),
            rx.el.td(item["size"]),
            rx.el.td(item["by"]),
            rx.el.td(item["when"]),
            rx.el.td(
                rx.flex(
                    rx.cond(
                        item["preview_href"] != "",
                        rx.link(
                            rx.icon("eye", size=18, aria_hidden="true"),
                            t("files.preview_short"),
                            href=api_href(item["preview_href"].to(str)),
                            target="_blank",
                            rel="noopener noreferrer",
                            reload_document=True,
                            aria_label=item["preview_label"],
                            weight="medium",
                            style=DOWNLOAD_STYLE,
                        ),
                    ),
                    file_link(item["href"].to(str), t("files.download_short"), aria_label=item["download_label"]),
                    spacing="3",
                    wrap="wrap",
                    align="center",
                )
            ),
            class_name=rx.cond(item["current"], "", "file-older"),
        )

    return data_table(
        caption_key,
        [f"files.col.{key}" for key in ("name", "version", "size", "by", "date", "actions")],
        rows,
        row,
        empty_key="files.empty",
    )


def _upload_form() -> rx.Component:
    zone = rx.upload.root(
        rx.flex(
            rx.button(t("files.choose"), type="button", variant="soft"),
            rx.text(rx.selected_files(FILE_ID).join(", "), size="2"),
            spacing="3",
            align="center",
        ),
        id=FILE_ID,
        accept=BROWSER_ACCEPT,
        max_files=1,
        max_size=get_settings().bilan_file_max_bytes,  # refused in the browser first, before any byte is sent
        on_drop_rejected=S.file_rejected,
        no_keyboard=True,
    )
    # react-dropzone's file input is only visually hidden: it needs a name of its own (axe "label").
    zone.children[0].children[0].custom_attrs["aria-label"] = t("files.file_label")
    area = rx.cond(
        S.areas.length() > 1,
        field_box(
            AREA_ID,
            t("files.area_label"),
            select_control(
                rx.foreach(S.areas, lambda value: rx.el.option(_area_label(value), value=value)),
                id=AREA_ID,
                has_error=S.errors.contains("area"),
                error_id="area-files-error",
            ),
            _error("area"),
        ),
    )
    request = rx.cond(
        ~S.is_consultant & (S.open_requests.length() > 0),
        field_box(
            REQUEST_ID,
            t("files.request_for"),
            select_control(
                rx.el.option(t("files.request_none"), value=""),
                rx.foreach(S.open_requests, lambda item: rx.el.option(item["label"], value=item["value"])),
                id=REQUEST_ID,
                has_error=S.errors.contains("request"),
                error_id="request-files-error",
            ),
            _error("request"),
        ),
    )
    return section(
        "files-upload",
        t("files.upload_title"),
        area,
        request,
        rx.box(
            rx.text(t("files.file_label"), as_="div", weight="medium", size="2"),
            zone,
            rx.text(S.limits, size="1", class_name="field-hint", id="files-limits"),
            _error("file"),
            class_name="field",
        ),
        rx.button(
            t("files.send"),
            type="button",
            margin_top="0.5em",
            on_click=S.upload(rx.upload_files(upload_id=FILE_ID), input_value(AREA_ID), input_value(REQUEST_ID)),
        ),
        level=3,
    )


def _area_label(value: rx.Var) -> rx.Var:
    return rx.match(value, ("consultant", t("files.area.consultant")), t("files.area.shared"))


def _requests() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.el.tr(
            rx.el.th(item["label"], scope="row"),
            rx.el.td(item["when"]),
            rx.el.td(item["status"]),
        )

    table = data_table(
        "files.requests_title", ["files.request_label", "files.col.date", "files.col.status"], S.requests, row
    )
    ask = rx.cond(
        S.may_request,
        rx.form(
            field_box(
                "files-request-label",
                t("files.request_label"),
                rx.el.input(
                    id="files-request-label",
                    name="label",
                    placeholder=t("files.request_placeholder"),
                    max_length=200,
                    class_name="field-input",
                    aria_invalid=rx.cond(S.errors.contains("label"), "true", "false"),
                    aria_describedby=rx.cond(S.errors.contains("label"), "label-files-error", ""),
                ),
                _error("label"),
            ),
            rx.button(t("files.request_send"), type="submit", variant="soft"),
            on_submit=S.request_document,
            reset_on_submit=True,
        ),
    )
    return section(
        "files-requests",
        t("files.requests_title"),
        rx.cond(S.requests.length() > 0, table, rx.text(t("files.requests_empty"))),
        ask,
        level=3,
    )


def documents_space(**load: object) -> rx.Component:
    """The space as the reader may see it; ``load``: how the state loads (the tab's ``on_mount``: it is
    mounted when opened; the page has its ``on_load``)."""
    return rx.box(
        rx.match(
            S.status,
            ("loading", loading()),
            ("none", rx.text(t("files.no_bilan"))),
            ("admin", rx.box(rx.text(t("files.admin_intro")), rx.foreach(S.admin_summary, rx.text))),
            rx.box(
                form_messages(S.form_error, S.notice),
                rx.text(rx.cond(S.is_consultant, t("files.intro_consultant"), t("files.intro_beneficiary"))),
                rx.cond(S.areas.length() > 0, _upload_form(), rx.text(t("files.closed"))),
                _requests(),
                section("files-shared", t("files.area.shared"), _file_table(S.shared, "files.table_shared"), level=3),
                rx.cond(
                    S.is_consultant,
                    section(
                        "files-consultant",
                        t("files.area.consultant"),
                        _file_table(S.consultant, "files.table_consultant"),
                        level=3,
                    ),
                ),
                class_name="stack",
            ),
        ),
        id="bilan-files",
        **load,
    )


def bilan_files_panel() -> rx.Component:
    """The documents tab's panel on the bilan page."""
    return section("bilan-files-title", t("files.title"), documents_space(on_mount=S.load), level=3)


@screen(routes.MY_DOCUMENTS, on_load=S.load)
def my_documents_page() -> rx.Component:
    return rx.box(page_title("screen.my_documents"), documents_space())
