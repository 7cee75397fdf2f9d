"""PDF downloads: the right people only, never cached, same 404 for "not yours" and "missing".

* ``GET /api/conventions/{convention_id}/pdf?signed=0|1``: the logged-in beneficiary or a follower of the
  bilan, authenticated by the ``bc_session`` cookie; ``services.conventions.read_convention_pdf`` decides.
* ``GET /api/signature/{token}/pdf?signed=0|1``: the employer of a tripartite convention, by the token of
  its signing link (``services.conventions.read_employer_pdf``).
* ``GET /api/syntheses/{token}``: the beneficiary's handed-over synthèse, by the signed expiring link of
  her space and her session cookie together (``services.synthese.read_synthese_by_link``).
* ``GET /api/partages/{token}``: a third party the beneficiary agreed to, by the e-mailed link
  (``services.synthese.read_shared_synthese``).
* ``GET /api/fichiers/{file_id}[?apercu=1]``: a file of the bilan's documents space, for the participants who
  may read its area (never the org admin), every read audited; the preview is inline and sandboxed.
* ``GET /api/bilans/{bilan_id}/documents/{kind}``: the bilan's documents for the people who may read them
  (session cookie): ``attestation`` and ``emargement`` (followers), ``plan`` (the beneficiary and
  followers), ``synthese`` (the assigned consultant's own copy; the beneficiary uses her signed link).

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

from services import auth, bilan_files, conventions, messaging
from services import routes as paths
from services.access import Actor
from services.auth import ClientInfo
from services.documents import records
from services.documents.action_plan import action_plan_pdf
from services.errors import AccessDenied, NotFound, ServiceError
from services.filetypes import PREVIEWABLE
from services.i18n import translate
from services.models import Role
from services.models.base import utcnow
from services.synthese import handover, uploaded

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


def _not_found(key: str = "signui.download_not_found") -> Response:
    return PlainTextResponse(translate(key), status_code=404, headers=NO_STORE)


# A file shown in the browser (the documents space's preview) runs in a sandbox with nothing to load: even a
# hostile PDF or image gets no script, no origin, no network.
PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"


def _file(filename: str, content_type: str, content: bytes, *, inline: bool = False) -> Response:
    """The file as an attachment (or ``inline``, sandboxed), named in ASCII and UTF-8, never cached."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    kind = "inline" if inline else "attachment"
    disposition = f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    headers = {**NO_STORE, "Content-Disposition": disposition}
    if inline:
        headers["Content-Security-Policy"] = PREVIEW_CSP
    return Response(content, media_type=content_type, headers=headers)


def _pdf(filename: str, content: bytes) -> Response:
    return _file(filename, "application/pdf", content)


def _answer(read: Callable[[], tuple[str, bytes]], not_found_key: str = "signui.download_not_found") -> Response:
    try:
        filename, content = read()
    except handover.ShareUnavailable as exc:  # a recipient's link: withdrawn, expired or unknown, and whom to ask
        return _not_found(exc.message_key)
    except (NotFound, AccessDenied):
        return _not_found(not_found_key)
    except ServiceError as exc:
        # Only reached once the reader is allowed: the stored file no longer matches its fingerprint.
        log.warning("document download refused: %s", exc.code)
        return PlainTextResponse(translate(exc.code, **exc.params), status_code=409, headers=NO_STORE)
    return _pdf(filename, content)


def _session_actor(request: Request) -> Actor | None:
    info = auth.resolve_session(request.cookies.get(SESSION_COOKIE, ""), _client(request))
    return None if info is None or info.must_enrol_2fa else info.actor


def convention_pdf(request: Request) -> Response:
    """The convention to sign, or the final signed one, for the beneficiary and the bilan's followers."""
    if request.method != "GET":  # a HEAD would log a download that never happened
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    actor = _session_actor(request)
    if actor is None:
        return _not_found()
    convention_id = request.path_params["convention_id"]
    signed = _signed(request)
    return _answer(lambda: conventions.read_convention_pdf(actor, convention_id, signed=signed))


