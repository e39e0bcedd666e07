"""Load the capability thesaurus of the matching engine (a fresh install has every capability)."""

from django.db import migrations


def load(apps, schema_editor):
    from peyvand.taxonomy.loaders import load_capabilities

    load_capabilities(model=apps.get_model("taxonomy", "Capability"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_add_capabilities")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
