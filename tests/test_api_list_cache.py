"""An API list's first page kept for the same caller and query until the data changes (issue 18): a
repeated list reads no rows, yet each caller gets the rows they may see, in their language, with links
to the host they asked on, and a write shows at once. Later pages are read afresh.

These tests commit (``transaction=True``), as tests/test_list_fragments.py: inside a transaction that
has written, nothing is kept.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peyvand.api.services import create_token
from peyvand.core import caching
from peyvand.units.models import ProductionUnit

from .factories import UnitFactory

# reference_data: the migrations' reference rows (a transactional test before this one flushed them)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _list(client: Client, path: str = "/api/v1/units/", **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    reads = any('FROM "units_productionunit"' in query["sql"] for query in queries)
    return response.json(), reads


def _names(body) -> set[str]:
    return {row["name"] for row in body["results"]}


def test_a_repeated_list_reads_no_rows_and_gives_the_same_page(kept_units, manager) -> None:
    client = _client(manager)
    first, read_first = _list(client)
    again, read_again = _list(client)
    assert read_first
    assert not read_again
    assert again == first
    assert _names(again) == {"کارخانه الف پیدا", "کارخانه الف خاموش"}


def test_each_caller_gets_their_own_rows_from_a_warm_cache(kept_units, manager, staff_b) -> None:
    company_a, company_b, visitor = _client(manager), _client(staff_b), _client()
    for _ in range(2):  # the second round is served from what the first kept
        assert _names(_list(company_a)[0]) == {"کارخانه الف پیدا", "کارخانه الف خاموش"}
        assert _names(_list(company_b)[0]) == {"کارخانه ب پیدا"}
        public = _list(visitor)[0]
        assert _names(public) == {"کارخانه الف پیدا", "کارخانه ب پیدا"}  # in production only
        assert all("national_id" not in row for row in public["results"])


def test_a_change_shows_at_once(kept_units, manager) -> None:
    client = _client(manager)
    _list(client)
    ProductionUnit.objects.filter(pk=kept_units["a_idle"].pk).update(name="کارخانه الف نو")
    UnitFactory(estate=kept_units["a_operating"].estate, name="کارخانه الف تازه", status="operating")
    body, reads = _list(client)
    assert reads
    assert _names(body) == {"کارخانه الف پیدا", "کارخانه الف نو", "کارخانه الف تازه"}


def test_filters_and_hosts_are_kept_apart(kept_units, manager) -> None:
    client = _client(manager)
    persian = _list(client, "/api/v1/units/?status=idle", HTTP_ACCEPT_LANGUAGE="fa")[0]
    english = _list(client, "/api/v1/units/?status=idle", HTTP_ACCEPT_LANGUAGE="en")[0]
    assert _names(persian) == _names(english) == {"کارخانه الف خاموش"}
    assert _names(_list(client, "/api/v1/units/?status=operating")[0]) == {"کارخانه الف پیدا"}
    first = _list(client, "/api/v1/units/?page_size=1", HTTP_HOST="localhost")[0]
    other = _list(client, "/api/v1/units/?page_size=1", HTTP_HOST="127.0.0.1")[0]
    assert first["next"].startswith("http://localhost/")
    assert other["next"].startswith("http://127.0.0.1/")


def test_a_later_page_is_read_afresh(kept_units, manager) -> None:
    client = _client(manager)
    first = _list(client, "/api/v1/units/?page_size=1")[0]
    later = first["next"].split("testserver", 1)[1]
    _list(client, later)
    assert _list(client, later)[1]  # read again, not kept


def test_a_token_noting_its_use_keeps_what_is_kept(kept_units, manager) -> None:
    """A token's use is written once a minute (``last_used_at``); that write changes nothing a kept page
    or list shows, so it must not start a new data version: every API client would otherwise empty
    everybody's kept lists, figures and pages once a minute."""
    token, raw = create_token(manager, name="ERP", days=30)
    before = caching.data_version()
    body, _reads = _list(_client(), HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert _names(body) == {"کارخانه الف پیدا", "کارخانه الف خاموش"}
    assert caching.data_version() == before
    assert not _list(_client(manager))[1]  # the session's list is served from what the token's read kept
