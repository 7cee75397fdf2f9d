"""The cost of a click (issue 12 §5): websocket bytes of a page load and CPU/latency of dashboard events.

Starts the production build of a checkout the way ``benchmarks/page_load.py`` does (its ``own_server``: a fresh
PostgreSQL database, demo seed, ``reflex run --env prod`` with 2 granian workers and the Redis state manager), adds
``--bilans`` bilans to the demo consultant's dashboard (``benchmarks/dashboard.py``'s ``seed_bilans``) and one login
session per simulated tab, then drives ``reflex_load.py`` (``../shared/tools``) against the consultant dashboard:

* ``page load``: one tab hydrates the dashboard (hydrate + on_load); every byte the server sends on the websocket,
  how much of it is the translation catalogue (the ``messages`` var), the biggest vars, and the tab's state in Redis;
* ``closed loop``: ``--closed-clients`` tabs send the event again as soon as it is answered (latency, CPU per event);
* ``N tabs``: for each ``--tabs`` count, N logged-in tabs (ramped up at ``--ramp-rate`` tabs/s) each send the event
  every ``1/--tab-rate`` s; a tab that has not finished loading after ``--connect-timeout`` s never sends.

Events: the dashboard's filter (default ``ConsultantDashboardState.apply_filters``) and a handler that only sets a
string (default ``ConsultantDashboardState.set_view``). Give ``Class.handler``, a bare handler name, or the full
``reflex___state____state...`` name; short forms are looked up in the compiled front end (``.web``), so a renamed
handler only needs the new name (with its payload, ``--filter-payload``/``--trivial-payload``).

CPU per event = the CPU of the ``reflex run`` process tree (granian workers included) over the steady window,
divided by the events answered in it; ``+redis+pg`` adds the Redis server and the PostgreSQL cluster (shared with
anything else running on the machine).

    .venv/bin/python benchmarks/click_cost.py                       # this checkout, defaults: ~4 min after the build
    .venv/bin/python benchmarks/click_cost.py --checkout /work/main --tabs 300 1000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/13"
CONSULTANT_EMAIL = "claire.martin@demo.bilancompetence.ai"
DASHBOARD_PATH = "/consultant"
FILTER_EVENT = "ConsultantDashboardState.apply_filters"
FILTER_PAYLOAD = '{"form_data": {"status": "", "funding": "", "search": ""}}'
TRIVIAL_EVENT = "ConsultantDashboardState.set_view"
TRIVIAL_PAYLOAD = '{"view": "kanban"}'
ROOT_STATE = "reflex___state____state"

# Runs in a subprocess with the server's environment, in the checkout: dashboard rows, then login sessions.
PREPARE_SCRIPT = r"""
import json, sys
sys.path.insert(0, "benchmarks")
from sqlmodel import col, select
from services.auth import ClientInfo, start_login_session
from services.db import session_scope
from services.models import Membership, User

spec = json.loads(sys.argv[1])
if spec["bilans"]:
    import dashboard
    dashboard.seed_bilans(spec["bilans"])
tokens = []
with session_scope() as session:
    user = session.exec(select(User).where(User.email == spec["email"])).one()
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id, col(Membership.is_active).is_(True))
    ).first()
    client = ClientInfo(ip="127.0.0.1", user_agent="click_cost benchmark")
    for _ in range(spec["sessions"]):
        tokens.append(start_login_session(session, user, membership, client).token)
with open(spec["out"], "w") as handle:
    json.dump(tokens, handle)
"""


# ---------------------------------------------------------------- the checkout and the load tool


def import_checkout(checkout: Path) -> ModuleType:
    """The checkout's ``benchmarks/page_load.py`` (its ``own_server``), with the checkout first on sys.path."""
    for path in (checkout / "benchmarks", checkout):
        sys.path.insert(0, str(path))
    import page_load

    if Path(page_load.__file__).resolve().parents[1] != checkout:
        raise SystemExit(f"page_load was imported from {page_load.__file__}, not from {checkout}")
    return page_load


