"""Browser: a representative claims a unit, staff approve, the representative edits only that unit."""

from __future__ import annotations

import pytest

from .factories import UnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_claim_approve_edit_own_profile_but_not_another(web, browser, live_server, estate_a, manager) -> None:
    unit = UnitFactory(estate=estate_a, name="کارگاه تراشکاری دقیق رشت", employees=12)
    other = UnitFactory(estate=estate_a, name="صنایع چوب جنگل")
    UserFactory(username="rep", first_name="زهرا", last_name="کریمی")
    page = web.page

    web.login("rep")
    web.goto(f"/units/{unit.pk}/")
    page.get_by_role("link", name="نماینده این واحد هستم").click()
    page.fill("#id_position", "مدیرعامل")
    page.fill("#id_evidence", "شماره پروانه بهره‌برداری ۱۲۳۴۵ به نام اینجانب")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/units/{unit.pk}/")
    assert "درخواست شما ارسال شد" in page.content()

    staff = browser.new_context(locale="fa-IR").new_page()
    staff_web = type(web)(staff, live_server.url)
    staff_web.login("manager_a")
    staff_web.goto("/units/claims/")
    staff.get_by_test_id("claims-table").get_by_role("link", name="بررسی").click()
    staff.check("input[value=approve]")
    staff.click("main form button[type=submit]")
    staff.wait_for_url("**/units/claims/")
    staff_web.assert_no_csp_violations()

    web.goto(f"/units/{unit.pk}/")
    page.get_by_role("link", name="ویرایش مشخصات").click()
    assert page.locator("#id_national_id").count() == 0  # registry facts stay with staff
    page.fill("#id_employees", "۱۸")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/units/{unit.pk}/")
    unit.refresh_from_db()
    assert unit.employees == 18

    response = page.goto(f"{live_server.url}/units/{other.pk}/edit/")
    assert response.status == 403
