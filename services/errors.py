"""Exceptions that services raise and states translate into French messages."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: ``code`` is a key of the translation catalogue."""

    code = "error.generic"

    def __init__(self, code: str | None = None, **params: object) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.code)


class NotFound(ServiceError):
    """The object does not exist, or belongs to another organisation: both answer the same."""

    code = "error.not_found"


class AccessDenied(ServiceError):
    code = "error.access_denied"


class RateLimited(ServiceError):
    code = "error.locked_out"


class FormError(ServiceError):
    """Field-level validation errors: ``fields`` maps a field name to a catalogue key."""

    code = "error.form"

    def __init__(self, fields: dict[str, str], **params: object) -> None:
        super().__init__(self.code, **params)
        self.fields = fields
