"""The investment pages: an investor applies in Persian and sees only its own files; lists keep a fixed
number of queries; bad input is refused with a Persian message and nothing written; the 'new investors'
figure equals its list."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.core import kpis
from peyvand.core.kpis import Period, Query
from peyvand.estates.models import IndustrialEstate
from peyvand.investment import services
from peyvand.investment.models import Application, Investor

from .clock import clock_at_noon
from .factories import PlotFactory
from .investment_world import make_application, make_estate, make_investor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
clock = clock_at_noon(TODAY)  # services asking the date agree with TODAY, past midnight too
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _contracted(company, manager, count: int, signed_on: dt.date, prefix: str = "x") -> list:
    estate = make_estate(company, plots=[4000 + i for i in range(count)])
    contracts = []
    for index in range(count):
        investor, user = make_investor(
            company, name=f"سرمایه‌گذار {prefix}{index}", username=f"inv_{prefix}{index}"
        )
        application = make_application(investor, title=f"طرح {prefix}{index}")
        services.move_application(application, "submitted", by=user, today=signed_on)
        services.move_application(application, "under_review", by=manager, today=signed_on)
        services.approve(application, estate, by=manager, today=signed_on)
        plot = services.estate_fit(application, IndustrialEstate.objects.filter(pk=estate.pk))[0].plots[0]
        terms = services.Terms(price_per_m2_rial=1_000_000, down_payment_share=Decimal(30), instalments=12)
        contracts.append(services.allocate(application, plot, terms, by=manager, signed_on=signed_on))
    return contracts


def test_new_investors_equals_its_list_and_excludes_older_first_contracts(client, company_a, manager) -> None:
    recent = _contracted(company_a, manager, 3, TODAY - dt.timedelta(days=30), "r")
    _contracted(company_a, manager, 2, TODAY - dt.timedelta(days=500), "o")
    # an older investor signs again this year: still not new
    again = make_application(Investor.objects.get(name="سرمایه‌گذار o0"), title="طرح تازه")
    estate = recent[0].plot.estate
    PlotFactory(estate=estate, area_m2=9000)
    services.move_application(again, "submitted", by=manager)
    services.move_application(again, "under_review", by=manager)
    services.approve(again, estate, by=manager)
    services.allocate(
        again,
        services.estate_fit(again, IndustrialEstate.objects.filter(pk=estate.pk))[0].plots[0],
        services.Terms(price_per_m2_rial=1, down_payment_share=Decimal(0), instalments=0),
        by=manager,
    )
    figure = kpis.evaluate(kpis.get("new_investors"), Query(manager, Period(TODAY)))
    assert figure.value == 3
    client.force_login(manager)
    page = client.get(figure.url)
    count = re.search(r'data-testid="result-count">\s*([\d۰-۹٬,]+)', page.text).group(1)
    assert int(count.translate(DIGITS)) == 3
    assert "سرمایه‌گذار r0" in page.text
    assert "سرمایه‌گذار o0" not in page.text
    jobs = kpis.evaluate(kpis.get("planned_jobs"), Query(manager, Period(TODAY)))
    assert jobs.value == 25 * 4  # three new contracts and the older investor's second one


def test_an_investor_applies_in_persian_and_sees_only_its_own_files(client, company_a) -> None:
    estate = make_estate(company_a)
    own, user = make_investor(company_a)
    other, _other_user = make_investor(company_a, name="رقیب", username="rival")
    theirs = make_application(other, title="طرح رقیب")
    client.force_login(user)
    response = client.post(
        "/investment/applications/new/",
        {
            "title": "تولید ظروف یکبار مصرف گیاهی",
            "product": "ظروف گیاهی",
            "isic": theirs.isic_id,
            "hs_codes": "۳۹۲۴.۱۰",
            "investment_rial": "۸۰۰٬۰۰۰٬۰۰۰٬۰۰۰",
            "usd_share": "0",
            "jobs_planned": "۳۵",
            "land_m2": "۴۰۰۰",
            "water_m3_day": "10",
            "power_kw": "300",
            "gas_m3_hour": "0",
            "environment_group": "2",
            "export_share": "20",
            "export_markets": "عراق",
            "preferred_estates": [estate.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine = Application.objects.get(title="تولید ظروف یکبار مصرف گیاهی")
    assert mine.investor == own
    assert mine.investment_rial == 800_000_000_000
    assert mine.hs_codes == "3924.10"
    listing = client.get("/investment/applications/").text
    assert "تولید ظروف یکبار مصرف گیاهی" in listing
    assert "طرح رقیب" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404
    client.post(f"/investment/applications/{mine.pk}/move/submitted/")
    mine.refresh_from_db()
    assert mine.state == "submitted"
    page = client.get(mine.get_absolute_url()).text
    assert "ثبت‌شده" in page  # the state reads in Persian


def test_bad_numbers_are_refused_in_persian_and_nothing_is_written(client, company_a) -> None:
    make_estate(company_a)
    _own, user = make_investor(company_a)
    client.force_login(user)
    response = client.post(
        "/investment/applications/new/",
        {"title": "x" * 250, "product": "", "investment_rial": "ده", "land_m2": "50", "export_share": "150"},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()
    text = response.content.decode()
    assert "invalid-feedback" in text
    assert re.search("[\u0600-\u06ff]", re.sub(r"<[^>]+>", "", text.split("invalid-feedback")[1])[:200])


@pytest.mark.parametrize(
    "url", ["/investment/applications/", "/investment/investors/", "/investment/contracts/"]
)
def test_lists_keep_a_fixed_number_of_queries(client, company_a, manager, url) -> None:
    _contracted(company_a, manager, 2, TODAY - dt.timedelta(days=20), "a")
    client.force_login(manager)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _contracted(company_a, manager, 6, TODAY - dt.timedelta(days=20), "b")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_exports_neutralise_formulas(client, company_a, manager) -> None:
    investor, _user = make_investor(company_a, name="=HYPERLINK(1)")
    make_application(investor, title="=cmd|' /C calc'!A0")
    client.force_login(manager)
    csv = client.get("/investment/applications/?export=csv").content.decode("utf-8-sig")
    assert "'=cmd" in csv
    investors = client.get("/investment/investors/?export=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in investors


def test_the_land_use_plans_download_as_excel_and_csv_with_the_pages_columns(
    client, manager, estate_a
) -> None:
    import io

    import openpyxl

    client.force_login(manager)
    from django.urls import reverse

    url = reverse("investment:land_use")
    page = client.get(url)
    assert 'data-testid="export-xlsx"' in page.text
    sheet = client.get(url, {"export": "xlsx"})
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 7
    assert any(row[0] == estate_a.display_name for row in rows[1:])
    text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    assert estate_a.display_name in text