def import_reflex_load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("reflex_load", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["reflex_load"] = module
    spec.loader.exec_module(module)
    return module


def default_reflex_load(checkout: Path) -> Path:
    for base in (checkout, HERE):
        candidate = base.parent / "shared" / "tools" / "reflex_load.py"
        if candidate.exists():
            return candidate
    return Path("/work/shared/tools/reflex_load.py")


# ---------------------------------------------------------------- what the compiled front end names


def compiled_sources(checkout: Path) -> Iterator[tuple[Path, str]]:
    web = checkout / ".web"
    for folder in (web / "app", web / "app_components", web / "utils"):
        for path in sorted(folder.rglob("*.js*")):
            yield path, path.read_text(errors="replace")


def cookie_vars(checkout: Path) -> dict[str, str]:
    """Cookie name -> full state var name, from ``clientStorage`` in ``.web/utils/context.js(x)``."""
    for path in (checkout / ".web" / "utils").glob("context.js*"):
        text = path.read_text()
        start = text.find("clientStorage = ")
        if start >= 0:
            storage, _ = json.JSONDecoder().raw_decode(text, start + len("clientStorage = "))
            return {spec["name"]: var for var, spec in storage.get("cookies", {}).items()}
    raise SystemExit(f"no clientStorage in {checkout / '.web' / 'utils'}; was the front end built?")


def _snake(name: str) -> str:
    text = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text).lower()


def resolve_event(checkout: Path, spec: str) -> str:
    """The full event name for ``spec`` (full name, ``Class.handler`` or ``handler``), found in ``.web``."""
    if spec.startswith(ROOT_STATE + "."):
        return spec
    *owner, handler = spec.split(".")
    pattern = re.compile(rf"{ROOT_STATE}(?:\.[a-z0-9_]+)*\.{re.escape(handler)}(?![A-Za-z0-9_])")
    found: Counter[str] = Counter()
    for _, text in compiled_sources(checkout):
        found.update(pattern.findall(text))
    if owner:
        state = _snake(owner[-1])
        found = Counter({name: n for name, n in found.items() if name.split(".")[-2].endswith("____" + state)})
    if len(found) != 1:
        raise SystemExit(
            f"event {spec!r}: {len(found)} matches in {checkout / '.web'} ({', '.join(found) or 'none'}); "
            "pass the full name or Class.handler"
        )
    return next(iter(found))


# ---------------------------------------------------------------- processes to watch


def watched_pids() -> dict[str, int]:
    """``reflex run`` (our child), redis-server on :6379 and the PostgreSQL postmaster."""
    import psutil

    pids: dict[str, int] = {}
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if any("reflex" in part for part in child.cmdline()[:3]):
                pids["app"] = child.pid
    for proc in psutil.process_iter(["name", "cmdline", "ppid"]):
        with contextlib.suppress(psutil.Error):
            name = proc.info["name"] or ""
            if name.startswith("redis-server") and ":6379" in " ".join(proc.info["cmdline"] or []):
                pids["redis"] = proc.pid
            elif name in {"postgres", "postmaster"} and psutil.Process(proc.info["ppid"]).name() not in {
                "postgres",
                "postmaster",
            }:
                pids["pg"] = proc.pid
    if "app" not in pids:
        raise SystemExit("cannot find the `reflex run` process among this script's children")
    return pids


# ---------------------------------------------------------------- the runs


