"""Exports and value chains: export records (a unit's direct exports, a large buyer's exports that end the
value chains) and the inputs large buyers declare they buy outside the province."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import CreatedByMixin
from peyvand.core.permissions import Gate
from peyvand.matching.text import fold
from peyvand.sourcing.models import SourcingRequest
from peyvand.units.models import ProductionUnit

from . import countries
from .choices import ExportSource, InputOrigin

HS6 = RegexValidator(r"^\d{6}$", _("An HS code has six digits (a subheading of HS 2022)."))
TARIFF_LINE = RegexValidator(r"^\d{8}$", _("A national tariff line has eight digits."))
JALALI_YEARS = (MinValueValidator(1300), MaxValueValidator(1500))
MONTHS = (MinValueValidator(1), MaxValueValidator(12))


class ExportRecord(CreatedByMixin, AuditedMixin, models.Model):
    """One month's exports of one product to one country, by a unit (direct exports) or by a large buyer.

    A buyer's records say where its products go, so that the value chains (unit → buyer → destination)
    and indirect exports by destination can be drawn; they are never counted as the units' exports.
    """

    gate = Gate(
        kind="export_record",
        company=("company",),
        owner={"production_unit": ("unit__organisation",), "buyer": ("buyer",)},
    )
    history_parent_field = "unit_id"

    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "estate_company"},
        verbose_name=_("estate company"),
        editable=False,
    )
    unit = models.ForeignKey(
        ProductionUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_records",
        verbose_name=_("unit"),
    )
    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_records",
        limit_choices_to={"kind": "buyer"},
        verbose_name=_("large buyer"),
    )
    product = models.CharField(_("product"), max_length=200)
    hs_code = models.CharField(_("HS code"), max_length=6, validators=[HS6], db_index=True)
    tariff_line = models.CharField(
        _("national tariff line"), max_length=8, blank=True, validators=[TARIFF_LINE]
    )
    destination = models.CharField(_("destination country"), max_length=2)
    value_usd = models.PositiveBigIntegerField(_("value (US dollars)"), validators=[MinValueValidator(1)])
    value_rial = models.PositiveBigIntegerField(_("value (rial)"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2, null=True, blank=True)
    quantity_unit = models.CharField(_("unit of quantity"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("Jalali year"), validators=list(JALALI_YEARS))
    month = models.PositiveSmallIntegerField(_("Jalali month"), validators=list(MONTHS))
    period_start = models.DateField(_("first day of the month"), editable=False)
    source = models.CharField(_("source"), max_length=16, choices=ExportSource.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-period_start", "-id"]
        indexes = [
            # a company's records in the lists' order (period, then id: ties broken in the index, not sorted)
            models.Index(fields=["company", "period_start", "id"], name="export_company_period_id_idx"),
            models.Index(fields=["unit", "period_start"], name="export_unit_period_idx"),
            models.Index(fields=["buyer", "period_start"], name="export_buyer_period_idx"),
            models.Index(fields=["destination", "period_start"], name="export_destination_period_idx"),
            models.Index(fields=["year", "month"], name="export_year_month_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(buyer__isnull=True))
                | (Q(unit__isnull=True) & Q(buyer__isnull=False)),
                name="export_one_exporter",
            ),
            models.CheckConstraint(condition=Q(value_usd__gt=0), name="export_value_positive"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="export_month_range"),
            models.CheckConstraint(condition=Q(year__gte=1300) & Q(year__lte=1500), name="export_year_range"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="export_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exporter} → {self.destination} {self.year}/{self.month:02d}: {self.product}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.product} {self.hs_code} {self.tariff_line}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("trade:export_detail", args=[self.pk])

    @property
    def exporter(self) -> ProductionUnit | Organisation | None:
        return self.unit if self.unit_id else self.buyer

    @property
    def chapter(self) -> str:
        return self.hs_code[:2]

    def destination_name(self) -> str:
        return countries.name(self.destination)


class BuyerInput(CreatedByMixin, AuditedMixin, models.Model):
    """Something a large buyer of the province buys every year — with its HS code, yearly quantity and
    value, and where it comes from today. Bought outside the province, it is a local-sourcing opportunity."""

    gate = Gate(kind="buyer_input", company=("company",), owner={"buyer": ("buyer",)})

    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("estate company"),
        editable=False,
    )
    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="declared_inputs",
        limit_choices_to={"kind": "buyer"},
        verbose_name=_("large buyer"),
    )
    name = models.CharField(_("input"), max_length=200)
    description = models.TextField(_("specification"), max_length=3000, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=6, blank=True, validators=[HS6], db_index=True)
    yearly_quantity = models.DecimalField(
        _("yearly quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    quantity_unit = models.CharField(_("unit of quantity"), max_length=30, blank=True)
    yearly_value_rial = models.PositiveBigIntegerField(_("yearly value (rial)"), null=True, blank=True)
    origin = models.CharField(_("bought from"), max_length=16, choices=InputOrigin.choices, db_index=True)
    request = models.ForeignKey(
        SourcingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buyer_inputs",
        verbose_name=_("sourcing request opened for it"),
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("declared input")
        verbose_name_plural = _("declared inputs")
        ordering = ["-yearly_value_rial", "name"]
        indexes = [
            models.Index(fields=["company", "origin", "-yearly_value_rial"], name="input_company_origin_idx"),
            models.Index(fields=["buyer", "origin"], name="input_buyer_origin_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(yearly_quantity__isnull=True) | Q(yearly_quantity__gt=0),
                name="input_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("trade:input_detail", args=[self.pk])


register_audited(ExportRecord, BuyerInput)
