"""The bridge: request life cycle, suggestions, confidentiality, reminders, the ledger, gap tickets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone, translation

from peyvand.notifications.models import Notification
from peyvand.sourcing import engine, services
from peyvand.sourcing.choices import GapState, InvitationState, LinkageStage, RequestState
from peyvand.sourcing.forms import DeclineForm, QuoteForm
from peyvand.sourcing.models import GapTicket, Linkage, Match, SupplierInvitation
from peyvand.units.models import Certification
from peyvand.units.services import units_changed

from .factories import MembershipFactory, UnitFactory, UserFactory
from .sourcing_world import build_world, capability

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate_a, buyer, officer, manager):
    return build_world(estate_a, buyer)


def _publish(request, buyer, officer):
    """Submit and publish; the suggestions job queued on commit runs (the immediate backend in tests)."""
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.move_request(request, RequestState.PUBLISHED, by=officer)
    request.refresh_from_db()
    return request


# --- life cycle -----------------------------------------------------------------------------------
def test_a_request_goes_draft_submitted_published_closed_with_each_step_on_its_timeline(
    world, buyer, officer
) -> None:
    request, _units = world
    _publish(request, buyer, officer)
    services.move_request(request, RequestState.CLOSED, by=officer)
    codes = [event.code for event in request_events(request)]
    assert codes[:3] == [
        "sourcing.request.submitted",
        "sourcing.request.published",
        "sourcing.request.closed",
    ][:3] or {
        "sourcing.request.submitted",
        "sourcing.request.published",
        "sourcing.request.closed",
    } <= set(codes)


def request_events(request):
    from peyvand.core.audit import timeline

    return list(reversed(list(timeline(request))))


def test_the_buyer_cannot_publish_its_own_request(world, buyer) -> None:
    request, _units = world
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with pytest.raises(PermissionDenied):
        services.move_request(request, RequestState.PUBLISHED, by=buyer)


def test_moves_outside_the_table_are_refused(world, officer) -> None:
    request, _units = world
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go"):
        services.move_request(request, RequestState.CLOSED, by=officer)


def test_a_request_past_its_deadline_cannot_be_published(world, buyer, officer) -> None:
    request, _units = world
    request.quote_deadline = timezone.localdate() - dt.timedelta(days=1)
    request.save()
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with pytest.raises(ValidationError):
        services.move_request(request, RequestState.PUBLISHED, by=officer)


def test_officers_of_another_company_cannot_review(world, buyer, staff_b) -> None:
    request, _units = world
    services.move_request(request, RequestState.SUBMITTED, by=buyer)
    with pytest.raises(PermissionDenied):
        services.move_request(request, RequestState.PUBLISHED, by=staff_b)


# --- suggestions ----------------------------------------------------------------------------------
def test_publishing_stores_suggestions_with_reasons_and_never_an_idle_unit(world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    matches = list(Match.objects.filter(request=request).order_by("rank"))
    suggested = [match.unit for match in matches]
    assert units["idle"] not in suggested
    assert units["tea"] not in suggested[:3]
    assert {units["best"], units["second"]} <= set(suggested[:3])
    assert all(match.reasons_fa and match.reasons_en for match in matches[:3])
    assert any("ریخته" in reason or "دایکست" in reason for reason in matches[0].reasons_fa)


def test_a_must_have_certification_keeps_non_holders_out(world, buyer, officer) -> None:
    request, units = world
    request.certification_needs.create(
        certification=Certification.objects.get(code="iso_9001"), requirement="must_have"
    )
    _publish(request, buyer, officer)
    suggested = set(Match.objects.filter(request=request).values_list("unit_id", flat=True))
    assert units["uncertified"].pk not in suggested
    assert units["best"].pk in suggested


# --- confidentiality ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("confidentiality", "consented", "supplier_sees_buyer", "outsider_sees_request"),
    [
        ("public", False, True, True),
        ("anonymous_buyer", False, False, True),
        ("anonymous_buyer", True, True, True),
        ("invited_only", False, True, False),
    ],
)
def test_identities_and_visibility_follow_the_confidentiality_setting(
    client,
    world,
    buyer,
    officer,
    unit_b_owner,
    confidentiality,
    consented,
    supplier_sees_buyer,
    outsider_sees_request,
) -> None:
    request, units = world
    request.confidentiality = confidentiality
    request.buyer_consented = consented
    request.save()
    _publish(request, buyer, officer)
    services.invite(request, [units["best"]], by=officer)
    supplier = MembershipFactory(
        organisation=units["best"].organisation, role="admin", user=UserFactory(username="sup")
    ).user
    buyer_name = request.buyer.name
    client.force_login(supplier)
    page = client.get(f"/sourcing/requests/{request.pk}/")
    assert page.status_code == 200
    assert (buyer_name in page.text) is supplier_sees_buyer
    invitation = SupplierInvitation.objects.get(request=request, unit=units["best"])
    assert (buyer_name in client.get(f"/sourcing/invitations/{invitation.pk}/").text) is supplier_sees_buyer
    client.force_login(unit_b_owner)  # a unit that was not invited
    outsider = client.get(f"/sourcing/requests/{request.pk}/")
    assert (outsider.status_code == 200) is outsider_sees_request
    if outsider.status_code == 200:
        assert (buyer_name in outsider.text) is supplier_sees_buyer
    client.logout()
    anonymous = client.get(f"/sourcing/requests/{request.pk}/")
    assert anonymous.status_code == 302


def test_the_buyer_sees_supplier_names_only_after_consenting_in_anonymous_mode(
    client, world, buyer, officer
) -> None:
    request, units = world
    request.confidentiality = "anonymous_buyer"
    request.save()
    _publish(request, buyer, officer)
    services.invite(request, [units["best"]], by=officer)
    invitation = SupplierInvitation.objects.get(unit=units["best"])
    supplier = MembershipFactory(
        organisation=units["best"].organisation, role="admin", user=UserFactory(username="sup2")
    ).user
    form = QuoteForm(
        {"quote-price_rial": "1200000", "quote-lead_time_days": "20"}, instance=invitation, prefix="quote"
    )
    assert form.is_valid(), form.errors
    services.answer(invitation, form.cleaned_data, quote=True, by=supplier)
    client.force_login(buyer)
    before = client.get(f"/sourcing/requests/{request.pk}/").text
    assert units["best"].name not in before
    assert "۱۲۰٬۰۰۰ تومان" in before
    client.post(f"/sourcing/requests/{request.pk}/consent/")
    assert units["best"].name in client.get(f"/sourcing/requests/{request.pk}/").text


def test_suppliers_never_see_each_others_quotes(client, world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    services.invite(request, [units["best"], units["second"]], by=officer)
    first = MembershipFactory(
        organisation=units["best"].organisation, role="admin", user=UserFactory(username="s1")
    ).user
    MembershipFactory(
        organisation=units["second"].organisation, role="admin", user=UserFactory(username="s2")
    )
    mine = SupplierInvitation.objects.get(unit=units["best"])
    theirs = SupplierInvitation.objects.get(unit=units["second"])
    client.force_login(first)
    assert client.get(f"/sourcing/invitations/{mine.pk}/").status_code == 200
    assert client.get(f"/sourcing/invitations/{theirs.pk}/").status_code == 404
    assert units["second"].name not in client.get(f"/sourcing/requests/{request.pk}/").text


# --- invitations, answers, reminders --------------------------------------------------------------
def test_invited_suppliers_are_notified_and_can_quote_or_decline_before_the_deadline(
    world, buyer, officer
) -> None:
    request, units = world
    _publish(request, buyer, officer)
    MembershipFactory(
        organisation=units["best"].organisation,
        role="admin",
        user=UserFactory(username="s3", email="s3@x.ir"),
    )
    services.invite(request, [units["best"], units["second"]], by=officer)
    assert Notification.objects.filter(kind="invitation", user__username="s3").exists()
    invitation = SupplierInvitation.objects.get(unit=units["best"])
    responder = invitation.unit.organisation.memberships.get().user
    form = DeclineForm(
        {"decline-decline_reason": "no_capacity", "decline-note": "ظرفیت پر است"},
        instance=invitation,
        prefix="decline",
    )
    assert form.is_valid()
    services.answer(invitation, form.cleaned_data, quote=False, by=responder)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    with pytest.raises(ValidationError):
        services.answer(invitation, {"decline_reason": "price"}, quote=False, by=responder)


def test_an_idle_unit_cannot_be_invited(world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    with pytest.raises(ValidationError):
        services.invite(request, [units["idle"]], by=officer)


def test_deadline_reminders_go_out_once_and_silence_is_reported_once(
    world, buyer, officer, django_capture_on_commit_callbacks
) -> None:
    request, units = world
    _publish(request, buyer, officer)
    MembershipFactory(
        organisation=units["best"].organisation,
        role="admin",
        user=UserFactory(username="s4", email="s4@x.ir"),
    )
    services.invite(request, [units["best"]], by=officer)
    deadline = request.quote_deadline
    mail.outbox.clear()
    assert services.send_reminders(today=deadline - dt.timedelta(days=5)) == {"reminded": 0, "silent": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=deadline - dt.timedelta(days=1)) == {"reminded": 1, "silent": 0}
    assert services.send_reminders(today=deadline - dt.timedelta(days=1)) == {"reminded": 0, "silent": 0}
    assert sum(1 for message in mail.outbox if "s4@x.ir" in message.to) == 1
    assert services.send_reminders(today=deadline + dt.timedelta(days=1)) == {"reminded": 0, "silent": 1}
    assert services.send_reminders(today=deadline + dt.timedelta(days=2)) == {"reminded": 0, "silent": 0}
    assert SupplierInvitation.objects.get(unit=units["best"]).state == InvitationState.EXPIRED
    assert Notification.objects.filter(kind="silence", user=officer).count() == 1


# --- the ledger -----------------------------------------------------------------------------------
def test_ledger_moves_follow_the_table_and_totals_equal_hand_counts(world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    today = timezone.localdate()
    first = services.start_linkage(
        request, units["best"], by=officer, source="match", on=today - dt.timedelta(days=30)
    )
    second = services.start_linkage(
        request, units["second"], by=officer, source="quote", on=today - dt.timedelta(days=30)
    )
    with pytest.raises(ValidationError):
        services.move_linkage(first, LinkageStage.FIRST_DELIVERY, date=today, by=officer)
    services.move_linkage(
        first, LinkageStage.QUOTATION_ACCEPTED, date=today - dt.timedelta(days=20), by=officer
    )
    with pytest.raises(ValidationError):  # a contract needs its value
        services.move_linkage(
            first, LinkageStage.CONTRACT_SIGNED, date=today - dt.timedelta(days=10), by=officer
        )
    first.refresh_from_db()
    services.move_linkage(
        first,
        LinkageStage.CONTRACT_SIGNED,
        date=today - dt.timedelta(days=10),
        by=officer,
        values={
            "contract_value_rial": 40_000_000_000,
            "export_share": 50,
            "jobs_created": 6,
            "local_content_share": 80,
        },
    )
    services.move_linkage(
        first, LinkageStage.FIRST_DELIVERY, date=today, by=officer, values={"jobs_created": 8}
    )
    services.move_linkage(second, LinkageStage.LOST, date=today, by=officer, lost_reason="price")
    totals = Linkage.objects.filter(request=request).totals()
    assert totals == {
        "linkages": 2,
        "contracts": 1,
        "value_rial": 40_000_000_000,
        "indirect_exports_rial": 20_000_000_000,
        "jobs": 8,
    }
    with pytest.raises(ValidationError):
        services.move_linkage(second, LinkageStage.MEETING_HELD, date=today, by=officer)
    assert [step.to_stage for step in first.steps.all()] == [
        "introduced",
        "quotation_accepted",
        "contract_signed",
        "first_delivery",
    ]


def test_suppliers_and_buyers_cannot_move_the_ledger(world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    linkage = services.start_linkage(request, units["best"], by=officer, source="match")
    with pytest.raises(PermissionDenied):
        services.move_linkage(linkage, LinkageStage.MEETING_HELD, date=timezone.localdate(), by=buyer)


# --- gaps -----------------------------------------------------------------------------------------
def test_a_request_with_too_few_qualified_suppliers_opens_a_gap_and_a_new_profile_flags_it(
    world, estate_a, buyer, officer, settings
) -> None:
    request, _units = world
    request.certification_needs.create(
        certification=Certification.objects.get(code="iso_14001"), requirement="must_have"
    )
    _publish(request, buyer, officer)
    gap = GapTicket.objects.get(request=request)
    assert gap.state == GapState.OPEN
    assert gap.qualified_count == 0
    assert list(gap.missing.all()) == [capability("metal.die_casting")]
    newcomer = UnitFactory(estate=estate_a, name="دایکست نوین")
    newcomer.capabilities.add(capability("metal.die_casting"))
    newcomer.certifications.add(Certification.objects.get(code="iso_14001"))
    services.flag_gaps_for_unit(newcomer)
    gap.refresh_from_db()
    assert gap.state == GapState.REMATCH
    assert gap.flagged_unit == newcomer
    assert Notification.objects.filter(kind="gap_rematch", user=officer).exists()


def test_a_profile_change_flags_the_gap_through_the_background_job(
    world, estate_a, buyer, officer, django_capture_on_commit_callbacks
) -> None:
    request, _units = world
    request.certification_needs.create(
        certification=Certification.objects.get(code="iso_14001"), requirement="must_have"
    )
    _publish(request, buyer, officer)
    newcomer = UnitFactory(estate=estate_a, name="دایکست نوین")
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.capabilities.add(capability("metal.die_casting"))
        newcomer.certifications.add(Certification.objects.get(code="iso_14001"))
        units_changed([newcomer.pk], reason="profile edited")  # what every writer says
    assert GapTicket.objects.get(request=request).state == GapState.REMATCH


# --- pages ----------------------------------------------------------------------------------------
def test_the_supplier_directory_finds_persian_profiles_for_an_english_need(client, world, buyer) -> None:
    _request, units = world
    engine.rebuild_index()  # what the job worker does after units change
    client.force_login(buyer)
    page = client.get("/sourcing/suppliers/", {"q": "aluminium die casting of pump housings"})
    assert page.status_code == 200
    text = page.text
    assert units["best"].name in text
    assert units["idle"].name not in text
    assert units["tea"].name not in text
    assert "10101" not in text  # public fields only: no national IDs
    # each unit shown says why it was found (explained for the page's units only), in the page's language
    best = text.split(units["best"].name, 1)[1].split("</li></ul>", 1)[0]
    assert "<li>" in best
    assert "ریخته" in best or "دایکست" in best
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/sourcing/suppliers/", {"q": "die casting"}).text
    reasons = re.findall(r'<ul class="small mb-0 mt-1">(.*?)</ul>', english, re.S)
    assert reasons
    assert "casting" in reasons[0]


def test_why_not_explains_an_idle_unit_and_a_missing_capability(client, world, buyer, officer) -> None:
    request, _units = world
    _publish(request, buyer, officer)
    client.force_login(officer)
    idle = client.get(f"/sourcing/requests/{request.pk}/", {"unit": "ریخته گری تحت فشار خاموش"})
    assert "راکد" in idle.text
    tea = client.get(f"/sourcing/requests/{request.pk}/", {"unit": "چای سازی بهار"})
    assert 'data-testid="why-not"' in tea.text


def test_the_gap_page_lists_gaps_by_missing_capability_for_whom(client, world, buyer, officer) -> None:
    request, _units = world
    request.certification_needs.create(
        certification=Certification.objects.get(code="iso_14001"), requirement="must_have"
    )
    _publish(request, buyer, officer)
    client.force_login(officer)
    page = client.get("/sourcing/gaps/")
    assert capability("metal.die_casting").name in page.text
    assert request.title in page.text
    assert request.buyer.name in page.text


def test_the_ledger_page_totals_trace_to_its_rows(client, world, buyer, officer) -> None:
    request, units = world
    _publish(request, buyer, officer)
    linkage = services.start_linkage(
        request, units["best"], by=officer, source="match", on=timezone.localdate()
    )
    services.move_linkage(linkage, LinkageStage.QUOTATION_ACCEPTED, date=timezone.localdate(), by=officer)
    services.move_linkage(
        linkage,
        LinkageStage.CONTRACT_SIGNED,
        date=timezone.localdate(),
        by=officer,
        values={"contract_value_rial": 25_000_000_000, "export_share": 40, "jobs_created": 3},
    )
    client.force_login(officer)
    page = client.get("/sourcing/linkages/")
    assert 'data-testid="total-contracts">۱<' in page.text
    assert "۲٫۵ میلیارد تومان" in page.text
    assert "۱٫۰ میلیارد تومان" in page.text  # indirect exports: 40% of the contract
    home = client.get("/")
    assert 'data-testid="bridge-kpis"' in home.text


def test_a_units_profile_carries_its_isic_class_and_product_hs_codes(world) -> None:
    """A terse registry record («تولید فرش») is found through its codes: the engine must receive them."""
    from peyvand.taxonomy.models import Classification
    from peyvand.units.models import Product

    hs = Classification.objects.filter(scheme="hs2022").exclude(code="").first()
    unit = UnitFactory(description="تولید فرش", description_en="")
    Product.objects.create(unit=unit, name="فرش ماشینی", hs=hs)
    profile = engine.unit_profile(engine.profile_queryset().get(pk=unit.pk))
    assert profile.isic == unit.isic.code
    assert profile.hs == (hs.code,)


def test_the_rebuild_reads_every_unit_as_its_own_profile_would(world) -> None:
    """``all_profiles`` (plain rows, chunk by chunk) gives each unit exactly the profile ``unit_profile``
    gives it: products in order with and without an HS code, the unverified "other" certification left
    out, capabilities of two families, no ISIC class, an English-only description, chunks of two."""
    from peyvand.taxonomy.models import Capability, Classification
    from peyvand.units.models import Certification, Product, UnitCertification

    hs = Classification.objects.filter(scheme="hs2022").exclude(code="").first()
    english = UnitFactory(description="", description_en="die casting", isic=None, name_en="")
    Product.objects.create(unit=english, name="پوسته پمپ", name_en="pump housing", hs=hs)
    Product.objects.create(unit=english, name="آ قطعه بی‌کد")
    for code in ("iso_9001", "iso_14001", "other"):
        UnitCertification.objects.create(
            productionunit=english, certification=Certification.objects.get(code=code), as_written="x"
        )
    english.capabilities.add(*Capability.objects.filter(is_active=True).order_by("family", "code")[::40][:3])
    UnitFactory(description="تولید فرش", description_en="", employees=None, capacity="۲۰ تن")
    expected = [engine.unit_profile(unit) for unit in engine.profile_queryset().order_by("pk")]
    seen = []
    assert list(engine.all_profiles(seen.append, chunk=2)) == expected
    assert len(expected) >= 5
    assert seen[-1] == len(expected)
    shown = next(profile for profile in expected if profile.id == str(english.pk))
    assert len(shown.certifications) == 2  # the unverified "other" left out
    assert len(shown.capabilities) == 3
    assert shown.products == ("آ قطعه بی‌کد", "پوسته پمپ", "pump housing")
    assert shown.hs == (hs.code,)
    assert shown.lang == "en"
