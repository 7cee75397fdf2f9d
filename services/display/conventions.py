"""Rows of the convention's screens: the beneficiary's signing page, the employer's (by link), the public
verification, and the convention panel of the bilan page. Labels stay catalogue values (kind, status,
party): the page translates them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypedDict

from services import routes
from services.conventions import (
    ConventionView,
    EmployerSignatureView,
    PartyView,
    VerificationResult,
    VerifiedSigner,
)
from services.i18n import format_datetime, normalise_locale, translate

DATE_TIME = {"fr": "d MMMM y 'à' HH:mm", "en": "d MMMM y, HH:mm"}


class ConventionDocumentRow(TypedDict):
    """The PDF to read and, once every party signed, the signed one (both pages' document section)."""

    sha256: str
    signed_sha256: str  # "" when the page does not carry it
    pdf_path: str
    signed_pdf_path: str  # "" until the convention is signed by all


class ConventionRow(ConventionDocumentRow):
    kind: str
    status: str
    version: str
    issued: str
    sign_by: str
    signed_at: str


class EmployerConventionRow(ConventionDocumentRow):
    organisation: str
    beneficiary: str
    employer: str
    signatory: str
    status: str
    version: str
    issued: str
    sign_by: str
    signed_at: str  # the employer's signature
    completed_at: str  # every party signed


class FollowerConventionRow(TypedDict):
    """The convention panel of the bilan page."""

    id: str
    kind: str
    status: str
    version: str
    issued: str
    sign_by: str
    viewer_party: str  # the party the reader may still sign for, or ""
    signer_name: str  # the name the reader must type to sign for it


class PartyRow(TypedDict):
    party: str
    name: str
    on_behalf_of: str
    signed_at: str


class VerificationRow(TypedDict):
    sha256: str
    organisation: str
    kind: str
    version: str
    signed_at: str


class SignerRow(TypedDict):
    text: str


def when(value: datetime | None, locale: str) -> str:
    """A date and time in Paris time ("12 mars 2026 à 14:05"); None gives ""."""
    return format_datetime(value, locale, DATE_TIME[normalise_locale(locale)]) if value else ""


def convention_row(view: ConventionView, locale: str) -> ConventionRow:
    """What the beneficiary's page shows about the convention."""
    convention_id = str(view.id)
    return {
        "kind": str(view.kind),
        "status": str(view.status),
        "version": str(view.version),
        "issued": when(view.issued_at, locale),
        "sign_by": when(view.sign_by, locale),
        "signed_at": when(view.signed_at, locale),
        "sha256": view.document_sha256,
        "signed_sha256": view.signed_document_sha256,
        "pdf_path": routes.convention_pdf(convention_id, signed=False),
        "signed_pdf_path": routes.convention_pdf(convention_id, signed=True) if view.signed_document_sha256 else "",
    }


def follower_convention_row(view: ConventionView, locale: str) -> FollowerConventionRow:
    """The bilan page's convention panel (short dates), with what the reader may sign."""
    return {
        "id": str(view.id),
        "kind": str(view.kind),
        "status": str(view.status),
        "version": str(view.version),
        "issued": format_datetime(view.issued_at, locale),
        "sign_by": format_datetime(view.sign_by, locale),
        "viewer_party": str(view.viewer_party or ""),
        "signer_name": next((p.name for p in view.parties if p.party is view.viewer_party), ""),
    }


def party_rows(
    parties: Iterable[PartyView], locale: str, stamp: Callable[[datetime | None, str], str] = when
) -> list[PartyRow]:
    """The convention's parties and when each signed; ``stamp`` formats the date (the bilan page's is short)."""
    return [
        {
            "party": str(party.party),
            "name": party.name,
            "on_behalf_of": party.on_behalf_of,
            "signed_at": stamp(party.signed_at, locale),
        }
        for party in parties
    ]


def employer_convention_row(view: EmployerSignatureView, token: str, locale: str) -> EmployerConventionRow:
    """What the employer's page shows; the download paths carry the link's token (already in the page URL)."""
    return {
        "organisation": view.organisation_name,
        "beneficiary": view.beneficiary_name,
        "employer": view.employer_name,
        "signatory": view.signatory_name,
        "status": str(view.status),
        "version": str(view.version),
        "issued": when(view.issued_at, locale),
        "sign_by": when(view.sign_by, locale),
        "signed_at": when(view.signed_at, locale),
        "completed_at": when(view.completed_at, locale),
        "sha256": view.document_sha256,
        "signed_sha256": "",  # the employer's view does not carry it; the certificate page prints it
        "pdf_path": routes.employer_pdf(token, signed=False),
        "signed_pdf_path": routes.employer_pdf(token, signed=True) if view.completed_at else "",
    }


def verification_row(result: VerificationResult, locale: str) -> VerificationRow:
    """What the verification of an uploaded PDF found ("" for what an unknown document cannot say)."""
    return {
        "sha256": result.sha256,
        "organisation": result.organisation_name,
        "kind": str(result.kind) if result.kind else "",
        "version": str(result.version) if result.version is not None else "",
        "signed_at": when(result.signed_at, locale),
    }


def signer_rows(signers: Iterable[VerifiedSigner], locale: str) -> list[SignerRow]:
    """Each signature the verified PDF carries, in one sentence."""
    return [
        {
            "text": translate(
                "signui.verify_signer",
                locale,
                party=translate(f"convention.party.{signer.party}", locale),
                name=signer.name,
                date=when(signer.signed_at, locale),
            ),
        }
        for signer in signers
    ]
