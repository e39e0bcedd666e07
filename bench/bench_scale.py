"""Scale benchmark: the demo grown to N units (default 100,000) on PostgreSQL, served by gunicorn with
production settings, every main page measured as the people who use it.

1. Build (skipped with ``--reuse`` when the database already holds N units): a database of its own
   (``peyvand_scale`` by default) is created, migrated and seeded with the demo (33 estates, ~900 units,
   requests, linkages, exports, users); then the demo's registry is copied inside PostgreSQL with
   ``INSERT … SELECT … CROSS JOIN generate_series`` until N units exist — each copy keeps the demo's shape
   (products, capability tags, certifications, status histories, plots, requests with their matches,
   invitations and linkages, export records), ~990 estates (national scale) hold them. No row goes
   through the ORM one by one: 100,000 units take a few minutes on 2 cores.
2. Measure, in one run: the SQL query count of each page, warm and cold (Django's test client with
   ``CaptureQueriesContext``, in a child process) and its *cold* cost there — the CPU of a request right
   after a unit changed (``caching.tables_written``: every figure, count, list fragment and page kept
   under the data version is stale; what is kept by the tables it read survives if it read no unit), in
   Python and in its PostgreSQL backend; then, against ``gunicorn -w 2`` with ``DEBUG=False``, once the
   workers are idle after their start: one client's p50 over ``--samples`` requests, and ``--clients``
   concurrent clients (stdlib threads and ``http.client``, keep-alive) for ``--seconds``: p50, p95,
   requests/s, errors, and the gunicorn workers' and PostgreSQL's CPU time per request (the machine is
   shared: req/s alone says little). Repeated requests are served from the caches as a running site's
   are; the cold column says what the same page costs when nothing is cached. The Django admin
   changelist of units is measured beside them on the same data (the anchor).
3. The other targets: the units export of every row (CSV, streamed; xlsx from a temporary file) with its
   time and the worker's peak memory growth, the matching index rebuild without embeddings, and the
   suggestions a published request gets (``--only publish`` measures only that).
4. Print the table, the load average before and after, and write it as JSON (``--json``).

    make bench                                   # every bench_*.py, this one at 100,000 units
    .venv/bin/python bench/bench_scale.py --units 20000 --keep    # smaller, keep the database
    .venv/bin/python bench/bench_scale.py --reuse --only units     # measure again, pages whose name has "units"

PostgreSQL: ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``) is the server; the
benchmark's own database is dropped at the end unless ``--keep``.
"""

# ruff: noqa: S608 — the SQL is built from model metadata and the script's own numbers, never from input

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scale_phases import grow, pages, process_cpu

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SHARED_DATA = Path(os.environ.get("PEYVAND_SHARED_DIR", str(ROOT.parent / "shared"))) / "data"
TARGETS = {
    "p50_ms": 50.0,
    "public_rps": 100.0,
    "staff_rps": 50.0,
    "export_s": 30.0,
    "index_s": 60.0,
    "publish_s": 2.0,
}


