"""The import batches and saved mappings, taken over from ``core`` with their tables and rows.

State only for the tables (``core.0003`` dropped the models from core's state, no table is touched);
the content types are relabelled ``core`` → ``imports`` so that the audit trail, the timeline events
and the permissions that point at them keep pointing at them; jobs still queued under the old task
path are pointed at the new one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("importbatch", "importmapping")
OLD_TASK, NEW_TASK = "peyvand.core.jobs.run_import", "peyvand.imports.jobs.run_import"


def relabel_content_types(apps, schema_editor, old="core", new="imports"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="imports", new="core")


def repoint_queued_jobs(apps, schema_editor, old=OLD_TASK, new=NEW_TASK):
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    Task.objects.using(schema_editor.connection.alias).filter(task_path=old).update(task_path=new)


def repoint_back(apps, schema_editor):
    repoint_queued_jobs(apps, schema_editor, old=NEW_TASK, new=OLD_TASK)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_add_serving_company"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_move_imports_to_their_app"),
        ("django_tasks_database", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('kind', models.CharField(max_length=40, verbose_name='kind of data')),
                        ('columns', models.JSONField(default=dict, help_text='folded header text → field', verbose_name='columns')),
                        ('header_row', models.PositiveIntegerField(blank=True, null=True, verbose_name='header row')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='saved')),
                        ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='import_mappings', to='accounts.organisation', verbose_name='estate company')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saved by')),
                    ],
                    options={
                        'verbose_name': 'column mapping',
                        'verbose_name_plural': 'column mappings',
                        'ordering': ['kind', 'name'],
                        'db_table': 'core_importmapping',
                    },
                ),
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(db_index=True, max_length=40, verbose_name='kind of data')),
                        ('file', models.FileField(blank=True, upload_to='imports/%Y/%m/', verbose_name='file')),
                        ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('size', models.PositiveBigIntegerField(default=0, verbose_name='size (bytes)')),
                        ('sheet', models.CharField(blank=True, max_length=100, verbose_name='sheet')),
                        ('header_row', models.PositiveIntegerField(blank=True, null=True, verbose_name='header row')),
                        ('mapping', models.JSONField(blank=True, default=dict, verbose_name='column mapping')),
                        ('state', models.CharField(choices=[('uploaded', 'uploaded'), ('checking', 'dry run in progress'), ('checked', 'dry run done'), ('applying', 'being applied'), ('applied', 'applied'), ('failed', 'failed')], db_index=True, default='uploaded', max_length=12, verbose_name='state')),
                        ('mode', models.CharField(blank=True, choices=[('all', 'all or nothing'), ('valid', 'the valid rows only')], max_length=8, verbose_name='apply mode')),
                        ('language', models.CharField(default='fa', max_length=5, verbose_name='language of messages')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('processed_rows', models.PositiveIntegerField(default=0, verbose_name='rows processed')),
                        ('counts', models.JSONField(blank=True, default=dict, verbose_name='counts')),
                        ('results', models.JSONField(blank=True, default=dict, verbose_name='results')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='background job')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='uploaded')),
                        ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='dry run at')),
                        ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied at')),
                        ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_batches', to='accounts.organisation', verbose_name='estate company')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('mapping_template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='batches', to='imports.importmapping', verbose_name='saved mapping')),
                    ],
                    options={
                        'verbose_name': 'import batch',
                        'verbose_name_plural': 'import batches',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'core_importbatch',
                    },
                ),
                migrations.AddConstraint(
                    model_name='importmapping',
                    constraint=models.UniqueConstraint(fields=('company', 'kind', 'name'), name='import_mapping_unique_name'),
                ),
                migrations.AddIndex(
                    model_name='importbatch',
                    index=models.Index(fields=['company', '-created_at'], name='importbatch_company_idx'),
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
        migrations.RunPython(repoint_queued_jobs, repoint_back),
    ]
