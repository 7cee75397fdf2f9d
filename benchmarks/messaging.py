"""Live messaging under load (issue 13 §4): from one tab's send to the other participant's open tab.

Starts the production build of a checkout the way ``benchmarks/click_cost.py`` does (``page_load.own_server``: a
fresh PostgreSQL database, the demo seed, ``reflex run --env prod`` with 2 granian workers and the Redis state
manager). Before the server starts it adds ``--consultants`` consultants to the demo organisation and
``--conversations`` bilans spread over them (``dashboard.seed_bilans``), each with its own beneficiary, optionally
``--history`` earlier messages per conversation, and one login session per simulated tab.

Then two tabs per conversation open over the websocket (``reflex_load.py``'s client, ``../shared/tools``): the
beneficiary on ``/mon-espace/messages``, her consultant on ``/bilans/<id>/messages`` (a consultant has one tab per
bilan). Once every tab has loaded, each conversation sends one message every ``1/--rate`` s for ``--duration`` s,
the two sides taking turns, each with a unique marker in its text. A send is what a click on Send does: the text
box loses the focus (``save_draft`` with the text, on the websocket), then, once that is answered (Reflex's event
queue), the ``send`` upload handler as a ``POST /_upload`` with the text as its ``body`` argument and no file,
whose streamed answer is the sender's own update.

Measured per message:

* ``click → other tab``: from the ``save_draft`` event leaving the sender's tab (the click) to the first update
  carrying the marker at the other participant's tab: a websocket delta (its follower, woken by
  ``services.messaging.live``) or, if that tab sent meanwhile, its own upload's answer; the figure compared with
  the target (p95 ≤ 150 ms);
* ``send → other tab``: the same from the ``POST /_upload`` (the ``send`` event itself);
* ``click → own tab``: to the line of the upload's answer that carries the marker (the sender sees it sent).

A message the other tab has not seen ``--grace`` s after the last send is lost (counted as +inf in the
percentiles). CPU is that of the ``reflex run`` process tree over the sending window, then per message; Redis and the
PostgreSQL cluster are shown beside it (shared with anything else running on the machine).

    .venv/bin/python benchmarks/messaging.py                       # 200 conversations, 400 tabs, 1 message / 5 s
    .venv/bin/python benchmarks/messaging.py --conversations 50 --duration 30 --checkout /work/main
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import click_cost

HERE = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/12"
SAVE_DRAFT_EVENT = "ConversationState.save_draft"
SEND_EVENT = "ConversationState.send"
BENEFICIARY_PATH = "/mon-espace/messages"
CONSULTANT_PATH = "/bilans/{bilan_id}/messages"
TARGET_P95_MS = 150.0
TIMEOUT = 10.0  # a draft or a send not answered by then has failed
BOUNDARY = "bench-messaging-boundary"
MARKER = re.compile(r"\[(\d+)\.([bc])\.(\d+)\]")  # [conversation.side.sequence], b: beneficiary, c: consultant
READY = re.compile(r'"status_rx_state_":\s*"ready"')


# ---------------------------------------------------------------- the data (runs in the checkout, before the server)


def prepare(spec: dict[str, Any]) -> None:
    """Consultants, their bilans (``dashboard.seed_bilans``), earlier messages, two login sessions per bilan.

    Runs in a child process with the server's environment, the checkout as working directory."""
    sys.path[:0] = [str(Path.cwd() / "benchmarks"), str(Path.cwd())]
    import dashboard
    from sqlmodel import col, select

    from services.auth import ClientInfo, start_login_session
    from services.crypto import encrypt_text
    from services.db import session_scope
    from services.models import Bilan, Conversation, Membership, Message, Organisation, Role, User
    from services.models.base import utcnow
    from services.passwords import hash_password

    consultants, conversations = spec["consultants"], spec["conversations"]
    emails = [f"banc-consultant-{index}@exemple.fr" for index in range(consultants)]
    with session_scope() as session:
        organisation = session.exec(select(Organisation).where(Organisation.slug == "organisme-demo")).one()
        password_hash = hash_password(uuid.uuid4().hex)
        for index, email in enumerate(emails):
            user = User(email=email, first_name=f"Consultant{index}", last_name="Banc", password_hash=password_hash)
            session.add(user)
            session.flush()
            session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=Role.CONSULTANT))
    for index, email in enumerate(emails):
        dashboard.seed_bilans(conversations // consultants + (index < conversations % consultants), email)

    client = ClientInfo(ip="127.0.0.1", user_agent="messaging benchmark")
    rows = []
    with session_scope() as session:
        users = session.exec(select(User).where(col(User.email).in_(emails))).all()
        for consultant in sorted(users, key=lambda user: user.email):
            bilans = session.exec(select(Bilan).where(Bilan.consultant_id == consultant.id)).all()
            for bilan in bilans:
                tokens = {}
                for side, user_id in (("beneficiary", bilan.beneficiary_id), ("consultant", consultant.id)):
                    user = session.get(User, user_id)
                    membership = session.exec(select(Membership).where(Membership.user_id == user_id)).one()
                    assert user is not None
                    tokens[side] = start_login_session(session, user, membership, client).token
                if spec["history"]:
                    conversation = Conversation(organisation_id=bilan.organisation_id, bilan_id=bilan.id)
                    session.add(conversation)
                    session.flush()
                    now = utcnow()
                    for number in range(spec["history"]):
                        author = (bilan.beneficiary_id, consultant.id)[number % 2]
                        sent_at = now - timedelta(hours=spec["history"] - number)
                        session.add(
                            Message(
                                organisation_id=bilan.organisation_id,
                                conversation_id=conversation.id,
                                author_id=author,
                                body_encrypted=encrypt_text(f"Message antérieur n° {number + 1}, pour l'historique."),
                                created_at=sent_at,
                            )
                        )
                    conversation.last_message_at = now
                rows.append({"bilan": str(bilan.id), **tokens})
    Path(spec["out"]).write_text(json.dumps(rows))


# ---------------------------------------------------------------- the simulated tabs


def _upload_body(arguments: dict[str, str]) -> bytes:
    """The multipart body the front end posts for an upload without a file: the handler's bound arguments
    (``__reflex_event_args``, JSON), then the closing boundary."""
    part = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="__reflex_event_args"\r\n\r\n'
        f"{json.dumps(arguments, ensure_ascii=False)}\r\n"
    )
    return f"{part}--{BOUNDARY}--\r\n".encode()


