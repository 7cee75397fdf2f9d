"""End-to-end harness: the real production build (`reflex run --env prod`) driven in Chromium.

Once per session:

* a fresh PostgreSQL database (dropped at the end) and a flushed Redis database (the Redis state
  manager with 2 granian workers, as in production);
* an SMTP sink (aiosmtpd) that receives the app's mails, so tests read invitation and reset links;
* the fake France Travail (tests/francetravail_fake.py) on a free port, which the app is configured
  for (``FRANCE_TRAVAIL_*``): offers, companies and market statistics answer from it;
* ``python -m bilan_app migrate``, ``create-platform-admin`` and a small script that creates the
  fixture organisation "Cabinet Témoin" through the real service functions;
* ``reflex run --env prod`` on a free port, in its own process group (killed at teardown);
* one Chromium; each test gets fresh browser contexts (``page``, ``new_page``).

Fixtures the tests use besides ``page``/``new_page``: ``axe_check(page, label)`` (no serious or
critical axe-core violation), ``screenshot(page, name)``, ``mailbox.wait_for_link(to, kind)``,
``accounts`` and ``fixture_organisation``, ``france_travail`` (the fake server: ``requests``,
``fail(...)``), and ``ui`` with ``goto`` and ``wait_ready`` (React has hydrated and the backend has
answered on the websocket), ``submit_and_wait`` (click, then wait for the backend's answer), ``login``
and ``login_home``.

Artifacts go to ``artifacts/e2e/``: the server log, screenshots (and one per failed test), and
``axe-report.json`` listing every page checked with all its violations (minor ones included).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from cryptography.fernet import Fernet

from tests.e2e.support import make_siret, run_cli
from tests.francetravail_fake import FakeFranceTravail, running

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# Overridable so that two e2e runs on one machine (two work trees) do not flush each other's state.
REDIS_E2E_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/3")
STARTUP_TIMEOUT = 240  # seconds; the first prod build compiles the front end
ACTION_TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 30_000

# One strong password for every fixture person (it contains none of their names).
PASSWORD = "Ciel-Orageux-Lumineux-77"
# email-validator refuses special-use domains such as ".test", so the operator lives under example.com.
PLATFORM_ADMIN_EMAIL = "ops@e2e.example.com"


FIXTURE_ORGANISATION = "Cabinet Témoin"
FIXTURE_SIRET = make_siret("41802937", "0001")


# ---------------------------------------------------------------- people created before the server starts


@dataclass(frozen=True)
class Account:
    email: str
    first_name: str
    last_name: str
    role: str
    password: str = PASSWORD


ACCOUNTS: dict[str, Account] = {
    "org_admin": Account("direction@cabinet-temoin.fr", "Agathe", "Roussel", "org_admin"),
    "consultant": Account("conseil@cabinet-temoin.fr", "Camille", "Fontaine", "consultant"),
    "beneficiary": Account("personne@cabinet-temoin.fr", "Bruno", "Lemoine", "beneficiary"),
    # Dedicated people, so that one test's side effects (2FA on, lockout, new password) touch no other test.
    "wrong_password": Account("yann.colas@cabinet-temoin.fr", "Yann", "Colas", "beneficiary"),
    "two_factor": Account("ines.mercier@cabinet-temoin.fr", "Inès", "Mercier", "consultant"),
    "lockout": Account("hugo.garnier@cabinet-temoin.fr", "Hugo", "Garnier", "beneficiary"),
    "reset": Account("nina.perrin@cabinet-temoin.fr", "Nina", "Perrin", "beneficiary"),
    # Takes a bilan over from "consultant" (test_e2e_notes: earlier notes need the beneficiary's agreement).
    "second_consultant": Account("lea.moreau@cabinet-temoin.fr", "Léa", "Moreau", "consultant"),
    "platform_admin": Account(PLATFORM_ADMIN_EMAIL, "Opérateur", "Plateforme", "platform_admin"),
}

HOME_ROUTES = {
    "beneficiary": "/mon-espace",
    "consultant": "/consultant",
    "org_admin": "/admin/utilisateurs",
    "platform_admin": "/plateforme/organisations",
}

# Runs in a subprocess with the server's environment: sign-up, then invitations accepted through the services.
ACCOUNTS_SCRIPT = r"""
import json, re, sys
from sqlmodel import col, select
from services import auth, members
from services.auth import ClientInfo
from services.crypto import decrypt_text
from services.db import session_scope
from services.models import MailMessage

