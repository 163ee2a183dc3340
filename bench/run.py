"""Search speed over a mix of real searches against a trivial view, served by gunicorn from
PostgreSQL (`make bench`).

For each catalogue size it fills a dedicated PostgreSQL database with
`generate_programs`, starts gunicorn, and times sequential requests to:
  trivial  /healthz (one SELECT 1: the floor any Django view pays)
  page     /programs/?<query> for every search of MIX (HTML, facet counts)
  api      /api/programs/?<query> for the same searches (JSON, no facet counts)

MIX (below) is what a real audience sends: every order (distance, relevance, cost, hours,
verified, name), with and without a ZIP code and radius, words that match the generated
programs (and one that matches none), several filters at once, later pages and the empty
search. `--requests` is the number of timed requests per search and kind (page, api); the
trivial view is timed in a batch before every search's, so it has as many samples as the
whole mix's pages.

The targets, checked at the largest size (x trivial: over the trivial view's median there):
  page median over the mix               <= 8 x trivial
  every search's page median             <= 20 x trivial
  api median over the mix                <= 4 x trivial
  every search's api median              <= 15 x trivial
  page p95 over the mix, largest size    <= 1.5 x the same at the smallest size
Every response must be 200 (the API answers 400 to a parameter value it does not know).
Figures, the five slowest searches of each kind and the verdicts are printed and written
to bench/results/search-<stamp>.json; the exit status is 1 when a target is missed.

Each size has its own database (<database>_<size>) and its own gunicorn, and the timed
rounds interleave the sizes and the searches (in a different order each round), so a
slower moment of the machine cannot favour one size or one search. Without --keep the
databases are filled afresh; with --keep a database that already holds that many programs
is reused (re-runs skip the slow fill). The data are the same either way (the same seeds,
filled in the same steps).
"""

import argparse
import http.client
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# (name, query string): the searches timed, each as the page and as the API. Values are
# those of programs/parameters.py and programs/vocabulary.py; the words are ones the
# generated programs hold (programs/synthetic.py: names like "Cedar Recovery Intensive
# Outpatient", services like "Family therapy" and "Dialectical behavior therapy (DBT)";
# `q` searches name, provider, place and services, not languages or times of day).
MIX = [
    ("empty", ""),
    # Nearest first, around a ZIP code.
    (
        "nearest nyc iop medicaid evening",
        "level=iop&payment=medicaid&time_of_day=evening&near=10001&radius=50&sort=distance",
    ),
    ("nearest chicago", "near=60614&radius=10&sort=distance"),
    ("nearest atlanta php in person", "level=php&format=in_person&near=30303&radius=50"),
    ("nearest seattle aetna accepting", "insurer=aetna&accepting=1&near=98101"),
    ("nearest chicago page 5", "near=60614&radius=100&sort=distance&page=5"),
    (
        "nearest nyc many filters",
        "level=iop&level=php&payment=medicaid&payment=private_insurance&focus=substance_use"
        "&format=in_person&time_of_day=evening&time_of_day=morning&service=group_therapy"
        "&accepting=1&near=10001&radius=100&sort=distance",
    ),
    # Words, best match first.
    ("words dbt", "q=dbt&sort=relevance"),
    ("words family oakland", "q=family&near=94612&radius=25&sort=relevance"),
    ("words intensive outpatient evening", "q=intensive+outpatient&time_of_day=evening"),
    ("words recovery page 2", "q=recovery&sort=relevance&page=2"),
    ("words matching nothing", "q=evening+group&near=43215&radius=25"),
    # Cost, weekly hours, recently verified, name.
    (
        "cost private insurance under 300",
        "payment=private_insurance&max_cost_per_session=300&sort=cost",
    ),
    (
        "cost columbus iop under 300 or unknown",
        "level=iop&max_cost_per_session=300&include_unknown_cost=1&near=43215&radius=100&sort=cost",
    ),
    (
        "hours evening light week",
        "time_of_day=evening&max_hours_per_week=12&max_days_per_week=3&sort=hours",
    ),
    ("hours telehealth medicaid", "format=telehealth&payment=medicaid&sort=hours"),
    (
        "verified spanish telehealth accepting",
        "language=spanish&format=telehealth&accepting=1&sort=verified",
    ),
    (
        "verified substance use veterans",
        "focus=substance_use&population=veterans&service=buprenorphine&sort=verified",
    ),
    (
        "name adolescents family dbt",
        "population=adolescents&service=family_therapy&service=dbt&sort=name",
    ),
    ("name iop page 2", "level=iop&sort=name&page=2"),
    (
        "name accredited php",
        "level=php&accreditation=joint_commission&accreditation=carf&sort=name",
    ),
]
TRIVIAL = "/healthz"
# A page of 50 services of the HSDS API (hsds/), timed beside the trivial view like it.
HSDS_PAGE = "/api/hsds/services?per_page=50"
TARGETS = {
    "page_median_vs_trivial": 8.0,
    "worst_search_page_vs_trivial": 20.0,
    "api_median_vs_trivial": 4.0,
    "worst_search_api_vs_trivial": 15.0,
    "page_p95_growth": 1.5,
    "hsds_page_vs_trivial": 5.0,
}
KINDS = {"page": "/programs/", "api": "/api/programs/"}
BATCH = 5  # requests to one address in a row, within a round
WARM = 4  # untimed requests per address first (both workers read the catalogue)
SLOWEST = 5
SIZES = (1000, 100000)  # catalogue sizes timed, ascending

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def address(kind: str, query: str) -> str:
    return KINDS[kind] + (f"?{query}" if query else "")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def psql(sql: str, database: str = "postgres"):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def database_exists(name: str) -> bool:
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() == "1"


