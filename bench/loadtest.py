"""A bounded load run on loopback (`make loadtest`): many clients searching at once, as in
production, without and then with a curator's writes to the catalogue.

The site runs as in production: deploy/start (nginx in front of gunicorn with
iopfinder/gunicorn.conf.py) with the production settings, on a PostgreSQL database holding
--size generated programs (bench/run.py's databases and filling: a database that already
holds that many is reused). wrk (Debian's package: a C load generator, so the CPU this
2-core machine spends on the load itself stays small) sends --clients concurrent clients,
each asking for the next of a varied mix of searches as soon as it has its answer: every
search of bench/run.py's MIX, as a page and through the API, the ones near a ZIP code around
many ZIP codes, and the others on their first three pages. Every path is asked once first and
must answer 200 (it also warms every worker).

Two runs of --duration seconds each: without writes, then with a curator's save of one
program every --write-every seconds (a separate process, through the ORM, as the admin
saves: it changes the catalogue's token, so every worker's copy is read again).

Targets, for both runs: no failures (an answer other than 200, a connection error, no
answer within wrk's --timeout), at least 150 searches a second, p95 under 1 second; and the
run with writes keeps p95 within 1.5 times the run without. The figures are printed and
written to bench/results/loadtest-<stamp>.json; the exit status is 1 when a target is missed.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import KINDS, MIX, PYTHON, ROOT, prepare_database, wait_for  # noqa: E402
from tests.core.test_access_log import free_port  # noqa: E402

# Searched around, in turn: city centres across the country, where the generated programs are.
ZIPS = (
    "10001", "60614", "30303", "98101", "94612", "43215", "02139", "77002", "85004", "80202",
    "19103", "33130", "55401", "97205", "37203", "64106", "70112", "84101", "73102", "53202",
)  # fmt: skip
VARIANTS = 10  # of each search near a ZIP code; the others vary their page (1-3)
TARGETS = {"requests_per_second": 150, "p95_ms": 1000, "p95_with_writes_vs_without": 1.5}
WRK_THREADS = 2
WRK_TIMEOUT = "30s"  # gunicorn's worker timeout: a slower answer never comes
PATH = os.pathsep.join([os.path.dirname(PYTHON), os.environ["PATH"], "/usr/sbin"])


def varied_searches() -> list[str]:
    """The paths asked for: MIX's searches with their ZIP codes and pages varied, each as
    the page and through the API, in a fixed shuffled order."""
    queries = set()
    for place, (_name, query) in enumerate(MIX):
        for variant in range(VARIANTS):
            zip_code = ZIPS[(place + variant) % len(ZIPS)]
            params = [
                (key, zip_code if key == "near" else value) for key, value in parse_qsl(query)
            ]
            if "page" not in dict(params):
                params.append(("page", str(1 + variant % 3)))
            queries.add(urlencode(params))
    paths = [f"{path}?{query}" for path in KINDS.values() for query in sorted(queries)]
    random.Random(0).shuffle(paths)
    return paths


def check_every_path(port: int, paths: list[str]) -> list[str]:
    """Each path once (which also warms every worker); those that did not answer 200."""

    def status(path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(status, paths))
    return [f"{path}: {code}" for path, code in zip(paths, statuses, strict=True) if code != 200]


def load(port: int, paths_file: Path, clients: int, duration: int) -> dict:
    """One wrk run; its figures (bench/loadtest.lua's last line)."""
    out = subprocess.run(
        [
            "wrk",
            f"--threads={WRK_THREADS}",
            f"--connections={clients}",
            f"--duration={duration}s",
            f"--timeout={WRK_TIMEOUT}",
            f"--script={ROOT / 'bench' / 'loadtest.lua'}",
            f"http://127.0.0.1:{port}",
            "--",
            str(paths_file),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["failures"] = sum(figures["not_200"].values()) + sum(
        figures[kind] for kind in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    figures["requests_per_second"] = round(figures["requests"] / figures["seconds"], 1)
    # Other work on the machine slows every figure: say how busy it was.
    figures["load_average_1_min"] = os.getloadavg()[0]
    return figures


@contextmanager
def curating(env: dict, every: float):
    """curate() in a process of its own, ready before the block runs; the list it yields
    holds a line for each write once the block is over."""
    writer = subprocess.Popen(
        [PYTHON, __file__, "--curate", str(every)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    written = []
    try:
        if writer.stdout.readline() != "ready\n":
            raise RuntimeError("the curator's process did not start")
        yield written
    finally:
        writer.send_signal(signal.SIGTERM)
        written += writer.communicate(timeout=60)[0].splitlines()


def curate(every: float):
    """A curator's save of one published program every `every` seconds, half a period in
    first; prints a line for each. Runs until stopped (SIGTERM)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iopfinder.settings")
    import django

    django.setup()
    from programs.models import Program

    ids = list(Program.objects.published().order_by("id").values_list("id", flat=True)[:1000])
    pick = random.Random(0)
    print("ready", flush=True)
    started = time.monotonic()
    for number in range(1, sys.maxsize):
        time.sleep(max(0.0, started + (number - 0.5) * every - time.monotonic()))
        program = Program.objects.get(pk=pick.choice(ids))
        program.intake_notes = f"Call ahead to book an assessment (checked {number})."
        program.save()
        print(f"write {number} at {time.monotonic() - started:.1f} s", flush=True)


def run(args) -> int:
    for program in ("wrk", "nginx"):
        if not shutil.which(program, path=PATH):
            sys.exit(f"{program} is missing: make system-packages (as root) installs it")
    env = {
        **prepare_database(args.size, database=args.database, keep=True),
        "PATH": PATH,
        # Every client here is one address, 127.0.0.1: its API limit (iopfinder/ratelimits.py)
        # would be everyone's.
        "SEARCH_API_PER_ADDRESS_PER_MINUTE": str(10**9),
    }
    paths = varied_searches()
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        paths_file = Path(scratch) / "paths"
        paths_file.write_text("\n".join(paths) + "\n")
        server_log = Path(scratch) / "server.log"
        with open(server_log, "w") as log:
            server = subprocess.Popen(
                [str(ROOT / "deploy" / "start")],
                cwd=ROOT,
                env={**env, "LISTEN": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,  # the access log: a line a request
                stderr=log,
            )
        try:
            wait_for(port, deadline=300)
            print(f"{len(paths)} paths, each asked once first", flush=True)
            refused = check_every_path(port, paths)
            if refused:
                print("Not answered 200:", *refused[:20], sep="\n  ")
                return 1
            print(f"{args.clients} clients for {args.duration} s, without writes", flush=True)
            runs = {"without writes": load(port, paths_file, args.clients, args.duration)}
            print(f"{args.clients} clients for {args.duration} s, with writes", flush=True)
            with curating(env, args.write_every) as written:
                runs["with writes"] = load(port, paths_file, args.clients, args.duration)
            runs["with writes"]["catalogue_writes"] = len(written)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            if server.returncode:
                print(server_log.read_text()[-3000:], file=sys.stderr)
    return report(args, paths, runs)


def report(args, paths: list[str], runs: dict) -> int:
    checks = []
    for name, figures in runs.items():
        checks += [
            (f"{name}: failures", figures["failures"], "== 0", figures["failures"] == 0),
            (
                f"{name}: searches a second",
                figures["requests_per_second"],
                f">= {TARGETS['requests_per_second']}",
                figures["requests_per_second"] >= TARGETS["requests_per_second"],
            ),
            (
                f"{name}: p95 ms",
                figures["p95_ms"],
                f"< {TARGETS['p95_ms']}",
                figures["p95_ms"] < TARGETS["p95_ms"],
            ),
        ]
    ratio = round(runs["with writes"]["p95_ms"] / max(runs["without writes"]["p95_ms"], 0.1), 2)
    limit = TARGETS["p95_with_writes_vs_without"]
    checks.append(("p95 with writes / without", ratio, f"<= {limit}", ratio <= limit))

    print(f"\n{args.size} programs, {args.clients} clients, {args.duration} s a run, wrk")
    print(
        f"  {'':<16} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failures':>9}"
        f" {'load avg':>9}"
    )
    for name, f in runs.items():
        print(
            f"  {name:<16} {f['requests_per_second']:>7} {f['p50_ms']:>8} {f['p95_ms']:>8} "
            f"{f['p99_ms']:>8} {f['failures']:>9} {f['load_average_1_min']:>9.1f}"
            + (f"   ({f['catalogue_writes']} catalogue writes)" if "catalogue_writes" in f else "")
        )
    print()
    for label, value, target, met in checks:
        print(f"  {label:<34} {value:>8}  (target {target})  {'ok' if met else 'MISSED'}")

    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "when": stamp,
        "programs": args.size,
        "clients": args.clients,
        "seconds_a_run": args.duration,
        "write_every_seconds": args.write_every,
        "load_generator": f"wrk, {WRK_THREADS} threads, timeout {WRK_TIMEOUT}",
        "server": "deploy/start: nginx, gunicorn (iopfinder/gunicorn.conf.py), PostgreSQL",
        "paths": len(paths),
        "runs": runs,
        "targets": TARGETS,
        "checks": [
            {"check": label, "value": value, "target": target, "met": met}
            for label, value, target, met in checks
        ],
    }
    (results_dir / f"loadtest-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to bench/results/loadtest-{stamp}.json")
    return 0 if all(met for *_rest, met in checks) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="generated programs")
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients")
    parser.add_argument("--duration", type=int, default=180, help="seconds a run")
    parser.add_argument("--write-every", type=float, default=15.0, help="seconds between writes")
    parser.add_argument(
        "--database", default="iopfinder_bench", help="database name before _<size>"
    )
    parser.add_argument("--curate", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.curate:
        curate(args.curate)
        return
    if args.clients < 1 or args.duration < 1:
        parser.error("--clients and --duration must be at least 1")
    sys.exit(run(args))


if __name__ == "__main__":
    main()
