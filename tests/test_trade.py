"""Exports and value chains (issue 13): export records through the gate and the services, the HS-code
suggestions of the form, totals and KPIs equal to the rows, the value-chain map, indirect exports by
destination, local-sourcing opportunities with their suppliers, export readiness on the unit's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from peyvand.core import kpis
from peyvand.core.audit import timeline
from peyvand.core.kpis import Period, Query
from peyvand.notifications.models import Notification
from peyvand.sourcing.models import Linkage, LinkageStep
from peyvand.trade import services
from peyvand.trade.models import BuyerInput, ExportRecord

from .factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


def record(unit=None, buyer=None, *, by=None, **values) -> ExportRecord:
    fields = {
        "product": "چای سیاه",
        "hs_code": "090240",
        "destination": "IQ",
        "value_usd": 1000,
        "year": 1404,
        "month": 5,
        "source": "customs",
        **values,
    }
    entry = ExportRecord(unit=unit, buyer=buyer, **fields)
    if by is None:
        services.prepare(entry)
        entry.save()
        return entry
    return services.save_export(entry, by=by)


def contract(company, buyer_org, unit, value: int, share: str, day: dt.date | None = None) -> Linkage:
    day = day or dt.date.today() - dt.timedelta(days=30)
    linkage = Linkage.objects.create(
        company=company,
        buyer=buyer_org,
        unit=unit,
        source="direct",
        stage="contract_signed",
        stage_date=day,
        introduced_on=day - dt.timedelta(days=10),
        contract_value_rial=value,
        export_share=Decimal(share),
    )
    LinkageStep.objects.create(linkage=linkage, from_stage="introduced", to_stage="contract_signed", date=day)
    return linkage


@pytest.fixture
def buyer_org(buyer, company_a):
    organisation = buyer.memberships.get().organisation
    organisation.company = company_a
    organisation.save()
    return organisation


# --- services and the gate --------------------------------------------------------------------------
def test_an_officer_records_an_export_and_the_unit_hears_of_it(officer, unit_a, unit_a_owner) -> None:
    saved = record(unit_a, by=officer, month=12, year=1404)
    assert saved.company == unit_a.estate.company
    assert saved.period_start == dt.date(2026, 2, 20)  # 1 Esfand 1404
    assert saved.created_by == officer
    assert timeline(saved).get().code == "trade.export.recorded"
    notice = Notification.objects.get(user=unit_a_owner)
    assert "چای سیاه" in notice.title_fa
    assert notice.url == saved.get_absolute_url()


def test_another_company_may_not_record_nor_the_unit_a_customs_figure(
    staff_b, unit_a, unit_a_owner, unit_b
) -> None:
    for user, unit, source in (
        (staff_b, unit_a, "customs"),
        (unit_a_owner, unit_a, "customs"),
        (unit_a_owner, unit_b, "own_statement"),
    ):
        with pytest.raises(PermissionDenied):
            record(unit, by=user, source=source)
    assert not ExportRecord.objects.exists()


def test_a_unit_states_its_own_export_and_the_company_hears_of_it(
    client, unit_a, unit_a_owner, officer, manager
) -> None:
    client.force_login(unit_a_owner)
    form = client.get(reverse("trade:export_create"))
    assert 'name="source"' not in form.text
    assert 'name="buyer"' not in form.text
    data = {key: value for key, value in _form_data(unit_a).items() if key not in ("source", "exporter_kind")}
    response = client.post(reverse("trade:export_create"), data)
    saved = ExportRecord.objects.get()
    assert response.status_code == 302
    assert saved.source == "own_statement"
    assert saved.created_by == unit_a_owner
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"officer_a", "manager_a"}
    customs = record(unit_a, source="customs", month=1)
    assert client.get(reverse("trade:export_edit", args=[customs.pk])).status_code == 403
    assert client.get(reverse("trade:export_edit", args=[saved.pk])).status_code == 200


def test_a_correction_names_the_fields_it_changed(officer, unit_a) -> None:
    saved = record(unit_a, by=officer)
    saved.value_usd, saved.destination = 2500, "AE"
    services.save_export(saved, by=officer)
    assert timeline(saved).first().data["fields"] == "destination, value_usd"


def test_the_unit_sees_its_own_records_and_not_anothers(
    client, officer, unit_a, unit_b, unit_a_owner
) -> None:
    mine, theirs = record(unit_a, product="برنج"), record(unit_b, product="چای")
    client.force_login(unit_a_owner)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    page = client.get(reverse("trade:export_list"))
    assert "برنج" in page.text
    assert "چای" not in page.text.split("exports-table")[1]


# --- the form ---------------------------------------------------------------------------------------
def _form_data(exporting_unit, **changes):
    data = {
        "exporter_kind": "units",
        "unit": exporting_unit.pk,
        "product": "کاشی سرامیکی",
        "hs_code": "۶۹۰۷۲۱",
        "destination": "IQ",
        "value_usd": "۱۲٬۵۰۰",
        "year": "۱۴۰۴",
        "month": "7",
        "source": "customs",
    }
    return {**data, **changes}


def test_the_form_takes_persian_digits_and_saves(client, officer, unit_a) -> None:
    client.force_login(officer)
    response = client.post(reverse("trade:export_create"), _form_data(unit_a))
    saved = ExportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == saved.get_absolute_url()
    assert (saved.hs_code, saved.value_usd, saved.year, saved.month) == ("690721", 12500, 1404, 7)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hs_code": "6907"}, "شش رقم"),
        ({"hs_code": "123456"}, "زیرشماره"),
        ({"year": "1290"}, "۱۳۰۰"),
        ({"value_usd": "0"}, "دلار"),
        ({"tariff_line": "12345678"}, "شش رقم کد"),
        ({"product": "x" * 201}, ""),
        ({"destination": "XX"}, ""),
        ({"unit": ""}, "واحد"),
    ],
)
def test_bad_input_gets_a_persian_message_and_writes_nothing(
    client, officer, unit_a, changes, message
) -> None:
    client.force_login(officer)
    response = client.post(reverse("trade:export_create"), _form_data(unit_a, **changes))
    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert message in response.text
    assert not ExportRecord.objects.exists()


def test_the_form_suggests_hs_codes_from_the_product_as_it_is_typed(client, officer, unit_a) -> None:
    client.force_login(officer)
    page = client.get(reverse("trade:hs_suggest"), {"product": "Stainless steel frying pan 28cm"})
    assert page.status_code == 200
    codes = [chunk.split('"')[0] for chunk in page.text.split('data-hs-option-code="')[1:]]
    assert len(codes) == 5
    assert "732393" in codes
    assert "چرا" in page.text  # each code says why
    assert "data-hs-option-code" not in client.get(reverse("trade:hs_suggest"), {"product": ""}).text


def test_html_in_a_product_is_shown_as_text(client, officer, unit_a) -> None:
    saved = record(unit_a, product="<script>alert(1)</script>")
    client.force_login(officer)
    page = client.get(saved.get_absolute_url())
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


# --- lists, totals, exports -------------------------------------------------------------------------
def test_list_totals_are_the_filtered_rows(client, manager, unit_a, unit_b, buyer_org) -> None:
    record(unit_a, value_usd=1000, destination="IQ")
    record(unit_a, value_usd=500, destination="AE", month=6)
    record(unit_b, value_usd=250, destination="IQ")
    record(buyer=buyer_org, value_usd=99999, destination="RU")
    client.force_login(manager)
    page = client.get(reverse("trade:export_list"), {"exporter": "units", "destination": "IQ"})
    assert 'data-total="value_usd" data-value="1250"' in page.text
    assert 'data-total="units" data-value="2"' in page.text


def test_the_export_list_costs_the_same_queries_for_few_and_many_rows(
    client, manager, unit_a, estate_a
) -> None:
    client.force_login(manager)
    record(unit_a)
    url = reverse("trade:export_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        unit = UnitFactory(estate=estate_a)
        record(unit, month=1 + number % 12, value_usd=10 + number)
    client.get(url)  # a warm-up before each measurement: short-lived caches (the demo flag) stay warm
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "pagination" in page.text
    assert len(many) == len(few)


def test_the_xlsx_export_neutralises_formulas(client, manager, unit_a) -> None:
    record(unit_a, product="=HYPERLINK(1)")
    client.force_login(manager)
    response = client.get(reverse("trade:export_list"), {"export": "csv"})
    assert response.status_code == 200
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


# --- the unit's page --------------------------------------------------------------------------------
def test_the_units_page_shows_its_exports_and_readiness(client, officer, unit_a) -> None:
    record(unit_a, value_usd=4321, year=1404)
    client.force_login(officer)
    page = client.get(unit_a.get_absolute_url())
    panel = page.text.split('data-testid="unit-exports"')[1]
    assert "۴٬۳۲۱" in panel
    readiness = panel.split('data-testid="export-readiness"')[1].split("</ul>")[0]
    assert readiness.count("<li") == 5
    assert "عراق" in readiness  # the market it exports to


def test_the_public_sees_no_export_panel(client, unit_a) -> None:
    record(unit_a)
    page = client.get(unit_a.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="unit-exports"' not in page.text


# --- indirect exports and the value chains ----------------------------------------------------------
def test_indirect_exports_follow_the_buyers_destinations_and_add_up(
    company_a, unit_a, unit_b, buyer_org
) -> None:
    contract(company_a, buyer_org, unit_a, 1_000_000_000, "50")
    contract(company_a, buyer_org, unit_b, 200_000_000, "25")
    record(buyer=buyer_org, destination="RU", value_usd=3000)
    record(buyer=buyer_org, destination="IQ", value_usd=1000)
    rows = {
        row["destination"]: row["value_rial"]
        for row in services.indirect_by_destination(Linkage.objects.all())
    }
    assert rows == {"RU": 412_500_000, "IQ": 137_500_000}
    assert sum(rows.values()) == Linkage.objects.totals()["indirect_exports_rial"]


def test_the_chain_map_draws_units_buyers_and_destinations(
    client, manager, company_a, unit_a, buyer_org
) -> None:
    contract(company_a, buyer_org, unit_a, 1_000_000_000, "40")
    record(buyer=buyer_org, destination="RU")
    client.force_login(manager)
    page = client.get(reverse("trade:chains"))
    assert 'data-total="chains" data-value="1"' in page.text
    assert '"type": "sankey"' in page.text
    assert unit_a.get_absolute_url() in page.text
    assert "روسیه" in page.text
    assert client.get(reverse("trade:chains"), {"year": "1200"}).status_code == 200


def test_value_chains_count_pairs_once(company_a, unit_a, buyer_org, manager) -> None:
    contract(company_a, buyer_org, unit_a, 100, "10")
    contract(company_a, buyer_org, unit_a, 200, "10")
    figure = kpis.evaluate(kpis.get("value_chains"), Query(manager, Period(dt.date.today())))
    assert figure.value == 1


def test_direct_exports_count_units_only_within_the_period(manager, unit_a, buyer_org) -> None:
    today = dt.date.today()
    from peyvand.core.jalali import to_jalali

    this = to_jalali(today)
    record(unit_a, value_usd=700, year=this.year, month=this.month)
    record(unit_a, value_usd=5, year=this.year - 2, month=1)
    record(buyer=buyer_org, value_usd=9000, year=this.year, month=this.month)
    query = Query(manager, Period(today))
    assert kpis.evaluate(kpis.get("direct_exports"), query).value == 700
    assert kpis.evaluate(kpis.get("exporting_units"), query).value == 1


# --- opportunities ----------------------------------------------------------------------------------
def test_an_imported_input_becomes_an_opportunity_with_local_suppliers(
    client, officer, estate_a, buyer_org
) -> None:
    from peyvand.sourcing import engine

    from .sourcing_world import capability

    caster = UnitFactory(
        estate=estate_a, name="ریخته‌گری کاسپین", description="ریخته‌گری تحت فشار قطعات آلومینیومی و دایکست"
    )
    caster.capabilities.add(capability("metal.die_casting"))
    engine.rebuild_index()
    imported = BuyerInput.objects.create(
        buyer=buyer_org,
        company=buyer_org.company,
        name="پوسته پمپ آلومینیومی دایکست",
        origin="imported",
        yearly_value_rial=5_000_000_000,
    )
    BuyerInput.objects.create(buyer=buyer_org, company=buyer_org.company, name="کارتن", origin="local")
    client.force_login(officer)
    page = client.get(reverse("trade:opportunities"))
    rows = page.text.split('data-testid="opportunity"')[1:]
    assert len(rows) == 1
    assert imported.name in rows[0]
    assert "ریخته‌گری کاسپین" in rows[0]
    response = client.post(reverse("trade:input_open_request", args=[imported.pk]))
    imported.refresh_from_db()
    assert imported.request is not None
    assert response["Location"] == imported.request.get_absolute_url()
    assert imported.request.state == "draft"
    assert imported.request.buyer == buyer_org


def test_a_buyer_declares_its_own_input(client, buyer, buyer_org) -> None:
    client.force_login(buyer)
    response = client.post(
        reverse("trade:input_create"),
        {
            "name": "ورق فولادی",
            "hs_code": "720851",
            "yearly_quantity": "۱۲۰۰",
            "quantity_unit": "تن",
            "origin": "imported",
        },
    )
    item = BuyerInput.objects.get()
    assert response.status_code == 302
    assert item.buyer == buyer_org
    assert item.company == buyer_org.company
    assert item.yearly_quantity == 1200


def test_a_buyer_may_not_open_requests_or_see_anothers_inputs(client, buyer, buyer_org, company_a) -> None:
    other = OrganisationFactory(kind="buyer", company=company_a)
    theirs = BuyerInput.objects.create(buyer=other, company=company_a, name="رنگ", origin="imported")
    mine = BuyerInput.objects.create(buyer=buyer_org, company=company_a, name="ورق", origin="imported")
    client.force_login(buyer)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(reverse("trade:input_open_request", args=[mine.pk])).status_code == 403


def test_each_trade_figure_equals_its_list_with_filters(
    client, manager, company_a, estate_a, unit_a, unit_b, buyer_org
) -> None:
    from peyvand.core.jalali import to_jalali
    from peyvand.estates.models import County

    from .factories import EstateFactory

    lahijan = EstateFactory(company=company_a, county=County.objects.get(code="lahijan"))
    far = UnitFactory(estate=lahijan, employees=5)
    this = to_jalali(dt.date.today())
    record(unit_a, value_usd=300, year=this.year, month=this.month)
    record(unit_b, value_usd=200, year=this.year, month=this.month, destination="AE")
    record(far, value_usd=7, year=this.year, month=this.month)
    record(far, value_usd=1, year=this.year - 3, month=1)
    record(buyer=buyer_org, value_usd=5000, year=this.year, month=this.month)
    contract(company_a, buyer_org, unit_a, 10, "10")
    contract(company_a, buyer_org, far, 10, "10")
    client.force_login(manager)
    base = Query(manager, Period(dt.date.today()))
    for query in (base, base.with_filters(county=str(lahijan.county_id)), base.with_filters(size="micro")):
        for code in ("direct_exports", "exporting_units", "value_chains"):
            kpi = kpis.get(code)
            figure = kpis.evaluate(kpi, query)
            if figure.value is None:
                continue
            page = client.get(figure.url)
            assert f'data-total="{kpi.total_key}" data-value="{int(figure.value)}"' in page.text, (
                code,
                query.filters,
            )
    assert kpis.evaluate(kpis.get("direct_exports"), base).value == 507
    assert (
        kpis.evaluate(kpis.get("direct_exports"), base.with_filters(county=str(lahijan.county_id))).value == 7
    )


def test_local_sourcing_captured_counts_contracts_won_for_declared_inputs(
    client, manager, company_a, unit_a, unit_b, buyer_org
) -> None:
    from peyvand.sourcing.models import SourcingRequest

    request = SourcingRequest.objects.create(
        buyer=buyer_org, company=company_a, title="پوسته پمپ", text="دایکست", quote_deadline=dt.date.today()
    )
    BuyerInput.objects.create(
        buyer=buyer_org, company=company_a, name="پوسته پمپ", origin="imported", request=request
    )
    won = contract(company_a, buyer_org, unit_a, 3_000_000_000, "0")
    won.request = request
    won.save()
    contract(company_a, buyer_org, unit_b, 9_000_000_000, "0")  # not for a declared input
    figure = kpis.evaluate(kpis.get("local_sourcing_captured"), Query(manager, Period(dt.date.today())))
    assert figure.value == 3_000_000_000
    client.force_login(manager)
    assert 'data-total="value_rial" data-value="3000000000"' in client.get(figure.url).text


def test_the_opportunities_page_costs_the_same_queries_for_few_and_many_inputs(
    client, officer, buyer_org, estate_a
) -> None:
    from peyvand.sourcing import engine

    UnitFactory(estate=estate_a, name="ریخته‌گری کاسپین", description="ریخته‌گری تحت فشار قطعات آلومینیومی")
    engine.rebuild_index()
    client.force_login(officer)
    url = reverse("trade:opportunities")

    def declare(number: int) -> None:
        BuyerInput.objects.create(
            buyer=buyer_org, company=buyer_org.company, name=f"قطعه آلومینیومی {number}", origin="imported",
            yearly_value_rial=1_000_000 * (number + 1),
        )  # fmt: skip

    declare(0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(1, 25):
        declare(number)
    client.get(url)  # a warm-up before each measurement
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert page.text.count('data-testid="opportunity"') == 20  # a page of the 25, the largest first
    assert "قطعه آلومینیومی ۲۴" in page.text or "قطعه آلومینیومی 24" in page.text


def test_the_summary_groups_by_year_and_each_row_opens_its_list(client, manager, unit_a, unit_b) -> None:
    from peyvand.core.jalali import to_jalali

    this = to_jalali(dt.date.today()).year
    record(unit_a, value_usd=100, year=this, destination="IQ")
    record(unit_a, value_usd=40, year=this - 1, destination="IQ")
    record(unit_b, value_usd=7, year=this, destination="AE")
    client.force_login(manager)
    page = client.get(reverse("trade:summary"), {"by": "destination"})
    table = page.text.split('data-testid="summary-table"')[1]
    assert "?exporter=units&amp;destination=IQ" in table
    iraq = table.split("destination=IQ")[1].split("</tr>")[0]
    assert "۴۰" in iraq
    assert "۱۰۰" in iraq


def test_the_pages_read_in_english(client, officer, unit_a) -> None:
    record(unit_a)
    officer.preferred_language = "en"
    officer.save()
    client.force_login(officer)
    # The requests switch the thread's language to English; the override puts the previous one back after.
    with translation.override(translation.get_language()):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(reverse("trade:export_list"))
        suggestions = client.get(reverse("trade:hs_suggest"), {"product": "چای سیاه"})
    assert "Export records" in page.text
    assert "Iraq" in page.text
    assert "Why" in suggestions.text
