"""The convention's pages: the beneficiary signs in "Mon espace", the employer signs by link, anyone verifies."""

from __future__ import annotations

import reflex as rx

from components.downloads import download_link
from components.forms import checkbox_checked, form_messages, input_value, submit
from components.i18n import label, t, tf
from components.layout import loading, page_title, protected, public
from components.page import section
from components.status import status_badge
from services import routes
from services.storage import MAX_UPLOAD_BYTES
from state.conventions import BeneficiaryConventionState, EmployerSignatureState, VerifyConventionState

PLAIN_LIST_STYLE = {"list_style": "none", "padding": "0", "margin": "0.5rem 0 0"}
FINGERPRINT_STYLE = {"overflow_wrap": "anywhere", "word_break": "break-all", "font_size": "0.85rem"}
VERIFY_UPLOAD_ID = "verify-upload"


def _definition(term_key: str, *details: rx.Component | rx.Var) -> rx.Component:
    return rx.fragment(rx.el.dt(t(term_key)), rx.el.dd(*details))


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


# ---------------------------------------------------------------- the signing form (beneficiary and employer)


def _text_input(
    name: str,
    label_key: str,
    errors: rx.Var,
    help_text: rx.Var,
    *,
    autocomplete: str,
    **props: object,
) -> rx.Component:
    input_id = f"field-{name}"
    error_id, help_id = f"{input_id}-error", f"{input_id}-help"
    has_error = errors.contains(name)
    return rx.box(
        rx.el.label(t(label_key), rx.el.span(" *", aria_hidden="true"), html_for=input_id, class_name="field-label"),
        rx.el.input(
            id=input_id,
            name=name,
            type="text",
            auto_complete=autocomplete,
            required=True,
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=rx.cond(has_error, f"{error_id} {help_id}", help_id),
            class_name=rx.cond(has_error, "field-input field-input-error", "field-input"),
            **props,
        ),
        rx.text(help_text, id=help_id, class_name="field-help"),
        rx.cond(has_error, rx.text(errors[name], id=error_id, class_name="field-error", role="alert")),
        class_name="field",
    )


def _consent(errors: rx.Var) -> rx.Component:
    has_error = errors.contains("consent")
    return rx.box(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id="field-consent",
                name="consent",
                required=True,
                aria_invalid=rx.cond(has_error, "true", "false"),
                aria_describedby=rx.cond(has_error, "field-consent-error", ""),
            ),
            t("signui.consent"),
            rx.el.span(" *", aria_hidden="true"),
            class_name="checkbox-label",
        ),
        rx.cond(
            has_error,
            rx.text(errors["consent"], id="field-consent-error", class_name="field-error", role="alert"),
        ),
    )


def signing_form(
    *,
    errors: rx.Var,
    expected_name: rx.Var,
    help_key: str,
    code_notice: rx.Var,
    on_send_code: object,
    on_submit: object,
) -> rx.Component:
    """Typed name, consent, a code e-mailed on request, then "Signer". The browser keeps what was typed."""
    return rx.form(
        rx.el.ol(
            *[rx.el.li(t(f"signui.step_{step}")) for step in ("read", "name", "code", "sign")],
            class_name="steps",
        ),
        rx.text(t("common.required_hint"), size="2", class_name="muted"),
        _text_input(
            "typed_name",
            "signui.typed_name",
            errors,
            tf(help_key, name=expected_name),
            autocomplete="name",
            max_length=200,
        ),
        _consent(errors),
        rx.box(
            rx.button(
                rx.icon("mail", size=16, aria_hidden="true"),
                t("signui.send_code"),
                type="button",
                variant="soft",
                size="3",
                # The code is asked for with the typed name and the box: none is sent before both are given.
                on_click=on_send_code(input_value("field-typed_name"), checkbox_checked("field-consent")),  # type: ignore[operator]
            ),
        ),
        # The live region exists from the start, so screen readers announce "a code was sent".
        rx.el.p(code_notice, role="status", aria_live="polite", id="code-notice"),
        _text_input(
            "code",
            "signui.code",
            errors,
            t("signui.code_help"),
            autocomplete="one-time-code",
            input_mode="numeric",
            max_length=12,
            style={"max_width": "12rem"},
        ),
        submit("signui.submit"),
        on_submit=on_submit,
        reset_on_submit=False,
        no_validate=True,  # errors come from the server, in French, next to each field
        class_name="stack",
    )


