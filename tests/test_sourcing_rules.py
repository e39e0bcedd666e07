"""Rules found in review: identities stay hidden until consent everywhere, roles cannot be self-granted,
the ledger resists double submits, closed requests close their invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from peyvand.accounts import services as account_services
from peyvand.sourcing import services
from peyvand.sourcing.choices import InvitationState, LinkageStage, RequestState
from peyvand.sourcing.forms import SourcingRequestForm
from peyvand.sourcing.models import SupplierInvitation

from .factories import MembershipFactory, UserFactory
from .sourcing_world import build_world
from .test_sourcing import _publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate_a, buyer, officer, manager):
    return build_world(estate_a, buyer)


def _anonymous(request):
    request.confidentiality = "anonymous_buyer"
    request.save()
    return request


def test_a_buyer_still_anonymous_cannot_be_put_in_touch(world, buyer, officer) -> None:
    request, units = world
    _publish(_anonymous(request), buyer, officer)
    with pytest.raises(ValidationError):
        services.start_linkage(request, units["best"], by=officer, source="match")
    services.consent_to_reveal(request, by=buyer)
    assert services.start_linkage(request, units["best"], by=officer, source="match").stage == "introduced"


def test_staff_of_another_company_see_an_anonymous_buyer_as_withheld_even_in_exports(
    client, world, buyer, officer, staff_b
) -> None:
    request, _units = world
    _publish(_anonymous(request), buyer, officer)
    client.force_login(staff_b)
    page = client.get("/sourcing/requests/")
    assert request.buyer.name not in page.text
    export = client.get("/sourcing/requests/", {"export": "csv"})
    if export.status_code == 200 and export.get("Content-Type", "").startswith("text/csv"):
        assert request.buyer.name not in export.content.decode("utf-8-sig")


def test_an_officer_cannot_make_anyone_a_manager_of_its_own_company(company_a, officer, manager) -> None:
    with pytest.raises(PermissionDenied):
        account_services.invite(company_a, "me@x.ir", "manager", by=officer, base_url="http://x")
    assert account_services.grantable_roles(officer, company_a) == ()
    invitation = account_services.invite(
        company_a, "new@x.ir", "linkage_officer", by=manager, base_url="http://x"
    )
    assert invitation.role == "linkage_officer"


def test_an_officer_may_invite_people_into_its_companys_client_units(unit_a, officer) -> None:
    invitation = account_services.invite(
        unit_a.organisation, "rep@x.ir", "admin", by=officer, base_url="http://x"
    )
    assert invitation.organisation == unit_a.organisation


def test_only_the_estate_company_may_let_a_buyer_invite_suppliers(buyer, officer) -> None:
    assert "buyer_may_invite" not in SourcingRequestForm(user=buyer).fields
    assert "buyer_may_invite" in SourcingRequestForm(user=officer).fields


def test_staff_without_bridge_rights_do_not_see_suggestions_or_quotes(
    client, world, buyer, officer, company_a
) -> None:
    request, units = world
    _publish(request, buyer, officer)
    services.invite(request, [units["best"]], by=officer)
    expert = MembershipFactory(
        organisation=company_a, role="environment_expert", user=UserFactory(username="env")
    ).user
    client.force_login(expert)
    page = client.get(f"/sourcing/requests/{request.pk}/")
    assert page.status_code == 200
    assert 'data-testid="suggestions-table"' not in page.text
    assert 'data-testid="invitation-board"' not in page.text


def test_closing_a_request_closes_its_unanswered_invitations(world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    services.invite(request, [units["best"]], by=officer)
    services.move_request(request, RequestState.CLOSED, by=officer)
    assert SupplierInvitation.objects.get(unit=units["best"]).state == InvitationState.EXPIRED


def test_a_repeat_order_submitted_twice_is_recorded_once_and_both_currencies_add_up(
    world, buyer, officer
) -> None:
    request, units = world
    _publish(request, buyer, officer)
    today = timezone.localdate()
    linkage = services.start_linkage(request, units["best"], by=officer, source="match", on=today)
    for stage, values in [
        (LinkageStage.QUOTATION_ACCEPTED, {}),
        (LinkageStage.CONTRACT_SIGNED, {"contract_value_rial": 1_000, "contract_value_usd": 10}),
        (LinkageStage.FIRST_DELIVERY, {}),
    ]:
        services.move_linkage(linkage, stage, date=today, by=officer, values=values)
    shown_with = linkage.steps.order_by("-id").first().pk
    services.move_linkage(
        linkage,
        LinkageStage.REPEAT_ORDER,
        date=today,
        by=officer,
        values={"contract_value_rial": 500, "contract_value_usd": 5},
        expected_last_step=shown_with,
    )
    with pytest.raises(ValidationError):
        services.move_linkage(
            linkage,
            LinkageStage.REPEAT_ORDER,
            date=today,
            by=officer,
            values={"contract_value_rial": 500, "contract_value_usd": 5},
            expected_last_step=shown_with,
        )
    linkage.refresh_from_db()
    assert (linkage.contract_value_rial, int(linkage.contract_value_usd)) == (1_500, 15)


def test_buyer_labels_for_suppliers_do_not_shift_when_others_answer(client, world, buyer, officer) -> None:

    request, units = world
    _publish(_anonymous(request), buyer, officer)
    services.invite(request, [units["best"], units["second"]], by=officer)
    second = SupplierInvitation.objects.get(unit=units["second"])
    responder = MembershipFactory(
        organisation=units["second"].organisation, role="admin", user=UserFactory(username="r2")
    ).user
    services.answer(second, {"decline_reason": "price"}, quote=False, by=responder)
    client.force_login(buyer)
    assert "تأمین‌کننده‌ی ۲" in client.get(f"/sourcing/requests/{request.pk}/").text


def test_a_quotation_document_reaches_the_officer_but_not_an_anonymous_buyer(
    client, world, buyer, officer
) -> None:
    request, units = world
    _publish(_anonymous(request), buyer, officer)
    services.invite(request, [units["best"]], by=officer)
    invitation = SupplierInvitation.objects.get(unit=units["best"])
    invitation.state, invitation.price_rial, invitation.lead_time_days = InvitationState.QUOTED, 10, 5
    invitation.file.save("quote.pdf", ContentFile(b"%PDF-1.4 quote"), save=True)
    client.force_login(officer)
    assert client.get(f"/files/quote_document/{invitation.pk}/").status_code == 200
    client.force_login(buyer)
    assert client.get(f"/files/quote_document/{invitation.pk}/").status_code == 404
    services.consent_to_reveal(request, by=buyer)
    assert client.get(f"/files/quote_document/{invitation.pk}/").status_code == 200


def test_an_unreadable_ledger_filter_shows_no_rows_and_no_totals(client, world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    services.start_linkage(
        request, units["best"], by=officer, source="match", on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(officer)
    page = client.get("/sourcing/linkages/", {"stage": "bogus"})
    assert 'data-testid="total-linkages">۰<' in page.text
