"""Production units, their products and certifications, and their dated life-cycle history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.functions import FirstValue
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import limits
from peyvand.core.audit import AuditedMixin, register_audited
from peyvand.core.models import NamedModel, count_of
from peyvand.core.permissions import Gate
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.matching.text import fold
from peyvand.taxonomy.models import Capability, Classification

from .choices import PRODUCING, ClaimState, SizeClass, StatusCause, UnitStatus, employee_range, size_class_for

OTHER_CERTIFICATION = "other"  # the catalogue entry of certifications the registry does not know


class CertificationQuerySet(models.QuerySet):
    def known(self) -> CertificationQuerySet:
        """The catalogue without "other" (what requests, filters and forms offer)."""
        return self.exclude(code=OTHER_CERTIFICATION)


class Certification(NamedModel):
    """A certificate a unit may hold (ISO 9001, HACCP, the national standard mark…); "other" holds the
    ones the registry does not know, as written, unverified."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["sort_name"]


class UnitQuerySet(models.QuerySet):
    def producing(self) -> UnitQuerySet:
        return self.filter(status__in=PRODUCING)

    def in_status(self, statuses: Iterable[str], on: dt.date | None = None) -> UnitQuerySet:
        """Units whose status was one of ``statuses`` on the date ``on`` (today when not given): the
        ``to`` of their last change dated on or before it — the same history that keeps ``status``."""
        statuses = list(statuses)
        if on is None or on >= timezone.localdate():
            return self.filter(status__in=statuses)
        # One pass over the history (each unit's last change on or before the date, by a window) instead
        # of a subquery per unit: a past-date count over 100,000 units took 0.8–2.1 s, now 0.25–0.7 s.
        last = Window(
            FirstValue("to_status"), partition_by=[F("unit_id")], order_by=[F("date").desc(), F("id").desc()]
        )
        changes = StatusChange.objects.filter(date__lte=on).annotate(status_on=last)
        return self.filter(pk__in=changes.filter(status_on__in=statuses).values("unit_id"))

    def counts_in_status(
        self,
        statuses: Iterable[str],
        days: Iterable[dt.date],
        among: str = "",
        edges: Callable[[], list[SpanEdge]] | None = None,
    ) -> dict[dt.date, tuple[int, int]]:
        """For each day, ``self.in_status(statuses, on=day).count()`` and, with ``among`` (a boolean
        field of the unit), how many of those have it set — every past day from one pass over the
        history (``status_edges``; ``edges`` may supply them, e.g. kept for the page's other figures —
        asked only when a day is past).

        Why: the dashboard counts a status on ~30 dates (its months, its years, a year before) for four
        figures; one window pass per date and figure cost 0.2–0.4 s each at 100,000 units. Today and
        later read ``status``, as ``in_status`` does."""
        statuses, days = list(statuses), sorted(set(days))
        today = timezone.localdate()
        counts = {}
        if any(day >= today for day in days):
            current = self.filter(status__in=statuses)
            now = (current.count(), current.filter(**{among: True}).count() if among else 0)
            counts = {day: now for day in days if day >= today}
        past = [day for day in days if day < today]
        if past:
            spans = edges() if edges is not None else self.status_edges(among)
            counts.update({day: count_on(spans, statuses, day) for day in past})
        return counts

    def status_edges(self, among: str = "") -> list[SpanEdge]:
        """The history of these units as spans, counted by the day each begins and the day each ends.

        Each change is a span from its date up to the unit's next change (the same (date, id) order as
        ``in_status``: of two changes on one day the later recorded wins). A unit's status on day D is
        the span with ``begins <= D < ends``, so the units in a status on D are the spans of that status
        begun by D less those ended by D — ``count_on``, for any day, without another query. One window
        pass over the history, grouped: a few thousand rows however many units."""
        return _status_edges(self, among)

    def of_size(self, size: str) -> UnitQuerySet:
        low, high = employee_range(size)
        condition = Q(employees__gte=low)
        if high is not None:
            condition &= Q(employees__lt=high)
        return self.filter(condition)

    def with_size_class(self) -> UnitQuerySet:
        whens = [
            When(
                Q(employees__gte=low) & (Q(employees__lt=high) if high is not None else Q()),
                then=Value(size.value),
            )
            for size in SizeClass
            for low, high in [employee_range(size)]
        ]
        return self.annotate(size_class=Case(*whens, default=Value(""), output_field=models.CharField()))

    def search(self, terms: list[str], *, private: bool = False) -> UnitQuerySet:
        """Units whose folded text contains every folded term (see ``matching.text.search_terms``).

        ``search_text`` holds public fields only (VOCABULARY.md); ``private`` (for staff, who see the
        whole record) also reads the legal name, national ID and licence number."""
        queryset = self
        for term in terms:
            condition = Q(search_text__contains=term)
            if private:
                condition |= Q(private_search_text__contains=term)
            queryset = queryset.filter(condition)
        return queryset


