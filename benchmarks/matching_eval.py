"""Offline evaluation of the matching engine against the official ROME mobility links.

    .venv/bin/python benchmarks/matching_eval.py [--rome PATH] [--sample 300] [--seed 20240501] [--json]

PATH is the official export (folder or zip), by default ../shared/data/rome-v460. It is imported into a
fresh temporary SQLite database in a child process (as benchmarks/rome.py does), so the developer's
database is never touched. Then ``services.matching.evaluation.evaluate`` samples the métiers with a
fixed seed, builds each one's profile from its core skills (avancé, aime), ranks every other métier,
and scores the ranking against the métier's official mobility targets (``unix_rubrique_mobilite``):
recall@10 (targets found in the top 10 / targets), MRR (first target), plus hit@10 and the recall
capped at 10 targets. The same figures are computed for a plain Jaccard-overlap baseline, and for the
engine without its origin-proximity component ("skills only").

The ranking never reads the mobility links: they only build the transition paths shown to the user.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_EXPORT = ROOT / ".." / "shared" / "data" / "rome-v460"


def measure(export: str, sample: int, seed: int) -> dict[str, Any]:
    """Migrate, import, evaluate, in the current DATABASE_URL (run in a child process)."""
    import time

    from services.matching import Weights
    from services.matching.evaluation import evaluate
    from services.matching.index import get_index
    from services.migrations import upgrade_to_head
    from services.rome.importer import import_rome

    upgrade_to_head()
    import_rome(export)
    start = time.perf_counter()
    get_index()
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    figures = evaluate(sample, seed)
    skills_only = evaluate(sample, seed, weights=Weights(proximite=0.0))["engine"]
    return {
        "sample": sample,
        "seed": seed,
        "index_build_s": round(build_s, 2),
        "evaluation_s": round(time.perf_counter() - start, 1),
        "engine": figures["engine"].to_dict(),
        "engine_skills_only": skills_only.to_dict(),
        "jaccard": figures["jaccard"].to_dict(),
    }


def run_isolated(module: str, function: str, **kwargs: Any) -> dict[str, Any]:
    """``module.function(**kwargs)`` in a child process on a fresh temporary SQLite database."""
    with tempfile.TemporaryDirectory() as folder:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(DATABASE_URL=f"sqlite:///{Path(folder) / 'rome.db'}", APP_ENV="dev")
        code = (
            f"import json, sys; sys.path.insert(0, 'benchmarks'); import {module} as m; "
            f"print(json.dumps(m.{function}(**{kwargs!r})))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:<22} recall@10 {figures['recall_at_10']:.3f}   MRR {figures['mrr']:.3f}   "
        f"hit@10 {figures['hit_at_10']:.3f}   recall@10 (capped) {figures['recall_at_10_capped']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rome", default=str(DEFAULT_EXPORT), help="the export (folder or zip)")
    parser.add_argument("--sample", type=int, default=300, help="how many métiers to sample")
    parser.add_argument("--seed", type=int, default=20240501, help="the sampling seed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    export = str(Path(args.rome).resolve())
    results = run_isolated("matching_eval", "measure", export=export, sample=args.sample, seed=args.seed)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"Matching evaluation: {results['sample']} métiers (seed {results['seed']}), official mobility targets; "
            f"index built in {results['index_build_s']} s, evaluated in {results['evaluation_s']} s"
        )
        print(_line("engine", results["engine"]))
        print(_line("engine, skills only", results["engine_skills_only"]))
        print(_line("Jaccard baseline", results["jaccard"]))
    engine, baseline = results["engine"], results["jaccard"]
    beats = engine["recall_at_10"] > baseline["recall_at_10"] and engine["mrr"] > baseline["mrr"]
    return 0 if beats else 1


if __name__ == "__main__":
    raise SystemExit(main())
