"""The cache of France Travail answers: Redis when ``REDIS_URL`` answers, else memory.

Values are JSON documents (the raw answer, re-validated by the client on every read), stored with a
TTL chosen per kind of data. A Redis failure while running is logged and treated as a miss: the
cache never breaks a request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Any, Protocol

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "bilan:ft:"


class Cache(Protocol):
    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any, ttl: int) -> None: ...

    def clear(self) -> None: ...


def cache_key(kind: str, *parts: Any) -> str:
    """``kind:<sha256 of the parameters>``: stable for equal parameters, whatever their dict order."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"


class MemoryCache:
    """A per-process dict with expiry and a size bound (oldest entries go first)."""

    def __init__(self, max_entries: int = 2000, *, clock: Any = time.monotonic) -> None:
        self._data: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._max = max_entries
        self._clock = clock

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._data[key]
                return None
            return json.loads(entry[1])

    def set(self, key: str, value: Any, ttl: int) -> None:
        if ttl <= 0:
            return
        with self._lock:
            if len(self._data) >= self._max and key not in self._data:
                now = self._clock()
                for stale in [k for k, (expires, _) in self._data.items() if expires <= now]:
                    del self._data[stale]
                while len(self._data) >= self._max:
                    del self._data[next(iter(self._data))]
            self._data[key] = (self._clock() + ttl, json.dumps(value, ensure_ascii=False))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class RedisCache:
    def __init__(self, client: Any, prefix: str = DEFAULT_PREFIX) -> None:
        self.client = client
        self.prefix = prefix

    def get(self, key: str) -> Any | None:
        try:
            raw = self.client.get(self.prefix + key)
        except Exception as exc:  # a cache must never break a request
            logger.warning("France Travail cache: Redis read failed (%s)", type(exc).__name__)
            return None
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def set(self, key: str, value: Any, ttl: int) -> None:
        if ttl <= 0:
            return
        try:
            self.client.set(self.prefix + key, json.dumps(value, ensure_ascii=False), ex=ttl)
        except Exception as exc:
            logger.warning("France Travail cache: Redis write failed (%s)", type(exc).__name__)

    def clear(self) -> None:
        """Delete this cache's keys (only those under its prefix)."""
        try:
            keys = list(self.client.scan_iter(match=self.prefix + "*", count=500))
            if keys:
                self.client.delete(*keys)
        except Exception as exc:
            logger.warning("France Travail cache: Redis clear failed (%s)", type(exc).__name__)


def make_cache(redis_url: str | None, prefix: str = DEFAULT_PREFIX) -> Cache:
    """A Redis cache if ``redis_url`` is set and answers a PING, else an in-memory one."""
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        except Exception as exc:
            logger.warning("France Travail cache: Redis unreachable (%s), using memory", type(exc).__name__)
            client.close()
        else:
            return RedisCache(client, prefix)
    return MemoryCache()
