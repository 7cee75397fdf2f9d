"""Column helpers shared by every table: UUID keys and timezone-aware UTC datetimes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field

_clock_offset: ContextVar[timedelta] = ContextVar("clock_offset", default=timedelta(0))


def utcnow() -> datetime:
    return datetime.now(UTC) + _clock_offset.get()


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (the demo lives its history in order: a session is
    planned before it starts and signed for when it happens). Never used on a request path."""
    token = _clock_offset.set(moment - datetime.now(UTC))
    try:
        yield
    finally:
        _clock_offset.reset(token)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware datetimes (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def optional_datetime_field(**kwargs: Any) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True, **kwargs)


def required_datetime_field() -> Any:
    return Field(sa_type=UTCDateTime, nullable=False)


def _enum_type(enum_cls: type[Enum]) -> SAEnum:
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


def enum_field(enum_cls: type[Enum], default: Enum | None = None) -> Any:
    """An enum stored as its value in a VARCHAR: portable, and new members need no DDL."""
    column_type = _enum_type(enum_cls)
    if default is None:
        return Field(sa_type=column_type, nullable=False)
    return Field(default=default, sa_type=column_type, nullable=False)


def optional_enum_field(enum_cls: type[Enum]) -> Any:
    """A nullable enum column (None: not set yet), stored like ``enum_field``."""
    return Field(default=None, sa_type=_enum_type(enum_cls), nullable=True)