@dataclass
class Bench:
    rl: ModuleType
    base_url: str
    tokens: list[str]
    token_var: str
    locale_var: str | None
    router_path: str
    pids: dict[str, int]
    redis_url: str
    connect_timeout: float
    verbose: bool
    results: list[dict[str, Any]] = field(default_factory=list)

    def hydrate_payload(self, index: int) -> dict[str, Any]:
        values = {self.token_var: self.tokens[index % len(self.tokens)]}
        if self.locale_var:
            values[self.locale_var] = "fr"
        return {"vars": values}

    def args(self, clients: int, *, event: str, payload: str, rate: float, ramp: float, duration: float) -> Any:
        argv = [
            *("--url", self.base_url, "--clients", str(clients), "--rate", str(rate), "--ramp", str(ramp)),
            *("--duration", str(duration), "--event", event, "--payload", payload, "--router-path", self.router_path),
            *("--hydrate-payload", json.dumps(self.hydrate_payload(0)), "--connect-timeout", str(self.connect_timeout)),
            *("--progress", "5" if self.verbose else "0", "--procs", "2" if clients >= 2000 else "1"),
        ]
        for label, pid in self.pids.items():
            argv += ["--pid", f"{label}={pid}"]
        return self.rl.parse_args(argv)

    def load(self, name: str, clients: int, **kwargs: Any) -> dict[str, Any]:
        """One reflex_load run, each simulated tab logged in with its own session."""
        result = self.rl.run(self.args(clients, **kwargs))
        if self.verbose:
            self.rl.print_report(result)
        result["scenario"] = name
        self.results.append(result)
        return result

    def page_load(self, catalogue_var: str, seconds: float = 3.0) -> dict[str, Any]:
        """One tab opens the dashboard: every websocket message, sized and split by state var."""
        import redis

        messages: list[str] = []
        tokens: set[str] = set()
        original = self.rl.Client._on_message

        def recording(client: Any, message: str) -> None:
            messages.append(message)
            tokens.add(client.token)
            original(client, message)

        args = self.args(1, event="none", payload="{}", rate=0.1, ramp=0, duration=seconds)
        cfg = self.rl.build_cfg(args)
        cfg["t0"] = time.monotonic() + 0.1
        state_bytes: list[int] = []

        async def measure_redis() -> None:
            # The tab's state in Redis while it is open (Reflex deletes it when the tab disconnects).
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not any('"is_hydrated_rx_state_":true' in m for m in messages):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            client = redis.Redis.from_url(self.redis_url)
            try:
                keys = [key for token in tokens for key in client.scan_iter(match=f"{token}_*", count=500)]
                state_bytes.append(sum(client.strlen(key) for key in keys if client.type(key) == b"string"))
            finally:
                client.close()

        async def main() -> dict[str, Any]:
            side = asyncio.ensure_future(measure_redis())
            summary = await self.rl._generator_main(cfg, [0], [0] * self.rl.N_COUNTERS, 0)
            await side
            return summary

        self.rl.Client._on_message = recording
        try:
            summary = asyncio.run(main())
        finally:
            self.rl.Client._on_message = original
        result = analyse_page_load(messages, catalogue_var)
        result.update(
            scenario="page load",
            hydrated=summary["counters"][self.rl.C_HYDRATED],
            errors=summary["errors"],
            redis_state_bytes=state_bytes[0] if state_bytes else None,
        )
        self.results.append(result)
        return result


def analyse_page_load(messages: list[str], catalogue_var: str) -> dict[str, Any]:
    total = deflated = 0
    by_var: Counter[str] = Counter()
    catalogue_copies = 0
    catalogue_keys = 0
    for message in messages:
        size = len(message.encode())
        total += size
        deflated += len(zlib.compress(message.encode(), 6))
        if not message.startswith("42"):
            continue
        body = message[2:]
        if body.startswith("/"):
            body = body[body.index(",") + 1 :]
        with contextlib.suppress(ValueError, IndexError, TypeError, AttributeError):
            delta = json.loads(body)[1].get("delta") or {}
            for state, values in delta.items():
                for var, value in values.items():
                    encoded = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
                    short = var.removesuffix("_rx_state_")
                    by_var[f"{state.rsplit('.', 1)[-1]}.{short}"] += encoded
                    if short == catalogue_var:
                        catalogue_copies += 1
                        catalogue_keys = max(catalogue_keys, len(value) if isinstance(value, dict) else 0)
    catalogue = sum(size for name, size in by_var.items() if name.rsplit(".", 1)[-1] == catalogue_var)
    return {
        "messages": len(messages),
        "bytes": total,
        "bytes_deflated": deflated,
        "catalogue_bytes": catalogue,
        "catalogue_copies": catalogue_copies,
        "catalogue_keys": catalogue_keys,
        "largest_vars": by_var.most_common(8),
    }


# ---------------------------------------------------------------- the report


def _figure(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return "inf" if value == float("inf") else f"{value:.{digits}f}"
    return str(value)


def row(result: dict[str, Any], page_bytes: int | None) -> dict[str, str]:
    window = result["window"]
    latency = window["latency"]
    resources = result.get("resources") or {}
    answered_per_s = window["answered_per_s"]

    def cpu_ms(labels: tuple[str, ...]) -> float | None:
        pcts = [resources[label]["cpu_pct"] for label in labels if label in resources]
        if not answered_per_s or not pcts or None in pcts:
            return None
        return sum(pcts) / 100 * 1000 / answered_per_s

    app = resources.get("app", {})
    hydrate = result.get("connect_to_hydrated", {})
    # Bytes the server sent per answered event, the tabs' page loads taken out (an estimate: same page each time).
    event_bytes = None
    if page_bytes is not None and result["answered_total"] and result["hydrated"] == result["clients"]:
        event_bytes = (result["bytes_in"] - result["hydrated"] * page_bytes) / result["answered_total"] / 1000
    return {
        "scenario": result["scenario"],
        "tabs": str(result["clients"]),
        "rate/tab": "closed" if not result["rate_per_client"] else f"1/{1 / result['rate_per_client']:g}s",
        "loaded": f"{result['hydrated']}/{result['clients']}",
        "load p95 ms": _figure(hydrate.get("p95_ms"), 0),
        "answered": f"{window['answered']}/{window['sent']}",
        "ev/s": _figure(answered_per_s),
        "p50 ms": _figure(latency.get("p50_ms")),
        "p95 ms": _figure(latency.get("p95_ms")),
        "p99 ms": _figure(latency.get("p99_ms")),
        "≈KB/ev": _figure(event_bytes),
        "app CPU %": _figure(app.get("cpu_pct")),
        "app CPU ms/ev": _figure(cpu_ms(("app",))),
        "+redis+pg ms/ev": _figure(cpu_ms(("app", "redis", "pg"))),
        "app RSS MB": _figure(app.get("rss_mb_max"), 0),
        "machine busy %": _figure(resources.get("_machine", {}).get("busy_pct_of_all_cores"), 0),
    }


def markdown_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return ""
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r[key] for key in header) + " |" for r in rows]
    return "\n".join(lines)