spec = json.loads(sys.argv[1])
client = ClientInfo(ip="127.0.0.2", user_agent="e2e fixture")
admin = spec["admin"]
success = members.signup_organisation(
    {"organisation_name": spec["organisation"], "siret": spec["siret"], "nda_number": "",
     "first_name": admin["first_name"], "last_name": admin["last_name"], "email": admin["email"],
     "password": admin["password"]},
    client,
)
actor = auth.resolve_session(success.token).actor
for person in spec["members"]:
    members.invite(actor, {"email": person["email"], "role": person["role"]})
    with session_scope() as session:
        message = session.exec(
            select(MailMessage).where(MailMessage.to_address == person["email"])
            .order_by(col(MailMessage.created_at).desc())
        ).first()
        body = decrypt_text(message.body_encrypted)
    token = re.search(r"/invitation/([A-Za-z0-9_-]+)", body).group(1)
    members.accept_invitation(
        token,
        {"first_name": person["first_name"], "last_name": person["last_name"], "password": person["password"]},
        client,
    )
print("accounts ready")
"""


# ---------------------------------------------------------------- the SMTP sink


@dataclass
class Mail:
    recipients: list[str]
    subject: str
    body: str


@dataclass
class Mailbox:
    """Collects every message the app sends; tests poll it for the link mailed to an address."""

    base_url: str = ""
    port: int = 0
    messages: list[Mail] = field(default_factory=list)
    _consumed: set[int] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        with self._lock:
            self.messages.append(
                Mail([address.lower() for address in envelope.rcpt_tos], str(message["Subject"] or ""), body)
            )
        return "250 Message accepted for delivery"

    def wait_for_link(self, to: str, kind: str, timeout: float = 30) -> str:
        """The link ``<base_url>/<kind>/<token>`` of the newest unread mail to ``to`` (older ones become read).

        ``kind`` is ``invitation`` or ``reinitialiser``.
        """
        pattern = re.compile(rf"{re.escape(self.base_url)}/(?:{kind})/[A-Za-z0-9_\-]+")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for index in range(len(self.messages) - 1, -1, -1):
                    mail = self.messages[index]
                    if index in self._consumed or to.lower() not in mail.recipients:
                        continue
                    match = pattern.search(mail.body)
                    if match:
                        self._consumed.update(i for i in range(index + 1) if to.lower() in self.messages[i].recipients)
                        return match.group(0)
            time.sleep(0.1)
        with self._lock:
            seen = [(m.recipients, m.subject) for m in self.messages]
        raise AssertionError(f"no unread mail with a /{kind}/ link reached {to} within {timeout} s; received: {seen}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox(port=_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# ---------------------------------------------------------------- database, environment, server


@pytest.fixture(autouse=True)
def database() -> None:
    """Overrides tests/conftest.py's per-test SQLite database: the server owns a PostgreSQL one."""
    return None


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.flushdb()
    finally:
        client.close()


def base_environment() -> dict[str, str]:
    """os.environ without the app's settings variables, plus the Makefile's exports."""
    from services.settings import Settings

    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env.pop("REFLEX_REDIS_URL", None)
    env.pop("REFLEX_DB_URL", None)
    env["PATH"] = os.pathsep.join(
        [str(ROOT / "tools" / "node_modules" / ".bin"), str(ROOT / ".venv" / "bin"), env.get("PATH", "")]
    )
    env["REFLEX_USE_SYSTEM_BUN"] = "1"
    env["REFLEX_DIR"] = str(ROOT / ".reflex")
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class E2EEnvironment:
    env: dict[str, str]
    port: int
    base_url: str
    database_url: str


@pytest.fixture(scope="session")
def france_travail() -> Iterator[FakeFranceTravail]:
    """The fake France Travail, started before the app server and serving it for the whole session."""
    with running(FakeFranceTravail()) as fake:
        yield fake


