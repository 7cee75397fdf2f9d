"""The ROME référentiel: full import time, and the latency of 200 searches, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/rome.py [PATH] [--backend sqlite|postgresql|both] [--json]

PATH is the official export (folder or zip), by default ../shared/data/rome-v460. For each backend a
fresh database is created (a temporary SQLite file; a scratch PostgreSQL database ``bilan_rome_bench_*``
dropped afterwards), migrated, and the export imported twice (first install, then the same version
again: the replacement path, delete + reload in one transaction). Then ``search_metiers`` is timed over
200 searches: a fixed list of realistic queries (whole words, prefixes as typed, misspellings, with or
without accents), cycled. The first search builds the in-memory index; it is reported apart
(``index_build_ms``) and not counted in the percentiles. ``search_skills`` (the skills wizard's search
over the ~30,000 savoir-faire, savoir-être and savoirs) is timed the same way.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_EXPORT = ROOT / ".." / "shared" / "data" / "rome-v460"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")

QUERIES = [
    "boulanger",
    "boulangere",
    "bolangère",
    "informaticein",
    "infirmier",
    "infirm",
    "aide soignant",
    "aide-soignante",
    "développeur web",
    "develop",
    "comptable",
    "comptab",
    "secrétaire médicale",
    "secretaire",
    "plombier",
    "plonbier",
    "électricien",
    "electrisien",
    "chauffeur poids lourd",
    "conducteur bus",
    "mecanicien auto",
    "mécanicienne",
    "vendeuse",
    "serveur",
    "cuisinier",
    "cuisiniere",
    "coifeuse",
    "professeur des ecoles",
    "jardiner paysagiste",
    "maçon",
    "menusier",
    "agent entretien",
    "assistante maternelle",
    "juriste",
    "pharmatien",
    "ingénieur logiciel",
    "responsable ressources humaines",
    "cariste",
    "patissiere",
    "graphiste",
]


SKILL_QUERIES = [
    "accueillir",
    "accueil clientele",
    "travail en equipe",
    "travailler en équipe",
    "gestion de stock",
    "gestion des stocks",
    "comptabilite",
    "comptabilté",
    "soins d'hygiène",
    "planning",
    "encaisser",
    "pétrir la pâte",
    "relation client",
    "animation de réunion",
    "bureautique",
    "logiciel de paie",
    "sécurité incendie",
    "conduite de projet",
    "langage python",
    "negociation comerciale",
]


def _timed(search: Callable[[str], list[Any]], queries: list[str], count: int) -> tuple[float, list[float], int]:
    """(first search incl. index build in ms, the timings of ``count`` searches in ms, searches with hits)."""
    start = time.perf_counter()
    search("premier appel")
    build_ms = (time.perf_counter() - start) * 1000
    timings, hits = [], 0
    for index in range(count):
        start = time.perf_counter()
        hits += bool(search(queries[index % len(queries)]))
        timings.append((time.perf_counter() - start) * 1000)
    return build_ms, timings, hits


def measure(export: str, searches: int) -> dict[str, float]:
    """Migrate, import twice and time the searches in the current DATABASE_URL (run in a child process)."""
    from services.migrations import upgrade_to_head
    from services.rome.importer import import_rome
    from services.rome.search import search_metiers, search_skills

    upgrade_to_head()
    first = import_rome(export)
    again = import_rome(export)
    index_build_ms, timings, hits = _timed(search_metiers, QUERIES, searches)
    quantiles = statistics.quantiles(timings, n=100)
    skill_build_ms, skill_timings, skill_hits = _timed(search_skills, SKILL_QUERIES, searches)
    skill_quantiles = statistics.quantiles(skill_timings, n=100)
    return {
        "metiers": first.metiers,
        "appellations": first.appellations,
        "liens": first.liens,
        "import_s": first.duration_s,
        "import_read_s": first.read_s,
        "import_write_s": first.write_s,
        "reimport_s": again.duration_s,
        "index_build_ms": round(index_build_ms, 1),
        "searches": searches,
        "searches_with_hits": hits,
        "search_p50_ms": round(statistics.median(timings), 2),
        "search_p95_ms": round(quantiles[94], 2),
        "search_max_ms": round(max(timings), 2),
        "skill_index_build_ms": round(skill_build_ms, 1),
        "skill_searches_with_hits": skill_hits,
        "skill_search_p50_ms": round(statistics.median(skill_timings), 2),
        "skill_search_p95_ms": round(skill_quantiles[94], 2),
    }


def _run_isolated(database_url: str, export: str, searches: int) -> dict[str, float]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, APP_ENV="dev")
    code = (
        "import json, sys; sys.path.insert(0, 'benchmarks'); import rome as r; "
        f"print(json.dumps(r.measure({export!r}, {searches})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_sqlite(export: str, searches: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        return _run_isolated(f"sqlite:///{Path(folder) / 'rome.db'}", export, searches)


def bench_postgresql(export: str, searches: int) -> dict[str, float]:
    from sqlalchemy import create_engine, text

    name = f"bilan_rome_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return _run_isolated(f"{PG_SERVER}/{name}", export, searches)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_EXPORT), help="the export (folder or zip)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    export = str(Path(args.path).resolve())
    results: dict[str, dict[str, float]] = {}
    if args.backend in ("sqlite", "both"):
        results["sqlite"] = bench_sqlite(export, args.searches)
    if args.backend in ("postgresql", "both"):
        results["postgresql"] = bench_postgresql(export, args.searches)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for backend, figures in results.items():
        print(
            f"{backend:<11} import {figures['import_s']:.1f} s (read {figures['import_read_s']:.1f} s, "
            f"write {figures['import_write_s']:.1f} s), re-import {figures['reimport_s']:.1f} s, "
            f"index {figures['index_build_ms']:.0f} ms; {figures['searches']} searches: "
            f"p50 {figures['search_p50_ms']:.2f} ms, p95 {figures['search_p95_ms']:.2f} ms, "
            f"max {figures['search_max_ms']:.2f} ms ({figures['searches_with_hits']} with hits); "
            f"skills: index {figures['skill_index_build_ms']:.0f} ms, p50 {figures['skill_search_p50_ms']:.2f} ms, "
            f"p95 {figures['skill_search_p95_ms']:.2f} ms ({figures['skill_searches_with_hits']} with hits)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
