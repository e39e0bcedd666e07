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
from .matrix_world import QUIET_SETTINGS
from .people import build_named, build_onlookers
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
        "revival:case_list",
        "investment:investor_list",
        "investment:application_list",
        "investment:contract_list",
        "investment:overdue_list",
        "investment:land_use",
        "green:plant_list",
        "green:connection_list",
        "green:test_list",
        "green:case_list",
        "green:listing_list",
        "green:proposal_list",
        "green:link_list",
        "trade:export_list",
        "trade:input_list",
        "trade:opportunities",
        "trade:captured",
        "api:estate-list",
        "api:plot-list",
        "api:unit-list",
        "api:organisation-list",
        "api:request-list",
        "api:match-list",
        "api:invitation-list",
        "api:linkage-list",
        "api:gap-list",
        "api:revival-case-list",
        "api:investor-list",
        "api:application-list",
        "api:contract-list",
        "api:treatment-plant-list",
        "api:effluent-test-list",
        "api:compliance-case-list",
        "api:sewer-connection-list",
        "api:land-use-plan-list",
        "api:resource-listing-list",
        "api:symbiosis-exchange-list",
        "api:export-list",
        "api:buyer-input-list",
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
    "revival:case_create": "a form",
    "revival:figures": "the clinic's figures, each one aggregate",
    # Lists opened with their parameters (a redirect adds them); counted in tests/test_revival_lists.py.
    "revival:returns": "redirects to the returns of the last 12 months",
    "revival:at_risk": "redirects to the units at risk",
    "investment:investor_create": "a form",
    "investment:application_create": "a form",
    "investment:weights": "a form",
    "green:dashboard": "figures (each KPI one aggregate), the first 30 plants, tonnes by material",
    "green:plant_create": "a form",
    "green:limit_list": "a fixed grid: parameters by receiving body",
    "green:test_create": "a form",
    "green:listing_create": "a form",
    "green:link_start": "POST only",
    "trade:export_create": "a form",
    "trade:input_create": "a form",
    "trade:hs_suggest": "five suggestions for a text",
    "trade:summary": "values by year: one aggregate query, one row per group",
    "trade:chains": "aggregates: one query for the pairs, one for the destinations, one for direct exports",
    "api:api-root": "the list of the API's resources",
    "api:schema": "the OpenAPI document",
    "api:docs": "the documentation page",
    "api:redoc": "the documentation page",
    "api:kpis": "figures (each KPI one aggregate)",
    "api:export-hs-suggestions": "five HS suggestions for one product text (no rows of the database)",
    "api:tokens": "one person's few tokens (at most 20 active)",
    "api:discharge-limit-list": "a fixed grid per company: parameters by receiving body",
    "api:discharge-limit-adopt-defaults": "POST only",
    "api:screening-weights": "one company's rubric: the points of each criterion",
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
    return _world(
        estate_a, estate_b, unit_a, unit_a_owner, unit_b_owner, buyer, investor, manager, officer, staff_b
    )


