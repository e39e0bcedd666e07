"""Staff cannot act as a client (issue 9 item 2).

A staff role and a client role meet in one person only with the approval of a manager of the estate
company (a pending membership, audited); after publication nobody loosens a request's confidentiality by
editing it — the buyer reveals itself by consenting, and only a buyer admin without a staff role may.
"""

from __future__ import annotations

import jdatetime
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from peyvand.accounts import services as accounts
from peyvand.accounts.models import Membership, PendingMembership
from peyvand.core import permissions
from peyvand.core.models import Event
from peyvand.sourcing import services
from peyvand.sourcing.models import SourcingRequest

from .factories import MembershipFactory, UserFactory
from .sourcing_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_request(estate_a, buyer):
    request, _units = build_world(estate_a, buyer)  # the buyer is now served by company A
    SourcingRequest.objects.filter(pk=request.pk).update(confidentiality="anonymous_buyer", state="published")
    request.refresh_from_db()
    return request


def _officer_joins_the_buyer(officer, request):
    invitation = accounts.invite(request.buyer, officer.email, "admin", by=officer, base_url="http://x")
    return accounts.accept_invitation(invitation, officer)


def test_an_officer_who_invites_itself_into_a_buyer_gets_no_rights_until_a_manager_approves(
    anonymous_request, officer
) -> None:
    granted = _officer_joins_the_buyer(officer, anonymous_request)
    assert isinstance(granted, PendingMembership)
    assert not Membership.objects.filter(user=officer, organisation=anonymous_request.buyer).exists()
    permissions.forget_memberships(officer)
    assert anonymous_request.buyer_id not in permissions.organisations(officer, "buyer")
    with pytest.raises(PermissionDenied):
        services.consent_to_reveal(anonymous_request, by=officer)
    anonymous_request.refresh_from_db()
    assert not anonymous_request.buyer_consented
    assert Event.objects.filter(code="accounts.membership.awaiting_approval").count() == 1


def test_the_manager_is_asked_and_approves_with_an_audit_trail(client, anonymous_request, officer, manager):
    pending = _officer_joins_the_buyer(officer, anonymous_request)
    assert manager.notifications.filter(url__contains=str(anonymous_request.buyer_id)).exists()
    client.force_login(manager)
    page = client.get(f"/accounts/organisations/{anonymous_request.buyer_id}/")
    assert 'data-testid="awaiting-approval"' in page.text
    assert officer.username in page.text
    response = client.post(f"/accounts/pending-memberships/{pending.pk}/approve/")
    assert response.status_code == 302
    assert Membership.objects.get(user=officer, organisation=anonymous_request.buyer).role == "admin"
    event = Event.objects.get(code="accounts.membership.approved")
    assert event.actor == manager
    timeline = client.get(f"/accounts/organisations/{anonymous_request.buyer_id}/").text
    assert f"{officer.username} با تأیید مدیر عضو شد" in timeline
    # Even approved, someone who holds a staff role never consents on the buyer's behalf.
    permissions.forget_memberships(officer)
    with pytest.raises(PermissionDenied):
        services.consent_to_reveal(anonymous_request, by=officer)


def test_nobody_approves_their_own_membership_nor_does_an_officer_or_another_company(
    client, anonymous_request, officer, staff_b, company_a
) -> None:
    pending = _officer_joins_the_buyer(officer, anonymous_request)
    other_officer = MembershipFactory(organisation=company_a, role="linkage_officer").user
    for user in (officer, other_officer, staff_b):
        with pytest.raises(PermissionDenied):
            accounts.decide_membership(pending, approve=True, by=user)
    client.force_login(officer)
    assert client.post(f"/accounts/pending-memberships/{pending.pk}/approve/").status_code == 403
    assert not Membership.objects.filter(user=officer, organisation=anonymous_request.buyer).exists()


def test_a_refusal_is_recorded_and_grants_nothing(anonymous_request, officer, manager) -> None:
    pending = _officer_joins_the_buyer(officer, anonymous_request)
    accounts.decide_membership(pending, approve=False, by=manager)
    pending.refresh_from_db()
    assert pending.state == "refused"
    assert not Membership.objects.filter(user=officer, organisation=anonymous_request.buyer).exists()
    assert Event.objects.filter(code="accounts.membership.refused").exists()
    with pytest.raises(ValidationError):
        accounts.decide_membership(pending, approve=True, by=manager)


