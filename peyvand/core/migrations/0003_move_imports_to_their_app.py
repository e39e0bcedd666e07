"""The import batches and saved mappings moved to the ``imports`` app.

State only: their tables (``core_importbatch``, ``core_importmapping``) and rows stay where they are;
``imports.0001_initial`` takes the models over with the same tables.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_add_import_batches"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ImportBatch"),
                migrations.DeleteModel(name="ImportMapping"),
            ],
            database_operations=[],
        ),
    ]
