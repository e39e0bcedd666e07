"""Browser: home → operating units → filter by county → a unit → switch language (no CSP violations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from peyvand.estates.models import County

from .factories import EstateFactory, UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_manager_drills_down_from_the_home_figure_to_a_unit_and_switches_language(
    web, company_a, manager
) -> None:
    rasht = EstateFactory(
        company=company_a, county=County.objects.get(code="rasht"), name="شهرک صنعتی سپیدرود"
    )
    lahijan = EstateFactory(
        company=company_a, county=County.objects.get(code="lahijan"), name="شهرک صنعتی لاهیجان"
    )
    UnitFactory(estate=rasht, name="ریخته‌گری آلومینیوم کاسپین", name_en="Caspian Aluminium Casting")
    UnitFactory(estate=rasht, name="برنج‌کوبی سپیدرود")
    UnitFactory(estate=lahijan, name="چای‌سازی بهار")
    UnitFactory(estate=lahijan, name="چای‌سازی خاموش", status="idle")

    web.login("manager_a")
    web.goto("/")
    page = web.page
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_test_id("kpi-operating_units").inner_text() == "۳"
    page.click('[data-kpi="operating_units"]')
    page.wait_for_url("**/units/?status=operating")
    assert "۳" in page.get_by_test_id("result-count").inner_text()

    page.select_option("#id_county", label="رشت")
    expect(page.get_by_test_id("result-count")).to_contain_text("۲")
    assert "county=" in page.url
    rows = page.get_by_test_id("units-table").locator("tbody tr")
    assert rows.count() == 2

    page.get_by_role("link", name="ریخته‌گری آلومینیوم کاسپین").click()
    page.wait_for_url("**/units/*/")
    assert page.get_by_test_id("unit-name").inner_text() == "ریخته‌گری آلومینیوم کاسپین"
    assert page.get_by_test_id("status-history").locator("li").count() == 1

    page.get_by_test_id("language-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("unit-name").inner_text() == "Caspian Aluminium Casting"
