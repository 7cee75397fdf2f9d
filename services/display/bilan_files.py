"""Rows of the bilan's documents space: her "Mes documents" page and the consultant's documents tab."""

from __future__ import annotations

from typing import TypedDict

from services import routes
from services.bilan_files import FileView, SpaceView, VersionView
from services.display.messaging import file_size
from services.i18n import format_datetime, format_number, translate


class FileRow(TypedDict):
    id: str
    name: str
    version: str  # "v2"
    current: bool  # the latest version of its name (older ones follow it, marked)
    size: str
    by: str
    when: str
    href: str  # download
    preview_href: str  # "" when the type is not shown inline
    download_label: str  # the links' accessible names, with the name and version
    preview_label: str


class RequestRow(TypedDict):
    id: str
    label: str
    when: str
    done: bool
    status: str


class RequestOption(TypedDict):
    value: str
    label: str


def _row(file: FileView, version: VersionView, locale: str) -> FileRow:
    params = {"name": file.name, "version": version.version}
    return {
        "id": version.id,
        "name": file.name,
        "version": translate("files.version", locale, version=version.version),
        "current": version is file.latest,
        "size": file_size(version.size_bytes, locale),
        "by": translate("msg.you", locale) if version.mine else version.uploaded_by,
        "when": format_datetime(version.created_at, locale),
        "href": routes.bilan_file(version.id),
        "preview_href": routes.bilan_file(version.id, preview=True) if version.previewable else "",
        "download_label": translate("files.download", locale, **params),
        "preview_label": translate("files.preview", locale, **params),
    }


def file_rows(files: list[FileView], locale: str) -> list[FileRow]:
    """Each name's latest version, then its older ones, newest first."""
    return [_row(file, version, locale) for file in files for version in (file.latest, *file.older)]


def request_rows(view: SpaceView, locale: str) -> list[RequestRow]:
    return [
        {
            "id": item.id,
            "label": item.label,
            "when": format_datetime(item.requested_at, locale),
            "done": bool(item.fulfilled_name),
            "status": translate("files.request_done", locale, name=item.fulfilled_name)
            if item.fulfilled_name
            else translate("files.request_open", locale),
        }
        for item in view.requests
    ]


def open_request_options(view: SpaceView) -> list[RequestOption]:
    return [{"value": item.id, "label": item.label} for item in view.requests if not item.fulfilled_name]


def limits_line(view: SpaceView, locale: str) -> str:
    return translate(
        "files.limits",
        locale,
        file_mb=format_number(round(view.file_limit_bytes / (1024 * 1024), 1), locale),
        used=file_size(view.used_bytes, locale) if view.used_bytes else "0",
        total=file_size(view.limit_bytes, locale),
    )


def admin_lines(view: SpaceView, locale: str) -> list[str]:
    """The org admin's supervision: per area, how many files, their size, the last upload (no name)."""
    return [
        translate(
            "files.admin_line",
            locale,
            area=translate(f"files.area.{summary.area}", locale),
            count=summary.files,
            size=file_size(summary.size_bytes, locale) if summary.size_bytes else "0",
            last=format_datetime(summary.last_upload, locale) if summary.last_upload else "—",
        )
        for summary in view.summaries
    ]
