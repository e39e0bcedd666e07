"""The bridge: sourcing requests, suggested suppliers, invitations and responses, the linkage ledger, gaps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import limits
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import CreatedByMixin
from peyvand.core.permissions import Gate
from peyvand.estates.models import County
from peyvand.matching.text import fold, normalize
from peyvand.taxonomy.models import Capability
from peyvand.units.models import Certification, ProductionUnit

from .choices import (
    CONTRACTED_STAGES,
    Confidentiality,
    DeclineReason,
    GapState,
    IndexBuildStage,
    IndexBuildState,
    InvitationState,
    LinkageStage,
    LostReason,
    RequestState,
    Requirement,
    SuggestionState,
)

_PUBLISHED_OPENLY = Q(state=RequestState.PUBLISHED) & ~Q(confidentiality=Confidentiality.INVITED_ONLY)


class SourcingRequest(CreatedByMixin, AuditedMixin, models.Model):
    """What a large buyer needs to buy (UNIDO's subcontracting template), brokered by an estate company."""

    gate = Gate(
        kind="sourcing_request",
        company=("company",),
        owner={"buyer": ("buyer",), "production_unit": ("invitations__unit__organisation",)},
        public=_PUBLISHED_OPENLY,
    )

    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sourcing_requests",
        limit_choices_to={"kind": "buyer"},
        verbose_name=_("buyer"),
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="brokered_requests",
        limit_choices_to={"kind": "estate_company"},
        verbose_name=_("brokered by"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("what is needed"),
        max_length=limits.TEXT_LENGTH,
        validators=limits.text_length(),
        help_text=_("the part or service, specifications, materials, use"),
    )
    lang = models.CharField(_("language of the text"), max_length=2, choices=settings.LANGUAGES, default="fa")
    capabilities = models.ManyToManyField(
        Capability, blank=True, related_name="sourcing_requests", verbose_name=_("capabilities needed")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_QUANTITY)],
    )
    quantity_unit = models.CharField(_("unit of quantity"), max_length=30, blank=True)
    hs_code = models.CharField(
        _("HS code"),
        max_length=8,
        blank=True,
        help_text=_("Six digits of HS 2022, or the eight-digit national tariff line."),
    )
    target_price_rial = models.BigIntegerField(
        _("target price per unit (rial)"), null=True, blank=True, validators=limits.money()
    )
    quote_deadline = models.DateField(_("deadline for quotes"), validators=[limits.DateRange()])
    delivery_from = models.DateField(
        _("delivery from"), null=True, blank=True, validators=[limits.DateRange()]
    )
    delivery_to = models.DateField(
        _("delivery until"), null=True, blank=True, validators=[limits.DateRange()]
    )
    preferred_counties = models.ManyToManyField(
        County, blank=True, related_name="+", verbose_name=_("preferred counties")
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    buyer_consented = models.BooleanField(_("buyer agreed to reveal its identity"), default=False)
    buyer_may_invite = models.BooleanField(_("the buyer may invite suppliers itself"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.DRAFT, db_index=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    suggested_at = models.DateTimeField(_("suppliers last suggested"), null=True, blank=True)
    suggestion_state = models.CharField(
        _("suggestions"), max_length=10, choices=SuggestionState.choices, default=SuggestionState.NONE
    )
    suggestion_requested_at = models.DateTimeField(_("suggestions asked for"), null=True, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("sourcing request")
        verbose_name_plural = _("sourcing requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["company", "state", "-created_at"], name="request_company_state_idx"),
            models.Index(fields=["buyer", "-created_at"], name="request_buyer_idx"),
            models.Index(fields=["state", "quote_deadline"], name="request_state_deadline_idx"),
            # the lists' order (page and API): their first page read from the index, not sorted
            models.Index(fields=["-created_at", "-id"], name="request_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_from__isnull=True)
                | Q(delivery_to__isnull=True)
                | Q(delivery_to__gte=models.F("delivery_from")),
                name="request_delivery_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="request_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.title = normalize(self.title)
        self.search_text = fold(f"{self.title} {self.text}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sourcing:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R-{self.pk:05d}" if self.pk else "R-new"

    @property
    def buyer_revealed(self) -> bool:
        """Whether suppliers may know who the buyer is (and the buyer who the suppliers are)."""
        return self.confidentiality != Confidentiality.ANONYMOUS_BUYER or self.buyer_consented


class RequestCertification(models.Model):
    """A certification the request requires (must have) or prefers."""

    request = models.ForeignKey(
        SourcingRequest,
        on_delete=models.CASCADE,
        related_name="certification_needs",
        verbose_name=_("request"),
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, verbose_name=_("certification")
    )
    requirement = models.CharField(_("requirement"), max_length=12, choices=Requirement.choices)

    class Meta:
        verbose_name = _("required certification")
        verbose_name_plural = _("required certifications")
        constraints = [
            models.UniqueConstraint(fields=["request", "certification"], name="request_certification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.get_requirement_display()})"


class RequestAttachment(models.Model):
    """A drawing or specification attached to a request."""

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    file = models.FileField(_("file"), upload_to="requests/%Y/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Match(models.Model):
    """One supplier the engine suggested for a request, with its score and reasons."""

    gate = Gate(kind="match", company=("request__company",))

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="matches", verbose_name=_("request")
    )
    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="matches", verbose_name=_("unit")
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons_fa = models.JSONField(_("reasons (Persian)"), default=list)
    reasons_en = models.JSONField(_("reasons (English)"), default=list)
    matched_capabilities = models.JSONField(_("matched capabilities"), default=list)
    qualified = models.BooleanField(
        _("qualified"),
        default=False,
        help_text=_("has every capability needed and every must-have certification"),
    )
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggested supplier")
        verbose_name_plural = _("suggested suppliers")
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="match_unique_unit_per_request")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.rank}: {self.unit}"

    def reasons(self, language: str) -> list[str]:
        return self.reasons_en if language.startswith("en") else self.reasons_fa


class SupplierInvitation(AuditedMixin, models.Model):
    """A unit invited to quote on a request, and its answer (quote or decline)."""

    gate = Gate(
        kind="invitation_response",
        company=("request__company",),
        owner={"production_unit": ("unit__organisation",), "buyer": ("request__buyer",)},
    )

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("request")
    )
    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("supplier")
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=InvitationState.choices,
        default=InvitationState.INVITED,
        db_index=True,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    silence_reported_at = models.DateTimeField(_("silence reported"), null=True, blank=True)
    price_rial = models.BigIntegerField(
        _("price per unit (rial)"), null=True, blank=True, validators=limits.money()
    )
    lead_time_days = models.PositiveIntegerField(
        _("lead time (days)"),
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_LEAD_DAYS)],
    )
    capacity = models.CharField(_("capacity offered"), max_length=200, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=limits.NOTE_LENGTH, validators=limits.note_length()
    )
    file = models.FileField(_("quotation document"), upload_to="quotes/%Y/", blank=True)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)

    class Meta:
        verbose_name = _("invitation to quote")
        verbose_name_plural = _("invitations to quote")
        ordering = ["request", "invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="invitation_unique_unit_per_request")
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="invitation_unit_state_idx"),
            # the API list's order: its first page from the index instead of sorting every invitation
            models.Index(fields=["-invited_at", "-id"], name="invitation_invited_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} → {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("sourcing:invitation_detail", args=[self.pk])


# A contract's indirect exports: its value times the export share of the buyer's product (rial).
INDIRECT_EXPORTS = ExpressionWrapper(
    F("contract_value_rial") * F("export_share") / 100, output_field=models.DecimalField()
)


class LinkageQuerySet(models.QuerySet):
    def contracted(self) -> LinkageQuerySet:
        return self.filter(stage__in=CONTRACTED_STAGES)

    def contracted_by(self, day) -> LinkageQuerySet:
        """Linkages at a contract stage whose contract was signed on or before ``day`` (by its step)."""
        signed = LinkageStep.objects.filter(to_stage__in=CONTRACTED_STAGES, date__lte=day)
        return self.contracted().filter(pk__in=signed.values("linkage_id"))

    def totals(self) -> dict[str, int | Decimal]:
        """Ledger totals — computed from the rows in two aggregate queries, never typed in."""
        sums = (
            self.contracted()
            .order_by()
            .aggregate(
                contracts=Count("pk"),
                value=Sum("contract_value_rial"),
                indirect=Sum(INDIRECT_EXPORTS),
                jobs=Sum("jobs_created"),
            )
        )
        return {
            "linkages": self.count(),
            "contracts": sums["contracts"],
            "value_rial": sums["value"] or 0,
            "indirect_exports_rial": int(sums["indirect"] or 0),
            "jobs": sums["jobs"] or 0,
        }


class Linkage(CreatedByMixin, AuditedMixin, models.Model):
    """A buyer and a supplier put in touch by an officer, followed to contracts, deliveries and exports."""

    gate = Gate(
        kind="linkage",
        company=("company",),
        owner={"buyer": ("buyer",), "production_unit": ("unit__organisation",)},
    )
    history_parent_field = "request_id"

    request = models.ForeignKey(
        SourcingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linkages",
        verbose_name=_("request"),
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="brokered_linkages",
        verbose_name=_("brokered by"),
    )
    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="linkages", verbose_name=_("buyer")
    )
    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="linkages", verbose_name=_("supplier")
    )
    source = models.CharField(
        _("started from"),
        max_length=12,
        choices=[("match", _("a suggestion")), ("quote", _("a quote")), ("direct", _("direct contact"))],
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=LinkageStage.choices,
        default=LinkageStage.INTRODUCED,
        db_index=True,
    )
    stage_date = models.DateField(_("stage reached on"), validators=[limits.DateRange()])
    introduced_on = models.DateField(_("introduced on"), validators=[limits.DateRange()])
    lost_reason = models.CharField(
        _("why it was lost"), max_length=20, choices=LostReason.choices, blank=True
    )
    contract_value_rial = models.BigIntegerField(
        _("contract value (rial)"), null=True, blank=True, validators=limits.money()
    )
    contract_value_usd = models.DecimalField(
        _("contract value (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_USD)],
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_QUANTITY)],
    )
    quantity_unit = models.CharField(_("unit of quantity"), max_length=30, blank=True)
    local_content_share = models.DecimalField(
        _("local content (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.share(),
    )
    export_share = models.DecimalField(
        _("export share of the buyer's product (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limits.share(),
    )
    jobs_created = models.PositiveIntegerField(
        _("jobs created"), null=True, blank=True, validators=[limits.NumberRange(0, limits.MAX_PEOPLE)]
    )

    objects = LinkageQuerySet.as_manager()

    class Meta:
        verbose_name = _("linkage")
        verbose_name_plural = _("linkages")
        ordering = ["-stage_date", "-id"]
        indexes = [
            models.Index(fields=["company", "stage"], name="linkage_company_stage_idx"),
            models.Index(fields=["unit", "stage"], name="linkage_unit_stage_idx"),
            models.Index(fields=["buyer", "stage"], name="linkage_buyer_stage_idx"),
            models.Index(fields=["-stage_date", "-id"], name="linkage_stage_date_idx"),  # the ledger's order
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(local_content_share__isnull=True)
                | (Q(local_content_share__gte=0) & Q(local_content_share__lte=100)),
                name="linkage_local_content_percent",
            ),
            models.CheckConstraint(
                condition=Q(export_share__isnull=True) | (Q(export_share__gte=0) & Q(export_share__lte=100)),
                name="linkage_export_share_percent",
            ),
            models.UniqueConstraint(
                fields=["request", "unit"],
                condition=Q(request__isnull=False),
                name="linkage_one_per_request_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ↔ {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("sourcing:linkage_detail", args=[self.pk])

    @property
    def indirect_exports_rial(self) -> int | None:
        if self.contract_value_rial is None or self.export_share is None:
            return None
        return int(self.contract_value_rial * self.export_share / 100)


class LinkageStep(models.Model):
    """One dated move of a linkage, with what that stage recorded."""

    linkage = models.ForeignKey(
        Linkage, on_delete=models.CASCADE, related_name="steps", verbose_name=_("linkage")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=LinkageStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=LinkageStage.choices)
    date = models.DateField(_("date"), validators=[limits.DateRange()])
    values = models.JSONField(_("recorded values"), default=dict, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=limits.NOTE_LENGTH, validators=limits.note_length()
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
        verbose_name = _("linkage step")
        verbose_name_plural = _("linkage steps")
        ordering = ["linkage", "date", "id"]

    def __str__(self) -> str:
        return f"{self.linkage_id}: {self.from_stage or '—'} → {self.to_stage} ({self.date})"


class GapTicket(AuditedMixin, models.Model):
    """A request the province's units cannot yet serve: fewer than N qualified suppliers."""

    gate = Gate(kind="gap_ticket", company=("company",))

    request = models.OneToOneField(
        SourcingRequest, on_delete=models.CASCADE, related_name="gap", verbose_name=_("request")
    )
    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("estate company")
    )
    missing = models.ManyToManyField(Capability, related_name="gaps", verbose_name=_("missing capabilities"))
    qualified_count = models.PositiveIntegerField(_("qualified suppliers found"))
    needed_count = models.PositiveIntegerField(_("qualified suppliers needed"))
    state = models.CharField(
        _("state"), max_length=10, choices=GapState.choices, default=GapState.OPEN, db_index=True
    )
    flagged_unit = models.ForeignKey(
        ProductionUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit that may now qualify"),
    )
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("supply gap")
        verbose_name_plural = _("supply gaps")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.request.reference} ({self.get_state_display()})"


class IndexBuild(models.Model):
    """One rebuild of the matching index: asked for, built by the job worker, published — with progress.

    At most one build waits in the queue (a named constraint): changes made meanwhile are covered by it.
    """

    state = models.CharField(
        _("state"), max_length=10, choices=IndexBuildState.choices, default=IndexBuildState.PENDING
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=IndexBuildStage.choices, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    version = models.CharField(_("index version"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching index build")
        verbose_name_plural = _("matching index builds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="pending"), name="index_build_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.state} {self.version}"

    @property
    def percent(self) -> int:
        """Overall progress: each stage is an equal share, the current one by its own count."""
        stages = IndexBuildStage.values
        if self.state == IndexBuildState.DONE:
            return 100
        if self.stage not in stages:
            return 0
        within = self.done / self.total if self.total else 0
        return min(99, round(100 * (stages.index(self.stage) + within) / len(stages)))


register_audited(SourcingRequest, SupplierInvitation, Linkage, GapTicket)
