"""services.settings: production refuses placeholder secrets, demo and dev accept them."""

import pytest
from cryptography.fernet import Fernet

from services.settings import (
    DEV_ENCRYPTION_KEY,
    DEV_SECRET_KEY,
    InsecureSettingsError,
    Settings,
    get_settings,
    reset_settings_cache,
)

REAL_SECRET = "k3Jx9-Qv2mZt7LwP0aRsYe4UcN8bHd6FgT1o"  # 36 random-looking characters
# Fixed, so that the test ids are the same in every pytest-xdist worker.
REAL_FERNET = "0LJi0Uy9-FyAom2wInBugdnr-0u-XZ2jys9jLGhE9OU="


@pytest.mark.parametrize(
    ("secret_key", "encryption_key", "problem"),
    [
        (None, None, "SECRET_KEY"),  # both missing: defaults are the dev placeholders
        (None, REAL_FERNET, "SECRET_KEY"),
        (DEV_SECRET_KEY, REAL_FERNET, "SECRET_KEY"),
        ("change-me", REAL_FERNET, "SECRET_KEY"),
        ("short-but-random-7Hq", REAL_FERNET, "SECRET_KEY"),  # < 32 characters
        (REAL_SECRET, None, "ENCRYPTION_KEY"),
        (REAL_SECRET, DEV_ENCRYPTION_KEY, "ENCRYPTION_KEY"),
        (REAL_SECRET, "", "ENCRYPTION_KEY"),
        (REAL_SECRET, f"{REAL_FERNET},{DEV_ENCRYPTION_KEY}", "ENCRYPTION_KEY"),  # a placeholder among rotated keys
    ],
)
def test_production_refuses_placeholder_or_missing_secrets(set_env, secret_key, encryption_key, problem):
    set_env(APP_ENV="production", SECRET_KEY=secret_key, ENCRYPTION_KEY=encryption_key)
    with pytest.raises(InsecureSettingsError, match=problem):
        get_settings()


def test_production_accepts_real_secrets(set_env):
    other = Fernet.generate_key().decode()
    set_env(APP_ENV="production", SECRET_KEY=REAL_SECRET, ENCRYPTION_KEY=f"{REAL_FERNET}, {other}")
    settings = get_settings()
    assert settings.is_production
    assert settings.secret_key == REAL_SECRET
    assert settings.encryption_keys == [REAL_FERNET, other]


@pytest.mark.parametrize("app_env", ["demo", "dev"])
def test_demo_and_dev_accept_the_placeholders(set_env, app_env):
    set_env(APP_ENV=app_env, SECRET_KEY=None, ENCRYPTION_KEY=None)
    settings = get_settings()
    assert settings.app_env == app_env
    assert not settings.is_production
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.encryption_keys == [DEV_ENCRYPTION_KEY]


def test_direct_construction_validates_too():
    with pytest.raises(InsecureSettingsError):
        Settings(_env_file=None, app_env="production")
    ok = Settings(_env_file=None, app_env="production", secret_key=REAL_SECRET, encryption_key=REAL_FERNET)
    assert ok.is_production


def test_settings_are_cached_until_reset(set_env):
    first = get_settings()
    assert get_settings() is first
    set_env(SESSION_TTL_HOURS="3")
    second = get_settings()
    assert second is not first
    assert second.session_ttl_hours == 3
    reset_settings_cache()
    assert get_settings() is not second


def test_the_test_database_comes_from_the_environment(database):
    assert get_settings().database_url == database.url
    assert get_settings().app_env == "dev"
    assert get_settings().smtp_url is None


@pytest.mark.parametrize("app_env", ["demo", "production"])
def test_a_malformed_encryption_key_is_refused_at_start_up(set_env, app_env):
    set_env(APP_ENV=app_env, SECRET_KEY=REAL_SECRET, ENCRYPTION_KEY="not-a-fernet-key")
    with pytest.raises(InsecureSettingsError, match="Fernet"):
        Settings()


def test_cpf_fee_is_configured_per_year(set_env):
    set_env(CPF_PARTICIPATION_FEES="2024:100,2025:102.23,2027:150")
    settings = Settings()
    assert settings.cpf_fee_for(2023) is None
    assert settings.cpf_fee_for(2024) == (2024, 100.0)
    assert settings.cpf_fee_for(2026) == (2025, 102.23)
    assert settings.cpf_fee_for(2028) == (2027, 150.0)
