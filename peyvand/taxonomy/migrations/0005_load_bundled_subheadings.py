"""Load the HS subheadings the project now ships (the province's main exports, the demo's export records)."""

from django.db import migrations


def load(apps, schema_editor):
    from peyvand.taxonomy.loaders import load_bundled

    load_bundled(model=apps.get_model("taxonomy", "Classification"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0004_load_capabilities")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
