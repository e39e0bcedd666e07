"""No list page runs a query per row (issue 10 item 8): every list page, for every persona that may open it,
runs as many queries with a few rows as with many.

``LIST_PAGES`` names every list page; ``NOT_LISTS`` every other page that takes no argument, with why it
is not a list. A new page without an argument fails ``test_every_page_is_declared_a_list_or_not`` until
it is declared here, so a list cannot slip past the count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import EstateFactory, OrganisationFactory, PlotFactory, UnitFactory
from .test_permission_matrix import MATRIX, PERSONAS

pytestmark = pytest.mark.django_db

LIST_PAGES = frozenset(
    {
        "units:list",
        "estates:list",
        "accounts:organisations",
        "units:claims",
        "sourcing:request_list",
        "sourcing:invitation_list",
        "sourcing:linkage_list",
        "sourcing:gap_list",
        "sourcing:directory",
        "imports:list",
        "notifications:list",
        "trade:export_list",
        "trade:input_list",
        "trade:opportunities",
        "trade:captured",
    }
)
NOT_LISTS = {
    "home": "fixed figures and links",
    "favicon": "a redirect",
    "set_language": "POST only",
    "accounts:login": "a form",
    "accounts:logout": "POST only",
    "accounts:profile": "one person's preferences and memberships",
    "accounts:password_change": "a form",
    "accounts:password_change_done": "a message",
    "accounts:password_reset": "a form",
    "accounts:password_reset_done": "a message",
    "accounts:password_reset_complete": "a message",
    "accounts:organisation_create": "a form",
    "estates:create": "a form",
    "units:create": "a form",
    "taxonomy:capability_suggest": "at most a few suggestions for a text",
    "taxonomy:capability_search": "at most a few matches, capped",
    "sourcing:request_create": "a form",
    "imports:new": "a form",
    "notifications:mark_all_read": "POST only",
    "notifications:bell": "a count and the few latest",
    "insights_dashboard": "figures (each KPI one aggregate) and charts",
    "insights_chart_export": "one chart's figures",
    "insights_press_report": "a PDF of figures",
    "insights_statistics": "public figures and charts",
    "insights_county_map": "one figure per county",
    "trade:export_create": "a form",
    "trade:input_create": "a form",
    "trade:hs_suggest": "five suggestions for a text",
    "trade:summary": "values by year: one aggregate query, one row per group",
    "trade:chains": "aggregates: one query for the pairs, one for the destinations, one for direct exports",
}


def _queries(client, url: str) -> tuple[int, int]:
    """(queries, bytes) of one request, measured after a warm-up so short-lived caches are warm.

    The cache is emptied first: a flag cached by an earlier test (the demo banner's, 60 s) would
    otherwise survive the warm-up and could expire just before the measurement (11 vs 12 queries)."""
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), len(response.content)


@pytest.fixture
def world(
    estate_a, estate_b, unit_a, unit_a_owner, unit_b_owner, buyer, investor, manager, officer, staff_b
) -> dict[str, Any]:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    return {
        "estate_a": estate_a,
        "estate_b": estate_b,
        "unit_a": unit_a,
        "buyer_org": buyer_org,
        "people": [manager, officer, staff_b, unit_a_owner, unit_b_owner, buyer, investor],
        "claimants": [buyer, investor, unit_b_owner],
        "made": 0,
    }


def add_rows(world: dict[str, Any], count: int) -> None:
    """``count`` more rows of every listed kind, spread so that every persona sees them grow: units and
    estates of both companies, clients, claims, requests of each confidentiality (invitations to unit A,
    linkages, gaps), import batches, notifications."""
    from peyvand.core.models import ImportBatch
    from peyvand.notifications.models import Notification
    from peyvand.sourcing.models import GapTicket, Linkage, SourcingRequest, SupplierInvitation
    from peyvand.taxonomy.models import Capability
    from peyvand.units.models import Certification, ClaimRequest

    capability = Capability.objects.filter(is_active=True).first()
    certification = Certification.objects.known().first()
    company = world["estate_a"].company
    today = dt.date.today()
    for _ in range(count):
        world["made"] += 1
        number = world["made"]
        PlotFactory(estate=EstateFactory(company=company))
        organisation = OrganisationFactory(kind="production_unit", company=company)
        unit = UnitFactory(estate=world["estate_a"], organisation=organisation, status="operating")
        unit.capabilities.add(capability)
        unit.certifications.add(certification)
        UnitFactory(estate=world["estate_b"], status="operating")
        OrganisationFactory(kind="buyer", company=company)
        for claimant in world["claimants"]:
            ClaimRequest.objects.create(
                unit=unit, user=claimant, position="مدیر", evidence=f"پروانه {number}"
            )
        request = SourcingRequest.objects.create(
            buyer=world["buyer_org"],
            company=company,
            title=f"درخواست {number}",
            text="ریخته‌گری قطعات",
            quote_deadline=today + dt.timedelta(days=20),
            state="published",
            confidentiality=("public", "anonymous_buyer", "invited_only")[number % 3],
            buyer_consented=number % 2 == 0,
        )
        request.capabilities.add(capability)
        SupplierInvitation.objects.create(request=request, unit=world["unit_a"])
        SupplierInvitation.objects.create(request=request, unit=unit)
        Linkage.objects.create(
            request=request,
            company=company,
            buyer=world["buyer_org"],
            unit=world["unit_a"],
            source="match",
            stage_date=today,
            introduced_on=today,
            contract_value_rial=1_000_000 * number,
        )
        _trade_rows(company, world["buyer_org"], unit, request, number)
        gap = GapTicket.objects.create(request=request, company=company, qualified_count=0, needed_count=3)
        gap.missing.add(capability)
        ImportBatch.objects.create(kind="units", company=company, original_name=f"units-{number}.xlsx")
        for person in world["people"]:
            Notification.objects.create(
                user=person, kind="system", title_fa=f"اعلان {number}", title_en=f"Notice {number}", url="/"
            )


def _trade_rows(company, buyer_org, unit, request, number: int) -> None:
    """An export of the unit and one of the buyer, an imported input, and a contract won for it."""
    from peyvand.sourcing.models import Linkage
    from peyvand.trade.models import BuyerInput, ExportRecord

    for exporter in ({"unit": unit}, {"buyer": buyer_org}):
        ExportRecord.objects.create(
            company=company, product=f"کالا {number}", hs_code="090240", destination="IQ", value_usd=number,
            year=1404, month=1, period_start=dt.date(2025, 3, 21), source="customs", **exporter,
        )  # fmt: skip
    BuyerInput.objects.create(
        company=company, buyer=buyer_org, name=f"نهاده {number}", origin="imported", request=request
    )
    Linkage.objects.create(
        request=request, company=company, buyer=buyer_org, unit=unit, source="match", stage="contract_signed",
        stage_date=dt.date.today(), introduced_on=dt.date.today(), contract_value_rial=number,
    )  # fmt: skip


def _pairs() -> list[tuple[str, str]]:
    return [
        (name, persona)
        for name in sorted(LIST_PAGES)
        for persona in PERSONAS
        if MATRIX[name][1][persona] == 200
    ]


@pytest.mark.parametrize(("url_name", "persona"), _pairs())
def test_every_list_page_runs_a_fixed_number_of_queries(client, request, world, url_name, persona) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(url_name)
    add_rows(world, 2)
    few, _bytes = _queries(client, url)
    add_rows(world, 6)
    many, _bytes = _queries(client, url)
    assert many == few, f"{url_name} as {persona}: {few} queries with few rows, {many} with many"
    assert many <= 40, f"{url_name} as {persona}: {many} queries"


def test_the_lists_really_grow_for_their_main_readers(client, world, manager, unit_a_owner, buyer) -> None:
    """The counts above compare pages that show more rows: each list grows for someone who reads it."""
    readers = {
        "units:list": manager,
        "estates:list": manager,
        "accounts:organisations": manager,
        "units:claims": manager,
        "sourcing:request_list": unit_a_owner,
        "sourcing:invitation_list": unit_a_owner,
        "sourcing:linkage_list": buyer,
        "sourcing:gap_list": manager,
        "sourcing:directory": buyer,
        "imports:list": manager,
        "notifications:list": buyer,
        "trade:export_list": manager,
        "trade:input_list": buyer,
        "trade:opportunities": manager,
        "trade:captured": manager,
    }
    assert set(readers) == LIST_PAGES
    add_rows(world, 1)
    before = {}
    for name, user in readers.items():
        client.force_login(user)
        before[name] = _queries(client, reverse(name))[1]
    add_rows(world, 3)
    for name, user in readers.items():
        client.force_login(user)
        assert _queries(client, reverse(name))[1] > before[name], name


def test_every_page_is_declared_a_list_or_not() -> None:
    without_arguments = set()
    for name, (kwargs, _answers) in MATRIX.items():
        try:
            if kwargs({}) == {}:
                without_arguments.add(name)
        except KeyError:  # it needs an object: a detail page
            continue
    undeclared = without_arguments - LIST_PAGES - set(NOT_LISTS)
    assert not undeclared, f"declare whether these pages are lists: {sorted(undeclared)}"


def test_the_gap_list_is_paginated(client, world, manager, settings) -> None:
    settings.PEYVAND_PAGE_SIZE = 5
    add_rows(world, 7)
    client.force_login(manager)
    first = client.get(reverse("sourcing:gap_list")).text.split('data-testid="gap-groups"')[1]
    second = client.get(reverse("sourcing:gap_list"), {"page": 2}).text.split('data-testid="gap-groups"')[1]
    assert first.count('href="/sourcing/requests/') == 5
    assert second.count('href="/sourcing/requests/') == 2