@pytest.fixture(scope="session")
def e2e_environment(mailbox: Mailbox, france_travail: FakeFranceTravail) -> Iterator[E2EEnvironment]:
    """A fresh PostgreSQL database, migrated, with the operator and the fixture organisation."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # no stale screenshot from an earlier run
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"bilan_e2e_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        pytest.fail(f"PostgreSQL is unreachable on 127.0.0.1:5432 ({type(exc).__name__}: {exc})", pytrace=False)
    try:
        _flush_redis(REDIS_E2E_URL)
    except Exception as exc:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pytest.fail(f"Redis is unreachable at {REDIS_E2E_URL} ({type(exc).__name__}: {exc})", pytrace=False)
    port = _free_port()
    base_url = f"http://localhost:{port}"
    mailbox.base_url = base_url
    database_url = f"{PG_SERVER}/{name}"
    env = base_environment()
    env.update(
        APP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(36)[:48],
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_E2E_URL,
        SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}",
        PUBLIC_URL=base_url,
        GRANIAN_WORKERS="2",
        # The browser reaches the backend (websocket) on the same port as the pages: baked into env.json.
        REFLEX_API_URL=base_url,
        REFLEX_DEPLOY_URL=base_url,
    )
    env.update(france_travail.env())
    try:
        run_cli(env, "-m", "bilan_app", "migrate")
        admin = ACCOUNTS["platform_admin"]
        run_cli(
            env,
            "-m",
            "bilan_app",
            "create-platform-admin",
            admin.email,
            "--first-name",
            admin.first_name,
            "--last-name",
            admin.last_name,
            "--password",
            admin.password,
        )
        people = [a for key, a in ACCOUNTS.items() if key not in {"org_admin", "platform_admin"}]
        spec = {
            "organisation": FIXTURE_ORGANISATION,
            "siret": FIXTURE_SIRET,
            "admin": ACCOUNTS["org_admin"].__dict__,
            "members": [p.__dict__ for p in people],
        }
        run_cli(env, "-c", ACCOUNTS_SCRIPT, json.dumps(spec))
        yield E2EEnvironment(env=env, port=port, base_url=base_url, database_url=database_url)
    finally:
        with contextlib.suppress(Exception):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(Exception):
            _flush_redis(REDIS_E2E_URL)


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _get(url: str, timeout: float = 3) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  (our own localhost server)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    """`reflex run --env prod`: one port serves the static build, /api and the websocket (granian)."""
    reflex = shutil.which("reflex", path=env["PATH"]) or str(ROOT / ".venv" / "bin" / "reflex")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            [reflex, "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        log.close()


def wait_until_ready(
    process: subprocess.Popen, base_url: str, log_path: Path, timeout: float = STARTUP_TIMEOUT
) -> float:
    """Poll /ping, /api/health and a page until they answer; returns the seconds it took."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{_log_tail(log_path)}")
        try:
            if _get(f"{base_url}/ping")[0] == 200:
                status, body = _get(f"{base_url}/api/health")
                healthy = status == 200 and json.loads(body).get("status") == "ok"
                if healthy and _get(f"{base_url}/connexion/")[0] == 200:
                    return time.monotonic() - started
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server was not ready within {timeout} s:\n{_log_tail(log_path)}")


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM the whole process group (reflex, granian and its workers), then SIGKILL what is left."""
    try:
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    _, alive = psutil.wait_procs(tree, timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@dataclass
class Server:
    base_url: str
    log_path: Path
    startup_seconds: float

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def server(e2e_environment: E2EEnvironment) -> Iterator[Server]:
    log_path = ARTIFACTS / "server.log"
    process = start_server(e2e_environment.env, e2e_environment.port, log_path)
    try:
        seconds = wait_until_ready(process, e2e_environment.base_url, log_path)
        yield Server(e2e_environment.base_url, log_path, seconds)
    finally:
        stop_server(process)


# ---------------------------------------------------------------- the browser

# Observes the websocket (never changes it): counts the socket.io event packets the backend sends,
# so a test can wait for "the backend answered" instead of sleeping.
WS_PROBE = """
(() => {
  const Native = window.WebSocket;
  const probe = { open: null, events: 0, firstEvent: null };
  window.__bcWs = probe;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { probe.open = performance.now(); });
      this.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && event.data.startsWith('42')) {
          probe.events += 1;
          if (probe.firstEvent === null) probe.firstEvent = performance.now();
        }
      });
    }
  };
})();
"""

READY_JS = """() => {
  const main = document.getElementById('contenu');
  const hydrated = !!main && Object.keys(main).some((key) => key.startsWith('__reactFiber'));
  return hydrated && !!window.__bcWs && window.__bcWs.events > 0;
}"""


@dataclass
class AxeLog:
    pages: list[dict] = field(default_factory=list)


@pytest.fixture(scope="session")
def axe_log() -> Iterator[AxeLog]:
    log = AxeLog()
    yield log
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(log.pages, indent=2, ensure_ascii=False))


@pytest.fixture(scope="session")
def browser(server: Server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def new_page(request, browser, server: Server) -> Iterator[Callable[..., object]]:
    """A factory of pages, each in a fresh browser context (no cookies: another person)."""
    contexts = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=server.base_url, viewport={"width": width, "height": height}, locale="fr-FR"
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.add_init_script(WS_PROBE)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(SCREENSHOTS / f"FAILED-{test_name}-{index}-{number}.png"), full_page=True)
        if problems:
            print("\n".join(problems))
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def page(new_page):
    return new_page()


# ---------------------------------------------------------------- helpers for the tests (as fixtures)


class UI:
    """Waiting and logging-in helpers shared by the tests."""

    @staticmethod
    def wait_ready(page) -> None:
        """Wait until React has hydrated the page and the backend has answered on the websocket."""
        page.wait_for_function(READY_JS)

    @staticmethod
    def ws_events(page) -> int:
        return page.evaluate("() => window.__bcWs ? window.__bcWs.events : 0")

    def submit_and_wait(self, page, button) -> None:
        """Click a submit button and wait until the backend has sent back the event's state update."""
        before = self.ws_events(page)
        button.click()
        page.wait_for_function("(before) => window.__bcWs.events > before", arg=before)

    def goto(self, page, path: str) -> None:
        page.goto(path)
        self.wait_ready(page)

    def login(self, page, account: Account, password: str | None = None) -> None:
        """Fill the login form and submit it (the caller waits for the outcome)."""
        self.goto(page, "/connexion")
        page.locator("#field-email").fill(account.email)
        page.locator("#field-password").fill(password or account.password)
        page.get_by_role("button", name="Se connecter").click()

    def login_home(self, page, account: Account) -> None:
        """Log in and wait for the role's home with its protected content (the guard allowed it)."""
        self.login(page, account)
        page.wait_for_url(f"**{HOME_ROUTES[account.role]}")
        page.locator("main h1").wait_for()


