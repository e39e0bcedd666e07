"""The certificates units commonly hold (codes as in VOCABULARY.md and the matching benchmark)."""

from django.db import migrations

from peyvand.matching.text import fold, sort_key

CERTIFICATIONS = [
    ("iso_9001", "ایزو ۹۰۰۱", "ISO 9001"),
    ("iso_14001", "ایزو ۱۴۰۰۱", "ISO 14001"),
    ("iso_22000", "ایزو ۲۲۰۰۰", "ISO 22000"),
    ("iso_45001", "ایزو ۴۵۰۰۱", "ISO 45001"),
    ("haccp", "HACCP", "HACCP"),
    ("iatf_16949", "IATF 16949", "IATF 16949"),
    ("ce", "نشان CE", "CE"),
    ("inso", "نشان استاندارد", "Iranian national standard mark"),
    ("halal", "گواهی حلال", "Halal"),
    ("gmp", "GMP", "GMP"),
]


def load(apps, schema_editor):
    Certification = apps.get_model("units", "Certification")
    for code, name_fa, name_en in CERTIFICATIONS:
        Certification.objects.update_or_create(
            code=code,
            defaults={"name": name_fa, "name_en": name_en, "sort_name": sort_key(name_fa), "search_name": fold(f"{name_fa} {name_en}")},
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