def _vars(update: str, names: tuple[str, ...]) -> dict[str, str]:
    """The JSON text of the vars ``names`` in one update line (a send's answer), whichever state they are in:
    the marker counts in the message list only (the draft the send failed to clear carries it too)."""
    found: dict[str, str] = {}
    with contextlib.suppress(ValueError, AttributeError):
        for values in (json.loads(update).get("delta") or {}).values():
            for name in names:
                if f"{name}_rx_state_" in values:
                    found[name] = json.dumps(values[f"{name}_rx_state_"], ensure_ascii=False)
    return found


@dataclass
class Sent:
    """One message, its times on the generator's monotonic clock (None: never happened)."""

    conversation: int
    side: str
    clicked: float
    posted: float | None = None  # the draft was answered, the send left
    own: float | None = None  # the send's answer carried the message
    delivered: float | None = None  # the other tab received it
    error: str = ""


@dataclass
class Pair:
    """One conversation: its bilan, the login sessions of its two sides and, once open, their tabs."""

    index: int
    bilan: str
    tokens: dict[str, str]  # "b" (beneficiary) / "c" (consultant) -> login session token
    tabs: dict[str, Any] = field(default_factory=dict)  # the same sides -> Tab


def tab_class(rl: ModuleType) -> type:
    """A reflex_load client that watches its updates for the markers of the other side's messages."""

    class Tab(rl.Client):  # type: ignore[name-defined,misc]
        def __init__(self, index: int, cfg: dict[str, Any], stats: Any, loop: Any, side: str, bench: Bench) -> None:
            super().__init__(index, cfg, stats, loop)
            self.side = side
            self.bench = bench
            self.ready = False
            self.seen: set[str] = set()
            self.expecting: tuple[str, asyncio.Future[float]] | None = None

        def _on_update(self, raw: str) -> None:
            now = time.monotonic()
            if not self.ready and READY.search(raw):
                self.ready = True
            if not self.hydrated.done():
                super()._on_update(raw)
                return
            self.received(raw, now)
            if self.expecting is not None and self.expecting[0] in raw and not self.expecting[1].done():
                self.expecting[1].set_result(now)

        def received(self, update: str, now: float) -> None:
            """An update of this tab (websocket delta, or a line of its own upload's answer): the other side's
            messages it shows for the first time are delivered."""
            for match in MARKER.finditer(update):
                marker = match.group(0)
                if match.group(2) != self.side and marker not in self.seen:
                    self.seen.add(marker)
                    self.bench.delivered(marker, now)

        def expect(self, text: str) -> asyncio.Future[float]:
            future: asyncio.Future[float] = self.loop.create_future()
            self.expecting = (text, future)
            return future

    return Tab