def synthese_pdf(request: Request) -> Response:
    """The beneficiary's synthèse: her signed link and her own session, both."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    actor = _session_actor(request)
    if actor is None:
        return _not_found("handover.link_not_found")
    token = request.path_params["token"]
    return _answer(lambda: handover.read_synthese_by_link(actor, token), "handover.link_not_found")


def shared_synthese_pdf(request: Request) -> Response:
    """The synthèse for a recipient the beneficiary agreed to (no account), while the agreement lives."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    token = request.path_params["token"]
    return _answer(lambda: handover.read_shared_synthese(token), "handover.share_link.unknown")


def employer_pdf(request: Request) -> Response:
    """The employer's copy, reached with the token of its signing link (no account)."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    token = request.path_params["token"]
    signed = _signed(request)
    return _answer(lambda: conventions.read_employer_pdf(token, signed=signed))


def _bilan_document(actor: Actor, bilan_id: str, kind: str) -> tuple[str, bytes]:
    now = utcnow()
    if kind == "attestation":
        return "attestation-de-fin-de-bilan.pdf", records.attestation_pdf(actor, bilan_id, created=now)
    if kind == "emargement":
        return "feuilles-d-emargement.pdf", records.attendance_pdf(actor, bilan_id, created=now)
    if kind == "plan":
        return "plan-d-action.pdf", action_plan_pdf(actor, bilan_id, created=now)
    if kind == "synthese" and actor.role is not Role.BENEFICIARY:
        return uploaded.read_synthese(actor, bilan_id)
    raise NotFound()


def bilan_document(request: Request) -> Response:
    """A document of the bilan, rendered now from its data (the synthèse: the copy handed over)."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    actor = _session_actor(request)
    if actor is None:
        return _not_found()
    bilan_id, kind = request.path_params["bilan_id"], request.path_params["kind"]
    return _answer(lambda: _bilan_document(actor, bilan_id, kind))


def message_attachment(request: Request) -> Response:
    """A file sent in a bilan's conversation, for its two participants only (their session)."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    actor = _session_actor(request)
    if actor is None:
        return _not_found()
    try:
        filename, content_type, content = messaging.read_attachment(actor, request.path_params["message_id"])
    except (NotFound, AccessDenied):
        return _not_found()
    return _file(filename, content_type, content)


def bilan_file(request: Request) -> Response:
    """A file of the bilan's documents space, for the participants who may read its area
    (``services.bilan_files.read_file`` decides and audits); ``?apercu=1`` shows a PDF or an image inline."""
    if request.method != "GET":
        return Response(status_code=405, headers={"Allow": "GET", **NO_STORE})
    actor = _session_actor(request)
    if actor is None:
        return _not_found("files.not_found")
    preview = request.query_params.get("apercu", "0") in {"1", "true"}
    try:
        found = bilan_files.read_file(actor, request.path_params["file_id"], preview=preview)
    except (NotFound, AccessDenied):
        return _not_found("files.not_found")
    inline = preview and found.content_type in PREVIEWABLE
    return _file(found.name, found.content_type, found.content, inline=inline)


routes: list[Route] = [
    Route(_starlette_path(paths.CONVENTION_PDF), convention_pdf, methods=["GET"]),
    Route(_starlette_path(paths.EMPLOYER_PDF), employer_pdf, methods=["GET"]),
    Route(_starlette_path(paths.SYNTHESE_DOWNLOAD), synthese_pdf, methods=["GET"]),
    Route(_starlette_path(paths.SHARED_SYNTHESE), shared_synthese_pdf, methods=["GET"]),
    Route(_starlette_path(paths.BILAN_DOCUMENT), bilan_document, methods=["GET"]),
    Route(_starlette_path(paths.MESSAGE_ATTACHMENT), message_attachment, methods=["GET"]),
    Route(_starlette_path(paths.BILAN_FILE), bilan_file, methods=["GET"]),
]
