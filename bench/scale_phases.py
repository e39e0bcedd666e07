"""bench_scale.py's child phases, run with Django set up (``bench_scale.py --phase grow|pages``): growing
the demo's registry inside PostgreSQL to N units, and the in-process side of the measurement (SQL counts,
the personas' cookies, each page's cold cost, publishing a request). The parent (orchestration, gunicorn,
the HTTP load, the report) stays in bench_scale.py."""

# ruff: noqa: S608 — the SQL is built from model metadata and the script's own numbers, never from input

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ESTATE_COPIES = 30  # 33 demo estates × 30 ≈ 1,000 estates: Iran's order of magnitude


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def grow(args: argparse.Namespace) -> None:  # noqa: C901 — one phase after another, read top to bottom
    """Copy the demo's registry inside PostgreSQL until ``args.units`` units exist."""
    from django.db import connection, models, transaction

    from peyvand.estates.models import IndustrialEstate, Plot
    from peyvand.sourcing.models import Linkage, LinkageStep, Match, SourcingRequest, SupplierInvitation
    from peyvand.trade.models import ExportRecord
    from peyvand.units.models import Product, ProductionUnit, StatusChange, UnitCertification

    cursor = connection.cursor()

    def scalar(sql: str) -> int:
        cursor.execute(sql)
        return int(cursor.fetchone()[0] or 0)

    base = scalar("SELECT count(*) FROM units_productionunit")
    copies = math.ceil(args.units / base)  # copy 0 is the demo itself
    estate_copies = min(copies, ESTATE_COPIES)
    unit_table = ProductionUnit._meta.db_table
    strides: dict[type[models.Model], int] = {}
    # Copy c of a unit is the unit whose rank (by id, 0-based) + c × base < N.
    cursor.execute(
        f"CREATE TEMP TABLE unit_rank AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM {unit_table}"
    )

    def stride(model: type[models.Model]) -> int:
        if model not in strides:
            strides[model] = 10 ** len(str(scalar(f"SELECT max(id) FROM {model._meta.db_table}")))
        return strides[model]

    def target(model: type[models.Model], column: str) -> str:
        """The copy-``c`` id of a row of ``model`` referenced by ``column``."""
        if model is IndustrialEstate:
            return f"{column} + (c % {estate_copies}) * {stride(model)}"
        return f"{column} + c * {stride(model)}"

    cloned = [
        IndustrialEstate,
        Plot,
        ProductionUnit,
        Product,
        StatusChange,
        UnitCertification,
        ProductionUnit.capabilities.through,
        SourcingRequest,
        SourcingRequest.capabilities.through,
        SourcingRequest.preferred_counties.through,
        Match,
        SupplierInvitation,
        Linkage,
        LinkageStep,
        ExportRecord,
    ]
    for model in cloned:
        stride(model)

    def copy(model: type[models.Model], series: str) -> int:
        table = model._meta.db_table
        columns, values, checks = [], [], []
        for field in model._meta.concrete_fields:
            column = field.column
            columns.append(f'"{column}"')
            if field.primary_key:
                values.append(target(model, f't."{column}"'))
            elif field.is_relation and field.related_model in cloned:
                values.append(target(field.related_model, f't."{column}"'))
                ref = field.related_model._meta.db_table
                checks.append(
                    f't."{column}" IS NULL OR EXISTS (SELECT 1 FROM {ref} x WHERE x.id = '
                    f"{target(field.related_model, f't.{column}')})"
                )
            elif field.is_relation and field.one_to_one:
                values.append("NULL")
            elif field.unique and isinstance(field, models.CharField):
                values.append(f"t.\"{column}\" || '~' || c")
            elif model is Plot and column == "number":
                values.append(f"t.\"{column}\" || '/' || c")
            elif model is IndustrialEstate and column in {"name", "name_en"}:
                values.append(f"t.\"{column}\" || ' ' || c")
            else:
                values.append(f't."{column}"')
        where = " AND ".join(f"({check})" for check in checks) or "TRUE"
        if model is ProductionUnit:
            where += f" AND EXISTS (SELECT 1 FROM unit_rank k WHERE k.id = t.id AND k.r + c * {base} < {args.units})"
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {table} t CROSS JOIN {series} AS c WHERE t.id < {stride(model)} AND {where}"
        )
        cursor.execute(sql)
        return cursor.rowcount

    started = time.perf_counter()
    with transaction.atomic():
        for model in cloned:
            series = (
                f"generate_series(1, {estate_copies - 1})"
                if model is IndustrialEstate
                else f"generate_series(1, {copies - 1})"
            )
            count = copy(model, series)
            print(
                f"    {model._meta.db_table:<45} +{count:>9,}  ({time.perf_counter() - started:5.1f} s)",
                flush=True,
            )
        for model in cloned:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    connection.set_autocommit(True)
    cursor = connection.cursor()
    cursor.execute("VACUUM ANALYZE")
    print(
        f"    {scalar(f'SELECT count(*) FROM {unit_table}'):,} units ({time.perf_counter() - started:.0f} s)"
    )


