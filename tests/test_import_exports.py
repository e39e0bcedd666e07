"""Export records from a sheet through the one import engine: the unit found by name or national ID,
months by number or name, countries by name or code, HS codes checked against HS 2022; a bad row is
refused by row, column and value, and nothing is written when any row is bad (``--apply``)."""

from __future__ import annotations

import pytest

from peyvand.core.audit import timeline
from peyvand.trade.models import ExportRecord

from .factories import UnitFactory
from .test_import_units import import_data, xlsx

pytestmark = pytest.mark.django_db
HEADER = ["نام واحد", "شناسه ملی", "کالا", "کد تعرفه", "کشور مقصد", "ارزش دلاری", "سال", "ماه", "منبع"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tea(estate_a):
    return UnitFactory(estate=estate_a, name="چای‌سازی بهار", national_id="10100000202")


def test_a_customs_sheet_is_imported_and_read_as_people_write_it(tmp_path, tea, manager) -> None:
    rows = [
        HEADER,
        ["چای سازی بهار", "", "چای سیاه", "0902.40", "عراق", "۱۲٬۰۰۰", "۱۴۰۴", "مهر", "گمرک"],
        ["", "10100000202", "چای سبز", 90220, "Russia", 5000, 1404, 8, ""],
    ]
    code, output = import_data(
        "export_records", str(xlsx(tmp_path / "e.xlsx", rows)), "--user", "manager_a", "--apply"
    )
    assert code == 0, output
    records = list(
        ExportRecord.objects.order_by("month").values_list(
            "hs_code", "destination", "value_usd", "month", "source"
        )
    )
    assert records == [("090240", "IQ", 12000, 7, "customs"), ("090220", "RU", 5000, 8, "customs")]
    assert ExportRecord.objects.first().company == tea.estate.company
    assert timeline(ExportRecord.objects.first()).get().code == "trade.export.recorded"
    # The same file again changes nothing; a corrected value updates the stored record.
    rows[1][5] = "13000"
    code, output = import_data(
        "export_records", str(xlsx(tmp_path / "e2.xlsx", rows)), "--user", "manager_a", "--apply"
    )
    assert code == 0, output
    assert ExportRecord.objects.count() == 2
    assert ExportRecord.objects.get(destination="IQ").value_usd == 13000


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({3: "123456"}, "HS 2022"),
        ({4: "Atlantis"}, "Atlantis"),
        ({6: "1250"}, "۱۳۰۰"),
        ({7: "13"}, "13"),
        ({0: "واحد ناشناس"}, "هیچ واحد ثبت"),
        ({5: "0"}, ""),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_written(tmp_path, tea, manager, cells, message) -> None:
    good = ["چای‌سازی بهار", "", "چای سیاه", "090240", "IQ", "1000", "1404", "1", "customs"]
    bad = list(good)
    bad[7] = "2"
    for index, value in cells.items():
        bad[index] = value
    path = xlsx(tmp_path / "bad.xlsx", [HEADER, good, bad])
    code, output = import_data("export_records", str(path), "--user", "manager_a", "--apply")
    assert code != 0
    assert message in output
    assert not ExportRecord.objects.exists()


def test_an_officer_may_not_import(tmp_path, tea, officer) -> None:
    path = xlsx(
        tmp_path / "e.xlsx", [HEADER, ["چای‌سازی بهار", "", "چای", "090240", "IQ", "1", "1404", "1", ""]]
    )
    code, _output = import_data("export_records", str(path), "--user", "officer_a", "--apply")
    assert code != 0
    assert not ExportRecord.objects.exists()
