"""Merging two records of the same unit: everything moves to the survivor by the rule of its kind, or
the merge refuses and says what blocks it; both timelines say so."""

from __future__ import annotations

import jdatetime
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peyvand.accounts.models import Invitation as MemberInvitation
from peyvand.accounts.models import Membership
from peyvand.core.models import Event
from peyvand.sourcing.models import GapTicket, Linkage, Match, SupplierInvitation
from peyvand.taxonomy.models import Classification
from peyvand.units import merging, services
from peyvand.units.models import Certification, ClaimRequest, Product, ProductionUnit, StatusChange

from .factories import MembershipFactory, UnitFactory, UserFactory
from .sourcing_world import build_world

pytestmark = pytest.mark.django_db


def jalali(text: str):
    year, month, day = (int(part) for part in text.split("/"))
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def twins(estate_a):
    survivor = UnitFactory(estate=estate_a, name="ریخته‌گری کاسپین", employees=40)
    Product.objects.create(unit=survivor, name="قطعات چدنی")
    duplicate = UnitFactory(
        estate=estate_a,
        name="ريخته گري كاسپين",
        national_id="10100000999",
        licence_number="LIC-9",
        employees=None,
        status="under_construction",
        status_since=jalali("1398/01/01"),
    )
    StatusChange.objects.create(
        unit=duplicate,
        from_status="under_construction",
        to_status="operating",
        date=jalali("1399/01/01"),
        cause="operation_licence",
    )
    ProductionUnit.objects.filter(pk=duplicate.pk).update(
        status="operating", status_since=jalali("1399/01/01")
    )
    hs = Classification.objects.get(scheme="hs2022", code="7325")
    Product.objects.create(unit=duplicate, name="قطعات چدنی", hs=hs)
    Product.objects.create(unit=duplicate, name="شیرآلات")
    duplicate.certifications.add(Certification.objects.get(code="iso_9001"))
    claimant = UserFactory(username="claimant")
    ClaimRequest.objects.create(unit=duplicate, user=claimant, position="مدیر", evidence="پروانه")
    return survivor, duplicate


def test_a_merge_moves_history_products_certifications_and_claims_to_the_survivor(twins, manager) -> None:
    survivor, duplicate = twins
    duplicate_pk = duplicate.pk
    services.merge_units(survivor, duplicate, by=manager)
    assert not ProductionUnit.objects.filter(pk=duplicate_pk).exists()
    survivor.refresh_from_db()
    assert (survivor.national_id, survivor.licence_number, survivor.employees) == ("10100000999", "LIC-9", 40)
    assert sorted(survivor.products.values_list("name", "hs__code")) == [
        ("شیرآلات", None),
        ("قطعات چدنی", "7325"),
    ]
    assert list(survivor.certifications.values_list("code", flat=True)) == ["iso_9001"]
    assert ClaimRequest.objects.get().unit == survivor
    history = list(
        survivor.status_changes.order_by("date", "id").values_list("from_status", "to_status", "date")
    )
    assert history == [
        (None, "under_construction", jalali("1398/01/01")),
        ("under_construction", "operating", jalali("1399/01/01")),
    ]
    assert (survivor.status, survivor.status_since) == ("operating", jalali("1399/01/01"))


def test_the_merge_is_on_both_timelines_and_in_the_audit_trail(twins, manager) -> None:
    survivor, duplicate = twins
    duplicate_pk = duplicate.pk
    services.merge_units(survivor, duplicate, by=manager)
    unit_type = ContentType.objects.get_for_model(ProductionUnit)
    merged = Event.objects.get(content_type=unit_type, object_id=str(survivor.pk), code="units.unit.merged")
    assert (merged.actor, merged.data["other_id"]) == (manager, duplicate_pk)
    merged_into = Event.objects.get(content_type=unit_type, object_id=str(duplicate_pk))
    assert (merged_into.code, merged_into.data["other_id"]) == ("units.unit.merged_into", survivor.pk)
    assert LogEntry.objects.filter(content_type=unit_type, object_id=duplicate_pk, action=2).exists()


