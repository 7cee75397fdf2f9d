"""The consultant dashboard with 200 bilans: load time and SQL statements per load (no N+1).

    .venv/bin/python benchmarks/dashboard.py [--bilans 200] [--runs 20] [--browser] [--json]

Service level (default): a temporary SQLite database and a fresh PostgreSQL database are each
seeded with the demo organisation plus N bilans assigned to the demo consultant (3 sessions and a
task each); `bilans.list_bilans()` is timed and its SQL statements are counted.
With --browser it also starts the production build on PostgreSQL (as benchmarks/page_load.py does)
and measures, in Chromium, the time from navigation to the dashboard table showing every row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CONSULTANT_EMAIL = "claire.martin@demo.bilancompetence.ai"


def seed_bilans(count: int, consultant_email: str = CONSULTANT_EMAIL) -> None:
    """Add ``count`` beneficiaries with a bilan each, assigned to the consultant ``consultant_email`` (the demo's)."""
    from sqlmodel import select

    from services.crypto import encrypt_text
    from services.db import session_scope
    from services.models import (
        Bilan,
        BilanSession,
        BilanStatus,
        BilanTask,
        Membership,
        Organisation,
        Phase,
        Role,
        SessionStatus,
        User,
    )
    from services.models.base import utcnow
    from services.passwords import hash_password

    statuses = [BilanStatus.PRELIMINAIRE, BilanStatus.INVESTIGATION, BilanStatus.CONCLUSION, BilanStatus.DEMANDE]
    now = utcnow()
    password_hash = hash_password(uuid.uuid4().hex)
    with session_scope() as session:
        organisation = session.exec(select(Organisation).where(Organisation.slug == "organisme-demo")).one()
        organisation.plan = "enterprise"
        consultant = session.exec(select(User).where(User.email == consultant_email)).one()
        for index in range(count):
            user = User(
                email=f"bench-{index}-{uuid.uuid4().hex[:6]}@exemple.fr",
                first_name=f"Bénéficiaire{index}",
                last_name="Banc",
                password_hash=password_hash,
            )
            session.add(user)
            session.flush()
            session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=Role.BENEFICIARY))
            bilan = Bilan(
                organisation_id=organisation.id,
                beneficiary_id=user.id,
                consultant_id=consultant.id,
                status=statuses[index % len(statuses)],
                objectives_encrypted=encrypt_text("Construire un projet de reconversion"),
                consultant_accepted_at=now - timedelta(days=30),
            )
            session.add(bilan)
            session.flush()
            for offset in (-20, -5, 6):
                session.add(
                    BilanSession(
                        organisation_id=organisation.id,
                        bilan_id=bilan.id,
                        phase=Phase.PRELIMINAIRE,
                        starts_at=now + timedelta(days=offset),
                        duration_minutes=120,
                        location="Lyon",
                        status=SessionStatus.HELD if offset < 0 else SessionStatus.PLANNED,
                    )
                )
            session.add(
                BilanTask(
                    organisation_id=organisation.id,
                    bilan_id=bilan.id,
                    title_encrypted=encrypt_text("Lire la fiche métier"),
                    due_on=(now - timedelta(days=index % 3)).date(),
                )
            )


def measure_service(runs: int) -> dict[str, float]:
    from sqlalchemy import event

    from services import auth, bilans
    from services.auth import ClientInfo
    from services.db import get_engine
    from services.demo import DEMO_PASSWORD

    login = auth.login({"email": CONSULTANT_EMAIL, "password": DEMO_PASSWORD}, ClientInfo(ip="127.0.0.1"))
    info = auth.resolve_session(login.token)
    assert info is not None
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("x")

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    timings = []
    rows = 0
    counts = []
    try:
        for _ in range(runs):
            statements.clear()
            start = time.perf_counter()
            rows = len(bilans.list_bilans(info.actor))
            timings.append((time.perf_counter() - start) * 1000)
            counts.append(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {
        "rows": rows,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(sorted(timings)[max(0, int(len(timings) * 0.95) - 1)], 1),
        "sql_statements_per_load": max(counts),
    }


def _run_isolated(database_url: str, bilans_count: int, runs: int) -> dict[str, float]:
    """Seed and measure in a child process, so that settings and engines start clean."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "APP_ENV"}}
    env.update(DATABASE_URL=database_url, APP_ENV="demo", STORAGE_DIR=tempfile.mkdtemp())
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks'); import dashboard as d; "
        "from services.migrations import upgrade_to_head; from services.demo import seed_demo; "
        f"upgrade_to_head(); seed_demo(); d.seed_bilans({bilans_count}); print(json.dumps(d.measure_service({runs})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_browser(bilans_count: int, runs: int) -> dict[str, float]:
    from page_load import CHROMIUM, CHROMIUM_ARGS, own_server
    from playwright.sync_api import sync_playwright

    from services.demo import DEMO_PASSWORD

    def prepare(env: dict[str, str]) -> None:
        code = f"import sys; sys.path.insert(0, 'benchmarks'); import dashboard as d; d.seed_bilans({bilans_count})"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)

    log_dir = ROOT / "artifacts" / "benchmarks"
    log_dir.mkdir(parents=True, exist_ok=True)
    timings = []
    with own_server(log_dir, prepare) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base_url}/connexion/")
        page.wait_for_function("() => !!document.getElementById('field-email')")
        page.wait_for_timeout(1000)
        page.fill("#field-email", CONSULTANT_EMAIL)
        page.fill("#field-password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/consultant**")
        for _ in range(runs):
            start = time.perf_counter()
            page.goto(f"{base_url}/consultant/")
            page.wait_for_function(
                f"() => document.querySelectorAll('main table tbody tr').length >= {bilans_count}", timeout=60000
            )
            timings.append((time.perf_counter() - start) * 1000)
        browser.close()
    return {"median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bilans", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--browser", action="store_true", help="also time the page in Chromium (prod build)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = _run_isolated(f"sqlite:///{tmp}/bench.db", args.bilans, args.runs)
    import psycopg

    name = f"bilan_dash_{os.getpid()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        results["postgresql"] = _run_isolated(
            f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", args.bilans, args.runs
        )
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.browser:
        results["browser"] = measure_browser(args.bilans, 5)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"Consultant dashboard with {args.bilans} bilans ({args.runs} loads)")
        for backend, figures in results.items():
            print(f"  {backend:<11} " + ", ".join(f"{key} {value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
