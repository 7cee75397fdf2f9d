"""OAuth2 client credentials against France Travail's token endpoint, one cached token per scope set.

A token is reused until ``expires_in`` minus a safety margin (a tenth of its lifetime, at most 60 s),
then fetched again before it is used (proactive refresh). The API client calls ``invalidate`` on a
401 and retries once with a fresh token. One lock per scope set: concurrent threads asking for the
same scopes make a single token request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from services.francetravail.errors import (
    FranceTravailAuthError,
    FranceTravailBadAnswer,
    FranceTravailTimeout,
    FranceTravailUnavailable,
)

logger = logging.getLogger(__name__)

REALM = "/partenaire"
MAX_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_at: float  # monotonic clock
    refresh_at: float  # monotonic clock: after this, fetch a new one


def scope_key(scopes: str | Iterable[str]) -> frozenset[str]:
    words = scopes.split() if isinstance(scopes, str) else [word for scope in scopes for word in scope.split()]
    return frozenset(words)


class TokenProvider:
    def __init__(
        self,
        http: httpx.Client,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._tokens: dict[frozenset[str], AccessToken] = {}
        self._locks: dict[frozenset[str], threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self.requests_made = 0  # token requests sent (for tests and diagnostics)

    def _lock_for(self, key: frozenset[str]) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())

    def token(self, scopes: str | Iterable[str]) -> str:
        """A valid access token for ``scopes`` (space-separated string or iterable of scopes)."""
        key = scope_key(scopes)
        with self._lock_for(key):
            current = self._tokens.get(key)
            if current is not None and self._clock() < current.refresh_at:
                return current.value
            fresh = self._fetch(key)
            self._tokens[key] = fresh
            return fresh.value

    def invalidate(self, scopes: str | Iterable[str], value: str | None = None) -> None:
        """Forget the token of ``scopes`` (only if it is still ``value``, when given: another thread may
        already have replaced it)."""
        key = scope_key(scopes)
        with self._lock_for(key):
            current = self._tokens.get(key)
            if current is not None and (value is None or current.value == value):
                del self._tokens[key]

    def _fetch(self, key: frozenset[str]) -> AccessToken:
        data = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": " ".join(sorted(key)),
        }
        self.requests_made += 1
        started = self._clock()
        try:
            response = self._http.post(self._token_url, params={"realm": REALM}, data=data)
        except httpx.TimeoutException as exc:
            raise FranceTravailTimeout(detail=f"token endpoint: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise FranceTravailUnavailable(detail=f"token endpoint: {type(exc).__name__}") from exc
        if response.status_code in (400, 401, 403):
            # Never log the body: it may echo the client id.
            raise FranceTravailAuthError(detail=f"token endpoint answered {response.status_code}")
        if response.status_code >= 400:
            raise FranceTravailUnavailable(detail=f"token endpoint answered {response.status_code}")
        try:
            payload = response.json()
            value = str(payload["access_token"])
            expires_in = float(payload.get("expires_in", 0))
        except (ValueError, KeyError, TypeError) as exc:
            raise FranceTravailBadAnswer(detail="token endpoint: no access_token in the answer") from exc
        if not value or expires_in <= 0:
            raise FranceTravailBadAnswer(detail="token endpoint: empty token or expiry")
        margin = min(MAX_MARGIN_SECONDS, expires_in / 10)
        logger.info("France Travail token obtained for %s (expires in %.0f s)", " ".join(sorted(key)), expires_in)
        return AccessToken(value=value, expires_at=started + expires_in, refresh_at=started + expires_in - margin)