def _world(
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
    from peyvand.imports.models import ImportBatch
    from peyvand.notifications.models import Notification
    from peyvand.revival.models import RevivalCase
    from peyvand.sourcing.models import GapTicket, Linkage, Match, SourcingRequest, SupplierInvitation
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
        Match.objects.create(request=request, unit=unit, rank=1, score=0.5, reasons_fa=["ریخته‌گری"])
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
        RevivalCase.objects.create(
            unit=unit, stage="treatment", stage_date=today, opened_on=today, status_at_opening="idle"
        ).causes.create(cause="market", severity=2)
        _investment_rows(company, world["estate_a"], number, today)
        for person in world["people"]:
            Notification.objects.create(
                user=person, kind="system", title_fa=f"اعلان {number}", title_en=f"Notice {number}", url="/"
            )
        _green_rows(world, unit, number)


def _green_rows(world: dict[str, Any], unit: Any, number: int) -> None:
    """A plant, a failed effluent test of unit A (with its case), a have of ``unit`` brokered to a want
    of unit A (so the other pairs stay proposals)."""
    from peyvand.green import services as green
    from peyvand.green.models import ResourceListing, TreatmentPlant

    manager = world["people"][0]
    plant = TreatmentPlant.objects.create(
        company=world["estate_a"].company, name=f"تصفیه‌خانه {number}", capacity_m3_day=500, technology="sbr"
    )
    plant.estates.add(world["estate_a"], EstateFactory(company=world["estate_a"].company))
    green.record_test(
        world["unit_a"],
        {"sampled_on": dt.date.today(), "lab": "آزمایشگاه", "receiving_body": "sewer", "cod": 900},
        by=manager,
    )
    have = ResourceListing.objects.create(unit=unit, direction="have", material="whey", tonnes_per_year=100)
    want = ResourceListing.objects.create(
        unit=world["unit_a"], direction="want", material="whey", tonnes_per_year=90
    )
    green.start_exchange(have, want, by=manager)


def _investment_rows(company, estate, number: int, today: dt.date) -> None:
    """An investor with an approved application, its contract and an overdue milestone."""
    from peyvand.investment.models import AllocationContract, Application, Investor, Milestone
    from peyvand.taxonomy.models import Classification

    investor = Investor.objects.create(name=f"سرمایه‌گذار {number}", company=company)
    application = Application.objects.create(
        investor=investor,
        company=company,
        title=f"طرح {number}",
        product="لوله",
        isic=Classification.objects.get(scheme="isic4", code="2220"),
        investment_rial=10**9,
        jobs_planned=10,
        land_m2=1000,
        state="approved",
    )
    contract = AllocationContract.objects.create(
        application=application,
        plot=PlotFactory(estate=estate, state="allocated"),
        number=f"AC-{number}",
        signed_on=today - dt.timedelta(days=200),
        area_m2=1000,
        price_per_m2_rial=1,
        total_rial=1000,
        down_payment_share=30,
        instalments=0,
    )
    Milestone.objects.create(
        contract=contract, kind="permit", order=1, deadline=today - dt.timedelta(days=100)
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


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[tuple[str, str], Any]:
    """For every (list page, persona) of ``_pairs()``: the queries of the page with a few rows of every kind
    and with many — or what went wrong. One world for all the pages (rows are costly to make: services
    write them), measured page by page as the persona, inside a transaction rolled back at the end."""
    from django.db import transaction
    from django.test import Client, override_settings

    measured: dict[tuple[str, str], Any] = {}
    with (
        django_db_blocker.unblock(),
        override_settings(**QUIET_SETTINGS, DATA_DIR=tmp_path_factory.mktemp("lists")),
        transaction.atomic(),
    ):
        people = build_named()
        people |= build_onlookers(people)
        world = _world(*(people[name] for name in ("estate_a", "estate_b", "unit_a", "unit_a_owner")),
                       *(people[name] for name in ("unit_b_owner", "buyer", "investor", "manager")),
                       people["officer"], people["staff_b"])  # fmt: skip
        clients = {persona: Client() for persona in PERSONAS}
        for persona, client in clients.items():
            if persona != "anonymous":
                client.force_login(people[persona])
        for rows in (2, 6):
            add_rows(world, rows)
            for url_name, persona in _pairs():
                try:
                    with transaction.atomic():  # a failing page leaves the others' transaction usable
                        count = _queries(clients[persona], reverse(url_name))[0]
                    measured.setdefault((url_name, persona), []).append(count)
                except Exception as error:
                    measured[url_name, persona] = f"{type(error).__name__}: {error}"
        transaction.set_rollback(True)
    return measured


@pytest.mark.parametrize(("url_name", "persona"), _pairs())
def test_every_list_page_runs_a_fixed_number_of_queries(query_counts, url_name, persona) -> None:
    measured = query_counts[url_name, persona]
    assert not isinstance(measured, str), f"{url_name} as {persona}: {measured}"
    few, many = measured
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
        "revival:case_list": manager,
        "investment:investor_list": manager,
        "investment:application_list": manager,
        "investment:contract_list": manager,
        "investment:overdue_list": manager,
        "investment:land_use": manager,
        "green:plant_list": manager,
        "green:connection_list": manager,
        "green:test_list": unit_a_owner,
        "green:case_list": unit_a_owner,
        "green:listing_list": manager,
        "green:proposal_list": manager,
        "green:link_list": unit_a_owner,
        "trade:export_list": manager,
        "trade:input_list": buyer,
        "trade:opportunities": manager,
        "trade:captured": manager,
        "api:estate-list": manager,
        "api:plot-list": manager,
        "api:unit-list": manager,
        "api:organisation-list": manager,
        "api:request-list": unit_a_owner,
        "api:match-list": manager,
        "api:invitation-list": unit_a_owner,
        "api:linkage-list": buyer,
        "api:gap-list": manager,
        "api:revival-case-list": manager,
        "api:investor-list": manager,
        "api:application-list": manager,
        "api:contract-list": manager,
        "api:treatment-plant-list": manager,
        "api:effluent-test-list": unit_a_owner,
        "api:compliance-case-list": unit_a_owner,
        "api:sewer-connection-list": manager,
        "api:land-use-plan-list": manager,
        "api:resource-listing-list": manager,
        "api:symbiosis-exchange-list": unit_a_owner,
        "api:export-list": manager,
        "api:buyer-input-list": buyer,
    }
    assert set(readers) == LIST_PAGES
    add_rows(world, 1)
    before = {}
    for name, user in readers.items():
        client.force_login(user)
        before[name] = _queries(client, reverse(name))[1]
    add_rows(world, 1)
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
    settings.PEYVAND_PAGE_SIZE = 2
    add_rows(world, 3)
    client.force_login(manager)
    first = client.get(reverse("sourcing:gap_list")).text.split('data-testid="gap-groups"')[1]
    second = client.get(reverse("sourcing:gap_list"), {"page": 2}).text.split('data-testid="gap-groups"')[1]
    assert first.count('href="/sourcing/requests/') == 2
    assert second.count('href="/sourcing/requests/') == 1
