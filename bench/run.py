"""Search speed against a trivial view, served by gunicorn from PostgreSQL (`make bench`).

For each catalogue size it fills a dedicated PostgreSQL database with
`generate_programs`, starts gunicorn, and times sequential requests to:
  trivial  /healthz (one SELECT 1: the floor any Django view pays)
  search   /programs/ with three filters and distance sorting (HTML, facet counts)
  api      /api/programs/ with the same query
and checks the targets from the search issue:
  search median <= 10 x trivial median, api median <= 5 x trivial median,
  search p95 at the largest size <= 1.5 x search p95 at the smallest.
Figures are printed and written to bench/results/.

Each size has its own database (<database>_<size>) and its own gunicorn, and the timed
rounds interleave the sizes, so a slower moment of the machine cannot favour one size.
Without --keep the databases are filled afresh; with --keep a database that already holds
that many programs is reused (re-runs skip the slow fill). The data are the same either
way (the same seeds, filled in the same steps).
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
QUERY = "level=iop&payment=medicaid&time_of_day=evening&near=10001&radius=50&sort=distance"
ENDPOINTS = {
    "trivial": "/healthz",
    "search": f"/programs/?{QUERY}",
    "api": f"/api/programs/?{QUERY}",
}
TARGETS = {"search_vs_trivial": 10.0, "api_vs_trivial": 5.0, "search_p95_growth": 1.5}


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


def measure(servers: dict[int, int], requests: int) -> dict[int, dict]:
    """servers: catalogue size -> port of a running gunicorn. Rounds interleave every size
    and endpoint, so the machine's slower and faster moments fall on all of them alike."""
    for port in servers.values():
        wait_for(port)
        for path in ENDPOINTS.values():  # warm caches, connections, prepared statements
            time_requests(port, path, 20)
    samples = {size: {name: [] for name in ENDPOINTS} for size in servers}
    for _ in range(requests // 10):
        for size, port in servers.items():
            for name, path in ENDPOINTS.items():
                samples[size][name].extend(time_requests(port, path, 10))
    return {
        size: {name: summarize(values) for name, values in figures.items()}
        for size, figures in samples.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="catalogue sizes, ascending")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--database", default="iopfinder_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="one kept database per size, reused when it already holds that many programs",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    def environment(database):
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }

    def fill(env, steps):
        """Grow the catalogue through the sizes in steps, each with its own seed."""
        for step in steps:
            missing = step - count_programs(env)
            if missing > 0:
                manage(env, "generate_programs", "--count", str(missing), "--seed", str(step))

    # One database per size, each filled through the sizes up to it with the same seeds.
    environments = {}
    for size in sizes:
        database = f"{args.database}_{size}"
        env = environment(database)
        if args.keep and database_exists(database):
            manage(env, "migrate", "--no-input", "-v", "0")
            reuse = count_programs(env) == size
        else:
            reuse = False
        if not reuse:
            psql(f"DROP DATABASE IF EXISTS {database}")
            psql(f"CREATE DATABASE {database}")
            manage(env, "migrate", "--no-input", "-v", "0")
            fill(env, [step for step in sizes if step <= size])
        # Freshly loaded, as autovacuum would leave it: visibility map set, statistics current.
        psql("VACUUM ANALYZE", database)
        environments[size] = env

    servers = {
        size: start_server(env, args.port + place)
        for place, (size, env) in enumerate(environments.items())
    }
    try:
        figures = measure(
            {size: args.port + place for place, size in enumerate(environments)}, args.requests
        )
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=30)
    runs = []
    for size in sizes:
        runs.append({"programs": size, **figures[size]})
        print(f"\n{size:>7} programs   median ms   p95 ms")
        for name in ENDPOINTS:
            print(
                f"  {name:<16} {figures[size][name]['median_ms']:>9}   "
                f"{figures[size][name]['p95_ms']:>6}"
            )

    last, first = runs[-1], runs[0]
    ratios = {
        "search_vs_trivial": round(last["search"]["median_ms"] / last["trivial"]["median_ms"], 2),
        "api_vs_trivial": round(last["api"]["median_ms"] / last["trivial"]["median_ms"], 2),
        "search_p95_growth": round(last["search"]["p95_ms"] / first["search"]["p95_ms"], 2),
    }
    verdicts = {name: ratios[name] <= TARGETS[name] for name in TARGETS}
    print(f"\nAt {last['programs']} programs:")
    for name, ratio in ratios.items():
        print(
            f"  {name:<18} {ratio:>6}  (target <= {TARGETS[name]})  "
            f"{'ok' if verdicts[name] else 'MISSED'}"
        )

    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "query": QUERY,
        "runs": runs,
        "ratios": ratios,
        "targets": TARGETS,
        "met": verdicts,
    }
    (results_dir / f"search-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to bench/results/search-{stamp}.json")
    sys.exit(0 if all(verdicts.values()) else 1)


if __name__ == "__main__":
    main()
