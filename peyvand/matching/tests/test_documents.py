"""Documents: statuses, certifications and quantities as people write them."""

from __future__ import annotations

import pytest

from peyvand.matching.documents import (
    Profile,
    Request,
    certification_key,
    county_key,
    is_eligible,
    status_code,
)
from peyvand.matching.quantities import covers, parse_quantity


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("active", "operating"),
        ("فعال", "operating"),
        ("semi-active", "semi_active"),
        ("نیمه فعال", "semi_active"),
        ("راکد", "idle"),
        ("stopped", "idle"),
        ("تعطیل شده", "closed"),
        ("planned", "planned"),
        ("?", "unknown"),
    ],
)
def test_statuses_people_type_map_to_one_code(written: str, code: str) -> None:
    assert status_code(written) == code


def test_only_operating_and_semi_active_units_are_eligible() -> None:
    assert is_eligible("active")
    assert is_eligible("semi_active")
    assert not any(
        is_eligible(value) for value in ("idle", "closed", "planned", "land_repossessed", "", "unknown")
    )


def test_certifications_compare_across_spellings_but_not_across_standards() -> None:
    assert certification_key("ISO 22000") == certification_key("ایزو ۲۲۰۰۰") == certification_key("iso-22000")
    assert certification_key("ISO 9001:2015") == certification_key("ISO 9001")
    assert certification_key("HACCP") != certification_key("ISO 22000")
    assert certification_key("نشان استاندارد") == certification_key("نشان استاندارد ملی")


def test_the_benchmark_required_certifications_are_preferred_not_must_have() -> None:
    request = Request.from_dict(
        {"id": "r", "text": "x", "required_certifications": ["HACCP"], "preferred_county": "رشت"}
    )
    assert request.preferred_certifications == ("HACCP",)
    assert request.must_have_certifications == ()
    assert request.preferred_counties == ("رشت",)


def test_profiles_detect_their_language_when_not_given() -> None:
    assert Profile(id="p", name="ریخته‌گری", description="قطعات چدنی").language == "fa"
    assert Profile(id="p", name="Foundry", description="iron castings").language == "en"


def test_counties_match_with_or_without_the_word_county() -> None:
    assert county_key("شهرستان بندر انزلی") == county_key("بندرانزلی")


@pytest.mark.parametrize(
    ("text", "amount", "kind"),
    [
        ("ماهانه ۶۰ هزار قطعه", 60_000, "count"),
        ("8,000 fittings/month", 8_000, "count"),
        ("۲ تن در روز", 50, "mass"),
        ("سالانه ۱۲۰ تن", 10, "mass"),
        ("روزانه ۸۰۰ متر مربع", 20_000, "area"),
    ],
)
def test_capacities_are_read_per_month(text: str, amount: float, kind: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.amount == pytest.approx(amount)
    assert quantity.kind == kind


def test_capacity_covers_a_need_only_in_the_same_unit() -> None:
    assert covers(parse_quantity("ماهانه ۱۰۰ تن"), parse_quantity("80 t per month")) is True
    assert covers(parse_quantity("ماهانه ۱۰۰ تن"), parse_quantity("300 t per month")) is False
    assert covers(parse_quantity("ماهانه ۱۰۰ تن"), parse_quantity("۵۰۰ عدد")) is None
    assert parse_quantity("—") is None
