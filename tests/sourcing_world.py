"""A small bridge world for the sourcing tests: a buyer, suppliers with capabilities, one idle."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peyvand.sourcing.models import SourcingRequest
from peyvand.taxonomy.models import Capability
from peyvand.units.models import Certification

from .factories import OrganisationFactory, UnitFactory


def capability(code: str) -> Capability:
    return Capability.objects.get(code=code)


def build_world(estate_a, buyer_user):
    """Four die-casting units (one idle, one without ISO 9001), one tea factory, and a buyer request."""
    buyer_org = buyer_user.memberships.get().organisation
    buyer_org.company = estate_a.company
    buyer_org.save()
    die_casting = capability("metal.die_casting")
    iso = Certification.objects.get(code="iso_9001")
    units = {}
    for key, name, status, certified in [
        ("best", "ریخته‌گری تحت فشار کاسپین", "operating", True),
        ("second", "دایکست آلومینیوم گیلان", "operating", True),
        ("uncertified", "قطعه‌سازی آلومینیومی سپید", "semi_active", False),
        ("idle", "ریخته‌گری تحت فشار خاموش", "idle", True),
    ]:
        organisation = OrganisationFactory(kind="production_unit", name=name, company=estate_a.company)
        unit = UnitFactory(
            estate=estate_a,
            name=name,
            status=status,
            organisation=organisation,
            description="ریخته‌گری تحت فشار قطعات آلومینیومی و دایکست پوسته پمپ",
        )
        unit.capabilities.add(die_casting)
        if certified:
            unit.certifications.add(iso)
        units[key] = unit
    tea = UnitFactory(estate=estate_a, name="چای‌سازی بهار", description="فرآوری چای سیاه ارتدکس")
    tea.capabilities.add(capability("food.tea_processing"))
    units["tea"] = tea
    request = SourcingRequest.objects.create(
        buyer=buyer_org,
        company=estate_a.company,
        title="ریخته‌گری تحت فشار پوسته پمپ آلومینیومی",
        text="نیاز به ۵۰۰۰ عدد پوسته پمپ آلومینیومی به روش دایکست در ماه، با گواهی ISO 9001",
        quantity=5000,
        quantity_unit="عدد",
        quote_deadline=timezone.localdate() + dt.timedelta(days=10),
        created_by=buyer_user,
    )
    request.capabilities.add(die_casting)
    return request, units
