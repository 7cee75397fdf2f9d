"""The convention of a bilan and its signature certificate, as PDF.

* ``render_convention_pdf``: the convention to sign (``convention.html``), rendered once when it is
  issued, then stored with its SHA-256 (``services.conventions``).
* ``render_certificate_pdf``: the certificate page appended to the convention once every party signed
  (``certificate.html``): who signed, when, from where, and the SHA-256 of the file they signed.

The inputs are plain values that ``services.conventions`` reads from the database: no database and
no clock here. The texts are French, like the convention itself. Stored conventions are never
rendered again, so any change here must keep the output of the same input byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.numbers import format_currency

from services.documents.common import render_document
from services.i18n import format_datetime, format_number, translate
from services.models import ConventionKind, SignatureParty
from services.pdf import page_count

TITLE = "Convention de bilan de compétences"
CERTIFICATE_TITLE = "Certificat de signature électronique"
PERIOD_WEEKS = 12  # indicative period printed in the convention
MODE_LABELS = {
    "presentiel": "en présentiel",
    "distanciel": "à distance (visioconférence)",
    "hybride": "hybride, en présentiel et à distance",
}
SECONDS = "dd/MM/y HH:mm:ss"


@dataclass(frozen=True)
class ConventionOrganisation:
    """The organisation as the convention names it."""

    name: str
    siret: str
    nda_number: str
    address: str
    email: str
    phone: str


@dataclass(frozen=True)
class ConventionEmployer:
    """The employer of a tripartite convention."""

    name: str
    signatory_name: str
    email: str


@dataclass(frozen=True)
class ConventionPdfInput:
    reference: str  # "CBC-20260312-ABCDEF12"
    version: int
    kind: ConventionKind
    issued_at: datetime  # also the PDF's date
    sign_by: datetime | None  # the employer's deadline (tripartite)
    organisation: ConventionOrganisation
    signatory_name: str  # who signs for the organisation
    signatory_role: str  # as written ("consultant·e")
    beneficiary_name: str
    beneficiary_email: str
    employer: ConventionEmployer | None  # tripartite only
    consultant_name: str | None  # None: no consultant assigned yet
    funding_type: str  # a FundingType value
    edof_file_number: str
    objectives: str
    hours: float  # hours planned
    hours_max: int  # the legal maximum (L6313-4)
    mode: str  # a DeliveryMode value
    price_euros: float
    cpf_fee: tuple[int, float] | None  # (year, amount) of the CPF flat participation in force


@dataclass(frozen=True)
class CertificateSigner:
    party: SignatureParty
    on_behalf_of: str  # the organisation or the employer; "" for the beneficiary
    name: str  # the signatory's name as the platform knows it
    typed_name: str  # the name the signatory typed
    email: str
    signed_at: datetime | None
    ip: str
    user_agent: str
    sha256: str  # of the PDF re-read when this party signed


@dataclass(frozen=True)
class CertificatePdfInput:
    organisation_name: str
    organisation_siret: str
    kind: ConventionKind
    reference: str
    version: int
    issued_at: datetime
    completed_at: datetime  # the last signature; also the PDF's date
    original_filename: str
    original_sha256: str
    original: bytes  # the PDF every party signed
    signers: Sequence[CertificateSigner]  # in the order of the parties
    verify_url: str  # the public verification page


def _paris(value: datetime | None, fmt: str = "d MMMM y 'à' HH:mm") -> str:
    return format_datetime(value, "fr", fmt=fmt) if value else ""


def _money(value: float) -> str:
    return str(format_currency(value, "EUR", locale="fr_FR"))


def convention_context(data: ConventionPdfInput) -> dict[str, Any]:
    """The template's context (without ``created``); pure, anyone may call."""
    return {
        "title": TITLE,
        "convention": {
            "reference": data.reference,
            "version": data.version,
            "kind": str(data.kind),
            "issued_on": _paris(data.issued_at, "d MMMM y"),
            "sign_by": _paris(data.sign_by) + " (heure de Paris)" if data.sign_by else "",
        },
        "organisation": {
            "name": data.organisation.name,
            "siret": data.organisation.siret,
            "nda_number": data.organisation.nda_number,
            "address": data.organisation.address,
            "email": data.organisation.email,
            "phone": data.organisation.phone,
            "signatory_name": data.signatory_name,
            "signatory_role": data.signatory_role,
        },
        "beneficiary": {"name": data.beneficiary_name, "email": data.beneficiary_email},
        "employer": (
            {
                "name": data.employer.name,
                "signatory_name": data.employer.signatory_name,
                "email": data.employer.email,
            }
            if data.employer is not None
            else None
        ),
        "consultant": {"name": data.consultant_name} if data.consultant_name is not None else None,
        "funding": {"type": data.funding_type, "edof_file_number": data.edof_file_number},
        "objectives": data.objectives,
        "hours": format_number(data.hours),
        "hours_max": data.hours_max,
        "period_weeks": PERIOD_WEEKS,
        "mode_label": MODE_LABELS.get(data.mode, data.mode),
        "price": _money(data.price_euros),
        "cpf_fee": _money(data.cpf_fee[1]) if data.cpf_fee else "",
        "cpf_fee_year": data.cpf_fee[0] if data.cpf_fee else "",
    }


def render_convention_pdf(data: ConventionPdfInput) -> bytes:
    """The convention to sign, dated by its issue; the same ``data`` gives the same bytes.

    Pure rendering: ``services.conventions.issue_convention`` decides who may issue one.
    """
    return render_document("convention.html", convention_context(data), created=data.issued_at)


def certificate_context(data: CertificatePdfInput) -> dict[str, Any]:
    """The template's context (without ``created``); pure, anyone may call."""
    return {
        "title": CERTIFICATE_TITLE,
        "organisation": {"name": data.organisation_name, "siret": data.organisation_siret},
        "convention": {
            "title": TITLE,
            "kind_label": "convention tripartite" if data.kind is ConventionKind.TRIPARTITE else "convention bipartite",
            "reference": data.reference,
            "version": data.version,
            "issued_at": _paris(data.issued_at, SECONDS),
        },
        "completed_at": _paris(data.completed_at, SECONDS),
        "original": {
            "filename": data.original_filename,
            "sha256": data.original_sha256,
            "size_bytes": len(data.original),
            "pages": page_count(data.original),
        },
        "parties": [
            {
                "label": translate(f"convention.party.{signer.party}")
                + (f" ({signer.on_behalf_of})" if signer.on_behalf_of else ""),
                "name": signer.name,
                "typed_name": signer.typed_name,
                "email": signer.email,
                "signed_at": _paris(signer.signed_at, SECONDS),
                "ip": signer.ip,
                "user_agent": signer.user_agent,
                "sha256": signer.sha256,
            }
            for signer in data.signers
        ],
        "verify_url": data.verify_url,
    }


def render_certificate_pdf(data: CertificatePdfInput) -> bytes:
    """The certificate page, dated by the last signature; the same ``data`` gives the same bytes.

    Pure rendering: ``services.conventions`` calls it when the last party signs.
    """
    return render_document("certificate.html", certificate_context(data), created=data.completed_at)
