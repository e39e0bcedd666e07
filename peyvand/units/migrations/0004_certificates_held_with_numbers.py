"""A unit's certifications get their own table (``UnitCertification``): the number that goes with each
one and, for a certification the registry does not know, the name as written. The links move over."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    ProductionUnit = apps.get_model("units", "ProductionUnit")
    UnitCertification = apps.get_model("units", "UnitCertification")
    links = ProductionUnit.certifications.through.objects.values_list("productionunit_id", "certification_id")
    UnitCertification.objects.bulk_create(
        [UnitCertification(productionunit_id=unit, certification_id=cert) for unit, cert in links.iterator()],
        batch_size=2000,
    )


def copy_back(apps, schema_editor):
    ProductionUnit = apps.get_model("units", "ProductionUnit")
    UnitCertification = apps.get_model("units", "UnitCertification")
    Through = ProductionUnit.certifications.through
    Through.objects.bulk_create(
        [
            Through(productionunit_id=unit, certification_id=cert)
            for unit, cert in UnitCertification.objects.values_list("productionunit_id", "certification_id")
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("units", "0003_add_unit_capabilities")]

    operations = [
        migrations.CreateModel(
            name="UnitCertification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="standard, certificate or licence number",
                        max_length=60,
                        verbose_name="number",
                    ),
                ),
                ("as_written", models.CharField(blank=True, max_length=200, verbose_name="as written")),
                (
                    "certification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="holdings",
                        to="units.certification",
                        verbose_name="certification",
                    ),
                ),
                (
                    "productionunit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certificates",
                        to="units.productionunit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={"verbose_name": "certificate held", "verbose_name_plural": "certificates held"},
        ),
        migrations.AddConstraint(
            model_name="unitcertification",
            constraint=models.UniqueConstraint(
                fields=("productionunit", "certification", "as_written"), name="unit_certification_unique"
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="productionunit", name="certifications"),
                migrations.AddField(
                    model_name="productionunit",
                    name="certifications",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="units",
                        through="units.UnitCertification",
                        to="units.certification",
                        verbose_name="certifications",
                    ),
                ),
            ],
            # The old link table goes; its rows were copied above.
            database_operations=[migrations.RemoveField(model_name="productionunit", name="certifications")],
        ),
    ]