def test_only_those_who_may_merge_can(twins, officer) -> None:
    survivor, duplicate = twins
    with pytest.raises(PermissionDenied):
        services.merge_units(survivor, duplicate, by=officer)


def test_a_unit_cannot_be_merged_with_itself(twins, manager) -> None:
    survivor, _duplicate = twins
    with pytest.raises(ValidationError):
        services.merge_units(survivor, survivor, by=manager)


def test_the_merge_page_proposes_look_alikes_and_asks_for_confirmation(client, twins, manager) -> None:
    survivor, duplicate = twins
    client.force_login(manager)
    page = client.get(f"/units/{survivor.pk}/merge/")
    assert f'href="?other={duplicate.pk}"' in page.text
    refused = client.post(f"/units/{survivor.pk}/merge/", {"duplicate": duplicate.pk})
    assert refused.status_code == 200
    assert ProductionUnit.objects.filter(pk=duplicate.pk).exists()
    done = client.post(f"/units/{survivor.pk}/merge/", {"duplicate": duplicate.pk, "confirm": "on"})
    assert done["Location"] == f"/units/{survivor.pk}/"
    assert not ProductionUnit.objects.filter(pk=duplicate.pk).exists()


# --- every relation has a rule: what moves, what merges, what refuses --------------------------------


@pytest.fixture
def bridge(estate_a, buyer, manager):
    """A published request, and two records of one supplier (each with its organisation)."""
    request, units = build_world(estate_a, buyer)
    request.state = "published"
    request.save()
    return request, units["best"], units["second"]


def _refused(survivor, duplicate, manager) -> str:
    with pytest.raises(ValidationError) as refused:
        services.merge_units(survivor, duplicate, by=manager)
    assert ProductionUnit.objects.filter(pk=duplicate.pk).exists()  # nothing was written
    return " ".join(refused.value.messages)


def test_every_relation_that_points_at_a_unit_has_a_merge_rule() -> None:
    relations = {f"{model._meta.label}.{name}" for model, name in merging.unit_relations()}
    assert {"units.Product.unit", "units.StatusChange.unit", "sourcing.Linkage.unit"} <= relations
    assert merging.unhandled() == []


def test_a_relation_without_a_rule_refuses_the_merge_by_name(bridge, manager, monkeypatch) -> None:
    _request, survivor, duplicate = bridge
    monkeypatch.delitem(merging._rules, ("sourcing.Match", "unit"))
    message = _refused(survivor, duplicate, manager)
    assert str(Match._meta.verbose_name_plural) in message


def test_a_duplicates_quote_survives_the_merge(bridge, manager) -> None:
    request, survivor, duplicate = bridge
    SupplierInvitation.objects.create(request=request, unit=survivor, state="opened")
    quote = SupplierInvitation.objects.create(
        request=request, unit=duplicate, state="quoted", price_rial=1_200_000, lead_time_days=20
    )
    services.merge_units(survivor, duplicate, by=manager)
    kept = SupplierInvitation.objects.get(request=request)
    assert (kept.pk, kept.unit_id, kept.state, kept.price_rial) == (
        quote.pk,
        survivor.pk,
        "quoted",
        1_200_000,
    )


def test_two_answers_to_one_request_refuse_the_merge(bridge, manager) -> None:
    request, survivor, duplicate = bridge
    SupplierInvitation.objects.create(request=request, unit=survivor, state="quoted", price_rial=1)
    SupplierInvitation.objects.create(request=request, unit=duplicate, state="declined")
    message = _refused(survivor, duplicate, manager)
    assert request.reference in message
    assert SupplierInvitation.objects.filter(request=request).count() == 2


def test_two_suggestions_for_one_request_keep_the_better_ranked(bridge, manager) -> None:
    request, survivor, duplicate = bridge
    Match.objects.create(request=request, unit=survivor, rank=7, score=0.4, qualified=True)
    better = Match.objects.create(request=request, unit=duplicate, rank=2, score=0.9)
    services.merge_units(survivor, duplicate, by=manager)
    kept = Match.objects.get(request=request)
    assert (kept.pk, kept.unit_id, kept.rank, kept.qualified) == (better.pk, survivor.pk, 2, True)


