"""The xlsx reader reads the package with the standard library and openpyxl's public helpers only (issue 19,
item 6): which cells are dates (custom and built-in formats, the 1900 and 1904 date systems), which
parts are sheets, in which order — checked against openpyxl's own ``load_workbook`` as the oracle."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from peyvand.imports.engine import FileProblem, read_sheet, sheet_names


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _workbook(epoch: dt.datetime | None = None) -> Workbook:
    workbook = Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.active
    sheet.title = "واحدها"
    sheet.append(["نام", "تاریخ", "تاریخ و ساعت", "مبلغ", "سهم", "کد"])
    rows = [
        ["ریسندگی نو", dt.datetime(2021, 3, 21), dt.datetime(2024, 2, 29, 13, 45), 1250.5, 0.25, 1061],
        ["چای‌سازی", dt.datetime(1999, 12, 31), dt.datetime(2026, 11, 30, 8, 0), 7, 1, 10],
    ]
    for row in rows:
        sheet.append(row)
    for number in (2, 3):
        sheet.cell(number, 2).number_format = "yyyy/mm/dd;@"  # a custom format, as Persian Excel saves
        sheet.cell(number, 3).number_format = "m/d/yy h:mm"  # built-in format 22
        sheet.cell(number, 4).number_format = "#,##0.00"
        sheet.cell(number, 5).number_format = "0%"
    return workbook


def _oracle(data: bytes, title: str | None = None) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data), data_only=True)
    sheet = book[title] if title else book.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_dates_and_numbers_read_as_openpyxl_reads_them(epoch) -> None:
    data = _bytes(_workbook(epoch))
    sheet = read_sheet(data, "units.xlsx")
    assert sheet.rows == _oracle(data)
    assert sheet.rows[1][1] == dt.datetime(2021, 3, 21)
    assert sheet.rows[1][2] == dt.datetime(2024, 2, 29, 13, 45)
    assert sheet.rows[1][3:] == [1250.5, 0.25, 1061]


def test_only_worksheets_count_as_sheets_in_their_order() -> None:
    from openpyxl.chart import BarChart, Reference

    workbook = _workbook()
    chart_sheet = workbook.create_chartsheet("نمودار", 0)
    chart = BarChart()
    chart.add_data(Reference(workbook["واحدها"], min_col=4, min_row=1, max_row=3), titles_from_data=True)
    chart_sheet.add_chart(chart)
    second = workbook.create_sheet("پروانه‌ها")
    second.append(["شماره پروانه"])
    second.append(["۱۲۳۴"])
    data = _bytes(workbook)
    assert sheet_names(data, "units.xlsx") == ["واحدها", "پروانه‌ها"]
    assert read_sheet(data, "units.xlsx").name == "واحدها"  # the first worksheet, not the chart
    assert read_sheet(data, "units.xlsx", "پروانه‌ها").rows == _oracle(data, "پروانه‌ها")


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message() -> None:
    with translation.override("en"), pytest.raises(FileProblem, match="cannot be opened"):
        read_sheet(b"PK\x03\x04 not really a zip", "units.xlsx")
