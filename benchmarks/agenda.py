"""Free-slot computation for a busy consultant (issue 14 §1, §5): target p95 ≤ 50 ms on PostgreSQL.

    .venv/bin/python benchmarks/agenda.py [--bilans 40] [--runs 200] [--json]

A fresh PostgreSQL database is migrated and seeded with one organisation, a consultant with ``--bilans``
bilans and a year of sessions (six months back, six months ahead: three sessions a working day, spread
over the bilans, some cancelled), a weekly availability (mornings and afternoons, Friday remote) and a
fortnight away. Timed, each ``--runs`` times:

* ``bookable_slots``: what a beneficiary sees when she books (8 weeks of slots, the notice, the 24 h
  ceiling of her bilan, the consultant's sessions across all bilans);
* ``consultant_free_slots``: the consultant's free slots over the coming quarter.
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
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def seed(bilan_count: int) -> dict[str, str]:
    """The organisation, the consultant, their bilans and a year of sessions; returns the actors' ids."""
    from services.db import session_scope
    from services.i18n import TIMEZONE
    from services.models import (
        Availability,
        AvailabilityException,
        Bilan,
        BilanSession,
        BilanStatus,
        DeliveryMode,
        Membership,
        Organisation,
        Phase,
        Role,
        SessionStatus,
        User,
    )
    from services.models.base import utcnow

    now = utcnow()
    today = now.astimezone(TIMEZONE).date()
    with session_scope() as session:
        organisation = Organisation(name="Banc Agenda", slug=f"banc-{uuid.uuid4().hex[:8]}", siret="73282932000074")
        consultant = User(email=f"consultant-{uuid.uuid4().hex[:6]}@exemple.fr", first_name="C", last_name="Banc")
        consultant.password_hash = "!"
        session.add_all([organisation, consultant])
        session.flush()
        session.add(Membership(user_id=consultant.id, organisation_id=organisation.id, role=Role.CONSULTANT))
        bilans: list[Bilan] = []
        beneficiaries: list[User] = []
        for index in range(bilan_count):
            person = User(
                email=f"banc-{index}-{uuid.uuid4().hex[:6]}@exemple.fr", first_name=f"B{index}", last_name="Banc"
            )
            person.password_hash = "!"
            session.add(person)
            session.flush()
            session.add(Membership(user_id=person.id, organisation_id=organisation.id, role=Role.BENEFICIARY))
            bilan = Bilan(
                organisation_id=organisation.id,
                beneficiary_id=person.id,
                consultant_id=consultant.id,
                status=BilanStatus.INVESTIGATION,
                consultant_accepted_at=now - timedelta(days=200),
            )
            session.add(bilan)
            bilans.append(bilan)
            beneficiaries.append(person)
        session.flush()
        count = 0
        for offset in range(-182, 183):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour, minute in ((9, 0), (11, 0), (14, 30)):
                starts_at = datetime.combine(day, clock(hour, minute), tzinfo=TIMEZONE)
                status = SessionStatus.HELD if offset < 0 else SessionStatus.PLANNED
                if count % 17 == 0:
                    status = SessionStatus.CANCELLED
                session.add(
                    BilanSession(
                        organisation_id=organisation.id,
                        # bilan 0 (the one timed) keeps room under the 24 h ceiling.
                        bilan_id=bilans[1 + count % (bilan_count - 1)].id,
                        phase=Phase.INVESTIGATION,
                        starts_at=starts_at,
                        duration_minutes=60,
                        location="Bureau 3",
                        status=status,
                    )
                )
                count += 1
        for weekday in range(5):
            mode = DeliveryMode.DISTANCIEL if weekday == 4 else DeliveryMode.PRESENTIEL
            place = {"video_link": "https://visio.exemple.fr/banc"} if weekday == 4 else {"location": "Bureau 3"}
            for starts, ends in ((clock(9), clock(12)), (clock(13, 30), clock(17, 30))):
                session.add(
                    Availability(
                        organisation_id=organisation.id,
                        consultant_id=consultant.id,
                        weekday=weekday,
                        starts=starts,
                        ends=ends,
                        slot_minutes=60,
                        mode=mode,
                        **place,
                    )
                )
        session.add(
            AvailabilityException(
                organisation_id=organisation.id,
                consultant_id=consultant.id,
                first_day=today + timedelta(days=20),
                last_day=today + timedelta(days=34),
                label="Congés",
            )
        )
        return {
            "organisation": str(organisation.id),
            "consultant": str(consultant.id),
            "beneficiary": str(beneficiaries[0].id),
            "bilan": str(bilans[0].id),
            "sessions": str(count),
        }


def _figures(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure(bilan_count: int, runs: int) -> dict[str, object]:
    from services import agenda
    from services.access import Actor
    from services.i18n import TIMEZONE
    from services.migrations import upgrade_to_head
    from services.models import Role
    from services.models.base import utcnow

    upgrade_to_head()
    ids = seed(bilan_count)
    organisation = uuid.UUID(ids["organisation"])
    beneficiary = Actor(user_id=uuid.UUID(ids["beneficiary"]), role=Role.BENEFICIARY, organisation_id=organisation)
    consultant = Actor(user_id=uuid.UUID(ids["consultant"]), role=Role.CONSULTANT, organisation_id=organisation)
    today = utcnow().astimezone(TIMEZONE).date()
    results: dict[str, object] = {"bilans": bilan_count, "sessions": int(ids["sessions"]), "runs": runs}
    calls = {
        "bookable_slots": lambda: agenda.bookable_slots(beneficiary, ids["bilan"]),
        "consultant_free_slots": lambda: agenda.consultant_free_slots(
            consultant, consultant.user_id, today, today + timedelta(days=91)
        ),
    }
    for name, call in calls.items():
        slots = len(call())  # warm up (connections, the holiday tables)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {"slots": slots, **_figures(timings)}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bilans", type=int, default=40)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.bilans, args.runs)))
        return 0

    import psycopg

    name = f"bilan_agenda_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "APP_ENV"}}
        env.update(DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", STORAGE_DIR=tempfile.mkdtemp())
        command = [sys.executable, __file__, "--child", "--bilans", str(args.bilans), "--runs", str(args.runs)]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        results = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"Free slots, PostgreSQL: {results['bilans']} bilans, {results['sessions']} sessions, {args.runs} runs")
        for key in ("bookable_slots", "consultant_free_slots"):
            figures = results[key]
            print(f"  {key:<22} " + ", ".join(f"{k} {v}" for k, v in figures.items()) + "  (target p95 ≤ 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
