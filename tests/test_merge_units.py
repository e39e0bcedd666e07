"""Merging two records of the same unit: everything moves to the survivor; both timelines say so."""

from __future__ import annotations

import jdatetime
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from peyvand.core.models import Event
from peyvand.taxonomy.models import Classification
from peyvand.units import services
from peyvand.units.models import Certification, ClaimRequest, Product, ProductionUnit, StatusChange

from .factories import UnitFactory, UserFactory

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
