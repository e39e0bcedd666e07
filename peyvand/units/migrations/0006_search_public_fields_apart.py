"""Anonymous search reads public fields only: the legal name, national ID and licence number move from
``search_text`` to ``private_search_text`` (staff search both)."""

from django.db import migrations, models


def split_search_text(apps, schema_editor):
    from peyvand.matching.text import fold

    ProductionUnit = apps.get_model("units", "ProductionUnit")
    Product = apps.get_model("units", "Product")
    products: dict[int, list[str]] = {}
    for unit_id, name, name_en in Product.objects.values_list("unit_id", "name", "name_en").iterator():
        products.setdefault(unit_id, []).extend(part for part in (name, name_en) if part)
    batch = []
    for unit in ProductionUnit.objects.only(
        "name", "name_en", "description", "description_en", "legal_name", "national_id", "licence_number"
    ).iterator():
        public = [unit.name, unit.name_en, unit.description, unit.description_en, *products.get(unit.pk, [])]
        private = [unit.legal_name, unit.national_id, unit.licence_number]
        unit.search_text = fold(" ".join(part for part in public if part))
        unit.private_search_text = fold(" ".join(part for part in private if part))
        batch.append(unit)
        if len(batch) >= 500:
            ProductionUnit.objects.bulk_update(batch, ["search_text", "private_search_text"])
            batch = []
    ProductionUnit.objects.bulk_update(batch, ["search_text", "private_search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0005_load_more_certifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="productionunit",
            name="private_search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text of non-public fields"
            ),
        ),
        migrations.RunPython(split_search_text, migrations.RunPython.noop),
    ]
