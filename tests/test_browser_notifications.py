"""Browser: the bell counts unread notifications, follows one to its page, and refreshes on its own."""

from __future__ import annotations

import pytest

from peyvand.notifications import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_the_bell_leads_to_the_notification_and_counts_down(web, manager) -> None:
    services.notify(manager, "system", title=("پیام قدیمی", "Old message"), email=False)
    services.notify(
        manager,
        "request",
        title=("درخواست تازه برای قطعات", "New request for parts"),
        url="/units/",
        email=False,
    )
    page = web.page
    page.clock.install()  # so that the 60-second polling can be fast-forwarded

    web.login("manager_a")
    bell = page.get_by_test_id("notification-bell")
    assert bell.get_by_test_id("notification-count").inner_text() == "۲"

    bell.click()
    page.wait_for_url("**/notifications/")
    assert page.locator("[data-unread=true]").count() == 2
    page.get_by_role("link", name="درخواست تازه برای قطعات").click()
    page.wait_for_url("**/units/")
    assert page.get_by_test_id("notification-count").inner_text() == "۱"

    services.notify(manager, "reminder", title=("یادآوری", "Reminder"), email=False)
    page.clock.fast_forward(61_000)
    page.get_by_test_id("notification-count").filter(has_text="۲").wait_for()

    web.goto("/notifications/")
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notification-count").count() == 0
    assert page.locator("[data-unread=true]").count() == 0
