"""Browser, in Persian: the HS code of a product added with "add another product" on the unit's edit page
is picked from the codes suggested as its name is typed, and the unit's page shows it; the request form
suggests codes the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from peyvand.sourcing.models import SourcingRequest
from peyvand.units.models import Product

from .factories import UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_a_product_added_on_the_edit_page_takes_a_suggested_code(web, estate_a, manager) -> None:
    unit = UnitFactory(estate=estate_a, name="چای‌سازی لاهیجان")
    web.login("manager_a")
    web.goto(f"/units/{unit.pk}/edit/")
    page = web.page
    page.fill("#id_products-0-name", "چای سیاه")
    page.click('[data-testid="add-product"]')
    row = page.locator('[data-testid="product-row"]').nth(1)
    expect(row.locator("#id_products-1-name")).to_be_focused()
    row.locator("#id_products-1-name").fill("ماهیتابه استیل")
    row.locator("#id_products-1-name_en").fill("Stainless steel frying pan 28cm")
    option = row.locator('[data-testid="hs-option"]').first
    expect(option).to_be_visible(timeout=60_000)  # the first suggestion loads the HS tables
    # The first row's suggestions are its own: typing in the second row leaves them alone.
    expect(
        page.locator('[data-testid="product-row"]').nth(0).locator('[data-testid="hs-option"]')
    ).to_have_count(5, timeout=60_000)
    code = option.get_attribute("data-hs-option-code")
    assert code.startswith("73")
    option.click()
    expect(row.locator("#id_products-1-hs")).to_have_value(code)
    expect(row.locator('[data-testid="hs-code-text"]')).not_to_be_empty()
    page.fill("#id_products-0-hs", "۰۹۰۲۴۰")  # typed by hand, in Persian digits
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
    saved = {
        product.name_en or product.name: product.hs.code for product in Product.objects.filter(unit=unit)
    }
    assert saved == {"چای سیاه": "090240", "Stainless steel frying pan 28cm": code}
    expect(page.locator("main")).to_contain_text(code.translate(FA_DIGITS))


def test_the_request_form_suggests_codes_as_the_need_is_typed(web, buyer, estate_a) -> None:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    web.login("buyer")
    web.goto("/sourcing/requests/new/")
    page = web.page
    page.fill("#id_title", "Corrugated cardboard boxes, five-ply, for kiwifruit export")
    option = page.locator('[data-testid="hs-option"]').first
    expect(option).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="hs-suggestions"]')).to_contain_text("۴۸")
    option.click()
    code = option.get_attribute("data-hs-option-code")
    expect(page.locator("#id_hs_code")).to_have_value(code)
    assert not SourcingRequest.objects.exists()
