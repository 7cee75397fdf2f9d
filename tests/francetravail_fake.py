"""A fake France Travail (token endpoint + the partner APIs) for the client's tests.

A Starlette app served by uvicorn in a thread on 127.0.0.1 (a socket bound to a free port), so the
real client code, httpx included, runs against real HTTP. It reproduces:

* ``POST /connexion/oauth2/access_token?realm=/partenaire``: form-encoded client credentials, tokens
  that expire after ``expires_in`` seconds (short in tests); an unknown or expired token gets 401, a
  token without the API's scope 403;
* the offers search with ``range`` paging: 206 for a partial page, 200 when everything is returned,
  204 when nothing matches, ``Content-Range: offres a-b/total``, 400 beyond the limits (more than 150
  per page, first index above 1000, last above 1149);
* ROME 4.0 (métier, appellation search, fiche, compétences), ROMEO v2,
  La Bonne Boîte v2, stats;
* injected faults (``fail``): a status with headers (429 + ``Retry-After``, 500, 401...), a slow
  answer, malformed JSON, for the next N requests whose path contains a given text.

It counts what it serves (``hits`` per path, ``token_requests``, ``unauthorized``) and keeps the last
query parameters and JSON bodies, so tests can check what the client sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CLIENT_ID = "PAR_bilantest_0123456789"
CLIENT_SECRET = "fake-secret-for-tests"

SCOPES = {
    "/offresdemploi/": {"api_offresdemploiv2", "o2dsoffre"},
    "/rome-metiers/": {"api_rome-metiersv1", "nomenclatureRome"},
    "/rome-fiches-metiers/": {"api_rome-fiches-metiersv1", "nomenclatureRome"},
    "/rome-competences/": {"api_rome-competencesv1", "nomenclatureRome"},
    "/romeo/": {"api_romeov2"},
    "/labonneboite/": {"api_labonneboitev2", "search", "office"},
    "/stats-offres-demandes-emploi/": {"api_stats-offres-demandes-emploiv1", "offresetdemandesemploi"},
}


# Every fifth offer is a CDD and every seventh an intérim mission, so that a contract filter narrows the
# results; every sixth gives no salary.
CONTRACTS = {
    "CDI": "Contrat à durée indéterminée",
    "CDD": "Contrat à durée déterminée - 6 Mois",
    "MIS": "Mission intérimaire - 3 Mois",
}


def _contract(index: int) -> str:
    if index % 5 == 4:
        return "CDD"
    return "MIS" if index % 7 == 6 else "CDI"


def make_offers(count: int, codes: tuple[str, ...] = ("K9901", "M9903")) -> list[dict[str, Any]]:
    offers = []
    for index in range(count):
        code = codes[index % len(codes)]
        contract = _contract(index)
        offers.append(
            {
                "id": f"FT{index:06d}",
                "intitule": f"Offre fictive n°{index} ({code})",
                "description": "Une offre inventée pour les tests.",
                "dateCreation": "2025-03-01T09:30:00.000Z",
                "dateActualisation": "2025-03-02T10:00:00.000Z",
                "romeCode": code,
                "romeLibelle": "Métier fictif",
                "appellationlibelle": "Gardien / Gardienne de phare",
                "lieuTravail": {
                    "libelle": "29 - BREST",
                    "latitude": 48.39,
                    "longitude": -4.48,
                    "codePostal": "29200",
                    "commune": "29019",
                },
                "entreprise": {"nom": "Phares et Balises fictifs", "description": None},
                "typeContrat": contract,
                "typeContratLibelle": CONTRACTS[contract],
                "experienceExige": "D",
                "salaire": {"libelle": "Mensuel de 2000 Euros"} if index % 6 != 5 else {},
                "dureeTravailLibelle": "35H Horaires normaux",
                "alternance": False,
                "nombrePostes": 1,
                "accessibleTH": index % 2 == 0,
                "qualificationCode": "6",
                "secteurActivite": "84",
                "origineOffre": {"origine": "1", "urlOrigine": f"https://example.invalid/offres/{index}"},
                "competences": [{"code": "100", "libelle": "ignored by the client"}],  # not a product field
            }
        )
    return offers


def default_fiches() -> dict[str, dict[str, Any]]:
    """Fiches of the synthetic export's métiers (tests/unit/test_rome_import.py): K9901 in the flat
    layout of domain.md, K9902 in the nested layout of the published API; M9903 is unknown (404)."""
    return {
        "K9901": {
            "code": "K9901",
            "libelle": "Gardien / Gardienne de phare",
            "definition": "Veille sur un phare imaginaire.\nEntretient les feux, les optiques et la lanterne.\n",
            "accesEmploi": "Accessible avec une vue d'aigle.\nUn permis bateau est apprécié.",
            "riasecMajeur": "R",
            "riasecMineur": "S",
            "appellations": [
                {"code": "700001", "libelle": "Gardien / Gardienne de phare", "libelleCourt": "Gardien de phare"},
                {
                    "code": "700002",
                    "libelle": "Veilleur / Veilleuse de lanterne maritime",
                    "libelleCourt": "Veilleur de lanterne",
                    "classification": "SYNONYME",
                },
                {
                    "code": "700099",
                    "libelle": "Gardien / Gardienne de sémaphore",
                    "libelleCourt": "Gardien de sémaphore",
                    "classification": "SYNONYME",
                },
            ],
            "competencesMobilisees": [
                {"type": "COMPETENCE-DETAILLEE", "code": "800001", "libelle": "Allumer la lanterne"},
            ],
            "contextesTravail": [{"code": "820001", "libelle": "Travail de nuit"}],
            "formacodes": [],
            "champInconnu": {"ignored": True},
        },
        "K9902": {
            "code": "K9902",
            "metier": {
                "code": "K9902",
                "libelle": "Fabricant / Fabricante de cerfs-volants",
                "definition": "Fabrique des cerfs-volants.\nTeste leur vol sur la plage.",
                "accesEmploi": None,
                "riasecMajeur": "A",
                "riasecMineur": "R",
                "appellations": [
                    {"code": "700003", "libelle": "Fabricant / Fabricante de cerfs-volants", "libelleCourt": ""},
                ],
            },
            "groupesCompetencesMobilisees": [
                {
                    "enjeu": {"libelle": "Fabrication"},
                    "competences": [{"code": "800002", "libelle": "Coudre une voile"}],
                }
            ],
            "groupesSavoirs": [{"savoirs": [{"code": "810002", "libelle": "Aérodynamique des voilures souples"}]}],
        },
    }


@dataclass
class Fault:
    path_contains: str
    times: int
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    delay: float = 0.0
    malformed: bool = False


class FakeFranceTravail:
    def __init__(self, *, offers: int = 353, expires_in: float = 1499) -> None:
        self._defaults = (offers, expires_in)
        self._lock = threading.Lock()
        self.base_url = ""
        self.reset()
        self.app = Starlette(
            routes=[
                Route("/connexion/oauth2/access_token", self.token, methods=["POST"]),
                Route("/partenaire/{path:path}", self.api, methods=["GET", "POST"]),
            ]
        )

    def reset(self) -> None:
        """Back to the initial data, with no token, counter or fault (between two tests)."""
        offers, expires_in = self._defaults
        self.offers = make_offers(offers)
        self.fiches = default_fiches()
        self.offer_counts: dict[str, int] = {}  # code ROME -> the latest period's stat-offres (else 42)
        self.expires_in = expires_in
        self.tokens: dict[str, tuple[float, frozenset[str]]] = {}
        self.token_requests = 0
        self.token_forms: list[dict[str, str]] = []
        self.token_queries: list[dict[str, str]] = []
        self.unauthorized = 0
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, query)
        self.bodies: list[Any] = []
        self.faults: list[Fault] = []

    # ------------------------------------------------------------ control from the tests

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/connexion/oauth2/access_token"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/partenaire"

    def env(self, **extra: str) -> dict[str, str]:
        """Settings variables pointing the app at this server (fast retries, generous rate limits)."""
        values = {
            "FRANCE_TRAVAIL_CLIENT_ID": CLIENT_ID,
            "FRANCE_TRAVAIL_CLIENT_SECRET": CLIENT_SECRET,
            "FRANCE_TRAVAIL_TOKEN_URL": self.token_url,
            "FRANCE_TRAVAIL_API_URL": self.api_url,
            "FRANCE_TRAVAIL_BACKOFF_SECONDS": "0.01",
            "FRANCE_TRAVAIL_MAX_ATTEMPTS": "3",
            "FRANCE_TRAVAIL_TIMEOUT_SECONDS": "2",
            "FRANCE_TRAVAIL_RATE_LIMITS": "offres:1000,rome:1000,romeo:1000,labonneboite:1000,stats:1000",
        }
        values.update(extra)
        return values

    def fail(
        self,
        path_contains: str,
        status: int = 500,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: str | None = None,
    ) -> None:
        """The next ``times`` API requests whose path contains ``path_contains`` get ``status``."""
        with self._lock:
            self.faults.append(Fault(path_contains, times, status=status, headers=headers or {}, body=body))

    def slow(self, path_contains: str, seconds: float, *, times: int = 1) -> None:
        with self._lock:
            self.faults.append(Fault(path_contains, times, delay=seconds))

    def malformed(self, path_contains: str, *, times: int = 1) -> None:
        with self._lock:
            self.faults.append(Fault(path_contains, times, malformed=True))

    def revoke_tokens(self) -> None:
        """Forget every token issued (as after a restart of the authorization server)."""
        with self._lock:
            self.tokens.clear()

    def hits_for(self, path_contains: str) -> int:
        return sum(count for path, count in self.hits.items() if path_contains in path)

    def ranges(self) -> list[str]:
        return [query.get("range", "") for _, path, query in self.requests if path.endswith("/offres/search")]

    # ------------------------------------------------------------ token endpoint

    async def token(self, request: Request) -> Response:
        form = await request.form()
        values = {key: str(value) for key, value in form.items()}
        with self._lock:
            self.token_requests += 1
            self.token_forms.append(values)
            self.token_queries.append(dict(request.query_params))
        if request.query_params.get("realm") != "/partenaire":
            return JSONResponse({"error": "invalid_realm"}, status_code=400)
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if values.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if values.get("client_id") != CLIENT_ID or values.get("client_secret") != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        scopes = frozenset(values.get("scope", "").split())
        value = uuid.uuid4().hex
        with self._lock:
            self.tokens[value] = (time.monotonic() + self.expires_in, scopes)
        return JSONResponse(
            {"access_token": value, "token_type": "Bearer", "expires_in": self.expires_in, "scope": " ".join(scopes)}
        )

    # ------------------------------------------------------------ the APIs

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.path_contains in path:
                    fault.times -= 1
                    return fault
        return None

    async def api(self, request: Request) -> Response:
        path = "/" + request.path_params["path"]
        query = dict(request.query_params)
        body: Any = None
        if request.method == "POST":
            raw = await request.body()
            body = json.loads(raw) if raw else None
        authorization = request.headers.get("authorization", "")
        token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else ""
        with self._lock:
            entry = self.tokens.get(token)
            if entry is None or entry[0] <= time.monotonic():
                self.unauthorized += 1
                return JSONResponse({"message": "Invalid or expired token"}, status_code=401)
            self.hits[path] += 1
            self.requests.append((request.method, path, query))
            if body is not None:
                self.bodies.append(body)
        needed = next((scopes for prefix, scopes in SCOPES.items() if path.startswith(prefix)), None)
        if needed is None:
            return JSONResponse({"message": "unknown API"}, status_code=404)
        if not needed <= entry[1]:
            return JSONResponse({"message": "scope missing"}, status_code=403)

        fault = self._take_fault(path)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            elif fault.malformed:
                return Response('{"resultats": [{"id": "FT1"', media_type="application/json")
            else:
                return Response(
                    fault.body if fault.body is not None else json.dumps({"message": f"fault {fault.status}"}),
                    status_code=fault.status,
                    headers=fault.headers,
                    media_type="application/json",
                )
        return self._dispatch(request.method, path, query, body)

    def _dispatch(self, method: str, path: str, query: dict[str, str], body: Any) -> Response:
        if path == "/offresdemploi/v2/offres/search":
            return self._search(query)
        if path.startswith("/offresdemploi/v2/offres/"):
            offer_id = path.rsplit("/", 1)[1]
            found = next((offer for offer in self.offers if offer["id"] == offer_id), None)
            return JSONResponse(found) if found else Response(status_code=204)
        if path.startswith("/rome-metiers/v1/metiers/metier/"):
            fiche = self.fiches.get(path.rsplit("/", 1)[1])
            if fiche is None:
                return JSONResponse({"message": "Not found"}, status_code=404)
            flat = {**fiche.get("metier", {}), **{k: v for k, v in fiche.items() if k != "metier"}}
            return JSONResponse(flat)
        if path == "/rome-metiers/v1/metiers/appellation/requete":
            words = query.get("q", "").lower()
            hits = [
                {
                    "code": appellation["code"],
                    "libelle": appellation["libelle"],
                    "libelleCourt": appellation.get("libelleCourt", ""),
                    "metier": {"code": code, "libelle": fiche.get("libelle", "")},
                    "score": 0.9,
                }
                for code, fiche in self.fiches.items()
                for appellation in fiche.get("appellations", fiche.get("metier", {}).get("appellations", []))
                if words and words in appellation["libelle"].lower()
            ]
            return JSONResponse({"totalResultats": len(hits), "resultats": hits})
        if path.startswith("/rome-fiches-metiers/v1/fiches-rome/fiche-metier/"):
            fiche = self.fiches.get(path.rsplit("/", 1)[1])
            if fiche is None:
                return JSONResponse({"message": "Not found"}, status_code=404)
            return JSONResponse(fiche)
        if path == "/rome-competences/v1/competences/competence":
            return JSONResponse(
                [
                    {"code": "800001", "libelle": "Allumer la lanterne", "type": "COMPETENCE-DETAILLEE"},
                    {"codeOgr": "800003", "libelle": "Faire preuve de patience", "type": "MACRO-SAVOIR-ETRE"},
                ]
            )
        if path == "/romeo/v2/predictionMetiers" and method == "POST":
            return self._romeo(body)
        if path == "/labonneboite/v2/recherche":
            return self._labonneboite(query)
        if path.startswith("/stats-offres-demandes-emploi/v1/indicateur/") and method == "POST":
            return self._stats(body)
        return JSONResponse({"message": "Not found"}, status_code=404)

    def _search(self, query: dict[str, str]) -> Response:
        first, _, last = query.get("range", "0-149").partition("-")
        try:
            start, end = int(first), int(last)
        except ValueError:
            return JSONResponse({"message": "range invalide"}, status_code=400)
        if end < start or end - start + 1 > 150 or start > 1000 or end > 1149:
            return JSONResponse({"message": "La plage de résultats demandée est incorrecte."}, status_code=400)
        matching = self.offers
        if query.get("codeROME"):
            codes = set(query["codeROME"].split(","))
            matching = [offer for offer in matching if offer["romeCode"] in codes]
        if query.get("typeContrat"):
            contracts = set(query["typeContrat"].split(","))
            matching = [offer for offer in matching if offer["typeContrat"] in contracts]
        if query.get("motsCles"):
            words = [word.strip() for word in query["motsCles"].lower().split(",") if word.strip()]
            matching = [offer for offer in matching if all(word in offer["intitule"].lower() for word in words)]
        total = len(matching)
        page = matching[start : end + 1]
        if not page:
            return Response(status_code=204)
        shown_end = start + len(page) - 1
        status = 206 if total > shown_end + 1 or start > 0 else 200
        return JSONResponse(
            {"resultats": page, "filtresPossibles": [{"filtre": "typeContrat", "agregation": []}]},
            status_code=status,
            headers={"Content-Range": f"offres {start}-{shown_end}/{total}", "Accept-Range": "offres 150"},
        )

    def _romeo(self, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("appellations"), list):
            return JSONResponse({"message": "corps invalide"}, status_code=400)
        answers = []
        for item in reversed(body["appellations"]):  # in another order: the client re-sorts
            text = item.get("intitule", "").lower()
            code, label = ("K9901", "Gardien / Gardienne de phare") if "phare" in text else ("M9903", "Informaticien")
            answers.append(
                {
                    "intitule": item.get("intitule"),
                    "identifiant": item.get("identifiant"),
                    "contexte": item.get("contexte"),
                    "uuidInference": uuid.uuid4().hex,
                    "metiersRome": [
                        {
                            "codeRome": code,
                            "libelleRome": label,
                            "codeAppellation": "700001",
                            "libelleAppellation": label,
                            "scorePrediction": 0.87,
                        }
                    ][: body.get("options", {}).get("nbResultats", 5)],
                }
            )
        return JSONResponse(answers)

    def _labonneboite(self, query: dict[str, str]) -> Response:
        if not query.get("rome") or not query.get("citycode"):
            return JSONResponse({"message": "rome et citycode sont obligatoires"}, status_code=400)
        items = [
            {
                "siret": "33514171953640",
                "company_name": "Phares du Ponant",
                "naf": "5222Z",
                "naf_label": "Services auxiliaires des transports par eau",
                "city": "Brest",
                "citycode": query["citycode"],
                "postcode": "29200",
                "location": {"lat": 48.39, "lon": -4.48},
                "headcount_range": "10-19",
                "hiring_potential": 2.5,
                "email": None,
                "rome": query["rome"],
            },
            {"siret": 89386392876311, "name": "Balises & Co", "city": "Brest", "hiring_potential": None},
        ]
        return JSONResponse({"hits": 12, "items": items})

    def _stats(self, body: Any) -> Response:
        if not isinstance(body, dict) or not body.get("codeActivite"):
            return JSONResponse({"message": "corps invalide"}, status_code=400)
        return JSONResponse(
            {
                "codeTypeTerritoire": body.get("codeTypeTerritoire"),
                "codeTerritoire": body.get("codeTerritoire"),
                "listeValeursParPeriode": [
                    {
                        "codePeriode": "2024T4",
                        "libPeriode": "4e trimestre 2024",
                        "libTerritoire": "Finistère",
                        "valeurPrincipaleNombre": self.offer_counts.get(body["codeActivite"], 42),
                    },
                    {
                        "codePeriode": "2024T3",
                        "libPeriode": "3e trimestre 2024",
                        "libTerritoire": "Finistère",
                        "valeurPrincipaleNombre": "37",
                    },
                ],
            }
        )


@contextlib.contextmanager
def running(fake: FakeFranceTravail) -> Iterator[FakeFranceTravail]:
    """Serve ``fake`` on 127.0.0.1 (a free port) for the duration of the block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        fake.app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="fake-france-travail")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake France Travail server did not start")
        time.sleep(0.01)
    fake.base_url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
