"""The convention's signing pages: the beneficiary's, the employer's (by link) and the public verification.

Who may do what is decided by ``services.conventions``; these states re-check the session (beneficiary
page), call the service and assign the rows ``services.display.conventions`` builds. The PDFs themselves
are served by ``bilan_app/api/documents.py``: the states only hold the paths of those downloads.
``SigningMixin`` holds the signing form's handlers for every page where a party signs (here, and the
bilan page of ``state.bilans``).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from services import bilans, conventions
from services.access import Actor, Permission
from services.conventions import (
    AccountSigner,
    CodeSent,
    ConventionView,
    EmployerSignatureView,
    LinkSigner,
    PartyView,
    Signer,
)
from services.display.conventions import (
    ConventionRow,
    EmployerConventionRow,
    PartyRow,
    SignerRow,
    VerificationRow,
    convention_row,
    employer_convention_row,
    party_rows,
    signer_rows,
    verification_row,
    when,
)
from services.errors import NotFound
from services.i18n import format_datetime, translate
from services.models import SignatureParty
from services.storage import MAX_UPLOAD_BYTES
from state.session import FormMixin, SessionState, guarded

SIGN_FIELDS = ("typed_name", "consent", "code")
PDF_MAGIC = b"%PDF-"


# ---------------------------------------------------------------- helpers (no reflex needed)


def own_party(view: ConventionView, party: SignatureParty) -> PartyView | None:
    return next((p for p in view.parties if p.party is party), None)


def code_message(sent: CodeSent, locale: str) -> str:
    return translate(
        "signui.code_sent",
        locale,
        email=sent.email_masked,
        time=format_datetime(sent.expires_at, locale, "HH:mm"),
    )


def signing_intent(typed_name: str, consent: bool) -> dict[str, Any]:
    """The typed name and the box, read from the form when the code is asked for."""
    return {"typed_name": str(typed_name or ""), "consent": consent is True}


def sign_input(form_data: dict[str, Any]) -> dict[str, Any]:
    """The signing form's fields, as ``services.conventions.sign`` reads them (an unticked box is absent)."""
    return {
        "typed_name": str(form_data.get("typed_name", "") or ""),
        "consent": bool(form_data.get("consent")),
        "code": str(form_data.get("code", "") or ""),
    }


# ---------------------------------------------------------------- the signing form, on every page


class SigningMixin(FormMixin, mixin=True):
    """The handlers of ``components.signing.signing_form``: one path whoever signs (account or link).

    A page says who signs (``_signer``, re-checked on the server at every event) and how it shows
    the convention afterwards (``_show_signed``, ``_refresh``); the steps are the same for all.
    """

    code_notice: str = ""

    def _signer(self) -> tuple[Signer | None, Any]:
        """Who signs on this page: (signer, None), or (None, the event to return) when not allowed."""
        raise NotImplementedError

    def _show_signed(self, view: Any) -> None:
        """Show what the signature left: the ``ConventionView`` (account) or ``EmployerSignatureView`` (link)."""
        raise NotImplementedError

    def _refresh(self, signer: Signer) -> None:
        """Read the convention again: it changed under the form (lapsed, cancelled…)."""
        raise NotImplementedError

    @rx.event
    def send_code(self, typed_name: str, consent: bool) -> Any:
        self._reset_messages()
        self.code_notice = ""
        signer, redirect = self._signer()
        if signer is None:
            return redirect
        intent, client = signing_intent(typed_name, consent), self._client()  # type: ignore[attr-defined]
        ok, sent = self._run(lambda: conventions.send_code(signer, client, intent=intent), self.errors)  # type: ignore[attr-defined]
        if ok:
            self.code_notice = code_message(sent, self.locale)  # type: ignore[attr-defined]
            return rx.set_focus("field-code")
        if not self.errors:
            self._refresh(signer)
        return None

    @rx.event
    def sign(self, form_data: dict[str, Any]) -> Any:
        self._reset_messages()
        signer, redirect = self._signer()
        if signer is None:
            return redirect
        raw, client = sign_input(form_data), self._client()  # type: ignore[attr-defined]
        ok, view = self._run(lambda: conventions.sign_as(signer, raw, client), self.errors)  # type: ignore[attr-defined]
        if ok:
            self.code_notice = ""
            done = "signui.completed_notice" if view.completed else "signui.signed_notice"
            self.notice = self._t(done)  # type: ignore[attr-defined]
            self._show_signed(view)
        elif not self.errors:
            self._refresh(signer)  # not a field error: the convention itself changed (lapsed, cancelled…)
        return None


# ---------------------------------------------------------------- the beneficiary's page


