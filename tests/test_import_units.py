"""Importing production units from hostile sheets: every problem named by row, column and value; the
registry and the audit trail agree with what was applied; nothing is written by a dry run or a refused apply.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from peyvand.core.models import Event
from peyvand.estates.models import County
from peyvand.imports.models import ImportBatch
from peyvand.units.models import ProductionUnit, StatusChange

from .factories import EstateFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["ردیف", "نام واحد", "شناسه ملي", "شهرك", "كد آيسيك", "تعداد کارکنان", "وضعیت", "تاریخ", "محصولات"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sepidrud(company_a):
    return EstateFactory(
        company=company_a,
        name="شهرک صنعتی سپیدرود",
        name_en="Sepidrud Industrial Estate",
        code="sepidrud",
        county=County.objects.get(code="rasht"),
    )


def xlsx(path: Path, rows: list[list], *, merges: tuple[str, ...] = (), sheet: str = "واحدها") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for cell_range in merges:
        worksheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def import_data(*args: str) -> tuple[int, str]:
    """Run the command; (exit code, everything it printed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    except CommandError as error:
        code = error.returncode
        out.write(str(error))
    return code, out.getvalue()


def messy_rows() -> list[list]:
    """A sheet as people type it: title rows, Arabic letters, three digit sets, every kind of mistake."""
    return [
        ["فهرست واحدهای تولیدی شهرک سپیدرود — تهیه شده در ۱۴۰۳"],
        [],
        list(HEADER),
        [
            1,
            "ريخته گري كاسپين",
            "۱۰۱۰۰۰۰۰۰۰۱",
            "شهرک صنعتی سپیدرود",
            "24.31",
            "۱۲۰",
            "دایر",
            "1402/5/17",
            "قطعات چدنی (7325)، شیرآلات",
        ],
        [2, "صنایع غذایی البرز", "10100000002", "سپیدرود", 1079, "1,250", "خوابیده", "۱۴۰۲-۰۵-۱۷", ""],
        [3, "کارخانه نمونه", "10100000003", "سپیدرود", "1061", "ده", "active", "1402/13/40", ""],
        [4, "البرز تکراری", "10100000002", "سپیدرود", "1061", 5, "فعال", "17/05/1402", ""],
        [5, "واحد بی‌شهرک", "10100000006", "شهرک ناشناخته", "1061", 5, "فعال", dt.datetime(2023, 8, 8), ""],
        [6, "واحد با کد غلط", "10100000007", "سپیدرود", "abc", 5, "نیمه‌جان", "1402.05.17", ""],
    ]


def test_a_dry_run_names_every_problem_and_writes_nothing(tmp_path, sepidrud, manager) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows(), merges=("A1:I1",))
    units, entries = ProductionUnit.objects.count(), LogEntry.objects.count()
    code, output = import_data("units", str(path), "--user", "manager_a", "--lang", "en")
    assert code == 1
    assert "Header row: 3" in output
    assert "row 6 [تعداد کارکنان (F)] «ده»: “ده” is not a number." in output
    assert "“1402/13/40” has no month 13" in output
    assert "row 7 [شناسه ملی (C)] «10100000002»: The national ID 10100000002 is already in row 5" in output
    assert "“شهرک ناشناخته” is not a known estate." in output
    assert "“abc” is not a code" in output
    assert "“نیمه‌جان” is not a known life-cycle status" in output
    assert "Dry run (nothing written): created 2, updated 0, unchanged 0, rejected 4." in output
    assert ProductionUnit.objects.count() == units
    assert LogEntry.objects.count() == entries
    batch = ImportBatch.objects.get()
    assert batch.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    assert batch.state == "checked"


def test_messages_are_in_persian_by_default(tmp_path, sepidrud, manager) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    code, output = import_data("units", str(path), "--user", "manager_a")
    assert code == 1
    assert "«ده» عدد نیست." in output
    assert "ماه ۱۳" in output or "ماه 13" in output


def test_apply_is_all_or_nothing(tmp_path, sepidrud, manager) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 1
    assert "Nothing was written: 4 rows have errors." in output
    assert not ProductionUnit.objects.exists()
    assert not LogEntry.objects.filter(additional_data__via__startswith="import batch").exists()


