"""The treatment plants list at a national registry's size: its timeline of openings shows a page of
openings in date order (a plant's actual opening once known, else its planned one) with the way to the
next page and to the whole list — not every plant of the registry on one page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .green_world import make_plant

pytestmark = pytest.mark.django_db


def _timeline_names(html: str) -> list[str]:
    timeline = html[html.index('data-testid="plants-timeline"') :]
    return re.findall(r'<a href="/green/plants/\d+/">([^<]+)</a>', timeline)


@pytest.fixture
def thirty_plants(estate_a, manager):
    start = dt.date(2027, 1, 1)
    plants = [
        make_plant(
            estate_a, manager, name=f"Plant {n:02d}", planned_opening=start + dt.timedelta(days=30 * n)
        )
        for n in range(30)
    ]
    # Opened before anything planned: first in the timeline whatever its planned date (none here).
    make_plant(estate_a, manager, name="Opened plant", stage="operating", actual_opening=dt.date(2022, 7, 21))
    return plants


def test_the_timeline_shows_a_page_of_openings_in_date_order(client, manager, thirty_plants) -> None:
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    first = client.get("/green/plants/")
    assert first.status_code == 200
    assert _timeline_names(first.text) == ["Opened plant", *[f"Plant {n:02d}" for n in range(11)]]
    assert "Openings 1–12 of 31" in first.text
    assert 'href="?openings=2#plants-timeline"' in first.text
    assert "/green/plants/?sort=planned_opening" in first.text

    last = client.get("/green/plants/?openings=3")
    assert _timeline_names(last.text) == [f"Plant {n:02d}" for n in range(23, 30)]
    assert "Openings 25–31 of 31" in last.text
    assert "Clear filters" not in last.text  # the timeline's page is not a filter of the table


def test_the_timeline_costs_the_same_queries_with_thirty_plants_as_with_one(
    client, manager, estate_a
) -> None:
    client.force_login(manager)
    make_plant(estate_a, manager, name="Plant 00", planned_opening=dt.date(2027, 1, 1))
    assert client.get("/green/plants/").status_code == 200
    with CaptureQueriesContext(connection) as one:
        client.get("/green/plants/")
    for n in range(1, 30):
        make_plant(estate_a, manager, name=f"Plant {n:02d}", planned_opening=dt.date(2027, 1, 1))
    with CaptureQueriesContext(connection) as thirty:
        client.get("/green/plants/")
    assert len(thirty) == len(one)