class BeneficiaryConventionState(SigningMixin, SessionState):
    convention_status: str = "loading"  # loading | no_bilan | none | ready
    convention: ConventionRow | None = None
    parties: list[PartyRow] = []
    can_sign: bool = False
    expected_name: str = ""
    own_signed_at: str = ""
    _convention_id: str = ""

    def _reload(self, actor: Any) -> None:
        overview = bilans.my_bilan(actor)
        if overview is None:
            self._show(None, "no_bilan")
            return
        ok, view = self._run(lambda: conventions.get_convention_view(actor, overview.bilan_id))
        self._show(view if ok else None, "ready" if ok and view is not None else "none")

    def _show(self, view: ConventionView | None, status: str) -> None:
        if view is None:
            self.convention, self.parties, self._convention_id = None, [], ""
            self.can_sign, self.expected_name, self.own_signed_at = False, "", ""
            self.convention_status = status
            return
        self._convention_id = str(view.id)
        self.convention = convention_row(view, self.locale)
        self.parties = party_rows(view.parties, self.locale)
        mine = own_party(view, SignatureParty.BENEFICIARY)
        self.expected_name = mine.name if mine else ""
        self.own_signed_at = when(mine.signed_at, self.locale) if mine else ""
        self.can_sign = view.viewer_party is SignatureParty.BENEFICIARY
        self.convention_status = status

    def _signer(self) -> tuple[Signer | None, Any]:
        actor, redirect = self._authorize(Permission.VIEW_OWN_SPACE)
        if actor is None:
            return None, redirect
        return AccountSigner(actor, self._convention_id, SignatureParty.BENEFICIARY), None

    def _show_signed(self, view: ConventionView) -> None:
        self._show(view, "ready")

    def _refresh(self, signer: Signer) -> None:
        if isinstance(signer, AccountSigner):
            self._reload(signer.actor)

    @rx.event
    @guarded(Permission.VIEW_OWN_SPACE)
    def load(self, actor: Actor) -> Any:
        self._reset_messages()
        self.code_notice = ""
        self._reload(actor)
        return None


# ---------------------------------------------------------------- the employer's page (public, by link)


class EmployerSignatureState(SigningMixin, SessionState):
    employer_status: str = "loading"  # loading | invalid | ready
    employer: EmployerConventionRow | None = None
    employer_can_sign: bool = False
    _token: str = ""

    def _describe(self) -> None:
        token = self._token
        try:
            view = conventions.describe_employer_signature(token)
        except NotFound:
            self.employer, self.employer_can_sign, self.employer_status = None, False, "invalid"
            return
        self._show(view)

    def _show(self, view: EmployerSignatureView) -> None:
        self.employer = employer_convention_row(view, self._token, self.locale)
        self.employer_can_sign = view.can_sign
        self.employer_status = "ready"

    def _signer(self) -> tuple[Signer | None, Any]:
        return LinkSigner(self._token), None  # the link's token is the only credential

    def _show_signed(self, view: EmployerSignatureView) -> None:
        self._show(view)

    def _refresh(self, signer: Signer) -> None:
        self._describe()

    @rx.event
    def load(self) -> None:
        self._reset_messages()
        self.code_notice = ""
        self._token = self._route_param("token")
        self._describe()


# ---------------------------------------------------------------- public verification


class VerifyConventionState(SessionState):
    verify_status: str = ""  # "" | valid | not_final | cancelled | unknown
    verify_error: str = ""
    verify_filename: str = ""
    verification: VerificationRow | None = None
    signers: list[SignerRow] = []

    def _set_form_error(self, message: str) -> None:
        self.verify_error = message

    def _clear(self) -> None:
        self.verify_status = self.verify_error = self.verify_filename = ""
        self.verification, self.signers = None, []

    @rx.event
    def load(self) -> None:
        self._clear()

    @rx.event
    async def verify(self, files: list[rx.UploadFile]) -> None:
        self._clear()
        if len(files) != 1:
            self.verify_error = self._t("signui.error_rejected")
            return
        upload = files[0]
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        self.verify_filename = (upload.name or "").rsplit("/", 1)[-1][:200]
        if not content.startswith(PDF_MAGIC):
            self.verify_error = self._t("signui.error_not_pdf")
            return
        ok, result = self._run(lambda: conventions.verify_pdf(content))
        if ok:
            self.verification = verification_row(result, self.locale)
            self.signers = signer_rows(result.signers, self.locale)
            self.verify_status = str(result.status)

    @rx.event
    def rejected(self, _rejections: list[dict[str, Any]]) -> None:
        self._clear()
        self.verify_error = self._t("signui.error_rejected")
