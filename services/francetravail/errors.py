"""The errors of the France Travail client: one base class, a catalogue key per kind of failure.

States catch ``FranceTravailError`` and show ``error.message(locale)``; the rest of the product keeps
working (the local référentiel and matching engine need no network).
"""

from __future__ import annotations

from services.errors import ServiceError
from services.i18n import translate


class FranceTravailError(ServiceError):
    """Base class: ``code`` is a ``francetravail.error.*`` key of the catalogue."""

    code = "francetravail.error.unavailable"

    def __init__(self, code: str | None = None, *, detail: str = "", **params: object) -> None:
        super().__init__(code, **params)
        self.detail = detail  # for logs only: never shown to a user

    def message(self, locale: str = "fr") -> str:
        return translate(self.code, locale, **self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


class FranceTravailNotConfigured(FranceTravailError):
    """No client id or secret: the integration is off."""

    code = "francetravail.error.not_configured"


class FranceTravailAuthError(FranceTravailError):
    """The token endpoint refused the credentials, or the API refused the token (scope not subscribed)."""

    code = "francetravail.error.auth"


class FranceTravailUnavailable(FranceTravailError):
    """5xx answers or connection failures, after the last retry."""

    code = "francetravail.error.unavailable"


class FranceTravailTimeout(FranceTravailError):
    code = "francetravail.error.timeout"


class FranceTravailRateLimited(FranceTravailError):
    """429 after the last retry, or a ``Retry-After`` longer than the client is willing to wait."""

    code = "francetravail.error.rate_limited"


class FranceTravailBadAnswer(FranceTravailError):
    """The answer is not the JSON the client expects (malformed, wrong shape)."""

    code = "francetravail.error.bad_answer"


class FranceTravailBadRequest(FranceTravailError):
    """The API refused the request (400), e.g. a filter value or a page beyond the paging limits."""

    code = "francetravail.error.bad_request"


class FranceTravailNotFound(FranceTravailError):
    code = "francetravail.error.not_found"