@dataclass
class Bench:
    rl: ModuleType
    base_url: str
    cfg: dict[str, Any]
    token_var: str
    locale_var: str | None
    save_draft: str
    send: str
    messages: dict[str, Sent] = field(default_factory=dict)
    late_sends: int = 0

    def tab_cfg(self, token: str, path: str) -> dict[str, Any]:
        values = {self.token_var: token} | ({self.locale_var: "fr"} if self.locale_var else {})
        return self.cfg | {"router_data": {"pathname": path, "asPath": path}, "hydrate_payload": {"vars": values}}

    def delivered(self, marker: str, now: float) -> None:
        message = self.messages.get(marker)
        if message is not None and message.delivered is None:
            message.delivered = now

    async def send_one(self, http: Any, pair: Pair, side: str, sequence: int) -> None:
        """What the Send button does: the draft on the websocket, then the send handler's upload request."""
        tab = pair.tabs[side]
        marker = f"[{pair.index}.{side}.{sequence}]"
        text = f"Message {sequence} du banc d'essai {marker}"
        message = self.messages[marker] = Sent(pair.index, side, time.monotonic())
        answered = tab.expect(marker)
        draft = {"name": self.save_draft, "payload": {"text": text}, "router_data": tab.cfg["router_data"]}
        tab._emit("event", draft | {"token": tab.token})
        try:
            await asyncio.wait_for(answered, TIMEOUT)
        except TimeoutError:
            message.error = "draft not answered"
            return
        message.posted = time.monotonic()
        refused = ""
        headers = {
            "Reflex-Client-Token": tab.token,
            "Reflex-Event-Handler": self.send,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Origin": self.base_url,
        }
        try:
            async with http.stream(
                "POST", f"{self.base_url}/_upload", headers=headers, content=_upload_body({"body": text})
            ) as response:
                if response.status_code != 200:
                    message.error = f"upload HTTP {response.status_code}"
                async for line in response.aiter_lines():
                    now = time.monotonic()
                    shown = _vars(line, ("messages", "form_error"))
                    if message.own is None and marker in shown.get("messages", ""):
                        message.own = now
                    refused = refused or shown.get("form_error", "").strip('"')
                    tab.received(shown.get("messages", ""), now)  # the other side's messages reach it this way too
        except Exception as exc:  # the run goes on; the message counts as failed
            message.error = f"upload {type(exc).__name__}"
        if message.own is None and not message.error:
            message.error = f"refused: {refused}" if refused else "the send's answer lacks the message"

    async def converse(self, http: Any, pair: Pair, first: float, stop: float, period: float) -> None:
        """One conversation: a message every ``period`` s from ``first`` until ``stop``, the sides taking turns."""
        sequence, due = 0, first
        while due < stop:
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
            elif now - due > 0.05:
                self.late_sends += 1
            await self.send_one(http, pair, "bc"[sequence % 2], sequence)
            sequence += 1
            due += period


