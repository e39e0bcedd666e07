"""Load the project's own ISIC Rev.4 and HS 2022 lists, so a fresh install validates without ../shared."""

from django.db import migrations


def load(apps, schema_editor):
    from peyvand.taxonomy.loaders import load_bundled

    load_bundled(model=apps.get_model("taxonomy", "Classification"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
