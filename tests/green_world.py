"""A small green-estates world for tests: a plant, limits, a failed test with its case, a have and a want
and the exchange between them — written through the services, as the pages write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from peyvand.green import services
from peyvand.green.models import ProgressReport, ResourceListing, TreatmentPlant

from .factories import MembershipFactory, UserFactory


def green_officer(company: Any) -> Any:
    return MembershipFactory(
        organisation=company, role="environment_expert", user=UserFactory(username=f"green_{company.pk}")
    ).user


def make_plant(estate: Any, by: Any, *, name: str = "تصفیه‌خانه شهرک", stage: str = "planned", **fields: Any):
    plant = TreatmentPlant.objects.create(
        company=estate.company,
        name=name,
        capacity_m3_day=fields.pop("capacity_m3_day", 1500),
        technology=fields.pop("technology", "sbr"),
        stage=stage,
        stage_since=fields.pop("stage_since", dt.date(2024, 3, 20)),
        **fields,
    )
    plant.estates.add(estate)
    plant.stage_changes.create(from_stage="", to_stage=stage, date=plant.stage_since)
    return plant


def green_world(estate_a: Any, unit_a: Any, unit_b: Any) -> dict[str, Any]:
    by = green_officer(estate_a.company)
    today = timezone.localdate()
    plant = make_plant(
        estate_a, by, stage="under_construction", planned_opening=today + dt.timedelta(days=60)
    )
    report = services.report_progress(plant, date=today, percent=40, by=by)
    services.ensure_limits(estate_a.company)
    test = services.record_test(
        unit_a,
        {"sampled_on": today, "lab": "آزمایشگاه معتمد", "receiving_body": "sewer", "cod": Decimal("900")},
        by=by,
    )
    have = ResourceListing.objects.create(
        unit=unit_a, direction="have", material="rice_husk", description="پوسته برنج خشک", tonnes_per_year=300
    )
    want = ResourceListing.objects.create(
        unit=unit_b, direction="want", material="rice_husk", description="سوخت دیگ بخار", tonnes_per_year=200
    )
    exchange = services.start_exchange(have, want, by=by)
    return {
        "plant": plant,
        "progress_report": ProgressReport.objects.get(pk=report.pk),
        "limit": estate_a.company.discharge_limits.first(),
        "effluent_test": test,
        "have": have,
        "want": want,
        "exchange": exchange,
    }
