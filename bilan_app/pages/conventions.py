"""The convention's pages: the beneficiary signs in "Mon espace", the employer signs by link, anyone verifies."""

from __future__ import annotations

import reflex as rx

from components.downloads import download_link
from components.forms import form_messages
from components.i18n import label, t, tf
from components.layout import loading, page_title, screen
from components.listing import PLAIN_LIST_STYLE
from components.page import definition, definition_list, section
from components.signing import signing_form
from components.status import status_badge
from services import routes
from services.storage import MAX_UPLOAD_BYTES
from state.conventions import BeneficiaryConventionState, EmployerSignatureState, VerifyConventionState

FINGERPRINT_STYLE = {"overflow_wrap": "anywhere", "word_break": "break-all", "font_size": "0.85rem"}
VERIFY_UPLOAD_ID = "verify-upload"


def _fingerprint(value: rx.Var) -> rx.Component:
    return rx.el.code(value, style=FINGERPRINT_STYLE)


def _party(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(label("convention.party.", item["party"])),
        " : ",
        item["name"],
        rx.cond(
            item["on_behalf_of"] != "",
            rx.el.span(" (", tf("signui.on_behalf", name=item["on_behalf_of"].to(str)), ")"),
        ),
        rx.cond(
            item["signed_at"] != "",
            rx.flex(
                rx.icon("circle-check", size=16, aria_hidden="true", color="var(--green-11)"),
                tf("signui.party_signed", date=item["signed_at"].to(str)),
                spacing="1",
                align="center",
            ),
            rx.flex(
                rx.icon("clock", size=16, aria_hidden="true", color="var(--orange-11)"),
                t("signui.party_waiting"),
                spacing="1",
                align="center",
            ),
        ),
        style={"padding": "0.35rem 0"},
    )


def _document(data: rx.Var) -> rx.Component:
    """The PDF to read (and its fingerprint), then the final signed PDF once every party signed."""
    return section(
        "convention-document",
        t("signui.document_title"),
        download_link(data["pdf_path"], "signui.read_pdf", "file-text"),
        rx.text(t("signui.read_pdf_help"), size="2", class_name="muted"),
        rx.text(t("signui.sha256"), " : ", _fingerprint(data["sha256"]), size="2"),
        rx.cond(
            data["signed_pdf_path"] != "",
            rx.box(
                download_link(data["signed_pdf_path"], "signui.download_signed"),
                rx.cond(
                    data["signed_sha256"] != "",
                    rx.text(t("signui.sha256"), " : ", _fingerprint(data["signed_sha256"]), size="2"),
                ),
                rx.text(
                    t("signui.signed_help"),
                    " ",
                    rx.link(t("signui.verify_link"), href=routes.VERIFY_CONVENTION, underline="always"),
                    size="2",
                ),
                margin_top="1em",
            ),
        ),
    )


# ---------------------------------------------------------------- the beneficiary's page


def _beneficiary_status() -> rx.Component:
    S = BeneficiaryConventionState
    data = S.convention
    return section(
        "convention-status",
        t("signui.status_title"),
        definition_list(
            definition("signui.status", status_badge("convention", data["status"])),
            definition("signui.kind", label("convention.kind.", data["kind"])),
            definition("signui.version", data["version"]),
            definition("signui.issued", data["issued"]),
            rx.cond(
                (data["sign_by"] != "") & (data["status"] == "awaiting_signatures"),
                definition(
                    "signui.sign_by",
                    rx.el.strong(data["sign_by"]),
                    rx.text(t("signui.sign_by_help"), size="2", class_name="muted"),
                ),
            ),
            rx.cond(data["signed_at"] != "", definition("signui.completed_at", data["signed_at"])),
        ),
        rx.heading(t("signui.parties_title"), as_="h3", size="4", margin_top="0.5em"),
        rx.el.ul(rx.foreach(S.parties, _party), style=PLAIN_LIST_STYLE),
    )