def report(page: dict[str, Any] | None, loads: list[dict[str, Any]], context: dict[str, Any]) -> str:
    lines = [
        f"Click cost on {context['checkout']} ({context['commit']}) at {context['base_url']}, "
        f"dashboard {context['router_path']} with {context['rows']} rows; load average before: {context['loadavg']}",
        f"filter event:  {context['filter_event']} {context['filter_payload']}",
        f"trivial event: {context['trivial_event']} {context['trivial_payload']}",
        "",
    ]
    if page is not None:
        kb = 1000
        share = 100 * page["catalogue_bytes"] / max(page["bytes"], 1)
        copies = f"{page['catalogue_copies']} cop{'y' if page['catalogue_copies'] == 1 else 'ies'}"
        redis_kb = page["redis_state_bytes"]
        lines += [
            "Page load (hydrate + on_load, one tab):",
            f"  websocket messages {page['messages']}, {page['bytes'] / kb:.1f} KB sent by the server "
            f"({page['bytes_deflated'] / kb:.1f} KB if each message were deflated)",
            f"  translation catalogue `{context['catalogue_var']}`: {page['catalogue_bytes'] / kb:.1f} KB "
            f"({copies}, {page['catalogue_keys']} keys) = {share:.0f} % of the bytes",
            "  largest vars: " + ", ".join(f"{name} {size / kb:.1f} KB" for name, size in page["largest_vars"]),
            "  this tab's state in Redis: " + ("—" if redis_kb is None else f"{redis_kb / kb:.1f} KB"),
            "",
        ]
    page_bytes = page["bytes"] if page is not None else None
    lines.append(markdown_table([row(result, page_bytes) for result in loads]))
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def git_commit(checkout: Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(checkout), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()[:80] or "?"


def prepare_data(checkout: Path, bilans: int, sessions: int, out: Path) -> Callable[[dict[str, str]], None]:
    def prepare(env: dict[str, str]) -> None:
        spec = {"bilans": bilans, "sessions": sessions, "email": CONSULTANT_EMAIL, "out": str(out)}
        subprocess.run([sys.executable, "-c", PREPARE_SCRIPT, json.dumps(spec)], cwd=checkout, env=env, check=True)

    return prepare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--checkout", type=Path, default=HERE, help="repository to build and measure (default: this one)"
    )
    parser.add_argument("--reflex-load", type=Path, help="path of reflex_load.py (default: ../shared/tools/)")
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"Redis database, flushed (default {REDIS_URL})")
    parser.add_argument("--bilans", type=int, default=30, help="bilans added to the consultant's dashboard (30)")
    parser.add_argument("--router-path", default=DASHBOARD_PATH, help=f"the page the tabs open ({DASHBOARD_PATH})")
    parser.add_argument("--filter-event", default=FILTER_EVENT)
    parser.add_argument("--filter-payload", default=FILTER_PAYLOAD)
    parser.add_argument("--trivial-event", default=TRIVIAL_EVENT)
    parser.add_argument("--trivial-payload", default=TRIVIAL_PAYLOAD)
    parser.add_argument("--catalogue-var", default="messages", help="name of the translation catalogue var")
    parser.add_argument("--closed-clients", type=int, default=1, help="tabs in the closed loops (1)")
    parser.add_argument("--closed-seconds", type=float, default=20, help="steady seconds of each closed loop (20)")
    parser.add_argument("--tabs", type=int, nargs="*", default=[300], help="tab counts of the open-loop runs (300)")
    parser.add_argument("--tab-events", default="filter", help="events of the open-loop runs: filter,trivial")
    parser.add_argument("--tab-rate", type=float, default=0.1, help="events per tab per second (0.1)")
    parser.add_argument("--ramp-rate", type=float, default=10, help="tabs opened per second (10)")
    parser.add_argument("--tab-seconds", type=float, default=60, help="steady seconds of each open-loop run (60)")
    parser.add_argument("--connect-timeout", type=float, default=30, help="a tab not loaded by then never sends (30)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: page,closed")
    parser.add_argument("--json", type=Path, help="write every result here (default artifacts/benchmarks/)")
    parser.add_argument("--verbose", action="store_true", help="reflex_load's progress and full reports")
    args = parser.parse_args(argv)

    checkout = args.checkout.resolve()
    tab_events = [name.strip() for name in args.tab_events.split(",") if name.strip()]
    if set(tab_events) - {"filter", "trivial"}:
        parser.error("--tab-events takes filter and/or trivial")
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    rl = import_reflex_load(args.reflex_load or default_reflex_load(checkout))
    page_load = import_checkout(checkout)
    page_load.REDIS_BENCH_URL = args.redis_url  # own_server flushes and uses this database
    log_dir = checkout / "artifacts" / "benchmarks"
    log_dir.mkdir(parents=True, exist_ok=True)
    sessions = max([args.closed_clients, 1, *args.tabs])
    loadavg = " ".join(f"{value:.2f}" for value in os.getloadavg())
    started = time.monotonic()

    with tempfile.TemporaryDirectory() as tmp:
        tokens_file = Path(tmp) / "tokens.json"
        prepare = prepare_data(checkout, args.bilans, sessions, tokens_file)
        with page_load.own_server(log_dir, prepare) as base_url:
            print(f"server ready in {time.monotonic() - started:.0f} s at {base_url}", file=sys.stderr)
            cookies = cookie_vars(checkout)
            events = {
                "filter": (resolve_event(checkout, args.filter_event), args.filter_payload),
                "trivial": (resolve_event(checkout, args.trivial_event), args.trivial_payload),
            }
            bench = Bench(
                rl=rl,
                base_url=base_url,
                tokens=json.loads(tokens_file.read_text()),
                token_var=cookies["bc_session"],
                locale_var=cookies.get("bc_locale"),
                router_path=args.router_path,
                pids=watched_pids(),
                redis_url=args.redis_url,
                connect_timeout=args.connect_timeout,
                verbose=args.verbose,
            )
            # Warm-up: the first events in each worker import modules and fill caches.
            bench.load("warm-up", 2, event=events["filter"][0], payload=events["filter"][1], rate=0, ramp=1, duration=5)
            bench.results.clear()
            page = None if "page" in skip else bench.page_load(args.catalogue_var)
            loads = []
            if "closed" not in skip:
                for key in ("filter", "trivial"):
                    event, payload = events[key]
                    loads.append(
                        bench.load(
                            f"{key}, closed loop",
                            args.closed_clients,
                            event=event,
                            payload=payload,
                            rate=0,
                            ramp=1,
                            duration=args.closed_seconds,
                        )
                    )
            for tabs in args.tabs:
                for key in tab_events:
                    event, payload = events[key]
                    loads.append(
                        bench.load(
                            f"{key}, {tabs} tabs",
                            tabs,
                            event=event,
                            payload=payload,
                            rate=args.tab_rate,
                            ramp=max(1.0, tabs / args.ramp_rate),
                            duration=args.tab_seconds,
                        )
                    )
            context = {
                "checkout": str(checkout),
                "commit": git_commit(checkout),
                "base_url": base_url,
                "router_path": args.router_path,
                "rows": f"the demo's + {args.bilans}",
                "loadavg": loadavg,
                "filter_event": events["filter"][0],
                "filter_payload": events["filter"][1],
                "trivial_event": events["trivial"][0],
                "trivial_payload": events["trivial"][1],
                "catalogue_var": args.catalogue_var,
                "pids": bench.pids,
            }
    text = report(page, loads, context)
    print("\n" + text)
    out = args.json or log_dir / "click_cost.json"
    out.write_text(json.dumps({"context": context, "page_load": page, "runs": loads}, indent=1, default=str))
    print(f"\nraw results: {out}  (server log: {log_dir / 'page_load-server.log'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
