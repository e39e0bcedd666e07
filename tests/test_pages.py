"""Every page renders in Persian (RTL) and English (LTR); list pages do not grow queries with rows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import PlotFactory, UnitFactory
from .matrix_world import build_objects
from .test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor):
    return build_objects(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_page_the_manager_may_open_renders_in_both_languages(client, manager, world, language) -> None:
    client.force_login(manager)
    client.cookies["peyvand_language"] = language
    direction = "rtl" if language == "fa" else "ltr"
    opened = 0
    for name, (kwargs, answers) in MATRIX.items():
        if answers["manager"] != 200:
            continue
        response = client.get(reverse(name, kwargs=kwargs(world)))
        assert response.status_code == 200, name
        if "text/html" in response["Content-Type"] and "<html" in response.text:
            assert f'lang="{language}" dir="{direction}"' in response.text, name
            opened += 1
    assert opened > 15


def test_persian_pages_show_jalali_dates_and_persian_digits(client, manager, unit_a) -> None:
    client.force_login(manager)
    response = client.get(reverse("units:detail", args=[unit_a.pk]))
    assert "۱۴۰۰" in response.text  # status since 2021-03-21 = 1 Farvardin 1400
    assert "فروردین" in response.text


def test_english_pages_show_gregorian_dates(client, manager, unit_a) -> None:
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    response = client.get(reverse("units:detail", args=[unit_a.pk]))
    assert "21 Mar 2021" in response.text


def test_error_pages_are_persian(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "این صفحه پیدا نشد" in response.text


def _queries(client, url: str) -> int:
    """Queries of one request, measured right after a warm-up request so that short-lived caches (the demo
    banner's flag lives 60 s; a slow CI run can outlast it between two measurements) are warm both times."""
    cache.clear()  # a value an earlier test cached survives a warm-up and may expire during the measurement
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["manager", "buyer"])
@pytest.mark.parametrize("url_name", ["units:list", "estates:list", "accounts:organisations", "units:claims"])
def test_list_pages_run_a_fixed_number_of_queries(client, request, estate_a, persona, url_name) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for _ in range(3):
        UnitFactory(estate=estate_a)
    few = _queries(client, reverse(url_name))
    for _ in range(20):
        PlotFactory(estate=UnitFactory(estate=estate_a).estate)
    many = _queries(client, reverse(url_name))
    assert many == few, f"{url_name}: {few} queries with few rows, {many} with many"
    assert many <= 20


def test_the_estate_page_runs_a_fixed_number_of_queries(client, manager, estate_a) -> None:
    client.force_login(manager)
    url = reverse("estates:detail", args=[estate_a.pk])
    for _ in range(2):
        UnitFactory(estate=estate_a, plot=PlotFactory(estate=estate_a))
    client.get(url)
    few = _queries(client, url)
    for _ in range(12):
        UnitFactory(estate=estate_a, plot=PlotFactory(estate=estate_a))
    assert _queries(client, url) == few
