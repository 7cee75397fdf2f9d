"""Rows of the document de synthèse's pages: the consultant's editor, the beneficiary's page, and the
handover panels on both (her download, her agreements, her retention choice; the followers' evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TypedDict

from services.i18n import format_datetime, translate
from services.markdown import render_markdown
from services.synthese import (
    CONSULTANT_SECTIONS,
    HandoverView,
    RetentionView,
    SectionDiff,
    ShareView,
    VersionContent,
    VersionInfo,
    handover_label,
    section_title,
)

DATE_FORMAT = "d MMMM y"
# The level of a text's highest heading: one below its section's title (nothing skipped in between).
EDITOR_TOP_LEVEL = 4  # sections are h3 on the editor: a "# Titre" of the text becomes an h4
READER_TOP_LEVEL = 3  # sections are h2 on the beneficiary's page


class VersionRow(TypedDict):
    number: str
    label: str
    status: str
    status_label: str
    origin: str
    created: str
    validated: str


class SummaryRow(TypedDict):
    """The status panel's lines for the current version (all "" when there is none)."""

    title: str
    made_by: str
    updated: str
    validated: str


class DiffHeadRow(TypedDict):
    key: str
    title: str


class DiffLineRow(TypedDict):
    """A line of a changed section: ``kind`` "added", "removed" or "same", and its printed ``tag``."""

    kind: str
    tag: str
    text: str


class ReaderSectionRow(TypedDict):
    key: str
    title: str
    html: str


class HandoverRow(TypedDict):
    text: str


class ShareRow(TypedDict):
    id: str
    who: str
    status: str
    active: bool


EMPTY_SUMMARY: SummaryRow = {"title": "", "made_by": "", "updated": "", "validated": ""}


# ---------------------------------------------------------------- the synthèse


def day_label(value: datetime | None, locale: str) -> str:
    """A day as the synthèse's pages say it ("12 mars 2026"); "" for none."""
    return format_datetime(value, locale, DATE_FORMAT) if value is not None else ""


def origin_label(info: VersionInfo, locale: str) -> str:
    """ "Assistant IA (gpt-4o-mini)", "Moteur local", "Rédaction du consultant · d'après la version 1"."""
    label = translate(f"synthese.origin.{info.origin}", locale, model=info.model or "—")
    if info.based_on:
        label += " · " + translate("synthese.based_on", locale, number=info.based_on)
    return label


def version_rows(versions: Iterable[VersionInfo], locale: str) -> list[VersionRow]:
    """The versions table (newest first): no text of the synthèse, only who, what and when. A draft
    older than the current version no longer changes: it reads "superseded"."""
    return [
        {
            "number": str(info.number),
            "label": translate("synthese.version_label", locale, number=info.number),
            "status": info.status,
            "status_label": translate(
                f"synthese.status.{'superseded' if index and info.status == 'draft' else info.status}", locale
            ),
            "origin": origin_label(info, locale),
            "created": f"{day_label(info.created_at, locale)} · {info.created_by}",
            "validated": f"{day_label(info.validated_at, locale)} · {info.validated_by}" if info.validated_at else "—",
        }
        for index, info in enumerate(versions)
    ]


def version_summary(info: VersionInfo | None, locale: str) -> SummaryRow:
    """The status panel's lines for the current version (empty lines when there is none)."""
    if info is None:
        return EMPTY_SUMMARY.copy()
    return {
        "title": translate(
            "synthese.current",
            locale,
            version=translate("synthese.version_label", locale, number=info.number),
            status=translate(f"synthese.status.{info.status}", locale),
        ),
        "made_by": translate(
            "synthese.made_by",
            locale,
            origin=origin_label(info, locale),
            author=info.created_by,
            date=day_label(info.created_at, locale),
        ),
        "updated": translate(
            "synthese.updated", locale, author=info.updated_by, date=day_label(info.updated_at, locale)
        ),
        "validated": translate(
            "synthese.validated_on", locale, author=info.validated_by, date=day_label(info.validated_at, locale)
        )
        if info.validated_at
        else "",
    }


def preview_html(text: str, top_level: int) -> str:
    """The HTML of a section's text as the PDF prints it (French typography included)."""
    return render_markdown(text, top_level=top_level, french=True)


