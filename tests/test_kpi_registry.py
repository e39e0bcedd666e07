"""Every KPI in the registry equals the count (or the total) of the list it links to — walked generically,
so figures that later modules declare are held to their lists too — and equals hand counts here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from peyvand.core import kpis
from peyvand.core.kpis import Period, Query
from peyvand.estates.models import County
from peyvand.sourcing.models import Linkage, LinkageStep
from peyvand.taxonomy.models import Classification
from peyvand.units.models import StatusChange

from .factories import EstateFactory, OrganisationFactory, PlotFactory, UnitFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)  # 1405/03/25
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _history(unit, *moves: tuple[str, str, dt.date]) -> None:
    for from_status, to_status, date in moves:
        StatusChange.objects.create(
            unit=unit, from_status=from_status, to_status=to_status, date=date, cause="other"
        )
    unit.status, unit.status_since = moves[-1][1], moves[-1][2]
    unit.save()


def _linkage(company, buyer, unit, path: list[tuple[str, dt.date]], **values) -> Linkage:
    linkage = Linkage.objects.create(
        company=company,
        buyer=buyer,
        unit=unit,
        source="direct",
        stage=path[-1][0],
        stage_date=path[-1][1],
        introduced_on=path[0][1],
        **values,
    )
    previous = ""
    for stage, date in path:
        LinkageStep.objects.create(linkage=linkage, from_stage=previous, to_stage=stage, date=date)
        previous = stage
    return linkage


@pytest.fixture
def registry_world(company_a, estate_a, estate_b):
    """Units in two counties with dated histories, plots, and a ledger (see each comment)."""
    start = dt.date(2021, 3, 21)
    lahijan = EstateFactory(company=company_a, county=County.objects.get(code="lahijan"))
    metal = Classification.objects.filter(scheme="isic4", code="2511").first()
    # operating throughout, export-oriented, micro
    u1 = UnitFactory(estate=estate_a, status_since=start, export_oriented=True, employees=5)
    # back from idle two months ago, medium
    u2 = UnitFactory(estate=estate_a, status="idle", status_since=start, employees=60)
    _history(u2, ("idle", "operating", days_ago(60)))
    # back half-way eleven months ago, in Lahijan
    u3 = UnitFactory(estate=lahijan, status="idle", status_since=start)
    _history(u3, ("idle", "semi_active", days_ago(335)))
    # idle for three months, in Lahijan
    u4 = UnitFactory(estate=lahijan, status_since=start)
    _history(u4, ("operating", "idle", days_ago(90)))
    # built and operating since 200 days ago, export-oriented, in Lahijan
    u5 = UnitFactory(estate=lahijan, status="under_construction", status_since=start, export_oriented=True)
    _history(u5, ("under_construction", "operating", days_ago(200)))
    # a metal workshop, operating
    UnitFactory(estate=estate_a, status_since=start, isic=metal, employees=120)
    # another company's unit: outside the manager's figures, inside the public directory
    UnitFactory(estate=estate_b, status_since=start)
    PlotFactory(estate=estate_a, state="free")
    PlotFactory(estate=lahijan, state="allocated")
    buyer = OrganisationFactory(kind="buyer", name="خریدار بزرگ")
    # contract signed 100 days ago: 1 billion rial, 30% exported, 4 jobs
    _linkage(
        company_a,
        buyer,
        u1,
        [("introduced", days_ago(150)), ("contract_signed", days_ago(100))],
        contract_value_rial=1_000_000_000,
        export_share=Decimal("30"),
        jobs_created=4,
    )
    # contract signed 400 days ago, delivered since; Lahijan
    _linkage(
        company_a,
        buyer,
        u5,
        [
            ("introduced", days_ago(420)),
            ("contract_signed", days_ago(400)),
            ("first_delivery", days_ago(300)),
        ],
        contract_value_rial=555_555_555,
        export_share=Decimal("33.33"),
        jobs_created=2,
    )
    # just introduced
    _linkage(company_a, buyer, u2, [("introduced", days_ago(20))])
    # signed, then lost: not a contract
    _linkage(
        company_a,
        buyer,
        u4,
        [("introduced", days_ago(500)), ("contract_signed", days_ago(450)), ("lost", days_ago(95))],
        contract_value_rial=7_000_000_000,
        export_share=Decimal("50"),
        jobs_created=9,
    )
    return {"estate_a": estate_a, "lahijan": lahijan}


def _list_value(client, url: str, total_key: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    if total_key:
        found = re.search(rf'data-total="{total_key}" data-value="(\d+)"', page.text)
    else:
        found = re.search(r'data-testid="result-count">\s*([\d۰-۹٬,]+)', page.text)
    assert found, f"{url} shows no {total_key or 'count'}"
    return int(found.group(1).translate(DIGITS).replace("٬", "").replace(",", ""))


def _queries(user, world) -> list[Query]:
    division = Classification.objects.get(scheme="isic4", level="division", code="25")
    base = Query(user, Period(TODAY))
    return [
        base,
        base.with_filters(estate=str(world["estate_a"].pk)),
        base.with_filters(county=str(world["lahijan"].county_id)),
        base.with_filters(size="micro"),
        base.with_filters(isic=str(division.pk)),
        Query(user, Period(dt.date(2025, 12, 1))),  # 1404/09/10: figures rebuilt from history
        Query(user, Period(dt.date(2025, 12, 1)), {"county": str(world["lahijan"].county_id)}),
        Query(user, Period(TODAY, kpis.JALALI_YEAR)),
        Query(user, Period(dt.date(2025, 9, 22), kpis.JALALI_MONTH)),  # Shahrivar 1404
    ]


@time_machine.travel(NOW, tick=False)
def test_every_registered_figure_equals_the_list_it_links_to(registry_world, manager, client) -> None:
    client.force_login(manager)
    available = {kpi.code for kpi in kpis.registry() if kpi.available}
    compared: set[str] = set()
    for query in _queries(manager, registry_world):
        for kpi in kpis.registry():
            figure = kpis.evaluate(kpi, query)
            if figure.value is None:
                continue
            assert figure.url, f"{kpi.code} has no list"
            counted = figure.count if kpi.is_ratio else figure.value
            assert _list_value(client, figure.url, kpi.total_key) == int(counted), (kpi.code, query)
            if kpi.is_ratio:
                assert _list_value(client, figure.base_url, "") == figure.base, (kpi.code, query)
            compared.add(kpi.code)
    assert compared == available


@time_machine.travel(NOW, tick=False)
def test_every_public_figure_with_a_public_list_equals_that_list_for_the_public(
    registry_world, client
) -> None:
    public = AnonymousUser()
    compared = 0
    for kpi in kpis.registry():
        figure = kpis.evaluate(kpi, Query(public, Period(TODAY)))
        if not kpi.public_list:
            assert figure.url is None, kpi.code  # the public gets no link to a staff-only list
            continue
        counted = figure.count if kpi.is_ratio else figure.value
        assert _list_value(client, figure.url, kpi.total_key) == counted, kpi.code
        compared += 1
    assert compared >= 3


@time_machine.travel(NOW, tick=False)
def test_figures_equal_hand_counts(registry_world, manager) -> None:
    today = {figure.code: figure for figure in kpis.figures(Query(manager, Period(TODAY)))}
    assert today["operating_units"].value == 4  # u1, u2, u5, metal
    assert today["idle_units"].value == 1
    assert today["returned_to_production"].value == 2  # u2, u3
    assert today["units_in_production"].value == 5
    assert today["export_share"].value == pytest.approx(40.0)  # u1, u5 of 5
    assert today["estates"].value == 3  # every estate is public: the company's two and B's
    assert today["estates_with_free_plots"].value == 1
    assert today["linkages"].value == 4
    assert today["contracts"].value == 2
    assert today["contract_value"].value == 1_555_555_555
    assert today["indirect_exports"].value == 300_000_000 + 185_166_666  # 30% and 33.33%, to the rial
    assert today["jobs_created"].value == 6
    past = {
        figure.code: figure.value for figure in kpis.figures(Query(manager, Period(dt.date(2025, 12, 1))))
    }
    # 1404/09/10 (2025-12-01): u5 has operated since 2025-11-27
    assert past["operating_units"] == 4  # u1, u4 (idle only 90 days ago), u5, metal; u2 still idle
    assert past["idle_units"] == 1  # u2
    assert past["contracts"] == 1  # the Lahijan contract; u1's was signed later
    assert past["linkages"] == 2  # u4's and u5's had been introduced by then; u1's came in January


@time_machine.travel(NOW, tick=False)
def test_a_figure_not_broken_down_by_a_filter_says_so_rather_than_ignoring_it(
    registry_world, manager
) -> None:
    query = Query(manager, Period(TODAY), {"size": "micro"})
    figure = kpis.evaluate(kpis.get("linkages"), query)
    assert figure.value is None
    assert str(figure.note)


def _patch_registry(monkeypatch) -> None:
    """A copy of the registry for this test. The apps' figures are discovered first: discovered into the
    copy, they vanished with it and left the process's registry empty for every later test (under
    xdist, whichever test a worker ran first decided it)."""
    kpis.registry()
    monkeypatch.setattr(kpis, "_REGISTRY", dict(kpis._REGISTRY))


def test_placeholders_say_not_yet_available_and_never_give_a_number(monkeypatch) -> None:
    _patch_registry(monkeypatch)
    kpis.register(
        kpis.KPI(
            code="sample_later", name="x", definition="x", available=False, arrives_with="a later module"
        )
    )
    placeholders = [kpi for kpi in kpis.registry() if not kpi.available]
    # The press statement's figures (new investors, plants due, direct exports) all come from their modules.
    assert [kpi.code for kpi in placeholders] == ["sample_later"]
    for kpi in placeholders:
        figure = kpis.evaluate(kpi, Query(None, Period(TODAY)))
        assert figure.value is None
        assert figure.url is None
        assert kpi.arrives_with
        assert kpi.definition


def test_a_modules_own_declaration_replaces_the_placeholder_in_either_order(monkeypatch) -> None:
    _patch_registry(monkeypatch)
    placeholder = kpis.KPI(code="sample_kpi", name="x", definition="x", available=False, arrives_with="later")
    real = kpis.KPI(code="sample_kpi", name="x", definition="x", rows=lambda query: None, app="later")
    kpis.register(placeholder)
    kpis.register(real)
    assert kpis.get("sample_kpi") is real
    kpis.register(placeholder)  # a placeholder imported after the module's figure changes nothing
    assert kpis.get("sample_kpi") is real
    with pytest.raises(ImproperlyConfigured):
        kpis.register(
            kpis.KPI(code="sample_kpi", name="y", definition="y", rows=lambda query: None, app="other")
        )


def test_jalali_periods_and_the_same_period_last_year() -> None:
    year = Period(TODAY, kpis.JALALI_YEAR)
    assert year.start == dt.date(2026, 3, 21)  # 1405/01/01
    assert year.a_year_before() == Period(dt.date(2025, 6, 15), kpis.JALALI_YEAR)  # 1404/03/25
    assert year.a_year_before().start == dt.date(2025, 3, 21)  # 1404/01/01
    month = Period(TODAY, kpis.JALALI_MONTH)
    assert month.start == dt.date(2026, 5, 22)  # 1405/03/01
    assert Period(TODAY).start == dt.date(2025, 6, 16)
    # 30 Esfand 1403 (a leap year) a year before is 29 Esfand 1402
    assert Period(dt.date(2025, 3, 20), kpis.JALALI_YEAR).a_year_before().end == dt.date(2024, 3, 19)
    assert kpis.jalali_month_bounds(1404, 12) == (dt.date(2026, 2, 20), dt.date(2026, 3, 20))
