"""The import pages: upload → sheet → columns → dry run → apply → summary, as staff see them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from peyvand.imports.models import ImportBatch, ImportMapping
from peyvand.units.models import ProductionUnit

from .test_import_units import messy_rows

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def sepidrud(company_a):
    from .test_import_units import County, EstateFactory

    return EstateFactory(
        company=company_a,
        name="شهرک صنعتی سپیدرود",
        name_en="Sepidrud Industrial Estate",
        code="sepidrud",
        county=County.objects.get(code="rasht"),
    )


def workbook_upload(sheets: dict[str, list[list]], name: str = "واحدها.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def selected_mapping(html: str) -> dict[str, str]:
    """The column → field choices the mapping page proposes."""
    chosen = {}
    for name, body in re.findall(r'<select[^>]*name="(column_\d+)"[^>]*>(.*?)</select>', html, re.S):
        match = re.search(r'<option value="([a-z_]*)" selected', body)
        chosen[name] = match.group(1) if match else ""
    return chosen


def test_a_manager_uploads_maps_checks_applies_the_valid_rows_and_downloads_the_rejects(
    client, sepidrud, manager
) -> None:
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    rows = messy_rows()
    rows[2][5] = "نفرات"  # a title it cannot guess: the user maps it by hand
    upload = workbook_upload({"راهنما": [["این برگه را نخوانید"]], "واحدها": rows})
    response = client.post("/imports/new/", {"kind": "units", "file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/sheet/"
    page = client.get(f"/imports/{batch.pk}/sheet/")
    assert "راهنما" in page.text
    assert 'aria-current="step"' in page.text
    response = client.post(f"/imports/{batch.pk}/sheet/", {"sheet": "واحدها"})
    assert response["Location"] == f"/imports/{batch.pk}/columns/"

    page = client.get(f"/imports/{batch.pk}/columns/")
    assert 'name="header_row" value="3"' in page.text
    mapping = selected_mapping(page.text)
    assert (mapping["column_1"], mapping["column_2"], mapping["column_3"]) == (
        "name",
        "national_id",
        "estate",
    )
    assert mapping["column_5"] == ""
    mapping["column_5"] = "employees"
    response = client.post(
        f"/imports/{batch.pk}/columns/",
        {**mapping, "header_row": "3", "check": "1", "save_as": "فهرست ماهانه"},
    )
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert ImportMapping.objects.get(name="فهرست ماهانه").columns["نفرات"] == "employees"

    page = client.get(f"/imports/{batch.pk}/")
    assert 'data-count="created">2<' in page.text
    assert 'data-count="rejected">4<' in page.text
    assert "“ده” is not a number." in page.text
    assert "has no month 13" in page.text
    assert ProductionUnit.objects.count() == 0

    response = client.post(f"/imports/{batch.pk}/apply/", {"mode": "all"})
    page = client.get(response["Location"])
    assert "Nothing was written: 4 rows have errors." in page.text
    assert ProductionUnit.objects.count() == 0

    response = client.post(f"/imports/{batch.pk}/apply/", {"mode": "valid"})
    page = client.get(response["Location"])
    assert "Applied: created 2, updated 0, unchanged 0, rejected 4." in page.text
    assert 'data-testid="summary"' in page.text
    assert ProductionUnit.objects.count() == 2

    download = client.get(f"/imports/{batch.pk}/rejected.xlsx")
    assert download["Content-Type"] == XLSX
    rejected = load_workbook(io.BytesIO(download.content))
    rows_to_fix = list(rejected.worksheets[1].values)
    assert [row[0] for row in rows_to_fix[1:]] == [6, 7, 8, 9]
    assert "“ده” is not a number." in rows_to_fix[1][-1]

    listing = client.get("/imports/")
    assert "واحدها.xlsx" in listing.text


def test_a_saved_mapping_is_offered_and_applied_to_the_next_file(client, sepidrud, manager) -> None:
    ImportMapping.objects.create(
        name="قالب ستون‌ها", kind="units", company=sepidrud.company, columns={"الف": "name", "ب": "estate"}
    )
    client.force_login(manager)
    client.post(
        "/imports/new/",
        {"kind": "units", "file": workbook_upload({"s": [["الف", "ب", "ج"], ["واحد", "سپیدرود", "x"]]})},
    )
    batch = ImportBatch.objects.get()
    template = ImportMapping.objects.get()
    page = client.get(f"/imports/{batch.pk}/columns/?header_row=1&template={template.pk}")
    assert selected_mapping(page.text) == {"column_0": "name", "column_1": "estate", "column_2": ""}


def test_a_unit_representative_cannot_reach_the_imports(client, sepidrud, unit_a_owner) -> None:
    client.force_login(unit_a_owner)
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/new/").status_code == 403
    upload = workbook_upload({"s": messy_rows()})
    assert client.post("/imports/new/", {"kind": "units", "file": upload}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_officer_sees_the_batches_but_cannot_apply_them(client, sepidrud, manager, officer) -> None:
    client.force_login(manager)
    client.post("/imports/new/", {"kind": "units", "file": workbook_upload({"s": messy_rows()})})
    batch = ImportBatch.objects.get()
    client.force_login(officer)
    assert client.get(f"/imports/{batch.pk}/").status_code == 200
    assert client.get(f"/imports/{batch.pk}/columns/").status_code == 403
    assert client.post(f"/imports/{batch.pk}/apply/", {"mode": "valid"}).status_code == 403
    assert 'data-testid="new-import"' not in client.get("/imports/").text


def test_the_upload_states_the_size_limit_and_refuses_larger_files(
    client, sepidrud, manager, settings
) -> None:
    settings.PEYVAND_IMPORT_MAX_MB = 1
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    big = SimpleUploadedFile("big.csv", b"name,estate\r\n" + b"x" * (1536 * 1024), content_type="text/csv")
    page = client.post("/imports/new/", {"kind": "units", "file": big})
    assert page.status_code == 200
    assert "The file is 1.5 MB; the largest file you can import is 1 MB." in page.text
    legacy = SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0", content_type="application/vnd.ms-excel")
    page = client.post("/imports/new/", {"kind": "units", "file": legacy})
    assert "Open the file in Excel and save it as .xlsx." in page.text
    assert not ImportBatch.objects.exists()


def test_a_large_file_runs_as_a_background_job_and_its_page_shows_the_progress(
    client, sepidrud, manager
) -> None:
    client.force_login(manager)
    lines = ["نام واحد,شهرک,وضعیت,تاریخ"] + [f"واحد {n},سپیدرود,فعال,1400/01/01" for n in range(1, 1202)]
    upload = SimpleUploadedFile("large.csv", "\r\n".join(lines).encode(), content_type="text/csv")
    client.post("/imports/new/", {"kind": "units", "file": upload})
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/{batch.pk}/columns/")
    client.post(
        f"/imports/{batch.pk}/columns/", {**selected_mapping(page.text), "header_row": "1", "check": "1"}
    )
    batch.refresh_from_db()
    assert batch.task_id  # went through the job queue (run at once by the immediate backend in tests)
    assert (batch.state, batch.counts["created"]) == ("checked", 1201)
    client.post(f"/imports/{batch.pk}/apply/", {"mode": "all"})
    batch.refresh_from_db()
    assert batch.state == "applied"
    assert ProductionUnit.objects.count() == 1201

    ImportBatch.objects.filter(pk=batch.pk).update(state="applying", processed_rows=600, total_rows=1201)
    page = client.get(f"/imports/{batch.pk}/")
    assert 'hx-trigger="every 1s"' in page.text
    assert '<progress class="w-100 progress-import" value="600" max="1201">' in page.text
    partial = client.get(f"/imports/{batch.pk}/progress/")
    assert "<progress" in partial.text
    assert "<html" not in partial.text
    ImportBatch.objects.filter(pk=batch.pk).update(state="applied")
    done = client.get(f"/imports/{batch.pk}/progress/")
    assert done.status_code == 204
    assert done["HX-Redirect"] == f"/imports/{batch.pk}/"


def _checked_batch(client, manager) -> ImportBatch:
    client.force_login(manager)
    client.cookies["peyvand_language"] = "en"
    lines = ["نام واحد,شهرک,وضعیت,تاریخ", "ریسندگی نو,سپیدرود,فعال,1400/01/01"]
    upload = SimpleUploadedFile("one.csv", "\r\n".join(lines).encode(), content_type="text/csv")
    client.post("/imports/new/", {"kind": "units", "file": upload})
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/{batch.pk}/columns/")
    client.post(
        f"/imports/{batch.pk}/columns/", {**selected_mapping(page.text), "header_row": "1", "check": "1"}
    )
    batch.refresh_from_db()
    assert batch.state == "checked"
    return batch


def test_a_second_submit_while_the_first_apply_runs_is_refused(
    client, sepidrud, manager, monkeypatch
) -> None:
    from django.contrib.messages import get_messages

    from peyvand.imports import services

    batch = _checked_batch(client, manager)
    real_apply = services.apply_batch
    calls: list[int] = []
    second: dict[str, object] = {}

    def apply_while_the_user_clicks_again(batch, user, mode, **options):
        calls.append(batch.pk)
        if len(calls) == 1:  # the double click arrives while the first apply is still running
            second["response"] = client.post(f"/imports/{batch.pk}/apply/", {"mode": "all"})
        return real_apply(batch, user, mode, **options)

    monkeypatch.setattr(services, "apply_batch", apply_while_the_user_clicks_again)
    client.post(f"/imports/{batch.pk}/apply/", {"mode": "all"})
    assert calls == [batch.pk]
    assert ProductionUnit.objects.filter(name="ریسندگی نو").count() == 1
    refused = [str(message) for message in get_messages(second["response"].wsgi_request)]
    assert refused == ["This import cannot be applied now: it is already applied or being applied."]
    batch.refresh_from_db()
    assert batch.state == "applied"


def test_of_two_claims_on_one_checked_batch_only_the_first_wins(client, sepidrud, manager) -> None:
    from peyvand.imports import services

    batch = _checked_batch(client, manager)
    first, stale = ImportBatch.objects.get(pk=batch.pk), ImportBatch.objects.get(pk=batch.pk)
    assert services.claim_for_apply(first) is True
    assert services.claim_for_apply(stale) is False
    assert ImportBatch.objects.get(pk=batch.pk).state == "applying"
