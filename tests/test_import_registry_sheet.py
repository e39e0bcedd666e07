"""Imports accept what real registries write: a realistic provincial sheet (``registry_sheet.py``) has
every valid row accepted — certifications with their numbers, places as people type them — while each
real mistake still rejects its row with the row, column and value named."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from peyvand.demo.seed import DemoBuilder
from peyvand.estates.importers import county_lookup
from peyvand.imports import engine as imports
from peyvand.imports import parsing
from peyvand.units.importers.certifications import CertificationReader
from peyvand.units.models import ProductionUnit, UnitCertification

from .factories import MembershipFactory, OrganisationFactory, UserFactory
from .registry_sheet import ERROR, FIRST_DATA_ROW, HEADER, LINES, WARN, write_registry_sheet

pytestmark = pytest.mark.django_db

COLUMN_TITLES = {
    "county": HEADER[4],
    "estate": HEADER[5],
    "isic": HEADER[6],
    "employees": HEADER[7],
    "status": HEADER[8],
    "status_since": HEADER[9],
    "certifications": HEADER[11],
    "national_id": HEADER[2],
}


@pytest.fixture
def gilan(db):
    """Gilan's 33 demo estates and a manager of their company."""
    company = OrganisationFactory(kind="estate_company", name="شرکت شهرک‌های صنعتی استان گیلان")
    DemoBuilder().estates(company)
    return MembershipFactory(
        organisation=company, role="manager", user=UserFactory(username="gilan_manager")
    ).user


def _run(path, user, mode: str = "dry") -> imports.Outcome:
    sheet = imports.read_sheet(path.read_bytes(), path.name, "")
    importer = imports.get_importer("units")
    header = imports.find_header_row(importer, sheet)
    mapping = imports.guess_mapping(importer, sheet.rows[header])
    with translation.override("fa"):
        return imports.run("units", sheet, mapping, header, user=user, mode=mode)


def test_every_valid_row_of_a_real_registry_sheet_is_accepted_and_every_mistake_still_rejected(
    gilan, tmp_path
) -> None:
    outcome = _run(write_registry_sheet(tmp_path / "registry.xlsx"), gilan)
    results = {row.number: row for row in outcome.rows}
    for offset, line in enumerate(LINES):
        row = results[FIRST_DATA_ROW + offset]
        errors = [issue for issue in row.issues if issue.level == imports.ERROR]
        warnings = [issue for issue in row.issues if issue.level == imports.WARNING]
        if line.expect == ERROR:
            assert row.action == imports.REJECTED, line.name
            assert [issue.column.rsplit(" (", 1)[0] for issue in errors] == [COLUMN_TITLES[line.column]], (
                line.name,
                errors,
            )
        else:
            assert row.action == imports.CREATED, (line.name, row.issues)
            assert not errors, (line.name, errors)
            expected = [COLUMN_TITLES[line.column]] if line.expect == WARN else []
            assert [issue.column.rsplit(" (", 1)[0] for issue in warnings] == expected, (line.name, warnings)
    valid = sum(line.expect != ERROR for line in LINES)
    assert outcome.counts == {"created": valid, "updated": 0, "unchanged": 0, "rejected": len(LINES) - valid}