def test_apply_valid_writes_exactly_the_valid_rows_with_history_products_and_audit(
    tmp_path, sepidrud, manager
) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    report = tmp_path / "rejected.xlsx"
    code, output = import_data(
        "units", str(path), "--user", "manager_a", "--apply-valid", "--report", str(report), "--lang", "en"
    )
    assert code == 1
    assert "Applied (batch" in output
    assert set(ProductionUnit.objects.values_list("name", flat=True)) == {
        "ریخته گری کاسپین",
        "صنایع غذایی البرز",
    }
    casting = ProductionUnit.objects.get(national_id="10100000001")
    assert casting.estate == sepidrud
    assert casting.isic.code == "2431"
    assert casting.employees == 120
    assert (casting.status, casting.status_since) == ("operating", dt.date(2023, 8, 8))
    history = list(casting.status_changes.values_list("from_status", "to_status", "date", "cause"))
    assert history == [(None, "operating", dt.date(2023, 8, 8), "initial")]
    assert sorted(casting.products.values_list("name", "hs__code")) == [
        ("شیرآلات", None),
        ("قطعات چدنی", "7325"),
    ]
    alborz = ProductionUnit.objects.get(national_id="10100000002")
    assert (alborz.status, alborz.employees) == ("idle", 1250)
    batch = ImportBatch.objects.get()
    via = f"import batch {batch.pk}"
    unit_entries = LogEntry.objects.filter(content_type__model="productionunit", additional_data__via=via)
    assert set(unit_entries.values_list("object_id", flat=True)) == {casting.pk, alborz.pk}
    assert all(entry.actor == manager for entry in unit_entries)
    assert LogEntry.objects.filter(content_type__model="statuschange", additional_data__via=via).count() == 2
    assert Event.objects.filter(code="units.unit.registered", via=via).count() == 2
    rejected = load_workbook(report)
    issues = list(rejected.worksheets[0].values)
    assert issues[0] == ("Row", "Column", "Value", "Message")
    assert (6, "تعداد کارکنان (F)", "ده", "“ده” is not a number.") in issues
    assert rejected.worksheets[0].sheet_view.rightToLeft is False
    to_fix = list(rejected.worksheets[1].values)
    assert to_fix[0][1:3] == ("ردیف", "نام واحد")
    assert [row[0] for row in to_fix[1:]] == [6, 7, 8, 9]


def test_merged_cells_give_their_value_to_the_whole_range(tmp_path, sepidrud, manager) -> None:
    rows = [
        ["نام واحد", "شهرک", "وضعیت", "از تاریخ"],
        ["چای‌سازی بهار", "سپیدرود", "فعال", "1400/01/01"],
        ["برنج‌کوبی نمونه", None, "فعال", "1400/01/01"],
        ["کارگاه سوم", None, "راکد", "1400/01/01"],
    ]
    path = xlsx(tmp_path / "merged.xlsx", rows, merges=("B2:B4",))
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply")
    assert code == 0, output
    assert ProductionUnit.objects.filter(estate=sepidrud).count() == 3


