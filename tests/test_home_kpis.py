"""Home figures are computed from the registry, equal hand counts, and link to lists of that length."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from peyvand.core.kpis import last_twelve_months
from peyvand.insights.figures import home_figures
from peyvand.units.models import StatusChange

from .factories import UnitFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def _history(unit, *moves: tuple[str, str, dt.date]) -> None:
    for from_status, to_status, date in moves:
        StatusChange.objects.create(
            unit=unit, from_status=from_status, to_status=to_status, date=date, cause="other"
        )
    unit.status, unit.status_since = moves[-1][1], moves[-1][2]
    unit.save()


@pytest.fixture
def registry(estate_a):
    """Seven units with hand-checked histories (see each comment)."""
    start = dt.date(2021, 1, 1)
    # operating throughout, export-oriented
    UnitFactory(estate=estate_a, status="operating", status_since=start, export_oriented=True)
    # back from idle two months ago: returned
    u2 = UnitFactory(estate=estate_a, status="idle", status_since=start)
    _history(u2, ("idle", "operating", TODAY - dt.timedelta(days=60)))
    # back half-way eleven months ago: returned
    u3 = UnitFactory(estate=estate_a, status="idle", status_since=start)
    _history(u3, ("idle", "semi_active", TODAY - dt.timedelta(days=335)))
    # back thirteen months ago: not returned in the last 12 months
    u4 = UnitFactory(estate=estate_a, status="idle", status_since=start)
    _history(u4, ("idle", "operating", TODAY - dt.timedelta(days=400)))
    # returned twice inside the window: counted once
    u5 = UnitFactory(estate=estate_a, status="idle", status_since=start)
    _history(
        u5,
        ("idle", "operating", TODAY - dt.timedelta(days=300)),
        ("operating", "idle", TODAY - dt.timedelta(days=200)),
        ("idle", "operating", TODAY - dt.timedelta(days=30)),
    )
    # idle now
    u6 = UnitFactory(estate=estate_a, status="operating", status_since=start)
    _history(u6, ("operating", "idle", TODAY - dt.timedelta(days=90)))
    # semi-active, export-oriented
    UnitFactory(estate=estate_a, status="semi_active", status_since=start, export_oriented=True)


def _figures(user) -> dict:
    return {figure.code: figure for figure in home_figures(user, today=TODAY)}


def test_the_window_is_the_twelve_months_ending_today() -> None:
    assert last_twelve_months(TODAY) == (dt.date(2025, 6, 16), TODAY)
    assert last_twelve_months(dt.date(2028, 2, 29)) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_home_figures_equal_hand_counts(registry, manager) -> None:
    figures = _figures(manager)
    assert figures["operating_units"].value == 4
    assert figures["returned_to_production"].value == 3
    assert figures["idle_units"].value == 1
    assert figures["estates"].value == 1
    assert figures["export_share"].value == pytest.approx(33.3)
    assert figures["export_share"].base == 6


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_each_figure_links_to_a_list_with_that_many_rows(registry, manager, client) -> None:
    client.force_login(manager)
    home = client.get("/")
    assert home.status_code == 200
    for figure in home_figures(manager):
        if figure.code == "estates":
            continue
        response = client.get(figure.url)
        shown = re.search(r'data-testid="result-count">\s*([\d۰-۹٬,]+)', response.text).group(1)
        count = int(
            shown.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).replace("٬", "").replace(",", "")
        )
        expected = figure.value if figure.code != "export_share" else 2
        assert count == expected, figure.code


def test_a_register_today_figure_is_not_guessed_for_a_past_date(registry, manager) -> None:
    figure = _figures(manager)["estates"]  # TODAY lies in the past now: estates keep no dated history
    assert figure.value is None
    assert figure.url is None


def test_staff_of_another_company_count_only_their_own_units(registry, staff_b) -> None:
    assert _figures(staff_b)["operating_units"].value == 0


def test_the_public_sees_the_figures_without_drill_down_links(registry, client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-kpi="operating_units"' in response.text
    assert "/units/?status=operating" not in response.text