# --- the parent: orchestration, HTTP load ----------------------------------------------------------
def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def database_url(name: str) -> str:
    base = urlsplit(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(base._replace(path=f"/{name}"))


def psql(sql: str, database: str = "postgres") -> str:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as connection:
        cursor = connection.execute(sql)
        return str(cursor.fetchone()[0]) if cursor.description else ""


def psql_rows(sql: str, database: str = "postgres") -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as connection:
        return connection.execute(sql).fetchall()


def child_env(args: argparse.Namespace, production: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(args.db),
        PEYVAND_DATA_DIR=str(args.data_dir),
        PEYVAND_MATCHING_SEMANTIC="false",  # the targets are measured without embeddings
        PEYVAND_MATCHING_AUTO_REBUILD="false",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        DJANGO_SETTINGS_MODULE="peyvand.settings",
    )
    if production:
        env.update(
            DEBUG="false",
            SECRET_KEY="bench-scale-" + "x" * 50,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            SECURE_HSTS_SECONDS="0",
            DB_CONN_MAX_AGE="600",
            # The API's per-token limit (600/min) would answer most of 20 clients' requests with 429:
            # the benchmark measures what a list costs, not the throttle.
            PEYVAND_API_RATE="1000000/min",
        )
    return env


def step(title: str, command: list[str], env: dict[str, str]) -> str:
    started = time.perf_counter()
    print(f"  · {title} …", flush=True)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{title} failed ({result.returncode})")
    print(f"    {time.perf_counter() - started:.1f} s", flush=True)
    return result.stdout


def build(args: argparse.Namespace) -> float:
    started = time.perf_counter()
    psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{args.db}"')
    env = child_env(args)
    manage = [PYTHON, "manage.py"]
    step("migrate", [*manage, "migrate", "--noinput"], env)
    if SHARED_DATA.is_dir():
        step("official taxonomy", [*manage, "load_official_taxonomy", str(SHARED_DATA), "--if-needed"], env)
    step("capabilities", [*manage, "sync_capabilities"], env)
    step("demo (900 units)", [*manage, "seed_demo"], env)
    print(step(f"grow to {args.units:,} units", [PYTHON, __file__, "--phase", "grow", *forward(args)], env))
    return time.perf_counter() - started


def forward(args: argparse.Namespace) -> list[str]:
    return [
        "--units",
        str(args.units),
        "--db",
        args.db,
        "--data-dir",
        str(args.data_dir),
        *(["--no-index"] if args.no_index else []),
        "--cold-samples",
        str(args.cold_samples),
        *(["--only", *args.only] if args.only else []),
    ]


class Server:
    """gunicorn, two gthread workers of two threads, production settings."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.port = args.port
        self.db = args.db
        self.log = open(args.data_dir / "gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "peyvand.wsgi:application",
                "--workers",
                str(args.workers),
                # gthread: the worker's main thread tells the arbiter it lives while a request streams;
                # a sync worker streaming a 100,000-row export was killed at --timeout (docs/deployment.md)
                "--worker-class",
                "gthread",
                "--threads",
                "2",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--timeout",
                "120",
                "--keep-alive",
                "30",
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env=child_env(args, production=True),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 240
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/static/peyvand/img/favicon.svg")
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not start (see gunicorn.log)")
        self.warm_up_cpu = self.settle()

    def settle(self, quiet_share: float = 0.05, longest: float = 300.0) -> float:
        """Wait until the workers are idle: each may build the HS suggester in the background when it
        starts (``trade.hs.warm_up``), which would be counted against the first pages measured. Returns
        the CPU seconds the workers spent until then."""
        window, deadline = 2.0, time.time() + longest
        while time.time() < deadline:
            before = self.cpu_seconds()
            time.sleep(window)
            if self.cpu_seconds() - before < quiet_share * window * max(len(self.workers()), 1):
                break
        return self.cpu_seconds()

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers so far."""
        total = 0.0
        for pid in self.workers():
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += process_cpu(pid)
        return total

    def db_cpu_seconds(self) -> dict[int, float]:
        """User + system CPU of each PostgreSQL backend serving the benchmark's database (same machine)."""
        try:
            pids = psql_rows(f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.db}'")
        except Exception:
            return {}
        found = {}
        for (pid,) in pids:
            with contextlib.suppress(OSError, IndexError, ValueError):
                found[pid] = process_cpu(pid)
        return found

    def rss_mb(self) -> float:
        total = 0.0
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total = max(total, int(line.split()[1]) / 1024)
            except OSError:
                pass
        return total

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def fetch(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, float, int]:
    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    size = len(response.read())
    return response.status, (time.perf_counter() - started) * 1000, size


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def one_client(port: int, path: str, cookie: str, samples: int) -> dict:
    # the first request may count the figures of a cold cache (minutes on a loaded machine)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for _ in range(2):  # warm the worker's caches and connections
        fetch(connection, path, cookie)
    timings, statuses, size = [], set(), 0
    for _ in range(samples):
        status, elapsed, size = fetch(connection, path, cookie)
        statuses.add(status)
        timings.append(elapsed)
    connection.close()
    return {"p50": statistics.median(timings), "status": sorted(statuses), "bytes": size}


def many_clients(server: Server, path: str, cookie: str, clients: int, seconds: float) -> dict:
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            try:
                status, elapsed, _size = fetch(connection, path, cookie)
                mine.append(elapsed)
                bad += status != 200
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.close()
        with lock:
            timings.extend(mine)
            errors[0] += bad

    cpu_before, db_before, started = server.cpu_seconds(), server.db_cpu_seconds(), time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    # per backend: one that ended during the run (another client of the database) must not count negative
    db_cpu = sum(seconds - db_before.get(pid, 0.0) for pid, seconds in server.db_cpu_seconds().items())
    return {
        "p50": percentile(timings, 0.5),
        "p95": percentile(timings, 0.95),
        "rps": len(timings) / elapsed,
        "errors": errors[0],
        "cpu_ms": cpu * 1000 / max(len(timings), 1),
        "db_cpu_ms": db_cpu * 1000 / max(len(timings), 1),
    }


def export_run(server: Server, path: str, cookie: str) -> dict:
    """The whole units list as CSV or xlsx: time to first byte, to last byte, size, the worker's RSS
    growth; a download cut short (a worker killed mid-stream) is reported with the bytes that came."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    rss_before, peak = server.rss_mb(), 0.0
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    first = None
    size = lines = 0
    workbook = bytearray() if "xlsx" in path else None  # a zip: its rows are counted once it is whole
    status: int | str = response.status
    try:
        while chunk := response.read(65536):
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
            if workbook is not None:
                workbook += chunk
            peak = max(peak, server.rss_mb())
    except (http.client.IncompleteRead, OSError) as error:
        status = f"{response.status}, broken after {size:,} bytes ({error.__class__.__name__})"
    total = time.perf_counter() - started
    connection.close()
    if workbook is not None and response.status == 200:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(workbook), read_only=True).active  # no stored dimension: counted
        lines = sum(1 for _row in sheet.iter_rows(values_only=True))
    return {
        "status": status,
        "streamed": response.getheader("Transfer-Encoding") == "chunked"
        or not response.getheader("Content-Length"),
        "first_byte_s": first or total,
        "seconds": total,
        "mb": size / 1e6,
        "rows": max(lines - 1, 0),
        "rss_growth_mb": max(peak - rss_before, 0.0),
    }


def measure(args: argparse.Namespace) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, "--phase", "pages", *forward(args)],
        cwd=ROOT,
        env=child_env(args, production=True),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-6000:])
        raise SystemExit("the query-count phase failed")
    plan = json.loads(out.stdout.strip().splitlines()[-1])
    pages = [page for page in plan["pages"] if not args.only or any(o in page["name"] for o in args.only)]
    print(f"  {len(pages)} pages; starting gunicorn ({args.workers} workers, DEBUG off) …", flush=True)
    server = Server(args)
    print(
        f"  workers idle after their start (CPU {server.warm_up_cpu:.0f} s: the HS suggester's build)",
        flush=True,
    )
    results = {
        "pages": [],
        "facts": plan["facts"],
        "index": plan.get("index"),
        "publish": plan.get("publish"),
    }
    try:
        for page in pages:
            cookie = plan["cookies"].get(page["as"], "")
            try:
                single = one_client(args.port, page["path"], cookie, args.samples)
            except (OSError, http.client.HTTPException) as error:  # a cold page over the timeout
                print(f"    {page['name']:<34} failed: {error!r}", flush=True)
                continue
            load = (
                many_clients(server, page["path"], cookie, args.clients, args.seconds) if args.seconds else {}
            )
            row = {**page, **{"one_" + k: v for k, v in single.items()}, **load, "load": loadavg()}
            results["pages"].append(row)
            print(
                f"    {page['name']:<34} q={page['queries']:>3}/{page.get('cold_queries', '-'):>3}  p50 {single['p50']:7.1f} ms"
                + (
                    f" | cold CPU {page['cold_cpu_ms']:.1f} + {page['cold_db_cpu_ms']:.1f} ms"
                    if "cold_cpu_ms" in page
                    else ""
                )
                + (
                    f" | {args.clients} clients p50 {load['p50']:7.1f} p95 {load['p95']:7.1f} "
                    f"{load['rps']:6.1f} req/s err {load['errors']} "
                    f"CPU app {load['cpu_ms']:.1f} + db {load['db_cpu_ms']:.1f} ms/req"
                    if load
                    else ""
                )
                + f"  status {single['status']}",
                flush=True,
            )
        if not args.only or any("export" in o for o in args.only):
            for file_format in ("csv", "xlsx"):
                results[f"export_{file_format}"] = export_run(
                    server, plan["export_path"] + file_format, plan["cookies"]["manager"]
                )
    finally:
        server.stop()
    return results


def report(args: argparse.Namespace, results: dict, built: float | None, load_before: str) -> None:
    facts = results["facts"]
    print()
    print(
        f"Peyvand at {facts['units']:,} units, {facts['estates']:,} estates, {facts['plots']:,} plots, "
        f"{facts['products']:,} products, {facts['status_changes']:,} status changes, "
        f"{facts['requests']:,} requests, {facts['linkages']:,} linkages, {facts['exports']:,} export records "
        f"(PostgreSQL {facts['postgres']}, gunicorn {args.workers} workers, DEBUG off)"
    )
    print(f"Machine: {machine()}; load average before {load_before}, after {loadavg()}")
    if built is not None:
        print(f"Built in {built:.0f} s")
    print()
    header = (
        f"| page | as | SQL warm / cold | 1 client p50 ms | {args.clients} clients p50 ms | p95 ms | req/s | errors | "
        "CPU ms/req app + db | cold CPU ms app + db | load |"
    )
    print(header)
    print("|" + "---|" * header.count(" | ") + "---|")
    for row in results["pages"]:
        mark = "" if row["one_p50"] < TARGETS["p50_ms"] else " ✗"
        print(
            f"| {row['name']} | {row['as']} | {row['queries']} / {row.get('cold_queries', '-')} | {row['one_p50']:.1f}{mark} | "
            f"{row.get('p50', float('nan')):.1f} | {row.get('p95', float('nan')):.1f} | "
            f"{row.get('rps', float('nan')):.1f} | {row.get('errors', '-')} | "
            f"{row.get('cpu_ms', float('nan')):.1f} + {row.get('db_cpu_ms', float('nan')):.1f} | "
            f"{row.get('cold_cpu_ms', float('nan')):.1f} + {row.get('cold_db_cpu_ms', float('nan')):.1f} | "
            f"{row['load']} |"
        )
    for file_format in ("csv", "xlsx"):
        export = results.get(f"export_{file_format}")
        if export:
            print(
                f"\nUnits export ({file_format}, every row, as manager): status {export['status']}, "
                f"{export['mb']:.1f} MB in {export['seconds']:.1f} s (first byte {export['first_byte_s']:.2f} s; "
                f"streamed: {export['streamed']}; worker RSS growth {export['rss_growth_mb']:.0f} MB) — target < "
                f"{TARGETS['export_s']:.0f} s" + f"; {export['rows']:,} rows"
            )
    index = results.get("index")
    if index:
        print(
            f"Matching index rebuild without embeddings: {index['seconds']:.1f} s ({index['summary']}) "
            f"(target < {TARGETS['index_s']:.0f} s)"
        )
    publish = results.get("publish")
    if publish:
        print(
            f"Publishing a request's suggestions (ranking every unit, storing the matches), "
            f"{publish['requests']} requests: p50 {publish['p50_s']:.2f} s, max {publish['max_s']:.2f} s, "
            f"first (loads the index) {publish['first_s']:.2f} s, up to {publish['queries']} queries, "
            f"{publish['suppliers']} suppliers (target < {TARGETS['publish_s']:.0f} s)"
        )
    slow = [
        row["name"] + f" ({row['as']})" for row in results["pages"] if row["one_p50"] >= TARGETS["p50_ms"]
    ]
    print(f"\nPages at or over {TARGETS['p50_ms']:.0f} ms with one client: {', '.join(slow) or 'none'}")
    if args.json:
        payload = {"machine": machine(), "load_before": load_before, "load_after": loadavg(), **results}
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
        print(f"JSON: {args.json}")


def machine() -> str:
    model = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--db", default="peyvand_scale")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database without rebuilding")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=6.0, help="concurrent run per page (0: skip)")
    parser.add_argument("--samples", type=int, default=15, help="sequential requests per page")
    parser.add_argument(
        "--cold-samples",
        type=int,
        default=5,
        help="requests per page right after a data change (every cache stale), CPU measured in-process",
    )
    parser.add_argument(
        "--only", nargs="*", default=[], help="measure the pages whose name contains one of these"
    )
    parser.add_argument("--json", default="")
    parser.add_argument(
        "--no-index", action="store_true", help="skip the matching index rebuild (measured before)"
    )
    parser.add_argument("--phase", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.data_dir is None:
        args.data_dir = Path(tempfile.gettempdir()) / f"peyvand-bench-scale-{args.db}"
    args.data_dir = args.data_dir.resolve()
    if args.phase:
        import django

        django.setup()
        {"grow": grow, "pages": pages}[args.phase](args)
        return
    args.data_dir.mkdir(parents=True, exist_ok=True)
    load_before = loadavg()
    print(
        f"Scale benchmark: {args.units:,} units in database {args.db}; load average {load_before}", flush=True
    )
    built = None
    exists = psql(f"SELECT count(*) FROM pg_database WHERE datname = '{args.db}'") == "1"
    if not (args.reuse and exists):
        built = build(args)
    else:
        step("migrate", [PYTHON, "manage.py", "migrate", "--noinput"], child_env(args))
    step(
        "collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput"], child_env(args, production=True)
    )
    try:
        results = measure(args)
        report(args, results, built, load_before)
    finally:
        if not (args.keep or args.reuse):
            psql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            shutil.rmtree(args.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
