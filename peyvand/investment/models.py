"""Investors and land: the investor's file, applications, screening weights, estates' land-use plans,
allocation contracts with their payment schedules, and construction milestones."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import NamedModel
from peyvand.core.permissions import Gate
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.taxonomy.models import Classification
from peyvand.units.models import ProductionUnit

from .choices import (
    ApplicationState,
    ContractState,
    Criterion,
    EnvironmentGroup,
    EvidenceKind,
    InvestorKind,
    KnowledgeLevel,
    MilestoneKind,
)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class InvestorQuerySet(models.QuerySet):
    def with_first_contract(self) -> InvestorQuerySet:
        """Each investor's first allocation contract date (``first_contract_on``; none when it has none)."""
        return self.annotate(first_contract_on=Min("applications__contract__signed_on"))

    def first_contract_between(self, start: dt.date, end: dt.date) -> InvestorQuerySet:
        """ "New investors": those whose first allocation contract is dated inside [start, end]."""
        return self.with_first_contract().filter(first_contract_on__gte=start, first_contract_on__lte=end)


class Investor(AuditedMixin, NamedModel):
    """A person or company that invests in an estate; its members (``organisation``) see only its files."""

    gate = Gate(kind="investor", company=("company",), owner=("organisation",))

    kind = models.CharField(
        _("kind"), max_length=10, choices=InvestorKind.choices, default=InvestorKind.COMPANY
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investor_file",
        limit_choices_to={"kind": "investor"},
        verbose_name=_("organisation"),
        help_text=_("the investor organisation whose members log in for this investor"),
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="investors",
        limit_choices_to={"kind": "estate_company"},
        verbose_name=_("estate company"),
    )
    national_id = models.CharField(
        _("national ID"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        help_text=_("10 digits for a person, 11 for a company"),
    )
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    knowledge_level = models.CharField(
        _("knowledge-based certificate"),
        max_length=10,
        choices=KnowledgeLevel.choices,
        default=KnowledgeLevel.NONE,
        db_index=True,
    )
    knowledge_expiry = models.DateField(_("certificate valid until"), null=True, blank=True)
    knowledge_register_number = models.CharField(
        _("register number"), max_length=40, blank=True, help_text=_("the official register's number")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InvestorQuerySet.as_manager()

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["sort_name"]
        indexes = [models.Index(fields=["company", "sort_name"], name="investor_company_sort_idx")]

    def get_absolute_url(self) -> str:
        return reverse("investment:investor_detail", args=[self.pk])

    def refresh_keys(self) -> None:
        super().refresh_keys()
        self.national_id = (self.national_id or "").strip() or None

    def is_knowledge_based(self, on: dt.date | None = None) -> bool:
        """A certificate of some level that has not expired on ``on`` (today)."""
        if self.knowledge_level == KnowledgeLevel.NONE:
            return False
        return self.knowledge_expiry is None or self.knowledge_expiry >= (on or timezone.localdate())


class Evidence(AuditedMixin, models.Model):
    """Evidence of technical capacity (team, plants built before, partners, licences), checked by staff."""

    history_parent_field = "investor_id"
    gate = Gate(kind="investor", company=("investor__company",), owner=("investor__organisation",))

    investor = models.ForeignKey(
        Investor, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("investor")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    description = models.CharField(_("description"), max_length=300)
    file = models.FileField(_("document"), upload_to="investment/evidence/%Y/", blank=True)
    checked = models.BooleanField(_("checked"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence of technical capacity")
        verbose_name_plural = _("evidence of technical capacity")
        ordering = ["investor", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Application(AuditedMixin, models.Model):
    """An investor's application for land: the project, its needs and plans, and where it stands."""

    gate = Gate(kind="investment_application", company=("company",), owner=("investor__organisation",))

    investor = models.ForeignKey(
        Investor, on_delete=models.PROTECT, related_name="applications", verbose_name=_("investor")
    )
    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("estate company")
    )
    title = models.CharField(_("project"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    isic = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme": "isic4", "level": "class"},
        verbose_name=_("ISIC class"),
    )
    hs_codes = models.CharField(
        _("HS codes of the products"), max_length=200, blank=True, help_text=_("e.g. 3917.23, 3926.90")
    )
    investment_rial = models.PositiveBigIntegerField(_("investment (rial)"))
    usd_share = models.DecimalField(
        _("foreign-currency share (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    jobs_planned = models.PositiveIntegerField(_("jobs planned"), validators=[MaxValueValidator(20000)])
    land_m2 = models.DecimalField(
        _("land requested (m²)"),
        max_digits=10,
        decimal_places=0,
        validators=[MinValueValidator(100), MaxValueValidator(2_000_000)],
    )
    water_m3_day = models.DecimalField(
        _("water (m³/day)"), max_digits=9, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    power_kw = models.DecimalField(
        _("power (kW)"), max_digits=9, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    gas_m3_hour = models.DecimalField(
        _("gas (m³/hour)"), max_digits=9, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    wastewater = models.CharField(_("wastewater profile"), max_length=500, blank=True)
    environment_group = models.PositiveSmallIntegerField(
        _("environmental group"), choices=EnvironmentGroup.choices, default=EnvironmentGroup.G2
    )
    export_share = models.DecimalField(
        _("export share (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    export_markets = models.CharField(_("export markets"), max_length=200, blank=True)
    import_substitution = models.BooleanField(
        _("replaces imports"), default=False, help_text=_("the product replaces goods the country imports")
    )
    preferred_estates = models.ManyToManyField(
        IndustrialEstate, blank=True, related_name="+", verbose_name=_("preferred estates")
    )
    state = models.CharField(
        _("state"), max_length=14, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    state_since = models.DateField(_("since"), default=timezone.localdate)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    score_details = models.JSONField(_("score by criterion"), default=list, blank=True)
    reviewer_note = models.TextField(_("reviewer's notes"), max_length=2000, blank=True)
    estate = models.ForeignKey(
        IndustrialEstate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved estate"),
    )
    unit = models.OneToOneField(
        ProductionUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("production unit"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("investment application")
        verbose_name_plural = _("investment applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "state"], name="application_company_state_idx"),
            models.Index(fields=["state", "state_since"], name="application_state_since_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(land_m2__gt=0), name="application_land_positive"),
            models.CheckConstraint(
                condition=Q(export_share__gte=0, export_share__lte=100), name="application_export_share_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:application_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"IA-{self.pk:05d}"


class ScreeningWeight(models.Model):
    """The estate company's weight (points) for one screening criterion; missing ones use the defaults."""

    gate = Gate(kind="investment_application", company=("company",))

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("estate company")
    )
    criterion = models.CharField(_("criterion"), max_length=24, choices=Criterion.choices)
    weight = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("screening weight")
        verbose_name_plural = _("screening weights")
        constraints = [
            models.UniqueConstraint(fields=["company", "criterion"], name="screening_weight_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.weight}"


class LandUse(AuditedMixin, models.Model):
    """An estate's land-use plan (آمایش): the industries it admits and the utility capacity left."""

    gate = Gate(kind="estate", company=("estate__company",))

    estate = models.OneToOneField(
        IndustrialEstate, on_delete=models.CASCADE, related_name="land_use", verbose_name=_("estate")
    )
    admitted_isic = models.CharField(
        _("industries admitted"),
        max_length=300,
        blank=True,
        help_text=_("ISIC sections or divisions, separated by spaces: e.g. C 10 11 22 (empty: every one)"),
    )
    max_environment_group = models.PositiveSmallIntegerField(
        _("highest environmental group allowed"),
        choices=EnvironmentGroup.choices,
        default=EnvironmentGroup.G3,
    )
    water_left_m3_day = models.DecimalField(
        _("water capacity left (m³/day)"),
        max_digits=9,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    power_left_kw = models.DecimalField(
        _("power capacity left (kW)"),
        max_digits=9,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )
    gas_left_m3_hour = models.DecimalField(
        _("gas capacity left (m³/hour)"),
        max_digits=9,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("land-use plan")
        verbose_name_plural = _("land-use plans")

    def __str__(self) -> str:
        return str(self.estate)

    def admitted_codes(self) -> list[str]:
        return [
            code.strip().upper() for code in self.admitted_isic.replace("،", " ").replace(",", " ").split()
        ]

    def admits(self, isic_code: str, section: str) -> bool:
        """Whether an ISIC class (its code and section letter) falls in an admitted section (a letter)
        or division (two digits)."""
        codes = self.admitted_codes()
        if not codes:
            return True
        return any(isic_code.startswith(code) if code.isdigit() else code == section for code in codes)


def section_of(isic: Classification) -> str:
    """The ISIC section letter of a class (its top ancestor's code)."""
    node = isic
    for _step in range(5):
        if node.parent is None:
            break
        node = node.parent
    return (node.code or "").upper()


class AllocationContract(AuditedMixin, models.Model):
    """The land allocation contract of an approved application: the plot, the price and the incentives."""

    gate = Gate(
        kind="allocation", company=("application__company",), owner=("application__investor__organisation",)
    )

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="contract", verbose_name=_("application")
    )
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("plot"))
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    signed_on = models.DateField(_("signed on"), db_index=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2)
    price_per_m2_rial = models.PositiveBigIntegerField(_("price per m² (rial)"))
    total_rial = models.PositiveBigIntegerField(_("total price (rial)"))
    down_payment_share = models.DecimalField(
        _("down payment (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    instalments = models.PositiveSmallIntegerField(
        _("monthly instalments"), validators=[MaxValueValidator(120)]
    )
    waiver_share = models.DecimalField(
        _("waiver for building on time (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"), default=180, validators=[MaxValueValidator(1000)]
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ContractState.choices, default=ContractState.ACTIVE, db_index=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation contract")
        verbose_name_plural = _("allocation contracts")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("investment:contract_detail", args=[self.pk])


class Instalment(models.Model):
    """One payment of a contract's schedule (the down payment is number 0)."""

    contract = models.ForeignKey(
        AllocationContract, on_delete=models.CASCADE, related_name="payments", verbose_name=_("contract")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount_rial = models.PositiveBigIntegerField(_("amount (rial)"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="instalment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.contract} #{self.number}"


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: dt.date | None = None) -> MilestoneQuerySet:
        """Not done, past the deadline, on a contract still building."""
        return self.filter(
            done_on__isnull=True,
            deadline__lt=on or timezone.localdate(),
            contract__state=ContractState.ACTIVE,
        )


class Milestone(AuditedMixin, models.Model):
    """A construction commitment of a contract with its deadline, and when and how it was met."""

    history_parent_field = "contract_id"
    gate = Gate(
        kind="allocation",
        company=("contract__application__company",),
        owner=("contract__application__investor__organisation",),
    )

    contract = models.ForeignKey(
        AllocationContract, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("contract")
    )
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="investment/milestones/%Y/", blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    notified_on = models.DateField(_("investor told it is overdue on"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("construction milestone")
        verbose_name_plural = _("construction milestones")
        ordering = ["contract", "order"]
        indexes = [models.Index(fields=["done_on", "deadline"], name="milestone_open_deadline_idx")]
        constraints = [models.UniqueConstraint(fields=["contract", "kind"], name="milestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.contract} — {self.get_kind_display()}"

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.done_on is None and self.deadline < (on or timezone.localdate())


register_audited(Investor, Evidence, Application, LandUse, AllocationContract, Milestone)
