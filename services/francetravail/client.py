"""The France Travail API client: Offres d'emploi v2, ROME 4.0, ROMEO v2, La Bonne Boîte v2, Marché du travail.

Every call goes through ``FranceTravailClient._request``, which

1. looks the answer up in the cache (key: the kind of data, method, path, query and body);
2. waits for a token of the API's rate limiter (token bucket, ``FRANCE_TRAVAIL_RATE_LIMITS``);
3. sends the request with a Bearer token for the endpoint's scopes (``TokenProvider``);
4. on a 401, drops the token and retries once with a new one; on 429, 5xx or a connection failure,
   waits (``Retry-After`` in seconds or as an HTTP date when given, else exponential backoff) and
   retries, up to ``max_attempts`` in all; a read timeout is not retried (the user is waiting);
5. parses the JSON (malformed → ``FranceTravailBadAnswer``) and stores the answer in the cache.

The client is synchronous and thread-safe (one ``httpx.Client``, locks in the token provider, the
buckets and the memory cache). Reflex background events call it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from services.francetravail.auth import TokenProvider
from services.francetravail.cache import Cache, MemoryCache, cache_key, make_cache
from services.francetravail.errors import (
    FranceTravailAuthError,
    FranceTravailBadAnswer,
    FranceTravailBadRequest,
    FranceTravailError,
    FranceTravailNotConfigured,
    FranceTravailNotFound,
    FranceTravailRateLimited,
    FranceTravailTimeout,
    FranceTravailUnavailable,
)
from services.francetravail.models import (
    CODE_ROME,
    AppellationHit,
    Company,
    CompanySearchResult,
    CompetenceRef,
    FicheMetier,
    MarketStat,
    Offer,
    OfferFilters,
    OfferSearchResult,
    RomeoPrediction,
    StatValue,
)
from services.francetravail.ratelimit import TokenBucket, parse_rate_limits
from services.settings import Settings, get_settings

logger = logging.getLogger(__name__)

# Paging of the offers search (domain.md §4): ``range=first-last``.
PAGE_SIZE = 150
MAX_FIRST_INDEX = 1000
MAX_LAST_INDEX = 1149

DEFAULT_RATES: dict[str, float] = {"offres": 10.0, "rome": 1.0, "romeo": 1.0, "labonneboite": 2.0, "stats": 1.0}
DEFAULT_TTLS: dict[str, int] = {"offres": 600, "rome": 86400, "companies": 3600, "stats": 86400}

StatIndicator = Literal["stat-offres", "stat-demandeurs", "stat-perspective-employeur", "stat-salaires-en-poste"]
_CONTENT_RANGE = re.compile(r"(?P<first>\d+)\s*-\s*(?P<last>\d+)\s*/\s*(?P<total>\d+|\*)")
_OFFER_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
_CODE_OGR = re.compile(r"^\d{1,12}$")

M = TypeVar("M")


@dataclass(frozen=True)
class Endpoint:
    """What a family of paths needs: its rate limiter, its OAuth scopes, the TTL of its answers."""

    api: str  # the rate limiter's name
    scope: str
    cache_kind: str  # a key of the TTL table


OFFRES = Endpoint("offres", "api_offresdemploiv2 o2dsoffre", "offres")
ROME_METIERS = Endpoint("rome", "api_rome-metiersv1 nomenclatureRome", "rome")
ROME_FICHES = Endpoint("rome", "api_rome-fiches-metiersv1 nomenclatureRome", "rome")
ROME_COMPETENCES = Endpoint("rome", "api_rome-competencesv1 nomenclatureRome", "rome")
ROMEO = Endpoint("romeo", "api_romeov2", "rome")
LA_BONNE_BOITE = Endpoint("labonneboite", "api_labonneboitev2 search office", "companies")
STATS = Endpoint("stats", "api_stats-offres-demandes-emploiv1 offresetdemandesemploi", "stats")  # [unverified]


@dataclass(frozen=True)
class ApiAnswer:
    """A successful answer as the client keeps it (and caches it): status, JSON body, ``Content-Range``."""

    status: int
    data: Any
    content_range: str | None = None


@dataclass
class ClientStats:
    """Counters for diagnostics and tests."""

    requests: int = 0  # HTTP requests sent to the APIs (token requests excluded)
    cache_hits: int = 0
    retries: int = 0
    waited_seconds: float = 0.0  # time slept before retries
    throttled_seconds: float = 0.0  # time slept waiting for the rate limiter


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_content_range(value: str | None) -> tuple[int, int, int | None] | None:
    """``"offres 0-149/353"`` → ``(0, 149, 353)``; the total is None for ``*``."""
    if not value:
        return None
    match = _CONTENT_RANGE.search(value)
    if match is None:
        return None
    total = match.group("total")
    return int(match.group("first")), int(match.group("last")), None if total == "*" else int(total)


class _OfferPage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    resultats: list[Offer] = Field(default_factory=list)


class FranceTravailClient:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        token_url: str,
        api_url: str,
        timeout: float = 15.0,
        connect_timeout: float = 5.0,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        rate_limits: Mapping[str, float] | None = None,
        cache: Cache | None = None,
        cache_ttls: Mapping[str, int] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not client_id or not client_secret:
            raise FranceTravailNotConfigured()
        self.api_url = api_url.rstrip("/")
        self.max_attempts = max(1, max_attempts)
        self.backoff = max(0.0, backoff)
        self.max_wait = max(0.0, max_wait)
        self.cache: Cache = cache if cache is not None else MemoryCache()
        self.cache_ttls = {**DEFAULT_TTLS, **(cache_ttls or {})}
        rates = {**DEFAULT_RATES, **(rate_limits or {})}
        self._buckets = {name: TokenBucket(rate) for name, rate in rates.items()}
        self._default_bucket = TokenBucket(1.0)
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "BilanCompetence.AI"},
        )
        self.auth = TokenProvider(self._http, token_url, client_id, client_secret)
        self.stats = ClientStats()
        self._stats_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, cache: Cache | None = None) -> FranceTravailClient:
        """A client configured from the settings; ``FranceTravailNotConfigured`` without credentials."""
        settings = settings or get_settings()
        if not settings.france_travail_configured:
            raise FranceTravailNotConfigured()
        return cls(
            client_id=settings.france_travail_client_id or "",
            client_secret=settings.france_travail_client_secret or "",
            token_url=settings.france_travail_token_url,
            api_url=settings.france_travail_api_url,
            timeout=settings.france_travail_timeout_seconds,
            connect_timeout=settings.france_travail_connect_timeout_seconds,
            max_attempts=settings.france_travail_max_attempts,
            backoff=settings.france_travail_backoff_seconds,
            max_wait=settings.france_travail_max_wait_seconds,
            rate_limits=parse_rate_limits(settings.france_travail_rate_limits),
            cache=cache if cache is not None else make_cache(settings.redis_url),
            cache_ttls={
                "offres": settings.france_travail_cache_ttl_offres,
                "rome": settings.france_travail_cache_ttl_rome,
                "companies": settings.france_travail_cache_ttl_companies,
                "stats": settings.france_travail_cache_ttl_stats,
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FranceTravailClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ the request pipeline

    def _count(self, **deltas: float) -> None:
        with self._stats_lock:
            for name, delta in deltas.items():
                setattr(self.stats, name, getattr(self.stats, name) + delta)

    def _request(
        self,
        endpoint: Endpoint,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        use_cache: bool = True,
    ) -> ApiAnswer:
        ttl = self.cache_ttls.get(endpoint.cache_kind, 0) if use_cache else 0
        key = cache_key(endpoint.cache_kind, method, path, dict(params or {}), json_body)
        if ttl > 0:
            cached = self.cache.get(key)
            if isinstance(cached, dict):
                try:
                    answer = ApiAnswer(**cached)
                except TypeError:
                    answer = None
                if answer is not None:
                    self._count(cache_hits=1)
                    return answer
        answer = self._send(endpoint, method, path, params=params, json_body=json_body)
        if ttl > 0:
            self.cache.set(key, asdict(answer), ttl)
        return answer

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return min(self.max_wait, self.backoff * (2 ** (attempt - 1)))

    def _send(
        self,
        endpoint: Endpoint,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json_body: Any,
    ) -> ApiAnswer:
        url = f"{self.api_url}{path}"
        bucket = self._buckets.get(endpoint.api, self._default_bucket)
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            failure: FranceTravailError
            retry_after: float | None = None
            try:
                token = self.auth.token(endpoint.scope)
            except FranceTravailUnavailable as exc:  # the token endpoint is down: retry like the API
                failure = exc
            else:
                self._count(requests=1, throttled_seconds=bucket.acquire())
                try:
                    response = self._http.request(
                        method,
                        url,
                        params=params,
                        json=json_body,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
                    raise FranceTravailTimeout(detail=f"{method} {path}: {type(exc).__name__}") from exc
                except httpx.HTTPError as exc:  # connection refused or reset, connect timeout...
                    failure = FranceTravailUnavailable(detail=f"{method} {path}: {type(exc).__name__}")
                else:
                    status = response.status_code
                    if status < 300:
                        return self._answer(response, method, path)
                    if status == 401 and not refreshed:
                        refreshed = True
                        self.auth.invalidate(endpoint.scope, token)
                        attempt -= 1  # the token's fault, not the API's: does not use an attempt
                        continue
                    if status in (401, 403):
                        raise FranceTravailAuthError(detail=f"{method} {path}: {status}")
                    if status == 404:
                        raise FranceTravailNotFound(detail=f"{method} {path}: 404")
                    if status == 429:
                        retry_after = parse_retry_after(response.headers.get("Retry-After"))
                        failure = FranceTravailRateLimited(detail=f"{method} {path}: 429")
                    elif status >= 500:
                        retry_after = parse_retry_after(response.headers.get("Retry-After"))
                        failure = FranceTravailUnavailable(detail=f"{method} {path}: {status}")
                    else:
                        raise FranceTravailBadRequest(detail=f"{method} {path}: {status} {response.text[:200]}")
            if attempt >= self.max_attempts:
                logger.warning("France Travail: giving up after %d attempts (%s)", attempt, failure.detail)
                raise failure
            if retry_after is not None and retry_after > self.max_wait:
                logger.warning("France Travail: Retry-After %.0f s is too long, giving up (%s)", retry_after, path)
                raise failure
            delay = self._delay(attempt, retry_after)
            logger.info("France Travail: %s, retry %d in %.2f s", failure.detail, attempt, delay)
            self._count(retries=1, waited_seconds=delay)
            if delay > 0:
                self._sleep(delay)

    @staticmethod
    def _answer(response: httpx.Response, method: str, path: str) -> ApiAnswer:
        content_range = response.headers.get("Content-Range")
        if response.status_code == 204 or not response.content.strip():
            return ApiAnswer(response.status_code, None, content_range)
        try:
            data = response.json()
        except ValueError as exc:
            raise FranceTravailBadAnswer(detail=f"{method} {path}: malformed JSON") from exc
        return ApiAnswer(response.status_code, data, content_range)

    @staticmethod
    def _parse(adapter: TypeAdapter[M] | type[M], data: Any, where: str) -> M:
        try:
            if isinstance(adapter, TypeAdapter):
                return adapter.validate_python(data)
            if isinstance(adapter, type) and issubclass(adapter, BaseModel):
                return adapter.model_validate(data)
            raise TypeError(adapter)
        except ValidationError as exc:
            raise FranceTravailBadAnswer(detail=f"{where}: {exc.error_count()} validation error(s)") from exc

    # ------------------------------------------------------------ Offres d'emploi v2

    def search_offers(
        self,
        filters: OfferFilters | Mapping[str, Any] | None = None,
        *,
        start: int = 0,
        limit: int = PAGE_SIZE,
    ) -> OfferSearchResult:
        """Offers matching ``filters``, from index ``start``, at most ``limit`` (several pages of 150 if needed).

        The API serves indexes 0 to 1149 at most: a ``start`` beyond 1000 is refused, and the last page
        stops at 1149 (``complete`` is then False when the total is larger).
        """
        if not isinstance(filters, OfferFilters):
            filters = OfferFilters.model_validate(dict(filters or {}))
        if start < 0 or start > MAX_FIRST_INDEX:
            raise FranceTravailBadRequest("francetravail.error.paging", detail=f"start {start}")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        wanted_last = min(start + limit - 1, MAX_LAST_INDEX)
        params = filters.to_params()
        offers: list[Offer] = []
        total = 0
        pages = 0
        first = start
        while first <= wanted_last:
            # Past index 1000 the API still serves up to 1149, but only from a range starting at 1000 at
            # most: ask for 1000-… again and drop what the previous page already gave.
            asked_first = min(first, MAX_FIRST_INDEX)
            skip = first - asked_first
            last = min(asked_first + PAGE_SIZE - 1, wanted_last)
            answer = self._request(
                OFFRES, "GET", "/offresdemploi/v2/offres/search", params={**params, "range": f"{asked_first}-{last}"}
            )
            pages += 1
            if answer.status == 204 or answer.data is None:
                break  # no (more) result
            page = self._parse(_OfferPage, answer.data, "offres/search").resultats[skip:]
            offers.extend(page)
            content_range = parse_content_range(answer.content_range)
            if content_range is not None and content_range[2] is not None:
                total = content_range[2]
            else:
                total = max(total, first + len(page))
            if answer.status != 206 or not page or first + len(page) >= total:
                break  # 200: the whole result is here
            first = last + 1
        complete = start + len(offers) >= min(total, start + limit)
        return OfferSearchResult(offers=offers, total=total, start=start, pages=pages, complete=complete)

    def get_offer(self, offer_id: str) -> Offer:
        if not _OFFER_ID.match(offer_id or ""):
            raise FranceTravailNotFound(detail=f"offer id {offer_id!r}")
        answer = self._request(OFFRES, "GET", f"/offresdemploi/v2/offres/{offer_id}")
        if answer.data is None:
            raise FranceTravailNotFound(detail=f"offer {offer_id}: empty answer")
        return self._parse(Offer, answer.data, "offres/{id}")

    # ------------------------------------------------------------ ROME 4.0

    @staticmethod
    def _check_rome(code: str) -> str:
        code = (code or "").strip().upper()
        if not CODE_ROME.match(code):
            raise FranceTravailNotFound(detail=f"ROME code {code!r}")
        return code

    def get_metier(self, code_rome: str) -> FicheMetier:
        """``/rome-metiers/v1/metiers/metier/{code}``."""
        code = self._check_rome(code_rome)
        answer = self._request(ROME_METIERS, "GET", f"/rome-metiers/v1/metiers/metier/{code}")
        if answer.data is None:
            raise FranceTravailNotFound(detail=f"métier {code}: empty answer")
        return self._parse(FicheMetier, answer.data, "rome-metiers/metier")

    def search_appellations(self, query: str) -> list[AppellationHit]:
        """``/rome-metiers/v1/metiers/appellation/requete?q=`` (a list, or ``{resultats: [...]}``)."""
        query = (query or "").strip()
        if not query:
            return []
        answer = self._request(ROME_METIERS, "GET", "/rome-metiers/v1/metiers/appellation/requete", params={"q": query})
        data = answer.data
        if isinstance(data, dict):
            data = data.get("resultats", data.get("appellations", []))
        if data is None:
            return []
        return self._parse(TypeAdapter(list[AppellationHit]), data, "rome-metiers/appellation/requete")

    def get_fiche_metier(self, code_rome: str) -> FicheMetier:
        """``/rome-fiches-metiers/v1/fiches-rome/fiche-metier/{code}``."""
        code = self._check_rome(code_rome)
        answer = self._request(ROME_FICHES, "GET", f"/rome-fiches-metiers/v1/fiches-rome/fiche-metier/{code}")
        if answer.data is None:
            raise FranceTravailNotFound(detail=f"fiche {code}: empty answer")
        return self._parse(FicheMetier, answer.data, "rome-fiches-metiers/fiche-metier")

    def list_competences(self) -> list[CompetenceRef]:
        """``/rome-competences/v1/competences/competence``: the référentiel of compétences."""
        answer = self._request(ROME_COMPETENCES, "GET", "/rome-competences/v1/competences/competence")
        data = answer.data
        if isinstance(data, dict):
            data = data.get("competences", data.get("resultats", []))
        if data is None:
            return []
        return self._parse(TypeAdapter(list[CompetenceRef]), data, "rome-competences/competence")

    def get_competence(self, code_ogr: str) -> CompetenceRef:
        if not _CODE_OGR.match(code_ogr or ""):
            raise FranceTravailNotFound(detail=f"compétence {code_ogr!r}")
        answer = self._request(ROME_COMPETENCES, "GET", f"/rome-competences/v1/competences/competence/{code_ogr}")
        if answer.data is None:
            raise FranceTravailNotFound(detail=f"compétence {code_ogr}: empty answer")
        return self._parse(CompetenceRef, answer.data, "rome-competences/competence/{code}")

    # ------------------------------------------------------------ ROMEO v2

    def predict_metiers(
        self,
        texts: Sequence[str],
        *,
        nb_results: int = 5,
        threshold: float = 0.0,
        context: str | None = None,
    ) -> list[RomeoPrediction]:
        """ROMEO: free-text job titles → likely ROME métiers, one prediction per text (same order)."""
        items = [text.strip() for text in texts if text and text.strip()]
        if not items:
            return []
        appellations: list[dict[str, str]] = []
        for index, text in enumerate(items):
            item = {"intitule": text, "identifiant": str(index)}
            if context:
                item["contexte"] = context
            appellations.append(item)
        body = {
            "appellations": appellations,
            "options": {"nbResultats": nb_results, "seuilScorePrediction": threshold},
        }
        answer = self._request(ROMEO, "POST", "/romeo/v2/predictionMetiers", json_body=body)
        if answer.data is None:
            return []
        predictions = self._parse(TypeAdapter(list[RomeoPrediction]), answer.data, "romeo/predictionMetiers")
        order = {str(index): index for index in range(len(items))}
        return sorted(predictions, key=lambda p: order.get(p.identifiant, len(items)))

    # ------------------------------------------------------------ La Bonne Boîte v2

    def search_companies(self, code_rome: str, citycode: str, distance: int = 30) -> CompanySearchResult:
        """Companies likely to hire for ``code_rome`` within ``distance`` km of the INSEE ``citycode``."""
        code = self._check_rome(code_rome)
        params = {"rome": code, "citycode": citycode.strip(), "distance": str(int(distance))}
        answer = self._request(LA_BONNE_BOITE, "GET", "/labonneboite/v2/recherche", params=params)
        data = answer.data
        if data is None:
            return CompanySearchResult(companies=[], total=0)
        total: int | None = None
        if isinstance(data, dict):
            for key in ("hits", "total", "totalResults"):
                if isinstance(data.get(key), int):
                    total = data[key]
                    break
            data = next((data[key] for key in ("items", "companies", "results") if key in data), [])
        companies = self._parse(TypeAdapter(list[Company]), data, "labonneboite/recherche")
        return CompanySearchResult(companies=companies, total=total if total is not None else len(companies))

    # ------------------------------------------------------------ Marché du travail [unverified contract]

    def market_stat(
        self,
        code_rome: str,
        code_territoire: str,
        *,
        type_territoire: str = "DEP",
        indicateur: StatIndicator = "stat-offres",
        type_periode: str = "TRIMESTRE",
    ) -> MarketStat:
        """One labour-market indicator for a ROME code and a territory (``DEP``, ``REG``, ``NAT``...).

        The request body and the answer layout follow our reading of the public documentation and are
        NOT verified against the live API (domain.md §4): the answer is parsed defensively, and an
        unknown layout gives a ``MarketStat`` without values rather than an error.
        """
        code = self._check_rome(code_rome)
        body = {
            "codeTypeTerritoire": type_territoire,
            "codeTerritoire": code_territoire,
            "codeTypeActivite": "ROME",
            "codeActivite": code,
            "codeTypePeriode": type_periode,
        }
        path = f"/stats-offres-demandes-emploi/v1/indicateur/{indicateur}"
        answer = self._request(STATS, "POST", path, json_body=body)
        if answer.data is not None and not isinstance(answer.data, dict | list):
            raise FranceTravailBadAnswer(detail=f"{indicateur}: not a JSON object")
        return _market_stat(answer.data, indicateur, code, type_territoire, code_territoire)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            return None
    return None


_STAT_VALUE_KEYS = (
    "valeurPrincipaleNombre",
    "valeurPrincipaleMontant",
    "valeurPrincipaleTaux",
    "valeurPrincipale",
    "valeur",
)


def _market_stat(data: Any, indicateur: str, code_rome: str, type_territoire: str, code_territoire: str) -> MarketStat:
    rows: list[Any] = []
    if isinstance(data, dict):
        for key in ("listeValeursParPeriode", "valeursParPeriode", "resultats"):
            if isinstance(data.get(key), list):
                rows = data[key]
                break
    elif isinstance(data, list):
        rows = data
    values: list[StatValue] = []
    libelle_territoire = ""
    for row in rows:
        if not isinstance(row, dict):
            continue
        periode = row.get("codePeriode") or row.get("periode")
        if not periode:
            continue
        valeur = None
        for key in _STAT_VALUE_KEYS:
            valeur = _number(row.get(key))
            if valeur is not None:
                break
        libelle_territoire = libelle_territoire or str(row.get("libTerritoire") or "")
        values.append(StatValue(periode=str(periode), libelle_periode=str(row.get("libPeriode") or ""), valeur=valeur))
    values.sort(key=lambda value: value.periode)
    return MarketStat(
        indicateur=indicateur,
        code_rome=code_rome,
        type_territoire=type_territoire,
        code_territoire=code_territoire,
        libelle_territoire=libelle_territoire,
        valeurs=values,
    )


# ---------------------------------------------------------------- the process-wide client

_client_lock = threading.Lock()
_client: tuple[tuple[Any, ...], FranceTravailClient] | None = None


def is_configured(settings: Settings | None = None) -> bool:
    return (settings or get_settings()).france_travail_configured


def get_client() -> FranceTravailClient:
    """The shared client for the current settings (rebuilt when they change); raises
    ``FranceTravailNotConfigured`` without credentials, so callers can show the French message."""
    global _client
    settings = get_settings()
    if not settings.france_travail_configured:
        raise FranceTravailNotConfigured()
    names = [name for name in sorted(Settings.model_fields) if name.startswith("france_travail_")]
    signature = (*(getattr(settings, name) for name in names), settings.redis_url)
    with _client_lock:
        if _client is not None and _client[0] == signature:
            return _client[1]
        if _client is not None:
            _client[1].close()
        client = FranceTravailClient.from_settings(settings)
        _client = (signature, client)
        return client


def reset_client() -> None:
    global _client
    with _client_lock:
        if _client is not None:
            _client[1].close()
        _client = None
