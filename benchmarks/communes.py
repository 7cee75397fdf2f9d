"""The commune lookup: the index build time and the latency of the suggestions as she types.

    .venv/bin/python benchmarks/communes.py [--rounds N] [--json]

The official list (``@etalab/decoupage-administratif`` in tools/node_modules) is loaded and indexed
``--rounds`` times in this process (the first includes the imports' warm-up and is reported apart);
then every prefix of a set of realistic queries (names typed letter by letter, with and without
accents, abbreviations, postcodes) is looked up, as the combobox does on each keystroke, and the
latency percentiles are printed, in wall-clock time and in this process's CPU time (the figure that
holds on a machine shared with other work). It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.geo.communes import DATA_FILE, CommuneIndex  # noqa: E402

QUERIES = [
    "Lyon",
    "St Etienne",
    "Saint-Étienne",
    "l'hay les roses",
    "Sainte Marie",
    "Marseille",
    "Aix en Provence",
    "Boulogne Billancourt",
    "Châlons-en-Champagne",
    "saint denis",
    "ste genevieve des bois",
    "Brest",
    "Pointe-à-Pitre",
    "Ajaccio",
    "42000",
    "69003",
    "97400",
    "Xyzzyville",
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="index builds to time (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    builds: list[float] = []
    build_cpu: list[float] = []
    tracemalloc.start()
    index = CommuneIndex.load()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for _ in range(max(1, args.rounds)):
        started, cpu = time.perf_counter(), time.process_time()
        index = CommuneIndex.load()
        builds.append((time.perf_counter() - started) * 1000)
        build_cpu.append((time.process_time() - cpu) * 1000)

    latencies: list[float] = []
    cpu_latencies: list[float] = []
    hits = 0
    for query in QUERIES:
        for end in range(1, len(query) + 1):  # every keystroke
            started, cpu = time.perf_counter(), time.process_time()
            matches = index.search(query[:end])
            latencies.append((time.perf_counter() - started) * 1000)
            cpu_latencies.append((time.process_time() - cpu) * 1000)
            hits += len(matches)

    figures = {
        "data_file": str(DATA_FILE.relative_to(ROOT)),
        "data_file_mb": round(DATA_FILE.stat().st_size / 1e6, 1),
        "communes": len(index),
        "index_build_ms_median": round(statistics.median(builds), 1),
        "index_build_ms_max": round(max(builds), 1),
        "index_build_cpu_ms_median": round(statistics.median(build_cpu), 1),
        "index_build_peak_mb": round(peak / 1e6, 1),
        "lookups": len(latencies),
        "lookup_ms_p50": round(_percentile(latencies, 0.50), 3),
        "lookup_ms_p95": round(_percentile(latencies, 0.95), 3),
        "lookup_ms_max": round(max(latencies), 3),
        "lookup_cpu_ms_p95": round(_percentile(cpu_latencies, 0.95), 3),
        "lookup_cpu_ms_max": round(max(cpu_latencies), 3),
        "suggestions_returned": hits,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Communes: {figures['communes']} current ones, from {figures['data_file']} ({figures['data_file_mb']} MB)")
    print(
        f"Index build: median {figures['index_build_ms_median']} ms, max {figures['index_build_ms_max']} ms "
        f"over {len(builds)} builds; CPU median {figures['index_build_cpu_ms_median']} ms "
        f"(peak {figures['index_build_peak_mb']} MB while building)"
    )
    print(
        f"Lookups: {figures['lookups']} (every keystroke of {len(QUERIES)} queries): "
        f"p50 {figures['lookup_ms_p50']} ms, p95 {figures['lookup_ms_p95']} ms, max {figures['lookup_ms_max']} ms; "
        f"CPU p95 {figures['lookup_cpu_ms_p95']} ms, max {figures['lookup_cpu_ms_max']} ms"
    )


if __name__ == "__main__":
    main()
