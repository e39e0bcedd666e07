"""The certifications Iranian registries list beside the first ten: management-system standards
(ISO 13485, 50001, ISO/IEC 17025, 27001, 10002, OHSAS 18001, HSE), the Food and Drug Organization's
health licence and IRC code, the healthy-choice logo, the energy label, FSSC 22000, BRCGS — and
"other", under which a certification the registry does not know is kept, unverified, as written."""

from django.db import migrations

from peyvand.matching.text import fold, sort_key

CERTIFICATIONS = [
    ("iso_13485", "ایزو ۱۳۴۸۵", "ISO 13485"),
    ("iso_50001", "ایزو ۵۰۰۰۱", "ISO 50001"),
    ("iso_17025", "ایزو/آی‌ای‌سی ۱۷۰۲۵", "ISO/IEC 17025"),
    ("iso_27001", "ایزو/آی‌ای‌سی ۲۷۰۰۱", "ISO/IEC 27001"),
    ("iso_10002", "ایزو ۱۰۰۰۲", "ISO 10002"),
    ("ohsas_18001", "OHSAS 18001", "OHSAS 18001"),
    ("hse", "نظام مدیریت HSE", "HSE management system"),
    ("fssc_22000", "FSSC 22000", "FSSC 22000"),
    ("brcgs", "BRCGS", "BRCGS"),
    ("health_licence", "پروانه بهداشت", "Health licence (Iran FDA)"),
    ("irc", "کد IRC", "IRC code (Iran FDA)"),
    ("health_logo", "نشان سیب سلامت", "Healthy-choice logo (Iran FDA)"),
    ("energy_label", "برچسب انرژی", "Energy label"),
    ("other", "سایر (تأییدنشده)", "Other (unverified)"),
]


def load(apps, schema_editor):
    Certification = apps.get_model("units", "Certification")
    for code, name_fa, name_en in CERTIFICATIONS:
        Certification.objects.update_or_create(
            code=code,
            defaults={
                "name": name_fa,
                "name_en": name_en,
                "sort_name": sort_key(name_fa),
                "search_name": fold(f"{name_fa} {name_en}"),
            },
        )


def unload(apps, schema_editor):
    apps.get_model("units", "Certification").objects.filter(
        code__in=[code for code, _fa, _en in CERTIFICATIONS], holdings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0004_certificates_held_with_numbers")]
    operations = [migrations.RunPython(load, unload)]
