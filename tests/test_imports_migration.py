"""Imports moved out of ``core`` into their own app: a database made before the move migrates with its
batches, saved mappings, and everything that points at them (content types, audit trail, timeline,
queued jobs) intact — no table is dropped or copied."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string

BEFORE = [("core", "0002_add_import_batches"), ("imports", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest(transactional_db):
    yield
    _migrate(_latest())  # whatever happened, the next tests find the current schema


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_a_database_from_before_the_move_keeps_its_batches_and_what_points_at_them(company_a, manager):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult

    from peyvand.core.models import Event
    from peyvand.imports.jobs import run_import
    from peyvand.imports.models import ImportBatch, ImportMapping

    old_apps = _migrate(BEFORE)
    # The schema as main had it: the models belong to ``core``, and so do their content types.
    OldMapping = old_apps.get_model("core", "ImportMapping")
    OldBatch = old_apps.get_model("core", "ImportBatch")
    mapping = OldMapping.objects.create(
        name="سامانه استان", kind="units", company_id=company_a.pk, columns={"نام واحد": "name"}
    )
    batch = OldBatch.objects.create(
        kind="units",
        company_id=company_a.pk,
        original_name="واحدها.xlsx",
        size=1234,
        mapping={"0": "name"},
        mapping_template_id=mapping.pk,
        state="applied",
        counts={"created": 3},
        created_by_id=manager.pk,
    )
    # (Migrating back relabelled the content type to ``core``, as it was before the move.)
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="imports").exists()
    old_type = ContentType.objects.get(app_label="core", model="importbatch")
    event = Event.objects.create(content_type=old_type, object_id=str(batch.pk), code="imports.applied")
    entry = LogEntry.objects.create(
        content_type=old_type, object_pk=str(batch.pk), object_repr="#1", action=LogEntry.Action.CREATE
    )
    job = DBTaskResult.objects.create(
        task_path="peyvand.core.jobs.run_import",
        args_kwargs={"args": [batch.pk, "check"], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )

    _migrate(_latest())
    ContentType.objects.clear_cache()

    moved = ImportBatch.objects.get(pk=batch.pk)
    assert (moved.original_name, moved.size, moved.state, moved.counts) == (
        "واحدها.xlsx",
        1234,
        "applied",
        {"created": 3},
    )
    assert moved.mapping_template == ImportMapping.objects.get(name="سامانه استان")
    assert moved.company == company_a
    assert moved.created_by == manager
    # The same content type row, relabelled: the timeline and the audit trail still find the batch.
    new_type = ContentType.objects.get_for_model(ImportBatch)
    assert new_type.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="core", model="importbatch").exists()
    assert Event.objects.get(pk=event.pk).subject == moved
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == new_type.pk
    # A check queued before the upgrade runs the job where it now lives.
    job.refresh_from_db()
    assert job.task_path == "peyvand.imports.jobs.run_import"
    assert import_string(job.task_path) is run_import
    # Still the old tables: nothing was copied.
    assert ImportBatch._meta.db_table == "core_importbatch"
    assert "core_importbatch" in connection.introspection.table_names()
