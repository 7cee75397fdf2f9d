"""The one settings object. Every knob is an environment variable with a documented default.

With no variable set at all the app runs in demo mode on SQLite under ``data/``, with no Redis,
no SMTP server, no AI key and no France Travail credentials.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP_VERSION = "0.1.0"

# Placeholders accepted only in demo/dev mode; production refuses to start with them.
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
DEV_ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"dev-insecure-encryption-key").digest()).decode()
INSECURE_VALUES = {"", "change-me", "changeme", "secret", DEV_SECRET_KEY, DEV_ENCRYPTION_KEY}


class InsecureSettingsError(RuntimeError):
    """Raised when production settings still hold a placeholder secret."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore")

    app_env: Literal["demo", "dev", "production"] = Field(
        "demo", description="demo and dev accept placeholder secrets; production refuses them."
    )
    secret_key: str = Field(DEV_SECRET_KEY, description="HMAC key for tokens and signed links.")
    encryption_key: str = Field(
        DEV_ENCRYPTION_KEY,
        description="Fernet key(s), comma-separated: the first encrypts, all decrypt (rotation).",
    )
    database_url: str = Field(f"sqlite:///{PROJECT_ROOT / 'data' / 'bilan.db'}", description="SQLAlchemy URL.")
    storage_dir: str = Field(str(PROJECT_ROOT / "data" / "files"), description="Where encrypted documents are written.")
    redis_url: str | None = Field(None, description="Redis for Reflex state and caches; optional.")
    smtp_url: str | None = Field(
        None, description="smtp://user:pass@host:port (or smtps://, ?starttls=1); unset = dev outbox."
    )
    mail_from: str = "BilanCompetence.AI <no-reply@bilancompetence.local>"
    sms_provider: str = Field(
        "",
        description=(
            "SMS (optional): empty = no SMS offered; 'console' = written to the log (development); "
            "'package.module:Class' = an adapter to a real provider (see services/notifications/sms.py)."
        ),
    )
    public_url: str = Field("http://localhost:3000", description="Base URL used in e-mailed links.")
    jobs_interval_seconds: int = Field(
        300,
        description="Embedded mode (SQLite): period of the in-process loop that runs the periodic jobs and "
        "retries undelivered mail; 0 disables it. With PostgreSQL the queue's cron schedule runs them.",
    )
    jobs_in_process: bool = Field(
        True,
        description="With PostgreSQL: each app process also runs a queue worker. Set false when dedicated "
        "workers run (`python -m bilan_app worker`, see docs/jobs.md).",
    )
    jobs_worker_concurrency: int = Field(2, description="Jobs one worker runs at once (each in a thread).")
    jobs_retry_wait_seconds: int = Field(
        5, description="Back-off base of a failed job: it waits base, base², base³… seconds between attempts."
    )
    jobs_max_attempts: int = Field(5, description="Attempts of a job before it goes to the dead-letter list.")
    jobs_stalled_seconds: int = Field(
        30, description="A worker silent this long is dead: its running jobs are retried (SIGKILL, crash)."
    )
    cpf_participation_fees: str = Field(
        "2024:100,2025:102.23,2026:102.23",
        description="CPF flat participation fee per year (euros), 'YEAR:AMOUNT' comma-separated; set by decree.",
    )
    upload_max_bytes: int = Field(
        16 * 1024 * 1024,
        description="Largest upload request body (bytes), refused with 413 while it streams in: the 15 MB of a "
        "document plus the multipart overhead (the ROME référentiel's zip has its own limit).",
    )
    bilan_file_max_bytes: int = Field(
        10 * 1024 * 1024,
        description="Largest file of a bilan's documents space (bytes); keep it under UPLOAD_MAX_BYTES.",
    )
    bilan_files_max_total_bytes: int = Field(
        200 * 1024 * 1024, description="All the files of one bilan's documents space, every version counted (bytes)."
    )
    pdf_render_timeout_seconds: float = Field(
        60.0, description="Longest rendering of one PDF document; a slower one is stopped and refused."
    )
    session_ttl_hours: int = 12
    cookie_secure: bool = Field(False, description="Mark the session cookie Secure (set behind TLS).")
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 30
    login_lockout_minutes: int = 15
    password_reset_ttl_minutes: int = 60
    invitation_ttl_days: int = 7

    # ---- AI layer (services/llm): any OpenAI-compatible provider; neither URL nor key = not configured.
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible API base URL (OpenAI, Mistral, vLLM, Ollama...); unset: the SDK default."
    )
    llm_model: str | None = Field(None, description="Model name; unset: gpt-4o-mini.")
    llm_api_key: str | None = Field(None, description="Provider API key (a local server may need none).")
    llm_timeout_seconds: float = Field(60.0, description="Timeout of one LLM request (seconds).")
    llm_max_retries: int = Field(2, description="SDK retries of one request on 429, 5xx and connection errors.")
    llm_output_attempts: int = Field(2, description="Requests made to obtain a valid structured output.")
    llm_max_output_tokens: int = Field(2000, description="max_tokens of one answer.")
    llm_monthly_token_budget: int = Field(
        1_000_000, description="Default monthly token budget of an organisation (its admin may change it)."
    )

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)

    # ---- France Travail (francetravail.io); the service is "not configured" without both credentials.
    france_travail_client_id: str | None = Field(None, description="France Travail OAuth2 client id; optional.")
    france_travail_client_secret: str | None = Field(None, description="France Travail OAuth2 client secret.")
    france_travail_token_url: str = Field(
        "https://entreprise.francetravail.fr/connexion/oauth2/access_token",
        description="OAuth2 token endpoint (the client adds realm=/partenaire).",
    )
    france_travail_api_url: str = Field(
        "https://api.francetravail.io/partenaire", description="Base URL of the France Travail partner APIs."
    )
    france_travail_connect_timeout_seconds: float = 5.0
    france_travail_timeout_seconds: float = Field(15.0, description="Read timeout of one France Travail request.")
    france_travail_max_attempts: int = Field(4, description="Attempts per request on 429, 5xx or connection errors.")
    france_travail_backoff_seconds: float = Field(0.5, description="First retry delay; doubles at each attempt.")
    france_travail_max_wait_seconds: float = Field(
        30.0, description="Longest single wait (Retry-After or backoff); a longer Retry-After gives up at once."
    )
    france_travail_rate_limits: str = Field(
        "offres:10,rome:1,romeo:1,labonneboite:2,stats:1",
        description="Requests per second allowed per API ('API:RATE' comma-separated; token bucket).",
    )
    france_travail_cache_ttl_offres: int = Field(600, description="Cache lifetime of offer searches (seconds).")
    france_travail_cache_ttl_rome: int = Field(86400, description="Cache lifetime of ROME data and ROMEO answers.")
    france_travail_cache_ttl_companies: int = Field(3600, description="Cache lifetime of La Bonne Boîte answers.")
    france_travail_cache_ttl_stats: int = Field(86400, description="Cache lifetime of labour market statistics.")

    @property
    def france_travail_configured(self) -> bool:
        return bool(self.france_travail_client_id and self.france_travail_client_secret)

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def encryption_keys(self) -> list[str]:
        return [k.strip() for k in self.encryption_key.split(",") if k.strip()]

    def cpf_fee_for(self, year: int) -> tuple[int, float] | None:
        """The CPF participation fee in force for ``year``: the latest year configured up to it."""
        fees: dict[int, float] = {}
        for item in self.cpf_participation_fees.split(","):
            if ":" in item:
                fee_year, amount = item.split(":", 1)
                fees[int(fee_year)] = float(amount)
        known = [fee_year for fee_year in fees if fee_year <= year]
        return (max(known), fees[max(known)]) if known else None

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        for key in self.encryption_keys:
            try:
                Fernet(key.encode())
            except ValueError as exc:
                raise InsecureSettingsError(
                    "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated"
                ) from exc
        if not self.is_production:
            return self
        problems = []
        if self.secret_key in INSECURE_VALUES or len(self.secret_key) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        if not self.encryption_keys or any(k in INSECURE_VALUES for k in self.encryption_keys):
            problems.append("ENCRYPTION_KEY must be set to a Fernet key (see README)")
        if problems:
            raise InsecureSettingsError("Refusing to start in production: " + "; ".join(problems))
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
