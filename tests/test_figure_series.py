"""A figure's series (its months, its years, the same date a year before) counted together gives exactly
the figures counted one date at a time — for every KPI in the registry, whoever asks and whatever the
filters, on a history with backdated and same-day changes, units created later, closed and merged units."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peyvand.core import kpis
from peyvand.core.kpis import Period, Query
from peyvand.estates.models import County
from peyvand.insights import figures
from peyvand.taxonomy.models import Classification
from peyvand.units.models import ProductionUnit, StatusChange
from peyvand.units.services import merge_units

from .factories import EstateFactory, UnitFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)  # 1405/03/25
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
START = dt.date(2021, 3, 21)


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _record(unit, from_status: str, to_status: str, date: dt.date) -> None:
    """One change as a backdating import writes it: recorded now, dated ``date`` (ids need not follow dates)."""
    StatusChange.objects.create(
        unit=unit, from_status=from_status, to_status=to_status, date=date, cause="other"
    )


def _settle(unit) -> None:
    """``status`` from the history, as ``change_status`` keeps it (the last change by date, then id)."""
    last = StatusChange.objects.filter(unit=unit).order_by("-date", "-id").first()
    unit.status, unit.status_since = last.to_status, last.date
    unit.save()


@pytest.fixture
def history_world(company_a, estate_a, estate_b, manager):
    lahijan = EstateFactory(company=company_a, county=County.objects.get(code="lahijan"))
    metal = Classification.objects.filter(scheme="isic4", code="2511").first()
    # operating throughout, export-oriented, micro
    UnitFactory(estate=estate_a, status_since=START, export_oriented=True, employees=5)
    # backdated: the later change recorded first, the earlier one (idle 300 days ago) recorded after it
    backdated = UnitFactory(estate=estate_a, status_since=START, export_oriented=True, employees=60)
    _record(backdated, "idle", "operating", days_ago(40))
    _record(backdated, "operating", "idle", days_ago(300))
    _settle(backdated)
    # same day: idle then semi-active on one date (the later record wins), in Lahijan
    same_day = UnitFactory(estate=lahijan, status_since=START, export_oriented=True)
    _record(same_day, "operating", "idle", days_ago(120))
    _record(same_day, "idle", "semi_active", days_ago(120))
    _settle(same_day)
    # created after most dates asked: under construction 50 days ago, operating 10 days ago, metal
    late = UnitFactory(estate=lahijan, status="under_construction", status_since=days_ago(50), isic=metal)
    _record(late, "under_construction", "operating", days_ago(10))
    _settle(late)
    # closed 200 days ago
    closed = UnitFactory(estate=estate_a, status_since=START, employees=120, isic=metal)
    _record(closed, "operating", "closed", days_ago(200))
    _settle(closed)
    # a duplicate registered two years later, merged into its survivor (its history moves with it)
    survivor = UnitFactory(estate=estate_a, status="idle", status_since=START, national_id="10101010101")
    _record(survivor, "idle", "operating", days_ago(500))
    _settle(survivor)
    duplicate = UnitFactory(estate=estate_a, status_since=days_ago(400), export_oriented=True)
    merge_units(survivor, duplicate, by=manager)
    # a change dated in the future (today's figure reads ``status``, as ``in_status`` does)
    ahead = UnitFactory(estate=lahijan, status_since=START)
    _record(ahead, "operating", "idle", TODAY + dt.timedelta(days=3))
    # another company's unit: outside the manager's figures, inside the public's and the reports'
    other = UnitFactory(estate=estate_b, status_since=START, export_oriented=True)
    _record(other, "operating", "idle", days_ago(75))
    _settle(other)
    assert not ProductionUnit.objects.filter(pk=duplicate.pk).exists()
    return {"estate_a": estate_a, "lahijan": lahijan, "metal": metal}


def _filter_sets(world) -> list[dict[str, str]]:
    division = Classification.objects.get(scheme="isic4", level="division", code="25")
    return [
        {},
        {"estate": str(world["estate_a"].pk)},
        {"county": str(world["lahijan"].county_id)},
        {"size": "micro"},
        {"isic": str(division.pk)},
        {"isic": "999999"},  # no such division: nothing matches
    ]


def _dates() -> list[dt.date]:
    """Month ends, the days of the changes and the days around them, today and a day ahead."""
    ends = [days_ago(30 * months) for months in range(26)]
    around = [
        days_ago(days + shift) for days in (10, 40, 50, 75, 120, 200, 300, 400, 500) for shift in (-1, 0, 1)
    ]
    return sorted({*ends, *around, START - dt.timedelta(days=1), START, TODAY + dt.timedelta(days=5)})


def _series_kpis() -> list[kpis.KPI]:
    return [kpi for kpi in kpis.registry() if kpi.series is not None]


@time_machine.travel(NOW, tick=False)
def test_the_status_figures_declare_a_series() -> None:
    codes = {kpi.code for kpi in _series_kpis()}
    assert codes == {"operating_units", "idle_units", "units_in_production", "export_share"}
    assert all(kpi.period == kpis.AS_OF for kpi in _series_kpis())


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", ["manager", "reports", "public"])
def test_a_series_equals_the_figures_counted_from_their_rows_one_date_at_a_time(
    history_world, manager, who
) -> None:
    user = {"manager": manager, "reports": None, "public": AnonymousUser()}[who]
    for filters in _filter_sets(history_world):
        queries = [Query(user, Period(day, kpis.JALALI_MONTH), filters) for day in _dates()]
        for kpi in _series_kpis():
            together = kpis.evaluate_many(kpi, queries)
            for query, figure in zip(queries, together, strict=True):
                value, base = kpis.count_rows(kpi, query)  # the definition: its rows (and base) counted
                context = (kpi.code, who, filters, query.on)
                if base is None:
                    assert (figure.value, figure.base) == (value, None), context
                else:
                    assert (figure.count, figure.base) == (value, base), context
                    assert figure.value == (round(100 * value / base, 1) if base else 0), context
                linkable = kpis.may_open_list(kpi, user)
                assert figure.url == (kpi.list_url(query) if linkable else None), context


@time_machine.travel(NOW, tick=False)
def test_every_figure_of_the_registry_evaluated_together_counts_its_rows(history_world, manager) -> None:
    """Figures without a series (flows, today-only ones, placeholders) count their rows, as before."""
    queries = [
        Query(manager, Period(day, kind)) for day in (TODAY, days_ago(365)) for kind in kpis.PERIOD_KINDS
    ]
    for kpi in kpis.registry():
        together = kpis.evaluate_many(kpi, queries)
        alone = [kpis.evaluate(kpi, query) for query in queries]
        assert [(f.value, f.note) for f in together] == [(f.value, f.note) for f in alone], kpi.code
        for query, figure in zip(queries, together, strict=True):
            if figure.available:
                value, base = kpis.count_rows(kpi, query)
                assert (figure.count if base is not None else figure.value) == value, (kpi.code, query)


@time_machine.travel(NOW, tick=False)
def test_the_series_matches_in_status_for_each_unit_set(history_world) -> None:
    """The query-set level: ``counts_in_status`` against ``in_status(...).count()`` on every date."""
    units = ProductionUnit.objects.all()
    for statuses in (
        ["operating"],
        ["idle"],
        ["operating", "semi_active"],
        ["closed"],
        ["under_construction"],
    ):
        counts = units.counts_in_status(statuses, _dates(), among="export_oriented")
        for day in _dates():
            on = units.in_status(statuses, on=day)
            assert counts[day] == (on.count(), on.filter(export_oriented=True).count()), (statuses, day)


@pytest.mark.django_db(transaction=True)  # committed: the cache is bypassed in a transaction that wrote
@time_machine.travel(NOW, tick=False)
def test_the_dashboards_status_figures_read_one_pass_over_the_history(
    reference_data, history_world, manager
) -> None:
    """The dashboard's comparison with a year before (every figure), the 24 months and the 5 years of
    a status figure: one window pass over the history in all (it was one per date and figure, 0.2–0.4 s
    each at 100,000 units), kept for the page's other status figures — and the same figures as counted
    one date at a time."""
    query = figures.query_for(manager, TODAY)
    kpi = kpis.get("operating_units")
    with CaptureQueriesContext(connection) as today:
        counties = figures.by_county(kpi, query)
    assert not [q for q in today.captured_queries if " OVER " in q["sql"].upper()]  # today: ``status``
    with CaptureQueriesContext(connection) as captured:
        compared = figures.compare(query)
        months = figures.monthly(kpi, query)
        years = figures.yearly(kpi, query)
    passes = [sql for sql in (q["sql"] for q in captured.captured_queries) if " OVER " in sql.upper()]
    assert len(passes) == 1, passes
    assert sum(row["value"] for row in counties) == kpis.count_rows(kpi, query)[0]
    for row in compared:
        if row.last_year.available and row.last_year.base is None:
            counted = kpis.count_rows(row.last_year.kpi, row.last_year.query)[0]
            assert row.last_year.value == counted, row.figure.code
    for point in [*months, *years]:
        assert point.figure.value == kpis.count_rows(kpi, point.figure.query)[0]
    for point in months:
        assert point.last_year.value == kpis.count_rows(kpi, point.last_year.query)[0]
