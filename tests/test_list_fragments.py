"""A list page's table and filter form drawn once and kept (``{% fragment %}``, issue 18): a repeated staff
list costs no drawing and no row query, yet each person is served the rows they may see — never the
fragment drawn for somebody else — and a change shows at once.

These tests commit (``transaction=True``), as tests/test_caching.py: inside a transaction that has
written, nothing is cached.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peyvand.units.models import ProductionUnit

from .factories import UnitFactory

# reference_data: the migrations' reference rows (a transactional test before this one flushed them)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _names(response) -> set[str]:
    """The units' names in the list's table."""
    table = response.text.split('data-testid="units-table"', 1)[1]
    return set(re.findall(r'class="fw-medium">([^<]+)</a>', table))


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, path: str = "/units/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def _reads_units(queries: list[str]) -> bool:
    return any('FROM "units_productionunit"' in sql and "COUNT(" not in sql for sql in queries)


def test_a_repeated_staff_list_is_served_without_reading_its_rows(kept_units, manager) -> None:
    client = _signed_in(manager)
    first, queries_first = _get(client)
    again, queries_again = _get(client)
    assert _reads_units(queries_first)
    assert not _reads_units(queries_again)
    assert _names(again) == _names(first) == {"کارخانه الف پیدا", "کارخانه الف خاموش"}


def test_two_companies_staff_get_their_own_rows_from_a_warm_cache(kept_units, manager, staff_b) -> None:
    company_a, company_b = _signed_in(manager), _signed_in(staff_b)
    for _ in range(2):  # the second round is served from what the first stored
        assert _names(_get(company_a)[0]) == {"کارخانه الف پیدا", "کارخانه الف خاموش"}
        assert _names(_get(company_b)[0]) == {"کارخانه ب پیدا"}


def test_a_visitor_never_gets_the_staffs_fragment(kept_units, manager) -> None:
    staff = _signed_in(manager)
    _get(staff, "/units/?q=کارخانه")
    _get(staff, "/units/?q=کارخانه")
    visitor, _queries = _get(Client(), "/units/?q=کارخانه")
    # The public directory: units in production of both companies, not company A's idle one.
    assert _names(visitor) == {"کارخانه الف پیدا", "کارخانه ب پیدا"}
    assert 'name="status"' not in visitor.text  # the staff-only status filter is not drawn for visitors


def test_a_change_shows_in_the_kept_list_at_once(kept_units, manager) -> None:
    client = _signed_in(manager)
    _get(client)
    assert not _reads_units(_get(client)[1])  # kept until…
    ProductionUnit.objects.filter(pk=kept_units["a_idle"].pk).update(name="کارخانه الف نام تازه")
    UnitFactory(estate=kept_units["a_operating"].estate, name="کارخانه الف تازه")
    assert _names(_get(client)[0]) == {"کارخانه الف پیدا", "کارخانه الف نام تازه", "کارخانه الف تازه"}


def test_each_filter_and_language_is_kept_apart(kept_units, manager, settings) -> None:
    client = _signed_in(manager)
    for _ in range(2):
        assert _names(_get(client, "/units/?status=idle")[0]) == {"کارخانه الف خاموش"}
        assert _names(_get(client, "/units/?status=operating")[0]) == {"کارخانه الف پیدا"}
    persian = _get(client, "/units/?status=idle")[0].text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _get(client, "/units/?status=idle")[0].text
    assert "۱ واحد" in persian
    assert "1 unit" in english
    checked = re.findall(r'<input[^>]*name="status"[^>]*value="(\w+)"[^>]*checked', persian)
    assert checked == ["idle"]  # the filter form drawn for this query string, not the last one


def test_a_later_page_is_drawn_afresh(kept_units, manager) -> None:
    client = _signed_in(manager)
    _get(client, "/units/?page=1&per_page=1")
    assert _reads_units(_get(client, "/units/?page=1&per_page=1")[1])


def _filters(response) -> str:
    match = re.search(r'<form method="get"[^>]*data-testid="filters".*?</form>', response.text, re.S)
    assert match, "no filter form on the page"
    return match.group(0)


def test_the_filter_form_is_kept_for_every_page_of_the_list(kept_units, manager) -> None:
    """The filter form is the same on page 1 and page 2 (its fragment is kept for all pages); the rows
    of page 2 are drawn afresh."""
    client = _signed_in(manager)
    first, _queries = _get(client, "/units/?status=operating&per_page=1")
    later, queries = _get(client, "/units/?status=operating&per_page=1&page=2")
    assert _filters(later) == _filters(first)
    assert re.search(r'value="operating"[^>]*checked', _filters(later))
    assert not any(
        'FROM "estates_industrialestate"' in sql and "units_productionunit" not in sql for sql in queries
    )
    assert _reads_units(queries)
    other, _queries = _get(client, "/units/?status=idle&per_page=1&page=2")
    assert re.search(r'value="idle"[^>]*checked', _filters(other))  # another filter: its own form


def _export_total(client: Client) -> str:
    match = re.search(r'data-total="value_usd" data-value="(\d+)"', client.get("/trade/exports/").text)
    assert match, "no export total on the page"
    return match.group(1)


def test_export_totals_are_kept_per_company_and_follow_a_new_record(kept_units, manager, staff_b) -> None:
    from peyvand.trade.models import ExportRecord
    from peyvand.trade.services import prepare

    def record(unit: ProductionUnit, value_usd: int) -> None:
        entry = ExportRecord(
            unit=unit,
            product="چای",
            hs_code="090240",
            destination="IQ",
            value_usd=value_usd,
            year=1404,
            month=5,
            source="customs",
        )
        prepare(entry)
        entry.save()

    record(kept_units["a_operating"], 1000)
    record(kept_units["b_operating"], 7)
    company_a, company_b = _signed_in(manager), _signed_in(staff_b)
    for _ in range(2):  # the second round from the cache
        assert _export_total(company_a) == "1000"
        assert _export_total(company_b) == "7"
    record(kept_units["a_idle"], 250)
    assert _export_total(company_a) == "1250"
    assert _export_total(company_b) == "7"


def _rial_total_text(client: Client) -> str:
    html = client.get("/trade/exports/").text
    match = re.search(r'data-total="value_rial"[^>]*>([^<]*)<', html)
    assert match, "no rial total on the page"
    return match.group(1)


def test_amounts_follow_the_users_money_unit(kept_units, manager, settings) -> None:
    """Changing "show money in" (a write to the user's own row, which moves no data version) shows the
    amounts in the new unit at once; two superusers (one audience) each see their own unit."""
    from peyvand.trade.models import ExportRecord
    from peyvand.trade.services import prepare

    from .factories import UserFactory

    entry = ExportRecord(
        unit=kept_units["a_operating"],
        product="چای",
        hs_code="090240",
        destination="IQ",
        value_usd=1000,
        value_rial=50_000_000_000,
        year=1404,
        month=5,
        source="customs",
    )
    prepare(entry)
    entry.save()
    client = _signed_in(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "toman" in _rial_total_text(client)
    assert "toman" in _rial_total_text(client)  # kept
    manager.money_unit = "rial"
    manager.save(update_fields=["money_unit"])
    assert "rial" in _rial_total_text(client)

    first = UserFactory(is_superuser=True, is_staff=True, money_unit="toman")
    second = UserFactory(is_superuser=True, is_staff=True, money_unit="rial")
    first_client, second_client = _signed_in(first), _signed_in(second)
    for each in (first_client, second_client):
        each.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "toman" in _rial_total_text(first_client)
    assert "rial" in _rial_total_text(second_client)


def test_a_deep_pages_ids_are_kept_until_the_data_changes(kept_units, manager, monkeypatch) -> None:
    from peyvand.core import paging

    monkeypatch.setattr(paging, "DEFERRED_FROM", 1)  # page 2 of one row a page is read by its ids
    client = _signed_in(manager)
    estate = kept_units["a_operating"].estate

    def second(expected_id_query: bool) -> set[str]:
        page, queries = _get(client, "/units/?per_page=1&page=2")
        id_queries = [sql for sql in queries if "OFFSET 1" in sql and "units_productionunit" in sql]
        assert bool(id_queries) is expected_id_query
        in_order = ProductionUnit.objects.filter(estate__company=estate.company).order_by("sort_name", "pk")
        assert _names(page) == {in_order[1].name}
        return _names(page)

    shown = second(expected_id_query=True)
    assert second(expected_id_query=False) == shown  # the ids kept, the row drawn again
    unit = ProductionUnit.objects.get(name=next(iter(shown)))
    unit.name = "آ کارخانه اول"  # now first by name
    unit.save()
    assert second(expected_id_query=True) != shown  # a change: read again, and the order follows it
