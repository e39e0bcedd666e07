"""The industrial clinic: revival cases of idle and struggling units, their causes, the interventions
tried, the outcome (linked to the unit's life-cycle change), and the early-warning assessment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import CreatedByMixin
from peyvand.core.permissions import Gate
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.units.choices import UnitStatus
from peyvand.units.models import ProductionUnit, StatusChange

from .choices import OPEN_STAGES, CaseStage, Cause, Counterpart, InterventionKind, Result, Severity

MAX_NOTE = 2000
MAX_TEXT = 4000


class RevivalCase(AuditedMixin, models.Model):
    """One unit's file at the clinic: opened by staff (or asked for by the unit), diagnosed, treated with
    interventions, and ended by an outcome. A revival is the unit's own life-cycle change from idle to
    production (``return_change``); the case never types it in."""

    gate = Gate(kind="revival_case", company=("unit__estate__company",), owner=("unit__organisation",))

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="revival_cases", verbose_name=_("unit")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=CaseStage.choices, default=CaseStage.DIAGNOSIS, db_index=True
    )
    stage_date = models.DateField(_("stage since"))
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    requested_by_unit = models.BooleanField(_("asked for by the unit"), default=False)
    status_at_opening = models.CharField(
        _("unit status when opened"), max_length=24, choices=UnitStatus.choices
    )
    employees_at_opening = models.PositiveIntegerField(_("employees when opened"), null=True, blank=True)
    diagnosis_visit_on = models.DateField(_("diagnosis visit"), null=True, blank=True)
    diagnosis = models.TextField(_("diagnosis"), max_length=MAX_TEXT, blank=True)
    unit_account = models.TextField(
        _("the unit's own account"),
        max_length=MAX_TEXT,
        blank=True,
        help_text=_("why the unit says it stopped, in its own words"),
    )
    return_change = models.OneToOneField(
        StatusChange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revival_case",
        verbose_name=_("return to production"),
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    jobs_restored = models.PositiveIntegerField(_("jobs restored"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), max_length=MAX_NOTE, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("revival case")
        verbose_name_plural = _("revival cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["stage", "-opened_on"], name="revival_case_stage_idx"),
            models.Index(fields=["unit", "stage"], name="revival_case_unit_stage_idx"),
            models.Index(fields=["outcome_on"], name="revival_case_outcome_idx"),
            models.Index(fields=["opened_on"], name="revival_case_opened_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(stage__in=OPEN_STAGES), name="revival_one_open_case_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("opened_on")),
                name="revival_outcome_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("revival:case_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}" if self.pk else "C-new"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def days_to_revival(self) -> int | None:
        if self.stage != CaseStage.REVIVED or self.outcome_on is None:
            return None
        return (self.outcome_on - self.opened_on).days


class CaseCause(models.Model):
    """A cause of the unit's trouble found at diagnosis, with its severity."""

    gate = Gate(
        kind="revival_case", company=("case__unit__estate__company",), owner=("case__unit__organisation",)
    )
    history_parent_field = "case_id"

    case = models.ForeignKey(
        RevivalCase, on_delete=models.CASCADE, related_name="causes", verbose_name=_("case")
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MEDIUM
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["-severity", "cause"]
        indexes = [models.Index(fields=["cause"], name="revival_cause_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "cause"], name="revival_cause_once_per_case"),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=3), name="revival_severity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} ({self.get_severity_display()})"


class Intervention(CreatedByMixin, AuditedMixin, models.Model):
    """One thing the clinic does for the unit, with an owner, a due date and a result."""

    gate = Gate(
        kind="revival_case", company=("case__unit__estate__company",), owner=("case__unit__organisation",)
    )
    history_parent_field = "case_id"

    case = models.ForeignKey(
        RevivalCase, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    title = models.CharField(_("what is done"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revival_interventions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.PENDING, db_index=True
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    result_note = models.CharField(_("result note"), max_length=1000, blank=True)
    # financing, mediation, utilities and permits
    institution = models.CharField(_("bank, fund or office"), max_length=150, blank=True)
    counterpart = models.CharField(
        _("mediation with"), max_length=20, choices=Counterpart.choices, blank=True
    )
    amount_asked_rial = models.BigIntegerField(_("amount asked (rial)"), null=True, blank=True)
    amount_granted_rial = models.BigIntegerField(_("amount granted (rial)"), null=True, blank=True)
    # buyer linkage through the bridge
    request = models.ForeignKey(
        SourcingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_interventions",
        verbose_name=_("sourcing request"),
    )
    linkage = models.ForeignKey(
        Linkage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_interventions",
        verbose_name=_("linkage"),
    )
    # partner or new investor
    investor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revival_interventions",
        limit_choices_to={"kind": "investor"},
        verbose_name=_("investor"),
    )

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["kind", "result"], name="revival_intervention_kind_idx"),
            models.Index(fields=["owner", "result", "due_on"], name="revival_intervention_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_asked_rial__isnull=True) | Q(amount_asked_rial__gt=0),
                name="revival_amount_asked_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_granted_rial__isnull=True) | Q(amount_granted_rial__gte=0),
                name="revival_amount_granted_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.result == Result.PENDING and self.due_on < timezone.localdate()


class RiskAssessment(models.Model):
    """The latest early-warning score of a unit in production: each signal with its weight, so staff see
    why (``signals``: list of {code, weight, detail}). Rebuilt by the weekly job."""

    gate = Gate(kind="unit_risk", company=("unit__estate__company",))

    unit = models.OneToOneField(
        ProductionUnit, on_delete=models.CASCADE, related_name="risk", verbose_name=_("unit")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    at_risk = models.BooleanField(_("at risk"), default=False)
    signals = models.JSONField(_("signals"), default=list)
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        verbose_name = _("early-warning assessment")
        verbose_name_plural = _("early-warning assessments")
        ordering = ["-score", "unit_id"]
        indexes = [models.Index(fields=["at_risk", "-score"], name="revival_risk_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.score}"


register_audited(RevivalCase, Intervention)
