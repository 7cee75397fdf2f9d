"""Apply the alembic migrations programmatically (CLI, `make run`, tests)."""

from __future__ import annotations

from collections.abc import Mapping

from alembic.config import Config

from alembic import command
from services.settings import PROJECT_ROOT


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logging"] = False
    return config


QUEUE_TABLE_PREFIX = "procrastinate_"  # the job queue's tables (migration 0016), not SQLModel models


def is_model_object(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Autogenerate and the drift check compare the SQLModel tables only: the queue's own tables and
    their indexes belong to procrastinate's schema."""
    table = name if type_ == "table" else parent_names.get("table_name")
    return not (table or "").startswith(QUEUE_TABLE_PREFIX)


def upgrade_to_head() -> None:
    command.upgrade(alembic_config(), "head")
