"""Server-side validation of every form: pydantic models whose errors become catalogue keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from stdnum.fr import siret as stdnum_siret

from services.errors import FormError
from services.i18n import FR
from services.models import DeliveryMode, ExperienceKind, FundingType, Phase, Role
from services.models.training import TrainingMode

FormT = TypeVar("FormT", bound=BaseModel)

# Length limits of free text, in characters: every text a form takes has one (a longer text is refused
# with "error.too_long" next to its field, never cut), and the pages give the same to ``max_length``.
NAME_MAX = 100  # a first or last name, a signatory
ORGANISATION_NAME_MAX = 200  # an organisation, an employer
SHORT_TEXT_MAX = 200  # a one-line text: a title, a phone number, a status
PLACE_MAX = 200  # where a session is held, an address line
LINK_MAX = 500  # a URL (video link, web page)
LONG_TEXT_MAX = 4000  # a paragraph
# The years a date typed in a form may have: outside them it is a typo (0001, 9999), and far dates
# overflow the date arithmetic (a day after 9999-12-31).
MIN_YEAR = 1900
MAX_YEAR = 2100
PUBLIC_DESCRIPTION_MAX = 2000  # the organisation's text on its public page
SESSION_NOTES_MAX = 20000  # a consultant's notes of one session
REASON_MAX = 1000  # why a bilan is handed back, suspended, abandoned; why a session is recorded afterwards
# Names refuse control characters: C0/C1 controls (NUL...) and the bidirectional controls (U+202E, the
# right-to-left override, makes "gpj.exe" read "exe.jpg"), which have no place in a name.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Pydantic's own error types, mapped to catalogue keys.
_BUILTIN_ERRORS = {
    "missing": "error.required",
    "string_too_short": "error.required",
    "string_too_long": "error.too_long",
    "enum": "error.invalid_choice",
    "literal_error": "error.invalid_choice",
    "bool_parsing": "error.invalid_choice",
    "float_parsing": "error.number_invalid",
    "int_parsing": "error.number_invalid",
    "greater_than": "error.number_too_small",
    "greater_than_equal": "error.number_too_small",
    "less_than_equal": "error.number_too_large",
    "datetime_parsing": "error.datetime_invalid",
    "datetime_from_date_parsing": "error.datetime_invalid",
    "date_parsing": "error.date_invalid",
    "date_from_datetime_parsing": "error.date_invalid",
}


def _clean(value: str) -> str:
    return " ".join(value.split())


def _required_text(value: str) -> str:
    value = _clean(value)
    if not value:
        raise PydanticCustomError("required", "required")
    return value


def _name(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise PydanticCustomError("control_characters", "control characters")
    return _required_text(value)


def _optional_name(value: str) -> str:
    return _name(value) if value.strip() else ""


def parse_day(value: str) -> date | None:
    """A day typed in a date input ("2026-03-01"); None when empty.

    ValueError when it is not a date or its year is outside ``MIN_YEAR``..``MAX_YEAR``.
    """
    value = value.strip()
    if not value:
        return None
    day = date.fromisoformat(value)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"year out of range: {value}")
    return day


def require_max_length(field: str, text: str, limit: int) -> str:
    """``text`` when it has at most ``limit`` characters; otherwise FormError on ``field`` (never cut)."""
    if len(text) > limit:
        raise FormError({field: "error.too_long"}, max=limit)
    return text


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
ShortText = Annotated[str, Field(max_length=SHORT_TEXT_MAX), AfterValidator(_clean)]
LongText = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
Place = Annotated[str, Field(max_length=PLACE_MAX), AfterValidator(_clean)]
Link = Annotated[str, Field(max_length=LINK_MAX), AfterValidator(_clean)]
PersonName = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_name)]
OptionalPersonName = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_optional_name)]
OrganisationName = Annotated[str, Field(max_length=ORGANISATION_NAME_MAX), AfterValidator(_name)]
OptionalOrganisationName = Annotated[str, Field(max_length=ORGANISATION_NAME_MAX), AfterValidator(_optional_name)]
Email = Annotated[str, AfterValidator(_email)]
Siret = Annotated[str, AfterValidator(_siret)]
NdaNumber = Annotated[str, AfterValidator(_nda)]


class LoginForm(BaseModel):
    email: Email
    password: RequiredText


class SignupForm(BaseModel):
    organisation_name: OrganisationName
    siret: Siret
    nda_number: NdaNumber = ""
    first_name: PersonName
    last_name: PersonName
    email: Email
    password: str


class InvitationForm(BaseModel):
    email: Email
    role: Role


class AcceptInvitationForm(BaseModel):
    first_name: PersonName
    last_name: PersonName
    password: str


class EmailForm(BaseModel):
    email: Email


class NewPasswordForm(BaseModel):
    password: str


def validate_form(model: type[FormT], data: dict[str, Any], *, nested: bool = False) -> FormT:
    """Validate raw form input, or raise FormError mapping each bad field to a catalogue key.

    ``nested``: name a bad field by its whole dotted path ("competences.0.preuves.1") rather than
    by its top-level field, for forms that edit nested structures.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for err in exc.errors():
            loc = err["loc"] if nested else err["loc"][:1]
            name = ".".join(str(part) for part in loc) if loc else "__all__"
            kind = err["type"]
            key = _BUILTIN_ERRORS.get(kind, f"error.{kind}")
            # Any other pydantic error (e.g. string_type for a None) still maps to a catalogue key.
            fields.setdefault(name, key if key in FR else "error.invalid_choice")
        raise FormError(fields) from exc