def count_programs(env) -> int:
    out = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from programs.models import Program; print(Program.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def environment(database: str) -> dict:
    """The production settings, on one of the benchmark's PostgreSQL databases."""
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # One client asks in a loop, far past the per-address limit meant for abuse
        # (iopfinder/ratelimits.py); the limit's own cost (a cache count) is still paid.
        "SEARCH_API_PER_ADDRESS_PER_MINUTE": "100000000",
    }


def prepare_database(size: int, *, database: str, keep: bool, sizes=SIZES) -> dict:
    """The environment of <database>_<size>, a database holding `size` generated programs,
    filled through the smaller `sizes` in steps, each with its own seed (so a size's data are
    the same whichever run filled it). With keep, a database that already holds that many
    programs is reused."""
    name = f"{database}_{size}"
    env = environment(name)
    if keep and database_exists(name):
        manage(env, "migrate", "--no-input", "-v", "0")
        reuse = count_programs(env) == size
    else:
        reuse = False
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
        manage(env, "migrate", "--no-input", "-v", "0")
        for step in [*(smaller for smaller in sizes if smaller < size), size]:
            missing = step - count_programs(env)
            if missing > 0:
                manage(env, "generate_programs", "--count", str(missing), "--seed", str(step))
    # Freshly loaded, as autovacuum would leave it: visibility map set, statistics current.
    psql("VACUUM ANALYZE", name)
    return env


