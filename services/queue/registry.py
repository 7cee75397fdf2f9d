"""The jobs the product knows, declared once: name, function, queue, and the schedule of periodic ones.

A job function takes plain JSON arguments (ids as strings) and ``attempt`` (1 for the first run), and
is idempotent: it reads the database to see what is left to do, so running it twice does no harm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JobFunction = Callable[..., Any]


@dataclass(frozen=True)
class JobSpec:
    name: str
    function: JobFunction
    queue: str = "default"
    cron: str | None = None  # periodic jobs: a cron line in UTC (a 6th field is seconds)

    def __call__(self, *, attempt: int = 1, **arguments: Any) -> Any:
        return self.function(attempt=attempt, **arguments)


JOBS: dict[str, JobSpec] = {}
PERIODIC: list[JobSpec] = []


def job(name: str, *, queue: str = "default", cron: str | None = None) -> Callable[[JobFunction], JobFunction]:
    """Declare a job (``@job("deliver_mail", queue="mail")``); a periodic one also names its schedule."""

    def register(function: JobFunction) -> JobFunction:
        if name in JOBS:
            raise ValueError(f"job {name!r} is declared twice")
        spec = JobSpec(name, function, queue, cron)
        JOBS[name] = spec
        if cron is not None:
            PERIODIC.append(spec)
        return function

    return register
