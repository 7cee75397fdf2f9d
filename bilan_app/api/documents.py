"""Convention PDF downloads: the right people only, never cached, same 404 for "not yours" and "missing".

* ``GET /api/conventions/{convention_id}/pdf?signed=0|1``: the logged-in beneficiary or a follower of the
  bilan, authenticated by the ``bc_session`` cookie; ``services.conventions.read_convention_pdf`` decides.
* ``GET /api/signature/{token}/pdf?signed=0|1``: the employer of a tripartite convention, by the token of
  its signing link (``services.conventions.read_employer_pdf``).

``routes`` is mounted into ``bilan_app.api.api``. Endpoints are sync: Starlette runs them in its
thread pool, so the database work never blocks the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from services import auth, conventions
from services import routes as paths
from services.auth import ClientInfo
from services.errors import AccessDenied, NotFound, ServiceError
from services.i18n import translate

log = logging.getLogger("bilan.api.documents")

SESSION_COOKIE = "bc_session"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache", "X-Content-Type-Options": "nosniff"}


def _starlette_path(template: str) -> str:
    """``/api/conventions/[convention_id]/pdf`` → ``/api/conventions/{convention_id}/pdf``."""
    return template.replace("[", "{").replace("]", "}")


def _client(request: Request) -> ClientInfo:
    return auth.client_info(
        request.client.host if request.client else "",
        request.headers.get("x-forwarded-for", ""),
        request.headers.get("user-agent", ""),
    )


def _signed(request: Request) -> bool:
    return request.query_params.get("signed", "0") in {"1", "true"}


def _not_found() -> Response:
    return PlainTextResponse(translate("signui.download_not_found"), status_code=404, headers=NO_STORE)


def _pdf(filename: str, content: bytes) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type="application/pdf", headers={**NO_STORE, "Content-Disposition": disposition})


def _answer(read: Callable[[], tuple[str, bytes]]) -> Response:
    try:
        filename, content = read()
    except (NotFound, AccessDenied):
        return _not_found()
    except ServiceError as exc:
        # Only reached once the reader is allowed: the stored file no longer matches its fingerprint.
        log.warning("convention download refused: %s", exc.code)
        return PlainTextResponse(translate(exc.code, **exc.params), status_code=409, headers=NO_STORE)
    return _pdf(filename, content)


def convention_pdf(request: Request) -> Response:
    """The convention to sign, or the final signed one, for the beneficiary and the bilan's followers."""
    if request.method != "GET":  # a HEAD would log a download that never happened
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    client = _client(request)
    info = auth.resolve_session(request.cookies.get(SESSION_COOKIE, ""), client)
    if info is None or info.must_enrol_2fa:
        return _not_found()
    convention_id = request.path_params["convention_id"]
    signed = _signed(request)
    return _answer(lambda: conventions.read_convention_pdf(info.actor, convention_id, signed=signed))


def employer_pdf(request: Request) -> Response:
    """The employer's copy, reached with the token of its signing link (no account)."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    token = request.path_params["token"]
    signed = _signed(request)
    return _answer(lambda: conventions.read_employer_pdf(token, signed=signed))


routes: list[Route] = [
    Route(_starlette_path(paths.CONVENTION_PDF), convention_pdf, methods=["GET"]),
    Route(_starlette_path(paths.EMPLOYER_PDF), employer_pdf, methods=["GET"]),
]