def test_applying_the_sheet_keeps_each_certifications_number_and_the_unknown_ones_as_written(
    gilan, tmp_path
) -> None:
    outcome = _run(write_registry_sheet(tmp_path / "registry.xlsx"), gilan, mode="valid")
    assert outcome.applied

    def held(name: str) -> set[tuple[str, str, str]]:
        unit = ProductionUnit.objects.get(name=name)
        return set(
            UnitCertification.objects.filter(productionunit=unit).values_list(
                "certification__code", "reference", "as_written"
            )
        )

    assert held("آب معدنی دیلمان") == {
        ("inso", "6694", ""),
        ("health_licence", "", ""),
        ("health_logo", "", ""),
    }
    assert held("دارویی گیاهی نوکاسپین") == {
        ("gmp", "", ""),
        ("health_licence", "", ""),
        ("irc", "1234567890123456", ""),
    }
    assert held("شیرآلات بهداشتی مرزبان") == {("inso", "", ""), ("iso_9001", "", ""), ("iso_14001", "", "")}
    assert held("صنایع فولاد پل‌رود") == {("iso_50001", "", ""), ("hse", "", ""), ("ohsas_18001", "", "")}
    assert held("صنایع چوب سبزه‌میدان") == {("other", "", "نشان اعتماد الکترونیکی")}
    assert held("بسته‌بندی چای لاهیجان") == set()  # «ندارد»
    assert ProductionUnit.objects.get(name="حصیربافی لاهیجان").estate.code == "baghchay"
    assert ProductionUnit.objects.get(name="گچ و آهک سپیدرود").estate.code == "sepidrud"
    assert ProductionUnit.objects.get(name="پوشاک ورزشی تالش").estate.county.code == "talesh"
    assert ProductionUnit.objects.get(name="مواد شوینده زرجوب").estate.code == "zarjub"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("استاندارد ملی ۱۴۴۲۷", [("inso", "14427", "")]),
        ("نشان استاندارد", [("inso", "", "")]),
        ("پروانه کاربرد علامت استاندارد اجباری شماره ۳۰۸۴", [("inso", "3084", "")]),
        ("ISO 9001:2015", [("iso_9001", "", "")]),
        ("ایزو ۹۰۰۱ و ۱۴۰۰۱", [("iso_9001", "", ""), ("iso_14001", "", "")]),
        ("ISO/IEC 17025:2017", [("iso_17025", "", "")]),
        ("ISO/TS 16949", [("iatf_16949", "", "")]),
        ("OHSAS 18001:2007", [("ohsas_18001", "", "")]),
        ("HSE-MS", [("hse", "", "")]),
        ("پروانه بهداشت ۱۲/۳۴۵۶۷", [("health_licence", "12/34567", "")]),
        ("کد IRC: ۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶", [("irc", "1234567890123456", "")]),
        ("گواهی حلال", [("halal", "", "")]),
        ("cGMP", [("gmp", "", "")]),
        ("نشان CE", [("ce", "", "")]),
        ("ندارد", []),
        ("ISO 3834", [("other", "", "ISO 3834")]),
    ],
)
def test_certifications_are_read_as_registries_write_them(written, expected) -> None:
    read = CertificationReader()(written)
    certificates = parsing.unnoted(read)
    codes = dict(
        UnitCertification._meta.get_field("certification").related_model.objects.values_list("pk", "code")
    )
    assert [(codes[c.certification_id], c.reference, c.as_written) for c in certificates] == expected
    assert isinstance(read, parsing.Noted) == any(code == "other" for code, _ref, _text in expected)


@pytest.mark.parametrize(
    ("written", "county", "guessed"),
    [
        ("شهرستان رشت", "rasht", False),
        ("تالش", "talesh", False),
        ("بندر پهلوی", "bandar_anzali", False),
        ("صومعه سرا", "sowmeh_sara", False),
        ("لاهیچان", "lahijan", True),
        ("لنگرورد", "langarud", True),
        ("آستانهٔ اشرفیه", "astaneh_ashrafiyeh", False),
    ],
)
def test_counties_are_found_as_people_type_them(written, county, guessed) -> None:
    found = county_lookup().find(written)
    assert parsing.unnoted(found).code == county
    assert isinstance(found, parsing.Noted) == guessed


@pytest.mark.parametrize("written", ["ساری", "شهرستان تنکابن", "قزوین", "Tehran"])
def test_a_county_outside_the_province_is_still_refused(written) -> None:
    with pytest.raises(parsing.CellError):
        county_lookup().find(written)


def _levenshtein(first: str, second: str) -> int:
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


@given(st.text(alphabet="ابپتسشرلیه", max_size=7), st.text(alphabet="ابپتسشرلیه", max_size=7))
def test_within_one_edit_agrees_with_the_edit_distance(first: str, second: str) -> None:
    assert parsing.within_one_edit(first, second) == (_levenshtein(first, second) <= 1)
