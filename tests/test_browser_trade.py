"""Browser, in Persian (issue 13, done when): an officer records an export with the HS code the form
suggests from the product, sees it on the unit's page, on the value-chain map and in the figures; a buyer's
imported input becomes a local-sourcing opportunity with suggested local suppliers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from peyvand.core.jalali import to_jalali
from peyvand.sourcing import engine
from peyvand.sourcing.models import Linkage, LinkageStep
from peyvand.taxonomy.models import Capability
from peyvand.trade.models import BuyerInput, ExportRecord

from .conftest import BrowserPage
from .factories import UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_officer_records_an_export_that_shows_everywhere(web, estate_a, officer, buyer) -> None:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    unit = UnitFactory(estate=estate_a, name="چای‌سازی لاهیجان", description="فرآوری و بسته‌بندی چای سیاه")
    day = dt.date.today() - dt.timedelta(days=20)
    linkage = Linkage.objects.create(
        company=estate_a.company, buyer=buyer_org, unit=unit, source="direct", stage="contract_signed",
        stage_date=day, introduced_on=day, contract_value_rial=2_000_000_000, export_share=Decimal(50),
    )  # fmt: skip
    LinkageStep.objects.create(linkage=linkage, from_stage="introduced", to_stage="contract_signed", date=day)
    this = to_jalali(dt.date.today())

    web.login("officer_a")
    web.goto(f"/trade/exports/new/?unit={unit.pk}")
    page = web.page
    page.fill("#id_product", "Black tea, fermented, packed in bags of 5 kg")
    option = page.locator('[data-testid="hs-option"]').first
    expect(option).to_be_visible(timeout=60_000)  # the first suggestion loads the HS tables
    expect(page.locator('[data-testid="hs-suggestions"]')).to_contain_text("۰۹۰۲")
    code = option.get_attribute("data-hs-option-code")
    assert code.startswith("0902")
    option.click()
    expect(page.locator("#id_hs_code")).to_have_value(code)
    page.select_option("#id_destination", "RU")
    page.fill("#id_value_usd", "۸۵٬۰۰۰")
    page.fill("#id_year", str(this.year))
    page.select_option("#id_month", str(this.month))
    page.select_option("#id_source", "customs")
    page.click('[data-testid="save-export"]')
    expect(page.locator('[data-testid="export-hs"]')).to_contain_text(
        code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    assert ExportRecord.objects.get().unit == unit

    web.goto(unit.get_absolute_url())
    expect(page.locator('[data-testid="unit-exports"]')).to_contain_text("۸۵٬۰۰۰")
    expect(page.locator('[data-testid="export-readiness"]')).to_contain_text("روسیه")

    web.goto("/trade/chains/")
    expect(page.locator('[data-testid="total-chains"]')).to_have_text("۱")
    expect(page.locator('[data-testid="direct-exports"]')).to_contain_text("روسیه")
    expect(page.locator('[data-testid="sankey-chart"] svg')).to_be_visible()

    web.goto("/dashboard/")
    expect(page.locator('[data-testid="kpi-direct_exports"]')).to_contain_text("۸۵٬۰۰۰")


def test_a_buyers_imported_input_becomes_an_opportunity(
    web, browser, live_server, estate_a, officer, buyer
) -> None:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    caster = UnitFactory(
        estate=estate_a, name="دایکست کاسپین", description="ریخته‌گری تحت فشار آلومینیوم و دایکست پوسته پمپ"
    )
    caster.capabilities.add(Capability.objects.get(code="metal.die_casting"))
    engine.rebuild_index()

    web.login("buyer")
    web.goto("/trade/inputs/new/")
    page = web.page
    page.fill("#id_name", "پوسته پمپ آلومینیومی دایکست")
    page.fill("#id_yearly_value_rial", "۴۰٬۰۰۰٬۰۰۰٬۰۰۰")
    page.select_option("#id_origin", "imported")
    page.locator("main form button[type=submit]").click()
    expect(page.locator('[data-testid="input-name"]')).to_have_text("پوسته پمپ آلومینیومی دایکست")
    assert BuyerInput.objects.get().buyer == buyer_org

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    staff = BrowserPage(context.new_page(), live_server.url)
    staff.login("officer_a")
    staff.goto("/trade/opportunities/")
    row = staff.page.locator('[data-testid="opportunity"]').first
    expect(row).to_contain_text("پوسته پمپ آلومینیومی دایکست")
    expect(row.locator('[data-testid="opportunity-suppliers"]')).to_contain_text("دایکست کاسپین")
    staff.assert_no_csp_violations()
    context.close()
