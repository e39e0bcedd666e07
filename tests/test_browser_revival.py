"""Browser, in Persian: an officer opens a case for an idle unit, records its causes and a buyer linkage
through the bridge, the manager records the unit's return to production, and the home figure's
drill-down lists the unit with its case."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from peyvand.core.jalali import jalali_text, localize_digits
from peyvand.revival.models import RevivalCase
from peyvand.sourcing.models import SourcingRequest

from .conftest import BrowserPage
from .factories import UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_case_from_idle_to_the_home_figure_in_persian(
    web, browser, live_server, estate_a, officer, manager, buyer
) -> None:
    unit = UnitFactory(
        estate=estate_a, name="نساجی پارس گیلان", status="idle", status_since=dt.date(2022, 1, 1)
    )
    SourcingRequest.objects.create(
        buyer=buyer.memberships.get().organisation,
        company=estate_a.company,
        title="پارچه روکش صندلی",
        text="پارچه پلی‌استر",
        quote_deadline=dt.date.today() + dt.timedelta(days=20),
        state="published",
    )
    page = web.page

    # The officer opens the case from the clinic's board.
    web.login("officer_a")
    web.goto("/revival/cases/")
    page.get_by_test_id("open-case").click()
    page.select_option("#id_unit", str(unit.pk))
    page.fill("#id_opened_on", jalali_text(dt.date.today() - dt.timedelta(days=20)))
    page.fill("#id_unit_account", "بانک ضمانت‌نامه را تمدید نکرد و خریدار اصلی رفت")
    page.locator("[data-testid=revival-form] button[type=submit]").click()
    page.wait_for_url("**/revival/cases/*/")
    case = RevivalCase.objects.get(unit=unit)
    expect(page.get_by_test_id("case-stage")).to_contain_text("عارضه‌یابی")

    # The diagnosis: two causes with their severity.
    page.get_by_test_id("diagnose").click()
    page.select_option("#id_severity_working_capital", "3")
    page.select_option("#id_severity_market", "2")
    page.fill("#id_note_market", "خریدار اصلی قرارداد را تمدید نکرد")
    page.locator("[data-testid=diagnosis-form] button[type=submit]").click()
    page.wait_for_url(f"**/revival/cases/{case.pk}/")
    expect(page.get_by_test_id("causes")).to_contain_text("سرمایه در گردش")
    expect(page.get_by_test_id("causes")).to_contain_text("بازار و فروش")

    # A buyer linkage through the bridge.
    page.get_by_test_id("add-intervention").click()
    page.select_option("#id_kind", "buyer_linkage")
    page.fill("#id_title", "سفارش پارچه از خودروساز")
    page.fill("#id_due_on", jalali_text(dt.date.today() + dt.timedelta(days=10)))
    page.select_option(
        "#id_request", label=page.locator("#id_request option", has_text="پارچه روکش صندلی").inner_text()
    )
    page.locator("[data-testid=revival-form] button[type=submit]").click()
    page.wait_for_url(f"**/revival/cases/{case.pk}/")
    expect(page.get_by_test_id("interventions")).to_contain_text("پیوند با خریدار از راه پل")
    expect(page.get_by_test_id("case-stage")).to_contain_text("در حال اقدام")

    # The manager records the return to production, through the unit's life cycle.
    boss = BrowserPage(
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR").new_page(),
        live_server.url,
    )
    boss.page.set_default_timeout(15000)
    boss.login("manager_a")
    boss.goto(f"/revival/cases/{case.pk}/")
    boss.page.get_by_test_id("record-return").click()
    boss.page.select_option("#id_to_status", "semi_active")
    boss.page.fill("#id_date", jalali_text(dt.date.today()))
    boss.page.fill("#id_jobs_restored", "۱۲")
    boss.page.locator("[data-testid=revival-form] button[type=submit]").click()
    boss.page.wait_for_url(f"**/revival/cases/{case.pk}/")
    expect(boss.page.get_by_test_id("case-stage")).to_contain_text("احیا شد")
    expect(boss.page.get_by_test_id("case-outcome")).to_contain_text("نیمه‌فعال")

    # The home figure opens the list of returns, which shows the unit with its case.
    boss.goto("/")
    expect(boss.page.get_by_test_id("kpi-returned_to_production")).to_contain_text("۱")
    boss.page.locator("[data-list=returned_to_production]").click()
    boss.page.wait_for_load_state()
    row = boss.page.get_by_test_id("units-table").locator("tr", has_text="نساجی پارس گیلان")
    expect(row).to_contain_text(localize_digits(case.reference))
    expect(row).to_contain_text("احیا شد")
    boss.assert_no_csp_violations()