def wait_for(port: int, deadline: float = 30.0):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def time_requests(port: int, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Connection": "keep-alive"})
        response = conn.getresponse()
        body = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
    conn.close()
    return latencies


def summarize(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "requests": len(ordered),
    }


def start_server(env, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            os.path.join(os.path.dirname(PYTHON), "gunicorn"),
            "iopfinder.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def result_count(port: int, query: str) -> int:
    """How many programs the API finds for one search (the report shows it beside the times)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", address("api", query))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{address('api', query)} answered {response.status}: {body[:300]!r}")
    return json.loads(body)["count"]


def measure(servers: dict[int, int], requests: int) -> tuple[dict, dict]:
    """servers: catalogue size -> port of a running gunicorn. Returns the samples (size ->
    "trivial" -> ms, and size -> kind -> search -> ms) and the result counts (size -> search
    -> programs found). Rounds interleave every size, search and kind, the searches in a
    different order each round, so the machine's slower and faster moments fall on all of
    them alike."""
    counts = {}
    for size, port in servers.items():
        wait_for(port)
        time_requests(port, TRIVIAL, WARM)
        time_requests(port, HSDS_PAGE, WARM)
        for _name, query in MIX:  # warm caches, connections, each worker's catalogue copy
            for kind in KINDS:
                time_requests(port, address(kind, query), WARM)
        counts[size] = {name: result_count(port, query) for name, query in MIX}
    samples = {
        size: {
            "trivial": [],
            "hsds": [],
            **{kind: {name: [] for name, _q in MIX} for kind in KINDS},
        }
        for size in servers
    }
    shuffle = random.Random(0)
    for round_number in range(math.ceil(requests / BATCH)):
        batch = min(BATCH, requests - round_number * BATCH)
        order = list(MIX)
        shuffle.shuffle(order)
        for name, query in order:
            for size, port in servers.items():
                samples[size]["trivial"].extend(time_requests(port, TRIVIAL, batch))
                samples[size]["hsds"].extend(time_requests(port, HSDS_PAGE, batch))
                for kind in KINDS:
                    samples[size][kind][name].extend(
                        time_requests(port, address(kind, query), batch)
                    )
    return samples, counts


def figures_of(samples: dict, counts: dict) -> dict:
    """One size's figures: the trivial view, each kind over the whole mix, and each search."""
    trivial = summarize(samples["trivial"])
    floor = trivial["median_ms"]
    run = {"trivial": trivial, "hsds": summarize(samples["hsds"])}
    run["hsds"]["vs_trivial"] = round(run["hsds"]["median_ms"] / floor, 2)
    for kind in KINDS:
        run[kind] = summarize([ms for values in samples[kind].values() for ms in values])
        run[kind]["vs_trivial"] = round(run[kind]["median_ms"] / floor, 2)
    run["searches"] = {}
    for name, _query in MIX:
        search = {"results": counts[name]}
        for kind in KINDS:
            search[kind] = summarize(samples[kind][name])
            search[kind]["vs_trivial"] = round(search[kind]["median_ms"] / floor, 2)
        run["searches"][name] = search
    return run


def slowest(run: dict, kind: str) -> list[dict]:
    ranked = sorted(run["searches"].items(), key=lambda item: -item[1][kind]["median_ms"])
    return [
        {"search": name, "median_ms": f[kind]["median_ms"], "vs_trivial": f[kind]["vs_trivial"]}
        for name, f in ranked[:SLOWEST]
    ]


def print_run(run: dict):
    width = max(len(name) for name, _q in MIX)
    trivial = run["trivial"]
    print(f"\n{run['programs']:>7} programs   median ms   p95 ms   x trivial")
    print(f"  {'trivial':<10} {trivial['median_ms']:>9}   {trivial['p95_ms']:>6}")
    hsds = run["hsds"]
    print(
        f"  {'hsds page':<10} {hsds['median_ms']:>9}   {hsds['p95_ms']:>6}   "
        f"{hsds['vs_trivial']:>9}"
    )
    for kind in KINDS:
        mix = run[kind]
        print(
            f"  {kind + ' (mix)':<10} {mix['median_ms']:>9}   {mix['p95_ms']:>6}   "
            f"{mix['vs_trivial']:>9}"
        )
    print(f"  {'search':<{width}}  results   page ms  x triv    api ms  x triv")
    for name, search in run["searches"].items():
        page, api = search["page"], search["api"]
        print(
            f"  {name:<{width}}  {search['results']:>7}  {page['median_ms']:>8}  "
            f"{page['vs_trivial']:>6}  {api['median_ms']:>8}  {api['vs_trivial']:>6}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="catalogue sizes, ascending"
    )
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per search and kind (page, api)"
    )
    parser.add_argument("--database", default="iopfinder_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="one kept database per size, reused when it already holds that many programs",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    environments = {
        size: prepare_database(size, database=args.database, keep=args.keep, sizes=sizes)
        for size in sizes
    }

    servers = {
        size: start_server(env, args.port + place)
        for place, (size, env) in enumerate(environments.items())
    }
    started = time.monotonic()
    try:
        samples, counts = measure(
            {size: args.port + place for place, size in enumerate(environments)}, args.requests
        )
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=30)
    seconds = round(time.monotonic() - started, 1)
    runs = [{"programs": size, **figures_of(samples[size], counts[size])} for size in sizes]
    for run in runs:
        print_run(run)

    last, first = runs[-1], runs[0]
    ratios = {
        "page_median_vs_trivial": last["page"]["vs_trivial"],
        "worst_search_page_vs_trivial": max(
            search["page"]["vs_trivial"] for search in last["searches"].values()
        ),
        "api_median_vs_trivial": last["api"]["vs_trivial"],
        "worst_search_api_vs_trivial": max(
            search["api"]["vs_trivial"] for search in last["searches"].values()
        ),
        "page_p95_growth": round(last["page"]["p95_ms"] / first["page"]["p95_ms"], 2),
        "hsds_page_vs_trivial": last["hsds"]["vs_trivial"],
    }
    verdicts = {name: ratios[name] <= TARGETS[name] for name in TARGETS}
    slowest_searches = {kind: slowest(last, kind) for kind in KINDS}
    print(f"\nSlowest searches at {last['programs']} programs (median ms, x trivial):")
    for kind in KINDS:
        print(f"  {kind}")
        for entry in slowest_searches[kind]:
            print(f"    {entry['search']:<40} {entry['median_ms']:>8}  {entry['vs_trivial']:>6}")
    print(f"\nAt {last['programs']} programs (warm-up and timed rounds took {seconds} s):")
    for name, ratio in ratios.items():
        print(
            f"  {name:<30} {ratio:>6}  (target <= {TARGETS[name]})  "
            f"{'ok' if verdicts[name] else 'MISSED'}"
        )

    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "mix": [{"name": name, "query": query} for name, query in MIX],
        "requests_per_search_and_kind": args.requests,
        "measuring_seconds": seconds,
        "runs": runs,
        "slowest": slowest_searches,
        "ratios": ratios,
        "targets": TARGETS,
        "met": verdicts,
    }
    (results_dir / f"search-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to bench/results/search-{stamp}.json")
    sys.exit(0 if all(verdicts.values()) else 1)


if __name__ == "__main__":
    main()
