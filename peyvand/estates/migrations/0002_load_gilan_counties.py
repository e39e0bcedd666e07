"""Gilan and its 17 counties (data, not code: estates/data/counties.csv; other provinces can be added)."""

import csv
from pathlib import Path

from django.db import migrations

from peyvand.matching.text import fold, sort_key

PROVINCES = {"gilan": ("گیلان", "Gilan")}


def load(apps, schema_editor):
    Province = apps.get_model("estates", "Province")
    County = apps.get_model("estates", "County")
    path = Path(__file__).resolve().parent.parent / "data" / "counties.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name_fa, name_en = PROVINCES[row["province"]]
            province, _ = Province.objects.get_or_create(
                code=row["province"],
                defaults={"name": name_fa, "name_en": name_en, "sort_name": sort_key(name_fa), "search_name": fold(f"{name_fa} {name_en}")},
            )
            County.objects.update_or_create(
                code=row["code"],
                defaults={
                    "province": province,
                    "name": row["name_fa"],
                    "name_en": row["name_en"],
                    "sort_name": sort_key(row["name_fa"]),
                    "search_name": fold(f"{row['name_fa']} {row['name_en']}"),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("estates", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
