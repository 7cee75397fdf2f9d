"""The convention of a bilan and its electronic signature (Code du travail L6313-4, R6313-8).

Who may do what, in one screen:

* ``issue_convention`` and ``cancel_convention``: a follower of the bilan (the assigned consultant or
  an org admin). The follower who issues the convention is the organisation's signatory.
* ``send_code`` and ``sign_as``: the party itself, one path for all. The beneficiary signs for
  ``BENEFICIARY`` and the organisation's signatory (still a follower) for ``ORGANISATION``, from
  their account (``AccountSigner``; ``send_signature_code`` and ``sign``). The employer of a
  tripartite convention has no account and signs through the token of the link it received
  (``LinkSigner``; ``describe_employer_signature``, ``send_employer_code``, ``sign_as_employer``).
* ``get_convention_view`` and ``read_convention_pdf``: the beneficiary and the followers.
* ``verify_pdf``: anyone (a public page); it reveals only the organisation, the kind, and the
  parties' names and signature times.
* ``expire_overdue_conventions``: the job that applies "silence vaut refus" after ten days.

Every function that takes an actor finds the bilan through ``services.bilans.get_bilan``, so another
organisation's convention answers NotFound. Each mutation writes its audit event in the same
transaction; mails are queued in it and delivered after the commit.

The PDFs are rendered by ``services.documents.convention``. The signed PDF is the original PDF, byte
for byte, followed by a certificate page appended as a PDF incremental update
(``services.pdf.append_pdf_pages``): whoever holds the final file can check the first bytes against
the SHA-256 printed on the certificate.

Modules: ``views`` (what pages show, the PDFs to read), ``issuing`` (issue, cancel, expire),
``signing`` (the codes and the signatures), ``verification`` (``verify_pdf``), ``_common`` (shared
internals).
"""

from services.conventions._common import (
    CODE_MAX_ATTEMPTS,
    CODE_TTL,
    CODES_PER_HOUR,
    LEGAL_MAX_HOURS,
    SIGN_WINDOW_DAYS,
    ConventionAction,
    employer_signature_link,
    names_match,
)
from services.conventions.issuing import cancel_convention, expire_overdue_conventions, issue_convention
from services.conventions.signing import (
    AccountSigner,
    CodeSent,
    LinkSigner,
    Signer,
    send_code,
    send_employer_code,
    send_signature_code,
    sign,
    sign_as,
    sign_as_employer,
)
from services.conventions.verification import VerificationResult, VerificationStatus, VerifiedSigner, verify_pdf
from services.conventions.views import (
    ConventionView,
    EmployerSignatureView,
    PartyView,
    describe_employer_signature,
    get_convention_view,
    read_convention_pdf,
    read_employer_pdf,
)

__all__ = [
    "CODES_PER_HOUR",
    "CODE_MAX_ATTEMPTS",
    "CODE_TTL",
    "LEGAL_MAX_HOURS",
    "SIGN_WINDOW_DAYS",
    "AccountSigner",
    "CodeSent",
    "ConventionAction",
    "ConventionView",
    "EmployerSignatureView",
    "LinkSigner",
    "PartyView",
    "Signer",
    "VerificationResult",
    "VerificationStatus",
    "VerifiedSigner",
    "cancel_convention",
    "describe_employer_signature",
    "employer_signature_link",
    "expire_overdue_conventions",
    "get_convention_view",
    "issue_convention",
    "names_match",
    "read_convention_pdf",
    "read_employer_pdf",
    "send_code",
    "send_employer_code",
    "send_signature_code",
    "sign",
    "sign_as",
    "sign_as_employer",
    "verify_pdf",
]
