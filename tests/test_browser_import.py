"""Browser: upload a messy Persian sheet, fix the mapping, read the dry-run errors, apply the valid rows,
download the rejected ones (no CSP violations on the way)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from peyvand.estates.models import County
from peyvand.units.models import ProductionUnit

from .factories import EstateFactory
from .test_import_units import messy_rows, xlsx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_manager_imports_a_messy_sheet_and_downloads_the_rejected_rows(
    reference_data, web, company_a, manager, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    EstateFactory(
        company=company_a, name="شهرک صنعتی سپیدرود", code="sepidrud", county=County.objects.get(code="rasht")
    )
    rows = messy_rows()
    rows[2][5] = "نفرات"  # a title the guesser does not know
    path = xlsx(tmp_path / "واحدهای سپیدرود.xlsx", rows, merges=("A1:I1",))

    web.login("manager_a")
    page = web.page
    page.get_by_test_id("nav-registry").click()
    page.get_by_role("link", name="ورود اطلاعات", exact=True).click()
    page.wait_for_url("**/imports/")
    page.get_by_test_id("new-import").click()
    page.select_option("#id_kind", "units")
    page.set_input_files("#id_file", str(path))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    page.wait_for_url("**/columns/")
    assert page.locator("[data-step=mapping]").get_attribute("aria-current") == "step"
    assert page.input_value("#column_1") == "name"
    assert page.input_value("#column_5") == ""
    page.select_option("#column_5", "employees")
    page.get_by_test_id("run-check").click()
    page.wait_for_url("**/imports/*/")

    assert page.locator("[data-count=created]").inner_text() == "۲"
    assert page.locator("[data-count=rejected]").inner_text() == "۴"
    problems = page.get_by_test_id("import-rows")
    assert "«ده» عدد نیست." in " ".join(problems.locator("tr[data-row='6']").all_inner_texts())
    assert "10100000002" in " ".join(problems.locator("tr[data-row='7']").all_inner_texts())
    assert ProductionUnit.objects.count() == 0

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("apply-valid").click()
    page.get_by_test_id("summary").wait_for()
    assert ProductionUnit.objects.count() == 2

    with page.expect_download() as download_info:
        page.get_by_test_id("download-rejects").click()
    target = tmp_path / "rejected.xlsx"
    download_info.value.save_as(target)
    rejected = load_workbook(target)
    assert [row[0] for row in list(rejected.worksheets[1].values)[1:]] == [6, 7, 8, 9]
    assert rejected.worksheets[0].sheet_view.rightToLeft is True