def _beneficiary_signing() -> rx.Component:
    S = BeneficiaryConventionState
    return rx.cond(
        S.can_sign,
        section(
            "convention-sign",
            t("signui.sign_title"),
            signing_form(S, expected_name=S.expected_name, help_key="signui.typed_name_help"),
        ),
        rx.cond(
            S.own_signed_at != "",
            rx.callout(tf("signui.you_signed", date=S.own_signed_at), icon="circle-check", color_scheme="green"),
            rx.cond(
                S.convention["status"] != "awaiting_signatures",
                rx.callout(t("signui.cannot_sign"), icon="info", color_scheme="gray"),
            ),
        ),
    )


def _beneficiary_page() -> rx.Component:
    S = BeneficiaryConventionState
    return rx.box(
        page_title("signui.title"),
        rx.text(t("signui.lead"), class_name="lead"),
        form_messages(S.form_error, S.notice),
        rx.match(
            S.convention_status,
            (
                "no_bilan",
                rx.box(
                    rx.callout(t("signui.no_bilan"), icon="info", color_scheme="blue"),
                    rx.link(t("space.request_cta"), href=routes.BILAN_REQUEST, display="block", margin_top="1em"),
                ),
            ),
            (
                "none",
                section("signui-none-title", t("signui.none_title"), rx.text(t("signui.none_body"))),
            ),
            ("ready", rx.box(_beneficiary_status(), _document(S.convention), _beneficiary_signing())),
            loading(),
        ),
        rx.link(t("signui.back"), href=routes.BENEFICIARY_HOME, display="block", margin_top="1.5em"),
    )


screen(routes.BENEFICIARY_CONVENTION, on_load=BeneficiaryConventionState.load)(_beneficiary_page)


# ---------------------------------------------------------------- the employer's page (public, by link)


def _employer_ready() -> rx.Component:
    E = EmployerSignatureState
    data = E.employer
    return rx.box(
        page_title("signui.employer_title"),
        rx.text(
            tf(
                "signui.employer_lead",
                organisation=data["organisation"].to(str),
                employer=data["employer"].to(str),
                beneficiary=data["beneficiary"].to(str),
            ),
            class_name="lead",
        ),
        form_messages(E.form_error, E.notice),
        section(
            "convention-status",
            t("signui.status_title"),
            definition_list(
                definition("signui.status", status_badge("convention", data["status"])),
                definition("signui.employer_organisation", data["organisation"]),
                definition("signui.employer_beneficiary", data["beneficiary"]),
                definition("signui.employer_employer", data["employer"]),
                definition("signui.employer_signatory", data["signatory"]),
                definition("signui.kind", t("convention.kind.tripartite")),
                definition("signui.version", data["version"]),
                definition("signui.issued", data["issued"]),
                rx.cond(
                    (data["sign_by"] != "") & (data["status"] == "awaiting_signatures"),
                    definition("signui.sign_by", rx.el.strong(data["sign_by"])),
                ),
                rx.cond(data["completed_at"] != "", definition("signui.completed_at", data["completed_at"])),
            ),
        ),
        _document(data),
        rx.cond(
            E.employer_can_sign,
            section(
                "convention-sign",
                t("signui.sign_title"),
                signing_form(E, expected_name=data["signatory"].to(str), help_key="signui.employer_typed_help"),
            ),
            rx.cond(
                data["signed_at"] != "",
                rx.callout(
                    tf("signui.employer_signed", date=data["signed_at"].to(str)),
                    icon="circle-check",
                    color_scheme="green",
                    margin_top="1em",
                ),
                rx.callout(t("signui.cannot_sign"), icon="info", color_scheme="gray", margin_top="1em"),
            ),
        ),
    )


