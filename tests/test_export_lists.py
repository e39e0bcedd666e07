"""Every list page exports its current filtered rows to xlsx and csv, with the table's columns."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from peyvand.estates.models import County
from peyvand.units.models import ProductionUnit

from .factories import EstateFactory, UnitFactory
from .test_import_units import import_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def registry(company_a):
    rasht = EstateFactory(
        company=company_a, county=County.objects.get(code="rasht"), name="شهرک صنعتی سپیدرود"
    )
    lahijan = EstateFactory(
        company=company_a, county=County.objects.get(code="lahijan"), name="شهرک صنعتی لاهیجان"
    )
    for number in range(30):
        UnitFactory(estate=rasht, name=f"واحد رشت {number:02d}", employees=number + 1)
    UnitFactory(estate=lahijan, name="چای‌سازی بهار", status="idle")
    return rasht, lahijan


def sheet_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.active.values)


def test_the_units_list_exports_every_filtered_row_with_the_tables_columns(client, registry, manager) -> None:
    rasht, _lahijan = registry
    client.force_login(manager)
    response = client.get(f"/units/?county={rasht.county_id}&sort=-employees&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="production-units-')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.active.sheet_view.rightToLeft is True
    rows = list(workbook.active.values)
    assert rows[0] == (
        "نام",
        "شهرک و شهرستان",
        "کد فعالیت (ISIC)",
        "وضعیت",
        "از تاریخ",
        "کارکنان",
        "اندازه",
        "ویژگی‌ها",
        "پروندهٔ کلینیک",  # added by the industrial clinic (revival)
    )
    assert len(rows) == 31  # all 30 units of Rasht, not only the first page of 25
    assert rows[1][:6] == ("واحد رشت 29", "شهرک صنعتی سپیدرود", "1061", "فعال", "1400/01/01", 30)


def test_english_exports_are_left_to_right_with_gregorian_dates(client, registry, manager) -> None:
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    workbook = load_workbook(io.BytesIO(client.get("/units/?q=بهار&export=xlsx").content))
    assert workbook.active.sheet_view.rightToLeft is False
    rows = list(workbook.active.values)
    assert rows[0][:5] == ("Name", "Estate and county", "ISIC", "Status", "Since")
    assert rows[1][3:5] == ("idle", "2021-03-21")


def test_the_csv_is_utf8_with_a_bom_and_neutralises_formulas(client, registry, manager) -> None:
    rasht, _lahijan = registry
    UnitFactory(estate=rasht, name='=HYPERLINK("http://evil.example","بزن")')
    UnitFactory(estate=rasht, name="@SUM(1+1)")
    client.force_login(manager)
    response = client.get("/units/?export=csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","بزن")' in names
    assert "'@SUM(1+1)" in names
    workbook = load_workbook(io.BytesIO(client.get("/units/?export=xlsx").content))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # stored as text: Excel shows it, never runs it


def test_outsiders_export_the_public_directory_only(client, registry, buyer) -> None:
    client.force_login(buyer)
    rows = sheet_rows(client.get("/units/?export=xlsx"))
    assert rows[0] == ("نام", "شهرک و شهرستان", "کد فعالیت (ISIC)", "اندازه", "گواهینامه‌ها", "ویژگی‌ها")
    assert len(rows) == 31  # producing units only: the idle one is not public


def test_only_those_who_may_export_organisations_get_the_file(client, registry, manager, buyer) -> None:
    client.force_login(buyer)
    assert client.get("/accounts/organisations/?export=csv").status_code == 403
    assert 'data-testid="export-xlsx"' not in client.get("/accounts/organisations/").text
    client.force_login(manager)
    assert client.get("/accounts/organisations/?export=csv").status_code == 200


def test_the_export_buttons_follow_the_filters_of_the_htmx_list(client, registry, manager) -> None:
    rasht, _lahijan = registry
    client.force_login(manager)
    page = client.get("/units/")
    assert 'href="?export=xlsx"' in page.text
    partial = client.get(
        f"/units/?county={rasht.county_id}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    assert 'id="export-buttons" class="btn-group btn-group-sm" role="group"' in partial.text
    assert 'hx-swap-oob="true"' in partial.text
    assert f"county={rasht.county_id}&amp;export=xlsx" in partial.text


def test_an_exported_units_list_imports_back_without_changing_anything(
    client, registry, manager, tmp_path
) -> None:
    client.force_login(manager)
    path = tmp_path / "units-export.xlsx"
    path.write_bytes(client.get("/units/?export=xlsx").content)
    before = list(ProductionUnit.objects.order_by("pk").values())
    entries = LogEntry.objects.count()
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    assert "created 0, updated 0, unchanged 31, rejected 0" in output
    assert list(ProductionUnit.objects.order_by("pk").values()) == before
    assert LogEntry.objects.count() == entries


def test_an_exported_estates_list_imports_back_without_changing_anything(
    client, registry, manager, tmp_path
) -> None:
    client.force_login(manager)
    path = tmp_path / "estates-export.csv"
    path.write_bytes(client.get("/estates/?export=csv").content)
    code, output = import_data("estates", str(path), "--user", "manager_a", "--apply", "--lang", "en")
    assert code == 0, output
    assert "created 0, updated 0, unchanged 2, rejected 0" in output