def previews(sections: Mapping[str, str], top_level: int) -> dict[str, str]:
    """Every section's preview, by section key."""
    return {key: preview_html(text, top_level) for key, text in sections.items()}


def diff_view(
    diffs: Iterable[SectionDiff], locale: str
) -> tuple[list[DiffHeadRow], list[list[DiffLineRow]], list[str]]:
    """The changed sections (heads), their lines at the same index, and the unchanged sections' titles.

    A line's tag ("Ajouté", "Supprimé" or "") is printed, so that a change never shows by colour alone.
    """
    tags = {
        "added": translate("synthese.diff_added", locale),
        "removed": translate("synthese.diff_removed", locale),
        "same": "",
    }
    heads: list[DiffHeadRow] = []
    lines: list[list[DiffLineRow]] = []
    unchanged: list[str] = []
    for diff in diffs:
        title = section_title(diff.key, locale)
        if not diff.changed:
            unchanged.append(title)
            continue
        heads.append({"key": diff.key, "title": title})
        lines.append([{"kind": line.kind, "tag": tags[line.kind], "text": line.text or " "} for line in diff.lines])
    return heads, lines, unchanged


def reader_sections(content: VersionContent, locale: str) -> list[ReaderSectionRow]:
    """The consultant's sections of a validated version, for the beneficiary's page (empty ones left out)."""
    return [
        {
            "key": key,
            "title": section_title(key, locale),
            "html": preview_html(content.sections[key], READER_TOP_LEVEL),
        }
        for key in CONSULTANT_SECTIONS
        if content.sections[key].strip()
    ]


# ---------------------------------------------------------------- the handover


def share_document(share: ShareView, locale: str) -> str:
    """Which handover an agreement sends ("version 2"); an agreement older than the history: unknown."""
    if not share.handover_number:
        return translate("handover.label.unknown", locale)
    return handover_label(share.synthese_version, share.handover_number, locale)


def handover_rows(history: Iterable[HandoverView], locale: str, *, evidence: bool = False) -> list[HandoverRow]:
    """What was handed over when, newest first; ``evidence`` adds the file, who and its fingerprint."""
    rows: list[HandoverRow] = []
    for item in history:
        document = handover_label(item.synthese_version, item.number, locale)
        document = document[:1].upper() + document[1:]
        date = format_datetime(item.handed_over_at, locale)
        text = (
            translate(
                "handover.history_row",
                locale,
                document=document,
                filename=item.filename,
                date=date,
                author=item.handed_over_by or "—",
                sha=item.sha256[:12],
            )
            if evidence
            else translate("handover.my_history_row", locale, document=document, date=date)
        )
        rows.append({"text": text})
    return rows


def _share_status(share: ShareView, locale: str) -> str:
    if share.revoked_at is not None:
        return translate("handover.share_status.revoked", locale, date=format_datetime(share.revoked_at, locale))
    if not share.active:
        return translate("handover.share_status.expired", locale, date=format_datetime(share.expires_at, locale))
    return translate(
        "handover.share_status.active", locale, date=format_datetime(share.expires_at, locale), count=share.downloads
    )


def share_rows(shares: Iterable[ShareView], locale: str) -> list[ShareRow]:
    """The third parties she agreed to send her synthèse to: who, which document, and the link's state."""
    return [
        {
            "id": share.id,
            "who": translate(
                "handover.share_row",
                locale,
                kind=translate(f"handover.kind.{share.recipient_kind}", locale),
                name=share.recipient_name,
                email=share.recipient_email,
                date=format_datetime(share.consented_at, locale),
                document=share_document(share, locale),
            ),
            "status": _share_status(share, locale),
            "active": share.active,
        }
        for share in shares
    ]


def retention_line(view: RetentionView, locale: str, name: str = "") -> str:
    """Her choice, said to her, or (``name`` given) to the bilan's followers about her."""
    prefix = "handover.followers_retention" if name else "handover.retention"
    if not view.option:
        return translate(f"{prefix}_none", locale, name=name)
    return translate(
        f"{prefix}_current",
        locale,
        choice=translate(f"handover.retention.{view.option}", locale),
        date=format_datetime(view.decided_at, locale),
        name=name,
    )