def _linkage(request, unit) -> Linkage:
    return Linkage.objects.create(
        request=request,
        company=request.company,
        buyer=request.buyer,
        unit=unit,
        source="match",
        stage="introduced",
        stage_date=timezone.localdate(),
        introduced_on=timezone.localdate(),
    )


def test_two_linkages_for_one_request_refuse_the_merge_instead_of_failing(client, bridge, manager) -> None:
    request, survivor, duplicate = bridge
    _linkage(request, survivor)
    _linkage(request, duplicate)
    message = _refused(survivor, duplicate, manager)
    assert request.reference in message
    client.force_login(manager)
    page = client.post(f"/units/{survivor.pk}/merge/", {"duplicate": duplicate.pk, "confirm": "on"})
    assert page.status_code == 200
    assert request.reference in page.text


def test_a_duplicates_linkage_moves_to_the_survivor(bridge, manager) -> None:
    request, survivor, duplicate = bridge
    linkage = _linkage(request, duplicate)
    services.merge_units(survivor, duplicate, by=manager)
    assert Linkage.objects.get(pk=linkage.pk).unit_id == survivor.pk


def test_a_gap_flagged_for_the_duplicate_points_at_the_survivor(bridge, manager) -> None:
    request, survivor, duplicate = bridge
    gap = GapTicket.objects.create(
        request=request, company=request.company, qualified_count=0, needed_count=2, flagged_unit=duplicate
    )
    services.merge_units(survivor, duplicate, by=manager)
    assert GapTicket.objects.get(pk=gap.pk).flagged_unit_id == survivor.pk


def test_the_duplicates_representatives_join_the_survivors_organisation(bridge, manager) -> None:
    _request, survivor, duplicate = bridge
    both = UserFactory(username="in_both")
    MembershipFactory(organisation=survivor.organisation, user=both, role="viewer")
    MembershipFactory(organisation=duplicate.organisation, user=both, role="admin")
    only_there = MembershipFactory(organisation=duplicate.organisation, role="editor").user
    MemberInvitation.objects.create(
        organisation=duplicate.organisation, email="new@example.ir", role="editor"
    )
    old_organisation = duplicate.organisation
    services.merge_units(survivor, duplicate, by=manager)
    members = dict(Membership.objects.filter(organisation=survivor.organisation).values_list("user", "role"))
    assert members == {both.pk: "admin", only_there.pk: "editor"}
    assert MemberInvitation.objects.get(email="new@example.ir").organisation == survivor.organisation
    old_organisation.refresh_from_db()
    assert not old_organisation.is_active


def test_histories_that_contradict_the_life_cycle_refuse_the_merge(estate_a, manager) -> None:
    survivor = UnitFactory(estate=estate_a, status="operating", status_since=jalali("1400/01/01"))
    duplicate = UnitFactory(estate=estate_a, status="planned", status_since=jalali("1401/01/01"))
    message = _refused(survivor, duplicate, manager)
    assert "۱۴۰۱" in message or "1401" in message
    assert list(survivor.status_changes.values_list("to_status", flat=True)) == ["operating"]


def test_different_national_ids_refuse_the_merge(estate_a, manager) -> None:
    survivor = UnitFactory(estate=estate_a, national_id="10100000001")
    duplicate = UnitFactory(estate=estate_a, national_id="10100000002")
    assert "10100000002" in _refused(survivor, duplicate, manager)


def test_the_duplicates_timeline_moves_to_the_survivor(twins, manager) -> None:
    from peyvand.core.audit import log_event

    survivor, duplicate = twins
    log_event(duplicate, "units.profile.updated", {"fields": ["phone"]})
    services.merge_units(survivor, duplicate, by=manager)
    unit_type = ContentType.objects.get_for_model(ProductionUnit)
    codes = set(
        Event.objects.filter(content_type=unit_type, object_id=str(survivor.pk)).values_list(
            "code", flat=True
        )
    )
    assert {"units.profile.updated", "units.unit.merged"} <= codes
