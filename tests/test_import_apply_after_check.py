"""An apply right after its check (the ``import_data`` command's ``--apply``) writes what the check
planned without checking every row again — but only while the registry is as the check read it: any
change committed in between (by a page, another import, a job) and the apply checks every row afresh.

These tests commit (``transaction=True``): the data version that tells "changed" from "unchanged" moves
when a write commits, which a test wrapped in a rolled-back transaction never does.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from peyvand.imports import engine, services
from peyvand.imports.models import ImportBatch
from peyvand.units.models import ProductionUnit

from .factories import EstateFactory, UnitFactory
from .people import make_member

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "\r\n".join(
    [
        "نام واحد,شناسه ملی,شهرک,وضعیت,تاریخ",
        "ریسندگی نو,10320000001,سپیدرود,فعال,1400/01/01",
        "بافندگی نو,10320000002,سپیدرود,فعال,1400/01/01",
    ]
).encode()


@pytest.fixture(autouse=True)
def _reference(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sepidrud(company_a):
    from peyvand.estates.models import County

    return EstateFactory(
        company=company_a, name="شهرک صنعتی سپیدرود", code="sepidrud", county=County.objects.get(code="rasht")
    )


def _checked(user) -> ImportBatch:
    batch = services.create_batch("units", CSV, "واحدها.csv", user=user, language="en")
    sheet = services.batch_sheet(batch)
    services.set_mapping(
        batch, 0, engine.guess_mapping(engine.get_importer("units"), sheet.rows[0]), user=user
    )
    outcome = services.check(batch, user)
    assert outcome.counts["created"] == 2
    return batch


def _apply(batch, user) -> tuple[engine.Outcome, list[str]]:
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        outcome = services.apply(batch, user, "valid")
    return outcome, [query["sql"] for query in queries.captured_queries]


def _read_the_registry(statements: list[str]) -> bool:
    """Whether the statements include the check's reading of the estates (to read the sheet's names)."""
    return any(sql.startswith("SELECT") and 'FROM "estates_industrialestate"' in sql for sql in statements)


def test_the_apply_writes_what_the_check_planned_without_reading_the_registry_again(sepidrud, manager):
    batch = _checked(manager)
    outcome, statements = _apply(batch, manager)
    assert outcome.applied
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert not _read_the_registry(statements)
    assert set(ProductionUnit.objects.values_list("name", flat=True)) == {"ریسندگی نو", "بافندگی نو"}


def test_a_unit_registered_between_the_check_and_the_apply_is_updated_not_duplicated(sepidrud, manager):
    batch = _checked(manager)
    # Someone registers one of the sheet's units while the user reads the dry run.
    UnitFactory(estate=sepidrud, name="ریسندگی قدیم", national_id="10320000001", status="operating")
    outcome, statements = _apply(batch, manager)
    assert _read_the_registry(statements)  # checked again
    assert outcome.applied
    assert (outcome.counts["created"], outcome.counts["updated"]) == (1, 1)
    assert ProductionUnit.objects.filter(national_id="10320000001").count() == 1
    assert ProductionUnit.objects.get(national_id="10320000001").name == "ریسندگی نو"


def test_a_fresh_batch_object_applies_the_check_kept_for_it(sepidrud, manager):
    """A page applies in another request (or the job in another process) than its dry run: its batch is
    read afresh from the database, and the check kept for it in the cache is written without a second."""
    batch = _checked(manager)
    outcome, statements = _apply(ImportBatch.objects.get(pk=batch.pk), manager)
    assert outcome.applied
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert not _read_the_registry(statements)
    assert set(ProductionUnit.objects.values_list("name", flat=True)) == {"ریسندگی نو", "بافندگی نو"}
    assert cache.get(f"peyvand:import-check:{batch.pk}") is None  # taken once


def test_a_fresh_batch_object_checks_again_after_a_change(sepidrud, manager):
    batch = _checked(manager)
    UnitFactory(estate=sepidrud, name="ریسندگی قدیم", national_id="10320000001", status="operating")
    outcome, statements = _apply(ImportBatch.objects.get(pk=batch.pk), manager)
    assert _read_the_registry(statements)
    assert (outcome.counts["created"], outcome.counts["updated"]) == (1, 1)
    assert ProductionUnit.objects.filter(national_id="10320000001").count() == 1


def test_a_row_that_became_a_conflict_since_the_check_is_refused(sepidrud, manager):
    """The sheet's unit got its national ID on one stored unit and its licence number on another
    between the dry run and the page's apply: the kept check is not written, the row is refused."""
    sheet = "\r\n".join(
        [
            "نام واحد,شناسه ملی,شماره پروانه,شهرک,وضعیت,تاریخ",
            "ریسندگی نو,10320000001,55/123,سپیدرود,فعال,1400/01/01",
            "بافندگی نو,10320000002,55/124,سپیدرود,فعال,1400/01/01",
        ]
    ).encode()
    batch = services.create_batch("units", sheet, "واحدها.csv", user=manager, language="en")
    read = services.batch_sheet(batch)
    services.set_mapping(
        batch, 0, engine.guess_mapping(engine.get_importer("units"), read.rows[0]), user=manager
    )
    assert services.check(batch, manager).counts["created"] == 2
    UnitFactory(estate=sepidrud, name="ریسندگی یک", national_id="10320000001")
    UnitFactory(estate=sepidrud, name="ریسندگی دو", licence_number="55/123")
    outcome, _statements = _apply(ImportBatch.objects.get(pk=batch.pk), manager)
    assert outcome.applied
    assert (outcome.counts["created"], outcome.counts["rejected"]) == (1, 1)
    assert not ProductionUnit.objects.filter(name="ریسندگی نو").exists()


