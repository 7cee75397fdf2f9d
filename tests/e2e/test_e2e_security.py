"""What a hostile user tried (issue 11 §8), against the real production server.

1. CORS: a page served from another origin of the same site (another port of localhost, so the
   beneficiary's cookie goes along) fetches her action-plan PDF with ``credentials: 'include'`` and
   cannot read it; the same fetch from the app's own page works. Plain requests show the headers: a
   foreign ``Origin`` gets no ``Access-Control-Allow-Origin``, the app's own does; the websocket's
   handshake from a foreign ``Origin`` is refused, from its own accepted.
2. Uploads: ``/_upload`` refuses a body over its limit with 413, before the body is sent: at once when
   the ``Content-Length`` says so, and while a chunked body (no length) streams in.
"""

from __future__ import annotations

import http.server
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from bilan_app.upload_limit import UPLOAD_PATH
from services.settings import Settings
from state.bilans import BilanPageState
from tests.e2e.support import login_person, make_siret, organisation_with_bilan

pytestmark = pytest.mark.e2e

PASSWORD = "Goeland-Bruyere-Penmarch-58"
BENEFICIARY = {"first_name": "Gwenola", "last_name": "Le Goff", "email": "gwenola.legoff@exemple-perso.fr"}
FOREIGN_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Page d'un autre port</title></head>
<body><main><h1>Une autre application du même site</h1></main></body></html>
"""
FETCH_JS = """async (url) => {
  try {
    const response = await fetch(url, { credentials: 'include' });
    const body = await response.arrayBuffer();
    return { status: response.status, type: response.headers.get('content-type'), size: body.byteLength };
  } catch (error) {
    return { error: String(error) };
  }
}"""
UPLOAD_LIMIT = Settings().upload_max_bytes  # the server runs with the default
# A real upload handler (the consultant's synthèse): Reflex answers 400 at once to an unknown one.
UPLOAD_HANDLER = f"{BilanPageState.get_full_name()}.upload_synthese"


@pytest.fixture
def foreign_site() -> Iterator[str]:
    """A tiny page on another port of localhost: same site as the app, another origin."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = FOREIGN_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _headers(url: str, method: str, origin: str) -> dict[str, str]:
    request = urllib.request.Request(url, method=method, headers={"Origin": origin})  # noqa: S310  (localhost)
    if method == "OPTIONS":
        request.add_header("Access-Control-Request-Method", "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (our own server)
            return {name.lower(): value for name, value in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {name.lower(): value for name, value in error.headers.items()}


def _raw_request(base_url: str, head: str) -> socket.socket:
    parts = urlsplit(base_url)
    connection = socket.create_connection((parts.hostname, parts.port), timeout=20)
    connection.sendall(head.encode("latin-1"))
    return connection


def _status_line(connection: socket.socket) -> str:
    data = b""
    while b"\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


def _websocket_status(base_url: str, origin: str) -> str:
    host = urlsplit(base_url).netloc
    connection = _raw_request(
        base_url,
        f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    )
    with connection:
        return _status_line(connection)


def test_another_origin_cannot_read_a_document_with_her_cookie(
    server, new_page, ui, axe_check, e2e_environment, foreign_site
):
    bilan_id = organisation_with_bilan(
        e2e_environment.env,
        {
            "siret": make_siret("41523468", "0018"),
            "password": PASSWORD,
            "organisation": "Cap Sizun Bilans",
            "admin": {"first_name": "Yannig", "last_name": "Cornec", "email": "yannig.cornec@capsizun-bilans.fr"},
            "consultant": {"first_name": "Maiwenn", "last_name": "Ropars", "email": "maiwenn.ropars@capsizun.fr"},
            "beneficiary": BENEFICIARY,
        },
    )
    document = server.url(f"/api/bilans/{bilan_id}/documents/plan")
    page = new_page()
    login_person(page, ui, BENEFICIARY, PASSWORD)
    page.wait_for_url("**/mon-espace")

    # Her own page reads her plan.
    own = page.evaluate(FETCH_JS, document)
    assert own.get("status") == 200 and own.get("type") == "application/pdf" and own["size"] > 1000, own

    # A page of another origin, in the same browser (her cookie goes with the request), cannot.
    page.goto(foreign_site)
    axe_check(page, "foreign page")
    foreign = page.evaluate(FETCH_JS, document)
    assert "error" in foreign and "status" not in foreign, foreign

    # The headers, as plain requests see them: only the app's own origin is allowed.
    for method in ("GET", "OPTIONS"):
        stranger = _headers(document, method, foreign_site)
        assert "access-control-allow-origin" not in stranger, (method, stranger)
        own_headers = _headers(document, method, server.base_url)
        assert own_headers.get("access-control-allow-origin") == server.base_url, (method, own_headers)

    # The websocket: a foreign Origin is refused at the handshake, the app's own is switched.
    assert " 101 " not in _websocket_status(server.base_url, foreign_site)
    assert " 101 " in _websocket_status(server.base_url, server.base_url)


def _upload_head(host: str, extra: str) -> str:
    return (
        f"POST {UPLOAD_PATH} HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Reflex-Client-Token: e2e-token\r\nReflex-Event-Handler: {UPLOAD_HANDLER}\r\n"
        f"{extra}\r\n"
    )


def test_an_upload_over_the_limit_is_refused_before_it_is_sent(server):
    host = urlsplit(server.base_url).netloc
    # A declared length over the limit: 413 at once, with no body sent at all.
    declared = UPLOAD_LIMIT + 1024 * 1024
    with _raw_request(server.base_url, _upload_head(host, f"Content-Length: {declared}\r\n")) as connection:
        assert " 413 " in _status_line(connection)

    # A chunked body (no length to check): refused while it streams, long before its end.
    chunk = b"\0" * (256 * 1024)
    total_chunks = (UPLOAD_LIMIT + 1024 * 1024) // len(chunk) * 4  # four times the limit
    sent = 0
    status = ""
    with _raw_request(server.base_url, _upload_head(host, "Transfer-Encoding: chunked\r\n")) as connection:
        # A well-formed start (one file part), so that only its size can stop it.
        part = (
            b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="synthese.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        )
        connection.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        deadline = time.monotonic() + 120
        for _ in range(total_chunks):
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                status = _status_line(connection)
                break
            try:
                connection.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            assert time.monotonic() < deadline
        if not status:
            connection.settimeout(20)
            status = _status_line(connection)
    assert " 413 " in status, status
    assert sent < total_chunks * len(chunk) / 2, sent  # stopped near the limit, not after reading it all
