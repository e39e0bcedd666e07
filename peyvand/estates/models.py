"""Provinces, counties, industrial estates and zones, and their plots."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import limits
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import NamedModel
from peyvand.core.permissions import Gate

from .choices import EstateKind, PlotState, Readiness


class Province(NamedModel):
    """A province (the data starts with Gilan; others can be added)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["sort_name"]


class County(NamedModel):
    """A county (شهرستان) of a province."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name=_("province")
    )
    # Loaded from OpenStreetMap's boundaries (ODbL) by ``manage.py load_county_boundaries``.
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON geometry (longitude, latitude), simplified"),
    )
    label_point = models.JSONField(
        _("point inside the county"), null=True, blank=True, help_text=_("[longitude, latitude]")
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["sort_name"]

    @property
    def inside_point(self) -> tuple[float, float] | None:
        """(longitude, latitude) of a point inside the boundary: where an estate without coordinates is
        drawn."""
        if not self.label_point:
            return None
        lon, lat = self.label_point
        return float(lon), float(lat)


class EstateQuerySet(models.QuerySet):
    def with_figures(self) -> EstateQuerySet:
        """Plot counts and allocated area computed from the plots behind them.

        Each figure is its own subquery: summed over a join with the estate's units (the list also
        counts them), a plot's area would count once per unit.
        """

        def over_plots(aggregate: Any, **condition: Any) -> Subquery:
            plots = Plot.objects.filter(estate=OuterRef("pk"), **condition).order_by().values("estate")
            return Subquery(plots.annotate(value=aggregate).values("value")[:1])

        return self.annotate(
            plot_count=Coalesce(over_plots(Count("pk")), 0),
            free_plot_count=Coalesce(over_plots(Count("pk"), state=PlotState.FREE), 0),
            allocated_area_m2=over_plots(Sum("area_m2"), state=PlotState.ALLOCATED),
        )


class IndustrialEstate(AuditedMixin, NamedModel):
    """An industrial estate (شهرک صنعتی) or zone (ناحیه صنعتی) run by an estate company."""

    gate = Gate(kind="estate", company=("company",), public=Q(pk__isnull=False))

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EstateKind.choices, default=EstateKind.ESTATE)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="estates", verbose_name=_("county")
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="estates",
        limit_choices_to={"kind": "estate_company"},
        verbose_name=_("estate company"),
    )
    total_area_ha = models.DecimalField(
        _("total area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_AREA_HA)],
    )
    industrial_area_ha = models.DecimalField(
        _("industrial area (ha)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_AREA_HA)],
    )
    water = models.CharField(_("water"), max_length=10, choices=Readiness.choices, default=Readiness.NONE)
    power = models.CharField(_("power"), max_length=10, choices=Readiness.choices, default=Readiness.NONE)
    gas = models.CharField(_("gas"), max_length=10, choices=Readiness.choices, default=Readiness.NONE)
    telecom = models.CharField(_("telecom"), max_length=10, choices=Readiness.choices, default=Readiness.NONE)
    wastewater = models.CharField(
        _("wastewater network"), max_length=10, choices=Readiness.choices, default=Readiness.NONE
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[limits.NumberRange(-90, 90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[limits.NumberRange(-180, 180)],
    )
    description = models.TextField(
        _("description"), blank=True, max_length=limits.TEXT_LENGTH, validators=limits.text_length()
    )

    objects = EstateQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial estate")
        verbose_name_plural = _("industrial estates")
        ordering = ["sort_name"]
        indexes = [models.Index(fields=["company", "sort_name"], name="estate_company_sort_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(industrial_area_ha__isnull=True)
                | Q(total_area_ha__isnull=True)
                | Q(industrial_area_ha__lte=models.F("total_area_ha")),
                name="estate_industrial_within_total",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("estates:detail", args=[self.pk])

    def utilities(self) -> list[tuple[str, str, Readiness]]:
        """(field, label, readiness) of each utility network, in display order."""
        return [
            (name, self._meta.get_field(name).verbose_name, Readiness(getattr(self, name)))
            for name in ("water", "power", "gas", "telecom", "wastewater")
        ]


class Plot(AuditedMixin, models.Model):
    """A plot of land in an estate; construction and operation belong to the unit on it."""

    gate = Gate(kind="plot", company=("estate__company",))

    estate = models.ForeignKey(
        IndustrialEstate, on_delete=models.CASCADE, related_name="plots", verbose_name=_("estate")
    )
    number = models.CharField(_("plot number"), max_length=20)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=12,
        decimal_places=2,
        validators=[limits.NumberRange(0, limits.MAX_AREA_M2)],
    )
    zone = models.CharField(_("zone"), max_length=60, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PlotState.choices, default=PlotState.FREE, db_index=True
    )

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["estate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "number"], name="plot_unique_number_in_estate"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="plot_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.estate} — {self.number}"


register_audited(Province, IndustrialEstate, Plot)
register_audited(County, exclude=("boundary", "label_point"))  # geometry is reloaded, not edited
