"""services.forms: server-side validation whose errors are translation catalogue keys."""

from datetime import UTC, datetime

import pytest

from services.errors import FormError
from services.forms import (
    LINK_MAX,
    NAME_MAX,
    ORGANISATION_NAME_MAX,
    PLACE_MAX,
    PUBLIC_DESCRIPTION_MAX,
    SHORT_TEXT_MAX,
    AcceptInvitationForm,
    EmailForm,
    FundingForm,
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    OrganisationProfileForm,
    SessionForm,
    SignupForm,
    TaskForm,
    parse_day,
    require_max_length,
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


# ---------------------------------------------------------------- length limits and control characters

SESSION = {
    "phase": "investigation",
    "starts_at": datetime(2030, 3, 4, 9, tzinfo=UTC).isoformat(),
    "duration_minutes": 120,
    "mode": "presentiel",
}
PROFILE = {"price_euros": 1800, "default_hours": 24, "min_hours": 12, "access_delay_days": 14, "modes": ["presentiel"]}
FUNDING = {"funding_type": "cpf", "price_euros": 1800, "hours_planned_total": 24}


@pytest.mark.parametrize(
    ("model", "data", "name", "limit"),
    [
        (SessionForm, SESSION, "location", PLACE_MAX),
        (SessionForm, SESSION, "video_link", LINK_MAX),
        (SignupForm, SIGNUP, "organisation_name", ORGANISATION_NAME_MAX),
        (SignupForm, SIGNUP, "first_name", NAME_MAX),
        (AcceptInvitationForm, {"first_name": "Jeanne", "last_name": "Dupont", "password": "x"}, "last_name", NAME_MAX),
        (FundingForm, FUNDING, "employer_name", ORGANISATION_NAME_MAX),
        (FundingForm, FUNDING, "employer_signatory_name", NAME_MAX),
        (FundingForm, FUNDING, "edof_file_number", SHORT_TEXT_MAX),
        (TaskForm, {}, "title", SHORT_TEXT_MAX),
        (OrganisationProfileForm, PROFILE, "address", PLACE_MAX),
        (OrganisationProfileForm, PROFILE, "public_description", PUBLIC_DESCRIPTION_MAX),
    ],
)
def test_every_text_has_a_length_limit_and_is_refused_not_cut(model, data, name, limit):
    """The longest text allowed passes whole; one character more is refused next to the field."""
    longest = "Lieu " + "x" * (limit - 5)
    assert getattr(validate_form(model, {**data, name: longest}), name) == longest
    assert _errors(model, {**data, name: longest + "x"}) == {name: "error.too_long"}


def test_a_100000_character_place_is_refused():
    assert _errors(SessionForm, {**SESSION, "location": "x" * 100_000}) == {"location": "error.too_long"}


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u2066", "\u200f", "\x1b", "\x85", "\n"])
def test_names_refuse_control_characters(character):
    fields = _errors(SignupForm, {**SIGNUP, "last_name": f"Dup{character}ont", "organisation_name": f"Cab{character}"})
    assert fields == {"last_name": "error.control_characters", "organisation_name": "error.control_characters"}
    assert _errors(FundingForm, {**FUNDING, "employer_name": f"ACME{character}"}) == {
        "employer_name": "error.control_characters"
    }
    assert "error.control_characters" in FR and "error.control_characters" in EN


def test_names_keep_their_letters_accents_hyphens_and_apostrophes():
    form = validate_form(SignupForm, {**SIGNUP, "first_name": "Marie-Hélène", "last_name": "N'Diaye  d'Aubigné"})
    assert (form.first_name, form.last_name) == ("Marie-Hélène", "N'Diaye d'Aubigné")


def test_a_free_text_taken_as_it_is_is_refused_when_too_long():
    assert require_max_length("objectives", "abc", 3) == "abc"
    with pytest.raises(FormError) as caught:
        require_max_length("objectives", "abcd", 3)
    assert caught.value.fields == {"objectives": "error.too_long"}


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2026-02-30", "demain"])
def test_a_day_out_of_range_or_not_a_day_is_refused(value):
    with pytest.raises(ValueError):
        parse_day(value)


def test_a_day_in_range_is_read():
    assert str(parse_day(" 2026-03-01 ")) == "2026-03-01" and parse_day("") is None
    assert str(parse_day("1900-01-01")) == "1900-01-01" and str(parse_day("2100-12-31")) == "2100-12-31"