def pages(args: argparse.Namespace) -> None:
    """Every measured page with its SQL count (in-process), the personas' session cookies, the facts."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import get_resolver

    from peyvand.accounts.models import User
    from peyvand.estates.models import County, IndustrialEstate, Plot
    from peyvand.sourcing.models import Linkage, SourcingRequest
    from peyvand.trade.models import ExportRecord
    from peyvand.units.models import Product, ProductionUnit, StatusChange

    biggest = IndustrialEstate.objects.annotate(n=Count("units")).order_by("-n").first()
    county = County.objects.filter(estates=biggest).first()
    unit = ProductionUnit.objects.filter(status="operating").order_by("id").first()
    total_pages = math.ceil(ProductionUnit.objects.count() / settings.PEYVAND_PAGE_SIZE)
    deep = min(2000, max(total_pages - 1, 1))
    plan = [
        ("home", "anonymous", "/"),
        ("home", "manager", "/"),
        ("statistics (public)", "anonymous", "/statistics/"),
        ("estates list", "anonymous", "/estates/"),
        ("estates list", "manager", "/estates/"),
        ("estate detail (largest)", "manager", f"/estates/{biggest.pk}/"),
        ("units list", "anonymous", "/units/"),
        ("units list", "manager", "/units/"),
        ("units search «ریخته»", "manager", "/units/?q=%D8%B1%DB%8C%D8%AE%D8%AA%D9%87"),
        ("units county+status", "manager", f"/units/?county={county.pk}&status=operating"),
        (f"units page {deep}", "manager", f"/units/?page={deep}"),
        ("unit detail", "anonymous", f"/units/{unit.pk}/"),
        ("unit detail", "manager", f"/units/{unit.pk}/"),
        ("supplier directory", "buyer", "/sourcing/suppliers/"),
        ("supplier directory «ریخته»", "buyer", "/sourcing/suppliers/?q=%D8%B1%DB%8C%D8%AE%D8%AA%D9%87"),
        ("request list", "manager", "/sourcing/requests/"),
        ("linkage list", "manager", "/sourcing/linkages/"),
        ("dashboard (insights)", "manager", "/dashboard/"),
        ("trade exports list", "manager", "/trade/exports/"),
        ("investment applications", "manager", "/investment/applications/"),
        ("green connections", "manager", "/green/connections/"),
        ("green plants", "manager", "/green/plants/"),
        ("revival cases", "manager", "/revival/cases/"),
        ("admin units changelist (anchor)", "admin", "/admin/units/productionunit/"),
    ]
    if args.only:
        plan = [page for page in plan if any(part in page[0] for part in args.only)]
    resolver = get_resolver()
    api = [
        "/" + str(pattern).replace("^", "").replace("$", "")
        for pattern in _flat_patterns(resolver.url_patterns)
        if str(pattern).startswith("api/v1/") and "<" not in str(pattern) and "(?P" not in str(pattern)
    ]
    for path in sorted(set(api)):
        if not any(skip in path for skip in ("schema", "docs", "token", "auth", "format")):
            plan.append((f"API {path}", "manager", path))
    clients: dict[str, Client] = {"anonymous": Client()}
    cookies: dict[str, str] = {"anonymous": ""}
    for username in ("manager", "buyer", "admin"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    # The matching index first (the supplier directory's search reads it): timed, without embeddings.
    from peyvand.sourcing import engine

    index = None
    if not args.no_index or not any(engine.index_root().glob("v*")):
        started = time.perf_counter()
        summary = engine.rebuild_index()
        index = {"seconds": time.perf_counter() - started, "summary": summary}
    publish = _publish_run() if not args.only or any("publish" in part for part in args.only) else None
    measured = []
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    for name, persona, path in plan:
        client = clients[persona]
        client.get(path)  # warm caches that a running server would have
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            print(f"    skipped {path} as {persona}: {response.status_code}", file=sys.stderr)
            continue
        cold = cold_cost(client, path, backend, args.cold_samples)
        measured.append({"name": name, "as": persona, "path": path, "queries": len(queries), **cold})  # warm
    cursor = connection.cursor()
    cursor.execute("SHOW server_version")
    facts = {
        "units": ProductionUnit.objects.count(),
        "estates": IndustrialEstate.objects.count(),
        "plots": Plot.objects.count(),
        "products": Product.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "requests": SourcingRequest.objects.count(),
        "linkages": Linkage.objects.count(),
        "exports": ExportRecord.objects.count(),
        "postgres": cursor.fetchone()[0],
    }
    print(
        json.dumps(
            {
                "pages": measured,
                "cookies": cookies,
                "facts": facts,
                "index": index,
                "publish": publish,
                "export_path": "/units/?export=",
            }
        )
    )


def _publish_run(samples: int = 5) -> dict | None:
    """What publishing a request costs once published: its job ranks every unit on the matching index
    and stores the suggestions (``sourcing.services.suggest``, as ``tasks.suggest_suppliers`` runs it),
    timed on the first published requests; the first run also loads the index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peyvand.accounts.models import User
    from peyvand.sourcing.models import SourcingRequest
    from peyvand.sourcing.services import suggest

    manager = User.objects.get(username="manager")
    requests = list(SourcingRequest.objects.filter(state="published").order_by("pk")[:samples])
    if not requests:
        return None
    timings, queries, suppliers = [], [], []
    for request in requests:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            suppliers.append(len(suggest(request, by=manager)))
            timings.append(time.perf_counter() - started)
        queries.append(len(captured))
    return {
        "requests": len(requests),
        "first_s": timings[0],
        "p50_s": statistics.median(timings[1:] or timings),
        "max_s": max(timings[1:] or timings),
        "queries": max(queries),
        "suppliers": max(suppliers),
    }


def cold_cost(client, path: str, backend: int, samples: int) -> dict:
    """The CPU of a request right after a unit changed (``caching.tables_written``: every figure, count,
    fragment and page kept under the data version stale), in this process (Python) and in its PostgreSQL
    backend: what the cache saves, and what a page costs when the data changes often. Median of
    ``samples`` requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peyvand.core import caching

    apps, dbs, counts = [], [], []
    for _ in range(samples):
        caching.tables_written(["units_productionunit"])  # what a unit's change does
        app_before, db_before = time.process_time(), process_cpu(backend)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        apps.append((time.process_time() - app_before) * 1000)
        dbs.append((process_cpu(backend) - db_before) * 1000)
        counts.append(len(queries))
    if not samples:
        return {}
    return {
        "cold_cpu_ms": statistics.median(apps),
        "cold_db_cpu_ms": statistics.median(dbs),
        "cold_queries": max(counts),
    }


def _flat_patterns(patterns, prefix: str = ""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _flat_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)
