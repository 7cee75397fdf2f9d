"""The one-click "stop these mails" link of a notification mail (RFC 8058 style: no login needed; the
link is signed for one person and one kind, and an essential kind cannot be turned off)."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from services import notifications
from services import routes as paths
from services.i18n import translate
from services.settings import get_settings


def _page(locale: str, title: str, body: str, status: int, form: str = "") -> HTMLResponse:
    home = escape(get_settings().public_url.rstrip("/") + paths.NOTIFICATIONS)
    html = (
        f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f"<p>{escape(body)}</p>{form}"
        f'<p><a href="{home}">{escape(translate("notif.title", locale))}</a></p></main></body></html>'
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


async def unsubscribe(request: Request) -> HTMLResponse:
    """GET asks (a mail scanner that follows links changes nothing); POST, the button or a mail client's
    one-click (``List-Unsubscribe-Post``), does it."""
    token = request.path_params["token"]
    if request.method == "GET":
        checked = notifications.check_unsubscribe(token)
        if checked is None:
            return _page("fr", translate("notif.title", "fr"), translate("notif.unsubscribe_invalid", "fr"), 400)
        kind, locale = checked
        button = escape(translate("notif.unsubscribe_confirm", locale))
        return _page(
            locale,
            translate("notif.unsubscribe_title", locale),
            translate("notif.unsubscribe_body", locale, kind=translate(f"notif.kind.{kind}", locale)),
            200,
            f'<form method="post"><button type="submit">{button}</button></form>',
        )
    done = notifications.unsubscribe(token)
    if done is None:
        return _page("fr", translate("notif.title", "fr"), translate("notif.unsubscribe_invalid", "fr"), 400)
    _, locale = done
    return _page(
        locale, translate("notif.unsubscribed_title", locale), translate("notif.unsubscribed_body", locale), 200
    )


notification_routes = [
    Route(paths.UNSUBSCRIBE.replace("[token]", "{token}"), unsubscribe, methods=["GET", "POST"]),
]
