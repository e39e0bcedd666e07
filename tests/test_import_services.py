"""The steps of an import as services (issue 19): the pages, the ``import_data`` command and the job all
call them — create the batch, set its mapping, check, apply (claimed in one conditional UPDATE, written
in one transaction). The tests call the services directly, as the API and the importers will."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from peyvand.imports import engine, services
from peyvand.imports.models import ImportBatch, ImportMapping
from peyvand.units.models import ProductionUnit

from .test_import_units import import_data

pytestmark = pytest.mark.django_db

CSV = "\r\n".join(
    [
        "نام واحد,شهرک,وضعیت,تاریخ",
        "ریسندگی نو,سپیدرود,فعال,1400/01/01",
        "بافندگی نو,شهرکی که نیست,فعال,1400/01/01",
    ]
).encode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sepidrud(company_a):
    from .test_import_units import County, EstateFactory

    return EstateFactory(
        company=company_a, name="شهرک صنعتی سپیدرود", code="sepidrud", county=County.objects.get(code="rasht")
    )


def _mapped(user, data: bytes = CSV, name: str = "واحدها.csv") -> ImportBatch:
    batch = services.create_batch("units", data, name, user=user, language="en")
    sheet = services.batch_sheet(batch)
    mapping = engine.guess_mapping(engine.get_importer("units"), sheet.rows[0])
    services.set_mapping(batch, 0, mapping, user=user, sheet=sheet, save_as="سامانه استان")
    return batch


def test_the_steps_check_then_write_the_valid_rows_and_keep_the_batch(sepidrud, manager) -> None:
    batch = _mapped(manager)
    assert (batch.state, batch.total_rows, batch.header_row) == ("uploaded", 2, 1)
    assert ImportMapping.objects.get(kind="units").name == "سامانه استان"

    with translation.override("en"):
        checked = services.check(batch, manager)
    assert checked.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert batch.state == "checked"
    assert not ProductionUnit.objects.filter(name="ریسندگی نو").exists()  # a dry run writes nothing

    refused = services.apply(batch, manager, "all")
    assert refused.applied is False
    assert "Nothing was written" in refused.message
    assert ImportBatch.objects.get(pk=batch.pk).state == "checked"  # the user may choose again
    assert not ProductionUnit.objects.filter(name="ریسندگی نو").exists()

    applied = services.apply(batch, manager, "valid")
    assert applied.applied is True
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.state, stored.mode, stored.counts["created"]) == ("applied", "valid", 1)
    assert ProductionUnit.objects.get(name="ریسندگی نو").estate == sepidrud


def test_an_applied_batch_cannot_be_applied_again(sepidrud, manager) -> None:
    batch = _mapped(manager)
    services.check(batch, manager)
    services.apply(batch, manager, "valid")
    stale = ImportBatch.objects.get(pk=batch.pk)
    with translation.override("en"), pytest.raises(services.NotApplicable) as refusal:
        services.apply(stale, manager, "valid")
    assert str(refusal.value) == "This import cannot be applied now: it is already applied or being applied."
    assert ProductionUnit.objects.filter(name="ریسندگی نو").count() == 1


def test_an_unchecked_batch_or_an_unknown_mode_is_not_applied(sepidrud, manager) -> None:
    batch = _mapped(manager)
    with pytest.raises(services.NotApplicable):
        services.apply(batch, manager, "valid")  # never checked
    services.check(batch, manager)
    with pytest.raises(services.NotApplicable):
        services.apply(batch, manager, "everything")
    assert ImportBatch.objects.get(pk=batch.pk).state == "checked"
    assert not ProductionUnit.objects.filter(name="ریسندگی نو").exists()


def test_who_may_not_import_cannot_create_a_batch(sepidrud, unit_a_owner) -> None:
    with pytest.raises(PermissionDenied):
        services.create_batch("units", CSV, "واحدها.csv", user=unit_a_owner)
    assert not ImportBatch.objects.exists()


def test_a_file_that_is_not_a_sheet_is_refused_before_a_batch_is_kept(manager) -> None:
    with translation.override("en"), pytest.raises(engine.FileProblem) as problem:
        services.create_batch("units", b"%PDF-1.4", "units.pdf", user=manager)
    assert "cannot be imported" in str(problem.value)
    assert not ImportBatch.objects.exists()


def test_the_command_keeps_the_same_batch_as_the_pages(sepidrud, manager, tmp_path) -> None:
    path = tmp_path / "واحدها.csv"
    path.write_bytes(CSV)
    code, output = import_data("units", str(path), "--user", "manager_a", "--apply-valid", "--lang", "en")
    assert code == 1  # one row was rejected
    assert "Applied (batch" in output
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.mode, batch.created_by, batch.header_row) == ("applied", "valid", manager, 1)
    assert batch.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert batch.company == sepidrud.company
    assert ProductionUnit.objects.filter(name="ریسندگی نو").count() == 1
