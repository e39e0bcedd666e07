"""A Persian user reads the bridge's and the registry's notifications, and their e-mails, in Persian."""

from __future__ import annotations

import pytest
from django.core import mail

from peyvand.core.jalali import format_date
from peyvand.notifications.models import Notification
from peyvand.sourcing import services
from peyvand.sourcing.choices import RequestState
from peyvand.units import services as unit_services

from .factories import MembershipFactory, UserFactory
from .sourcing_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate_a, buyer, officer, manager):
    return build_world(estate_a, buyer)


def test_a_persian_buyer_and_supplier_read_their_notifications_and_emails_in_persian(
    client, world, buyer, officer, django_capture_on_commit_callbacks
) -> None:
    request, units = world
    supplier = MembershipFactory(
        organisation=units["best"].organisation, role="admin", user=UserFactory(username="supplier_fa")
    ).user
    assert (buyer.preferred_language, supplier.preferred_language) == ("fa", "fa")
    with django_capture_on_commit_callbacks(execute=True):
        services.move_request(request, RequestState.SUBMITTED, by=buyer)
        services.move_request(request, RequestState.PUBLISHED, by=officer)
        services.invite(request, [units["best"]], by=officer)

    published = Notification.objects.get(user=buyer, kind="request")
    assert published.title_fa == f"درخواست شما منتشر شد: {request.title}"
    assert published.title_en == f"Your request was published: {request.title}"
    invitation = Notification.objects.get(user=supplier, kind="invitation")
    assert invitation.title_fa == f"دعوت به ارائهٔ پیشنهاد قیمت: {request.title}"
    deadline = format_date(request.quote_deadline)
    assert invitation.body_fa == f"از شما دعوت شده است تا پیش از {deadline} پیشنهاد قیمت بدهید."

    client.force_login(buyer)
    page = client.get("/notifications/")
    assert f"درخواست شما منتشر شد: {request.title}" in page.text
    assert "Your request was published" not in page.text

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[buyer.email] == f"درخواست شما منتشر شد: {request.title}"
    assert subjects[supplier.email] == f"دعوت به ارائهٔ پیشنهاد قیمت: {request.title}"
    assert subjects[officer.email] == f"درخواست تازه برای بررسی: {request.title}"


def test_a_persian_officer_reads_a_claim_to_review_in_persian(
    unit_a, officer, django_capture_on_commit_callbacks
):
    claimant = UserFactory(username="claimant_fa", first_name="سارا", last_name="رضایی")
    with django_capture_on_commit_callbacks(execute=True):
        unit_services.request_claim(unit_a, claimant, position="مدیر", evidence="پروانه بهره‌برداری")
    notification = Notification.objects.get(user=officer, kind="claim")
    assert notification.title_fa == f"درخواست نمایندگی {unit_a.name}"
    assert notification.body_fa == "سارا رضایی می‌خواهد نمایندهٔ این واحد باشد."
    assert notification.title_en == f"Request to represent {unit_a.name_en}"
    assert mail.outbox[0].subject == f"درخواست نمایندگی {unit_a.name}"
