"""Calendar downloads (``services.calendar``), never cached, the same 404 for "not yours" and "missing".

* ``GET /api/seances/{session_id}/invitation.ics``: a session's invitation, for its two participants
  (the beneficiary, the assigned consultant), authenticated by the ``bc_session`` cookie.
* ``GET /api/calendrier/{token}``: a person's private feed, for their calendar application (no cookie:
  the token is the key; a revoked one answers 404).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bilan_app.api.documents import NO_STORE, _not_found, _session_actor, _starlette_path
from services import routes as paths
from services.calendar import feeds, invitations
from services.errors import AccessDenied, NotFound

ICS_TYPE = "text/calendar; charset=utf-8"


def session_invitation(request: Request) -> Response:
    """The session's .ics, for its participants only."""
    actor = _session_actor(request)
    if actor is None:
        return _not_found()
    try:
        filename, text = invitations.download_invitation(actor, request.path_params["session_id"])
    except (NotFound, AccessDenied):
        return _not_found()
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(text.encode(), media_type=ICS_TYPE, headers=headers)


def calendar_feed(request: Request) -> Response:
    """The feed a calendar application polls; private, so no shared cache may keep it."""
    try:
        text = feeds.read_feed(request.path_params["token"])
    except NotFound:
        return _not_found()
    return Response(text.encode(), media_type=ICS_TYPE, headers={**NO_STORE, "X-Robots-Tag": "noindex"})


calendar_routes: list[Route] = [
    Route(_starlette_path(paths.SESSION_INVITATION), session_invitation, methods=["GET"]),
    Route(_starlette_path(paths.CALENDAR_FEED), calendar_feed, methods=["GET"]),
]
