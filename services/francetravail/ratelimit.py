"""A thread-safe token bucket: at most ``rate`` requests per second, with bursts up to ``capacity``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until one is available; returns the time waited (seconds)."""
        waited = 0.0
        while True:
            with self._lock:
                self._refill(self._clock())
                if self._tokens >= 1:
                    self._tokens -= 1
                    return waited
                delay = (1 - self._tokens) / self.rate
            self._sleep(delay)
            waited += delay


def parse_rate_limits(spec: str) -> dict[str, float]:
    """``"offres:10,rome:1"`` → ``{"offres": 10.0, "rome": 1.0}`` (malformed items are ignored)."""
    rates: dict[str, float] = {}
    for item in spec.split(","):
        name, _, value = item.partition(":")
        try:
            rate = float(value)
        except ValueError:
            continue
        if name.strip() and rate > 0:
            rates[name.strip()] = rate
    return rates