def _employer_page() -> rx.Component:
    return rx.match(
        EmployerSignatureState.employer_status,
        (
            "invalid",
            rx.box(
                page_title("signui.employer_invalid_title"),
                rx.text(t("error.convention_link_invalid")),
                rx.text(t("signui.employer_invalid_body")),
                role="alert",
                class_name="panel",
            ),
        ),
        ("ready", _employer_ready()),
        loading(),
    )


screen(routes.EMPLOYER_SIGNATURE, on_load=EmployerSignatureState.load)(_employer_page)


# ---------------------------------------------------------------- public verification


def _verification_result() -> rx.Component:
    V = VerifyConventionState
    data = V.verification
    message = label("convention.verify.", V.verify_status)
    callout = rx.match(
        V.verify_status,
        ("valid", rx.callout(message, icon="shield-check", color_scheme="green", size="2")),
        ("not_final", rx.callout(message, icon="triangle-alert", color_scheme="orange", size="2")),
        rx.callout(message, icon="shield-x", color_scheme="red", size="2"),
    )
    return rx.box(
        rx.heading(t("signui.verify_result_title"), as_="h2", size="5", margin_bottom="0.5em"),
        callout,
        definition_list(
            rx.cond(V.verify_filename != "", definition("signui.verify_file", V.verify_filename)),
            rx.cond(data["organisation"] != "", definition("signui.verify_organisation", data["organisation"])),
            rx.cond(data["kind"] != "", definition("signui.verify_kind", label("convention.kind.", data["kind"]))),
            rx.cond(data["version"] != "", definition("signui.verify_version", data["version"])),
            rx.cond(data["signed_at"] != "", definition("signui.verify_signed_at", data["signed_at"])),
            rx.cond(
                V.signers.length() > 0,
                definition(
                    "signui.verify_signers",
                    rx.el.ul(rx.foreach(V.signers, lambda s: rx.el.li(s["text"])), style=PLAIN_LIST_STYLE),
                ),
            ),
            definition("signui.verify_sha256", _fingerprint(data["sha256"])),
            margin_top="1em",
        ),
        class_name="panel",
    )


def _verify_page() -> rx.Component:
    V = VerifyConventionState
    zone = rx.upload.root(
        rx.flex(
            rx.text(t("signui.verify_zone"), weight="bold"),
            rx.button(
                rx.icon("upload", size=16, aria_hidden="true"),
                t("signui.verify_choose"),
                type="button",
                size="3",
                id="verify-choose",
            ),
            rx.text(t("signui.verify_drop"), size="2"),
            direction="column",
            align="center",
            spacing="2",
        ),
        id=VERIFY_UPLOAD_ID,
        accept={"application/pdf": [".pdf"]},
        multiple=False,
        max_files=1,
        max_size=MAX_UPLOAD_BYTES,
        # The button inside is the keyboard's way in (the zone itself takes no focus: one tab stop).
        no_keyboard=True,
        on_drop=V.verify,
        on_drop_rejected=V.rejected,
        border="2px dashed var(--gray-9)",
        border_radius="8px",
        padding="2em 1em",
        text_align="center",
        cursor="pointer",
    )
    # react-dropzone's file input is visually hidden, not removed: it needs a name of its own (axe "label").
    file_input = zone.children[0].children[0]
    file_input.custom_attrs["aria-label"] = t("signui.verify_zone")
    return rx.box(
        page_title("signui.verify_title"),
        rx.text(t("signui.verify_lead"), class_name="lead"),
        rx.box(zone, class_name="panel"),
        # One live region, present from the start: the verdict or the error is announced when it arrives.
        rx.box(
            rx.cond(
                V.verify_error != "",
                rx.callout(V.verify_error, icon="circle-alert", color_scheme="red"),
            ),
            rx.cond(V.verify_status != "", _verification_result()),
            role="status",
            aria_live="polite",
            id="verify-result",
        ),
    )


screen(routes.VERIFY_CONVENTION, on_load=VerifyConventionState.load)(_verify_page)
