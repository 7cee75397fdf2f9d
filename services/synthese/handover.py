"""The synthèse after its handover (L6313-4, R6313-7): the beneficiary's download, third parties, retention.

* **Handovers** (``hand_over_synthese``, ``handover_history``): each validated version the consultant hands
  over is a new row (``SyntheseHandover``: version, SHA-256, date); a newer validated version can be handed
  over after the first, and the earlier rows and files are never changed. She has the latest.
* **Download** (``synthese_link`` / ``read_synthese_by_link``): the beneficiary alone, in her space, by a
  signed link that expires after ``LINK_MINUTES`` and names her; the download endpoint also needs her
  session (the link alone, forwarded, opens nothing). The assigned consultant keeps reading their own
  work through ``services.synthese.uploaded.read_synthese``; the org admin sees that the handover happened
  (its date on the bilan page) and never the content.
* **Third parties** (``share_synthese``, ``list_shares``, ``revoke_share``, ``read_shared_synthese``):
  only with her explicit agreement for one named recipient (employer, CEP operator, other), the text's
  version recorded; an agreement carries the handover that was the latest when she gave it (a newer
  version needs a new agreement); the recipient gets an e-mailed link (token stored hashed, ``SHARE_DAYS`` days);
  revoking the agreement kills the link at once. Followers see the agreements (Qualiopi evidence),
  not the document.
* **Retention** (``set_retention``, ``get_retention``): destroy the bilan's documents at its end, or keep
  them at most one year with her written agreement; the purge job reads the choice.

Every step is audited on the bilan; every download by someone other than the beneficiary too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, EmailStr, Field
from sqlmodel import Session, col, select

from services import audit, bilans, routes
from services.access import Actor, get_scoped
from services.bilans import (
    get_bilan,
    is_follower,
    record_on_bilan,
    require_assigned_consultant,
    require_beneficiary,
    require_follower,
)
from services.crypto import decrypt_text, encrypt_text, hash_token, new_token, sign_link, verify_link
from services.db import session_scope
from services.documents.common import branding_of
from services.documents.synthese import InterestScore, SynthesePdfInput, render_synthese_pdf
from services.errors import FormError, NotFound, ServiceError
from services.forms import PersonName, validate_form
from services.i18n import TIMEZONE, format_datetime, translate
from services.mail import queue_mail
from services.models import (
    Bilan,
    BilanStatus,
    Document,
    DocumentKind,
    Organisation,
    RetentionChoice,
    RetentionOption,
    ShareRecipientKind,
    SyntheseHandover,
    SyntheseShare,
    User,
)
from services.models.base import utcnow
from services.psychometrics import service as psychometrics
from services.settings import get_settings
from services.skills import cartography
from services.storage import read_document, store_document
from services.synthese._common import full_names, handover_rows
from services.synthese.content import DOCUMENT_LOCALE
from services.synthese.versions import SynthesePdfContent, list_versions, synthese_for_pdf

LINK_MINUTES = 10
SHARE_DAYS = 30
SHARE_TEXT_VERSION = "2026-11"
RETENTION_TEXT_VERSION = "2026-11"
LINK_PURPOSE = "synthese-download"


class HandoverAction(StrEnum):
    DOWNLOADED = "handover.synthese_downloaded"
    SHARED = "handover.share_given"
    SHARE_REVOKED = "handover.share_revoked"
    SHARE_DOWNLOADED = "handover.share_downloaded"
    RETENTION_CHOSEN = "handover.retention_chosen"


@dataclass(frozen=True)
class HandoverView:
    """One document handed to the beneficiary (evidence: which, its fingerprint, when, by whom)."""

    number: int  # 1, 2, 3… in the order handed over
    synthese_version: int | None  # the synthèse version rendered; None: a PDF the consultant uploaded
    filename: str
    sha256: str
    handed_over_at: datetime
    handed_over_by: str


def handover_label(synthese_version: int | None, number: int, locale: str) -> str:
    """ "version 3" for a generated synthèse, "document déposé n° 2" for an uploaded one (pure: any caller)."""
    if synthese_version is not None:
        return translate("handover.label.version", locale, version=synthese_version)
    return translate("handover.label.upload", locale, number=number)


def _handover_views(session: Session, bilan: Bilan) -> list[HandoverView]:
    rows = handover_rows(session, bilan)
    documents = {doc.id: doc for doc in session.exec(select(Document).where(Document.bilan_id == bilan.id)).all()}
    names = full_names(session, (row.handed_over_by for row in rows))
    return [
        HandoverView(
            number=row.number,
            synthese_version=row.synthese_version,
            filename=documents[row.document_id].filename if row.document_id in documents else "",
            sha256=row.sha256,
            handed_over_at=row.handed_over_at,
            handed_over_by=names.get(row.handed_over_by, "") if row.handed_over_by else "",
        )
        for row in rows
    ]


def _document_of(session: Session, bilan: Bilan, row: SyntheseHandover | None) -> Document:
    document = session.get(Document, row.document_id) if row is not None else None
    if document is None or document.bilan_id != bilan.id:
        raise NotFound()
    return document


def _handed_over_document(session: Session, bilan: Bilan) -> Document:
    """The document she has: the latest one handed over (never a newer one not handed over yet)."""
    return _document_of(session, bilan, bilans.latest_handover(session, bilan))


def handover_history(actor: Actor, bilan_id: uuid.UUID | str) -> list[HandoverView]:
    """What was handed over when, newest first (the beneficiary and the bilan's followers)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        return _handover_views(session, bilan)


# ---------------------------------------------------------------- the handover of the generated synthèse


def _pdf_input(actor: Actor, bilan_id: uuid.UUID | str, content: SynthesePdfContent) -> SynthesePdfInput:
    """The validated synthèse with the bilan's facts and charts, as the PDF renderer takes it."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        organisation = session.get(Organisation, bilan.organisation_id)
        started = bilan.preliminaire_started_at or bilan.requested_at
        ended = bilan.closed_at or bilan.conclusion_started_at
    assert organisation is not None
    time = bilans.hours(actor, bilan_id)
    skills = cartography.skills_map(actor, bilan_id)
    # The latest interest inventory as scored and stored (its Holland code, labels and title included).
    results = psychometrics.results_for_bilan(actor, bilan_id, DOCUMENT_LOCALE)
    latest = next((result for result in results if result.instrument_id == psychometrics.INTERESTS_ID), None)
    interests = [
        InterestScore(dimension.key, dimension.label, dimension.normalised)
        for dimension in (latest.dimensions if latest else [])
        if dimension.normalised is not None
    ]
    return SynthesePdfInput(
        organisation=branding_of(organisation),
        beneficiary_name=content.beneficiary_name,
        consultant_name=content.consultant_name,
        started_on=started.astimezone(TIMEZONE).date() if started else None,
        ended_on=ended.astimezone(TIMEZONE).date() if ended else None,
        minutes_completed=time.completed_minutes,
        minutes_planned=time.agreed_minutes,  # the bilan's planned duration, as in section 1
        version=content.version_number,
        validated_at=content.validated_at,
        sections=content.sections,
        skill_groups=skills.by_domain if skills else (),
        interests=interests,
        holland_code=latest.holland_code if latest else "",
        interests_source=latest.title if latest and interests else "",
    )


def _handed_versions(session: Session, bilan: Bilan) -> int:
    """The newest synthèse version already handed over (0: none)."""
    return max((row.synthese_version or 0 for row in handover_rows(session, bilan)), default=0)


def hand_over_synthese(actor: Actor, bilan_id: uuid.UUID | str) -> HandoverResult:
    """The assigned consultant hands the latest validated synthèse over: its PDF is rendered (the same
    version always gives the same document), stored encrypted, and the handover is recorded as a new row
    (Qualiopi evidence; it releases the closing guard). A version newer than the one handed over may be
    handed over in turn; the earlier handovers stay as they were. She is told it waits in her space."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_assigned_consultant(actor, bilan)
        if bilan.status not in {BilanStatus.CONCLUSION, BilanStatus.SUIVI}:
            raise ServiceError("handover.error.phase")
        handed = _handed_versions(session, bilan)
    try:
        content = synthese_for_pdf(actor, bilan_id)
    except NotFound as exc:
        raise ServiceError("handover.error.not_validated") from exc
    if content.version_number <= handed:
        raise ServiceError("handover.error.already_current", version=handed)
    pdf = render_synthese_pdf(_pdf_input(actor, bilan_id, content), created=content.validated_at)
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if content.version_number <= _handed_versions(session, bilan):  # a second click while this one rendered
            raise ServiceError("handover.error.already_current", version=content.version_number)
        document = store_document(
            session,
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            kind=DocumentKind.SYNTHESE,
            filename=f"synthese-v{content.version_number}.pdf",
            content=pdf,
            uploaded_by_id=actor.user_id,
        )
        row = bilans.record_handover(session, actor, bilan, document, content.version_number)
        return HandoverResult(document.filename, len(pdf), content.version_number, row.handed_over_at)


@dataclass(frozen=True)
class HandoverResult:
    filename: str
    size_bytes: int
    version: int
    handed_over_at: datetime


@dataclass(frozen=True)
class HandoverStatus:
    handed_over_at: datetime | None  # the latest handover
    shares: list[ShareView]
    retention: RetentionView
    history: list[HandoverView]  # newest first
    beneficiary_first_name: str
    # The latest validated version when it is newer than every version handed over (None: nothing to hand over).
    pending_version: int | None


def handover_status(actor: Actor, bilan_id: uuid.UUID | str) -> HandoverStatus:
    """What the bilan's followers see of the handover (the org admin included): what was handed over when,
    whether a newer validated version waits, the agreements to third parties, the retention choice.
    Never the document."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_follower(actor, bilan)
        handed_over_at = bilan.synthese_handed_over_at
        retention = _retention_view(bilan, _retention_row(session, bilan))
        history = _handover_views(session, bilan)
        handed = _handed_versions(session, bilan)
        beneficiary = session.get(User, bilan.beneficiary_id)
    validated = next((info.number for info in list_versions(actor, bilan_id) if info.locked), None)
    return HandoverStatus(
        handed_over_at,
        list_shares(actor, bilan_id),
        retention,
        history,
        beneficiary.first_name if beneficiary else "",
        validated if validated is not None and validated > handed else None,
    )


# ---------------------------------------------------------------- the beneficiary's download


@dataclass(frozen=True)
class DownloadLink:
    path: str  # /api/syntheses/<signed token>
    expires_at: datetime
    handed_over_at: datetime
    latest: HandoverView  # what the link downloads: the latest handover
    history: list[HandoverView]  # every handover, newest first


def synthese_link(actor: Actor, bilan_id: uuid.UUID | str, now: datetime | None = None) -> DownloadLink:
    """The beneficiary's (hers alone) download path for her latest handed-over synthèse, valid
    ``LINK_MINUTES``."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        _handed_over_document(session, bilan)
        history = _handover_views(session, bilan)
    expires = (now or utcnow()) + timedelta(minutes=LINK_MINUTES)
    token = sign_link(LINK_PURPOSE, f"{bilan.id}:{actor.user_id}", expires)
    return DownloadLink(routes.synthese_download(token), expires, history[0].handed_over_at, history[0], history)


def read_synthese_by_link(actor: Actor, token: str) -> tuple[str, bytes]:
    """The PDF behind a link of ``synthese_link``, for the logged-in beneficiary it names only."""
    subject = verify_link(token, LINK_PURPOSE)
    if subject is None:
        raise NotFound()
    bilan_id, _, user_id = subject.partition(":")
    if user_id != str(actor.user_id):
        raise NotFound()
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        document = _handed_over_document(session, bilan)
        record_on_bilan(session, actor, bilan, HandoverAction.DOWNLOADED)
        return document.filename, read_document(document)


# ---------------------------------------------------------------- third parties


def _agreed(value: bool) -> bool:
    if not value:
        raise ValueError("consent")
    return value


class ShareForm(BaseModel):
    recipient_kind: ShareRecipientKind
    recipient_name: Annotated[PersonName, Field(min_length=2)]
    recipient_email: EmailStr
    consent: Annotated[bool, AfterValidator(_agreed)] = False


@dataclass(frozen=True)
class ShareView:
    id: str
    recipient_kind: str
    recipient_name: str
    recipient_email: str
    consent_text_version: str
    consented_at: datetime
    revoked_at: datetime | None
    expires_at: datetime
    downloads: int
    last_download_at: datetime | None
    handover_number: int  # the handover it carries (0: unknown, an agreement older than the history)
    synthese_version: int | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


def _share_view(row: SyntheseShare, carried: SyntheseHandover | None) -> ShareView:
    return ShareView(
        id=str(row.id),
        recipient_kind=str(row.recipient_kind),
        recipient_name=decrypt_text(row.recipient_name_encrypted),
        recipient_email=decrypt_text(row.recipient_email_encrypted),
        consent_text_version=row.consent_text_version,
        consented_at=row.consented_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
        downloads=row.downloads,
        last_download_at=row.last_download_at,
        handover_number=carried.number if carried else 0,
        synthese_version=carried.synthese_version if carried else None,
    )


def share_synthese(actor: Actor, bilan_id: uuid.UUID | str, raw: dict[str, Any], locale: str = "fr") -> ShareView:
    """The beneficiary (she alone) agrees that one recipient receives her synthèse: the agreement is
    recorded and the recipient is e-mailed a download link."""
    if "consent" in raw and not isinstance(raw["consent"], bool):
        raw = {**raw, "consent": str(raw["consent"]).lower() in {"on", "true", "1"}}
    try:
        form = validate_form(ShareForm, raw)
    except FormError as exc:
        if "consent" in exc.fields:
            exc.fields["consent"] = "handover.error.consent_required"
        raise
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        carried = bilans.latest_handover(session, bilan)  # what she has now; a later version needs a new agreement
        _document_of(session, bilan, carried)
        assert carried is not None
        token = new_token()
        now = utcnow()
        row = SyntheseShare(
            organisation_id=bilan.organisation_id,
            bilan_id=bilan.id,
            handover_id=carried.id,
            recipient_kind=form.recipient_kind,
            recipient_name_encrypted=encrypt_text(form.recipient_name),
            recipient_email_encrypted=encrypt_text(str(form.recipient_email)),
            consent_text_version=SHARE_TEXT_VERSION,
            consented_by=actor.user_id,
            consented_at=now,
            token_hash=hash_token(token),
            expires_at=now + timedelta(days=SHARE_DAYS),
        )
        session.add(row)
        session.flush()
        beneficiary = session.get(User, bilan.beneficiary_id)
        organisation = session.get(Organisation, bilan.organisation_id)
        names = {"name": beneficiary.full_name if beneficiary else "", "org": organisation.name if organisation else ""}
        link = get_settings().public_url.rstrip("/") + routes.shared_synthese(token)
        queue_mail(
            session,
            to=str(form.recipient_email),
            subject=translate("handover.mail.subject", locale, **names),
            body=translate(
                "handover.mail.body",
                locale,
                recipient=form.recipient_name,
                link=link,
                until=format_datetime(row.expires_at, locale),
                document=handover_label(carried.synthese_version, carried.number, locale),
                date=format_datetime(carried.handed_over_at, locale),
                **names,
            ),
            organisation_id=bilan.organisation_id,
        )
        record_on_bilan(
            session,
            actor,
            bilan,
            HandoverAction.SHARED,
            recipient={"before": None, "after": f"{form.recipient_kind} ({SHARE_TEXT_VERSION})"},
            handover={"before": None, "after": carried.number},
        )
        return _share_view(row, carried)


def list_shares(actor: Actor, bilan_id: uuid.UUID | str) -> list[ShareView]:
    """The beneficiary's agreements, newest first (the beneficiary and the bilan's followers)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        rows = session.exec(
            select(SyntheseShare)
            .where(SyntheseShare.organisation_id == bilan.organisation_id, SyntheseShare.bilan_id == bilan.id)
            .order_by(col(SyntheseShare.consented_at).desc())
        ).all()
        carried = {row.id: row for row in handover_rows(session, bilan)}
        return [_share_view(row, carried.get(row.handover_id) if row.handover_id else None) for row in rows]


def revoke_share(actor: Actor, share_id: uuid.UUID | str) -> ShareView:
    """The beneficiary (she alone) withdraws an agreement: its link stops working at once."""
    with session_scope() as session:
        row = get_scoped(session, SyntheseShare, share_id, actor)
        bilan = get_bilan(session, actor, row.bilan_id)
        require_beneficiary(actor, bilan)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            session.add(row)
            record_on_bilan(
                session, actor, bilan, HandoverAction.SHARE_REVOKED, recipient={"before": str(row.id), "after": None}
            )
        return _share_view(row, session.get(SyntheseHandover, row.handover_id) if row.handover_id else None)


class ShareUnavailable(NotFound):
    """A recipient's link that opens nothing, and why: "revoked" (she withdrew her agreement), "expired",
    or "unknown" (no such link). The recipient has no account: the answer tells them whom to ask."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    @property
    def message_key(self) -> str:
        return f"handover.share_link.{self.reason}"


def read_shared_synthese(token: str) -> tuple[str, bytes]:
    """The recipient's download (no account: whoever holds the link): a live agreement's token only, the
    version she agreed to send; logged on the bilan."""
    if not token:
        raise ShareUnavailable("unknown")
    with session_scope() as session:
        row = session.exec(select(SyntheseShare).where(SyntheseShare.token_hash == hash_token(token))).first()
        if row is None:
            raise ShareUnavailable("unknown")
        if row.revoked_at is not None:
            raise ShareUnavailable("revoked")
        if row.expires_at <= utcnow():
            raise ShareUnavailable("expired")
        bilan = session.get(Bilan, row.bilan_id)
        if bilan is None:
            raise ShareUnavailable("unknown")
        carried = session.get(SyntheseHandover, row.handover_id) if row.handover_id else None
        document = _document_of(session, bilan, carried) if carried else _handed_over_document(session, bilan)
        row.downloads += 1
        row.last_download_at = utcnow()
        session.add(row)
        audit.record(
            session,
            HandoverAction.SHARE_DOWNLOADED,
            organisation_id=bilan.organisation_id,
            actor_label=f"{row.recipient_kind}:{row.id}",
            target_type="bilan",
            target_id=bilan.id,
            changes={"downloads": {"before": row.downloads - 1, "after": row.downloads}},
        )
        return document.filename, read_document(document)


# ---------------------------------------------------------------- retention (R6313-7)


@dataclass(frozen=True)
class RetentionView:
    option: str  # "" while she has not chosen
    decided_at: datetime | None
    consent_text_version: str
    purge_after: datetime | None  # when the purge job may destroy the documents (None: at the end)


def _retention_view(bilan: Bilan, row: RetentionChoice | None) -> RetentionView:
    if row is None:
        return RetentionView("", None, "", None)
    keep = row.option is RetentionOption.KEEP_ONE_YEAR
    end = bilan.closed_at
    return RetentionView(
        str(row.option), row.decided_at, row.consent_text_version, (end + timedelta(days=365)) if keep and end else None
    )


def _retention_row(session: Session, bilan: Bilan) -> RetentionChoice | None:
    return session.exec(
        select(RetentionChoice).where(
            RetentionChoice.organisation_id == bilan.organisation_id, RetentionChoice.bilan_id == bilan.id
        )
    ).first()


def get_retention(actor: Actor, bilan_id: uuid.UUID | str) -> RetentionView:
    """The beneficiary's choice (the beneficiary and the bilan's followers)."""
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        if not is_follower(actor, bilan):
            require_beneficiary(actor, bilan)
        return _retention_view(bilan, _retention_row(session, bilan))


def set_retention(actor: Actor, bilan_id: uuid.UUID | str, option: str, *, written_consent: bool) -> RetentionView:
    """The beneficiary (she alone) chooses; keeping for a year needs her written agreement (the ticked
    statement)."""
    try:
        choice = RetentionOption(option)
    except ValueError as exc:
        raise FormError({"option": "error.invalid_choice"}) from exc
    if choice is RetentionOption.KEEP_ONE_YEAR and not written_consent:
        raise FormError({"written_consent": "handover.error.written_consent_required"})
    with session_scope() as session:
        bilan = get_bilan(session, actor, bilan_id)
        require_beneficiary(actor, bilan)
        row = _retention_row(session, bilan)
        before = str(row.option) if row else None
        if row is None:
            row = RetentionChoice(
                organisation_id=bilan.organisation_id,
                bilan_id=bilan.id,
                consent_text_version=RETENTION_TEXT_VERSION,
                decided_by=actor.user_id,
            )
        if before == str(choice):
            return _retention_view(bilan, row)
        row.option = choice
        row.consent_text_version = RETENTION_TEXT_VERSION
        row.decided_by = actor.user_id
        row.decided_at = utcnow()
        session.add(row)
        record_on_bilan(
            session, actor, bilan, HandoverAction.RETENTION_CHOSEN, option={"before": before, "after": str(choice)}
        )
        return _retention_view(bilan, row)