def test_a_buyer_invited_into_the_estate_company_waits_for_approval_too(company_a, buyer, manager) -> None:
    invitation = accounts.invite(company_a, buyer.email, "viewer", by=manager, base_url="http://x")
    assert isinstance(accounts.accept_invitation(invitation, buyer), PendingMembership)
    permissions.forget_memberships(buyer)
    assert not permissions.is_staff_member(buyer)


def test_people_on_one_side_join_at_once(unit_a, officer) -> None:
    newcomer = UserFactory(username="newcomer", email="newcomer@example.ir")
    invitation = accounts.invite(
        unit_a.organisation, newcomer.email, "editor", by=officer, base_url="http://x"
    )
    assert isinstance(accounts.accept_invitation(invitation, newcomer), Membership)


def test_only_a_buyer_admin_consents(anonymous_request, buyer) -> None:
    editor = MembershipFactory(organisation=anonymous_request.buyer, role="editor").user
    with pytest.raises(PermissionDenied):
        services.consent_to_reveal(anonymous_request, by=editor)
    services.consent_to_reveal(anonymous_request, by=buyer)
    anonymous_request.refresh_from_db()
    assert anonymous_request.buyer_consented


def _edit(client, request, confidentiality: str):
    deadline = jdatetime.date.fromgregorian(date=request.quote_deadline).strftime("%Y/%m/%d")
    return client.post(
        f"/sourcing/requests/{request.pk}/edit/",
        {
            "title": request.title,
            "text": request.text,
            "lang": request.lang,
            "capabilities": [c.pk for c in request.capabilities.all()],
            "quantity": request.quantity or "",
            "quantity_unit": request.quantity_unit,
            "quote_deadline": deadline,
            "confidentiality": confidentiality,
        },
    )


@pytest.mark.parametrize(("before", "after"), [("anonymous_buyer", "public"), ("invited_only", "public")])
def test_an_officer_cannot_loosen_a_published_request(client, anonymous_request, officer, before, after):
    SourcingRequest.objects.filter(pk=anonymous_request.pk).update(confidentiality=before)
    anonymous_request.refresh_from_db()
    client.force_login(officer)
    response = _edit(client, anonymous_request, after)
    assert response.status_code == 200  # the form again, with the reason
    assert "only be tightened" in response.text or "فقط سخت‌گیرانه‌تر" in response.text
    anonymous_request.refresh_from_db()
    assert anonymous_request.confidentiality == before


def test_an_officer_may_tighten_a_published_request(client, anonymous_request, officer) -> None:
    SourcingRequest.objects.filter(pk=anonymous_request.pk).update(confidentiality="public")
    anonymous_request.refresh_from_db()
    client.force_login(officer)
    assert _edit(client, anonymous_request, "anonymous_buyer").status_code == 302
    anonymous_request.refresh_from_db()
    assert anonymous_request.confidentiality == "anonymous_buyer"


def test_before_publication_the_confidentiality_may_still_change(client, anonymous_request, officer) -> None:
    SourcingRequest.objects.filter(pk=anonymous_request.pk).update(state="submitted")
    anonymous_request.refresh_from_db()
    client.force_login(officer)
    assert _edit(client, anonymous_request, "public").status_code == 302
    anonymous_request.refresh_from_db()
    assert anonymous_request.confidentiality == "public"


def test_an_officer_claiming_a_unit_needs_another_reviewer_and_then_a_manager(unit_a, officer, company_a):
    from peyvand.units.models import ClaimRequest
    from peyvand.units.services import review_claim

    claim = ClaimRequest.objects.create(unit=unit_a, user=officer, position="مدیر", evidence="پروانه ۱")
    with pytest.raises(PermissionDenied):
        review_claim(claim, approve=True, by=officer)
    colleague = MembershipFactory(organisation=company_a, role="linkage_officer").user
    review_claim(claim, approve=True, by=colleague)
    assert not Membership.objects.filter(user=officer, organisation=unit_a.organisation).exists()
    assert PendingMembership.objects.get(user=officer, organisation=unit_a.organisation).via == "claim"
