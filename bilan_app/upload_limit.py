"""A size limit on Reflex's ``/_upload``, enforced while the body arrives.

Reflex 0.10 parses an upload's whole multipart body before any handler can look at a file's size, and
accepts bodies of any size. This ASGI middleware answers 413 before the app reads anything when the
``Content-Length`` is over the limit, and otherwise counts the body's bytes as they are received and
stops at the limit (a chunked body has no length to check first). Only that one path is concerned.

The limit depends on the handler the upload is for (its ``Reflex-Event-Handler`` header): the ROME
référentiel's zip of the platform operator may weigh up to its own limit; every other upload (a
synthèse, a convention to verify) gets ``UPLOAD_MAX_BYTES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.i18n import translate

UPLOAD_PATH = "/_upload"
MULTIPART_OVERHEAD_BYTES = 1024 * 1024  # boundaries, part headers and the event's arguments


class BodyTooLarge(Exception):
    """Raised into the app when the body goes over the limit (the middleware answers 413)."""


class UploadSizeLimit:
    """Wraps the ASGI app; ``limit_for(handler)`` gives the largest body accepted for that event handler."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith(UPLOAD_PATH):
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        limit = self.limit_for(headers.get("reflex-event-handler", ""))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send)
            return

        received = 0
        exceeded = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                return  # whatever the app answers to the interrupted body, the answer is ours
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not response_started:
            await _too_large(send)


async def _too_large(send: Send) -> None:
    body = translate("error.upload_too_large").encode()
    headers: list[Any] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
