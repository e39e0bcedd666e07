"""Notifications: who gets one, in which language, by which channel, and who may read it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from peyvand.notifications import services, sms
from peyvand.notifications.models import Notification

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = ("درخواست تازه برای قطعات ریخته‌گری", "New request for cast parts")
BODY = ("گروه صنعتی خریدار ۵۰۰ قطعه می‌خواهد.", "Buyer Group needs 500 parts.")


class BrokenSMSBackend:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


class BrokenEmailBackend:
    def __init__(self, **options) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise ConnectionError("SMTP down")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.PEYVAND_SMS_BACKEND = "peyvand.notifications.sms.LocMemSMSBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` — as if the surrounding transaction committed: deliveries run at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _notify(users, **options):
    return services.notify(users, "request", title=TITLE, body=BODY, url="/units/", **options)


# --- Creating -------------------------------------------------------------------------------------
def test_it_creates_one_notification_per_distinct_active_user(manager, officer) -> None:
    retired = UserFactory(username="retired", is_active=False)

    created = _notify([manager, officer, manager, retired], email=False)

    assert sorted(note.user_id for note in created) == sorted([manager.pk, officer.pk])
    stored = Notification.objects.get(user=manager)
    assert (stored.title_fa, stored.title_en, stored.body_en) == (*TITLE, BODY[1])
    assert stored.read_at is None
    assert not Notification.objects.filter(user=retired).exists()


def test_a_lazy_title_is_stored_in_both_languages(manager) -> None:
    (note,) = services.notify(manager, "system", title=gettext_lazy("Notifications"), email=False)

    assert note.title_fa == "اعلان‌ها"
    assert note.title_en == "Notifications"


def test_it_refuses_links_that_leave_the_site(manager) -> None:
    for url in ("https://evil.example/", "//evil.example/", "units/"):
        with pytest.raises(ValueError, match="paths on this site"):
            services.notify(manager, "system", title=TITLE, url=url)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=manager, title_fa="x", title_en="x", url="//evil.example/")


def test_notify_organisation_reaches_the_members_in_the_given_roles(unit_a, unit_a_owner) -> None:
    editor = MembershipFactory(organisation=unit_a.organisation, role="editor").user
    MembershipFactory(organisation=unit_a.organisation, role="viewer", user=UserFactory(is_active=False))

    everyone = services.notify_organisation(unit_a.organisation, "invitation", title=TITLE, email=False)
    admins = services.notify_organisation(
        unit_a.organisation, "invitation", title=TITLE, email=False, roles=["admin"]
    )

    assert {note.user for note in everyone} == {unit_a_owner, editor}
    assert [note.user for note in admins] == [unit_a_owner]


# --- Delivering -----------------------------------------------------------------------------------
def test_the_email_goes_out_in_each_users_language(manager, officer, committed) -> None:
    officer.preferred_language = "en"
    officer.save()
    no_address = UserFactory(username="no_address", email="")

    with committed():
        _notify([manager, officer, no_address], base_url="https://peyvand.example.ir/")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {manager.email, officer.email}
    persian, english = by_recipient[manager.email], by_recipient[officer.email]
    assert persian.subject == TITLE[0]
    assert BODY[0] in persian.body
    assert "سلام" in persian.body
    assert english.subject == TITLE[1]
    assert BODY[1] in english.body
    assert "Hello" in english.body
    note = Notification.objects.get(user=officer)
    assert f"https://peyvand.example.ir/notifications/{note.pk}/open/" in english.body
    assert note.emailed
    assert not Notification.objects.get(user=no_address).emailed


def test_nothing_is_sent_for_a_notification_that_was_rolled_back(manager, committed) -> None:
    def failing_business_step() -> None:
        with transaction.atomic():
            _notify(manager, sms=True)
            raise RuntimeError("the business step failed")

    with committed(), pytest.raises(RuntimeError):
        failing_business_step()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_sms_goes_to_the_normalised_mobile_number(manager, officer, sms_outbox, committed) -> None:
    manager.phone = "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"
    manager.save()
    officer.phone = "013-3333-4444"  # a landline: refused quietly
    officer.save()

    with committed():
        _notify([manager, officer], email=False, sms=True)

    assert [message.phone for message in sms_outbox] == ["09123456789"]
    assert TITLE[0] in sms_outbox[0].text
    assert Notification.objects.get(user=manager).texted
    assert not Notification.objects.get(user=officer).texted


def test_no_sms_unless_asked(manager, sms_outbox, committed) -> None:
    manager.phone = "09123456789"
    manager.save()

    with committed():
        _notify(manager)

    assert sms_outbox == []
    assert len(mail.outbox) == 1


def test_a_failing_sms_gateway_loses_nothing(manager, settings, committed, caplog) -> None:
    settings.PEYVAND_SMS_BACKEND = "tests.test_notifications.BrokenSMSBackend"
    manager.phone = "09123456789"
    manager.save()

    with committed():
        (note,) = _notify(manager, sms=True)

    note.refresh_from_db()
    assert not note.texted
    assert note.emailed
    assert len(mail.outbox) == 1
    assert "SMS of notification" in caplog.text


def test_a_failing_mail_server_loses_nothing(manager, settings, sms_outbox, committed, caplog) -> None:
    settings.MAILERS = {"default": {"BACKEND": "tests.test_notifications.BrokenEmailBackend"}}
    manager.phone = "09123456789"
    manager.save()

    with committed():
        (note,) = _notify(manager, sms=True)

    note.refresh_from_db()
    assert not note.emailed
    assert note.texted
    assert len(sms_outbox) == 1
    assert "E-mail of notification" in caplog.text
    assert services.unread_count(manager) == 1


# --- Phone numbers --------------------------------------------------------------------------------
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    prefix=st.sampled_from(["0", "+98", "0098", "98", "", "+98 0", "+98 (0)"]),
    script=st.sampled_from([None, PERSIAN, ARABIC]),
    separator=st.sampled_from(["", " ", "-", "\u200c"]),
)
def test_every_way_of_writing_a_mobile_number_normalises_to_09(digits, prefix, script, separator) -> None:
    written = f"{prefix}9{digits[:2]}{separator}{digits[2:5]}{separator}{digits[5:]}"
    if script:
        written = written.translate(script)

    assert sms.normalise_phone(written) == f"09{digits}"


@pytest.mark.parametrize(
    "written", ["", "abc", "0912345678", "091234567890", "02188776655", "+1 912 345 6789", "00912345678"]
)
def test_what_is_not_an_iranian_mobile_number_is_refused(written) -> None:
    assert sms.normalise_phone(written) is None
    assert sms.send_sms(written, "text") is False


# --- Reading --------------------------------------------------------------------------------------
def test_users_see_only_their_own_notifications(client, manager, officer) -> None:
    services.notify(manager, "system", title=("برای مدیر", "For the manager"), email=False)
    (theirs,) = services.notify(officer, "system", title=("برای کارشناس", "For the officer"), email=False)

    client.force_login(manager)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "برای مدیر" in page
    assert "برای کارشناس" not in page
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_superuser_does_not_read_other_peoples_notifications(client, officer) -> None:
    (theirs,) = services.notify(officer, "system", title=TITLE, email=False)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    assert TITLE[0] not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404


def test_the_list_shows_each_notification_in_the_active_language(client, manager) -> None:
    _notify(manager, email=False)
    client.force_login(manager)

    persian = client.get(reverse("notifications:list")).content.decode()
    client.cookies["peyvand_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()

    assert TITLE[0] in persian
    assert BODY[0] in persian
    assert TITLE[1] not in persian
    assert TITLE[1] in english
    assert BODY[1] in english
    assert TITLE[0] not in english


def test_an_empty_list_says_so(client, manager) -> None:
    client.force_login(manager)

    response = client.get(reverse("notifications:list"))

    assert 'data-testid="empty-state"' in response.content.decode()
    assert 'data-testid="notification-count"' not in response.content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, manager) -> None:
    (note,) = _notify(manager, email=False)
    client.force_login(manager)

    response = client.get(reverse("notifications:open", args=[note.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/units/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert services.unread_count(manager) == 0


@pytest.mark.parametrize("url", ["", "/\\evil.example/"])
def test_a_notification_without_a_safe_link_opens_the_list(client, manager, url) -> None:
    note = Notification.objects.create(user=manager, title_fa="x", title_en="x", url=url)
    client.force_login(manager)

    response = client.get(reverse("notifications:open", args=[note.pk]))

    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_marks_only_the_users_own(client, manager, officer) -> None:
    _notify(manager, email=False)
    _notify(manager, email=False)
    _notify(officer, email=False)
    client.force_login(manager)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert services.unread_count(manager) == 0
    assert services.unread_count(officer) == 1
    assert "۲ اعلان خوانده‌شده علامت خورد" in response.content.decode()


def test_mark_read_refuses_someone_elses_notification(manager, officer) -> None:
    from django.core.exceptions import PermissionDenied

    (theirs,) = _notify(officer, email=False)

    with pytest.raises(PermissionDenied):
        services.mark_read(theirs, manager)
    services.mark_read(theirs, officer)
    assert services.unread_count(officer) == 0


# --- The bell -------------------------------------------------------------------------------------
def test_the_unread_count_is_one_query(manager, django_assert_num_queries) -> None:
    for _ in range(3):
        _notify(manager, email=False)

    with django_assert_num_queries(1):
        assert services.unread_count(manager) == 3


def test_the_bell_shows_the_count_in_persian_digits(client, manager) -> None:
    for _ in range(12):
        _notify(manager, email=False)
    client.force_login(manager)

    page = client.get(reverse("units:list")).content.decode()

    assert 'data-testid="notification-bell"' in page
    assert 'data-testid="notification-count">۱۲</span>' in page


def test_the_bell_caps_a_large_count(client, manager) -> None:
    Notification.objects.bulk_create(
        Notification(user=manager, title_fa="x", title_en="x") for _ in range(120)
    )
    client.force_login(manager)

    assert 'data-testid="notification-count">۹۹+</span>' in client.get(reverse("home")).content.decode()


def test_no_bell_for_visitors(client) -> None:
    assert 'data-testid="notification-bell"' not in client.get(reverse("home")).content.decode()


def test_the_bell_partial_renders_the_count_and_stops_polling_after_sign_out(client, manager) -> None:
    _notify(manager, email=False)

    assert client.get(reverse("notifications:bell"), headers={"HX-Request": "true"}).status_code == 286
    client.force_login(manager)
    response = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'data-testid="notification-count">۱</span>' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert client.get(reverse("notifications:bell"))["Location"] == reverse("notifications:list")


def test_the_list_page_does_not_query_per_notification(client, manager) -> None:
    _notify(manager, email=False)
    client.force_login(manager)
    client.get(reverse("notifications:list"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    for _ in range(20):
        _notify(manager, email=False)

    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:list"))

    assert len(many) == len(few)
