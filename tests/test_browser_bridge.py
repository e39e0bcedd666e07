"""Browser, in Persian: a buyer files a request, the officer publishes it and invites three suggested
suppliers, one quotes, one declines, the officer records the contract and the first delivery, and the
ledger totals change accordingly."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from peyvand.core.jalali import jalali_text
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.taxonomy.models import Capability
from peyvand.units.models import Certification

from .conftest import BrowserPage
from .factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _supplier(estate, name: str, username: str):
    organisation = OrganisationFactory(kind="production_unit", name=name, company=estate.company)
    unit = UnitFactory(
        estate=estate,
        name=name,
        organisation=organisation,
        description="ریخته‌گری تحت فشار آلومینیوم (دایکست) پوسته پمپ و قطعات خودرو",
    )
    unit.capabilities.add(Capability.objects.get(code="metal.die_casting"))
    unit.certifications.add(Certification.objects.get(code="iso_9001"))
    MembershipFactory(organisation=organisation, role="admin", user=UserFactory(username=username))
    return unit


def _as(browser, live_server, username: str) -> BrowserPage:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    session = BrowserPage(context.new_page(), live_server.url)
    session.page.set_default_timeout(15000)
    session.login(username)
    return session


def test_the_whole_bridge_in_persian(web, browser, live_server, estate_a, officer, buyer) -> None:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    suppliers = [
        _supplier(estate_a, name, f"sup{i}")
        for i, name in enumerate(["دایکست کاسپین", "ریخته‌گری سپید", "قطعه‌سازی نوین"])
    ]
    UnitFactory(estate=estate_a, name="چای‌سازی بهار", description="چای سیاه")

    # The buyer files and submits the request.
    web.login("buyer")
    page = web.page
    web.goto("/sourcing/requests/new/")
    page.fill("#id_title", "پوسته پمپ آلومینیومی")
    page.fill("#id_text", "ریخته‌گری تحت فشار (دایکست) ۵۰۰۰ عدد پوسته پمپ آلومینیومی در ماه")
    page.fill("#id_quantity", "۵۰۰۰")
    page.fill("#id_quantity_unit", "عدد")
    page.fill("#id_quote_deadline", jalali_text(dt.date.today() + dt.timedelta(days=14)))
    suggestion = page.get_by_test_id("capabilities-suggested").locator("label", has_text="ریخته‌گری تحت فشار")
    expect(suggestion).to_be_visible()
    suggestion.locator("input").check()
    page.locator("[data-testid=request-form] button[type=submit]").click()
    page.wait_for_url("**/sourcing/requests/*/")
    request = SourcingRequest.objects.get(title="پوسته پمپ آلومینیومی")
    assert list(request.capabilities.values_list("code", flat=True)) == ["metal.die_casting"]
    page.get_by_test_id("move-submitted").click()
    expect(page.get_by_test_id("request-state")).to_contain_text("ارسال‌شده برای بررسی")

    # The officer publishes it and invites the three suggested die-casters.
    staff = _as(browser, live_server, "officer_a")
    staff.goto(f"/sourcing/requests/{request.pk}/")
    staff.page.get_by_test_id("move-published").click()
    rows = staff.page.get_by_test_id("suggestions-table").locator("tbody tr")
    expect(rows.first).to_be_visible()
    for unit in suppliers:
        staff.page.locator(f"tr[data-unit='{unit.pk}'] input[name=units]").check()
    staff.page.get_by_test_id("invite-selected").click()
    expect(staff.page.get_by_test_id("invitation-board")).to_contain_text(suppliers[2].name)

    # One supplier quotes, another declines.
    first = _as(browser, live_server, "sup0")
    first.goto("/sourcing/invitations/")
    first.page.get_by_test_id("open-invitations").get_by_text("پوسته پمپ آلومینیومی").click()
    first.page.fill("#id_quote-price_rial", "۱٬۲۰۰٬۰۰۰")
    first.page.fill("#id_quote-lead_time_days", "۳۰")
    first.page.get_by_test_id("send-quote").click()
    expect(first.page.locator(".alert-success")).to_be_visible()
    second = _as(browser, live_server, "sup1")
    second.goto("/sourcing/invitations/")
    second.page.get_by_test_id("open-invitations").get_by_text("پوسته پمپ آلومینیومی").click()
    second.page.select_option("#id_decline-decline_reason", "no_capacity")
    second.page.get_by_test_id("send-decline").click()
    expect(second.page.locator(".alert-success")).to_be_visible()

    # The officer puts the buyer in touch with the quoting supplier and follows it in the ledger.
    staff.goto(f"/sourcing/requests/{request.pk}/")
    staff.page.get_by_test_id(f"link-quote-{suppliers[0].pk}").click()
    staff.page.wait_for_url("**/sourcing/linkages/*/")
    form = staff.page.get_by_test_id("linkage-step-form")
    form.locator("#id_to_stage").select_option("quotation_accepted")
    form.locator("button[type=submit]").click()
    expect(staff.page.get_by_test_id("linkage-stage")).to_contain_text("پیشنهاد قیمت پذیرفته شد")
    form = staff.page.get_by_test_id("linkage-step-form")
    form.locator("#id_to_stage").select_option("contract_signed")
    form.locator("#id_contract_value_rial").fill("۶٬۰۰۰٬۰۰۰٬۰۰۰")
    form.locator("#id_export_share").fill("۵۰")
    form.locator("#id_jobs_created").fill("۵")
    form.locator("button[type=submit]").click()
    expect(staff.page.get_by_test_id("linkage-stage")).to_contain_text("قرارداد امضا شد")
    form = staff.page.get_by_test_id("linkage-step-form")
    form.locator("#id_to_stage").select_option("first_delivery")
    form.locator("button[type=submit]").click()
    expect(staff.page.get_by_test_id("linkage-stage")).to_contain_text("نخستین تحویل")

    staff.goto("/sourcing/linkages/")
    expect(staff.page.get_by_test_id("total-contracts")).to_have_text("۱")
    expect(staff.page.get_by_test_id("total-value")).to_contain_text("۶۰۰٫۰ میلیون تومان")
    expect(staff.page.get_by_test_id("total-exports")).to_contain_text("۳۰۰٫۰ میلیون تومان")
    expect(staff.page.get_by_test_id("total-jobs")).to_have_text("۵")
    linkage = Linkage.objects.get()
    assert (linkage.stage, linkage.contract_value_rial, linkage.jobs_created) == (
        "first_delivery",
        6_000_000_000,
        5,
    )
    for session in (staff, first, second):
        session.assert_no_csp_violations()