class ProductionUnit(AuditedMixin, NamedModel):
    """A production unit in an estate, with its profile and its current life-cycle status.

    ``status`` is derived from the ``StatusChange`` history and kept in step by
    ``units.services.change_status`` — never set it directly.
    """

    gate = Gate(
        kind="unit",
        company=("estate__company",),
        owner=("organisation",),
        public=Q(status__in=PRODUCING),
    )

    legal_name = models.CharField(_("legal name"), max_length=250, blank=True)
    national_id = models.CharField(
        _("national ID"), max_length=20, unique=True, null=True, blank=True, help_text=_("11 digits")
    )
    licence_number = models.CharField(
        _("industrial licence number"), max_length=40, unique=True, null=True, blank=True
    )
    estate = models.ForeignKey(
        IndustrialEstate, on_delete=models.PROTECT, related_name="units", verbose_name=_("estate")
    )
    plot = models.ForeignKey(
        Plot, on_delete=models.SET_NULL, null=True, blank=True, related_name="units", verbose_name=_("plot")
    )
    isic = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        limit_choices_to={"scheme": "isic4", "level": "class"},
        verbose_name=_("ISIC class"),
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[limits.NumberRange(0, limits.MAX_PEOPLE)]
    )
    export_oriented = models.BooleanField(_("export-oriented"), default=False, db_index=True)
    knowledge_based = models.BooleanField(_("knowledge-based"), default=False, db_index=True)
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description (Persian)"), blank=True, max_length=limits.TEXT_LENGTH, validators=limits.text_length()
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, max_length=limits.TEXT_LENGTH, validators=limits.text_length()
    )
    capacity = models.CharField(_("production capacity"), max_length=200, blank=True)
    certifications = models.ManyToManyField(
        Certification,
        blank=True,
        through="UnitCertification",
        related_name="units",
        verbose_name=_("certifications"),
    )
    capabilities = models.ManyToManyField(
        Capability,
        blank=True,
        related_name="units",
        verbose_name=_("capabilities"),
        help_text=_("what the unit can make or do; suggested from its description and products"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit",
        verbose_name=_("organisation"),
        help_text=_("the organisation whose members represent this unit"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=UnitStatus.choices, db_index=True, editable=False
    )
    status_since = models.DateField(_("status since"), null=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    private_search_text = models.TextField(
        _("search text of non-public fields"), blank=True, editable=False, default=""
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        ordering = ["sort_name"]
        indexes = [
            models.Index(fields=["estate", "status"], name="unit_estate_status_idx"),
            models.Index(fields=["status", "sort_name"], name="unit_status_sort_idx"),
            models.Index(fields=["employees"], name="unit_employees_idx"),
            # The lists' order with the status the public list filters on and the estate the staff's
            # company scope joins on: a page's ids are read from the index alone (no sort of 100,000
            # rows, no temporary file) however deep they are.
            models.Index(fields=["sort_name", "status", "estate", "id"], name="unit_sort_status_estate_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("units:detail", args=[self.pk])

    @property
    def size_class(self) -> str | None:
        return size_class_for(self.employees)

    def get_size_class_display(self) -> str:
        size = self.size_class
        return SizeClass(size).label if size else ""

    def search_source(self, product_names: list[str] | None = None) -> str:
        """What anybody may search by: public fields only (never the legal name; see ``private_search_source``)."""
        if product_names is None:
            product_names = [name for pair in self.products.values_list("name", "name_en") for name in pair]
        parts = [
            self.name,
            self.name_en,
            self.description,
            self.description_en,
            *product_names,
        ]
        return " ".join(part for part in parts if part)

    def private_search_source(self) -> str:
        """What only those who see the whole record search by."""
        return " ".join(part for part in (self.legal_name, self.national_id, self.licence_number) if part)

    def refresh_keys(self) -> None:
        super().refresh_keys()
        self.national_id = (self.national_id or "").strip() or None
        self.licence_number = (self.licence_number or "").strip() or None
        self.private_search_text = fold(self.private_search_source())
        # New units have no products yet; existing ones fold their products in (one query).
        self.search_text = fold(self.search_source(product_names=[] if self.pk is None else None))


class UnitCertification(models.Model):
    """A certification a unit holds, with the number that goes with it (the national standard the mark
    is granted for, an IRC code, a licence number) and, for one the registry does not know, the name as
    it was written (held under the unverified "other" certification until staff check it)."""

    productionunit = models.ForeignKey(
        "ProductionUnit", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("unit")
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="holdings", verbose_name=_("certification")
    )
    reference = models.CharField(
        _("number"), max_length=60, blank=True, help_text=_("standard, certificate or licence number")
    )
    as_written = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate held")
        verbose_name_plural = _("certificates held")
        constraints = [
            models.UniqueConstraint(
                fields=["productionunit", "certification", "as_written"], name="unit_certification_unique"
            )
        ]

    def __str__(self) -> str:
        name = self.as_written or self.certification.display_name
        return f"{name} {self.reference}".strip()

    @property
    def verified(self) -> bool:
        return self.certification.code != OTHER_CERTIFICATION


class Product(AuditedMixin, NamedModel):
    """Something a unit makes, with its HS code and yearly capacity."""

    history_parent_field = "unit_id"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="products", verbose_name=_("unit")
    )
    hs = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        limit_choices_to={"scheme": "hs2022"},
        verbose_name=_("HS code"),
    )
    tariff_line = models.CharField(
        _("national tariff line"),
        max_length=8,
        blank=True,
        help_text=_(
            "The eight-digit national tariff line, when the unit gave one (its first six digits are the HS code)."
        ),
    )
    annual_capacity = models.DecimalField(
        _("annual capacity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[limits.NumberRange(0, limits.MAX_QUANTITY)],
    )
    capacity_unit = models.CharField(_("unit of measure"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["unit", "sort_name"]


class StatusChange(AuditedMixin, models.Model):
    """One dated move in a unit's life cycle; the first record of each unit has no ``from_status``."""

    history_parent_field = "unit_id"

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("unit")
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=UnitStatus.choices, null=True, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=UnitStatus.choices)
    date = models.DateField(_("date"), validators=[limits.DateRange()])
    cause = models.CharField(_("cause"), max_length=32, choices=StatusCause.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=limits.NOTE_LENGTH, validators=limits.note_length()
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["unit", "date", "id"]
        indexes = [
            models.Index(fields=["from_status", "to_status", "date"], name="statuschange_move_date_idx"),
            models.Index(fields=["unit", "date"], name="statuschange_unit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.from_status or '—'} → {self.to_status} ({self.date})"


class ClaimRequest(models.Model):
    """A person asks to represent a unit, with evidence; staff approve (membership) or reject."""

    gate = Gate(kind="claim", company=("unit__estate__company",), personal=("user",))

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.CASCADE, related_name="claims", verbose_name=_("unit")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_claims",
        verbose_name=_("claimant"),
    )
    position = models.CharField(_("position in the unit"), max_length=120)
    evidence = models.TextField(
        _("evidence"),
        max_length=limits.TEXT_LENGTH,
        validators=limits.text_length(),
        help_text=_("e.g. licence number, national ID, your role"),
    )
    evidence_file = models.FileField(_("evidence document"), upload_to="claims/%Y/", blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ClaimState.choices, default=ClaimState.PENDING
    )
    decision_note = models.TextField(
        _("decision note"), blank=True, max_length=limits.NOTE_LENGTH, validators=limits.note_length()
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"], condition=Q(state="pending"), name="claim_one_pending_per_user_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


register_audited(Certification, ProductionUnit, Product, StatusChange, ClaimRequest)


SpanEdge = tuple[int, dt.date, str, bool, int]  # (+1 begins / −1 ends, day, status, flag, units)


def count_on(edges: list[SpanEdge], statuses: Iterable[str], day: dt.date) -> tuple[int, int]:
    """The units in one of ``statuses`` on ``day`` (a past day), and those of them with the flag set."""
    wanted = set(statuses)
    count = flagged = 0
    for sign, edge, status, flag, units in edges:
        if edge <= day and status in wanted:
            count += sign * units
            flagged += sign * units if flag else 0
    return count, flagged


def _status_edges(units: UnitQuerySet, among: str) -> list[SpanEdge]:
    """``UnitQuerySet.status_edges``: the query (portable: a window and a UNION, on SQLite too)."""
    try:
        scope, scope_params = units.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (an unknown ISIC division)
        return []
    connection = connections[units.db]
    quote = connection.ops.quote_name
    column = quote(ProductionUnit._meta.get_field(among).column) if among else ""
    flag = f"CASE WHEN u.{column} THEN 1 ELSE 0 END" if among else "0"
    # Only quoted names, the scope's own compiled SQL and placeholders are put into the text.
    spans = (
        f'SELECT c.to_status, c."date" AS begins, '  # noqa: S608
        f'LEAD(c."date") OVER (PARTITION BY c.unit_id ORDER BY c."date", c.id) AS ends, '
        f"{flag} AS flagged "
        f"FROM {quote(StatusChange._meta.db_table)} c JOIN {quote(ProductionUnit._meta.db_table)} u "
        f"ON u.id = c.unit_id WHERE c.unit_id IN ({scope})"
    )
    sql = (
        f"WITH spans AS ({spans}) "  # noqa: S608
        f"SELECT 1, begins, to_status, flagged, COUNT(*) FROM spans GROUP BY begins, to_status, flagged "
        f"UNION ALL SELECT -1, ends, to_status, flagged, COUNT(*) FROM spans "
        f"WHERE ends IS NOT NULL GROUP BY ends, to_status, flagged"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, scope_params)
        return [
            (sign, day if isinstance(day, dt.date) else dt.date.fromisoformat(day), status, bool(flag), count)
            for sign, day, status, flag, count in cursor.fetchall()
        ]


def units_in_production_of_estate() -> models.Expression:
    """An estate's units in production, as an annotation of an estates queryset: one index-only count
    per estate shown (the (estate, status) index).

    A subquery, not ``Count("units")`` over a join: the join multiplied each estate by its units (and by
    its plots, beside ``with_figures``) and grouped 100,000 rows to show 25 estates.
    """
    return count_of(ProductionUnit.objects.filter(status__in=PRODUCING), "estate")
