"""Server-side validation of every form: pydantic models whose errors become catalogue keys."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import PydanticCustomError
from stdnum.fr import siret as stdnum_siret

from services.errors import FormError
from services.i18n import FR
from services.models import Role

FormT = TypeVar("FormT", bound=BaseModel)

# Pydantic's own error types, mapped to catalogue keys.
_BUILTIN_ERRORS = {
    "missing": "error.required",
    "string_too_short": "error.required",
    "string_too_long": "error.too_long",
    "enum": "error.invalid_choice",
    "literal_error": "error.invalid_choice",
    "bool_parsing": "error.invalid_choice",
}


def _clean(value: str) -> str:
    return " ".join(value.split())


def _required_text(value: str) -> str:
    value = _clean(value)
    if not value:
        raise PydanticCustomError("required", "required")
    return value


def _email(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("required", "required")
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise PydanticCustomError("email_invalid", "email invalid") from exc


def _siret(value: str) -> str:
    digits = re.sub(r"\s", "", value)
    if not digits:
        raise PydanticCustomError("required", "required")
    if not stdnum_siret.is_valid(digits):
        raise PydanticCustomError("siret_invalid", "siret invalid")
    return digits


def _nda(value: str) -> str:
    digits = re.sub(r"\s", "", value)
    if digits and not re.fullmatch(r"\d{11}", digits):
        raise PydanticCustomError("nda_invalid", "nda invalid")
    return digits


RequiredText = Annotated[str, AfterValidator(_required_text)]
Email = Annotated[str, AfterValidator(_email)]
Siret = Annotated[str, AfterValidator(_siret)]
NdaNumber = Annotated[str, AfterValidator(_nda)]


class LoginForm(BaseModel):
    email: Email
    password: RequiredText


class SignupForm(BaseModel):
    organisation_name: RequiredText
    siret: Siret
    nda_number: NdaNumber = ""
    first_name: RequiredText
    last_name: RequiredText
    email: Email
    password: str


class InvitationForm(BaseModel):
    email: Email
    role: Role


class AcceptInvitationForm(BaseModel):
    first_name: RequiredText
    last_name: RequiredText
    password: str


class EmailForm(BaseModel):
    email: Email


class NewPasswordForm(BaseModel):
    password: str


def validate_form(model: type[FormT], data: dict[str, Any]) -> FormT:
    """Validate raw form input, or raise FormError mapping each bad field to a catalogue key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "__all__"
            kind = err["type"]
            key = _BUILTIN_ERRORS.get(kind, f"error.{kind}")
            # Any other pydantic error (e.g. string_type for a None) still maps to a catalogue key.
            fields.setdefault(name, key if key in FR else "error.invalid_choice")
        raise FormError(fields) from exc
