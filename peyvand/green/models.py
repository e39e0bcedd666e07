"""Green estates: treatment plants and their progress, units' sewer connection and effluent compliance,
and industrial symbiosis (haves and wants of by-products, brokered exchanges)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.jalali import to_jalali
from peyvand.core.kpis import jalali_year_bounds
from peyvand.core.models import CreatedByMixin, NamedModel
from peyvand.core.permissions import Gate
from peyvand.estates.models import IndustrialEstate
from peyvand.units.models import ProductionUnit

from .choices import (
    BEFORE_OPENING,
    DIVERTING_STAGES,
    CaseState,
    Direction,
    Funding,
    Material,
    MaterialForm,
    Parameter,
    PlantStage,
    ReceivingBody,
    SymbiosisStage,
    Technology,
)

_UNIT_COMPANY = ("unit__estate__company",)
_UNIT_OWNER = ("unit__organisation",)


class PlantQuerySet(models.QuerySet):
    def in_stage(self, stages: Iterable[str], on: dt.date | None = None) -> PlantQuerySet:
        """Plants whose stage was one of ``stages`` on ``on`` (today when not given): the ``to`` of their
        last stage change dated on or before it — the same history that keeps ``stage``."""
        stages = list(stages)
        if on is None or on >= timezone.localdate():
            return self.filter(stage__in=stages)
        last = PlantStageChange.objects.filter(plant=OuterRef("pk"), date__lte=on).order_by("-date", "-id")
        return self.alias(stage_on=Subquery(last.values("to_stage")[:1])).filter(stage_on__in=stages)

    def due_by_year_end(self, on: dt.date | None = None) -> PlantQuerySet:
        """Plants not yet open on ``on`` whose planned opening falls on or before the end of that Jalali
        year (late plants included: they are still due)."""
        on = on or timezone.localdate()
        year_end = jalali_year_bounds(to_jalali(on).year)[1]
        return self.in_stage(BEFORE_OPENING, on).filter(planned_opening__lte=year_end)


class TreatmentPlant(AuditedMixin, NamedModel):
    """A wastewater treatment plant serving one or more estates (estates may share one).

    ``stage`` and ``stage_since`` follow the dated ``PlantStageChange`` history (``services.move_plant``);
    ``progress_percent`` and ``inflow_m3_day`` the latest ``ProgressReport``.
    """

    gate = Gate(kind="treatment_plant", company=("company",))

    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="treatment_plants",
        limit_choices_to={"kind": "estate_company"},
        verbose_name=_("estate company"),
    )
    estates = models.ManyToManyField(
        IndustrialEstate, related_name="treatment_plants", verbose_name=_("estates served")
    )
    capacity_m3_day = models.PositiveIntegerField(
        _("capacity (m³/day)"), validators=[MinValueValidator(1), MaxValueValidator(500_000)]
    )
    technology = models.CharField(_("technology"), max_length=20, choices=Technology.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=PlantStage.choices, default=PlantStage.PLANNED, db_index=True
    )
    stage_since = models.DateField(_("stage since"), null=True, editable=False)
    progress_percent = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    planned_opening = models.DateField(_("planned opening"), null=True, blank=True, db_index=True)
    actual_opening = models.DateField(_("actual opening"), null=True, blank=True, editable=False)
    cost_rial = models.BigIntegerField(
        _("cost (rial)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    funding = models.CharField(_("funding"), max_length=12, choices=Funding.choices, blank=True)
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    inflow_m3_day = models.DecimalField(
        _("inflow measured (m³/day)"), max_digits=10, decimal_places=1, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlantQuerySet.as_manager()

    class Meta:
        verbose_name = _("treatment plant")
        verbose_name_plural = _("treatment plants")
        ordering = ["planned_opening", "sort_name"]
        indexes = [models.Index(fields=["company", "stage"], name="plant_company_stage_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="plant_progress_percent"),
            models.CheckConstraint(condition=Q(capacity_m3_day__gt=0), name="plant_capacity_positive"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("green:plant_detail", args=[self.pk])


class PlantStageChange(AuditedMixin, models.Model):
    """One dated move of a plant between stages (the plant's stage on any date comes from these)."""

    history_parent_field = "plant_id"

    plant = models.ForeignKey(
        TreatmentPlant, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("plant")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=PlantStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=PlantStage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("plant stage change")
        verbose_name_plural = _("plant stage changes")
        ordering = ["plant", "date", "id"]
        indexes = [models.Index(fields=["plant", "date"], name="plantstage_plant_date_idx")]

    def __str__(self) -> str:
        return f"{self.plant_id}: {self.from_stage or '—'} → {self.to_stage} ({self.date})"


def progress_photo_path(instance: ProgressReport, filename: str) -> str:
    return f"green/plants/{instance.plant_id}/{filename}"


class ProgressReport(AuditedMixin, models.Model):
    """A dated report of a plant's physical progress (with an optional photo and the inflow measured)."""

    gate = Gate(kind="treatment_plant", company=("plant__company",))
    history_parent_field = "plant_id"

    plant = models.ForeignKey(
        TreatmentPlant, on_delete=models.CASCADE, related_name="reports", verbose_name=_("plant")
    )
    date = models.DateField(_("report date"))
    percent = models.PositiveSmallIntegerField(
        _("physical progress (%)"), validators=[MaxValueValidator(100)]
    )
    inflow_m3_day = models.DecimalField(
        _("inflow measured (m³/day)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    photo = models.FileField(_("photo"), upload_to=progress_photo_path, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plant", "-date"], name="progress_plant_date_idx")]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_range")]

    def __str__(self) -> str:
        return f"{self.plant} {self.date}: {self.percent}%"


class DischargeLimit(AuditedMixin, models.Model):
    """The limit an estate company sets for one parameter of effluent discharged to one receiving body."""

    gate = Gate(kind="discharge_limit", company=("company",))

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="discharge_limits",
        verbose_name=_("estate company"),
    )
    receiving_body = models.CharField(_("receiving body"), max_length=16, choices=ReceivingBody.choices)
    parameter = models.CharField(_("parameter"), max_length=12, choices=Parameter.choices)
    minimum = models.DecimalField(_("minimum"), max_digits=8, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("discharge limit")
        verbose_name_plural = _("discharge limits")
        ordering = ["company", "receiving_body", "parameter"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "receiving_body", "parameter"], name="discharge_limit_unique"
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(minimum__lte=models.F("maximum")),
                name="discharge_limit_min_below_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_receiving_body_display()} · {self.get_parameter_display()} ≤ {self.maximum}"


class UnitConnection(AuditedMixin, models.Model):
    """A unit's link to the estate's sewer and its own pre-treatment (one row per unit)."""

    gate = Gate(kind="effluent_test", company=_UNIT_COMPANY, owner=_UNIT_OWNER)
    history_parent_field = "unit_id"

    unit = models.OneToOneField(
        ProductionUnit, on_delete=models.CASCADE, related_name="connection", verbose_name=_("unit")
    )
    connected = models.BooleanField(_("connected to the estate's sewer"), default=False, db_index=True)
    connected_on = models.DateField(_("connected on"), null=True, blank=True)
    receiving_body = models.CharField(
        _("discharges to"), max_length=16, choices=ReceivingBody.choices, default=ReceivingBody.SEWER
    )
    pretreatment_in_place = models.BooleanField(_("pre-treatment in place"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sewer connection")
        verbose_name_plural = _("sewer connections")

    def __str__(self) -> str:
        return str(self.unit)


class EffluentTest(AuditedMixin, models.Model):
    """A laboratory test of a unit's effluent, checked against the company's limits when recorded."""

    gate = Gate(kind="effluent_test", company=_UNIT_COMPANY, owner=_UNIT_OWNER)
    history_parent_field = "unit_id"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="effluent_tests", verbose_name=_("unit")
    )
    sampled_on = models.DateField(_("sampled on"))
    lab = models.CharField(_("laboratory"), max_length=150)
    receiving_body = models.CharField(_("discharged to"), max_length=16, choices=ReceivingBody.choices)
    # mg/l except pH
    cod = models.DecimalField(_("COD (mg/l)"), max_digits=9, decimal_places=2, null=True, blank=True)
    bod5 = models.DecimalField(_("BOD5 (mg/l)"), max_digits=9, decimal_places=2, null=True, blank=True)
    tss = models.DecimalField(_("TSS (mg/l)"), max_digits=9, decimal_places=2, null=True, blank=True)
    ph = models.DecimalField(_("pH"), max_digits=4, decimal_places=2, null=True, blank=True)
    oil_grease = models.DecimalField(
        _("oil and grease (mg/l)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    chromium = models.DecimalField(
        _("chromium (mg/l)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    lead = models.DecimalField(_("lead (mg/l)"), max_digits=8, decimal_places=3, null=True, blank=True)
    cadmium = models.DecimalField(_("cadmium (mg/l)"), max_digits=8, decimal_places=3, null=True, blank=True)
    nickel = models.DecimalField(_("nickel (mg/l)"), max_digits=8, decimal_places=3, null=True, blank=True)
    zinc = models.DecimalField(_("zinc (mg/l)"), max_digits=8, decimal_places=3, null=True, blank=True)
    passed = models.BooleanField(_("within the limits"), db_index=True)
    exceedances = models.JSONField(
        _("limits exceeded"), default=list, blank=True, help_text=_("[parameter, value, minimum, maximum]")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("effluent test")
        verbose_name_plural = _("effluent tests")
        ordering = ["-sampled_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-sampled_on"], name="effluent_unit_date_idx"),
            models.Index(fields=["sampled_on", "passed"], name="effluent_date_passed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ph__isnull=True) | (Q(ph__gte=0) & Q(ph__lte=14)), name="effluent_ph_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.sampled_on}"

    def get_absolute_url(self) -> str:
        return reverse("green:test_detail", args=[self.pk])

    def values(self) -> list[tuple[str, str, object]]:
        """(code, label, value) of each parameter measured."""
        return [
            (code, label, getattr(self, code))
            for code, label in Parameter.choices
            if getattr(self, code) is not None
        ]


class ComplianceCase(AuditedMixin, models.Model):
    """Opened by a failed effluent test: the unit must comply by the deadline."""

    gate = Gate(kind="compliance_case", company=_UNIT_COMPANY, owner=_UNIT_OWNER)
    history_parent_field = "unit_id"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="compliance_cases", verbose_name=_("unit")
    )
    test = models.OneToOneField(
        EffluentTest, on_delete=models.PROTECT, related_name="case", verbose_name=_("failed test")
    )
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN, db_index=True
    )
    repeated = models.BooleanField(
        _("repeated failure"), default=False, help_text=_("another failed test in the 12 months before")
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("how it was resolved"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("compliance case")
        verbose_name_plural = _("compliance cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["state", "deadline"], name="case_state_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opened_on")), name="case_deadline_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.opened_on}"

    def get_absolute_url(self) -> str:
        return reverse("green:case_detail", args=[self.pk])


class ResourceListing(AuditedMixin, models.Model):
    """A unit's have (by-product, waste, heat, water) or want (an input it would take), per year."""

    gate = Gate(kind="resource_listing", company=_UNIT_COMPANY, owner=_UNIT_OWNER)
    history_parent_field = "unit_id"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="resource_listings", verbose_name=_("unit")
    )
    direction = models.CharField(_("have or want"), max_length=4, choices=Direction.choices, db_index=True)
    material = models.CharField(_("material"), max_length=16, choices=Material.choices, db_index=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    tonnes_per_year = models.DecimalField(
        _("quantity (tonnes a year)"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    form = models.CharField(_("form"), max_length=8, choices=MaterialForm.choices, default=MaterialForm.SOLID)
    place = models.CharField(_("where it is"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource listing")
        verbose_name_plural = _("resource listings")
        ordering = ["direction", "material", "-tonnes_per_year"]
        indexes = [models.Index(fields=["active", "direction", "material"], name="listing_active_dir_idx")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.get_material_display()} — {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("green:listing_edit", args=[self.pk])


class SymbiosisQuerySet(models.QuerySet):
    def diverting(self) -> SymbiosisQuerySet:
        return self.filter(stage__in=DIVERTING_STAGES)


class SymbiosisLink(CreatedByMixin, AuditedMixin, models.Model):
    """An exchange an officer brokers between a have and a want, followed to contract and running."""

    gate = Gate(
        kind="symbiosis_link",
        company=("company",),
        owner=("have__unit__organisation", "want__unit__organisation"),
    )

    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="symbiosis_links", verbose_name=_("brokered by")
    )
    have = models.ForeignKey(
        ResourceListing, on_delete=models.PROTECT, related_name="links_as_have", verbose_name=_("have")
    )
    want = models.ForeignKey(
        ResourceListing, on_delete=models.PROTECT, related_name="links_as_want", verbose_name=_("want")
    )
    material = models.CharField(_("material"), max_length=16, choices=Material.choices, db_index=True)
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=SymbiosisStage.choices,
        default=SymbiosisStage.INTRODUCED,
        db_index=True,
    )
    stage_date = models.DateField(_("stage reached on"))
    introduced_on = models.DateField(_("introduced on"))
    tonnes_per_year = models.DecimalField(
        _("tonnes diverted a year"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    value_rial = models.BigIntegerField(_("value a year (rial)"), null=True, blank=True)
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    reasons = models.JSONField(
        _("why proposed"), default=dict, blank=True, help_text=_("{fa: [...], en: [...]}")
    )
    lost_reason = models.CharField(_("why it was lost"), max_length=500, blank=True)

    objects = SymbiosisQuerySet.as_manager()

    class Meta:
        verbose_name = _("symbiosis exchange")
        verbose_name_plural = _("symbiosis exchanges")
        ordering = ["-stage_date", "-id"]
        indexes = [models.Index(fields=["company", "stage"], name="symbiosis_company_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["have", "want"], condition=~Q(stage="lost"), name="symbiosis_one_open_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(tonnes_per_year__isnull=True) | Q(tonnes_per_year__gte=0),
                name="symbiosis_tonnes_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.have.unit} → {self.want.unit} ({self.get_material_display()})"

    def get_absolute_url(self) -> str:
        return reverse("green:link_detail", args=[self.pk])


class SymbiosisStep(models.Model):
    """One dated move of an exchange, with what that stage recorded."""

    link = models.ForeignKey(
        SymbiosisLink, on_delete=models.CASCADE, related_name="steps", verbose_name=_("exchange")
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=SymbiosisStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=SymbiosisStage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange step")
        verbose_name_plural = _("exchange steps")
        ordering = ["link", "date", "id"]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.from_stage or '—'} → {self.to_stage} ({self.date})"


register_audited(
    TreatmentPlant,
    PlantStageChange,
    ProgressReport,
    DischargeLimit,
    UnitConnection,
    EffluentTest,
    ComplianceCase,
    ResourceListing,
    SymbiosisLink,
)
