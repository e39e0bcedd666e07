"""Importing estates and plots: counties by name in either language, readiness and states by label."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.imports.models import ImportBatch

from .factories import EstateFactory, PlotFactory
from .test_import_units import import_data, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_estates_are_created_and_updated_from_a_persian_sheet(tmp_path, company_a, manager):
    existing = EstateFactory(
        company=company_a, name="شهرک صنعتی لاهیجان", code="lahijan", industrial_area_ha=70
    )
    rows = [
        ["نام شهرک", "نام انگلیسی", "شهرستان", "نوع", "مساحت کل", "مساحت صنعتی", "فاضلاب", "برق"],
        ["شهرك صنعتي دلتا", "Delta Industrial Estate", "Rasht", "شهرک", "۱۲۰٫۵", "۸۰", "دارد", "بخشی"],
        ["ناحیه صنعتی جیرده", "", "شفت", "", 40, 25, "ندارد", ""],
        ["شهرک صنعتی لاهیجان", "", "", "", "", "۷۵", "در دست اجرا", ""],
        ["شهرک بی‌شهرستان", "", "ناکجا", "", "", "", "", ""],
    ]
    code, output = import_data(
        "estates",
        str(xlsx(tmp_path / "e.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply-valid",
        "--lang",
        "en",
    )
    assert code == 1
    assert "“ناکجا” is not a known county." in output
    assert "created 2, updated 1, unchanged 0, rejected 1" in output
    delta = IndustrialEstate.objects.get(name="شهرک صنعتی دلتا")
    assert (delta.county.code, delta.kind, delta.total_area_ha, delta.wastewater, delta.power) == (
        "rasht",
        "estate",
        Decimal("120.50"),
        "ready",
        "partial",
    )
    assert delta.company == company_a
    assert IndustrialEstate.objects.get(name="ناحیه صنعتی جیرده").kind == "zone"
    existing.refresh_from_db()
    assert (existing.industrial_area_ha, existing.wastewater) == (Decimal("75.00"), "planned")
    batch = ImportBatch.objects.get()
    assert LogEntry.objects.filter(additional_data__via=f"import batch {batch.pk}").count() == 3


def test_an_industrial_area_larger_than_the_total_is_refused(tmp_path, company_a, manager):
    rows = [["نام شهرک", "شهرستان", "مساحت کل", "مساحت صنعتی"], ["شهرک نو", "رشت", 10, 20]]
    code, output = import_data(
        "estates", str(xlsx(tmp_path / "e.xlsx", rows)), "--user", "manager_a", "--lang", "en"
    )
    assert code == 1
    assert "The industrial area cannot exceed the total area." in output


def test_plots_are_matched_by_estate_and_number(tmp_path, estate_a, manager):
    plot = PlotFactory(estate=estate_a, number="12", area_m2=1000)
    rows = [
        ["شهرک", "شماره قطعه", "مساحت", "وضعیت"],
        [estate_a.name, "۱۲", "۲٬۵۰۰", "واگذار شده"],
        [estate_a.name, "13", "1500", "آزاد"],
        [estate_a.name, "13", "1600", "آزاد"],
        [estate_a.name, "14", "-5", ""],
    ]
    code, output = import_data(
        "plots", str(xlsx(tmp_path / "p.xlsx", rows)), "--user", "manager_a", "--apply-valid", "--lang", "en"
    )
    assert code == 1
    assert "Plot 13 of this estate is already in row 3; the first row stands." in output
    assert "“-5” must be more than zero." in output
    plot.refresh_from_db()
    assert (plot.area_m2, plot.state) == (Decimal("2500.00"), "allocated")
    assert Plot.objects.get(estate=estate_a, number="13").area_m2 == Decimal("1500.00")
    assert Plot.objects.count() == 2
