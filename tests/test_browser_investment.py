"""Browser, in Persian: an investor applies, is screened and approved, gets a plot that fits, misses a
milestone and is flagged, completes, and its unit appears as operating in the registry and in the supplier
directory's suggestions. The clock is moved (time-machine) so that deadlines pass."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from peyvand.core.jalali import jalali_text
from peyvand.investment import services
from peyvand.investment.models import AllocationContract, Application
from peyvand.taxonomy.models import Classification

from .conftest import BrowserPage
from .investment_world import make_estate, make_investor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _as(browser, live_server, username: str) -> BrowserPage:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    session = BrowserPage(context.new_page(), live_server.url)
    session.page.set_default_timeout(60000)  # scoring loads the thesaurus once; the machine is shared
    session.login(username)
    return session


def test_from_application_to_an_operating_unit_in_persian(
    browser, live_server, company_a, manager, buyer, settings
):
    # Cookies must outlive the clock's jumps: session-length cookies only.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.AXES_ENABLED = False
    today = timezone.localdate()
    start = today - dt.timedelta(days=420)
    estate = make_estate(company_a, plots=(2500, 4500, 9000))
    make_estate(company_a, admitted="10 11")  # a food-only estate: it must say why it does not fit
    make_investor(company_a, username="caspian")
    isic = Classification.objects.get(scheme="isic4", code="2220")

    with time_machine.travel(dt.datetime.combine(start, dt.time(9, 0), tzinfo=dt.UTC), tick=True):
        investor = _as(browser, live_server, "caspian")
        page = investor.page
        investor.goto("/investment/applications/new/")
        page.fill("#id_title", "تولید لوله پلی‌اتیلن کاسپین")
        page.fill("#id_product", "لوله پلی‌اتیلن آبرسانی")
        page.select_option("#id_isic", str(isic.pk))
        page.fill("#id_hs_codes", "۳۹۱۷.۲۱")
        page.fill("#id_investment_rial", "۱۲۰٬۰۰۰٬۰۰۰٬۰۰۰")
        page.fill("#id_jobs_planned", "۴۰")
        page.fill("#id_land_m2", "۴۰۰۰")
        page.fill("#id_water_m3_day", "۲۰")
        page.fill("#id_power_kw", "۶۰۰")
        page.fill("#id_export_share", "۲۵")
        page.fill("#id_export_markets", "عراق، ارمنستان")
        page.select_option("#id_preferred_estates", [str(estate.pk)])
        page.locator("[data-testid=investment-form] button[type=submit]").click()
        page.wait_for_url("**/investment/applications/*/")
        application = Application.objects.get(title="تولید لوله پلی‌اتیلن کاسپین")
        page.locator("[data-move=submitted]").click()
        expect(page.get_by_test_id("application-state")).to_contain_text("ثبت‌شده")

        staff = _as(browser, live_server, "manager_a")
        reviewer = staff.page
        staff.goto(application.get_absolute_url())
        expect(reviewer.get_by_test_id("screening")).to_contain_text("دانش‌بنیان")
        fits = reviewer.get_by_test_id("estate-fit")
        expect(fits.locator("[data-fits=yes]").first).to_contain_text(estate.name)
        expect(fits.locator("[data-fits=no]").first).to_contain_text(
            "ISIC ۲۲۲۰"
        )  # the food-only estate says why
        reviewer.locator("[data-move=under_review]").click()
        expect(reviewer.get_by_test_id("application-state")).to_contain_text("در حال بررسی")
        reviewer.select_option("[data-testid=approve] #id_estate", str(estate.pk))
        reviewer.locator("[data-testid=approve] button[type=submit]").click()
        expect(reviewer.get_by_test_id("unit-link")).to_contain_text("زمین واگذار شده")
        reviewer.get_by_test_id("allocate").click()
        expect(reviewer.locator("#id_plot option:checked")).to_contain_text("۴٬۵۰۰")  # the closest fit
        reviewer.fill("#id_price_per_m2_rial", "۱۵٬۰۰۰٬۰۰۰")
        reviewer.fill("#id_instalments", "۱۲")
        reviewer.locator("[data-testid=investment-form] button[type=submit]").click()
        reviewer.wait_for_url("**/investment/contracts/*/")
        expect(reviewer.get_by_test_id("schedule")).to_contain_text("پیش‌پرداخت")
    contract = AllocationContract.objects.get(application=application)
    assert contract.signed_on == start
    assert contract.plot.state == "allocated"

    # Five months on, no building permit: the daily job flags it and the investor is told.
    later = start + dt.timedelta(days=150)
    with time_machine.travel(dt.datetime.combine(later, dt.time(9, 0), tzinfo=dt.UTC), tick=True):
        assert services.flag_overdue() == 1
        staff = _as(browser, live_server, "manager_a")
        staff.goto("/investment/overdue/")
        expect(staff.page.get_by_test_id("overdue-table")).to_contain_text(contract.number)
        investor = _as(browser, live_server, "caspian")
        investor.goto("/notifications/")
        expect(investor.page.get_by_test_id("notification-list")).to_contain_text("معوق")

    # Then it builds: the permit, and today the operation licence — the unit is operating.
    staff = _as(browser, live_server, "manager_a")
    page = staff.page
    staff.goto(contract.get_absolute_url())
    expect(page.locator("[data-milestone=permit] [data-testid=overdue]")).to_be_visible()
    for kind, day in (("permit", later + dt.timedelta(days=10)), ("operation_licence", today)):
        row = page.locator(f"[data-milestone={kind}]")
        row.locator("summary").click()
        form = page.get_by_test_id(f"milestone-form-{kind}")
        form.locator("[name=done_on]").fill(jalali_text(day))
        form.locator("button[type=submit]").click()
        expect(page.locator(f"[data-milestone={kind}] .badge.text-bg-success")).to_be_visible()
    expect(page.get_by_test_id("contract-state")).to_contain_text("پروانه بهره‌برداری صادر شد")
    application.refresh_from_db()
    unit = application.unit
    unit.refresh_from_db()
    assert unit.status == "operating"
    staff.goto(unit.get_absolute_url())
    expect(page.locator("body")).to_contain_text("فعال")

    # The matching index follows the registry (the worker's rebuild): buyers find the unit.
    from peyvand.sourcing import engine

    engine.rebuild_index()
    engine.forget_loaded_index()
    shopper = _as(browser, live_server, "buyer")
    shopper.goto("/sourcing/suppliers/?q=لوله+پلی‌اتیلن")
    expect(shopper.page.locator("main")).to_contain_text("تولید لوله پلی‌اتیلن کاسپین")
