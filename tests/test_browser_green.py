"""Browser, in Persian: an officer reports progress on a plant under construction, records a failing
effluent test that opens a compliance case, and brokers a rice-husk have to a want; the dashboard's
figures follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from peyvand.core.jalali import jalali_text
from peyvand.estates.models import County
from peyvand.green.models import ComplianceCase, EffluentTest, ResourceListing, SymbiosisLink

from .factories import EstateFactory, UnitFactory
from .green_world import make_plant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_officer_runs_green_estates_in_persian(web, estate_a, unit_a, officer) -> None:
    today = dt.date.today()
    plant = make_plant(
        estate_a, officer, name="تصفیه‌خانه شهرک آزمایشی", stage="under_construction", planned_opening=today
    )
    brickworks = EstateFactory(
        company=estate_a.company, county=County.objects.get(code="lahijan"), latitude=37.2, longitude=50.0
    )
    have = ResourceListing.objects.create(
        unit=unit_a, direction="have", material="rice_husk", tonnes_per_year=500, description="پوسته برنج خشک"
    )
    want = ResourceListing.objects.create(
        unit=UnitFactory(estate=brickworks, name="آجرپزی لاهیجان"),
        direction="want",
        material="rice_husk",
        tonnes_per_year=450,
        description="سوخت کوره آجرپزی",
    )
    page = web.page
    web.login("officer_a")

    # Progress on the plant under construction.
    web.goto(f"/green/plants/{plant.pk}/")
    form = page.get_by_test_id("progress-form")
    form.locator("#id_date").fill(jalali_text(today))
    form.locator("#id_percent").fill("۶۵")
    form.locator("#id_note").fill("بتن‌ریزی حوض هوادهی تمام شد")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("plant-progress")).to_contain_text("۶۵")
    expect(page.get_by_test_id("progress-reports")).to_contain_text("بتن‌ریزی حوض هوادهی")

    # A failing effluent test opens a compliance case.
    web.goto("/green/tests/new/")
    page.select_option("#id_unit", str(unit_a.pk))
    page.fill("#id_sampled_on", jalali_text(today))
    page.fill("#id_lab", "آزمایشگاه معتمد رشت")
    page.select_option("#id_receiving_body", "sewer")
    page.fill("#id_cod", "۹۵۰")
    page.fill("#id_ph", "۷٫۲")
    page.locator("[data-testid=green-form] button[type=submit]").click()
    expect(page.get_by_test_id("test-result")).to_contain_text("ناموفق")
    test = EffluentTest.objects.get()
    assert (test.passed, test.cod, test.ph) == (False, Decimal("950"), Decimal("7.2"))
    page.get_by_test_id("case-link").click()
    expect(page.get_by_test_id("case-state")).to_contain_text("باز")
    assert ComplianceCase.objects.get().unit == unit_a

    # The rice-husk have is brokered to the brickworks' want, then contracted.
    web.goto("/green/symbiosis/proposals/?material=rice_husk")
    expect(page.get_by_test_id("proposals-table")).to_contain_text("همان ماده: پوسته برنج")
    page.get_by_test_id(f"broker-{have.pk}-{want.pk}").click()
    expect(page.get_by_test_id("link-stage")).to_contain_text("معرفی")
    step = page.get_by_test_id("exchange-step-form")
    step.locator("#id_to_stage").select_option("contract")
    step.locator("#id_date").fill(jalali_text(today))
    step.locator("#id_tonnes_per_year").fill("۴۰۰")
    step.locator("button[type=submit]").click()
    expect(page.get_by_test_id("link-stage")).to_contain_text("قرارداد")
    assert SymbiosisLink.objects.get().tonnes_per_year == Decimal("400")

    # The dashboard reads the same figures, each opening its list.
    web.goto("/green/dashboard/")
    expect(page.get_by_test_id("kpi-tonnes_diverted")).to_contain_text("۴۰۰")
    expect(page.get_by_test_id("kpi-plants_due_by_year_end")).to_contain_text("۱")
    page.get_by_test_id("kpi-plants_due_by_year_end").locator("a").click()
    expect(page.get_by_test_id("plants-table")).to_contain_text("تصفیه‌خانه شهرک آزمایشی")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_plants_table_fits_its_card_on_a_laptop_screen(web, estate_a, officer, language) -> None:
    """At 1366 px beside the filters, every column of the plants list shows (its last one was cut off)."""
    for stage, opening in (("operating", None), ("under_construction", dt.date(2027, 1, 16))):
        make_plant(
            EstateFactory(
                company=estate_a.company,
                name="شهرک صنعتی سپیدرود و گوهررود",
                name_en="Sepidrud Industrial Estate",
            ),
            officer,
            name="تصفیه‌خانه مشترک سپیدرود و گوهررود",
            name_en="Sepidrud–Goharrud joint plant",
            stage=stage,
            planned_opening=opening,
            actual_opening=None if opening else dt.date(2026, 5, 21),
        )
    page = web.page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.add_cookies([{"name": "peyvand_language", "value": language, "url": web.base_url}])
    web.login("officer_a")
    web.goto("/green/plants/")
    scroller = page.get_by_test_id("plants-table").locator("xpath=..")
    overflow = scroller.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 0, f"the table is {overflow} px wider than its card"
