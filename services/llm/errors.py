"""The AI layer's errors: a catalogue key (French and English messages in services/locales/llm.py)."""

from __future__ import annotations

from services.errors import ServiceError


class LlmError(ServiceError):
    """A provider call failed; ``outcome`` is what the usage row records (timeout, rate_limited...)."""

    code = "llm.error.unavailable"
    outcome = "error"

    def __init__(self, code: str | None = None, *, outcome: str | None = None, **params: object) -> None:
        super().__init__(code, **params)
        if outcome is not None:
            self.outcome = outcome


class LlmTimeout(LlmError):
    code = "llm.error.timeout"
    outcome = "timeout"


class LlmRateLimited(LlmError):
    code = "llm.error.rate_limited"
    outcome = "rate_limited"


class LlmInvalidOutput(LlmError):
    """The provider answered, but never with a valid structure (after the bounded retries)."""

    code = "llm.error.invalid_output"
    outcome = "invalid_output"
