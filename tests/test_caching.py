"""Cached figures and anonymous pages (issue 18 item 2): a repeated page costs no SQL, yet a change —
through a service, a form, a bulk update — shows at once; nobody is served a page or a figure counted
for somebody else; the CSRF token of a stored page is each visitor's own.

These tests commit (``transaction=True``): inside one transaction that has written, the cache is
bypassed by design, so a test wrapped in a rolled-back transaction could not see it work.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.insights.figures import home_figures
from peyvand.units import services
from peyvand.units.models import ProductionUnit

from .factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _counties_and_lists(reference_data):
    """The migrations' reference rows (a transactional test before this one flushed them)."""


@pytest.fixture
def operating(estate_a):
    start = dt.date(2021, 1, 1)
    return [UnitFactory(estate=estate_a, status="operating", status_since=start) for _ in range(3)]


def _shown(response, code: str) -> str:
    """The figure ``code`` as the page prints it (Persian digits on a Persian page)."""
    match = re.search(rf'data-testid="kpi-{code}">(?:<a [^>]*>)?([^<]+)<', response.text)
    assert match, f"no figure {code} on the page"
    return match.group(1).strip()


def _get(client: Client, path: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def test_a_visitor_reads_the_home_page_from_the_cache(operating) -> None:
    first, queries_first = _get(Client(), "/")
    again, queries_again = _get(Client(), "/")
    assert queries_first > 5
    assert queries_again == 0
    assert _shown(again, "operating_units") == _shown(first, "operating_units") == "۳"


def test_a_status_change_shows_on_the_home_page_at_once(operating, manager) -> None:
    client = Client()
    assert _shown(client.get("/"), "operating_units") == "۳"
    assert _get(client, "/")[1] == 0  # served from the cache until…
    services.change_status(
        operating[0], "idle", date=timezone.localdate(), cause="other", by=manager, check_permission=False
    )
    assert _shown(client.get("/"), "operating_units") == "۲"


def test_a_bulk_update_shows_on_the_public_statistics_at_once(operating) -> None:
    client = Client()
    assert _shown(client.get("/statistics/"), "operating_units") == "۳"
    assert _get(client, "/statistics/")[1] == 0  # served from the cache until…
    ProductionUnit.objects.filter(pk=operating[0].pk).update(status="idle")  # no signal, no service
    UnitFactory(estate=operating[0].estate, status="operating", status_since=dt.date(2021, 1, 1))
    UnitFactory(estate=operating[0].estate, status="operating", status_since=dt.date(2021, 1, 1))
    assert _shown(client.get("/statistics/"), "operating_units") == "۴"


def test_a_renamed_unit_shows_on_its_public_profile_and_in_the_directory(operating) -> None:
    client = Client()
    unit = operating[0]
    assert unit.name in client.get(f"/units/{unit.pk}/").text
    assert unit.name in client.get("/units/").text
    ProductionUnit.objects.filter(pk=unit.pk).update(name="کارخانه نام تازه")
    assert "کارخانه نام تازه" in client.get(f"/units/{unit.pk}/").text
    assert "کارخانه نام تازه" in client.get("/units/").text


def test_the_page_is_kept_per_language(operating, settings) -> None:
    persian, _ = _get(Client(), "/")
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = _get(english_client, "/")
    again, queries = _get(english_client, "/")
    persian_again, _ = _get(Client(), "/")
    assert '<html lang="fa" dir="rtl">' in persian.text
    assert '<html lang="fa" dir="rtl">' in persian_again.text
    assert '<html lang="en" dir="ltr">' in english.text
    assert '<html lang="en" dir="ltr">' in again.text
    assert queries == 0
    assert _shown(again, "operating_units") == "3"
    assert _shown(persian_again, "operating_units") == "۳"


def test_a_signed_in_user_never_gets_the_visitors_page(operating, manager) -> None:
    _get(Client(), "/")  # stored for visitors
    client = Client()
    client.force_login(manager)
    response, queries = _get(client, "/")
    assert queries > 0
    assert manager.display_name() in response.text
    assert "/units/?status=operating" in response.text  # the staff's drill-down link, not the public page


def test_a_signed_in_users_page_is_not_served_to_visitors(operating, manager) -> None:
    client = Client()
    client.force_login(manager)
    client.get("/")
    response, queries = _get(Client(), "/")
    assert queries > 0
    assert manager.display_name() not in response.text
    assert "/units/?status=operating" not in response.text


def test_each_visitor_gets_a_working_csrf_token_of_their_own(operating) -> None:
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get("/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        assert "placeholder" not in token
        switched = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302  # a 403 if the token were another visitor's
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_figures_are_counted_for_each_company_from_the_cache(operating, manager, staff_b) -> None:
    figures = {figure.code: figure.value for figure in home_figures(manager)}
    assert figures["operating_units"] == 3
    with CaptureQueriesContext(connection) as queries:
        again = {figure.code: figure.value for figure in home_figures(manager)}
    assert again == figures
    assert len(queries) == 0
    other = {figure.code: figure.value for figure in home_figures(staff_b)}
    assert other["operating_units"] == 0  # counted over company B's units, not read from A's


def test_a_transaction_sees_its_own_change_and_others_see_it_once_committed(operating) -> None:
    client = Client()
    assert _shown(client.get("/"), "operating_units") == "۳"
    with transaction.atomic():
        ProductionUnit.objects.filter(pk=operating[0].pk).update(status="idle")
        inside = {figure.code: figure.value for figure in home_figures(None)}
        assert inside["operating_units"] == 2
    assert _shown(client.get("/"), "operating_units") == "۲"


def test_a_change_rolled_back_leaves_the_figures_right(operating) -> None:
    client = Client()
    assert _shown(client.get("/"), "operating_units") == "۳"

    def change_then_fail() -> None:
        with transaction.atomic():
            ProductionUnit.objects.filter(pk=operating[0].pk).update(status="idle")
            _get(Client(), "/")  # a page read inside the transaction is not stored
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert _shown(client.get("/"), "operating_units") == "۳"


def test_a_replica_read_just_after_a_change_is_not_kept(operating, settings) -> None:
    """A replica may lag behind a change for a moment: what it reads then is not kept under the new
    version (it would be served stale until the next change), nor is an older value served; past the
    replicas' pin a replica's read is kept as the primary's."""
    from peyvand.core import caching, replicas

    reads = []

    def count() -> int:
        reads.append(1)
        return ProductionUnit.objects.count()

    caching.bump()
    settings.PEYVAND_REPLICA_PIN_SECONDS = 60
    with replicas.reading_from("default"):  # the test database stands for the replica
        assert caching.remember(("units",), count) == 3
        assert caching.remember(("units",), count) == 3
    assert len(reads) == 2
    settings.PEYVAND_REPLICA_PIN_SECONDS = 0
    with replicas.reading_from("default"):
        caching.remember(("units",), count)
        caching.remember(("units",), count)
    assert len(reads) == 3