async def drive(bench: Bench, pairs: list[Pair], args: argparse.Namespace, monitor: Any) -> dict[str, Any]:
    import httpx

    rl = bench.rl
    loop = asyncio.get_running_loop()
    stats = rl.Stats()
    tab = tab_class(rl)
    ordered = []
    for pair in pairs:  # her tab, then her consultant's, so that both sides of a conversation open together
        paths = {"b": BENEFICIARY_PATH, "c": CONSULTANT_PATH.format(bilan_id=pair.bilan)}
        for side, path in paths.items():
            pair.tabs[side] = tab(len(ordered), bench.tab_cfg(pair.tokens[side], path), stats, loop, side, bench)
            ordered.append(pair.tabs[side])
    period = 1 / args.rate
    ramp = len(ordered) / args.ramp_rate
    t0 = time.monotonic() + 0.5
    loaded_by = t0 + ramp + args.connect_timeout  # a tab not loaded by then stays out
    latest_close = loaded_by + args.settle + args.duration + args.grace + 1

    sampling = True

    async def sample() -> None:
        while sampling:
            await asyncio.to_thread(monitor.sample)
            await asyncio.sleep(1.0)

    sampler = loop.create_task(sample())
    tasks = [
        loop.create_task(client.run(t0 + ramp * index / len(ordered), latest_close, latest_close))
        for index, client in enumerate(ordered)
    ]
    # Sending starts once every tab shows its conversation: page loads are not what this measures.
    await asyncio.sleep(max(0.0, t0 + ramp - time.monotonic()))
    while time.monotonic() < loaded_by and not all(client.ready for client in ordered):
        await asyncio.sleep(0.2)
    start = time.monotonic() + args.settle
    stop = start + args.duration
    own_cpu: list[float] = []  # this process (the tabs) at the window's ends; its tree would include the server
    for moment in (start, stop):
        loop.call_at(moment, lambda: own_cpu.append(time.process_time()))
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    running = [pair for pair in pairs if all(client.ready for client in pair.tabs.values())]
    if args.verbose:
        print(f"sending: {len(running)}/{len(pairs)} conversations ready", file=sys.stderr)
    limits = httpx.Limits(max_connections=len(pairs), max_keepalive_connections=len(pairs))
    async with httpx.AsyncClient(limits=limits, timeout=TIMEOUT) as http:
        await asyncio.gather(
            *(bench.converse(http, pair, start + period * pair.index / len(pairs), stop, period) for pair in running)
        )
    await asyncio.sleep(args.grace)  # after the last send's answer (late ones included)
    sampling = False
    for client in ordered:
        client.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    await sampler
    monitor.sample()
    return {
        "tabs": len(ordered),
        "loaded": stats.c[rl.C_HYDRATED],
        "ready": sum(client.ready for client in ordered),
        "conversations_running": len(running),
        "load_ms": rl.lat_summary(list(stats.connect_lat)),
        "tab_errors": stats.err,
        "window": (start, stop),
        "resources": monitor.window(start, stop),
        "generator_cpu_pct": round(100 * (own_cpu[1] - own_cpu[0]) / (stop - start), 1),
    }


# ---------------------------------------------------------------- the figures


def summarise(rl: ModuleType, messages: list[Sent], run: dict[str, Any], duration: float) -> dict[str, Any]:
    failed = [m for m in messages if m.error]
    posted = [m for m in messages if not m.error]
    delivered = [m for m in messages if m.delivered is not None]
    lost = [m for m in posted if m.delivered is None]
    resources = run["resources"] or {}

    # Per message sent (without error) in the window: failed sends did only part of the work.
    in_window = [m for m in posted if m.clicked < run["window"][1]]

    def cpu_ms_per_message(labels: tuple[str, ...]) -> float | None:
        pcts = [resources[label]["cpu_pct"] for label in labels if label in resources]
        if not in_window or not pcts or None in pcts:
            return None
        return round(sum(pcts) / 100 * duration * 1000 / len(in_window), 1)

    return {
        "sent": len(messages),
        "failed": len(failed),
        "failures": sorted({m.error for m in failed}),
        "delivered": len(delivered),
        "lost": len(lost),
        "click_to_other": rl.lat_summary([m.delivered - m.clicked for m in delivered], len(lost)),
        "send_to_other": rl.lat_summary([m.delivered - m.posted for m in delivered if m.posted is not None], len(lost)),
        "click_to_own": rl.lat_summary([m.own - m.clicked for m in messages if m.own is not None]),
        "draft_answer": rl.lat_summary([m.posted - m.clicked for m in messages if m.posted is not None]),
        "cpu_ms_per_message": {
            "app": cpu_ms_per_message(("app",)),
            "app+redis+pg": cpu_ms_per_message(("app", "redis", "pg")),
        },
    }