class BilanRequestForm(BaseModel):
    mode: DeliveryMode
    funding_type: FundingType
    requested_consultant_id: str = ""


# The preliminary questionnaire (online, autosaved). Free text is capped to keep rows reasonable.
QUESTIONNAIRE_TEXT_FIELDS = (
    "situation",
    "request",
    "motivation",
    "expectations",
    "constraints",
    "availability",
    "accessibility_needs",
)
QUESTIONNAIRE_REQUIRED = ("situation", "request", "motivation", "expectations", "availability")
QUESTIONNAIRE_MAX_CHARS = 4000


class FundingForm(BaseModel):
    funding_type: FundingType
    edof_file_number: ShortText = ""
    edof_status: ShortText = ""
    employer_name: OptionalOrganisationName = ""
    employer_signatory_name: OptionalPersonName = ""
    employer_email: str = ""
    price_euros: Annotated[float, Field(ge=0, le=20000)]
    hours_planned_total: Annotated[float, Field(gt=0, le=24)]

    @field_validator("employer_email")
    @classmethod
    def _optional_email(cls, value: str) -> str:
        return _email(value) if value.strip() else ""


# Dates of sessions, tasks and the follow-up stay within the sane range MIN_YEAR..MAX_YEAR (no year 1
# or 9999); the services narrow it further (future only, within a year).
def _sane_moment(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError("date_out_of_range", "date out of range")
    return value


def _empty_is_none(value: object) -> object:
    return None if value in ("", None) else value


SaneDatetime = Annotated[datetime, AfterValidator(_sane_moment)]
SaneDate = Annotated[date, AfterValidator(_sane_moment)]


class RescheduleForm(BaseModel):
    starts_at: SaneDatetime
    duration_minutes: Annotated[int, Field(ge=15, le=480)]


class SessionForm(RescheduleForm):
    # Empty: the bilan's current phase.
    phase: Annotated[Phase | None, BeforeValidator(_empty_is_none)] = None
    mode: DeliveryMode
    location: Place = ""
    video_link: Link = ""


class RecordedSessionForm(SessionForm):
    """A session held without the platform: the reason is required (encrypted by the service)."""

    reason: Annotated[RequiredText, Field(max_length=REASON_MAX)]


class TaskForm(BaseModel):
    title: Annotated[RequiredText, Field(max_length=SHORT_TEXT_MAX)]
    due_on: Annotated[SaneDate | None, BeforeValidator(_empty_is_none)] = None


class OrganisationProfileForm(BaseModel):
    """The public information of the organisation (Qualiopi indicator 1) and its bilan rules."""

    address: Place = ""
    contact_email: str = ""
    contact_phone: ShortText = ""
    price_euros: Annotated[float, Field(ge=0, le=20000)]
    default_hours: Annotated[float, Field(gt=0, le=24)]
    min_hours: Annotated[float, Field(ge=0, le=24)]
    access_delay_days: Annotated[int, Field(ge=0, le=365)]
    modes: list[DeliveryMode]
    disability_contact: ShortText = ""
    public_description: Annotated[str, Field(max_length=PUBLIC_DESCRIPTION_MAX)] = ""
    preliminary_interview_before_convention: bool = False
    # How long before a session the beneficiary may still book, move or cancel it herself.
    booking_notice_hours: Annotated[int, Field(ge=0, le=720)] = 24

    @field_validator("contact_email")
    @classmethod
    def _optional_email(cls, value: str) -> str:
        return _email(value) if value.strip() else ""


def _month(value: object) -> date | None:
    """A month from ``<input type="month">`` ("2019-03"), kept as its first day; empty: None."""
    if isinstance(value, date):
        return value.replace(day=1)
    value = str(value or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise PydanticCustomError("month_invalid", "month invalid")
    return date(int(match.group(1)), int(match.group(2)), 1)


Month = Annotated[date | None, BeforeValidator(_month)]
EXPERIENCE_TEXT_MAX = 2000


class ExperienceForm(BaseModel):
    """One line of the parcours. Jobs and training need a start month; an empty end means "still going"."""

    kind: ExperienceKind
    title: Annotated[RequiredText, Field(max_length=255)]
    appellation_code: ShortText = ""
    code_rome: ShortText = ""  # when the métier's own label was chosen
    place: Annotated[str, AfterValidator(_clean), Field(max_length=255)] = ""
    start: Month = None
    end: Month = None
    description: Annotated[str, Field(max_length=EXPERIENCE_TEXT_MAX)] = ""

    @field_validator("start")
    @classmethod
    def _start_needed(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None and info.data.get("kind") in (ExperienceKind.EMPLOI, ExperienceKind.FORMATION):
            raise PydanticCustomError("required", "required")
        if value is not None and value > date.today():
            raise PydanticCustomError("month_future", "month in the future")
        return value

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("end_before_start", "end before start")
        if value is not None and value > date.today():
            raise PydanticCustomError("month_future", "month in the future")
        return value


def _codes(pattern: str) -> Callable[[str], str]:
    """A space/comma-separated list of codes matching ``pattern``, normalised to one space."""

    def check(value: str) -> str:
        codes = [code.upper() for code in re.split(r"[\s,;]+", value.strip()) if code]
        if any(not re.fullmatch(pattern, code) for code in codes):
            raise PydanticCustomError("codes_invalid", "codes invalid")
        return " ".join(dict.fromkeys(codes))

    return check


class TrainingForm(BaseModel):
    """A course of the organisation's own catalogue."""

    title: Annotated[RequiredText, Field(max_length=500)]
    provider: Annotated[str, AfterValidator(_clean), Field(max_length=255)] = ""
    certification: Annotated[str, AfterValidator(_clean), Field(max_length=500)] = ""
    certification_code: Annotated[str, AfterValidator(_clean), Field(max_length=40)] = ""
    rome_codes: Annotated[str, AfterValidator(_codes(r"[A-N]\d{4}"))] = ""
    formacodes: Annotated[str, AfterValidator(_codes(r"\d{5}"))] = ""
    hours: Annotated[float, Field(ge=0, le=5000)] | None = None
    price_euros: Annotated[float, Field(ge=0, le=100000)] | None = None
    mode: TrainingMode = TrainingMode.PRESENTIEL
    departement: Annotated[str, AfterValidator(_codes(r"\d{2,3}|2A|2B"))] = ""
    url: Annotated[str, AfterValidator(_clean), Field(max_length=500)] = ""
    description: LongText = ""

    @field_validator("hours", "price_euros", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value
