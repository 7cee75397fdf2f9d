"""services.forms: server-side validation whose errors are translation catalogue keys."""

import pytest

from services.errors import FormError
from services.forms import (
    AcceptInvitationForm,
    EmailForm,
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    SignupForm,
    validate_form,
)
from services.i18n import EN, FR
from services.models import Role

SIGNUP = {
    "organisation_name": "  Cabinet   Orientation  ",
    "siret": "732 829 320 00074",
    "nda_number": "11 75 55555 75",
    "first_name": "Jeanne",
    "last_name": "Dupont",
    "email": "  Jeanne.Dupont@Example.FR ",
    "password": "whatever",
}


def _errors(model, data) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        validate_form(model, data)
    assert caught.value.code == "error.form"
    return caught.value.fields


def test_valid_signup_is_normalised():
    form = validate_form(SignupForm, SIGNUP)
    assert form.siret == "73282932000074"
    assert form.nda_number == "11755555575"
    assert form.email == "jeanne.dupont@example.fr"
    assert form.organisation_name == "Cabinet Orientation"


@pytest.mark.parametrize("siret", ["73282932000075", "73282932000084", "7328293200007", "7328293200007A"])
def test_invalid_siret_is_refused(siret):
    assert _errors(SignupForm, {**SIGNUP, "siret": siret}) == {"siret": "error.siret_invalid"}


def test_missing_siret_is_required():
    assert _errors(SignupForm, {**SIGNUP, "siret": "   "}) == {"siret": "error.required"}


@pytest.mark.parametrize("nda", ["123", "1175555557A", "117555555751"])
def test_invalid_nda_is_refused(nda):
    assert _errors(SignupForm, {**SIGNUP, "nda_number": nda}) == {"nda_number": "error.nda_invalid"}


def test_empty_nda_is_optional():
    assert validate_form(SignupForm, {**SIGNUP, "nda_number": ""}).nda_number == ""


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Jean.Dupont@Example.COM", "jean.dupont@example.com"),
        ("  marie@orientation.fr\t", "marie@orientation.fr"),
        ("CAMILLE+BILAN@EXAMPLE.ORG", "camille+bilan@example.org"),
    ],
)
def test_email_is_normalised(raw, normalised):
    assert validate_form(EmailForm, {"email": raw}).email == normalised


@pytest.mark.parametrize("raw", ["pas-une-adresse", "a@", "@exemple.fr", "jean dupont@exemple.fr", "x@localhost"])
def test_invalid_email_is_refused(raw):
    assert _errors(EmailForm, {"email": raw}) == {"email": "error.email_invalid"}


def test_missing_fields_are_required():
    assert _errors(LoginForm, {}) == {"email": "error.required", "password": "error.required"}
    assert _errors(LoginForm, {"email": " ", "password": "   "}) == {
        "email": "error.required",
        "password": "error.required",
    }


def test_invitation_role_must_be_a_role():
    assert validate_form(InvitationForm, {"email": "a@exemple.fr", "role": "consultant"}).role is Role.CONSULTANT
    assert _errors(InvitationForm, {"email": "a@exemple.fr", "role": "chef"}) == {"role": "error.invalid_choice"}


BAD_INPUTS = [
    (LoginForm, {}),
    (LoginForm, {"email": None, "password": None}),
    (LoginForm, {"email": 42, "password": ["x"]}),
    (SignupForm, {}),
    (SignupForm, {**SIGNUP, "siret": "123", "nda_number": "x", "email": "bad"}),
    (SignupForm, {k: None for k in SIGNUP}),
    (InvitationForm, {"email": "", "role": ""}),
    (InvitationForm, {"email": "a@exemple.fr", "role": None}),
    (AcceptInvitationForm, {"first_name": "", "last_name": "   ", "password": None}),
    (EmailForm, {"email": {"nested": True}}),
    (NewPasswordForm, {"password": 12}),
]


@pytest.mark.parametrize(("model", "data"), BAD_INPUTS)
def test_every_error_is_a_catalogue_key(model, data):
    fields = _errors(model, data)
    assert fields, "a bad form must report at least one field"
    for name, key in fields.items():
        assert name in model.model_fields
        assert key in FR, f"{model.__name__}.{name}: {key} is not in the catalogue"
        assert key in EN