# ---------------------------------------------------------------- the beneficiary's page


def _beneficiary_status() -> rx.Component:
    S = BeneficiaryConventionState
    data = S.convention
    return section(
        "convention-status",
        t("signui.status_title"),
        rx.el.dl(
            _definition("signui.status", status_badge("convention", data["status"])),
            _definition("signui.kind", label("convention.kind.", data["kind"])),
            _definition("signui.version", data["version"]),
            _definition("signui.issued", data["issued"]),
            rx.cond(
                (data["sign_by"] != "") & (data["status"] == "awaiting_signatures"),
                _definition(
                    "signui.sign_by",
                    rx.el.strong(data["sign_by"]),
                    rx.text(t("signui.sign_by_help"), size="2", class_name="muted"),
                ),
            ),
            rx.cond(data["signed_at"] != "", _definition("signui.completed_at", data["signed_at"])),
            class_name="definition-list",
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
            signing_form(
                errors=S.errors,
                expected_name=S.expected_name,
                help_key="signui.typed_name_help",
                code_notice=S.code_notice,
                on_send_code=S.send_code,
                on_submit=S.sign,
            ),
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


rx.page(
    route=routes.BENEFICIARY_CONVENTION,
    title="Ma convention · BilanCompetence.AI",
    on_load=BeneficiaryConventionState.load,
)(protected(routes.BENEFICIARY_CONVENTION, _beneficiary_page))


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
            rx.el.dl(
                _definition("signui.status", status_badge("convention", data["status"])),
                _definition("signui.employer_organisation", data["organisation"]),
                _definition("signui.employer_beneficiary", data["beneficiary"]),
                _definition("signui.employer_employer", data["employer"]),
                _definition("signui.employer_signatory", data["signatory"]),
                _definition("signui.kind", t("convention.kind.tripartite")),
                _definition("signui.version", data["version"]),
                _definition("signui.issued", data["issued"]),
                rx.cond(
                    (data["sign_by"] != "") & (data["status"] == "awaiting_signatures"),
                    _definition("signui.sign_by", rx.el.strong(data["sign_by"])),
                ),
                rx.cond(data["completed_at"] != "", _definition("signui.completed_at", data["completed_at"])),
                class_name="definition-list",
            ),
        ),
        _document(data),
        rx.cond(
            E.employer_can_sign,
            section(
                "convention-sign",
                t("signui.sign_title"),
                signing_form(
                    errors=E.errors,
                    expected_name=data["signatory"].to(str),
                    help_key="signui.employer_typed_help",
                    code_notice=E.employer_code_notice,
                    on_send_code=E.send_code,
                    on_submit=E.sign,
                ),
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


rx.page(
    route=routes.EMPLOYER_SIGNATURE,
    title="Signature de la convention · BilanCompetence.AI",
    on_load=EmployerSignatureState.load,
)(public(_employer_page))


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
        rx.el.dl(
            rx.cond(V.verify_filename != "", _definition("signui.verify_file", V.verify_filename)),
            rx.cond(data["organisation"] != "", _definition("signui.verify_organisation", data["organisation"])),
            rx.cond(data["kind"] != "", _definition("signui.verify_kind", label("convention.kind.", data["kind"]))),
            rx.cond(data["version"] != "", _definition("signui.verify_version", data["version"])),
            rx.cond(data["signed_at"] != "", _definition("signui.verify_signed_at", data["signed_at"])),
            rx.cond(
                V.signers.length() > 0,
                _definition(
                    "signui.verify_signers",
                    rx.el.ul(rx.foreach(V.signers, lambda s: rx.el.li(s["text"])), style=PLAIN_LIST_STYLE),
                ),
            ),
            _definition("signui.verify_sha256", _fingerprint(data["sha256"])),
            class_name="definition-list",
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


rx.page(
    route=routes.VERIFY_CONVENTION,
    title="Vérifier une convention · BilanCompetence.AI",
    on_load=VerifyConventionState.load,
)(public(_verify_page))