def _patch_cells(path: Path, cells: dict[str, str]) -> None:
    """Rewrite some cells' XML, e.g. to give a formula the result Excel saves with it."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    for cell, xml in cells.items():
        sheet, count = re.subn(rf'<c r="{cell}"[^>]*>.*?</c>', xml, sheet)
        assert count == 1, cell
    files["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)


def test_formula_cells_use_their_saved_result_or_are_refused(tmp_path, sepidrud, manager) -> None:
    rows = [
        ["نام واحد", "شهرک", "وضعیت", "از تاریخ", "تعداد کارکنان"],
        ["واحد با فرمول ذخیره‌شده", "سپیدرود", "فعال", "1400/01/01", "=10*12"],
        ["واحد با فرمول بی‌نتیجه", "سپیدرود", "فعال", "1400/01/01", "=SUM(Z1:Z9)"],
        ["واحد با خطای اکسل", "سپیدرود", "فعال", "1400/01/01", "=1/0"],
    ]
    path = xlsx(tmp_path / "formulas.xlsx", rows)
    _patch_cells(
        path,
        {
            "E2": '<c r="E2"><f>10*12</f><v>120</v></c>',
            "E4": '<c r="E4" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        },
    )
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply-valid", "--lang", "en")
    assert code == 1
    assert ProductionUnit.objects.get(name="واحد با فرمول ذخیره‌شده").employees == 120
    assert "row 3 [تعداد کارکنان (E)] «=…»: The cell holds a formula whose result was never saved." in output
    assert "row 4 [تعداد کارکنان (E)] «#DIV/0!»: The cell shows the error #DIV/0!." in output
    assert ProductionUnit.objects.count() == 1


def test_empty_rows_empty_columns_and_extra_columns_are_ignored(tmp_path, sepidrud, manager) -> None:
    rows = [
        [None, "نام واحد", None, "شهرک", "یادداشت داخلی", "وضعیت", "از تاریخ"],
        [None, "واحد یک", None, "سپیدرود", "هرچه", "فعال", "1400/01/01"],
        [],
        [None, None, None, None, None, None, None],
        [None, "واحد دو", None, "سپیدرود", "", "فعال", "1400/01/01"],
        [],
    ]
    path = xlsx(tmp_path / "gaps.xlsx", rows)
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    assert "یادداشت داخلی (E) → (not imported)" in output
    assert "created 2, updated 0, unchanged 0, rejected 0" in output


def test_cells_of_the_wrong_type_are_refused_one_by_one(tmp_path, sepidrud, manager) -> None:
    rows = [
        ["نام واحد", "شهرک", "وضعیت", "از تاریخ", "کارکنان", "ایمیل", "صادراتی", "شناسه ملی"],
        ["واحد الف", "سپیدرود", "فعال", "1400/01/01", "بیست نفر", "not-an-email", "شاید", "123"],
    ]
    path = xlsx(tmp_path / "types.xlsx", rows)
    code, output = import_data("units", str(path), "--user", "manager_a", "--lang", "en")
    assert code == 1
    assert "“بیست نفر” is not a number." in output
    assert "“not-an-email” is not an e-mail address." in output
    assert "“شاید” is not yes or no." in output
    assert "“123” is not a company national ID: it has 11 digits." in output


def test_a_unit_in_the_registry_is_matched_by_national_id_then_licence_then_name(
    tmp_path, sepidrud, manager
) -> None:
    by_id = UnitFactory(estate=sepidrud, name="نام قدیم", national_id="10100000011", employees=10)
    by_licence = UnitFactory(estate=sepidrud, name="واحد پروانه‌دار", licence_number="LIC-22", employees=10)
    by_name = UnitFactory(estate=sepidrud, name="ریخته‌گری کاسپین", employees=10)
    same = UnitFactory(estate=sepidrud, name="بدون تغییر", national_id="10100000044", employees=7)
    rows = [
        ["نام واحد", "شناسه ملی", "شماره پروانه", "شهرک", "کارکنان"],
        ["نام جدید", "10100000011", "", "سپیدرود", 11],
        ["واحد پروانه دار", "", "LIC-22", "سپیدرود", 22],
        ["ريخته گري كاسپين", "", "", "سپیدرود", 33],
        ["بدون تغییر", "10100000044", "", "سپیدرود", "۷"],
    ]
    path = xlsx(tmp_path / "update.xlsx", rows)
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    assert "created 0, updated 3, unchanged 1, rejected 0" in output
    by_id.refresh_from_db()
    by_licence.refresh_from_db()
    by_name.refresh_from_db()
    assert (by_id.name, by_id.employees) == ("نام جدید", 11)
    assert by_licence.employees == 22
    assert by_name.employees == 33
    assert ProductionUnit.objects.count() == 4
    batch = ImportBatch.objects.get()
    change = LogEntry.objects.get(object_id=by_id.pk, additional_data__via=f"import batch {batch.pk}")
    assert change.changes_dict["employees"] == ["10", "11"]
    assert same.pk not in set(LogEntry.objects.filter(action=1).values_list("object_id", flat=True))


def test_a_unit_of_another_company_is_held_for_review(tmp_path, sepidrud, staff_b) -> None:
    UnitFactory(estate=sepidrud, name="واحد شرکت الف", national_id="10100000055", employees=5)
    rows = [
        ["نام واحد", "شناسه ملی", "شهرک", "کارکنان", "وضعیت", "از تاریخ"],
        ["واحد شرکت الف", "10100000055", "سپیدرود", 50, "", ""],
        ["واحد تازه", "10100000066", "سپیدرود", 5, "فعال", "1400/01/01"],
    ]
    path = xlsx(tmp_path / "other.xlsx", rows)
    code, output = import_data("units", str(path), "--user", "manager_b", "--lang", "en")
    assert code == 1
    assert "This unit is outside your scope; the row is held for review." in output
    assert "You may not add units to “Sepidrud Industrial Estate”." in output


def test_a_status_change_in_the_sheet_follows_the_transition_table(tmp_path, sepidrud, manager) -> None:
    idle = UnitFactory(estate=sepidrud, name="واحد راکد", national_id="10100000077", status="idle")
    planned = UnitFactory(estate=sepidrud, name="واحد طرح", national_id="10100000088", status="operating")
    rows = [
        ["نام واحد", "شناسه ملی", "وضعیت", "از تاریخ"],
        ["واحد راکد", "10100000077", "دایر", "1403/02/10"],
        ["واحد طرح", "10100000088", "در مرحله طرح", "1403/02/10"],
    ]
    path = xlsx(tmp_path / "status.xlsx", rows)
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply-valid", "--lang", "en")
    assert code == 1
    assert "A unit cannot go from “operating” to “planned”." in output
    idle.refresh_from_db()
    planned.refresh_from_db()
    assert (idle.status, idle.status_since) == ("operating", dt.date(2024, 4, 29))
    assert list(idle.status_changes.order_by("date").values_list("from_status", "to_status")) == [
        (None, "idle"),
        ("idle", "operating"),
    ]
    assert planned.status == "operating"


def test_a_csv_in_the_windows_arabic_code_page_is_read(tmp_path, sepidrud, manager) -> None:
    text = "نام واحد,شهرک,وضعیت,تاریخ,تعداد کارکنان\r\nکارخانه یخ‌سازی,سپیدرود,فعال,1401/01/01,25\r\n"
    # Persian Excel writes Arabic yeh (ي) for Persian yeh in this code page.
    path = tmp_path / "units-cp1256.csv"
    path.write_bytes(text.replace("ی", "ي").encode("cp1256"))
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    unit = ProductionUnit.objects.get()
    assert unit.name == "کارخانه یخ‌سازی"
    assert unit.employees == 25


def test_a_utf8_csv_with_bom_and_semicolons_is_read(tmp_path, sepidrud, manager) -> None:
    text = "\ufeffunit name;estate;status;since;employees\r\nCaspian Ice;Sepidrud Industrial Estate;active;2022-03-21;12\r\n"
    path = tmp_path / "units.csv"
    path.write_bytes(text.encode("utf-8"))
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    unit = ProductionUnit.objects.get()
    assert (unit.name, unit.estate, unit.status, unit.employees) == ("Caspian Ice", sepidrud, "operating", 12)


def test_a_ten_megabyte_file_is_accepted(tmp_path, sepidrud, manager) -> None:
    description = "تولید قطعات ریخته‌گری چدنی و آلومینیومی برای صنایع خودرو و لوازم خانگی. " * 60
    lines = ["نام واحد,شهرک,وضعیت,تاریخ,توضیحات"]
    lines += [f"واحد شماره {number},سپیدرود,فعال,1400/01/01,{description}" for number in range(1, 1301)]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    assert 9.5 * 1024 * 1024 < path.stat().st_size < 20 * 1024 * 1024
    code, output = import_data("units", str(path), "--user", "manager_a", "--lang", "en")
    assert code == 0, output[-500:]
    assert "created 1300, updated 0, unchanged 0, rejected 0" in output


def test_a_file_over_the_limit_is_refused_with_a_clear_message(tmp_path, sepidrud, manager, settings) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(b"name,estate\r\n" + b"x" * (21 * 1024 * 1024))
    code, output = import_data("units", str(path), "--user", "manager_a", "--lang", "en")
    assert code == 2
    assert "The file is 21.0 MB; the largest file you can import is 20 MB." in output
    settings.PEYVAND_IMPORT_MAX_MB = 1
    small = tmp_path / "small.csv"
    small.write_bytes(b"name,estate\r\n" + b"x" * (1536 * 1024))
    code, output = import_data("units", str(small), "--user", "manager_a", "--lang", "en")
    assert (code, output) == (2, "The file is 1.5 MB; the largest file you can import is 1 MB.")
    assert not ImportBatch.objects.exists()


def test_unusable_files_and_arguments_exit_with_two(tmp_path, sepidrud, manager) -> None:
    assert import_data("vehicles", str(tmp_path / "x.csv"))[0] == 2
    assert import_data("units", str(tmp_path / "missing.xlsx"))[0] == 2
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    code, output = import_data("units", str(old), "--lang", "en")
    assert (code, "save it as .xlsx" in output) == (2, True)
    titles_only = xlsx(tmp_path / "no-header.xlsx", [["گزارش"], ["بدون جدول"]])
    code, output = import_data("units", str(titles_only), "--lang", "en")
    assert code == 2
    assert "No header row was found" in output


def test_the_header_row_can_be_given_and_a_saved_mapping_reused(tmp_path, sepidrud, manager) -> None:
    rows = [["ستون۱", "ستون۲", "ستون۳", "ستون۴"], ["واحد یک", "سپیدرود", "فعال", "1400/01/01"]]
    path = xlsx(tmp_path / "odd.xlsx", rows)
    code, _output = import_data("units", str(path), "--user", "manager_a")
    assert code == 2  # no titles it knows
    from peyvand.imports.models import ImportMapping

    ImportMapping.objects.create(
        name="ستون‌های شماره‌دار",
        kind="units",
        company=sepidrud.company,
        columns={"ستون1": "name", "ستون2": "estate", "ستون3": "status", "ستون4": "status_since"},
    )
    code, output = import_data(
        "units",
        str(path),
        "--user",
        "manager_a",
        "--header-row",
        "1",
        "--mapping",
        "ستون‌های شماره‌دار",
        "--apply",
    )
    assert code == 0, output
    assert ProductionUnit.objects.get().name == "واحد یک"


def test_a_unit_representative_cannot_import(tmp_path, sepidrud, unit_a_owner) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    code, output = import_data("units", str(path), "--user", "owner_a", "--apply", "--lang", "en")
    assert code == 2
    assert "may not import" in output
    assert ProductionUnit.objects.count() == 1  # only the representative's own unit


def test_history_rows_written_for_new_units_keep_status_equal_to_the_last_record(
    tmp_path, sepidrud, manager
) -> None:
    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    import_data("units", str(path), "--user", "manager_a", "--apply-valid")
    for unit in ProductionUnit.objects.all():
        last = StatusChange.objects.filter(unit=unit).order_by("date", "id").last()
        assert (unit.status, unit.status_since) == (last.to_status, last.date)


def test_bulk_audit_records_read_exactly_as_auditlogs_own(tmp_path, sepidrud, manager) -> None:
    from auditlog.diff import model_instance_diff

    path = xlsx(tmp_path / "units.xlsx", messy_rows())
    import_data("units", str(path), "--user", "manager_a", "--apply-valid")
    for unit in ProductionUnit.objects.all():
        entry = LogEntry.objects.get(content_type__model="productionunit", object_id=unit.pk, action=0)
        expected = {name: list(change) for name, change in model_instance_diff(None, unit).items()}
        assert entry.changes == expected
        assert entry.additional_data["via"].startswith("import batch")
        assert entry.actor == manager
    for record in StatusChange.objects.filter(unit__in=ProductionUnit.objects.all()):
        entry = LogEntry.objects.get(content_type__model="statuschange", object_id=record.pk, action=0)
        expected = {name: list(change) for name, change in model_instance_diff(None, record).items()}
        assert entry.changes == expected
        assert (entry.actor, entry.object_repr) == (manager, str(record))


def test_imported_rows_never_take_the_id_of_a_deleted_one(tmp_path, sepidrud, manager) -> None:
    gone = UnitFactory(estate=sepidrud, name="واحد حذف‌شده")
    gone_pk = gone.pk
    gone.delete()
    rows = [["نام واحد", "شهرک", "وضعیت", "از تاریخ"], ["واحد تازه", "سپیدرود", "فعال", "1400/01/01"]]
    code, output = import_data(
        "units", str(xlsx(tmp_path / "u.xlsx", rows)), "--user", "manager_a", "--apply"
    )
    assert code == 0, output
    imported = ProductionUnit.objects.get(name="واحد تازه")
    assert imported.pk > gone_pk
    later = UnitFactory(estate=sepidrud, name="واحد بعدی")
    assert later.pk > imported.pk


def test_the_sheet_reader_reads_what_openpyxl_reads(tmp_path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from peyvand.imports.engine import read_sheet

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(["متن", 12, 3.5, True, dt.datetime(2023, 8, 8), dt.date(2021, 3, 21), None, "  فاصله  "])
    worksheet.append([None, None, -7, False, "=1+1"])
    worksheet["C3"] = CellRichText(["ریخته", TextBlock(InlineFont(b=True), "‌گری")])
    worksheet["AB4"] = "دور"
    path = tmp_path / "types.xlsx"
    workbook.save(path)
    sheet = read_sheet(path.read_bytes(), "types.xlsx")
    expected = load_workbook(path, data_only=True, rich_text=False).active
    for row in expected.iter_rows():
        for cell in row:
            value = cell.value.strip() or None if isinstance(cell.value, str) else cell.value
            got = (
                sheet.rows[cell.row - 1][cell.column - 1]
                if cell.column <= len(sheet.rows[cell.row - 1])
                else None
            )
            assert got == value, cell.coordinate
    assert sheet.bad_cells == {(1, 4): "formula"}