@pytest.fixture(scope="session")
def ui() -> UI:
    return UI()


@pytest.fixture(scope="session")
def accounts() -> dict[str, Account]:
    """The fixture organisation's people (and the platform operator), keyed by role or purpose."""
    return ACCOUNTS


@pytest.fixture(scope="session")
def fixture_organisation() -> dict[str, str]:
    return {"name": FIXTURE_ORGANISATION, "siret": FIXTURE_SIRET, "members": str(len(ACCOUNTS) - 1)}


@pytest.fixture(scope="session")
def axe_check(axe_log: AxeLog) -> Callable[..., None]:
    """``axe_check(page, label="")``: axe-core on the rendered page; fails on serious or critical violations."""

    def check(page, label: str = "") -> None:
        # Audit the resting state: a link left under the pointer by a click would be audited in :hover.
        page.mouse.move(0, 0)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            """async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
              }));
            }"""
        )
        axe_log.pages.append({"url": page.url, "label": label, "violations": violations})
        blocking = [v for v in violations if v["impact"] in {"serious", "critical"}]
        if blocking:
            lines = [f"axe-core: {len(blocking)} serious/critical violation(s) on {page.url} {label}".rstrip()]
            for violation in blocking:
                lines.append(
                    f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
                )
                for node in violation["nodes"][:10]:
                    lines.append(f"    {node['target']} {node['html'][:160]}")
                    lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines()[:4])
            raise AssertionError("\n".join(lines))

    return check


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name)``: saves artifacts/e2e/screenshots/<name>.png (the whole page)."""

    def take(page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