def test_another_user_applying_checks_again(sepidrud, manager, company_a):
    """The kept check holds what its user may do: another user's apply checks every row for them."""
    batch = _checked(manager)
    colleague = make_member(company_a, "manager", "manager_a2")
    outcome, statements = _apply(ImportBatch.objects.get(pk=batch.pk), colleague)
    assert outcome.applied
    assert _read_the_registry(statements)


def test_a_check_that_cannot_be_kept_is_made_again(sepidrud, manager, monkeypatch):
    """An importer whose state does not pickle (a function made on the fly): checked again."""
    from peyvand.units.importers.units import UnitImporter

    prepare = UnitImporter.prepare

    def prepare_with_a_local_function(self, rows):
        prepare(self, rows)
        self.local = lambda: None

    monkeypatch.setattr(UnitImporter, "prepare", prepare_with_a_local_function)
    batch = _checked(manager)
    outcome, statements = _apply(ImportBatch.objects.get(pk=batch.pk), manager)
    assert outcome.applied
    assert outcome.counts["created"] == 2
    assert _read_the_registry(statements)


def test_the_command_keeps_no_check_for_another_process(sepidrud, manager, tmp_path):
    """``import_data`` applies on its own batch object, or never: it does not fill the cache with it."""
    from django.core.management import call_command

    path = tmp_path / "units.csv"
    path.write_bytes(CSV)
    call_command(
        "import_data", "units", str(path), "--user", manager.username, "--lang", "en", stdout=StringIO()
    )
    batch = ImportBatch.objects.latest("pk")
    assert cache.get(f"peyvand:import-check:{batch.pk}") is None


def test_only_the_latest_checks_are_kept(sepidrud, manager):
    """A dry run never applied does not stay in the cache for ever: the latest few are kept, and an
    older batch's apply checks every row again."""
    from peyvand.imports import kept_checks

    batches = [_checked(manager) for _n in range(kept_checks.KEPT_AT_MOST + 1)]
    assert cache.get(f"peyvand:import-check:{batches[0].pk}") is None
    assert all(cache.get(f"peyvand:import-check:{batch.pk}") for batch in batches[1:])
    outcome, statements = _apply(ImportBatch.objects.get(pk=batches[0].pk), manager)
    assert outcome.applied
    assert _read_the_registry(statements)
