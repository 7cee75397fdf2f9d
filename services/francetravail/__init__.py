"""France Travail (francetravail.io): OAuth2 client credentials and the Offres, ROME 4.0, ROMEO,
La Bonne Boîte and Marché du travail clients. See docs/france-travail.md.

Without ``FRANCE_TRAVAIL_CLIENT_ID`` and ``FRANCE_TRAVAIL_CLIENT_SECRET`` the integration is off:
``get_client()`` raises ``FranceTravailNotConfigured``, whose message says so in French.
"""

from services.francetravail.client import (
    FranceTravailClient,
    get_client,
    is_configured,
    parse_content_range,
    parse_retry_after,
    reset_client,
)
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
    AppellationHit,
    Company,
    CompanySearchResult,
    CompetenceRef,
    FicheMetier,
    MarketStat,
    Offer,
    OfferFilters,
    OfferSearchResult,
    RomeoMetier,
    RomeoPrediction,
)

__all__ = [
    "AppellationHit",
    "Company",
    "CompanySearchResult",
    "CompetenceRef",
    "FicheMetier",
    "FranceTravailAuthError",
    "FranceTravailBadAnswer",
    "FranceTravailBadRequest",
    "FranceTravailClient",
    "FranceTravailError",
    "FranceTravailNotConfigured",
    "FranceTravailNotFound",
    "FranceTravailRateLimited",
    "FranceTravailTimeout",
    "FranceTravailUnavailable",
    "MarketStat",
    "Offer",
    "OfferFilters",
    "OfferSearchResult",
    "RomeoMetier",
    "RomeoPrediction",
    "get_client",
    "is_configured",
    "parse_content_range",
    "parse_retry_after",
    "reset_client",
]
