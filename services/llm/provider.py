"""The provider: which OpenAI-compatible endpoint an organisation uses, and the calls themselves.

The platform's ``LLM_BASE_URL`` / ``LLM_MODEL`` / ``LLM_API_KEY`` serve every organisation. An
organisation on the Enterprise plan may override them (its key is stored Fernet-encrypted). A custom
base URL never receives the platform's key: an organisation that points elsewhere brings its own.

Calls use the ``openai`` SDK in JSON mode. The SDK retries 429, 5xx and connection errors itself
(``LLM_MAX_RETRIES``, honouring ``Retry-After``); what still fails becomes a typed ``LlmError``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import httpx
import openai
from openai import OpenAI
from sqlmodel import Session, select

from services.crypto import decrypt_text
from services.llm.errors import LlmError, LlmRateLimited, LlmTimeout
from services.models import AiOrganisationSettings, Organisation, OrganisationPlan
from services.settings import get_settings

DEFAULT_MODEL = "gpt-4o-mini"
NO_KEY = "not-needed"  # the SDK insists on a key; local servers (Ollama, vLLM) ignore it


@dataclass(frozen=True)
class ProviderConfig:
    base_url: str | None  # None: the SDK's default (api.openai.com)
    model: str
    api_key: str = ""
    source: Literal["platform", "organisation"] = "platform"
    timeout: float = 60.0
    max_retries: int = 2

    def __repr__(self) -> str:  # never print the key
        return f"ProviderConfig(base_url={self.base_url!r}, model={self.model!r}, source={self.source!r})"


def organisation_settings(session: Session, organisation_id: Any) -> AiOrganisationSettings | None:
    return session.exec(
        select(AiOrganisationSettings).where(AiOrganisationSettings.organisation_id == organisation_id)
    ).first()


def override_allowed(organisation: Organisation) -> bool:
    return OrganisationPlan(organisation.plan) is OrganisationPlan.ENTERPRISE


class _Limits(TypedDict):
    timeout: float
    max_retries: int


def resolve_config(session: Session, organisation_id: Any) -> ProviderConfig | None:
    """The provider the organisation's calls go to, or None when no LLM is configured for it."""
    settings = get_settings()
    common = _Limits(timeout=settings.llm_timeout_seconds, max_retries=settings.llm_max_retries)
    platform_model = settings.llm_model or DEFAULT_MODEL
    organisation = session.get(Organisation, organisation_id)
    row = organisation_settings(session, organisation_id)
    if organisation is not None and row is not None and override_allowed(organisation):
        own_key = decrypt_text(row.api_key_encrypted) if row.api_key_encrypted else ""
        if row.base_url:  # the organisation's own endpoint, with its own key only
            return ProviderConfig(
                row.base_url, row.model or platform_model, own_key or NO_KEY, "organisation", **common
            )
        if own_key:  # the platform's endpoint with the organisation's account
            return ProviderConfig(
                settings.llm_base_url or None, row.model or platform_model, own_key, "organisation", **common
            )
        if row.model and settings.llm_configured:
            return ProviderConfig(
                settings.llm_base_url or None, row.model, settings.llm_api_key or NO_KEY, "platform", **common
            )
    if not settings.llm_configured:
        return None
    return ProviderConfig(settings.llm_base_url or None, platform_model, settings.llm_api_key or NO_KEY, **common)


def make_client(config: ProviderConfig) -> OpenAI:
    return OpenAI(
        base_url=config.base_url,
        api_key=config.api_key or NO_KEY,
        timeout=config.timeout,
        max_retries=config.max_retries,
    )


# ---------------------------------------------------------------- calls


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    duration_ms: int
    usage_reported: bool  # False: the provider gave no usage, the counts are estimates


def estimate_tokens(text: str) -> int:
    """About four characters a token (French text, BPE tokenisers): for budgets, not for billing."""
    return max(1, len(text) // 4)


def _translate_error(exc: Exception) -> LlmError:
    """The SDK's (and httpx's, while streaming) exceptions as typed, translatable errors."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return LlmTimeout()
    if isinstance(exc, openai.RateLimitError):
        return LlmRateLimited()
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LlmError("llm.error.auth", outcome="auth")
    if isinstance(exc, openai.BadRequestError | openai.NotFoundError | openai.UnprocessableEntityError):
        return LlmError("llm.error.rejected", outcome="rejected")
    return LlmError("llm.error.unavailable", outcome="unavailable")


_SDK_ERRORS = (openai.OpenAIError, httpx.HTTPError)


def _request(config: ProviderConfig, messages: list[dict[str, str]], max_tokens: int) -> dict[str, Any]:
    return {
        "model": config.model,
        "messages": messages,
        "response_format": {"type": "json_object"},
        "temperature": 0.2,
        "max_tokens": max_tokens,
    }


def _usage_of(usage: Any, messages: list[dict[str, str]], text: str) -> tuple[int, int, bool]:
    if usage is not None and getattr(usage, "prompt_tokens", None) is not None:
        return int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0), True
    prompt = estimate_tokens("".join(message["content"] for message in messages))
    return prompt, estimate_tokens(text), False


def complete(client: OpenAI, config: ProviderConfig, messages: list[dict[str, str]], max_tokens: int) -> Completion:
    """One JSON-mode chat completion."""
    started = time.monotonic()
    try:
        response = client.chat.completions.create(**_request(config, messages, max_tokens))
    except _SDK_ERRORS as exc:
        raise _translate_error(exc) from exc
    text = (response.choices[0].message.content or "") if response.choices else ""
    prompt, completion, reported = _usage_of(response.usage, messages, text)
    return Completion(
        text, response.model or config.model, prompt, completion, int((time.monotonic() - started) * 1000), reported
    )


def stream(
    client: OpenAI, config: ProviderConfig, messages: list[dict[str, str]], max_tokens: int
) -> Iterator[str | Completion]:
    """A streamed JSON-mode chat completion: the text pieces as they come, then the ``Completion``."""
    started = time.monotonic()
    pieces: list[str] = []
    usage: Any = None
    model = config.model
    try:
        chunks = client.chat.completions.create(
            **_request(config, messages, max_tokens), stream=True, stream_options={"include_usage": True}
        )
        with chunks:
            for chunk in chunks:
                model = chunk.model or model
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices:
                    piece = choice.delta.content if choice.delta is not None else None
                    if piece:
                        pieces.append(piece)
                        yield piece
    except _SDK_ERRORS as exc:
        raise _translate_error(exc) from exc
    text = "".join(pieces)
    prompt, completion, reported = _usage_of(usage, messages, text)
    yield Completion(text, model, prompt, completion, int((time.monotonic() - started) * 1000), reported)