def _ms(summary: dict[str, Any], key: str) -> str:
    value = summary.get(key)
    if value is None:
        return "—"
    return "inf" if value == math.inf else f"{value:.0f}"


def report(figures: dict[str, Any], run: dict[str, Any], context: dict[str, Any]) -> str:
    rows = [
        ("click → other tab", figures["click_to_other"]),
        ("send → other tab", figures["send_to_other"]),
        ("click → own tab", figures["click_to_own"]),
        ("click → draft answered", figures["draft_answer"]),
    ]
    p95 = figures["click_to_other"].get("p95_ms")
    verdict = "met" if p95 is not None and p95 <= TARGET_P95_MS and not figures["lost"] else "MISSED"
    resources = run["resources"] or {}
    cpu = ", ".join(f"{label} {values['cpu_pct']} %" for label, values in resources.items() if label != "_machine")
    cpu += f", the tabs (this process) {run['generator_cpu_pct']} %"
    machine = resources.get("_machine", {}).get("busy_pct_of_all_cores")
    lines = [
        f"Messaging on {context['checkout']} ({context['commit']}) at {context['base_url']}; "
        f"load average before: {context['loadavg']}",
        f"{context['conversations']} conversations ({context['consultants']} consultants, "
        f"{context['history']} earlier messages each), {run['tabs']} tabs: loaded {run['loaded']}, "
        f"conversation shown {run['ready']}, load p95 {_ms(run['load_ms'], 'p95_ms')} ms; "
        f"{run['conversations_running']} conversations sending 1 message / {1 / context['rate']:g} s "
        f"for {context['duration']:g} s",
        f"messages: sent {figures['sent']}, delivered {figures['delivered']}, lost {figures['lost']} "
        f"(not seen by the other tab {context['grace']:g} s after the last send), failed sends {figures['failed']}"
        + (f" {figures['failures']}" if figures["failures"] else "")
        + f", late sends {context['late_sends']}",
        "",
        "| ms | n | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|",
        *(
            f"| {name} | {summary.get('n', 0)} | {_ms(summary, 'p50_ms')} | {_ms(summary, 'p95_ms')} "
            f"| {_ms(summary, 'p99_ms')} | {_ms(summary, 'max_ms')} |"
            for name, summary in rows
        ),
        "",
        f"target: p95 click → other tab ≤ {TARGET_P95_MS:.0f} ms and no message lost: {verdict} "
        f"(p95 {_ms(figures['click_to_other'], 'p95_ms')} ms, {figures['lost']} lost)",
        f"CPU over the sending window (100 % = one core): {cpu}; machine {machine} % busy of both cores",
        f"CPU per message sent: app {figures['cpu_ms_per_message']['app']} ms, "
        f"+redis+pg {figures['cpu_ms_per_message']['app+redis+pg']} ms",
    ]
    if run["tab_errors"]:
        lines.append(f"tab errors: {run['tab_errors']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--checkout", type=Path, default=HERE, help="repository to build and measure (default: this one)"
    )
    parser.add_argument("--reflex-load", type=Path, help="path of reflex_load.py (default: ../shared/tools/)")
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"Redis database, flushed (default {REDIS_URL})")
    parser.add_argument("--conversations", type=int, default=200, help="conversations, two tabs each (200)")
    parser.add_argument("--consultants", type=int, default=20, help="consultants sharing the bilans (20)")
    parser.add_argument("--history", type=int, default=0, help="earlier messages in each conversation (0)")
    parser.add_argument("--rate", type=float, default=0.2, help="messages per conversation per second (0.2)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of sending (60)")
    parser.add_argument("--ramp-rate", type=float, default=20, help="tabs opened per second (20)")
    parser.add_argument("--settle", type=float, default=5, help="seconds between the last tab opening and sending (5)")
    parser.add_argument("--grace", type=float, default=5, help="seconds after the last send: unseen then, lost (5)")
    parser.add_argument("--connect-timeout", type=float, default=60, help="a tab not loaded by then stays out (60)")
    parser.add_argument("--json", type=Path, help="write every figure and message here (default artifacts/benchmarks/)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # the child process that writes the data
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(json.loads(args.prepare))
        return 0
    if not 1 <= args.consultants <= args.conversations:
        parser.error("--consultants must be between 1 and --conversations")
    if args.rate <= 0:
        parser.error("--rate must be positive")

    checkout = args.checkout.resolve()
    rl = click_cost.import_reflex_load(args.reflex_load or click_cost.default_reflex_load(checkout))
    page_load = click_cost.import_checkout(checkout)
    page_load.REDIS_BENCH_URL = args.redis_url  # own_server flushes and uses this database
    rl._raise_nofile(4 * args.conversations + 256)
    log_dir = checkout / "artifacts" / "benchmarks"
    log_dir.mkdir(parents=True, exist_ok=True)
    loadavg = " ".join(f"{value:.2f}" for value in os.getloadavg())
    started = time.monotonic()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "conversations.json"
        spec = {
            "consultants": args.consultants,
            "conversations": args.conversations,
            "history": args.history,
            "out": str(out),
        }

        def prepare_data(env: dict[str, str]) -> None:
            command = [sys.executable, str(Path(__file__).resolve()), "--prepare", json.dumps(spec)]
            subprocess.run(command, cwd=checkout, env=env, check=True)

        with page_load.own_server(log_dir, prepare_data) as base_url:
            print(f"server ready in {time.monotonic() - started:.0f} s at {base_url}", file=sys.stderr)
            cookies = click_cost.cookie_vars(checkout)
            cfg = rl.build_cfg(
                rl.parse_args(["--url", base_url, "--connect-timeout", str(args.connect_timeout), "--event", "none"])
            )
            bench = Bench(
                rl=rl,
                base_url=base_url,
                cfg=cfg,
                token_var=cookies["bc_session"],
                locale_var=cookies.get("bc_locale"),
                save_draft=click_cost.resolve_event(checkout, SAVE_DRAFT_EVENT),
                send=click_cost.resolve_event(checkout, SEND_EVENT),
            )
            pairs = [
                Pair(index, row["bilan"], {"b": row["beneficiary"], "c": row["consultant"]})
                for index, row in enumerate(json.loads(out.read_text()))
            ]
            pids = click_cost.watched_pids()
            monitor = rl.Monitor(pids)
            run = asyncio.run(drive(bench, pairs, args, monitor))
            context = {
                "checkout": str(checkout),
                "commit": click_cost.git_commit(checkout),
                "base_url": base_url,
                "loadavg": loadavg,
                "conversations": args.conversations,
                "consultants": args.consultants,
                "history": args.history,
                "rate": args.rate,
                "duration": args.duration,
                "grace": args.grace,
                "late_sends": bench.late_sends,
                "events": {"save_draft": bench.save_draft, "send": bench.send},
                "pids": pids,
            }
    messages = list(bench.messages.values())
    figures = summarise(rl, messages, run, args.duration)
    print("\n" + report(figures, run, context))
    t_start = run["window"][0]
    dump = {
        "context": context,
        "run": run,
        "figures": figures,
        "messages": [
            {
                key: (round(value - t_start, 4) if isinstance(value, float) else value)
                for key, value in asdict(message).items()
            }
            for message in messages
        ],
    }
    out_path = args.json or log_dir / "messaging.json"
    out_path.write_text(json.dumps(dump, indent=1, default=str))
    print(f"\nraw results: {out_path}  (server log: {log_dir / 'page_load-server.log'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
