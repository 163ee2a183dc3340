"""Guides' matching against the plain search, in one process, on the benchmark database.

Run after bench/run.py has filled `iopfinder_bench_100000` (`make bench` runs both). Times the
search selector (count and first page, the JSON API's work) and the guides' ranked matching
(hard requirements, scores and reasons for the 20 shown rows) for the same needs:
IOP, Medicaid, evenings, near ZIP 10001 within 50 miles, telehealth allowed.
Target from the guides issue: matching median <= 2 x plain search median.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 2.0


def timed(function, rounds: int) -> list[float]:
    for _ in range(5):  # warm the database cache and connections
        function()
    latencies = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def summarize(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "runs": len(ordered),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="iopfinder_bench_100000")
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iopfinder.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.http import QueryDict
    from django.utils import timezone

    from guides.matching import Needs, best_matches
    from programs.models import Program
    from programs.selectors import program_search

    programs = Program.objects.count()
    query = "level=iop&payment=medicaid&time_of_day=evening&near=10001&radius=50"
    needs = Needs(
        zip_code="10001",
        radius_miles=50,
        level="iop",
        payments=("medicaid",),
        times_of_day=("evening",),
        telehealth_ok=True,
    )
    today = timezone.localdate()

    def search():
        result = program_search(params=QueryDict(query))
        return list(result.paginate(1))

    def matching():
        return best_matches(needs, today=today)

    assert matching(), "matching found nothing: is the benchmark database filled?"
    figures = {
        "search": summarize(timed(search, args.rounds)),
        "matching": summarize(timed(matching, args.rounds)),
    }
    ratio = round(figures["matching"]["median_ms"] / figures["search"]["median_ms"], 2)
    met = ratio <= TARGET

    print(f"\n{programs} programs   median ms   p95 ms   (in one process)")
    for name, figure in figures.items():
        print(f"  {name:<16} {figure['median_ms']:>9}   {figure['p95_ms']:>6}")
    print(f"  matching_vs_search {ratio:>6}  (target <= {TARGET})  {'ok' if met else 'MISSED'}")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    report = {
        "when": stamp,
        "programs": programs,
        "query": query,
        **figures,
        "ratio": ratio,
        "target": TARGET,
        "met": met,
    }
    (results / f"matching-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to bench/results/matching-{stamp}.json")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
