"""The staff dashboard's cold view, in-process (issue 18): wall clock, this process's CPU and its
PostgreSQL backend's CPU per request right after a data change (``caching.bump``, as
``scale_phases.cold_cost`` measures it), each part of the view timed alone, and EXPLAIN ANALYZE of
a status-on-a-date count and of the history pass that counts many dates at once.

    DATABASE_URL=postgres://…/copy_of_peyvand_scale PEYVAND_DATA_DIR=… \\
        nice -n 19 .venv/bin/python bench/dashboard_cold.py --samples 3 --explain

Read-only on the database except the session rows of the signed-in client (run it on a copy of the
scale benchmark's database: ``createdb -T peyvand_scale …``). Not one of ``make bench``'s ``bench_*.py``:
it measures a database that ``bench_scale.py --keep`` left, not one it builds.
"""

# ruff: noqa: S608 — EXPLAIN of the application's own compiled SQL

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-dashboard-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
    os.environ.setdefault("PEYVAND_MATCHING_SEMANTIC", "false")
    os.environ.setdefault("PEYVAND_MATCHING_AUTO_REBUILD", "false")
    import django

    django.setup()


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(label: str, call) -> None:
    from peyvand.core import caching

    caching.bump()
    started, cpu = time.perf_counter(), time.process_time()
    call()
    print(
        f"  {label:<28} {time.perf_counter() - started:7.2f} s wall  {time.process_time() - cpu:6.2f} s app CPU"
    )


def parts(user) -> None:
    """Each part of the view alone, cold (what the dashboard evaluates for its default figure)."""
    from peyvand.core import kpis
    from peyvand.insights import figures

    query = figures.query_for(user)
    kpi = kpis.get("operating_units")
    _timed("compare (every KPI, -1 y)", lambda: figures.compare(query))
    _timed("monthly (12 × 2)", lambda: figures.monthly(kpi, query))
    _timed("yearly (5)", lambda: figures.yearly(kpi, query))
    _timed("by_county", lambda: figures.by_county(kpi, query))
    _timed("estate_points", lambda: figures.estate_points(user))
    before = query.with_period(query.period.a_year_before())
    for code in [kpi.code for kpi in kpis.registry()]:
        _timed(f"  {code} -1 y", lambda code=code: kpis.evaluate(kpis.get(code), before))


def explain(user) -> None:
    """EXPLAIN ANALYZE of one status-on-a-date count, and of the history pass for the 24 months."""
    from django.db import connection

    from peyvand.core import caching, kpis
    from peyvand.insights import figures
    from peyvand.units.kpis import filtered, units_in_scope

    query = figures.query_for(user)
    on = query.period.a_year_before().end
    units = filtered(units_in_scope(user), {}).in_status(["operating"], on=on)
    sql, params = units.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        print(f"  jit = {cursor.fetchone()[0]}")
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) t", params)
        print("  in_status, one date:\n    " + "\n    ".join(row[0] for row in cursor.fetchall()))
    captured = []

    def capture(execute, sql, params, many, context):
        if "LEAD(" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    caching.bump()  # the pass is kept per data version: count it afresh
    with connection.execute_wrapper(capture):
        figures.monthly(kpis.get("operating_units"), query)
    if captured:
        sql, params = captured[0]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(
                "  history pass (every status, any date):\n    "
                + "\n    ".join(row[0] for row in cursor.fetchall())
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--user", default="manager")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--parts", action="store_true")
    parser.add_argument("--path", default="/dashboard/", help="e.g. /dashboard/?on=1404/09/16")
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client

    from peyvand.accounts.models import User
    from peyvand.core import caching

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    assert client.get(args.path).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    print(f"load average {Path('/proc/loadavg').read_text().strip()}")
    walls, apps, dbs = [], [], []
    for _ in range(args.samples):
        caching.bump()
        started, cpu, db = time.perf_counter(), time.process_time(), _backend_cpu(backend)
        assert client.get(args.path).status_code == 200
        walls.append(time.perf_counter() - started)
        apps.append(time.process_time() - cpu)
        dbs.append(_backend_cpu(backend) - db)
        print(f"  cold {args.path}: {walls[-1]:.2f} s wall, {apps[-1]:.2f} s app CPU, {dbs[-1]:.2f} s db CPU")
    print(
        f"cold {args.path} median of {args.samples}: {statistics.median(walls):.2f} s wall, "
        f"{statistics.median(apps):.2f} s app CPU + {statistics.median(dbs):.2f} s db CPU; "
        f"load average {Path('/proc/loadavg').read_text().strip()}"
    )
    if args.parts:
        parts(user)
    if args.explain:
        explain(user)


if __name__ == "__main__":
    main()
