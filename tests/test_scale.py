"""Scale (issue 18): deep pages read by ids give the same rows, big exports stream the same bytes, estates
count their units without a multiplying join, and reading pages go to a read replica when one is set."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from peyvand.core import exports, paging, replicas
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.units.models import ProductionUnit, units_in_production_of_estate

from .factories import EstateFactory, UnitFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_units(estate_a):
    # Persian names whose order is not the order of creation (ids), so a wrong page shows.
    return [
        UnitFactory(estate=estate_a, name=f"واحد {chr(0x0627 + (n * 7) % 25)} {n:02d}") for n in range(30)
    ]


def _names_on(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    return [unit.name for unit in ProductionUnit.objects.order_by("sort_name", "pk") if unit.name in html]


def test_a_deep_page_shows_the_same_units_read_by_ids_first(
    client, manager, thirty_units, monkeypatch, settings
):
    settings.PEYVAND_PAGE_SIZE = 5
    client.force_login(manager)
    expected = [unit.name for unit in ProductionUnit.objects.order_by("sort_name", "pk")][20:25]
    monkeypatch.setattr(paging, "DEFERRED_FROM", 10**9)
    plain = _names_on(client, "/units/?page=5")
    monkeypatch.setattr(paging, "DEFERRED_FROM", 10)
    with CaptureQueriesContext(connection) as queries:
        deferred = _names_on(client, "/units/?page=5")
    assert plain == deferred == expected
    sql = [query["sql"] for query in queries.captured_queries if "units_productionunit" in query["sql"]]
    assert any("OFFSET 20" in text and "LIMIT 5" in text and "estates_county" not in text for text in sql)


def test_a_deep_page_keeps_the_order_the_user_chose(client, manager, thirty_units, monkeypatch, settings):
    settings.PEYVAND_PAGE_SIZE = 5
    monkeypatch.setattr(paging, "DEFERRED_FROM", 1)
    client.force_login(manager)
    html = client.get("/units/?sort=-name&page=2").content.decode()
    expected = [unit.name for unit in ProductionUnit.objects.order_by("-sort_name", "-pk")][5:10]
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_big_export_streams_the_same_rows_in_chunks(client, manager, thirty_units, monkeypatch):
    client.force_login(manager)
    whole = client.get("/units/?export=csv&sort=name")
    assert not whole.streaming
    monkeypatch.setattr(exports, "CHUNK_ROWS", 7)
    with CaptureQueriesContext(connection) as queries:
        streamed = client.get("/units/?export=csv&sort=name")
        rows = _csv_rows(streamed)
    assert streamed.streaming
    assert streamed["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in streamed["Content-Disposition"]
    assert rows == _csv_rows(whole)
    assert len(rows) == 31
    # Read 7 rows at a time: five chunks, each one query for its units (no query per row).
    chunk_reads = [
        q
        for q in queries.captured_queries
        if "units_productionunit" in q["sql"]
        and q["sql"].startswith('SELECT "units_productionunit"."id", "units_productionunit"."name"')
    ]
    assert len(chunk_reads) == 5


def test_estates_count_units_in_production_once_each_beside_many_plots(estate_a):
    for number in range(4):
        Plot.objects.create(estate=estate_a, number=f"p{number}", area_m2=1000, state="allocated")
    for _ in range(3):
        UnitFactory(estate=estate_a, status="operating")
    UnitFactory(estate=estate_a, status="idle")
    estate = (
        IndustrialEstate.objects.with_figures()
        .annotate(unit_count=units_in_production_of_estate())
        .get(pk=estate_a.pk)
    )
    assert estate.unit_count == 3
    assert estate.plot_count == 4
    assert estate.allocated_area_m2 == 4000
    empty = EstateFactory(company=estate_a.company)
    assert (
        IndustrialEstate.objects.annotate(unit_count=units_in_production_of_estate())
        .get(pk=empty.pk)
        .unit_count
        == 0
    )


# --- read replicas ---------------------------------------------------------------------------------
def test_the_router_reads_from_the_request_replica_and_writes_to_the_primary(monkeypatch) -> None:
    router = replicas.ReplicaRouter()
    # The test itself runs in a transaction (pytest-django); a request outside one:
    monkeypatch.setattr(replicas, "_writing", lambda: False)
    assert router.db_for_read(ProductionUnit) == "default"
    with replicas.reading_from("replica1"):
        assert router.db_for_read(ProductionUnit) == "replica1"
        assert router.db_for_write(ProductionUnit) == "default"
        monkeypatch.setattr(replicas, "_writing", lambda: True)
        assert router.db_for_read(ProductionUnit) == "default"  # a transaction reads its own writes
    monkeypatch.undo()
    with transaction.atomic(), replicas.reading_from("replica1"):
        assert router.db_for_read(ProductionUnit) == "default"
    assert router.allow_migrate("default", "units") is True
    assert router.allow_migrate("replica1", "units") is False


def _seen_by(middleware_request, monkeypatch) -> tuple[str | None, HttpResponse]:
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    seen = []

    def view(request):
        seen.append(replicas._use_replica.get())
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(middleware_request)
    return seen[0], response


def test_reading_pages_use_the_replica_and_a_write_pins_the_browser_to_the_primary(monkeypatch) -> None:
    factory = RequestFactory()
    alias, _response = _seen_by(factory.get("/units/"), monkeypatch)
    assert alias == "replica1"
    alias, response = _seen_by(factory.post("/units/new/"), monkeypatch)
    assert alias is None
    pin = response.cookies[replicas.PIN_COOKIE]
    assert pin["httponly"]
    assert int(pin["max-age"]) == 5
    after_write = factory.get("/units/1/")
    after_write.COOKIES[replicas.PIN_COOKIE] = pin.value
    alias, _response = _seen_by(after_write, monkeypatch)
    assert alias is None  # the page after "saved" shows the change, whatever the replica's lag
    stale = factory.get("/units/1/")
    stale.COOKIES[replicas.PIN_COOKIE] = "100"  # a pin from long ago
    assert _seen_by(stale, monkeypatch)[0] == "replica1"


def test_without_replicas_nothing_is_routed(settings) -> None:
    assert list(settings.DATABASES) == ["default"]
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "peyvand.core.replicas.ReplicaMiddleware" not in settings.MIDDLEWARE


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS, "
        "'peyvand.core.replicas.ReplicaMiddleware' in s.MIDDLEWARE, s.DATABASES['replica2']['HOST']]))"
    )
    import os

    environment = {**os.environ, **env}
    return subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_replica_urls_in_the_environment_turn_the_router_on(tmp_path) -> None:
    result = _settings_with(
        DATABASE_URL="postgres://peyvand@db-primary:5432/peyvand",
        DATABASE_REPLICA_URLS="postgres://peyvand@db-r1:5432/peyvand,postgres://peyvand@db-r2:5432/peyvand",
        PEYVAND_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '[["default", "replica1", "replica2"], ["peyvand.core.replicas.ReplicaRouter"], true, "db-r2"]'
    )
    wrong = _settings_with(
        DATABASE_URL="postgres://peyvand@db-primary:5432/peyvand",
        DATABASE_REPLICA_URLS="sqlite:///elsewhere.sqlite3",
        PEYVAND_DATA_DIR=str(tmp_path),
    )
    assert wrong.returncode != 0
    assert "DATABASE_REPLICA_URLS must point at the same kind of database" in wrong.stderr
