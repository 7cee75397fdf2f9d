"""Page-load benchmark of the production build in Chromium: first contentful paint and time to interactive.

Pages: the login page, then each role's home (beneficiary, consultant, org_admin, platform_admin), logged in
as the demo people of ``services.demo``.

* ``FCP``: ``performance.getEntriesByName("first-contentful-paint")`` (from navigation start).
* ``TTI``: navigation start until Reflex has rendered the page's main content *and* an event round trip has
  worked.  For the login page: ``#field-email`` is visible, React has hydrated ``<main>`` and the backend has
  answered on the websocket (the first socket.io event packet, i.e. the hydrate/on_load delta).  For a role
  home: the protected ``<main> h1`` is visible, which happens only after the guard's ``on_load`` event came back.

Each run uses a fresh browser context (cold HTTP cache).  For a role home the run first logs in through the
form (so the shared JavaScript is then cached, as for a real user), then measures ``page.goto(home)``.

Server: with ``--url`` the script measures an already running server that holds the demo organisation (e.g.
``make run``, demo mode on :3000).  Without it, it starts its own, the same way as the e2e fixture: a fresh
PostgreSQL database ``bilan_bench_<pid>`` (dropped afterwards), Redis database 4 (flushed), ``APP_ENV=production``
with random secrets, ``python -m bilan_app migrate`` and ``seed-demo --force``, then
``reflex run --env prod`` (granian, Redis state manager, 2 workers) on a free port, in its own process group.

    .venv/bin/python benchmarks/page_load.py [--runs 5] [--url http://localhost:3000] [--json]

Chromium and the server share the machine, so the figures include the server's CPU time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.demo import DEMO_PASSWORD, DEMO_PEOPLE  # noqa: E402  (needs the repository on sys.path)

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
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
REDIS_BENCH_URL = "redis://127.0.0.1:6379/4"
STARTUP_TIMEOUT = 240
HOME_ROUTES = {
    "beneficiary": "/mon-espace",
    "consultant": "/consultant",
    "org_admin": "/admin/utilisateurs",
    "platform_admin": "/plateforme/organisations",
}

# Observes (never changes) the websocket: time of the first socket.io event packet from the backend.
WS_PROBE = """
(() => {
  const Native = window.WebSocket;
  const probe = { events: 0, firstEvent: null };
  window.__bcWs = probe;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
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

LOGIN_READY_JS = """() => {
  const email = document.getElementById('field-email');
  const main = document.getElementById('contenu');
  const visible = !!email && email.offsetParent !== null;
  const hydrated = !!main && Object.keys(main).some((key) => key.startsWith('__reactFiber'));
  return visible && hydrated && window.__bcWs && window.__bcWs.events > 0 ? performance.now() : false;
}"""

HOME_READY_JS = """() => {
  const heading = document.querySelector('main h1');
  return heading && heading.offsetParent !== null && heading.textContent.trim() !== '' ? performance.now() : false;
}"""

FCP_JS = """() => new Promise((resolve) => {
  const found = performance.getEntriesByName('first-contentful-paint')[0];
  if (found) { resolve(found.startTime); return; }
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) { observer.disconnect(); resolve(entry.startTime); }
  }).observe({ type: 'paint', buffered: true });
  setTimeout(() => resolve(null), 10000);
})"""


# ---------------------------------------------------------------- our own server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def _get(url: str, timeout: float = 3) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  (our own localhost server)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _environment(port: int, database_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    from services.settings import Settings

    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env.pop("REFLEX_REDIS_URL", None)
    env.pop("REFLEX_DB_URL", None)
    base_url = f"http://localhost:{port}"
    env.update(
        PATH=os.pathsep.join([str(ROOT / "tools" / "node_modules" / ".bin"), str(ROOT / ".venv" / "bin"), env["PATH"]]),
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_DIR=str(ROOT / ".reflex"),
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        PYTHONUNBUFFERED="1",
        APP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(36)[:48],
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_BENCH_URL,
        PUBLIC_URL=base_url,
        GRANIAN_WORKERS="2",
        REFLEX_API_URL=base_url,
        REFLEX_DEPLOY_URL=base_url,
    )
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    return env


def _cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bilan_app", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"`python -m bilan_app {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")


def _stop(process: subprocess.Popen) -> None:
    import psutil

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
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@contextlib.contextmanager
def own_server(log_dir: Path, prepare: Callable[[dict[str, str]], None] | None = None) -> Iterator[str]:
    """A production server on a fresh PostgreSQL database seeded with the demo organisation.

    ``prepare`` runs with the server's environment after the demo seed, before the server starts.
    """
    name = f"bilan_bench_{os.getpid()}"
    port = _free_port()
    _pg_admin(f'CREATE DATABASE "{name}"')
    process = None
    try:
        _flush_redis(REDIS_BENCH_URL)
        env = _environment(port, f"{PG_SERVER}/{name}")
        _cli(env, "migrate")
        _cli(env, "seed-demo", "--force")
        if prepare is not None:
            prepare(env)
        reflex = shutil.which("reflex", path=env["PATH"]) or str(ROOT / ".venv" / "bin" / "reflex")
        log_path = log_dir / "page_load-server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [reflex, "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        base_url = f"http://localhost:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server exited ({process.returncode}); see {log_path}")
            with contextlib.suppress(OSError):
                if _get(f"{base_url}/ping") == 200 and _get(f"{base_url}/connexion/") == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"the server was not ready within {STARTUP_TIMEOUT} s; see {log_path}")
            time.sleep(0.5)
        yield base_url
    finally:
        if process is not None:
            _stop(process)
        with contextlib.suppress(Exception):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(Exception):
            _flush_redis(REDIS_BENCH_URL)


# ---------------------------------------------------------------- measurements


@dataclass
class Sample:
    fcp_ms: float | None
    tti_ms: float


def _new_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(30_000)
    context.add_init_script(WS_PROBE)
    return context, context.new_page()


def _measure(page: Page, path: str, ready_js: str) -> Sample:
    page.goto(path, wait_until="commit")
    tti = page.wait_for_function(ready_js, polling="raf").json_value()
    fcp = page.evaluate(FCP_JS)
    return Sample(fcp_ms=fcp, tti_ms=float(tti))


def measure_login(browser: Browser, base_url: str) -> Sample:
    context, page = _new_page(browser, base_url)
    try:
        return _measure(page, "/connexion", LOGIN_READY_JS)
    finally:
        context.close()


def measure_home(browser: Browser, base_url: str, email: str, password: str, home: str) -> Sample:
    context, page = _new_page(browser, base_url)
    try:
        page.goto("/connexion")
        page.wait_for_function(LOGIN_READY_JS)
        page.locator("#field-email").fill(email)
        page.locator("#field-password").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"**{home}")
        page.wait_for_function(HOME_READY_JS)
        return _measure(page, home, HOME_READY_JS)
    finally:
        context.close()


def run(base_url: str, runs: int, password: str) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    people: dict[str, str] = {}
    for role, email, _first, _last in DEMO_PEOPLE:
        people.setdefault(str(role), email)
    pages: list[tuple[str, str]] = [("login", "/connexion")] + [(role, HOME_ROUTES[role]) for role in HOME_ROUTES]
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # One unmeasured warm-up per page (server-side caches, first Python imports in each worker).
            measure_login(browser, base_url)
            samples: dict[str, list[Sample]] = {name: [] for name, _ in pages}
            for _ in range(runs):
                for name, path in pages:
                    if name == "login":
                        samples[name].append(measure_login(browser, base_url))
                    else:
                        samples[name].append(measure_home(browser, base_url, people[name], password, path))
        finally:
            browser.close()
    for name, path in pages:
        fcps = [s.fcp_ms for s in samples[name] if s.fcp_ms is not None]
        ttis = [s.tti_ms for s in samples[name]]
        results[name] = {
            "path": path,
            "runs": len(ttis),
            "fcp_ms_median": round(statistics.median(fcps), 1) if fcps else None,
            "tti_ms_median": round(statistics.median(ttis), 1),
            "fcp_ms": [round(v, 1) for v in fcps],
            "tti_ms": [round(v, 1) for v in ttis],
        }
    return results


def print_table(results: dict[str, dict], runs: int, base_url: str) -> None:
    print(f"\nPage load on {base_url} (production build, Chromium, medians of {runs} runs, fresh context each run)\n")
    print(f"{'page':<16} {'path':<28} {'FCP (ms)':>10} {'TTI (ms)':>10} {'TTI min–max (ms)':>20}")
    for name, row in results.items():
        fcp = f"{row['fcp_ms_median']:.0f}" if row["fcp_ms_median"] is not None else "—"
        spread = f"{min(row['tti_ms']):.0f}–{max(row['tti_ms']):.0f}"
        print(f"{name:<16} {row['path']:<28} {fcp:>10} {row['tti_ms_median']:>10.0f} {spread:>20}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page (default 5)")
    parser.add_argument("--url", help="measure this running server (it must hold the demo data) instead of our own")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="the demo people's password")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    log_dir = ROOT / "artifacts" / "benchmarks"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if args.url:
        base_url = args.url.rstrip("/")
        results = run(base_url, args.runs, args.password)
    else:
        with own_server(log_dir) as base_url:
            print(f"server ready in {time.monotonic() - started:.0f} s at {base_url}", file=sys.stderr)
            results = run(base_url, args.runs, args.password)
    report = {"base_url": base_url, "runs": args.runs, "pages": results}
    with tempfile.NamedTemporaryFile("w", dir=log_dir, delete=False, suffix=".json") as handle:
        json.dump(report, handle, indent=2)
    Path(handle.name).replace(log_dir / "page_load.json")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(results, args.runs, base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
