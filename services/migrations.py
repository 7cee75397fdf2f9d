"""Apply the alembic migrations programmatically (CLI, `make run`, tests)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from services.settings import PROJECT_ROOT


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head() -> None:
    command.upgrade(alembic_config(), "head")
